package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/assessments/store/storetest"
	"github.com/piaflow/piaflow/internal/apitest"
	"github.com/piaflow/piaflow/policies"
	"github.com/piaflow/piaflow/service"
)

// TestMetricLabelsBounded: arbitrary method names, unauthenticated, never become label values
// (issue 12: 20,000 such requests grew /metrics to 28.8 MB).
func TestMetricLabelsBounded(t *testing.T) {
	url, _ := testServer(t)
	for i := range 200 {
		req, err := http.NewRequest(fmt.Sprintf("BREW%d", i), url+"/healthz", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	_, b := call(t, "GET", url+"/metrics", "", "")
	if bytes.Contains(b, []byte("BREW")) {
		t.Error("a client's method name became a metric label")
	}
	if !bytes.Contains(b, []byte(`method="OTHER"`)) {
		t.Error("unknown methods are not counted as OTHER")
	}
}

// lockedBuffer is a log sink safe for the server's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestRequestIDIsTheServers: a client's X-Request-ID is logged apart (client_request_id, cut
// and cleaned), never as the server's request_id; every response says nosniff, API JSON too.
func TestRequestIDIsTheServers(t *testing.T) {
	e, err := policies.Default()
	if err != nil {
		t.Fatal(err)
	}
	var logs lockedBuffer
	st := storetest.Open(t, "sqlite")
	srv := httptest.NewServer(New(service.New(st, assessments.NewEvaluator(e)), slog.New(slog.NewJSONHandler(&logs, nil))).Handler())
	t.Cleanup(srv.Close)
	theirs := "forged-id\u00e9" + strings.Repeat("x", 100) // non-ASCII is dropped
	for _, path := range []string{"/healthz", "/api/v1/me"} {
		resp, _ := callWith(t, "GET", srv.URL+path, "", "", map[string]string{"X-Request-ID": theirs})
		ours := resp.Header.Get("X-Request-ID")
		if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(ours) {
			t.Errorf("%s: X-Request-ID %q is not the server's", path, ours)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff", path)
		}
	}
	logged := 0
	for line := range strings.Lines(logs.String()) {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil || rec["msg"] != "request" {
			continue
		}
		logged++
		if id, _ := rec["request_id"].(string); strings.Contains(id, "forged") {
			t.Errorf("the client's id was logged as the server's: %s", line)
		}
		if got, want := rec["client_request_id"], "forged-id"+strings.Repeat("x", 55); got != want {
			t.Errorf("client_request_id %q, want %q", got, want)
		}
	}
	if logged != 2 {
		t.Errorf("%d request lines logged, want 2:\n%s", logged, logs.String())
	}
}

// TestDraftBounded: a draft is stored incomplete, but not over the questionnaire's list limits
// (issue 12: 20,000 empty activities in a 60 KB draft); the refusal names the list, and nothing
// is stored.
func TestDraftBounded(t *testing.T) {
	url, tokens := testServer(t)
	eng := tokens[piaflow.RoleEngineer]
	call(t, "POST", url+"/api/v1/deployments", eng, `{"name":"P","customer":"C"}`)
	doc := `{"activities":[` + strings.TrimSuffix(strings.Repeat("{},", 20000), ",") + `]}`
	resp, b := callWith(t, "PUT", url+"/api/v1/deployments/1/questionnaire?draft=true", eng, doc, map[string]string{"Content-Type": "application/json"})
	if p := problemOf(t, resp, b, http.StatusUnprocessableEntity); len(p.Errors) != 1 || p.Errors[0].Path != "activities" {
		t.Errorf("an oversized draft: %s", b)
	}
	if resp, _ := call(t, "GET", url+"/api/v1/deployments/1/questionnaire", eng, ""); resp.StatusCode != http.StatusNotFound {
		t.Errorf("the refused draft was stored: %d", resp.StatusCode)
	}
	resp, b = callWith(t, "PUT", url+"/api/v1/deployments/1/questionnaire?draft=true", eng, `{"activities":[{}]}`, map[string]string{"Content-Type": "application/json"})
	if resp.StatusCode != http.StatusCreated {
		t.Errorf("an incomplete draft within the limits: %d %s", resp.StatusCode, b)
	}
}

// TestFailedAuthThrottled: unknown API tokens are limited per client address before the token
// is looked up (issue 12: rate limits per IP before authentication; the web UI's sign-in form
// had them, the API's bearer tokens did not) and each failure is logged with the address, never
// the token; a valid token does not count, and another address is not affected.
func TestFailedAuthThrottled(t *testing.T) {
	e, err := policies.Default()
	if err != nil {
		t.Fatal(err)
	}
	var logs lockedBuffer
	st := storetest.Open(t, "sqlite")
	tokens := apitest.Tokens(t, st)
	// every answer, the 429 included, is checked against openapi.json
	srv := httptest.NewServer(conformingHandler(t, New(service.New(st, assessments.NewEvaluator(e)), slog.New(slog.NewJSONHandler(&logs, nil))).Handler()))
	t.Cleanup(srv.Close)
	eng := tokens[piaflow.RoleEngineer]
	for range AuthFailureBurst + 3 {
		if resp, _ := call(t, "GET", srv.URL+"/api/v1/me", eng, ""); resp.StatusCode != http.StatusOK {
			t.Fatalf("a valid token: %d", resp.StatusCode)
		}
	}
	for i := range AuthFailureBurst {
		resp, b := call(t, "GET", srv.URL+"/api/v1/me", "pf_guess", "")
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("unknown token %d: %d %s", i+1, resp.StatusCode, b)
		}
	}
	resp, b := call(t, "GET", srv.URL+"/api/v1/me", eng, "")
	if p := problemOf(t, resp, b, http.StatusTooManyRequests); !strings.Contains(p.Detail, "the failed authentication limit") {
		t.Errorf("after %d unknown tokens: %s", AuthFailureBurst, b)
	}
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || s < 1 {
		t.Errorf("Retry-After %q", resp.Header.Get("Retry-After"))
	}
	if strings.Count(logs.String(), `"msg":"authentication failed"`) != AuthFailureBurst || strings.Contains(logs.String(), "pf_guess") ||
		!strings.Contains(logs.String(), `"ip":"127.0.0.1"`) {
		t.Errorf("failures not logged with the address, or the token logged:\n%s", logs.String())
	}
	// another client address (127.0.0.2, also loopback) is not limited
	dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 2)}}
	other := &http.Client{Transport: &http.Transport{DialContext: dialer.DialContext}}
	req, _ := http.NewRequest("GET", srv.URL+"/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+eng)
	if resp, err := other.Do(req); err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("a valid token from another address: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
}

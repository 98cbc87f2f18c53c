package web

import (
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/piaflow/piaflow"
)

// TestCSRFNotFromTheQuery: the CSRF token counts only in the form body or the X-CSRF-Token
// header; in the query string (where logs and Referer headers keep it) it is refused (issue 12).
func TestCSRFNotFromTheQuery(t *testing.T) {
	base, tokens := testServer(t)
	w := signIn(t, base, tokens[piaflow.RoleEngineer])
	form := url.Values{"name": {"Portal"}, "customer": {"Klinikum Nord"}, "csrf": {""}}
	if resp, _ := w.post("/deployments?csrf="+url.QueryEscape(w.csrf), form); resp.StatusCode != http.StatusForbidden {
		t.Errorf("the CSRF token in the query string: %d, want 403", resp.StatusCode)
	}
	form.Set("csrf", w.csrf)
	if resp, _ := w.post("/deployments", form); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the CSRF token in the body: %d, want 303", resp.StatusCode)
	}
	// the sign-in form's double-submit token likewise
	s := newWebClient(t, base, nil)
	s.get("/login")
	login := url.Values{"token": {tokens[piaflow.RoleLegal]}, "csrf": {""}}
	if resp, _ := s.post("/login?csrf="+url.QueryEscape(s.csrf), login); resp.StatusCode != http.StatusForbidden {
		t.Errorf("the sign-in token in the query string: %d, want 403", resp.StatusCode)
	}
}

// TestSignInThrottled: failed sign-ins from one address are limited (a burst of SignInBurst,
// then SignInsPerMinute a minute): the next attempt gets 429 with Retry-After and the page says
// so; another address is not affected.
func TestSignInThrottled(t *testing.T) {
	base, tokens := testServer(t)
	w := newWebClient(t, base, nil)
	for i := range SignInBurst {
		w.get("/login")
		if resp, _ := w.post("/login", url.Values{"token": {"pf_wrong"}}); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failed sign-in %d: %d, want 401", i+1, resp.StatusCode)
		}
	}
	w.get("/login")
	resp, body := w.post("/login", url.Values{"token": {tokens[piaflow.RoleLegal]}})
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("sign-in after %d failures: %d, want 429", SignInBurst, resp.StatusCode)
	}
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || s < 1 {
		t.Errorf("Retry-After %q", resp.Header.Get("Retry-After"))
	}
	mustContain(t, "throttled sign-in page", body, "Too many sign-in attempts")
	// a header cannot claim another address
	resp, _ = w.do("POST", "/login", url.Values{"token": {tokens[piaflow.RoleLegal]}, "csrf": {w.csrf}}, map[string]string{"X-Real-IP": "192.0.2.7", "X-Forwarded-For": "192.0.2.7"})
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("sign-in with a forged X-Real-IP: %d, want 429", resp.StatusCode)
	}
	// another client address (127.0.0.2, also loopback) still signs in
	dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 2)}}
	other := newWebClient(t, base, &http.Client{Transport: &http.Transport{DialContext: dialer.DialContext}})
	other.get("/login")
	if resp, _ := other.post("/login", url.Values{"token": {tokens[piaflow.RoleLegal]}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("sign-in from another address: %d, want 303", resp.StatusCode)
	}
}

// TestResultCacheBoundedByBytes: the cache of decoded results keeps within its byte budget
// (issue 12: it was bounded by count, so 32 large results could hold gigabytes), drops the oldest
// first, and does not keep a result larger than a quarter of the budget.
func TestResultCacheBoundedByBytes(t *testing.T) {
	rec := func(id uint64, padding int) piaflow.AssessmentRecord {
		return piaflow.AssessmentRecord{ID: id, Result: `{"verdict":"ready","findings":[],"padding":"` + strings.Repeat("x", padding) + `"}`}
	}
	rc := newResultCache(1000)
	for id := range uint64(10) {
		if _, err := rc.get(rec(id+1, 150)); err != nil {
			t.Fatal(err)
		}
		if rc.used > rc.budget {
			t.Fatalf("after %d results the cache holds %d bytes, budget %d", id+1, rc.used, rc.budget)
		}
	}
	if _, kept := rc.items[10]; !kept {
		t.Error("the newest result was not kept")
	}
	if _, kept := rc.items[1]; kept {
		t.Error("the oldest result was kept past the budget")
	}
	a, err := rc.get(rec(99, 400))
	if err != nil || a.Verdict != "ready" {
		t.Fatalf("a large result: %v %v", a, err)
	}
	if _, kept := rc.items[99]; kept {
		t.Error("a result over a quarter of the budget was kept")
	}
}

package web

import (
	"encoding/json"
	"fmt"
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

// emptyEntries is a list of n empty objects.
func emptyEntries(n int) []any {
	l := make([]any, n)
	for i := range l {
		l[i] = map[string]any{}
	}
	return l
}

// activitiesWithTransfers is a draft of acts activities with transfers empty transfers each.
func activitiesWithTransfers(acts, transfers int) string {
	var list []any
	for range acts {
		list = append(list, map[string]any{"transfers": emptyEntries(transfers)})
	}
	b, _ := json.Marshal(map[string]any{"activities": list})
	return string(b)
}

// TestWizardPageBounded: a stored draft within the questionnaire's limits but with more inputs
// than a page shows (200 activities × 100 empty transfers: a 280 MB page before) is shown
// without its form, with the limit named and a link to the questionnaire as JSON; the other
// sections keep theirs; a draft just under the bound renders its form (about 6.8 MB).
func TestWizardPageBounded(t *testing.T) {
	base, tokens := testServer(t)
	w := signIn(t, base, tokens[piaflow.RoleEngineer])
	for i, tc := range []struct {
		draft    string
		tooLarge bool
	}{
		{activitiesWithTransfers(200, 100), true},
		{activitiesWithTransfers(4, 100), false},
	} {
		id := i + 1
		w.post("/deployments", url.Values{"name": {"Portal"}, "customer": {"Klinikum Nord"}})
		if resp, b := callWith(t, "PUT", fmt.Sprintf("%s/api/v1/deployments/%d/questionnaire?draft=true", base, id), tokens[piaflow.RoleEngineer], tc.draft,
			map[string]string{"Content-Type": "application/json"}); resp.StatusCode != http.StatusCreated {
			t.Fatalf("draft %d: %d %s", id, resp.StatusCode, b)
		}
		resp, body := w.get(fmt.Sprintf("/deployments/%d/wizard?section=activities", id))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("activities of draft %d: %d", id, resp.StatusCode)
		}
		t.Logf("draft %d: activities page of %.2f MB", id, float64(len(body))/1e6)
		if !tc.tooLarge {
			mustContain(t, "a page under the bound", body, `id="wizard"`, `name="count:activities[3].transfers" value="100"`)
			if len(body) > 16<<20 {
				t.Errorf("a page under the bound has %d bytes", len(body))
			}
			continue
		}
		mustContain(t, "an oversized section", body, fmt.Sprintf("This section has more than %d inputs", piaflow.MaxWizardInputs),
			fmt.Sprintf(`href="/api/v1/deployments/%d/questionnaire" id="download-json"`, id), `id="next"`)
		if strings.Contains(body, `id="wizard"`) || strings.Contains(body, `name="count:activities`) {
			t.Error("an oversized section was rendered as a form (saving it would drop the rest)")
		}
		if len(body) > 1<<20 {
			t.Errorf("the oversized section's page has %d bytes", len(body))
		}
		if _, other := w.get(fmt.Sprintf("/deployments/%d/wizard?section=hosting", id)); !strings.Contains(other, `id="wizard"`) {
			t.Error("the other sections lost their form")
		}
	}
}

// TestWizardFormBounded: a posted section whose repeat counts multiply across nested lists
// (issue 12: a 37 KB form stored 10^6 transfers) is refused while it is read — 422, the list
// and the limit named, nothing stored — and the stored answers are shown again.
func TestWizardFormBounded(t *testing.T) {
	base, tokens := testServer(t)
	w := signIn(t, base, tokens[piaflow.RoleEngineer])
	w.post("/deployments", url.Values{"name": {"Portal"}, "customer": {"Klinikum Nord"}})
	form := url.Values{"section": {"activities"}, "etag": {""}, "op": {"save"}, "count:activities": {"200"}}
	for i := range 200 {
		form.Set(fmt.Sprintf("count:activities[%d].transfers", i), "100")
	}
	resp, body := w.post("/deployments/1/wizard", form)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("multiplying form: %d", resp.StatusCode)
	}
	mustContain(t, "refused form", body, "The draft was not saved", "activities[98].transfers: has 100 entries",
		"the wizard reads at most 10000 in one section (the form entries limit, docs/limits.md)")
	if resp, _ := call(t, "GET", base+"/api/v1/deployments/1/questionnaire", tokens[piaflow.RoleEngineer], ""); resp.StatusCode != http.StatusNotFound {
		t.Errorf("after the refused form the deployment has a questionnaire: %d", resp.StatusCode)
	}
}

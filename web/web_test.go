package web

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/assessments/store/storetest"
	"github.com/piaflow/piaflow/i18n"
	"github.com/piaflow/piaflow/internal/httpx"
	"github.com/piaflow/piaflow/policies"
	"github.com/piaflow/piaflow/service"
)

// webClient is a browser without JavaScript: a cookie jar, no automatic redirects, and the CSRF
// token of the last page it read.
type webClient struct {
	t    *testing.T
	base string
	c    *http.Client
	csrf string
}

func newWebClient(t *testing.T, base string, client *http.Client) *webClient {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	if client == nil {
		client = &http.Client{}
	}
	client.Jar = jar
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &webClient{t: t, base: base, c: client}
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (w *webClient) do(method, path string, form url.Values, header map[string]string) (*http.Response, string) {
	w.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(context.Background(), method, w.base+path, body)
	if err != nil {
		w.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := w.c.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		w.t.Fatal(err)
	}
	if m := csrfInput.FindStringSubmatch(string(b)); m != nil {
		w.csrf = m[1]
	}
	return resp, string(b)
}

func (w *webClient) get(path string) (*http.Response, string) { return w.do("GET", path, nil, nil) }

// post sends a form with the current CSRF token (unless the form sets csrf itself).
func (w *webClient) post(path string, form url.Values) (*http.Response, string) {
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", w.csrf)
	}
	return w.do("POST", path, form, nil)
}

// signIn signs in with a token and reads a page, so that the client holds the session's CSRF token.
func signIn(t *testing.T, base, token string) *webClient {
	t.Helper()
	w := newWebClient(t, base, nil)
	w.get("/login")
	resp, body := w.post("/login", url.Values{"token": {token}, "next": {"/deployments"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/deployments" {
		t.Fatalf("sign in: %d %s", resp.StatusCode, body)
	}
	w.get("/deployments")
	return w
}

func mustContain(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(body, want) {
			t.Errorf("%s lacks %q", what, want)
		}
	}
}

func cookieNamed(resp *http.Response, name string) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func TestWebSignInAndCookie(t *testing.T) {
	base, tokens := testServer(t)
	w := newWebClient(t, base, nil)
	resp, body := w.get("/deployments")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login?next=%2Fdeployments" {
		t.Fatalf("signed out: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, body = w.get("/login")
	mustContain(t, "sign-in page", body, `<label for="login-token">`, `type="password"`)
	t.Run("ErrWrongToken", func(t *testing.T) {
		resp, body := w.post("/login", url.Values{"token": {"pf_wrong"}})
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "Sign-in failed") || cookieNamed(resp, httpx.SessionCookie) != nil {
			t.Errorf("wrong token: %d", resp.StatusCode)
		}
	})
	t.Run("ErrTokenOfAnotherUser", func(t *testing.T) {
		w.get("/login")
		resp, _ := w.post("/login", url.Values{"token": {tokens[piaflow.RoleSales]}, "user": {"legal-user"}})
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("token of another user: %d", resp.StatusCode)
		}
	})
	t.Run("ErrLoginCSRF", func(t *testing.T) {
		other := newWebClient(t, base, nil) // no sign-in form read: no login cookie
		resp, _ := other.post("/login", url.Values{"token": {tokens[piaflow.RoleLegal]}, "csrf": {w.csrf}})
		if resp.StatusCode != http.StatusForbidden || cookieNamed(resp, httpx.SessionCookie) != nil {
			t.Errorf("sign-in without the form's token: %d", resp.StatusCode)
		}
	})
	w.get("/login")
	resp, body = w.post("/login", url.Values{"token": {tokens[piaflow.RoleLegal]}, "user": {"legal-user"}, "next": {"/reviews"}})
	ck := cookieNamed(resp, httpx.SessionCookie)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/reviews" || ck == nil {
		t.Fatalf("sign in: %d %s", resp.StatusCode, body)
	}
	if !ck.HttpOnly || ck.Secure || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" || ck.MaxAge != 12*3600 || len(ck.Value) != 43 {
		t.Errorf("session cookie %+v: want HttpOnly, not Secure over plain HTTP, SameSite=Lax, Path=/, 12 h", ck)
	}
	_, body = w.get("/reviews")
	mustContain(t, "review queue", body, `id="who">legal-user`, "Legal review queue")
	// the cookie authenticates the API too, so the report download links work
	resp, body = w.get("/api/v1/me")
	if resp.StatusCode != 200 || !strings.Contains(body, `"role":"legal"`) {
		t.Errorf("API with the session cookie: %d %s", resp.StatusCode, body)
	}
	resp, _ = w.post("/logout", url.Values{})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
		t.Errorf("logout: %d", resp.StatusCode)
	}
	if c := cookieNamed(resp, httpx.SessionCookie); c == nil || c.MaxAge >= 0 {
		t.Errorf("logout does not delete the cookie: %+v", c)
	}
	// the old session is gone from the store, not only from the browser
	old := newWebClient(t, base, nil)
	u, _ := url.Parse(base)
	old.c.Jar.SetCookies(u, []*http.Cookie{{Name: httpx.SessionCookie, Value: ck.Value}})
	if resp, _ := old.get("/deployments"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the signed-out session still opens pages: %d", resp.StatusCode)
	}
	if resp, _ := old.get("/api/v1/me"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("the signed-out session still opens the API: %d", resp.StatusCode)
	}
}

// TestWebSecureCookieOverTLS: served over TLS, the session cookie is Secure.
func TestWebSecureCookieOverTLS(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t, "sqlite")
	e, err := policies.Default()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateUser(ctx, nil, "erin", piaflow.RoleEngineer); err != nil {
		t.Fatal(err)
	}
	token, _, err := st.CreateToken(ctx, nil, "erin", "")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewTLSServer(newServer(service.New(st, assessments.NewEvaluator(e))).Handler())
	t.Cleanup(srv.Close)
	w := newWebClient(t, srv.URL, srv.Client())
	w.get("/login")
	resp, _ := w.post("/login", url.Values{"token": {token}})
	if ck := cookieNamed(resp, httpx.SessionCookie); ck == nil || !ck.Secure || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode {
		t.Errorf("session cookie over TLS: %+v", ck)
	}
}

func TestWebSecurityHeaders(t *testing.T) {
	base, tokens := testServer(t)
	eng := signIn(t, base, tokens[piaflow.RoleEngineer])
	eng.post("/deployments", url.Values{"name": {"Portal"}, "customer": {"Klinikum Nord"}, "customer_country": {"DE"}})
	sales := signIn(t, base, tokens[piaflow.RoleSales])
	inline := regexp.MustCompile(`(?i)<script(?:\s[^>]*)?>[^<]|<script>|\sstyle=|<style|\son[a-z]+=|javascript:`)
	pages := []struct {
		w    *webClient
		path string
	}{
		{newWebClient(t, base, nil), "/login"},
		{eng, "/deployments"},
		{eng, "/deployments/1"},
		{eng, "/deployments/1/wizard?section=activities&check=1"},
		{sales, "/hosting-check?data=health&subjects=DE&host=SG"},
		{sales, "/deployments/1/wizard"}, // the 403 page
	}
	for _, p := range pages {
		resp, body := p.w.get(p.path)
		h := resp.Header
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "form-action 'self'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %s", p.path, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: CSP %q allows inline code", p.path, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") != "same-origin" || h.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s: headers %v", p.path, h)
		}
		if !strings.HasPrefix(h.Get("Content-Type"), "text/html") {
			t.Errorf("%s: content type %q", p.path, h.Get("Content-Type"))
		}
		if m := inline.FindString(body); m != "" {
			t.Errorf("%s: inline script or style %q (the CSP would block it)", p.path, m)
		}
	}
	resp, body := eng.get("/static/app.css")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/css") || !strings.Contains(body, ".badge") {
		t.Errorf("app.css: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if resp, _ := eng.get("/static/..%2fweb.go"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a path outside static/: %d", resp.StatusCode)
	}
}

func TestWebCSRF(t *testing.T) {
	base, tokens := testServer(t)
	w := signIn(t, base, tokens[piaflow.RoleEngineer])
	form := url.Values{"name": {"Portal"}, "customer": {"Klinikum Nord"}}
	for name, token := range map[string]string{"ErrNoToken": "", "ErrWrongToken": "not-the-token"} {
		t.Run(name, func(t *testing.T) {
			f := url.Values{"name": {"Portal"}, "customer": {"Klinikum Nord"}, "csrf": {token}}
			resp, body := w.post("/deployments", f)
			if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "This form has expired or was sent from another site") {
				t.Errorf("form without the CSRF token: %d", resp.StatusCode)
			}
		})
	}
	if resp, _ := w.post("/deployments", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("form with the CSRF token: %d", resp.StatusCode)
	}
	// a form Go cannot parse (over 10,000 fields) says so instead of blaming the CSRF token
	huge := url.Values{}
	for i := range 10001 {
		huge.Set(fmt.Sprintf("f%d", i), "x")
	}
	if resp, body := w.post("/deployments", huge); resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, "too many fields") {
		t.Errorf("an oversized form: %d", resp.StatusCode)
	}
	// the API with the cookie: unsafe methods need X-CSRF-Token
	resp, body := w.do("POST", "/api/v1/deployments", nil, map[string]string{"Content-Type": "application/json"})
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "X-CSRF-Token") {
		t.Errorf("API POST with the cookie and no CSRF header: %d %s", resp.StatusCode, body)
	}
	req, _ := http.NewRequest("POST", base+"/api/v1/deployments", strings.NewReader(`{"name":"Q","customer":"C"}`))
	req.Header.Set("X-CSRF-Token", w.csrf)
	resp, err := w.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Errorf("API POST with the cookie and the CSRF header: %d", resp.StatusCode)
	}
	// a token in the Authorization header needs no CSRF token (no cookie is involved)
	if resp, _ := call(t, "POST", base+"/api/v1/deployments", tokens[piaflow.RoleEngineer], `{"name":"R","customer":"C"}`); resp.StatusCode != http.StatusCreated {
		t.Errorf("API POST with a bearer token: %d", resp.StatusCode)
	}
}

func TestWebRolesForbidden(t *testing.T) {
	base, tokens := testServer(t)
	eng := signIn(t, base, tokens[piaflow.RoleEngineer])
	eng.post("/deployments", url.Values{"name": {"Portal"}, "customer": {"Klinikum Nord"}})
	for _, role := range []string{piaflow.RoleSales, piaflow.RoleLegal} {
		w := signIn(t, base, tokens[role])
		resp, body := w.get("/deployments/1/wizard")
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "may not open this page") || strings.Contains(body, `id="wizard"`) {
			t.Errorf("%s opens the wizard: %d", role, resp.StatusCode)
		}
		resp, _ = w.post("/deployments/1/wizard", url.Values{"section": {"deployment"}, "op": {"save"}})
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s saves the wizard: %d", role, resp.StatusCode)
		}
	}
	sales := signIn(t, base, tokens[piaflow.RoleSales])
	_, body := sales.get("/deployments/1/wizard")
	mustContain(t, "the 403 page", body, "Your role (Sales)")
	_, body = sales.get("/deployments")
	if strings.Contains(body, `id="new-deployment"`) || strings.Contains(body, `href="/reviews"`) {
		t.Error("sales sees the new-deployment form or the review queue")
	}
	if resp, _ := sales.get("/reviews"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("sales opens the review queue: %d", resp.StatusCode)
	}
	if resp, _ := sales.get("/assessments/1"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("sales opens an assessment: %d", resp.StatusCode)
	}
}

// TestWebStaleETag: a form rendered from an old revision is refused with a clear message, and
// the answers typed into it are shown again.
func TestWebStaleETag(t *testing.T) {
	base, tokens := testServer(t)
	w := signIn(t, base, tokens[piaflow.RoleEngineer])
	w.post("/deployments", url.Values{"name": {"Portal"}, "customer": {"Klinikum Nord"}})
	_, body := w.get("/deployments/1/wizard")
	if resp, _ := w.post("/deployments/1/wizard", url.Values{"section": {"deployment"}, "etag": {formETag(body)}, "op": {"save"},
		"deployment.name": {"Portal"}, "deployment.customer": {"Klinikum Nord"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("first save: %d", resp.StatusCode)
	}
	_, body = w.get("/deployments/1/wizard")
	etag := formETag(body)
	// someone else saves a revision through the API
	resp, b := callWith(t, "PUT", base+"/api/v1/deployments/1/questionnaire?draft=true", tokens[piaflow.RoleAdmin], `{"deployment":{"name":"Theirs"}}`,
		map[string]string{"If-Match": `"` + etag + `"`})
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("concurrent save: %d %s", resp.StatusCode, b)
	}
	resp, body = w.post("/deployments/1/wizard", url.Values{"section": {"deployment"}, "etag": {etag}, "op": {"save"},
		"deployment.name": {"Mine"}, "deployment.customer": {"Klinikum Nord"}})
	if resp.StatusCode != http.StatusConflict {
		t.Fatalf("stale save: %d", resp.StatusCode)
	}
	mustContain(t, "stale page", body, "Someone else changed this questionnaire since you opened it (revision 2", "were NOT saved",
		`value="Mine"`, `id="reload-latest"`)
	if got := formETag(body); got != etag {
		t.Errorf("the stale form carries ETag %q, want the old %q (so that saving again is refused again)", got, etag)
	}
	resp, b = call(t, "GET", base+"/api/v1/deployments/1/questionnaire", tokens[piaflow.RoleLegal], "")
	if !strings.Contains(string(b), "Theirs") || resp.Header.Get("X-Revision") != "2" {
		t.Errorf("the stale save changed the questionnaire: %s", b)
	}
}

var etagInput = regexp.MustCompile(`name="etag" value="([^"]*)"`)

func formETag(body string) string {
	m := etagInput.FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1]
}

// TestWebValidationErrorNextToField: the validator's problem is shown by its input, tied to it
// for screen readers, and the summary links to problems in other form.Sections().
func TestWebValidationErrorNextToField(t *testing.T) {
	base, tokens := testServer(t)
	w := signIn(t, base, tokens[piaflow.RoleEngineer])
	w.post("/deployments", url.Values{"name": {"Portal"}, "customer": {"Klinikum Nord"}})
	resp, _ := w.post("/deployments/1/wizard", url.Values{"section": {"deployment"}, "etag": {""}, "op": {"submit"},
		"deployment.name": {"Portal"}, "deployment.customer": {"Klinikum Nord"}, "deployment.customer_country": {"XX"},
		"deployment.vendor_country": {"germany"}, "deployment.vendor_role": {"processor"}, "deployment.sector": {"healthcare"}})
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(loc, "section=deployment") || !strings.Contains(loc, "check=1") {
		t.Fatalf("submit of an invalid questionnaire: %d %s", resp.StatusCode, loc)
	}
	_, body := w.get(loc)
	input := regexp.MustCompile(`<input id="f-deployment-customer_country"[^>]*>`).FindString(body)
	if !strings.Contains(input, `aria-invalid="true"`) || !strings.Contains(input, `aria-describedby="f-deployment-customer_country-help f-deployment-customer_country-err"`) {
		t.Errorf("invalid input: %s", input)
	}
	mustContain(t, "wizard", body, `<ul class="errors" id="f-deployment-customer_country-err"><li>&#34;XX&#34; is not an ISO 3166-1 alpha-2 code</li></ul>`,
		`value="DE"`, // "germany" was read as a country name
		`id="problems"`, `href="/deployments/1/wizard?section=hosting&amp;check=1#f-hosting"`, "Saved as draft revision 1")
	// the valid answers are not flagged
	if in := regexp.MustCompile(`<input id="f-deployment-vendor_country"[^>]*>`).FindString(body); strings.Contains(in, "aria-invalid") {
		t.Errorf("valid input flagged: %s", in)
	}
}

func TestWebLanguageSwitch(t *testing.T) {
	base, tokens := testServer(t)
	w := signIn(t, base, tokens[piaflow.RoleSales])
	_, body := w.get("/hosting-check")
	mustContain(t, "English page", body, `<html lang="en">`, "Hosting check", `href="/lang/zh-CN?next=%2fhosting-check"`)
	resp, _ := w.get("/lang/zh-CN?next=%2Fhosting-check")
	ck := cookieNamed(resp, langCookie)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/hosting-check" || ck == nil || ck.Value != "zh-CN" || ck.MaxAge < 30*24*3600 {
		t.Fatalf("switch: %d %s %+v", resp.StatusCode, resp.Header.Get("Location"), ck)
	}
	_, body = w.get("/hosting-check?data=health&subjects=RU&host=SG")
	mustContain(t, "Chinese page", body, `<html lang="zh-CN">`, "托管检查", "俄罗斯", "必须本地化", "健康")
	// the reasons and the note on other exports in Chinese (messages, docs/messages.md)
	_, body = w.get("/hosting-check?data=contact&subjects=DE%2CAR&host=DE")
	mustContain(t, "Chinese reasons", body, "托管于德国，数据仍留在", "piaflow 未收录阿根廷数据保护法的资料")
	_, body = w.get("/hosting-check?data=contact&subjects=CN&host=SG&count=50000&other_exports=CN%3A60000%3A2000")
	mustContain(t, "Chinese note on other exports", body, "中国 60,000 人（其中敏感个人信息 2,000 人）")
	for _, english := range []string{"keeps the data inside", "holds no data on", "sensitive)"} {
		if strings.Contains(body, english) {
			t.Errorf("Chinese hosting page keeps English %q", english)
		}
	}
	if resp, _ := w.get("/lang/fr?next=/"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown language: %d", resp.StatusCode)
	}
	if resp, _ := w.get("/lang/en?next=https%3A%2F%2Fevil.example"); resp.Header.Get("Location") != "/deployments" {
		t.Errorf("open redirect: %s", resp.Header.Get("Location"))
	}
	// without the cookie the browser's Accept-Language decides
	anon := newWebClient(t, base, nil)
	_, body = anon.do("GET", "/login", nil, map[string]string{"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"})
	mustContain(t, "sign-in page for a Chinese browser", body, `<html lang="zh-CN">`, "登录")
	// q-values decide, not the order of the entries
	_, body = anon.do("GET", "/login", nil, map[string]string{"Accept-Language": "zh;q=0.1, en;q=0.9"})
	mustContain(t, "sign-in page for a browser preferring English", body, `<html lang="en">`)
}

// TestWebHostingCheck: the sales answer per country in plain words, with the law, from a URL
// that can be shared; bad input is shown by its field.
func TestWebHostingCheck(t *testing.T) {
	base, tokens := testServer(t)
	w := signIn(t, base, tokens[piaflow.RoleSales])
	resp, body := w.get("/hosting-check?data=health&data=contact&subjects=DE%2C+Russia&host=Singapore")
	if resp.StatusCode != 200 {
		t.Fatalf("hosting check: %d", resp.StatusCode)
	}
	mustContain(t, "hosting check", body, `id="answer-DE"`, "Allowed with a transfer mechanism", `id="answer-RU"`, "Must stay in the country",
		"Hosting in Singapore", `value="health" id="hc-data-health" checked`, "152-FZ")
	resp, body = w.get("/hosting-check?data=gossip&subjects=XX&host=")
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("bad hosting check: %d", resp.StatusCode)
	}
	mustContain(t, "bad hosting check", body, `id="hc-host-err"`, "Give the hosting country")
	_, body = w.get("/hosting-check?data=gossip&subjects=XX&host=SG")
	mustContain(t, "bad hosting check", body, `id="hc-subjects-err"`, "is not an ISO 3166-1 alpha-2 code", `id="hc-data-err"`)
	resp, body = w.get("/hosting-check?data=contact&subjects=CN&host=SG&count=0")
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("count 0: %d", resp.StatusCode)
	}
	mustContain(t, "count 0", body, "Give a whole number of people, 1 or more")

	// No count: every band of the PIPL thresholds, each with PIPL's own mechanism, and the
	// assumptions; never an assumed number, never "SCCs" for China.
	_, body = w.get("/hosting-check?data=contact&subjects=CN&host=SG")
	result := body[strings.Index(body, `id="hosting-result"`):]
	mustContain(t, "CN without a count", result, `id="answer-CN"`, "Depends on the number of people",
		`id="band-CN-0"`, "under 100,000 people", "100,000 to 999,999 people", "1,000,000 or more people",
		"CAC standard contract for the export of personal information", "CAC security assessment",
		`id="note-count_unknown"`, `id="note-customer_country_default"`)
	if laws := perLaw(result); strings.Contains(laws, "SCC") || strings.Contains(laws, "standard contractual clauses") {
		t.Errorf("the answer for China offers SCCs:\n%s", laws)
	}
	_, body = w.get("/hosting-check?data=contact&subjects=CN&host=SG&count=500000")
	result = body[strings.Index(body, `id="hosting-result"`):]
	mustContain(t, "CN 500,000", result, "Allowed with a transfer mechanism", "CAC standard contract", `id="note-count_given"`, "500,000 people per subject country")
	if laws := perLaw(result); strings.Contains(laws, "SCC") || strings.Contains(result, `id="band-`) {
		t.Errorf("500,000 people in China: SCCs or bands in the answer:\n%s", laws)
	}

	// Other exports this year count toward the CAC tiers: 50,000 alone are exempt, with 60,000
	// already exported the standard contract is needed; a malformed entry names the field.
	_, body = w.get("/hosting-check?data=contact&subjects=CN&host=SG&count=50000")
	mustContain(t, "CN 50,000", body[strings.Index(body, `id="hosting-result"`):], `id="answer-CN"`, "Allowed")
	_, body = w.get("/hosting-check?data=contact&subjects=CN&host=SG&count=50000&other_exports=CN%3A60000%3A2000")
	mustContain(t, "CN 50,000 + 60,000", body[strings.Index(body, `id="hosting-result"`):], "Allowed with a transfer mechanism", "CAC standard contract")
	mustContain(t, "other exports kept", body, `value="CN:60000:2000"`)
	resp, body = w.get("/hosting-check?data=contact&subjects=CN&host=SG&other_exports=CN%3Amany")
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("bad other exports: %d", resp.StatusCode)
	}
	mustContain(t, "bad other exports", body, `id="hc-other-exports-err"`, "is not a number of people")
}

// perLaw is the part of a hosting answer that names each law's mechanisms (the page's general
// help text gives SCCs as an example for the GDPR).
func perLaw(result string) string {
	from, to := strings.Index(result, `class="per-law"`), strings.Index(result, `id="hc-assumptions"`)
	if from < 0 || to < from {
		return result
	}
	return result[from:to]
}

// TestWebAssessmentPage: the verdict, blockers first, findings by law with citations and the
// answers that triggered them, transfers, actions with their forms, downloads, the review.
func TestWebAssessmentPage(t *testing.T) {
	base, tokens := testServer(t)
	eng := tokens[piaflow.RoleEngineer]
	call(t, "POST", base+"/api/v1/deployments", eng, `{"name":"Portal","customer":"Klinikum Nord GmbH","customer_country":"DE"}`)
	callWith(t, "PUT", base+"/api/v1/deployments/1/questionnaire", eng, mustExample(t), nil)
	if resp, b := call(t, "POST", base+"/api/v1/deployments/1/assessments", eng, ""); resp.StatusCode != http.StatusCreated {
		t.Fatalf("evaluate: %s", b)
	}
	w := signIn(t, base, eng)
	_, body := w.get("/assessments/1")
	mustContain(t, "assessment page", body, `id="verdict">Blocked`, `id="blockers"`, "GDPR-TRANSFER-NO-MECHANISM",
		`href="https://eur-lex.europa.eu`, "activities[0].transfers[0].mechanism", "<dd>none</dd>",
		"<dt>Activity 1 › Transfer 1 › Transfer mechanism <a", `id="transfers"`,
		`id="dl-pdf-en" href="/api/v1/assessments/1/report.pdf?lang=en"`, `href="/api/v1/assessments/1/report.pdf?lang=zh-CN"`,
		`/api/v1/assessments/1/actions.xlsx?lang=en`, `id="submit-review"`, "No earlier assessment of this deployment was approved or rejected.")
	if i, j := strings.Index(body, `id="blockers"`), strings.Index(body, `id="findings"`); i < 0 || j < i {
		t.Error("blockers do not come first")
	}
	// an action's status changes inline
	acts := regexp.MustCompile(`<form method="post" action="/actions/(\d+)"`).FindAllStringSubmatch(body, -1)
	if len(acts) == 0 {
		t.Fatal("no action forms")
	}
	id := acts[0][1]
	resp, _ := w.post("/actions/"+id, url.Values{"status": {"in_progress"}, "assignee": {"engineer-user"}, "assessment": {"1"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/assessments/1?done=action#action-"+id {
		t.Fatalf("action form: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body = w.get("/assessments/1?done=action")
	mustContain(t, "after the action form", body, "The action was updated.", `<option value="in_progress" selected>`, `value="engineer-user"`)
	// engineers cannot accept risks: the page comes back with the message in the action's form
	resp, body = w.post("/actions/"+id, url.Values{"status": {"risk_accepted"}, "assessment": {"1"}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("engineer accepts a risk: %d", resp.StatusCode)
	}
	mustContain(t, "refused action form", body, `<p class="form-error" role="alert" id="act-`+id+`-err">Only legal may accept a risk.</p>`, `id="blockers"`)
	noDeadEnd(t, "refused action form", body)
	// review: submit, legal rejects without a comment (refused), approves with an open blocker
	// (refused), accepts the blocker's risk, then approves
	w.post("/assessments/1/review", url.Values{"op": {"submit"}})
	legal := signIn(t, base, tokens[piaflow.RoleLegal])
	_, body = legal.get("/reviews")
	mustContain(t, "review queue", body, `href="/assessments/1"`, "Portal")
	resp, body = legal.post("/assessments/1/review", url.Values{"op": {"reject"}, "comment": {"  "}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("reject without a comment: %d", resp.StatusCode)
	}
	mustContain(t, "reject without a comment", body, `aria-describedby="review-comment-help review-comment-err" aria-invalid="true"`,
		`<ul class="errors" id="review-comment-err"><li>A rejection needs a comment.</li></ul>`, `id="approve"`, `id="reject"`)
	noDeadEnd(t, "reject without a comment", body)
	resp, body = legal.post("/assessments/1/review", url.Values{"op": {"approve"}, "comment": {"ok for go-live"}})
	if resp.StatusCode != http.StatusConflict {
		t.Errorf("approve with an open blocker: %d", resp.StatusCode)
	}
	mustContain(t, "approve with an open blocker", body, `id="review-error"`, "Still open:", `<ul id="open-blockers">`,
		`<li><a href="#action-`+id+`">`, `>ok for go-live</textarea>`, `id="act-`+id+`-justification"`)
	noDeadEnd(t, "approve with an open blocker", body)
	resp, body = legal.post("/actions/"+id, url.Values{"status": {"risk_accepted"}, "assessment": {"1"}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("accept a risk without a justification: %d", resp.StatusCode)
	}
	mustContain(t, "accept a risk without a justification", body, `aria-describedby="act-`+id+`-justification-help act-`+id+`-err" aria-invalid="true"`,
		"Accepting a risk needs a justification.")
	resp, body = legal.post("/actions/"+id, url.Values{"status": {"risk_accepted"}, "justification": {"Vendor SCCs signed 2026-11-01"}, "assessment": {"1"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("legal accepts a risk: %d %s", resp.StatusCode, body)
	}
	if resp, _ := legal.post("/assessments/1/review", url.Values{"op": {"approve"}, "comment": {"ok for go-live"}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("approve: %d", resp.StatusCode)
	}
	_, body = legal.get("/assessments/1?done=review")
	mustContain(t, "approved assessment", body, `id="review-state" class="review-approved_with_accepted_risks">Approved with accepted risks</strong>`,
		"Review state: Approved with accepted risks.", "ok for go-live", `id="audit"`, "accepted a risk", `id="accepted-risks"`,
		"<td>legal-user</td><td>Vendor SCCs signed 2026-11-01</td>")
	_, body = legal.get("/deployments")
	mustContain(t, "deployments list", body, "<td>Approved with accepted risks</td>")
	_, body = legal.get("/deployments?review=approved_with_accepted_risks")
	mustContain(t, "deployments approved with accepted risks", body, "1 deployments", ">Portal<", `<option value="approved_with_accepted_risks" selected>`)
	_, body = legal.get("/deployments/1")
	mustContain(t, "deployment page", body, `<dd id="review-state">Approved with accepted risks</dd>`)
	w.get("/lang/" + i18n.SimplifiedChinese + "?next=%2F")
	_, body = w.get("/assessments/1")
	mustContain(t, "approved assessment in Chinese", body, "已批准（已接受风险）", "已接受的风险")
	// a new assessment is compared with the approved one
	if resp, b := call(t, "POST", base+"/api/v1/deployments/1/assessments", eng, ""); resp.StatusCode != http.StatusCreated {
		t.Fatalf("evaluate again: %s", b)
	}
	_, body = legal.get("/assessments/2")
	mustContain(t, "second assessment", body, "Compared with the last reviewed assessment (revision 1, Approved with accepted risks):", `id="diff-against">#1<`, "Nothing changed.")
}

// noDeadEnd fails when a refused form ended on the error page rather than on its own page.
func noDeadEnd(t *testing.T, what, body string) {
	t.Helper()
	if strings.Contains(body, "Back to the start page") || strings.Contains(body, "<title>Something went wrong") {
		t.Errorf("%s ends on the error page", what)
	}
}

func TestWebDeploymentsList(t *testing.T) {
	base, tokens := testServer(t)
	eng := tokens[piaflow.RoleEngineer]
	for i := range 25 {
		country := []string{"DE", "FR", "CN"}[i%3]
		call(t, "POST", base+"/api/v1/deployments", eng, fmt.Sprintf(`{"name":"D%02d","customer":"Customer %d","customer_country":"%s"}`, i, i%5, country))
	}
	w := signIn(t, base, tokens[piaflow.RoleSales])
	_, body := w.get("/deployments")
	mustContain(t, "first page", body, "25 deployments, newest first", ">D24<", "Page 1 of 2", `rel="next"`)
	if strings.Index(body, ">D24<") > strings.Index(body, ">D23<") {
		t.Error("not newest first")
	}
	_, body = w.get("/deployments?page=2")
	mustContain(t, "second page", body, ">D00<", "Page 2 of 2", `rel="prev"`)
	_, body = w.get("/deployments?customer=customer+1&country=France")
	mustContain(t, "filtered", body, "2 deployments", ">D16<", ">D01<", `value="FR"`)
	if strings.Contains(body, ">D11<") {
		t.Error("the country filter lets D11 (CN) through")
	}
	// a long Chinese search term, a NUL and broken UTF-8 are searched for, not a 500
	for _, term := range []string{strings.Repeat("客户", 150), "a%00b", "%ff%fe"} {
		if resp, _ := w.get("/deployments?customer=" + term); resp.StatusCode != http.StatusOK {
			t.Errorf("search %q: %d", term, resp.StatusCode)
		}
	}
}

// TestSafeNext: a redirect target is a path of this site, never another host however spelled.
func TestSafeNext(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"/hosting-check?data=health", "/hosting-check?data=health"},
		{"/deployments/3", "/deployments/3"},
		{"", "/deployments"},
		{"https://evil.example", "/deployments"},
		{"//evil.example", "/deployments"},
		{`/\evil.example`, "/deployments"},
		{"/\t/evil.example", "/deployments"},
		{"/\n/evil.example", "/deployments"},
		{"/%09/evil.example", "/%09/evil.example"}, // stays escaped: a path on this site
		{"javascript:alert(1)", "/deployments"},
	} {
		if got := safeNext(tc.in); got != tc.want {
			t.Errorf("safeNext(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestTemplateCapabilities: every capability a template asks for (.Can "...") is one the
// authorisation table knows, so a misspelt name cannot silently hide a form.
func TestTemplateCapabilities(t *testing.T) {
	re := regexp.MustCompile(`\.Can "([a-z_]+)"`)
	files, err := fs.Glob(webFiles, "templates/*.html")
	if err != nil || len(files) == 0 {
		t.Fatalf("templates: %v", err)
	}
	seen := 0
	for _, f := range files {
		b, err := fs.ReadFile(webFiles, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			seen++
			if len(piaflow.RolesWith(piaflow.Capability(m[1]))) == 0 {
				t.Errorf("%s asks for capability %q, which no role has", f, m[1])
			}
		}
	}
	if seen == 0 {
		t.Error("no template asks for a capability")
	}
}

// TestRoleNamesTranslated: every role of the authorisation table has its name in every
// catalogue (the web UI shows it, e.g. on the 403 page).
func TestRoleNamesTranslated(t *testing.T) {
	cats := i18n.MustLoad()
	for _, lang := range i18n.Languages() {
		for _, role := range piaflow.Roles() {
			if cats.Get(lang).Or("role."+role, "") == "" {
				t.Errorf("%s: no role.%s", lang, role)
			}
		}
	}
}

// TestWebChineseCitations: a Chinese reader sees Chinese law by its official Chinese name and
// article, linked to the official Chinese text, laws by name instead of regime codes and
// countries by name; an English reader sees the English citations and names.
func TestWebChineseCitations(t *testing.T) {
	base, tokens := testServer(t)
	eng := tokens[piaflow.RoleEngineer]
	example, err := os.ReadFile("../examples/logistics-china-vietnam.yaml")
	if err != nil {
		t.Fatal(err)
	}
	call(t, "POST", base+"/api/v1/deployments", eng, `{"name":"Fleet","customer":"Logistics Co","customer_country":"CN"}`)
	callWith(t, "PUT", base+"/api/v1/deployments/1/questionnaire", eng, string(example), nil)
	if resp, b := call(t, "POST", base+"/api/v1/deployments/1/assessments", eng, ""); resp.StatusCode != http.StatusCreated {
		t.Fatalf("evaluate: %s", b)
	}
	w := signIn(t, base, eng)
	_, body := w.get("/assessments/1")
	mustContain(t, "English assessment page", body, "PIPL Art.", `href="http://en.npc.gov.cn.cdurl.cn/`, "China PIPL", "China")
	if resp, _ := w.get("/lang/zh-CN?next=%2Fassessments%2F1"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("switch to Chinese: %d", resp.StatusCode)
	}
	_, body = w.get("/assessments/1")
	mustContain(t, "Chinese assessment page", body, `<html lang="zh-CN">`, "《中华人民共和国个人信息保护法》第", "《促进和规范数据跨境流动规定》第",
		`href="http://www.npc.gov.cn/npc/c30834/202108/a8c4e3672c74491a80b53a172bb753fe.shtml"`, "《个人信息保护法》", "中国", "越南")
	for _, code := range []string{">CN_PIPL<", ">VN_PDPD<", ">PIPL Art. "} {
		if i := strings.Index(body, code); i >= 0 {
			t.Errorf("Chinese assessment page shows %q: …%s…", code, body[max(0, i-300):min(len(body), i+100)])
		}
	}
}

// TestWebAssessmentDPIAListsNotHeld: the DPIA card names, in the page's language, the countries
// whose Art. 35(4) list piaflow does not hold (a Czech controller here).
func TestWebAssessmentDPIAListsNotHeld(t *testing.T) {
	base, tokens := testServer(t)
	eng := tokens[piaflow.RoleEngineer]
	call(t, "POST", base+"/api/v1/deployments", eng, `{"name":"Portal","customer":"Klinikum Brno","customer_country":"CZ"}`)
	q := strings.Replace(mustExample(t), "customer_country: DE", "customer_country: CZ", 1)
	callWith(t, "PUT", base+"/api/v1/deployments/1/questionnaire", eng, q, nil)
	if resp, b := call(t, "POST", base+"/api/v1/deployments/1/assessments", eng, ""); resp.StatusCode != http.StatusCreated {
		t.Fatalf("evaluate: %s", b)
	}
	w := signIn(t, base, eng)
	_, body := w.get("/assessments/1")
	mustContain(t, "assessment page", body, `class="dpia-lists-not-held"`, "Art. 35(4) list not in piaflow&#39;s library", "Czechia (CZ)")
	w.get("/lang/" + i18n.SimplifiedChinese + "?next=%2F")
	_, body = w.get("/assessments/1")
	mustContain(t, "assessment page in Chinese", body, "piaflow 未收录其第35条第4款清单的国家", "捷克（CZ）")
}

// TestWebValidationInChinese: in Chinese the wizard shows the validator's problems in Chinese,
// and its list names each question by its label, the path second.
func TestWebValidationInChinese(t *testing.T) {
	base, tokens := testServer(t)
	w := signIn(t, base, tokens[piaflow.RoleEngineer])
	w.get("/lang/zh-CN?next=%2Fdeployments")
	w.post("/deployments", url.Values{"name": {"Portal"}, "customer": {"Klinikum Nord"}})
	resp, _ := w.post("/deployments/1/wizard", url.Values{"section": {"deployment"}, "etag": {""}, "op": {"submit"},
		"deployment.name": {"Portal"}, "deployment.customer": {"Klinikum Nord"}, "deployment.customer_country": {"XX"},
		"deployment.vendor_country": {"DE"}, "deployment.vendor_role": {"processor"}, "deployment.sector": {"healthcare"}})
	_, body := w.get(resp.Header.Get("Location"))
	mustContain(t, "wizard", body, `<ul class="errors" id="f-deployment-customer_country-err"><li>&#34;XX&#34; 不是 ISO 3166-1 二位字母国家代码</li></ul>`,
		`id="problems"`, `托管</a>: 为必填项 <code class="path">hosting</code>`)
}

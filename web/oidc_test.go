package web

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/api"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/assessments/store"
	"github.com/piaflow/piaflow/assessments/store/storetest"
	"github.com/piaflow/piaflow/internal/apitest"
	"github.com/piaflow/piaflow/internal/httpx"
	"github.com/piaflow/piaflow/internal/oidc"
	"github.com/piaflow/piaflow/internal/oidc/oidctest"
	"github.com/piaflow/piaflow/policies"
	"github.com/piaflow/piaflow/service"
)

// oidcServer starts piaflow with sign-in through a real OpenID provider on loopback (the
// zitadel example OP, oidctest) and returns piaflow's URL and store.
func oidcServer(t *testing.T) (string, *store.Store) {
	t.Helper()
	st := storetest.Open(t, "sqlite")
	apitest.Tokens(t, st) // engineer-user, legal-user, …: local users
	e, err := policies.Default()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	op := oidctest.Start(t, base+"/auth/oidc/callback",
		oidctest.User{Name: "alice", Groups: []string{"eng", "privacy"}},
		oidctest.User{Name: "sam", Groups: []string{"sales"}},
		oidctest.User{Name: "carol", Groups: []string{"marketing"}},
		oidctest.User{Name: "legal-user", Groups: []string{"piaflow-admins"}})
	roles, err := oidc.ParseRoleMap("piaflow-admins=admin,privacy=legal,eng=engineer,sales=sales")
	if err != nil {
		t.Fatal(err)
	}
	p, err := oidc.New(context.Background(), oidc.Config{Issuer: op.Issuer, ClientID: oidctest.ClientID, ClientSecret: oidctest.ClientSecret,
		RedirectURL: base + "/auth/oidc/callback", RoleMap: roles, Name: "Test IdP"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	svc := service.New(st, assessments.NewEvaluator(e))
	a := api.New(svc, log)
	Register(a.Echo(), svc, log, a.Catalogs(), WithOIDC(p))
	srv.Config.Handler = a.Handler()
	srv.Start()
	t.Cleanup(srv.Close)
	return base, st
}

// browser is an HTTP client with a cookie jar that records the callback URLs it follows.
func browser(callbacks *[]string) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(r *http.Request, via []*http.Request) error {
		if r.URL.Path == "/auth/oidc/callback" && callbacks != nil {
			*callbacks = append(*callbacks, r.URL.String())
		}
		if len(via) > 20 {
			return errors.New("too many redirects")
		}
		return nil
	}}
}

func sessionOf(c *http.Client, base string) string {
	u, _ := url.Parse(base)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == httpx.SessionCookie {
			return ck.Value
		}
	}
	return ""
}

func TestOIDCSignIn(t *testing.T) {
	base, st := oidcServer(t)
	ctx := context.Background()

	t.Run("login page offers the provider", func(t *testing.T) {
		for lang, want := range map[string]string{"en": "Sign in with Test IdP", "zh-CN": "使用 Test IdP 登录"} {
			req, _ := http.NewRequest(http.MethodGet, base+"/login?next=/reviews", nil)
			req.Header.Set("Accept-Language", lang)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body := string(mustRead(t, resp))
			mustContain(t, "login page "+lang, body, want, `href="/auth/oidc/login?next=%2freviews"`, `id="login-token"`)
		}
	})

	t.Run("success: session, role mapped, next kept, callback not replayable", func(t *testing.T) {
		var callbacks []string
		c := browser(&callbacks)
		resp, body := oidctest.Login(t, c, base+"/auth/oidc/login?next=/reviews", "alice")
		if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/reviews" {
			t.Fatalf("after sign-in: %d at %s: %.300s", resp.StatusCode, resp.Request.URL, body)
		}
		if sessionOf(c, base) == "" {
			t.Fatal("no session cookie")
		}
		u, err := st.UserByName(ctx, "alice")
		if err != nil || u.Role != piaflow.RoleLegal || !u.External() {
			t.Fatalf("user alice: %+v %v (want legal, external)", u, err)
		}
		// the session authenticates API calls as token sign-in's does
		req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/deployments", nil)
		resp, err = c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		mustRead(t, resp)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("API with the OIDC session: %d", resp.StatusCode)
		}
		if len(callbacks) != 1 {
			t.Fatalf("callbacks %v", callbacks)
		}
		resp, err = c.Get(callbacks[0])
		if err != nil {
			t.Fatal(err)
		}
		body = string(mustRead(t, resp))
		if resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("replayed callback: %d, want 400", resp.StatusCode)
		}
		mustContain(t, "replayed callback", body, "Start again from the sign-in page")
		// a second sign-in finds the same user, not a new one
		c2 := browser(nil)
		if resp, body := oidctest.Login(t, c2, base+"/auth/oidc/login", "alice"); resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/deployments" {
			t.Fatalf("second sign-in: %d at %s: %.300s", resp.StatusCode, resp.Request.URL, body)
		}
		if again, _ := st.UserByName(ctx, "alice"); again.ID != u.ID {
			t.Fatalf("second sign-in made user %d, want %d", again.ID, u.ID)
		}
		events, err := st.AuditLog(ctx, "user", u.ID, 10)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range events {
			if e.Actor != "alice" {
				t.Errorf("audit event %s by %q, want alice", e.Action, e.Actor)
			}
			actions = append(actions, e.Action)
		}
		if got := strings.Join(actions, ","); strings.Count(got, "sign_in_oidc") != 2 || strings.Count(got, "create_user") != 1 {
			t.Fatalf("audit log of alice: %s, want one create_user and two sign_in_oidc", got)
		}
	})

	t.Run("sales lands on the hosting check", func(t *testing.T) {
		resp, body := oidctest.Login(t, browser(nil), base+"/auth/oidc/login", "sam")
		if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/hosting-check" {
			t.Fatalf("sales sign-in: %d at %s: %.300s", resp.StatusCode, resp.Request.URL, body)
		}
	})

	t.Run("no mapped group: 403, no user", func(t *testing.T) {
		c := browser(nil)
		resp, body := oidctest.Login(t, c, base+"/auth/oidc/login", "carol")
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("carol: %d, want 403", resp.StatusCode)
		}
		mustContain(t, "no role", body, "none of your groups or roles is mapped to a piaflow role")
		if _, err := st.UserByName(ctx, "carol"); !errors.Is(err, piaflow.ErrNotFound) {
			t.Fatalf("user carol: %v, want not found", err)
		}
		if sessionOf(c, base) != "" {
			t.Fatal("a session without a role")
		}
	})

	t.Run("a local user's name is not taken over", func(t *testing.T) {
		resp, body := oidctest.Login(t, browser(nil), base+"/auth/oidc/login", "legal-user")
		if resp.StatusCode != http.StatusConflict {
			t.Fatalf("legal-user from the provider: %d, want 409", resp.StatusCode)
		}
		mustContain(t, "name taken", body, "legal-user")
		if u, _ := st.UserByName(ctx, "legal-user"); u.Role != piaflow.RoleLegal || u.External() {
			t.Fatalf("local user changed: %+v", u)
		}
	})

	t.Run("wrong state refused", func(t *testing.T) {
		c := browser(nil)
		c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		resp, err := c.Get(base + "/auth/oidc/login")
		if err != nil {
			t.Fatal(err)
		}
		mustRead(t, resp)
		loc, err := resp.Location()
		if err != nil || resp.StatusCode != http.StatusFound {
			t.Fatalf("login: %d %v", resp.StatusCode, err)
		}
		for _, want := range []string{"code_challenge_method=S256", "nonce=", "state="} {
			if !strings.Contains(loc.RawQuery, want) {
				t.Fatalf("authorization URL without %s: %s", want, loc)
			}
		}
		ck := cookieNamed(resp, oidcCookie)
		if ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/auth/oidc" {
			t.Fatalf("state cookie %+v", ck)
		}
		resp, err = c.Get(base + "/auth/oidc/callback?state=forged&code=forged")
		if err != nil {
			t.Fatal(err)
		}
		mustRead(t, resp)
		if resp.StatusCode != http.StatusBadRequest || sessionOf(c, base) != "" {
			t.Fatalf("forged state: %d, want 400 and no session", resp.StatusCode)
		}
	})
}

func mustRead(t *testing.T, resp *http.Response) []byte {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

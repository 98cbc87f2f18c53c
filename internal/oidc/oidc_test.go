package oidc

import (
	"context"
	"errors"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/piaflow/piaflow/internal/oidc/oidctest"
)

// redirectURL is the callback the client registers; the tests stop at the provider's redirect
// to it and call Finish themselves.
const redirectURL = "http://127.0.0.1:1/auth/oidc/callback"

var testRoles = map[string]string{"piaflow-admins": "admin", "privacy": "legal", "eng": "engineer", "sales": "sales"}

func newTestProvider(t *testing.T) *Provider {
	t.Helper()
	op := oidctest.Start(t, redirectURL,
		oidctest.User{Name: "alice", Groups: []string{"eng", "privacy"}},
		oidctest.User{Name: "carol", Groups: []string{"marketing"}})
	p, err := New(context.Background(), Config{Issuer: op.Issuer, ClientID: oidctest.ClientID, ClientSecret: oidctest.ClientSecret,
		RedirectURL: redirectURL, RoleMap: testRoles}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// authorize signs user in at the provider and returns the callback's query (code and state),
// without following the redirect to the application.
func authorize(t *testing.T, authURL, user string) url.Values {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, CheckRedirect: func(r *http.Request, _ []*http.Request) error {
		if strings.HasPrefix(r.URL.String(), redirectURL) {
			return http.ErrUseLastResponse
		}
		return nil
	}}
	resp, body := oidctest.Login(t, client, authURL, user)
	loc, err := resp.Location()
	if err != nil || !strings.HasPrefix(loc.String(), redirectURL) {
		t.Fatalf("provider did not redirect to the callback: %d %v %.300s", resp.StatusCode, err, body)
	}
	return loc.Query()
}

func TestFinish(t *testing.T) {
	p := newTestProvider(t)
	tests := []struct {
		name    string
		user    string
		tamper  func(id string, q url.Values) (string, url.Values)
		want    error
		wantMsg string
		role    string
	}{
		{name: "success, highest mapped role", user: "alice", role: "legal"},
		{name: "no mapped group", user: "carol", want: ErrNoRole},
		{name: "wrong state", user: "alice", want: ErrRefused, wantMsg: "state",
			tamper: func(id string, q url.Values) (string, url.Values) { q.Set("state", "forged"); return id, q }},
		{name: "unknown sign-in id", user: "alice", want: ErrRefused, wantMsg: "no sign-in",
			tamper: func(_ string, q url.Values) (string, url.Values) { return "forged", q }},
		{name: "nonce mismatch", user: "alice", want: ErrRefused, wantMsg: "nonce",
			tamper: func(id string, q url.Values) (string, url.Values) {
				p.mu.Lock()
				pd := p.pending[id]
				pd.nonce = "another-nonce"
				p.pending[id] = pd
				p.mu.Unlock()
				return id, q
			}},
		{name: "wrong PKCE verifier", user: "alice", want: ErrRefused, wantMsg: "code exchange",
			tamper: func(id string, q url.Values) (string, url.Values) {
				p.mu.Lock()
				pd := p.pending[id]
				pd.verifier = oauth2.GenerateVerifier()
				p.pending[id] = pd
				p.mu.Unlock()
				return id, q
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, authURL, err := p.Begin("/deployments/1")
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{"code_challenge_method=S256", "code_challenge=", "nonce=", "state="} {
				if !strings.Contains(authURL, want) {
					t.Fatalf("authorization URL without %s: %s", want, authURL)
				}
			}
			q := authorize(t, authURL, tt.user)
			if tt.tamper != nil {
				id, q = tt.tamper(id, q)
			}
			ident, next, err := p.Finish(context.Background(), id, q.Get("state"), q.Get("code"))
			if tt.want != nil {
				if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.wantMsg) {
					t.Fatalf("Finish: %v, want %v (%q)", err, tt.want, tt.wantMsg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if ident.Role != tt.role || ident.Name != tt.user || ident.Subject == "" || next != "/deployments/1" {
				t.Fatalf("identity %+v next %q", ident, next)
			}
			// the callback replayed: the started sign-in was used up
			if _, _, err := p.Finish(context.Background(), id, q.Get("state"), q.Get("code")); !errors.Is(err, ErrRefused) {
				t.Fatalf("replayed callback: %v, want ErrRefused", err)
			}
		})
	}
}

// TestPKCERequired: the code of a sign-in started with a PKCE challenge is not exchanged
// without the verifier (the provider enforces the challenge Begin sent).
func TestPKCERequired(t *testing.T) {
	p := newTestProvider(t)
	_, authURL, err := p.Begin("")
	if err != nil {
		t.Fatal(err)
	}
	q := authorize(t, authURL, "alice")
	if _, err := p.oauth.Exchange(context.Background(), q.Get("code")); err == nil {
		t.Fatal("the code was exchanged without the PKCE verifier")
	}
}

func TestParseRoleMap(t *testing.T) {
	tests := []struct {
		in   string
		want map[string]string
		ok   bool
	}{
		{"piaflow-admins=admin, privacy=legal,eng=engineer,sales=sales", map[string]string{"piaflow-admins": "admin", "privacy": "legal", "eng": "engineer", "sales": "sales"}, true},
		{"admins=root", nil, false},
		{"admins", nil, false},
		{"", nil, false},
	}
	for _, tt := range tests {
		got, err := ParseRoleMap(tt.in)
		if (err == nil) != tt.ok || len(got) != len(tt.want) {
			t.Fatalf("ParseRoleMap(%q) = %v, %v", tt.in, got, err)
		}
		for k, v := range tt.want {
			if got[k] != v {
				t.Fatalf("ParseRoleMap(%q)[%q] = %q, want %q", tt.in, k, got[k], v)
			}
		}
	}
}

func TestDiscoveryError(t *testing.T) {
	_, err := New(context.Background(), Config{Issuer: "http://127.0.0.1:1/", ClientID: "x", RedirectURL: redirectURL, RoleMap: testRoles}, nil)
	if err == nil || !strings.Contains(err.Error(), "discover http://127.0.0.1:1/") {
		t.Fatalf("New with no provider: %v", err)
	}
}

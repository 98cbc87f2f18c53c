package main

import (
	"context"
	"strings"
	"testing"

	"github.com/piaflow/piaflow/internal/oidc/oidctest"
)

// TestServeOIDCFlags: an incomplete OpenID Connect configuration is a usage error, an
// unreachable provider stops serve with the discovery error, before anything is opened.
func TestServeOIDCFlags(t *testing.T) {
	for _, args := range [][]string{
		{"serve", "--oidc-issuer", "http://127.0.0.1:1/"},
		{"serve", "--oidc-issuer", "http://127.0.0.1:1/", "--oidc-client-id", "piaflow"},
		{"serve", "--oidc-issuer", "http://127.0.0.1:1/", "--oidc-client-id", "piaflow", "--oidc-role-map", "admins=root"},
	} {
		if code, _, _ := runCLI(t, args...); code != exitUsage {
			t.Errorf("%v: exit %d, want usage", args, code)
		}
	}
	code, _, stderr := runCLI(t, "serve", "--data-dir", t.TempDir(), "--oidc-issuer", "http://127.0.0.1:1/", "--oidc-client-id", "piaflow", "--oidc-role-map", "admins=admin")
	if code == 0 || !strings.Contains(stderr, "oidc: discover http://127.0.0.1:1/") {
		t.Errorf("unreachable provider: exit %d, %q", code, stderr)
	}
}

// TestOIDCProviderFromFlags discovers the provider on loopback from the flags' values, with the
// default redirect URL and scopes.
func TestOIDCProviderFromFlags(t *testing.T) {
	op := oidctest.Start(t, "http://127.0.0.1:8080/auth/oidc/callback")
	p, err := oidcProvider(context.Background(), oidcFlags{issuer: op.Issuer, clientID: oidctest.ClientID, secret: oidctest.ClientSecret,
		claim: "groups", roleMap: "eng=engineer", scopes: "openid,profile,email", addr: "127.0.0.1:8080"})
	if err != nil {
		t.Fatal(err)
	}
	_, authURL, err := p.Begin("")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2Fauth%2Foidc%2Fcallback", "scope=openid+profile+email&", "client_id=piaflow"} {
		if !strings.Contains(authURL, want) {
			t.Errorf("authorization URL %s without %s", authURL, want)
		}
	}
	if p.Name() != strings.TrimSuffix(strings.TrimPrefix(op.Issuer, "http://"), "/") {
		t.Errorf("provider name %q", p.Name())
	}
}

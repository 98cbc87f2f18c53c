package web

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/piaflow/piaflow/internal/oidc/oidctest"
)

// TestBrowserOIDC signs in through the OpenID provider (the zitadel example OP on loopback) in
// headless Chromium: the sign-in page's "Sign in with Test IdP", the provider's login form, back
// to the page asked for, signed in as the provider's user with the mapped role's pages.
func TestBrowserOIDC(t *testing.T) {
	path := chromium(t)
	base, _ := oidcServer(t)
	b := startBrowser(t, path, base, 60*time.Second)("alice (OpenID Connect)")
	b.do(chromedp.Navigate(base+"/reviews"),
		chromedp.WaitVisible(chromedp.ID("login-oidc")))
	b.expect("#login-oidc", "Sign in with Test IdP")
	b.do(chromedp.Click(chromedp.ID("login-oidc")),
		chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), "alice"),
		chromedp.SendKeys(chromedp.ID("password"), oidctest.Password),
		chromedp.Submit(chromedp.ID("password")),
		chromedp.WaitVisible(chromedp.ID("who")))
	b.expect("#who", "alice")
	loc, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if loc != base+"/reviews" {
		t.Fatalf("after sign-in at %s, want %s/reviews (the page asked for)", loc, base)
	}
}

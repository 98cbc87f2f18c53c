package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v5"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/internal/httpx"
	"github.com/piaflow/piaflow/internal/oidc"
)

// oidcCookie holds the id of a started OpenID Connect sign-in (its state, nonce and PKCE
// verifier stay on the server, in oidc.Provider) until the provider's callback.
const oidcCookie = "piaflow_oidc"

// oidcCookiePath limits the state cookie to the sign-in routes.
const oidcCookiePath = "/auth/oidc"

// oidcLogin starts a sign-in with the OpenID provider and sends the browser there.
func (s *UI) oidcLogin(c *echo.Context) error {
	next := c.QueryParam("next")
	if safeNext(next) != next {
		next = ""
	}
	id, authURL, err := s.oidc.Begin(next)
	if errors.Is(err, oidc.ErrRefused) {
		return s.renderError(c, http.StatusServiceUnavailable, "ui.oidc.busy")
	}
	if err != nil {
		return err
	}
	// SameSite=Lax: the provider's redirect back is a top-level GET from another site.
	c.SetCookie(&http.Cookie{Name: oidcCookie, Value: id, Path: oidcCookiePath, MaxAge: int(oidc.PendingTTL.Seconds()),
		HttpOnly: true, Secure: c.Scheme() == "https", SameSite: http.SameSiteLaxMode})
	return c.Redirect(http.StatusFound, authURL)
}

// oidcCallback finishes the sign-in: the state, the code exchange with the PKCE verifier, the ID
// token and its nonce are checked (oidc.Provider.Finish), the roles claim mapped; then the user
// is created or updated and signed in with a session, as with a token.
func (s *UI) oidcCallback(c *echo.Context) error {
	ctx := c.Request().Context()
	id := ""
	if ck, err := c.Cookie(oidcCookie); err == nil {
		id = ck.Value
	}
	// the started sign-in is used once, whatever the outcome
	c.SetCookie(&http.Cookie{Name: oidcCookie, Value: "", Path: oidcCookiePath, MaxAge: -1, HttpOnly: true,
		Secure: c.Scheme() == "https", SameSite: http.SameSiteLaxMode})
	q := c.Request().URL.Query()
	if e := q.Get("error"); e != "" {
		s.log.WarnContext(ctx, "oidc sign-in: the provider refused", "error", printable(e, 100), "request_id", httpx.RequestID(c))
		return s.renderError(c, http.StatusForbidden, "ui.oidc.refused")
	}
	ident, next, err := s.oidc.Finish(ctx, id, q.Get("state"), q.Get("code"))
	switch {
	case errors.Is(err, oidc.ErrNoRole):
		s.log.WarnContext(ctx, "oidc sign-in: no mapped role", "subject", ident.Subject, "name", ident.Name, "request_id", httpx.RequestID(c))
		return s.renderError(c, http.StatusForbidden, "ui.oidc.no_role")
	case errors.Is(err, oidc.ErrRefused):
		s.log.WarnContext(ctx, "oidc sign-in refused", "error", err, "ip", c.RealIP(), "request_id", httpx.RequestID(c))
		return s.renderError(c, http.StatusBadRequest, "ui.oidc.failed")
	case err != nil:
		return err
	}
	old := ""
	if ck, err := c.Cookie(httpx.SessionCookie); err == nil {
		old = ck.Value
	}
	secret, u, err := s.svc.SignInExternal(ctx, ident.Issuer, ident.Subject, ident.Name, ident.Role, old)
	if errors.Is(err, piaflow.ErrConflict) {
		s.log.WarnContext(ctx, "oidc sign-in: name taken", "name", ident.Name, "request_id", httpx.RequestID(c))
		return s.renderError(c, http.StatusConflict, "ui.oidc.name_taken", "name", ident.Name)
	}
	if err != nil {
		return err
	}
	s.log.InfoContext(ctx, "signed in", "user", u.Name, "role", u.Role, "via", "oidc", "request_id", httpx.RequestID(c))
	s.setCookie(c, httpx.SessionCookie, secret, int(piaflow.SessionTTL.Seconds()))
	return c.Redirect(http.StatusSeeOther, landing(u, next))
}

// printable keeps at most n printable ASCII characters of s (for the log).
func printable(s string, n int) string {
	out := make([]byte, 0, min(len(s), n))
	for i := 0; i < len(s) && len(out) < n; i++ {
		if s[i] >= 0x20 && s[i] < 0x7f {
			out = append(out, s[i])
		}
	}
	return string(out)
}

// Package oidc signs people in to the web UI with an OpenID Connect provider: the authorization
// code flow with PKCE (S256), state and nonce, the ID token verified by github.com/coreos/go-oidc
// (issuer, audience, expiry, signature), and a groups or roles claim mapped to a piaflow role.
// Package web drives it; tokens stay the way to the API.
package oidc

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/piaflow/piaflow"
)

// Bounds of the sign-in flow (docs/limits.md).
const (
	// PendingTTL is how long a started sign-in (its state, nonce and PKCE verifier) waits for
	// the provider's callback; the state cookie lives as long.
	PendingTTL = 10 * time.Minute
	// MaxPending bounds the sign-ins started and not finished, server-wide; more are refused
	// until some expire.
	MaxPending = 10_000
	// DiscoveryTimeout bounds the provider discovery at start-up.
	DiscoveryTimeout = 15 * time.Second
	// ExchangeTimeout bounds the code exchange with the provider.
	ExchangeTimeout = 15 * time.Second
	// MaxRoleValues bounds the values of the roles claim read (the rest are ignored).
	MaxRoleValues = 1000
)

// Errors of Finish: ErrRefused (the callback does not belong to a sign-in started here, or the
// provider's answer does not verify) and ErrNoRole (verified, but no value of the roles claim is
// mapped to a piaflow role).
var (
	ErrRefused = errors.New("oidc: sign-in refused")
	ErrNoRole  = errors.New("oidc: no mapped role")
)

// Config is the provider and client configuration (piaflow serve --oidc-* flags).
type Config struct {
	// Issuer is the provider's issuer URL (discovery at Issuer/.well-known/openid-configuration).
	Issuer string
	// ClientID and ClientSecret are the client registered with the provider.
	ClientID, ClientSecret string
	// RedirectURL is this server's callback, <base>/auth/oidc/callback.
	RedirectURL string
	// RolesClaim names the ID token claim holding the groups or roles (a string or a list).
	RolesClaim string
	// RoleMap maps a value of the roles claim to a piaflow role.
	RoleMap map[string]string
	// Scopes are requested besides openid (default: profile, email).
	Scopes []string
	// Name is shown on the sign-in button ("Sign in with <Name>"); default: the issuer's host.
	Name string
}

// ParseRoleMap reads "group=role,group=role" (roles: piaflow.Roles()).
func ParseRoleMap(s string) (map[string]string, error) {
	m := map[string]string{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		group, role, ok := strings.Cut(part, "=")
		group, role = strings.TrimSpace(group), strings.TrimSpace(role)
		if !ok || group == "" {
			return nil, fmt.Errorf("role map: %q is not GROUP=ROLE", part)
		}
		if !slices.Contains(piaflow.Roles(), role) {
			return nil, fmt.Errorf("role map: %q: role %q is not one of %s", part, role, strings.Join(piaflow.Roles(), ", "))
		}
		m[group] = role
	}
	if len(m) == 0 {
		return nil, errors.New("role map: empty (give GROUP=ROLE pairs, e.g. piaflow-admins=admin)")
	}
	return m, nil
}

// Identity is a verified sign-in.
type Identity struct {
	// Issuer and Subject identify the person at the provider.
	Issuer, Subject string
	// Name is the preferred_username (else the email, else the subject), cut to
	// piaflow.MaxUserNameLength characters.
	Name string
	// Role is the highest piaflow role the roles claim maps to.
	Role string
}

// pending is a started sign-in, kept server-side under a random id (the state cookie's value).
type pending struct {
	state, nonce, verifier, next string
	expires                      time.Time
}

// Provider is a discovered OpenID provider with its client; it keeps the started sign-ins.
type Provider struct {
	cfg      Config
	oauth    oauth2.Config
	verifier *gooidc.IDTokenVerifier
	client   *http.Client
	now      func() time.Time

	mu      sync.Mutex
	pending map[string]pending
}

// New discovers the provider (bounded by DiscoveryTimeout) with the HTTP client (nil: a default
// client) and checks the configuration.
func New(ctx context.Context, cfg Config, client *http.Client) (*Provider, error) {
	if cfg.Issuer == "" || cfg.ClientID == "" || cfg.RedirectURL == "" {
		return nil, errors.New("oidc: the issuer, the client id and the redirect URL are required")
	}
	if len(cfg.RoleMap) == 0 {
		return nil, errors.New("oidc: a role map is required (--oidc-role-map GROUP=ROLE,...)")
	}
	if cfg.RolesClaim == "" {
		cfg.RolesClaim = "groups"
	}
	if cfg.Scopes == nil {
		cfg.Scopes = []string{"profile", "email"}
	}
	if client == nil {
		client = &http.Client{Timeout: ExchangeTimeout}
	}
	dctx, cancel := context.WithTimeout(gooidc.ClientContext(ctx, client), DiscoveryTimeout)
	defer cancel()
	p, err := gooidc.NewProvider(dctx, cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("oidc: discover %s (within %s): %w", cfg.Issuer, DiscoveryTimeout, err)
	}
	if cfg.Name == "" {
		cfg.Name = cfg.Issuer
		if _, rest, ok := strings.Cut(cfg.Issuer, "://"); ok {
			cfg.Name, _, _ = strings.Cut(rest, "/")
		}
	}
	return &Provider{
		cfg: cfg,
		oauth: oauth2.Config{ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, RedirectURL: cfg.RedirectURL,
			Endpoint: p.Endpoint(), Scopes: append([]string{gooidc.ScopeOpenID}, cfg.Scopes...)},
		verifier: p.Verifier(&gooidc.Config{ClientID: cfg.ClientID}),
		client:   client,
		now:      time.Now,
		pending:  map[string]pending{},
	}, nil
}

// Name is the provider's name for the sign-in button.
func (p *Provider) Name() string { return p.cfg.Name }

// Begin starts a sign-in that returns to next: it returns the id to keep in the state cookie
// and the provider's authorization URL (with state, nonce and the S256 PKCE challenge).
// Errors: ErrRefused when MaxPending sign-ins are waiting.
func (p *Provider) Begin(next string) (id, authURL string, err error) {
	var vals [3]string
	for i := range vals {
		if vals[i], err = random(); err != nil {
			return "", "", err
		}
	}
	id, state, nonce := vals[0], vals[1], vals[2]
	verifier := oauth2.GenerateVerifier()
	now := p.now()
	p.mu.Lock()
	for k, v := range p.pending {
		if now.After(v.expires) {
			delete(p.pending, k)
		}
	}
	if len(p.pending) >= MaxPending {
		p.mu.Unlock()
		return "", "", fmt.Errorf("%w: too many sign-ins waiting for the provider: try again in a few minutes", ErrRefused)
	}
	p.pending[id] = pending{state: state, nonce: nonce, verifier: verifier, next: next, expires: now.Add(PendingTTL)}
	p.mu.Unlock()
	return id, p.oauth.AuthCodeURL(state, gooidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)), nil
}

// Finish completes the sign-in kept under id with the callback's state and code: it takes the
// started sign-in (once: a replayed callback finds nothing), checks the state, exchanges the code
// with the PKCE verifier, verifies the ID token and its nonce and maps the roles claim. It
// returns the identity and the next page given to Begin. Errors: ErrRefused, ErrNoRole.
func (p *Provider) Finish(ctx context.Context, id, state, code string) (Identity, string, error) {
	p.mu.Lock()
	pd, ok := p.pending[id]
	delete(p.pending, id)
	p.mu.Unlock()
	if !ok || id == "" || p.now().After(pd.expires) {
		return Identity{}, "", fmt.Errorf("%w: no sign-in was started in this browser, or it expired", ErrRefused)
	}
	if subtle.ConstantTimeCompare([]byte(state), []byte(pd.state)) != 1 {
		return Identity{}, "", fmt.Errorf("%w: the state does not match", ErrRefused)
	}
	if code == "" {
		return Identity{}, "", fmt.Errorf("%w: the provider sent no code", ErrRefused)
	}
	ctx, cancel := context.WithTimeout(gooidc.ClientContext(ctx, p.client), ExchangeTimeout)
	defer cancel()
	tok, err := p.oauth.Exchange(ctx, code, oauth2.VerifierOption(pd.verifier))
	if err != nil {
		return Identity{}, "", fmt.Errorf("%w: code exchange: %v", ErrRefused, err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return Identity{}, "", fmt.Errorf("%w: the provider sent no ID token", ErrRefused)
	}
	idt, err := p.verifier.Verify(ctx, raw)
	if err != nil {
		return Identity{}, "", fmt.Errorf("%w: ID token: %v", ErrRefused, err)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(pd.nonce)) != 1 {
		return Identity{}, "", fmt.Errorf("%w: the ID token's nonce does not match", ErrRefused)
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return Identity{}, "", fmt.Errorf("%w: ID token claims: %v", ErrRefused, err)
	}
	ident := Identity{Issuer: idt.Issuer, Subject: idt.Subject, Name: userName(claims, idt.Subject)}
	ident.Role = p.role(claims[p.cfg.RolesClaim])
	if ident.Role == "" {
		return ident, "", fmt.Errorf("%w: no value of the %q claim is mapped to a piaflow role", ErrNoRole, p.cfg.RolesClaim)
	}
	return ident, pd.next, nil
}

// role is the highest piaflow role (see rank) the claim's
// values map to, "" for none.
func (p *Provider) role(claim any) string {
	var values []string
	switch v := claim.(type) {
	case string:
		values = []string{v}
	case []any:
		for _, x := range v[:min(len(v), MaxRoleValues)] {
			if s, ok := x.(string); ok {
				values = append(values, s)
			}
		}
	}
	best := ""
	for _, v := range values {
		if r, ok := p.cfg.RoleMap[v]; ok && rank(r) > rank(best) {
			best = r
		}
	}
	return best
}

// rank orders the roles by what they may do: admin above legal above engineer above sales.
func rank(role string) int {
	switch role {
	case piaflow.RoleAdmin:
		return 4
	case piaflow.RoleLegal:
		return 3
	case piaflow.RoleEngineer:
		return 2
	case piaflow.RoleSales:
		return 1
	}
	return 0
}

// userName is preferred_username, else email, else the subject, cut to
// piaflow.MaxUserNameLength characters without control characters.
func userName(claims map[string]any, subject string) string {
	name := subject
	for _, k := range []string{"preferred_username", "email"} {
		if s, ok := claims[k].(string); ok && strings.TrimSpace(s) != "" {
			name = s
			break
		}
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, strings.TrimSpace(name))
	if utf8.RuneCountInString(name) > piaflow.MaxUserNameLength {
		name = string([]rune(name)[:piaflow.MaxUserNameLength])
	}
	return name
}

func random() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("oidc: random: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

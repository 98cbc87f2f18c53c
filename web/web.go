// Package web is piaflow's web UI: server-rendered html/template pages over package service, in
// English or Simplified Chinese, signed in with a session cookie. Register mounts it on the API
// server's Echo instance (package api), so both share one origin, one session and one error table
// (internal/httpx).
package web

import (
	"bytes"
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/labstack/echo/v5"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/i18n"
	"github.com/piaflow/piaflow/internal/httpx"
	"github.com/piaflow/piaflow/internal/oidc"
	"github.com/piaflow/piaflow/internal/ratelimit"
	"github.com/piaflow/piaflow/policies"
	"github.com/piaflow/piaflow/service"
	"github.com/piaflow/piaflow/web/form"
)

// The web UI: server-rendered html/template pages over the same store and evaluator as the JSON
// API, signed in with a session cookie, in English or Simplified Chinese. Pages work without
// JavaScript; web/static/app.js only enhances them.

//go:embed templates static
var webFiles embed.FS

// Cookies of the web UI.
const (
	langCookie = "piaflow_lang"
	// loginCookie carries the sign-in form's CSRF token (double submit) before a session exists.
	loginCookie = "piaflow_login"
	csrfKey     = "piaflow.csrf"
	langKey     = "piaflow.lang"
)

// contentSecurityPolicy allows nothing inline and nothing from other origins.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

// webUI holds what every page needs, built once in New.
type webUI struct {
	pages  map[string]*template.Template
	static fs.FS
	// countries lists every country per language, sorted by name; byName maps a lower-case
	// name in any language to its code.
	countries map[string][]option
	// regions lists every catalogued cloud region per language, labelled with its provider and
	// country (the datalist of the hosting sites' region fields).
	regions map[string][]option
	names   map[string]map[string]string
	byName  map[string]string
	// forms holds the field labels, help texts and options per language (form.go).
	forms map[string]*form.Text
	// results caches decoded assessment results (pages.go).
	results *resultCache
}

// option is one choice of a select, a checkbox list or the country list.
type option = form.Option

// pageNames are the templates under web/templates (besides layout.html and partials.html).
var pageNames = []string{"login", "error", "deployments", "deployment", "wizard", "assessment", "reviews", "hosting", "compare", "settings", "propagations", "propagation",
	"products", "product", "processors", "processor", "impact", "source"}

func newWebUI(cats *i18n.Catalogs) (*webUI, error) {
	ui := &webUI{pages: map[string]*template.Template{}, countries: map[string][]option{}, regions: map[string][]option{}, names: map[string]map[string]string{},
		byName: map[string]string{}, forms: map[string]*form.Text{}, results: newResultCache(ResultCacheBytes)}
	static, err := fs.Sub(webFiles, "static")
	if err != nil {
		return nil, fmt.Errorf("web ui: %w", err)
	}
	ui.static = static
	funcs := template.FuncMap{
		"has":   slices.Contains[[]string],
		"add":   func(a, b int) int { return a + b },
		"upper": strings.ToUpper,
		// pathEscape escapes a name (a product's, a register entry's) as one segment of a path.
		"pathEscape": url.PathEscape,
		// dict passes the page's view and a value to a template.
		"dict": func(v, x any) map[string]any { return map[string]any{"V": v, "X": x} },
		// yes is an optional boolean's value (false when unset).
		"yes": func(b *bool) bool { return b != nil && *b },
	}
	for _, name := range pageNames {
		t, err := template.New(name).Funcs(funcs).ParseFS(webFiles, "templates/layout.html", "templates/partials.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("web ui: parse %s: %w", name, err)
		}
		ui.pages[name] = t
	}
	catalogue, err := policies.Regions()
	if err != nil {
		return nil, fmt.Errorf("web ui: %w", err)
	}
	en := display.Regions(language.English)
	for _, code := range policies.CountryCodes() {
		if r, err := language.ParseRegion(code); err == nil {
			// common short names too ("Russia", "South Korea"), for the country pickers
			if n := en.Name(r); n != "" {
				ui.byName[strings.ToLower(n)] = code
			}
		}
	}
	for _, lang := range i18n.Languages() {
		names := map[string]string{}
		var opts []option
		l := cats.Get(lang)
		for _, code := range policies.CountryCodes() {
			n := l.Country(code)
			names[code] = n
			opts = append(opts, option{Value: code, Label: n})
			ui.byName[strings.ToLower(n)] = code
		}
		sort.SliceStable(opts, func(i, j int) bool { return opts[i].Label < opts[j].Label })
		ui.countries[lang], ui.names[lang] = opts, names
		ui.regions[lang] = regionOptions(catalogue, l)
		ui.forms[lang] = form.NewText(cats.Get(lang))
	}
	return ui, nil
}

// UI serves the web UI's pages over one service.
type UI struct {
	e    *echo.Echo
	svc  *service.Service
	log  *slog.Logger
	cats *i18n.Catalogs
	// ui holds the parsed templates and lookup tables.
	ui *webUI
	// signIns bounds failed sign-ins per client address (the connection's, not a header's).
	signIns *ratelimit.Limiter
	// oidc is the OpenID provider of "Sign in with <provider>" (nil: token sign-in only).
	oidc *oidc.Provider
}

// Option configures Register.
type Option func(*UI)

// WithOIDC offers sign-in with an OpenID provider besides token sign-in (oidc.go).
func WithOIDC(p *oidc.Provider) Option { return func(s *UI) { s.oidc = p } }

// Sign-in attempts per client address (docs/limits.md): SignInsPerMinute a minute after a burst
// of SignInBurst, for at most SignInClients addresses at once.
const (
	SignInsPerMinute = 10
	SignInBurst      = 5
	SignInClients    = 10_000
)

// Register adds the web UI to e (pages under /, static files under /static) over svc, with the
// translation catalogues cats (the API server's: api.Server.Catalogs).
func Register(e *echo.Echo, svc *service.Service, log *slog.Logger, cats *i18n.Catalogs, opts ...Option) *UI {
	s := &UI{e: e, svc: svc, log: log, cats: cats, signIns: ratelimit.New(SignInsPerMinute, SignInBurst, SignInClients)}
	for _, o := range opts {
		o(s)
	}
	s.routes()
	return s
}

// routes registers the web UI's routes.
func (s *UI) routes() {
	var err error
	s.ui, err = newWebUI(s.cats)
	if err != nil {
		// The catalogues and templates are embedded: this is a build defect. The API keeps working.
		s.log.Error("web ui disabled", "error", err)
		s.webRoute(http.MethodGet, "/", func(*echo.Context) error {
			return httpx.Msg(http.StatusServiceUnavailable, "error.web.unavailable")
		})
		return
	}
	s.webRoute(http.MethodGet, "/static/:file", s.staticFile)
	// browsers ask for /favicon.ico whatever the page links
	s.webRoute(http.MethodGet, "/favicon.ico", func(c *echo.Context) error { return s.serveStatic(c, "favicon.ico") })
	ui := []echo.MiddlewareFunc{s.webHeaders, s.webErrors, s.webSession}
	signedIn := append(slices.Clone(ui), s.requireUser)
	// Every page requires one of its capabilities (piaflow.Can); the service checks them again.
	page := func(method, p string, h echo.HandlerFunc, caps ...piaflow.Capability) {
		m := append(slices.Clone(signedIn), httpx.Require(caps...))
		if method == http.MethodPost {
			m = append(slices.Clone(m), s.checkCSRF)
		}
		s.webRoute(method, p, h, m...)
	}
	s.webRoute(http.MethodGet, "/", func(c *echo.Context) error { return c.Redirect(http.StatusSeeOther, "/deployments") }, ui...)
	s.webRoute(http.MethodGet, "/login", s.loginPage, ui...)
	s.webRoute(http.MethodPost, "/login", s.login, ui...)
	if s.oidc != nil {
		s.webRoute(http.MethodGet, "/auth/oidc/login", s.oidcLogin, ui...)
		s.webRoute(http.MethodGet, "/auth/oidc/callback", s.oidcCallback, ui...)
	}
	s.webRoute(http.MethodGet, "/lang/:lang", s.switchLanguage, ui...)
	page(http.MethodPost, "/logout", s.logout)
	page(http.MethodGet, "/deployments", s.deploymentsPage, piaflow.CapReadDeployments)
	page(http.MethodPost, "/deployments", s.createDeploymentForm, piaflow.CapCreateDeployment)
	page(http.MethodGet, "/deployments/:id", s.deploymentPage, piaflow.CapReadDeployments)
	page(http.MethodPost, "/deployments/:id/evaluate", s.evaluateForm, piaflow.CapEvaluate)
	page(http.MethodGet, "/deployments/:id/compare", s.comparePage, piaflow.CapReadAssessments)
	page(http.MethodGet, "/deployments/:id/wizard", s.wizardPage, piaflow.CapWriteQuestionnaire)
	page(http.MethodPost, "/deployments/:id/wizard", s.wizardPost, piaflow.CapWriteQuestionnaire)
	page(http.MethodGet, "/assessments/:id", s.assessmentPage, piaflow.CapReadAssessments)
	page(http.MethodPost, "/assessments/:id/review", s.reviewForm, piaflow.CapSubmitReview, piaflow.CapReview)
	page(http.MethodPost, "/actions/:id", s.actionForm, piaflow.CapEditActions)
	page(http.MethodGet, "/reviews", s.reviewsPage, piaflow.CapReadReviewQueue)
	page(http.MethodGet, "/propagations", s.propagationsPage, piaflow.CapReadAssessments)
	page(http.MethodPost, "/propagations", s.startPropagationForm, piaflow.CapPropagate, piaflow.CapReevaluate)
	page(http.MethodGet, "/propagations/:id", s.propagationPage, piaflow.CapReadAssessments)
	page(http.MethodGet, "/products", s.productsPage, piaflow.CapReadDeployments)
	page(http.MethodPost, "/products", s.pushProductForm, piaflow.CapManageProducts)
	page(http.MethodGet, "/products/:name/:version", s.productPage, piaflow.CapReadDeployments)
	page(http.MethodPost, "/products/:name/:version/deploy", s.deployProductForm, piaflow.CapCreateDeployment)
	page(http.MethodGet, "/processors", s.processorsPage, piaflow.CapReadDeployments)
	page(http.MethodPost, "/processors", s.pushProcessorsForm, piaflow.CapManageProducts)
	page(http.MethodGet, "/processors/:name", s.processorPage, piaflow.CapReadDeployments)
	page(http.MethodGet, "/impact", s.impactPage, piaflow.CapReadAssessments)
	page(http.MethodPost, "/impact", s.impactForm, piaflow.CapReadAssessments)
	page(http.MethodGet, "/deployments/:id/source", s.sourcePage, piaflow.CapReadAssessments)
	page(http.MethodPost, "/deployments/:id/source", s.pushSpecForm, piaflow.CapWriteQuestionnaire)
	page(http.MethodGet, "/hosting-check", s.hostingPage, piaflow.CapHostingCheck)
	page(http.MethodGet, "/settings", s.settingsPage)
	page(http.MethodPost, "/settings", s.settingsForm)
}

// webRoute adds a web UI route; its name starts with "web:" (the OpenAPI test skips those).
func (s *UI) webRoute(method, p string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) {
	if _, err := s.e.AddRoute(echo.Route{Method: method, Path: p, Name: "web:" + method + ":" + p, Handler: h, Middlewares: m}); err != nil {
		panic(fmt.Sprintf("web route %s %s: %v", method, p, err)) // two routes on one path: a programming error
	}
}

func (s *UI) staticFile(c *echo.Context) error { return s.serveStatic(c, c.Param("file")) }

// serveStatic answers with the file of web/static named file.
func (s *UI) serveStatic(c *echo.Context, file string) error {
	name := path.Clean(file)
	b, err := fs.ReadFile(s.ui.static, name)
	if err != nil || strings.Contains(name, "/") {
		return httpx.Msg(http.StatusNotFound, "error.web.static", "file", strconv.Quote(file))
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "public, max-age=300")
	h.Set("X-Content-Type-Options", "nosniff")
	ct := mime.TypeByExtension(path.Ext(name))
	if path.Ext(name) == ".ico" {
		ct = "image/vnd.microsoft.icon" // not in Go's table; systems' tables differ
	}
	if ct == "" {
		ct = "application/octet-stream"
	}
	return c.Blob(http.StatusOK, ct, b)
}

// webHeaders sets the security headers of every UI response and picks its language.
func (s *UI) webHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c *echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cache-Control", "no-store")
		h.Add("Vary", "Cookie, Accept-Language")
		lang := ""
		if ck, err := c.Cookie(langCookie); err == nil && i18n.Supported(ck.Value) {
			lang = ck.Value
		}
		if lang == "" {
			lang = i18n.Match(c.Request().Header.Get("Accept-Language"))
		}
		c.Set(langKey, lang)
		return next(c)
	}
}

// webSession signs the request in when it carries a live session cookie.
func (s *UI) webSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c *echo.Context) error {
		ck, err := c.Cookie(httpx.SessionCookie)
		if err != nil || ck.Value == "" {
			return next(c)
		}
		sess, err := s.svc.Session(c.Request().Context(), ck.Value)
		switch {
		case errors.Is(err, piaflow.ErrNotFound):
			s.setCookie(c, httpx.SessionCookie, "", -1)
		case err != nil:
			return fmt.Errorf("web session: %w", err)
		default:
			httpx.SetUser(c, sess.User)
			c.Set(csrfKey, sess.CSRF)
		}
		return next(c)
	}
}

// requireUser sends visitors who are not signed in to the sign-in page.
func (s *UI) requireUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c *echo.Context) error {
		if httpx.CurrentUser(c).ID == 0 {
			if c.Request().Method != http.MethodGet {
				return s.renderError(c, http.StatusUnauthorized, "ui.error.session")
			}
			return c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(c.Request().URL.RequestURI()))
		}
		return next(c)
	}
}

// checkCSRF refuses a form without the session's CSRF token.
func (s *UI) checkCSRF(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c *echo.Context) error {
		// A form that cannot be parsed (too large, over Go's 10,000-field limit) must not look
		// like a missing CSRF token.
		r := c.Request()
		var err error
		if strings.HasPrefix(r.Header.Get(echo.HeaderContentType), echo.MIMEMultipartForm) {
			err = r.ParseMultipartForm(8 << 20)
		} else {
			err = r.ParseForm()
		}
		if err != nil {
			return s.renderError(c, http.StatusRequestEntityTooLarge, "ui.error.form")
		}
		want, _ := c.Get(csrfKey).(string)
		if want == "" || !httpx.ValidCSRF(c, want) {
			return s.renderError(c, http.StatusForbidden, "ui.error.csrf")
		}
		return next(c)
	}
}

// webErrors renders a handler's error as an HTML page (the API renders problem+json).
func (s *UI) webErrors(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c *echo.Context) error {
		err := next(c)
		if err == nil {
			return nil
		}
		if resp, uerr := echo.UnwrapResponse(c.Response()); uerr == nil && resp.Committed {
			return err
		}
		e := httpx.Explain(err)
		status := e.Status
		if status >= 500 {
			s.log.ErrorContext(c.Request().Context(), "page failed", "error", err, "path", c.Request().URL.Path, "request_id", httpx.RequestID(c))
			return s.renderError(c, status, "ui.error.internal", "id", httpx.RequestID(c))
		}
		// A missing capability, wherever the service found it, is the localised 403 page.
		if errors.Is(err, piaflow.ErrForbidden) && piaflow.ReasonOf(err) == piaflow.ReasonRole {
			return s.renderError(c, http.StatusForbidden, "ui.error.forbidden", "role", s.localizer(c).T("role."+httpx.CurrentUser(c).Role))
		}
		l := s.localizer(c)
		detail := e.DetailIn(l)
		for _, f := range e.Errors {
			detail += "; " + l.ProblemLine(f)
		}
		v := s.newView(c, "ui.error.title")
		v.Error = detail
		return s.render(c, status, "error", v)
	}
}

// renderError renders the error page with the message of key.
func (s *UI) renderError(c *echo.Context, status int, key string, args ...string) error {
	v := s.newView(c, "ui.error.title")
	v.Error = v.L.T(key, args...)
	return s.render(c, status, "error", v)
}

// view is what every template receives.
type view struct {
	L    *i18n.Localizer
	Lang string
	User *piaflow.User
	CSRF string
	// Title is the page title; Nav the active navigation entry.
	Title, Nav string
	// Path is the request URI (for the language switch).
	Path string
	// Flash is a success message, Error an error message shown at the top.
	Flash, Error string
	Data         any
	ui           *webUI
	form         *form.Text
	// size is the length of the HTML rendered in Go for the page, to size its buffer.
	size int
}

func (s *UI) localizer(c *echo.Context) *i18n.Localizer {
	lang, _ := c.Get(langKey).(string)
	return s.cats.Get(lang)
}

func (s *UI) newView(c *echo.Context, titleKey string, args ...string) *view {
	l := s.localizer(c)
	v := &view{L: l, Lang: l.Lang(), Path: c.Request().URL.RequestURI(), ui: s.ui, form: s.ui.forms[l.Lang()]}
	v.Title = l.T(titleKey, args...)
	if u := httpx.CurrentUser(c); u.ID != 0 {
		v.User = &u
	}
	v.CSRF, _ = c.Get(csrfKey).(string)
	return v
}

// T translates a ui key.
func (v *view) T(key string, args ...string) string { return v.L.T(key, args...) }

// Country names a country in the page's language ("" stays "").
func (v *view) Country(code string) string {
	if n, ok := v.ui.names[v.Lang][code]; ok {
		return n
	}
	return code
}

// Enum names a value of a vocabulary in the page's language.
func (v *view) Enum(vocab, value string) string { return v.L.Or("enum."+vocab+"."+value, value) }

// ReviewLabel names a review as lists and pages show it (piaflow.ReviewStatus): an approval
// given with accepted risks is "Approved with accepted risks", never plain "Approved".
func (v *view) ReviewLabel(state string, acceptedRisks int) string {
	return v.T("review." + piaflow.ReviewStatus(state, acceptedRisks))
}

// Regime names a regime by id.
func (v *view) Regime(id string) string { return v.L.Or("regime."+id, strings.ToUpper(id)) }

// Can reports whether the signed-in user's role grants a capability, named by its value
// (piaflow.Capability: "create_deployment", "review", ...), for the templates.
func (v *view) Can(capability string) bool { return v.can(piaflow.Capability(capability)) }

func (v *view) can(c piaflow.Capability) bool { return v.User != nil && piaflow.Can(*v.User, c) }

// regionOptions lists every region of the catalogue, by provider then region name, each
// labelled "provider · country" in l's language.
func regionOptions(c *policies.RegionCatalogue, l *i18n.Localizer) []option {
	providers := make([]string, 0, len(c.Providers))
	for p := range c.Providers {
		providers = append(providers, p)
	}
	sort.Strings(providers)
	var opts []option
	for _, p := range providers {
		for _, r := range c.RegionNames(p) {
			code := c.Providers[p].Regions[r]
			opts = append(opts, option{Value: r, Label: c.Providers[p].Name + " · " + l.Country(code) + " (" + code + ")"})
		}
	}
	return opts
}

// Regions is the cloud region list of the page's language (the datalist of the region fields).
func (v *view) Regions() []option { return v.ui.regions[v.Lang] }

// Countries is the country list of the page's language (the datalist of the country pickers).
func (v *view) Countries() []option { return v.ui.countries[v.Lang] }

// Languages lists the UI languages with their names.
func (v *view) Languages() []option { return languages() }

// languages are the UI's languages, each named in itself.
func languages() []option {
	return []option{{Value: i18n.English, Label: "English"}, {Value: i18n.SimplifiedChinese, Label: "简体中文"}}
}

// Date formats a time for the page.
func (v *view) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

func (s *UI) render(c *echo.Context, status int, name string, v *view) error {
	t, ok := s.ui.pages[name]
	if !ok {
		return fmt.Errorf("render: no page %q", name)
	}
	var buf bytes.Buffer
	buf.Grow(v.size + 64<<10)
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// setCookie sets an HttpOnly, SameSite=Lax cookie for the whole site, Secure over TLS; maxAge
// < 0 deletes it, 0 makes it a session cookie.
func (s *UI) setCookie(c *echo.Context, name, value string, maxAge int) {
	c.SetCookie(&http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		Secure: c.Scheme() == "https", SameSite: http.SameSiteLaxMode})
}

// safeNext keeps a redirect target on this site.
func safeNext(next string) string {
	const fallback = "/deployments"
	// Only a path of this site: no scheme or host, no protocol-relative "//" or "/\", and no
	// control characters (browsers drop tabs and newlines, turning "/\t/evil" into "//evil").
	if !strings.HasPrefix(next, "/") || strings.ContainsAny(next, "\\") || strings.ContainsFunc(next, unicode.IsControl) {
		return fallback
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || strings.HasPrefix(next, "//") {
		return fallback
	}
	return next
}

func newSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// loginData is the sign-in page.
type loginData struct {
	Next, Name, Token string
	// Provider names the OpenID provider of "Sign in with <provider>" ("" for none).
	Provider string
}

func (s *UI) loginPage(c *echo.Context) error {
	if httpx.CurrentUser(c).ID != 0 {
		return c.Redirect(http.StatusSeeOther, safeNext(c.QueryParam("next")))
	}
	return s.renderLogin(c, http.StatusOK, "")
}

func (s *UI) renderLogin(c *echo.Context, status int, errKey string) error {
	token, err := newSecret()
	if err != nil {
		return err
	}
	c.SetCookie(&http.Cookie{Name: loginCookie, Value: token, Path: "/login", MaxAge: 1800, HttpOnly: true,
		Secure: c.Scheme() == "https", SameSite: http.SameSiteStrictMode})
	v := s.newView(c, "ui.login.title")
	v.CSRF = token
	if errKey != "" {
		v.Error = v.T(errKey)
	}
	next := c.QueryParam("next")
	if next == "" {
		next = c.FormValue("next")
	}
	if safeNext(next) != next {
		next = ""
	}
	v.Data = loginData{Next: next, Name: c.FormValue("user")}
	if s.oidc != nil {
		v.Data = loginData{Next: next, Name: c.FormValue("user"), Provider: s.oidc.Name()}
	}
	return s.render(c, status, "login", v)
}

// login signs in with a token (and, when given, checks that it belongs to the named user).
func (s *UI) login(c *echo.Context) error {
	ck, err := c.Cookie(loginCookie)
	// the form's token from the body only: a token in the query string would leak in logs
	if err != nil || ck.Value == "" || subtle.ConstantTimeCompare([]byte(ck.Value), []byte(c.Request().PostFormValue("csrf"))) != 1 {
		return s.renderLogin(c, http.StatusForbidden, "ui.error.csrf")
	}
	ctx := c.Request().Context()
	ip := c.RealIP()
	// only failed sign-ins count: a blocked address is refused before the token is checked
	if blocked, wait := s.signIns.Blocked(ip); blocked {
		s.log.WarnContext(ctx, "sign-in throttled", "ip", ip, "request_id", httpx.RequestID(c))
		c.Response().Header().Set("Retry-After", strconv.Itoa(int(max(1, (wait+time.Second-1)/time.Second))))
		return s.renderLogin(c, http.StatusTooManyRequests, "ui.login.throttled")
	}
	// A new sign-in replaces the browser's old session rather than leaving it alive.
	old := ""
	if ck, err := c.Cookie(httpx.SessionCookie); err == nil {
		old = ck.Value
	}
	secret, u, err := s.svc.SignIn(ctx, c.FormValue("token"), c.FormValue("user"), old)
	if errors.Is(err, piaflow.ErrNotFound) {
		s.signIns.Allow(ip)
		s.log.WarnContext(ctx, "sign-in failed", "ip", ip, "user", c.FormValue("user"), "request_id", httpx.RequestID(c))
		return s.renderLogin(c, http.StatusUnauthorized, "ui.login.failed")
	}
	if err != nil {
		return err
	}
	s.log.InfoContext(ctx, "signed in", "user", u.Name, "request_id", httpx.RequestID(c))
	c.SetCookie(&http.Cookie{Name: loginCookie, Value: "", Path: "/login", MaxAge: -1, HttpOnly: true})
	s.setCookie(c, httpx.SessionCookie, secret, int(piaflow.SessionTTL.Seconds()))
	return c.Redirect(http.StatusSeeOther, landing(u, c.FormValue("next")))
}

// landing is the page a user goes to once signed in: next when it is on this site, else the
// role's start page.
func landing(u piaflow.User, next string) string {
	if next == "" || next == "/" {
		next = "/deployments"
		if !piaflow.Can(u, piaflow.CapReadAssessments) && piaflow.Can(u, piaflow.CapHostingCheck) {
			next = "/hosting-check" // sales: the hosting check is what they come for
		}
	}
	return safeNext(next)
}

func (s *UI) logout(c *echo.Context) error {
	if ck, err := c.Cookie(httpx.SessionCookie); err == nil {
		if err := s.svc.SignOut(c.Request().Context(), ck.Value); err != nil {
			return err
		}
	}
	s.setCookie(c, httpx.SessionCookie, "", -1)
	return c.Redirect(http.StatusSeeOther, "/login")
}

// switchLanguage remembers the language in a cookie (a year) and goes back.
func (s *UI) switchLanguage(c *echo.Context) error {
	lang := c.Param("lang")
	if !i18n.Supported(lang) {
		return httpx.Msg(http.StatusNotFound, "error.web.language", "lang", strconv.Quote(lang))
	}
	s.setCookie(c, langCookie, lang, 365*24*3600)
	return c.Redirect(http.StatusSeeOther, safeNext(c.QueryParam("next")))
}

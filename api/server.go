// Package api is piaflow's HTTP server (Echo v5): the JSON API under /api/v1, health checks,
// metrics, the access log, the route table's capabilities (from piaflow's authorisation table),
// and RFC 9457 problem+json errors. Its handlers translate requests into calls of package
// service and its answers into JSON: the service decides. The web UI (package web) mounts its
// pages on the same Echo instance (Server.Echo); what both share is in internal/httpx.
package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v5"
	"github.com/labstack/echo/v5/middleware"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/i18n"
	"github.com/piaflow/piaflow/internal/httpx"
	"github.com/piaflow/piaflow/internal/ratelimit"
	"github.com/piaflow/piaflow/service"
)

// Failed API authentications (unknown or revoked tokens) per client address (docs/limits.md):
// AuthFailuresPerMinute a minute after a burst of AuthFailureBurst, for at most
// AuthFailureClients addresses at once; past them the address's requests with a token get 429
// before the token is looked up. The web UI's sign-in form has the same limits (web.SignIn*).
const (
	AuthFailuresPerMinute = 10
	AuthFailureBurst      = 5
	AuthFailureClients    = 10_000
)

// Server serves the API over one service; package web adds the web UI to it.
type Server struct {
	e       *echo.Echo
	svc     *service.Service
	log     *slog.Logger
	metrics *metrics
	// cats are the translation catalogues (reports, and the web UI through Catalogs), loaded once.
	cats *i18n.Catalogs
	// metricsToken, when set, is the bearer token GET /metrics requires; separateMetrics
	// leaves /metrics off the main handler (MetricsHandler serves it on an address of its own).
	metricsToken    string
	separateMetrics bool
	// routeCaps holds the capabilities each API route requires, by "METHOD /path"
	// (TestOpenAPIRoles compares them with the OpenAPI document).
	routeCaps map[string][]piaflow.Capability
	// admit, when set, bounds the requests working at once (WithWorkSlots).
	admit *admission
}

// Option configures a Server.
type Option func(*Server)

// WithMetricsToken makes GET /metrics require "Authorization: Bearer <token>"
// (PIAFLOW_METRICS_TOKEN); without it /metrics is open, as health checks are.
func WithMetricsToken(token string) Option { return func(s *Server) { s.metricsToken = token } }

// WithSeparateMetrics leaves /metrics off the main handler: MetricsHandler serves it on an
// address of its own (serve --metrics-addr).
func WithSeparateMetrics() Option { return func(s *Server) { s.separateMetrics = true } }

// New builds the server and its routes over svc, and counts every evaluation svc records in
// the evaluations metric.
func New(svc *service.Service, log *slog.Logger, opts ...Option) *Server {
	// No catch-all 404 route per group: a wrong method on a known path answers 405 with Allow.
	s := &Server{e: echo.NewWithConfig(echo.Config{NoGroupAutoRegister404Routes: true}), svc: svc, log: log, metrics: newMetrics(),
		routeCaps: map[string][]piaflow.Capability{}}
	for _, o := range opts {
		o(s)
	}
	if svc != nil {
		svc.OnEvaluation(func(a *assessments.Assessment) { s.metrics.evaluations.WithLabelValues(a.Verdict).Inc() })
	}
	s.e.Logger = log
	s.e.HTTPErrorHandler = s.errorHandler
	s.cats = i18n.MustLoad()
	s.registerAdmissionMetrics()
	s.e.Use(middleware.Recover(), httpx.AssignRequestID, s.accessLog, s.admission, bodyLimit)

	s.e.GET("/healthz", func(c *echo.Context) error { return c.JSON(http.StatusOK, map[string]string{"status": "ok"}) })
	s.e.GET("/readyz", s.readyz)
	if !s.separateMetrics {
		s.e.GET("/metrics", s.metricsEndpoint)
	}
	s.e.GET("/api/v1/openapi.json", s.openAPI)

	v1 := s.e.Group("/api/v1", httpx.Authenticate(svc,
		httpx.WithFailureLimit(ratelimit.New(AuthFailuresPerMinute, AuthFailureBurst, AuthFailureClients), log)))
	s.route(v1, http.MethodGet, "/me", s.me)
	s.route(v1, http.MethodPatch, "/me", s.updateMe)
	s.route(v1, http.MethodPost, "/hosting-check", s.hostingCheck, piaflow.CapHostingCheck)
	s.deploymentRoutes(v1)
	s.propagationRoutes(v1)
	s.productRoutes(v1)
	s.userRoutes(v1)
	s.webhookRoutes(v1)
	return s
}

// Echo is the server's Echo instance, for package web to add its routes to: they share its
// middleware (request id, access log, metrics, body limit) and its error handler.
func (s *Server) Echo() *echo.Echo { return s.e }

// Catalogs are the translation catalogues the server loaded (the web UI uses the same).
func (s *Server) Catalogs() *i18n.Catalogs { return s.cats }

// bodyLimit bounds every request body before anything reads it (authentication reads a form's
// CSRF field), to bodyLimitOf its path.
func bodyLimit(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c *echo.Context) error {
		r := c.Request()
		limit := bodyLimitOf(r.URL.Path)
		if r.ContentLength > limit {
			return httpx.Msg(http.StatusRequestEntityTooLarge, "error.http.body_too_large", "max", limit)
		}
		r.Body = http.MaxBytesReader(c.Response(), r.Body, limit)
		return next(c)
	}
}

// bodyLimitOf is the most bytes a request body to path may have: piaflow.MaxImportBytes for an
// action list upload, assessments.MaxDocumentBytes for a product profile, register entries, a
// deployment spec or an impact request (documentBody), else piaflow.MaxBodyBytes.
func bodyLimitOf(path string) int64 {
	switch {
	case strings.HasSuffix(path, "/actions/import"):
		return piaflow.MaxImportBytes
	case documentBody(path):
		return assessments.MaxDocumentBytes
	}
	return piaflow.MaxBodyBytes
}

// Handler is the server's http.Handler.
func (s *Server) Handler() http.Handler { return s.e }

// accessLog writes one structured log line per request, with its request id.
func (s *Server) accessLog(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c *echo.Context) error {
		start := time.Now()
		err := next(c)
		status := http.StatusOK
		if resp, uerr := echo.UnwrapResponse(c.Response()); uerr == nil && resp.Status != 0 {
			status = resp.Status
		}
		if err != nil {
			status, _, _ = httpx.StatusOf(err)
		}
		s.metrics.observe(c, status, time.Since(start))
		attrs := []any{"method", c.Request().Method, "path", c.Request().URL.Path,
			"status", status, "duration_ms", float64(time.Since(start).Microseconds()) / 1000, "request_id", httpx.RequestID(c)}
		if theirs, ok := c.Get(httpx.ClientRequestIDKey).(string); ok {
			attrs = append(attrs, httpx.ClientRequestIDKey, theirs)
		}
		s.log.InfoContext(c.Request().Context(), "request", attrs...)
		return err
	}
}

func (s *Server) readyz(c *echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	if err := s.svc.Ping(ctx); err != nil {
		return httpx.Msg(http.StatusServiceUnavailable, "error.http.database")
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready", "database": s.svc.Database()})
}

// route adds an API route to g that requires one of the capabilities (none: any signed-in
// user), so that a role without it is refused before the body is read.
func (s *Server) route(g *echo.Group, method, path string, h echo.HandlerFunc, caps ...piaflow.Capability) {
	g.Add(method, path, h, httpx.Require(caps...))
	s.routeCaps[method+" /api/v1"+path] = caps
}

// decode reads a JSON body strictly: unknown fields and trailing data are errors.
func decode(c *echo.Context, v any) error {
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return httpx.Msg(http.StatusRequestEntityTooLarge, "error.http.body_too_large", "max", bodyLimitOf(c.Request().URL.Path))
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &te):
			// te.Value is the JSON value's kind ("number", "array"), sometimes with the value
			got := "other"
			if kind := strings.Fields(te.Value); len(kind) == 1 && slices.Contains([]string{"number", "string", "bool", "array", "object"}, kind[0]) {
				got = "json." + kind[0]
			}
			m := assessments.Msg{Code: "type", Args: map[string]string{"want": jsonKind(te.Type.Kind().String()), "got": got, "value": te.Value}}
			return &httpx.Error{Status: http.StatusUnprocessableEntity, Detail: "the input is invalid: see errors",
				Errors: []assessments.Problem{{Path: te.Field, Message: m.English(), Msg: m}}}
		case errors.Is(err, io.EOF):
			return httpx.Msg(http.StatusBadRequest, "error.http.body_empty")
		}
		return httpx.Msg(http.StatusBadRequest, "error.http.body_json", "reason", strings.TrimPrefix(err.Error(), "json: "))
	}
	if dec.More() {
		return httpx.Msg(http.StatusBadRequest, "error.http.body_values")
	}
	return nil
}

// jsonKind names a Go kind the way a JSON user thinks of it, as a word of the validation
// messages (want.<kind>: "a string", "a boolean", ...).
func jsonKind(k string) string {
	switch k {
	case "string":
		return "string"
	case "bool":
		return "boolean"
	case "slice", "array":
		return "list"
	case "struct", "map":
		return "object"
	}
	return "number"
}

// invalidField is a 422 problem naming one field (a query parameter, a form field): its message
// is the validation message code with its arguments, given as name, value pairs (strings
// quoted), so that it is rendered in the problem's language; Message is its English text.
func invalidField(path, code string, args ...string) error {
	return piaflow.Invalid(assessments.FieldProblem(path, "", code, args...))
}

func (s *Server) me(c *echo.Context) error {
	return c.JSON(http.StatusOK, httpx.CurrentUser(c))
}

// updateMe changes the signed-in user's own notification settings.
func (s *Server) updateMe(c *echo.Context) error {
	var req piaflow.NotificationSettings
	if err := decode(c, &req); err != nil {
		return err
	}
	u, err := s.svc.UpdateNotifications(c.Request().Context(), httpx.CurrentUser(c), req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, u)
}

// hostingCheckRequest is the body of POST /api/v1/hosting-check.
type hostingCheckRequest struct {
	assessments.HostingQuery
	// AsOf applies the law in force on that date (YYYY-MM-DD; default today).
	AsOf string `json:"as_of,omitempty"`
}

// hostingCheck answers whether data may be hosted where the request says; ?lang= its texts in
// that language.
func (s *Server) hostingCheck(c *echo.Context) error {
	l, err := s.langOf(c)
	if err != nil {
		return err
	}
	var req hostingCheckRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	q := req.HostingQuery
	t, err := assessments.ParseAsOf(req.AsOf)
	if err != nil {
		return &httpx.Error{Status: http.StatusUnprocessableEntity, Detail: "the input is invalid: see errors",
			Errors: []assessments.Problem{{Path: "as_of", Message: err.Error()}}}
	}
	q.AsOf = t
	res, err := s.svc.HostingCheck(c.Request().Context(), httpx.CurrentUser(c), q) // the same answer as the CLI and the page
	if err != nil {
		return err
	}
	if l != nil {
		res = l.LocaliseHosting(res)
	}
	return sendLocalised(c, http.StatusOK, res)
}

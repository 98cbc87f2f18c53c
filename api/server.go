// Package api is piaflow's HTTP server (Echo v5): the JSON API under /api/v1, health checks,
// token authentication, the route table's capabilities (from piaflow's authorisation table),
// and RFC 9457 problem+json errors; and, for now, the web UI's pages. Its handlers translate
// requests into calls of package service and its answers into JSON or HTML: the service
// decides. It is the only package that imports Echo.
package api

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v5"
	"github.com/labstack/echo/v5/middleware"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/i18n"
	"github.com/piaflow/piaflow/service"
)

// Server serves the API and the web UI over one service.
type Server struct {
	e       *echo.Echo
	svc     *service.Service
	log     *slog.Logger
	metrics *metrics
	// cats are the translation catalogues (web UI and reports), loaded once.
	cats *i18n.Catalogs
	// ui holds the web UI's parsed templates and lookup tables (web.go).
	ui *webUI
	// metricsToken, when set, is the bearer token GET /metrics requires; separateMetrics
	// leaves /metrics off the main handler (MetricsHandler serves it on an address of its own).
	metricsToken    string
	separateMetrics bool
	// routeCaps holds the capabilities each API route requires, by "METHOD /path"
	// (TestOpenAPIRoles compares them with the OpenAPI document).
	routeCaps map[string][]piaflow.Capability
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
	s.e.Use(middleware.Recover(), assignRequestID, s.accessLog, bodyLimit)

	s.e.GET("/healthz", func(c *echo.Context) error { return c.JSON(http.StatusOK, map[string]string{"status": "ok"}) })
	s.e.GET("/readyz", s.readyz)
	if !s.separateMetrics {
		s.e.GET("/metrics", s.metricsEndpoint)
	}
	s.e.GET("/api/v1/openapi.json", s.openAPI)

	v1 := s.e.Group("/api/v1", s.authenticate)
	s.route(v1, http.MethodGet, "/me", s.me)
	s.route(v1, http.MethodPost, "/hosting-check", s.hostingCheck, piaflow.CapHostingCheck)
	s.deploymentRoutes(v1)
	s.userRoutes(v1)
	s.webRoutes()
	return s
}

// bodyLimit bounds every request body before anything reads it (authentication reads a form's
// CSRF field): piaflow.MaxBodyBytes, or piaflow.MaxImportBytes for an action list upload.
func bodyLimit(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c *echo.Context) error {
		limit := int64(piaflow.MaxBodyBytes)
		if strings.HasSuffix(c.Request().URL.Path, "/actions/import") {
			limit = piaflow.MaxImportBytes
		}
		r := c.Request()
		if r.ContentLength > limit {
			return problemf(http.StatusRequestEntityTooLarge, "the body is larger than %d bytes", limit)
		}
		r.Body = http.MaxBytesReader(c.Response(), r.Body, limit)
		return next(c)
	}
}

// Handler is the server's http.Handler.
func (s *Server) Handler() http.Handler { return s.e }

func requestID(c *echo.Context) string {
	return c.Response().Header().Get(echo.HeaderXRequestID)
}

// clientRequestIDKey is the context key of the X-Request-ID a client sent.
const clientRequestIDKey = "client_request_id"

// maxClientRequestID bounds the client's X-Request-ID kept for the log.
const maxClientRequestID = 64

// assignRequestID gives every request an id of the server's own (sent back as X-Request-ID and
// logged as request_id) and every response nosniff. An X-Request-ID the client sent is logged
// apart, as client_request_id, cut to 64 printable ASCII characters: it never passes for ours.
func assignRequestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c *echo.Context) error {
		if theirs := c.Request().Header.Get(echo.HeaderXRequestID); theirs != "" {
			c.Set(clientRequestIDKey, printableASCII(theirs, maxClientRequestID))
		}
		var b [16]byte
		_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
		h := c.Response().Header()
		h.Set(echo.HeaderXRequestID, hex.EncodeToString(b[:]))
		h.Set("X-Content-Type-Options", "nosniff")
		return next(c)
	}
}

// printableASCII keeps at most n printable ASCII characters of s.
func printableASCII(s string, n int) string {
	out := make([]byte, 0, min(len(s), n))
	for i := 0; i < len(s) && len(out) < n; i++ {
		if s[i] >= 0x20 && s[i] < 0x7f {
			out = append(out, s[i])
		}
	}
	return string(out)
}

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
			status, _, _ = statusOf(err)
		}
		s.metrics.observe(c, status, time.Since(start))
		attrs := []any{"method", c.Request().Method, "path", c.Request().URL.Path,
			"status", status, "duration_ms", float64(time.Since(start).Microseconds()) / 1000, "request_id", requestID(c)}
		if theirs, ok := c.Get(clientRequestIDKey).(string); ok {
			attrs = append(attrs, clientRequestIDKey, theirs)
		}
		s.log.InfoContext(c.Request().Context(), "request", attrs...)
		return err
	}
}

func (s *Server) readyz(c *echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	if err := s.svc.Ping(ctx); err != nil {
		return problemf(http.StatusServiceUnavailable, "the database does not answer")
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready", "database": s.svc.Database()})
}

const userKey = "piaflow.user"

// authenticate requires "Authorization: Bearer <token>" or the web UI's session cookie; a request
// with an unsafe method authenticated by the cookie must carry the session's CSRF token in the
// X-CSRF-Token header (or the csrf form field), so that another site cannot make the browser act.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c *echo.Context) error {
		h := c.Request().Header.Get(echo.HeaderAuthorization)
		if h == "" {
			if ck, err := c.Cookie(sessionCookie); err == nil && ck.Value != "" {
				sess, err := s.svc.Session(c.Request().Context(), ck.Value)
				if errors.Is(err, piaflow.ErrNotFound) {
					return problemf(http.StatusUnauthorized, "the session has ended: sign in again")
				}
				if err != nil {
					return fmt.Errorf("authenticate: %w", err)
				}
				if !safeMethod(c.Request().Method) && !validCSRF(c, sess.CSRF) {
					return problemf(http.StatusForbidden, "send the session's CSRF token in the X-CSRF-Token header")
				}
				c.Set(userKey, sess.User)
				return next(c)
			}
		}
		token, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || token == "" {
			return problemf(http.StatusUnauthorized, "send an API token as Authorization: Bearer <token>")
		}
		u, err := s.svc.Authenticate(c.Request().Context(), strings.TrimSpace(token))
		if errors.Is(err, piaflow.ErrNotFound) {
			return problemf(http.StatusUnauthorized, "the token is unknown or revoked")
		}
		if err != nil {
			return fmt.Errorf("authenticate: %w", err)
		}
		c.Set(userKey, u)
		return next(c)
	}
}

func currentUser(c *echo.Context) piaflow.User {
	u, _ := c.Get(userKey).(piaflow.User)
	return u
}

// route adds an API route to g that requires one of the capabilities (none: any signed-in
// user), so that a role without it is refused before the body is read.
func (s *Server) route(g *echo.Group, method, path string, h echo.HandlerFunc, caps ...piaflow.Capability) {
	g.Add(method, path, h, require(caps...))
	s.routeCaps[method+" /api/v1"+path] = caps
}

// require admits only users whose role grants one of the capabilities (piaflow.Authorize).
func require(caps ...piaflow.Capability) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c *echo.Context) error {
			if len(caps) > 0 {
				if err := piaflow.Authorize(currentUser(c), caps...); err != nil {
					return err
				}
			}
			return next(c)
		}
	}
}

// decode reads a JSON body strictly: unknown fields and trailing data are errors.
func decode(c *echo.Context, v any) error {
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return problemf(http.StatusRequestEntityTooLarge, "the body is larger than %d bytes", piaflow.MaxBodyBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &te):
			return &problemError{status: http.StatusUnprocessableEntity, detail: "the input is invalid: see errors",
				errors: []assessments.Problem{{Path: te.Field, Message: "must be a " + jsonKind(te.Type.Kind().String()) + ", not " + te.Value}}}
		case errors.Is(err, io.EOF):
			return problemf(http.StatusBadRequest, "the body is empty: send a JSON object")
		}
		return problemf(http.StatusBadRequest, "the body is not valid JSON for this request: %s", strings.TrimPrefix(err.Error(), "json: "))
	}
	if dec.More() {
		return problemf(http.StatusBadRequest, "the body holds more than one JSON value")
	}
	return nil
}

// jsonKind names a Go kind the way a JSON user thinks of it.
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

// invalid is a 422 problem naming one field.
func invalid(path, msg string) error {
	return piaflow.Invalid(piaflow.FieldProblem{Field: path, Message: msg})
}

func (s *Server) me(c *echo.Context) error {
	return c.JSON(http.StatusOK, currentUser(c))
}

// hostingCheckRequest is the body of POST /api/v1/hosting-check.
type hostingCheckRequest struct {
	assessments.HostingQuery
	// AsOf applies the law in force on that date (YYYY-MM-DD; default today).
	AsOf string `json:"as_of,omitempty"`
}

func (s *Server) hostingCheck(c *echo.Context) error {
	var req hostingCheckRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	q := req.HostingQuery
	t, err := assessments.ParseAsOf(req.AsOf)
	if err != nil {
		return &problemError{status: http.StatusUnprocessableEntity, detail: "the input is invalid: see errors",
			errors: []assessments.Problem{{Path: "as_of", Message: err.Error()}}}
	}
	q.AsOf = t
	res, err := s.svc.HostingCheck(c.Request().Context(), currentUser(c), q) // the same answer as the CLI and the page
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

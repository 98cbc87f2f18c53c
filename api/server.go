// Package api is piaflow's HTTP server (Echo v5): the JSON API under /api/v1, health checks,
// token authentication with roles, and RFC 9457 problem+json errors. It is the only package that
// imports Echo.
package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v5"
	"github.com/labstack/echo/v5/middleware"

	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/assessments/store"
	"github.com/piaflow/piaflow/reports"
	"github.com/piaflow/piaflow/reports/i18n"
)

// MaxBodyBytes bounds a request body.
const MaxBodyBytes = 1 << 20

// Server serves the API over one store and one evaluator.
type Server struct {
	e       *echo.Echo
	st      *store.Store
	ev      *assessments.Evaluator
	log     *slog.Logger
	metrics *metrics
	// cats are the translation catalogues (web UI and reports), loaded once.
	cats *i18n.Catalogs
	// ui holds the web UI's parsed templates and lookup tables (web.go).
	ui *webUI
	// reports renders the PDF reports; it reads its fonts once.
	reports *reports.Renderer
}

// New builds the server and its routes.
func New(st *store.Store, ev *assessments.Evaluator, log *slog.Logger) *Server {
	// No catch-all 404 route per group: a wrong method on a known path answers 405 with Allow.
	s := &Server{e: echo.NewWithConfig(echo.Config{NoGroupAutoRegister404Routes: true}), st: st, ev: ev, log: log, metrics: newMetrics()}
	s.e.Logger = log
	s.e.HTTPErrorHandler = s.errorHandler
	s.cats = i18n.MustLoad()
	s.reports = reports.NewRenderer(s.cats)
	s.e.Use(middleware.Recover(), middleware.RequestID(), s.accessLog, bodyLimit)

	s.e.GET("/healthz", func(c *echo.Context) error { return c.JSON(http.StatusOK, map[string]string{"status": "ok"}) })
	s.e.GET("/readyz", s.readyz)
	s.e.GET("/metrics", s.metrics.handler())
	s.e.GET("/api/v1/openapi.json", s.openAPI)

	v1 := s.e.Group("/api/v1", s.authenticate)
	v1.GET("/me", s.me)
	v1.POST("/hosting-check", s.hostingCheck, allow(readers...))
	s.deploymentRoutes(v1)
	s.userRoutes(v1)
	s.webRoutes()
	return s
}

// bodyLimit bounds every request body before anything reads it (authentication reads a form's
// CSRF field): MaxBodyBytes, or MaxImportBytes for an action list upload.
func bodyLimit(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c *echo.Context) error {
		limit := int64(MaxBodyBytes)
		if strings.HasSuffix(c.Request().URL.Path, "/actions/import") {
			limit = MaxImportBytes
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
		s.log.InfoContext(c.Request().Context(), "request", "method", c.Request().Method, "path", c.Request().URL.Path,
			"status", status, "duration_ms", float64(time.Since(start).Microseconds())/1000, "request_id", requestID(c))
		return err
	}
}

func (s *Server) readyz(c *echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	if err := s.st.Ping(ctx); err != nil {
		return problemf(http.StatusServiceUnavailable, "the database does not answer")
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready", "database": s.st.Dialect()})
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
				sess, err := s.st.SessionBySecret(c.Request().Context(), ck.Value)
				if errors.Is(err, store.ErrNotFound) {
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
		u, err := s.st.Authenticate(c.Request().Context(), strings.TrimSpace(token))
		if errors.Is(err, store.ErrNotFound) {
			return problemf(http.StatusUnauthorized, "the token is unknown or revoked")
		}
		if err != nil {
			return fmt.Errorf("authenticate: %w", err)
		}
		c.Set(userKey, u)
		return next(c)
	}
}

func currentUser(c *echo.Context) store.User {
	u, _ := c.Get(userKey).(store.User)
	return u
}

// allow admits only users holding one of the roles.
func allow(roles ...string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c *echo.Context) error {
			if u := currentUser(c); !slices.Contains(roles, u.Role) {
				return problemf(http.StatusForbidden, "role %s may not do this (allowed: %s)", u.Role, strings.Join(roles, ", "))
			}
			return next(c)
		}
	}
}

// decode reads a JSON body strictly: unknown fields and trailing data are errors.
func decode(c *echo.Context, v any) error {
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return problemf(http.StatusRequestEntityTooLarge, "the body is larger than %d bytes", MaxBodyBytes)
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

// text checks a free-text input: at most max characters (0: no limit) and no NUL character,
// which PostgreSQL cannot store.
func text(path, s string, max int) *assessments.Problem {
	switch {
	case strings.ContainsRune(s, 0):
		return &assessments.Problem{Path: path, Message: "must not contain a NUL character"}
	case max > 0 && utf8.RuneCountInString(s) > max:
		return &assessments.Problem{Path: path, Message: fmt.Sprintf("must have at most %d characters", max)}
	}
	return nil
}

// checkText returns a 422 problem for the first failing text field, or nil.
func checkText(fields ...textField) error {
	var problems []assessments.Problem
	for _, f := range fields {
		if p := text(f.path, f.value, f.max); p != nil {
			problems = append(problems, *p)
		}
	}
	if len(problems) == 0 {
		return nil
	}
	return &problemError{status: http.StatusUnprocessableEntity, detail: "the input is invalid: see errors", errors: problems}
}

type textField struct {
	path, value string
	max         int
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
	if req.AsOf != "" {
		t, err := time.Parse(time.DateOnly, req.AsOf)
		if err != nil {
			return &problemError{status: http.StatusUnprocessableEntity, detail: "the input is invalid: see errors",
				errors: []assessments.Problem{{Path: "as_of", Message: fmt.Sprintf("%q is not a date (YYYY-MM-DD)", req.AsOf)}}}
		}
		q.AsOf = t
	}
	res, err := s.ev.HostingCheck(c.Request().Context(), q) // the same answer as the CLI and the page
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

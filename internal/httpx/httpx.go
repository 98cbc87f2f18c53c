// Package httpx holds what the JSON API (package api) and the web UI (package web) share on one
// Echo server: authentication by API token or session cookie, the CSRF check, the signed-in user
// and the capabilities a route requires, request ids, the id path parameter, and the one table
// from domain errors to HTTP statuses.
package httpx

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v5"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/i18n"
	"github.com/piaflow/piaflow/internal/ratelimit"
	"github.com/piaflow/piaflow/service"
)

// SessionCookie is the web UI's session cookie; the API accepts it too (with the CSRF token).
const SessionCookie = "piaflow_session"

// userKey is the context key of the signed-in piaflow.User.
const userKey = "piaflow.user"

// ClientRequestIDKey is the context key of the X-Request-ID a client sent.
const ClientRequestIDKey = "client_request_id"

// maxClientRequestID bounds the client's X-Request-ID kept for the log.
const maxClientRequestID = 64

// Error is an HTTP error a handler returns: its status, its detail and, for invalid input, the
// invalid fields. The API renders it as problem+json, the web UI as its error page.
type Error struct {
	Status int
	Detail string
	Errors []assessments.Problem
	// Msg, when set, is Detail as data: an error message (piaflow.ErrorTexts) rendered in the
	// reader's language.
	Msg *piaflow.Message
}

func (p *Error) Error() string { return fmt.Sprintf("%d: %s", p.Status, p.Detail) }

// Errorf is an Error with status and a formatted detail.
func Errorf(status int, format string, args ...any) error {
	return &Error{Status: status, Detail: fmt.Sprintf(format, args...)}
}

// Msg is an Error with status whose detail is the error message id with its parameters (name,
// value pairs, as piaflow.NewMessage): Detail is its English text.
func Msg(status int, id string, pairs ...any) error {
	m := piaflow.NewMessage(id, pairs...)
	return &Error{Status: status, Detail: m.English(), Msg: &m}
}

// StatusOf is the one table from domain errors to HTTP statuses: it returns the status, the
// detail to show and the invalid fields (Explain has the detail's catalogue key too).
func StatusOf(err error) (int, string, []assessments.Problem) {
	e := Explain(err)
	return e.Status, e.Detail, e.Errors
}

// Explained is an error as a person reads it: its status, its English detail, the catalogue key
// that says it in another language, and the invalid fields.
type Explained struct {
	Status int
	// Detail is the English text; DetailKey its key in the catalogues ("problem.detail.*"),
	// whose {detail} placeholder is the English text (a message written in English by the
	// service, shown after its translated summary).
	Detail, DetailKey string
	// DetailMsg, when set, is the detail as an error message: other languages render it
	// instead of DetailKey.
	DetailMsg *piaflow.Message
	Errors    []assessments.Problem
}

// Title is the status's name in l's language (English: http.StatusText).
func (e Explained) Title(l *i18n.Localizer) string {
	if l.Lang() == i18n.English {
		return http.StatusText(e.Status)
	}
	return l.Or("problem.title."+strconv.Itoa(e.Status), http.StatusText(e.Status))
}

// DetailIn is the detail in l's language: the English Detail as it is, another language's text
// from DetailMsg (a whole sentence) or, for an error without a message, DetailKey (a summary
// followed by the English detail).
func (e Explained) DetailIn(l *i18n.Localizer) string {
	if l.Lang() == i18n.English {
		return e.Detail
	}
	if s, ok := l.Message(e.DetailMsg); ok {
		return s
	}
	if e.DetailKey == "" || !l.Has(e.DetailKey) {
		return e.Detail
	}
	return l.T(e.DetailKey, "detail", e.Detail)
}

// Explain is the one table from domain errors to HTTP statuses: the status, the detail and the
// invalid fields of err.
func Explain(err error) Explained {
	var pe *Error
	var ve *assessments.ValidationError
	var de *piaflow.Error
	var ie *piaflow.ImportError
	var sc echo.HTTPStatusCoder
	byStatus := func(status int, detail string) Explained {
		return Explained{Status: status, Detail: detail, DetailKey: "problem.detail." + strconv.Itoa(status)}
	}
	// a domain error: its text, and its message when it has one
	domain := func(status int) Explained {
		e := byStatus(status, err.Error())
		e.DetailMsg = piaflow.MessageOf(err)
		return e
	}
	switch {
	case errors.As(err, &pe):
		e := byStatus(pe.Status, pe.Detail)
		e.DetailMsg = pe.Msg
		if len(pe.Errors) > 0 {
			e.DetailKey = detailInvalid
		}
		e.Errors = pe.Errors
		return e
	case errors.As(err, &ve):
		return Explained{Status: http.StatusUnprocessableEntity, Detail: "the input is invalid: see errors", DetailKey: detailInvalid, Errors: ve.Problems}
	case errors.As(err, &ie):
		// every row with its problem: the column as path, the row as line
		problems := make([]assessments.Problem, 0, len(ie.Problems))
		for _, r := range ie.Problems {
			problems = append(problems, assessments.Problem{Path: r.Column, Message: r.Message, Line: r.Row,
				Msg: assessments.Msg{Code: r.Text, Args: r.Args}, Text: r.Msg})
		}
		status := http.StatusUnprocessableEntity
		if errors.Is(err, piaflow.ErrForbidden) {
			status = http.StatusForbidden
		}
		return Explained{Status: status, Detail: "the action list was not imported: see errors (path is the column, line the row)", DetailKey: "problem.detail.import", Errors: problems}
	case errors.As(err, &de) && errors.Is(err, piaflow.ErrInvalid) && len(de.Fields) > 0:
		problems := make([]assessments.Problem, 0, len(de.Fields))
		for _, f := range de.Fields {
			problems = append(problems, FieldProblem(f))
		}
		return Explained{Status: http.StatusUnprocessableEntity, Detail: "the input is invalid: see errors", DetailKey: detailInvalid, Errors: problems}
	case errors.Is(err, piaflow.ErrNotFound):
		return domain(http.StatusNotFound)
	case errors.Is(err, piaflow.ErrConflict):
		return domain(http.StatusConflict)
	case errors.Is(err, piaflow.ErrPrecondition):
		return domain(http.StatusPreconditionFailed)
	case errors.Is(err, piaflow.ErrForbidden):
		return domain(http.StatusForbidden)
	case errors.Is(err, piaflow.ErrInvalid):
		return domain(http.StatusUnprocessableEntity)
	case errors.Is(err, piaflow.ErrUnavailable):
		return domain(http.StatusServiceUnavailable)
	case errors.Is(err, piaflow.ErrRateLimited):
		return domain(http.StatusTooManyRequests)
	case errors.As(err, &sc):
		e := byStatus(sc.StatusCode(), http.StatusText(sc.StatusCode()))
		if m := piaflow.NewMessage("error.http.status." + strconv.Itoa(sc.StatusCode())); m.English() == e.Detail {
			e.DetailMsg = &m // a status of the router (no route, a wrong method) as a sentence
		}
		return e
	}
	e := byStatus(http.StatusInternalServerError, "internal error")
	e.DetailMsg = &piaflow.Message{ID: "error.http.internal"}
	return e
}

// detailInvalid is the catalogue key of "the input is invalid: see errors".
const detailInvalid = "problem.detail.invalid"

// FieldProblem is a service's field problem as a validation problem: its path the field, its
// message as data when the problem has a code the catalogues render (required, nul, too_long).
func FieldProblem(f piaflow.FieldProblem) assessments.Problem {
	p := assessments.Problem{Path: f.Field, Message: f.Message}
	if f.Text != "" {
		p.Msg = assessments.Msg{Code: f.Text, Args: f.Args}
	}
	return p
}

// RequestID is the server's id of the request (AssignRequestID).
func RequestID(c *echo.Context) string {
	return c.Response().Header().Get(echo.HeaderXRequestID)
}

// AssignRequestID gives every request an id of the server's own (sent back as X-Request-ID and
// logged as request_id) and every response nosniff. An X-Request-ID the client sent is kept
// apart, under ClientRequestIDKey, cut to 64 printable ASCII characters: it never passes for ours.
func AssignRequestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c *echo.Context) error {
		if theirs := c.Request().Header.Get(echo.HeaderXRequestID); theirs != "" {
			c.Set(ClientRequestIDKey, printableASCII(theirs, maxClientRequestID))
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

// AuthOption configures Authenticate.
type AuthOption func(*authConfig)

type authConfig struct {
	failures *ratelimit.Limiter
	log      *slog.Logger
}

// WithFailureLimit counts unknown or revoked API tokens per client address (the connection's,
// c.RealIP) in failures, logging each (the address, never the token): an address that has used
// up its allowance is refused with 429 and Retry-After before its token is looked up, as the web
// UI's sign-in form is. Only failures count; a valid token takes nothing.
func WithFailureLimit(failures *ratelimit.Limiter, log *slog.Logger) AuthOption {
	return func(a *authConfig) { a.failures, a.log = failures, log }
}

// Authenticate requires "Authorization: Bearer <token>" or the web UI's session cookie; a request
// with an unsafe method authenticated by the cookie must carry the session's CSRF token in the
// X-CSRF-Token header (or the csrf form field), so that another site cannot make the browser act.
func Authenticate(svc *service.Service, opts ...AuthOption) echo.MiddlewareFunc {
	var cfg authConfig
	for _, o := range opts {
		o(&cfg)
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c *echo.Context) error {
			h := c.Request().Header.Get(echo.HeaderAuthorization)
			if h == "" {
				if ck, err := c.Cookie(SessionCookie); err == nil && ck.Value != "" {
					sess, err := svc.Session(c.Request().Context(), ck.Value)
					if errors.Is(err, piaflow.ErrNotFound) {
						return Msg(http.StatusUnauthorized, "error.http.session_ended")
					}
					if err != nil {
						return fmt.Errorf("authenticate: %w", err)
					}
					if !SafeMethod(c.Request().Method) && !ValidCSRF(c, sess.CSRF) {
						return Msg(http.StatusForbidden, "error.http.csrf")
					}
					SetUser(c, sess.User)
					return next(c)
				}
			}
			token, ok := strings.CutPrefix(h, "Bearer ")
			if !ok || token == "" {
				return Msg(http.StatusUnauthorized, "error.http.token_missing")
			}
			ctx, ip := c.Request().Context(), c.RealIP()
			if cfg.failures != nil {
				if blocked, wait := cfg.failures.Blocked(ip); blocked {
					cfg.log.WarnContext(ctx, "authentication throttled", "ip", ip, "request_id", RequestID(c))
					wait = max(wait.Round(time.Second), time.Second)
					e := piaflow.MsgError(piaflow.ErrRateLimited, "", "error.rate_limited.auth", "retry_duration", wait.String())
					e.RetryAfter = wait
					return e
				}
			}
			u, err := svc.Authenticate(ctx, strings.TrimSpace(token))
			if errors.Is(err, piaflow.ErrNotFound) {
				if cfg.failures != nil {
					cfg.failures.Allow(ip)
					cfg.log.WarnContext(ctx, "authentication failed", "ip", ip, "request_id", RequestID(c))
				}
				return Msg(http.StatusUnauthorized, "error.http.token_unknown")
			}
			if err != nil {
				return fmt.Errorf("authenticate: %w", err)
			}
			SetUser(c, u)
			return next(c)
		}
	}
}

// SetUser signs the request in as u.
func SetUser(c *echo.Context, u piaflow.User) { c.Set(userKey, u) }

// CurrentUser is the signed-in user (the zero User, ID 0, when nobody is).
func CurrentUser(c *echo.Context) piaflow.User {
	u, _ := c.Get(userKey).(piaflow.User)
	return u
}

// Require admits only users whose role grants one of the capabilities (piaflow.Authorize); with
// none, every request passes.
func Require(caps ...piaflow.Capability) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c *echo.Context) error {
			if len(caps) > 0 {
				if err := piaflow.Authorize(CurrentUser(c), caps...); err != nil {
					return err
				}
			}
			return next(c)
		}
	}
}

// SafeMethod reports whether m cannot change anything (GET, HEAD, OPTIONS).
func SafeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// ValidCSRF reports whether the request carries want in the X-CSRF-Token header or, for a form,
// in the csrf field.
func ValidCSRF(c *echo.Context, want string) bool {
	got := c.Request().Header.Get("X-CSRF-Token")
	if got == "" {
		ct := c.Request().Header.Get(echo.HeaderContentType)
		if strings.HasPrefix(ct, echo.MIMEApplicationForm) || strings.HasPrefix(ct, echo.MIMEMultipartForm) {
			got = c.Request().PostFormValue("csrf") // the body only, never the query string
		}
	}
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// IDParam reads the :id path parameter: a positive integer, else a 404.
func IDParam(c *echo.Context) (uint64, error) {
	id, err := strconv.ParseUint(c.Param("id"), 10, 63)
	if err != nil || id == 0 {
		return 0, Msg(http.StatusNotFound, "error.http.no_object", "id", strconv.Quote(c.Param("id")))
	}
	return id, nil
}

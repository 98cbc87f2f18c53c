package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v5"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
)

// Problem is an RFC 9457 problem details document (application/problem+json).
type Problem struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail,omitempty"`
	Instance string `json:"instance,omitempty"`
	// Errors lists the invalid fields, each with its path (validation failures).
	Errors []assessments.Problem `json:"errors,omitempty"`
	// OpenBlockers lists the finding keys of the blocker findings whose risk legal has not
	// accepted, when an approval is refused for them.
	OpenBlockers []string `json:"open_blockers,omitempty"`
}

// problemError is returned by handlers; the error handler renders it.
type problemError struct {
	status int
	detail string
	errors []assessments.Problem
}

func (p *problemError) Error() string { return fmt.Sprintf("%d: %s", p.status, p.detail) }

func problemf(status int, format string, args ...any) error {
	return &problemError{status: status, detail: fmt.Sprintf(format, args...)}
}

// statusOf is the one table from domain errors to HTTP statuses.
func statusOf(err error) (int, string, []assessments.Problem) {
	var pe *problemError
	var ve *assessments.ValidationError
	var de *piaflow.Error
	var ie *piaflow.ImportError
	var sc echo.HTTPStatusCoder
	switch {
	case errors.As(err, &pe):
		return pe.status, pe.detail, pe.errors
	case errors.As(err, &ve):
		return http.StatusUnprocessableEntity, "the input is invalid: see errors", ve.Problems
	case errors.As(err, &ie):
		// every row with its problem: the column as path, the row as line
		problems := make([]assessments.Problem, 0, len(ie.Problems))
		for _, r := range ie.Problems {
			problems = append(problems, assessments.Problem{Path: r.Column, Message: r.Message, Line: r.Row})
		}
		status := http.StatusUnprocessableEntity
		if errors.Is(err, piaflow.ErrForbidden) {
			status = http.StatusForbidden
		}
		return status, "the action list was not imported: see errors (path is the column, line the row)", problems
	case errors.As(err, &de) && errors.Is(err, piaflow.ErrInvalid) && len(de.Fields) > 0:
		problems := make([]assessments.Problem, 0, len(de.Fields))
		for _, f := range de.Fields {
			problems = append(problems, assessments.Problem{Path: f.Field, Message: f.Message})
		}
		return http.StatusUnprocessableEntity, "the input is invalid: see errors", problems
	case errors.Is(err, piaflow.ErrNotFound):
		return http.StatusNotFound, err.Error(), nil
	case errors.Is(err, piaflow.ErrConflict):
		return http.StatusConflict, err.Error(), nil
	case errors.Is(err, piaflow.ErrPrecondition):
		return http.StatusPreconditionFailed, err.Error(), nil
	case errors.Is(err, piaflow.ErrForbidden):
		return http.StatusForbidden, err.Error(), nil
	case errors.Is(err, piaflow.ErrInvalid):
		return http.StatusUnprocessableEntity, err.Error(), nil
	case errors.Is(err, piaflow.ErrUnavailable):
		return http.StatusServiceUnavailable, err.Error(), nil
	case errors.Is(err, piaflow.ErrRateLimited):
		return http.StatusTooManyRequests, err.Error(), nil
	case errors.As(err, &sc):
		return sc.StatusCode(), http.StatusText(sc.StatusCode()), nil
	}
	return http.StatusInternalServerError, "internal error", nil
}

// errorHandler renders every error as problem+json; internal errors are logged, not shown.
func (s *Server) errorHandler(c *echo.Context, err error) {
	if resp, uerr := echo.UnwrapResponse(c.Response()); uerr == nil && resp.Committed {
		return
	}
	status, detail, fields := statusOf(err)
	if status >= 500 {
		s.log.ErrorContext(c.Request().Context(), "request failed", "error", err, "path", c.Request().URL.Path, "request_id", requestID(c))
	}
	p := Problem{
		Type:     "about:blank",
		Title:    http.StatusText(status),
		Status:   status,
		Detail:   detail,
		Instance: c.Request().URL.Path,
		Errors:   fields,
	}
	if piaflow.ReasonOf(err) == piaflow.ReasonOpenBlockers {
		p.OpenBlockers = piaflow.KeysOf(err)
	}
	if status == http.StatusUnauthorized {
		c.Response().Header().Set("WWW-Authenticate", `Bearer realm="piaflow"`)
	}
	if wait := piaflow.RetryAfterOf(err); wait > 0 && (status == http.StatusServiceUnavailable || status == http.StatusTooManyRequests) {
		c.Response().Header().Set("Retry-After", retryAfter(wait))
	}
	b, merr := json.Marshal(p)
	if merr != nil {
		b = []byte(`{"type":"about:blank","title":"Internal Server Error","status":500}`)
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(status)
		return
	}
	_ = c.Blob(status, "application/problem+json", b)
}

// retryAfter is a Retry-After value: whole seconds, rounded up, at least one.
func retryAfter(d time.Duration) string {
	return strconv.FormatInt(int64(max((d+time.Second-1)/time.Second, 1)), 10)
}

package api

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v5"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/internal/httpx"
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

// errorHandler renders every error as problem+json; internal errors are logged, not shown.
func (s *Server) errorHandler(c *echo.Context, err error) {
	if resp, uerr := echo.UnwrapResponse(c.Response()); uerr == nil && resp.Committed {
		return
	}
	status, detail, fields := httpx.StatusOf(err)
	if status >= 500 {
		s.log.ErrorContext(c.Request().Context(), "request failed", "error", err, "path", c.Request().URL.Path, "request_id", httpx.RequestID(c))
	}
	p := Problem{
		Type:     problemType(err),
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

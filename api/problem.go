package api

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v5"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/i18n"
	"github.com/piaflow/piaflow/internal/httpx"
)

// Problem is an RFC 9457 problem details document (application/problem+json). Title, Detail
// and each error's message are in the language of the request's ?lang= on the endpoints that
// take it (once read: a bad ?lang= itself is answered by Accept-Language), else the language the
// request's Accept-Language header picks (i18n.Match: English or Simplified Chinese); the paths
// and codes are the same in every language.
type Problem struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail,omitempty"`
	Instance string `json:"instance,omitempty"`
	// Errors lists the invalid fields, each with its path (validation failures).
	Errors []ProblemItem `json:"errors,omitempty"`
	// OpenBlockers lists the finding keys of the blocker findings whose risk legal has not
	// accepted, when an approval is refused for them.
	OpenBlockers []string `json:"open_blockers,omitempty"`
}

// ProblemItem is one invalid field of a Problem: the validation problem (path, line, message
// code and arguments) with its message in the response's language and, when the path names a
// question of the questionnaire, the question's label in that language.
type ProblemItem struct {
	assessments.Problem
	// Label is the question's label as the web UI's wizard shows it ("Activity 1 › Data
	// subject group 1 › Countries where they are"), when the path names one.
	Label string `json:"label,omitempty"`
}

// problemItems localises problems for l.
func problemItems(l *i18n.Localizer, problems []assessments.Problem) []ProblemItem {
	if len(problems) == 0 {
		return nil
	}
	out := make([]ProblemItem, len(problems))
	for i, p := range problems {
		item := ProblemItem{Problem: p}
		item.Message = l.ProblemMessage(p)
		if label, ok := l.QuestionLabel(p.Path); ok {
			item.Label = label
		}
		out[i] = item
	}
	return out
}

// errorHandler renders every error as problem+json; internal errors are logged, not shown.
func (s *Server) errorHandler(c *echo.Context, err error) {
	if resp, uerr := echo.UnwrapResponse(c.Response()); uerr == nil && resp.Committed {
		return
	}
	e := httpx.Explain(err)
	status := e.Status
	if status >= 500 {
		s.log.ErrorContext(c.Request().Context(), "request failed", "error", err, "path", c.Request().URL.Path, "request_id", httpx.RequestID(c))
	}
	l := s.problemLocalizer(c)
	p := Problem{
		Type:     problemType(err),
		Title:    e.Title(l),
		Status:   status,
		Detail:   e.DetailIn(l),
		Instance: c.Request().URL.Path,
		Errors:   problemItems(l, e.Errors),
	}
	if piaflow.ReasonOf(err) == piaflow.ReasonOpenBlockers {
		p.OpenBlockers = piaflow.KeysOf(err)
	}
	c.Response().Header().Add("Vary", "Accept-Language")
	if _, byQuery := c.Get(langKey).(string); byQuery || l.Lang() != i18n.English {
		c.Response().Header().Set("Content-Language", l.Lang())
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

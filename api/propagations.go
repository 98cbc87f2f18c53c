package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/labstack/echo/v5"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/internal/httpx"
)

// propagationRoutes are the background re-assessments: start one, list them, watch one.
func (s *Server) propagationRoutes(g *echo.Group) {
	// Any kind needs propagate; a policies propagation also reevaluate (the service decides).
	s.route(g, http.MethodPost, "/propagations", s.startPropagation, piaflow.CapPropagate, piaflow.CapReevaluate)
	s.route(g, http.MethodGet, "/propagations", s.listPropagations, piaflow.CapReadAssessments)
	s.route(g, http.MethodGet, "/propagations/:id", s.getPropagation, piaflow.CapReadAssessments)
}

// propagationRequest is the body of POST /api/v1/propagations.
type propagationRequest struct {
	Kind   string          `json:"kind"`
	Params json.RawMessage `json:"params,omitempty"`
	Reason string          `json:"reason"`
}

// startPropagation queues the re-assessment and answers 202 with the propagation and its
// Location, where its progress is read.
func (s *Server) startPropagation(c *echo.Context) error {
	var req propagationRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	p, err := s.svc.StartPropagation(c.Request().Context(), httpx.CurrentUser(c), req.Kind, req.Params, req.Reason)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Location", fmt.Sprintf("/api/v1/propagations/%d", p.ID))
	return c.JSON(http.StatusAccepted, p)
}

// pageOf reads ?limit= (1 to maxLimit, default def) and ?offset= (0 or more).
func pageOf(c *echo.Context, def, maxLimit int) (limit, offset int, err error) {
	limit = def
	for name, dst := range map[string]*int{"limit": &limit, "offset": &offset} {
		if v := c.QueryParam(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || (name == "limit" && (n < 1 || n > maxLimit)) {
				return 0, 0, invalidField(name, "query.page", "value", strconv.Quote(v), "name", name, "max", strconv.Itoa(maxLimit))
			}
			*dst = n
		}
	}
	return limit, offset, nil
}

// propagationList is a page of propagations.
type propagationList struct {
	Items  []piaflow.Propagation `json:"items"`
	Total  int64                 `json:"total"`
	Limit  int                   `json:"limit"`
	Offset int                   `json:"offset"`
}

func (s *Server) listPropagations(c *echo.Context) error {
	limit, offset, err := pageOf(c, piaflow.DefaultPageSize, piaflow.MaxPropagationPage)
	if err != nil {
		return err
	}
	items, total, err := s.svc.Propagations(c.Request().Context(), httpx.CurrentUser(c), limit, offset)
	if err != nil {
		return err
	}
	if items == nil {
		items = []piaflow.Propagation{}
	}
	return c.JSON(http.StatusOK, propagationList{Items: items, Total: total, Limit: limit, Offset: offset})
}

// propagationView is a propagation with a page of its outcomes.
type propagationView struct {
	piaflow.Propagation
	Outcomes       []piaflow.PropagationOutcome `json:"outcomes"`
	OutcomesTotal  int64                        `json:"outcomes_total"`
	OutcomesLimit  int                          `json:"outcomes_limit"`
	OutcomesOffset int                          `json:"outcomes_offset"`
}

func (s *Server) getPropagation(c *echo.Context) error {
	id, err := httpx.IDParam(c)
	if err != nil {
		return err
	}
	limit, offset, err := pageOf(c, piaflow.DefaultPageSize, piaflow.MaxOutcomePage)
	if err != nil {
		return err
	}
	state := c.QueryParam("state")
	if states := []string{"", piaflow.OutcomePending, piaflow.OutcomeDone, piaflow.OutcomeFailed}; !slices.Contains(states, state) {
		return invalidField("state", "not_in_vocabulary", "value", strconv.Quote(state), "allowed", "pending, done, failed")
	}
	p, err := s.svc.Propagation(c.Request().Context(), httpx.CurrentUser(c), id, state, limit, offset)
	if err != nil {
		return err
	}
	if p.Outcomes == nil {
		p.Outcomes = []piaflow.PropagationOutcome{}
	}
	return c.JSON(http.StatusOK, propagationView{Propagation: p.Propagation, Outcomes: p.Outcomes, OutcomesTotal: p.OutcomesTotal,
		OutcomesLimit: limit, OutcomesOffset: offset})
}

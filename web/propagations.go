package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v5"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/internal/httpx"
)

// outcomesPerPage is how many outcomes the propagation page shows at once.
const outcomesPerPage = 200

// propagationsData is the list of propagations with the form that starts one.
type propagationsData struct {
	Items  []piaflow.Propagation
	Total  int64
	Reason string
}

// propagationData is one propagation with a page of its outcomes.
type propagationData struct {
	P          piaflow.Propagation
	Outcomes   []piaflow.PropagationOutcome
	Total      int64
	Offset     int
	NextOffset int // 0: no next page
	Percent    int
}

func (s *UI) propagationsPage(c *echo.Context) error {
	return s.renderPropagations(c, http.StatusOK, "", "")
}

// renderPropagations renders the list (the newest page) with the start form's reason and error.
func (s *UI) renderPropagations(c *echo.Context, status int, reason, errMsg string) error {
	ctx, u := c.Request().Context(), httpx.CurrentUser(c)
	items, total, err := s.svc.Propagations(ctx, u, piaflow.MaxPropagationPage, 0)
	if err != nil {
		return err
	}
	v := s.newView(c, "ui.propagations.title")
	v.Nav, v.Data, v.Error = "propagations", propagationsData{Items: items, Total: total, Reason: reason}, errMsg
	return s.render(c, status, "propagations", v)
}

// startPropagationForm starts a propagation and shows its progress: of the policies, or (kind
// product with product and version, kind processor with processor) of a stored change whose
// impact list offered it.
func (s *UI) startPropagationForm(c *echo.Context) error {
	reason := strings.TrimSpace(c.FormValue("reason"))
	kind := c.FormValue("kind")
	var params json.RawMessage
	switch kind {
	case "":
		kind = piaflow.PropagationPolicies
	case piaflow.PropagationProduct, piaflow.PropagationProcessor:
		b, err := json.Marshal(piaflow.PropagationParams{Product: c.FormValue("product"), Version: c.FormValue("version"), Processor: c.FormValue("processor")})
		if err != nil {
			return fmt.Errorf("propagation params: %w", err)
		}
		params = b
	}
	p, err := s.svc.StartPropagation(c.Request().Context(), httpx.CurrentUser(c), kind, params, reason)
	switch {
	case errors.Is(err, piaflow.ErrInvalid) && kind != piaflow.PropagationPolicies:
		// the impact page's form: its reason, or a change too large to propagate
		l := s.localizer(c)
		msg := l.T("ui.propagations.reason_long", "limit", strconv.Itoa(piaflow.MaxTextLength))
		if piaflow.ReasonOf(err) == piaflow.ReasonTooLarge {
			msg = l.T("ui.impact.too_many", "limit", strconv.Itoa(piaflow.MaxPropagationDeployments))
		}
		return s.renderPropagations(c, http.StatusUnprocessableEntity, reason, msg)
	case errors.Is(err, piaflow.ErrInvalid):
		l := s.localizer(c)
		return s.renderPropagations(c, http.StatusUnprocessableEntity, reason, l.T("ui.propagations.reason_long", "limit", strconv.Itoa(piaflow.MaxTextLength)))
	case err != nil && p.ID == 0:
		return err
	}
	// Stored but not all queued (err != nil): the next start of the queue queues the rest.
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/propagations/%d", p.ID))
}

func (s *UI) propagationPage(c *echo.Context) error {
	id, err := httpx.IDParam(c)
	if err != nil {
		return err
	}
	offset, _ := strconv.Atoi(c.QueryParam("offset"))
	offset = max(offset, 0)
	ctx, u := c.Request().Context(), httpx.CurrentUser(c)
	p, err := s.svc.Propagation(ctx, u, id, "", outcomesPerPage, offset)
	if err != nil {
		return err
	}
	data := propagationData{P: p.Propagation, Outcomes: p.Outcomes, Total: p.OutcomesTotal, Offset: offset, Percent: 100}
	if p.Total > 0 {
		data.Percent = (p.Done + p.Failed) * 100 / p.Total
	}
	if int64(offset+outcomesPerPage) < p.OutcomesTotal {
		data.NextOffset = offset + outcomesPerPage
	}
	v := s.newView(c, "ui.propagation.title", "id", strconv.FormatUint(id, 10))
	v.Nav, v.Data = "propagations", data
	return s.render(c, http.StatusOK, "propagation", v)
}

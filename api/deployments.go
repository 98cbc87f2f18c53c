package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/labstack/echo/v5"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/i18n"
	"github.com/piaflow/piaflow/internal/httpx"
	"github.com/piaflow/piaflow/service"
)

// deploymentRoutes are the deployments, questionnaires, assessments, reviews and actions, each
// requiring its capability (piaflow.Can).
func (s *Server) deploymentRoutes(g *echo.Group) {
	s.route(g, http.MethodPost, "/deployments", s.createDeployment, piaflow.CapCreateDeployment)
	s.route(g, http.MethodGet, "/deployments", s.listDeployments, piaflow.CapReadDeployments)
	s.route(g, http.MethodGet, "/deployments/:id", s.getDeployment, piaflow.CapReadDeployments)
	s.route(g, http.MethodPost, "/deployments/:id/archive", s.archiveDeployment, piaflow.CapArchiveDeployment)
	s.route(g, http.MethodPut, "/deployments/:id/questionnaire", s.putQuestionnaire, piaflow.CapWriteQuestionnaire)
	s.route(g, http.MethodGet, "/deployments/:id/questionnaire", s.getQuestionnaire, piaflow.CapReadAssessments)
	s.route(g, http.MethodPost, "/deployments/:id/assessments", s.evaluate, piaflow.CapEvaluate)
	s.route(g, http.MethodGet, "/assessments/:id", s.getAssessment, piaflow.CapReadAssessments)
	s.route(g, http.MethodGet, "/deployments/:id/audit", listOf(s.svc.AuditLog), piaflow.CapReadAudit)
	s.route(g, http.MethodGet, "/audit", s.auditLog, piaflow.CapReadAudit)
	s.route(g, http.MethodGet, "/assessments/:id/diff", s.diff, piaflow.CapReadAssessments)
	s.route(g, http.MethodPost, "/reevaluate", s.reevaluate, piaflow.CapReevaluate)
	s.route(g, http.MethodGet, "/reevaluations", s.listReevaluations, piaflow.CapReadAssessments)
	s.route(g, http.MethodGet, "/reevaluations/:id", s.getReevaluation, piaflow.CapReadAssessments)
	s.route(g, http.MethodPost, "/assessments/:id/submit", s.submitReview, piaflow.CapSubmitReview)
	s.route(g, http.MethodPost, "/assessments/:id/approve", s.decide(true), piaflow.CapReview)
	s.route(g, http.MethodPost, "/assessments/:id/reject", s.decide(false), piaflow.CapReview)
	s.route(g, http.MethodGet, "/reviews", s.reviewQueue, piaflow.CapReadReviewQueue)
	s.route(g, http.MethodGet, "/deployments/:id/actions", s.listActions, piaflow.CapReadAssessments)
	s.route(g, http.MethodPatch, "/actions/:id", s.updateAction, piaflow.CapEditActions)
	s.route(g, http.MethodGet, "/actions/:id/comments", listOf(s.svc.Comments), piaflow.CapReadAssessments)
	s.route(g, http.MethodPost, "/actions/:id/comments", s.addComment, piaflow.CapComment)
	s.reportRoutes(g)
}

// sendItems answers a list as {"items": [...]}, an empty one as [] rather than null.
func sendItems[T any](c *echo.Context, items []T) error {
	if items == nil {
		items = []T{}
	}
	return c.JSON(http.StatusOK, map[string]any{"items": items})
}

// listOf answers GET .../{id}/... with the items list returns for the object id: a
// deployment's audit trail or actions, an action's comments.
func listOf[T any](list func(ctx context.Context, u piaflow.User, id uint64) ([]T, error)) echo.HandlerFunc {
	return func(c *echo.Context) error {
		id, err := httpx.IDParam(c)
		if err != nil {
			return err
		}
		items, err := list(c.Request().Context(), httpx.CurrentUser(c), id)
		if err != nil {
			return err
		}
		return sendItems(c, items)
	}
}

// revisionParam reads ?revision=N (0 when absent: the latest).
func revisionParam(c *echo.Context) (int, error) {
	v := c.QueryParam("revision")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, invalidField("revision", "query.revision", "value", strconv.Quote(v))
	}
	return n, nil
}

// createDeploymentRequest is the body of POST /api/v1/deployments.
type createDeploymentRequest struct {
	Name            string `json:"name"`
	Customer        string `json:"customer"`
	CustomerCountry string `json:"customer_country,omitempty"`
}

func (s *Server) createDeployment(c *echo.Context) error {
	var req createDeploymentRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	d, err := s.svc.CreateDeployment(c.Request().Context(), httpx.CurrentUser(c), piaflow.Deployment{Name: req.Name, Customer: req.Customer, CustomerCountry: req.CustomerCountry})
	if err != nil {
		return err
	}
	c.Response().Header().Set("Location", fmt.Sprintf("/api/v1/deployments/%d", d.ID))
	return c.JSON(http.StatusCreated, d)
}

// deploymentList is a page of deployments.
type deploymentList struct {
	Items  []piaflow.Deployment `json:"items"`
	Total  int64                `json:"total"`
	Limit  int                  `json:"limit"`
	Offset int                  `json:"offset"`
}

func (s *Server) listDeployments(c *echo.Context) error {
	f := piaflow.DeploymentFilter{Customer: c.QueryParam("customer"), Country: c.QueryParam("country"), Verdict: c.QueryParam("verdict"),
		Status: c.QueryParam("status"), Review: c.QueryParam("review"), Limit: piaflow.DefaultPageSize}
	if v := c.QueryParam("accepted_risks"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return invalidField("accepted_risks", "query.bool", "value", strconv.Quote(v))
		}
		f.AcceptedRisks = &b
	}
	for name, dst := range map[string]*int{"limit": &f.Limit, "offset": &f.Offset} {
		if v := c.QueryParam(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || (name == "limit" && (n < 1 || n > piaflow.MaxPageSize)) {
				return invalidField(name, "query.page", "value", strconv.Quote(v), "name", name, "max", strconv.Itoa(piaflow.MaxPageSize))
			}
			*dst = n
		}
	}
	items, total, err := s.svc.Deployments(c.Request().Context(), httpx.CurrentUser(c), f)
	if err != nil {
		return err
	}
	if items == nil {
		items = []piaflow.Deployment{}
	}
	return c.JSON(http.StatusOK, deploymentList{Items: items, Total: total, Limit: f.Limit, Offset: f.Offset})
}

func (s *Server) getDeployment(c *echo.Context) error {
	id, err := httpx.IDParam(c)
	if err != nil {
		return err
	}
	d, err := s.svc.Deployment(c.Request().Context(), httpx.CurrentUser(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d)
}

func (s *Server) archiveDeployment(c *echo.Context) error {
	id, err := httpx.IDParam(c)
	if err != nil {
		return err
	}
	d, err := s.svc.ArchiveDeployment(c.Request().Context(), httpx.CurrentUser(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d)
}

// putQuestionnaire saves a new revision. ?draft=true keeps an incomplete questionnaire (it must
// still be a JSON object); otherwise it must be valid. If-Match must carry the latest ETag.
func (s *Server) putQuestionnaire(c *echo.Context) error {
	id, err := httpx.IDParam(c)
	if err != nil {
		return err
	}
	ctx, u := c.Request().Context(), httpx.CurrentUser(c)
	draft := false
	if v := c.QueryParam("draft"); v != "" {
		if draft, err = strconv.ParseBool(v); err != nil {
			return invalidField("draft", "query.bool", "value", strconv.Quote(v))
		}
	}
	ifMatch, err := ifMatchOf(c)
	if err != nil {
		return err
	}
	d, err := s.svc.Deployment(ctx, u, id)
	if err != nil {
		return err
	}
	if d.LatestRevision > 0 && ifMatch == "" {
		return httpx.Msg(http.StatusPreconditionRequired, "error.http.if_match_required")
	}
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return httpx.Msg(http.StatusRequestEntityTooLarge, "error.http.body_too_large", "max", piaflow.MaxBodyBytes)
	}
	var r piaflow.Revision
	if draft {
		var obj map[string]any
		if err := json.Unmarshal(body, &obj); err != nil || obj == nil {
			return httpx.Msg(http.StatusBadRequest, "error.http.draft_object")
		}
		r, err = s.svc.SaveDraft(ctx, u, id, ifMatch, obj)
	} else {
		r, _, err = s.svc.SaveQuestionnaire(ctx, u, id, ifMatch, body)
	}
	if errors.Is(err, piaflow.ErrPrecondition) {
		return httpx.Msg(http.StatusPreconditionFailed, "error.http.etag_changed")
	}
	if err != nil {
		return err
	}
	c.Response().Header().Set("Location", fmt.Sprintf("/api/v1/deployments/%d/questionnaire?revision=%d", id, r.Number))
	c.Response().Header().Set("ETag", `"`+r.ETag+`"`)
	if r.Number <= d.LatestRevision {
		// the same answers as the latest revision: the service kept no new one
		return c.JSON(http.StatusOK, r)
	}
	return c.JSON(http.StatusCreated, r)
}

// questionnaireFormat picks the form GET .../questionnaire answers in: ?format=json|yaml (a
// download link, which sends no Accept header), else the Accept header (application/yaml or
// text/yaml over JSON only when preferred to it), else JSON.
func questionnaireFormat(c *echo.Context) (string, error) {
	switch f := c.QueryParam("format"); f {
	case "json", "yaml":
		return f, nil
	case "":
	default:
		return "", invalidField("format", "query.format", "value", strconv.Quote(f))
	}
	best, bestQ := "json", -1.0
	for _, part := range strings.Split(c.Request().Header.Get("Accept"), ",") {
		mt, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			if k, v, ok := strings.Cut(strings.TrimSpace(p), "="); ok && strings.EqualFold(k, "q") {
				if f, err := strconv.ParseFloat(v, 64); err == nil {
					q = f
				}
			}
		}
		format := ""
		switch strings.ToLower(strings.TrimSpace(mt)) {
		case "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml":
			format = "yaml"
		case "application/json", "application/*", "*/*":
			format = "json"
		}
		if format != "" && q > 0 && q > bestQ {
			best, bestQ = format, q
		}
	}
	return best, nil
}

func (s *Server) getQuestionnaire(c *echo.Context) error {
	id, err := httpx.IDParam(c)
	if err != nil {
		return err
	}
	n, err := revisionParam(c)
	if err != nil {
		return err
	}
	format, err := questionnaireFormat(c)
	if err != nil {
		return err
	}
	r, err := s.svc.Revision(c.Request().Context(), httpx.CurrentUser(c), id, n)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("ETag", `"`+r.ETag+`"`)
	h.Set("X-Revision", strconv.Itoa(r.Number))
	h.Add("Vary", "Accept")
	if c.QueryParam("format") != "" {
		h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="deployment-%d-revision-%d.%s"`, id, r.Number, format))
	}
	if format == "yaml" {
		y, err := assessments.DocumentYAML([]byte(r.Document))
		if err != nil {
			return err
		}
		return c.Blob(http.StatusOK, "application/yaml; charset=utf-8", y)
	}
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, []byte(r.Document))
}

// storedAssessment is an assessment as the API returns it.
type storedAssessment struct {
	ID            uint64     `json:"id"`
	DeploymentID  uint64     `json:"deployment_id"`
	Revision      int        `json:"revision,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
	ReviewState   string     `json:"review_state"`
	Reviewer      string     `json:"reviewer,omitempty"`
	ReviewComment string     `json:"review_comment,omitempty"`
	ReviewedAt    *time.Time `json:"reviewed_at,omitempty"`
	// AcceptedRisks counts the blocker findings approved with their risk accepted by legal,
	// listed in AcceptedRiskDetails.
	AcceptedRisks       int                     `json:"accepted_risks"`
	AcceptedRiskDetails []piaflow.AcceptedRisk  `json:"accepted_risk_details,omitempty"`
	Assessment          *assessments.Assessment `json:"assessment,omitempty"`
}

func stored(rec piaflow.AssessmentRecord, revision int, a *assessments.Assessment) storedAssessment {
	return storedAssessment{ID: rec.ID, DeploymentID: rec.DeploymentID, Revision: revision, CreatedAt: rec.CreatedAt,
		ReviewState: rec.ReviewState, Reviewer: rec.Reviewer, ReviewComment: rec.ReviewComment, ReviewedAt: rec.ReviewedAt,
		AcceptedRisks: rec.AcceptedRisks, AcceptedRiskDetails: rec.AcceptedRiskDetails, Assessment: a}
}

// evaluate assesses the latest revision (?revision=N for another); a draft cannot be evaluated.
// ?lang= answers the assessment's texts in that language (the stored assessment stays English).
func (s *Server) evaluate(c *echo.Context) error {
	l, err := s.langOf(c)
	if err != nil {
		return err
	}
	id, err := httpx.IDParam(c)
	if err != nil {
		return err
	}
	n, err := revisionParam(c)
	if err != nil {
		return err
	}
	a, err := s.svc.Evaluate(c.Request().Context(), httpx.CurrentUser(c), id, n)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Location", fmt.Sprintf("/api/v1/assessments/%d", a.Record.ID))
	if l == nil && a.Record.Result != "" {
		return sendStored(c, http.StatusCreated, stored(a.Record, a.Revision, nil), a.Record.Result)
	}
	return sendLocalised(c, http.StatusCreated, stored(a.Record, a.Revision, localiseAssessment(l, a.Result)))
}

// sendStored answers head with result, the assessment's JSON as stored (json.Marshal of the
// assessment), as its "assessment": the bytes c.JSON would write for head with the assessment,
// without encoding the assessment a second time. head.Assessment must be nil.
func sendStored(c *echo.Context, status int, head storedAssessment, result string) error {
	b, err := json.Marshal(head)
	if err != nil {
		return fmt.Errorf("encode assessment record: %w", err)
	}
	// "assessment" is head's last field, omitted when nil: it goes before the closing brace.
	// The result is written as it is kept, not copied into one answer.
	const field, end = `,"assessment":`, "}\n"
	contentLanguage(c)
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
	h.Set(echo.HeaderContentLength, strconv.Itoa(len(b)-1+len(field)+len(result)+len(end)))
	c.Response().WriteHeader(status)
	for _, part := range [][]byte{b[:len(b)-1], []byte(field), unsafe.Slice(unsafe.StringData(result), len(result)) /* read only */, []byte(end)} {
		if _, err := c.Response().Write(part); err != nil {
			return fmt.Errorf("write assessment: %w", err)
		}
	}
	return nil
}

// getAssessment answers a stored assessment; ?lang= its texts in that language.
func (s *Server) getAssessment(c *echo.Context) error {
	l, err := s.langOf(c)
	if err != nil {
		return err
	}
	id, err := httpx.IDParam(c)
	if err != nil {
		return err
	}
	a, err := s.svc.Assessment(c.Request().Context(), httpx.CurrentUser(c), id)
	if err != nil {
		return err
	}
	return sendLocalised(c, http.StatusOK, stored(a.Record, 0, localiseAssessment(l, a.Result)))
}

// localiseAssessment is a in l's language (a copy), a itself when l is nil.
func localiseAssessment(l *i18n.Localizer, a *assessments.Assessment) *assessments.Assessment {
	if l == nil {
		return a
	}
	return l.LocaliseAssessment(a)
}

func (s *Server) submitReview(c *echo.Context) error {
	id, err := httpx.IDParam(c)
	if err != nil {
		return err
	}
	rec, err := s.svc.SubmitReview(c.Request().Context(), httpx.CurrentUser(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, stored(rec, 0, nil))
}

// reviewRequest is the body of approve and reject.
type reviewRequest struct {
	Comment string `json:"comment"`
}

func (s *Server) decide(approve bool) echo.HandlerFunc {
	return func(c *echo.Context) error {
		id, err := httpx.IDParam(c)
		if err != nil {
			return err
		}
		var req reviewRequest
		if err := decode(c, &req); err != nil {
			return err
		}
		rec, err := s.svc.DecideReview(c.Request().Context(), httpx.CurrentUser(c), id, approve, req.Comment)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, stored(rec, 0, nil))
	}
}

func (s *Server) reviewQueue(c *echo.Context) error {
	q, err := s.svc.ReviewQueue(c.Request().Context(), httpx.CurrentUser(c))
	if err != nil {
		return err
	}
	out := make([]storedAssessment, 0, len(q))
	for _, rec := range q {
		out = append(out, stored(rec, 0, nil))
	}
	return sendItems(c, out)
}

// diff compares assessment {id} with ?against={other} (what changed from other to id); ?lang=
// answers the findings' texts in that language.
func (s *Server) diff(c *echo.Context) error {
	l, err := s.langOf(c)
	if err != nil {
		return err
	}
	id, err := httpx.IDParam(c)
	if err != nil {
		return err
	}
	other, err := strconv.ParseUint(c.QueryParam("against"), 10, 63)
	if err != nil || other == 0 {
		return invalidField("against", "query.against")
	}
	d, err := s.svc.Compare(c.Request().Context(), httpx.CurrentUser(c), id, other)
	if err != nil {
		return err
	}
	if l != nil {
		d = l.LocaliseDiff(d)
	}
	return sendLocalised(c, http.StatusOK, d)
}

// listActions answers a deployment's actions; ?lang= their titles in that language.
func (s *Server) listActions(c *echo.Context) error {
	l, err := s.langOf(c)
	if err != nil {
		return err
	}
	id, err := httpx.IDParam(c)
	if err != nil {
		return err
	}
	items, err := s.svc.Actions(c.Request().Context(), httpx.CurrentUser(c), id)
	if err != nil {
		return err
	}
	if l != nil && items != nil {
		out := make([]piaflow.Action, len(items))
		for i, a := range items {
			out[i] = localiseAction(l, a)
		}
		items = out
	}
	contentLanguage(c)
	return sendItems(c, items)
}

// reevaluate starts a re-evaluation run of every active deployment with the current policies
// (background jobs, service.StartReevaluation) and answers 202 at once with the run and its
// Location, where its progress and the deployments it changed are read.
func (s *Server) reevaluate(c *echo.Context) error {
	p, err := s.svc.StartReevaluation(c.Request().Context(), httpx.CurrentUser(c))
	if err != nil {
		return err
	}
	c.Response().Header().Set("Location", fmt.Sprintf("/api/v1/reevaluations/%d", p.ID))
	return c.JSON(http.StatusAccepted, reevaluationOf(service.ReevaluationRun{Propagation: p}))
}

// reevaluation is a re-evaluation run as the API shows it: its progress (Checked of Total),
// what it found, and a page of the deployments it changed and of those that failed.
type reevaluation struct {
	ID            uint64                   `json:"id"`
	Status        string                   `json:"status"`
	PolicyVersion string                   `json:"policy_version"`
	Total         int                      `json:"total"`
	Checked       int                      `json:"checked"`
	Changed       int                      `json:"changed"`
	Unchanged     int                      `json:"unchanged"`
	Failed        int                      `json:"failed"`
	Requester     string                   `json:"requester"`
	StartedAt     time.Time                `json:"started_at"`
	FinishedAt    *time.Time               `json:"finished_at,omitempty"`
	Deployments   *reevaluationDeployments `json:"deployments,omitempty"`
}

// reevaluationDeployments are the first outcomes of a run that changed and that failed.
type reevaluationDeployments struct {
	Changed []piaflow.PropagationOutcome `json:"changed"`
	Failed  []piaflow.PropagationOutcome `json:"failed"`
	// ChangedMore and FailedMore count those left off the page (GET
	// /api/v1/propagations/{id}?state= pages through all the outcomes).
	ChangedMore int64 `json:"changed_more"`
	FailedMore  int64 `json:"failed_more"`
}

// reevaluationOf is the API's view of run r; its deployments only when they were read.
func reevaluationOf(r service.ReevaluationRun) reevaluation {
	p := r.Propagation
	out := reevaluation{ID: p.ID, Status: p.State, PolicyVersion: p.PolicyVersion, Total: p.Total, Checked: p.Done + p.Failed,
		Changed: p.Changed, Unchanged: p.Unchanged, Failed: p.Failed, Requester: p.Requester, StartedAt: p.CreatedAt, FinishedAt: p.FinishedAt}
	if r.ChangedOutcomes != nil || r.FailedOutcomes != nil {
		d := &reevaluationDeployments{Changed: r.ChangedOutcomes, Failed: r.FailedOutcomes,
			ChangedMore: r.ChangedTotal - int64(len(r.ChangedOutcomes)), FailedMore: r.FailedTotal - int64(len(r.FailedOutcomes))}
		if d.Changed == nil {
			d.Changed = []piaflow.PropagationOutcome{}
		}
		if d.Failed == nil {
			d.Failed = []piaflow.PropagationOutcome{}
		}
		out.Deployments = d
	}
	return out
}

// getReevaluation shows a run with at most ?limit= (default piaflow.DefaultPageSize, at most
// piaflow.MaxOutcomePage) changed and failed deployments each.
func (s *Server) getReevaluation(c *echo.Context) error {
	id, err := httpx.IDParam(c)
	if err != nil {
		return err
	}
	limit, _, err := pageOf(c, piaflow.DefaultPageSize, piaflow.MaxOutcomePage)
	if err != nil {
		return err
	}
	r, err := s.svc.Reevaluation(c.Request().Context(), httpx.CurrentUser(c), id, limit)
	if err != nil {
		return err
	}
	if r.ChangedOutcomes == nil {
		r.ChangedOutcomes = []piaflow.PropagationOutcome{}
	}
	return c.JSON(http.StatusOK, reevaluationOf(r))
}

// reevaluationList is a page of runs.
type reevaluationList struct {
	Items  []reevaluation `json:"items"`
	Total  int64          `json:"total"`
	Limit  int            `json:"limit"`
	Offset int            `json:"offset"`
}

// listReevaluations lists the runs, newest first, a page of ?limit= (at most
// piaflow.MaxPropagationPage) from ?offset=.
func (s *Server) listReevaluations(c *echo.Context) error {
	limit, offset, err := pageOf(c, piaflow.DefaultPageSize, piaflow.MaxPropagationPage)
	if err != nil {
		return err
	}
	ps, total, err := s.svc.Reevaluations(c.Request().Context(), httpx.CurrentUser(c), limit, offset)
	if err != nil {
		return err
	}
	items := make([]reevaluation, len(ps))
	for i, p := range ps {
		items[i] = reevaluationOf(service.ReevaluationRun{Propagation: p})
	}
	return c.JSON(http.StatusOK, reevaluationList{Items: items, Total: total, Limit: limit, Offset: offset})
}

// actionPatch is the body of PATCH /api/v1/actions/{id}.
type actionPatch struct {
	Status        *string `json:"status,omitempty"`
	Assignee      *string `json:"assignee,omitempty"`
	Justification *string `json:"justification,omitempty"`
}

func (s *Server) updateAction(c *echo.Context) error {
	id, err := httpx.IDParam(c)
	if err != nil {
		return err
	}
	var p actionPatch
	if err := decode(c, &p); err != nil {
		return err
	}
	a, err := s.svc.UpdateAction(c.Request().Context(), httpx.CurrentUser(c), id, piaflow.ActionUpdate{Status: p.Status, Assignee: p.Assignee, Justification: p.Justification})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, a)
}

// commentRequest is the body of POST /api/v1/actions/{id}/comments.
type commentRequest struct {
	Body string `json:"body"`
}

func (s *Server) addComment(c *echo.Context) error {
	id, err := httpx.IDParam(c)
	if err != nil {
		return err
	}
	var req commentRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	cm, err := s.svc.AddComment(c.Request().Context(), httpx.CurrentUser(c), id, req.Body)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Location", fmt.Sprintf("/api/v1/actions/%d/comments", id))
	return c.JSON(http.StatusCreated, cm)
}

// auditLog pages through the whole audit log (users and tokens included), oldest first, from
// ?after_id= (exclusive), at most ?limit= (1 to piaflow.MaxAuditPage, default 100) events.
func (s *Server) auditLog(c *echo.Context) error {
	after, limit := uint64(0), 100
	if v := c.QueryParam("after_id"); v != "" {
		n, err := strconv.ParseUint(v, 10, 63)
		if err != nil {
			return invalidField("after_id", "query.event_id", "value", strconv.Quote(v))
		}
		after = n
	}
	if v := c.QueryParam("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > piaflow.MaxAuditPage {
			return invalidField("limit", "query.limit", "value", strconv.Quote(v), "max", strconv.Itoa(piaflow.MaxAuditPage))
		}
		limit = n
	}
	events, err := s.svc.AuditAfter(c.Request().Context(), httpx.CurrentUser(c), after, limit)
	if err != nil {
		return err
	}
	return sendItems(c, events)
}

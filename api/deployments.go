package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v5"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/policies"
)

// Who may do what: engineers (and admins) write; everyone reads deployments with their verdicts;
// sales sees no more than that (the hosting check and read-only verdicts), the others read the
// questionnaires, assessments, actions and comments too.
var (
	writers = []string{piaflow.RoleEngineer, piaflow.RoleAdmin}
	readers = piaflow.Roles()
	// details are the roles that read beyond verdicts.
	details = []string{piaflow.RoleEngineer, piaflow.RoleLegal, piaflow.RoleAdmin}
)

func (s *Server) deploymentRoutes(g *echo.Group) {
	g.POST("/deployments", s.createDeployment, allow(writers...))
	g.GET("/deployments", s.listDeployments, allow(readers...))
	g.GET("/deployments/:id", s.getDeployment, allow(readers...))
	g.POST("/deployments/:id/archive", s.archiveDeployment, allow(writers...))
	g.PUT("/deployments/:id/questionnaire", s.putQuestionnaire, allow(writers...))
	g.GET("/deployments/:id/questionnaire", s.getQuestionnaire, allow(details...))
	g.POST("/deployments/:id/assessments", s.evaluate, allow(writers...))
	g.GET("/assessments/:id", s.getAssessment, allow(details...))
	g.GET("/deployments/:id/audit", s.audit, allow(piaflow.RoleLegal, piaflow.RoleAdmin))
	g.GET("/audit", s.auditLog, allow(piaflow.RoleLegal, piaflow.RoleAdmin))
	g.GET("/assessments/:id/diff", s.diff, allow(details...))
	g.POST("/reevaluate", s.reevaluate, allow(piaflow.RoleLegal, piaflow.RoleAdmin))
	g.POST("/assessments/:id/submit", s.submitReview, allow(writers...))
	g.POST("/assessments/:id/approve", s.decide(true), allow(piaflow.RoleLegal))
	g.POST("/assessments/:id/reject", s.decide(false), allow(piaflow.RoleLegal))
	g.GET("/reviews", s.reviewQueue, allow(piaflow.RoleLegal, piaflow.RoleAdmin))
	g.GET("/deployments/:id/actions", s.listActions, allow(details...))
	g.PATCH("/actions/:id", s.updateAction, allow(piaflow.RoleEngineer, piaflow.RoleLegal, piaflow.RoleAdmin))
	g.GET("/actions/:id/comments", s.listComments, allow(details...))
	g.POST("/actions/:id/comments", s.addComment, allow(piaflow.RoleEngineer, piaflow.RoleLegal, piaflow.RoleAdmin))
	s.reportRoutes(g)
}

func invalid(path, msg string) error {
	return &problemError{status: http.StatusUnprocessableEntity, detail: "the input is invalid: see errors", errors: []assessments.Problem{{Path: path, Message: msg}}}
}

func idParam(c *echo.Context) (uint64, error) {
	id, err := strconv.ParseUint(c.Param("id"), 10, 63)
	if err != nil || id == 0 {
		return 0, problemf(http.StatusNotFound, "no object with id %q", c.Param("id"))
	}
	return id, nil
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
	if err := checkText(textField{"name", req.Name, 200}, textField{"customer", req.Customer, 200}); err != nil {
		return err
	}
	var problems []assessments.Problem
	if strings.TrimSpace(req.Name) == "" {
		problems = append(problems, assessments.Problem{Path: "name", Message: "is required"})
	}
	if strings.TrimSpace(req.Customer) == "" {
		problems = append(problems, assessments.Problem{Path: "customer", Message: "is required"})
	}
	if _, ok := policies.CountryName(req.CustomerCountry); req.CustomerCountry != "" && !ok {
		problems = append(problems, assessments.Problem{Path: "customer_country", Message: fmt.Sprintf("%q is not an ISO 3166-1 alpha-2 code", req.CustomerCountry)})
	}
	if len(problems) > 0 {
		return &problemError{status: http.StatusUnprocessableEntity, detail: "the input is invalid: see errors", errors: problems}
	}
	u := currentUser(c)
	d, err := s.st.CreateDeployment(c.Request().Context(), &u, piaflow.Deployment{Name: strings.TrimSpace(req.Name), Customer: strings.TrimSpace(req.Customer), CustomerCountry: req.CustomerCountry})
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
	if err := checkText(textField{"customer", c.QueryParam("customer"), 200}); err != nil {
		return err
	}
	f := piaflow.DeploymentFilter{Customer: c.QueryParam("customer"), Country: c.QueryParam("country"), Verdict: c.QueryParam("verdict"),
		Status: c.QueryParam("status"), Review: c.QueryParam("review"), Limit: 50}
	for name, dst := range map[string]*int{"limit": &f.Limit, "offset": &f.Offset} {
		if v := c.QueryParam(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || (name == "limit" && (n < 1 || n > 200)) {
				return invalid(name, fmt.Sprintf("%q is not a valid %s (limit: 1 to 200; offset: 0 or more)", v, name))
			}
			*dst = n
		}
	}
	items, total, err := s.st.Deployments(c.Request().Context(), f)
	if err != nil {
		return err
	}
	if items == nil {
		items = []piaflow.Deployment{}
	}
	return c.JSON(http.StatusOK, deploymentList{Items: items, Total: total, Limit: f.Limit, Offset: f.Offset})
}

func (s *Server) getDeployment(c *echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	d, err := s.st.Deployment(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d)
}

func (s *Server) archiveDeployment(c *echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	u := currentUser(c)
	d, err := s.st.ArchiveDeployment(c.Request().Context(), &u, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d)
}

// putQuestionnaire saves a new revision. ?draft=true keeps an incomplete questionnaire (it must
// still be a JSON object); otherwise it must be valid. If-Match must carry the latest ETag.
func (s *Server) putQuestionnaire(c *echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	draft := false
	if v := c.QueryParam("draft"); v != "" {
		if draft, err = strconv.ParseBool(v); err != nil {
			return invalid("draft", fmt.Sprintf("%q is not true or false", v))
		}
	}
	ifMatch := strings.TrimSpace(c.Request().Header.Get("If-Match"))
	ifMatch = strings.Trim(strings.TrimPrefix(ifMatch, "W/"), `"`)
	d, err := s.st.Deployment(c.Request().Context(), id)
	if err != nil {
		return err
	}
	if d.LatestRevision > 0 && ifMatch == "" {
		return problemf(http.StatusPreconditionRequired, "send If-Match with the ETag of the latest revision (GET the questionnaire), so that no one's changes are overwritten")
	}
	if ifMatch == "*" && d.LatestRevision > 0 {
		latest, err := s.st.Revision(c.Request().Context(), id, 0)
		if err != nil {
			return err
		}
		ifMatch = latest.ETag
	}
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return problemf(http.StatusRequestEntityTooLarge, "the body is larger than %d bytes", MaxBodyBytes)
	}
	var doc []byte
	if draft {
		var obj map[string]any
		if err := json.Unmarshal(body, &obj); err != nil || obj == nil {
			return problemf(http.StatusBadRequest, "a draft must be a JSON object")
		}
		doc, _ = json.Marshal(obj)
	} else {
		q, err := assessments.Parse(body)
		if err != nil {
			return err
		}
		if doc, err = json.Marshal(q); err != nil {
			return fmt.Errorf("encode questionnaire: %w", err)
		}
	}
	u := currentUser(c)
	r, err := s.st.SaveRevision(c.Request().Context(), &u, id, ifMatch, doc, draft)
	if errors.Is(err, piaflow.ErrPrecondition) {
		return problemf(http.StatusPreconditionFailed, "the questionnaire changed since the ETag you sent: GET it again and reapply your changes")
	}
	if err != nil {
		return err
	}
	c.Response().Header().Set("Location", fmt.Sprintf("/api/v1/deployments/%d/questionnaire?revision=%d", id, r.Number))
	c.Response().Header().Set("ETag", `"`+r.ETag+`"`)
	return c.JSON(http.StatusCreated, r)
}

func (s *Server) getQuestionnaire(c *echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	n := 0
	if v := c.QueryParam("revision"); v != "" {
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			return invalid("revision", fmt.Sprintf("%q is not a revision number", v))
		}
	}
	r, err := s.st.Revision(c.Request().Context(), id, n)
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", `"`+r.ETag+`"`)
	c.Response().Header().Set("X-Revision", strconv.Itoa(r.Number))
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, []byte(r.Document))
}

// storedAssessment is an assessment as the API returns it.
type storedAssessment struct {
	ID            uint64                  `json:"id"`
	DeploymentID  uint64                  `json:"deployment_id"`
	Revision      int                     `json:"revision,omitempty"`
	CreatedAt     time.Time               `json:"created_at"`
	ReviewState   string                  `json:"review_state"`
	Reviewer      string                  `json:"reviewer,omitempty"`
	ReviewComment string                  `json:"review_comment,omitempty"`
	ReviewedAt    *time.Time              `json:"reviewed_at,omitempty"`
	Assessment    *assessments.Assessment `json:"assessment,omitempty"`
}

func stored(rec piaflow.AssessmentRecord, revision int, a *assessments.Assessment) storedAssessment {
	return storedAssessment{ID: rec.ID, DeploymentID: rec.DeploymentID, Revision: revision, CreatedAt: rec.CreatedAt,
		ReviewState: rec.ReviewState, Reviewer: rec.Reviewer, ReviewComment: rec.ReviewComment, ReviewedAt: rec.ReviewedAt, Assessment: a}
}

// evaluate assesses the latest revision (?revision=N for another); a draft cannot be evaluated.
func (s *Server) evaluate(c *echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	n := 0
	if v := c.QueryParam("revision"); v != "" {
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			return invalid("revision", fmt.Sprintf("%q is not a revision number", v))
		}
	}
	r, err := s.st.Revision(ctx, id, n)
	if err != nil {
		return err
	}
	if r.Draft {
		return problemf(http.StatusConflict, "revision %d is a draft: submit a complete questionnaire before evaluating", r.Number)
	}
	u := currentUser(c)
	rec, a, err := s.assessRevision(ctx, &u, r)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Location", fmt.Sprintf("/api/v1/assessments/%d", rec.ID))
	return c.JSON(http.StatusCreated, stored(rec, r.Number, a))
}

// assessRevision evaluates a complete revision with today's law and stores the assessment and
// its actions (the API's evaluate and the wizard's submit).
func (s *Server) assessRevision(ctx context.Context, u *piaflow.User, r piaflow.Revision) (piaflow.AssessmentRecord, *assessments.Assessment, error) {
	q, err := assessments.Parse([]byte(r.Document))
	if err != nil {
		return piaflow.AssessmentRecord{}, nil, fmt.Errorf("parse revision %d: %w", r.Number, err)
	}
	a, err := s.ev.Assess(ctx, q, time.Time{})
	if err != nil {
		return piaflow.AssessmentRecord{}, nil, err
	}
	rec, err := s.saveAssessment(ctx, u, r, a)
	return rec, a, err
}

func (s *Server) getAssessment(c *echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	rec, a, err := s.loadAssessment(c, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, stored(rec, 0, a))
}

func (s *Server) submitReview(c *echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	u := currentUser(c)
	rec, err := s.st.Review(c.Request().Context(), &u, id, "submit_review", func(a *piaflow.AssessmentRecord, _ time.Time) error { return a.Submit() })
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
		id, err := idParam(c)
		if err != nil {
			return err
		}
		var req reviewRequest
		if err := decode(c, &req); err != nil {
			return err
		}
		if !approve && strings.TrimSpace(req.Comment) == "" {
			return invalid("comment", "a rejection needs a comment")
		}
		if err := checkText(textField{"comment", req.Comment, 10000}); err != nil {
			return err
		}
		u := currentUser(c)
		action := "reject"
		if approve {
			action = "approve"
		}
		rec, err := s.st.Review(c.Request().Context(), &u, id, action, func(a *piaflow.AssessmentRecord, now time.Time) error {
			return a.Decide(u, approve, req.Comment, now)
		})
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, stored(rec, 0, nil))
	}
}

func (s *Server) reviewQueue(c *echo.Context) error {
	q, err := s.st.ReviewQueue(c.Request().Context())
	if err != nil {
		return err
	}
	out := make([]storedAssessment, 0, len(q))
	for _, rec := range q {
		out = append(out, stored(rec, 0, nil))
	}
	return c.JSON(http.StatusOK, map[string]any{"items": out})
}

// audit lists the deployment's audit trail, oldest first (legal and admin only).
func (s *Server) audit(c *echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	if _, err := s.st.Deployment(c.Request().Context(), id); err != nil {
		return err
	}
	events, err := s.st.AuditLog(c.Request().Context(), "deployment", id, 1000)
	if err != nil {
		return err
	}
	if events == nil {
		events = []piaflow.AuditEvent{}
	}
	return c.JSON(http.StatusOK, map[string]any{"items": events})
}

// loadAssessment reads a stored assessment's result.
func (s *Server) loadAssessment(c *echo.Context, id uint64) (piaflow.AssessmentRecord, *assessments.Assessment, error) {
	rec, err := s.st.Assessment(c.Request().Context(), id)
	if err != nil {
		return rec, nil, err
	}
	var a assessments.Assessment
	if err := json.Unmarshal([]byte(rec.Result), &a); err != nil {
		return rec, nil, fmt.Errorf("decode stored assessment %d: %w", id, err)
	}
	return rec, &a, nil
}

// diff compares assessment {id} with ?against={other} (what changed from other to id).
func (s *Server) diff(c *echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	other, err := strconv.ParseUint(c.QueryParam("against"), 10, 63)
	if err != nil || other == 0 {
		return invalid("against", "give the id of the assessment to compare with")
	}
	recA, after, err := s.loadAssessment(c, id)
	if err != nil {
		return err
	}
	recB, before, err := s.loadAssessment(c, other)
	if err != nil {
		return err
	}
	if recA.DeploymentID != recB.DeploymentID {
		return invalid("against", fmt.Sprintf("assessment %d belongs to another deployment", other))
	}
	return c.JSON(http.StatusOK, assessments.Compare(before, after))
}

// driftEntry is a deployment whose assessment changed on re-evaluation.
type driftEntry struct {
	DeploymentID  uint64 `json:"deployment_id"`
	Name          string `json:"name"`
	AssessmentID  uint64 `json:"assessment_id"`
	VerdictBefore string `json:"verdict_before,omitempty"`
	VerdictAfter  string `json:"verdict_after"`
	Added         int    `json:"findings_added"`
	Resolved      int    `json:"findings_resolved"`
}

// reevaluate re-assesses the latest complete revision of every active deployment with the
// current policies and lists those whose verdict or findings changed since their latest
// assessment (policy drift); a deployment that fails is listed under "failed", the others go on.
func (s *Server) reevaluate(c *echo.Context) error {
	ctx := c.Request().Context()
	u := currentUser(c)
	changed := []driftEntry{}
	failed := []map[string]any{}
	checked := 0
	for offset := 0; ; offset += 200 {
		page, total, err := s.st.Deployments(ctx, piaflow.DeploymentFilter{Status: piaflow.DeploymentActive, Limit: 200, Offset: offset})
		if err != nil {
			return err
		}
		for _, d := range page {
			r, err := s.st.LatestComplete(ctx, d.ID)
			if errors.Is(err, piaflow.ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			fail := func(err error) {
				s.log.ErrorContext(ctx, "re-evaluation failed", "deployment", d.ID, "error", err)
				failed = append(failed, map[string]any{"deployment_id": d.ID, "name": d.Name, "error": "re-evaluation failed: see the server log"})
			}
			q, err := assessments.Parse([]byte(r.Document))
			if err != nil {
				fail(err)
				continue
			}
			a, err := s.ev.Assess(ctx, q, time.Time{})
			if err != nil {
				fail(err)
				continue
			}
			checked++
			entry := driftEntry{DeploymentID: d.ID, Name: d.Name, VerdictAfter: a.Verdict, Added: len(a.Findings)}
			if prev, err := s.st.LatestAssessment(ctx, d.ID); err == nil {
				var before assessments.Assessment
				if err := json.Unmarshal([]byte(prev.Result), &before); err != nil {
					return fmt.Errorf("decode stored assessment %d: %w", prev.ID, err)
				}
				diff := assessments.Compare(&before, a)
				if diff.Empty() && prev.RevisionID == r.ID {
					continue
				}
				entry.VerdictBefore, entry.Added, entry.Resolved = before.Verdict, len(diff.Added), len(diff.Resolved)
			} else if !errors.Is(err, piaflow.ErrNotFound) {
				return err
			}
			rec, err := s.saveAssessment(ctx, &u, r, a)
			if err != nil {
				fail(err)
				continue
			}
			entry.AssessmentID = rec.ID
			changed = append(changed, entry)
		}
		if int64(offset+200) >= total {
			break
		}
	}
	return c.JSON(http.StatusOK, map[string]any{"policy_version": s.ev.PolicyVersion(), "policy_digest": s.ev.PolicyDigest(), "checked": checked, "changed": changed, "failed": failed})
}

// saveAssessment keeps an assessment of revision r with its actions, and counts it.
func (s *Server) saveAssessment(ctx context.Context, u *piaflow.User, r piaflow.Revision, a *assessments.Assessment) (piaflow.AssessmentRecord, error) {
	result, err := json.Marshal(a)
	if err != nil {
		return piaflow.AssessmentRecord{}, fmt.Errorf("encode assessment: %w", err)
	}
	rec := piaflow.AssessmentRecord{RevisionID: r.ID, PolicyVersion: a.PolicyVersion, PolicyDigest: a.PolicyDigest, AsOf: a.AsOf, Verdict: a.Verdict, Result: string(result)}
	rec, err = s.st.SaveAssessment(ctx, u, rec, a.Actions())
	if err != nil {
		return rec, err
	}
	s.metrics.evaluations.WithLabelValues(a.Verdict).Inc()
	return rec, nil
}

func (s *Server) listActions(c *echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	if _, err := s.st.Deployment(c.Request().Context(), id); err != nil {
		return err
	}
	items, err := s.st.Actions(c.Request().Context(), id)
	if err != nil {
		return err
	}
	if items == nil {
		items = []piaflow.Action{}
	}
	return c.JSON(http.StatusOK, map[string]any{"items": items})
}

// actionPatch is the body of PATCH /api/v1/actions/{id}.
type actionPatch struct {
	Status        *string `json:"status,omitempty"`
	Assignee      *string `json:"assignee,omitempty"`
	Justification *string `json:"justification,omitempty"`
}

func (s *Server) updateAction(c *echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	var p actionPatch
	if err := decode(c, &p); err != nil {
		return err
	}
	if p.Status != nil && !slices.Contains(piaflow.ActionStatuses(), *p.Status) {
		return invalid("status", fmt.Sprintf("%q is not one of %s", *p.Status, strings.Join(piaflow.ActionStatuses(), ", ")))
	}
	var checks []textField
	if p.Assignee != nil {
		checks = append(checks, textField{"assignee", *p.Assignee, 100})
	}
	if p.Justification != nil {
		checks = append(checks, textField{"justification", *p.Justification, 10000})
	}
	if err := checkText(checks...); err != nil {
		return err
	}
	if p.Status != nil && *p.Status == piaflow.ActionRiskAccepted && currentUser(c).Role != piaflow.RoleLegal {
		return problemf(http.StatusForbidden, "only legal may accept a risk")
	}
	if p.Status != nil && *p.Status == piaflow.ActionRiskAccepted && (p.Justification == nil || strings.TrimSpace(*p.Justification) == "") {
		if a, err := s.st.ActionByID(c.Request().Context(), id); err == nil && a.Justification == "" {
			return invalid("justification", "accepting a risk needs a justification")
		}
	}
	u := currentUser(c)
	upd := piaflow.ActionUpdate{Status: p.Status, Assignee: p.Assignee, Justification: p.Justification}
	a, err := s.st.UpdateAction(c.Request().Context(), &u, id, func(a *piaflow.Action) (piaflow.AuditEvent, error) { return a.Apply(u, upd) })
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
	id, err := idParam(c)
	if err != nil {
		return err
	}
	var req commentRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	if strings.TrimSpace(req.Body) == "" {
		return invalid("body", "is required")
	}
	if err := checkText(textField{"body", req.Body, 10000}); err != nil {
		return err
	}
	cm, err := s.st.AddComment(c.Request().Context(), currentUser(c), id, strings.TrimSpace(req.Body))
	if err != nil {
		return err
	}
	c.Response().Header().Set("Location", fmt.Sprintf("/api/v1/actions/%d/comments", id))
	return c.JSON(http.StatusCreated, cm)
}

func (s *Server) listComments(c *echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	if _, err := s.st.ActionByID(c.Request().Context(), id); err != nil {
		return err
	}
	items, err := s.st.Comments(c.Request().Context(), id)
	if err != nil {
		return err
	}
	if items == nil {
		items = []piaflow.ActionComment{}
	}
	return c.JSON(http.StatusOK, map[string]any{"items": items})
}

// auditLog pages through the whole audit log (users and tokens included), oldest first, from
// ?after_id= (exclusive), at most ?limit= (1 to 1000, default 100) events.
func (s *Server) auditLog(c *echo.Context) error {
	after, limit := uint64(0), 100
	if v := c.QueryParam("after_id"); v != "" {
		n, err := strconv.ParseUint(v, 10, 63)
		if err != nil {
			return invalid("after_id", fmt.Sprintf("%q is not an event id", v))
		}
		after = n
	}
	if v := c.QueryParam("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return invalid("limit", fmt.Sprintf("%q is not a limit from 1 to 1000", v))
		}
		limit = n
	}
	events, err := s.st.AuditAfter(c.Request().Context(), after, limit)
	if err != nil {
		return err
	}
	if events == nil {
		events = []piaflow.AuditEvent{}
	}
	return c.JSON(http.StatusOK, map[string]any{"items": events})
}

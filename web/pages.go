package web

import (
	"cmp"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/labstack/echo/v5"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/fieldpath"
	"github.com/piaflow/piaflow/internal/httpx"
	"github.com/piaflow/piaflow/service"
	"github.com/piaflow/piaflow/web/form"
)

const pageSize = 20

// deploymentsData is the deployments list.
type deploymentsData struct {
	Items                                   []piaflow.Deployment
	Total                                   int64
	Customer, Country, Verdict, Review      string
	Page, Pages                             int
	PrevURL, NextURL                        string
	Verdicts, Reviews                       []string
	NewName, NewCustomer, NewCountry, Error string
}

func (s *UI) deploymentsPage(c *echo.Context) error {
	v := s.newView(c, "ui.deployments.title")
	data, err := s.deploymentsData(c)
	if err != nil {
		return err
	}
	v.Nav, v.Data = "deployments", data
	return s.render(c, http.StatusOK, "deployments", v)
}

func (s *UI) deploymentsData(c *echo.Context) (*deploymentsData, error) {
	q := c.Request().URL.Query()
	data := &deploymentsData{Customer: strings.TrimSpace(q.Get("customer")), Verdict: q.Get("verdict"), Review: q.Get("review"),
		Verdicts: []string{assessments.VerdictBlocked, assessments.VerdictConditional, assessments.VerdictReady},
		Reviews:  append(piaflow.ReviewStates(), piaflow.ReviewApprovedWithAcceptedRisks)}
	if c := strings.TrimSpace(q.Get("country")); c != "" {
		data.Country = form.NewParser(nil, s.ui.byName).Country(c)
	}
	if !slices.Contains(data.Verdicts, data.Verdict) {
		data.Verdict = ""
	}
	if !slices.Contains(data.Reviews, data.Review) {
		data.Review = ""
	}
	data.Page, _ = strconv.Atoi(q.Get("page"))
	data.Page = max(data.Page, 1)
	// a search term the database can take: valid UTF-8 without NUL, at most MaxNameLength characters
	data.Customer = strings.ToValidUTF8(strings.ReplaceAll(data.Customer, "\x00", ""), "")
	if r := []rune(data.Customer); len(r) > piaflow.MaxNameLength {
		data.Customer = string(r[:piaflow.MaxNameLength])
	}
	f := piaflow.DeploymentFilter{Customer: data.Customer, Country: data.Country, Verdict: data.Verdict, Review: data.Review,
		Limit: pageSize, Offset: (data.Page - 1) * pageSize}
	if data.Review == piaflow.ReviewApprovedWithAcceptedRisks {
		accepted := true
		f.Review, f.AcceptedRisks = piaflow.ReviewApproved, &accepted
	}
	items, total, err := s.svc.Deployments(c.Request().Context(), httpx.CurrentUser(c), f)
	if err != nil {
		return nil, err
	}
	data.Items, data.Total = items, total
	data.Pages = max(1, int((total+pageSize-1)/pageSize))
	link := func(page int) string {
		q.Set("page", strconv.Itoa(page))
		return "/deployments?" + q.Encode()
	}
	if data.Page > 1 {
		data.PrevURL = link(data.Page - 1)
	}
	if data.Page < data.Pages {
		data.NextURL = link(data.Page + 1)
	}
	return data, nil
}

// createDeploymentForm creates a deployment and opens its questionnaire; refused input (the
// service's one validation) is shown in the page's language, with the answers kept.
func (s *UI) createDeploymentForm(c *echo.Context) error {
	name, customer := strings.TrimSpace(c.FormValue("name")), strings.TrimSpace(c.FormValue("customer"))
	country := form.NewParser(nil, s.ui.byName).Country(c.FormValue("customer_country"))
	d, err := s.svc.CreateDeployment(c.Request().Context(), httpx.CurrentUser(c), piaflow.Deployment{Name: name, Customer: customer, CustomerCountry: country})
	var de *piaflow.Error
	if !errors.As(err, &de) || !errors.Is(err, piaflow.ErrInvalid) {
		if err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/deployments/%d/wizard", d.ID))
	}
	// one message: a missing name or customer first, then an unknown country, else too long
	key := "ui.deployments.new_long"
	for _, f := range de.Fields {
		if f.Code == piaflow.ProblemRequired {
			key = "ui.deployments.new_required"
			break
		}
		if f.Field == "customer_country" {
			key = "ui.deployments.new_country"
		}
	}
	v := s.newView(c, "ui.deployments.title")
	v.Error = v.T(key, "value", country)
	data, err := s.deploymentsData(c)
	if err != nil {
		return err
	}
	data.NewName, data.NewCustomer, data.NewCountry = name, customer, country
	v.Nav, v.Data = "deployments", data
	return s.render(c, http.StatusUnprocessableEntity, "deployments", v)
}

// deploymentData is the page of one deployment.
type deploymentData struct {
	Deployment piaflow.Deployment
	Latest     *piaflow.AssessmentRecord
	Draft      bool
	Audit      []piaflow.AuditEvent
	// Review is the review as shown (piaflow.ReviewStatus): the latest assessment's, whatever
	// was saved after it; AssessedRevision is the revision that assessment is of (0: none).
	Review           string
	AssessedRevision int
	// Timeline is the deployment's history with the compare form (nil without
	// piaflow.CapReadAssessments).
	Timeline *timelineData
	// Error is a refused form's message (evaluating a draft), shown by the buttons.
	Error string
	// Source is the product version the deployment is built from (nil: a stand-alone
	// questionnaire, or the reader may not see it).
	Source *piaflow.DeploymentSource
}

func (s *UI) deploymentPage(c *echo.Context) error { return s.showDeployment(c, http.StatusOK, "") }

// showDeployment renders the deployment page with status; errKey, when set, is the message of a
// refused form of the page (shown next to its buttons).
func (s *UI) showDeployment(c *echo.Context, status int, errKey string) error {
	ctx, u := c.Request().Context(), httpx.CurrentUser(c)
	d, err := s.deploymentParam(c)
	if err != nil {
		return err
	}
	v := s.newView(c, "ui.deployment.title", "name", d.Name)
	data := deploymentData{Deployment: d, Review: piaflow.ReviewStatus(d.ReviewState, d.AcceptedRisks)}
	if v.can(piaflow.CapReadAssessments) {
		if a, err := s.svc.LatestAssessment(ctx, u, d.ID); err == nil {
			data.Latest = &a
			// A revision saved after the assessment resets the deployment's review state; the
			// assessment's own review still stands for what was assessed.
			data.Review = piaflow.ReviewStatus(a.ReviewState, a.AcceptedRisks)
			r, err := s.svc.RevisionByID(ctx, u, a.RevisionID)
			if err != nil {
				return err
			}
			data.AssessedRevision = r.Number
		} else if !errors.Is(err, piaflow.ErrNotFound) {
			return err
		}
		switch src, err := s.svc.DeploymentSource(ctx, u, d.ID); {
		case err == nil:
			data.Source = &src.Record
		case !errors.Is(err, piaflow.ErrNotFound):
			return err
		}
		if data.Timeline, err = s.timelineData(c, d); err != nil {
			return err
		}
		if d.LatestRevision > 0 {
			r, err := s.svc.Revision(ctx, u, d.ID, 0)
			if err != nil {
				return err
			}
			data.Draft = r.Draft
		}
	}
	if v.can(piaflow.CapReadAudit) {
		if data.Audit, err = s.svc.AuditLog(ctx, u, d.ID); err != nil {
			return err
		}
	}
	switch {
	case errKey == "":
	case strings.HasPrefix(errKey, "ui.compare.") && data.Timeline != nil:
		data.Timeline.Error = v.T(errKey)
	default:
		data.Error = v.T(errKey)
	}
	v.Nav, v.Data = "deployments", data
	return s.render(c, status, "deployment", v)
}

// assessmentData is the assessment page.
type assessmentData struct {
	Deployment piaflow.Deployment
	Record     piaflow.AssessmentRecord
	A          *assessments.Assessment
	Blockers   []findingView
	Groups     []regimeGroup
	// BlockersHTML and TransfersHTML are rendered in Go (html.go), as is each group's.
	BlockersHTML, TransfersHTML, ActionsHTML template.HTML
	Actions                                  []actionView
	// Diff is what changed since the last reviewed (approved or rejected) assessment before
	// this one; nil when none was reviewed.
	Diff     *diffView
	Audit    []piaflow.AuditEvent
	Statuses []string
	// Review is the review as shown (piaflow.ReviewStatus); Accepted the blocker findings whose
	// risk legal accepted for the approval.
	Review   string
	Accepted []acceptedView
	// Stale, when set, is the newer revision of the questionnaire: the assessment must be
	// re-evaluated before it can be reviewed.
	Stale *staleView
	// Problem is a refused review form, shown next to it.
	Problem *reviewProblem
}

// acceptedView is one accepted risk of an approval.
type acceptedView struct {
	piaflow.AcceptedRisk
	Title string
	// By is who approved with the risk accepted.
	By string
}

// staleView is the questionnaire's revision saved after the assessed one.
type staleView struct {
	Number, Assessed int
	Draft            bool
	By, At           string
}

// reviewProblem is why a review form was refused: the message, the comment as typed, and for
// an approval refused with open blockers, those blockers, each linking to its action.
type reviewProblem struct {
	Message, Comment string
	// Field is the input at fault ("comment"), when there is one.
	Field string
	Open  []openBlocker
}

// openBlocker is a blocker finding whose risk legal has not accepted.
type openBlocker struct {
	Key, Title, Href string
}

// actionProblem is why an action's form was refused, shown in that form.
type actionProblem struct {
	ID      uint64
	Message string
	// Field is the input at fault ("justification"), when there is one.
	Field string
}

type findingView struct {
	F              assessments.Finding
	Title, Action  string
	Answers        []answerView
	SeverityBadge  string
	ActionID       uint64
	ActionStatus   string
	ActionAssignee string
}

type answerView struct {
	Path, Value, Href string
}

type regimeGroup struct {
	ID, Name string
	Citation assessments.Citation
	Why      string
	Findings []findingView
	HTML     template.HTML
}

type actionView struct {
	piaflow.Action
	Title string
	// Cite is the citation of the action's finding (with its Chinese name and link), or the
	// one the action row stores when the finding is not in this assessment.
	Cite assessments.Citation
}

func (s *UI) assessmentPage(c *echo.Context) error {
	id, err := httpx.IDParam(c)
	if err != nil {
		return err
	}
	return s.showAssessment(c, id, http.StatusOK, nil, nil)
}

// showAssessment renders assessment id's page with status; a refused review form (prob) or
// action form (actProb) is shown next to its form with the message.
func (s *UI) showAssessment(c *echo.Context, id uint64, status int, prob *reviewProblem, actProb *actionProblem) error {
	ctx, u := c.Request().Context(), httpx.CurrentUser(c)
	rec, err := s.svc.Record(ctx, u, id)
	if err != nil {
		return err
	}
	// A large assessment's result is megabytes of JSON: decode it while the database answers
	// the other reads.
	var a *assessments.Assessment
	decoded := make(chan error, 1)
	go func() {
		var err error
		a, err = s.ui.results.get(rec)
		decoded <- err
	}()
	d, rev, acts, err := s.assessmentContext(c, rec)
	if derr := <-decoded; derr != nil {
		return derr
	}
	if err != nil {
		return err
	}
	doc := form.DecodeDoc(rev.Document)
	v := s.newView(c, "ui.assessment.title", "name", d.Name)
	data := assessmentData{Deployment: d, Record: rec, A: a, Statuses: piaflow.ActionStatuses(),
		Review: piaflow.ReviewStatus(rec.ReviewState, rec.AcceptedRisks), Problem: prob}
	if d.LatestRevision > rev.Number {
		if data.Stale, err = s.staleView(c, d, rev, v); err != nil {
			return err
		}
	}
	byKey := map[string]piaflow.Action{}
	for _, act := range acts {
		byKey[act.FindingKey] = act
	}
	view := func(f assessments.Finding) findingView {
		fv := findingView{F: f, Title: v.L.FindingTitle(f), Action: v.L.ActionTitle(f)}
		if act, ok := byKey[f.Key]; ok && act.AssessmentID == rec.ID {
			fv.ActionID, fv.ActionStatus, fv.ActionAssignee = act.ID, act.Status, act.Assignee
		}
		for _, p := range f.Fields {
			val, _ := fieldpath.Get(doc, p)
			av := answerView{Path: p, Value: answerText(v, val)}
			if v.can(piaflow.CapWriteQuestionnaire) {
				av.Href = fmt.Sprintf("/deployments/%d/wizard?section=%s#%s", d.ID, form.SectionOf(p), form.FieldID(p))
			}
			fv.Answers = append(fv.Answers, av)
		}
		return fv
	}
	// blockers first, then the other findings by regime (every applicable regime shown)
	rest := *a
	rest.Findings = nil
	for _, f := range a.Findings {
		if f.Severity == "blocker" {
			data.Blockers = append(data.Blockers, view(f))
		} else {
			rest.Findings = append(rest.Findings, f)
		}
	}
	for _, rf := range rest.ByRegime() {
		r := rf.Regime
		g := regimeGroup{ID: r.ID, Name: v.L.Or("regime."+r.ID, cmp.Or(r.Name, strings.ToUpper(r.ID))), Citation: r.Citation, Why: v.L.Render(r.WhyMsg, r.Why)}
		for _, f := range rf.Findings {
			g.Findings = append(g.Findings, view(f))
		}
		g.HTML = findingsHTML(v, g.Findings)
		data.Groups = append(data.Groups, g)
	}
	data.BlockersHTML, data.TransfersHTML = findingsHTML(v, data.Blockers), transfersHTML(v, a.Transfers)
	titles := make(map[string]string, len(data.Blockers))
	for _, b := range data.Blockers {
		titles[b.F.Key] = b.Title
	}
	for _, r := range rec.AcceptedRiskDetails {
		data.Accepted = append(data.Accepted, acceptedView{AcceptedRisk: r, Title: cmp.Or(titles[r.FindingKey], r.FindingID), By: rec.Reviewer})
	}
	if prob != nil {
		for i, key := range prob.Open {
			// the action of the blocker, where legal accepts its risk with a justification
			prob.Open[i].Title = cmp.Or(titles[key.Key], key.Key)
			prob.Open[i].Href = "#finding-" + key.Key
			if act, ok := byKey[key.Key]; ok && act.AssessmentID == rec.ID {
				prob.Open[i].Href = fmt.Sprintf("#action-%d", act.ID)
			}
		}
	}
	slices.SortFunc(data.Groups, func(x, y regimeGroup) int {
		return cmp.Or(cmp.Compare(len(y.Findings), len(x.Findings)), cmp.Compare(x.ID, y.ID))
	})
	findingByKey := make(map[string]assessments.Finding, len(a.Findings))
	for _, f := range a.Findings {
		findingByKey[f.Key] = f
	}
	for _, act := range acts {
		if act.AssessmentID != rec.ID {
			continue
		}
		title := act.Title
		if title != "" {
			title = v.L.Render(act.TitleMsg, act.Title)
		}
		cite := assessments.Citation{Ref: act.Citation, URL: act.CitationURL}
		if f, ok := findingByKey[act.FindingKey]; ok {
			cite = f.Citation
		}
		data.Actions = append(data.Actions, actionView{Action: act, Title: title, Cite: cite})
	}
	slices.SortStableFunc(data.Actions, func(x, y actionView) int {
		return cmp.Compare(assessments.SeverityRank(y.Severity), assessments.SeverityRank(x.Severity))
	})
	data.ActionsHTML = actionsHTML(v, data.Actions, rec.ID, actProb)
	v.size = len(data.ActionsHTML) + len(data.TransfersHTML) + len(data.BlockersHTML)
	for _, g := range data.Groups {
		v.size += len(g.HTML)
	}
	if v.can(piaflow.CapReadAudit) {
		if data.Audit, err = s.svc.AuditLog(ctx, u, d.ID); err != nil {
			return err
		}
	}
	// what changed since the last reviewed (approved or rejected) assessment before this one
	switch prev, err := s.svc.LastReviewed(ctx, u, d.ID, rec.ID); {
	case err == nil:
		diff, err := s.svc.Difference(ctx, u, service.Assessment{Record: rec, Result: a}, prev)
		if err != nil {
			return err
		}
		data.Diff = newDiffView(v, diff)
	case !errors.Is(err, piaflow.ErrNotFound):
		return err
	}
	switch c.QueryParam("done") {
	case "action":
		v.Flash = v.T("ui.action.updated")
	case "review":
		v.Flash = v.T("ui.review.done", "state", v.T("review."+data.Review))
	}
	v.Nav, v.Data = "deployments", data
	return s.render(c, status, "assessment", v)
}

// staleView says which revision of d's questionnaire was saved after the assessed one (rev),
// by whom and when.
func (s *UI) staleView(c *echo.Context, d piaflow.Deployment, rev piaflow.Revision, v *view) (*staleView, error) {
	ctx, u := c.Request().Context(), httpx.CurrentUser(c)
	latest, err := s.svc.Revision(ctx, u, d.ID, 0)
	if err != nil {
		return nil, err
	}
	by, err := s.svc.RevisionAuthor(ctx, u, latest)
	if err != nil {
		return nil, err
	}
	return &staleView{Number: latest.Number, Assessed: rev.Number, Draft: latest.Draft, By: by, At: v.Date(latest.CreatedAt)}, nil
}

// assessmentContext reads what the assessment page shows besides the result: the deployment,
// the revision that was assessed and the actions.
func (s *UI) assessmentContext(c *echo.Context, rec piaflow.AssessmentRecord) (piaflow.Deployment, piaflow.Revision, []piaflow.Action, error) {
	ctx, u := c.Request().Context(), httpx.CurrentUser(c)
	d, err := s.svc.Deployment(ctx, u, rec.DeploymentID)
	if err != nil {
		return d, piaflow.Revision{}, nil, err
	}
	r, err := s.svc.RevisionByID(ctx, u, rec.RevisionID)
	if err != nil {
		return d, r, nil, err
	}
	acts, err := s.svc.Actions(ctx, u, d.ID)
	return d, r, acts, err
}

// answerText shows an answer of the questionnaire.
func answerText(v *view, val any) string {
	switch x := val.(type) {
	case nil:
		return v.T("ui.answer.missing")
	case bool:
		if x {
			return v.T("ui.yes")
		}
		return v.T("ui.no")
	case []any:
		parts := make([]string, 0, len(x))
		for _, e := range x {
			parts = append(parts, answerText(v, e))
		}
		return strings.Join(parts, ", ")
	case map[string]any:
		return "{…}"
	}
	return form.ScalarText(val)
}

// reviewForm submits an assessment for review or approves or rejects it (the service checks
// which the user may do).
func (s *UI) reviewForm(c *echo.Context) error {
	ctx := c.Request().Context()
	id, err := httpx.IDParam(c)
	if err != nil {
		return err
	}
	u := httpx.CurrentUser(c)
	comment := strings.TrimSpace(c.FormValue("comment"))
	switch op := c.FormValue("op"); op {
	case "submit":
		_, err = s.svc.SubmitReview(ctx, u, id)
	case "approve", "reject":
		_, err = s.svc.DecideReview(ctx, u, id, op == "approve", comment)
	default:
		return httpx.Msg(http.StatusBadRequest, "error.web.review_op", "op", strconv.Quote(op))
	}
	if err == nil {
		return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/assessments/%d?done=review", id))
	}
	// A refused review is shown on the assessment page, next to its form, never on a dead end.
	l := s.localizer(c)
	prob := &reviewProblem{Comment: comment}
	status := http.StatusConflict
	switch reason := piaflow.ReasonOf(err); {
	case reason == piaflow.ReasonRejectComment:
		prob.Message, prob.Field, status = l.T("ui.review.reject_comment"), "comment", http.StatusUnprocessableEntity
	case reason == piaflow.ReasonOpenBlockers:
		prob.Message = l.T("ui.review.open_blockers_list")
		for _, key := range piaflow.KeysOf(err) {
			prob.Open = append(prob.Open, openBlocker{Key: key})
		}
	case reason == piaflow.ReasonQuestionnaireChanged:
		// the page says who changed the questionnaire and offers to re-evaluate
		prob.Message = l.T("ui.review.refused_stale")
	case errors.Is(err, piaflow.ErrInvalid):
		prob.Message, prob.Field, status = l.T("ui.review.comment_invalid"), "comment", http.StatusUnprocessableEntity
	case errors.Is(err, piaflow.ErrConflict):
		rec, rerr := s.svc.Record(ctx, u, id)
		if rerr != nil {
			return rerr
		}
		prob.Message = l.T("ui.review.conflict", "state", l.T("review."+piaflow.ReviewStatus(rec.ReviewState, rec.AcceptedRisks)))
	default:
		return err
	}
	return s.showAssessment(c, id, status, prob, nil)
}

// actionForm changes an action's status, assignee or (legal) justification.
func (s *UI) actionForm(c *echo.Context) error {
	ctx := c.Request().Context()
	id, err := httpx.IDParam(c)
	if err != nil {
		return err
	}
	u := httpx.CurrentUser(c)
	form, err := c.FormValues()
	if err != nil {
		return httpx.Msg(http.StatusBadRequest, "error.web.form")
	}
	var upd piaflow.ActionUpdate
	if st := form.Get("status"); st != "" {
		upd.Status = &st
	}
	if _, ok := form["assignee"]; ok {
		a := strings.TrimSpace(form.Get("assignee"))
		upd.Assignee = &a
	}
	// the justification field is shown only to those who may accept risks
	if _, ok := form["justification"]; ok && piaflow.Can(u, piaflow.CapAcceptRisk) {
		j := strings.TrimSpace(form.Get("justification"))
		upd.Justification = &j
	}
	act, err := s.svc.Action(ctx, u, id)
	if err != nil {
		return err
	}
	// The form sends every field: only what differs from the action is a change.
	if upd = upd.Changes(act); upd != (piaflow.ActionUpdate{}) {
		_, err := s.svc.UpdateAction(ctx, u, id, upd)
		key, field, status := "", "", http.StatusForbidden
		switch reason := piaflow.ReasonOf(err); {
		case reason == piaflow.ReasonAcceptRisk:
			key = "ui.action.legal_only"
		case reason == piaflow.ReasonJustification:
			key, field, status = "ui.action.justify", "justification", http.StatusUnprocessableEntity
		case errors.Is(err, piaflow.ErrForbidden):
			key = "ui.action.forbidden"
		case err != nil:
			return err
		}
		if key != "" {
			// shown in the action's form on the assessment page it came from
			if n, perr := strconv.ParseUint(form.Get("assessment"), 10, 63); perr == nil && n > 0 {
				return s.showAssessment(c, n, status, nil, &actionProblem{ID: id, Message: s.localizer(c).T(key), Field: field})
			}
			return s.renderError(c, status, key)
		}
	}
	back := fmt.Sprintf("/deployments/%d", act.DeploymentID)
	if n, err := strconv.ParseUint(form.Get("assessment"), 10, 63); err == nil && n > 0 {
		back = fmt.Sprintf("/assessments/%d?done=action#action-%d", n, id)
	}
	return c.Redirect(http.StatusSeeOther, back)
}

// reviewsData is the legal review queue.
type reviewsData struct {
	Items []reviewItem
}

type reviewItem struct {
	Record     piaflow.AssessmentRecord
	Deployment piaflow.Deployment
}

func (s *UI) reviewsPage(c *echo.Context) error {
	ctx, u := c.Request().Context(), httpx.CurrentUser(c)
	queue, err := s.svc.ReviewQueue(ctx, u)
	if err != nil {
		return err
	}
	data := reviewsData{}
	for _, rec := range queue {
		d, err := s.svc.Deployment(ctx, u, rec.DeploymentID)
		if err != nil {
			return err
		}
		data.Items = append(data.Items, reviewItem{Record: rec, Deployment: d})
	}
	v := s.newView(c, "ui.reviews.title")
	v.Nav, v.Data = "reviews", data
	return s.render(c, http.StatusOK, "reviews", v)
}

// hostingData is the sales hosting check.
type hostingData struct {
	Data                                []string
	Subjects, Host, Count, Sector, AsOf string
	Provider, Region                    string
	// OtherExports is the other exports as typed (COUNTRY:PEOPLE[:SENSITIVE], comma-separated).
	OtherExports                   string
	Categories, Sectors, Providers []option
	Errors                         map[string][]string
	Result                         *assessments.HostingResult
	Asked                          bool
}

// ErrorsFor lists the problems of one input.
func (h *hostingData) ErrorsFor(field string) []string { return h.Errors[field] }

// lawsView pairs the page's view with one outcome of the hosting check (a country's answer or
// one band of it), for the hosting-laws template.
type lawsView struct {
	V *view
	O assessments.HostingOutcome
}

// Laws is the data of the hosting-laws template for outcome o.
func (v *view) Laws(o assessments.HostingOutcome) lawsView { return lawsView{V: v, O: o} }

func (s *UI) hostingPage(c *echo.Context) error {
	v := s.newView(c, "ui.hosting.title")
	q := c.Request().URL.Query()
	p := form.NewParser(nil, s.ui.byName)
	data := &hostingData{Data: q["data"], Subjects: q.Get("subjects"), Host: q.Get("host"), Count: q.Get("count"), Sector: q.Get("sector"),
		Provider: q.Get("provider"), Region: q.Get("region"), OtherExports: q.Get("other_exports"), Errors: map[string][]string{},
		Categories: v.form.Options("data_category"), Sectors: v.form.Options("sector"), Providers: v.form.Options("provider")}
	data.Asked = len(q) > 0
	status := http.StatusOK
	if data.Asked {
		hq := assessments.HostingQuery{Data: data.Data, Sector: data.Sector, Provider: data.Provider, Region: strings.TrimSpace(data.Region)}
		for _, tok := range strings.FieldsFunc(data.Subjects, func(r rune) bool { return r == ',' || r == ';' || r == '，' || r == '、' }) {
			if c := p.Country(tok); c != "" {
				hq.Subjects = append(hq.Subjects, c)
			}
		}
		if h := strings.TrimSpace(data.Host); h != "" {
			hq.Host = p.Country(h)
		}
		if c := strings.TrimSpace(data.Count); c != "" { // blank: not known, answered per band
			n, err := strconv.Atoi(c)
			if err != nil || n < 1 {
				data.Errors["count"] = append(data.Errors["count"], v.T("ui.hosting.bad_count"))
			}
			hq.Count = &n
		}
		others, err := assessments.ParseOtherExports(data.OtherExports)
		var oe *assessments.ValidationError
		if errors.As(err, &oe) {
			for _, pr := range oe.Problems {
				data.Errors["other_exports"] = append(data.Errors["other_exports"], v.L.ProblemMessage(pr))
			}
		}
		for i := range others {
			if c := p.Country(others[i].Country); c != "" {
				others[i].Country = c
			}
		}
		hq.OtherExports = others
		if len(hq.Subjects) == 0 {
			data.Errors["subjects"] = append(data.Errors["subjects"], v.T("ui.hosting.need_subjects"))
		}
		if hq.Host == "" && hq.Provider == "" {
			data.Errors["host"] = append(data.Errors["host"], v.T("ui.hosting.need_host"))
		}
		if len(data.Errors) == 0 {
			res, err := s.svc.HostingCheck(c.Request().Context(), httpx.CurrentUser(c), hq)
			var ve *assessments.ValidationError
			switch {
			case errors.As(err, &ve):
				for _, pr := range ve.Problems {
					field, _, _ := strings.Cut(pr.Path, "[")
					data.Errors[field] = append(data.Errors[field], v.L.ProblemMessage(pr))
				}
			case err != nil:
				return err
			default:
				data.Result = res
			}
		}
		if len(data.Errors) > 0 {
			status = http.StatusUnprocessableEntity
		}
	}
	v.Nav, v.Data = "hosting", data
	return s.render(c, status, "hosting", v)
}

// ResultCacheBytes bounds the web UI's cache of decoded assessment results by the size of the
// stored JSON they were decoded from (the decoded form is a small multiple of it); a result
// larger than a quarter of it is decoded for its page and not kept (docs/limits.md).
const ResultCacheBytes = 32 << 20

// resultCache keeps decoded results of stored assessments, oldest out first, within a byte
// budget.
type resultCache struct {
	mu     sync.Mutex
	budget int
	used   int
	order  []uint64
	items  map[uint64]cachedResult
}

type cachedResult struct {
	a    *assessments.Assessment
	size int
}

func newResultCache(budget int) *resultCache {
	return &resultCache{budget: budget, items: map[uint64]cachedResult{}}
}

// get returns the decoded result of a stored assessment; callers must not change it.
func (rc *resultCache) get(rec piaflow.AssessmentRecord) (*assessments.Assessment, error) {
	rc.mu.Lock()
	it, ok := rc.items[rec.ID]
	rc.mu.Unlock()
	if ok {
		return it.a, nil
	}
	a, err := service.DecodeResult(rec)
	if err != nil {
		return nil, err
	}
	size := len(rec.Result)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if _, ok := rc.items[rec.ID]; ok || size > rc.budget/4 {
		return a, nil
	}
	for rc.used+size > rc.budget && len(rc.order) > 0 {
		rc.used -= rc.items[rc.order[0]].size
		delete(rc.items, rc.order[0])
		rc.order = rc.order[1:]
	}
	rc.items[rec.ID] = cachedResult{a: a, size: size}
	rc.used += size
	rc.order = append(rc.order, rec.ID)
	return a, nil
}

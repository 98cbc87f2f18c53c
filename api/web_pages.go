package api

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/labstack/echo/v5"

	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/assessments/store"
	"github.com/piaflow/piaflow/policies"
)

const pageSize = 20

// deploymentsData is the deployments list.
type deploymentsData struct {
	Items                                   []store.Deployment
	Total                                   int64
	Customer, Country, Verdict, Review      string
	Page, Pages                             int
	PrevURL, NextURL                        string
	Verdicts, Reviews                       []string
	NewName, NewCustomer, NewCountry, Error string
}

func (s *Server) deploymentsPage(c *echo.Context) error {
	v := s.newView(c, "ui.deployments.title")
	data, err := s.deploymentsData(c)
	if err != nil {
		return err
	}
	v.Nav, v.Data = "deployments", data
	return s.render(c, http.StatusOK, "deployments", v)
}

func (s *Server) deploymentsData(c *echo.Context) (*deploymentsData, error) {
	q := c.Request().URL.Query()
	data := &deploymentsData{Customer: strings.TrimSpace(q.Get("customer")), Verdict: q.Get("verdict"), Review: q.Get("review"),
		Verdicts: []string{assessments.VerdictBlocked, assessments.VerdictConditional, assessments.VerdictReady},
		Reviews:  []string{store.ReviewNone, store.ReviewSubmitted, store.ReviewApproved, store.ReviewRejected}}
	if c := strings.TrimSpace(q.Get("country")); c != "" {
		data.Country = (&formParser{byName: s.ui.byName}).country(c)
	}
	if !slices.Contains(data.Verdicts, data.Verdict) {
		data.Verdict = ""
	}
	if !slices.Contains(data.Reviews, data.Review) {
		data.Review = ""
	}
	data.Page, _ = strconv.Atoi(q.Get("page"))
	data.Page = max(data.Page, 1)
	// a search term the database can take: valid UTF-8 without NUL, at most 200 characters
	data.Customer = strings.ToValidUTF8(strings.ReplaceAll(data.Customer, "\x00", ""), "")
	if r := []rune(data.Customer); len(r) > 200 {
		data.Customer = string(r[:200])
	}
	items, total, err := s.st.Deployments(c.Request().Context(), store.Filter{Customer: data.Customer, Country: data.Country,
		Verdict: data.Verdict, Review: data.Review, Limit: pageSize, Offset: (data.Page - 1) * pageSize})
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

// createDeploymentForm creates a deployment and opens its questionnaire.
func (s *Server) createDeploymentForm(c *echo.Context) error {
	name, customer := strings.TrimSpace(c.FormValue("name")), strings.TrimSpace(c.FormValue("customer"))
	country := (&formParser{byName: s.ui.byName}).country(c.FormValue("customer_country"))
	v := s.newView(c, "ui.deployments.title")
	_, known := policies.CountryName(country)
	switch {
	case name == "" || customer == "":
		v.Error = v.T("ui.deployments.new_required")
	case country != "" && !known:
		v.Error = v.T("ui.deployments.new_country", "value", country)
	case text("name", name, 200) != nil || text("customer", customer, 200) != nil:
		v.Error = v.T("ui.deployments.new_long")
	}
	if v.Error != "" {
		data, err := s.deploymentsData(c)
		if err != nil {
			return err
		}
		data.NewName, data.NewCustomer, data.NewCountry = name, customer, country
		v.Nav, v.Data = "deployments", data
		return s.render(c, http.StatusUnprocessableEntity, "deployments", v)
	}
	u := currentUser(c)
	d, err := s.st.CreateDeployment(c.Request().Context(), &u, store.Deployment{Name: name, Customer: customer, CustomerCountry: country})
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/deployments/%d/wizard", d.ID))
}

// deploymentData is the page of one deployment.
type deploymentData struct {
	Deployment store.Deployment
	Latest     *store.Assessment
	Draft      bool
	Audit      []store.AuditEvent
}

func (s *Server) deploymentPage(c *echo.Context) error {
	ctx := c.Request().Context()
	d, err := s.deploymentParam(c)
	if err != nil {
		return err
	}
	v := s.newView(c, "ui.deployment.title", "name", d.Name)
	data := deploymentData{Deployment: d}
	if v.Can("details") {
		if a, err := s.st.LatestAssessment(ctx, d.ID); err == nil {
			data.Latest = &a
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if d.LatestRevision > 0 {
			r, err := s.st.Revision(ctx, d.ID, 0)
			if err != nil {
				return err
			}
			data.Draft = r.Draft
		}
	}
	if v.Can("audit") {
		if data.Audit, err = s.st.AuditLog(ctx, "deployment", d.ID, 1000); err != nil {
			return err
		}
	}
	v.Nav, v.Data = "deployments", data
	return s.render(c, http.StatusOK, "deployment", v)
}

// assessmentData is the assessment page.
type assessmentData struct {
	Deployment store.Deployment
	Record     store.Assessment
	A          *assessments.Assessment
	Blockers   []findingView
	Groups     []regimeGroup
	// BlockersHTML and TransfersHTML are rendered in Go (web_html.go), as is each group's.
	BlockersHTML, TransfersHTML, ActionsHTML template.HTML
	Actions                                  []actionView
	Diff                                     *assessments.Diff
	DiffID                                   uint64
	Audit                                    []store.AuditEvent
	Statuses                                 []string
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
	store.Action
	Title string
}

var approvedRE = regexp.MustCompile(`^assessment (\d+):`)

func (s *Server) assessmentPage(c *echo.Context) error {
	ctx := c.Request().Context()
	id, err := idParam(c)
	if err != nil {
		return err
	}
	rec, err := s.st.Assessment(ctx, id)
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
	d, doc, acts, err := s.assessmentContext(c, rec)
	if derr := <-decoded; derr != nil {
		return derr
	}
	if err != nil {
		return err
	}
	v := s.newView(c, "ui.assessment.title", "name", d.Name)
	data := assessmentData{Deployment: d, Record: rec, A: a, Statuses: store.ActionStatuses()}
	byKey := map[string]store.Action{}
	for _, act := range acts {
		byKey[act.FindingKey] = act
	}
	groups := map[string]*regimeGroup{}
	for _, r := range a.Regimes {
		groups[r.ID] = &regimeGroup{ID: r.ID, Name: v.L.Or("regime."+r.ID, r.Name), Citation: r.Citation, Why: r.Why}
	}
	for _, f := range a.Findings {
		fv := findingView{F: f, Title: v.L.FindingTitle(f), Action: v.L.ActionTitle(f)}
		if act, ok := byKey[f.Key]; ok && act.AssessmentID == rec.ID {
			fv.ActionID, fv.ActionStatus, fv.ActionAssignee = act.ID, act.Status, act.Assignee
		}
		for _, p := range f.Fields {
			val, _ := lookup(doc, p)
			av := answerView{Path: p, Value: answerText(v, val)}
			if v.Can("write") {
				av.Href = fmt.Sprintf("/deployments/%d/wizard?section=%s#%s", d.ID, sectionOf(p), fieldID(p))
			}
			fv.Answers = append(fv.Answers, av)
		}
		if f.Severity == "blocker" {
			data.Blockers = append(data.Blockers, fv)
			continue
		}
		g, ok := groups[f.Regime]
		if !ok {
			g = &regimeGroup{ID: f.Regime, Name: v.L.Or("regime."+f.Regime, strings.ToUpper(f.Regime))}
			groups[f.Regime] = g
		}
		g.Findings = append(g.Findings, fv)
	}
	for _, g := range groups {
		g.HTML = findingsHTML(v, g.Findings)
		data.Groups = append(data.Groups, *g)
	}
	data.BlockersHTML, data.TransfersHTML = findingsHTML(v, data.Blockers), transfersHTML(v, a.Transfers)
	slices.SortFunc(data.Groups, func(x, y regimeGroup) int {
		return cmp.Or(cmp.Compare(len(y.Findings), len(x.Findings)), cmp.Compare(x.ID, y.ID))
	})
	for _, act := range acts {
		if act.AssessmentID != rec.ID {
			continue
		}
		title := act.Title
		if title != "" {
			title = v.L.RuleText(act.FindingID, "action", act.Title)
		}
		data.Actions = append(data.Actions, actionView{Action: act, Title: title})
	}
	slices.SortStableFunc(data.Actions, func(x, y actionView) int {
		return cmp.Compare(assessments.SeverityRank(y.Severity), assessments.SeverityRank(x.Severity))
	})
	data.ActionsHTML = actionsHTML(v, data.Actions, rec.ID)
	v.size = len(data.ActionsHTML) + len(data.TransfersHTML) + len(data.BlockersHTML)
	for _, g := range data.Groups {
		v.size += len(g.HTML)
	}
	audit, err := s.st.AuditLog(ctx, "deployment", d.ID, 1000)
	if err != nil {
		return err
	}
	if v.Can("audit") {
		data.Audit = audit
	}
	// what changed since the last approved assessment before this one
	for i := len(audit) - 1; i >= 0; i-- {
		m := approvedRE.FindStringSubmatch(audit[i].Detail)
		if audit[i].Action != "approve" || m == nil {
			continue
		}
		other, _ := strconv.ParseUint(m[1], 10, 63)
		if other == 0 || other >= rec.ID {
			continue
		}
		prevRec, prev, err := s.loadAssessment(c, other)
		if err != nil || prevRec.ReviewState != store.ReviewApproved || prevRec.DeploymentID != d.ID {
			continue
		}
		diff := assessments.Compare(prev, a)
		data.Diff, data.DiffID = &diff, other
		break
	}
	switch c.QueryParam("done") {
	case "action":
		v.Flash = v.T("ui.action.updated")
	case "review":
		v.Flash = v.T("ui.review.done", "state", v.T("review."+rec.ReviewState))
	}
	v.Nav, v.Data = "deployments", data
	return s.render(c, http.StatusOK, "assessment", v)
}

// assessmentContext reads what the assessment page shows besides the result: the deployment,
// the questionnaire that was assessed and the actions.
func (s *Server) assessmentContext(c *echo.Context, rec store.Assessment) (store.Deployment, map[string]any, []store.Action, error) {
	d, err := s.st.Deployment(c.Request().Context(), rec.DeploymentID)
	if err != nil {
		return d, nil, nil, err
	}
	doc, err := s.revisionDoc(c, d, rec.RevisionID)
	if err != nil {
		return d, nil, nil, err
	}
	acts, err := s.st.Actions(c.Request().Context(), d.ID)
	return d, doc, acts, err
}

// revisionDoc is the questionnaire of the revision with that id.
func (s *Server) revisionDoc(c *echo.Context, d store.Deployment, revisionID uint64) (map[string]any, error) {
	ctx := c.Request().Context()
	r, err := s.st.Revision(ctx, d.ID, 0)
	if err != nil {
		return nil, err
	}
	if r.ID == revisionID {
		return decodeDoc(r.Document), nil
	}
	all, err := s.st.Revisions(ctx, d.ID)
	if err != nil {
		return nil, err
	}
	for _, r := range all {
		if r.ID == revisionID {
			return decodeDoc(r.Document), nil
		}
	}
	return map[string]any{}, nil
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
	return scalarText(val)
}

// reviewForm submits an assessment for review (writers) or approves or rejects it (legal).
func (s *Server) reviewForm(c *echo.Context) error {
	ctx := c.Request().Context()
	id, err := idParam(c)
	if err != nil {
		return err
	}
	u := currentUser(c)
	comment := strings.TrimSpace(c.FormValue("comment"))
	if p := text("comment", comment, 10000); p != nil {
		return invalid(p.Path, p.Message)
	}
	switch op := c.FormValue("op"); op {
	case "submit":
		if !slices.Contains(writers, u.Role) {
			return s.renderError(c, http.StatusForbidden, "ui.error.forbidden", "role", s.localizer(c).T("role."+u.Role))
		}
		_, err = s.st.SubmitReview(ctx, &u, id)
	case "approve", "reject":
		if u.Role != store.RoleLegal {
			return s.renderError(c, http.StatusForbidden, "ui.error.forbidden", "role", s.localizer(c).T("role."+u.Role))
		}
		if op == "reject" && comment == "" {
			return s.renderError(c, http.StatusUnprocessableEntity, "ui.review.reject_comment")
		}
		_, err = s.st.DecideReview(ctx, &u, id, op == "approve", comment)
	default:
		return problemf(http.StatusBadRequest, "no review operation %q", op)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/assessments/%d?done=review", id))
}

// actionForm changes an action's status, assignee or (legal) justification.
func (s *Server) actionForm(c *echo.Context) error {
	ctx := c.Request().Context()
	id, err := idParam(c)
	if err != nil {
		return err
	}
	u := currentUser(c)
	form, err := c.FormValues()
	if err != nil {
		return problemf(http.StatusBadRequest, "the form could not be read")
	}
	var upd store.ActionUpdate
	if st := form.Get("status"); st != "" {
		if !slices.Contains(store.ActionStatuses(), st) {
			return invalid("status", fmt.Sprintf("%q is not one of %s", st, strings.Join(store.ActionStatuses(), ", ")))
		}
		upd.Status = &st
	}
	if _, ok := form["assignee"]; ok {
		a := strings.TrimSpace(form.Get("assignee"))
		if err := checkText(textField{"assignee", a, 100}); err != nil {
			return err
		}
		upd.Assignee = &a
	}
	if _, ok := form["justification"]; ok && u.Role == store.RoleLegal {
		j := strings.TrimSpace(form.Get("justification"))
		if err := checkText(textField{"justification", j, 10000}); err != nil {
			return err
		}
		upd.Justification = &j
	}
	act, err := s.st.ActionByID(ctx, id)
	if err != nil {
		return err
	}
	// unchanged fields are not sent, so the store's role rules judge only what changes
	if upd.Status != nil && *upd.Status == act.Status {
		upd.Status = nil
	}
	if upd.Assignee != nil && *upd.Assignee == act.Assignee {
		upd.Assignee = nil
	}
	if upd.Justification != nil && *upd.Justification == act.Justification {
		upd.Justification = nil
	}
	if upd.Status != nil && *upd.Status == store.ActionRiskAccepted {
		if u.Role != store.RoleLegal {
			return s.renderError(c, http.StatusForbidden, "ui.action.legal_only")
		}
		j := act.Justification
		if upd.Justification != nil {
			j = *upd.Justification
		}
		if j == "" {
			return s.renderError(c, http.StatusUnprocessableEntity, "ui.action.justify")
		}
	}
	if upd.Status != nil || upd.Assignee != nil || upd.Justification != nil {
		if _, err := s.st.UpdateAction(ctx, u, id, upd); err != nil {
			if errors.Is(err, store.ErrForbidden) {
				return s.renderError(c, http.StatusForbidden, "ui.action.forbidden")
			}
			return err
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
	Record     store.Assessment
	Deployment store.Deployment
}

func (s *Server) reviewsPage(c *echo.Context) error {
	ctx := c.Request().Context()
	queue, err := s.st.ReviewQueue(ctx)
	if err != nil {
		return err
	}
	data := reviewsData{}
	for _, rec := range queue {
		d, err := s.st.Deployment(ctx, rec.DeploymentID)
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
	Categories, Sectors, Providers      []option
	Errors                              map[string][]string
	Result                              *assessments.HostingResult
	Asked                               bool
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

func (s *Server) hostingPage(c *echo.Context) error {
	v := s.newView(c, "ui.hosting.title")
	q := c.Request().URL.Query()
	p := &formParser{byName: s.ui.byName}
	data := &hostingData{Data: q["data"], Subjects: q.Get("subjects"), Host: q.Get("host"), Count: q.Get("count"), Sector: q.Get("sector"),
		Provider: q.Get("provider"), Region: q.Get("region"), Errors: map[string][]string{},
		Categories: v.form.options["data_category"], Sectors: v.form.options["sector"], Providers: v.form.options["provider"]}
	data.Asked = len(q) > 0
	status := http.StatusOK
	if data.Asked {
		hq := assessments.HostingQuery{Data: data.Data, Sector: data.Sector, Provider: data.Provider, Region: strings.TrimSpace(data.Region)}
		for _, tok := range strings.FieldsFunc(data.Subjects, func(r rune) bool { return r == ',' || r == ';' || r == '，' || r == '、' }) {
			if c := p.country(tok); c != "" {
				hq.Subjects = append(hq.Subjects, c)
			}
		}
		if h := strings.TrimSpace(data.Host); h != "" {
			hq.Host = p.country(h)
		}
		if c := strings.TrimSpace(data.Count); c != "" { // blank: not known, answered per band
			n, err := strconv.Atoi(c)
			if err != nil || n < 1 {
				data.Errors["count"] = append(data.Errors["count"], v.T("ui.hosting.bad_count"))
			}
			hq.Count = &n
		}
		if len(hq.Subjects) == 0 {
			data.Errors["subjects"] = append(data.Errors["subjects"], v.T("ui.hosting.need_subjects"))
		}
		if hq.Host == "" && hq.Provider == "" {
			data.Errors["host"] = append(data.Errors["host"], v.T("ui.hosting.need_host"))
		}
		if len(data.Errors) == 0 {
			res, err := s.ev.HostingCheck(c.Request().Context(), hq)
			var ve *assessments.ValidationError
			switch {
			case errors.As(err, &ve):
				for _, pr := range ve.Problems {
					field, _, _ := strings.Cut(pr.Path, "[")
					data.Errors[field] = append(data.Errors[field], pr.Message)
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

// resultCache keeps the decoded results of the assessments viewed last. A stored result never
// changes, and a large one is megabytes of JSON that take longer to decode than the page takes
// to render: reviewing it (an action form posts and comes back) would decode it again and again.
type resultCache struct {
	mu    sync.Mutex
	max   int
	order []uint64
	items map[uint64]*assessments.Assessment
}

func newResultCache(max int) *resultCache {
	return &resultCache{max: max, items: map[uint64]*assessments.Assessment{}}
}

// get returns the decoded result of a stored assessment; callers must not change it.
func (rc *resultCache) get(rec store.Assessment) (*assessments.Assessment, error) {
	rc.mu.Lock()
	a, ok := rc.items[rec.ID]
	rc.mu.Unlock()
	if ok {
		return a, nil
	}
	a = &assessments.Assessment{}
	if err := json.Unmarshal([]byte(rec.Result), a); err != nil {
		return nil, fmt.Errorf("decode stored assessment %d: %w", rec.ID, err)
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if _, ok := rc.items[rec.ID]; !ok {
		if len(rc.order) >= rc.max {
			delete(rc.items, rc.order[0])
			rc.order = rc.order[1:]
		}
		rc.items[rec.ID] = a
		rc.order = append(rc.order, rec.ID)
	}
	return a, nil
}

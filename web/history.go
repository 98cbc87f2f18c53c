package web

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/labstack/echo/v5"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/internal/httpx"
	"github.com/piaflow/piaflow/service"
	"github.com/piaflow/piaflow/web/form"
)

// timelinePage is the number of timeline entries one page of the deployment page lists.
const timelinePage = 25

// diffView is what changed from one assessment to another, labelled in the page's language:
// the "diff" partial shows it on the assessment page and the compare page.
type diffView struct {
	V                           *view
	BeforeID, AfterID           uint64
	BeforeRevision              int
	AfterRevision               int
	BeforeReview                string
	VerdictBefore, VerdictAfter string
	PolicyChanged, Empty        bool
	Added, Resolved, Changed    []assessments.Finding
	Transfers                   []transferChangeView
	Answers                     []answerChangeView
	AnswersMore                 int
	// AnswersMax is the bound on the answers listed (assessments.MaxAnswerChanges).
	AnswersMax int
}

// transferChangeView is a flow whose verdict changed, with its countries, law and verdicts named.
type transferChangeView struct {
	From, To, Activity, Regime, RegimeCode string
	Before, After                          string
}

// answerChangeView is one answer that changed: the question's label, the path as a detail, and
// the values as the page's language shows them.
type answerChangeView struct {
	Label, Path, Kind, Old, New string
}

// newDiffView labels d for the page of v.
func newDiffView(v *view, d service.Difference) *diffView {
	dv := &diffView{V: v, BeforeID: d.Before.Record.ID, AfterID: d.After.Record.ID, BeforeRevision: d.Before.Revision, AfterRevision: d.After.Revision,
		BeforeReview:  piaflow.ReviewStatus(d.Before.Record.ReviewState, d.Before.Record.AcceptedRisks),
		VerdictBefore: d.VerdictBefore, VerdictAfter: d.VerdictAfter, PolicyChanged: d.PolicyChanged, Empty: d.Empty(),
		Added: d.Added, Resolved: d.Resolved, Changed: d.Changed, AnswersMore: d.More, AnswersMax: assessments.MaxAnswerChanges}
	transferState := func(verdict string, satisfied bool) string {
		if verdict == "" {
			return "—"
		}
		s := v.L.Or("ui.transfer."+verdict, verdict)
		if satisfied {
			s += " (" + v.T("ui.transfer.satisfied") + ")"
		}
		return s
	}
	for _, t := range d.Transfers {
		dv.Transfers = append(dv.Transfers, transferChangeView{From: v.Country(t.From), To: v.Country(t.To), Activity: t.Activity,
			Regime: v.Regime(t.Regime), RegimeCode: t.Regime,
			Before: transferState(t.BeforeVerdict, t.BeforeSatisfied), After: transferState(t.AfterVerdict, t.AfterSatisfied)})
	}
	// the answers in the wizard's order of sections (deployment, hosting, activities, ...), each
	// section's in document order
	section := map[string]int{}
	for i, sec := range form.Sections() {
		section[sec.ID] = i
	}
	changes := slices.Clone(d.Changes)
	slices.SortStableFunc(changes, func(x, y assessments.AnswerChange) int {
		return cmp.Compare(section[form.SectionOf(x.Path)], section[form.SectionOf(y.Path)])
	})
	for _, ch := range changes {
		av := answerChangeView{Label: v.form.AnswerLabel(ch.Path), Path: ch.Path, Kind: ch.Kind,
			Old: v.form.AnswerValue(ch.Path, ch.Old, v.Country), New: v.form.AnswerValue(ch.Path, ch.New, v.Country)}
		dv.Answers = append(dv.Answers, av)
	}
	return dv
}

// timelineData is the history section of the deployment page.
type timelineData struct {
	Entries          []service.TimelineEntry
	Choices          []service.AssessmentChoice
	Page, Pages      int
	PrevURL, NextURL string
	// From and To are the assessments the compare form offers first (the two latest).
	From, To uint64
	// Error is a refused comparison's message, shown by the form.
	Error string
}

// timelineData reads the page of deployment d's history asked for by ?page=.
func (s *UI) timelineData(c *echo.Context, d piaflow.Deployment) (*timelineData, error) {
	page, _ := strconv.Atoi(c.QueryParam("page"))
	page = max(page, 1)
	tl, err := s.svc.Timeline(c.Request().Context(), httpx.CurrentUser(c), d.ID, (page-1)*timelinePage, timelinePage)
	if err != nil {
		return nil, err
	}
	shown := min(tl.Total, int64(service.MaxTimelineEntries))
	data := &timelineData{Entries: tl.Entries, Choices: tl.Assessments, Page: page, Pages: max(1, int((shown+timelinePage-1)/timelinePage))}
	if page > 1 {
		data.PrevURL = fmt.Sprintf("/deployments/%d?page=%d#history", d.ID, page-1)
	}
	if page < data.Pages {
		data.NextURL = fmt.Sprintf("/deployments/%d?page=%d#history", d.ID, page+1)
	}
	if len(tl.Assessments) > 0 {
		data.To = tl.Assessments[0].ID
		data.From = data.To
		if len(tl.Assessments) > 1 {
			data.From = tl.Assessments[1].ID
		}
	}
	return data, nil
}

// compareData is the compare page.
type compareData struct {
	Deployment piaflow.Deployment
	Diff       *diffView
}

// comparePage compares two assessments of a deployment chosen on its page (?from= and ?to=);
// a choice that is not two of its assessments shows the deployment page again with the message
// by the form.
func (s *UI) comparePage(c *echo.Context) error {
	ctx, u := c.Request().Context(), httpx.CurrentUser(c)
	d, err := s.deploymentParam(c)
	if err != nil {
		return err
	}
	from, ferr := strconv.ParseUint(c.QueryParam("from"), 10, 63)
	to, terr := strconv.ParseUint(c.QueryParam("to"), 10, 63)
	if ferr != nil || terr != nil || from == 0 || to == 0 {
		return s.showDeployment(c, http.StatusUnprocessableEntity, "ui.compare.choose")
	}
	diff, err := s.svc.CompareAssessments(ctx, u, to, from)
	if errors.Is(err, piaflow.ErrNotFound) || errors.Is(err, piaflow.ErrInvalid) ||
		(err == nil && diff.After.Record.DeploymentID != d.ID) {
		return s.showDeployment(c, http.StatusUnprocessableEntity, "ui.compare.choose")
	}
	if err != nil {
		return err
	}
	v := s.newView(c, "ui.compare.title", "name", d.Name, "from", strconv.FormatUint(from, 10), "to", strconv.FormatUint(to, 10))
	v.Nav, v.Data = "deployments", compareData{Deployment: d, Diff: newDiffView(v, diff)}
	return s.render(c, http.StatusOK, "compare", v)
}

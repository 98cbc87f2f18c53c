package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v5"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/i18n"
	"github.com/piaflow/piaflow/internal/httpx"
	"github.com/piaflow/piaflow/web/form"
)

// wizardData is the questionnaire wizard page of one section.
type wizardData struct {
	Deployment piaflow.Deployment
	Sections   []sectionLink
	Section    string
	Prev, Next string
	// ETag is the latest revision's (empty before the first save); Revision its number.
	ETag     string
	Revision int
	Draft    bool
	Field    *form.Field
	// Form is the section's inputs, rendered (html.go).
	Form template.HTML
	// Problems are the validator's problems outside this section's inputs (or all of them in
	// the summary after a submit), with links to their section.
	Problems []problemLink
	Stale    bool
	// TooLarge: the section has more inputs than a page shows (piaflow.MaxWizardInputs); the
	// page has no form for it (saving a part would drop the rest), only a link to the
	// questionnaire as JSON.
	TooLarge bool
}

type sectionLink struct {
	ID, Label string
	Current   bool
	Errors    int
}

// problemLink is a problem of the wizard's list: the question's label in the page's language
// (when the path names a question), the message in that language, and the path, shown second.
type problemLink struct {
	Path, Label, Message, Href string
}

func (s *UI) deploymentParam(c *echo.Context) (piaflow.Deployment, error) {
	id, err := httpx.IDParam(c)
	if err != nil {
		return piaflow.Deployment{}, err
	}
	return s.svc.Deployment(c.Request().Context(), httpx.CurrentUser(c), id)
}

// latestDoc is the deployment's latest questionnaire document, or a new one started from the
// deployment's name and customer.
func (s *UI) latestDoc(c *echo.Context, d piaflow.Deployment) (map[string]any, piaflow.Revision, error) {
	if d.LatestRevision == 0 {
		dep := map[string]any{"name": d.Name, "customer": d.Customer}
		if d.CustomerCountry != "" {
			dep["customer_country"] = d.CustomerCountry
		}
		return map[string]any{"schema_version": json.Number("1"), "deployment": dep}, piaflow.Revision{}, nil
	}
	r, err := s.svc.Revision(c.Request().Context(), httpx.CurrentUser(c), d.ID, 0)
	if err != nil {
		return nil, r, err
	}
	return form.DecodeDoc(r.Document), r, nil
}

// problemsOf validates a document and lists its problems by path.
func problemsOf(doc map[string]any) ([]assessments.Problem, error) {
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("encode questionnaire: %w", err)
	}
	_, err = assessments.Parse(b)
	var ve *assessments.ValidationError
	if errors.As(err, &ve) {
		return ve.Problems, nil
	}
	return nil, err
}

func (s *UI) wizardPage(c *echo.Context) error {
	d, err := s.deploymentParam(c)
	if err != nil {
		return err
	}
	doc, r, err := s.latestDoc(c, d)
	if err != nil {
		return err
	}
	var problems []assessments.Problem
	if c.QueryParam("check") != "" {
		if problems, err = problemsOf(doc); err != nil {
			return err
		}
	}
	v := s.newView(c, "ui.wizard.title", "name", d.Name)
	switch {
	case c.QueryParam("unchanged") != "" && len(problems) > 0:
		v.Flash = v.T("ui.wizard.unchanged_problems", "n", strconv.Itoa(r.Number), "count", strconv.Itoa(len(problems)))
	case c.QueryParam("unchanged") != "":
		v.Flash = v.T("ui.wizard.unchanged", "n", strconv.Itoa(r.Number))
	case c.QueryParam("saved") != "" && len(problems) > 0:
		v.Flash = v.T("ui.wizard.saved_problems", "n", strconv.Itoa(r.Number), "count", strconv.Itoa(len(problems)))
	case c.QueryParam("saved") != "":
		v.Flash = v.T("ui.wizard.saved", "n", strconv.Itoa(r.Number))
	case c.QueryParam("check") != "" && len(problems) == 0:
		v.Flash = v.T("ui.wizard.complete")
	}
	return s.renderWizard(c, http.StatusOK, v, d, c.QueryParam("section"), doc, r, problems, false)
}

func (s *UI) renderWizard(c *echo.Context, status int, v *view, d piaflow.Deployment, sec string, doc map[string]any, r piaflow.Revision,
	problems []assessments.Problem, stale bool) error {
	cur, ok := form.SectionByID(sec)
	if !ok {
		cur = form.Sections()[0]
	}
	b := form.NewBuilder(v.form)
	counts := map[string]int{}
	for _, p := range problems {
		b.AddProblem(p.Path, v.L.ProblemMessage(p))
		counts[form.SectionOf(p.Path)]++
	}
	data := wizardData{Deployment: d, Section: cur.ID, ETag: r.ETag, Revision: r.Number, Draft: r.Draft, Stale: stale}
	data.Field = b.Section(cur, doc)
	for i, sc := range form.Sections() {
		data.Sections = append(data.Sections, sectionLink{ID: sc.ID, Label: v.form.Label(sc.ID, sc.ID), Current: sc.ID == cur.ID, Errors: counts[sc.ID]})
		if sc.ID == cur.ID {
			if i > 0 {
				data.Prev = form.Sections()[i-1].ID
			}
			if i+1 < len(form.Sections()) {
				data.Next = form.Sections()[i+1].ID
			}
		}
	}
	for _, p := range problems {
		if b.Shown(p.Path) {
			continue
		}
		href := fmt.Sprintf("/deployments/%d/wizard?section=%s&check=1#%s", d.ID, form.SectionOf(p.Path), form.FieldID(p.Path))
		label, _ := v.L.QuestionLabel(p.Path)
		if label == p.Path {
			label = ""
		}
		data.Problems = append(data.Problems, problemLink{Path: p.Path, Label: label, Message: v.L.ProblemMessage(p), Href: href})
	}
	if b.Over() {
		data.Field, data.TooLarge = nil, true
		v.Error = strings.TrimSpace(v.Error + " " + v.T("ui.wizard.too_large", "limit", strconv.Itoa(piaflow.MaxWizardInputs)))
	} else {
		data.Form = formHTML(v, data.Field, b.Count())
	}
	v.size = len(data.Form)
	v.Nav, v.Data = "deployments", data
	return s.render(c, status, "wizard", v)
}

// wizardPost saves the posted section as a draft revision (If-Match: the ETag the form was
// rendered with), applies an add or remove operation, moves between form.Sections(), or — op=submit —
// saves a complete revision, evaluates it and shows the assessment.
func (s *UI) wizardPost(c *echo.Context) error {
	ctx := c.Request().Context()
	d, err := s.deploymentParam(c)
	if err != nil {
		return err
	}
	posted, err := c.FormValues()
	if err != nil {
		return httpx.Msg(http.StatusBadRequest, "error.web.form")
	}
	cur, ok := form.SectionByID(posted.Get("section"))
	if !ok {
		return httpx.Msg(http.StatusBadRequest, "error.web.section", "section", strconv.Quote(posted.Get("section")))
	}
	doc, latest, err := s.latestDoc(c, d)
	if err != nil {
		return err
	}
	p := form.NewParser(posted, s.ui.byName)
	val, ok, err := p.Section(cur)
	if err != nil {
		// more list entries or values than a section may hold (docs/limits.md): refused
		// before the document is built, like a draft over a limit
		return s.wizardSaveFailed(c, d, cur, doc, latest, posted.Get("etag"), err)
	}
	if ok {
		doc[cur.ID] = val
	} else {
		delete(doc, cur.ID)
	}
	doc["schema_version"] = json.Number(strconv.Itoa(assessments.SchemaVersion))
	op := posted.Get("op")
	anchor := ""
	switch {
	case strings.HasPrefix(op, "add:"), strings.HasPrefix(op, "remove:"):
		if form.SectionOf(strings.TrimPrefix(strings.TrimPrefix(op, "add:"), "remove:")) != cur.ID {
			return httpx.Msg(http.StatusBadRequest, "error.web.op_section", "op", strconv.Quote(op), "section", cur.ID)
		}
		added, err := form.ApplyOp(doc, op)
		if err != nil {
			if m := piaflow.MessageOf(err); m != nil {
				return &httpx.Error{Status: http.StatusBadRequest, Detail: m.English(), Msg: m}
			}
			return httpx.Errorf(http.StatusBadRequest, "%v", err)
		}
		if added != "" {
			anchor = "#" + form.FieldID(added)
		}
	}
	ifMatch := posted.Get("etag")
	if op == "submit" {
		return s.submitQuestionnaire(c, d, cur, doc, latest, ifMatch)
	}
	saved, err := s.svc.SaveDraft(ctx, httpx.CurrentUser(c), d.ID, ifMatch, doc)
	if err != nil {
		return s.wizardSaveFailed(c, d, cur, doc, latest, ifMatch, err)
	}
	next := cur.ID
	q := url.Values{"saved": {"1"}}
	if latest.Number > 0 && saved.Number == latest.Number {
		q = url.Values{"unchanged": {"1"}} // the same answers: the service kept no new revision
	}
	switch {
	case strings.HasPrefix(op, "goto:"):
		if sc, ok := form.SectionByID(strings.TrimPrefix(op, "goto:")); ok {
			next = sc.ID
		}
		q = url.Values{}
	case op == "save":
		q.Set("check", "1")
	}
	q.Set("section", next)
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/deployments/%d/wizard?%s%s", d.ID, q.Encode(), anchor))
}

// wizardSaveFailed explains a refused save: someone else saved a revision since the form was
// rendered (the ETag check), or the deployment is archived. The posted answers are shown again.
func (s *UI) wizardSaveFailed(c *echo.Context, d piaflow.Deployment, cur form.Section, doc map[string]any, latest piaflow.Revision, ifMatch string, err error) error {
	switch {
	case errors.Is(err, piaflow.ErrPrecondition):
		v := s.newView(c, "ui.wizard.title", "name", d.Name)
		if now, rerr := s.svc.Revision(c.Request().Context(), httpx.CurrentUser(c), d.ID, 0); rerr == nil {
			latest = now
		}
		v.Error = v.T("ui.wizard.stale", "n", strconv.Itoa(latest.Number), "at", v.Date(latest.CreatedAt))
		// The form keeps the ETag it was rendered with: saving it again is refused again, so no
		// one overwrites the other's answers without first reading them.
		shown := latest
		shown.ETag = ifMatch
		return s.renderWizard(c, http.StatusConflict, v, d, cur.ID, doc, shown, nil, true)
	case errors.Is(err, piaflow.ErrConflict):
		// archived: nothing can be saved; the answers are shown with the message, not a dead end
		v := s.newView(c, "ui.wizard.title", "name", d.Name)
		v.Error = v.T("ui.wizard.archived")
		return s.renderWizard(c, http.StatusConflict, v, d, cur.ID, doc, latest, nil, false)
	case errors.As(err, new(*assessments.ValidationError)):
		// over a limit of docs/limits.md (a list too long): nothing was saved; the form shows the
		// stored answers again, never the oversized ones, with the limit named
		v := s.newView(c, "ui.wizard.title", "name", d.Name)
		problem := err.Error()
		if ve := new(assessments.ValidationError); errors.As(err, &ve) && v.L.Lang() != i18n.English {
			problem = v.L.ValidationError(ve)
		}
		v.Error = v.T("ui.wizard.over_limit", "problem", problem)
		stored, r, lerr := s.latestDoc(c, d)
		if lerr != nil {
			return lerr
		}
		return s.renderWizard(c, http.StatusUnprocessableEntity, v, d, cur.ID, stored, r, nil, false)
	}
	return err
}

// submitQuestionnaire saves a complete revision when the document is valid, evaluates it and
// goes to the assessment; otherwise it keeps the answers as a draft and lists the problems.
func (s *UI) submitQuestionnaire(c *echo.Context, d piaflow.Deployment, cur form.Section, doc map[string]any, latest piaflow.Revision, ifMatch string) error {
	ctx, u := c.Request().Context(), httpx.CurrentUser(c)
	raw, err := json.Marshal(doc)
	if err != nil {
		return fmt.Errorf("encode questionnaire: %w", err)
	}
	a, err := s.svc.SubmitQuestionnaire(ctx, u, d.ID, ifMatch, raw)
	var ve *assessments.ValidationError
	switch {
	case errors.As(err, &ve):
		if _, err := s.svc.SaveDraft(ctx, u, d.ID, ifMatch, doc); err != nil {
			return s.wizardSaveFailed(c, d, cur, doc, latest, ifMatch, err)
		}
		target := cur.ID
		if len(ve.Problems) > 0 && !hasProblemIn(ve.Problems, cur.ID) {
			target = form.SectionOf(ve.Problems[0].Path)
		}
		return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/deployments/%d/wizard?section=%s&check=1&saved=1", d.ID, target))
	case errors.Is(err, piaflow.ErrPrecondition), errors.Is(err, piaflow.ErrConflict):
		return s.wizardSaveFailed(c, d, cur, doc, latest, ifMatch, err)
	case err != nil:
		return err
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/assessments/%d", a.Record.ID))
}

func hasProblemIn(problems []assessments.Problem, sec string) bool {
	for _, p := range problems {
		if form.SectionOf(p.Path) == sec {
			return true
		}
	}
	return false
}

// evaluateForm evaluates the latest revision (the wizard's submit does this too).
func (s *UI) evaluateForm(c *echo.Context) error {
	d, err := s.deploymentParam(c)
	if err != nil {
		return err
	}
	a, err := s.svc.Evaluate(c.Request().Context(), httpx.CurrentUser(c), d.ID, 0)
	if piaflow.ReasonOf(err) == piaflow.ReasonDraft {
		return s.showDeployment(c, http.StatusConflict, "ui.deployment.draft")
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/assessments/%d", a.Record.ID))
}

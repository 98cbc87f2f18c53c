package web

import (
	"fmt"
	"html"
	"html/template"
	"net/url"
	"strconv"
	"strings"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/web/form"
)

// actionStatuses are the statuses an action form offers.
var actionStatuses = piaflow.ActionStatuses()

// The parts of a page that repeat by the thousand for a large deployment (the wizard's inputs,
// the findings, the transfer table) are written here rather than in html/template, whose
// reflection costs ~10x more per element: a 50-activity wizard has ~5,000 inputs, its assessment
// ~600 findings and ~1,400 transfers. Every text and attribute goes through html.EscapeString
// and every link through safeHref, so the output is as safe as html/template's.

// htmlWriter builds HTML.
type htmlWriter struct {
	strings.Builder
}

// raw writes trusted markup (a literal of this file).
func (w *htmlWriter) raw(parts ...string) {
	for _, p := range parts {
		w.WriteString(p)
	}
}

// text writes escaped text.
func (w *htmlWriter) text(s string) { w.WriteString(html.EscapeString(s)) }

// attr writes ` name="value"` with the value escaped.
func (w *htmlWriter) attr(name, value string) {
	w.WriteString(" ")
	w.WriteString(name)
	w.WriteString(`="`)
	w.WriteString(html.EscapeString(value))
	w.WriteString(`"`)
}

// flag writes a boolean attribute when on.
func (w *htmlWriter) flag(name string, on bool) {
	if on {
		w.WriteString(" ")
		w.WriteString(name)
	}
}

func (w *htmlWriter) html() template.HTML { return template.HTML(w.String()) } // #nosec G203 -- built from escaped parts

// safeHref allows http(s) links and paths on this site only.
func safeHref(s string) string {
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return "#"
	case u.Scheme == "http" || u.Scheme == "https":
		return s
	case u.Scheme == "" && u.Host == "" && strings.HasPrefix(s, "/") && !strings.HasPrefix(s, "//"):
		return s
	}
	return "#"
}

// cite writes <a href> to a citation (opens in a new tab) or just its text without a URL, in
// the page's language (regime: the law the citation belongs to, "" when unknown).
func (w *htmlWriter) cite(v *view, regime string, c assessments.Citation, class string) {
	ref, u := v.L.CitationRef(regime, c), v.L.CitationURL(c)
	if u == "" {
		w.text(ref)
		return
	}
	w.raw("<a")
	w.attr("href", safeHref(u))
	if class != "" {
		w.attr("class", class)
	}
	w.raw(` rel="noopener noreferrer" target="_blank">`)
	w.text(ref)
	w.raw("</a>")
}

// formHTML renders a wizard field and everything under it.
func formHTML(v *view, f *form.Field, fields int) template.HTML {
	w := &htmlWriter{}
	w.Grow(fields*700 + 4096)
	w.field(v, f)
	return w.html()
}

func (w *htmlWriter) describedBy(f *form.Field) {
	var ids []string
	if f.Help != "" {
		ids = append(ids, f.ID+"-help")
	}
	if len(f.Errors) > 0 {
		ids = append(ids, f.ID+"-err")
	}
	if len(ids) > 0 {
		w.attr("aria-describedby", strings.Join(ids, " "))
	}
	w.flag(`aria-invalid="true"`, len(f.Errors) > 0)
}

func (w *htmlWriter) help(f *form.Field) {
	if f.Help != "" {
		w.raw(`<p class="help"`)
		w.attr("id", f.ID+"-help")
		w.raw(">")
		w.text(f.Help)
		w.raw("</p>\n")
	}
}

func (w *htmlWriter) errors(f *form.Field) {
	if len(f.Errors) == 0 {
		return
	}
	w.raw(`<ul class="errors"`)
	w.attr("id", f.ID+"-err")
	w.raw(">")
	for _, e := range f.Errors {
		w.raw("<li>")
		w.text(e)
		w.raw("</li>")
	}
	w.raw("</ul>\n")
}

func (w *htmlWriter) label(f *form.Field) {
	w.text(f.Label)
	if f.Required {
		w.raw(` <span class="req" aria-hidden="true">*</span>`)
	}
}

func (w *htmlWriter) field(v *view, f *form.Field) {
	switch f.Kind {
	case form.KindObject:
		w.raw(`<fieldset class="group"`)
		w.attr("id", f.ID)
		w.flag(`aria-invalid="true"`, f.Invalid())
		w.raw("><legend>")
		w.text(f.Label)
		w.raw("</legend>\n")
		w.help(f)
		w.errors(f)
		for _, c := range f.Fields {
			w.field(v, c)
		}
		w.raw("</fieldset>\n")
		return
	case form.KindList:
		w.raw(`<fieldset class="list"`)
		w.attr("id", f.ID)
		w.raw("><legend>")
		w.label(f)
		w.raw("</legend>\n")
		w.raw(`<input type="hidden"`)
		w.attr("name", "count:"+f.Path)
		w.attr("value", strconv.Itoa(len(f.Items)))
		w.raw(">\n")
		w.help(f)
		w.errors(f)
		for _, it := range f.Items {
			w.raw(`<section class="item"`)
			w.attr("id", it.ID)
			w.attr("aria-labelledby", it.ID+"-h")
			w.raw(`><div class="item-head"><h3`)
			w.attr("id", it.ID+"-h")
			w.raw(">")
			w.text(it.Title)
			w.raw(`</h3><button type="submit" name="op" class="remove"`)
			w.attr("value", it.RemoveOp)
			w.attr("aria-label", it.RemoveText)
			w.raw(">")
			w.text(v.T("ui.remove"))
			w.raw("</button></div>\n")
			for _, c := range it.Fields {
				w.field(v, c)
			}
			w.raw("</section>\n")
		}
		if len(f.Items) == 0 {
			w.raw(`<p class="empty">`)
			w.text(v.T("ui.wizard.none"))
			w.raw("</p>\n")
		}
		w.raw(`<button type="submit" name="op" class="add"`)
		w.attr("value", f.AddOp)
		w.attr("id", f.ID+"-add")
		w.raw(">+ ")
		w.text(f.AddText)
		w.raw("</button>\n</fieldset>\n")
		return
	}
	w.raw(`<div class="q q-`, f.Kind)
	if f.Invalid() {
		w.raw(" invalid")
	}
	w.raw(`">`)
	switch f.Kind {
	case form.KindBool:
		w.raw(`<div class="check"><input type="checkbox" value="true"`)
		w.attr("id", f.ID)
		w.attr("name", f.Path)
		w.flag("checked", f.Value == "true")
		w.describedBy(f)
		w.raw("><label")
		w.attr("for", f.ID)
		w.raw(">")
		w.text(f.Label)
		w.raw("</label></div>")
	case form.KindEnums:
		w.raw(`<fieldset class="checks"`)
		w.attr("id", f.ID)
		w.describedBy(f)
		w.raw("><legend>")
		w.label(f)
		w.raw("</legend>")
		for _, o := range f.Options {
			w.raw(`<label class="opt"><input type="checkbox"`)
			w.attr("name", f.Path)
			w.attr("value", o.Value)
			w.attr("id", f.ID+"-"+o.Value)
			w.flag("checked", f.Has(o.Value))
			w.raw("> ")
			w.text(o.Label)
			w.raw("</label>")
		}
		w.raw("</fieldset>")
	default:
		w.raw("<label")
		w.attr("for", f.ID)
		w.raw(">")
		w.label(f)
		w.raw("</label>\n")
		switch f.Kind {
		case form.KindEnum, form.KindTriBool:
			w.raw("<select")
			w.attr("id", f.ID)
			w.attr("name", f.Path)
			w.flag(`aria-required="true"`, f.Required)
			w.describedBy(f)
			w.raw(`><option value="">`)
			opts := f.Options
			if f.Kind == form.KindTriBool {
				w.text(v.T("ui.unanswered"))
				opts = []option{{Value: "true", Label: v.T("ui.yes")}, {Value: "false", Label: v.T("ui.no")}}
			} else {
				w.text(v.T("ui.choose"))
			}
			w.raw("</option>")
			for _, o := range opts {
				w.raw("<option")
				w.attr("value", o.Value)
				w.flag("selected", o.Value == f.Value)
				w.raw(">")
				w.text(o.Label)
				w.raw("</option>")
			}
			w.raw("</select>")
		case form.KindLines:
			w.raw(`<textarea rows="2"`)
			w.attr("id", f.ID)
			w.attr("name", f.Path)
			w.describedBy(f)
			w.raw(">")
			w.text(f.Value)
			w.raw("</textarea>")
		default:
			w.raw("<input")
			w.attr("id", f.ID)
			w.attr("name", f.Path)
			w.attr("value", f.Value)
			switch f.Kind {
			case form.KindNumber:
				w.raw(` type="number" inputmode="numeric" min="0" step="1"`)
			case form.KindDate:
				w.raw(` type="date"`)
			case form.KindCountry:
				w.raw(` type="text" list="countries" autocomplete="off" data-country="one" class="country"`)
				w.attr("placeholder", v.T("ui.country.placeholder"))
			case form.KindCountries:
				w.raw(` type="text" list="countries" autocomplete="off" data-country="many" class="country"`)
				w.attr("placeholder", v.T("ui.countries.placeholder"))
			default:
				w.raw(` type="text"`)
				if isRegionField(f.Path) {
					w.raw(` list="regions" autocomplete="off"`)
					w.attr("placeholder", v.T("ui.region.placeholder"))
				}
			}
			w.flag(`aria-required="true"`, f.Required)
			w.describedBy(f)
			w.raw(">")
		}
	}
	w.raw("\n")
	w.help(f)
	w.errors(f)
	w.raw("</div>\n")
}

// findingsHTML renders findings as articles.
func findingsHTML(v *view, fs []findingView) template.HTML {
	w := &htmlWriter{}
	w.Grow(len(fs) * 1500)
	for _, f := range fs {
		sev := f.F.Severity
		w.raw(`<article class="finding sev-`, html.EscapeString(sev), `"`)
		w.attr("id", "finding-"+f.F.Key)
		w.raw(`><h4><span class="badge sev-`, html.EscapeString(sev), `">`)
		w.text(v.T("ui.severity." + sev))
		w.raw("</span> ")
		w.text(f.Title)
		w.raw(`</h4><p class="meta"><code>`)
		w.text(f.F.ID)
		w.raw("</code> · ")
		w.text(v.L.Or("ui.kind."+f.F.Kind, f.F.Kind))
		w.raw(" · ")
		w.cite(v, f.F.Regime, f.F.Citation, "cite")
		w.raw("</p><p>")
		w.text(v.L.FindingDetail(f.F))
		w.raw("</p>")
		if len(f.Answers) > 0 {
			w.raw(`<details class="answers"><summary>`)
			w.text(v.T("ui.assessment.answers"))
			w.raw("</summary><dl>")
			for _, a := range f.Answers {
				w.raw("<dt>")
				// the question in the reader's language, its path after it
				if label, ok := v.L.QuestionLabel(a.Path); ok {
					w.text(label + " ")
				}
				if a.Href != "" {
					w.raw("<a")
					w.attr("href", safeHref(a.Href))
					w.raw("><code>")
					w.text(a.Path)
					w.raw("</code></a>")
				} else {
					w.raw("<code>")
					w.text(a.Path)
					w.raw("</code>")
				}
				w.raw("</dt><dd>")
				w.text(a.Value)
				w.raw("</dd>")
			}
			w.raw("</dl></details>")
		}
		w.raw(`<p class="todo"><strong>`)
		w.text(v.T("ui.assessment.todo"))
		w.raw(":</strong> ")
		w.text(f.Action)
		if f.F.Action.Due != "" {
			w.raw(" (")
			w.text(v.T("ui.action.due") + " " + f.F.Action.Due)
			w.raw(")")
		}
		if f.ActionID != 0 {
			w.raw(` · <a href="#action-`, strconv.FormatUint(f.ActionID, 10), `">`)
			w.text(v.T("status." + f.ActionStatus))
			w.raw("</a>")
		}
		w.raw("</p></article>\n")
	}
	return w.html()
}

// transfersHTML renders the rows of the transfer table.
func transfersHTML(v *view, ts []assessments.TransferEval) template.HTML {
	w := &htmlWriter{}
	w.Grow(len(ts) * 700)
	for _, t := range ts {
		w.raw("<tr><td>")
		w.text(v.Country(t.From))
		w.raw(` <span class="code">`)
		w.text(t.From)
		w.raw(`</span></td><td>`)
		w.text(v.Country(t.To))
		w.raw(` <span class="code">`)
		w.text(t.To)
		w.raw(`</span><div class="muted small">`)
		w.text(t.Via)
		if t.Hop > 0 {
			w.raw("<br>")
			w.text(v.T("ui.transfer.onward_hop", "hop", strconv.Itoa(t.Hop)))
		}
		w.raw("</div></td><td>")
		w.text(t.Activity)
		w.raw("</td><td>")
		w.text(v.L.Law(t.Regime))
		w.raw(`</td><td><span class="badge tv-`, html.EscapeString(t.Verdict))
		if t.Satisfied {
			w.raw(" ok")
		}
		w.raw(`">`)
		w.text(v.L.Or("ui.transfer."+t.Verdict, t.Verdict))
		w.raw("</span> ")
		if t.Satisfied {
			w.raw(`<span class="ok-mark">✓ `)
			w.text(v.T("ui.transfer.satisfied"))
		} else {
			w.raw(`<span class="no-mark">✗ `)
			w.text(v.T("ui.transfer.unsatisfied"))
		}
		w.raw("</span></td><td>")
		for i, m := range t.Mechanisms {
			if i > 0 {
				w.raw(", ")
			}
			w.text(v.Enum("mechanism", m))
		}
		if t.Mechanism != "" {
			w.raw(`<div class="muted small">`)
			w.text(fmt.Sprintf("%s: %s", v.T("ui.transfer.given"), v.L.GivenMechanism(t.Mechanism)))
			w.raw("</div>")
		}
		w.raw("</td><td>")
		w.cite(v, t.Regime, t.Citation, "")
		w.raw("</td></tr>\n")
	}
	return w.html()
}

// actionsHTML renders the action list, each action with its form for roles that may change it;
// prob, when set, is a refused change of one action, shown in its form.
func actionsHTML(v *view, acts []actionView, assessmentID uint64, prob *actionProblem) template.HTML {
	w := &htmlWriter{}
	w.Grow(len(acts) * 2000)
	editable := v.can(piaflow.CapEditActions)
	legal := v.can(piaflow.CapAcceptRisk)
	aid := strconv.FormatUint(assessmentID, 10)
	for _, a := range acts {
		id := strconv.FormatUint(a.ID, 10)
		w.raw(`<li id="action-`, id, `" class="action status-`, html.EscapeString(a.Status), `"><div class="action-head"><span class="badge sev-`, html.EscapeString(a.Severity), `">`)
		w.text(v.L.Or("ui.severity."+a.Severity, a.Severity))
		w.raw("</span> <strong>")
		w.text(a.Title)
		w.raw(`</strong></div><p class="meta">`)
		w.text(a.FindingID + " · " + v.T("ui.action.owner") + ": " + v.Enum("owner", a.Owner))
		if a.Due != "" {
			w.text(" · " + v.T("ui.action.due") + ": " + a.Due)
		}
		if a.Cite.URL != "" {
			w.raw(" · ")
			w.cite(v, a.Regime, a.Cite, "")
		}
		w.raw("</p>")
		if a.Justification != "" {
			w.raw(`<p class="justification">`)
			w.text(v.T("ui.action.justification") + ": " + a.Justification)
			w.raw("</p>")
		}
		if editable {
			p := "act-" + id
			var problem *actionProblem
			if prob != nil && prob.ID == a.ID {
				problem = prob
			}
			w.raw(`<form method="post" action="/actions/`, id, `" class="row action-form"><input type="hidden" name="csrf"`)
			w.attr("value", v.CSRF)
			w.raw(`><input type="hidden" name="assessment" value="`, aid, `"><div class="q"><label for="`, p, `-status">`)
			w.text(v.T("ui.action.status"))
			w.raw(`</label><select id="`, p, `-status" name="status">`)
			for _, st := range actionStatuses {
				if st == piaflow.ActionRiskAccepted && !legal && a.Status != st {
					continue
				}
				w.raw("<option")
				w.attr("value", st)
				w.flag("selected", st == a.Status)
				w.raw(">")
				w.text(v.T("status." + st))
				w.raw("</option>")
			}
			w.raw(`</select></div><div class="q"><label for="`, p, `-assignee">`)
			w.text(v.T("ui.action.assignee"))
			w.raw(`</label><input id="`, p, `-assignee" name="assignee" type="text" maxlength="100"`)
			w.attr("value", a.Assignee)
			w.raw("></div>")
			if legal {
				w.raw(`<div class="q wide"><label for="`, p, `-justification">`)
				w.text(v.T("ui.action.justification"))
				w.raw(`</label><textarea id="`, p, `-justification" name="justification" rows="2" aria-describedby="`, p, `-justification-help`)
				if problem != nil {
					w.raw(" ", p, "-err")
				}
				w.raw(`"`)
				if problem != nil && problem.Field == "justification" {
					w.attr("aria-invalid", "true")
				}
				w.raw(">")
				w.text(a.Justification)
				w.raw(`</textarea><p class="help" id="`, p, `-justification-help">`)
				w.text(v.T("ui.action.justification_help"))
				w.raw("</p></div>")
			}
			if problem != nil {
				w.raw(`<p class="form-error" role="alert" id="`, p, `-err">`)
				w.text(problem.Message)
				w.raw("</p>")
			}
			w.raw(`<button type="submit" id="`, p, `-save">`)
			w.text(v.T("ui.action.update"))
			w.raw("</button></form>")
		}
		w.raw("</li>\n")
	}
	return w.html()
}

// isRegionField reports whether path is a hosting site's region (hosting[N].region): its input
// offers the cloud region catalogue.
func isRegionField(path string) bool {
	return strings.HasPrefix(path, "hosting[") && strings.HasSuffix(path, "].region")
}

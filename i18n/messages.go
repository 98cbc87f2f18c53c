package i18n

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/piaflow/piaflow/assessments"
)

// Structured messages (docs/messages.md): the policies emit a message id and parameters beside
// each converted English text; the catalogue key is "msg.<id>" (locales/*/messages.json) with
// {name} placeholders. English renders the parameters as the policies wrote them, so it equals
// the finding's text; other languages render typed parameters in their words.

// msgPrefix starts every structured message's catalogue key, except a rule's title or action.
const msgPrefix = "msg."

// rulePrefix starts the id of a rule's title or action message: the id is the catalogue key
// itself (locales/*/rules.json: rule.<ID>.title, rule.*-<SUFFIX>.action.<variant>, …).
const rulePrefix = "rule."

// messageKey is the catalogue key of message id.
func messageKey(id string) string {
	if strings.HasPrefix(id, rulePrefix) {
		return id
	}
	return msgPrefix + id
}

// Message renders m in this language; ok is false when the catalogue has no such message (a
// policy newer than the catalogue), and the caller shows the English text instead.
func (l *Localizer) Message(m *assessments.Message) (string, bool) {
	return l.message(m, "")
}

// message renders m; regime is the law the message speaks of (a finding's regime), under
// which its citation parameters (ref, *_ref) are named: an abbreviation several laws share
// (PDPL) names that law. "" when unknown.
func (l *Localizer) message(m *assessments.Message, regime string) (string, bool) {
	if m == nil {
		return "", false
	}
	tmpl, ok := l.msgs[messageKey(m.ID)]
	if !ok {
		return "", false
	}
	names := make([]string, 0, len(m.Params))
	for k := range m.Params {
		names = append(names, k)
	}
	sort.Strings(names)
	pairs := make([]string, 0, 2*len(names))
	for _, k := range names {
		pairs = append(pairs, "{"+k+"}", l.param(regime, k, m.Params[k]))
	}
	return strings.NewReplacer(pairs...).Replace(tmpl), true
}

// param renders one parameter; its name types it. English keeps the value as the policy wrote
// it. A user's role (user_role, user_roles: role.<code>), a review state (review_state:
// review.<state>), an action's status (action_status: status.<code>) and a duration (duration,
// *_duration: a time.Duration's text, see duration) are named in the reader's language too, as
// the error messages write them. Countries (country, countries, *_country, *_countries: ISO
// codes), laws (law, *_law: regime ids, any case), citations (ref, *_ref: named under regime,
// CitationRef), the vendor's role (role, *_role: enum.vendor_role) and data categories
// (category, categories: enum.data_category) are named in the reader's language.
func (l *Localizer) param(regime, name string, v any) string {
	if law, ok := lawParam(name, v); ok {
		if l.lang == English {
			return law.short
		}
		if law.jurisdiction != "" && l.Has("law."+law.jurisdiction) {
			return l.Law(law.jurisdiction)
		}
		return l.Law(law.regime)
	}
	if nested, ok := v.(map[string]any); ok {
		if noun, ok := nested["noun"].(string); ok {
			return l.counted(noun, nested["count"])
		}
		if items, ok := nested["items"].([]any); ok {
			return l.list(regime, name, nested["sep"], items)
		}
		return l.nested(regime, nested)
	}
	s, isString := v.(string)
	if !isString {
		return fmt.Sprint(v)
	}
	if l.lang == English {
		return s
	}
	switch name {
	case "user_role", "user_roles":
		return l.Or("role."+s, s)
	case "review_state":
		return l.Or("review."+s, s)
	case "action_status":
		return l.Or("status."+s, s)
	}
	if name == "duration" || strings.HasSuffix(name, "_duration") {
		return l.duration(s)
	}
	switch {
	case name == "country" || strings.HasSuffix(name, "_country"),
		name == "countries" || strings.HasSuffix(name, "_countries"):
		return l.Country(s)
	case name == "law" || strings.HasSuffix(name, "_law"):
		return l.Law(s)
	case name == "text" || strings.HasSuffix(name, "_text"):
		return l.DataText("", s)
	case name == "ref" || strings.HasSuffix(name, "_ref"):
		return l.CitationRef(regime, assessments.Citation{Ref: s})
	case name == "role" || strings.HasSuffix(name, "_role"):
		return l.Or("enum.vendor_role."+s, s)
	case name == "category" || name == "categories":
		return l.Or("enum.data_category."+s, s)
	}
	if kind, ok := enumParams[name]; ok {
		return l.Or("enum."+kind+"."+s, s)
	}
	return s
}

// FindingDetail is the finding's detail in this language: its message rendered when the
// policy gave one the catalogue knows, else the text as the policy wrote it (company rules,
// rules not converted yet).
func (l *Localizer) FindingDetail(f assessments.Finding) string {
	if s, ok := l.message(f.DetailMsg, f.Regime); ok {
		return s
	}
	return f.Detail
}

// Keys lists this language's catalogue keys that start with prefix, sorted.
func (l *Localizer) Keys(prefix string) []string {
	var out []string
	for k := range l.msgs {
		if strings.HasPrefix(k, prefix) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// nested renders a parameter that is itself a message ({"id": ..., "params": {...}}); a
// malformed one renders as its id.
func (l *Localizer) nested(regime string, v map[string]any) string {
	id, _ := v["id"].(string)
	params, _ := v["params"].(map[string]any)
	if s, ok := l.message(&assessments.Message{ID: id, Params: params}, regime); ok {
		return s
	}
	return id
}

// enumParams types the parameters that hold a questionnaire value of an enumeration: the
// reader sees the enumeration's label (enum.<kind>.<value>), or the value when it has none.
var enumParams = map[string]string{
	"access":         "access",
	"mechanism":      "mechanism",
	"mechanisms":     "mechanism",
	"filing":         "filing",
	"vendor_role":    "vendor_role",
	"recipient_type": "recipient_type",
	"hosting_role":   "hosting_role",
	"exemption":      "exemption",
	"certification":  "certification",
}

// listSeps are the list separators of Chinese for the English ones the policies write (" or ":
// alternatives, e.g. the fields where a transfer may be recorded).
var listSeps = map[string]string{"; ": "；", ", ": "、", " or ": "或"}

// list renders a list parameter ({"sep": "; ", "items": [...]}, lib.join): each item as a
// parameter of the list's name (so the items of a *_text list are data texts, of a countries
// list countries), joined by the language's separator.
func (l *Localizer) list(regime, name string, sep any, items []any) string {
	s, _ := sep.(string)
	if l.lang != English {
		if zh, ok := listSeps[s]; ok {
			s = zh
		}
	}
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = l.param(regime, name, it)
	}
	if l.lang != English && s == " " {
		return joinSentences(out)
	}
	return strings.Join(out, s)
}

// joinSentences joins the sentences of a list whose English separator is a space (the cases of
// a national impact assessment, the scope questions) in a language written without spaces: no
// space after a sentence that ends with a full-width mark, a space after one still in English.
func joinSentences(items []string) string {
	var b strings.Builder
	for i, it := range items {
		if i > 0 && !strings.HasSuffix(items[i-1], "。") && !strings.HasSuffix(items[i-1], "？") &&
			!strings.HasSuffix(items[i-1], "！") && !strings.HasSuffix(items[i-1], "）") {
			b.WriteString(" ")
		}
		b.WriteString(it)
	}
	return b.String()
}

// Render is the text of a structured message in this language, or, when there is no message or
// the catalogue lacks it, english (the text the policy wrote beside it) translated when it is a
// text of the jurisdiction data (DataText), else as written. Every "why" of the assessment
// (regimes, DPIA, transfers, risks) is shown through it.
func (l *Localizer) Render(m *assessments.Message, english string) string {
	if s, ok := l.Message(m); ok {
		return s
	}
	return l.DataText("", english)
}

// GivenMechanism names the transfer mechanism the answers give for a transfer row: a mechanism
// of the questionnaire's vocabulary, or "unknown", the policies' word for a hosting site or
// transfer with none recorded.
func (l *Localizer) GivenMechanism(m string) string {
	if m == "unknown" {
		return l.T("ui.transfer.mechanism_unknown")
	}
	return l.Or("enum.mechanism."+m, m)
}

// lawRef is a law parameter as the generic rules write it (lib.law_param):
// {"regime": "sg_pdpa", "short": "PDPA (SG)"}, with "jurisdiction" (its data file's id) when a
// regime has several versions. English shows the short name the policy wrote, other languages
// the jurisdiction's name when the catalogue has one (law.vn_pdpd_2023), else the regime's (Law).
type lawRef struct{ regime, short, jurisdiction string }

// lawParam reads a law parameter given as {"regime", "short"}; false for anything else.
func lawParam(name string, v any) (lawRef, bool) {
	if name != "law" && !strings.HasSuffix(name, "_law") {
		return lawRef{}, false
	}
	m, ok := v.(map[string]any)
	if !ok {
		return lawRef{}, false
	}
	regime, ok1 := m["regime"].(string)
	short, ok2 := m["short"].(string)
	jurisdiction, _ := m["jurisdiction"].(string)
	return lawRef{regime, short, jurisdiction}, ok1 && ok2
}

// counted renders a counted noun ({"count": n, "noun": "day"}, lib.counted): the catalogue's
// plural.<noun>.<form> with {n}, the form chosen by the language's plural rules
// (golang.org/x/text/feature/plural: English "1 day", "2 days"; Chinese has one form) and n
// written by golang.org/x/text/message.
func (l *Localizer) counted(noun string, count any) string {
	n, ok := wholeNumber(count)
	if !ok {
		return fmt.Sprint(count)
	}
	tag := language.Make(l.lang)
	form := "other"
	if plural.Cardinal.MatchPlural(tag, n, 0, 0, 0, 0) == plural.One {
		form = "one"
	}
	key := "plural." + noun + "." + form
	if !l.Has(key) {
		return message.NewPrinter(tag).Sprintf("%d %s", n, noun)
	}
	return l.T(key, "n", message.NewPrinter(tag).Sprintf("%d", n))
}

// wholeNumber reads a JSON number that is a whole number.
func wholeNumber(v any) (int, bool) {
	switch x := v.(type) {
	case int:
		return x, true
	case float64:
		if x == float64(int(x)) {
			return int(x), true
		}
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return int(i), true
		}
	}
	return 0, false
}

// duration writes a time.Duration's text ("1m30s", as the error messages carry it) in this
// language's units (msg.duration.*): hours, minutes, seconds with their fraction, or below a
// second milli-, micro- or nanoseconds. Text that is not a duration is kept as it is.
func (l *Localizer) duration(s string) string {
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return s
	}
	for _, u := range []struct {
		unit time.Duration
		key  string
	}{{time.Microsecond, "nanoseconds"}, {time.Millisecond, "microseconds"}, {time.Second, "milliseconds"}} {
		if d < u.unit {
			return l.T(msgPrefix+"duration."+u.key, "n", strconv.FormatFloat(float64(d)/float64(u.unit/1000), 'f', -1, 64))
		}
	}
	var parts []string
	if h := d / time.Hour; h > 0 {
		parts = append(parts, l.T(msgPrefix+"duration.hours", "n", strconv.FormatInt(int64(h), 10)))
		d -= h * time.Hour
	}
	if m := d / time.Minute; m > 0 {
		parts = append(parts, l.T(msgPrefix+"duration.minutes", "n", strconv.FormatInt(int64(m), 10)))
		d -= m * time.Minute
	}
	if d > 0 {
		parts = append(parts, l.T(msgPrefix+"duration.seconds", "n", strconv.FormatFloat(d.Seconds(), 'f', -1, 64)))
	}
	return strings.Join(parts, " ")
}

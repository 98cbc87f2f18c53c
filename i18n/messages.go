package i18n

import (
	"fmt"
	"sort"
	"strings"

	"github.com/piaflow/piaflow/assessments"
)

// Structured messages (docs/messages.md): the policies emit a message id and parameters beside
// each converted English text; the catalogue key is "msg.<id>" (locales/*/messages.json) with
// {name} placeholders. English renders the parameters as the policies wrote them, so it equals
// the finding's text; other languages render typed parameters in their words.

// msgPrefix starts every structured message's catalogue key.
const msgPrefix = "msg."

// Message renders m in this language; ok is false when the catalogue has no such message (a
// policy newer than the catalogue), and the caller shows the English text instead.
func (l *Localizer) Message(m *assessments.Message) (string, bool) {
	if m == nil {
		return "", false
	}
	tmpl, ok := l.msgs[msgPrefix+m.ID]
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
		pairs = append(pairs, "{"+k+"}", l.param(k, m.Params[k]))
	}
	return strings.NewReplacer(pairs...).Replace(tmpl), true
}

// param renders one parameter; its name types it. English keeps the value as the policy wrote
// it. Countries and laws are named in the reader's language.
func (l *Localizer) param(name string, v any) string {
	if nested, ok := v.(map[string]any); ok {
		if items, ok := nested["items"].([]any); ok {
			return l.list(name, nested["sep"], items)
		}
		return l.nested(nested)
	}
	s, isString := v.(string)
	if !isString {
		return fmt.Sprint(v)
	}
	if l.lang == English {
		return s
	}
	switch {
	case name == "country" || strings.HasSuffix(name, "_country"):
		return l.Country(s)
	case name == "law" || strings.HasSuffix(name, "_law"):
		return l.Law(s)
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
	if s, ok := l.Message(f.DetailMsg); ok {
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
func (l *Localizer) nested(v map[string]any) string {
	id, _ := v["id"].(string)
	params, _ := v["params"].(map[string]any)
	if s, ok := l.Message(&assessments.Message{ID: id, Params: params}); ok {
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

// listSeps are the list separators of Chinese for the English ones the policies write.
var listSeps = map[string]string{"; ": "；", ", ": "、"}

// list renders a list parameter ({"sep": "; ", "items": [...]}, lib.join): each item as a
// parameter of the list's name, joined by the language's separator.
func (l *Localizer) list(name string, sep any, items []any) string {
	s, _ := sep.(string)
	if l.lang != English {
		if zh, ok := listSeps[s]; ok {
			s = zh
		}
	}
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = l.param(name, it)
	}
	return strings.Join(out, s)
}

// Render is the text of a structured message in this language, or english (the text the policy
// wrote beside it) when there is no message or the catalogue lacks it. Every "why" of the
// assessment (regimes, DPIA, transfers, risks) is shown through it.
func (l *Localizer) Render(m *assessments.Message, english string) string {
	if s, ok := l.Message(m); ok {
		return s
	}
	return english
}

package policies

import (
	"fmt"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// Rule describes one finding rule of the library, read from its METADATA annotation.
type Rule struct {
	// ID is the finding id (e.g. GDPR-PROCESSOR-NO-DPA); for generic rules over the jurisdiction
	// data it is a pattern such as "<REGIME>-TRANSFER-NO-MECHANISM".
	ID          string `json:"id"`
	Regime      string `json:"regime"`
	Kind        string `json:"kind"`
	Severity    string `json:"severity"`
	Owner       string `json:"owner"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Ref         string `json:"ref"`
	URL         string `json:"url"`
	Action      string `json:"action"`
	Package     string `json:"package"`
	// Location is file:line of the rule.
	Location string `json:"location"`
	// Generic rules run once per applicable jurisdiction (policies/data/jurisdictions).
	Generic bool `json:"generic"`
}

// Rules returns the library's finding rules, sorted by id.
func (e *Engine) Rules() []Rule { return e.rules }

// Rule returns the rule with the given id (or generic pattern suffix, e.g. "TRANSFER-NO-MECHANISM").
func (e *Engine) Rule(id string) (Rule, bool) {
	for _, r := range e.rules {
		if strings.EqualFold(r.ID, id) || (r.Generic && strings.HasSuffix(strings.ToUpper(id), strings.TrimPrefix(r.ID, "<REGIME>"))) {
			return r, true
		}
	}
	return Rule{}, false
}

func catalogue(c *ast.Compiler) []Rule {
	var out []Rule
	for _, ref := range c.GetAnnotationSet().Flatten() {
		a := ref.Annotations
		if a == nil || a.Scope != "rule" || a.Custom == nil {
			continue
		}
		str := func(k string) string { s, _ := a.Custom[k].(string); return s }
		r := Rule{
			Kind: str("kind"), Severity: str("severity"), Owner: str("owner"), Action: str("action"),
			Title: a.Title, Description: strings.TrimSpace(a.Description), Ref: str("ref"),
			Package: strings.TrimPrefix(ref.GetPackage().Path.String(), "data."),
		}
		if a.Location != nil {
			r.Location = fmt.Sprintf("%s:%d", a.Location.File, a.Location.Row)
		}
		switch {
		case str("id") != "":
			r.ID, r.Regime = str("id"), str("regime")
		case str("suffix") != "":
			r.ID, r.Regime, r.Generic = "<REGIME>-"+str("suffix"), "*", true
			r.Action = strings.ReplaceAll(r.Action, "%s", "<law>")
		default:
			continue
		}
		if len(a.RelatedResources) > 0 && a.RelatedResources[0].Ref.String() != "" {
			u := a.RelatedResources[0].Ref
			r.URL = u.String()
			if r.Ref == "" {
				r.Ref = a.RelatedResources[0].Description
			}
		}
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

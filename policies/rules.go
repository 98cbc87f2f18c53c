package policies

import (
	"errors"
	"fmt"
	"slices"
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
	// Confirm says what a lawyer must still check about the rule (METADATA custom.confirm, or
	// custom.needs_review; "(marked confirm)" when given as true); see Engine.Uncertain.
	Confirm string `json:"confirm,omitempty"`
}

// Rules returns a copy of the library's finding rules, sorted by id.
func (e *Engine) Rules() []Rule { return slices.Clone(e.rules) }

// Rule returns the rule with the given id; failing an exact match, the generic rule whose
// pattern matches it (CN-PIPL-TRANSFER-NO-MECHANISM, or the bare suffix TRANSFER-NO-MECHANISM).
func (e *Engine) Rule(id string) (Rule, bool) {
	id = strings.ToUpper(strings.TrimSpace(id))
	// GDPR rules also run for the UK GDPR, reported as UK-<id>.
	if gdpr, ok := strings.CutPrefix(id, "UK-"); ok && strings.HasPrefix(gdpr, "GDPR-") {
		if r, found := e.Rule(gdpr); found && !r.Generic {
			return r, true
		}
	}
	for _, r := range e.rules {
		if strings.EqualFold(r.ID, id) {
			return r, true
		}
	}
	var best Rule
	for _, r := range e.rules {
		suffix := strings.TrimPrefix(r.ID, "<REGIME>-")
		if r.Generic && (id == suffix || strings.HasSuffix(id, "-"+suffix)) && len(suffix) > len(strings.TrimPrefix(best.ID, "<REGIME>-")) {
			best = r
		}
	}
	return best, best.ID != ""
}

func catalogue(c *ast.Compiler) ([]Rule, error) {
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
		r.Confirm = confirmOf(a.Custom["confirm"], a.Custom["needs_review"])
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
	sort.SliceStable(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	var problems []string
	for i, r := range out {
		if i > 0 && out[i-1].ID == r.ID {
			prev := out[i-1]
			switch {
			case isCustomSource(r.Location) && !isCustomSource(prev.Location):
				problems = append(problems, fmt.Sprintf("%s: company finding id %s is a built-in finding id (%s); give company findings ids of their own (e.g. ACME-…)", r.Location, r.ID, prev.Location))
			case isCustomSource(prev.Location) && !isCustomSource(r.Location):
				problems = append(problems, fmt.Sprintf("%s: company finding id %s is a built-in finding id (%s); give company findings ids of their own (e.g. ACME-…)", prev.Location, r.ID, r.Location))
			default:
				problems = append(problems, fmt.Sprintf("rule id %s is defined twice (%s, %s)", r.ID, prev.Location, r.Location))
			}
		}
		if r.Ref == "" || r.URL == "" || !InEnum("kind", r.Kind) || !InEnum("severity", r.Severity) || !InEnum("owner", r.Owner) || r.Action == "" || r.Title == "" {
			problems = append(problems, fmt.Sprintf("rule %s (%s): METADATA needs title, related_resources (source URL) and custom id, regime, ref, kind, severity, owner, action", r.ID, r.Location))
		}
	}
	if len(problems) > 0 {
		return nil, errors.New(strings.Join(problems, "; "))
	}
	return out, nil
}

// confirmOf is the text of the first METADATA marker that is a non-empty string, or
// "(marked confirm)" for one that is true; "" when none is set.
func confirmOf(markers ...any) string {
	for _, m := range markers {
		switch v := m.(type) {
		case string:
			if t := strings.TrimSpace(v); t != "" {
				return t
			}
		case bool:
			if v {
				return "(marked confirm)"
			}
		}
	}
	return ""
}

package policies

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// readers is a set of rules of a compiled bundle whose value may depend on some document (the
// assessment date, the law documents): the rules that name it themselves and every rule that
// depends on one of those, transitively, along the compiler's dependency graph (ast.Graph:
// every rule a ref of the body or head may select, data refs by a computed key included, and
// every else branch of a rule named).
type readers struct {
	// via is, for each rule of the set, the rule it depends on that is in the set, or nil for a
	// rule that names the document itself.
	via map[*ast.Rule]*ast.Rule
	// named is the ref a rule naming the document itself names.
	named map[*ast.Rule]ast.Ref
}

// readersOf computes the readers of compiler c (compiled: refs resolved, c.Graph built) of what
// names reports on a ref.
func readersOf(c *ast.Compiler, names func(ast.Ref) bool) readers {
	rs := readers{via: map[*ast.Rule]*ast.Rule{}, named: map[*ast.Rule]ast.Ref{}}
	var queue []*ast.Rule
	for _, name := range slices.Sorted(maps.Keys(c.Modules)) {
		ast.WalkRules(c.Modules[name], func(r *ast.Rule) bool {
			// Head and body only: an else branch is a rule of its own (WalkRules visits it).
			for _, x := range []any{r.Head, r.Body} {
				ast.WalkRefs(x, func(ref ast.Ref) bool {
					if _, ok := rs.named[r]; !ok && names(ref) {
						rs.named[r] = ref
					}
					return false
				})
			}
			if _, ok := rs.named[r]; ok {
				rs.via[r] = nil
				queue = append(queue, r)
			}
			return false
		})
	}
	for len(queue) > 0 {
		r := queue[0]
		queue = queue[1:]
		for d := range c.Graph.Dependents(r) {
			dep, ok := d.(*ast.Rule)
			if !ok {
				continue
			}
			if _, seen := rs.via[dep]; !seen {
				rs.via[dep] = r
				queue = append(queue, dep)
			}
		}
	}
	return rs
}

// has reports whether rule r, or one of its else branches, is in the set.
func (rs readers) has(r *ast.Rule) (*ast.Rule, bool) {
	for x := r; x != nil; x = x.Else {
		if _, ok := rs.via[x]; ok {
			return x, true
		}
	}
	return nil, false
}

// why is the chain from rule r (in the set) to the ref a rule names itself, for the logs:
// "data.piaflow.lib.ended → data.piaflow.lib.as_of → input.as_of".
func (rs readers) why(r *ast.Rule) string {
	parts := []string{}
	for x := r; x != nil && len(parts) < 8; x = rs.via[x] {
		parts = append(parts, ruleName(x))
		if ref, ok := rs.named[x]; ok {
			parts = append(parts, ref.String())
			break
		}
	}
	return strings.Join(parts, " → ")
}

// builtinRules lists the rules a ref of a company module may select that are not company
// rules (modules of a package under customPackage), in a stable order.
func builtinRules(c *ast.Compiler, ref ast.Ref) []*ast.Rule {
	var out []*ast.Rule
	for _, r := range c.GetRulesDynamicWithOpts(ref, ast.RulesOptions{IncludeHiddenModules: true}) {
		if r.Module != nil && strings.HasPrefix(r.Module.Package.Path.String(), "data."+customPackage) {
			continue
		}
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b *ast.Rule) int { return strings.Compare(ruleName(a), ruleName(b)) })
	return out
}

// ruleName is a rule's full path (data.piaflow.lib.ended), for the logs.
func ruleName(r *ast.Rule) string {
	if r.Module == nil {
		return r.Head.Ref().String()
	}
	return r.Module.Package.Path.String() + "." + r.Head.Ref().String()
}

// customReads says why a company module (custom/, tests aside; in name order) may read a
// document: one of its refs is one literal reports, or selects a built-in rule among the
// readers of what names reports (readersOf), or "" when none does (and when there are no
// company rules, without computing the readers).
func customReads(c *ast.Compiler, literal func(ast.Ref) string, names func(ast.Ref) bool) string {
	modules := make([]string, 0, len(c.Modules))
	for name := range c.Modules {
		if strings.HasPrefix(name, "custom/") && !strings.HasSuffix(name, "_test.rego") {
			modules = append(modules, name)
		}
	}
	if len(modules) == 0 {
		return ""
	}
	slices.Sort(modules)
	rs := readersOf(c, names)
	for _, name := range modules {
		why := ""
		ast.WalkRefs(c.Modules[name], func(ref ast.Ref) bool {
			if why != "" {
				return true
			}
			if why = literal(ref); why != "" {
				return true
			}
			if ref[0].Value.Compare(ast.DefaultRootDocument.Value) != 0 {
				return false
			}
			for _, r := range builtinRules(c, ref) {
				if x, ok := rs.has(r); ok {
					why = fmt.Sprintf("%s (%s)", ref, rs.why(x))
					return true
				}
			}
			return false
		})
		if why != "" {
			return fmt.Sprintf("company rules %s read %s", name, why)
		}
	}
	return ""
}

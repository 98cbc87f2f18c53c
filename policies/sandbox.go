package policies

import (
	"context"
	"errors"
	"fmt"
	"runtime/metrics"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/topdown"
)

// DefaultTimeout is how long one evaluation may run when Options.Timeout is zero.
const DefaultTimeout = 30 * time.Second

// DefaultMaxHeap is the Go heap size (bytes) past which evaluations are stopped when
// Options.MaxHeapBytes is zero.
const DefaultMaxHeap = 2 << 30

// heapCheckEvery is how often a running evaluation compares the heap with its limit.
const heapCheckEvery = 10 * time.Millisecond

// unboundedBuiltins are the built-ins whose result size does not follow from the size of their
// arguments and that OPA offers no limit for: a short call can allocate gigabytes in one step,
// before any deadline or heap check can stop it. Neither the library nor company rules may call
// them (the library needs none).
var unboundedBuiltins = map[string]string{
	"numbers.range":           "its result has as many elements as the numbers span (numbers.range(1, 2e9))",
	"numbers.range_step":      "its result has as many elements as the numbers span",
	"net.cidr_expand":         "its result has one element per address (net.cidr_expand(\"0.0.0.0/0\"))",
	"graph.reachable_paths":   "the number of paths grows exponentially with the graph",
	"strings.render_template": "nested {{range}} loops multiply the output size",
}

// clockBuiltins are the built-ins that read the server's clock although OPA does not mark them
// nondeterministic: an assessment depends only on its questionnaire and its as-of date (the
// result cache, stored results and carrying an assessment to another day rely on it), so
// policies may not call them. The library needs none.
var clockBuiltins = map[string]string{
	"crypto.x509.parse_and_verify_certificates":              "it checks the certificates' validity period against the server's clock, not the as-of date",
	"crypto.x509.parse_and_verify_certificates_with_options": "without a CurrentTime option it checks the certificates' validity period against the server's clock, not the as-of date",
}

// zonedTimeBuiltins are the time built-ins whose first argument may be [ns, zone]: the zone
// "Local" makes their result depend on the server's time zone.
var zonedTimeBuiltins = map[string]bool{
	"time.format": true, "time.date": true, "time.clock": true, "time.weekday": true, "time.add_date": true, "time.diff": true,
}

// ErrMemoryLimit means an evaluation was stopped because the process heap passed the engine's
// limit (Options.MaxHeapBytes).
var ErrMemoryLimit = errors.New("policy evaluation stopped: heap limit reached")

// denied reports why policies may not call the built-in name, or "" when they may: OPA marks it
// nondeterministic (network, clock, randomness, environment), it reads the clock all the same
// (clockBuiltins), or its result size has no bound.
func denied(name string) string {
	if why, ok := unboundedBuiltins[name]; ok {
		return "the size of its result has no bound: " + why
	}
	if why, ok := clockBuiltins[name]; ok {
		return "it reads the clock: " + why + "; an assessment depends only on its input and the as-of date"
	}
	if b, ok := ast.BuiltinMap[name]; ok && b.Nondeterministic {
		return "it is nondeterministic (it reads the network, the clock, a random source or the environment); an assessment depends only on its input and the as-of date"
	}
	return ""
}

// Capabilities returns what policies may use: this OPA's built-ins less those OPA marks
// nondeterministic, those that read the clock all the same and the unbounded ones, and no
// network access.
func Capabilities() *ast.Capabilities {
	caps := ast.CapabilitiesForThisVersion()
	caps.Builtins = slices.DeleteFunc(caps.Builtins, func(b *ast.Builtin) bool {
		return denied(b.Name) != ""
	})
	caps.AllowNet = []string{}
	return caps
}

// deniedCalls lists, one problem per built-in and place, the calls of module m to built-ins
// policies may not call — the compiler would refuse them too (they are not in Capabilities),
// but only as "undefined function"; this says why — and the calls of a time built-in with the
// zone "Local" written in the call (a zone computed at evaluation is not seen).
func deniedCalls(name string, m *ast.Module) []string {
	seen := map[string]bool{}
	var problems []string
	add := func(loc *ast.Location, problem string) {
		at := name
		if loc != nil {
			at = fmt.Sprintf("%s:%d", name, loc.Row)
		}
		if p := at + ": " + problem; !seen[p] {
			seen[p] = true
			problems = append(problems, p)
		}
	}
	check := func(op string, loc *ast.Location) {
		if why := denied(op); why != "" {
			add(loc, fmt.Sprintf("policies may not call %s: %s", op, why))
		}
	}
	local := func(op string, args []*ast.Term, loc *ast.Location) {
		if zonedTimeBuiltins[op] && namesLocalZone(args) {
			add(loc, fmt.Sprintf(`policies may not call %s with the zone "Local": its result would depend on the server's time zone; name the zone ("UTC", "Europe/Berlin")`, op))
		}
	}
	ast.WalkExprs(m, func(x *ast.Expr) bool {
		if x.IsCall() {
			check(x.Operator().String(), x.Location)
			local(x.Operator().String(), x.Operands(), x.Location)
		}
		return false
	})
	ast.WalkTerms(m, func(t *ast.Term) bool {
		if c, ok := t.Value.(ast.Call); ok && len(c) > 0 {
			check(c[0].String(), t.Location)
			local(c[0].String(), c[1:], t.Location)
		}
		return false
	})
	return problems
}

// namesLocalZone reports whether one of a time built-in's arguments is an array [ns, "Local"]
// or [ns, "Local", layout].
func namesLocalZone(args []*ast.Term) bool {
	for _, a := range args {
		if arr, ok := a.Value.(*ast.Array); ok && (arr.Len() == 2 || arr.Len() == 3) && arr.Elem(1).Value.Compare(ast.String("Local")) == 0 {
			return true
		}
	}
	return false
}

// builtinNames is what company findings may not reuse: the ids of the embedded library's
// finding rules, its regimes (from the jurisdiction data and the rules' METADATA) and the
// finding-id prefixes of those regimes (CN-PIPL-…, UK-GDPR-…), which the generic rules use.
type builtinNames struct {
	ids      map[string]bool
	regimes  map[string]bool
	prefixes []string
}

func newBuiltinNames(rules []Rule, jurisdictions []Jurisdiction) builtinNames {
	n := builtinNames{ids: map[string]bool{}, regimes: map[string]bool{}}
	for _, r := range rules {
		if isCustomSource(r.Location) {
			continue
		}
		if !r.Generic {
			n.ids[r.ID] = true
			n.regimes[r.Regime] = true
		}
	}
	for _, j := range jurisdictions {
		n.regimes[j.Regime] = true
	}
	for r := range n.regimes {
		n.prefixes = append(n.prefixes, strings.ToUpper(strings.ReplaceAll(r, "_", "-"))+"-")
	}
	sort.Strings(n.prefixes)
	return n
}

// collision says how a company finding's id or regime collides with the built-in catalogue,
// or "" when it does not.
func (n builtinNames) collision(id, regime string) string {
	switch {
	case n.ids[id]:
		return fmt.Sprintf("company finding id %s is a built-in finding id; give company findings ids of their own (e.g. ACME-…)", id)
	case n.regimes[regime]:
		return fmt.Sprintf("company finding %s: regime %s is a built-in regime; give company findings a regime of their own (e.g. acme)", id, regime)
	}
	for _, p := range n.prefixes {
		if strings.HasPrefix(id, p) {
			return fmt.Sprintf("company finding id %s starts with %s, the prefix of a built-in regime's findings; give company findings ids of their own (e.g. ACME-…)", id, p)
		}
	}
	return ""
}

// checkCustomRules refuses company finding rules whose METADATA id or regime collides with the
// built-in catalogue.
func checkCustomRules(rules []Rule, n builtinNames) error {
	var problems []string
	for _, r := range rules {
		// A generic rule's findings take each jurisdiction's regime: checked when evaluated.
		if !isCustomSource(r.Location) || r.Generic {
			continue
		}
		if c := n.collision(r.ID, r.Regime); c != "" {
			problems = append(problems, fmt.Sprintf("%s: %s", r.Location, c))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("load policies: %s", strings.Join(problems, "; "))
	}
	return nil
}

func isCustomSource(location string) bool { return strings.HasPrefix(location, "custom/") }

// Timeout is how long one evaluation of the engine may run (Options.Timeout).
func (e *Engine) Timeout() time.Duration { return e.guard.timeout }

// WithTimeout is the engine with every evaluation, Rego test and profile bounded by d instead
// (d > 0; else the engine itself): the same compiled library, shared. An evaluator whose
// deadline is longer than the engine's (serve --eval-timeout 120s) sets it, so that the
// engine's own default does not stop the evaluation first.
func (e *Engine) WithTimeout(d time.Duration) *Engine {
	if d <= 0 || d == e.guard.timeout {
		return e
	}
	c := *e
	c.guard.timeout = d
	return &c
}

// guard holds the bounds of one evaluation.
type guard struct {
	timeout time.Duration
	maxHeap uint64
}

// eval runs a prepared query under the engine's bounds: a deadline (the engine's timeout or the
// caller's deadline, whichever comes first), the as-of date as OPA's evaluation time (so no
// built-in can read the wall clock), and a watchdog that stops the evaluation when the process
// heap passes the limit. OPA checks for cancellation between evaluation steps.
func (g guard) eval(ctx context.Context, q rego.PreparedEvalQuery, asOf time.Time, opts ...rego.EvalOption) (rego.ResultSet, error) {
	ctx, cancel := context.WithTimeout(ctx, g.timeout)
	defer cancel()
	stop := topdown.NewCancel()
	var overHeap atomic.Bool
	done := make(chan struct{})
	defer close(done)
	go func() {
		tick := time.NewTicker(heapCheckEvery)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				stop.Cancel()
				return
			case <-tick.C:
				if heapBytes() > g.maxHeap {
					overHeap.Store(true)
					stop.Cancel()
					return
				}
			}
		}
	}()
	opts = append(opts, rego.EvalTime(asOf), rego.EvalExternalCancel(stop))
	rs, err := q.Eval(ctx, opts...)
	if err != nil {
		switch {
		case overHeap.Load():
			return nil, fmt.Errorf("%w (%d MiB)", ErrMemoryLimit, g.maxHeap>>20)
		case ctx.Err() != nil:
			return nil, fmt.Errorf("policy evaluation stopped (deadline %s or the caller's): %w", g.timeout, ctx.Err())
		}
		return nil, err
	}
	return rs, nil
}

// heapBytes is the size of the Go heap's objects, live and not yet collected.
func heapBytes() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}

// parseAsOf reads the as-of date (YYYY-MM-DD) as midnight UTC.
func parseAsOf(asOf string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, asOf)
	if err != nil {
		return time.Time{}, fmt.Errorf("as-of date %q: not a date (YYYY-MM-DD)", asOf)
	}
	return t, nil
}

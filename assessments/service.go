package assessments

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/internal/admit"
	"github.com/piaflow/piaflow/internal/lowprio"
	"github.com/piaflow/piaflow/internal/lru"
	"github.com/piaflow/piaflow/policies"
)

// Evaluator turns questionnaires into assessments with one compiled policy library, each
// evaluation within a deadline.
type Evaluator struct {
	engine  *policies.Engine
	timeout time.Duration
	// slots, when not nil, bounds the evaluations running at once (WithSlots); wait is how long
	// an evaluation waits for a slot.
	slots chan struct{}
	wait  time.Duration
	// cache keeps the policies' result documents by questionnaire and date (WithResultCache).
	cache *lru.Bytes
	// background runs the policies and the decoding of their result (WithLowPriority).
	background lowprio.Runner
}

// EvaluatorOption configures an Evaluator.
type EvaluatorOption func(*Evaluator)

// WithTimeout bounds every evaluation (Assess, HostingCheck, Profile) to d; zero or less means
// piaflow.DefaultEvalTimeout.
func WithTimeout(d time.Duration) EvaluatorOption {
	return func(ev *Evaluator) {
		if d > 0 {
			ev.timeout = d
		}
	}
}

// WithSlots lets at most n questionnaire evaluations (Assess, Profile) run at once (n < 1: no
// bound, the default); one that finds every slot taken waits up to wait, then fails with
// ErrUnavailable (piaflow.ReasonBusy). An evaluation's deadline starts when it has a slot.
// Evaluations are CPU-bound: more of them at once than the machine has cores only add memory
// and latency. Hosting checks take no slot: their lists' limits bound their size, so that a
// quick check does not queue behind a large questionnaire.
func WithSlots(n int, wait time.Duration) EvaluatorOption {
	return func(ev *Evaluator) {
		if n > 0 {
			ev.slots, ev.wait = make(chan struct{}, n), max(wait, 0)
		}
	}
}

// acquire takes an evaluation slot (none needed without WithSlots). A request admitted by the
// server's admission control gives its work slot up from here until release (admit.Park): the
// evaluation slots bound evaluations, and a request waiting for one or evaluating for seconds
// must not keep quick requests from working. Errors: ErrUnavailable (piaflow.ReasonBusy), the
// context's.
func (ev *Evaluator) acquire(ctx context.Context) (release func(), err error) {
	if ev.slots == nil {
		return func() {}, nil
	}
	resume := admit.Park(ctx)
	release = func() { <-ev.slots; resume() }
	select {
	case ev.slots <- struct{}{}:
		return release, nil
	default:
	}
	busy := piaflow.MsgError(piaflow.ErrUnavailable, piaflow.ReasonBusy, "error.busy.evaluation",
		"slots", cap(ev.slots), "wait_duration", ev.wait.String(), "retry_duration", piaflow.EvalRetryAfter.String())
	busy.RetryAfter = piaflow.EvalRetryAfter
	if ev.wait <= 0 {
		resume()
		return nil, busy
	}
	t := time.NewTimer(ev.wait)
	defer t.Stop()
	select {
	case ev.slots <- struct{}{}:
		return release, nil
	case <-t.C:
		resume()
		return nil, busy
	case <-ctx.Done():
		resume()
		return nil, ctx.Err()
	}
}

// WithLowPriority runs every evaluation's CPU-bound work — the policies and the decoding of
// their result — on a thread of lower priority (r), so that quick requests and health checks
// get a core ahead of it when the machine is busy (see package lowprio). The zero Runner, the
// default, runs it in the caller's goroutine.
func WithLowPriority(r lowprio.Runner) EvaluatorOption {
	return func(ev *Evaluator) { ev.background = r }
}

// WithResultCache keeps up to n bytes of result documents (least recently used dropped first)
// instead of piaflow.DefaultResultCacheBytes; zero or less keeps none. An evaluation whose
// questionnaire (its canonical JSON) and as-of date were evaluated before by the same evaluator
// (the same policies, company rules included) is then a lookup.
func WithResultCache(n int64) EvaluatorOption {
	return func(ev *Evaluator) { ev.cache = lru.New(max(n, 0)) }
}

// NewEvaluator wraps a compiled policy engine. The evaluator's deadline (WithTimeout) is the
// engine's too: an engine's own timeout (policies.DefaultTimeout, 30 s) shorter than it would
// otherwise stop a longer evaluation first, with an error that is not the deadline's.
func NewEvaluator(e *policies.Engine, opts ...EvaluatorOption) *Evaluator {
	ev := &Evaluator{engine: e, timeout: piaflow.DefaultEvalTimeout, cache: lru.New(piaflow.DefaultResultCacheBytes)}
	for _, o := range opts {
		o(ev)
	}
	if e != nil {
		ev.engine = e.WithTimeout(ev.timeout)
	}
	return ev
}

// Timeout is the deadline of one evaluation.
func (ev *Evaluator) Timeout() time.Duration { return ev.timeout }

// errDeadline is the cause of an evaluation context ended by the evaluator's deadline.
var errDeadline = errors.New("evaluation deadline")

// withDeadline gives an evaluation its deadline. overdue reports, once the evaluation returned,
// whether the deadline passed (whether or not the evaluation noticed: a result computed after
// the deadline is not used either, so that the outcome does not depend on timing).
func (ev *Evaluator) withDeadline(ctx context.Context) (_ context.Context, overdue func() bool, cancel context.CancelFunc) {
	deadline := time.Now().Add(ev.timeout)
	ctx, cancel = context.WithDeadlineCause(ctx, deadline, errDeadline)
	return ctx, func() bool { return errors.Is(context.Cause(ctx), errDeadline) || !time.Now().Before(deadline) }, cancel
}

// DeadlineError is the error of an evaluation that passed its deadline: piaflow.ErrUnavailable
// (piaflow.ReasonDeadline), naming the limit, to retry after it.
func DeadlineError(limit time.Duration) error {
	e := piaflow.MsgError(piaflow.ErrUnavailable, piaflow.ReasonDeadline, "error.deadline", "limit_duration", limit.String())
	e.RetryAfter = limit
	return e
}

// PolicyVersion and PolicyDigest identify the policies the evaluator applies.
func (ev *Evaluator) PolicyVersion() string { return ev.engine.Version() }

// KeepsResults reports whether the evaluator keeps results for reuse (WithResultCache above
// zero). When it does not, every Assess evaluates; callers that could reuse a result stored
// elsewhere (the service's stored assessments) should then evaluate too: benchmarks turn the
// cache off to measure evaluations.
func (ev *Evaluator) KeepsResults() bool { return ev.cache.Max() > 0 }

// PolicyDigest is the digest of the exact policy bundle.
func (ev *Evaluator) PolicyDigest() string { return ev.engine.Digest() }

// Fingerprint is the evaluator's policy bundle in parts (policies.Engine.Fingerprint): kept by
// the server, so that a later bundle can tell which results its change cannot reach
// (policies.Affects).
func (ev *Evaluator) Fingerprint() policies.Fingerprint { return ev.engine.Fingerprint() }

// SameOn reports whether the result of questionnaire (its stored JSON) evaluated on date from
// (result: the stored assessment's JSON) is its result on date to as well, apart from the date
// it names (policies.Engine.SameOn), with the reason when it cannot be decided so.
func (ev *Evaluator) SameOn(questionnaire, result []byte, from, to string) (bool, string) {
	return ev.engine.SameOn(questionnaire, result, from, to)
}

// Assess evaluates a validated questionnaire under the law in force on asOf (zero: today, UTC),
// in an evaluation slot (WithSlots) and within the evaluator's deadline (past it:
// DeadlineError). The same questionnaire under the same date was evaluated before when its
// result is in the result cache (WithResultCache): then it costs a lookup and no slot.
func (ev *Evaluator) Assess(ctx context.Context, q *Questionnaire, asOf time.Time) (*Assessment, error) {
	if err := ctx.Err(); err != nil { // a caller that is gone gets no evaluation
		return nil, err
	}
	in, err := ev.input(q, asOf)
	if err != nil {
		return nil, err
	}
	if out, ok := ev.cache.Get(in.key); ok {
		return ev.decodeOf(in, out)
	}
	release, err := ev.acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	return ev.evaluate(ctx, in)
}

// InputDigest is the SHA-256 (hex) of q's canonical JSON, as Assess sets it in the assessment
// (Assessment.InputDigest): the key under which a stored result serves any revision with the
// same questionnaire.
func (ev *Evaluator) InputDigest(q *Questionnaire) (string, error) {
	in, err := ev.input(q, time.Time{})
	return in.digest, err
}

// assess is Assess without a slot (a hosting check, whose size its lists' limits bound).
func (ev *Evaluator) assess(ctx context.Context, q *Questionnaire, asOf time.Time) (*Assessment, error) {
	in, err := ev.input(q, asOf)
	if err != nil {
		return nil, err
	}
	if out, ok := ev.cache.Get(in.key); ok {
		return ev.decodeOf(in, out)
	}
	return ev.evaluate(ctx, in)
}

// evalInput is one evaluation's input: the questionnaire as JSON, the as-of date and the
// result cache's key for both (the evaluator's policies are fixed).
type evalInput struct {
	q      *Questionnaire
	raw    []byte
	day    string
	digest string // SHA-256 of raw, hex
	key    string
}

func (ev *Evaluator) input(q *Questionnaire, asOf time.Time) (evalInput, error) {
	if asOf.IsZero() {
		asOf = time.Now().UTC()
	}
	for i, h := range q.Hosting {
		if h.Country == "" {
			return evalInput{}, fmt.Errorf("assess: hosting[%d] has no country: validate the questionnaire first (Parse or Validate)", i)
		}
	}
	raw, err := json.Marshal(q)
	if err != nil {
		return evalInput{}, fmt.Errorf("encode questionnaire: %w", err)
	}
	day := asOf.Format(time.DateOnly)
	sum := sha256.Sum256(raw)
	digest := hex.EncodeToString(sum[:])
	return evalInput{q: q, raw: raw, day: day, digest: digest, key: day + " " + digest}, nil
}

// evaluate runs the policies within the deadline, keeps the result in the cache and decodes it.
func (ev *Evaluator) evaluate(ctx context.Context, in evalInput) (*Assessment, error) {
	ctx, overdue, cancel := ev.withDeadline(ctx)
	defer cancel()
	var (
		out []byte
		a   *Assessment
		err error
	)
	ev.background.Do(func() {
		if out, err = ev.run(ctx, in); err == nil && !overdue() {
			a, err = ev.decodeOf(in, out)
		}
	})
	if overdue() {
		return nil, DeadlineError(ev.timeout)
	}
	if err != nil {
		return nil, err
	}
	ev.cache.Put(in.key, out)
	return a, nil
}

// run evaluates the policies on in, the questionnaire converted into OPA's input directly from
// the Go model (its JSON, in.raw, is the reference and is used when the model cannot be).
func (ev *Evaluator) run(ctx context.Context, in evalInput) ([]byte, error) {
	qv, err := questionnaireValue(in.q)
	if err != nil {
		return ev.engine.Evaluate(ctx, in.raw, in.day)
	}
	return ev.engine.EvaluateValue(ctx, qv, in.day)
}

// decodeOf is decode of the result of input in, with its questionnaire's digest.
func (ev *Evaluator) decodeOf(in evalInput, out []byte) (*Assessment, error) {
	a, err := ev.decode(out)
	if a != nil {
		a.InputDigest = in.digest
	}
	return a, err
}

// decode turns the policies' result document into an assessment (a new one on every call:
// callers may change it).
func (ev *Evaluator) decode(out []byte) (*Assessment, error) {
	var res struct {
		Assessment
		Transfers []flow `json:"transfers"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		return nil, fmt.Errorf("decode assessment: %w", err)
	}
	a := res.Assessment
	a.Transfers = expandFlows(res.Transfers)
	a.SchemaVersion = SchemaVersion
	a.PolicyVersion = ev.engine.Version()
	a.PolicyDigest = ev.engine.Digest()
	if err := a.checkFindings(); err != nil {
		return nil, err
	}
	a.normalise()
	return &a, nil
}

// Profile evaluates q with OPA's profiler: the costliest policy expressions and the cost per
// policy file (for rule authors; `piaflow policies profile FILE`), within the evaluator's
// deadline.
func (ev *Evaluator) Profile(ctx context.Context, q *Questionnaire, asOf time.Time, top int) ([]policies.ProfileLine, map[string]int64, error) {
	if asOf.IsZero() {
		asOf = time.Now().UTC()
	}
	raw, err := json.Marshal(q)
	if err != nil {
		return nil, nil, fmt.Errorf("encode questionnaire: %w", err)
	}
	release, err := ev.acquire(ctx)
	if err != nil {
		return nil, nil, err
	}
	defer release()
	ctx, overdue, cancel := ev.withDeadline(ctx)
	defer cancel()
	lines, files, err := ev.engine.Profile(ctx, raw, asOf.Format(time.DateOnly), top)
	if overdue() {
		return nil, nil, DeadlineError(ev.timeout)
	}
	return lines, files, err
}

// checkFindings refuses findings that break the contract (a company rule built one by hand):
// every finding needs an id, a known kind, severity and owner, a citation and triggering fields.
func (a *Assessment) checkFindings() error {
	for _, f := range a.Findings {
		var bad []string
		if f.ID == "" || f.Regime == "" || f.Title == "" {
			bad = append(bad, "id, regime and title")
		}
		if !policies.InEnum("kind", f.Kind) || !policies.InEnum("severity", f.Severity) || !policies.InEnum("owner", f.Action.Owner) {
			bad = append(bad, fmt.Sprintf("kind %q, severity %q and owner %q from the contract's vocabularies", f.Kind, f.Severity, f.Action.Owner))
		}
		if f.Citation.Ref == "" || f.Citation.URL == "" {
			bad = append(bad, "a citation (ref and url)")
		}
		if len(f.Fields) == 0 {
			bad = append(bad, "the triggering fields")
		}
		if len(bad) > 0 {
			return fmt.Errorf("policies produced an invalid finding %q (regime %q): it needs %s", f.ID, f.Regime, strings.Join(bad, "; "))
		}
	}
	return nil
}

// normalise gives every list a deterministic order and fills derived fields.
func (a *Assessment) normalise() {
	for i := range a.Findings {
		f := &a.Findings[i]
		slices.Sort(f.Fields)
		f.Key = f.ID
		if len(f.Fields) > 0 {
			f.Key += "@" + f.Fields[0]
		}
	}
	slices.SortFunc(a.Findings, func(x, y Finding) int {
		return cmp.Or(
			cmp.Compare(SeverityRank(y.Severity), SeverityRank(x.Severity)),
			cmp.Compare(x.Regime, y.Regime),
			cmp.Compare(x.ID, y.ID),
			cmp.Compare(x.Key, y.Key),
			cmp.Compare(x.Detail, y.Detail),
		)
	})
	// Keys are unique: a second finding of one rule on the same first field gets "#2", "#3", ...
	// in the (deterministic) order above.
	seen := map[string]int{}
	for i := range a.Findings {
		k := a.Findings[i].Key
		seen[k]++
		if n := seen[k]; n > 1 {
			a.Findings[i].Key = fmt.Sprintf("%s#%d", k, n)
		}
	}
	a.Summary = Summary{}
	for _, f := range a.Findings {
		switch f.Severity {
		case "blocker":
			a.Summary.Blocker++
		case "high":
			a.Summary.High++
		case "medium":
			a.Summary.Medium++
		case "low":
			a.Summary.Low++
		case "info":
			a.Summary.Info++
		}
	}
	slices.SortFunc(a.Regimes, func(x, y Regime) int { return cmp.Compare(x.ID, y.ID) })
	slices.SortFunc(a.Transfers, func(x, y TransferEval) int {
		return cmp.Or(cmp.Compare(x.Activity, y.Activity), cmp.Compare(x.From, y.From), cmp.Compare(x.To, y.To),
			cmp.Compare(x.Regime, y.Regime), cmp.Compare(x.Via, y.Via))
	})
	slices.SortFunc(a.Localisation, func(x, y Localisation) int {
		return cmp.Or(cmp.Compare(x.Regime, y.Regime), cmp.Compare(x.Rule, y.Rule))
	})
	slices.SortFunc(a.DPIA.Criteria, func(x, y DPIACriterion) int {
		return cmp.Or(cmp.Compare(x.ID, y.ID), cmp.Compare(x.Activity, y.Activity))
	})
	slices.SortFunc(a.DPIA.National, func(x, y NationalDPIA) int { return cmp.Compare(x.Regime, y.Regime) })
	slices.SortFunc(a.DPIA.Art35_3, func(x, y Art35Case) int {
		return cmp.Or(cmp.Compare(x.Case, y.Case), cmp.Compare(x.Activity, y.Activity))
	})
}

// flow is one cross-border flow as the policies return it: for all the subject countries of one
// jurisdiction at once.
type flow struct {
	TransferEval
	FromCountries []string `json:"from_countries"`
}

// expandFlows lists each flow once per subject country, as contract v1's transfers[] does.
func expandFlows(fs []flow) []TransferEval {
	n := 0
	for _, f := range fs {
		n += len(f.FromCountries)
	}
	out := make([]TransferEval, 0, n)
	for _, f := range fs {
		for _, c := range f.FromCountries {
			t := f.TransferEval
			t.From = c
			out = append(out, t)
		}
	}
	return out
}

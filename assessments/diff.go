package assessments

import (
	"cmp"
	"slices"
)

// Diff is what changed from one assessment (Before) to another (After): what legal reads before
// re-approving.
type Diff struct {
	VerdictBefore string `json:"verdict_before"`
	VerdictAfter  string `json:"verdict_after"`
	// PolicyChanged is true when the two were computed with different policy bundles.
	PolicyChanged bool `json:"policy_changed"`
	// Added are findings only in After; Resolved only in Before (matched by key).
	Added    []Finding `json:"added"`
	Resolved []Finding `json:"resolved"`
	// Changed are findings present in both whose severity, kind or detail changed (After's version).
	Changed []Finding `json:"changed"`
	// Transfers lists flows whose verdict or satisfaction changed, appeared or disappeared.
	Transfers []TransferChange `json:"transfers"`
	// AnswerDiff is the answers that changed between the two questionnaires assessed (json
	// "answers" and "answers_more"): filled by callers that have both (CompareAnswers); Compare
	// leaves it empty.
	AnswerDiff
}

// TransferChange is one flow whose verdict changed.
type TransferChange struct {
	From     string `json:"from"`
	To       string `json:"to"`
	Activity string `json:"activity"`
	Regime   string `json:"regime"`
	Via      string `json:"via"`
	// Before and After are "verdict" or "verdict (satisfied)"; empty when the flow is new or gone.
	Before string `json:"before"`
	After  string `json:"after"`
	// BeforeVerdict and AfterVerdict are the flow's verdicts (a TransferEval.Verdict; "" when the
	// flow is new or gone), BeforeSatisfied and AfterSatisfied whether its requirement was met.
	BeforeVerdict   string `json:"before_verdict"`
	BeforeSatisfied bool   `json:"before_satisfied"`
	AfterVerdict    string `json:"after_verdict"`
	AfterSatisfied  bool   `json:"after_satisfied"`
}

// Empty reports whether nothing changed.
func (d Diff) Empty() bool {
	return d.VerdictBefore == d.VerdictAfter && len(d.Added) == 0 && len(d.Resolved) == 0 && len(d.Changed) == 0 && len(d.Transfers) == 0 &&
		len(d.Changes) == 0 && d.More == 0
}

// Compare returns what changed from before to after.
func Compare(before, after *Assessment) Diff {
	d := Diff{VerdictBefore: before.Verdict, VerdictAfter: after.Verdict, PolicyChanged: before.PolicyDigest != after.PolicyDigest,
		Added: []Finding{}, Resolved: []Finding{}, Changed: []Finding{}, Transfers: []TransferChange{},
		AnswerDiff: AnswerDiff{Changes: []AnswerChange{}}}
	old := map[string]Finding{}
	for _, f := range before.Findings {
		old[f.Key] = f
	}
	seen := map[string]bool{}
	for _, f := range after.Findings {
		seen[f.Key] = true
		o, ok := old[f.Key]
		switch {
		case !ok:
			d.Added = append(d.Added, f)
		case o.Severity != f.Severity || o.Kind != f.Kind || o.Detail != f.Detail:
			d.Changed = append(d.Changed, f)
		}
	}
	for _, f := range before.Findings {
		if !seen[f.Key] {
			d.Resolved = append(d.Resolved, f)
		}
	}
	type flowKey struct{ from, to, activity, regime, via string }
	state := func(t TransferEval) string {
		if t.Satisfied {
			return t.Verdict + " (satisfied)"
		}
		return t.Verdict
	}
	was := map[flowKey]TransferEval{}
	for _, t := range before.Transfers {
		was[flowKey{t.From, t.To, t.Activity, t.Regime, t.Via}] = t
	}
	now := map[flowKey]TransferEval{}
	for _, t := range after.Transfers {
		now[flowKey{t.From, t.To, t.Activity, t.Regime, t.Via}] = t
	}
	for k, v := range now {
		ch := TransferChange{From: k.from, To: k.to, Activity: k.activity, Regime: k.regime, Via: k.via, After: state(v), AfterVerdict: v.Verdict, AfterSatisfied: v.Satisfied}
		if w, ok := was[k]; ok {
			if state(w) == ch.After {
				continue
			}
			ch.Before, ch.BeforeVerdict, ch.BeforeSatisfied = state(w), w.Verdict, w.Satisfied
		}
		d.Transfers = append(d.Transfers, ch)
	}
	for k, v := range was {
		if _, ok := now[k]; !ok {
			d.Transfers = append(d.Transfers, TransferChange{From: k.from, To: k.to, Activity: k.activity, Regime: k.regime, Via: k.via, Before: state(v), BeforeVerdict: v.Verdict, BeforeSatisfied: v.Satisfied})
		}
	}
	slices.SortFunc(d.Transfers, func(x, y TransferChange) int {
		return cmp.Or(cmp.Compare(x.Activity, y.Activity), cmp.Compare(x.From, y.From), cmp.Compare(x.To, y.To), cmp.Compare(x.Regime, y.Regime), cmp.Compare(x.Via, y.Via))
	})
	return d
}

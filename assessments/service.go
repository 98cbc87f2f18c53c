package assessments

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/piaflow/piaflow/policies"
)

// Evaluator turns questionnaires into assessments with one compiled policy library.
type Evaluator struct {
	engine *policies.Engine
}

// NewEvaluator wraps a compiled policy engine.
func NewEvaluator(e *policies.Engine) *Evaluator { return &Evaluator{engine: e} }

// PolicyVersion and PolicyDigest identify the policies the evaluator applies.
func (ev *Evaluator) PolicyVersion() string { return ev.engine.Version() }

// PolicyDigest is the digest of the exact policy bundle.
func (ev *Evaluator) PolicyDigest() string { return ev.engine.Digest() }

// Assess evaluates a validated questionnaire under the law in force on asOf (zero: today, UTC).
func (ev *Evaluator) Assess(ctx context.Context, q *Questionnaire, asOf time.Time) (*Assessment, error) {
	if asOf.IsZero() {
		asOf = time.Now().UTC()
	}
	input, err := policyInput(q, asOf)
	if err != nil {
		return nil, err
	}
	out, err := ev.engine.Evaluate(ctx, input)
	if err != nil {
		return nil, err
	}
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
	a.normalise()
	return &a, nil
}

// policyInput converts a questionnaire once into the policies' input document:
// {"questionnaire": ..., "as_of": "YYYY-MM-DD"}.
func policyInput(q *Questionnaire, asOf time.Time) (ast.Value, error) {
	raw, err := json.Marshal(q)
	if err != nil {
		return nil, fmt.Errorf("encode questionnaire: %w", err)
	}
	qv, err := ast.ValueFromReader(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("convert questionnaire: %w", err)
	}
	return ast.NewObject(
		ast.Item(ast.StringTerm("questionnaire"), ast.NewTerm(qv)),
		ast.Item(ast.StringTerm("as_of"), ast.StringTerm(asOf.Format(time.DateOnly))),
	), nil
}

// Profile evaluates q with OPA's profiler: the costliest policy expressions and the cost per
// policy file (for rule authors; `piaflow policies profile FILE`).
func (ev *Evaluator) Profile(ctx context.Context, q *Questionnaire, asOf time.Time, top int) ([]policies.ProfileLine, map[string]int64, error) {
	if asOf.IsZero() {
		asOf = time.Now().UTC()
	}
	input, err := policyInput(q, asOf)
	if err != nil {
		return nil, nil, err
	}
	return ev.engine.Profile(ctx, input, top)
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

package policies

import (
	"context"
	"fmt"
	"sort"

	"github.com/open-policy-agent/opa/v1/profiler"
	"github.com/open-policy-agent/opa/v1/rego"
)

// ProfileLine is the evaluation cost of one policy expression.
type ProfileLine struct {
	Location string `json:"location"`
	TimeNs   int64  `json:"time_ns"`
	Evals    int    `json:"evals"`
}

// Profile evaluates input once with OPA's profiler, under the same bounds as Evaluate, and
// returns the costliest expressions and the cost per policy file (traced times: several times the
// untraced cost, useful for comparison).
func (e *Engine) Profile(ctx context.Context, questionnaire []byte, asOf string, top int) ([]ProfileLine, map[string]int64, error) {
	day, err := parseAsOf(asOf)
	if err != nil {
		return nil, nil, err
	}
	input, err := Input(questionnaire, asOf)
	if err != nil {
		return nil, nil, err
	}
	p := profiler.New()
	if _, err := e.guard.eval(ctx, e.query, day, rego.EvalParsedInput(input), rego.EvalQueryTracer(p)); err != nil {
		return nil, nil, fmt.Errorf("profile policies: %w", err)
	}
	all := p.ReportTopNResults(-1, []string{"total_time_ns"})
	files := map[string]int64{}
	lines := make([]ProfileLine, 0, len(all))
	for _, s := range all {
		if s.Location == nil {
			continue
		}
		files[s.Location.File] += s.ExprTimeNs
		lines = append(lines, ProfileLine{Location: fmt.Sprintf("%s:%d", s.Location.File, s.Location.Row), TimeNs: s.ExprTimeNs, Evals: s.NumEval})
	}
	sort.SliceStable(lines, func(i, j int) bool { return lines[i].TimeNs > lines[j].TimeNs })
	if top > 0 && len(lines) > top {
		lines = lines[:top]
	}
	return lines, files, nil
}

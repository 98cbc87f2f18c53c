package policies

import (
	"context"
	"fmt"
	"maps"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/cover"
	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/open-policy-agent/opa/v1/tester"
)

// TestResult is the outcome of one Rego test.
type TestResult struct {
	Name   string `json:"name"`
	Passed bool   `json:"passed"`
	// Message holds the failure or error text and captured print output.
	Message string `json:"message,omitempty"`
}

// TestReport is the outcome of the library's Rego tests.
type TestReport struct {
	Results []TestResult `json:"results"`
	// Coverage is the percentage of policy lines (tests excluded) evaluated by the tests.
	Coverage float64 `json:"coverage"`
	// FileCoverage is the coverage per policy file.
	FileCoverage map[string]float64 `json:"file_coverage"`
	// NotCovered lists file:line ranges never evaluated.
	NotCovered []string `json:"not_covered"`
}

// Failed counts failing tests.
func (r TestReport) Failed() int {
	n := 0
	for _, t := range r.Results {
		if !t.Passed {
			n++
		}
	}
	return n
}

// RunTests runs every *_test.rego test of the bundle (company tests included) against the
// bundle's data and reports the results and the rule coverage of the policy modules. Each test
// has the engine's deadline (Options.Timeout).
func (e *Engine) RunTests(ctx context.Context, filter string) (TestReport, error) {
	mods := maps.Clone(e.modules)
	for name, body := range e.tests {
		m, err := parseModule(name, body)
		if err != nil {
			return TestReport{}, fmt.Errorf("parse rego tests: %w", err)
		}
		mods[name] = m
	}
	store := inmem.NewFromObjectWithOpts(e.data, inmem.OptReturnASTValuesOnRead(true))
	txn, err := store.NewTransaction(ctx, storage.TransactionParams{})
	if err != nil {
		return TestReport{}, fmt.Errorf("open policy store: %w", err)
	}
	defer store.Abort(ctx, txn)
	cov := cover.New()
	runner := tester.NewRunner().
		SetCompiler(ast.NewCompiler().WithCapabilities(Capabilities()).WithEnablePrintStatements(true)).
		SetStore(store).
		SetModules(mods).
		SetCoverageQueryTracer(cov).
		CapturePrintOutput(true).
		SetTimeout(e.guard.timeout).
		SetDefaultRegoVersion(ast.RegoV1)
	if filter != "" {
		runner = runner.Filter(filter)
	}
	ch, err := runner.RunTests(ctx, txn)
	if err != nil {
		return TestReport{}, fmt.Errorf("run rego tests: %w", err)
	}
	var rep TestReport
	for r := range ch {
		tr := TestResult{Name: strings.TrimPrefix(r.Package, "data.") + "." + r.Name, Passed: r.Pass()}
		var msg []string
		if r.Error != nil {
			msg = append(msg, r.Error.Error())
		} else if r.Fail {
			msg = append(msg, "failed")
		}
		if len(r.Output) > 0 {
			msg = append(msg, strings.TrimSpace(string(r.Output)))
		}
		tr.Message = strings.Join(msg, ": ")
		rep.Results = append(rep.Results, tr)
	}
	sort.Slice(rep.Results, func(i, j int) bool { return rep.Results[i].Name < rep.Results[j].Name })
	report := cov.Report(e.modules)
	rep.Coverage = report.Coverage
	rep.FileCoverage = map[string]float64{}
	for file, fr := range report.Files {
		rep.FileCoverage[file] = fr.Coverage
		for _, rg := range fr.NotCovered {
			rep.NotCovered = append(rep.NotCovered, fmt.Sprintf("%s:%d-%d", file, rg.Start.Row, rg.End.Row))
		}
	}
	sort.Strings(rep.NotCovered)
	return rep, nil
}

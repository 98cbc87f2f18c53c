package policies

import (
	"context"
	"testing"
)

// minCoverage is the rule coverage the policy library must keep.
const minCoverage = 90.0

// TestRegoPolicies runs every *_test.rego test and holds the library's rule coverage.
func TestRegoPolicies(t *testing.T) {
	e, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	rep, err := e.RunTests(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Results) == 0 {
		t.Fatal("no Rego tests found")
	}
	for _, r := range rep.Results {
		if !r.Passed {
			t.Errorf("%s: %s", r.Name, r.Message)
		}
	}
	t.Logf("%d Rego tests, coverage %.1f%%", len(rep.Results), rep.Coverage)
	if rep.Coverage < minCoverage {
		for _, l := range rep.NotCovered {
			t.Log("not covered:", l)
		}
		t.Errorf("Rego coverage %.1f%% is below %.0f%%", rep.Coverage, minCoverage)
	}
}

package piaflow_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/piaflow/piaflow"
)

// TestPlanImport: every row is checked, every problem reported with its row and column, and
// nothing is planned when one row is bad.
func TestPlanImport(t *testing.T) {
	erin := piaflow.User{ID: 1, Name: "erin", Role: piaflow.RoleEngineer}
	lena := piaflow.User{ID: 2, Name: "lena", Role: piaflow.RoleLegal}
	acts := []piaflow.Action{
		{ID: 1, FindingKey: "A", Status: piaflow.ActionOpen},
		{ID: 2, FindingKey: "B", Status: piaflow.ActionOpen, Assignee: "anna"},
		{ID: 3, FindingKey: "C", Status: piaflow.ActionRiskAccepted, Justification: "ok"},
		{ID: 4, FindingKey: "D", Status: piaflow.ActionOpen},
	}
	latest := map[uint64]string{1: "fixed in 2.3"}

	_, err := piaflow.PlanImport(erin, []piaflow.ActionEdit{
		{Row: 2, ID: 1, Key: "X", Status: piaflow.ActionDone},
		{Row: 3, ID: 9},
		{Row: 4, ID: 2, Status: piaflow.ActionDone},
		{Row: 5, ID: 3, Status: piaflow.ActionOpen},
		{Row: 6, ID: 4, Status: "finished"},
		{Row: 7, ID: 4},
	}, acts, latest)
	var ie *piaflow.ImportError
	if !errors.As(err, &ie) || !errors.Is(err, piaflow.ErrInvalid) {
		t.Fatalf("bad rows: %v", err)
	}
	var got []string
	for _, p := range ie.Problems {
		got = append(got, p.String())
	}
	want := []string{
		`row 2, Key: the row's finding key "X" is not action 1's ("A"): was the list edited by hand?`,
		"row 3, ID: no action 9 in this deployment",
		"row 4, Assignee: action 2 is assigned to anna; as engineer you may change only actions assigned to you or to nobody",
		"row 5, Status: only legal may change an accepted risk (you are engineer)",
		`row 6, Status: "finished" is not one of open, in_progress, done, risk_accepted`,
		"row 7, ID: action 4 is also on row 6",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	_, err = piaflow.PlanImport(erin, []piaflow.ActionEdit{{Row: 2, ID: 1, Status: piaflow.ActionRiskAccepted, Comment: "x"}}, acts, latest)
	if !errors.Is(err, piaflow.ErrForbidden) {
		t.Errorf("only permission problems: %v, want ErrForbidden", err)
	}

	plan, err := piaflow.PlanImport(lena, []piaflow.ActionEdit{
		{Row: 2, ID: 1, Status: piaflow.ActionDone, Comment: "fixed in 2.3"},            // the same comment: not added again
		{Row: 3, ID: 2, Status: piaflow.ActionRiskAccepted, Comment: "accepted, LEG-7"}, // the comment justifies
		{Row: 4, ID: 3, Status: piaflow.ActionRiskAccepted, Comment: "still ok"},        // unchanged, commented
	}, acts, latest)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan) != 3 || !plan[0].Save || plan[0].Comment != "" || plan[0].Action.Status != piaflow.ActionDone ||
		!plan[1].Save || plan[1].Action.Justification != "accepted, LEG-7" || plan[1].Action.Assignee != "" ||
		plan[2].Save || plan[2].Comment != "still ok" {
		t.Errorf("plan %+v", plan)
	}
	if _, err := piaflow.PlanImport(lena, []piaflow.ActionEdit{{Row: 2, ID: 1, Status: piaflow.ActionRiskAccepted}}, acts, latest); !errors.As(err, &ie) || ie.Problems[0].Column != "Comment" {
		t.Errorf("accepting without a justification: %v", err)
	}
}

// TestImportErrorMessage wants the first problems listed and the rest counted.
func TestImportErrorMessage(t *testing.T) {
	var rows []piaflow.ImportProblem
	for i := range 7 {
		rows = append(rows, piaflow.ImportProblem{Row: i + 2, Column: "ID", Message: "missing"})
	}
	msg := (&piaflow.ImportError{Problems: rows}).Error()
	for _, want := range []string{"7 problem(s)", "row 2, ID: missing", "row 6, ID: missing", "and 2 more"} {
		if !strings.Contains(msg, want) {
			t.Errorf("%q lacks %q", msg, want)
		}
	}
	if strings.Contains(msg, "row 7,") {
		t.Errorf("%q lists more than 5 problems", msg)
	}
}

package piaflow_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/piaflow/piaflow"
)

// TestActionApply: an update checks its input and the rules, and says what to audit.
func TestActionApply(t *testing.T) {
	lena := piaflow.User{ID: 2, Name: "lena", Role: piaflow.RoleLegal}
	erin := piaflow.User{ID: 1, Name: "erin", Role: piaflow.RoleEngineer}
	str := func(s string) *string { return &s }
	base := piaflow.Action{ID: 7, DeploymentID: 3, FindingKey: "K", Status: piaflow.ActionOpen}
	tests := []struct {
		name  string
		by    piaflow.User
		upd   piaflow.ActionUpdate
		kind  error  // nil: applied
		want  string // the audit action, or the field at fault
		check func(piaflow.Action) bool
	}{
		{"Progress", erin, piaflow.ActionUpdate{Status: str(piaflow.ActionInProgress), Assignee: str(" erin ")}, nil, "update_action",
			func(a piaflow.Action) bool { return a.Status == piaflow.ActionInProgress && a.Assignee == "erin" }},
		{"Accept", lena, piaflow.ActionUpdate{Status: str(piaflow.ActionRiskAccepted), Justification: str(" SCCs signed ")}, nil, "accept_risk",
			func(a piaflow.Action) bool {
				return a.Status == piaflow.ActionRiskAccepted && a.Justification == "SCCs signed"
			}},
		{"ErrUnknownStatus", lena, piaflow.ActionUpdate{Status: str("finished")}, piaflow.ErrInvalid, "status", nil},
		{"ErrLongAssignee", lena, piaflow.ActionUpdate{Assignee: str(strings.Repeat("x", piaflow.MaxUserNameLength+1))}, piaflow.ErrInvalid, "assignee", nil},
		{"ErrNoJustification", lena, piaflow.ActionUpdate{Status: str(piaflow.ActionRiskAccepted)}, piaflow.ErrInvalid, "justification", nil},
		{"ErrEngineerAccepts", erin, piaflow.ActionUpdate{Status: str(piaflow.ActionRiskAccepted), Justification: str("x")}, piaflow.ErrForbidden, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := base
			ev, err := a.Apply(tt.by, tt.upd)
			if tt.kind == nil {
				if err != nil {
					t.Fatal(err)
				}
				if ev.Action != tt.want || ev.ObjectID != 3 || !strings.HasPrefix(ev.Detail, "action 7 (K): ") || !tt.check(a) {
					t.Errorf("event %+v, action %+v", ev, a)
				}
				return
			}
			if !errors.Is(err, tt.kind) || a != base {
				t.Fatalf("got %v (action %+v), want %v and the action unchanged", err, a, tt.kind)
			}
			var de *piaflow.Error
			if tt.want != "" && (!errors.As(err, &de) || len(de.Fields) != 1 || de.Fields[0].Field != tt.want) {
				t.Errorf("error %v does not name the field %q", err, tt.want)
			}
		})
	}
}

// TestSyncActions: new findings open actions, gone ones close them (accepted risks stay), and a
// finding that comes back reopens its action.
func TestSyncActions(t *testing.T) {
	want := func(keys ...string) []piaflow.Action {
		var out []piaflow.Action
		for _, k := range keys {
			out = append(out, piaflow.Action{FindingKey: k, FindingID: "R-" + k, Severity: "high", Title: "do " + k, Status: piaflow.ActionOpen})
		}
		return out
	}
	existing := []piaflow.Action{
		{ID: 1, DeploymentID: 5, FindingKey: "A", Status: piaflow.ActionInProgress, Assignee: "erin"},
		{ID: 2, DeploymentID: 5, FindingKey: "B", Status: piaflow.ActionRiskAccepted, Justification: "ok"},
		{ID: 3, DeploymentID: 5, FindingKey: "C", Status: piaflow.ActionDone},
		{ID: 4, DeploymentID: 5, FindingKey: "D", Status: piaflow.ActionOpen},
	}
	got := piaflow.SyncActions(5, existing, want("A", "C", "E"), 9)
	var lines []string
	for _, s := range got {
		a := s.Action
		lines = append(lines, fmt.Sprintf("%d %d %s %s %s %d %s|%s", a.ID, a.DeploymentID, a.FindingKey, a.Status, a.Assignee, a.AssessmentID, a.Title, s.Comment))
	}
	wantLines := []string{
		"1 5 A in_progress erin 9 do A|",
		"3 5 C open  9 do C|reopened: the finding is back in assessment 9",
		"0 5 E open  9 do E|",
		"4 5 D done  0 |closed: the finding is resolved in assessment 9",
	}
	if strings.Join(lines, "\n") != strings.Join(wantLines, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(wantLines, "\n"))
	}
	if existing[2].Status != piaflow.ActionDone {
		t.Error("SyncActions changed its input")
	}
}

package piaflow_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/piaflow/piaflow"
)

// TestCan pins the authorisation table: which roles hold each capability.
func TestCan(t *testing.T) {
	all := piaflow.Roles()
	eng, legal, sales, admin := piaflow.RoleEngineer, piaflow.RoleLegal, piaflow.RoleSales, piaflow.RoleAdmin
	tests := []struct {
		cap   piaflow.Capability
		roles []string
	}{
		{piaflow.CapReadDeployments, all},
		{piaflow.CapHostingCheck, all},
		{piaflow.CapReadAssessments, []string{eng, legal, admin}},
		{piaflow.CapCreateDeployment, []string{eng, admin}},
		{piaflow.CapArchiveDeployment, []string{eng, admin}},
		{piaflow.CapWriteQuestionnaire, []string{eng, admin}},
		{piaflow.CapEvaluate, []string{eng, admin}},
		{piaflow.CapSubmitReview, []string{eng, admin}},
		{piaflow.CapReview, []string{legal}},
		{piaflow.CapReadReviewQueue, []string{legal, admin}},
		{piaflow.CapReevaluate, []string{legal, admin}},
		{piaflow.CapPropagate, []string{eng, admin}},
		{piaflow.CapReadAudit, []string{legal, admin}},
		{piaflow.CapEditActions, []string{eng, legal, admin}},
		{piaflow.CapEditAnyAction, []string{legal, admin}},
		{piaflow.CapAcceptRisk, []string{legal}},
		{piaflow.CapComment, []string{eng, legal, admin}},
		{piaflow.CapManageUsers, []string{admin}},
	}
	for _, tt := range tests {
		t.Run(string(tt.cap), func(t *testing.T) {
			if got := piaflow.RolesWith(tt.cap); !slices.Equal(got, tt.roles) {
				t.Errorf("RolesWith = %v, want %v", got, tt.roles)
			}
			for _, role := range all {
				u := piaflow.User{Name: "u", Role: role}
				if got, want := piaflow.Can(u, tt.cap), slices.Contains(tt.roles, role); got != want {
					t.Errorf("Can(%s) = %v, want %v", role, got, want)
				}
				err := piaflow.Authorize(u, tt.cap)
				if slices.Contains(tt.roles, role) != (err == nil) || (err != nil && (!errors.Is(err, piaflow.ErrForbidden) || piaflow.ReasonOf(err) != piaflow.ReasonRole)) {
					t.Errorf("Authorize(%s) = %v", role, err)
				}
			}
		})
	}
	if piaflow.Can(piaflow.User{Role: "king"}, piaflow.CapReadDeployments) {
		t.Error("an unknown role may read deployments")
	}
	if !slices.Equal(all, []string{eng, legal, sales, admin}) {
		t.Errorf("roles %v", all)
	}
}

// TestCanEditAction covers the per-object rules: only legal accepts a risk, changes an
// accepted one or a justification; engineers change only their own or unassigned actions.
func TestCanEditAction(t *testing.T) {
	user := func(role string) piaflow.User { return piaflow.User{ID: 1, Name: role + "-user", Role: role} }
	str := func(s string) *string { return &s }
	open := piaflow.Action{ID: 1, Status: piaflow.ActionOpen}
	theirs := piaflow.Action{ID: 2, Status: piaflow.ActionOpen, Assignee: "someone-else"}
	mine := piaflow.Action{ID: 3, Status: piaflow.ActionOpen, Assignee: "engineer-user"}
	accepted := piaflow.Action{ID: 4, Status: piaflow.ActionRiskAccepted, Justification: "ok"}
	tests := []struct {
		name   string
		u      piaflow.User
		a      piaflow.Action
		change piaflow.ActionUpdate
		reason string // "" allowed
	}{
		{"EngineerProgressesUnassigned", user(piaflow.RoleEngineer), open, piaflow.ActionUpdate{Status: str(piaflow.ActionInProgress)}, ""},
		{"EngineerProgressesOwn", user(piaflow.RoleEngineer), mine, piaflow.ActionUpdate{Status: str(piaflow.ActionDone)}, ""},
		{"ErrAssigned", user(piaflow.RoleEngineer), theirs, piaflow.ActionUpdate{Status: str(piaflow.ActionDone)}, piaflow.ReasonAssigned},
		{"ErrAssignedCommentOnly", user(piaflow.RoleEngineer), theirs, piaflow.ActionUpdate{}, piaflow.ReasonAssigned},
		{"ErrAcceptRisk", user(piaflow.RoleEngineer), open, piaflow.ActionUpdate{Status: str(piaflow.ActionRiskAccepted)}, piaflow.ReasonAcceptRisk},
		{"ErrAdminAcceptsRisk", user(piaflow.RoleAdmin), open, piaflow.ActionUpdate{Status: str(piaflow.ActionRiskAccepted)}, piaflow.ReasonAcceptRisk},
		{"ErrChangeAcceptedRisk", user(piaflow.RoleAdmin), accepted, piaflow.ActionUpdate{Assignee: str("x")}, piaflow.ReasonAcceptedRisk},
		{"ErrJustification", user(piaflow.RoleEngineer), open, piaflow.ActionUpdate{Justification: str("x")}, piaflow.ReasonAcceptedRisk},
		{"CommentOnAcceptedRisk", user(piaflow.RoleEngineer), accepted, piaflow.ActionUpdate{}, ""},
		{"AdminChangesTheirs", user(piaflow.RoleAdmin), theirs, piaflow.ActionUpdate{Status: str(piaflow.ActionDone)}, ""},
		{"LegalAccepts", user(piaflow.RoleLegal), theirs, piaflow.ActionUpdate{Status: str(piaflow.ActionRiskAccepted)}, ""},
		{"LegalReopensAccepted", user(piaflow.RoleLegal), accepted, piaflow.ActionUpdate{Status: str(piaflow.ActionOpen)}, ""},
		{"ErrSales", user(piaflow.RoleSales), open, piaflow.ActionUpdate{Status: str(piaflow.ActionDone)}, piaflow.ReasonRole},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := piaflow.CanEditAction(tt.u, tt.a, tt.change)
			if tt.reason == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if !errors.Is(err, piaflow.ErrForbidden) || piaflow.ReasonOf(err) != tt.reason {
				t.Errorf("got %v (reason %q), want ErrForbidden with reason %q", err, piaflow.ReasonOf(err), tt.reason)
			}
		})
	}
}

// TestCanComment: commenting follows the assignment rule of piaflow.CanEditAction (and of an imported
// action list's comments): an engineer comments on actions assigned to them or to nobody;
// legal and admins on any; sales on none.
func TestCanComment(t *testing.T) {
	eng := piaflow.User{Name: "erin", Role: piaflow.RoleEngineer}
	for _, tc := range []struct {
		u        piaflow.User
		assignee string
		want     error
	}{
		{eng, "", nil},
		{eng, "erin", nil},
		{eng, "lena", piaflow.ErrForbidden},
		{piaflow.User{Name: "lena", Role: piaflow.RoleLegal}, "erin", nil},
		{piaflow.User{Name: "ada", Role: piaflow.RoleAdmin}, "erin", nil},
		{piaflow.User{Name: "sam", Role: piaflow.RoleSales}, "", piaflow.ErrForbidden},
	} {
		a := piaflow.Action{ID: 7, Assignee: tc.assignee}
		err := piaflow.CanComment(tc.u, a)
		if (tc.want == nil) != (err == nil) || (tc.want != nil && !errors.Is(err, tc.want)) {
			t.Errorf("%s on an action assigned to %q: %v", tc.u.Role, tc.assignee, err)
		}
		// one rule: an empty change in an imported list is judged the same way
		if edit := piaflow.CanEditAction(tc.u, a, piaflow.ActionUpdate{}); tc.u.Role != piaflow.RoleSales && (edit == nil) != (err == nil) {
			t.Errorf("%s: comment %v, imported comment %v", tc.u.Role, err, edit)
		}
	}
}

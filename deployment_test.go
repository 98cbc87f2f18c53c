package piaflow_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/piaflow/piaflow"
)

func TestValidateDeployment(t *testing.T) {
	known := func(c string) bool { return c == "DE" }
	tests := []struct {
		name   string
		d      piaflow.Deployment
		fields string // the fields at fault and their codes
	}{
		{"Valid", piaflow.Deployment{Name: "Portal", Customer: "Klinikum", CustomerCountry: "DE"}, ""},
		{"ErrRequired", piaflow.Deployment{Name: " ", Customer: ""}, "name required, customer required"},
		{"ErrCountry", piaflow.Deployment{Name: "P", Customer: "C", CustomerCountry: "XX"}, "customer_country unknown"},
		{"ErrLong", piaflow.Deployment{Name: strings.Repeat("é", piaflow.MaxNameLength+1), Customer: "C\x00"}, "name too_long, customer nul"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := piaflow.ValidateDeployment(tt.d, known)
			var de *piaflow.Error
			if tt.fields == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, piaflow.ErrInvalid) || !errors.As(err, &de) {
				t.Fatalf("got %v, want ErrInvalid", err)
			}
			var got []string
			for _, f := range de.Fields {
				got = append(got, f.Field+" "+f.Code)
			}
			if strings.Join(got, ", ") != tt.fields {
				t.Errorf("fields %q, want %q", strings.Join(got, ", "), tt.fields)
			}
		})
	}
}

func TestValidateUser(t *testing.T) {
	if err := piaflow.ValidateUser("alice", piaflow.RoleAdmin); err != nil {
		t.Error(err)
	}
	err := piaflow.ValidateUser(" ", "king")
	if !errors.Is(err, piaflow.ErrInvalid) || !strings.Contains(err.Error(), `role "king" is not one of engineer, legal, sales, admin`) || !strings.Contains(err.Error(), "name must have 1 to 100 characters") {
		t.Errorf("bad user: %v", err)
	}
}

// TestReviewTransitions: none → submitted → approved (locked) or rejected (submitted again).
func TestReviewTransitions(t *testing.T) {
	lena := piaflow.User{ID: 2, Name: "lena", Role: piaflow.RoleLegal}
	at := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	a := piaflow.AssessmentRecord{ID: 1, ReviewState: piaflow.ReviewNone}
	if err := a.Decide(lena, true, "ok", nil, nil, at); !errors.Is(err, piaflow.ErrConflict) {
		t.Errorf("deciding an unsubmitted assessment: %v", err)
	}
	if err := a.Submit(); err != nil || a.ReviewState != piaflow.ReviewSubmitted {
		t.Fatalf("submit: %v, %s", err, a.ReviewState)
	}
	if err := a.Submit(); !errors.Is(err, piaflow.ErrConflict) {
		t.Errorf("submitting twice: %v", err)
	}
	if err := a.Decide(lena, false, " ", nil, nil, at); !errors.Is(err, piaflow.ErrInvalid) || piaflow.ReasonOf(err) != piaflow.ReasonRejectComment {
		t.Errorf("rejecting without a comment: %v", err)
	}
	if err := a.Decide(lena, false, "retention missing", nil, nil, at); err != nil || a.ReviewState != piaflow.ReviewRejected || a.Reviewer != "lena" || !a.ReviewedAt.Equal(at) {
		t.Fatalf("reject: %v %+v", err, a)
	}
	if err := a.Submit(); err != nil {
		t.Fatalf("resubmitting a rejected assessment: %v", err)
	}
	if err := a.Decide(lena, true, "fine", nil, nil, at); err != nil || a.ReviewState != piaflow.ReviewApproved || a.ReviewComment != "fine" {
		t.Fatalf("approve: %v %+v", err, a)
	}
	if err := a.Submit(); !errors.Is(err, piaflow.ErrConflict) {
		t.Errorf("resubmitting an approved assessment: %v", err)
	}
}

// TestDecideWithBlockers: an approval needs legal to have accepted the risk of each blocker
// finding with a justification; the accepted risks are recorded, a rejection records none, and
// the review status shows an approval with accepted risks.
func TestDecideWithBlockers(t *testing.T) {
	lena := piaflow.User{ID: 2, Name: "lena", Role: piaflow.RoleLegal}
	at := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	accepted := piaflow.Action{ID: 7, FindingKey: "GDPR-X@a", FindingID: "GDPR-X", Status: piaflow.ActionRiskAccepted, Justification: "SCCs signed 2026-11-20"}
	for _, tc := range []struct {
		name     string
		blockers []string
		actions  []piaflow.Action
		approve  bool
		open     []string
		accepted int
	}{
		{"NoBlockers", nil, nil, true, nil, 0},
		{"Accepted", []string{"GDPR-X@a"}, []piaflow.Action{accepted}, true, nil, 1},
		{"ErrOpen", []string{"GDPR-X@a"}, []piaflow.Action{{FindingKey: "GDPR-X@a", Status: piaflow.ActionOpen}}, true, []string{"GDPR-X@a"}, 0},
		{"ErrDoneIsNotAccepted", []string{"GDPR-X@a"}, []piaflow.Action{{FindingKey: "GDPR-X@a", Status: piaflow.ActionDone}}, true, []string{"GDPR-X@a"}, 0},
		{"ErrNoJustification", []string{"GDPR-X@a"}, []piaflow.Action{{FindingKey: "GDPR-X@a", Status: piaflow.ActionRiskAccepted, Justification: " "}}, true, []string{"GDPR-X@a"}, 0},
		{"ErrNoAction", []string{"GDPR-X@a", "PIPL-Y@b"}, []piaflow.Action{accepted}, true, []string{"PIPL-Y@b"}, 0},
		{"RejectWithOpenBlockers", []string{"PIPL-Y@b"}, nil, false, nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := piaflow.AssessmentRecord{ID: 1, ReviewState: piaflow.ReviewSubmitted}
			err := a.Decide(lena, tc.approve, "decided", tc.blockers, tc.actions, at)
			if tc.open != nil {
				if !errors.Is(err, piaflow.ErrConflict) || piaflow.ReasonOf(err) != piaflow.ReasonOpenBlockers || !slices.Equal(piaflow.KeysOf(err), tc.open) {
					t.Fatalf("got %v (keys %v), want a conflict naming %v", err, piaflow.KeysOf(err), tc.open)
				}
				for _, k := range tc.open {
					if !strings.Contains(err.Error(), k) {
						t.Errorf("the message %q does not name %s", err, k)
					}
				}
				if a.ReviewState != piaflow.ReviewSubmitted || a.AcceptedRisks != 0 {
					t.Errorf("a refused approval changed the record: %+v", a)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if a.AcceptedRisks != tc.accepted || len(a.AcceptedRiskDetails) != tc.accepted {
				t.Errorf("accepted risks %d %+v, want %d", a.AcceptedRisks, a.AcceptedRiskDetails, tc.accepted)
			}
			if tc.accepted > 0 {
				want := piaflow.AcceptedRisk{FindingKey: "GDPR-X@a", FindingID: "GDPR-X", Justification: "SCCs signed 2026-11-20", ActionID: 7}
				if a.AcceptedRiskDetails[0] != want {
					t.Errorf("accepted risk %+v, want %+v", a.AcceptedRiskDetails[0], want)
				}
			}
			wantStatus := piaflow.ReviewRejected
			if tc.approve {
				wantStatus = piaflow.ReviewApproved
				if tc.accepted > 0 {
					wantStatus = piaflow.ReviewApprovedWithAcceptedRisks
				}
			}
			if got := piaflow.ReviewStatus(a.ReviewState, a.AcceptedRisks); got != wantStatus {
				t.Errorf("review status %q, want %q", got, wantStatus)
			}
		})
	}
}

package piaflow_test

import (
	"errors"
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
	if err := a.Decide(lena, true, "ok", at); !errors.Is(err, piaflow.ErrConflict) {
		t.Errorf("deciding an unsubmitted assessment: %v", err)
	}
	if err := a.Submit(); err != nil || a.ReviewState != piaflow.ReviewSubmitted {
		t.Fatalf("submit: %v, %s", err, a.ReviewState)
	}
	if err := a.Submit(); !errors.Is(err, piaflow.ErrConflict) {
		t.Errorf("submitting twice: %v", err)
	}
	if err := a.Decide(lena, false, " ", at); !errors.Is(err, piaflow.ErrInvalid) || piaflow.ReasonOf(err) != piaflow.ReasonRejectComment {
		t.Errorf("rejecting without a comment: %v", err)
	}
	if err := a.Decide(lena, false, "retention missing", at); err != nil || a.ReviewState != piaflow.ReviewRejected || a.Reviewer != "lena" || !a.ReviewedAt.Equal(at) {
		t.Fatalf("reject: %v %+v", err, a)
	}
	if err := a.Submit(); err != nil {
		t.Fatalf("resubmitting a rejected assessment: %v", err)
	}
	if err := a.Decide(lena, true, "fine", at); err != nil || a.ReviewState != piaflow.ReviewApproved || a.ReviewComment != "fine" {
		t.Fatalf("approve: %v %+v", err, a)
	}
	if err := a.Submit(); !errors.Is(err, piaflow.ErrConflict) {
		t.Errorf("resubmitting an approved assessment: %v", err)
	}
}

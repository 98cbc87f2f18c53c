package service_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/policies"
	"github.com/piaflow/piaflow/service"
)

// TestEvaluateReusesStored: evaluating a revision again by the same policies on the same day
// reuses the stored assessment's result, also in a new service (a restart) whose evaluator could
// not evaluate (a deadline of 1 ns): a new record, the same result, the actions synced. With
// the evaluator's result cache off every evaluation is made (the deadline error).
func TestEvaluateReusesStored(t *testing.T) {
	eachDatabase(t, func(t *testing.T, fx fixture) {
		ctx := context.Background()
		eng := fx.users[piaflow.RoleEngineer]
		d, first := fx.deployment(t, "Portal")
		e, err := policies.Default()
		if err != nil {
			t.Fatal(err)
		}
		restarted := service.New(fx.st, assessments.NewEvaluator(e, assessments.WithTimeout(time.Nanosecond)))
		again, err := restarted.Evaluate(ctx, eng, d.ID, 0)
		if err != nil {
			t.Fatalf("evaluate after a restart: %v", err)
		}
		if again.Record.ID == first.Record.ID || again.Record.Result != first.Record.Result || again.Revision != first.Revision {
			t.Errorf("reused record %d (revision %d), want a new one of revision %d with the first's result", again.Record.ID, again.Revision, first.Revision)
		}
		if again.Result.Verdict != first.Result.Verdict || len(again.Result.Findings) != len(first.Result.Findings) {
			t.Errorf("reused result: %s with %d findings, want %s with %d", again.Result.Verdict, len(again.Result.Findings), first.Result.Verdict, len(first.Result.Findings))
		}
		actions, err := fx.st.Actions(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(actions) != len(first.Result.Actions()) {
			t.Errorf("%d actions, want %d", len(actions), len(first.Result.Actions()))
		}
		for _, a := range actions {
			if a.AssessmentID != again.Record.ID {
				t.Errorf("action %q: assessment %d, want %d", a.FindingKey, a.AssessmentID, again.Record.ID)
			}
		}
		uncached := service.New(fx.st, assessments.NewEvaluator(e, assessments.WithTimeout(time.Nanosecond), assessments.WithResultCache(0)))
		if _, err := uncached.Evaluate(ctx, eng, d.ID, 0); !errors.Is(err, piaflow.ErrUnavailable) {
			t.Errorf("evaluate with the result cache off: %v, want the deadline (an evaluation)", err)
		}
	})
}

// TestSubmitReusesSameQuestionnaire: a questionnaire submitted again — as another deployment's,
// or as a new revision of the same — by the same policies on the same day reuses the stored
// result of the first evaluation (keyed by the questionnaire's canonical digest), also in a new
// service whose evaluator could not evaluate; another questionnaire is evaluated (the deadline
// error), as is every one with the result cache off.
func TestSubmitReusesSameQuestionnaire(t *testing.T) {
	eachDatabase(t, func(t *testing.T, fx fixture) {
		ctx := context.Background()
		eng := fx.users[piaflow.RoleEngineer]
		_, first := fx.deployment(t, "Portal")
		if first.Record.InputDigest == "" || first.Record.InputDigest != first.Result.InputDigest {
			t.Fatalf("first record's questionnaire digest %q, the assessment's %q", first.Record.InputDigest, first.Result.InputDigest)
		}
		e, err := policies.Default()
		if err != nil {
			t.Fatal(err)
		}
		restarted := service.New(fx.st, assessments.NewEvaluator(e, assessments.WithTimeout(time.Nanosecond)))
		other, err := restarted.CreateDeployment(ctx, eng, piaflow.Deployment{Name: "Other", Customer: "Customer", CustomerCountry: "DE"})
		if err != nil {
			t.Fatal(err)
		}
		again, err := restarted.SubmitQuestionnaire(ctx, eng, other.ID, "", example(t, "hospital-ehr-germany"))
		if err != nil {
			t.Fatalf("the same questionnaire in another deployment: %v", err)
		}
		if again.Record.Result != first.Record.Result || again.Record.DeploymentID != other.ID || again.Record.InputDigest != first.Record.InputDigest {
			t.Errorf("reused record of deployment %d, digest %q: want deployment %d's with the first's result", again.Record.DeploymentID, again.Record.InputDigest, other.ID)
		}
		if len(again.Result.Actions()) != len(first.Result.Actions()) {
			t.Errorf("%d actions, want %d", len(again.Result.Actions()), len(first.Result.Actions()))
		}
		if _, err := restarted.SubmitQuestionnaire(ctx, eng, other.ID, "*", example(t, "clinic-singapore-ready")); !errors.Is(err, piaflow.ErrUnavailable) {
			t.Errorf("another questionnaire: %v, want the deadline (an evaluation)", err)
		}
		uncached := service.New(fx.st, assessments.NewEvaluator(e, assessments.WithTimeout(time.Nanosecond), assessments.WithResultCache(0)))
		if _, err := uncached.SubmitQuestionnaire(ctx, eng, other.ID, "*", example(t, "hospital-ehr-germany")); !errors.Is(err, piaflow.ErrUnavailable) {
			t.Errorf("the result cache off: %v, want the deadline (an evaluation)", err)
		}
	})
}

// TestEvaluateAfterResultLost: a stored record whose result the store no longer holds (a
// damaged database) is evaluated again, not refused, and the result is kept again.
func TestEvaluateAfterResultLost(t *testing.T) {
	eachDatabase(t, func(t *testing.T, fx fixture) {
		ctx := context.Background()
		eng := fx.users[piaflow.RoleEngineer]
		d, first := fx.deployment(t, "Portal")
		db, err := fx.st.SQL()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, "DELETE FROM assessment_results"); err != nil {
			t.Fatal(err)
		}
		e, err := policies.Default()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := service.New(fx.st, assessments.NewEvaluator(e, assessments.WithTimeout(time.Nanosecond))).Evaluate(ctx, eng, d.ID, 0); !errors.Is(err, piaflow.ErrUnavailable) {
			t.Errorf("evaluate with the result lost: %v, want the deadline (an evaluation)", err)
		}
		again, err := service.New(fx.st, assessments.NewEvaluator(e)).Evaluate(ctx, eng, d.ID, 0)
		if err != nil || again.Record.Result != first.Record.Result {
			t.Fatalf("evaluate again: %v", err)
		}
		var kept int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM assessment_results").Scan(&kept); err != nil || kept != 1 {
			t.Errorf("results kept after evaluating again: %d (%v)", kept, err)
		}
	})
}

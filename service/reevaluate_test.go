package service_test

import (
	"context"
	"testing"
	"time"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/policies"
	"github.com/piaflow/piaflow/service"
)

// TestReevaluateUnchangedAndParallel: a re-evaluation by the same policies on the same day
// evaluates nothing for deployments whose latest assessment is of their latest revision (an
// evaluator that cannot finish any evaluation reports no failure for them); a deployment with a
// newer revision is evaluated, and several are, each recorded once and in the list's order.
func TestReevaluateUnchangedAndParallel(t *testing.T) {
	eachDatabase(t, func(t *testing.T, fx fixture) {
		ctx := context.Background()
		admin := fx.users[piaflow.RoleAdmin]
		var ids []uint64
		for _, name := range []string{"A", "B", "C", "D"} {
			d, _ := fx.deployment(t, name)
			ids = append(ids, d.ID)
		}
		e, err := policies.Default()
		if err != nil {
			t.Fatal(err)
		}
		// Same policies (same digest), no result cache, and a deadline no evaluation meets.
		stuck := service.New(fx.st, assessments.NewEvaluator(e, assessments.WithTimeout(time.Nanosecond), assessments.WithResultCache(0)))
		drift, err := stuck.Reevaluate(ctx, admin)
		if err != nil {
			t.Fatal(err)
		}
		if drift.Checked != 4 || len(drift.Failed) != 0 || len(drift.Changed) != 0 {
			t.Fatalf("unchanged deployments: checked %d, failed %v, changed %v; want 4 checked without an evaluation", drift.Checked, drift.Failed, drift.Changed)
		}
		// New revisions (saved, not evaluated) of B and D: those two are evaluated and recorded.
		eng := fx.users[piaflow.RoleEngineer]
		doc := example(t, "clinic-singapore-ready")
		for _, id := range []uint64{ids[1], ids[3]} {
			if _, _, err := fx.svc.SaveQuestionnaire(ctx, eng, id, "*", doc); err != nil {
				t.Fatal(err)
			}
		}
		drift, err = stuck.Reevaluate(ctx, admin)
		if err != nil {
			t.Fatal(err)
		}
		if drift.Checked != 2 || len(drift.Failed) != 2 {
			t.Fatalf("stuck evaluator: checked %d, failed %d; want the 2 unchanged checked and the 2 new revisions failed", drift.Checked, len(drift.Failed))
		}
		drift, err = fx.svc.Reevaluate(ctx, admin)
		if err != nil {
			t.Fatal(err)
		}
		if drift.Checked != 4 || len(drift.Failed) != 0 || len(drift.Changed) != 2 {
			t.Fatalf("re-evaluation: checked %d, failed %v, changed %d; want 4, none, 2", drift.Checked, drift.Failed, len(drift.Changed))
		}
		// Recorded in the order of the deployment list (newest deployment first).
		list, _, err := fx.svc.Deployments(ctx, admin, piaflow.DeploymentFilter{Status: piaflow.DeploymentActive, Limit: piaflow.MaxPageSize})
		if err != nil {
			t.Fatal(err)
		}
		var want []uint64
		for _, d := range list {
			if d.ID == ids[1] || d.ID == ids[3] {
				want = append(want, d.ID)
			}
		}
		if got := []uint64{drift.Changed[0].DeploymentID, drift.Changed[1].DeploymentID}; got[0] != want[0] || got[1] != want[1] {
			t.Errorf("changed in order %v; want the list's order %v", got, want)
		}
		for _, c := range drift.Changed {
			if c.VerdictAfter != "ready" && c.VerdictAfter != "conditional" && c.VerdictAfter != "blocked" {
				t.Errorf("deployment %d: verdict %q", c.DeploymentID, c.VerdictAfter)
			}
		}
	})
}

package service_test

import (
	"context"
	"flag"
	"fmt"
	"testing"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/assessments/store/storetest"
	"github.com/piaflow/piaflow/examples"
	"github.com/piaflow/piaflow/policies"
	"github.com/piaflow/piaflow/service"
)

var benchDeployments = flag.Int("reevaluate.deployments", 200, "deployments BenchmarkReevaluate re-evaluates")

// BenchmarkReevaluate measures policy drift: every active deployment (-reevaluate.deployments,
// the hospital example each, saved but never evaluated) re-evaluated and recorded, without a
// result cache, on SQLite (a new store each round, seeded outside the timer). It reports
// deployments per second; the goal of issue 13 is 10,000 in 10 s.
func BenchmarkReevaluate(b *testing.B) {
	ctx := context.Background()
	e, err := policies.Default()
	if err != nil {
		b.Fatal(err)
	}
	doc, err := examples.FS.ReadFile("hospital-ehr-germany.yaml")
	if err != nil {
		b.Fatal(err)
	}
	// seed is a store whose deployments all have a revision and no assessment.
	seed := func() (*service.Service, piaflow.User) {
		svc := service.New(storetest.Open(b, "sqlite"), assessments.NewEvaluator(e, assessments.WithResultCache(0)),
			service.WithReevaluateBudget(10*piaflow.ReevaluateBudget))
		admin, err := svc.CreateUser(ctx, piaflow.System, "bench-admin", piaflow.RoleAdmin)
		if err != nil {
			b.Fatal(err)
		}
		eng, err := svc.CreateUser(ctx, piaflow.System, "bench-engineer", piaflow.RoleEngineer)
		if err != nil {
			b.Fatal(err)
		}
		for i := range *benchDeployments {
			d, err := svc.CreateDeployment(ctx, eng, piaflow.Deployment{Name: fmt.Sprintf("D%05d", i), Customer: "Customer", CustomerCountry: "DE"})
			if err != nil {
				b.Fatal(err)
			}
			if _, _, err := svc.SaveQuestionnaire(ctx, eng, d.ID, "", doc); err != nil {
				b.Fatal(err)
			}
		}
		return svc, admin
	}
	var evaluated int
	for b.Loop() {
		b.StopTimer()
		svc, admin := seed()
		b.StartTimer()
		drift, err := svc.Reevaluate(ctx, admin)
		if err != nil {
			b.Fatal(err)
		}
		if drift.Checked != *benchDeployments || len(drift.Changed) != *benchDeployments {
			b.Fatalf("checked %d, changed %d, failed %d, skipped %d of %d", drift.Checked, len(drift.Changed), len(drift.Failed), drift.Skipped, *benchDeployments)
		}
		evaluated += drift.Checked
	}
	b.ReportMetric(float64(evaluated)/b.Elapsed().Seconds(), "deployments/s")
}

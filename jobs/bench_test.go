package jobs_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/assessments/store/storetest"
	"github.com/piaflow/piaflow/examples"
	"github.com/piaflow/piaflow/jobs"
)

// BenchmarkPropagation200 propagates the policies to 200 deployments, each with a revision
// not yet assessed (so every job evaluates and records), on SQLite (and PostgreSQL when
// PIAFLOW_TEST_DATABASE_URL is set): from StartPropagation until the record is done, without a
// result cache (as service's BenchmarkReevaluate, the synchronous re-evaluation). It reports
// jobs (deployments) per second.
//
// 2026-12-05, 2 cores, 2 workers (one per CPU), the clinic example: sqlite 111-137 jobs/s,
// postgres 154 jobs/s; with the result cache 185-196 and 255 jobs/s (the queue's own cost,
// fetch and completion, about 4-5 ms a job). A fetch cooldown of 20 ms instead of 2 ms capped
// both at about 85 jobs/s; 4 workers instead of 2 gave 141 (sqlite) and 252 (postgres) with
// the cache: no gain. (BenchmarkReevaluate, synchronous, the larger hospital example: 84-97/s.)
func BenchmarkPropagation200(b *testing.B) {
	for _, dialect := range storetest.Dialects(b) {
		for _, batch := range []int{1, jobs.DefaultBatch, 32} {
			b.Run(fmt.Sprintf("%s/batch=%d", dialect, batch), func(b *testing.B) {
				ctx := context.Background()
				cfg := storetest.Config(b, dialect)
				p := openBatch(b, cfg, 0, batch, assessments.WithResultCache(0))
				defer p.close(b)
				admin, ids := seed(b, p.svc, 200)
				ev, cancel := p.q.Subscribe()
				defer cancel()
				if err := p.q.Start(ctx); err != nil {
					b.Fatal(err)
				}
				b.ResetTimer()
				start := time.Now()
				for range b.N {
					pr, err := p.svc.StartPropagation(ctx, admin, piaflow.PropagationPolicies, nil, "bench")
					if err != nil {
						b.Fatal(err)
					}
					waitDone(b, p.svc, admin, pr.ID, ev)
				}
				b.ReportMetric(float64(len(ids)*b.N)/time.Since(start).Seconds(), "jobs/s")
			})
		}
	}
}

// BenchmarkStartPropagation10k times starting a propagation over 10,000 deployments: the
// record, 10,000 outcome rows and 10,000 jobs queued in batches (the queue not started).
//
// 2026-12-05, 2 cores: sqlite 1.2 s, postgres 0.53 s.
func BenchmarkStartPropagation10k(b *testing.B) {
	for _, dialect := range storetest.Dialects(b) {
		b.Run(dialect, func(b *testing.B) {
			ctx := context.Background()
			p := open(b, storetest.Config(b, dialect), 0)
			defer p.close(b)
			admin, err := p.svc.CreateUser(ctx, piaflow.System, "admin-user", piaflow.RoleAdmin)
			if err != nil {
				b.Fatal(err)
			}
			for i := range 10_000 {
				if _, err := p.svc.CreateDeployment(ctx, admin, piaflow.Deployment{Name: fmt.Sprint("D", i), Customer: "C"}); err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			for range b.N {
				if _, err := p.svc.StartPropagation(ctx, admin, piaflow.PropagationPolicies, nil, "bench"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkReevaluationRun is service's BenchmarkReevaluate as a re-evaluation run: 200
// deployments (the hospital example each, saved, never evaluated) re-evaluated by the job
// queue (one worker per CPU; batch deployments a job) from StartReevaluation until the run is
// done, without a result cache, on a new store each round (seeded outside the timer). It
// reports deployments per second.
func BenchmarkReevaluationRun(b *testing.B) {
	doc, err := examples.FS.ReadFile("hospital-ehr-germany.yaml")
	if err != nil {
		b.Fatal(err)
	}
	for _, dialect := range storetest.Dialects(b) {
		for _, batch := range []int{1, jobs.DefaultBatch, 32} {
			b.Run(fmt.Sprintf("%s/batch=%d", dialect, batch), func(b *testing.B) {
				ctx := context.Background()
				var evaluated int
				for b.Loop() {
					b.StopTimer()
					p := openBatch(b, storetest.Config(b, dialect), 0, batch, assessments.WithResultCache(0))
					admin, err := p.svc.CreateUser(ctx, piaflow.System, "admin-user", piaflow.RoleAdmin)
					if err != nil {
						b.Fatal(err)
					}
					for i := range 200 {
						d, err := p.svc.CreateDeployment(ctx, admin, piaflow.Deployment{Name: fmt.Sprintf("D%05d", i), Customer: "Customer", CustomerCountry: "DE"})
						if err != nil {
							b.Fatal(err)
						}
						if _, _, err := p.svc.SaveQuestionnaire(ctx, admin, d.ID, "", doc); err != nil {
							b.Fatal(err)
						}
					}
					ev, cancel := p.q.Subscribe()
					if err := p.q.Start(ctx); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
					run, err := p.svc.StartReevaluation(ctx, admin)
					if err != nil {
						b.Fatal(err)
					}
					if done := waitDone(b, p.svc, admin, run.ID, ev); done.Changed != 200 {
						b.Fatalf("run %+v", done)
					}
					evaluated += 200
					b.StopTimer()
					cancel()
					p.close(b)
					b.StartTimer()
				}
				b.ReportMetric(float64(evaluated)/b.Elapsed().Seconds(), "deployments/s")
			})
		}
	}
}

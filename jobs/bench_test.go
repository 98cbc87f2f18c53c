package jobs_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"slices"
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

var carriedDeployments = flag.Int("reevaluate.carried", 1000, "deployments BenchmarkReevaluationRunCarried re-evaluates")

// BenchmarkReevaluationRunCarried is a re-evaluation run after a change of policies that
// reaches none of the deployments (issue 13: "re-evaluating unchanged deployments after an
// unrelated policy change costs a lookup"): -reevaluate.carried deployments (the clinic example
// each), assessed with earlier policies whose fingerprint is kept and which differ from the
// current ones in one jurisdiction document naming none of the example's countries, today. No
// deployment is evaluated (the run counts every one unchanged); what remains is reading each
// deployment's revision and assessment, deciding, and finishing its outcome. One worker per
// CPU, jobs.DefaultBatch deployments a job, without a result cache. It reports deployments per
// second.
func BenchmarkReevaluationRunCarried(b *testing.B) {
	doc, err := examples.FS.ReadFile("clinic-singapore-ready.yaml")
	if err != nil {
		b.Fatal(err)
	}
	q, err := assessments.Parse(doc)
	if err != nil {
		b.Fatal(err)
	}
	for _, dialect := range storetest.Dialects(b) {
		b.Run(dialect, func(b *testing.B) {
			ctx := context.Background()
			n := *carriedDeployments
			var done int
			for b.Loop() {
				b.StopTimer()
				// Seeded with the result cache on: one evaluation, n records.
				cfg := storetest.Config(b, dialect)
				seeder := openBatch(b, cfg, 0, jobs.DefaultBatch)
				admin, err := seeder.svc.CreateUser(ctx, piaflow.System, "admin-user", piaflow.RoleAdmin)
				if err != nil {
					b.Fatal(err)
				}
				for i := range n {
					d, err := seeder.svc.CreateDeployment(ctx, admin, piaflow.Deployment{Name: fmt.Sprintf("D%05d", i), Customer: "C", CustomerCountry: "SG"})
					if err != nil {
						b.Fatal(err)
					}
					if _, err := seeder.svc.SubmitQuestionnaire(ctx, admin, d.ID, "", doc); err != nil {
						b.Fatal(err)
					}
				}
				earlier(b, seeder, q.Countries())
				seeder.close(b)
				p := openBatch(b, cfg, 0, jobs.DefaultBatch, assessments.WithResultCache(0))
				ev, cancel := p.q.Subscribe()
				if err := p.q.Start(ctx); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				run, err := p.svc.StartReevaluation(ctx, admin)
				if err != nil {
					b.Fatal(err)
				}
				if got := waitDone(b, p.svc, admin, run.ID, ev); got.Done != n || got.Unchanged != n || got.Changed != 0 {
					b.Fatalf("run %+v: want all %d done without an evaluation", got, n)
				}
				done += n
				b.StopTimer()
				cancel()
				p.close(b)
				b.StartTimer()
			}
			b.ReportMetric(float64(done)/b.Elapsed().Seconds(), "deployments/s")
		})
	}
}

// earlier makes every assessment of p's store one made with earlier policies: the current
// ones with one jurisdiction document naming none of countries changed (fingerprint kept).
func earlier(b *testing.B, p process, countries []string) {
	b.Helper()
	ctx := context.Background()
	fp := p.svc.Fingerprint()
	far := ""
	for _, id := range slices.Sorted(maps.Keys(fp.Jurisdictions)) {
		if !slices.ContainsFunc(fp.Jurisdictions[id].Countries, func(c string) bool { return slices.Contains(countries, c) }) {
			far = id
			break
		}
	}
	if far == "" {
		b.Fatalf("no jurisdiction names none of %v", countries)
	}
	fp.Digest, fp.Jurisdictions = "sha256:earlier", maps.Clone(fp.Jurisdictions)
	j := fp.Jurisdictions[far]
	j.Digest = "changed"
	fp.Jurisdictions[far] = j
	raw, err := json.Marshal(fp)
	if err != nil {
		b.Fatal(err)
	}
	if err := p.st.SavePolicyBundle(ctx, fp.Digest, "earlier", raw); err != nil {
		b.Fatal(err)
	}
	db, err := p.st.SQL()
	if err != nil {
		b.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "UPDATE assessments SET policy_digest = 'sha256:earlier'"); err != nil {
		b.Fatal(err)
	}
}

package jobs_test

import (
	"context"
	"testing"
	"time"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments/store/storetest"
)

// BenchmarkPropagation200 propagates the policies to 200 deployments, each with a revision
// not yet assessed (so every job evaluates and records), on SQLite (and PostgreSQL when
// PIAFLOW_TEST_DATABASE_URL is set): from StartPropagation until the record is done.
//
// Run it with -benchtime=1x: a second propagation finds every deployment assessed by the same
// policies today and evaluates nothing.
func BenchmarkPropagation200(b *testing.B) {
	for _, dialect := range storetest.Dialects(b) {
		b.Run(dialect, func(b *testing.B) {
			ctx := context.Background()
			cfg := storetest.Config(b, dialect)
			p := open(b, cfg, 0)
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

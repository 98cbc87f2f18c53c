package service_test

import (
	"context"
	"flag"
	"fmt"
	"io/fs"
	"sync"
	"testing"
	"time"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/assessments/store"
	"github.com/piaflow/piaflow/assessments/store/storetest"
	"github.com/piaflow/piaflow/examples"
	"github.com/piaflow/piaflow/policies"
	"github.com/piaflow/piaflow/service"
)

var impactDeployments = flag.Int("impact.deployments", 100, "deployments BenchmarkImpact lists (issue 15's target: 10,000 on PostgreSQL in ≤ 60 s)")

// BenchmarkImpact measures the impact list of a processor change (Telemetrix, used by every ERP
// deployment, loses its DPA; proposed, not stored) over -impact.deployments deployments, each
// composed from one of the four example specs, paged MaxImpactPage at a time as a client would,
// without a result cache (every deployment composed and evaluated in full). It runs on
// PostgreSQL when the test script started one, else SQLite. The deployments are seeded outside
// the timer through the store (copies of the four pushed specs, their revisions and
// assessments). It reports ms per deployment and seconds for the whole list.
func BenchmarkImpact(b *testing.B) {
	ctx := context.Background()
	e, err := policies.Default()
	if err != nil {
		b.Fatal(err)
	}
	dialects := storetest.Dialects(b)
	dialect := dialects[len(dialects)-1]
	st := storetest.Open(b, dialect)
	svc := service.New(st, assessments.NewEvaluator(e, assessments.WithResultCache(0)))
	eng, err := svc.CreateUser(ctx, piaflow.System, "bench-engineer", piaflow.RoleEngineer)
	if err != nil {
		b.Fatal(err)
	}
	read := func(name string) []byte {
		v, err := examples.FS.ReadFile(name)
		if err != nil {
			b.Fatal(err)
		}
		return v
	}
	if _, err := svc.PushProcessors(ctx, eng, read("products/processors.yaml")); err != nil {
		b.Fatal(err)
	}
	if _, _, err := svc.PushProduct(ctx, eng, read("products/erp-suite.yaml")); err != nil {
		b.Fatal(err)
	}
	specs, _ := fs.Glob(examples.FS, "products/deployments/*.yaml")
	type seedOf struct {
		src    piaflow.DeploymentSource
		refs   []string
		doc    []byte
		record piaflow.AssessmentRecord
	}
	var seeds []seedOf
	for _, p := range specs {
		res, err := svc.PushSpec(ctx, eng, 0, "", read(p))
		if err != nil {
			b.Fatal(err)
		}
		src, err := st.Source(ctx, res.Deployment.ID)
		if err != nil {
			b.Fatal(err)
		}
		r, err := st.Revision(ctx, res.Deployment.ID, 0)
		if err != nil {
			b.Fatal(err)
		}
		rec, err := st.LatestAssessment(ctx, res.Deployment.ID)
		if err != nil {
			b.Fatal(err)
		}
		seeds = append(seeds, seedOf{src: src, refs: []string{"Northwind Mail", "Telemetrix", "PayGate", "GeoMaps", "Northwind SMS"}, doc: []byte(r.Document), record: rec})
	}
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for w := range 4 {
		wg.Go(func() {
			for i := len(seeds) + w; i < *impactDeployments; i += 4 {
				sd := seeds[i%len(seeds)]
				d, err := st.CreateDeployment(ctx, &eng, piaflow.Deployment{Name: fmt.Sprintf("D%05d", i), Customer: "Customer", CustomerCountry: "DE"})
				if err == nil {
					var r piaflow.Revision
					r, err = st.SaveComposed(ctx, &eng, d.ID, "", store.Composed{Source: sd.src, Processors: sd.refs, Document: sd.doc})
					if err == nil {
						rec := sd.record
						rec.ID, rec.RevisionID = 0, r.ID
						_, err = st.SaveAssessment(ctx, &eng, rec, nil)
					}
				}
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	b.Logf("%s: seeded %d deployments in %s", dialect, *impactDeployments, time.Since(start).Round(time.Second))
	change := piaflow.Change{Kind: piaflow.ChangeProcessor, ProcessorDocument: []byte("name: Telemetrix\ncountry: SG\nservice: telemetry and crash reporting\ncountries: [SG]\ndpa: {signed: false}\n")}
	b.ResetTimer()
	for b.Loop() {
		var after uint64
		listed := 0
		for {
			page, err := svc.Impact(ctx, eng, change, after, piaflow.MaxImpactPage)
			if err != nil {
				b.Fatal(err)
			}
			listed += len(page.Entries)
			if page.Next == 0 {
				break
			}
			after = page.Next
		}
		if listed != *impactDeployments {
			b.Fatalf("listed %d of %d", listed, *impactDeployments)
		}
	}
	perList := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(perList, "s/list")
	b.ReportMetric(perList*1000/float64(*impactDeployments), "ms/deployment")
}

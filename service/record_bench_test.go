package service

import (
	"context"
	"testing"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/assessments/store/storetest"
	"github.com/piaflow/piaflow/examples"
	"github.com/piaflow/piaflow/policies"
)

// BenchmarkRecordAssessment measures what evaluating a stored revision costs in the service and
// the store besides the evaluation (bench/README.md, the evaluate endpoint): reading the
// revision, parsing and validating its questionnaire, encoding the result (the hospital
// example's, about 35 KB) and storing it with its actions, the audit event and the webhook
// events in one transaction, on SQLite, one request at a time; db-B/op is the database's growth
// per evaluation.
func BenchmarkRecordAssessment(b *testing.B) {
	ctx := context.Background()
	e, err := policies.Default()
	if err != nil {
		b.Fatal(err)
	}
	doc, err := examples.FS.ReadFile("hospital-ehr-germany.yaml")
	if err != nil {
		b.Fatal(err)
	}
	s := New(storetest.Open(b, "sqlite"), assessments.NewEvaluator(e, assessments.WithResultCache(0)))
	eng, err := s.CreateUser(ctx, piaflow.System, "bench-engineer", piaflow.RoleEngineer)
	if err != nil {
		b.Fatal(err)
	}
	d, err := s.CreateDeployment(ctx, eng, piaflow.Deployment{Name: "Portal", Customer: "Customer", CustomerCountry: "DE"})
	if err != nil {
		b.Fatal(err)
	}
	first, err := s.SubmitQuestionnaire(ctx, eng, d.ID, "", doc)
	if err != nil {
		b.Fatal(err)
	}
	before := dbBytes(b, s)
	b.ReportAllocs()
	for b.Loop() {
		r, err := s.st.Revision(ctx, d.ID, 0)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.revisions.questionnaire(r); err != nil {
			b.Fatal(err)
		}
		if _, err := s.record(ctx, eng, r, first.Result); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(dbBytes(b, s)-before)/float64(b.N), "db-B/op")
}

// dbBytes is the size of the service's SQLite database (pages in use times page size).
func dbBytes(b *testing.B, s *Service) int64 {
	db, err := s.st.SQL()
	if err != nil {
		b.Fatal(err)
	}
	var pages, free, size int64
	for q, v := range map[string]*int64{"PRAGMA page_count": &pages, "PRAGMA freelist_count": &free, "PRAGMA page_size": &size} {
		if err := db.QueryRow(q).Scan(v); err != nil {
			b.Fatal(err)
		}
	}
	return (pages - free) * size
}

package reports

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/examples"
)

// thirtyFindings is the hospital example with its security and governance answers switched
// off: about 30 findings, the size of a typical report that needs work.
func thirtyFindings(tb testing.TB) *Document {
	tb.Helper()
	f := loadPDFFixture(tb)
	src, err := examples.FS.ReadFile("hospital-ehr-germany.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	q, err := assessments.Parse(src)
	if err != nil {
		tb.Fatal(err)
	}
	q.Security = assessments.Security{AccessControl: "shared_accounts"}
	q.Governance = assessments.Governance{}
	for i := range q.Processors {
		q.Processors[i].DPASigned = false
	}
	for i := range q.Activities {
		q.Activities[i].LegalBasis = "unknown"
		q.Activities[i].RetentionDays = nil
	}
	q.Activities = append(q.Activities, q.Activities...)
	for i := len(q.Activities) / 2; i < len(q.Activities); i++ {
		q.Activities[i].Name += " (second site)"
	}
	a, err := f.ev.Assess(context.Background(), q, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		tb.Fatal(err)
	}
	return &Document{Deployment: piaflow.Deployment{ID: 1, Name: q.Deployment.Name, Customer: q.Deployment.Customer, CustomerCountry: q.Deployment.CustomerCountry},
		Record: piaflow.AssessmentRecord{ID: 1, CreatedAt: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)}, Revision: 1, Questionnaire: q, Assessment: a}
}

func TestThirtyFindingsFixture(t *testing.T) {
	if n := len(thirtyFindings(t).Assessment.Findings); n < 25 || n > 40 {
		t.Fatalf("the benchmark document has %d findings, want about 30", n)
	}
}

// BenchmarkPDF renders the 30-finding report; target < 150 ms per report on the 2-core VM.
func BenchmarkPDF(b *testing.B) {
	d := thirtyFindings(b)
	r := loadPDFFixture(b).r
	for _, lang := range []string{"en", "zh-CN"} {
		b.Run(lang, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := r.PDF(io.Discard, d, lang); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

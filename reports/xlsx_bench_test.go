package reports

import (
	"fmt"
	"io"
	"testing"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/i18n"
)

// xlsxBenchDoc30 is a document whose assessment has 30 findings: the findings of every example
// questionnaire, repeated with new keys up to 30.
func xlsxBenchDoc30(b *testing.B) (*Document, *i18n.Catalogs) {
	exs, cats := loadXLSXExamples(b)
	d, _ := xlsxExampleDoc(b, "logistics-china-vietnam")
	a := *d.Assessment
	a.Findings = nil
	for len(a.Findings) < 30 {
		for _, ex := range exs {
			for _, f := range ex.doc.Assessment.Findings {
				if len(a.Findings) == 30 {
					break
				}
				f.Key = fmt.Sprintf("%s#%d", f.Key, len(a.Findings))
				a.Findings = append(a.Findings, f)
			}
		}
	}
	d.Assessment = &a
	d.Actions = a.Actions()
	for i := range d.Actions {
		d.Actions[i].ID = uint64(i + 1)
	}
	return d, cats
}

// xlsxBenchDoc10000 is a document with 10,000 synthetic actions over the example's findings.
func xlsxBenchDoc10000(b *testing.B) (*Document, *i18n.Catalogs) {
	d, cats := xlsxBenchDoc30(b)
	findings := d.Assessment.Findings
	d.Actions = make([]piaflow.Action, 10000)
	d.Comments = map[uint64]string{}
	for i := range d.Actions {
		f := findings[i%len(findings)]
		d.Actions[i] = piaflow.Action{ID: uint64(i + 1), FindingKey: f.Key, FindingID: f.ID, Regime: f.Regime,
			Severity: f.Severity, Title: f.Action.Title, Citation: f.Citation.Ref, CitationURL: f.Citation.URL,
			Owner: f.Action.Owner, Assignee: fmt.Sprintf("engineer%d@example.com", i%37),
			Due: fmt.Sprintf("2027-%02d-%02d", i%12+1, i%28+1), Status: piaflow.ActionStatuses()[i%4]}
		d.Comments[uint64(i+1)] = fmt.Sprintf("Reviewed in the weekly privacy sync #%d; waiting for the customer's answer.", i)
	}
	return d, cats
}

func benchmarkWriteXLSX(b *testing.B, d *Document, l *i18n.Localizer) {
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteXLSX(io.Discard, d, l); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteXLSX30Findings writes the workbook of an assessment with 30 findings.
// Target: < 80 ms/op. History (2 vCPU AMD EPYC, -benchtime 3x):
//   - first version:                                  25 ms/op, 7.0 MB/op
//   - SetActiveSheet before streaming, links in one pass: 8-12 ms/op, 3.5 MB/op
func BenchmarkWriteXLSX30Findings(b *testing.B) {
	d, cats := xlsxBenchDoc30(b)
	benchmarkWriteXLSX(b, d, cats.Get(i18n.SimplifiedChinese))
}

// BenchmarkWriteXLSX10000Actions writes an action list of 10,000 actions.
// Target: < 2 s/op. History (2 vCPU AMD EPYC, -benchtime 3x):
//   - first version: 3.46 s/op, 542 MB/op. Profile: SetCellHyperLink 50% (it scans all of
//     the sheet's relationships per call), SetActiveSheet after streaming 25% (it re-parsed
//     the streamed sheets, which WriteTo then encoded again).
//   - SetActiveSheet while the sheets are empty: 2.21 s/op, 162 MB/op.
//   - citation links of the Actions sheet written in one pass (xlsxAddLinks): 0.45-0.47 s/op,
//     178 MB/op.
func BenchmarkWriteXLSX10000Actions(b *testing.B) {
	d, cats := xlsxBenchDoc10000(b)
	benchmarkWriteXLSX(b, d, cats.Get(i18n.English))
}

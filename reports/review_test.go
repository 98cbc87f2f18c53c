package reports

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/i18n"
)

// approvedWithAcceptedRisks is a copy of d approved by legal with the risk of each blocker finding
// accepted, as piaflow.AssessmentRecord.Decide records it.
func approvedWithAcceptedRisks(t *testing.T, d *Document) *Document {
	t.Helper()
	out := *d
	var acts []piaflow.Action
	for i, f := range d.Assessment.Findings {
		acts = append(acts, piaflow.Action{ID: uint64(i + 1), FindingKey: f.Key, FindingID: f.ID, Status: piaflow.ActionRiskAccepted,
			Justification: "Accepted until the SCCs are signed, case " + strconv.Itoa(i+1)})
	}
	rec := d.Record
	rec.ReviewState = piaflow.ReviewSubmitted
	if err := rec.Decide(piaflow.User{Name: "lena"}, true, "go-live approved", d.Assessment.Blockers(), acts, time.Date(2026, 11, 3, 10, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	out.Record = rec
	return &out
}

// TestPDFApprovedWithAcceptedRisks: a blocked assessment approved with accepted risks says so in
// one headline on the cover and in the summary, lists each accepted risk with its
// justification, and never says "must not go live" (in either language); a blocked assessment
// not approved still does.
func TestPDFApprovedWithAcceptedRisks(t *testing.T) {
	f := loadPDFFixture(t)
	blocked := f.docs["hospital-ehr-germany"]
	if blocked == nil || blocked.Assessment.Verdict != assessments.VerdictBlocked || len(blocked.Assessment.Blockers()) == 0 {
		t.Fatal("the test needs the blocked hospital example")
	}
	approved := approvedWithAcceptedRisks(t, blocked)
	n := len(blocked.Assessment.Blockers())
	if approved.Record.AcceptedRisks != n {
		t.Fatalf("accepted risks %d, want %d", approved.Record.AcceptedRisks, n)
	}
	forbidden := map[string][]string{
		i18n.English:           {"must not go live", "Not submitted"},
		i18n.SimplifiedChinese: {"不得上线", "不可上线"},
	}
	for _, lang := range i18n.Languages() {
		t.Run(lang, func(t *testing.T) {
			l := f.cats.Get(lang)
			text := pdfText(t, renderPDF(t, f.r, approved, lang))
			flat := squeeze(text)
			headline := l.T("verdict.blocked_accepted", "count", strconv.Itoa(n))
			want := []string{headline, l.T("report.verdict_explain.blocked_accepted"), l.T("review.approved_with_accepted_risks"),
				l.T("report.accepted_risks"), l.T("report.col.justification")}
			for _, r := range approved.Record.AcceptedRiskDetails {
				want = append(want, r.Justification, acceptedRiskTitle(l, approved.Assessment, r))
			}
			// pdftotext drops the hyphen where a line breaks after one
			unhyphen := func(s string) string { return strings.ReplaceAll(squeeze(s), "-", "") }
			for _, w := range want {
				if !strings.Contains(unhyphen(text), unhyphen(w)) {
					t.Errorf("the PDF lacks %q", w)
				}
			}
			if lang == i18n.English && !strings.Contains(flat, squeeze("Blocked — approved with accepted risks ("+strconv.Itoa(n)+")")) {
				t.Errorf("the English PDF lacks the headline")
			}
			// the cover (page 1) and the summary both carry the headline
			pages := strings.Split(text, "\f")
			if !strings.Contains(squeeze(pages[0]), squeeze(headline)) {
				t.Errorf("the cover lacks %q", headline)
			}
			if got := strings.Count(flat, squeeze(headline)); got < 2 {
				t.Errorf("the headline appears %d times, want the cover and the summary", got)
			}
			for _, bad := range forbidden[lang] {
				if strings.Contains(flat, squeeze(bad)) {
					t.Errorf("the approved report says %q", bad)
				}
			}
			// the same assessment before its approval: blocked, must not go live
			before := squeeze(pdfText(t, renderPDF(t, f.r, blocked, lang)))
			if !strings.Contains(before, squeeze(l.T("report.verdict_explain.blocked"))) || strings.Contains(before, squeeze(headline)) || strings.Contains(before, squeeze(l.T("report.accepted_risks"))) {
				t.Errorf("the unapproved blocked report changed")
			}
		})
	}
}

// TestXLSXApprovedWithAcceptedRisks: the Summary sheet of the same assessment states the same:
// the headline as verdict, the review "Approved with accepted risks" and each accepted risk
// with its justification.
func TestXLSXApprovedWithAcceptedRisks(t *testing.T) {
	d, cats := xlsxExampleDoc(t, "hospital-ehr-germany")
	approved := approvedWithAcceptedRisks(t, d)
	n := approved.Record.AcceptedRisks
	if n == 0 {
		t.Fatal("no accepted risk")
	}
	for _, lang := range i18n.Languages() {
		t.Run(lang, func(t *testing.T) {
			l := cats.Get(lang)
			f := openXLSX(t, writeXLSXBytes(t, approved, l))
			rows, err := f.GetRows(l.T(sheetSummary))
			if err != nil {
				t.Fatal(err)
			}
			pairs := map[string]string{}
			for _, r := range rows {
				if len(r) >= 2 {
					pairs[r[0]] = r[1]
				}
			}
			if got, want := pairs[l.T("xlsx.summary.verdict")], l.T("verdict.blocked_accepted", "count", strconv.Itoa(n)); got != want {
				t.Errorf("verdict %q, want %q", got, want)
			}
			if got, want := pairs[l.T("xlsx.summary.review")], l.T("review.approved_with_accepted_risks"); got != want {
				t.Errorf("review %q, want %q", got, want)
			}
			risks := pairs[l.T("xlsx.summary.accepted_risks")]
			for _, r := range approved.Record.AcceptedRiskDetails {
				if !strings.Contains(risks, r.Justification) || !strings.Contains(risks, r.FindingID) {
					t.Errorf("accepted risks %q lack %s: %s", risks, r.FindingID, r.Justification)
				}
			}
			// not approved: no accepted risks row, the plain verdict
			plain := openXLSX(t, writeXLSXBytes(t, d, l))
			rows, _ = plain.GetRows(l.T(sheetSummary))
			for _, r := range rows {
				if len(r) > 0 && r[0] == l.T("xlsx.summary.accepted_risks") {
					t.Error("an assessment not approved has an accepted risks row")
				}
			}
		})
	}
}

// TestSecondaryCitations: a citation marked secondary is printed with "(secondary source)" in
// the PDF and the workbook, in both languages; the official ones are not.
func TestSecondaryCitations(t *testing.T) {
	f := loadPDFFixture(t)
	base := f.docs["hospital-ehr-germany"]
	d := *base
	a := *base.Assessment
	a.Findings = slices.Clone(a.Findings)
	a.Findings[0].Citation = assessments.Citation{Ref: "Unofficial digest s.9", URL: "https://example.com/digest", Secondary: true}
	d.Assessment = &a
	d.Actions = a.Actions()
	for _, lang := range i18n.Languages() {
		t.Run(lang, func(t *testing.T) {
			l := f.cats.Get(lang)
			marked := "Unofficial digest s.9 " + l.T("report.secondary_source")
			flat := squeeze(pdfText(t, renderPDF(t, f.r, &d, lang)))
			if !strings.Contains(flat, squeeze(marked)) {
				t.Errorf("the PDF lacks %q", marked)
			}
			if got := strings.Count(flat, squeeze(l.T("report.secondary_source"))); got == 0 || strings.Contains(squeeze(pdfText(t, renderPDF(t, f.r, base, lang))), squeeze(l.T("report.secondary_source"))) {
				t.Errorf("secondary marks: %d in the marked report, or some in the official one", got)
			}
			wb := openXLSX(t, writeXLSXBytes(t, &d, l))
			rows, err := wb.GetRows(l.T(sheetFindings))
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, r := range rows {
				found = found || slices.Contains(r, marked)
			}
			if !found {
				t.Errorf("the Findings sheet lacks %q", marked)
			}
		})
	}
}

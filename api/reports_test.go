package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/reports/reporttest"
)

// evaluatedDeployment creates a deployment with the hospital example, evaluates it and returns
// the ids of the deployment and the assessment.
func evaluatedDeployment(t *testing.T, url, token string) (dep, assessment uint64) {
	t.Helper()
	resp, b := call(t, "POST", url+"/api/v1/deployments", token, `{"name":"Klinikum Süd EHR","customer":"Klinikum Süd","customer_country":"DE"}`)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create: %d %s", resp.StatusCode, b)
	}
	var d struct{ ID uint64 }
	json.Unmarshal(b, &d)
	resp, b = callWith(t, "PUT", fmt.Sprintf("%s/api/v1/deployments/%d/questionnaire", url, d.ID), token, exampleJSON(t), nil)
	if resp.StatusCode/100 != 2 {
		t.Fatalf("questionnaire: %d %s", resp.StatusCode, b)
	}
	resp, b = call(t, "POST", fmt.Sprintf("%s/api/v1/deployments/%d/assessments", url, d.ID), token, "")
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("evaluate: %d %s", resp.StatusCode, b)
	}
	var a struct{ ID uint64 }
	json.Unmarshal(b, &a)
	return d.ID, a.ID
}

func pdfToText(t *testing.T, pdf []byte) string {
	return reporttest.Squeeze(reporttest.PDFText(t, pdf))
}

// TestReportDownloads: the PDF report and the Excel action list of a stored assessment, with
// their content types and file names, in both languages; a bad language is a problem.
func TestReportDownloads(t *testing.T) {
	url, tokens := testServer(t)
	eng := tokens[piaflow.RoleEngineer]
	_, aid := evaluatedDeployment(t, url, eng)
	base := fmt.Sprintf("%s/api/v1/assessments/%d", url, aid)

	for _, tc := range []struct{ lang, want string }{{"en", "PrivacyImpactAssessment"}, {"zh-CN", "隐私影响评估报告"}} {
		resp, b := call(t, "GET", base+"/report.pdf?lang="+tc.lang, eng, "")
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != contentPDF {
			t.Fatalf("report.pdf %s: %d %s", tc.lang, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		_, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition"))
		if err != nil || params["filename"] != fmt.Sprintf("pia-klinikum-s-d-ehr-a%d-%s.pdf", aid, tc.lang) {
			t.Errorf("disposition %q", resp.Header.Get("Content-Disposition"))
		}
		text := pdfToText(t, b)
		for _, w := range []string{tc.want, "KlinikumSüdEHR", "GDPR"} {
			if !strings.Contains(text, w) {
				t.Errorf("%s report lacks %q", tc.lang, w)
			}
		}
		// the same stored assessment gives the same report
		if _, again := call(t, "GET", base+"/report.pdf?lang="+tc.lang, tokens[piaflow.RoleLegal], ""); !bytes.Equal(again, b) {
			t.Errorf("%s: two downloads of one assessment differ", tc.lang)
		}
	}
	resp, b := callWith(t, "GET", base+"/report.pdf", eng, "", map[string]string{"Accept-Language": "zh-CN,zh;q=0.9"})
	if resp.StatusCode != http.StatusOK || !strings.Contains(pdfToText(t, b), "隐私影响评估报告") {
		t.Errorf("Accept-Language zh-CN: %d", resp.StatusCode)
	}
	// q-values decide (English here), and ?lang= wins over the header
	resp, b = callWith(t, "GET", base+"/report.pdf", eng, "", map[string]string{"Accept-Language": "zh;q=0.1, en;q=0.9"})
	if resp.StatusCode != http.StatusOK || strings.Contains(pdfToText(t, b), "隐私影响评估报告") {
		t.Errorf("Accept-Language zh;q=0.1, en;q=0.9 gave a Chinese report: %d", resp.StatusCode)
	}
	resp, b = callWith(t, "GET", base+"/report.pdf?lang=zh-CN", eng, "", map[string]string{"Accept-Language": "en"})
	if resp.StatusCode != http.StatusOK || !strings.Contains(pdfToText(t, b), "隐私影响评估报告") {
		t.Errorf("?lang=zh-CN with Accept-Language en: %d", resp.StatusCode)
	}
	resp, b = call(t, "GET", base+"/report.pdf?lang=fr", eng, "")
	if p := problemOf(t, resp, b, http.StatusBadRequest); len(p.Errors) != 1 || p.Errors[0].Path != "lang" || p.Errors[0].Code != langCode {
		t.Errorf("lang=fr: %s", b)
	}
	resp, b = call(t, "GET", url+"/api/v1/assessments/999/report.pdf", eng, "")
	problemOf(t, resp, b, http.StatusNotFound)

	resp, b = call(t, "GET", base+"/actions.xlsx?lang=zh-CN", eng, "")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != contentXLSX {
		t.Fatalf("actions.xlsx: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if !strings.Contains(resp.Header.Get("Content-Disposition"), fmt.Sprintf("actions-klinikum-s-d-ehr-a%d-zh-CN.xlsx", aid)) {
		t.Errorf("disposition %q", resp.Header.Get("Content-Disposition"))
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if sheets := f.GetSheetList(); len(sheets) != 6 || !strings.ContainsAny(sheets[1], "措施事项") {
		t.Errorf("zh-CN sheets %v", sheets)
	}
}

// actionSheet finds the Actions sheet's header row and the columns by their English headers.
func actionSheet(t *testing.T, f *excelize.File) (sheet string, header int, col map[string]string) {
	t.Helper()
	sheet = f.GetSheetList()[1]
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if len(r) > 0 && r[0] == "ID" {
			col = map[string]string{}
			for j, h := range r {
				name, _ := excelize.ColumnNumberToName(j + 1)
				col[h] = name
			}
			return sheet, i + 1, col
		}
	}
	t.Fatalf("no header row in %s", sheet)
	return
}

func upload(t *testing.T, url, token string, xlsx []byte, multipartForm bool) (*http.Response, []byte) {
	t.Helper()
	if !multipartForm {
		return callWith(t, "POST", url, token, string(xlsx), map[string]string{"Content-Type": contentXLSX})
	}
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	part, _ := w.CreateFormFile("file", "actions.xlsx")
	part.Write(xlsx)
	w.Close()
	return callWith(t, "POST", url, token, body.String(), map[string]string{"Content-Type": w.FormDataContentType()})
}

// TestActionImportRoundTrip: download the action list, edit it as a user would, upload it; a
// list with bad rows is refused whole, naming each row, and changes nothing.
func TestActionImportRoundTrip(t *testing.T) {
	eachDatabase(t, func(t *testing.T, url string, tokens map[string]string) {
		eng, legal := tokens[piaflow.RoleEngineer], tokens[piaflow.RoleLegal]
		dep, aid := evaluatedDeployment(t, url, eng)
		importURL := fmt.Sprintf("%s/api/v1/deployments/%d/actions/import", url, dep)
		_, b := call(t, "GET", fmt.Sprintf("%s/api/v1/assessments/%d/actions.xlsx", url, aid), eng, "")
		f, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		sheet, hdr, col := actionSheet(t, f)
		first, second := hdr+1, hdr+2
		cell := func(c string, row int) string { return fmt.Sprintf("%s%d", col[c], row) }

		// bad rows: an unknown status, an engineer accepting a risk, an id of no action
		f.SetCellStr(sheet, cell("Status", first), "finished")
		f.SetCellStr(sheet, cell("Status", second), "Risk accepted")
		f.SetCellStr(sheet, cell("Comment", second), "=cmd|' /C calc'!A0")
		before, _ := call(t, "GET", fmt.Sprintf("%s/api/v1/deployments/%d/actions", url, dep), eng, "")
		_ = before
		var buf bytes.Buffer
		f.Write(&buf)
		resp, body := upload(t, importURL, eng, buf.Bytes(), false)
		p := problemOf(t, resp, body, http.StatusUnprocessableEntity)
		if !strings.Contains(problemText(p), "finished") {
			t.Errorf("bad status not reported: %s", problemText(p))
		}
		_, acts := call(t, "GET", fmt.Sprintf("%s/api/v1/deployments/%d/actions", url, dep), eng, "")
		if strings.Contains(string(acts), `"done"`) || strings.Contains(string(acts), "risk_accepted") {
			t.Errorf("a refused import changed actions: %s", acts)
		}

		f.SetCellStr(sheet, cell("Status", first), "Done")
		f.SetCellStr(sheet, cell("Comment", first), "fixed in release 2.3")
		buf.Reset()
		f.Write(&buf)
		resp, body = upload(t, importURL, eng, buf.Bytes(), true)
		p = problemOf(t, resp, body, http.StatusForbidden)
		if len(p.Errors) != 1 || p.Errors[0].Line != second || p.Errors[0].Path != "Status" {
			t.Errorf("engineer accepting a risk: %s", body)
		}

		// legal may accept the risk; the comment is the justification
		f.SetCellStr(sheet, cell("Comment", second), "accepted by the DPO: LEG-7")
		buf.Reset()
		f.Write(&buf)
		resp, body = upload(t, importURL, legal, buf.Bytes(), true)
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"updated":2`) {
			t.Fatalf("import: %d %s", resp.StatusCode, body)
		}
		_, acts = call(t, "GET", fmt.Sprintf("%s/api/v1/deployments/%d/actions", url, dep), eng, "")
		if !strings.Contains(string(acts), `"done"`) || !strings.Contains(string(acts), "LEG-7") {
			t.Errorf("after import: %s", acts)
		}

		resp, body = upload(t, importURL, eng, []byte("not a workbook"), false)
		problemOf(t, resp, body, http.StatusUnprocessableEntity)
		big := bytes.Repeat([]byte("x"), piaflow.MaxImportBytes+1)
		for _, multipartForm := range []bool{false, true} {
			resp, body = upload(t, importURL, eng, big, multipartForm)
			problemOf(t, resp, body, http.StatusRequestEntityTooLarge)
		}
	})
}

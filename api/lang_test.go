package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
)

// han matches a Chinese character.
var han = regexp.MustCompile(`\p{Han}`)

// langFixture is a server with two assessments of the hospital example (1 blocked, 2 with the
// transfer fixed, and their actions) and the ERP Suite product's deployments with version 3.1
// pushed, so that every endpoint that takes ?lang= has something to say.
func langFixture(t *testing.T) (url string, tokens map[string]string) {
	t.Helper()
	url, tokens = testServerDialect(t, "sqlite")
	eng := tokens[piaflow.RoleEngineer]
	steps := []struct {
		method, path, body string
		header             map[string]string
		status             int
	}{
		{"POST", "/api/v1/deployments", `{"name":"Portal","customer":"Klinikum Nord GmbH","customer_country":"DE"}`, nil, http.StatusCreated},
		{"PUT", "/api/v1/deployments/1/questionnaire", exampleJSON(t), nil, http.StatusCreated},
		{"POST", "/api/v1/deployments/1/assessments", "", nil, http.StatusCreated},
		{"PUT", "/api/v1/deployments/1/questionnaire", strings.Replace(exampleJSON(t), "        mechanism: none", "        mechanism: scc", 1), map[string]string{"If-Match": "*"}, http.StatusCreated},
		{"POST", "/api/v1/deployments/1/assessments", "", nil, http.StatusCreated},
		{"POST", "/api/v1/processors", mustRead(t, "../examples/products/processors.yaml"), yamlBody, http.StatusOK},
		{"POST", "/api/v1/products", mustRead(t, "../examples/products/erp-suite.yaml"), yamlBody, http.StatusCreated},
		{"POST", "/api/v1/specs", mustRead(t, "../examples/products/deployments/de-manufacturer-rhein.yaml"), yamlBody, http.StatusCreated},
		{"POST", "/api/v1/products", mustRead(t, "../examples/products/erp-suite-3.1.yaml"), yamlBody, http.StatusCreated},
	}
	for _, s := range steps {
		resp, b := callWith(t, s.method, url+s.path, eng, s.body, s.header)
		if resp.StatusCode != s.status {
			t.Fatalf("%s %s: %d %s", s.method, s.path, resp.StatusCode, b)
		}
	}
	return url, tokens
}

// langCase is one endpoint that takes ?lang=: how to call it, and the texts of its answer that
// must be Chinese with ?lang=zh-CN.
type langCase struct {
	name, method, path, body string
	status                   int
	// stable: the same request answers the same bytes (false for an evaluation: a new
	// assessment each time).
	stable bool
	// texts are the texts of an answer that ?lang= translates.
	texts func(t *testing.T, b []byte) []string
}

func langCases() []langCase {
	return []langCase{
		{"GetAssessment", "GET", "/api/v1/assessments/1", "", http.StatusOK, true, func(t *testing.T, b []byte) []string {
			return assessmentTexts(decodeAs[storedAssessment](t, b).Assessment)
		}},
		{"Evaluate", "POST", "/api/v1/deployments/1/assessments", "", http.StatusCreated, false, func(t *testing.T, b []byte) []string {
			return assessmentTexts(decodeAs[storedAssessment](t, b).Assessment)
		}},
		{"Diff", "GET", "/api/v1/assessments/2/diff?against=1", "", http.StatusOK, true, func(t *testing.T, b []byte) []string {
			d := decodeAs[assessments.Diff](t, b)
			var out []string
			for _, f := range append(append(d.Added, d.Resolved...), d.Changed...) {
				out = append(out, f.Title, f.Action.Title)
			}
			return out
		}},
		{"HostingCheck", "POST", "/api/v1/hosting-check", `{"data":["contact"],"subjects":["CN"],"host":"SG"}`, http.StatusOK, true, func(t *testing.T, b []byte) []string {
			r := decodeAs[assessments.HostingResult](t, b)
			var out []string
			for _, a := range r.Answers {
				for _, ra := range a.ByRegime {
					for _, m := range ra.Mechanisms {
						out = append(out, m.Label)
					}
				}
			}
			for _, n := range r.Assumptions {
				out = append(out, n.Text)
			}
			for _, f := range r.Findings {
				out = append(out, f.Title, f.Action.Title)
			}
			return out
		}},
		{"Impact", "POST", "/api/v1/impact", `{"kind":"product","product":"ERP Suite","version":"3.1"}`, http.StatusOK, true, func(t *testing.T, b []byte) []string {
			im := decodeAs[piaflow.Impact](t, b)
			var out []string
			for _, e := range im.Entries {
				for _, f := range append(e.Added, e.Resolved...) {
					out = append(out, f.Title)
				}
			}
			return out
		}},
		{"Actions", "GET", "/api/v1/deployments/1/actions", "", http.StatusOK, true, func(t *testing.T, b []byte) []string {
			var out []string
			for _, a := range decodeAs[struct{ Items []piaflow.Action }](t, b).Items {
				out = append(out, a.Title)
			}
			return out
		}},
	}
}

// assessmentTexts are the texts of an assessment that ?lang= translates and the catalogues hold
// for every rule: the findings' titles and actions.
func assessmentTexts(a *assessments.Assessment) []string {
	if a == nil {
		return nil
	}
	var out []string
	for _, f := range a.Findings {
		out = append(out, f.Title, f.Action.Title)
	}
	return out
}

func decodeAs[T any](t *testing.T, b []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%v: %s", err, b[:min(len(b), 300)])
	}
	return v
}

// withLang adds lang=v to a path's query.
func withLang(path, v string) string {
	if strings.Contains(path, "?") {
		return path + "&lang=" + v
	}
	return path + "?lang=" + v
}

// TestLangParameter: on every endpoint that takes ?lang=, zh-CN answers Chinese titles with
// Content-Language; no lang (and lang=en) answers the engine's English without Chinese; a lang
// piaflow does not speak is a 400 problem naming lang, in the language of Accept-Language; a
// Chinese answer leaves what is stored or cached English.
func TestLangParameter(t *testing.T) {
	url, tokens := langFixture(t)
	legal, eng := tokens[piaflow.RoleLegal], tokens[piaflow.RoleEngineer]
	for _, tc := range langCases() {
		t.Run(tc.name, func(t *testing.T) {
			token := legal
			if tc.method == "POST" && strings.HasSuffix(tc.path, "/assessments") {
				token = eng
			}
			send := func(path string, header map[string]string) (*http.Response, []byte) {
				t.Helper()
				if tc.body != "" {
					if header == nil {
						header = map[string]string{}
					}
					header["Content-Type"] = "application/json"
				}
				return callWith(t, tc.method, url+path, token, tc.body, header)
			}
			englishOK := func(what string, resp *http.Response, b []byte) []string {
				t.Helper()
				if resp.StatusCode != tc.status {
					t.Fatalf("%s: %d %s", what, resp.StatusCode, b)
				}
				texts := tc.texts(t, b)
				if len(texts) == 0 {
					t.Fatalf("%s: no texts to translate in %s", what, b[:min(len(b), 300)])
				}
				for _, s := range texts {
					if han.MatchString(s) {
						t.Errorf("%s: Chinese in %q", what, s)
					}
				}
				return texts
			}

			resp, before := send(tc.path, nil)
			english := englishOK("no lang", resp, before)
			if cl := resp.Header.Get("Content-Language"); cl != "" {
				t.Errorf("no lang: Content-Language %q", cl)
			}

			resp, b := send(withLang(tc.path, "en"), nil)
			englishOK("lang=en", resp, b)
			if cl := resp.Header.Get("Content-Language"); cl != "en" {
				t.Errorf("lang=en: Content-Language %q", cl)
			}
			if tc.stable && !bytes.Equal(b, before) {
				t.Errorf("lang=en differs from no lang:\n%s\n%s", b[:min(len(b), 300)], before[:min(len(before), 300)])
			}

			for _, v := range []string{"zh-CN", "ZH-cn"} {
				resp, b = send(withLang(tc.path, v), nil)
				if resp.StatusCode != tc.status {
					t.Fatalf("lang=%s: %d %s", v, resp.StatusCode, b)
				}
				if cl := resp.Header.Get("Content-Language"); cl != "zh-CN" {
					t.Errorf("lang=%s: Content-Language %q", v, cl)
				}
				chinese := tc.texts(t, b)
				if len(chinese) != len(english) {
					t.Fatalf("lang=%s: %d texts, %d in English", v, len(chinese), len(english))
				}
				for i, s := range chinese {
					if !han.MatchString(s) {
						t.Errorf("lang=%s: not Chinese: %q (English %q)", v, s, english[i])
					}
				}
			}

			// what is stored or cached stayed English
			resp, after := send(tc.path, nil)
			englishOK("no lang after zh-CN", resp, after)
			if tc.stable && !bytes.Equal(after, before) {
				t.Errorf("no lang after zh-CN differs from before")
			}

			for _, bad := range []string{"fr", "zh", "zh-TW", "en-US", "zh-CN,en", strings.Repeat("x", 100)} {
				resp, b = send(withLang(tc.path, bad), nil)
				p := problemOf(t, resp, b, http.StatusBadRequest)
				if len(p.Errors) != 1 || p.Errors[0].Path != "lang" || p.Errors[0].Code != langCode ||
					!strings.Contains(p.Errors[0].Message, "en, zh-CN") || han.MatchString(p.Title+p.Detail+p.Errors[0].Message) {
					t.Errorf("lang=%s: %s", bad, b)
				}
			}
			resp, b = send(withLang(tc.path, "fr"), map[string]string{"Accept-Language": "zh-CN"})
			p := problemOf(t, resp, b, http.StatusBadRequest)
			if len(p.Errors) != 1 || p.Errors[0].Path != "lang" || !han.MatchString(p.Title) || !han.MatchString(p.Errors[0].Message) ||
				resp.Header.Get("Content-Language") != "zh-CN" {
				t.Errorf("lang=fr, Accept-Language zh-CN: %s", b)
			}
		})
	}
}

// TestLangKeepsEveryField: the Chinese assessment is the English one with only its texts
// changed (ids, keys, verdicts, citations, fields and the *_msg objects the same), and regime
// names, details with a detail_msg and reasons with a why_msg are rendered in Chinese.
func TestLangKeepsEveryField(t *testing.T) {
	for _, example := range []string{"hospital-ehr-germany", "telehealth-us"} {
		t.Run(example, func(t *testing.T) {
			url, tokens := testServerDialect(t, "sqlite")
			eng := tokens[piaflow.RoleEngineer]
			call(t, "POST", url+"/api/v1/deployments", eng, `{"name":"X","customer":"Y"}`)
			resp, b := callWith(t, "PUT", url+"/api/v1/deployments/1/questionnaire", eng, mustRead(t, "../examples/"+example+".yaml"), nil)
			if resp.StatusCode != http.StatusCreated {
				t.Fatalf("questionnaire: %d %s", resp.StatusCode, b)
			}
			resp, b = call(t, "POST", url+"/api/v1/deployments/1/assessments?lang=zh-CN", eng, "")
			if resp.StatusCode != http.StatusCreated {
				t.Fatalf("evaluate: %d %s", resp.StatusCode, b)
			}
			zhEvaluated := decodeAs[storedAssessment](t, b)
			_, b = call(t, "GET", url+"/api/v1/assessments/1", eng, "")
			en := decodeAs[storedAssessment](t, b)
			_, b = call(t, "GET", url+"/api/v1/assessments/1?lang=zh-CN", eng, "")
			zh := decodeAs[storedAssessment](t, b)
			zhEvaluated.Revision, zhEvaluated.CreatedAt = 0, zh.CreatedAt
			if !reflect.DeepEqual(zhEvaluated, zh) {
				t.Error("the Chinese answer of the evaluation differs from the stored assessment's in Chinese")
			}
			if n := sameButTexts(t, en, zh); n == 0 && example == "telehealth-us" {
				t.Error("no detail_msg rendered: the telehealth example has HIPAA findings with one")
			}
		})
	}
}

// sameButTexts checks that zh is en with its texts in Chinese; it returns how many details it
// found rendered from a detail_msg.
func sameButTexts(t *testing.T, en, zh storedAssessment) int {
	t.Helper()
	if en.Assessment == nil || zh.Assessment == nil || len(zh.Assessment.Findings) != len(en.Assessment.Findings) ||
		len(zh.Assessment.Regimes) != len(en.Assessment.Regimes) {
		t.Fatalf("assessments: %+v %+v", en.Assessment, zh.Assessment)
	}
	a, e := zh.Assessment, en.Assessment
	for i, r := range a.Regimes {
		if !han.MatchString(r.Name) {
			t.Errorf("regime %s: name %q", r.ID, r.Name)
		}
		if r.WhyMsg != nil && !han.MatchString(r.Why) {
			t.Errorf("regime %s: why %q", r.ID, r.Why)
		}
		a.Regimes[i].Name, a.Regimes[i].Why = e.Regimes[i].Name, e.Regimes[i].Why
	}
	details := 0
	for i, f := range a.Findings {
		if f.DetailMsg != nil {
			details++
			if !han.MatchString(f.Detail) {
				t.Errorf("%s: detail %q", f.Key, f.Detail)
			}
		}
		a.Findings[i].Title, a.Findings[i].Detail, a.Findings[i].Action.Title = e.Findings[i].Title, e.Findings[i].Detail, e.Findings[i].Action.Title
	}
	// every why with a message is rendered; put back the English to compare the rest
	why := func(what string, m *assessments.Message, zh *string, en string) {
		if m != nil && !han.MatchString(*zh) {
			t.Errorf("%s: why %q", what, *zh)
		}
		*zh = en
	}
	why("dpia", a.DPIA.WhyMsg, &a.DPIA.Why, e.DPIA.Why)
	for i := range a.DPIA.Criteria {
		why("criterion "+a.DPIA.Criteria[i].ID, a.DPIA.Criteria[i].WhyMsg, &a.DPIA.Criteria[i].Why, e.DPIA.Criteria[i].Why)
	}
	for i := range a.DPIA.Art35_3 {
		why("art35_3 "+a.DPIA.Art35_3[i].Case, a.DPIA.Art35_3[i].WhyMsg, &a.DPIA.Art35_3[i].Why, e.DPIA.Art35_3[i].Why)
	}
	for i := range a.DPIA.National {
		why("national "+a.DPIA.National[i].Regime, a.DPIA.National[i].WhyMsg, &a.DPIA.National[i].Why, e.DPIA.National[i].Why)
	}
	for i, h := range a.DPIA.Lists {
		if !han.MatchString(h.Text) {
			t.Errorf("DPIA list %s item %s: %q", h.List, h.Item, h.Text)
		}
		a.DPIA.Lists[i].Authority, a.DPIA.Lists[i].Text = e.DPIA.Lists[i].Authority, e.DPIA.Lists[i].Text
	}
	for i := range a.Transfers {
		why("transfer "+a.Transfers[i].Via, a.Transfers[i].WhyMsg, &a.Transfers[i].Why, e.Transfers[i].Why)
	}
	for i := range a.Risks {
		why("risk "+a.Risks[i].ID, a.Risks[i].WhyMsg, &a.Risks[i].Why, e.Risks[i].Why)
	}
	for i := range a.Localisation {
		if a.Localisation[i].Instrument != nil {
			a.Localisation[i].Instrument.Name = e.Localisation[i].Instrument.Name
		}
	}
	if !reflect.DeepEqual(zh, en) {
		gz, _ := json.Marshal(zh)
		ge, _ := json.Marshal(en)
		t.Errorf("the Chinese answer differs in more than its texts:\n%s\n%s", gz, ge)
	}
	return details
}

// TestLangProblems: a problem of a request with a valid ?lang= (an assessment that does not
// exist, a bad parameter beside it) is in that language, whatever Accept-Language says.
func TestLangProblems(t *testing.T) {
	url, tokens := testServerDialect(t, "sqlite")
	legal := tokens[piaflow.RoleLegal]
	resp, b := callWith(t, "GET", url+"/api/v1/assessments/9?lang=zh-CN", legal, "", map[string]string{"Accept-Language": "en"})
	p := problemOf(t, resp, b, http.StatusNotFound)
	if !han.MatchString(p.Title) || resp.Header.Get("Content-Language") != "zh-CN" {
		t.Errorf("404 with lang=zh-CN: %s (Content-Language %q)", b, resp.Header.Get("Content-Language"))
	}
	// a bad parameter beside it is answered in that language too: ?lang= is read first
	resp, b = callWith(t, "GET", url+"/api/v1/assessments/9/diff?lang=zh-CN", legal, "", map[string]string{"Accept-Language": "en"})
	p = problemOf(t, resp, b, http.StatusUnprocessableEntity)
	if len(p.Errors) != 1 || p.Errors[0].Path != "against" || !han.MatchString(p.Errors[0].Message) {
		t.Errorf("a bad against with lang=zh-CN: %s", b)
	}
	resp, b = callWith(t, "GET", url+"/api/v1/assessments/9?lang=en", legal, "", map[string]string{"Accept-Language": "zh-CN"})
	p = problemOf(t, resp, b, http.StatusNotFound)
	if han.MatchString(p.Title+p.Detail) || resp.Header.Get("Content-Language") != "en" {
		t.Errorf("404 with lang=en: %s (Content-Language %q)", b, resp.Header.Get("Content-Language"))
	}
}

// TestInvalidFieldTexts: the query parameters' and uploads' problems carry a message code whose
// English is the text they had before the codes (byte for byte) and whose Chinese is rendered.
func TestInvalidFieldTexts(t *testing.T) {
	url, tokens := testServerDialect(t, "sqlite")
	eng, admin := tokens[piaflow.RoleEngineer], tokens[piaflow.RoleAdmin]
	call(t, "POST", url+"/api/v1/deployments", eng, `{"name":"X","customer":"Y"}`)
	for _, tc := range []struct {
		name, method, path, token, code, english string
	}{
		{"Revision", "GET", "/api/v1/deployments/1/questionnaire?revision=x", eng, "query.revision", `"x" is not a revision number`},
		{"AcceptedRisks", "GET", "/api/v1/deployments?accepted_risks=some", eng, "query.bool", `"some" is not true or false`},
		{"Draft", "PUT", "/api/v1/deployments/1/questionnaire?draft=maybe", eng, "query.bool", `"maybe" is not true or false`},
		{"Page", "GET", "/api/v1/deployments?limit=0", eng, "query.page", `"0" is not a valid limit (limit: 1 to 200; offset: 0 or more)`},
		{"Format", "GET", "/api/v1/deployments/1/questionnaire?format=xml", eng, "query.format", `"xml" is not json or yaml`},
		{"Against", "GET", "/api/v1/assessments/1/diff", eng, "query.against", "give the id of the assessment to compare with"},
		{"AfterID", "GET", "/api/v1/audit?after_id=x", admin, "query.event_id", `"x" is not an event id`},
		{"AuditLimit", "GET", "/api/v1/audit?limit=0", admin, "query.limit", `"0" is not a limit from 1 to 1000`},
		{"State", "GET", "/api/v1/propagations/1?state=x", eng, "not_in_vocabulary", `"x" is not one of pending, done, failed`},
		{"Cursor", "POST", "/api/v1/impact?after=x", eng, "query.cursor", `"x" is not a cursor (the next of the previous page)`},
		{"Version", "GET", "/api/v1/processors/x?version=0", eng, "query.version", `"0" is not a version number`},
		{"Country", "GET", "/api/v1/products/x/versions/1/template", eng, "query.country", "give the customer's country (ISO 3166-1 alpha-2 code)"},
		{"UploadEmpty", "POST", "/api/v1/deployments/1/actions/import", eng, "upload.empty", "the body is empty: send the edited action list (.xlsx)"},
		{"UploadNoFile", "POST", "/api/v1/deployments/1/actions/import", eng, "upload.file", `upload the action list (.xlsx) as the form field "file"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body, header := "", map[string]string{}
			if tc.code == "upload.file" {
				body, header["Content-Type"] = "--x--\r\n", "multipart/form-data; boundary=x"
			}
			for _, lang := range []string{"en", "zh-CN"} {
				header["Accept-Language"] = lang
				resp, b := callWith(t, tc.method, url+tc.path, tc.token, body, header)
				p := problemOf(t, resp, b, http.StatusUnprocessableEntity)
				if len(p.Errors) != 1 || p.Errors[0].Code != tc.code {
					t.Fatalf("%s: %s", lang, b)
				}
				if got := p.Errors[0].Message; lang == "en" && got != tc.english || lang != "en" && !han.MatchString(got) {
					t.Errorf("%s: message %q", lang, got)
				}
			}
		})
	}
}

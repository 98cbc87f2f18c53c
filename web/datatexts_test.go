package web

import (
	"html"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/i18n"
)

// TestWebDataTextsChinese: the texts of the jurisdiction data (localisation rules, transfer rules
// and tiers) show in Chinese on the hosting check and the assessment page of a zh-CN reader, and
// in English for an English one (docs/messages.md, "Data texts").
func TestWebDataTextsChinese(t *testing.T) {
	zh := i18n.MustLoad().Get(i18n.SimplifiedChinese)
	text := func(key string) string {
		t.Helper()
		if !zh.Has(key) {
			t.Fatalf("catalogue lacks %s", key)
		}
		return html.EscapeString(zh.T(key))
	}
	const (
		ruEN = "When personal data is collected, including via the Internet, the recording, systematisation"
		cnEN = "Sensitive personal information of fewer than 10,000 people provided abroad"
		euEN = "A transfer to a third country needs an adequacy decision (Art. 45)"
	)
	base, tokens := testServer(t)
	w := signIn(t, base, tokens[piaflow.RoleSales])
	const check = "/hosting-check?data=health&data=contact&subjects=DE%2C+RU%2C+CN&host=SG"
	_, body := w.get(check)
	mustContain(t, "English hosting check", body, html.EscapeString(ruEN), cnEN, euEN)
	if resp, _ := w.get("/lang/zh-CN?next=%2Fhosting-check"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("switch to Chinese: %d", resp.StatusCode)
	}
	_, body = w.get(check)
	mustContain(t, "Chinese hosting check", body,
		text("data.ru_152fz.localisation.citizens_collection_2025.text"),
		text("data.cn_pipl.transfer.tiers.sensitive_under_10k.text"),
		text("data.gdpr.transfer.text"))
	for _, en := range []string{html.EscapeString(ruEN), cnEN, euEN} {
		if strings.Contains(body, en) {
			t.Errorf("Chinese hosting check shows the English %q", en)
		}
	}

	// the assessment page's localisation section
	eng := tokens[piaflow.RoleEngineer]
	yaml, err := os.ReadFile("../examples/hr-russia-subsidiary.yaml")
	if err != nil {
		t.Fatal(err)
	}
	call(t, "POST", base+"/api/v1/deployments", eng, `{"name":"HR","customer":"Kessler RU","customer_country":"RU"}`)
	callWith(t, "PUT", base+"/api/v1/deployments/1/questionnaire", eng, string(yaml), nil)
	if resp, b := call(t, "POST", base+"/api/v1/deployments/1/assessments", eng, ""); resp.StatusCode != http.StatusCreated {
		t.Fatalf("evaluate: %s", b)
	}
	we := signIn(t, base, eng)
	_, body = we.get("/assessments/1")
	mustContain(t, "English assessment page", body, html.EscapeString(ruEN))
	we.get("/lang/zh-CN?next=%2Fassessments%2F1")
	_, body = we.get("/assessments/1")
	// the localisation section (the finding's detail quotes the rule within a sentence of its
	// own, translated once transfer_findings.rego writes it as a message)
	head := "<h3>" + html.EscapeString(zh.T("ui.assessment.localisation")) + "</h3>"
	i := strings.Index(body, head)
	if i < 0 {
		t.Fatalf("Chinese assessment page has no localisation section %q", head)
	}
	section := body[i:]
	section = section[:strings.Index(section, "</ul>")]
	mustContain(t, "Chinese assessment page, localisation", section, text("data.ru_152fz.localisation.citizens_collection_2025.text"))
	if strings.Contains(section, html.EscapeString(ruEN)) {
		t.Error("Chinese assessment page shows the English localisation requirement")
	}
}

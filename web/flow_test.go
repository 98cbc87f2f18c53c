package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/i18n"
)

// TestWebStaleAssessment: an assessment of an older revision says that the questionnaire
// changed, who changed it and when, and offers to re-evaluate instead of a submit that fails;
// a submit sent from a page read before the change comes back to the page with the message.
func TestWebStaleAssessment(t *testing.T) {
	base, tokens := testServer(t)
	eng := tokens[piaflow.RoleEngineer]
	call(t, "POST", base+"/api/v1/deployments", eng, `{"name":"Portal","customer":"Klinikum Nord GmbH","customer_country":"DE"}`)
	resp, _ := callWith(t, "PUT", base+"/api/v1/deployments/1/questionnaire", eng, mustExample(t), nil)
	tag := resp.Header.Get("ETag")
	call(t, "POST", base+"/api/v1/deployments/1/assessments", eng, "")
	w := signIn(t, base, eng)
	_, body := w.get("/assessments/1")
	mustContain(t, "current assessment", body, `id="submit-review"`)
	if strings.Contains(body, `id="stale"`) {
		t.Error("a current assessment is called stale")
	}
	changed := strings.Replace(mustExample(t), "Klinikum Nord GmbH", "Klinikum Süd GmbH", 1)
	if resp, b := callWith(t, "PUT", base+"/api/v1/deployments/1/questionnaire", tokens[piaflow.RoleAdmin], changed, map[string]string{"If-Match": tag}); resp.StatusCode != http.StatusCreated {
		t.Fatalf("change: %d %s", resp.StatusCode, b)
	}
	_, body = w.get("/assessments/1")
	mustContain(t, "stale assessment", body, "The questionnaire changed since this assessment — re-evaluate. admin-user saved revision 2 at 20",
		"this assessment is of revision 1", `<button type="submit" class="primary" id="reevaluate">Re-evaluate</button>`)
	if strings.Contains(body, `id="submit-review"`) {
		t.Error("a stale assessment offers the submit")
	}
	// the submit of a page read before the change
	resp, body = w.post("/assessments/1/review", url.Values{"op": {"submit"}})
	if resp.StatusCode != http.StatusConflict {
		t.Errorf("submit of a stale assessment: %d", resp.StatusCode)
	}
	mustContain(t, "refused submit", body, `id="review-error"`, "Nothing was changed: the questionnaire changed since this assessment", `id="reevaluate"`)
	noDeadEnd(t, "refused submit", body)
	resp, _ = w.post("/deployments/1/evaluate", url.Values{})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/assessments/2" {
		t.Fatalf("re-evaluate: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body = w.get("/assessments/2")
	mustContain(t, "re-evaluated", body, `id="submit-review"`)
	// a newer draft: complete it first; evaluating the draft comes back to the deployment page
	_, b := call(t, "GET", base+"/api/v1/deployments/1/questionnaire", eng, "")
	draft := strings.Replace(string(b), "Klinikum Süd GmbH", "Klinikum West GmbH", 1)
	resp, _ = call(t, "GET", base+"/api/v1/deployments/1/questionnaire", eng, "")
	if resp, b := callWith(t, "PUT", base+"/api/v1/deployments/1/questionnaire?draft=true", eng, draft,
		map[string]string{"If-Match": resp.Header.Get("ETag"), "Content-Type": "application/json"}); resp.StatusCode != http.StatusCreated {
		t.Fatalf("draft: %d %s", resp.StatusCode, b)
	}
	_, body = w.get("/assessments/2")
	mustContain(t, "assessment before a draft", body, "complete it, then re-evaluate. engineer-user saved draft revision 3", `id="complete-questionnaire"`)
	resp, body = w.post("/deployments/1/evaluate", url.Values{})
	if resp.StatusCode != http.StatusConflict {
		t.Errorf("evaluating a draft: %d", resp.StatusCode)
	}
	mustContain(t, "evaluating a draft", body, `id="deployment-error"`, "The latest revision is a draft", `id="edit-questionnaire"`)
	noDeadEnd(t, "evaluating a draft", body)
	w.get("/lang/" + i18n.SimplifiedChinese + "?next=%2F")
	_, body = w.get("/assessments/1")
	mustContain(t, "stale assessment in Chinese", body, "自本次评估以来问卷已更改")
}

// TestWebSaveUnchanged: the wizard's Next, Save and Submit with the answers unchanged keep no new
// revision.
func TestWebSaveUnchanged(t *testing.T) {
	base, tokens := testServer(t)
	eng := tokens[piaflow.RoleEngineer]
	w := signIn(t, base, eng)
	w.post("/deployments", url.Values{"name": {"Portal"}, "customer": {"Klinikum Nord"}})
	section := url.Values{"section": {"deployment"}, "deployment.name": {"Portal"}, "deployment.customer": {"Klinikum Nord"}}
	post := func(op, etag string) *http.Response {
		t.Helper()
		form := url.Values{"op": {op}, "etag": {etag}}
		for k, v := range section {
			form[k] = v
		}
		resp, body := w.post("/deployments/1/wizard", form)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: %d %s", op, resp.StatusCode, body)
		}
		return resp
	}
	post("save", "")
	_, body := w.get("/deployments/1/wizard")
	etag := formETag(body)
	for _, op := range []string{"goto:hosting", "goto:deployment", "save"} {
		resp := post(op, etag)
		_, body = w.get(resp.Header.Get("Location"))
		if got := formETag(body); got != etag {
			t.Errorf("%s without a change made a new revision (ETag %s, was %s)", op, got, etag)
		}
	}
	mustContain(t, "wizard after an unchanged save", body, "Nothing changed since revision 1: no new revision was saved.")
	resp, _ := call(t, "GET", base+"/api/v1/deployments/1/questionnaire", eng, "")
	if resp.Header.Get("X-Revision") != "1" {
		t.Errorf("revision %s after unchanged saves, want 1", resp.Header.Get("X-Revision"))
	}
	// a change is a new revision
	section.Set("deployment.customer", "Klinikum Süd")
	post("save", etag)
	resp, _ = call(t, "GET", base+"/api/v1/deployments/1/questionnaire", eng, "")
	if resp.Header.Get("X-Revision") != "2" {
		t.Errorf("revision %s after a change, want 2", resp.Header.Get("X-Revision"))
	}
}

// TestWebQuestionnaireDownloads: the deployment page links the questionnaire as YAML and JSON,
// which the session downloads.
func TestWebQuestionnaireDownloads(t *testing.T) {
	base, tokens := testServer(t)
	eng := tokens[piaflow.RoleEngineer]
	call(t, "POST", base+"/api/v1/deployments", eng, `{"name":"Portal","customer":"Klinikum Nord GmbH","customer_country":"DE"}`)
	callWith(t, "PUT", base+"/api/v1/deployments/1/questionnaire", eng, mustExample(t), nil)
	w := signIn(t, base, tokens[piaflow.RoleLegal])
	_, body := w.get("/deployments/1")
	mustContain(t, "deployment page", body, "Questionnaire (revision 1)",
		`id="dl-yaml" href="/api/v1/deployments/1/questionnaire?format=yaml" download`, `id="dl-json" href="/api/v1/deployments/1/questionnaire?format=json" download`)
	resp, y := w.get("/api/v1/deployments/1/questionnaire?format=yaml")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/yaml") ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), `filename="deployment-1-revision-1.yaml"`) || !strings.HasPrefix(y, "schema_version: 1\n") {
		t.Errorf("YAML download: %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"))
	}
	sales := signIn(t, base, tokens[piaflow.RoleSales])
	if _, body := sales.get("/deployments/1"); strings.Contains(body, `id="dl-yaml"`) {
		t.Error("sales are offered the questionnaire")
	}
}

// TestWebFavicon: /favicon.ico is an icon (no 404 on every page), linked by every page with its
// SVG form.
func TestWebFavicon(t *testing.T) {
	base, _ := testServer(t)
	w := newWebClient(t, base, nil)
	for path, want := range map[string]string{"/favicon.ico": "image/vnd.microsoft.icon", "/static/favicon.svg": "image/svg+xml"} {
		resp, body := w.get(path)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != want || len(body) < 100 {
			t.Errorf("%s: %d %q %d bytes", path, resp.StatusCode, resp.Header.Get("Content-Type"), len(body))
		}
		if path == "/favicon.ico" && !strings.HasPrefix(body, "\x00\x00\x01\x00") {
			t.Errorf("%s is not an ICO file", path)
		}
	}
	_, body := w.get("/login")
	mustContain(t, "sign-in page", body, `<link rel="icon" href="/favicon.ico"`, `<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">`)
}

// TestWebWizardArchived: a save on an archived deployment comes back to the wizard with the
// message, not to the error page.
func TestWebWizardArchived(t *testing.T) {
	base, tokens := testServer(t)
	w := signIn(t, base, tokens[piaflow.RoleEngineer])
	w.post("/deployments", url.Values{"name": {"Portal"}, "customer": {"Klinikum Nord"}})
	if resp, _ := call(t, "POST", base+"/api/v1/deployments/1/archive", tokens[piaflow.RoleAdmin], ""); resp.StatusCode != http.StatusOK {
		t.Fatalf("archive: %d", resp.StatusCode)
	}
	resp, body := w.post("/deployments/1/wizard", url.Values{"section": {"deployment"}, "etag": {""}, "op": {"save"},
		"deployment.name": {"Portal"}, "deployment.customer": {"Klinikum Nord"}})
	if resp.StatusCode != http.StatusConflict {
		t.Errorf("save on an archived deployment: %d", resp.StatusCode)
	}
	mustContain(t, "archived wizard", body, `id="page-error"`, `id="wizard"`, `value="Klinikum Nord"`)
	noDeadEnd(t, "archived wizard", body)
}

// TestWebRegionPicker: a hosting site's region field offers the cloud region catalogue, each
// region labelled with its provider and country in the reader's language; other sections carry
// no region list.
func TestWebRegionPicker(t *testing.T) {
	base, tokens := testServer(t)
	eng := tokens[piaflow.RoleEngineer]
	call(t, "POST", base+"/api/v1/deployments", eng, `{"name":"Portal","customer":"Klinikum Nord GmbH","customer_country":"DE"}`)
	callWith(t, "PUT", base+"/api/v1/deployments/1/questionnaire", eng, mustExample(t), nil)
	w := signIn(t, base, eng)
	_, body := w.get("/deployments/1/wizard?section=hosting")
	mustContain(t, "hosting section", body, `name="hosting[0].region"`, `list="regions"`, `<datalist id="regions">`,
		`<option value="ap-southeast-1">Alibaba Cloud · Singapore (SG)</option>`, `<option value="eu-central-1">Amazon Web Services · Germany (DE)</option>`)
	w.get("/lang/zh-CN?next=%2F")
	_, zh := w.get("/deployments/1/wizard?section=hosting")
	mustContain(t, "hosting section in Chinese", zh, `<option value="ap-southeast-1">Alibaba Cloud · 新加坡 (SG)</option>`)
	_, hc := w.get("/hosting-check")
	mustContain(t, "hosting check page", hc, `id="hc-region" name="region" type="text" value="" list="regions"`, `<datalist id="regions">`)
	if _, other := w.get("/deployments/1/wizard?section=activities"); strings.Contains(other, `<datalist id="regions">`) {
		t.Error("the activities section carries the region list")
	}
}

// TestWebSettings: a signed-in user sets the address, language and off switch of their
// notification mail on the settings page; a wrong address comes back next to its field (422)
// and changes nothing.
func TestWebSettings(t *testing.T) {
	base, tokens := testServer(t)
	w := signIn(t, base, tokens[piaflow.RoleEngineer])
	_, body := w.get("/settings")
	mustContain(t, "settings page", body, `id="settings-link"`, `id="set-email"`, `id="set-off"`)
	resp, body := w.post("/settings", url.Values{"email": {"not an address"}, "language": {"zh-CN"}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("wrong address: %d", resp.StatusCode)
	}
	mustContain(t, "refused settings", body, `class="q invalid"`, "is not an e-mail address", `value="not an address"`)
	resp, body = w.post("/settings", url.Values{"email": {"eng@example.com"}, "language": {"zh-CN"}, "notifications_off": {"on"}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("settings: %d", resp.StatusCode)
	}
	mustContain(t, "saved settings", body, "Settings saved.", `value="eng@example.com"`, `<option value="zh-CN" selected>`, `name="notifications_off" type="checkbox" checked`)
}

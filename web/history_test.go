package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/i18n"
)

// TestWebHistoryAndCompare walks a rejection and a fix: the fixed assessment's page shows at the
// top what changed since the rejected one (the answers by their questions' labels, old → new),
// the deployment page lists the revisions, assessments and the review on one timeline, newest
// first, and compares any two assessments.
func TestWebHistoryAndCompare(t *testing.T) {
	base, tokens := testServer(t)
	eng := tokens[piaflow.RoleEngineer]
	call(t, "POST", base+"/api/v1/deployments", eng, `{"name":"Portal","customer":"Klinikum Nord GmbH","customer_country":"DE"}`)
	resp, _ := callWith(t, "PUT", base+"/api/v1/deployments/1/questionnaire", eng, mustExample(t), nil)
	tag := resp.Header.Get("ETag")
	call(t, "POST", base+"/api/v1/deployments/1/assessments", eng, "")
	w := signIn(t, base, eng)
	w.post("/assessments/1/review", url.Values{"op": {"submit"}})
	legal := signIn(t, base, tokens[piaflow.RoleLegal])
	if resp, _ := legal.post("/assessments/1/review", url.Values{"op": {"reject"}, "comment": {"No transfer mechanism for China"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("reject: %d", resp.StatusCode)
	}
	// the fix: SCCs for the transfer, and Switzerland added to the patients' countries
	fixed := strings.Replace(mustExample(t), "        mechanism: none", "        mechanism: scc", 1)
	fixed = strings.Replace(fixed, "countries: [DE, AT]", "countries: [DE, AT, CH]", 1)
	if resp, b := callWith(t, "PUT", base+"/api/v1/deployments/1/questionnaire", eng, fixed, map[string]string{"If-Match": tag}); resp.StatusCode != http.StatusCreated {
		t.Fatalf("fix: %d %s", resp.StatusCode, b)
	}
	call(t, "POST", base+"/api/v1/deployments/1/assessments", eng, "")

	_, body := legal.get("/assessments/2")
	mustContain(t, "fixed assessment", body, "What changed since the last reviewed assessment",
		"Compared with the last reviewed assessment (revision 1, Rejected):", `id="diff-against">#1<`,
		`<tr class="answer-changed" data-path="activities[0].transfers[0].mechanism"><td>Activity 1 › Transfer 1 › Transfer mechanism`,
		"<td>None</td><td>Standard contractual clauses (SCC)</td>",
		`data-path="activities[0].data_subjects[0].countries[2]"><td>Activity 1 › Data subject group 1 › Countries where they are, entry 3 <span class="badge">entry added</span>`,
		"Switzerland (CH)", `id="diff-resolved"`, `href="/deployments/1/compare?from=1&amp;to=2"`)
	if i, j := strings.Index(body, `id="diff"`), strings.Index(body, `id="review"`); i < 0 || j < i {
		t.Error("the changes are not at the top of the page")
	}
	if strings.Contains(body, "CN_PIPL") || strings.Contains(body, "(satisfied)") {
		t.Error("raw regime or transfer codes on the page")
	}

	// the deployment page: the latest assessment's review, and the timeline newest first
	_, body = legal.get("/deployments/1")
	mustContain(t, "deployment page", body, `<dd id="review-state">Not submitted</dd>`, `id="timeline"`,
		`<option value="1" selected>#1 · revision 1 · Blocked · Rejected</option>`, "No transfer mechanism for China")
	kinds := regexp.MustCompile(`data-kind="(\w+)"(?: data-assessment="(\d+)")?`).FindAllStringSubmatch(body, -1)
	var got []string
	for _, k := range kinds {
		got = append(got, k[1]+k[2])
	}
	if want := "assessment2 revision review1 assessment1 revision"; strings.Join(got, " ") != want {
		t.Errorf("timeline %q, want %q", strings.Join(got, " "), want)
	}

	// compare any two: the page shows the verdicts and the changed answers
	resp, body = legal.get("/deployments/1/compare?from=1&to=2")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("compare: %d", resp.StatusCode)
	}
	mustContain(t, "compare page", body, "From assessment 1 (revision 1) to assessment 2 (revision 2):", `id="diff-verdict-after"`,
		"Activity 1 › Transfer 1 › Transfer mechanism", "Resolved findings")
	// a choice that is not two of its assessments: the deployment page with the message
	for _, q := range []string{"from=1&to=99", "from=x&to=2", "to=2"} {
		resp, body = legal.get("/deployments/1/compare?" + q)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("compare %s: %d", q, resp.StatusCode)
		}
		mustContain(t, "refused compare "+q, body, `id="compare-error"`, "Choose two assessments of this deployment to compare.")
		noDeadEnd(t, "refused compare "+q, body)
	}
	// another deployment's assessments are not compared on this one's page
	call(t, "POST", base+"/api/v1/deployments", eng, `{"name":"Other","customer":"Other GmbH"}`)
	if resp, _ := legal.get("/deployments/2/compare?from=1&to=2"); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("compare on another deployment's page: %d", resp.StatusCode)
	}

	// in Chinese
	legal.get("/lang/" + i18n.SimplifiedChinese + "?next=%2F")
	_, body = legal.get("/assessments/2")
	mustContain(t, "fixed assessment in Chinese", body, "自上次审查（批准或驳回）的评估以来的变化", "第 1 个活动 › 第 1 个传输 › 传输机制", "标准合同条款（SCC）", "已驳回")
}

// TestWebDeploymentReviewAfterApproval: the deployment page shows the latest assessment's
// approval after a later save of the questionnaire, saying it is of an older revision.
func TestWebDeploymentReviewAfterApproval(t *testing.T) {
	base, tokens := testServer(t)
	eng := tokens[piaflow.RoleEngineer]
	call(t, "POST", base+"/api/v1/deployments", eng, `{"name":"Portal","customer":"Klinikum Nord GmbH","customer_country":"DE"}`)
	ready := strings.Replace(mustExample(t), "        mechanism: none", "        mechanism: scc", 1)
	resp, _ := callWith(t, "PUT", base+"/api/v1/deployments/1/questionnaire", eng, ready, nil)
	tag := resp.Header.Get("ETag")
	call(t, "POST", base+"/api/v1/deployments/1/assessments", eng, "")
	if resp, b := call(t, "POST", base+"/api/v1/assessments/1/submit", eng, ""); resp.StatusCode != http.StatusOK {
		t.Fatalf("submit: %d %s", resp.StatusCode, b)
	}
	if resp, b := call(t, "POST", base+"/api/v1/assessments/1/approve", tokens[piaflow.RoleLegal], `{"comment":"ok"}`); resp.StatusCode != http.StatusOK {
		t.Fatalf("approve: %d %s", resp.StatusCode, b)
	}
	w := signIn(t, base, eng)
	_, body := w.get("/deployments/1")
	mustContain(t, "approved", body, `<dd id="review-state">Approved</dd>`)
	changed := strings.Replace(ready, "Klinikum Nord GmbH", "Klinikum Süd GmbH", 1)
	if resp, b := callWith(t, "PUT", base+"/api/v1/deployments/1/questionnaire", eng, changed, map[string]string{"If-Match": tag}); resp.StatusCode != http.StatusCreated {
		t.Fatalf("change: %d %s", resp.StatusCode, b)
	}
	_, body = w.get("/deployments/1")
	mustContain(t, "approved, then changed", body, `<dd id="review-state">Approved <span class="muted" id="review-stale">(of assessment #1, revision 1; the questionnaire changed since)</span></dd>`)
}

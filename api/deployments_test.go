package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments/store/storetest"
	"github.com/piaflow/piaflow/internal/apitest"
)

func exampleJSON(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../examples/hospital-ehr-germany.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return string(b) // YAML is accepted on the questionnaire endpoint too
}

func callWith(t *testing.T, method, url, token, body string, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	return apitest.Call(t, method, url, token, body, header)
}

// TestDeploymentWalkthrough: create → draft → submit → stale If-Match → evaluate → read back,
// on SQLite and on PostgreSQL.
func TestDeploymentWalkthrough(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			url, tokens := testServerWith(t, d, serverConfig{jobs: true})
			walkthrough(t, url, tokens)
		})
	}
}

func walkthrough(t *testing.T, url string, tokens map[string]string) {
	eng := tokens[piaflow.RoleEngineer]
	resp, b := call(t, "POST", url+"/api/v1/deployments", eng, `{"name":"Portal","customer":"Klinikum Nord GmbH","customer_country":"DE"}`)
	if resp.StatusCode != http.StatusCreated || resp.Header.Get("Location") != "/api/v1/deployments/1" {
		t.Fatalf("create: %d %s", resp.StatusCode, b)
	}
	qurl := url + "/api/v1/deployments/1/questionnaire"
	resp, b = callWith(t, "PUT", qurl+"?draft=true", eng, `{"deployment":{"name":"Portal"}}`, nil)
	draftTag := resp.Header.Get("ETag")
	if resp.StatusCode != http.StatusCreated || draftTag == "" || !strings.Contains(string(b), `"draft":true`) {
		t.Fatalf("draft: %d %s", resp.StatusCode, b)
	}
	resp, b = call(t, "POST", url+"/api/v1/deployments/1/assessments", eng, "")
	if p := problemOf(t, resp, b, http.StatusConflict); !strings.Contains(p.Detail, "draft") {
		t.Errorf("evaluating a draft: %+v", p)
	}
	// a complete save without If-Match is refused: someone else may have changed it
	resp, b = callWith(t, "PUT", qurl, eng, exampleJSON(t), nil)
	problemOf(t, resp, b, http.StatusPreconditionRequired)
	resp, b = callWith(t, "PUT", qurl, eng, exampleJSON(t), map[string]string{"If-Match": `"not-the-etag"`})
	problemOf(t, resp, b, http.StatusPreconditionFailed)
	resp, b = callWith(t, "PUT", qurl, eng, exampleJSON(t), map[string]string{"If-Match": draftTag})
	tag := resp.Header.Get("ETag")
	if resp.StatusCode != http.StatusCreated || tag == draftTag {
		t.Fatalf("submit: %d %s", resp.StatusCode, b)
	}
	// the old ETag is stale now
	resp, b = callWith(t, "PUT", qurl, eng, exampleJSON(t), map[string]string{"If-Match": draftTag})
	problemOf(t, resp, b, http.StatusPreconditionFailed)
	resp, b = call(t, "GET", qurl, tokens[piaflow.RoleLegal], "")
	if resp.StatusCode != 200 || resp.Header.Get("ETag") != tag || resp.Header.Get("X-Revision") != "2" || !strings.Contains(string(b), "Klinikum Nord") {
		t.Errorf("read questionnaire: %d %s %s", resp.StatusCode, resp.Header.Get("ETag"), b[:min(len(b), 80)])
	}
	resp, b = call(t, "POST", url+"/api/v1/deployments/1/assessments", eng, "")
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("evaluate: %d %s", resp.StatusCode, b)
	}
	var got storedAssessment
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if got.Assessment.Verdict != "blocked" || got.Revision != 2 || got.Assessment.PolicyDigest == "" {
		t.Errorf("assessment: %+v", got)
	}
	// The answer splices the stored JSON in (sendStored): the bytes c.JSON writes for it.
	var enc bytes.Buffer
	if err := json.NewEncoder(&enc).Encode(got); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(enc.Bytes(), b) || resp.Header.Get("Content-Type") != "application/json" || resp.ContentLength != int64(len(b)) {
		t.Errorf("evaluate answer (%s, length %d) is not the encoding of its assessment:\n%.300s\nwant\n%.300s", resp.Header.Get("Content-Type"), resp.ContentLength, b, enc.Bytes())
	}
	resp, b = call(t, "GET", url+"/api/v1/assessments/1", tokens[piaflow.RoleLegal], "")
	if resp.StatusCode != 200 || !strings.Contains(string(b), "GDPR-TRANSFER-NO-MECHANISM") {
		t.Errorf("read assessment: %d", resp.StatusCode)
	}
	resp, b = call(t, "GET", url+"/api/v1/deployments?verdict=blocked&country=DE", tokens[piaflow.RoleSales], "")
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"total":1`) {
		t.Errorf("list blocked: %d %s", resp.StatusCode, b)
	}
	// actions: one per finding
	resp, b = call(t, "GET", url+"/api/v1/deployments/1/actions", tokens[piaflow.RoleLegal], "")
	var acts struct{ Items []piaflow.Action }
	if err := json.Unmarshal(b, &acts); err != nil || len(acts.Items) != len(got.Assessment.Findings) {
		t.Fatalf("actions: %d for %d findings (%v)", len(acts.Items), len(got.Assessment.Findings), err)
	}
	var transfer piaflow.Action
	for _, a := range acts.Items {
		if a.FindingID == "GDPR-TRANSFER-NO-MECHANISM" {
			transfer = a
		}
	}
	if transfer.Status != piaflow.ActionOpen || transfer.Owner != "legal" || transfer.Due != "2027-01-30" {
		t.Errorf("transfer action %+v", transfer)
	}
	aurl := fmt.Sprintf("%s/api/v1/actions/%d", url, transfer.ID)
	resp, b = call(t, "PATCH", aurl, eng, `{"status":"risk_accepted","justification":"SCCs are being signed"}`)
	problemOf(t, resp, b, http.StatusForbidden) // only legal accepts risks
	resp, b = call(t, "PATCH", aurl, tokens[piaflow.RoleLegal], `{"status":"risk_accepted"}`)
	problemOf(t, resp, b, http.StatusUnprocessableEntity) // without a justification
	resp, b = call(t, "PATCH", aurl, eng, `{"status":"in_progress","assignee":"engineer-user"}`)
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"status":"in_progress"`) {
		t.Errorf("start the action: %d %s", resp.StatusCode, b)
	}
	resp, b = call(t, "PATCH", aurl, eng, `{"status":"finished"}`)
	problemOf(t, resp, b, http.StatusUnprocessableEntity)
	resp, _ = call(t, "POST", aurl+"/comments", eng, `{"body":"SCC module 3 sent to the vendor"}`)
	if resp.StatusCode != http.StatusCreated {
		t.Errorf("comment: %d", resp.StatusCode)
	}

	// legal review: submit, reject without a comment (422), approve; approved is locked
	resp, _ = call(t, "POST", url+"/api/v1/assessments/1/submit", eng, "")
	if resp.StatusCode != 200 {
		t.Fatalf("submit: %d", resp.StatusCode)
	}
	resp, b = call(t, "GET", url+"/api/v1/reviews", tokens[piaflow.RoleLegal], "")
	if !strings.Contains(string(b), `"review_state":"submitted"`) {
		t.Errorf("review queue: %s", b)
	}
	resp, b = call(t, "POST", url+"/api/v1/assessments/1/reject", tokens[piaflow.RoleLegal], `{"comment":""}`)
	problemOf(t, resp, b, http.StatusUnprocessableEntity)
	// an open blocker: legal must accept its risk with a justification before approving
	resp, b = call(t, "POST", url+"/api/v1/assessments/1/approve", tokens[piaflow.RoleLegal], `{"comment":"accepted with the SCC plan"}`)
	if p := problemOf(t, resp, b, http.StatusConflict); !slices.Equal(p.OpenBlockers, []string{transfer.FindingKey}) || !strings.Contains(p.Detail, transfer.FindingKey) {
		t.Errorf("approving with an open blocker: %+v", p)
	}
	resp, b = call(t, "PATCH", aurl, tokens[piaflow.RoleLegal], `{"status":"risk_accepted","justification":"SCCs with the support team are being signed"}`)
	if resp.StatusCode != 200 {
		t.Fatalf("legal accepts the blocker's risk: %d %s", resp.StatusCode, b)
	}
	resp, b = call(t, "POST", url+"/api/v1/assessments/1/approve", tokens[piaflow.RoleLegal], `{"comment":"accepted with the SCC plan"}`)
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"review_state":"approved"`) || !strings.Contains(string(b), `"reviewer":"legal-user"`) ||
		!strings.Contains(string(b), `"accepted_risks":1`) || !strings.Contains(string(b), `"justification":"SCCs with the support team are being signed"`) {
		t.Fatalf("approve: %d %s", resp.StatusCode, b)
	}
	resp, b = call(t, "GET", url+"/api/v1/assessments/1", tokens[piaflow.RoleEngineer], "")
	if !strings.Contains(string(b), `"accepted_risks":1`) || !strings.Contains(string(b), `"verdict":"blocked"`) {
		t.Errorf("the approved assessment: %d %s", resp.StatusCode, b[:min(len(b), 400)])
	}
	resp, b = call(t, "GET", url+"/api/v1/deployments?accepted_risks=true", tokens[piaflow.RoleSales], "")
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"total":1`) || !strings.Contains(string(b), `"accepted_risks":1`) || !strings.Contains(string(b), `"review_state":"approved"`) {
		t.Errorf("list approved with accepted risks: %d %s", resp.StatusCode, b)
	}
	resp, b = call(t, "GET", url+"/api/v1/deployments?accepted_risks=false", tokens[piaflow.RoleSales], "")
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"total":0`) {
		t.Errorf("list without accepted risks: %d %s", resp.StatusCode, b)
	}
	resp, b = call(t, "GET", url+"/api/v1/deployments?accepted_risks=some", tokens[piaflow.RoleSales], "")
	if p := problemOf(t, resp, b, http.StatusUnprocessableEntity); len(p.Errors) != 1 || p.Errors[0].Path != "accepted_risks" {
		t.Errorf("a bad accepted_risks filter: %+v", p)
	}
	resp, b = call(t, "POST", url+"/api/v1/assessments/1/reject", tokens[piaflow.RoleLegal], `{"comment":"changed my mind"}`)
	problemOf(t, resp, b, http.StatusConflict)

	// the fix: SCCs for the support team in China
	fixed := strings.Replace(exampleJSON(t), "        mechanism: none", "        mechanism: scc", 1)
	resp, b = callWith(t, "PUT", qurl, eng, fixed, map[string]string{"If-Match": tag})
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("fix: %d %s", resp.StatusCode, b)
	}
	tag = resp.Header.Get("ETag")
	resp, _ = call(t, "POST", url+"/api/v1/deployments/1/assessments", eng, "")
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("evaluate the fix: %d", resp.StatusCode)
	}
	resp, b = call(t, "GET", url+"/api/v1/assessments/2/diff?against=1", tokens[piaflow.RoleLegal], "")
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"verdict_before":"blocked"`) || !strings.Contains(string(b), `"resolved":[{"id":"GDPR-TRANSFER-NO-MECHANISM"`) {
		t.Errorf("diff: %d %s", resp.StatusCode, b[:min(len(b), 300)])
	}
	// the answers that changed: the one mechanism
	if !strings.Contains(string(b), `"answers":[{"path":"activities[0].transfers[0].mechanism","kind":"changed","old":"none","new":"scc"}],"answers_more":0`) {
		t.Errorf("diff answers: %s", b)
	}
	resp, b = call(t, "GET", url+"/api/v1/assessments/2/diff", tokens[piaflow.RoleLegal], "")
	problemOf(t, resp, b, http.StatusUnprocessableEntity)

	// policy drift: nothing changed, then a revision nobody evaluated yet
	b = reevaluated(t, url, tokens[piaflow.RoleAdmin])
	if !strings.Contains(string(b), `"checked":1`) || !strings.Contains(string(b), `"unchanged":1`) || !strings.Contains(string(b), `"changed":[]`) {
		t.Errorf("reevaluate unchanged: %s", b)
	}
	resp, _ = callWith(t, "PUT", qurl, eng, exampleJSON(t), map[string]string{"If-Match": tag})
	tag = resp.Header.Get("ETag")
	b = reevaluated(t, url, tokens[piaflow.RoleLegal])
	if !strings.Contains(string(b), `"verdict_before":"conditional","verdict_after":"blocked"`) || !strings.Contains(string(b), `"changed":1,`) {
		t.Errorf("reevaluate after a new revision: %s", b)
	}
	resp, b = call(t, "GET", url+"/api/v1/reevaluations?limit=1", tokens[piaflow.RoleEngineer], "")
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"total":2`) || strings.Count(string(b), `"status":"done"`) != 1 {
		t.Errorf("list of runs: %d %s", resp.StatusCode, b)
	}
	// the fix resolved the transfer finding; its risk was accepted, which stays on record
	resp, b = call(t, "GET", aurl+"/comments", tokens[piaflow.RoleLegal], "")
	if !strings.Contains(string(b), "SCC module 3 sent") || strings.Contains(string(b), "closed: the finding is resolved") {
		t.Errorf("comments: %s", b)
	}
	resp, b = call(t, "GET", url+"/api/v1/deployments/1/actions", tokens[piaflow.RoleLegal], "")
	if !strings.Contains(string(b), fmt.Sprintf(`{"id":%d,`, transfer.ID)) || !strings.Contains(string(b), `"status":"risk_accepted"`) {
		t.Errorf("the accepted risk after the fix: %s", b)
	}

	// the approval was for an older revision: the deployment needs a new review
	resp, b = call(t, "GET", url+"/api/v1/deployments?review=none", tokens[piaflow.RoleSales], "")
	if !strings.Contains(string(b), `"total":1`) {
		t.Errorf("deployments needing review: %s", b)
	}

	resp, b = call(t, "GET", url+"/api/v1/deployments/1/audit", tokens[piaflow.RoleLegal], "")
	for _, want := range []string{`"action":"create"`, `"action":"save_draft"`, `"action":"revise"`, `"action":"evaluate"`, `"actor":"engineer-user"`} {
		if resp.StatusCode != 200 || !strings.Contains(string(b), want) {
			t.Errorf("audit trail lacks %s: %d %s", want, resp.StatusCode, b)
		}
	}
	resp, b = call(t, "GET", url+"/metrics", "", "")
	for _, want := range []string{`piaflow_evaluations_total{verdict="blocked"} 2`, `route="/api/v1/deployments/:id/questionnaire"`} {
		if resp.StatusCode != 200 || !strings.Contains(string(b), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	resp, _ = call(t, "POST", url+"/api/v1/deployments/1/archive", eng, "")
	if resp.StatusCode != 200 {
		t.Errorf("archive: %d", resp.StatusCode)
	}
	resp, b = callWith(t, "PUT", qurl, eng, exampleJSON(t), map[string]string{"If-Match": tag})
	problemOf(t, resp, b, http.StatusConflict)
}

func TestDeploymentBadInput(t *testing.T) {
	eachDatabase(t, func(t *testing.T, url string, tokens map[string]string) {
		eng := tokens[piaflow.RoleEngineer]
		call(t, "POST", url+"/api/v1/deployments", eng, `{"name":"P","customer":"C"}`)
		tests := []struct {
			name, method, path, body string
			status                   int
			want                     string
		}{
			{"ErrCreateMissing", "POST", "/api/v1/deployments", `{"name":" "}`, 422, "name: is required"},
			{"ErrCreateCountry", "POST", "/api/v1/deployments", `{"name":"a","customer":"b","customer_country":"EU"}`, 422, `customer_country: "EU" is not an ISO`},
			{"ErrCreateUnknownField", "POST", "/api/v1/deployments", `{"name":"a","customer":"b","owner":"x"}`, 400, `unknown field "owner"`},
			{"ErrListLimit", "GET", "/api/v1/deployments?limit=1000", "", 422, "limit"},
			{"ErrNoDeployment", "GET", "/api/v1/deployments/99", "", 404, "deployment 99"},
			{"ErrBadID", "GET", "/api/v1/deployments/abc", "", 404, `no object with id "abc"`},
			{"ErrInvalidQuestionnaire", "PUT", "/api/v1/deployments/1/questionnaire", `{"schema_version":1,"deployment":{"customer_country":"XX"}}`, 422, `deployment.customer_country: "XX" is not an ISO 3166-1 alpha-2 code`},
			{"ErrDraftNotObject", "PUT", "/api/v1/deployments/1/questionnaire?draft=true", `[1,2]`, 400, "a draft must be a JSON object"},
			{"ErrEvaluateNothing", "POST", "/api/v1/deployments/1/assessments", "", 404, "revision"},
			{"ErrNoAssessment", "GET", "/api/v1/assessments/5", "", 404, "assessment 5"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				resp, b := call(t, tt.method, url+tt.path, eng, tt.body)
				got := problemText(problemOf(t, resp, b, tt.status))
				if !strings.Contains(got, tt.want) {
					t.Errorf("problem %q lacks %q", got, tt.want)
				}
			})
		}
	})
}

// TestRoles: every route × role, allowed or 403.
func TestRoles(t *testing.T) {
	eachDatabase(t, func(t *testing.T, url string, tokens map[string]string) {
		call(t, "POST", url+"/api/v1/deployments", tokens[piaflow.RoleAdmin], `{"name":"P","customer":"C"}`)
		routes := []struct {
			method, path, body string
			allowed            []string
		}{
			{"GET", "/api/v1/me", "", piaflow.Roles()},
			{"PATCH", "/api/v1/me", `{"language":"en"}`, piaflow.Roles()},
			{"POST", "/api/v1/hosting-check", `{"data":["contact"],"subjects":["DE"],"host":"DE"}`, piaflow.Roles()},
			{"POST", "/api/v1/deployments", `{"name":"Q","customer":"C"}`, []string{piaflow.RoleEngineer, piaflow.RoleAdmin}},
			{"GET", "/api/v1/deployments", "", piaflow.Roles()},
			{"GET", "/api/v1/deployments/1", "", piaflow.Roles()},
			{"PUT", "/api/v1/deployments/1/questionnaire?draft=true", `{}`, []string{piaflow.RoleEngineer, piaflow.RoleAdmin}},
			{"GET", "/api/v1/deployments/1/questionnaire", "", []string{piaflow.RoleEngineer, piaflow.RoleLegal, piaflow.RoleAdmin}},
			{"POST", "/api/v1/deployments/1/assessments", "", []string{piaflow.RoleEngineer, piaflow.RoleAdmin}},
			{"GET", "/api/v1/assessments/1", "", []string{piaflow.RoleEngineer, piaflow.RoleLegal, piaflow.RoleAdmin}},
			{"GET", "/api/v1/deployments/1/audit", "", []string{piaflow.RoleLegal, piaflow.RoleAdmin}},
			{"GET", "/api/v1/assessments/1/diff?against=1", "", []string{piaflow.RoleEngineer, piaflow.RoleLegal, piaflow.RoleAdmin}},
			{"POST", "/api/v1/reevaluate", "", []string{piaflow.RoleLegal, piaflow.RoleAdmin}},
			{"GET", "/api/v1/reevaluations", "", []string{piaflow.RoleEngineer, piaflow.RoleLegal, piaflow.RoleAdmin}},
			{"GET", "/api/v1/reevaluations/999", "", []string{piaflow.RoleEngineer, piaflow.RoleLegal, piaflow.RoleAdmin}},
			{"POST", "/api/v1/propagations", `{"kind":"policies"}`, []string{piaflow.RoleEngineer, piaflow.RoleLegal, piaflow.RoleAdmin}},
			{"GET", "/api/v1/propagations", "", []string{piaflow.RoleEngineer, piaflow.RoleLegal, piaflow.RoleAdmin}},
			{"GET", "/api/v1/propagations/999", "", []string{piaflow.RoleEngineer, piaflow.RoleLegal, piaflow.RoleAdmin}},
			{"GET", "/api/v1/reviews", "", []string{piaflow.RoleLegal, piaflow.RoleAdmin}},
			{"GET", "/api/v1/audit", "", []string{piaflow.RoleLegal, piaflow.RoleAdmin}},
			{"POST", "/api/v1/assessments/1/submit", "", []string{piaflow.RoleEngineer, piaflow.RoleAdmin}},
			{"POST", "/api/v1/assessments/1/reject", `{"comment":"no"}`, []string{piaflow.RoleLegal}},
			{"POST", "/api/v1/assessments/1/approve", `{"comment":"ok"}`, []string{piaflow.RoleLegal}},
			{"GET", "/api/v1/deployments/1/actions", "", []string{piaflow.RoleEngineer, piaflow.RoleLegal, piaflow.RoleAdmin}},
			{"PATCH", "/api/v1/actions/1", `{"assignee":""}`, []string{piaflow.RoleEngineer, piaflow.RoleLegal, piaflow.RoleAdmin}},
			{"POST", "/api/v1/actions/1/comments", `{"body":"x"}`, []string{piaflow.RoleEngineer, piaflow.RoleLegal, piaflow.RoleAdmin}},
			{"GET", "/api/v1/actions/1/comments", "", []string{piaflow.RoleEngineer, piaflow.RoleLegal, piaflow.RoleAdmin}},
			{"POST", "/api/v1/users", `{"name":"new","role":"sales"}`, []string{piaflow.RoleAdmin}},
			{"GET", "/api/v1/users/sales-user", "", []string{piaflow.RoleAdmin}},
			{"POST", "/api/v1/users/sales-user/tokens", `{}`, []string{piaflow.RoleAdmin}},
			{"DELETE", "/api/v1/tokens/999", "", []string{piaflow.RoleAdmin}},
			{"GET", "/api/v1/assessments/1/report.pdf", "", []string{piaflow.RoleEngineer, piaflow.RoleLegal, piaflow.RoleAdmin}},
			{"GET", "/api/v1/assessments/1/actions.xlsx", "", []string{piaflow.RoleEngineer, piaflow.RoleLegal, piaflow.RoleAdmin}},
			{"POST", "/api/v1/deployments/1/actions/import", "x", []string{piaflow.RoleEngineer, piaflow.RoleLegal, piaflow.RoleAdmin}},
			{"POST", "/api/v1/deployments/1/archive", "", []string{piaflow.RoleEngineer, piaflow.RoleAdmin}},
			{"POST", "/api/v1/products", "x", []string{piaflow.RoleEngineer, piaflow.RoleAdmin}},
			{"GET", "/api/v1/products", "", piaflow.Roles()},
			{"GET", "/api/v1/products/sales-user/versions/1", "", piaflow.Roles()},
			{"GET", "/api/v1/products/sales-user/versions/1/template?country=DE", "", []string{piaflow.RoleEngineer, piaflow.RoleAdmin}},
			{"POST", "/api/v1/processors", "x", []string{piaflow.RoleEngineer, piaflow.RoleAdmin}},
			{"GET", "/api/v1/processors", "", piaflow.Roles()},
			{"GET", "/api/v1/processors/sales-user", "", piaflow.Roles()},
			{"POST", "/api/v1/specs", "x", []string{piaflow.RoleEngineer, piaflow.RoleAdmin}},
			{"PUT", "/api/v1/deployments/1/spec", "x", []string{piaflow.RoleEngineer, piaflow.RoleAdmin}},
			{"GET", "/api/v1/deployments/1/source", "", []string{piaflow.RoleEngineer, piaflow.RoleLegal, piaflow.RoleAdmin}},
			{"POST", "/api/v1/impact", `{"kind":"processor","processor":"nobody"}`, []string{piaflow.RoleEngineer, piaflow.RoleLegal, piaflow.RoleAdmin}},
			{"POST", "/api/v1/webhooks", `{"url":"http://127.0.0.1:9/hook","events":["action.changed"],"allow_private":true}`, []string{piaflow.RoleAdmin}},
			{"GET", "/api/v1/webhooks", "", []string{piaflow.RoleAdmin}},
			{"GET", "/api/v1/webhooks/999", "", []string{piaflow.RoleAdmin}},
			{"DELETE", "/api/v1/webhooks/999", "", []string{piaflow.RoleAdmin}},
			{"GET", "/api/v1/webhooks/999/deliveries", "", []string{piaflow.RoleAdmin}},
			{"POST", "/api/v1/webhooks/999/deliveries/1/redeliver", "", []string{piaflow.RoleAdmin}},
		}
		// the table covers every route of the API
		covered := map[string]bool{}
		for _, r := range routes {
			covered[r.method+" "+strings.SplitN(r.path, "?", 2)[0]] = true
		}
		for _, r := range New(nil, nil).e.Router().Routes() {
			if !strings.HasPrefix(r.Path, "/api/v1/") || r.Path == "/api/v1/openapi.json" || r.Method == "echo_route_not_found" {
				continue
			}
			concrete := r.Path
			for _, p := range r.Parameters {
				concrete = strings.Replace(concrete, ":"+p, map[string]string{"id": "1", "name": "sales-user", "delivery": "1", "version": "1"}[p], 1)
			}
			if !covered[r.Method+" "+concrete] && !covered[r.Method+" "+strings.Replace(concrete, "/1", "/999", 1)] {
				t.Errorf("the role matrix does not cover %s %s", r.Method, r.Path)
			}
		}
		for _, r := range routes {
			for _, role := range piaflow.Roles() {
				resp, b := call(t, r.method, url+r.path, tokens[role], r.body)
				allowed := false
				for _, a := range r.allowed {
					allowed = allowed || a == role
				}
				if allowed && resp.StatusCode == http.StatusForbidden {
					t.Errorf("%s %s as %s: 403, want allowed: %s", r.method, r.path, role, b)
				}
				if !allowed && resp.StatusCode != http.StatusForbidden {
					t.Errorf("%s %s as %s: %d, want 403", r.method, r.path, role, resp.StatusCode)
				}
			}
		}
	})
}

// TestWriteEndpointsRefuseBadInput: every write endpoint answers bad input with a problem naming
// what is wrong, and stores nothing.
func TestWriteEndpointsRefuseBadInput(t *testing.T) {
	eachDatabase(t, func(t *testing.T, url string, tokens map[string]string) {
		eng, legal, admin := tokens[piaflow.RoleEngineer], tokens[piaflow.RoleLegal], tokens[piaflow.RoleAdmin]
		call(t, "POST", url+"/api/v1/deployments", eng, `{"name":"P","customer":"C"}`)
		call(t, "PUT", url+"/api/v1/deployments/1/questionnaire", eng, mustExample(t))
		call(t, "POST", url+"/api/v1/deployments/1/assessments", eng, "")
		tests := []struct {
			name, token, method, path, body string
			status                          int
			want                            string
		}{
			{"ActionUnknownField", eng, "PATCH", "/api/v1/actions/1", `{"state":"done"}`, 400, `unknown field "state"`},
			{"ActionBadStatus", eng, "PATCH", "/api/v1/actions/1", `{"status":"finished"}`, 422, `status: "finished" is not one of`},
			{"ActionMissing", eng, "PATCH", "/api/v1/actions/999", `{"status":"done"}`, 404, "action 999"},
			{"CommentEmpty", eng, "POST", "/api/v1/actions/1/comments", `{"body":"  "}`, 422, "body: is required"},
			{"CommentNoAction", eng, "POST", "/api/v1/actions/999/comments", `{"body":"x"}`, 404, "action 999"},
			{"SubmitUnknown", eng, "POST", "/api/v1/assessments/999/submit", "", 404, "assessment 999"},
			{"ApproveUnknownField", legal, "POST", "/api/v1/assessments/1/approve", `{"comment":"ok","stamp":true}`, 400, `unknown field "stamp"`},
			{"ApproveUnsubmitted", legal, "POST", "/api/v1/assessments/1/approve", `{"comment":"ok"}`, 409, "not submitted for review"},
			{"UserUnknownField", admin, "POST", "/api/v1/users", `{"name":"x","role":"sales","email":"x@y"}`, 400, `unknown field "email"`},
			{"TokenBadJSON", admin, "POST", "/api/v1/users/sales-user/tokens", `{`, 400, "not valid JSON"},
			{"RevokeUnknown", admin, "DELETE", "/api/v1/tokens/999", "", 404, "revoke token 999"},
			{"ArchiveUnknown", eng, "POST", "/api/v1/deployments/999/archive", "", 404, "archive deployment 999"},
			{"HostingNotJSON", eng, "POST", "/api/v1/hosting-check", `data=contact`, 400, "not valid JSON"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				resp, b := call(t, tt.method, url+tt.path, tt.token, tt.body)
				got := problemText(problemOf(t, resp, b, tt.status))
				if !strings.Contains(got, tt.want) {
					t.Errorf("problem %q lacks %q", got, tt.want)
				}
			})
		}
		// nothing was half-written: one revision, one assessment, the audit trail unchanged by refusals
		resp, b := call(t, "GET", url+"/api/v1/deployments/1", eng, "")
		if resp.StatusCode != 200 || !strings.Contains(string(b), `"latest_revision":1`) || !strings.Contains(string(b), `"review_state":"none"`) {
			t.Errorf("deployment after refused writes: %s", b)
		}
	})
}

// TestHardening covers findings of the API review: HTTP semantics and inputs that
// used to give 500s or wrong answers.
func TestHardening(t *testing.T) {
	eachDatabase(t, func(t *testing.T, url string, tokens map[string]string) {
		eng, legal, admin := tokens[piaflow.RoleEngineer], tokens[piaflow.RoleLegal], tokens[piaflow.RoleAdmin]
		call(t, "POST", url+"/api/v1/deployments", eng, `{"name":"P","customer":"C"}`)
		resp, b := call(t, "DELETE", url+"/api/v1/deployments", eng, "")
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") == "" {
			t.Errorf("wrong method: %d (Allow %q) %s", resp.StatusCode, resp.Header.Get("Allow"), b)
		}
		resp, b = call(t, "GET", url+"/api/v1/deployments/9223372036854775808", eng, "")
		problemOf(t, resp, b, http.StatusNotFound)
		for _, body := range []string{`{"name":"a\u0000b","customer":"C"}`, `{"name":"` + strings.Repeat("é", 201) + `","customer":"C"}`} {
			resp, b = call(t, "POST", url+"/api/v1/deployments", eng, body)
			problemOf(t, resp, b, http.StatusUnprocessableEntity)
		}
		resp, b = call(t, "POST", url+"/api/v1/users", admin, `{"name":5,"role":"sales"}`)
		if p := problemOf(t, resp, b, http.StatusUnprocessableEntity); len(p.Errors) != 1 || p.Errors[0].Path != "name" || strings.Contains(string(b), "Go struct") {
			t.Errorf("a type error: %s", b)
		}
		resp, b = call(t, "POST", url+"/api/v1/users/sales-user/tokens", admin, `{}`)
		if resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("token response cacheable: %q", resp.Header.Get("Cache-Control"))
		}
		// revisions 1 (blocked) and 2 (fixed); evaluating revision 1 again does not speak for the deployment
		qurl := url + "/api/v1/deployments/1/questionnaire"
		resp, _ = callWith(t, "PUT", qurl, eng, exampleJSON(t), nil)
		tag := resp.Header.Get("ETag")
		fixed := strings.Replace(exampleJSON(t), "        mechanism: none", "        mechanism: scc", 1)
		resp, b = callWith(t, "PUT", qurl, eng, fixed, map[string]string{"If-Match": "*"})
		if resp.StatusCode != http.StatusCreated || resp.Header.Get("ETag") == tag {
			t.Fatalf("If-Match *: %d %s", resp.StatusCode, b)
		}
		call(t, "POST", url+"/api/v1/deployments/1/assessments", eng, "")
		call(t, "POST", url+"/api/v1/deployments/1/assessments?revision=1", eng, "")
		_, b = call(t, "GET", url+"/api/v1/deployments/1", eng, "")
		if !strings.Contains(string(b), `"verdict":"conditional"`) {
			t.Errorf("an old revision's assessment rewrote the deployment: %s", b)
		}
		// an engineer may not touch an accepted risk
		_, b = call(t, "GET", url+"/api/v1/deployments/1/actions", eng, "")
		var acts struct{ Items []piaflow.Action }
		json.Unmarshal(b, &acts)
		aurl := fmt.Sprintf("%s/api/v1/actions/%d", url, acts.Items[0].ID)
		resp, b = call(t, "PATCH", aurl, legal, `{"status":"risk_accepted","justification":"accepted by the DPO"}`)
		if resp.StatusCode != 200 {
			t.Fatalf("accept: %d %s", resp.StatusCode, b)
		}
		for _, body := range []string{`{"justification":"nothing to see"}`, `{"status":"done"}`} {
			resp, b = call(t, "PATCH", aurl, eng, body)
			problemOf(t, resp, b, http.StatusForbidden)
		}
		// archived: no more evaluation or review
		call(t, "POST", url+"/api/v1/deployments/1/archive", eng, "")
		resp, b = call(t, "POST", url+"/api/v1/deployments/1/assessments", eng, "")
		problemOf(t, resp, b, http.StatusConflict)
		resp, b = call(t, "POST", url+"/api/v1/deployments/1/archive", eng, "")
		problemOf(t, resp, b, http.StatusConflict)
	})
}

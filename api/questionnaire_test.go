package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
)

// TestQuestionnaireUnchanged: a PUT with the same answers (as YAML or JSON, formatted
// differently) keeps no new revision and answers 200 with the latest; a change makes one (201).
// A draft identical to a complete revision does not replace it.
func TestQuestionnaireUnchanged(t *testing.T) {
	url, tokens := testServer(t)
	eng := tokens[piaflow.RoleEngineer]
	call(t, "POST", url+"/api/v1/deployments", eng, `{"name":"Portal","customer":"Klinikum Nord GmbH","customer_country":"DE"}`)
	qurl := url + "/api/v1/deployments/1/questionnaire"
	resp, b := callWith(t, "PUT", qurl, eng, mustExample(t), nil)
	tag := resp.Header.Get("ETag")
	if resp.StatusCode != http.StatusCreated || !strings.Contains(string(b), `"number":1`) {
		t.Fatalf("first save: %d %s", resp.StatusCode, b)
	}
	_, stored := call(t, "GET", qurl, eng, "")
	var indented bytes.Buffer
	if err := json.Indent(&indented, stored, "", "    "); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, path, body string
		header           map[string]string
	}{
		{"SameYAML", qurl, mustExample(t), map[string]string{"If-Match": tag}},
		{"SameAsJSON", qurl, indented.String(), map[string]string{"If-Match": tag, "Content-Type": "application/json"}},
		{"SameAnyETag", qurl, mustExample(t), map[string]string{"If-Match": "*"}},
		{"SameAsDraft", qurl + "?draft=true", string(stored), map[string]string{"If-Match": tag, "Content-Type": "application/json"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, b := callWith(t, "PUT", tc.path, eng, tc.body, tc.header)
			if resp.StatusCode != http.StatusOK || resp.Header.Get("ETag") != tag || !strings.Contains(string(b), `"number":1`) || !strings.Contains(string(b), `"draft":false`) {
				t.Errorf("unchanged save: %d %s %s", resp.StatusCode, resp.Header.Get("ETag"), b)
			}
		})
	}
	changed := strings.Replace(mustExample(t), "Klinikum Nord GmbH", "Klinikum Süd GmbH", 1)
	if changed == mustExample(t) {
		t.Fatal("the example has no customer to change")
	}
	resp, b = callWith(t, "PUT", qurl, eng, changed, map[string]string{"If-Match": tag})
	if resp.StatusCode != http.StatusCreated || !strings.Contains(string(b), `"number":2`) {
		t.Errorf("changed save: %d %s", resp.StatusCode, b)
	}
	// the same answers with a stale ETag are still refused: the caller has not seen revision 2
	resp, b = callWith(t, "PUT", qurl, eng, mustExample(t), map[string]string{"If-Match": tag})
	problemOf(t, resp, b, http.StatusPreconditionFailed)
}

// TestQuestionnaireYAML: GET .../questionnaire answers YAML for Accept: application/yaml or
// ?format=yaml (as a download), JSON otherwise; the YAML parses to the stored questionnaire.
func TestQuestionnaireYAML(t *testing.T) {
	url, tokens := testServer(t)
	eng := tokens[piaflow.RoleEngineer]
	call(t, "POST", url+"/api/v1/deployments", eng, `{"name":"Portal","customer":"Klinikum Nord GmbH","customer_country":"DE"}`)
	qurl := url + "/api/v1/deployments/1/questionnaire"
	callWith(t, "PUT", qurl, eng, mustExample(t), nil)
	_, stored := call(t, "GET", qurl, eng, "")
	for _, tc := range []struct {
		name, query, accept, wantType, wantDisposition string
	}{
		{"AcceptYAML", "", "application/yaml", "application/yaml; charset=utf-8", ""},
		{"AcceptTextYAMLPreferred", "", "application/json;q=0.5, text/yaml", "application/yaml; charset=utf-8", ""},
		{"AcceptJSONPreferred", "", "application/yaml;q=0.5, application/json", "application/json", ""},
		{"Browser", "", "text/html,application/xhtml+xml,*/*;q=0.8", "application/json", ""},
		{"NoAccept", "", "", "application/json", ""},
		{"DownloadYAML", "?format=yaml", "", "application/yaml; charset=utf-8", `attachment; filename="deployment-1-revision-1.yaml"`},
		{"DownloadJSON", "?format=json", "application/yaml", "application/json", `attachment; filename="deployment-1-revision-1.json"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			header := map[string]string{}
			if tc.accept != "" {
				header["Accept"] = tc.accept
			}
			resp, b := callWith(t, "GET", qurl+tc.query, eng, "", header)
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != tc.wantType ||
				resp.Header.Get("Content-Disposition") != tc.wantDisposition || resp.Header.Get("X-Revision") != "1" {
				t.Fatalf("%d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"))
			}
			if !strings.HasPrefix(tc.wantType, "application/yaml") {
				if string(b) != string(stored) {
					t.Error("the JSON is not the stored document")
				}
				return
			}
			if !strings.HasPrefix(string(b), "schema_version: 1\n") {
				t.Errorf("not block YAML: %.120s", b)
			}
			q, err := assessments.Parse(b)
			if err != nil {
				t.Fatalf("the YAML does not parse: %v", err)
			}
			if q.Deployment.Customer != "Klinikum Nord GmbH" {
				t.Errorf("customer %q", q.Deployment.Customer)
			}
			// the downloaded YAML saved back is no change
			resp, b = callWith(t, "PUT", qurl, eng, string(b), map[string]string{"If-Match": "*"})
			if resp.StatusCode != http.StatusOK {
				t.Errorf("saving the YAML back: %d %s", resp.StatusCode, b)
			}
		})
	}
	resp, b := call(t, "GET", qurl+"?format=xml", eng, "")
	problemOf(t, resp, b, http.StatusUnprocessableEntity)
}

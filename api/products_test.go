package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/piaflow/piaflow"
)

// mustRead reads an example file for a test.
func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// yamlBody sends a YAML document.
var yamlBody = map[string]string{"Content-Type": "application/yaml"}

// TestProductsSpecsAndImpact: push the register, ERP Suite 3.0, a deployment from its spec,
// then 3.1; read each back; list the impact of 3.1 a page at a time.
func TestProductsSpecsAndImpact(t *testing.T) {
	url, tokens := testServer(t)
	eng, sales, legal := tokens[piaflow.RoleEngineer], tokens[piaflow.RoleSales], tokens[piaflow.RoleLegal]
	processors := mustRead(t, "../examples/products/processors.yaml")
	product := mustRead(t, "../examples/products/erp-suite.yaml")
	spec := mustRead(t, "../examples/products/deployments/de-manufacturer-rhein.yaml")
	spec2 := mustRead(t, "../examples/products/deployments/id-bank-nusantara.yaml")

	type step struct {
		name, method, path, token, body string
		header                          map[string]string
		status                          int
		want                            []string
	}
	steps := []step{
		{"SalesMayNotPushProcessors", "POST", "/api/v1/processors", sales, processors, yamlBody, http.StatusForbidden, nil},
		{"ProductBeforeRegisterIsInvalid", "POST", "/api/v1/products", eng, product, yamlBody, http.StatusUnprocessableEntity, []string{`"path":"processors[0]"`}},
		{"PushProcessors", "POST", "/api/v1/processors", eng, processors, yamlBody, http.StatusOK, []string{`"changed":true`, `"deployments":0`}},
		{"PushProcessorsAgain", "POST", "/api/v1/processors", eng, processors, yamlBody, http.StatusOK, []string{`"changed":false`}},
		{"SalesMayNotPushProducts", "POST", "/api/v1/products", sales, product, yamlBody, http.StatusForbidden, nil},
		{"BadProfile", "POST", "/api/v1/products", eng, "schema_version: 1\nname: X\nversion: '1'\nmodules: []\nvendor_country: ZZ\n", yamlBody, http.StatusUnprocessableEntity, []string{`"path":"modules"`, `"path":"vendor_country"`}},
		{"EmptyBody", "POST", "/api/v1/products", eng, "", nil, http.StatusBadRequest, nil},
		{"PushProduct", "POST", "/api/v1/products", eng, product, yamlBody, http.StatusCreated, []string{`"name":"ERP Suite"`, `"version":"3.0"`}},
		{"PushProductAgain", "POST", "/api/v1/products", eng, product, yamlBody, http.StatusOK, []string{`"version":"3.0"`}},
		{"ImmutableVersion", "POST", "/api/v1/products", eng, strings.Replace(product, "description:", "description: changed", 1), yamlBody, http.StatusConflict, nil},
		{"ListProducts", "GET", "/api/v1/products?name=erp%20suite", sales, "", nil, http.StatusOK, []string{`"total":1`}},
		{"GetProduct", "GET", "/api/v1/products/ERP%20Suite/versions/3.0", sales, "", nil, http.StatusOK, []string{`"profile":{`, `"modules":[`}},
		{"NoSuchVersion", "GET", "/api/v1/products/ERP%20Suite/versions/9.9", sales, "", nil, http.StatusNotFound, nil},
		{"Template", "GET", "/api/v1/products/ERP%20Suite/versions/3.0/template?country=ID&sector=banking", eng, "", nil, http.StatusOK, []string{`"product":{"name":"ERP Suite","version":"3.0"}`}},
		{"TemplateYAML", "GET", "/api/v1/products/ERP%20Suite/versions/3.0/template?country=ID", eng, "", map[string]string{"Accept": "application/yaml"}, http.StatusOK, []string{"schema_version: 1"}},
		{"TemplateBadCountry", "GET", "/api/v1/products/ERP%20Suite/versions/3.0/template?country=XX", eng, "", nil, http.StatusUnprocessableEntity, []string{`"path":"country"`}},
		{"TemplateNoCountry", "GET", "/api/v1/products/ERP%20Suite/versions/3.0/template", eng, "", nil, http.StatusUnprocessableEntity, []string{`"path":"country"`}},
		{"ListProcessors", "GET", "/api/v1/processors?limit=1", sales, "", nil, http.StatusOK, []string{`"limit":1`}},
		{"GetProcessor", "GET", "/api/v1/processors/telemetrix", sales, "", nil, http.StatusOK, []string{`"name":"Telemetrix"`, `"history":[`, `"entry":{`}},
		{"NoSuchProcessor", "GET", "/api/v1/processors/nobody", sales, "", nil, http.StatusNotFound, nil},
		{"SalesMayNotPushSpecs", "POST", "/api/v1/specs", sales, spec, yamlBody, http.StatusForbidden, nil},
		{"BadSpec", "POST", "/api/v1/specs", eng, strings.Replace(spec, "modules: [finance, hr, crm, logistics]", "modules: [finance, payroll]", 1), yamlBody, http.StatusUnprocessableEntity, []string{`"path":"modules[1]"`}},
		{"PushSpec", "POST", "/api/v1/specs", eng, spec, yamlBody, http.StatusCreated, []string{`"new_revision":true`, `"verdict":"conditional"`}},
		{"PushSpec2", "POST", "/api/v1/specs", eng, spec2, yamlBody, http.StatusCreated, []string{`"new_revision":true`}},
		{"PutSameSpec", "PUT", "/api/v1/deployments/1/spec", eng, spec, yamlBody, http.StatusOK, []string{`"new_revision":false`}},
		{"PutSpecStale", "PUT", "/api/v1/deployments/1/spec", eng, spec, map[string]string{"Content-Type": "application/yaml", "If-Match": `"stale"`}, http.StatusPreconditionFailed, nil},
		{"Source", "GET", "/api/v1/deployments/1/source", legal, "", nil, http.StatusOK, []string{`"product":"ERP Suite"`, `"product_version":"3.0"`, `"provenance":[{`, `"origin":{`}},
		{"SalesMayNotReadSource", "GET", "/api/v1/deployments/1/source", sales, "", nil, http.StatusForbidden, nil},
		{"Push31", "POST", "/api/v1/products", eng, mustRead(t, "../examples/products/erp-suite-3.1.yaml"), yamlBody, http.StatusCreated, []string{`"version":"3.1"`}},
		{"ImpactBadKind", "POST", "/api/v1/impact", legal, `{"kind":"moon"}`, nil, http.StatusUnprocessableEntity, []string{`"path":"kind"`}},
		{"ImpactBadLimit", "POST", "/api/v1/impact?limit=0", legal, `{"kind":"product","product":"ERP Suite","version":"3.1"}`, nil, http.StatusUnprocessableEntity, []string{`"path":"limit"`}},
		{"SalesMayNotListImpact", "POST", "/api/v1/impact", sales, `{"kind":"product","product":"ERP Suite","version":"3.1"}`, nil, http.StatusForbidden, nil},
		{"ImpactOfProcessor", "POST", "/api/v1/impact", legal, `{"kind":"processor","processor":"Telemetrix"}`, nil, http.StatusOK, []string{`"total":`}},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			resp, b := callWith(t, s.method, url+s.path, s.token, s.body, s.header)
			if resp.StatusCode != s.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, s.status, b)
			}
			if s.status >= 400 {
				problemOf(t, resp, b, s.status)
			}
			for _, w := range s.want {
				if !strings.Contains(string(b), w) {
					t.Errorf("answer lacks %s: %s", w, b)
				}
			}
		})
	}

	t.Run("ImpactPaged", func(t *testing.T) {
		var pages []piaflow.Impact
		after := uint64(0)
		for range 3 {
			resp, b := call(t, "POST", fmt.Sprintf("%s/api/v1/impact?limit=1&after=%d", url, after), legal, `{"kind":"product","product":"ERP Suite","version":"3.1"}`)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("impact: %d %s", resp.StatusCode, b)
			}
			var p piaflow.Impact
			if err := json.Unmarshal(b, &p); err != nil {
				t.Fatal(err)
			}
			pages = append(pages, p)
			if p.Next == 0 {
				break
			}
			after = p.Next
		}
		if len(pages) != 2 || pages[0].Total != 2 || pages[0].Next != 1 || len(pages[0].Entries) != 1 || len(pages[1].Entries) != 1 || pages[1].Next != 0 {
			t.Fatalf("pages: %+v", pages)
		}
		e := pages[0].Entries[0]
		if e.DeploymentID != 1 || e.VerdictBefore != "conditional" || e.VerdictAfter != "blocked" || len(e.Added) == 0 {
			t.Errorf("Rhein under 3.1: %+v", e)
		}
	})
	t.Run("ProductPropagationParams", func(t *testing.T) {
		resp, b := call(t, "POST", url+"/api/v1/propagations", eng, `{"kind":"product","params":{"product":"ERP Suite"},"reason":"3.1"}`)
		if p := problemOf(t, resp, b, http.StatusUnprocessableEntity); !strings.Contains(string(b), `"path":"params.product"`) {
			t.Errorf("no version: %+v", p)
		}
	})
}

// TestDocumentBodyLimit: a product body may be up to assessments.MaxDocumentBytes, more than
// piaflow.MaxBodyBytes; past it the answer is 413.
func TestDocumentBodyLimit(t *testing.T) {
	url, tokens := testServer(t)
	eng := tokens[piaflow.RoleEngineer]
	big := "# " + strings.Repeat("x", piaflow.MaxBodyBytes+10) + "\nschema_version: 1\n"
	resp, b := callWith(t, "POST", url+"/api/v1/products", eng, big, yamlBody)
	if resp.StatusCode == http.StatusRequestEntityTooLarge {
		t.Errorf("a body over MaxBodyBytes but under MaxDocumentBytes: %d %s", resp.StatusCode, b)
	}
	resp, b = callWith(t, "POST", url+"/api/v1/products", eng, big+strings.Repeat("x", 2<<20), yamlBody)
	problemOf(t, resp, b, http.StatusRequestEntityTooLarge)
}

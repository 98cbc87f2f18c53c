package web

import (
	"context"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/assessments/store/storetest"
	"github.com/piaflow/piaflow/internal/apitest"
	"github.com/piaflow/piaflow/jobs/jobstest"
	"github.com/piaflow/piaflow/policies"
	"github.com/piaflow/piaflow/service"
)

func mustReadFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// impactRow matches a row of the impact table with the deployment's verdicts before and after.
func impactRow(before, after string) *regexp.Regexp {
	return regexp.MustCompile(`(?s)<tr class="changed" data-deployment="\d+">.*?verdict-` + before + `.*?→ <span class="badge verdict-` + after + `">`)
}

// TestWebProducts: the register and ERP Suite 3.0 are pushed, a German manufacturer is deployed
// from it, and 3.1 (support desk moved to India) is pushed. An engineer sees the products, the
// version's modules and flows, a processor's certifications, the impact of moving to 3.1
// (CONDITIONAL → BLOCKED), in English and Chinese, starts the re-assessment from it, creates a
// deployment from the version's template and looks at its source; invalid documents are shown
// next to the form with their paths; other roles are refused what their role lacks, and forms
// without the CSRF token are refused.
func TestWebProducts(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t, "sqlite")
	e, err := policies.Default()
	if err != nil {
		t.Fatal(err)
	}
	tokens := apitest.Tokens(t, st)
	svc := service.New(st, assessments.NewEvaluator(e))
	jobstest.Start(t, st, svc)
	srv := httptest.NewServer(newServer(svc).Handler())
	t.Cleanup(srv.Close)
	if _, err := svc.PushProcessors(ctx, piaflow.System, mustReadFile(t, "../examples/products/processors.yaml")); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.PushProduct(ctx, piaflow.System, mustReadFile(t, "../examples/products/erp-suite.yaml")); err != nil {
		t.Fatal(err)
	}
	res, err := svc.PushSpec(ctx, piaflow.System, 0, "", mustReadFile(t, "../examples/products/deployments/de-manufacturer-rhein.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	rhein := res.Deployment.ID
	if res.Deployment.Verdict != "conditional" {
		t.Fatalf("Rhein on 3.0: %s", res.Deployment.Verdict)
	}
	if _, _, err := svc.PushProduct(ctx, piaflow.System, mustReadFile(t, "../examples/products/erp-suite-3.1.yaml")); err != nil {
		t.Fatal(err)
	}

	eng := signIn(t, srv.URL, tokens[piaflow.RoleEngineer])
	_, body := eng.get("/deployments")
	mustContain(t, "nav", body, `href="/products"`, `href="/processors"`)
	_, body = eng.get("/products")
	mustContain(t, "products page", body, `href="/products" aria-current="page"`, `href="/products/ERP%20Suite/3.1"`, `href="/products/ERP%20Suite/3.0"`, `id="push-product"`)

	t.Run("Product", func(t *testing.T) {
		resp, body := eng.get("/products/ERP%20Suite/3.0")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("product page: %d %s", resp.StatusCode, body)
		}
		mustContain(t, "product page", body, "Payroll", "Human resources", `href="/processors/PayGate"`, `id="vendor-flows"`,
			`href="/impact?kind=product&amp;product=ERP%20Suite&amp;version=3.0"`, `id="template-form"`)
		if resp, _ := eng.get("/products/ERP%20Suite/9.9"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("an unknown version: %d", resp.StatusCode)
		}
	})

	t.Run("Processor", func(t *testing.T) {
		_, body := eng.get("/processors")
		mustContain(t, "register", body, `href="/processors/Northwind%20Mail"`, `id="push-processors"`)
		resp, body := eng.get("/processors/Telemetrix")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("processor page: %d %s", resp.StatusCode, body)
		}
		// Northwind SMS's ISO 27001 certificate expired on 2026-11-30
		_, sms := eng.get("/processors/Northwind%20SMS")
		mustContain(t, "expired certificate", sms, `<tr class="expiry-expired">`, "2026-11-30 <span class=\"badge verdict-blocked\">expired</span>")
		mustContain(t, "processor page", body, "2027-06-30", "2028-02-01", `<dd id="processor-deployments">1</dd>`, `id="processor-save"`, "name: Telemetrix")
	})

	t.Run("Impact", func(t *testing.T) {
		resp, body := eng.get("/impact?kind=product&product=ERP+Suite&version=3.1")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("impact: %d %s", resp.StatusCode, body)
		}
		if !impactRow("conditional", "blocked").MatchString(body) {
			t.Errorf("impact page lacks Rhein CONDITIONAL → BLOCKED: %s", body)
		}
		mustContain(t, "impact page", body, "Rhein Maschinenbau ERP", "Conditional", "Blocked", "Re-assess all 1 deployments", `id="start-propagation"`)
		eng.get("/lang/zh-CN?next=%2Fdeployments")
		_, body = eng.get("/impact?kind=product&product=ERP+Suite&version=3.1")
		mustContain(t, "Chinese impact page", body, "变更影响", "附条件可上线", "不可上线", "重新评估全部 1 个部署")
		_, body = eng.get("/products/ERP%20Suite/3.1")
		mustContain(t, "Chinese product page", body, "模块与处理活动", "供应商数据流", "从此版本开始一个部署", "受托处理者")
		eng.get("/lang/en?next=%2Fdeployments")
		resp, body = eng.post("/propagations", url.Values{"kind": {"product"}, "product": {"ERP Suite"}, "version": {"3.1"}, "reason": {"3.1 released"}})
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/propagations/") {
			t.Fatalf("start a product re-assessment: %d %s", resp.StatusCode, body)
		}
		_, body = eng.get(resp.Header.Get("Location"))
		mustContain(t, "propagation page", body, "Product version", "3.1 released")
	})

	t.Run("ProposedProcessor", func(t *testing.T) {
		doc := "name: Telemetrix\ncountry: CN\nservice: telemetry\ncountries: [CN]\n"
		resp, body := eng.post("/impact", url.Values{"kind": {"processor"}, "document": {doc}})
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("proposed processor: %d %s", resp.StatusCode, body)
		}
		mustContain(t, "proposed processor impact", body, "Rhein Maschinenbau ERP", `id="save-first"`)
		if strings.Contains(body, `id="start-propagation"`) {
			t.Error("a proposed entry offers the re-assessment")
		}
	})

	t.Run("InvalidDocuments", func(t *testing.T) {
		resp, body := eng.post("/products", url.Values{"document": {"schema_version: 1\nname: X\nversion: \"1\"\nvendor_country: ZZ\n"}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("invalid product: %d", resp.StatusCode)
		}
		mustContain(t, "invalid product", body, `id="document-problems"`, "<code>vendor_country</code>", "<code>modules</code>", "vendor_country: ZZ")
		resp, body = eng.post("/processors", url.Values{"document": {"name: Broken\ncountry: US\n"}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("invalid processor: %d", resp.StatusCode)
		}
		mustContain(t, "invalid processor", body, `id="document-problems"`, "<code>service</code>")
	})

	t.Run("DeployFromTemplate", func(t *testing.T) {
		_, body := eng.get("/products/ERP%20Suite/3.0?country=Germany&sector=manufacturing")
		mustContain(t, "template", body, `id="deploy-form"`, `id="deploy-spec"`, "name: ERP Suite")
		spec := regexp.MustCompile(`(?s)<textarea id="deploy-spec" name="spec"[^>]*>(.*?)</textarea>`).FindStringSubmatch(body)
		if spec == nil {
			t.Fatal("no spec textarea")
		}
		// the customer and the one deployment answer a template leaves to the engineer
		text := strings.Replace(htmlUnescape(spec[1]), `customer: ""`, "customer: Werk Süd AG\n  critical_infrastructure: false", 1)
		resp, body := eng.post("/products/ERP%20Suite/3.0/deploy", url.Values{"spec": {text}})
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/deployments/") {
			t.Fatalf("deploy from template: %d %s", resp.StatusCode, body)
		}
		resp, body = eng.post("/products/ERP%20Suite/3.0/deploy", url.Values{"spec": {"schema_version: 1\n"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "<code>product</code>") {
			t.Errorf("an invalid spec: %d", resp.StatusCode)
		}
	})

	t.Run("Source", func(t *testing.T) {
		_, body := eng.get("/deployments/" + itoa(rhein))
		mustContain(t, "deployment page", body, "Built from ERP Suite", `id="source-link"`)
		resp, body := eng.get("/deployments/" + itoa(rhein) + "/source")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("source page: %d %s", resp.StatusCode, body)
		}
		mustContain(t, "source page", body, `id="provenance"`, "Product module", "Override", `id="spec-save"`, `id="spec-impact"`, "Rhein Maschinenbau GmbH")
		spec := regexp.MustCompile(`(?s)<textarea id="spec" name="spec"[^>]*>(.*?)</textarea>`).FindStringSubmatch(body)
		if spec == nil {
			t.Fatal("no spec textarea")
		}
		edited := strings.Replace(htmlUnescape(spec[1]), "- crm\n", "", 1)
		resp, body = eng.post("/impact", url.Values{"kind": {"spec"}, "deployment": {itoa(rhein)}, "spec": {edited}})
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Rhein Maschinenbau ERP") {
			t.Errorf("spec impact: %d %s", resp.StatusCode, body)
		}
		resp, body = eng.post("/deployments/"+itoa(rhein)+"/source", url.Values{"spec": {"schema_version: 1\n"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="document-problems"`) {
			t.Errorf("an invalid spec: %d", resp.StatusCode)
		}
	})

	t.Run("Refused", func(t *testing.T) {
		legal := signIn(t, srv.URL, tokens[piaflow.RoleLegal])
		_, body := legal.get("/products")
		if strings.Contains(body, `id="push-product"`) {
			t.Error("legal sees the push form")
		}
		if resp, _ := legal.post("/products", url.Values{"document": {"x"}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("legal pushes a product: %d", resp.StatusCode)
		}
		if resp, _ := legal.post("/processors", url.Values{"document": {"x"}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("legal pushes processors: %d", resp.StatusCode)
		}
		_, body = legal.get("/impact?kind=product&product=ERP+Suite&version=3.1")
		if strings.Contains(body, `id="start-propagation"`) {
			t.Error("legal (no propagate) is offered the product re-assessment")
		}
		sales := signIn(t, srv.URL, tokens[piaflow.RoleSales])
		for _, path := range []string{"/impact?kind=product&product=ERP+Suite&version=3.1", "/deployments/" + itoa(rhein) + "/source"} {
			if resp, _ := sales.get(path); resp.StatusCode != http.StatusForbidden {
				t.Errorf("sales opens %s: %d", path, resp.StatusCode)
			}
		}
		if resp, _ := eng.post("/products", url.Values{"csrf": {"wrong"}, "document": {"x"}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("a push without the CSRF token: %d", resp.StatusCode)
		}
		if resp, _ := eng.post("/impact", url.Values{"csrf": {"wrong"}, "kind": {"processor"}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("an impact form without the CSRF token: %d", resp.StatusCode)
		}
	})
}

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }

func htmlUnescape(s string) string { return html.UnescapeString(s) }

// TestExpiryState: a date before today has expired; one within 60 days is soon.
func TestExpiryState(t *testing.T) {
	now := time.Date(2026, 12, 5, 15, 0, 0, 0, time.UTC)
	for _, tc := range []struct{ on, want string }{
		{"2026-12-04", "expired"},
		{"2026-12-05", "soon"}, // the last valid day
		{"2027-02-03", "soon"},
		{"2027-02-04", ""},
		{"not a date", ""},
	} {
		on := tc.on
		if got := expiryState(&on, now); got != tc.want {
			t.Errorf("expiryState(%s) = %q, want %q", tc.on, got, tc.want)
		}
	}
	if got := expiryState(nil, now); got != "" {
		t.Errorf("no date: %q", got)
	}
}

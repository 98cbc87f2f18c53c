package main

import (
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/api"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/assessments/store/storetest"
	"github.com/piaflow/piaflow/internal/apitest"
	"github.com/piaflow/piaflow/policies"
	"github.com/piaflow/piaflow/service"
)

// pushServer starts the API over SQLite and returns its URL and a token per role.
func pushServer(t *testing.T) (string, map[string]string) {
	t.Helper()
	st := storetest.Open(t, "sqlite")
	tokens := apitest.Tokens(t, st)
	e, err := policies.Default()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.New(service.New(st, assessments.NewEvaluator(e)), slog.New(slog.DiscardHandler)).Handler())
	t.Cleanup(srv.Close)
	return srv.URL, tokens
}

// TestPushAndImpact: push the register, ERP Suite 3.0 and a deployment, then 3.1, and list the
// impact of 3.1: the German manufacturer goes from CONDITIONAL to BLOCKED.
func TestPushAndImpact(t *testing.T) {
	url, tokens := pushServer(t)
	eng := []string{"--server", url, "--token", tokens[piaflow.RoleEngineer]}
	const dir = "../../examples/products/"
	steps := []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"Processors", []string{"processor", "push", dir + "processors.yaml"}, exitOK, []string{"PROCESSOR", "Telemetrix", "yes"}},
		{"Product", []string{"product", "push", dir + "erp-suite.yaml"}, exitOK, []string{"stored ERP Suite 3.0"}},
		{"ProductAgain", []string{"product", "push", dir + "erp-suite.yaml"}, exitOK, []string{"unchanged: ERP Suite 3.0"}},
		{"Deployment", []string{"deployment", "push", dir + "deployments/de-manufacturer-rhein.yaml"}, exitOK, []string{"deployment 1 Rhein Maschinenbau ERP", "CONDITIONAL", "a new revision"}},
		{"DeploymentAgain", []string{"deployment", "push", dir + "deployments/de-manufacturer-rhein.yaml", "--deployment", "1"}, exitOK, []string{"no new revision"}},
		{"Product31", []string{"product", "push", dir + "erp-suite-3.1.yaml"}, exitOK, []string{"stored ERP Suite 3.1"}},
		{"Impact", []string{"impact", "--product", "ERP Suite", "--version", "3.1", "--all", "--limit", "1"}, exitOK,
			[]string{"DEPLOYMENT", "1 Rhein Maschinenbau ERP", "Rhein Maschinenbau GmbH", "CONDITIONAL → BLOCKED", "1 of 1 deployments touched listed"}},
		{"ImpactProposed", []string{"impact", "--product-file", dir + "erp-suite-3.1.yaml"}, exitOK, []string{"CONDITIONAL → BLOCKED"}},
		{"ImpactOfProcessor", []string{"impact", "--processor", "Telemetrix"}, exitOK, []string{"1 of 1 deployments touched listed"}},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			code, out, stderr := runCLI(t, append(s.args, eng...)...)
			if code != s.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, s.code, out, stderr)
			}
			for _, w := range s.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

// TestPushBadInput: bad input, usage and refusals exit 2 with the problem's detail and field
// paths; a server that cannot be reached exits 3.
func TestPushBadInput(t *testing.T) {
	url, tokens := pushServer(t)
	eng := []string{"--server", url, "--token", tokens[piaflow.RoleEngineer]}
	sales := []string{"--server", url, "--token", tokens[piaflow.RoleSales]}
	tests := []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"ProductBeforeRegister", append([]string{"product", "push", "../../examples/products/erp-suite.yaml"}, eng...), exitUsage,
			[]string{"422 Unprocessable Entity", "\n  processors[0]: "}},
		{"InvalidSpec", append([]string{"deployment", "push", "testdata/invalid.yaml"}, eng...), exitUsage, []string{"\n  product: is required", "\n  modules: is required"}},
		{"SalesMayNotPush", append([]string{"processor", "push", "../../examples/products/processors.yaml"}, sales...), exitUsage, []string{"403 Forbidden", "role sales"}},
		{"NoServer", []string{"product", "push", "x.yaml", "--token", "t", "--server", ""}, exitUsage, []string{"--server"}},
		{"NoSubcommand", []string{"product"}, exitUsage, []string{"push FILE"}},
		{"ImpactTwoChanges", append([]string{"impact", "--product", "X", "--version", "1", "--processor", "Y"}, eng...), exitUsage, []string{"give one of"}},
		{"ImpactBadProductFile", append([]string{"impact", "--product-file", "testdata/invalid.yaml"}, eng...), exitUsage, []string{"product testdata/invalid.yaml"}},
		{"ImpactUnknownProduct", append([]string{"impact", "--product", "Nothing", "--version", "1"}, eng...), exitUsage, []string{"404 Not Found"}},
		{"Unreachable", []string{"impact", "--processor", "X", "--server", "http://127.0.0.1:1", "--token", "t"}, exitInternal, []string{"127.0.0.1:1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, tt.code, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
		})
	}
}

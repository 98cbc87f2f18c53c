package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/piaflow/piaflow/assessments"
)

const (
	erpProduct    = "../../examples/products/erp-suite.yaml"
	erpProcessors = "../../examples/products/processors.yaml"
	erpSpecs      = "../../examples/products/deployments/"
)

// TestAssessProductExamples: the example deployment specs compose and assess; the exit code is
// the gate of their verdict (blocked: a blocker finding, exit 1 with the default --fail-on).
func TestAssessProductExamples(t *testing.T) {
	tests := []struct {
		spec    string
		verdict string
		want    int
	}{
		{"br-logistics-tropical.yaml", "CONDITIONAL", exitOK},
		{"de-manufacturer-rhein.yaml", "CONDITIONAL", exitOK},
		{"id-bank-nusantara.yaml", "BLOCKED", exitFindings},
		{"sa-retailer-najd.yaml", "CONDITIONAL", exitOK},
	}
	for _, tt := range tests {
		t.Run(strings.TrimSuffix(tt.spec, ".yaml"), func(t *testing.T) {
			spec := erpSpecs + tt.spec
			code, out, stderr := runCLI(t, "assess", "--as-of", "2026-12-01", "--product", erpProduct, "--processors", erpProcessors, spec)
			if code != tt.want || !strings.Contains(out, "Verdict: "+tt.verdict) {
				t.Errorf("assess: exit %d, want %d, verdict %s\n%s\n%s", code, tt.want, tt.verdict, out, stderr)
			}
			if code, _, _ := runCLI(t, "assess", "--as-of", "2026-12-01", "--fail-on", "none", "--product", erpProduct, "--processors", erpProcessors, spec); code != exitOK {
				t.Errorf("assess --fail-on none: exit %d", code)
			}
			code, out, stderr = runCLI(t, "compose", "--as-of", "2026-12-01", "--product", erpProduct, "--processors", erpProcessors, spec)
			if code != exitOK {
				t.Fatalf("compose: exit %d\n%s", code, stderr)
			}
			if _, err := assessments.Parse([]byte(out)); err != nil {
				t.Errorf("composed YAML does not parse: %v", err)
			}
			code, out, _ = runCLI(t, "compose", "--format", "json", "--as-of", "2026-12-01", "--product", erpProduct, "--processors", erpProcessors, spec)
			if code != exitOK || !json.Valid([]byte(out)) {
				t.Errorf("compose --format json: exit %d, valid JSON %v", code, json.Valid([]byte(out)))
			}
		})
	}
}

// TestAssessProductNotices: an expired register item is a notice on stderr, not an error.
func TestAssessProductNotices(t *testing.T) {
	code, _, stderr := runCLI(t, "assess", "--as-of", "2026-12-01", "--product", erpProduct, "--processors", erpProcessors, erpSpecs+"de-manufacturer-rhein.yaml")
	if code != exitOK || !strings.Contains(stderr, "notice: Northwind SMS: iso_27001 expired on 2026-11-30") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
	// On the day before, the certification is still valid.
	if _, _, stderr := runCLI(t, "assess", "--as-of", "2026-11-30", "--product", erpProduct, "--processors", erpProcessors, erpSpecs+"de-manufacturer-rhein.yaml"); strings.Contains(stderr, "notice:") {
		t.Errorf("notice before expiry:\n%s", stderr)
	}
}

// TestComposeBadInput: exit 2, naming the file and each problem's path and line.
func TestComposeBadInput(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"BrokenSpec", []string{"assess", "--product", erpProduct, "--processors", erpProcessors, "testdata/products/broken-spec.yaml"},
			[]string{"deployment spec testdata/products/broken-spec.yaml", `deployment.customer_country: "XX" is not an ISO 3166-1 alpha-2 code (line 8)`}},
		{"ComposeBrokenSpec", []string{"compose", "--product", erpProduct, "--processors", erpProcessors, "testdata/products/broken-spec.yaml"},
			[]string{"deployment.customer_country", "(line 8)"}},
		{"SpecNotAProduct", []string{"compose", "--product", erpSpecs + "de-manufacturer-rhein.yaml", erpSpecs + "de-manufacturer-rhein.yaml"},
			[]string{"product " + erpSpecs + "de-manufacturer-rhein.yaml", "modules[0]"}},
		{"RegisterNotAList", []string{"compose", "--product", erpProduct, "--processors", erpProduct, erpSpecs + "de-manufacturer-rhein.yaml"},
			[]string{"processor register " + erpProduct}},
		{"MissingProduct", []string{"compose", "--product", "testdata/nope.yaml", erpSpecs + "de-manufacturer-rhein.yaml"},
			[]string{"read product"}},
		{"EmptyRegister", []string{"compose", "--product", erpProduct, erpSpecs + "de-manufacturer-rhein.yaml"},
			[]string{`modules[0].processors[0]: "PayGate" is not in the processor register (in the product ERP Suite 3.0) (line `}},
		{"NoProduct", []string{"compose", erpSpecs + "de-manufacturer-rhein.yaml"}, []string{"--product is required"}},
		{"ProcessorsWithoutProduct", []string{"assess", "--processors", erpProcessors, "../../examples/hospital-ehr-germany.yaml"}, []string{"--processors needs --product"}},
		{"NoSpec", []string{"compose", "--product", erpProduct}, []string{"exactly one deployment spec"}},
		{"BadFormat", []string{"compose", "--format", "xml", "--product", erpProduct, erpSpecs + "de-manufacturer-rhein.yaml"}, []string{"--format"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.args...)
			if code != exitUsage {
				t.Errorf("exit %d, want 2\n%s", code, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
		})
	}
}

// TestComposeProvenance: --provenance lists an override with its reason.
func TestComposeProvenance(t *testing.T) {
	code, out, stderr := runCLI(t, "compose", "--provenance", "--as-of", "2026-12-01", "--product", erpProduct, "--processors", erpProcessors, erpSpecs+"id-bank-nusantara.yaml")
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	var line string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "activities[1].retention_days ") {
			line = l
		}
	}
	for _, w := range []string{"→", "override", "deployment Bank Nusantara ERP", "overrides[1]", "Indonesian tax law requires payroll records for ten years."} {
		if !strings.Contains(line, w) {
			t.Errorf("provenance line %q lacks %q\n%s", line, w, out)
		}
	}
	code, out, _ = runCLI(t, "compose", "--provenance", "--format", "json", "--as-of", "2026-12-01", "--product", erpProduct, "--processors", erpProcessors, erpSpecs+"id-bank-nusantara.yaml")
	var entries []assessments.ProvenanceEntry
	if err := json.Unmarshal([]byte(out), &entries); code != exitOK || err != nil {
		t.Fatalf("exit %d, %v", code, err)
	}
	for _, e := range entries {
		if e.Path == "" {
			t.Errorf("empty provenance entry %+v", e)
		}
	}
}

func TestComposeHelp(t *testing.T) {
	if code, out, _ := runCLI(t, "compose", "-h"); code != exitOK || !strings.Contains(out, "usage: piaflow compose --product FILE") || !strings.Contains(out, "-provenance") {
		t.Errorf("compose -h: exit %d\n%s", code, out)
	}
	if code, out, _ := runCLI(t, "assess", "-h"); code != exitOK || !strings.Contains(out, "piaflow assess --product FILE") {
		t.Errorf("assess -h: exit %d\n%s", code, out)
	}
}

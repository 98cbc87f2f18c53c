package assessments

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

var composeDate = time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)

// erpFixture reads the test product, register and Indonesian bank spec.
func erpFixture(t *testing.T) (*Product, []RegisteredProcessor, *DeploymentSpec) {
	t.Helper()
	p, err := ParseProduct(mustRead(t, "testdata/products/erp.yaml"))
	if err != nil {
		t.Fatalf("ParseProduct: %v", err)
	}
	reg, err := ParseProcessors(mustRead(t, "testdata/products/processors.yaml"))
	if err != nil {
		t.Fatalf("ParseProcessors: %v", err)
	}
	s, err := ParseDeploymentSpec(mustRead(t, "testdata/products/spec-id-bank.yaml"))
	if err != nil {
		t.Fatalf("ParseDeploymentSpec: %v", err)
	}
	return p, reg, s
}

func specProblems(t *testing.T, err error) []Problem {
	t.Helper()
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v is not a *ValidationError", err)
	}
	return ve.Problems
}

// hasProblem reports whether problems hold one at path whose message contains msg.
func hasProblem(problems []Problem, path, msg string) bool {
	return slices.ContainsFunc(problems, func(p Problem) bool { return p.Path == path && strings.Contains(p.Message, msg) })
}

func TestComposeBankIndonesia(t *testing.T) {
	p, reg, s := erpFixture(t)
	c, err := Compose(p, s, RegisterOf(reg), composeDate)
	if err != nil {
		t.Fatalf("Compose: %v", err)
	}
	q := c.Questionnaire
	names := make([]string, len(q.Activities))
	for i, a := range q.Activities {
		names[i] = a.Name
	}
	if want := []string{"Accounts payable and receivable", "Payroll", "Recruitment"}; !slices.Equal(names, want) {
		t.Errorf("activities = %v, want %v", names, want)
	}
	if q.Deployment.VendorCountry != "SG" || q.Deployment.VendorRole != "processor" {
		t.Errorf("vendor = %s %s, want the product's SG processor", q.Deployment.VendorCountry, q.Deployment.VendorRole)
	}
	if !q.Security.CustomerManagedKeys {
		t.Error("override security.customer_managed_keys not applied")
	}
	if r := q.Activities[1].RetentionDays; r == nil || *r != 3650 {
		t.Errorf("Payroll retention_days = %v, want the override 3650", r)
	}
	// support CN, support MY, telemetry: three vendor flows on every activity.
	if got := len(q.Activities[0].Transfers); got != 3 {
		t.Fatalf("finance transfers = %d, want 3", got)
	}
	tel := q.Activities[0].Transfers[2]
	if tel.RecipientCountry == nil || *tel.RecipientCountry != "SG" || !slices.Equal(tel.RecipientCertifications, []string{"soc2"}) {
		t.Errorf("telemetry transfer not filled from the register: %+v", tel)
	}
	if q.Activities[1].DataSubjects[0].Count != 8200 || !q.Activities[1].DataSubjects[0].Vulnerable {
		t.Errorf("payroll subjects = %+v", q.Activities[1].DataSubjects)
	}
	var procs []string
	for _, pr := range q.Processors {
		procs = append(procs, pr.Name)
	}
	if want := []string{"Northwind Mail", "PayGate", "Telemetrix", "AWS"}; !slices.Equal(procs, want) {
		t.Errorf("processors = %v, want %v (Northwind SMS and GeoMaps belong to disabled modules)", procs, want)
	}
	pay := q.Processors[1]
	if !pay.DPASigned || !slices.Equal(pay.Expiries, []Expiry{{Item: "iso_27001", On: "2027-01-20"}}) {
		t.Errorf("PayGate = %+v, want its DPA and the ISO 27001 expiry", pay)
	}

	tests := []struct {
		path string
		want Origin
	}{
		{"deployment.customer", Origin{Kind: OriginDeployment, Ref: "deployment Bank Nusantara ERP", Path: "deployment"}},
		{"deployment.vendor_country", Origin{Kind: OriginProduct, Ref: "ERP Suite 3.0", Path: "vendor_country"}},
		{"hosting[0].region", Origin{Kind: OriginDeployment, Ref: "deployment Bank Nusantara ERP", Path: "hosting[0]"}},
		{"activities[1].legal_basis", Origin{Kind: OriginModule, Ref: "ERP Suite 3.0 module hr", Path: "modules[1].activities[0]"}},
		{"activities[1].data_subjects[0].count", Origin{Kind: OriginDeployment, Ref: "deployment Bank Nusantara ERP", Path: "data_subjects[1]"}},
		{"activities[1].data_subjects[0].vulnerable", Origin{Kind: OriginModule, Ref: "ERP Suite 3.0 module hr", Path: "modules[1].activities[0].data_subjects"}},
		{"activities[0].transfers[0].to_country", Origin{Kind: OriginVendorFlow, Ref: "ERP Suite 3.0 vendor flow Support desk China", Path: "vendor_flows[0].transfer"}},
		{"activities[0].transfers[2].recipient_certifications", Origin{Kind: OriginRegister, Ref: "register: Telemetrix", Path: "certifications"}},
		{"activities[1].retention_days", Origin{Kind: OriginOverride, Ref: "deployment Bank Nusantara ERP", Path: "overrides[1]", Reason: "Indonesian tax law requires payroll records for ten years."}},
		{"security.customer_managed_keys", Origin{Kind: OriginOverride, Ref: "deployment Bank Nusantara ERP", Path: "overrides[0]", Reason: "The bank holds the encryption keys in its own HSM (OJK requirement)."}},
		{"security.mfa", Origin{Kind: OriginProduct, Ref: "ERP Suite 3.0", Path: "security"}},
		{"processors[3].name", Origin{Kind: OriginDeployment, Ref: "deployment Bank Nusantara ERP", Path: "processors[0]"}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			got, ok := c.Provenance.Lookup(tt.path)
			if !ok || got != tt.want {
				t.Errorf("Lookup(%s) = %+v, %v; want %+v", tt.path, got, ok, tt.want)
			}
		})
	}
	if o, _ := c.Provenance.Lookup("processors[1].dpa_signed"); o.Kind != OriginRegister || !strings.HasPrefix(o.Ref, "register: PayGate") {
		t.Errorf("processors[1] origin = %+v", o)
	}
}

func TestComposeExpiry(t *testing.T) {
	p, reg, s := erpFixture(t)
	s.Modules = append(s.Modules, "crm")
	c, err := Compose(p, s, RegisterOf(reg), composeDate)
	if err != nil {
		t.Fatalf("Compose: %v", err)
	}
	i := slices.IndexFunc(c.Questionnaire.Processors, func(p Processor) bool { return p.Name == "Northwind SMS" })
	if i < 0 {
		t.Fatal("Northwind SMS missing")
	}
	sms := c.Questionnaire.Processors[i]
	if len(sms.Certifications) != 0 || !sms.DPASigned || !slices.Equal(sms.Expiries, []Expiry{{Item: "dpa", On: "2027-05-01"}}) {
		t.Errorf("Northwind SMS = %+v: the expired ISO 27001 must be dropped, the DPA's expiry listed", sms)
	}
	want := []Notice{{Key: NoticeExpired, Args: map[string]string{"processor": "Northwind SMS", "item": "iso_27001", "on": "2026-11-30"},
		Text: "Northwind SMS: iso_27001 expired on 2026-11-30; it is left out of the composed questionnaire."}}
	if !reflect.DeepEqual(c.Notices, want) {
		t.Errorf("notices = %+v, want %+v", c.Notices, want)
	}
	// a year later the DPA has expired too.
	c, err = Compose(p, s, RegisterOf(reg), composeDate.AddDate(1, 0, 0))
	if err != nil {
		t.Fatalf("Compose: %v", err)
	}
	sms = c.Questionnaire.Processors[slices.IndexFunc(c.Questionnaire.Processors, func(p Processor) bool { return p.Name == "Northwind SMS" })]
	if sms.DPASigned || len(sms.Expiries) != 0 {
		t.Errorf("Northwind SMS in 2027 = %+v: the DPA expired on 2027-05-01", sms)
	}
}

func TestComposeProblems(t *testing.T) {
	tests := []struct {
		name     string
		change   func(p *Product, reg []RegisteredProcessor, s *DeploymentSpec) []RegisteredProcessor
		path     string
		contains string
		line     bool
	}{
		{"ErrOtherVersion", func(p *Product, reg []RegisteredProcessor, s *DeploymentSpec) []RegisteredProcessor {
			s.Product.Version = "2.9"
			return reg
		}, "product.version", `"2.9"`, true},
		{"ErrOtherProduct", func(p *Product, reg []RegisteredProcessor, s *DeploymentSpec) []RegisteredProcessor {
			s.Product.Name = "CRM Suite"
			return reg
		}, "product.name", `"CRM Suite"`, false},
		{"ErrUnknownModule", func(p *Product, reg []RegisteredProcessor, s *DeploymentSpec) []RegisteredProcessor {
			s.Modules = append(s.Modules, "payroll")
			return reg
		}, "modules[2]", `"payroll" is not a module`, false},
		{"ErrNoSubjectGroup", func(p *Product, reg []RegisteredProcessor, s *DeploymentSpec) []RegisteredProcessor {
			s.DataSubjects = s.DataSubjects[:2]
			return reg
		}, "data_subjects", `type job_applicants for the activity "Recruitment" of the module hr`, true},
		{"ErrProductProcessorNotRegistered", func(p *Product, reg []RegisteredProcessor, s *DeploymentSpec) []RegisteredProcessor {
			return slices.DeleteFunc(reg, func(r RegisteredProcessor) bool { return r.Name == "PayGate" })
		}, "modules[0].processors[0]", `"PayGate" is not in the processor register (in the product ERP Suite 3.0)`, true},
		{"ErrSpecProcessorNotRegistered", func(p *Product, reg []RegisteredProcessor, s *DeploymentSpec) []RegisteredProcessor {
			s.RegisteredProcessors = []string{"Acme"}
			return reg
		}, "registered_processors[0]", `"Acme" is not in the processor register`, false},
		{"ErrSpecHosting", func(p *Product, reg []RegisteredProcessor, s *DeploymentSpec) []RegisteredProcessor {
			s.Hosting[0].Region = "mars-north-1"
			return reg
		}, "hosting[0].region", "not a aws region", true},
		{"ErrSpecDeployment", func(p *Product, reg []RegisteredProcessor, s *DeploymentSpec) []RegisteredProcessor {
			s.Deployment["customer_country"] = "XX"
			return reg
		}, "deployment.customer_country", "ISO 3166-1", true},
		{"ErrOverridePath", func(p *Product, reg []RegisteredProcessor, s *DeploymentSpec) []RegisteredProcessor {
			s.Overrides[1].Path = "activities[Pensions].retention_days"
			return reg
		}, "overrides[1].path", `no entry named "Pensions"`, true},
		{"ErrOverrideValue", func(p *Product, reg []RegisteredProcessor, s *DeploymentSpec) []RegisteredProcessor {
			s.Overrides[1].Value = "ten years"
			return reg
		}, "overrides[1].value", "must be a whole number", true},
		{"ErrOverrideReason", func(p *Product, reg []RegisteredProcessor, s *DeploymentSpec) []RegisteredProcessor {
			s.Overrides[0].Reason = " "
			return reg
		}, "overrides[0].reason", "must not be empty", false},
		{"ErrProductAnswer", func(p *Product, reg []RegisteredProcessor, s *DeploymentSpec) []RegisteredProcessor {
			p.Modules[1].Activities[1].LegalBasis = "whim"
			return reg
		}, "modules[1].activities[1].legal_basis", "(in ERP Suite 3.0 module hr)", true},
		{"ErrSubjectFilter", func(p *Product, reg []RegisteredProcessor, s *DeploymentSpec) []RegisteredProcessor {
			s.DataSubjects[0].Modules = []string{"crm"}
			return reg
		}, "data_subjects[0].modules[0]", `"crm" is not an enabled module`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, reg, s := erpFixture(t)
			reg = tt.change(p, reg, s)
			_, err := Compose(p, s, RegisterOf(reg), composeDate)
			if err == nil {
				t.Fatal("Compose succeeded")
			}
			problems := specProblems(t, err)
			if !hasProblem(problems, tt.path, tt.contains) {
				t.Errorf("problems = %v, want one at %s containing %q", problems, tt.path, tt.contains)
			}
			// a problem at a path the source document has carries its line.
			if tt.line && !slices.ContainsFunc(problems, func(p Problem) bool { return p.Path == tt.path && p.Line > 0 }) {
				t.Errorf("problems = %v, want the one at %s with its line", problems, tt.path)
			}
		})
	}
}

func TestParseProductProblems(t *testing.T) {
	base := string(mustRead(t, "testdata/products/erp.yaml"))
	tests := []struct {
		name, old, new, path, contains string
	}{
		{"ErrDuplicateModule", "  - id: hr\n", "  - id: finance\n", "modules[1].id", "duplicate of modules[0]"},
		{"ErrDuplicateActivity", "      - name: Recruitment\n", "      - name: payroll\n", "modules[1].activities[1].name", "duplicate of modules[1].activities[0]"},
		{"ErrFlowKind", "    kind: telemetry\n", "    kind: analytics\n", "vendor_flows[2].kind", `"analytics" is not one of`},
		{"ErrUnknownField", "vendor_role: processor\n", "vendor_role: processor\ncolour: blue\n", "colour", "is not a field of the product"},
		{"ErrCountry", "vendor_country: SG\n", "vendor_country: sg\n", "vendor_country", "upper case"},
		{"ErrHostingOptionRegion", "region: me-central2,", "region: me-central9,", "hosting_options[1].hosting[0].region", "not a gcp region"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(base, tt.old) {
				t.Fatalf("fixture lacks %q", tt.old)
			}
			_, err := ParseProduct([]byte(strings.Replace(base, tt.old, tt.new, 1)))
			if err == nil {
				t.Fatal("ParseProduct succeeded")
			}
			problems := specProblems(t, err)
			if !hasProblem(problems, tt.path, tt.contains) {
				t.Errorf("problems = %v, want one at %s containing %q", problems, tt.path, tt.contains)
			}
			for _, p := range problems {
				if p.Line == 0 && p.Path == tt.path && tt.name != "ErrDuplicateModule" && tt.name != "ErrDuplicateActivity" && tt.name != "ErrHostingOptionRegion" {
					t.Errorf("problem %v has no line", p)
				}
			}
		})
	}
}

func TestParseVendorFlowReferences(t *testing.T) {
	base := string(mustRead(t, "testdata/products/erp.yaml"))
	in := strings.Replace(base, "    kind: telemetry\n", "    kind: telemetry\n    modules: [hr, payroll]\n    activities: [Pensions]\n", 1)
	_, err := ParseProduct([]byte(in))
	problems := specProblems(t, err)
	for _, want := range []string{"vendor_flows[2].modules[1]", "vendor_flows[2].activities[0]"} {
		if !slices.ContainsFunc(problems, func(p Problem) bool { return p.Path == want }) {
			t.Errorf("problems = %v, want one at %s", problems, want)
		}
	}
}

func TestParseProcessorAndSpec(t *testing.T) {
	rp, err := ParseProcessor([]byte("name: X\ncountry: DE\nservice: mail\ncertifications: [{name: iso_27001, expires_on: 2027-13-01}]\ndpa: {signed: yes}\n"))
	if err == nil {
		t.Fatalf("ParseProcessor accepted %+v", rp)
	}
	problems := specProblems(t, err)
	for _, want := range []string{"certifications[0].expires_on", "dpa.signed"} {
		if !slices.ContainsFunc(problems, func(p Problem) bool { return p.Path == want && p.Line > 0 }) {
			t.Errorf("problems = %v, want one with a line at %s", problems, want)
		}
	}
	spec := string(mustRead(t, "testdata/products/spec-id-bank.yaml"))
	bad := strings.Replace(spec, "modules: [finance, hr]", "modules: [finance, Finance]", 1)
	bad = strings.Replace(bad, "    reason: The bank holds", "    reasons: The bank holds", 1)
	_, err = ParseDeploymentSpec([]byte(bad))
	problems = specProblems(t, err)
	for _, want := range []string{"modules[1]", "overrides[0].reason", "overrides[0].reasons"} {
		if !slices.ContainsFunc(problems, func(p Problem) bool { return p.Path == want }) {
			t.Errorf("problems = %v, want one at %s", problems, want)
		}
	}
}

func TestParseOverridePath(t *testing.T) {
	tests := []struct{ in, want string }{
		{"security.customer_managed_keys", "security.customer_managed_keys"},
		{"activities[Payroll].retention_days", "activities.Payroll.retention_days"},
		{"processors[SendGrid].dpa_signed", "processors.SendGrid.dpa_signed"},
		{"activities[2].data_subjects[0].count", "activities[2].data_subjects[0].count"},
		{`activities["A.B"].name`, `activities["A.B"].name`}, {"activities[Pay roll]", `activities["Pay roll"]`},
	}
	for _, tt := range tests {
		p, err := parseOverridePath(tt.in)
		if err != nil || p.String() != tt.want {
			t.Errorf("parseOverridePath(%q) = %v, %v; want %s", tt.in, p, err, tt.want)
		}
	}
	for _, bad := range []string{"", "activities[Payroll", "a..b"} {
		if _, err := parseOverridePath(bad); err == nil {
			t.Errorf("parseOverridePath(%q) succeeded", bad)
		}
	}
}

// TestProductActivityMatchesActivity keeps ProductActivity's fields those of Activity.
func TestProductActivityMatchesActivity(t *testing.T) {
	names := func(rt reflect.Type) []string {
		var out []string
		for _, f := range structFields(rt).list {
			out = append(out, f.name)
		}
		return out
	}
	if a, pa := names(reflect.TypeFor[Activity]()), names(reflect.TypeFor[ProductActivity]()); !slices.Equal(a, pa) {
		t.Errorf("ProductActivity fields %v differ from Activity's %v", pa, a)
	}
}

// TestProductListsAreBounded checks that every list of the product, register and spec types
// has a limit.
func TestProductListsAreBounded(t *testing.T) {
	seen := map[reflect.Type]bool{}
	var walk func(rt reflect.Type)
	walk = func(rt reflect.Type) {
		for rt.Kind() == reflect.Pointer {
			rt = rt.Elem()
		}
		if rt.Kind() != reflect.Struct || seen[rt] {
			return
		}
		seen[rt] = true
		for i := range rt.NumField() {
			f := rt.Field(i)
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Slice {
				if maxItems(rt, f) <= 0 {
					t.Errorf("%s.%s is a list without a limit", rt.Name(), f.Name)
				}
				ft = ft.Elem()
			}
			walk(ft)
		}
	}
	for _, rt := range []reflect.Type{reflect.TypeFor[Product](), reflect.TypeFor[RegisteredProcessor](), reflect.TypeFor[DeploymentSpec]()} {
		walk(rt)
	}
}

// TestExampleDeploymentsCompose composes the four example deployments of examples/products.
func TestExampleDeploymentsCompose(t *testing.T) {
	p, err := ParseProduct(mustRead(t, "../examples/products/erp-suite.yaml"))
	if err != nil {
		t.Fatalf("ParseProduct: %v", err)
	}
	reg, err := ParseProcessors(mustRead(t, "../examples/products/processors.yaml"))
	if err != nil {
		t.Fatalf("ParseProcessors: %v", err)
	}
	files, err := filepath.Glob("../examples/products/deployments/*.yaml")
	if err != nil || len(files) != 4 {
		t.Fatalf("deployments = %v, %v; want 4", files, err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			s, err := ParseDeploymentSpec(mustRead(t, f))
			if err != nil {
				t.Fatalf("ParseDeploymentSpec: %v", err)
			}
			c, err := Compose(p, s, RegisterOf(reg), composeDate)
			if err != nil {
				t.Fatalf("Compose: %v", err)
			}
			b, err := jsonOf(c.Questionnaire)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := Parse(b); err != nil {
				t.Errorf("composed questionnaire does not parse: %v", err)
			}
		})
	}
}

func jsonOf(q *Questionnaire) ([]byte, error) { return json.Marshal(q) }

func TestHostingFor(t *testing.T) {
	p, _, _ := erpFixture(t)
	name, hosting, ok := p.HostingFor("de")
	if !ok || name != "European Union" || len(hosting) != 1 || hosting[0].Region != "eu-central-1" {
		t.Errorf("HostingFor(de) = %q, %+v, %v", name, hosting, ok)
	}
	if _, _, ok := p.HostingFor("JP"); ok {
		t.Error("HostingFor(JP) found an option")
	}
}

func TestProductLimits(t *testing.T) {
	spec := string(mustRead(t, "testdata/products/spec-id-bank.yaml"))
	var b strings.Builder
	b.WriteString(spec)
	for range MaxOverrides {
		b.WriteString("  - {path: security.mfa, value: true, reason: x}\n")
	}
	_, err := ParseDeploymentSpec([]byte(b.String()))
	if problems := specProblems(t, err); !hasProblem(problems, "overrides", "at most 200 are accepted") {
		t.Errorf("problems = %v, want the overrides limit", problems)
	}
	var reg strings.Builder
	for i := range MaxRegister + 1 {
		fmt.Fprintf(&reg, "- {name: P%d, country: DE, service: mail}\n", i)
	}
	_, err = ParseProcessors([]byte(reg.String()))
	if problems := specProblems(t, err); !hasProblem(problems, "(document)", "at most 1000 are accepted") {
		t.Errorf("problems = %v, want the register limit", problems)
	}
}

// TestProvenanceEntries: Entries lists exactly the recorded paths, sorted, none empty (it used to
// start with as many zero entries as there were paths).
func TestProvenanceEntries(t *testing.T) {
	p, reg, s := erpFixture(t)
	c, err := Compose(p, s, RegisterOf(reg), composeDate)
	if err != nil {
		t.Fatalf("Compose: %v", err)
	}
	entries := c.Provenance.Entries()
	if len(entries) != len(c.Provenance.entries) {
		t.Fatalf("%d entries, %d recorded", len(entries), len(c.Provenance.entries))
	}
	for i, e := range entries {
		if e.Path == "" || e.Origin.Kind == "" || i > 0 && entries[i-1].Path >= e.Path {
			t.Errorf("entry %d: %+v", i, e)
		}
	}
}

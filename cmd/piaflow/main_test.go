package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/assessments/store"
	"github.com/piaflow/piaflow/policies"
)

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestAssessExitCodes(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"BlockedFailsOnBlocker", []string{"assess", "../../examples/hospital-ehr-germany.yaml"}, exitFindings},
		{"FailOnNone", []string{"assess", "../../examples/hospital-ehr-germany.yaml", "--fail-on", "none"}, exitOK},
		{"JSON", []string{"assess", "--format", "json", "--fail-on", "none", "../../examples/hospital-ehr-germany.yaml"}, exitOK},
		{"InvalidFile", []string{"assess", "testdata/invalid.yaml"}, exitUsage},
		{"MissingFile", []string{"assess", "testdata/nope.yaml"}, exitUsage},
		{"NoFile", []string{"assess"}, exitUsage},
		{"BadFailOn", []string{"assess", "../../examples/hospital-ehr-germany.yaml", "--fail-on", "critical"}, exitUsage},
		{"BadFormat", []string{"assess", "../../examples/hospital-ehr-germany.yaml", "--format", "xml"}, exitUsage},
		{"BadAsOf", []string{"assess", "../../examples/hospital-ehr-germany.yaml", "--as-of", "yesterday"}, exitUsage},
		{"BadPoliciesDir", []string{"assess", "../../examples/hospital-ehr-germany.yaml", "--policies", "testdata/none"}, exitUsage},
		{"UnknownCommand", []string{"asses"}, exitUsage},
		{"NoCommand", nil, exitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.args...)
			if code != tt.want {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.want, stderr)
			}
		})
	}
}

func TestAssessTextOutput(t *testing.T) {
	code, out, _ := runCLI(t, "assess", "../../examples/hospital-ehr-germany.yaml", "--fail-on", "none", "--as-of", "2026-11-25")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{
		"Verdict: BLOCKED",
		"APPLICABLE REGIMES", "gdpr ",
		"DPIA: required (WP248 screening: required)", "Art. 35(3)(b)",
		"BLOCKER", "GDPR-TRANSFER-NO-MECHANISM", "cites: GDPR Art. 44-49",
		"fields: activities[0].transfers[0].mechanism",
		"TRANSFERS", "DE   CN   gdpr       mechanism_required",
		"RISKS",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q", want)
		}
	}
}

func TestAssessJSONIsTheContract(t *testing.T) {
	_, out, _ := runCLI(t, "assess", "--format", "json", "--fail-on", "none", "../../examples/hospital-ehr-germany.yaml")
	var a map[string]any
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"schema_version", "policy_version", "policy_digest", "as_of", "verdict", "regimes", "dpia", "findings", "transfers", "localisation", "risks"} {
		if _, ok := a[k]; !ok {
			t.Errorf("assessment JSON lacks %q", k)
		}
	}
}

// TestInvalidInputListsEveryProblem: exit 2 and every problem with its field path.
func TestInvalidInputListsEveryProblem(t *testing.T) {
	code, _, stderr := runCLI(t, "assess", "testdata/invalid.yaml")
	if code != exitUsage {
		t.Fatalf("exit %d, want 2", code)
	}
	for _, want := range []string{
		`deployment.customer_country: "XX" is not an ISO 3166-1 alpha-2 code (line 5)`,
		"deployment.colour: is not a field of deployment (line 10)",
		"activities[0].data_subjects[0].count: must be 0 or more, not -1 (line 22)",
		`activities[0].data_categories[1]: "telepathy" is not one of contact,`,
		`activities[0].evaluation_or_scoring: must be true or false, not the string "no" (line 27)`,
		`activities[1].transfers[0].to_country: "ZZ" is not an ISO 3166-1 alpha-2 code (line 48)`,
		`activities[1].name: "Orders" is a duplicate of activities[0] (names are compared ignoring case) (line 32)`,
		"invalid questionnaire (7 problems)",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
}

func TestValidate(t *testing.T) {
	code, out, _ := runCLI(t, "validate", "../../examples/hospital-ehr-germany.yaml", "testdata/invalid.yaml")
	if code != exitUsage {
		t.Errorf("exit %d, want 2", code)
	}
	if !strings.Contains(out, "hospital-ehr-germany.yaml: valid") || !strings.Contains(out, "testdata/invalid.yaml: invalid questionnaire") {
		t.Errorf("validate output:\n%s", out)
	}
}

func TestHostingCheck(t *testing.T) {
	code, out, stderr := runCLI(t, "hosting-check", "--data", "health,contact", "--subjects", "DE,CN,RU,AQ", "--host", "SG", "--as-of", "2026-11-25")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"DE: Allowed with a transfer mechanism [allowed_with_mechanism]", "EU standard contractual clauses (Commission Implementing Decision (EU) 2021/914)",
		"CN: Depends on the number of people [depends_on_count]",
		"under 10,000 people: Allowed with a transfer mechanism", "CAC standard contract for the export of personal information", "CAC Provisions (2024) Art. 8",
		"10,000 or more people: Needs regulator approval", "CAC security assessment of the data export",
		"RU: Must stay in the country [must_localise]", "152-FZ Art. 18(5)",
		"AQ: Unknown [unknown]", "Assumptions:", "The number of people was not given",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("hosting-check output lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = runCLI(t, "hosting-check", "--data", "health", "--subjects", "US", "--host", "CN", "--count", "20000", "--as-of", "2026-11-25")
	if code != exitOK || !strings.Contains(out, "US: Needs legal review [needs_legal_review]") || !strings.Contains(out, "28 CFR 202.205") {
		t.Errorf("US bulk health data hosted in China (exit %d):\n%s", code, out)
	}
	code, out, _ = runCLI(t, "hosting-check", "--data", "contact", "--subjects", "DE,FR", "--provider", "aws", "--region", "eu-west-3")
	if code != exitOK || !strings.Contains(out, "Hosting in FR") || !strings.Contains(out, "DE: Allowed [allowed]") {
		t.Errorf("hosting-check by region (exit %d):\n%s", code, out)
	}
	code, out, _ = runCLI(t, "hosting-check", "--data", "contact", "--subjects", "CN", "--host", "SG", "--lang", "zh-CN", "--as-of", "2026-11-25")
	if code != exitOK || !strings.Contains(out, "CN: 取决于人数") || !strings.Contains(out, "不满 100,000 人") || !strings.Contains(out, "个人信息出境标准合同（自生效之日起 10 个工作日内") {
		t.Errorf("hosting-check in Chinese (exit %d):\n%s", code, out)
	}
	// Chinese law by its official Chinese name and article; the law by name, not its code
	for _, want := range []string{"《促进和规范数据跨境流动规定》第八条", "《个人信息保护法》: "} {
		if !strings.Contains(out, want) {
			t.Errorf("hosting-check in Chinese lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "CN_PIPL") {
		t.Errorf("hosting-check in Chinese shows the regime code:\n%s", out)
	}
}

// TestHostingCheckCount: contact data of people in China hosted in Singapore: without a count
// every PIPL band; with 500,000 people PIPL's standard contract by its own name, never SCCs.
func TestHostingCheckCount(t *testing.T) {
	base := []string{"hosting-check", "--data", "contact", "--subjects", "CN", "--host", "SG", "--as-of", "2026-11-25", "--format", "json"}
	code, out, stderr := runCLI(t, base...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var res assessments.HostingResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	a := res.Answers[0]
	var bands []string
	for _, b := range a.Bands {
		bands = append(bands, b.Label+": "+b.Answer)
	}
	want := []string{"under 100,000 people: allowed", "100,000 to 999,999 people: allowed_with_mechanism", "1,000,000 or more people: needs_regulator_approval"}
	if a.Answer != assessments.AnswerDependsOnCount || !slices.Equal(bands, want) || !slices.Equal(res.Needs, []string{"count"}) {
		t.Errorf("no count: %s %v %v", a.Answer, bands, res.Needs)
	}
	code, out, _ = runCLI(t, append(base, "--count", "500000")...)
	res = assessments.HostingResult{}
	if err := json.Unmarshal([]byte(out), &res); code != exitOK || err != nil {
		t.Fatalf("exit %d: %v", code, err)
	}
	a = res.Answers[0]
	if a.Answer != assessments.AnswerWithMechanism || len(a.Bands) != 0 || strings.Contains(out, "SCC") || strings.Contains(out, "contractual clauses") ||
		!strings.Contains(out, "CAC standard contract for the export of personal information") {
		t.Errorf("500,000 people:\n%s", out)
	}
	code, out, _ = runCLI(t, "hosting-check", "--data", "contact", "--subjects", "CN", "--host", "SG", "--as-of", "2026-11-25", "--count", "500000")
	if code != exitOK || strings.Contains(out, "SCC") || !strings.Contains(out, "CN: Allowed with a transfer mechanism") || !strings.Contains(out, "500,000 people per subject country, as given.") {
		t.Errorf("500,000 people, text (exit %d):\n%s", code, out)
	}
}

// TestHostingCheckFailOn: --fail-on exits 1 when an answer is at or above the level; an answer
// that depends on the count counts as its worst band.
func TestHostingCheckFailOn(t *testing.T) {
	cn := []string{"hosting-check", "--data", "contact", "--subjects", "CN", "--host", "SG", "--as-of", "2026-11-25"}
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"DefaultNone", cn, exitOK},
		{"NoCountApproval", append(slices.Clone(cn), "--fail-on", "approval"), exitFindings},
		{"NoCountLocalise", append(slices.Clone(cn), "--fail-on", "localise"), exitOK},
		{"SmallCountMechanism", append(slices.Clone(cn), "--count", "5000", "--fail-on", "mechanism"), exitOK},
		{"MidCountMechanism", append(slices.Clone(cn), "--count", "500000", "--fail-on", "mechanism"), exitFindings},
		{"MidCountApproval", append(slices.Clone(cn), "--count", "500000", "--fail-on", "approval"), exitOK},
		{"LargeCountApproval", append(slices.Clone(cn), "--count", "2000000", "--fail-on", "approval"), exitFindings},
		{"RussiaLocalise", []string{"hosting-check", "--data", "contact", "--subjects", "RU", "--host", "SG", "--fail-on", "localise"}, exitFindings},
		{"UnknownIsReview", []string{"hosting-check", "--data", "contact", "--subjects", "AQ", "--host", "SG", "--fail-on", "review"}, exitFindings},
		{"ErrBadLevel", append(slices.Clone(cn), "--fail-on", "blocker"), exitUsage},
		{"ErrNegativeCount", append(slices.Clone(cn), "--count", "-1"), exitUsage},
		{"ErrZeroCount", append(slices.Clone(cn), "--count", "0"), exitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if code, out, stderr := runCLI(t, tt.args...); code != tt.want {
				t.Errorf("exit %d, want %d\n%s%s", code, tt.want, out, stderr)
			}
		})
	}
}

func TestHostingCheckBadInput(t *testing.T) {
	code, _, stderr := runCLI(t, "hosting-check", "--data", "health,gossip", "--subjects", "DE,XX", "--host", "SG")
	if code != exitUsage {
		t.Fatalf("exit %d, want 2", code)
	}
	for _, want := range []string{`data[1]: "gossip" is not one of`, `subjects[1]: "XX" is not an ISO 3166-1 alpha-2 code`} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
}

func TestPoliciesCommands(t *testing.T) {
	code, out, _ := runCLI(t, "policies", "list")
	if code != exitOK || !strings.Contains(out, "GDPR-PROCESSOR-NO-DPA") || !strings.Contains(out, "<REGIME>-TRANSFER-NO-MECHANISM") {
		t.Errorf("policies list (exit %d):\n%s", code, out)
	}
	code, out, _ = runCLI(t, "policies", "explain", "HIPAA-BAA-MISSING")
	if code != exitOK || !strings.Contains(out, "45 CFR 164.502(e)") || !strings.Contains(out, "https://www.hhs.gov/") {
		t.Errorf("policies explain (exit %d):\n%s", code, out)
	}
	code, out, _ = runCLI(t, "policies", "explain", "CN-PIPL-TRANSFER-APPROVAL-REQUIRED")
	if code != exitOK || !strings.Contains(out, "<REGIME>-TRANSFER-APPROVAL-REQUIRED") {
		t.Errorf("explain of a generic rule instance (exit %d):\n%s", code, out)
	}
	if code, _, _ = runCLI(t, "policies", "explain", "NO-SUCH-RULE"); code != exitUsage {
		t.Errorf("explain of an unknown rule: exit %d, want 2", code)
	}
	code, out, _ = runCLI(t, "schema")
	var s map[string]any
	if code != exitOK || json.Unmarshal([]byte(out), &s) != nil || s["$schema"] == nil {
		t.Errorf("schema (exit %d) is not a JSON Schema", code)
	}
}

// TestPoliciesListUncertain: policies list --uncertain names every rule and data entry marked
// confirm, every citation marked secondary and every text that says it needs confirming — in
// the embedded library and in company files (testdata/company-uncertain: a jurisdiction with a
// marked tier and a secondary citation, a company data file, a rule marked in METADATA).
func TestPoliciesListUncertain(t *testing.T) {
	dir := filepath.Join("testdata", "company-uncertain")
	code, out, stderr := runCLI(t, "policies", "list", "--uncertain", "--policies", dir, "--format", "json")
	var got []policies.Uncertain
	if code != exitOK || json.Unmarshal([]byte(out), &got) != nil {
		t.Fatalf("exit %d: %s%s", code, out, stderr)
	}
	want := []policies.Uncertain{
		{Kind: "data", File: filepath.Join(dir, "acme_register.json"), Line: 4, Path: "register[1]", Marker: "confirm", Text: "Ask the CISO whether SEC-9 still applies to backups."},
		{Kind: "data", File: filepath.Join(dir, "jurisdictions", "aq_example.json"), Line: 23, Path: "transfer.tiers[0]", Marker: "confirm", Text: "Check the 100,000 threshold against the gazetted text of s.9."},
		{Kind: "data", File: filepath.Join(dir, "jurisdictions", "aq_example.json"), Line: 29, Path: "transfer.tiers[0].citation", Marker: "secondary", Text: "EDA s.9 (law firm summary) — https://lawfirm.example.com/eda-s9"},
		{Kind: "data", File: filepath.Join(dir, "jurisdictions", "aq_example.json"), Line: 38, Path: "notes[0]", Marker: "text", Text: "The s.12 deadline should be confirmed against the regulations."},
		{Kind: "rule", File: filepath.Join(dir, "acme.rego"), Line: 4, Path: "ACME-SEC-9-BACKUPS", Marker: "confirm", Text: "SEC-9 is being revised; check the current wording with the CISO."},
	}
	var company []policies.Uncertain
	library := 0
	for _, u := range got {
		if strings.HasPrefix(u.File, dir) {
			company = append(company, u)
		} else if strings.HasPrefix(u.File, "policies/data/") || strings.HasPrefix(u.File, "policies/rego/") {
			library++
		} else {
			t.Errorf("entry in an unexpected file: %+v", u)
		}
	}
	if !slices.Equal(company, want) {
		t.Errorf("company entries:\n got  %+v\n want %+v", company, want)
	}
	// the library's own (whatever is marked today) are listed without --policies too
	code, out, _ = runCLI(t, "policies", "list", "--uncertain", "--format", "json")
	var plain []policies.Uncertain
	if code != exitOK || json.Unmarshal([]byte(out), &plain) != nil || len(plain) != library {
		t.Errorf("without --policies: exit %d, %d entries, want the %d of the library", code, len(plain), library)
	}
	code, out, _ = runCLI(t, "policies", "list", "--uncertain", "--policies", dir)
	for _, w := range []string{filepath.Join(dir, "jurisdictions", "aq_example.json") + ":23  data transfer.tiers[0]  [confirm]", "Check the 100,000 threshold", "entries to confirm: "} {
		if code != exitOK || !strings.Contains(out, w) {
			t.Errorf("text output (exit %d) lacks %q", code, w)
		}
	}
}

func TestCompanyPolicies(t *testing.T) {
	src, err := os.ReadFile("../../examples/hospital-ehr-germany.yaml")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "no-cmk.yaml")
	if err := os.WriteFile(path, bytes.Replace(src, []byte("customer_managed_keys: true"), []byte("customer_managed_keys: false"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	_, jsonOut, stderr := runCLI(t, "assess", "--format", "json", "--fail-on", "none", "--policies", "testdata/company", path)
	var a struct {
		PolicyDigest string `json:"policy_digest"`
		Findings     []struct{ ID, Severity string }
	}
	if err := json.Unmarshal([]byte(jsonOut), &a); err != nil {
		t.Fatalf("%v: %s", err, stderr)
	}
	found := false
	for _, f := range a.Findings {
		found = found || (f.ID == "ACME-SEC-7-CMK" && f.Severity == "high")
	}
	if !found {
		t.Errorf("company finding ACME-SEC-7-CMK missing: %+v", a.Findings)
	}
	_, plain, _ := runCLI(t, "assess", "--format", "json", "--fail-on", "none", path)
	var b struct {
		PolicyDigest string `json:"policy_digest"`
	}
	if err := json.Unmarshal([]byte(plain), &b); err != nil {
		t.Fatal(err)
	}
	if a.PolicyDigest == b.PolicyDigest {
		t.Error("company rules must change the policy digest")
	}
	code, out, _ := runCLI(t, "policies", "test", "--policies", "testdata/company", "--run", "acme")
	if code != exitOK || !strings.Contains(out, "PASS piaflow.custom.acme_test.test_cmk_required_for_health") {
		t.Errorf("company tests (exit %d):\n%s", code, out)
	}
}

func TestCompanyPoliciesAreSandboxed(t *testing.T) {
	code, _, stderr := runCLI(t, "assess", "../../examples/hospital-ehr-germany.yaml", "--policies", "testdata/company-network")
	if code != exitUsage || !strings.Contains(stderr, "http.send") {
		t.Errorf("a rule calling http.send must be refused (exit %d):\n%s", code, stderr)
	}
	code, _, stderr = runCLI(t, "assess", "../../examples/hospital-ehr-germany.yaml", "--policies", "testdata/company-package")
	if code != exitUsage || !strings.Contains(stderr, "company rules must be in a package piaflow.custom.<name>") {
		t.Errorf("a rule outside piaflow.custom must be refused (exit %d):\n%s", code, stderr)
	}
	code, _, stderr = runCLI(t, "assess", "../../examples/hospital-ehr-germany.yaml", "--policies", "testdata/company-nested")
	if code != exitUsage || !strings.Contains(stderr, "package piaflow.custom.acme.security") {
		t.Errorf("a nested company package (never collected) must be refused (exit %d):\n%s", code, stderr)
	}
	code, _, stderr = runCLI(t, "assess", "../../examples/hospital-ehr-germany.yaml", "--policies", "testdata/company-nometa")
	if code != exitUsage || !strings.Contains(stderr, "a findings rule needs a METADATA block") {
		t.Errorf("a company findings rule without metadata must be refused (exit %d):\n%s", code, stderr)
	}
}

func TestHelpAndExplainLookups(t *testing.T) {
	if code, out, _ := runCLI(t, "assess", "-h"); code != exitOK || !strings.Contains(out, "usage: piaflow assess FILE") {
		t.Errorf("assess -h: exit %d\n%s", code, out)
	}
	for id, want := range map[string]string{
		"HIPAA-BREACH-PROCESS":        "HIPAA-BREACH-PROCESS — No breach notification process for PHI",
		"GDPR-EU-REPRESENTATIVE":      "GDPR-EU-REPRESENTATIVE — EU representative required",
		"TRANSFER-NO-MECHANISM":       "<REGIME>-TRANSFER-NO-MECHANISM",
		"UK-GDPR-PROCESSOR-NO-DPA":    "GDPR-PROCESSOR-NO-DPA — Processor without an Art. 28 contract",
		"cn-pipl-breach-process":      "<REGIME>-BREACH-PROCESS",
		"VN-PDPD-TRANSFER-PROHIBITED": "<REGIME>-TRANSFER-PROHIBITED",
	} {
		code, out, _ := runCLI(t, "policies", "explain", id)
		if code != exitOK || !strings.HasPrefix(out, want) {
			t.Errorf("explain %s: exit %d, got %q, want prefix %q", id, code, strings.SplitN(out, "\n", 2)[0], want)
		}
	}
	if code, _, _ := runCLI(t, "policies", "test", "--run", "("); code != exitUsage {
		t.Errorf("a bad --run pattern: exit %d, want 2", code)
	}
}

func TestFailingRegoTestsExitOne(t *testing.T) {
	dir := t.TempDir()
	src := "package piaflow.custom.broken_test\n\ntest_fails if {\n\t1 == 2\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "broken_test.rego"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := runCLI(t, "policies", "test", "--policies", dir, "--run", "broken")
	if code != exitFindings || !strings.Contains(out, "FAIL piaflow.custom.broken_test.test_fails") {
		t.Errorf("failing company test: exit %d\n%s", code, out)
	}
}

func TestAdminBootstrap(t *testing.T) {
	dir := t.TempDir()
	code, out, stderr := runCLI(t, "admin", "create-user", "--name", "alice", "--role", "admin", "--data-dir", dir)
	if code != exitOK || !strings.Contains(out, "created user alice") {
		t.Fatalf("create-user: exit %d %s %s", code, out, stderr)
	}
	if code, _, stderr = runCLI(t, "admin", "create-user", "--name", "alice", "--role", "admin", "--data-dir", dir); code != exitUsage || !strings.Contains(stderr, "exists already") {
		t.Errorf("duplicate user: exit %d %s", code, stderr)
	}
	if code, _, stderr = runCLI(t, "admin", "create-user", "--name", "bob", "--role", "king", "--data-dir", dir); code != exitUsage || !strings.Contains(stderr, `role "king"`) {
		t.Errorf("bad role: exit %d %s", code, stderr)
	}
	code, out, _ = runCLI(t, "admin", "create-token", "--user", "alice", "--data-dir", dir)
	secret := strings.TrimSpace(out)
	if code != exitOK || !strings.HasPrefix(secret, "pf_") {
		t.Fatalf("create-token: exit %d %q", code, out)
	}
	st, err := store.Open(context.Background(), store.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if u, err := st.Authenticate(context.Background(), secret); err != nil || u.Name != "alice" {
		t.Errorf("the printed token does not authenticate alice: %+v %v", u, err)
	}
	if code, _, stderr = runCLI(t, "admin", "create-token", "--user", "nobody", "--data-dir", dir); code != exitUsage || !strings.Contains(stderr, `no user "nobody"`) {
		t.Errorf("token for an unknown user: exit %d %s", code, stderr)
	}
}

// TestServe starts the server on a free port, calls it over HTTP and stops it as SIGTERM would.
func TestServe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		var errb bytes.Buffer
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data-dir", t.TempDir()}, pw, &errb)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	go io.Copy(io.Discard, pr)
	url := strings.Fields(line)[3]
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("first line %q", line)
	}
	resp, err := http.Get(url + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("readyz: %d", resp.StatusCode)
	}
	cancel()
	if code := <-done; code != exitOK {
		t.Errorf("serve exited %d after shutdown", code)
	}
}

// TestServeDemo: --demo loads a user per role and the examples, evaluated, into a fresh database.
func TestServeDemo(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		var errb bytes.Buffer
		done <- run(ctx, []string{"serve", "--demo", "--addr", "127.0.0.1:0", "--data-dir", t.TempDir()}, pw, &errb)
		pw.Close()
	}()
	rd := bufio.NewReader(pr)
	tokens := map[string]string{}
	var url string
	for url == "" {
		line, err := rd.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		f := strings.Fields(line)
		switch {
		case len(f) == 2 && strings.HasPrefix(f[0], "demo-"):
			tokens[f[0]] = f[1]
		case strings.HasPrefix(line, "piaflow listening on "):
			url = f[3]
		}
	}
	go io.Copy(io.Discard, pr)
	req, _ := http.NewRequest("GET", url+"/api/v1/deployments?verdict=blocked", nil)
	req.Header.Set("Authorization", "Bearer "+tokens["demo-sales"])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || len(tokens) != 4 || !strings.Contains(string(b), `"total":6`) {
		t.Errorf("demo: %d tokens, %d %s", len(tokens), resp.StatusCode, b)
	}
	cancel()
	if code := <-done; code != exitOK {
		t.Errorf("serve exited %d", code)
	}
}

// TestServeDemoAgain: serve --demo on a database that has the demo already says how to get a
// token again, instead of printing none.
func TestServeDemoAgain(t *testing.T) {
	dir := t.TempDir()
	for i, want := range []string{"demo users (tokens shown once):", "piaflow admin create-token --user demo-engineer"} {
		ctx, cancel := context.WithCancel(context.Background())
		pr, pw := io.Pipe()
		done := make(chan int, 1)
		go func() {
			done <- run(ctx, []string{"serve", "--demo", "--addr", "127.0.0.1:0", "--data-dir", dir}, pw, io.Discard)
			pw.Close()
		}()
		rd := bufio.NewReader(pr)
		var out strings.Builder
		for {
			line, err := rd.ReadString('\n')
			if err != nil {
				t.Fatalf("run %d: %v\n%s", i+1, err, out.String())
			}
			out.WriteString(line)
			if strings.HasPrefix(line, "piaflow listening on ") {
				break
			}
		}
		go io.Copy(io.Discard, pr)
		if !strings.Contains(out.String(), want) {
			t.Errorf("run %d lacks %q:\n%s", i+1, want, out.String())
		}
		cancel()
		if code := <-done; code != exitOK {
			t.Errorf("run %d: serve exited %d", i+1, code)
		}
	}
}

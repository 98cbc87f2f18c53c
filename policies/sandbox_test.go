package policies

import (
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
)

// sandboxQuestionnaire is a small questionnaire (JSON) the company rules below are evaluated on.
const sandboxQuestionnaire = `{
  "deployment": {"name": "Sandbox", "customer_country": "DE", "vendor_country": "DE", "go_live": "2027-01-01"},
  "activities": [{"name": "Accounts", "purpose": "service", "lawful_basis": "contract",
    "data_categories": ["contact"], "data_subjects": [{"type": "customers", "countries": ["DE"], "count": 100, "vulnerable": false}],
    "transfers": []}],
  "hosting": [{"name": "primary", "provider": "Hetzner", "country": "DE", "role": "primary"}],
  "processors": [],
  "security": {"mfa": true, "encryption_at_rest": true, "encryption_in_transit": true},
  "governance": {}
}`

// companyHeader is the METADATA a company findings rule needs (see checkCustomFindings).
const companyHeader = `package piaflow.custom.acme

# METADATA
# title: Sandbox probe
# description: A company rule probing the sandbox.
# related_resources:
#   - ref: https://intranet.example.com/policies/probe
#     description: ACME probe
# custom:
#   id: ACME-PROBE
#   regime: acme
#   ref: ACME probe
#   kind: violation
#   severity: high
#   owner: engineering
#   action: Nothing
`

// companyEngine compiles the embedded library plus one company module (src).
func companyEngine(t *testing.T, src string, opts Options) (*Engine, error) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "acme.rego"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	opts.ExtraDir = dir
	return New(context.Background(), opts)
}

// probe is a company findings rule whose body is body.
func probe(body string) string {
	return companyHeader + "findings contains data.piaflow.lib.finding(rego.metadata.rule(), \"probe\", []) if {\n" + body + "\n}\n"
}

func TestCompanyRulesMayNotCallNondeterministicOrUnboundedBuiltins(t *testing.T) {
	for _, tc := range []struct{ builtin, call string }{
		// nondeterministic in OPA's own catalogue (ast.Builtin.Nondeterministic)
		{"http.send", `r := http.send({"method": "GET", "url": "https://example.com"})`},
		{"io.jwt.decode_verify", `r := io.jwt.decode_verify("x.y.z", {"secret": "s"})`},
		{"io.jwt.encode_sign", `r := io.jwt.encode_sign({"alg": "HS256"}, {}, {"kty": "oct", "k": "cw"})`},
		{"io.jwt.encode_sign_raw", `r := io.jwt.encode_sign_raw("{}", "{}", "{}")`},
		{"json.match_schema", `[ok, _] := json.match_schema({}, {})`},
		{"json.verify_schema", `[ok, _] := json.verify_schema({})`},
		{"time.now_ns", `time.now_ns() > 0`},
		{"rand.intn", `rand.intn("x", 10) >= 0`},
		{"uuid.rfc4122", `uuid.rfc4122("x") != ""`},
		{"opa.runtime", `opa.runtime().env`},
		{"net.lookup_ip_addr", `count(net.lookup_ip_addr("example.com")) > 0`},
		// reading the clock, though OPA does not mark them nondeterministic
		{"crypto.x509.parse_and_verify_certificates", `[ok, _] := crypto.x509.parse_and_verify_certificates("x")`},
		{"crypto.x509.parse_and_verify_certificates_with_options", `[ok, _] := crypto.x509.parse_and_verify_certificates_with_options("x", {})`},
		// unbounded: OPA offers no size limit
		{"numbers.range", `count(numbers.range(1, 2e9)) > 0`},
		{"numbers.range_step", `count(numbers.range_step(1, 2e9, 1)) > 0`},
		{"net.cidr_expand", `count(net.cidr_expand("0.0.0.0/0")) > 0`},
		{"graph.reachable_paths", `count(graph.reachable_paths({"a": ["b"]}, ["a"])) > 0`},
		{"strings.render_template", `strings.render_template("{{range .}}{{range $.}}x{{end}}{{end}}", {"a": [1]}) != ""`},
		// nested in a comprehension
		{"numbers.range", `count([x | some x in numbers.range(1, 2e9)]) > 0`},
	} {
		t.Run(tc.builtin, func(t *testing.T) {
			_, err := companyEngine(t, probe("\t"+tc.call), Options{})
			if err == nil {
				t.Fatalf("a company rule calling %s was accepted", tc.builtin)
			}
			if want := "policies may not call " + tc.builtin + ":"; !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not say %q", err, want)
			}
		})
	}
}

func TestCompanyRulesMayNotUseTheServersTimeZone(t *testing.T) {
	for _, call := range []string{
		`time.date([0, "Local"])[0] > 0`,
		`time.format([0, "Local", "2006-01-02"]) != ""`,
		`x := [time.clock([0, "Local"]), 1]`,
		`time.diff([0, "UTC"], [0, "Local"])[0] == 0`,
	} {
		t.Run(call, func(t *testing.T) {
			_, err := companyEngine(t, probe("\t"+call), Options{})
			if err == nil || !strings.Contains(err.Error(), `with the zone "Local"`) {
				t.Fatalf("a company rule calling %s: got %v, want a refusal naming the zone", call, err)
			}
		})
	}
	// A named zone is deterministic.
	if _, err := companyEngine(t, probe("\t"+`time.date([0, "Europe/Berlin"])[0] > 0`), Options{}); err != nil {
		t.Fatalf("a named zone was refused: %v", err)
	}
}

func TestCapabilitiesFollowOPAsNondeterministicFlag(t *testing.T) {
	allowed := map[string]bool{}
	for _, b := range Capabilities().Builtins {
		allowed[b.Name] = true
	}
	for _, b := range ast.CapabilitiesForThisVersion().Builtins {
		if b.Nondeterministic && allowed[b.Name] {
			t.Errorf("%s is nondeterministic but allowed", b.Name)
		}
	}
	for name := range unboundedBuiltins {
		if allowed[name] {
			t.Errorf("%s is unbounded but allowed", name)
		}
	}
	for name := range clockBuiltins {
		if allowed[name] {
			t.Errorf("%s reads the clock but is allowed", name)
		}
	}
	for _, name := range []string{"sprintf", "concat", "time.add_date", "uuid.parse"} {
		if !allowed[name] {
			t.Errorf("%s is deterministic and bounded but refused", name)
		}
	}
}

// quadratic is a 20,000 × 20,000 comprehension built without numbers.range.
const quadratic = `	xs := split(sprintf("%020000d", [0]), "")
	count([[i, j] | some i, _ in xs; some j, _ in xs]) > 0`

func TestEvaluationStopsAtTheEngineDeadline(t *testing.T) {
	e, err := companyEngine(t, probe(quadratic), Options{Timeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.Evaluate(context.Background(), []byte(sandboxQuestionnaire), "2026-11-25")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want a context deadline error, got %v", err)
	}
	_, _, err = e.Profile(context.Background(), []byte(sandboxQuestionnaire), "2026-11-25", 5)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("profile: want a context deadline error, got %v", err)
	}
}

func TestEvaluationStopsAtTheCallersDeadline(t *testing.T) {
	e, err := companyEngine(t, probe(quadratic), Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err = e.Evaluate(ctx, []byte(sandboxQuestionnaire), "2026-11-25")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want a context deadline error, got %v", err)
	}
}

func TestRegoTestsStopAtTheEngineDeadline(t *testing.T) {
	src := "package piaflow.custom.acme_test\n\ntest_slow if {\n" + quadratic + "\n}\n"
	e, err := companyEngine(t, src, Options{Timeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := e.RunTests(context.Background(), "acme_test")
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Results) != 1 || rep.Results[0].Passed || !strings.Contains(rep.Results[0].Message, "deadline exceeded") {
		t.Fatalf("want test_slow to fail on its deadline, got %+v", rep.Results)
	}
}

func TestEvaluationStopsAtTheHeapLimit(t *testing.T) {
	runtime.GC()
	limit := heapBytes() + 256<<20
	// The deadline is far away: the heap limit must stop it.
	e, err := companyEngine(t, probe(quadratic), Options{Timeout: 10 * time.Minute, MaxHeapBytes: limit})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.Evaluate(context.Background(), []byte(sandboxQuestionnaire), "2026-11-25")
	if !errors.Is(err, ErrMemoryLimit) {
		t.Fatalf("want ErrMemoryLimit, got %v", err)
	}
}

func TestEvaluationTimeIsTheAsOfDate(t *testing.T) {
	// No built-in policies may call reads the clock; the evaluation time is set all the same.
	q, err := rego.New(rego.Query("x := time.now_ns()")).PrepareForEval(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	rs, err := guard{timeout: time.Minute, maxHeap: DefaultMaxHeap}.eval(context.Background(), q, day)
	if err != nil {
		t.Fatal(err)
	}
	if got := rs[0].Bindings["x"]; got.(interface{ String() string }).String() != "1795564800000000000" {
		t.Errorf("time.now_ns() = %v, want the as-of date 2026-11-25 (1795564800000000000)", got)
	}
	e, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Evaluate(context.Background(), []byte(sandboxQuestionnaire), "25.11.2026"); err == nil || !strings.Contains(err.Error(), `as-of date "25.11.2026"`) {
		t.Errorf("a malformed as-of date: %v", err)
	}
}

func TestCompanyFindingsMayNotUseBuiltinIdsOrRegimes(t *testing.T) {
	header := func(id, regime string) string {
		h := strings.Replace(companyHeader, "id: ACME-PROBE", "id: "+id, 1)
		return strings.Replace(h, "regime: acme", "regime: "+regime, 1)
	}
	body := "findings contains data.piaflow.lib.finding(rego.metadata.rule(), \"probe\", []) if {\n\ttrue\n}\n"
	for _, tc := range []struct{ name, id, regime, want string }{
		{"BuiltinID", "GDPR-SEC-MFA", "acme", "company finding id GDPR-SEC-MFA is a built-in finding id"},
		{"BuiltinRegime", "ACME-PROBE", "gdpr", "regime gdpr is a built-in regime"},
		{"JurisdictionRegime", "ACME-PROBE", "cn_pipl", "regime cn_pipl is a built-in regime"},
		{"GenericPrefix", "CN-PIPL-ACME", "acme", "company finding id CN-PIPL-ACME starts with CN-PIPL-"},
		{"UKPrefix", "UK-GDPR-ACME", "acme", "starts with UK-GDPR-"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := companyEngine(t, header(tc.id, tc.regime)+body, Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("want an error saying %q, got %v", tc.want, err)
			}
		})
	}
	t.Run("EmittedUnderABuiltinID", func(t *testing.T) {
		// The METADATA is the company's own, the finding it emits is not.
		src := companyHeader + `findings contains f if {
	f := object.union(data.piaflow.lib.finding(rego.metadata.rule(), "probe", []), {"id": "GDPR-SEC-MFA", "regime": "gdpr"})
}
`
		e, err := companyEngine(t, src, Options{})
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.Evaluate(context.Background(), []byte(sandboxQuestionnaire), "2026-11-25")
		if err == nil || !strings.Contains(err.Error(), "company finding id GDPR-SEC-MFA is a built-in finding id") {
			t.Fatalf("want the emitted finding refused, got %v", err)
		}
	})
	t.Run("OwnIDAndRegime", func(t *testing.T) {
		e, err := companyEngine(t, companyHeader+body, Options{})
		if err != nil {
			t.Fatal(err)
		}
		out, err := e.Evaluate(context.Background(), []byte(sandboxQuestionnaire), "2026-11-25")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(out), `"id":"ACME-PROBE"`) {
			t.Errorf("the company finding is missing: %s", out)
		}
	})
}

func TestResultIsTheLibrarysEntrypoint(t *testing.T) {
	e, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	var entrypoints []string
	for _, ref := range e.compiler.GetAnnotationSet().Flatten() {
		if ref.Annotations.Entrypoint {
			entrypoints = append(entrypoints, ref.Path.String())
		}
	}
	if len(entrypoints) != 1 || entrypoints[0] != resultQuery {
		t.Errorf("entrypoints %v, want exactly [%s]", entrypoints, resultQuery)
	}
}

var updateBuiltins = flag.Bool("update-builtins", false, "rewrite policies/testdata/builtins.txt from this OPA's capabilities")

// TestAllowedBuiltinsReviewed pins the built-ins policies may call (testdata/builtins.txt): an
// OPA upgrade that adds one fails here until someone has read what it does — whether it reads
// the clock, the environment or the network without OPA marking it nondeterministic, or has no
// bound on its result — and either refuses it in sandbox.go or accepts it with -update-builtins.
func TestAllowedBuiltinsReviewed(t *testing.T) {
	var names []string
	for _, b := range Capabilities().Builtins {
		names = append(names, b.Name)
	}
	slices.Sort(names)
	names = slices.Compact(names)
	got := strings.Join(names, "\n") + "\n"
	const file = "testdata/builtins.txt"
	if *updateBuiltins {
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (go test ./policies -run TestAllowedBuiltinsReviewed -update-builtins writes it)", err)
	}
	wantSet := map[string]bool{}
	for _, n := range strings.Fields(string(want)) {
		wantSet[n] = true
	}
	for _, n := range names {
		if !wantSet[n] {
			t.Errorf("built-in %s is allowed but not reviewed: read its implementation (does it read the clock, the environment, the network, or grow without bound?), then refuse it in sandbox.go or accept it with -update-builtins", n)
		}
		delete(wantSet, n)
	}
	for n := range wantSet {
		t.Errorf("built-in %s is reviewed but no longer allowed: rewrite the list with -update-builtins", n)
	}
}

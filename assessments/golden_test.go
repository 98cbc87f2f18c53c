package assessments

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/piaflow/piaflow/policies"
)

var update = flag.Bool("update", false, "rewrite golden files (docs/questionnaire.schema.json, testdata/golden/*.json)")

// goldenAsOf pins the law applied by golden tests.
var goldenAsOf = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

func mustEvaluator(tb testing.TB) *Evaluator {
	tb.Helper()
	e, err := policies.Default()
	if err != nil {
		tb.Fatal(err)
	}
	return NewEvaluator(e)
}

func compareGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./assessments -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the generated output; review the change and run go test ./assessments -update", path)
	}
}

// TestSchemaGolden keeps the published JSON Schema equal to the one generated from the Go types.
func TestSchemaGolden(t *testing.T) {
	b, err := JSONSchema()
	if err != nil {
		t.Fatal(err)
	}
	compareGolden(t, "../docs/questionnaire.schema.json", append(b, '\n'))
	var s map[string]any
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	req := s["required"].([]any)
	if len(req) != 6 || s["additionalProperties"] != false {
		t.Errorf("root schema: required %v, additionalProperties %v", req, s["additionalProperties"])
	}
}

// TestExamplesGolden pins the assessment of every example questionnaire.
func TestExamplesGolden(t *testing.T) {
	paths, err := filepath.Glob("../examples/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatal("no examples")
	}
	ev := mustEvaluator(t)
	for _, p := range paths {
		name := strings.TrimSuffix(filepath.Base(p), ".yaml")
		t.Run(name, func(t *testing.T) {
			q, err := Parse(mustRead(t, p))
			if err != nil {
				t.Fatal(err)
			}
			a, err := ev.Assess(context.Background(), q, goldenAsOf)
			if err != nil {
				t.Fatal(err)
			}
			if a.PolicyDigest == "" || !strings.HasPrefix(a.PolicyDigest, "sha256:") {
				t.Errorf("policy digest %q", a.PolicyDigest)
			}
			a.PolicyDigest = "sha256:(pinned out of golden files)"
			for _, f := range a.Findings {
				if f.Citation.Ref == "" || !strings.HasPrefix(f.Citation.URL, "http") || len(f.Fields) == 0 {
					t.Errorf("finding %s lacks a citation or fields: %+v", f.Key, f)
				}
			}
			got, err := json.MarshalIndent(a, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			compareGolden(t, filepath.Join("testdata", "golden", name+".json"), append(got, '\n'))
		})
	}
}

// TestAssessDeterministic evaluates the same questionnaire twice, concurrently, and expects
// byte-identical results.
func TestAssessDeterministic(t *testing.T) {
	ev := mustEvaluator(t)
	q, err := Parse(mustRead(t, "../examples/hospital-ehr-germany.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	results := make(chan []byte, 8)
	for range 8 {
		go func() {
			a, err := ev.Assess(context.Background(), q, goldenAsOf)
			if err != nil {
				t.Error(err)
				results <- nil
				return
			}
			b, _ := json.Marshal(a)
			results <- b
		}()
	}
	first := <-results
	for range 7 {
		if b := <-results; !bytes.Equal(b, first) {
			t.Fatal("concurrent evaluations differ")
		}
	}
}

// TestAsOfChangesLaw re-runs an assessment under older law: Brazil's EU adequacy decision
// (2026) does not exist on 2025-06-01.
func TestAsOfChangesLaw(t *testing.T) {
	ev := mustEvaluator(t)
	q := HostingQuery{Data: []string{"contact"}, Subjects: []string{"DE"}, Host: "BR"}
	for _, tt := range []struct {
		day  time.Time
		want string
	}{
		{time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC), AnswerAllowed},
		{time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), AnswerWithMechanism},
	} {
		q.AsOf = tt.day
		res, err := ev.HostingCheck(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if got := res.Answers[0].Answer; got != tt.want {
			t.Errorf("as of %s: DE->BR %s, want %s (%v)", tt.day.Format(time.DateOnly), got, tt.want, res.Answers[0].Reasons)
		}
	}
}

// engineRecord is where TestEngineVersionPinned keeps the policy digest and the golden results'
// digest it last saw.
const engineRecord = "testdata/golden/ENGINE"

// TestEngineVersionPinned: the golden results may change only with the policies' digest, which
// covers the policy files and policies.EngineVersion. When they change while the digest does not
// — the Go code between a questionnaire and its result changed — the test fails until
// EngineVersion is bumped, also under -update: a stored result of the earlier code would
// otherwise be reused, and assessments carried over, as if nothing had changed. It runs after
// TestExamplesGolden (which writes the golden files under -update) and records, under -update,
// the digests it saw.
func TestEngineVersionPinned(t *testing.T) {
	e, err := policies.Default()
	if err != nil {
		t.Fatal(err)
	}
	paths, err := filepath.Glob("testdata/golden/*.json")
	if err != nil || len(paths) == 0 {
		t.Fatalf("golden results: %v", err)
	}
	h := sha256.New()
	for _, p := range paths { // Glob sorts
		fmt.Fprintf(h, "%s\x00", filepath.Base(p))
		h.Write(mustRead(t, p))
	}
	got := fmt.Sprintf("policy_digest %s\ngoldens sha256:%x\n", e.Digest(), h.Sum(nil))
	b, err := os.ReadFile(engineRecord)
	if err != nil && !*update {
		t.Fatalf("%v (run go test ./assessments -update to record the digests)", err)
	}
	var digest, goldens string
	if err == nil {
		if _, err := fmt.Sscanf(string(b), "policy_digest %s\ngoldens %s\n", &digest, &goldens); err != nil {
			t.Fatalf("%s: %v", engineRecord, err)
		}
	}
	if string(b) == got {
		return
	}
	if digest == e.Digest() {
		t.Fatalf("the golden results changed, but neither the policy files nor policies.EngineVersion (%d) did: bump EngineVersion (the Go between a questionnaire and its result changed), then run go test ./assessments -update", policies.EngineVersion)
	}
	if !*update {
		t.Fatalf("%s records policy digest %s, the policies are now %s: run go test ./assessments -update", engineRecord, digest, e.Digest())
	}
	if err := os.WriteFile(engineRecord, []byte(got), 0o644); err != nil {
		t.Fatal(err)
	}
}

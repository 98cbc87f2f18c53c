package assessments

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
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

package assessments

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/piaflow/piaflow/policies"
)

// Benchmarks of evaluation (targets on the 2-core reference machine: a typical questionnaire
// under 2 ms median, the large one under 20 ms; policy compilation under 2 s). Record results in
// bench/README.md.

func BenchmarkAssessExamples(b *testing.B) {
	ev := NewEvaluator(mustEvaluator(b).engine, WithResultCache(0)) // measure evaluations, not cache hits
	paths, _ := filepath.Glob("../examples/*.yaml")
	for _, p := range paths {
		q, err := Parse(mustRead(b, p))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(strings.TrimSuffix(filepath.Base(p), ".yaml"), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ev.Assess(context.Background(), q, goldenAsOf); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// largeQuestionnaire has 50 activities, 30 subject countries and 20 processors.
func largeQuestionnaire() *Questionnaire {
	countries := []string{"DE", "FR", "IT", "ES", "NL", "PL", "SE", "AT", "BE", "IE", "GB", "CH", "US", "CA", "BR", "MX", "IN", "CN", "JP", "KR", "SG", "ID", "VN", "AE", "SA", "ZA", "NG", "KE", "TR", "RU"}
	categories := [][]string{{"contact", "identifiers"}, {"contact", "health"}, {"financial", "payment_card"}, {"employment", "government_id"}, {"behavioural", "online_identifiers"}}
	q := HostingQuery{}.Questionnaire()
	q.Deployment.Name, q.Deployment.CustomerCountry, q.Deployment.VendorCountry, q.Deployment.Sector = "Large", "DE", "DE", "finance"
	q.Hosting = []Hosting{
		{Name: "primary", Provider: "aws", Region: "eu-central-1", Country: "DE", Role: "primary"},
		{Name: "dr", Provider: "aws", Region: "us-east-1", Country: "US", Role: "disaster_recovery"},
		{Name: "backup", Provider: "azure", Region: "southeastasia", Country: "SG", Role: "backup"},
	}
	q.Activities = nil
	for i := range 50 {
		a := Activity{
			Name: fmt.Sprintf("Activity %02d", i), LegalBasis: "contract", DataCategories: categories[i%len(categories)],
			EvaluationOrScoring: i%3 == 0, SystematicMonitoring: i%7 == 0, CombinesDatasets: i%4 == 0,
		}
		for k := range 6 {
			c := countries[(i+k*5)%len(countries)]
			a.DataSubjects = append(a.DataSubjects, DataSubject{Type: "customers", Countries: []string{c}, Count: 1000 * (i + k + 1)})
		}
		for k := range 3 {
			a.Transfers = append(a.Transfers, Transfer{ToCountry: countries[(i*7+k*11)%len(countries)], Recipient: fmt.Sprintf("Support %d", k),
				RecipientType: "processor", Access: "remote_access", Mechanism: []string{"scc", "none", "standard_contract"}[k]})
		}
		q.Activities = append(q.Activities, a)
	}
	for i := range 20 {
		q.Processors = append(q.Processors, Processor{Name: fmt.Sprintf("Processor %02d", i), Country: countries[(i*3)%len(countries)], Service: "support", DPASigned: i%2 == 0})
	}
	return q
}

func BenchmarkAssessLarge(b *testing.B) {
	ev := NewEvaluator(mustEvaluator(b).engine, WithResultCache(0)) // measure evaluations, not cache hits
	q := largeQuestionnaire()
	if err := q.Validate(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ev.Assess(context.Background(), q, goldenAsOf); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	src := mustRead(b, "../examples/hospital-ehr-germany.yaml")
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		if _, err := Parse(src); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, start)
}

// BenchmarkParseExamples reads and validates every example, as written (YAML) and in the JSON
// form it is stored as (what the server parses on every read of a revision).
func BenchmarkParseExamples(b *testing.B) {
	paths, _ := filepath.Glob("../examples/*.yaml")
	for _, p := range paths {
		src := mustRead(b, p)
		q, err := Parse(src)
		if err != nil {
			b.Fatal(err)
		}
		stored, err := json.Marshal(q)
		if err != nil {
			b.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(p), ".yaml")
		for _, form := range []struct {
			name string
			src  []byte
		}{{"yaml", src}, {"json", stored}} {
			b.Run(name+"/"+form.name, func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(form.src)))
				start := cpuTime()
				for b.Loop() {
					if _, err := Parse(form.src); err != nil {
						b.Fatal(err)
					}
				}
				reportCPU(b, start)
			})
		}
	}
}

// BenchmarkInput converts a validated questionnaire into the policies' input document (the
// cache key included), as every evaluation does before OPA runs.
func BenchmarkInput(b *testing.B) {
	ev := mustEvaluator(b)
	for _, name := range []string{"hospital-ehr-germany", "logistics-china-vietnam"} {
		q, err := Parse(mustRead(b, "../examples/"+name+".yaml"))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			start := cpuTime()
			for b.Loop() {
				if _, err := benchInput(ev, q); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, start)
		})
	}
	q := largeQuestionnaire()
	if err := q.Validate(); err != nil {
		b.Fatal(err)
	}
	b.Run("large", func(b *testing.B) {
		b.ReportAllocs()
		start := cpuTime()
		for b.Loop() {
			if _, err := benchInput(ev, q); err != nil {
				b.Fatal(err)
			}
		}
		reportCPU(b, start)
	})
}

func BenchmarkCompilePolicies(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := policies.New(context.Background(), policies.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestLargeQuestionnaireIsValid(t *testing.T) {
	q := largeQuestionnaire()
	if err := q.Validate(); err != nil {
		t.Fatal(err)
	}
	a, err := mustEvaluator(t).Assess(context.Background(), q, goldenAsOf)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Transfers) < 100 || len(a.Regimes) < 15 {
		t.Errorf("large questionnaire gives %d transfers, %d regimes", len(a.Transfers), len(a.Regimes))
	}
}

// benchInput is what an evaluation computes before OPA runs: the cache key and OPA's input value.
func benchInput(ev *Evaluator, q *Questionnaire) (ast.Value, error) {
	in, err := ev.input(q, goldenAsOf)
	if err != nil {
		return nil, err
	}
	qv, err := questionnaireValue(in.q)
	if err != nil {
		return nil, err
	}
	return policies.InputValue(qv, in.day), nil
}

package assessments

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
)

// referenceInputs are documents the fast reader and decoder must read as the reference ways do:
// the examples (YAML and stored JSON), the test questionnaires, and documents with problems.
func referenceInputs(tb testing.TB) [][]byte {
	tb.Helper()
	paths, _ := filepath.Glob("../examples/*.yaml")
	more, _ := filepath.Glob("testdata/*.yaml")
	var out [][]byte
	for _, p := range append(paths, more...) {
		src := mustRead(tb, p)
		out = append(out, src)
		if q, err := Parse(src); err == nil {
			b, _ := json.Marshal(q)
			ind, _ := json.MarshalIndent(q, "", "  ")
			out = append(out, b, ind)
		}
	}
	// valid documents with the shapes the direct decoding must get right: empty lists behind
	// pointers, maps, escapes, YAML's other spellings of numbers and booleans
	out = append(out,
		edit(tb, "    legal_basis: contract", "    legal_basis: contract\n    targeted_countries: []\n    monitored_countries: [FR]\n    collected_in: []\n    retention_days: 0x1F"),
		edit(tb, "  critical_infrastructure: false", "  critical_infrastructure: False\n  scope_confirmed: {gdpr: TRUE, cn_pipl: false}\n  customer_employees: 1_000\n  go_live: \"2027-01-01\""),
		edit(tb, "  customer: Test GmbH", `  customer: "M\u00fcller \U0001F600 \t <&>"`),
		edit(tb, "  customer: Test GmbH", "  customer: &c Test GmbH\n  name: *c"),
	)
	out = append(out,
		[]byte(`{"schema_version": 1, "deployment": {}}`),
		[]byte(`{"a": "\ud83d\ude00 \u007f \ud800", "a": 1}`),
		[]byte(`{"a": "\udc00"}`),
		[]byte(`{"a": "x\u00e9\n\t\"\\\/"} `),
		[]byte(`{"a": 1, "a": {"b": [1, 2, {"c": 3}]}, "b": 1.5e3, "c": -0, "d": 1e400, "e": 12345678901234567890}`),
		[]byte(`{"a": [1, 2,]}`),
		[]byte(`{"a": 01}`),
		[]byte(`{"a": "\x"}`),
		[]byte("{\"a\": \"tab\there\"}"),
		[]byte(`{"a": 1} {"b": 2}`),
		[]byte(`{"a": 1} x`),
		[]byte(`[1, 2, 3]`),
		[]byte(`{"schema_version": true, "deployment": [], "hosting": {}, "activities": "x", "Security": {}}`),
		[]byte(strings.Repeat("[", 40)+strings.Repeat("]", 40)),
		[]byte(strings.Repeat(`{"a":`, 20)+"1"+strings.Repeat("}", 20)),
		[]byte(strings.Repeat(`{"a":`, 20)+"1"+strings.Repeat("}", 19)),
		[]byte(`{"a": tru}`),
		[]byte(`{"a": nul, "b": false}`),
		[]byte("{\"a\":\r\n 1,\n\n \"b\":\n [\n null\n ]\n}\n"),
		[]byte(`{"deployment": {"name": "\u003cb\u003e", "scope_confirmed": {"gdpr": true, "xx": false, "cn_pipl": "yes"}}}`),
	)
	return out
}

// mutations are documents near b with problems: bytes dropped, doubled or replaced.
func mutations(b []byte, rng *rand.Rand, n int) [][]byte {
	repl := []string{`"`, `\`, `{`, `}`, `[`, `]`, `,`, `:`, `1`, `-`, `null`, `"x"`, "\n", ` `, `\u00e9`, `\ud800`, `1.5`, `true`}
	var out [][]byte
	for range n {
		c := append([]byte(nil), b...)
		for range 1 + rng.IntN(3) {
			if len(c) == 0 {
				break
			}
			i := rng.IntN(len(c))
			switch rng.IntN(3) {
			case 0:
				c = append(c[:i], c[i+1:]...)
			case 1:
				j := min(len(c), i+1+rng.IntN(20))
				c = append(c[:j], append(append([]byte(nil), c[i:j]...), c[j:]...)...)
			default:
				c = append(c[:i], append([]byte(repl[rng.IntN(len(repl))]), c[i+1:]...)...)
			}
		}
		out = append(out, c)
	}
	return out
}

// sameParse fails unless the fast and the reference ways read b alike.
func sameParse(t *testing.T, b []byte) {
	t.Helper()
	q1, err1 := parse(b, true)
	q2, err2 := parse(b, false)
	var ve1, ve2 *ValidationError
	switch {
	case errors.As(err1, &ve1) != errors.As(err2, &ve2):
		t.Fatalf("reference error %v, fast error %v\n%s", err1, err2, b)
	case ve1 != nil:
		if !reflect.DeepEqual(ve1.Problems, ve2.Problems) {
			t.Fatalf("problems differ:\nreference %v\nfast      %v\n%s", err1, err2, b)
		}
	case (err1 == nil) != (err2 == nil) || err1 != nil && err1.Error() != err2.Error():
		t.Fatalf("reference error %v, fast error %v\n%s", err1, err2, b)
	case !reflect.DeepEqual(q1, q2):
		t.Fatalf("questionnaires differ:\nreference %+v\nfast      %+v\n%s", q1, q2, b)
	}
	if q2 != nil {
		d, err := decodeDocument(b)
		if err != nil {
			t.Fatal(err)
		}
		stored, _ := json.Marshal(q2)
		resolved := 0
		for i, h := range q2.Hosting {
			if fieldpathLookup(d.root, "hosting", i, "country") == nil && h.Country != "" {
				resolved++
			}
		}
		if bound := storedBound(d.root, reflect.TypeFor[Questionnaire]()) + resolved*len(`,"country":"XX"`); bound < len(stored) {
			t.Fatalf("stored form of %d bytes over its bound %d\n%s", len(stored), bound, b)
		}
	}
}

// TestParseAgreesWithReference: the fast JSON reader and the direct decoding give every
// questionnaire, problem, path, line and message the reference ways give.
func TestParseAgreesWithReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 3))
	for _, b := range referenceInputs(t) {
		sameParse(t, b)
		for _, m := range mutations(b, rng, 60) {
			sameParse(t, m)
		}
	}
}

func FuzzParseAgreesWithReference(f *testing.F) {
	for _, b := range referenceInputs(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) { sameParse(t, b) })
}

// fieldpathLookup is the value at list[i].field of the document, or nil.
func fieldpathLookup(root *node, list string, i int, field string) *node {
	m, _ := root.value.(map[string]*node)
	if m[list] == nil {
		return nil
	}
	l, _ := m[list].value.([]*node)
	if i >= len(l) {
		return nil
	}
	e, _ := l[i].value.(map[string]*node)
	return e[field]
}

// TestQuestionnaireValue: the input built from the Go model is the value OPA reads from the
// questionnaire's JSON.
func TestQuestionnaireValue(t *testing.T) {
	var qs []*Questionnaire
	paths, _ := filepath.Glob("../examples/*.yaml")
	more, _ := filepath.Glob("testdata/*.yaml")
	for _, p := range append(paths, more...) {
		q, err := Parse(mustRead(t, p))
		if err != nil {
			t.Fatal(err)
		}
		qs = append(qs, q)
	}
	large := largeQuestionnaire()
	if err := large.Validate(); err != nil {
		t.Fatal(err)
	}
	odd := *qs[0]
	odd.Deployment.Name = "bad \xff\xfe UTF-8 <&>"
	odd.Hosting = nil
	odd.Activities = append([]Activity{{Name: "x", DataCategories: []string{}, TargetedCountries: &[]string{}}}, odd.Activities...)
	odd.Deployment.ScopeConfirmed = map[string]bool{"gdpr": true, "cn_pipl": false}
	odd.Deployment.CustomerEmployees = new(int)
	qs = append(qs, large, &odd, &Questionnaire{})
	for i, q := range qs {
		b, err := json.Marshal(q)
		if err != nil {
			t.Fatal(err)
		}
		want, err := ast.ValueFromReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		got, err := questionnaireValue(q)
		if err != nil {
			t.Fatal(err)
		}
		if ast.Compare(got, want) != 0 {
			t.Errorf("questionnaire %d: from the model\n%v\nfrom its JSON\n%v", i, got, want)
		}
	}
}

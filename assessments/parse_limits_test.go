package assessments

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// validQuestionnaire is testdata/valid.yaml, parsed.
func validQuestionnaire(tb testing.TB) *Questionnaire {
	tb.Helper()
	q, err := Parse(mustRead(tb, "testdata/valid.yaml"))
	if err != nil {
		tb.Fatal(err)
	}
	return q
}

// validationProblems returns the problems of err, which must be a *ValidationError.
func validationProblems(tb testing.TB, err error) []Problem {
	tb.Helper()
	var ve *ValidationError
	if !errors.As(err, &ve) {
		tb.Fatalf("want a *ValidationError, got %v", err)
	}
	return ve.Problems
}

func repeat[T any](v T, n int) []T {
	out := make([]T, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// TestListLimits: every list longer than its limit is refused with its path and the limit,
// before its entries are checked.
func TestListLimits(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(q *Questionnaire)
		path  string
		limit int
	}{
		{"ErrTooManyHosting", func(q *Questionnaire) { q.Hosting = repeat(q.Hosting[0], MaxHosting+1) }, "hosting", MaxHosting},
		{"ErrTooManyActivities", func(q *Questionnaire) { q.Activities = repeat(q.Activities[0], MaxActivities+1) }, "activities", MaxActivities},
		{"ErrTooManyProcessors", func(q *Questionnaire) {
			q.Processors = repeat(Processor{Name: "p", Country: "DE", Service: "s"}, MaxProcessors+1)
		}, "processors", MaxProcessors},
		{"ErrTooManyPurposes", func(q *Questionnaire) { q.Activities[0].Purposes = repeat("p", MaxPurposes+1) }, "activities[0].purposes", MaxPurposes},
		{"ErrTooManyDataSubjects", func(q *Questionnaire) {
			q.Activities[0].DataSubjects = repeat(q.Activities[0].DataSubjects[0], MaxDataSubjects+1)
		}, "activities[0].data_subjects", MaxDataSubjects},
		{"ErrTooManyTransfers", func(q *Questionnaire) {
			q.Activities[0].Transfers = repeat(q.Activities[0].Transfers[0], MaxTransfers+1)
		}, "activities[0].transfers", MaxTransfers},
		{"ErrTooManyCountries", func(q *Questionnaire) {
			q.Activities[0].DataSubjects[0].Countries = repeat("DE", MaxCountries+1)
		}, "activities[0].data_subjects[0].countries", MaxCountries},
		{"ErrTooManyCitizenships", func(q *Questionnaire) {
			q.Activities[0].DataSubjects[0].Citizenship = repeat("DE", MaxCountries+1)
		}, "activities[0].data_subjects[0].citizenship", MaxCountries},
		{"ErrTooManyDataCategories", func(q *Questionnaire) {
			q.Activities[0].DataCategories = repeat("contact", MaxVocabularyItems+1)
		}, "activities[0].data_categories", MaxVocabularyItems},
		{"ErrTooManyRecipientCertifications", func(q *Questionnaire) {
			q.Activities[0].Transfers[0].RecipientCertifications = repeat("eu_us_dpf", MaxVocabularyItems+1)
		}, "activities[0].transfers[0].recipient_certifications", MaxVocabularyItems},
		{"ErrTooManyCertifications", func(q *Questionnaire) {
			q.Processors = []Processor{{Name: "p", Country: "DE", Service: "s", Certifications: repeat("eu_us_dpf", MaxVocabularyItems+1)}}
		}, "processors[0].certifications", MaxVocabularyItems},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := validQuestionnaire(t)
			tt.edit(q)
			got := validationProblems(t, q.Validate())
			want := Problem{Path: tt.path, Message: fmt.Sprintf("has %d entries: at most %d are accepted", tt.limit+1, tt.limit)}
			if len(got) != 1 || got[0].Path != want.Path || got[0].Message != want.Message {
				t.Errorf("problems %v, want only %v", got, want)
			}
		})
		t.Run(strings.Replace(tt.name, "ErrTooMany", "AtLimit", 1), func(t *testing.T) {
			// At the limit the list is checked entry by entry as before.
			q := validQuestionnaire(t)
			tt.edit(q)
			v := reflect.ValueOf(q).Elem()
			for _, step := range strings.Split(tt.path, ".") {
				name, idx, _ := strings.Cut(step, "[")
				v = fieldByJSONName(v, name)
				if idx != "" {
					v = v.Index(0)
				}
			}
			v.Set(v.Slice(0, tt.limit))
			for _, p := range problemsOf(q.Validate()) {
				if p.Path == tt.path {
					t.Errorf("a list of %d entries: %v", tt.limit, p)
				}
			}
		})
	}
}

func fieldByJSONName(v reflect.Value, name string) reflect.Value {
	for i := range v.NumField() {
		if jsonName(v.Type().Field(i)) == name {
			return v.Field(i)
		}
	}
	panic("no field " + name)
}

func problemsOf(err error) []Problem {
	var ve *ValidationError
	if errors.As(err, &ve) {
		return ve.Problems
	}
	return nil
}

// TestEveryListIsBounded: no list of the questionnaire may be added without a limit, and the
// JSON Schema publishes every limit as maxItems.
func TestEveryListIsBounded(t *testing.T) {
	var walk func(t reflect.Type, path string)
	seen := map[reflect.Type]bool{}
	lists := 0
	walk = func(rt reflect.Type, path string) {
		if rt.Kind() == reflect.Pointer {
			rt = rt.Elem()
		}
		if rt.Kind() != reflect.Struct || seen[rt] {
			return
		}
		seen[rt] = true
		for i := range rt.NumField() {
			f := rt.Field(i)
			ft := f.Type
			if ft.Kind() == reflect.Slice {
				lists++
				if maxItems(rt, f) <= 0 {
					t.Errorf("%s.%s is a list without a limit: give it one in maxItems", path, jsonName(f))
				}
				ft = ft.Elem()
			}
			walk(ft, path+"."+jsonName(f))
		}
	}
	walk(reflect.TypeFor[Questionnaire](), "questionnaire")
	b, err := JSONSchema()
	if err != nil {
		t.Fatal(err)
	}
	var schema any
	if err := json.Unmarshal(b, &schema); err != nil {
		t.Fatal(err)
	}
	arrays := 0
	var check func(v any)
	check = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if v["type"] == "array" {
				arrays++
				if _, ok := v["maxItems"]; !ok {
					t.Errorf("a list of the schema has no maxItems: %.200v", v)
				}
			}
			for _, x := range v {
				check(x)
			}
		case []any:
			for _, x := range v {
				check(x)
			}
		}
	}
	check(schema)
	if arrays < lists || lists < 11 {
		t.Errorf("the schema has %d lists, the Go types %d", arrays, lists)
	}
}

// withExtra is the valid questionnaire as JSON with a field "extra" of the given JSON value.
func withExtra(tb testing.TB, extra string) []byte {
	tb.Helper()
	b, err := json.Marshal(validQuestionnaire(tb))
	if err != nil {
		tb.Fatal(err)
	}
	return []byte(`{"extra":` + extra + "," + string(b[1:]))
}

func TestDocumentLimits(t *testing.T) {
	nested := func(depth int) string { return strings.Repeat("[", depth) + "1" + strings.Repeat("]", depth) }
	deepPath := "extra" + strings.Repeat("[0]", MaxDepth-1)
	tests := []struct {
		name string
		in   []byte
		want []string
	}{
		{"AtMaxDepth", withExtra(t, nested(MaxDepth-1)), []string{"extra: is not a field of the questionnaire"}},
		{"ErrTooDeepJSON", withExtra(t, nested(MaxDepth)), []string{deepPath + ": nests deeper than 16 levels: a questionnaire's fields nest at most 6", "extra: is not a field of the questionnaire"}},
		{"ErrTooDeepYAML", []byte("extra: " + nested(MaxDepth) + "\n" + string(mustRead(t, "testdata/valid.yaml"))), []string{deepPath + ": nests deeper than 16 levels: a questionnaire's fields nest at most 6", "extra: is not a field of the questionnaire"}},
		{"ErrTooDeepInAField", edit(t, "        countries: [DE]", "        countries: [DE, "+nested(11)+"]"), []string{
			"activities[0].data_subjects[0].countries[1]" + strings.Repeat("[0]", 10) + ": nests deeper than 16 levels: a questionnaire's fields nest at most 6",
			"activities[0].data_subjects[0].countries[1]: must be a string, not a list",
		}},
		{"ErrTooManyValuesJSON", []byte(`{"x":[` + strings.Repeat("0,", MaxValues) + `0]}`),
			[]string{fmt.Sprintf("x[%d]: is value number %d: a questionnaire holds at most %d values (each use of a YAML alias counts)", MaxValues-2, MaxValues+1, MaxValues)}},
		{"ErrTooManyValuesYAML", []byte("x: [" + strings.Repeat("0,", MaxValues) + "0]"),
			[]string{fmt.Sprintf("x[%d]: is value number %d: a questionnaire holds at most %d values (each use of a YAML alias counts)", MaxValues-2, MaxValues+1, MaxValues)}},
		{"ErrTooLarge", append(mustRead(t, "testdata/valid.yaml"), strings.Repeat("#", MaxDocumentBytes)...),
			[]string{fmt.Sprintf("(document): is %d bytes: a questionnaire has at most %d", MaxDocumentBytes+1390, MaxDocumentBytes)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.in)
			var got []string
			for _, p := range problemsOf(err) {
				got = append(got, p.Path+": "+p.Message)
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestStoredFormWithinLimits: a YAML document can be small and expand, through aliases, to JSON
// larger than MaxDocumentBytes; it is refused, since the stored JSON could not be read back.
func TestStoredFormWithinLimits(t *testing.T) {
	long := strings.Repeat("p", 60_000)
	src := edit(t, "    legal_basis: contract", "    legal_basis: contract\n    purposes: [&p "+long+strings.Repeat(", *p", MaxPurposes-1)+"]")
	if len(src) > MaxDocumentBytes/10 {
		t.Fatalf("the input is %d bytes", len(src))
	}
	got := validationProblems(t, func() error { _, err := Parse(src); return err }())
	if len(got) != 1 || got[0].Path != "(document)" || !strings.Contains(got[0].Message, fmt.Sprintf("bytes as JSON: a questionnaire has at most %d", MaxDocumentBytes)) {
		t.Errorf("problems %v", got)
	}
}

// TestProblemsBounded: validation lists MaxProblems problems and counts the rest.
func TestProblemsBounded(t *testing.T) {
	src := edit(t, "        countries: [DE]", "        countries: ["+strings.Repeat("XX, ", MaxCountries-1)+"DE]")
	got := validationProblems(t, func() error { _, err := Parse(src); return err }())
	if len(got) != MaxProblems+1 {
		t.Fatalf("%d problems, want %d", len(got), MaxProblems+1)
	}
	// countries[0..298] are not codes, countries[1..298] duplicates of countries[0].
	want := fmt.Sprintf("and %d more problems: only the first %d are listed", (MaxCountries-1)+(MaxCountries-2)-MaxProblems, MaxProblems)
	if last := got[MaxProblems]; last.Path != "(document)" || last.Message != want {
		t.Errorf("last problem %v, want (document): %s", last, want)
	}
	if got[0].Path != "activities[0].data_subjects[0].countries[0]" {
		t.Errorf("first problem %v", got[0])
	}
}

// TestLongKeysShortenedInPaths: a problem's path shows at most 64 bytes of a long key, so that
// problems beneath it do not repeat it.
func TestLongKeysShortenedInPaths(t *testing.T) {
	key := strings.Repeat("é", 100)
	_, err := Parse([]byte(`{"` + key + `": {"a": 1, "a": 2}}`))
	got := validationProblems(t, err)
	want := `["` + strings.Repeat("é", 32) + `…"].a`
	if got[0].Path != want || got[0].Message != "is given twice" {
		t.Errorf("first problem %v, want %s: is given twice", got[0], want)
	}
}

// allocated returns the bytes allocated by one Parse of b.
func allocated(b []byte) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, _ = Parse(b)
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestParseMemoryLinear: the memory Parse allocates stays proportional to the input, however
// the input nests (old code: 2.9 GB for 19 KB of aliased nested YAML, as the path of every value
// was built in full) or spreads. The bound is generous for YAML, whose parser allocates a few
// hundred bytes for every byte of deeply nested flow syntax.
func TestParseMemoryLinear(t *testing.T) {
	const perByte, fixed = 1024, 1 << 20
	_, _ = Parse(mustRead(t, "testdata/valid.yaml")) // load the policy data Parse reads once
	wide := func(n int, f func(i int) string) string {
		var b strings.Builder
		for i := range n {
			b.WriteString(f(i))
		}
		return b.String()
	}
	inputs := map[string]string{
		"DeepJSONLists":   strings.Repeat("[", 9000) + strings.Repeat("]", 9000),
		"DeepJSONObjects": strings.Repeat(`{"a":`, 9000) + "1" + strings.Repeat("}", 9000),
		"ManyDeepJSON": "{" + wide(16, func(i int) string {
			return fmt.Sprintf(`"a%d":%s%s,`, i, strings.Repeat("[", 9000), strings.Repeat("]", 9000))
		}) + `"z":1}`,
		"DeepYAMLFlow":    "x: " + strings.Repeat("[", 9000) + strings.Repeat("]", 9000),
		"DeepYAMLBlock":   strings.Repeat("- ", 5000) + "x\n",
		"DeepYAMLAliases": "x: &x " + strings.Repeat("[", 9500) + strings.Repeat("]", 9500) + "\ny: [" + strings.Repeat("*x, ", 20) + "*x]\n",
		"WideJSONList":    `{"x":[` + strings.Repeat("1,", 90_000) + "1]}",
		"WideYAMLMap":     wide(20_000, func(i int) string { return fmt.Sprintf("k%d: 1\n", i) }),
		"LongKeyProblems": `{"` + strings.Repeat("k", 100_000) + `":{` + strings.Repeat(`"a":1,`, 10_000) + `"a":1}}`,
		"ManyProblems":    string(edit(t, "        countries: [DE]", "        countries: ["+strings.Repeat("XX, ", MaxCountries-1)+"DE]")),
	}
	for name, in := range inputs {
		t.Run(name, func(t *testing.T) {
			got := allocated([]byte(in))
			if bound := uint64(perByte*len(in) + fixed); got > bound {
				t.Errorf("Parse of %d bytes allocated %d bytes, over %d (%d per byte + 1 MiB)", len(in), got, bound, perByte)
			}
		})
	}
}

package assessments

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
)

func mustRead(tb testing.TB, path string) []byte {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// edit returns the valid test questionnaire with the YAML line `from` replaced by `to`.
func edit(tb testing.TB, from, to string) []byte {
	tb.Helper()
	s := string(mustRead(tb, "testdata/valid.yaml"))
	if !strings.Contains(s, from) {
		tb.Fatalf("testdata/valid.yaml has no %q", from)
	}
	return []byte(strings.Replace(s, from, to, 1))
}

func problems(tb testing.TB, b []byte) []string {
	tb.Helper()
	_, err := Parse(b)
	var ve *ValidationError
	if !errors.As(err, &ve) {
		tb.Fatalf("want a *ValidationError, got %v", err)
	}
	out := make([]string, len(ve.Problems))
	for i, p := range ve.Problems {
		out[i] = p.Path + ": " + p.Message
	}
	return out
}

func TestParseValid(t *testing.T) {
	q, err := Parse(mustRead(t, "testdata/valid.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if got := q.Hosting[0].Country; got != "DE" {
		t.Errorf("hosting country resolved from aws eu-central-1 = %q, want DE", got)
	}
	if q.Activities[0].Transfers[0].ToCountry != "FR" || q.Deployment.CustomerType != nil {
		t.Errorf("unexpected decode: %+v", q.Deployment)
	}
}

func TestParseJSONEqualsYAML(t *testing.T) {
	y, err := Parse(mustRead(t, "testdata/valid.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(y)
	if err != nil {
		t.Fatal(err)
	}
	j, err := Parse(b)
	if err != nil {
		t.Fatalf("JSON form of a valid questionnaire: %v", err)
	}
	jb, _ := json.Marshal(j)
	if string(jb) != string(b) {
		t.Errorf("JSON round trip changed the questionnaire:\n%s\n%s", b, jb)
	}
}

func TestParseInvalid(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want []string
	}{
		{"ErrUnknownField", edit(t, "  sector: retail\n", "  sector: retail\n  sectr: retail\n"),
			[]string{"deployment.sectr: is not a field of deployment"}},
		{"ErrWrongType", edit(t, "        count: 100", "        count: many"),
			[]string{`activities[0].data_subjects[0].count: must be a whole number, not the string "many"`}},
		{"ErrBoolType", edit(t, "  mfa: true", "  mfa: 1"),
			[]string{"security.mfa: must be true or false, not the number 1"}},
		{"ErrBadEnum", edit(t, "    legal_basis: contract", "    legal_basis: contractual"),
			[]string{`activities[0].legal_basis: "contractual" is not one of consent, contract, legal_obligation, vital_interests, public_task, legitimate_interests, unknown`}},
		{"ErrBadCountry", edit(t, "      - to_country: FR", "      - to_country: XX"),
			[]string{`activities[0].transfers[0].to_country: "XX" is not an ISO 3166-1 alpha-2 code`}},
		{"ErrLowerCaseCountry", edit(t, "        countries: [DE]", "        countries: [de]"),
			[]string{`activities[0].data_subjects[0].countries[0]: "de" is not an ISO 3166-1 alpha-2 code (write it in upper case: "DE")`}},
		{"ErrEUIsNotACountry", edit(t, "  customer_country: DE", "  customer_country: EU"),
			[]string{`deployment.customer_country: "EU" is not an ISO 3166-1 alpha-2 code (the EU is not a country: list the member states)`}},
		{"ErrNegativeCount", edit(t, "        count: 100", "        count: -5"),
			[]string{"activities[0].data_subjects[0].count: must be 0 or more, not -5"}},
		{"ErrMissingRequired", edit(t, "  customer: Test GmbH\n", ""),
			[]string{"deployment.customer: is required"}},
		{"ErrEmptyList", edit(t, "    data_categories: [contact]", "    data_categories: []"),
			[]string{"activities[0].data_categories: needs at least 1 entries"}},
		{"ErrBadDate", edit(t, "  critical_infrastructure: false", "  critical_infrastructure: false\n  go_live: 2027-13-01"),
			[]string{`deployment.go_live: "2027-13-01" is not a date (YYYY-MM-DD)`}},
		{"ErrDuplicateName", edit(t, "hosting:\n", "hosting:\n  - name: primary\n    provider: on_premises\n    country: DE\n    role: backup\n"),
			[]string{`hosting[1].name: "primary" is a duplicate of hosting[0] (names are compared ignoring case)`}},
		{"ErrDuplicateNameIgnoringCase", edit(t, "processors: []", "processors:\n  - {name: AWS, country: US, service: hosting, dpa_signed: true, baa_signed: false}\n  - {name: aws, country: US, service: backup, dpa_signed: true, baa_signed: false}"),
			[]string{`processors[1].name: "aws" is a duplicate of processors[0] (names are compared ignoring case)`}},
		{"ErrDuplicateCountry", edit(t, "        countries: [DE]", "        countries: [DE, DE]"),
			[]string{"activities[0].data_subjects[0].countries[1]: DE is a duplicate of activities[0].data_subjects[0].countries[0]"}},
		{"ErrNull", edit(t, "processors: []", "processors: ~"),
			[]string{"processors: is null: leave the field out or give a value"}},
		{"ErrTwoDocuments", append(mustRead(t, "testdata/valid.yaml"), []byte("---\nschema_version: 1\n")...),
			[]string{"(document): holds more than one YAML document: give one questionnaire per file"}},
		{"ErrFarFutureDate", edit(t, "  critical_infrastructure: false", "  critical_infrastructure: false\n  go_live: 2999-01-01"),
			[]string{`deployment.go_live: "2999-01-01" is outside the years 1970 to 2200`}},
		{"ErrEveryProblemAtOnce", edit(t, "        count: 100", "        count: many\n  - name: Orders\n    legal_basis: contract\n    data_subjects: [{type: customers, countries: [DE], count: 1, vulnerable: false}]\n    data_categories: [contact]\n    automated_decisions: false\n    decisions_legal_effect: false\n    evaluation_or_scoring: false\n    systematic_monitoring: false\n    combines_datasets: false\n    innovative_technology: false\n    prevents_rights_or_service: false"),
			nil},
		{"ErrRegionMismatch", edit(t, "    region: eu-central-1\n", "    region: eu-central-1\n    country: FR\n"),
			[]string{`hosting[0].country: "FR" does not match aws region eu-central-1, which is in DE`}},
		{"ErrUnknownRegion", edit(t, "    region: eu-central-1", "    region: eu-middle-9"),
			[]string{`hosting[0].region: "eu-middle-9" is not a aws region piaflow knows: give hosting[0].country`}},
		{"ErrDuplicateKey", edit(t, "  mfa: true", "  mfa: true\n  mfa: false"),
			[]string{"security.mfa: is given twice"}},
		{"ErrSchemaVersion", edit(t, "schema_version: 1", "schema_version: 2"),
			[]string{"schema_version: 2 is not supported (this piaflow reads version 1)"}},
		{"ErrNotYAML", []byte("deployment: [unclosed"),
			[]string{"(document): is not valid JSON or YAML: line 1: did not find expected ',' or ']'"}},
		{"ErrEmpty", []byte("  \n"), []string{"(document): is empty"}},
		{"ErrManyAtOnce", edit(t, "        access: remote_access\n        mechanism: none", "        access: telepathy\n        mechanism: vibes"),
			[]string{
				`activities[0].transfers[0].access: "telepathy" is not one of remote_access, copy, storage`,
				`activities[0].transfers[0].mechanism: "vibes" is not one of none, adequacy, scc, bcr, consent, contract, certification, security_assessment, standard_contract, derogation`,
			}},
		{"ErrObjectExpected", edit(t, "security:\n", "security: yes\nx:\n"),
			nil},
		// A list or object in a list of codes was a map key in the duplicate check: a panic.
		{"ErrListInCountries", edit(t, "        countries: [DE]", "        countries: [[DE], {a: 1}, [DE]]"),
			[]string{
				"activities[0].data_subjects[0].countries[0]: must be a string, not a list",
				"activities[0].data_subjects[0].countries[1]: must be a string, not an object",
				"activities[0].data_subjects[0].countries[2]: must be a string, not a list",
			}},
		{"ErrKeyNotAString", edit(t, "  mfa: true", "  mfa: true\n  [a]: 1"),
			[]string{"security: has a key that is not a string"}},
		{"ErrOddKeyInPath", edit(t, "  mfa: true", "  mfa: true\n  \"a.b[0]\": 1"),
			[]string{`security["a.b[0]"]: is not a field of security`}},
		{"ErrJSONDuplicateKey", []byte(`{"schema_version": 1, "schema_version": 1}`), nil},
		{"ErrJSONTrailingData", []byte(`{"schema_version": 1} {}`),
			[]string{"(document): is not valid JSON or YAML: invalid character '{' after top-level value"}},
		{"ErrJSONSyntax", []byte(`{"schema_version": 1,,}`),
			[]string{"(document): is not valid JSON or YAML: invalid character ',' looking for beginning of object key string"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := problems(t, tt.in)
			if tt.want == nil {
				if len(got) == 0 {
					t.Fatal("want problems, got none")
				}
				return
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestParseAliases(t *testing.T) {
	for name, tt := range map[string]struct {
		in   []byte
		want string
	}{
		"ErrRecursiveAlias": {[]byte("a: &a [*a]"), "a[0][0]: is a YAML alias that refers to itself"},
		"ErrAliasBomb":      {aliasBomb(), "a questionnaire holds at most 100000 values (each use of a YAML alias counts)"},
	} {
		t.Run(name, func(t *testing.T) {
			got := problems(t, tt.in)
			if !strings.Contains(got[0], tt.want) {
				t.Errorf("first problem %q, want %q", got[0], tt.want)
			}
		})
	}
}

// aliasBomb is a "billion laughs" document: nine levels of nine aliases.
func aliasBomb() []byte {
	var b strings.Builder
	b.WriteString("x0: &x0 [lol]\n")
	for i := 1; i < 10; i++ {
		fmt.Fprintf(&b, "x%d: &x%d [", i, i)
		for k := 0; k < 9; k++ {
			if k > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*x%d", i-1)
		}
		b.WriteString("]\n")
	}
	b.WriteString("a: *x9\n")
	return []byte(b.String())
}

// TestEveryProblemAtOnce: a type error does not hide a duplicate name found by the cross-field checks.
func TestEveryProblemAtOnce(t *testing.T) {
	src := edit(t, "hosting:\n", "hosting:\n  - name: primary\n    provider: on_premises\n    country: DE\n    role: backup\n")
	src = []byte(strings.Replace(string(src), "        count: 100", "        count: many", 1))
	got := strings.Join(problems(t, src), "\n")
	for _, want := range []string{`activities[0].data_subjects[0].count: must be a whole number, not the string "many"`, `hosting[1].name: "primary" is a duplicate of hosting[0]`} {
		if !strings.Contains(got, want) {
			t.Errorf("problems lack %q:\n%s", want, got)
		}
	}
}

func TestProblemLines(t *testing.T) {
	_, err := Parse(edit(t, "      - to_country: FR", "      - to_country: XX"))
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatal(err)
	}
	if ve.Problems[0].Line != 32 {
		t.Errorf("line = %d, want 32", ve.Problems[0].Line)
	}
	if !strings.Contains(err.Error(), `activities[0].transfers[0].to_country: "XX" is not an ISO 3166-1 alpha-2 code (line 32)`) {
		t.Errorf("error text: %v", err)
	}
}

// FuzzParse: Parse returns a questionnaire or problems, never panics, lists at most
// MaxProblems+1 problems, and what it accepts reads back unchanged from the JSON it is stored as.
func FuzzParse(f *testing.F) {
	valid := mustRead(f, "testdata/valid.yaml")
	f.Add(valid)
	q, err := Parse(valid)
	if err != nil {
		f.Fatal(err)
	}
	asJSON, _ := json.Marshal(q)
	f.Add(asJSON)
	f.Add([]byte(`{"schema_version": 1, "deployment": {}}`))
	f.Add([]byte("- a\n- b"))
	f.Add([]byte("a: &a [*a]"))
	f.Add([]byte(strings.Repeat("[", 40) + strings.Repeat("]", 40)))
	f.Add([]byte(`{"a": "\ud83d\ude00 \u007f \ud800", "a": 1}`))
	f.Add(edit(f, "  customer: Test GmbH", `  customer: "\x85\uFFFE\U0001F600"`))
	f.Add(edit(f, "        countries: [DE]", "        countries: [[DE], DE, DE]"))
	f.Fuzz(func(t *testing.T, b []byte) {
		q, err := Parse(b)
		if err == nil && q == nil {
			t.Fatal("nil questionnaire without error")
		}
		var ve *ValidationError
		if err != nil {
			if !errors.As(err, &ve) {
				t.Fatalf("not a validation error: %v", err)
			}
			if len(ve.Problems) == 0 || len(ve.Problems) > MaxProblems+1 {
				t.Fatalf("validation error with %d problems", len(ve.Problems))
			}
			return
		}
		stored, err := json.Marshal(q)
		if err != nil {
			t.Fatal(err)
		}
		again, err := Parse(stored)
		if err != nil {
			t.Fatalf("accepted, but its stored form is refused: %v\n%s", err, stored)
		}
		if restored, _ := json.Marshal(again); !bytes.Equal(restored, stored) {
			t.Fatalf("accepted, but reading its stored form changes it:\n%s\n%s", stored, restored)
		}
	})
}

// TestJSONLines: JSON input reports the line of each problem too.
func TestJSONLines(t *testing.T) {
	b, err := json.MarshalIndent(validQuestionnaire(t), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	src := strings.Replace(string(b), `"to_country": "FR"`, `"to_country": "XX"`, 1)
	_, err = Parse([]byte(src))
	got := problemsOf(err)
	line := 1 + strings.Count(src[:strings.Index(src, `"XX"`)], "\n")
	if len(got) != 1 || got[0].Line != line || got[0].Path != "activities[0].transfers[0].to_country" {
		t.Errorf("problems %v, want one at activities[0].transfers[0].to_country, line %d", got, line)
	}
}

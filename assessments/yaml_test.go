package assessments

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// TestDocumentYAML: the YAML of a stored questionnaire parses to the same questionnaire, keeps
// the document's key order and quotes strings that would read as another type.
func TestDocumentYAML(t *testing.T) {
	src, err := os.ReadFile("../examples/hospital-ehr-germany.yaml")
	if err != nil {
		t.Fatal(err)
	}
	q, err := Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	stored, err := json.Marshal(q)
	if err != nil {
		t.Fatal(err)
	}
	y, err := DocumentYAML(stored)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse(y)
	if err != nil {
		t.Fatalf("the YAML does not parse: %v\n%s", err, y)
	}
	if again, err := json.Marshal(back); err != nil || string(again) != string(stored) {
		t.Errorf("the YAML parses to another questionnaire: %v", err)
	}
	if !strings.HasPrefix(string(y), "schema_version: 1\n") {
		t.Errorf("the YAML does not start as the document does:\n%.200s", y)
	}
	for _, tc := range []struct{ doc, want string }{
		{`{"a":"true"}`, "a: \"true\"\n"},
		{`{"a":"no"}`, "a: \"no\"\n"},
		{`{"a":"1.5"}`, "a: \"1.5\"\n"},
		{`{"a":1.5,"b":["x"]}`, "a: 1.5\nb:\n  - x\n"},
	} {
		got, err := DocumentYAML([]byte(tc.doc))
		if err != nil || string(got) != tc.want {
			t.Errorf("DocumentYAML(%s) = %q, %v; want %q", tc.doc, got, err, tc.want)
		}
	}
}

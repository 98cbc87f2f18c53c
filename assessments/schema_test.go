package assessments

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"

	"github.com/piaflow/piaflow/examples"
)

// compiledSchema compiles the generated questionnaire schema as a JSON Schema 2020-12 validator,
// with format assertions (date, …) on.
func compiledSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	b, err := JSONSchema()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(SchemaID, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(SchemaID)
	if err != nil {
		t.Fatalf("the questionnaire schema does not compile: %v", err)
	}
	return s
}

// asJSON reads a YAML questionnaire as the JSON value a client would send.
func asJSON(t *testing.T, src []byte) any {
	t.Helper()
	var n yaml.Node
	if err := yaml.Unmarshal(src, &n); err != nil {
		t.Fatal(err)
	}
	datesAsText(&n)
	var v any
	if err := n.Decode(&v); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	out, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestSchemaValidatesExamples: the published JSON Schema compiles and accepts every example
// questionnaire, as the validator does.
func TestSchemaValidatesExamples(t *testing.T) {
	s := compiledSchema(t)
	names, err := fs.Glob(examples.FS, "*.yaml")
	if err != nil || len(names) == 0 {
		t.Fatalf("examples: %v %v", names, err)
	}
	for _, name := range names {
		t.Run(strings.TrimSuffix(name, ".yaml"), func(t *testing.T) {
			src, err := fs.ReadFile(examples.FS, name)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := Parse(src); err != nil {
				t.Fatalf("validator: %v", err)
			}
			if err := s.Validate(asJSON(t, src)); err != nil {
				t.Errorf("schema refuses %s: %v", name, err)
			}
		})
	}
}

// TestSchemaRefusesWhatValidatorRefuses: the schema is not vacuous — documents the validator
// refuses for their shape are refused by the schema too.
func TestSchemaRefusesWhatValidatorRefuses(t *testing.T) {
	s := compiledSchema(t)
	src, err := fs.ReadFile(examples.FS, "hospital-ehr-germany.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for name, edit := range map[string]func(map[string]any){
		"UnknownField":      func(d map[string]any) { d["surprise"] = true },
		"MissingActivities": func(d map[string]any) { delete(d, "activities") },
		"WrongType":         func(d map[string]any) { d["hosting"] = "eu" },
		"BadEnum": func(d map[string]any) {
			d["hosting"].([]any)[0].(map[string]any)["role"] = "somewhere"
		},
	} {
		t.Run(name, func(t *testing.T) {
			doc := asJSON(t, src).(map[string]any)
			edit(doc)
			if err := s.Validate(doc); err == nil {
				t.Error("the schema accepts it")
			}
			b, _ := json.Marshal(doc)
			if _, err := Parse(b); err == nil {
				t.Error("the validator accepts it")
			}
		})
	}
}

// datesAsText keeps YAML timestamps (go_live: 2027-03-01) as the text they are, as piaflow's
// parser does, instead of yaml's time.Time.
func datesAsText(n *yaml.Node) {
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!timestamp" {
		n.Tag = "!!str"
	}
	for _, c := range n.Content {
		datesAsText(c)
	}
}

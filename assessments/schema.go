package assessments

import (
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/piaflow/piaflow/policies"
)

// SchemaID is the $id of the published questionnaire schema.
const SchemaID = "https://piaflow.dev/schemas/questionnaire-v1.json"

// JSONSchema returns the JSON Schema (draft 2020-12) of the questionnaire, generated from the Go
// types and their tags — the same source the validator reads — so the two cannot drift.
func JSONSchema() ([]byte, error) {
	s := schemaOf(reflect.TypeFor[Questionnaire](), fieldRules{}, map[reflect.Type]int{})
	s["properties"].(map[string]any)["schema_version"].(map[string]any)["const"] = SchemaVersion
	s["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	s["$id"] = SchemaID
	s["title"] = "piaflow questionnaire, contract version 1"
	s["description"] = "Data-flow questionnaire of one customer deployment (docs/questionnaire.md)."
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode schema: %w", err)
	}
	return b, nil
}

// schemaOf is the schema of type t. open counts the structs being expanded: a type nested in
// itself (transfers[].onward_transfers) is written out to MaxOnwardDepth levels of nesting, and
// the deepest level has no field that nests it again, so the schema refuses what the validator
// refuses without a $ref (the schema is also embedded in openapi.json).
func schemaOf(t reflect.Type, r fieldRules, open map[reflect.Type]int) map[string]any {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	s := map[string]any{}
	switch t.Kind() {
	case reflect.Struct:
		open[t]++
		defer func() { open[t]-- }()
		props := map[string]any{}
		var required []string
		for i := range t.NumField() {
			f := t.Field(i)
			name := jsonName(f)
			fr := rulesOf(t, f)
			if elem := f.Type; elem.Kind() == reflect.Slice && elem.Elem() == t && open[t] > MaxOnwardDepth {
				continue
			}
			ps := schemaOf(f.Type, fr, open)
			if d := f.Tag.Get("desc"); d != "" {
				ps["description"] = d
			}
			props[name] = ps
			if fr.req {
				required = append(required, name)
			}
		}
		s["type"] = "object"
		s["properties"] = props
		s["additionalProperties"] = false
		if len(required) > 0 {
			s["required"] = required
		}
	case reflect.Slice:
		s["type"] = "array"
		s["items"] = schemaOf(t.Elem(), fieldRules{enum: r.enum, format: r.format}, open)
		if r.min != nil {
			s["minItems"] = *r.min
		}
		if r.max > 0 {
			s["maxItems"] = r.max
		}
		if t.Elem().Kind() == reflect.String && (r.enum != "" || r.format != "") {
			s["uniqueItems"] = true
		}
	case reflect.Map:
		// named answers (deployment.scope_confirmed): enum is the vocabulary of the keys.
		s["type"] = "object"
		s["additionalProperties"] = schemaOf(t.Elem(), fieldRules{}, open)
		if r.enum != "" {
			s["propertyNames"] = map[string]any{"enum": policies.Enum(r.enum)}
		}
	case reflect.String:
		s["type"] = "string"
		if r.enum != "" {
			s["enum"] = policies.Enum(r.enum)
		}
		switch r.format {
		case "country":
			s["enum"] = policies.CountryCodes()
			s["description"] = "ISO 3166-1 alpha-2 country code"
		case "date":
			s["format"] = "date"
			s["pattern"] = `^\d{4}-\d{2}-\d{2}$`
		}
		if r.req && r.enum == "" && r.format == "" {
			s["minLength"] = 1
		}
	case reflect.Int:
		s["type"] = "integer"
		if r.min != nil {
			s["minimum"] = *r.min
		}
	case reflect.Bool:
		s["type"] = "boolean"
	}
	return s
}

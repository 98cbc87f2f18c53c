package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/fieldpath"
)

// answers gives the questionnaire's answers by field path (activities[0].data_subjects[1].count),
// the language of the findings' "fields".
type answers struct {
	root any
}

func newAnswers(q *assessments.Questionnaire) (answers, error) {
	b, err := json.Marshal(q)
	if err != nil {
		return answers{}, fmt.Errorf("encode questionnaire: %w", err)
	}
	return answersOf(b)
}

// answersOf reads answers from a JSON document.
func answersOf(b []byte) (answers, error) {
	root, err := decodeOrdered(json.NewDecoder(bytes.NewReader(b)))
	if err != nil {
		return answers{}, fmt.Errorf("decode questionnaire: %w", err)
	}
	return answers{root: root}, nil
}

// get returns the value at path, and whether the questionnaire has it.
func (a answers) get(path string) (any, bool) { return fieldpath.Get(a.root, path) }

// show formats an answer for a report: scalars as they are, lists of scalars joined, objects
// as their scalar answers; null and empty lists are "".
func show(v any) string {
	if text, ok := fieldpath.Scalar(v); ok {
		return text
	}
	switch x := v.(type) {
	case []any:
		parts := make([]string, 0, len(x))
		for _, e := range x {
			switch e.(type) {
			case *object, []any:
				return clip(showObjects(x), 400)
			}
			parts = append(parts, show(e))
		}
		return strings.Join(parts, ", ")
	case *object:
		return clip(showObject(x), 400)
	default:
		return fmt.Sprint(x)
	}
}

// leaves lists every answer as (path, value), in the questionnaire's order of fields; lists of
// scalars are one answer.
func (a answers) leaves() [][2]string {
	var out [][2]string
	var walk func(path fieldpath.Path, v any)
	walk = func(path fieldpath.Path, v any) {
		switch x := v.(type) {
		case *object:
			for _, k := range x.keys {
				walk(append(path, fieldpath.Field(k)), x.vals[k])
			}
		case []any:
			scalars := true
			for _, e := range x {
				switch e.(type) {
				case *object, []any:
					scalars = false
				}
			}
			if scalars {
				out = append(out, [2]string{path.String(), show(x)})
				return
			}
			for i, e := range x {
				walk(append(path, fieldpath.Index(i)), e)
			}
		default:
			out = append(out, [2]string{path.String(), show(x)})
		}
	}
	walk(nil, a.root)
	return out
}

// object is a JSON object that keeps its keys in the order they were written, so the answers
// come out in the questionnaire's own field order.
type object struct {
	keys []string
	vals map[string]any
}

// Get returns the value of the field name (fieldpath.Object).
func (o *object) Get(name string) (any, bool) {
	v, ok := o.vals[name]
	return v, ok
}

// decodeOrdered decodes JSON into object, []any and scalars.
func decodeOrdered(dec *json.Decoder) (any, error) {
	t, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch d := t.(type) {
	case json.Delim:
		switch d {
		case '{':
			o := &object{vals: map[string]any{}}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k, _ := kt.(string)
				v, err := decodeOrdered(dec)
				if err != nil {
					return nil, err
				}
				o.keys = append(o.keys, k)
				o.vals[k] = v
			}
			_, err := dec.Token()
			return o, err
		case '[':
			arr := []any{}
			for dec.More() {
				v, err := decodeOrdered(dec)
				if err != nil {
					return nil, err
				}
				arr = append(arr, v)
			}
			_, err := dec.Token()
			return arr, err
		}
	}
	return t, nil
}

// showObject writes an object's scalar answers on one line: "type=customers, count=5000".
func showObject(o *object) string {
	parts := make([]string, 0, len(o.keys))
	for _, k := range o.keys {
		switch v := o.vals[k].(type) {
		case *object:
			parts = append(parts, k+"={…}")
		case []any:
			if len(v) > 0 {
				if _, nested := v[0].(*object); nested {
					parts = append(parts, fmt.Sprintf("%s=[%d]", k, len(v)))
					continue
				}
			}
			parts = append(parts, k+"="+show(v))
		default:
			parts = append(parts, k+"="+show(v))
		}
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

func showObjects(xs []any) string {
	parts := make([]string, 0, len(xs))
	for _, x := range xs {
		parts = append(parts, show(x))
	}
	return strings.Join(parts, "; ")
}

// clip shortens s to at most n runes, marking the cut (n < 1 gives "").
func clip(s string, n int) string {
	if n < 1 {
		return ""
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

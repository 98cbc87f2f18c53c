package assessments

import (
	"fmt"
	"reflect"
	"unicode/utf8"

	"github.com/open-policy-agent/opa/v1/ast"
)

// questionnaireValue is q in OPA's representation: the value ast.ValueFromReader reads from
// q's JSON (encoding/json's encoding: fields by their JSON names, empty omitempty fields left
// out, nil lists and pointers null, invalid UTF-8 as U+FFFD), built from the Go model without
// writing and reading that JSON.
func questionnaireValue(q *Questionnaire) (ast.Value, error) {
	var c converter
	return c.value(reflect.ValueOf(q).Elem())
}

// converter builds OPA values, taking their terms from a slab (one allocation per 64 terms).
type converter struct {
	terms []ast.Term
}

// term returns a new term of v.
func (c *converter) term(v ast.Value) *ast.Term {
	if len(c.terms) == 0 {
		c.terms = make([]ast.Term, 64)
	}
	t := &c.terms[0]
	c.terms = c.terms[1:]
	t.Value = v
	return t
}

// value converts v, of the questionnaire's types.
func (c *converter) value(v reflect.Value) (ast.Value, error) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return ast.NullValue, nil
		}
		return c.value(v.Elem())
	case reflect.Struct:
		ft := structFields(v.Type())
		if !ft.direct {
			return nil, fmt.Errorf("convert %s: no field table", v.Type())
		}
		obj := ast.NewObjectWithCapacity(len(ft.list))
		for _, f := range ft.list {
			fv := v.Field(f.index)
			if f.omitEmpty && emptyValue(fv) {
				continue
			}
			e, err := c.value(fv)
			if err != nil {
				return nil, err
			}
			obj.Insert(f.key, c.term(e))
		}
		return obj, nil
	case reflect.Slice:
		if v.IsNil() {
			return ast.NullValue, nil
		}
		terms := make([]*ast.Term, v.Len())
		for i := range terms {
			e, err := c.value(v.Index(i))
			if err != nil {
				return nil, err
			}
			terms[i] = c.term(e)
		}
		return ast.NewArray(terms...), nil
	case reflect.Map:
		if v.IsNil() {
			return ast.NullValue, nil
		}
		if v.Type().Key().Kind() != reflect.String {
			return nil, fmt.Errorf("convert %s: keys are not strings", v.Type())
		}
		obj := ast.NewObjectWithCapacity(v.Len())
		for it := v.MapRange(); it.Next(); {
			if !utf8.ValidString(it.Key().String()) {
				// two such keys could read back as one: leave the order of their JSON to it
				return nil, fmt.Errorf("convert %s: a key is not UTF-8", v.Type())
			}
			e, err := c.value(it.Value())
			if err != nil {
				return nil, err
			}
			obj.Insert(c.term(ast.String(it.Key().String())), c.term(e))
		}
		return obj, nil
	case reflect.String:
		return ast.String(jsonString(v.String())), nil
	case reflect.Int:
		return ast.InternedTerm(int(v.Int())).Value, nil
	case reflect.Bool:
		return ast.InternedTerm(v.Bool()).Value, nil
	}
	return nil, fmt.Errorf("convert %s: unsupported kind %s", v.Type(), v.Kind())
}

// emptyValue reports whether encoding/json's omitempty leaves v out.
func emptyValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Slice, reflect.Map, reflect.String, reflect.Array:
		return v.Len() == 0
	case reflect.Pointer, reflect.Interface:
		return v.IsNil()
	case reflect.Bool:
		return !v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() == 0
	}
	return false
}

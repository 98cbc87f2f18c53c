package assessments

import (
	"reflect"
	"unicode/utf8"
)

// fill sets v, of the questionnaire's types, from the value n of a document the walker checked
// without a problem: every value has its field's type, every key is a field name, nothing is
// null. It decodes what json.Unmarshal decodes from the document's JSON (the slower way, still
// taken for a document with problems), without that round trip. It reports false for a type it
// does not know (the caller then takes the slower way).
func fill(n *node, v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		if !fill(n, p.Elem()) {
			return false
		}
		v.Set(p)
	case reflect.Struct:
		m, ok := n.value.(map[string]*node)
		if !ok {
			return false
		}
		ft := structFields(v.Type())
		if !ft.direct {
			return false
		}
		for _, f := range ft.list {
			if c, present := m[f.name]; present {
				if !fill(c, v.Field(f.index)) {
					return false
				}
			}
		}
	case reflect.Slice:
		s, ok := n.value.([]*node)
		if !ok {
			return false
		}
		out := reflect.MakeSlice(v.Type(), len(s), len(s))
		for i, e := range s {
			if !fill(e, out.Index(i)) {
				return false
			}
		}
		v.Set(out)
	case reflect.Map:
		m, ok := n.value.(map[string]*node)
		if !ok || v.Type().Key().Kind() != reflect.String {
			return false
		}
		out := reflect.MakeMapWithSize(v.Type(), len(m))
		for k, c := range m {
			e := reflect.New(v.Type().Elem()).Elem()
			if !fill(c, e) {
				return false
			}
			out.SetMapIndex(reflect.ValueOf(jsonString(k)).Convert(v.Type().Key()), e)
		}
		v.Set(out)
	case reflect.String:
		s, ok := n.value.(string)
		if !ok {
			return false
		}
		v.SetString(jsonString(s))
	case reflect.Int:
		i, ok := n.value.(int64)
		if !ok {
			return false
		}
		v.SetInt(i)
	case reflect.Bool:
		b, ok := n.value.(bool)
		if !ok {
			return false
		}
		v.SetBool(b)
	default:
		return false
	}
	return true
}

// jsonString is s as it reads back from encoding/json's encoding: every byte that is not part of
// valid UTF-8 becomes U+FFFD.
func jsonString(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	b := make([]byte, 0, len(s)+8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = utf8.AppendRune(b, utf8.RuneError)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return string(b)
}

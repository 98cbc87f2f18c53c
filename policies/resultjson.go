package policies

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
)

// keepAST is the query's result conversion: the result stays OPA's AST term, which appendJSON
// writes as JSON in one pass (issue 13: converting a large assessment to Go maps and slices
// before encoding it cost a fifth of its allocations).
func keepAST(t *ast.Term, _ *rego.EvalContext) (any, error) { return t, nil }

// errNotJSON means a value appendJSON does not write itself (the caller falls back to OPA's
// conversion and encoding/json).
var errNotJSON = errors.New("value outside appendJSON's types")

// resultJSON encodes a query result kept as an AST term (keepAST) exactly as encoding/json
// encodes OPA's conversion of it (ast.JSON): objects with sorted keys, sets as arrays in their
// order, strings escaped for HTML as json.Marshal does.
func resultJSON(v any) ([]byte, error) {
	t, ok := v.(*ast.Term)
	if !ok {
		return json.Marshal(v)
	}
	b, err := appendJSON(make([]byte, 0, 4096), t.Value)
	if errors.Is(err, errNotJSON) {
		x, err := ast.JSON(t.Value)
		if err != nil {
			return nil, fmt.Errorf("convert policy result: %w", err)
		}
		return json.Marshal(x)
	}
	return b, err
}

// asGo is a query result kept as an AST term (keepAST) as OPA's conversion to Go values.
func asGo(v any) (any, error) {
	if t, ok := v.(*ast.Term); ok {
		return ast.JSON(t.Value)
	}
	return v, nil
}

type jsonField struct {
	key string
	val ast.Value
}

func appendJSON(dst []byte, v ast.Value) ([]byte, error) {
	var err error
	switch v := v.(type) {
	case ast.Null:
		return append(dst, "null"...), nil
	case ast.Boolean:
		if v {
			return append(dst, "true"...), nil
		}
		return append(dst, "false"...), nil
	case ast.Number:
		if !json.Valid([]byte(v)) {
			return nil, errNotJSON
		}
		return append(dst, v...), nil
	case ast.String:
		return appendString(dst, string(v)), nil
	case *ast.Array:
		dst = append(dst, '[')
		for i := range v.Len() {
			if i > 0 {
				dst = append(dst, ',')
			}
			if dst, err = appendJSON(dst, v.Elem(i).Value); err != nil {
				return nil, err
			}
		}
		return append(dst, ']'), nil
	case ast.Set:
		dst = append(dst, '[')
		for i, x := range v.Slice() {
			if i > 0 {
				dst = append(dst, ',')
			}
			if dst, err = appendJSON(dst, x.Value); err != nil {
				return nil, err
			}
		}
		return append(dst, ']'), nil
	case ast.Object:
		fields := make([]jsonField, 0, v.Len())
		if err := v.Iter(func(k, x *ast.Term) error {
			s, ok := k.Value.(ast.String)
			if !ok {
				return errNotJSON // encoding/json's key for a non-string: left to it
			}
			fields = append(fields, jsonField{string(s), x.Value})
			return nil
		}); err != nil {
			return nil, err
		}
		slices.SortFunc(fields, func(a, b jsonField) int { return strings.Compare(a.key, b.key) })
		dst = append(dst, '{')
		for i, f := range fields {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendString(dst, f.key)
			dst = append(dst, ':')
			if dst, err = appendJSON(dst, f.val); err != nil {
				return nil, err
			}
		}
		return append(dst, '}'), nil
	}
	return nil, errNotJSON
}

const hexDigits = "0123456789abcdef"

// appendString writes s as encoding/json does with HTML escaping (json.Marshal's default):
// quotes, backslashes and control characters escaped, <, > and & as \u003c, \u003e, \u0026,
// invalid UTF-8 as \ufffd, U+2028 and U+2029 escaped.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' && b != '<' && b != '>' && b != '&' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if c == '\u2028' || c == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[c&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

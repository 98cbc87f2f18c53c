// Package fieldpath reads, writes and follows the field paths that name one value inside a
// questionnaire, such as activities[1].transfers[0].to_country: the language of validation
// problems, of the "fields" of findings, of the report's answers and of the web form.
//
// A path is a list of steps, each a field name or a list index. Field names made of ASCII
// letters, digits and underscores (not starting with a digit) are written as they are, after a
// dot; any other name (a key a user typed: "a.b", "x[1]", "") is written quoted in brackets, as
// ["a.b"], with Go's string quoting, so that every path reads back as the steps that wrote it.
package fieldpath

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Step is one step of a path: a field name, or an index into a list. Build steps with Field and
// Index.
type Step struct {
	// Name is the field name of a field step.
	Name string
	// Index is the list index of an index step, and -1 for a field step.
	Index int
}

// Field returns the step into the field name of an object.
func Field(name string) Step { return Step{Name: name, Index: -1} }

// Index returns the step into entry i of a list (i ≥ 0).
func Index(i int) Step { return Step{Index: i} }

// IsIndex reports whether s is a list index rather than a field name.
func (s Step) IsIndex() bool { return s.Index >= 0 }

// Path is a field path: the steps from the document's root to one value. The empty path is the
// root itself.
type Path []Step

// Of returns the path of the given steps.
func Of(steps ...Step) Path { return Path(steps) }

// Append returns p followed by steps, without changing p.
func (p Path) Append(steps ...Step) Path {
	out := make(Path, 0, len(p)+len(steps))
	return append(append(out, p...), steps...)
}

// HasPrefix reports whether p starts with the steps of q (every path starts with the root).
func (p Path) HasPrefix(q Path) bool {
	if len(q) > len(p) {
		return false
	}
	for i := range q {
		if p[i] != q[i] {
			return false
		}
	}
	return true
}

// Equal reports whether p and q have the same steps.
func (p Path) Equal(q Path) bool { return len(p) == len(q) && p.HasPrefix(q) }

// LastName is the name of the last field step of p, or "" when p has none.
func (p Path) LastName() string {
	for i := len(p) - 1; i >= 0; i-- {
		if !p[i].IsIndex() {
			return p[i].Name
		}
	}
	return ""
}

// String formats p: activities[1].transfers[0].to_country. The root is "".
func (p Path) String() string {
	var b strings.Builder
	for i, s := range p {
		switch {
		case s.IsIndex():
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(s.Index))
			b.WriteByte(']')
		case plainName(s.Name):
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s.Name)
		default:
			b.WriteByte('[')
			b.WriteString(strconv.Quote(s.Name))
			b.WriteByte(']')
		}
	}
	return b.String()
}

// Format formats the path of the given steps (Path.String).
func Format(steps ...Step) string { return Path(steps).String() }

// plainName reports whether a field name is written as it is: ASCII letters, digits and
// underscores, not starting with a digit.
func plainName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		case c >= '0' && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// ErrSyntax is wrapped by every error Parse returns.
var ErrSyntax = errors.New("not a field path")

// Parse reads a path written by Path.String. It accepts exactly that syntax: plain names after
// dots (or first), decimal indexes without leading zeros in brackets, and Go-quoted names in
// brackets. The empty string is the root.
func Parse(s string) (Path, error) {
	var p Path
	for i := 0; i < len(s); {
		if s[i] == '[' {
			step, n, err := bracket(s[i:])
			if err != nil {
				return nil, fmt.Errorf("%w: %q: %v at byte %d", ErrSyntax, s, err, i)
			}
			p = append(p, step)
			i += n
			continue
		}
		if i > 0 {
			if s[i] != '.' {
				return nil, fmt.Errorf("%w: %q: unexpected %q at byte %d", ErrSyntax, s, s[i], i)
			}
			i++
		}
		j := i
		for j < len(s) && s[j] != '.' && s[j] != '[' {
			j++
		}
		if !plainName(s[i:j]) {
			return nil, fmt.Errorf("%w: %q: %q at byte %d is not a field name", ErrSyntax, s, s[i:j], i)
		}
		p = append(p, Field(s[i:j]))
		i = j
	}
	return p, nil
}

// bracket reads one bracketed step at the start of s ("[12]" or `["a.b"]`) and its length.
func bracket(s string) (Step, int, error) {
	if len(s) > 1 && s[1] == '"' {
		end := 2
		for ; end < len(s) && s[end] != '"'; end++ {
			if s[end] == '\\' {
				end++
			}
		}
		if end >= len(s) {
			return Step{}, 0, errors.New("unterminated quoted name")
		}
		name, err := strconv.Unquote(s[1 : end+1])
		if err != nil {
			return Step{}, 0, fmt.Errorf("bad quoted name: %v", err)
		}
		if end+1 >= len(s) || s[end+1] != ']' {
			return Step{}, 0, errors.New("missing ] after a quoted name")
		}
		return Field(name), end + 2, nil
	}
	end := strings.IndexByte(s, ']')
	if end < 0 {
		return Step{}, 0, errors.New("missing ]")
	}
	digits := s[1:end]
	if digits == "" || (len(digits) > 1 && digits[0] == '0') {
		return Step{}, 0, fmt.Errorf("%q is not an index", digits)
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return Step{}, 0, fmt.Errorf("%q is not an index", digits)
		}
	}
	n, err := strconv.Atoi(digits)
	if err != nil {
		return Step{}, 0, fmt.Errorf("index %s is too large", digits)
	}
	return Index(n), end + 1, nil
}

// Object is a decoded object other than map[string]any that Lookup can step into, such as one
// that keeps its keys in the order they were written.
type Object interface {
	// Get returns the value of the field name and whether the object has it.
	Get(name string) (any, bool)
}

// Lookup follows p from root, a decoded document of map[string]any (or Object), []any and
// scalars, and returns the value there and whether the document has it.
func Lookup(root any, p Path) (any, bool) {
	cur := root
	for _, s := range p {
		if s.IsIndex() {
			l, ok := cur.([]any)
			if !ok || s.Index >= len(l) {
				return nil, false
			}
			cur = l[s.Index]
			continue
		}
		switch v := cur.(type) {
		case map[string]any:
			next, ok := v[s.Name]
			if !ok {
				return nil, false
			}
			cur = next
		case Object:
			next, ok := v.Get(s.Name)
			if !ok {
				return nil, false
			}
			cur = next
		default:
			return nil, false
		}
	}
	return cur, true
}

// Get parses path and looks it up in root (Lookup); a path that does not parse is not found.
func Get(root any, path string) (any, bool) {
	p, err := Parse(path)
	if err != nil {
		return nil, false
	}
	return Lookup(root, p)
}

// Scalar shows a decoded JSON scalar as a person types it: a string as it is, a number without
// exponent or trailing zeros, true or false, null as "". Anything else is shown as its JSON;
// ok is false then, for callers that show lists and objects their own way.
func Scalar(v any) (text string, ok bool) {
	switch x := v.(type) {
	case nil:
		return "", true
	case string:
		return x, true
	case bool:
		return strconv.FormatBool(x), true
	case json.Number:
		return x.String(), true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	}
	b, _ := json.Marshal(v)
	return string(b), false
}

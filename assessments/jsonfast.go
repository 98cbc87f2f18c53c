package assessments

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/piaflow/piaflow/fieldpath"
)

// errSlowPath stops the fast JSON reader at anything it leaves to encoding/json's tokenizer (a
// syntax error, an escape it does not decode itself): the document is then read again the
// reference way (decoder.json), which decides what the document is.
var errSlowPath = errors.New("read with encoding/json")

// maxSkipDepth bounds how deep the fast reader skips nested values without keeping them.
const maxSkipDepth = 10_000

// jsonScanner reads one JSON document in a single pass over its bytes, with the lines of its
// values. It accepts only strict JSON (RFC 8259), as encoding/json does; where it accepts a
// document, it yields the values, lines and problems the reference reader (decoder.json) yields.
type jsonScanner struct {
	b    []byte
	i    int
	line int
	// text is b as a string: the strings without escapes are slices of it (one copy of the
	// document instead of one per string).
	text string
}

// fastJSON reads b like decoder.json, in one pass without a token per value; errSlowPath: read
// it with decoder.json instead (with a new decoder: this one may have problems).
func (d *decoder) fastJSON(b []byte) (*node, error) {
	s := &jsonScanner{b: b, line: 1, text: string(b)}
	s.space()
	root, err := d.fastValue(s)
	if err != nil {
		return nil, err
	}
	s.space()
	if s.i != len(s.b) {
		return nil, errSlowPath
	}
	return root, nil
}

// space skips white space, counting lines (a JSON document has line breaks only there).
func (s *jsonScanner) space() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case '\n':
			s.line++
		case ' ', '\t', '\r':
		default:
			return
		}
		s.i++
	}
}

// fastValue reads the value at s.i (past white space) like decoder.jsonValue: a scalar is read
// whole before it is counted, an object or list is counted at its opening bracket.
func (d *decoder) fastValue(s *jsonScanner) (*node, error) {
	if s.i >= len(s.b) {
		return nil, errSlowPath
	}
	line := s.line
	switch c := s.b[s.i]; c {
	case '{', '[':
		s.i++
		if err := d.count(line); err != nil {
			return nil, err
		}
		s.space()
		if s.i >= len(s.b) {
			return nil, errSlowPath
		}
		closing := byte('}')
		if c == '[' {
			closing = ']'
		}
		if s.b[s.i] != closing && len(d.path) >= MaxDepth {
			n := d.tooDeep(line)
			return n, s.skipRest(c, 1)
		}
		if c == '[' {
			return d.fastList(s, line)
		}
		return d.fastObject(s, line)
	case '"':
		v, raw, err := s.str()
		if err != nil {
			return nil, err
		}
		if err := d.count(line); err != nil {
			return nil, err
		}
		n := d.node(line, v)
		if u, lone := loneSurrogate(raw); lone {
			d.problem(line, newMsg("document.surrogate", "escape", fmt.Sprintf(`\u%04x`, u)))
			n.refused = true
		}
		return n, nil
	case 't', 'f', 'n':
		var v any
		switch {
		case s.literal("true"):
			v = true
		case s.literal("false"):
			v = false
		case s.literal("null"):
		default:
			return nil, errSlowPath
		}
		if err := d.count(line); err != nil {
			return nil, err
		}
		return d.node(line, v), nil
	default:
		num, err := s.number()
		if err != nil {
			return nil, err
		}
		if err := d.count(line); err != nil {
			return nil, err
		}
		if i, err := strconv.ParseInt(num, 10, 64); err == nil {
			return d.node(line, i), nil
		}
		f, err := strconv.ParseFloat(num, 64)
		if err != nil {
			return d.node(line, num), nil
		}
		return d.node(line, wholeNumber(f)), nil
	}
}

// fastList reads the entries of a list whose '[' and following white space were read.
func (d *decoder) fastList(s *jsonScanner, line int) (*node, error) {
	l := []*node{}
	if s.b[s.i] == ']' {
		s.i++
		return d.node(line, l), nil
	}
	for i := 0; ; i++ {
		d.path = append(d.path, fieldpath.Index(i))
		c, err := d.fastValue(s)
		if err != nil {
			return nil, err
		}
		d.path = d.path[:len(d.path)-1]
		l = append(l, c)
		if end, err := s.next(']'); err != nil || end {
			return d.node(line, l), err
		}
	}
}

// fastObject reads the members of an object whose '{' and following white space were read.
func (d *decoder) fastObject(s *jsonScanner, line int) (*node, error) {
	m := map[string]*node{}
	if s.b[s.i] == '}' {
		s.i++
		return d.node(line, m), nil
	}
	for {
		if s.i >= len(s.b) || s.b[s.i] != '"' {
			return nil, errSlowPath
		}
		kline := s.line
		k, _, err := s.str()
		if err != nil {
			return nil, err
		}
		s.space()
		if s.i >= len(s.b) || s.b[s.i] != ':' {
			return nil, errSlowPath
		}
		s.i++
		s.space()
		d.path = append(d.path, fieldpath.Field(k))
		if _, dup := m[k]; dup {
			d.problem(kline, newMsg("document.duplicate_key"))
			if err := s.skipValue(0); err != nil {
				return nil, err
			}
		} else {
			c, err := d.fastValue(s)
			if err != nil {
				return nil, err
			}
			m[k] = c
		}
		d.path = d.path[:len(d.path)-1]
		end, err := s.next('}')
		if err != nil || end {
			return d.node(line, m), err
		}
		s.space()
	}
}

// next reads past white space and either a comma (then white space; false) or closing (true).
func (s *jsonScanner) next(closing byte) (bool, error) {
	s.space()
	if s.i >= len(s.b) {
		return false, errSlowPath
	}
	switch s.b[s.i] {
	case closing:
		s.i++
		return true, nil
	case ',':
		s.i++
		s.space()
		return false, nil
	}
	return false, errSlowPath
}

// literal reads word if it is next.
func (s *jsonScanner) literal(word string) bool {
	if len(s.b)-s.i >= len(word) && string(s.b[s.i:s.i+len(word)]) == word {
		s.i += len(word)
		return true
	}
	return false
}

// str reads a string and returns its value and its raw text, quotes included. A string with
// escapes is decoded by encoding/json (as its tokenizer does).
func (s *jsonScanner) str() (string, []byte, error) {
	start := s.i
	escaped := false
	for i := start + 1; i < len(s.b); i++ {
		switch c := s.b[i]; {
		case c == '"':
			s.i = i + 1
			raw := s.b[start:s.i]
			if !escaped {
				return s.text[start+1 : i], raw, nil
			}
			var v string
			if err := json.Unmarshal(raw, &v); err != nil {
				return "", nil, errSlowPath
			}
			return v, raw, nil
		case c == '\\':
			escaped = true
			i++ // the escaped character (encoding/json checks the escape)
		case c < 0x20:
			return "", nil, errSlowPath
		}
	}
	return "", nil, errSlowPath
}

// number reads a number by JSON's grammar and returns its text.
func (s *jsonScanner) number() (string, error) {
	b, i := s.b, s.i
	digits := func() int {
		n := 0
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		digits()
	default:
		return "", errSlowPath
	}
	if i < len(b) && b[i] == '.' {
		i++
		if digits() == 0 {
			return "", errSlowPath
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if digits() == 0 {
			return "", errSlowPath
		}
	}
	num := string(b[s.i:i])
	s.i = i
	return num, nil
}

// skipValue reads past the value at s.i without keeping it, checking its syntax; depth is the
// number of values it is nested in that are skipped too.
func (s *jsonScanner) skipValue(depth int) error {
	if s.i >= len(s.b) {
		return errSlowPath
	}
	switch c := s.b[s.i]; c {
	case '{', '[':
		s.i++
		return s.skipRest(c, depth+1)
	case '"':
		_, _, err := s.str()
		return err
	case 't', 'f', 'n':
		if s.literal("true") || s.literal("false") || s.literal("null") {
			return nil
		}
		return errSlowPath
	}
	_, err := s.number()
	return err
}

// skipRest reads past the rest of an object or list (open: its opening bracket, read) without
// keeping it, checking its syntax.
func (s *jsonScanner) skipRest(open byte, depth int) error {
	if depth > maxSkipDepth {
		return errSlowPath
	}
	closing := byte(']')
	if open == '{' {
		closing = '}'
	}
	s.space()
	if s.i < len(s.b) && s.b[s.i] == closing {
		s.i++
		return nil
	}
	for {
		if open == '{' {
			if s.i >= len(s.b) || s.b[s.i] != '"' {
				return errSlowPath
			}
			if _, _, err := s.str(); err != nil {
				return err
			}
			s.space()
			if s.i >= len(s.b) || s.b[s.i] != ':' {
				return errSlowPath
			}
			s.i++
			s.space()
		}
		if err := s.skipValue(depth); err != nil {
			return err
		}
		if end, err := s.next(closing); err != nil || end {
			return err
		}
	}
}

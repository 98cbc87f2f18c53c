package assessments

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/piaflow/piaflow/fieldpath"
)

// Limits of a questionnaire document, checked while it is read, before it is validated or
// evaluated; each is answered with a Problem naming the path and the limit (docs/limits.md).
// The limits of single lists are in validate.go (MaxActivities and the others).
const (
	// MaxDocumentBytes bounds the size of a questionnaire: the input, and the JSON it is stored
	// as (YAML aliases and YAML's shorter syntax can make the stored JSON larger than the input).
	MaxDocumentBytes = 2 << 20
	// MaxDepth bounds how deep values nest: a value's field path has at most MaxDepth steps.
	// The deepest field of contract v1, activities[0].data_subjects[0].countries[0], has 6.
	MaxDepth = 16
	// MaxValues bounds the number of values in a questionnaire: objects, lists and scalars, with
	// every use of a YAML alias counted again ("billion laughs").
	MaxValues = 100_000
	// MaxProblems bounds the problems one validation lists; a last problem counts the others.
	MaxProblems = 100
)

// Problem is one thing wrong with a questionnaire, located by its field path
// (e.g. "activities[1].transfers[0].to_country") and, when known, the source line.
type Problem struct {
	Path string `json:"path"`
	// Message is the English text: Msg rendered, then Context.
	Message string `json:"message"`
	Line    int    `json:"line,omitempty"`
	// Msg is the message as data (code and arguments), for rendering in another language; a
	// problem made outside this package may have none (Code "").
	Msg
	// Context, when set, says where a problem of a composed questionnaire came from; its text
	// follows the message's.
	Context *Msg `json:"context,omitempty"`
	// Text, when set, is Message as an error message (piaflow.ErrorTexts) rather than a
	// validation message: a problem made outside this package (a row of an imported action
	// list). Not part of the JSON, which has Message.
	Text *Message `json:"-"`
}

// newProblem is a problem at path with message m (and its English Message).
func newProblem(path string, line int, m Msg) Problem {
	return Problem{Path: path, Message: m.English(), Line: line, Msg: m}
}

// rebase is p moved to path and line (a problem of a composed questionnaire reported where its
// answer came from).
func rebase(p Problem, path string, line int) Problem {
	p.Path, p.Line = path, line
	return p
}

// withContext returns p with the context c, its text appended to the English Message.
func (p Problem) withContext(c Msg) Problem {
	p.Message += c.English()
	p.Context = &c
	return p
}

// String formats the problem as "path: message (line N)".
func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s: %s (line %d)", p.Path, p.Message, p.Line)
	}
	return fmt.Sprintf("%s: %s", p.Path, p.Message)
}

// ValidationError lists the problems found in a questionnaire: at most MaxProblems, then one
// that counts the problems left out.
type ValidationError struct {
	Problems []Problem
}

// Error lists every problem, one a line.
func (e *ValidationError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return fmt.Sprintf("invalid questionnaire (%d problems):\n  %s", len(e.Problems), strings.Join(lines, "\n  "))
}

// rootPath is how a problem names the document as a whole.
const rootPath = "(document)"

// documentError is a ValidationError with one problem about the whole document.
func documentError(m Msg, line int) error {
	return &ValidationError{Problems: []Problem{newProblem(rootPath, line, m)}}
}

// problemList collects the problems of one questionnaire: the first MaxProblems with their paths,
// and the count of the rest. Paths are formatted only here, for the values that have a problem.
type problemList struct {
	list    []Problem
	paths   []fieldpath.Path
	dropped int
}

func (pl *problemList) add(p fieldpath.Path, line int, m Msg) {
	pl.addIn(p, line, m, nil)
}

// addIn is add with a context (nil: none), whose text follows the message's.
func (pl *problemList) addIn(p fieldpath.Path, line int, m Msg, context *Msg) {
	if len(pl.list) >= MaxProblems {
		pl.dropped++
		return
	}
	if context != nil {
		pl.list = append(pl.list, newProblem(display(p), line, m).withContext(*context))
		pl.paths = append(pl.paths, slices.Clone(p))
		return
	}
	pl.list = append(pl.list, newProblem(display(p), line, m))
	pl.paths = append(pl.paths, slices.Clone(p))
}

// found reports whether a problem was found.
func (pl *problemList) found() bool { return len(pl.list) > 0 || pl.dropped > 0 }

// flagged reports whether p, or an object or list containing it, already has a problem (a
// problem of the whole document does not count).
func (pl *problemList) flagged(p fieldpath.Path) bool {
	for _, q := range pl.paths {
		if len(q) > 0 && p.HasPrefix(q) {
			return true
		}
	}
	return false
}

func (pl *problemList) err() error {
	if !pl.found() {
		return nil
	}
	out := pl.list
	if pl.dropped > 0 {
		out = append(slices.Clip(out), newProblem(rootPath, 0, newMsg("document.more", "n", itoa(pl.dropped), "max", itoa(MaxProblems))))
	}
	return &ValidationError{Problems: out}
}

// maxShownName bounds how much of a long key a problem's path shows: such keys are never field
// names, and repeating them in every problem beneath them would multiply the input.
const maxShownName = 64

// display formats p for a problem: "(document)" for the root, long keys shortened.
func display(p fieldpath.Path) string {
	if len(p) == 0 {
		return rootPath
	}
	if slices.ContainsFunc(p, func(s fieldpath.Step) bool { return len(s.Name) > maxShownName }) {
		short := slices.Clone(p)
		for i, s := range short {
			if len(s.Name) > maxShownName {
				cut := maxShownName
				for cut > 0 && !utf8.RuneStart(s.Name[cut]) {
					cut--
				}
				short[i].Name = s.Name[:cut] + "…"
			}
		}
		p = short
	}
	return p.String()
}

// node is one value of a questionnaire document as read, with the line it starts on. value is
// nil, bool, int64, float64, string, []*node or map[string]*node.
type node struct {
	line  int
	value any
	// refused: reading the value found a problem with it (too deep, a broken escape), so
	// validation skips it.
	refused bool
}

// plain returns the value as map[string]any, []any and scalars, for encoding/json.
func (n *node) plain() any {
	switch v := n.value.(type) {
	case map[string]*node:
		m := make(map[string]any, len(v))
		for k, c := range v {
			m[k] = c.plain()
		}
		return m
	case []*node:
		s := make([]any, len(v))
		for i, c := range v {
			s[i] = c.plain()
		}
		return s
	}
	return n.value
}

// lineAt is the line of the value at p, or 0 when the document has none there.
func lineAt(root *node, p fieldpath.Path) int {
	cur := root
	for _, s := range p {
		if cur == nil {
			return 0
		}
		switch v := cur.value.(type) {
		case map[string]*node:
			if s.IsIndex() {
				return 0
			}
			cur = v[s.Name]
		case []*node:
			if !s.IsIndex() || s.Index >= len(v) {
				return 0
			}
			cur = v[s.Index]
		default:
			return 0
		}
	}
	if cur == nil {
		return 0
	}
	return cur.line
}

// document is a questionnaire read but not yet validated.
type document struct {
	root     *node
	values   int
	problems *problemList
}

// decoder reads a document into nodes. It keeps the path of the value being read as a stack of
// steps, so memory stays linear in the input however deep it nests.
type decoder struct {
	path     fieldpath.Path
	problems *problemList
	values   int
	// expanding holds the YAML alias targets being expanded, to refuse recursive aliases.
	expanding map[*yaml.Node]bool
	// nodes is a slab the values are taken from (one allocation per 64 values).
	nodes []node
}

// node returns a new value read at line.
func (d *decoder) node(line int, v any) *node {
	if len(d.nodes) == 0 {
		d.nodes = make([]node, 64)
	}
	n := &d.nodes[0]
	d.nodes = d.nodes[1:]
	n.line, n.value = line, v
	return n
}

// errTrailingData is JSON followed by something else.
var errTrailingData = errors.New("more after the JSON value")

// errTooManyValues stops reading a document that holds more than MaxValues values.
var errTooManyValues = errors.New("too many values")

func (d *decoder) problem(line int, m Msg) { d.problems.add(d.path, line, m) }

// count counts one more value and refuses the one past MaxValues.
func (d *decoder) count(line int) error {
	d.values++
	if d.values > MaxValues {
		d.problem(line, newMsg("document.too_many", "n", itoa(d.values), "max", itoa(MaxValues)))
		return errTooManyValues
	}
	return nil
}

// tooDeep refuses an object or list with entries at the depth limit.
func (d *decoder) tooDeep(line int) *node {
	d.problem(line, newMsg("document.too_deep", "max", itoa(MaxDepth)))
	return &node{line: line, refused: true}
}

// decodeDocument reads JSON or YAML. JSON is read with encoding/json (the decoder that writes the
// stored questionnaires), anything else, and JSON that encoding/json refuses, as YAML; both
// report lines.
func decodeDocument(b []byte) (*document, error) { return decodeDocumentWith(b, false) }

// decodeDocumentWith is decodeDocument; reference reads JSON with encoding/json's tokenizer
// only (the reader the fast one must agree with).
func decodeDocumentWith(b []byte, reference bool) (*document, error) {
	if len(b) > MaxDocumentBytes {
		return nil, documentError(newMsg("document.too_large", "bytes", itoa(len(b)), "max", itoa(MaxDocumentBytes)), 0)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, documentError(newMsg("document.empty"), 0)
	}
	if looksJSON(b) && utf8.Valid(b) {
		d := &decoder{problems: &problemList{}}
		var root *node
		err := errSlowPath
		if !reference {
			root, err = d.fastJSON(b)
		}
		if errors.Is(err, errSlowPath) {
			d = &decoder{problems: &problemList{}}
			root, err = d.json(b)
		}
		switch {
		case err == nil:
			return &document{root: root, values: d.values, problems: d.problems}, nil
		case errors.Is(err, errTooManyValues):
			return nil, d.problems.err()
		case errors.Is(err, errTrailingData):
			return nil, documentError(newMsg("document.syntax", "error", jsonMessage(b)), 0)
		}
		// Not JSON as encoding/json reads it: YAML's flow syntax may still read it.
	}
	var n yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(b))
	err := dec.Decode(&n)
	if err == nil {
		var extra yaml.Node
		if dec.Decode(&extra) == nil {
			return nil, documentError(newMsg("document.several"), extra.Line)
		}
	}
	if err != nil {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		if looksJSON(b) {
			if jmsg := jsonMessage(b); jmsg != "" {
				msg = jmsg
			}
		}
		return nil, documentError(newMsg("document.syntax", "error", msg), 0)
	}
	if len(n.Content) == 0 {
		return nil, documentError(newMsg("document.empty"), 0)
	}
	d := &decoder{problems: &problemList{}, expanding: map[*yaml.Node]bool{}}
	root, err := d.yaml(n.Content[0])
	if err != nil {
		return nil, d.problems.err()
	}
	return &document{root: root, values: d.values, problems: d.problems}, nil
}

// jsonMessage is encoding/json's message about b, or "" (decoding into struct{} keeps nothing).
func jsonMessage(b []byte) string {
	if err := json.Unmarshal(b, &struct{}{}); err != nil {
		return err.Error()
	}
	return ""
}

func looksJSON(b []byte) bool {
	t := bytes.TrimSpace(b)
	return len(t) > 0 && (t[0] == '{' || t[0] == '[')
}

// yaml converts a YAML node and what it holds.
func (d *decoder) yaml(n *yaml.Node) (*node, error) {
	if n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return &node{line: n.Line}, nil
		}
		return d.yaml(n.Content[0])
	}
	if n.Kind == yaml.AliasNode {
		if d.expanding[n.Alias] {
			d.problem(n.Line, newMsg("document.alias_loop"))
			return &node{line: n.Line, refused: true}, nil
		}
		d.expanding[n.Alias] = true
		v, err := d.yaml(n.Alias)
		delete(d.expanding, n.Alias)
		if v != nil {
			v.line = n.Line
		}
		return v, err
	}
	if err := d.count(n.Line); err != nil {
		return nil, err
	}
	switch n.Kind {
	case yaml.MappingNode:
		if len(n.Content) > 0 && len(d.path) >= MaxDepth {
			return d.tooDeep(n.Line), nil
		}
		m := make(map[string]*node, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode {
				d.problem(k.Line, newMsg("document.key_type"))
				continue
			}
			d.path = append(d.path, fieldpath.Field(k.Value))
			if _, dup := m[k.Value]; dup {
				d.problem(k.Line, newMsg("document.duplicate_key"))
			} else {
				c, err := d.yaml(v)
				if err != nil {
					return nil, err
				}
				m[k.Value] = c
			}
			d.path = d.path[:len(d.path)-1]
		}
		return d.node(n.Line, m), nil
	case yaml.SequenceNode:
		if len(n.Content) > 0 && len(d.path) >= MaxDepth {
			return d.tooDeep(n.Line), nil
		}
		s := make([]*node, len(n.Content))
		for i, c := range n.Content {
			d.path = append(d.path, fieldpath.Index(i))
			v, err := d.yaml(c)
			if err != nil {
				return nil, err
			}
			s[i] = v
			d.path = d.path[:len(d.path)-1]
		}
		return d.node(n.Line, s), nil
	case yaml.ScalarNode:
		return d.node(n.Line, scalar(n)), nil
	}
	return &node{line: n.Line}, nil
}

// scalar keeps YAML's resolution of plain scalars but leaves timestamps as their text.
func scalar(n *yaml.Node) any {
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!bool":
		switch n.Value { // the words YAML resolves as booleans, without a decoder each
		case "true", "True", "TRUE":
			return true
		case "false", "False", "FALSE":
			return false
		}
		var b bool
		if err := n.Decode(&b); err == nil {
			return b
		}
	case "!!int":
		if i, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 64); err == nil {
			return i
		}
		var f float64
		if err := n.Decode(&f); err == nil {
			return f
		}
	case "!!float":
		var f float64
		if err := n.Decode(&f); err == nil {
			return wholeNumber(f)
		}
	}
	return n.Value
}

// wholeNumber gives a float that holds a whole number as int64, as YAML reads "1.0".
func wholeNumber(f float64) any {
	if f == math.Trunc(f) && math.Abs(f) < 1<<53 {
		return int64(f)
	}
	return f
}

// json reads one JSON document with encoding/json's tokenizer.
func (d *decoder) json(b []byte) (*node, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	lines := &lineCounter{b: b, line: 1}
	root, err := d.jsonValue(dec, lines)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errTrailingData
	}
	return root, nil
}

// lineCounter finds the lines of tokens, counting newlines once as the decoder advances.
type lineCounter struct {
	b    []byte
	off  int
	line int
}

// at is the line of the token that starts at or after off (past separators).
func (lc *lineCounter) at(off int64) int {
	i := int(off)
	for i < len(lc.b) && strings.IndexByte(" \t\r\n,:", lc.b[i]) >= 0 {
		i++
	}
	if i > lc.off {
		lc.line += bytes.Count(lc.b[lc.off:i], []byte{'\n'})
		lc.off = i
	}
	return lc.line
}

func (d *decoder) jsonValue(dec *json.Decoder, lines *lineCounter) (*node, error) {
	start := dec.InputOffset()
	t, err := dec.Token()
	if err != nil {
		return nil, err
	}
	line := lines.at(start)
	if err := d.count(line); err != nil {
		return nil, err
	}
	switch v := t.(type) {
	case json.Delim:
		if v != '{' && v != '[' {
			return nil, fmt.Errorf("unexpected %v", v)
		}
		if dec.More() && len(d.path) >= MaxDepth {
			return d.tooDeep(line), skipJSON(dec, 1)
		}
		if v == '[' {
			s := []*node{}
			for i := 0; dec.More(); i++ {
				d.path = append(d.path, fieldpath.Index(i))
				c, err := d.jsonValue(dec, lines)
				if err != nil {
					return nil, err
				}
				d.path = d.path[:len(d.path)-1]
				s = append(s, c)
			}
			_, err := dec.Token()
			return &node{line: line, value: s}, err
		}
		m := map[string]*node{}
		for dec.More() {
			kstart := dec.InputOffset()
			kt, err := dec.Token()
			if err != nil {
				return nil, err
			}
			k, _ := kt.(string)
			d.path = append(d.path, fieldpath.Field(k))
			if _, dup := m[k]; dup {
				d.problem(lines.at(kstart), newMsg("document.duplicate_key"))
				if err := skipJSON(dec, 0); err != nil {
					return nil, err
				}
			} else {
				c, err := d.jsonValue(dec, lines)
				if err != nil {
					return nil, err
				}
				m[k] = c
			}
			d.path = d.path[:len(d.path)-1]
		}
		_, err := dec.Token()
		return &node{line: line, value: m}, err
	case string:
		n := &node{line: line, value: v}
		if u, lone := loneSurrogate(lines.b[start:dec.InputOffset()]); lone {
			d.problem(line, newMsg("document.surrogate", "escape", fmt.Sprintf(`\u%04x`, u)))
			n.refused = true
		}
		return n, nil
	case json.Number:
		if i, err := strconv.ParseInt(string(v), 10, 64); err == nil {
			return &node{line: line, value: i}, nil
		}
		f, err := strconv.ParseFloat(string(v), 64)
		if err != nil {
			return &node{line: line, value: string(v)}, nil
		}
		return &node{line: line, value: wholeNumber(f)}, nil
	}
	return &node{line: line, value: t}, nil // bool or nil
}

// skipJSON reads past the rest of a JSON value of which depth objects and lists are open (0:
// the whole next value) without keeping it.
func skipJSON(dec *json.Decoder, depth int) error {
	for {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		if delim, ok := t.(json.Delim); ok {
			if delim == '{' || delim == '[' {
				depth++
			} else {
				depth--
			}
		}
		if depth == 0 {
			return nil
		}
	}
}

// loneSurrogate finds a \u escape of half a surrogate pair without its other half in the raw
// text of a JSON string (encoding/json would silently read it as U+FFFD).
func loneSurrogate(raw []byte) (rune, bool) {
	if bytes.IndexByte(raw, '\\') < 0 {
		return 0, false
	}
	hex4 := func(i int) (rune, bool) {
		if i+6 > len(raw) || raw[i] != '\\' || raw[i+1] != 'u' {
			return 0, false
		}
		v, err := strconv.ParseUint(string(raw[i+2:i+6]), 16, 32)
		return rune(v), err == nil
	}
	for i := 0; i < len(raw); i++ {
		if raw[i] != '\\' {
			continue
		}
		u, ok := hex4(i)
		switch {
		case !ok:
			i++ // another escape: skip the escaped character
		case u >= 0xD800 && u < 0xDC00:
			if lo, ok := hex4(i + 6); ok && lo >= 0xDC00 && lo <= 0xDFFF {
				i += 11
				continue
			}
			return u, true
		case u >= 0xDC00 && u <= 0xDFFF:
			return u, true
		default:
			i += 5
		}
	}
	return 0, false
}

// textRune reports whether a questionnaire's text may hold c: the characters a YAML stream may
// hold except the C1 controls (NEL included, which YAML reads as a line break): tab, line feed,
// carriage return, U+0020–U+007E, U+00A0–U+D7FF, U+E000–U+FFFD and U+10000–U+10FFFF. The same
// rule holds for what is typed and for what is read back from storage, so every questionnaire
// that is accepted can be read again, evaluated and rendered.
func textRune(c rune) bool {
	switch {
	case c == '\t' || c == '\n' || c == '\r':
	case c >= 0x20 && c <= 0x7E:
	case c >= 0xA0 && c <= 0xD7FF:
	case c >= 0xE000 && c <= 0xFFFD:
	case c >= 0x10000 && c <= utf8.MaxRune:
	default:
		return false
	}
	return true
}

// badText returns a problem message for a string that holds a character textRune refuses.
func badText(s string) (Msg, bool) {
	pos := 0
	for _, c := range s {
		pos++
		if !textRune(c) {
			return newMsg("character", "char", fmt.Sprintf("%U", c), "pos", itoa(pos)), true
		}
	}
	return Msg{}, false
}

func itoa(n int) string { return strconv.Itoa(n) }

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

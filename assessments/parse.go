package assessments

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Problem is one thing wrong with a questionnaire, located by its field path
// (e.g. "activities[1].transfers[0].to_country") and, when known, the source line.
type Problem struct {
	Path    string `json:"path"`
	Message string `json:"message"`
	Line    int    `json:"line,omitempty"`
}

// String formats the problem as "path: message (line N)".
func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s: %s (line %d)", p.Path, p.Message, p.Line)
	}
	return fmt.Sprintf("%s: %s", p.Path, p.Message)
}

// ValidationError lists every problem found in a questionnaire.
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

// document is a parsed but not yet validated questionnaire: a tree of map[string]any, []any,
// string, int64, float64, bool and nil, with the source line of every path.
type document struct {
	root  any
	lines map[string]int
	// problems found while reading the tree (duplicate keys, non-string keys, aliases).
	problems []Problem
	// nodes counts converted nodes; expanding aliases may not exceed maxNodes ("billion laughs").
	nodes int
	// expanding holds the alias targets being expanded, to refuse recursive aliases.
	expanding map[*yaml.Node]bool
}

// maxNodes bounds the size of a questionnaire after YAML alias expansion.
const maxNodes = 200_000

// decodeDocument reads JSON or YAML (JSON is read as YAML flow syntax, so both report lines).
func decodeDocument(b []byte) (*document, error) {
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, &ValidationError{Problems: []Problem{{Path: "(document)", Message: "is empty"}}}
	}
	var n yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(b))
	err := dec.Decode(&n)
	if err == nil {
		var extra yaml.Node
		if dec.Decode(&extra) == nil {
			return nil, &ValidationError{Problems: []Problem{{Path: "(document)", Message: "holds more than one YAML document: give one questionnaire per file", Line: extra.Line}}}
		}
	}
	if err != nil {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		if looksJSON(b) {
			var v any
			if jerr := json.Unmarshal(b, &v); jerr != nil {
				msg = jerr.Error()
			}
		}
		return nil, &ValidationError{Problems: []Problem{{Path: "(document)", Message: "is not valid JSON or YAML: " + msg}}}
	}
	d := &document{lines: map[string]int{}, expanding: map[*yaml.Node]bool{}}
	if len(n.Content) == 0 {
		return nil, &ValidationError{Problems: []Problem{{Path: "(document)", Message: "is empty"}}}
	}
	d.root = d.convert(n.Content[0], "")
	return d, nil
}

func looksJSON(b []byte) bool {
	t := bytes.TrimSpace(b)
	return len(t) > 0 && (t[0] == '{' || t[0] == '[')
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func (d *document) convert(n *yaml.Node, path string) any {
	d.lines[path] = n.Line
	d.nodes++
	if d.nodes == maxNodes {
		d.problems = append(d.problems, Problem{Path: orRoot(path), Message: fmt.Sprintf("the document expands to more than %d values (YAML aliases?)", maxNodes), Line: n.Line})
	}
	if d.nodes >= maxNodes {
		return nil
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil
		}
		return d.convert(n.Content[0], path)
	case yaml.AliasNode:
		if d.expanding[n.Alias] {
			d.problems = append(d.problems, Problem{Path: orRoot(path), Message: "is a YAML alias that refers to itself", Line: n.Line})
			return nil
		}
		d.expanding[n.Alias] = true
		v := d.convert(n.Alias, path)
		delete(d.expanding, n.Alias)
		return v
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode {
				d.problems = append(d.problems, Problem{Path: orRoot(path), Message: "has a key that is not a string", Line: k.Line})
				continue
			}
			p := join(path, k.Value)
			if _, dup := m[k.Value]; dup {
				d.problems = append(d.problems, Problem{Path: p, Message: "is given twice", Line: k.Line})
				continue
			}
			m[k.Value] = d.convert(v, p)
		}
		return m
	case yaml.SequenceNode:
		s := make([]any, len(n.Content))
		for i, c := range n.Content {
			s[i] = d.convert(c, fmt.Sprintf("%s[%d]", path, i))
		}
		return s
	case yaml.ScalarNode:
		return scalar(n)
	}
	return nil
}

func orRoot(p string) string {
	if p == "" {
		return "(document)"
	}
	return p
}

// scalar keeps YAML's resolution of plain scalars but leaves timestamps as their text.
func scalar(n *yaml.Node) any {
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!bool":
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
			if f == math.Trunc(f) && math.Abs(f) < 1<<53 {
				return int64(f)
			}
			return f
		}
	}
	return n.Value
}

// sortedKeys returns m's keys in order.
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

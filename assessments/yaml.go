package assessments

import (
	"bytes"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// DocumentYAML writes a stored questionnaire document (JSON) as block-style YAML with the keys in
// the document's order, for people who keep the questionnaire in their repository (the CI
// gate reads either form). Strings that would read as another type are quoted.
func DocumentYAML(doc []byte) ([]byte, error) {
	var n yaml.Node
	// JSON is YAML: the node keeps the document's key order.
	if err := yaml.Unmarshal(doc, &n); err != nil {
		return nil, fmt.Errorf("questionnaire as YAML: %w", err)
	}
	blockStyle(&n)
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&n); err != nil {
		return nil, fmt.Errorf("questionnaire as YAML: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("questionnaire as YAML: %w", err)
	}
	return b.Bytes(), nil
}

// blockStyle drops the flow style and quotes JSON's syntax gave every node; the encoder quotes
// a string again where YAML 1.2 needs it, and blockStyle quotes the words YAML 1.1 tools read as
// booleans ("no", "on", ...).
func blockStyle(n *yaml.Node) {
	n.Style = 0
	if n.Kind == yaml.ScalarNode && n.Tag == "!!str" && yaml11Bools[strings.ToLower(n.Value)] {
		n.Style = yaml.DoubleQuotedStyle
	}
	for _, c := range n.Content {
		blockStyle(c)
	}
}

// yaml11Bools are the plain words YAML 1.1 reads as booleans.
var yaml11Bools = map[string]bool{"y": true, "yes": true, "n": true, "no": true, "on": true, "off": true, "true": true, "false": true}

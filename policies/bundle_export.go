package policies

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// WriteBundle writes the engine's policy library as a directory that `opa run --server DIR` or
// `opa eval -b DIR` loads: every policy module (tests left out) under its file name, and the data
// document the engine evaluates with (jurisdictions, the indexes built at load, the catalogue,
// company data) as data.json at the root. The query is ResultQuery with the input that Input
// builds. The benchmark harness (bench/compare) uses it to compare piaflow with OPA's own server
// on the same bundle.
func (e *Engine) WriteBundle(dir string) error {
	for name, body := range e.sources {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fmt.Errorf("write bundle: %w", err)
		}
		if err := os.WriteFile(p, body, 0o644); err != nil {
			return fmt.Errorf("write bundle: %w", err)
		}
	}
	b, err := json.Marshal(e.data)
	if err != nil {
		return fmt.Errorf("write bundle: encode data: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "data.json"), b, 0o644); err != nil {
		return fmt.Errorf("write bundle: %w", err)
	}
	return nil
}

// ResultQuery is the query whose value is the assessment document (before the Go side expands
// transfer rows per subject country and normalises it).
const ResultQuery = resultQuery

package piaflow_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/piaflow/piaflow"
)

// TestErrorMessageIDs: every error message id the Go code names ("error.…" literals; a literal
// ending in "." is the prefix of ids built from it) has an English text, so no error renders
// as its id.
func TestErrorMessageIDs(t *testing.T) {
	texts := piaflow.ErrorTexts()
	lit := regexp.MustCompile(`"(error\.[a-z0-9_.]+)"`)
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "node_modules") && path != "." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range lit.FindAllStringSubmatch(string(b), -1) {
			id := m[1]
			if strings.HasSuffix(id, ".") {
				found := false
				for k := range texts {
					found = found || strings.HasPrefix(k, id)
				}
				if !found {
					t.Errorf("%s: no error message starts with %q", path, id)
				}
				continue
			}
			if _, ok := texts[id]; !ok && path != "errmsg.go" {
				t.Errorf("%s: error message %q has no English text (ErrorTexts)", path, id)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

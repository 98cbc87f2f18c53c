package policies

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestJurisdictionFiles checks every shipped jurisdiction file: strict decoding, vocabulary,
// country codes, citations, dates, unique ids and non-overlapping periods per regime.
func TestJurisdictionFiles(t *testing.T) {
	paths, err := filepath.Glob("data/jurisdictions/*.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) < 20 {
		t.Fatalf("want at least 20 jurisdiction files, have %d", len(paths))
	}
	ids := map[string]string{}
	byRegime := map[string][]Jurisdiction{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		j, err := ParseJurisdiction(b)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		for _, problem := range j.Validate() {
			t.Errorf("%s: %s", p, problem)
		}
		if want := strings.TrimSuffix(filepath.Base(p), ".json"); j.ID != want {
			t.Errorf("%s: id %q, want the file name %q", p, j.ID, want)
		}
		if other, dup := ids[j.ID]; dup {
			t.Errorf("%s: id %q also in %s", p, j.ID, other)
		}
		ids[j.ID] = p
		byRegime[j.Regime] = append(byRegime[j.Regime], j)
	}
	for regime, js := range byRegime {
		for a := range js {
			for b := a + 1; b < len(js); b++ {
				if overlaps(js[a].Period, js[b].Period) {
					t.Errorf("regime %s: %s and %s are in force on the same days", regime, js[a].ID, js[b].ID)
				}
			}
		}
	}
}

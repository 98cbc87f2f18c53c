package policies

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCoverageFile checks the shipped coverage file: strict decoding, countries, texts and
// citations, and that no country it lists as partially covered or without a territorial law
// has a jurisdiction file of its own (which would make the entry dead).
func TestCoverageFile(t *testing.T) {
	b, err := os.ReadFile("data/coverage.json")
	if err != nil {
		t.Fatal(err)
	}
	c, err := ParseCoverage(b)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range c.Validate() {
		t.Error(p)
	}
	paths, err := filepath.Glob("data/jurisdictions/*.json")
	if err != nil {
		t.Fatal(err)
	}
	withLaw := map[string]string{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		j, err := ParseJurisdiction(b)
		if err != nil {
			t.Fatal(err)
		}
		for _, code := range j.Countries {
			withLaw[code] = j.ID
		}
	}
	for _, p := range c.Partial {
		if id, ok := withLaw[p.Country]; ok {
			t.Errorf("partial %s: the country has a jurisdiction file (%s)", p.Country, id)
		}
	}
	for _, n := range c.NoTerritorialLaw {
		if id, ok := withLaw[n.Country]; ok {
			t.Errorf("no_territorial_law %s: the country has a jurisdiction file (%s)", n.Country, id)
		}
	}
}

// TestCoverageValidate names the field path of each problem.
func TestCoverageValidate(t *testing.T) {
	tests := []struct {
		name string
		json string
		want string
	}{
		{"ErrUnknownField", `{"citation": {"ref": "x", "url": "https://x"}, "extra": 1}`, "unknown field"},
		{"ErrCountry", `{"citation": {"ref": "x", "url": "https://x"}, "partial": [{"country": "XX", "covered": ["a"], "not_covered": "b", "citation": {"ref": "x", "url": "https://x"}}]}`, `partial[0].country[0]: "XX" is not an ISO 3166-1 alpha-2 code`},
		{"ErrCovered", `{"citation": {"ref": "x", "url": "https://x"}, "partial": [{"country": "US", "covered": [], "not_covered": "b", "citation": {"ref": "x", "url": "https://x"}}]}`, "partial[0].covered: needs at least one regime"},
		{"ErrTwice", `{"citation": {"ref": "x", "url": "https://x"}, "partial": [{"country": "US", "covered": ["a"], "not_covered": "b", "citation": {"ref": "x", "url": "https://x"}}, {"country": "US", "covered": ["a"], "not_covered": "b", "citation": {"ref": "x", "url": "https://x"}}]}`, `partial[1].country: "US" is listed twice`},
		{"ErrNote", `{"citation": {"ref": "x", "url": "ftp://x"}, "no_territorial_law": [{"country": "US", "note": " ", "citation": {"ref": "x", "url": "https://x"}}]}`, "no_territorial_law[0].note: is required"},
		{"ErrCitation", `{"citation": {"ref": "x", "url": "ftp://x"}}`, `citation.url: "ftp://x" is not an http(s) URL`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseCoverage([]byte(tt.json))
			if err != nil {
				if !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("error %v, want %q", err, tt.want)
				}
				return
			}
			got := strings.Join(c.Validate(), "; ")
			if !strings.Contains(got, tt.want) {
				t.Errorf("problems %q, want %q", got, tt.want)
			}
		})
	}
	if _, problems := loadCoverage(nil); len(problems) != 1 {
		t.Errorf("a missing coverage file: %v", problems)
	}
}

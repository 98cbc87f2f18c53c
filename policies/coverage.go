package policies

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
)

// Coverage records what the library knows it does not cover (policies/data/coverage.json): the
// rules say so in every assessment (its coverage block and the COVERAGE-* findings) instead of
// reading a country without a law in the library as a country without a law.
type Coverage struct {
	// Partial lists countries where the library holds some, not all, of the laws that may apply.
	Partial []PartialCoverage `json:"partial"`
	// NoTerritorialLaw lists countries where piaflow's review found no general data-protection
	// law governing a processor, host or recipient established there for the foreign people's
	// data it handles: such a role there raises no coverage gap. People or a customer there
	// still do.
	NoTerritorialLaw []CountryNote `json:"no_territorial_law"`
	// Citation is the source the coverage findings cite: a register of the world's
	// data-protection laws, so that a reader can see which laws exist where piaflow has none.
	Citation Citation `json:"citation"`
}

// PartialCoverage is one country whose laws the library covers only in part.
type PartialCoverage struct {
	Country string `json:"country"`
	// Covered lists the regime ids the library holds for the country.
	Covered []string `json:"covered"`
	// NotCovered names the laws that may apply and are not in the library.
	NotCovered string   `json:"not_covered"`
	Citation   Citation `json:"citation"`
	Confirm    string   `json:"confirm,omitempty"`
}

// CountryNote is a sourced statement about one country.
type CountryNote struct {
	Country  string   `json:"country"`
	Note     string   `json:"note"`
	Citation Citation `json:"citation"`
	Confirm  string   `json:"confirm,omitempty"`
}

// ParseCoverage decodes the coverage file strictly (unknown fields are errors).
func ParseCoverage(b []byte) (Coverage, error) {
	var c Coverage
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return c, fmt.Errorf("decode coverage: %w", err)
	}
	return c, nil
}

// Validate checks the coverage file's countries, texts and citations and returns every problem
// found, each prefixed with its field path. (A country with a jurisdiction file in force counts as
// covered whatever this file says, so company jurisdiction files may add countries.)
func (c Coverage) Validate() []string {
	v := &checker{}
	v.citation("citation", c.Citation)
	seen := map[string]bool{}
	for i, p := range c.Partial {
		path := fmt.Sprintf("partial[%d]", i)
		v.countries(path+".country", []string{p.Country}, true)
		if seen[p.Country] {
			v.add(path+".country", fmt.Sprintf("%q is listed twice", p.Country))
		}
		seen[p.Country] = true
		if len(p.Covered) == 0 {
			v.add(path+".covered", "needs at least one regime")
		}
		v.nonEmpty(path+".not_covered", p.NotCovered)
		v.citation(path+".citation", p.Citation)
	}
	for i, n := range c.NoTerritorialLaw {
		path := fmt.Sprintf("no_territorial_law[%d]", i)
		v.countries(path+".country", []string{n.Country}, true)
		v.nonEmpty(path+".note", n.Note)
		v.citation(path+".citation", n.Citation)
	}
	slices.Sort(v.problems)
	return v.problems
}

// loadCoverage parses and validates the embedded coverage file (data/coverage.json) and returns
// it as policy data (data.piaflow.coverage_notes), or the problems found.
func loadCoverage(body []byte) (any, []string) {
	if body == nil {
		return nil, []string{"data/coverage.json: missing"}
	}
	c, err := ParseCoverage(body)
	if err != nil {
		return nil, []string{"data/coverage.json: " + err.Error()}
	}
	var problems []string
	for _, p := range c.Validate() {
		problems = append(problems, "data/coverage.json: "+p)
	}
	v, err := toJSONValue(c)
	if err != nil {
		problems = append(problems, "data/coverage.json: "+err.Error())
	}
	return v, problems
}

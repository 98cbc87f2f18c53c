package assessments

import (
	"encoding/json"
	"fmt"
	"slices"
)

// RegimeFindings is one regime's findings.
type RegimeFindings struct {
	// Regime is the applicable regime, or only its ID for a regime a finding names that is not
	// among the assessment's Regimes (Applicable false).
	Regime     Regime
	Applicable bool
	Findings   []Finding
}

// ByRegime groups the findings by regime: one group per applicable regime, in the order of
// Regimes (a regime without findings too), then one per other regime a finding names, in the
// order the findings first name them. Findings keep their order. The PDF report and the web
// page both show findings this way (each first choosing and ordering the findings it shows).
func (a *Assessment) ByRegime() []RegimeFindings {
	out := make([]RegimeFindings, 0, len(a.Regimes))
	index := map[string]int{}
	for _, r := range a.Regimes {
		index[r.ID] = len(out)
		out = append(out, RegimeFindings{Regime: r, Applicable: true})
	}
	for _, f := range a.Findings {
		i, ok := index[f.Regime]
		if !ok {
			i = len(out)
			index[f.Regime] = i
			out = append(out, RegimeFindings{Regime: Regime{ID: f.Regime}})
		}
		out[i].Findings = append(out[i].Findings, f)
	}
	return out
}

// SubjectCountries lists the countries of the data subjects of every activity, sorted, each
// once.
func (q *Questionnaire) SubjectCountries() []string {
	var out []string
	for _, a := range q.Activities {
		for _, g := range a.DataSubjects {
			for _, c := range g.Countries {
				if !slices.Contains(out, c) {
					out = append(out, c)
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

// HostCountries lists the countries of the hosting sites, sorted, each once.
func (q *Questionnaire) HostCountries() []string {
	var out []string
	for _, h := range q.Hosting {
		if h.Country != "" && !slices.Contains(out, h.Country) {
			out = append(out, h.Country)
		}
	}
	slices.Sort(out)
	return out
}

// DecodeStored reads a questionnaire kept by piaflow (the JSON of a stored revision) to show
// it, without validating it: a revision was valid by the rules of the day it was saved, and a
// rule tightened since must not make its old report or page fail. Evaluating a revision still
// validates it (Parse).
func DecodeStored(doc []byte) (*Questionnaire, error) {
	var q Questionnaire
	if err := json.Unmarshal(doc, &q); err != nil {
		return nil, fmt.Errorf("decode stored questionnaire: %w", err)
	}
	return &q, nil
}

package policies

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"sync"
)

// ruleRegimes are the regimes whose rules live in Rego only, without a jurisdiction file.
var ruleRegimes = []string{"us_dsp", "us_hipaa"}

// embedded reads the jurisdiction files embedded in the binary, once.
var embedded = sync.OnceValues(func() ([]Jurisdiction, error) {
	paths, err := fs.Glob(bundleFS, "data/jurisdictions/*.json")
	if err != nil {
		return nil, fmt.Errorf("list jurisdictions: %w", err)
	}
	out := make([]Jurisdiction, 0, len(paths))
	for _, p := range paths {
		b, err := bundleFS.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", p, err)
		}
		j, err := ParseJurisdiction(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path.Base(p), err)
		}
		out = append(out, j)
	}
	return out, nil
})

// regimeIDs is the sorted list of regime ids of the embedded library, computed once.
var regimeIDs = sync.OnceValue(func() []string {
	js, err := embedded()
	if err != nil {
		// The engine refuses the same files with the full error; the vocabulary is then empty.
		return nil
	}
	ids := slices.Clone(ruleRegimes)
	for _, j := range js {
		ids = append(ids, j.Regime)
		for _, l := range j.Localisation {
			if l.Instrument != nil { // a sector instrument is a regime of its own (in_rbi_psd)
				ids = append(ids, l.Instrument.Regime)
			}
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids)
})

// RegimeIDs returns the ids of the regimes the embedded library knows, sorted: the regime of
// every jurisdiction file (gdpr, cn_pipl, vn_pdpd, ...), the instruments their localisation rules
// come from (in_rbi_psd, ...) and the regimes written in Rego only (us_dsp, us_hipaa). It is the "regime" vocabulary of the questionnaire (Enum("regime")):
// hosting[].mechanisms[].regime, deployment.scope_confirmed keys,
// governance.impact_assessments. Company jurisdiction files (--policies) do not extend it.
func RegimeIDs() []string { return slices.Clone(regimeIDs()) }

// Jurisdictions returns the jurisdictions the engine evaluates (embedded and company files), in
// file-name order. The slice is shared: callers must not modify it.
func (e *Engine) Jurisdictions() []Jurisdiction { return e.jurisdictions }

// CountStart is where a volume threshold starts to hold: N for "N or more" (min_* keys),
// N+1 for "more than N" (MoreThan).
type CountStart struct {
	From     int
	MoreThan bool
}

// CountStarts lists where the condition's volume thresholds start to hold. The hosting check
// evaluates one band per start. A threshold key added to Condition is added here: a
// "more_than_*" key N as CountStart{From: N + 1, MoreThan: true}.
func (c Condition) CountStarts() []CountStart {
	var out []CountStart
	for _, n := range []int{c.MinSubjects, c.MinSensitiveSubjects, c.MinNonsensitiveSubjects} { // "N or more"
		if n > 0 {
			out = append(out, CountStart{From: n})
		}
	}
	for _, n := range []int{c.MoreThanSubjects, c.MoreThanSensitiveSubjects} { // "more than N"
		if n > 0 {
			out = append(out, CountStart{From: n + 1, MoreThan: true})
		}
	}
	return out
}

// CountBoundary is a head count at which the outcome of a rule in force may change.
type CountBoundary struct {
	CountStart
	// Regime and Rule name where it comes from: a transfer tier, a localisation rule or a US
	// DOJ bulk threshold (rule = the data category).
	Regime, Rule string
}

// CountBoundaries returns the head-count boundaries of the rules in force on asOf (YYYY-MM-DD)
// that can apply to data subjects in the given countries: the volume thresholds of transfer
// tiers and localisation rules of the jurisdictions covering those countries, and, for US
// subjects, the US DOJ bulk thresholds of the given data categories ("more than N"). The list is
// sorted by From, then regime and rule.
func (e *Engine) CountBoundaries(countries, categories []string, asOf string) []CountBoundary {
	var out []CountBoundary
	add := func(regime, rule string, starts []CountStart) {
		for _, st := range starts {
			out = append(out, CountBoundary{CountStart: st, Regime: regime, Rule: rule})
		}
	}
	for _, j := range e.jurisdictions {
		if !inForce(j.Period, asOf) || !overlap(j.Countries, countries) {
			continue
		}
		for _, t := range j.Transfer.Tiers {
			if inForce(t.Period, asOf) {
				add(j.Regime, "transfer.tiers."+t.ID, t.When.CountStarts())
			}
		}
		for _, l := range j.Localisation {
			if inForce(l.Period, asOf) {
				add(j.Regime, "localisation."+l.ID, l.When.CountStarts())
			}
		}
	}
	if slices.Contains(countries, "US") {
		for _, t := range e.dspThresholds(asOf) {
			if slices.Contains(categories, t.Category) {
				add("us_dsp", t.Category, []CountStart{{From: t.Min + 1, MoreThan: true}}) // 28 CFR 202.205: "more than"
			}
		}
	}
	sort.Slice(out, func(a, b int) bool {
		x, y := out[a], out[b]
		if x.From != y.From {
			return x.From < y.From
		}
		if x.Regime != y.Regime {
			return x.Regime < y.Regime
		}
		return x.Rule < y.Rule
	})
	return out
}

// dspThreshold is one bulk threshold of data.piaflow.catalog.us_dsp: more than Min US persons.
type dspThreshold struct {
	Category string `json:"category"`
	Min      int    `json:"min"`
}

// dspThresholds reads the US DOJ bulk thresholds of the catalogue, when the rule is in force.
func (e *Engine) dspThresholds(asOf string) []dspThreshold {
	pf, _ := e.data["piaflow"].(map[string]any)
	cat, _ := pf["catalog"].(map[string]any)
	raw, ok := cat["us_dsp"]
	if !ok {
		return nil
	}
	b, err := json.Marshal(raw)
	if err != nil {
		return nil
	}
	var dsp struct {
		Period
		Thresholds []dspThreshold `json:"thresholds"`
	}
	if json.Unmarshal(b, &dsp) != nil || !inForce(dsp.Period, asOf) {
		return nil
	}
	return dsp.Thresholds
}

// inForce reports whether the period includes the day asOf (YYYY-MM-DD).
func inForce(p Period, asOf string) bool {
	return (p.EffectiveFrom == "" || p.EffectiveFrom <= asOf) && (p.EffectiveTo == "" || asOf <= p.EffectiveTo)
}

func overlap(a, b []string) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

// regimeShorts maps each short name of the embedded library (a jurisdiction's "PIPL", an
// instrument's "RBI PSD") to its regime id, computed once.
var regimeShorts = sync.OnceValue(func() map[string]string {
	out := map[string]string{}
	js, err := embedded()
	if err != nil {
		return out
	}
	for _, j := range js {
		out[j.Short] = j.Regime
		for _, l := range j.Localisation {
			if l.Instrument != nil {
				out[l.Instrument.Short] = l.Instrument.Regime
			}
		}
	}
	return out
})

// RegimeOfShort returns the regime id of a short law name of the embedded library ("PIPL" →
// cn_pipl), for texts that name a law by its short name; false when unknown.
func RegimeOfShort(short string) (string, bool) {
	id, ok := regimeShorts()[short]
	return id, ok
}

// regimeFiles maps each regime id of the embedded library to the ids of the jurisdiction files
// that write its texts, computed once.
var regimeFiles = sync.OnceValue(func() map[string][]string {
	out := map[string][]string{}
	js, err := embedded()
	if err != nil {
		return out
	}
	for _, j := range js {
		out[j.Regime] = append(out[j.Regime], j.ID)
		for _, l := range j.Localisation {
			if l.Instrument != nil && !slices.Contains(out[l.Instrument.Regime], j.ID) {
				out[l.Instrument.Regime] = append(out[l.Instrument.Regime], j.ID)
			}
		}
	}
	for r := range out {
		slices.Sort(out[r])
	}
	return out
})

// RegimeFiles returns the ids of the embedded jurisdiction files that write the texts of a
// regime, sorted: the files of the regime (vn_pdpd: vn_pdpd_2023 and vn_pdpd_2026, one per
// period) and, for a sector instrument, the files whose localisation rules come from it
// (in_rbi_psd: in_dpdp). The data text keys of those files (DataTexts) start with
// "data.<file id>.", so a key computed from a regime id may name any of them.
func RegimeFiles(regime string) []string { return slices.Clone(regimeFiles()[regime]) }

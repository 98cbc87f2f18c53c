package policies

import (
	"slices"
	"testing"
)

// TestRegimeIDs: the regime vocabulary is every jurisdiction file's regime (once, although
// vn_pdpd has two files) plus the Rego-only regimes, sorted.
func TestRegimeIDs(t *testing.T) {
	ids := RegimeIDs()
	if !slices.IsSorted(ids) || len(slices.Compact(slices.Clone(ids))) != len(ids) {
		t.Errorf("regime ids not sorted and unique: %v", ids)
	}
	for _, want := range []string{"gdpr", "uk_gdpr", "cn_pipl", "jp_appi", "vn_pdpd", "us_hipaa", "us_dsp", "in_rbi_psd", "ae_health_data", "vn_cybersecurity", "cn_population_health", "cn_pbc_pfi", "id_gr71", "tr_bddk_is"} {
		if !slices.Contains(ids, want) || !InEnum("regime", want) {
			t.Errorf("regime vocabulary lacks %s: %v", want, ids)
		}
	}
	for _, bad := range []string{"vn_pdpd_2026", "GDPR", "", "eu"} {
		if InEnum("regime", bad) {
			t.Errorf("InEnum(regime, %q) = true", bad)
		}
	}
	if !slices.Equal(Enum("regime"), ids) {
		t.Error("Enum(regime) differs from RegimeIDs")
	}
	ids[0] = "changed"
	if RegimeIDs()[0] == "changed" {
		t.Error("RegimeIDs returns shared state")
	}
}

// TestCountBoundaries: the head counts where a rule in force may change the outcome, read
// from the jurisdictions' tiers ("N or more" starts at N) and the US DOJ thresholds ("more
// than N" starts at N+1), only for the subject countries and data categories asked.
func TestCountBoundaries(t *testing.T) {
	e, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	starts := func(countries, categories []string, asOf string) []int {
		var out []int
		for _, b := range e.CountBoundaries(countries, categories, asOf) {
			out = append(out, b.From)
		}
		return out
	}
	tests := []struct {
		name                  string
		countries, categories []string
		asOf                  string
		want                  []int
	}{
		{"CNProvisions2024", []string{"CN"}, []string{"contact"}, "2026-11-25", []int{10000, 100000, 1000000}},
		{"CNMeasures2022", []string{"CN"}, []string{"contact"}, "2023-06-01", []int{10000, 100000}},
		{"NoThresholdLaw", []string{"DE", "SG"}, []string{"health"}, "2026-11-25", nil},
		{"USHealthMoreThan10000", []string{"US"}, []string{"health", "contact"}, "2026-11-25", []int{10001}},
		{"USBeforeTheRule", []string{"US"}, []string{"health"}, "2024-01-01", nil},
		{"USContactHasNoThreshold", []string{"US"}, []string{"contact"}, "2026-11-25", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := starts(tt.countries, tt.categories, tt.asOf); !slices.Equal(got, tt.want) {
				t.Errorf("starts = %v, want %v", got, tt.want)
			}
		})
	}
	b := e.CountBoundaries([]string{"CN"}, nil, "2026-11-25")
	if b[1] != (CountBoundary{CountStart: CountStart{From: 100000}, Regime: "cn_pipl", Rule: "transfer.tiers.general_100k"}) {
		t.Errorf("boundary %+v", b[1])
	}
}

// TestCountStarts: "or more" thresholds start at their value; zero means no threshold.
func TestCountStarts(t *testing.T) {
	if got := (Condition{MinSubjects: 100000, MinSensitiveSubjects: 10000}).CountStarts(); !slices.Equal(got, []CountStart{{From: 100000}, {From: 10000}}) {
		t.Errorf("CountStarts = %v", got)
	}
	if got := (Condition{}).CountStarts(); len(got) != 0 {
		t.Errorf("empty condition starts %v", got)
	}
}

// TestCountBoundaryWords: DOJ thresholds are "more than N", tier thresholds "N or more".
func TestCountBoundaryWords(t *testing.T) {
	e, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range e.CountBoundaries([]string{"US", "CN"}, []string{"health"}, "2026-11-25") {
		if want := b.Regime == "us_dsp"; b.MoreThan != want {
			t.Errorf("%+v: MoreThan %v, want %v", b, b.MoreThan, want)
		}
	}
}

package policies_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/piaflow/piaflow/policies"
)

// TestAffects: a change of policies reaches a questionnaire unless only documents of laws both
// bundles hold changed and none of them names one of its countries, before or after.
func TestAffects(t *testing.T) {
	from := policies.Fingerprint{Digest: "a", Core: "core", Jurisdictions: map[string]policies.JurisdictionPrint{
		"br_lgpd": {Digest: "br1", Countries: []string{"BR"}},
		"gdpr":    {Digest: "eu1", Countries: []string{"AT", "DE"}},
	}}
	with := func(digest string, edit func(*policies.Fingerprint)) policies.Fingerprint {
		to := policies.Fingerprint{Digest: digest, Core: from.Core, Jurisdictions: map[string]policies.JurisdictionPrint{}}
		for id, j := range from.Jurisdictions {
			to.Jurisdictions[id] = j
		}
		edit(&to)
		return to
	}
	tests := []struct {
		name      string
		to        policies.Fingerprint
		countries []string
		want      bool
		why       string
	}{
		{"same bundle", from, []string{"DE"}, false, ""},
		{"the rules changed", with("b", func(f *policies.Fingerprint) { f.Core = "core2" }), []string{"DE"}, true, "rules"},
		{"a law naming the country changed", with("b", func(f *policies.Fingerprint) {
			f.Jurisdictions["gdpr"] = policies.JurisdictionPrint{Digest: "eu2", Countries: []string{"AT", "DE"}}
		}), []string{"DE", "US"}, true, "gdpr changed and names DE"},
		{"a law naming none of them changed", with("b", func(f *policies.Fingerprint) {
			f.Jurisdictions["br_lgpd"] = policies.JurisdictionPrint{Digest: "br2", Countries: []string{"BR"}}
		}), []string{"DE", "US"}, false, ""},
		{"a law comes to name one of them", with("b", func(f *policies.Fingerprint) {
			f.Jurisdictions["br_lgpd"] = policies.JurisdictionPrint{Digest: "br2", Countries: []string{"BR", "US"}}
		}), []string{"DE", "US"}, true, "names US"},
		{"a law no longer names one of them", with("b", func(f *policies.Fingerprint) {
			f.Jurisdictions["gdpr"] = policies.JurisdictionPrint{Digest: "eu2", Countries: []string{"AT"}}
		}), []string{"DE"}, true, "names DE"},
		{"a law added", with("b", func(f *policies.Fingerprint) {
			f.Jurisdictions["jp_appi"] = policies.JurisdictionPrint{Digest: "jp", Countries: []string{"JP"}}
		}), []string{"DE"}, true, "added"},
		{"a law removed", with("b", func(f *policies.Fingerprint) { delete(f.Jurisdictions, "br_lgpd") }), []string{"DE"}, true, "removed"},
		{"an earlier fingerprint without parts", policies.Fingerprint{Digest: "b"}, []string{"DE"}, true, "rules"},
		{"company rules read the laws: a far law changed", with("b", func(f *policies.Fingerprint) {
			f.CustomReadsLaws = "company rules custom/acme.rego read data.piaflow.jurisdictions"
			f.Jurisdictions["br_lgpd"] = policies.JurisdictionPrint{Digest: "br2", Countries: []string{"BR"}}
		}), []string{"DE", "US"}, true, "company rules custom/acme.rego read data.piaflow.jurisdictions"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, why := policies.Affects(from, tt.to, tt.countries)
			if got != tt.want || !strings.Contains(why, tt.why) {
				t.Errorf("Affects = %v, %q; want %v, with %q", got, why, tt.want, tt.why)
			}
		})
	}
	// Company rules that read the laws, known of the earlier bundle only (the later one's
	// fingerprint, the one compared with, is as a stored one without the field would be):
	// still every change of a law reaches.
	reads := with("b", func(f *policies.Fingerprint) {
		f.CustomReadsLaws = "company rules custom/acme.rego read data.piaflow.jurisdictions"
	})
	far := with("c", func(f *policies.Fingerprint) {
		f.Jurisdictions["br_lgpd"] = policies.JurisdictionPrint{Digest: "br2", Countries: []string{"BR"}}
	})
	if got, why := policies.Affects(reads, far, []string{"DE"}); !got || !strings.Contains(why, "company rules") {
		t.Errorf("company rules reading the laws in the earlier bundle: Affects = %v, %q", got, why)
	}
}

// TestFingerprint: the embedded library's fingerprint has its digest, a core digest, and every
// jurisdiction document with the countries it names (the GDPR names the member states and its
// adequacy decisions' destinations).
func TestFingerprint(t *testing.T) {
	e, err := policies.Default()
	if err != nil {
		t.Fatal(err)
	}
	fp := e.Fingerprint()
	if fp.Digest != e.Digest() || !strings.HasPrefix(fp.Core, "sha256:") || fp.Core == fp.Digest {
		t.Fatalf("fingerprint %s, core %s; digest %s", fp.Digest, fp.Core, e.Digest())
	}
	if len(fp.Jurisdictions) != len(e.Jurisdictions()) {
		t.Errorf("%d jurisdiction documents, engine has %d", len(fp.Jurisdictions), len(e.Jurisdictions()))
	}
	gdpr := fp.Jurisdictions["gdpr"]
	for _, c := range []string{"DE", "FR", "JP", "CH"} {
		if !slices.Contains(gdpr.Countries, c) {
			t.Errorf("gdpr names %v; want %s among them", gdpr.Countries, c)
		}
	}
	if !slices.IsSorted(gdpr.Countries) || len(slices.Compact(slices.Clone(gdpr.Countries))) != len(gdpr.Countries) {
		t.Errorf("gdpr's countries not sorted and unique: %v", gdpr.Countries)
	}
}

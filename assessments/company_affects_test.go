package assessments

import (
	"bytes"
	"testing"

	"github.com/piaflow/piaflow/policies"
)

// TestAffectsCompanyRuleReadsLaws (review-carry §1): a company rule that reads every
// jurisdiction document (it counts the laws covering citizens) gets another result for the
// hospital example (AT CN DE IE US) when the Philippines' law, which names none of those
// countries, changes its scope; Affects must say the change reaches it. The negative control:
// with a company rule reading no law document (testdata/company-plain) the same change cannot
// reach the hospital, and its result indeed stays the same.
func TestAffectsCompanyRuleReadsLaws(t *testing.T) {
	const doc = "data/jurisdictions/ph_dpa.json"
	edit := func(name string, body []byte) []byte {
		if name != doc {
			return body
		}
		out := bytes.Replace(body, []byte(`"citizens": true`), []byte(`"citizens": false`), 1)
		if bytes.Equal(out, body) {
			t.Fatalf("%s no longer has citizens scope: the edit no longer applies", doc)
		}
		return out
	}
	q, _ := hospitalGoingLive(t, "2027-03-01")
	const day = "2026-12-06"
	for _, tc := range []struct {
		dir   string
		reads bool
	}{
		{"company-laws", true},
		{"company-plain", false},
	} {
		t.Run(tc.dir, func(t *testing.T) {
			base, edited := companyEngine(t, tc.dir, nil), companyEngine(t, tc.dir, edit)
			from, to := base.Fingerprint(), edited.Fingerprint()
			if from.Core != to.Core || from.Jurisdictions["ph_dpa"].Digest == to.Jurisdictions["ph_dpa"].Digest {
				t.Fatalf("core changed %v, ph_dpa's digest %s: want only the document changed", from.Core != to.Core, to.Jurisdictions["ph_dpa"].Digest)
			}
			_, bBase := companyResult(t, base, q, day)
			_, bEdited := companyResult(t, edited, q, day)
			same := bytes.Equal(bBase, bEdited)
			if same == tc.reads {
				t.Fatalf("results equal %v: want %v (the fixture no longer shows what it is for)", same, !tc.reads)
			}
			affects, why := policies.Affects(from, to, q.Countries())
			if affects != tc.reads {
				t.Errorf("Affects = %v (%s); countries %v, results equal %v", affects, why, q.Countries(), same)
			}
		})
	}
}

package policies

import (
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
)

// TestCustomReadsLaws: company rules naming a document built from the jurisdiction documents,
// data or data.piaflow as a whole or by a computed key, or a built-in rule built on them, set
// the fingerprint's CustomReadsLaws; rules reading the questionnaire, company data and the
// library's helpers do not.
func TestCustomReadsLaws(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		reads      bool
	}{
		{"questionnaire only", "\tsome a in input.questionnaire.activities\n\t\"health\" in a.data_categories", false},
		{"library helpers", "\tdata.piaflow.lib.add_days(input.questionnaire.deployment.go_live, 3, \"days\") > \"2020-01-01\"", false},
		{"in force (the date, not the laws)", "\tdata.piaflow.lib.in_force({\"effective_from\": \"2029-04-01\"})", false},
		{"company data", "\tsome x in data.custom.acme_register.register\n\tx.id == \"sec-9\"", false},
		{"the catalogue", "\tdata.piaflow.catalog.due_offset_days.high > 0", false},
		{"every law", "\tcount([j | some j in data.piaflow.jurisdictions; j.scope.citizens]) > 3", true},
		{"a law by id", "\tsome j in data.piaflow.jurisdictions\n\tj.id == \"ph_dpa\"", true},
		{"the country index", "\tcount(data.piaflow.country_index.PH) > 0", true},
		{"the adequacy index", "\tdata.piaflow.adequacy_index.gdpr", true},
		{"data.piaflow by a computed key", "\tk := \"jurisdictions\"\n\tcount(data.piaflow[k]) > 3", true},
		{"data by a computed key", "\tk := \"piaflow\"\n\tcount(data[k].jurisdictions) > 3", true},
		{"the applicable laws (facts)", "\tsome j in data.piaflow.facts.jurisdictions\n\tj.id == \"gdpr\"", true},
		{"the coverage texts", "\tcount(data.piaflow.coverage.findings) > 0", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := companyEngine(t, probe(tc.body), Options{})
			if err != nil {
				t.Fatal(err)
			}
			why := e.Fingerprint().CustomReadsLaws
			if got := why != ""; got != tc.reads {
				t.Errorf("reads the laws: %v (%q), want %v", got, why, tc.reads)
			}
			if tc.reads && !strings.Contains(why, "custom/acme.rego") {
				t.Errorf("reason %q does not name the module", why)
			}
		})
	}
	e, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if why := e.Fingerprint().CustomReadsLaws; why != "" {
		t.Errorf("the embedded library alone: %q", why)
	}
	rs := readersOf(e.compiler, func(r ast.Ref) bool { return refReadsLaws(r) != "" })
	for _, n := range []string{"data.piaflow.facts.candidate_ids", "data.piaflow.coverage.findings", "data.piaflow.main.result"} {
		found := false
		for r := range rs.via {
			found = found || ruleName(r) == n
		}
		if !found {
			t.Errorf("%s not among the rules reading the law documents", n)
		}
	}
	t.Logf("%d rules (else branches included) may read the law documents, %d name them themselves", len(rs.via), len(rs.named))
}

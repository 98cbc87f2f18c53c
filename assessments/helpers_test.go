package assessments_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/piaflow/piaflow/assessments"
)

// TestByRegime: applicable regimes first in their order (with or without findings), then the
// regimes only findings name, findings in their order.
func TestByRegime(t *testing.T) {
	a := &assessments.Assessment{
		Regimes: []assessments.Regime{{ID: "gdpr", Name: "GDPR"}, {ID: "bdsg", Name: "BDSG"}},
		Findings: []assessments.Finding{
			{Key: "1", Regime: "company"}, {Key: "2", Regime: "gdpr"}, {Key: "3", Regime: "other"}, {Key: "4", Regime: "company"}, {Key: "5", Regime: "gdpr"},
		},
	}
	var got []string
	for _, g := range a.ByRegime() {
		var keys []string
		for _, f := range g.Findings {
			keys = append(keys, f.Key)
		}
		got = append(got, g.Regime.ID+"/"+g.Regime.Name+"/"+map[bool]string{true: "applicable", false: "named"}[g.Applicable]+":"+strings.Join(keys, ","))
	}
	want := []string{"gdpr/GDPR/applicable:2,5", "bdsg/BDSG/applicable:", "company//named:1,4", "other//named:3"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestQuestionnaireCountries(t *testing.T) {
	q := &assessments.Questionnaire{
		Activities: []assessments.Activity{
			{DataSubjects: []assessments.DataSubject{{Countries: []string{"VN", "CN"}}, {Countries: []string{"CN", "DE"}}}},
			{DataSubjects: []assessments.DataSubject{{Countries: []string{"AT"}}}},
		},
		Hosting: []assessments.Hosting{{Country: "SG"}, {Country: ""}, {Country: "DE"}, {Country: "SG"}},
	}
	if got := q.SubjectCountries(); !slices.Equal(got, []string{"AT", "CN", "DE", "VN"}) {
		t.Errorf("subject countries %v", got)
	}
	if got := q.HostCountries(); !slices.Equal(got, []string{"DE", "SG"}) {
		t.Errorf("host countries %v", got)
	}
}

// TestDecodeStored: a stored revision is read as it was kept, even when today's validator would
// refuse it; Parse still refuses it.
func TestDecodeStored(t *testing.T) {
	q := &assessments.Questionnaire{SchemaVersion: 1, Deployment: assessments.Deployment{Name: "Portal", Customer: "Klinikum"}}
	doc, err := json.Marshal(q)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := assessments.Parse(doc); err == nil {
		t.Fatal("the incomplete questionnaire is valid: the test needs one today's validator refuses")
	}
	got, err := assessments.DecodeStored(doc)
	if err != nil || got.Deployment.Name != "Portal" || got.Deployment.Customer != "Klinikum" {
		t.Errorf("decode: %+v, %v", got, err)
	}
	if _, err := assessments.DecodeStored([]byte("{")); err == nil {
		t.Error("broken JSON decoded")
	}
}

package i18n_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/i18n"
	"github.com/piaflow/piaflow/policies"
)

// TestMechanismNames: the English names the hosting check writes (assessments.MechanismLabel)
// are the English catalogue's, for every law and mechanism value, and Chinese has its own.
func TestMechanismNames(t *testing.T) {
	c := mustLoad(t)
	en, zh := c.Get(i18n.English), c.Get(i18n.SimplifiedChinese)
	for _, r := range policies.RegimeIDs() {
		for _, v := range policies.Enum("mechanism") {
			if got, want := en.Mechanism(r, v), assessments.MechanismLabel(r, v); got != want {
				t.Errorf("%s %s: catalogue %q, hosting check %q", r, v, got, want)
			}
			if zh.Mechanism(r, v) == en.Mechanism(r, v) {
				t.Errorf("%s %s: no Chinese name", r, v)
			}
		}
	}
	for _, k := range catalogueKeys(t, i18n.English) {
		if rest, ok := strings.CutPrefix(k, "mechanism."); ok {
			r, v, _ := strings.Cut(rest, ".")
			if !policies.InEnum("regime", r) || !policies.InEnum("mechanism", v) {
				t.Errorf("catalogue key %s names no regime and mechanism", k)
			}
		}
	}
}

// TestHostingTexts: every assumption and band the hosting check writes renders from the
// catalogues, the English equal to the check's own text; every ui.hosting.note key is used.
func TestHostingTexts(t *testing.T) {
	c := mustLoad(t)
	en, zh := c.Get(i18n.English), c.Get(i18n.SimplifiedChinese)
	ev := assessments.NewEvaluator(mustEngine(t))
	n := 5
	day := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	queries := []assessments.HostingQuery{
		{Data: []string{"contact"}, Subjects: []string{"CN"}, Host: "SG"},
		{Data: []string{"health"}, Subjects: []string{"US"}, Host: "CN"},
		{Data: []string{"health"}, Subjects: []string{"CN", "DE"}, Host: "SG", CustomerCountry: "DE", Sector: "healthcare", SubjectType: "patients", CriticalInfrastructure: true, Count: &n},
		{Data: []string{"contact"}, Subjects: []string{"DE"}, Host: "SG"},
		{Data: []string{"contact"}, Subjects: []string{"CN"}, Host: "SG", Count: &n, OtherExports: []assessments.OtherExport{{Country: "CN", Subjects: 60000, SensitiveSubjects: &n}}},
	}
	notes, kinds := map[string]bool{}, map[string]bool{}
	for _, q := range queries {
		q.AsOf = day
		res, err := ev.HostingCheck(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		for _, note := range res.Assumptions {
			notes[note.ID] = true
			if got := en.Note(note); got != note.Text {
				t.Errorf("note %s: catalogue %q, hosting check %q", note.ID, got, note.Text)
			}
			if !zh.Has("ui.hosting.note."+note.ID) || strings.Contains(zh.Note(note), "{") {
				t.Errorf("note %s: Chinese %q", note.ID, zh.Note(note))
			}
		}
		for _, a := range res.Answers {
			for _, b := range a.Bands {
				kinds[b.Kind] = true
				if got := en.Band(b); got != b.Label {
					t.Errorf("band %s: catalogue %q, hosting check %q", b.Kind, got, b.Label)
				}
			}
		}
	}
	for _, k := range catalogueKeys(t, i18n.English) {
		if id, ok := strings.CutPrefix(k, "ui.hosting.note."); ok && !notes[id] {
			t.Errorf("no hosting check here writes note %s", id)
		}
	}
	var seen []string
	for k := range kinds {
		seen = append(seen, k)
	}
	slices.Sort(seen)
	if want := []string{"at_most", "more_than", "or_more", "range", "under"}; !slices.Equal(seen, want) {
		t.Errorf("band kinds %v, want %v", seen, want)
	}
}

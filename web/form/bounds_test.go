package form

import (
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"strings"
	"testing"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/i18n"
)

// nestedForm is a posted activities section whose repeat counts multiply: acts activities, each
// with transfers transfers, each with onward onward transfers (issue 12: a 37 KB form stored
// 10^6 transfers).
func nestedForm(acts, transfers, onward int) url.Values {
	form := url.Values{"count:activities": {fmt.Sprint(acts)}}
	for i := range acts {
		form.Set(fmt.Sprintf("count:activities[%d].transfers", i), fmt.Sprint(transfers))
		for j := range transfers {
			if onward > 0 {
				form.Set(fmt.Sprintf("count:activities[%d].transfers[%d].onward_transfers", i, j), fmt.Sprint(onward))
			}
		}
	}
	return form
}

func section(t testing.TB, id string) Section {
	t.Helper()
	sec, ok := SectionByID(id)
	if !ok {
		t.Fatalf("no section %s", id)
	}
	return sec
}

// TestParserBounds: the parser refuses a posted section that would build more list entries or
// values than a section may hold, naming the list or field and the limit, before it builds the
// rest; below the bounds it reads everything.
func TestParserBounds(t *testing.T) {
	countries := func(n int) string { return strings.Repeat("DE, ", n) }
	tests := []struct {
		name    string
		sec     string
		form    url.Values
		path    string // of the problem; "" for none
		message string
	}{
		{"nested lists within the bound", "activities", nestedForm(20, 100, 0), "", ""},
		{"nested lists multiply past the entries bound", "activities", nestedForm(200, 100, 0), "activities[98].transfers",
			"has 100 entries, which bring the list entries of this section to 10100: the wizard reads at most 10000 in one section (the form entries limit, docs/limits.md)"},
		{"onward transfers multiply too", "activities", nestedForm(3, 100, 100), "activities[0].transfers[98].onward_transfers", "the form entries limit"},
		{"a repeat count over every list's limit is cut to 1000", "processors", url.Values{"count:processors": {"1000000000"}}, "", ""},
		{"countries within the values bound", "activities", url.Values{"count:activities": {"1"}, "count:activities[0].data_subjects": {"1"},
			"activities[0].data_subjects[0].countries": {countries(90_000)}}, "", ""},
		{"countries past the values bound", "activities", url.Values{"count:activities": {"1"}, "count:activities[0].data_subjects": {"1"},
			"activities[0].data_subjects[0].countries": {countries(piaflow.MaxFormValues)}}, "activities[0].data_subjects[0].countries",
			"brings the values of this section past 100000: the wizard reads at most 100000 in one section"},
		{"lines past the values bound", "activities", url.Values{"count:activities": {"1"}, "count:activities[0].purposes": {"1"},
			"activities[0].purposes[0].description": {strings.Repeat("x\n", piaflow.MaxFormValues)}}, "", ""},
		{"checked values past the values bound", "activities", url.Values{"count:activities": {"1"},
			"activities[0].data_categories": make([]string, piaflow.MaxFormValues)}, "activities[0].data_categories", "the form values limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, ok, err := NewParser(tt.form, nil).Section(section(t, tt.sec))
			if tt.path == "" {
				if err != nil || !ok || v == nil {
					t.Fatalf("got %v, %v, want the section read", ok, err)
				}
				return
			}
			var ve *assessments.ValidationError
			if !errors.As(err, &ve) || len(ve.Problems) != 1 {
				t.Fatalf("got %v, want one problem at %s", err, tt.path)
			}
			if p := ve.Problems[0]; p.Path != tt.path || !strings.Contains(p.Message, tt.message) {
				t.Errorf("got %s: %s\nwant %s: …%s…", p.Path, p.Message, tt.path, tt.message)
			}
			if v != nil || ok {
				t.Errorf("a refused section gave a value: %v %v", v, ok)
			}
		})
	}
}

// TestParserMemoryBounded: however the repeat counts multiply, the parser allocates what its
// bounds allow and no more (before: 10^6 transfers from one form).
func TestParserMemoryBounded(t *testing.T) {
	sec := section(t, "activities")
	form := nestedForm(1000, 1000, 0) // 10^6 transfers asked for
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, _, err := NewParser(form, nil).Section(sec)
	runtime.ReadMemStats(&after)
	if err == nil {
		t.Fatal("10^6 transfers were read")
	}
	// 10,000 entries of about 30 fields each; the form itself is already in memory
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("refusing 10^6 transfers allocated %.1f MiB", float64(alloc)/(1<<20))
	if alloc > 64<<20 {
		t.Errorf("parsing allocated %d MiB, want under 64", alloc>>20)
	}
}

// TestFormLimitsConsistent: the form's bounds agree with the questionnaire's and the page's.
func TestFormLimitsConsistent(t *testing.T) {
	if piaflow.MaxFormValues != assessments.MaxValues {
		t.Errorf("MaxFormValues %d, the questionnaire's MaxValues %d", piaflow.MaxFormValues, assessments.MaxValues)
	}
	if piaflow.MaxFormEntries < piaflow.MaxWizardInputs {
		t.Errorf("a page of %d inputs could post more entries than the parser reads (%d)", piaflow.MaxWizardInputs, piaflow.MaxFormEntries)
	}
	if piaflow.MaxWizardInputs >= 10_000 {
		t.Errorf("a page of %d inputs could not be posted under Go's 10,000-field form limit", piaflow.MaxWizardInputs)
	}
}

// countValues counts the values of a parsed tree as the parser does.
func countValues(v any) int {
	switch v := v.(type) {
	case map[string]any:
		n := 1
		for _, e := range v {
			n += countValues(e)
		}
		return n
	case []any:
		n := 1
		for _, e := range v {
			n += countValues(e)
		}
		return n
	}
	return 1
}

// FuzzFormParser: any posted form either is refused with a problem or gives a section within
// the parser's bounds (small bounds here, so that fuzzing reaches them).
func FuzzFormParser(f *testing.F) {
	for _, seed := range []string{
		nestedForm(3, 4, 5).Encode(),
		"count:activities=2&activities[0].name=A&count:activities[0].data_subjects=1&activities[0].data_subjects[0].countries=DE,FR,%E5%BE%B7%E5%9B%BD",
		"count:hosting=3&hosting[1].country=Germany+(DE)&count:processors=-1",
		"count:activities=1&activities[0].data_categories=health&activities[0].data_categories=contact&activities[0].purposes=a%0Ab%0Ac",
		"count:activities=99999999999999999999&count:activities[0].transfers=7",
		"deployment.scope_confirmed.gdpr=true&deployment.name=%00",
	} {
		f.Add(seed)
	}
	cats, err := i18n.Load()
	if err != nil {
		f.Fatal(err)
	}
	ft := NewText(cats.Get(i18n.English))
	f.Fuzz(func(t *testing.T, query string) {
		form, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		for _, sec := range Sections() {
			p := NewParser(form, nil)
			p.maxEntries, p.maxValues = 20, 200
			v, ok, err := p.Section(sec)
			if err != nil {
				if v != nil || ok {
					t.Fatalf("%s: refused, yet a value: %v", sec.ID, v)
				}
				continue
			}
			if ok && countValues(v) > 200+1 {
				t.Fatalf("%s: %d values built, bound 200", sec.ID, countValues(v))
			}
			// what was read renders
			b := NewBuilder(ft)
			b.Section(sec, map[string]any{sec.ID: v})
		}
	})
}

package policies

import (
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
)

// TestSameOn covers SameOn's decisions on a small questionnaire with the embedded bundle:
// bundle dates between the days, questionnaire dates by kind, the result naming the day.
func TestSameOn(t *testing.T) {
	e, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if e.dates.readsDate != "" || len(e.dates.dates) == 0 || e.dates.afterDays < 60 || e.dates.beforeDays != 61 {
		t.Fatalf("date index %+v", e.dates)
	}
	result := func(day string) []byte { return []byte(`{"as_of":"` + day + `","findings":[]}`) }
	q := []byte(`{"deployment":{"go_live":"2030-06-03"},"processors":[{"expiries":[{"item":"dpa","on":"2030-12-31"}]}]}`)
	for _, tc := range []struct {
		name, from, to string
		q, result      []byte
		want           bool
		why            string
	}{
		{"same day", "2028-03-01", "2028-03-01", q, nil, true, "same day"},
		{"days apart, no date between", "2028-03-01", "2028-03-09", q, nil, true, "no date"},
		{"either order", "2028-03-09", "2028-03-01", q, nil, true, "no date"},
		{"vietnam's law changes", "2025-12-31", "2026-01-01", q, nil, false, "2026-01-01"},
		{"a law ends the day before", "2025-12-31", "2025-12-30", q, nil, false, "2025-12-31"},
		{"more than a year", "2028-01-01", "2029-01-03", q, nil, false, "more than 366"},
		{"not a date", "2028-02-30", "2028-03-01", q, nil, false, "not both dates"},
		{"before an anchor's window", "2030-05-20", "2030-05-30", q, nil, true, "no date"},
		{"in an anchor's window", "2030-05-31", "2030-06-01", q, nil, false, "2030-06-03"},
		{"across an anchor's window", "2030-05-01", "2030-11-01", q, nil, false, "2030-06-03"},
		{"before an expiry's window", "2030-10-15", "2030-10-30", []byte(`{"on":"2030-12-31"}`), nil, true, "no date"},
		{"in an expiry's window", "2030-10-30", "2030-11-02", []byte(`{"on": "2030-12-31"}`), nil, false, "2030-12-31"},
		{"after an expiry", "2031-01-02", "2031-02-02", []byte(`{"on":"2030-12-31"}`), nil, true, "no date"},
		{"other date: both windows", "2031-01-02", "2031-02-02", []byte(`{"x":"2030-12-31"}`), nil, false, "2030-12-31"},
		{"a questionnaire's non-date", "2028-03-01", "2028-03-09", []byte(`{"x":"2028-13-01"}`), nil, false, "not a date"},
		{"result names the day", "2028-03-01", "2028-03-09", q, []byte(`{"as_of":"2028-03-01","t":"overdue on 2028-03-01"}`), false, "names 2028-03-01"},
		{"result of another day", "2028-03-01", "2028-03-09", q, result("2028-03-02"), false, "not as of"},
		{"result names the other day", "2028-03-01", "2028-03-09", q, []byte(`{"as_of": "2028-03-01", "t": "2028-03-09"}`), true, "no date"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.result
			if r == nil {
				r = result(tc.from)
			}
			got, why := e.SameOn(tc.q, r, tc.from, tc.to)
			if got != tc.want || !strings.Contains(why, tc.why) {
				t.Errorf("SameOn(%s, %s) = %v, %q; want %v, %q", tc.from, tc.to, got, why, tc.want, tc.why)
			}
		})
	}
}

// TestSameOnCompanyRules: company rules that read the date make every answer false; those that
// read only the questionnaire and the library's facts do not, and their dates count.
func TestSameOnCompanyRules(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		reads      bool
	}{
		{"questionnaire only", "\tinput.questionnaire.deployment.sector == \"x\"", false},
		{"questionnaire by a computed key", "\tsome a in input.questionnaire.activities\n\t\"health\" in a.data_categories", false},
		{"input by a computed key", "\tk := \"as_of\"\n\tinput[k] > \"2029-01-01\"", true},
		// Any call of a library function that reads the date refuses, a literal argument too
		// (the graph cannot tell the argument's dates from computed ones).
		{"in force from a date", "\tdata.piaflow.lib.in_force({\"effective_from\": \"2029-04-01\"})", true},
		{"ended a year after go-live", "\tdata.piaflow.lib.ended({\"effective_to\": data.piaflow.lib.add_days(input.questionnaire.deployment.go_live, 365, \"days\")})", true},
		{"active (the rule's METADATA)", "\tdata.piaflow.lib.active(rego.metadata.rule())", true},
		{"facts built on in_force", "\tsome j in data.piaflow.facts.jurisdictions\n\tj.id == \"gdpr\"", true},
		{"library helpers without the date", "\tdata.piaflow.lib.add_days(input.questionnaire.deployment.go_live, 3, \"days\") > \"2020-01-01\"\n\tdata.piaflow.lib.list([\"a\"]) == \"a\"", false},
		{"input.as_of", "\tinput.as_of > \"2029-01-01\"", true},
		{"lib.as_of", "\tdata.piaflow.lib.as_of > \"2029-01-01\"", true},
		{"the whole input", "\tx := input\n\tx.as_of > \"2029-01-01\"", true},
		{"expiry day counts", "\tsome x in data.piaflow.rules.expiry.dated\n\tx.days == 400", true},
		{"with input.as_of", "\tdata.piaflow.lib.in_force({\"effective_to\": \"2020-01-01\"}) with input.as_of as \"2019-01-01\"", true},
		{"data by a computed key", "\tk := \"lib\"\n\tdata.piaflow[k].as_of > \"2029-01-01\"", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := companyEngine(t, probe(tc.body), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := e.dates.readsDate != ""; got != tc.reads {
				t.Errorf("reads the date: %v (%q), want %v", got, e.dates.readsDate, tc.reads)
			}
			across, why := e.SameOn([]byte(`{}`), []byte(`{"as_of":"2029-03-30"}`), "2029-03-30", "2029-04-02")
			if want := !tc.reads && !strings.Contains(tc.body, "2029-04-01"); across != want {
				t.Errorf("SameOn across 2029-04-01 = %v (%s), want %v", across, why, want)
			}
			if ok, why := e.SameOn([]byte(`{}`), []byte(`{"as_of":"2029-05-01"}`), "2029-05-01", "2029-05-08"); ok == tc.reads {
				t.Errorf("SameOn(2029-05-01, 2029-05-08) = %v (%s)", ok, why)
			}
		})
	}
}

// TestDateReaders: the built-in rules whose value may depend on the assessment date, by the
// compiler's dependency graph, include the library's date functions and what is built on them,
// and leave out the helpers that never read it.
func TestDateReaders(t *testing.T) {
	e, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	rs := readersOf(e.compiler, namesDay)
	names := map[string]bool{}
	for r := range rs.via {
		names[ruleName(r)] = true
	}
	for _, n := range []string{"data.piaflow.lib.as_of", "data.piaflow.lib.in_force", "data.piaflow.lib.ended", "data.piaflow.lib.active",
		"data.piaflow.facts.expired_items", "data.piaflow.facts.in_force_jurisdictions", "data.piaflow.main.result"} {
		if !names[n] {
			t.Errorf("%s not among the rules depending on the date", n)
		}
	}
	for _, n := range []string{"data.piaflow.lib.finding", "data.piaflow.lib.add_days", "data.piaflow.lib.due_dates", "data.piaflow.lib.msg"} {
		if names[n] {
			t.Errorf("%s among the rules depending on the date", n)
		}
	}
	total := 0
	for _, m := range e.compiler.Modules {
		ast.WalkRules(m, func(*ast.Rule) bool { total++; return false })
	}
	t.Logf("%d of %d rules (else branches included) may depend on the date (%d name it themselves)", len(rs.via), total, len(rs.named))
}

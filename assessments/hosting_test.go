package assessments

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

var hostingDay = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

func count(n int) *int { return &n }

func hostingCheck(t *testing.T, q HostingQuery) *HostingResult {
	t.Helper()
	q.AsOf = hostingDay
	res, err := mustEvaluator(t).HostingCheck(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// bandView is what a person reads of a band: its words and the answers.
type bandView struct {
	label, answer string
	mechanisms    []string
}

func bandsOf(a HostingAnswer) []bandView {
	var out []bandView
	for _, b := range a.Bands {
		out = append(out, bandView{b.Label, b.Answer, b.Mechanisms})
	}
	return out
}

func noteIDs(res *HostingResult) []string {
	var ids []string
	for _, n := range res.Assumptions {
		ids = append(ids, n.ID)
	}
	return ids
}

// TestHostingNoCountCNToSG: contact data of people in China hosted in Singapore, no count: the
// answer depends on the count, one band per PIPL threshold, never an assumed 1,000.
func TestHostingNoCountCNToSG(t *testing.T) {
	res := hostingCheck(t, HostingQuery{Data: []string{"contact"}, Subjects: []string{"CN"}, Host: "SG"})
	a := res.Answers[0]
	if a.Answer != AnswerDependsOnCount || !slices.Equal(res.Needs, []string{"count"}) || res.Count != nil {
		t.Fatalf("answer %q, needs %v, count %v", a.Answer, res.Needs, res.Count)
	}
	want := []bandView{
		{"under 100,000 people", AnswerAllowed, []string{}},
		{"100,000 to 999,999 people", AnswerWithMechanism, []string{"certification", "standard_contract"}},
		{"1,000,000 or more people", AnswerApproval, []string{"security_assessment"}},
	}
	got := bandsOf(a)
	if len(got) != len(want) {
		t.Fatalf("bands %+v", got)
	}
	for i := range want {
		if got[i].label != want[i].label || got[i].answer != want[i].answer || !slices.Equal(got[i].mechanisms, want[i].mechanisms) {
			t.Errorf("band %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	b := a.Bands
	if b[0].From != 1 || *b[0].To != 99999 || b[1].From != 100000 || *b[1].To != 999999 || b[2].From != 1000000 || b[2].To != nil {
		t.Errorf("band bounds %+v %+v %+v", b[0], b[1], b[2])
	}
	if b[0].Kind != "under" || b[1].Kind != "range" || b[2].Kind != "or_more" {
		t.Errorf("band kinds %s %s %s", b[0].Kind, b[1].Kind, b[2].Kind)
	}
	// each band names PIPL's own instruments and their filing, never SCCs
	pipl := b[1].ByRegime[0]
	if pipl.Regime != "cn_pipl" || pipl.Mechanisms[0] != (MechanismOption{"standard_contract", MechanismLabel("cn_pipl", "standard_contract")}) ||
		!strings.HasPrefix(pipl.Mechanisms[0].Label, "CAC standard contract") || pipl.Reason == "" || pipl.Citation.Ref == "" {
		t.Errorf("100,000 band, PIPL: %+v", pipl)
	}
	if ra := b[2].ByRegime[0]; ra.Filing != "approved" || ra.Mechanisms[0].Label != MechanismLabel("cn_pipl", "security_assessment") {
		t.Errorf("1,000,000 band, PIPL: %+v", ra)
	}
	if !slices.Contains(noteIDs(res), "count_unknown") || !slices.Contains(noteIDs(res), "count_cumulative") || slices.Contains(noteIDs(res), "count_given") {
		t.Errorf("assumptions %v", noteIDs(res))
	}
	if fails, _ := res.Fails("approval"); !fails {
		t.Error("--fail-on approval passes although a band needs approval")
	}
	if fails, _ := res.Fails("localise"); fails {
		t.Error("--fail-on localise fails")
	}
}

// TestHostingCount500k: with the count given, one answer, PIPL's mechanisms by their PIPL names.
func TestHostingCount500k(t *testing.T) {
	res := hostingCheck(t, HostingQuery{Data: []string{"contact"}, Subjects: []string{"CN"}, Host: "SG", Count: count(500000)})
	a := res.Answers[0]
	if a.Answer != AnswerWithMechanism || len(a.Bands) != 0 || len(res.Needs) != 0 || *res.Count != 500000 {
		t.Fatalf("answer %+v needs %v", a, res.Needs)
	}
	if len(a.ByRegime) != 1 || a.ByRegime[0].Regime != "cn_pipl" {
		t.Fatalf("by_regime %+v", a.ByRegime)
	}
	for _, m := range a.ByRegime[0].Mechanisms {
		if strings.Contains(m.Label, "SCC") || strings.Contains(strings.ToLower(m.Label), "contractual clauses") {
			t.Errorf("PIPL mechanism named %q", m.Label)
		}
	}
	if !slices.Equal(a.Mechanisms, []string{"certification", "standard_contract"}) {
		t.Errorf("mechanisms %v", a.Mechanisms)
	}
	if n := res.Assumptions[slices.Index(noteIDs(res), "count_given")]; n.Text != "500,000 people per subject country, as given." || n.Params["count"] != "500,000" {
		t.Errorf("count note %+v", n)
	}
}

// TestHostingSensitiveBands: health data of people in China: the sensitive-data threshold
// (10,000) decides; bands with the same answers are joined.
func TestHostingSensitiveBands(t *testing.T) {
	res := hostingCheck(t, HostingQuery{Data: []string{"health"}, Subjects: []string{"CN"}, Host: "SG"})
	got := bandsOf(res.Answers[0])
	want := []bandView{{"under 10,000 people", AnswerWithMechanism, nil}, {"10,000 or more people", AnswerApproval, nil}}
	if len(got) != 2 || got[0].label != want[0].label || got[0].answer != want[0].answer || got[1].label != want[1].label || got[1].answer != want[1].answer {
		t.Errorf("bands %+v, want %+v", got, want)
	}
}

// TestHostingNoThresholdLaw: no law concerned counts people: one answer, and the assumption
// says the answer does not depend on the count; a country piaflow has no law for is unknown.
func TestHostingNoThresholdLaw(t *testing.T) {
	res := hostingCheck(t, HostingQuery{Data: []string{"health"}, Subjects: []string{"IN", "DE", "AQ"}, Host: "SG", CustomerCountry: "DE", Sector: "healthcare"})
	byCountry := map[string]HostingAnswer{}
	for _, a := range res.Answers {
		byCountry[a.Country] = a
	}
	if len(res.Needs) != 0 || byCountry["IN"].Answer == AnswerDependsOnCount || byCountry["DE"].Answer != AnswerWithMechanism || byCountry["AQ"].Answer != AnswerUnknown {
		t.Errorf("answers %+v", res.Answers)
	}
	ids := noteIDs(res)
	if !slices.Contains(ids, "count_irrelevant") || !slices.Contains(ids, "customer_country") || slices.Contains(ids, "customer_country_default") || slices.Contains(ids, "sector_default") {
		t.Errorf("assumptions %v", ids)
	}
	if gdpr := byCountry["DE"].ByRegime[0]; gdpr.Regime != "gdpr" || gdpr.Mechanisms[0].Value != "scc" || !strings.Contains(gdpr.Mechanisms[0].Label, "2021/914") {
		t.Errorf("GDPR answer %+v", gdpr)
	}
}

// TestHostingMoreThanBoundary: the US DOJ rule counts "more than 10,000" US persons' health
// data: the bands say so.
func TestHostingMoreThanBoundary(t *testing.T) {
	res := hostingCheck(t, HostingQuery{Data: []string{"health"}, Subjects: []string{"US"}, Host: "CN"})
	b := res.Answers[0].Bands
	if len(b) != 2 || b[0].Label != "10,000 or fewer people" || b[0].Kind != "at_most" || b[1].Label != "more than 10,000 people" ||
		b[1].From != 10001 || b[1].Answer != AnswerLegalReview || b[1].ByRegime[0].Regime != "us_dsp" {
		t.Errorf("bands %+v", b)
	}
	if !slices.Contains(noteIDs(res), "count_period") {
		t.Errorf("assumptions %v", noteIDs(res))
	}
}

// TestHostingBadQuery: problems name the query's fields; 0 people is not a count.
func TestHostingBadQuery(t *testing.T) {
	for name, tt := range map[string]struct {
		q    HostingQuery
		want string
	}{
		"ErrZeroCount":     {HostingQuery{Data: []string{"contact"}, Subjects: []string{"CN"}, Host: "SG", Count: count(0)}, "count: 0 is not a number of people: give 1 or more, or leave count out when it is not known"},
		"ErrNegativeCount": {HostingQuery{Data: []string{"contact"}, Subjects: []string{"CN"}, Host: "SG", Count: count(-3)}, "count: -3 is not a number of people"},
		"ErrNoSubjects":    {HostingQuery{Data: []string{"contact"}, Host: "SG"}, "subjects: give at least one subject country"},
		"ErrNoHost":        {HostingQuery{Data: []string{"contact"}, Subjects: []string{"CN"}}, "host: give host, or provider and region"},
		"ErrBadCountry":    {HostingQuery{Data: []string{"contact"}, Subjects: []string{"CN", "XX"}, Host: "SG"}, `subjects[1]: "XX" is not an ISO 3166-1 alpha-2 code`},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := mustEvaluator(t).HostingCheck(context.Background(), tt.q)
			var ve *ValidationError
			if !errors.As(err, &ve) || !strings.Contains(ve.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
}

// TestHostingFailLevels: the --fail-on ranks; an unknown level is an error.
func TestHostingFailLevels(t *testing.T) {
	res := &HostingResult{Answers: []HostingAnswer{{HostingOutcome: HostingOutcome{Answer: AnswerWithMechanism}}}}
	for level, want := range map[string]bool{"none": false, "mechanism": true, "review": false, "approval": false, "prohibited": false} {
		if got, err := res.Fails(level); err != nil || got != want {
			t.Errorf("Fails(%s) = %v, %v; want %v", level, got, err, want)
		}
	}
	if _, err := res.Fails("high"); err == nil {
		t.Error("Fails(high): no error")
	}
	inOrder := []string{AnswerAllowed, AnswerWithMechanism, AnswerDependsOnCount, AnswerLegalReview, AnswerUnknown, AnswerApproval, AnswerLocalise, AnswerProhibited}
	if !slices.IsSortedFunc(inOrder, func(a, b string) int { return AnswerRank(a) - AnswerRank(b) }) || AnswerRank("maybe") != 0 || AnswerRank(AnswerAllowed) != 1 {
		t.Error("answers not in rank order")
	}
	dep := HostingAnswer{HostingOutcome: HostingOutcome{Answer: AnswerDependsOnCount}, Bands: []HostingBand{{HostingOutcome: HostingOutcome{Answer: AnswerAllowed}}}}
	if dep.Rank() != 3 {
		t.Errorf("depends_on_count with allowed bands ranks %d, want 3 (review)", dep.Rank())
	}
}

// TestHostingOtherExports: the customer's other exports from China this year count toward the
// CAC tiers (Provisions (2024) Art. 5(4), 8): 50,000 people alone are exempt; with 60,000 more
// already exported, the 100,000 threshold is reached and the CAC standard contract is needed.
func TestHostingOtherExports(t *testing.T) {
	q := HostingQuery{Data: []string{"contact"}, Subjects: []string{"CN"}, Host: "SG", Count: count(50000)}
	if a := hostingCheck(t, q).Answers[0]; a.Answer != AnswerAllowed {
		t.Fatalf("alone: answer %s", a.Answer)
	}
	q.OtherExports = []OtherExport{{Country: "CN", Subjects: 60000}}
	a := hostingCheck(t, q).Answers[0]
	if a.Answer != AnswerWithMechanism || !slices.Equal(a.Mechanisms, []string{"certification", "standard_contract"}) {
		t.Fatalf("with other exports: answer %s mechanisms %v", a.Answer, a.Mechanisms)
	}
	if !strings.Contains(a.ByRegime[0].Reason, "The count includes 60000 people") {
		t.Errorf("reason %q", a.ByRegime[0].Reason)
	}
}

// TestHostingOtherExportsInvalid: the other exports are checked like deployment.other_exports,
// with the query's paths, and bounded.
func TestHostingOtherExportsInvalid(t *testing.T) {
	base := HostingQuery{Data: []string{"contact"}, Subjects: []string{"CN"}, Host: "SG"}
	tooMany := make([]OtherExport, MaxHostingOtherExports+1)
	for i := range tooMany {
		tooMany[i] = OtherExport{Country: "CN", Subjects: 1}
	}
	for name, tt := range map[string]struct {
		o    []OtherExport
		want string
	}{
		"ErrSensitiveAboveAll": {[]OtherExport{{Country: "CN", Subjects: 5, SensitiveSubjects: count(6)}}, "other_exports[0].sensitive_subjects: 6 is more than subjects (5)"},
		"ErrDuplicateCountry":  {[]OtherExport{{Country: "CN", Subjects: 5}, {Country: "CN", Subjects: 6}}, "other_exports[1].country: CN is a duplicate"},
		"ErrTooMany":           {tooMany, fmt.Sprintf("other_exports: has %d other exports: a hosting check takes at most %d", MaxHostingOtherExports+1, MaxHostingOtherExports)},
	} {
		t.Run(name, func(t *testing.T) {
			q := base
			q.OtherExports = tt.o
			_, err := mustEvaluator(t).HostingCheck(context.Background(), q)
			var ve *ValidationError
			if !errors.As(err, &ve) || !strings.Contains(ve.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
}

// TestParseOtherExports: the one-line form of the CLI and the web page.
func TestParseOtherExports(t *testing.T) {
	got, err := ParseOtherExports(" cn:60000:2000, HK：10 ")
	if err != nil || len(got) != 2 || got[0].Country != "CN" || got[0].Subjects != 60000 || *got[0].SensitiveSubjects != 2000 || got[1].Country != "HK" || got[1].Subjects != 10 || got[1].SensitiveSubjects != nil {
		t.Fatalf("got %+v, %v", got, err)
	}
	if got, err := ParseOtherExports(""); err != nil || got != nil {
		t.Errorf("empty: %+v, %v", got, err)
	}
	for name, in := range map[string]string{"ErrNoCount": "CN", "ErrNotANumber": "CN:many", "ErrNegative": "CN:-1", "ErrTooManyParts": "CN:1:2:3", "ErrTooMany": strings.Repeat("CN:1,", MaxHostingOtherExports+1)} {
		t.Run(name, func(t *testing.T) {
			var ve *ValidationError
			if _, err := ParseOtherExports(in); !errors.As(err, &ve) || ve.Problems[0].Path != "other_exports" {
				t.Errorf("error %v", err)
			}
		})
	}
}

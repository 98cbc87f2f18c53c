package assessments

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"math/rand/v2"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// sameOnCase is a questionnaire the soundness test evaluates on many days.
type sameOnCase struct {
	name string
	q    *Questionnaire
	raw  []byte // the questionnaire as stored (JSON)
}

// sameOnCases are the examples and questionnaires crafted around the dates SameOn watches:
// expiries near the dates tested, regulator filings due (from a signature, from the first
// transfer) overdue and not, go-live in the past and the future.
func sameOnCases(t *testing.T) []sameOnCase {
	t.Helper()
	paths, err := filepath.Glob("../examples/*.yaml")
	if err != nil || len(paths) == 0 {
		t.Fatalf("examples: %v", err)
	}
	srcs := map[string]string{}
	for _, p := range paths {
		srcs[strings.TrimSuffix(filepath.Base(p), ".yaml")] = string(mustRead(t, p))
	}
	hospital := srcs["hospital-ehr-germany"]
	erp := srcs["erp-multicountry-vn-cn-jp"]
	// Expiries of the hospital's processors: a DPA and a DPF certification (relied on for the
	// transfer), one in the past and one in the future of most days tested.
	srcs["crafted-expiries"] = strings.Replace(hospital, "    certifications: [eu_us_dpf]\n    key_access: false\n",
		"    certifications: [eu_us_dpf]\n    key_access: false\n    expiries:\n      - {item: eu_us_dpf, on: 2025-03-14}\n      - {item: dpa, on: 2026-02-02}\n", 1)
	srcs["crafted-expiries-go-live-past"] = strings.Replace(strings.Replace(srcs["crafted-expiries"], "go_live: 2027-03-01", "go_live: 2020-06-01", 1),
		"    certifications: [eu_us_dpf]\n    key_access: true\n", "    certifications: [eu_us_dpf]\n    key_access: true\n    expiries:\n      - {item: iso_27001, on: 2026-11-30}\n", 1)
	// The CAC standard contract signed and not filed (due 10 working days after signature), the
	// Vietnamese dossier not filed (60 days after the first transfer).
	srcs["crafted-notice-due"] = strings.NewReplacer(
		"regulator_filing: filed, signed_on: 2027-02-10, filed_on: 2027-02-20", "regulator_filing: none, signed_on: 2026-04-11",
		"regulator_filing: filed, filed_on: 2027-03-20", "regulator_filing: none",
		"first_transfer_on: 2027-03-01", "first_transfer_on: 2025-12-20",
	).Replace(erp)
	srcs["crafted-notice-go-live-future"] = strings.NewReplacer(
		"regulator_filing: filed, signed_on: 2027-02-10, filed_on: 2027-02-20", "regulator_filing: none",
		"regulator_filing: filed, filed_on: 2027-03-20", "regulator_filing: none",
		"  first_transfer_on: 2027-03-01\n", "",
		"go_live: 2027-03-01", "go_live: 2029-08-31",
	).Replace(erp)
	for _, n := range []string{"crafted-expiries", "crafted-expiries-go-live-past", "crafted-notice-due", "crafted-notice-go-live-future"} {
		if srcs[n] == hospital || srcs[n] == erp {
			t.Fatalf("%s: the example changed, the crafted edit no longer applies", n)
		}
	}
	var cases []sameOnCase
	for _, name := range slices.Sorted(mapsKeys(srcs)) {
		q, err := Parse([]byte(srcs[name]))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		raw, err := json.Marshal(q)
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, sameOnCase{name: name, q: q, raw: raw})
	}
	return cases
}

func mapsKeys(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

var dateRE = regexp.MustCompile(`[0-9]{4}-[0-9]{2}-[0-9]{2}`)

// bundleDates are the dates written in the policies' data and rules, sorted.
func bundleDates(t *testing.T) []string {
	t.Helper()
	var dates []string
	err := filepath.WalkDir("../policies", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, "_test.rego") {
			return err
		}
		if strings.HasSuffix(p, ".json") || strings.HasSuffix(p, ".rego") {
			dates = append(dates, dateRE.FindAllString(string(mustRead(t, p)), -1)...)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(dates)
	return slices.Compact(dates)
}

// sameOnDays are the days case number i is evaluated on: random days of 2019-2031 with days a
// few days after them, and days around some of the policies' dates and around the
// questionnaire's dates (at the edges of SameOn's windows).
func sameOnDays(r *rand.Rand, i int, bundle []string, raw []byte) (out []string, near [][2]string) {
	start := time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)
	var days []time.Time
	for range 5 {
		d := start.AddDate(0, 0, r.IntN(13*365))
		for _, k := range []int{0, 1, 3, 20} {
			days = append(days, d.AddDate(0, 0, k))
		}
		for _, k := range [][2]int{{0, 1}, {0, 3}, {1, 3}} {
			near = append(near, [2]string{d.AddDate(0, 0, k[0]).Format(time.DateOnly), d.AddDate(0, 0, k[1]).Format(time.DateOnly)})
		}
	}
	for k := i % 9; k < len(bundle); k += 9 {
		if d, err := time.Parse(time.DateOnly, bundle[k]); err == nil && d.Year() >= 2019 && d.Year() <= 2031 {
			days = append(days, d.AddDate(0, 0, -1), d, d.AddDate(0, 0, 1))
		}
	}
	qdates := slices.Compact(slices.Sorted(slices.Values(dateRE.FindAllString(string(raw), -1))))
	for _, s := range qdates {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			continue
		}
		for _, k := range []int{-62, -61, -60, -3, 0, 1, 2, 15, 89, 92} {
			days = append(days, d.AddDate(0, 0, k))
		}
	}
	for _, d := range days {
		out = append(out, d.Format(time.DateOnly))
	}
	slices.Sort(out)
	return slices.Compact(out), near
}

// sameOnWants: what some day's assessment of a crafted questionnaire must show.
var sameOnWants = map[string][]func(string) bool{
	"crafted-expiries": {
		func(r string) bool { return strings.Contains(r, "PROCESSOR-EXPIRY-SOON") },
		func(r string) bool { return strings.Contains(r, "PROCESSOR-EXPIRED") },
	},
	"crafted-expiries-go-live-past": {func(r string) bool { return strings.Contains(r, "PROCESSOR-EXPIRY-SOON") }},
	"crafted-notice-due": {
		func(r string) bool {
			return strings.Contains(r, "TRANSFER-NOTICE-DUE") && !strings.Contains(r, "overdue on")
		},
		func(r string) bool {
			return strings.Contains(r, "TRANSFER-NOTICE-DUE") && strings.Contains(r, "overdue on")
		},
	},
	"crafted-notice-go-live-future": {
		func(r string) bool {
			return strings.Contains(r, "TRANSFER-NOTICE-DUE") && !strings.Contains(r, "overdue on")
		},
		func(r string) bool {
			return strings.Contains(r, "TRANSFER-NOTICE-DUE") && strings.Contains(r, "overdue on")
		},
	},
}

// dayGap is the number of days between two dates.
func dayGap(a, b string) int {
	x, _ := time.Parse(time.DateOnly, a)
	y, _ := time.Parse(time.DateOnly, b)
	return int(y.Sub(x).Abs().Hours() / 24)
}

// TestSameOnSound evaluates examples and crafted questionnaires on many days and checks, for
// every pair of those days SameOn calls the same, that the two assessments are identical apart
// from as_of.
func TestSameOnSound(t *testing.T) {
	ev := mustEvaluator(t)
	cases := sameOnCases(t)
	bundle := bundleDates(t)
	r := rand.New(rand.NewPCG(13, 4))
	type evaluated struct{ result, blank []byte }
	var checked, withinYear, sameWithinYear, accepted, differing, nearSame, nearAccepted int
	reasons := map[string]int{}
	for i, c := range cases {
		days, near := sameOnDays(r, i, bundle, c.raw)
		res := make([]evaluated, len(days))
		var wg sync.WaitGroup
		sem := make(chan struct{}, 2)
		for k, day := range days {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer func() { <-sem; wg.Done() }()
				at, _ := time.Parse(time.DateOnly, day)
				a, err := ev.Assess(context.Background(), c.q, at)
				if err != nil {
					t.Errorf("%s on %s: %v", c.name, day, err)
					return
				}
				b, _ := json.Marshal(a)
				a.AsOf = ""
				blank, _ := json.Marshal(a)
				res[k] = evaluated{b, blank}
			}()
		}
		wg.Wait()
		if t.Failed() {
			return
		}
		// The crafted questionnaires raise what they were made for on some of the days.
		for _, want := range sameOnWants[c.name] {
			if !slices.ContainsFunc(res, func(e evaluated) bool { return want(string(e.result)) }) {
				t.Errorf("%s: no day's assessment shows what the questionnaire was crafted for", c.name)
			}
		}
		for x := range days {
			for y := range days {
				if x == y {
					continue
				}
				checked++
				same := bytes.Equal(res[x].blank, res[y].blank)
				if dayGap(days[x], days[y]) <= 366 {
					withinYear++
					if same {
						sameWithinYear++
					}
				}
				if !same {
					differing++
				}
				ok, why := ev.engine.SameOn(c.raw, res[x].result, days[x], days[y])
				if ok {
					accepted++
					if !same {
						t.Errorf("%s: SameOn(%s, %s) = true (%s) but the assessments differ", c.name, days[x], days[y], why)
					}
				}
			}
		}
		// Days a few days apart, at random: how many of the pairs with the same result SameOn
		// recognises.
		at := map[string]int{}
		for k, d := range days {
			at[d] = k
		}
		for _, p := range near {
			x, y := at[p[0]], at[p[1]]
			if !bytes.Equal(res[x].blank, res[y].blank) {
				continue
			}
			nearSame++
			if ok, why := ev.engine.SameOn(c.raw, res[x].result, p[0], p[1]); ok {
				nearAccepted++
			} else {
				reasons[strings.Join(strings.Fields(why)[:3], " ")]++
			}
		}
	}
	t.Logf("%d questionnaires, %d ordered pairs checked (%d at most 366 days apart, %d of them with the same result), %d accepted by SameOn, %d had different results (all refused); random pairs 1-3 days apart with the same result: %d accepted of %d (refused: %v)",
		len(cases), checked, withinYear, sameWithinYear, accepted, differing, nearAccepted, nearSame, reasons)
	if differing == 0 || nearAccepted < nearSame/2 {
		t.Errorf("the test lacks teeth or SameOn accepts too little: %d differing, %d/%d random close pairs accepted", differing, nearAccepted, nearSame)
	}
}

// TestSameOnNegativeControl shows that the comparison sees a change of the law: Vietnam's 2023
// decree ends on 2025-12-31 and its 2026 law starts the next day; the assessments differ and
// SameOn refuses the pair. Days a week apart in the same year are accepted.
func TestSameOnNegativeControl(t *testing.T) {
	ev := mustEvaluator(t)
	q, err := Parse(mustRead(t, "../examples/logistics-china-vietnam.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(q)
	eval := func(day string) (result, blank []byte) {
		at, _ := time.Parse(time.DateOnly, day)
		a, err := ev.Assess(context.Background(), q, at)
		if err != nil {
			t.Fatal(err)
		}
		result, _ = json.Marshal(a)
		a.AsOf = ""
		blank, _ = json.Marshal(a)
		return result, blank
	}
	r1, b1 := eval("2025-12-31")
	_, b2 := eval("2026-01-01")
	if bytes.Equal(b1, b2) {
		t.Fatal("the assessments of 2025-12-31 and 2026-01-01 are the same: the control no longer straddles a change")
	}
	if ok, why := ev.engine.SameOn(raw, r1, "2025-12-31", "2026-01-01"); ok {
		t.Errorf("SameOn across Vietnam's change of law = true (%s)", why)
	}
	r3, b3 := eval("2026-06-03")
	_, b4 := eval("2026-06-10")
	if !bytes.Equal(b3, b4) {
		t.Fatal("the assessments of 2026-06-03 and 2026-06-10 differ")
	}
	if ok, why := ev.engine.SameOn(raw, r3, "2026-06-03", "2026-06-10"); !ok {
		t.Errorf("SameOn(2026-06-03, 2026-06-10) = false (%s)", why)
	}
}

// BenchmarkSameOn decides for the hospital example whether its assessment carries to the next
// week.
func BenchmarkSameOn(b *testing.B) {
	ev := mustEvaluator(b)
	q, err := Parse(mustRead(b, "../examples/hospital-ehr-germany.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	raw, _ := json.Marshal(q)
	a, err := ev.Assess(context.Background(), q, time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC))
	if err != nil {
		b.Fatal(err)
	}
	result, _ := json.Marshal(a)
	if ok, why := ev.engine.SameOn(raw, result, "2026-12-07", "2026-12-14"); !ok {
		b.Fatalf("not the same: %s", why)
	}
	b.ReportAllocs()
	for b.Loop() {
		ev.engine.SameOn(raw, result, "2026-12-07", "2026-12-14")
	}
}

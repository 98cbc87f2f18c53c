package assessments

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/piaflow/piaflow/policies"
)

// companyEngine compiles the embedded library with the company rules of testdata/<dir>
// (Options.ExtraDir) and, when edit is set, the bundle's files edited (policies.NewVariant).
func companyEngine(t *testing.T, dir string, edit func(name string, body []byte) []byte) *policies.Engine {
	t.Helper()
	e, err := policies.NewVariant(context.Background(), policies.Options{ExtraDir: "testdata/" + dir}, edit)
	if err != nil {
		t.Fatalf("%s: %v", dir, err)
	}
	return e
}

// companyResult evaluates q with e on day (YYYY-MM-DD): the stored result (JSON), and the same
// without as_of, the policies' digest and version, to compare two results by.
func companyResult(t *testing.T, e *policies.Engine, q *Questionnaire, day string) (result, blank []byte) {
	t.Helper()
	at, err := time.Parse(time.DateOnly, day)
	if err != nil {
		t.Fatal(err)
	}
	a, err := NewEvaluator(e, WithResultCache(0)).Assess(context.Background(), q, at)
	if err != nil {
		t.Fatalf("%s: %v", day, err)
	}
	if result, err = json.Marshal(a); err != nil {
		t.Fatal(err)
	}
	a.AsOf, a.PolicyDigest, a.PolicyVersion = "", "", ""
	if blank, err = json.Marshal(a); err != nil {
		t.Fatal(err)
	}
	return result, blank
}

// hospitalGoingLive is the hospital example going live on goLive, parsed, and its stored JSON.
func hospitalGoingLive(t *testing.T, goLive string) (*Questionnaire, []byte) {
	t.Helper()
	src := string(mustRead(t, "../examples/hospital-ehr-germany.yaml"))
	if !strings.Contains(src, "go_live: 2027-03-01") {
		t.Fatal("the hospital example no longer goes live on 2027-03-01: the edit no longer applies")
	}
	q, err := Parse([]byte(strings.Replace(src, "go_live: 2027-03-01", "go_live: "+goLive, 1)))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(q)
	if err != nil {
		t.Fatal(err)
	}
	return q, raw
}

// TestSameOnCompanyRuleReadsDateThroughLibrary (review-carry §2): a company rule that reaches
// the assessment date only through a library function (lib.ended, reading input.as_of inside
// lib) with a date it computes from the questionnaire (go_live + 365 days, which neither the
// bundle nor SameOn's windows hold) fires between two days a week apart; SameOn must refuse
// those days. The negative control: a company rule reading neither the date nor anything built
// on it (testdata/company-plain) leaves SameOn accepting the same pairs.
func TestSameOnCompanyRuleReadsDateThroughLibrary(t *testing.T) {
	anniv := companyEngine(t, "company-anniv", nil)
	plain := companyEngine(t, "company-plain", nil)
	start := time.Date(2023, 1, 5, 0, 0, 0, 0, time.UTC)
	differ, plainAccepted := 0, 0
	for k := range 6 {
		g := start.AddDate(0, 0, 17*k)
		q, raw := hospitalGoingLive(t, g.Format(time.DateOnly))
		from, to := g.AddDate(0, 0, 362).Format(time.DateOnly), g.AddDate(0, 0, 368).Format(time.DateOnly)

		rFrom, bFrom := companyResult(t, anniv, q, from)
		_, bTo := companyResult(t, anniv, q, to)
		before, after := bytes.Contains(bFrom, []byte("ACME-REV-1")), bytes.Contains(bTo, []byte("ACME-REV-1"))
		if !bytes.Equal(bFrom, bTo) {
			differ++
		}
		if ok, why := anniv.SameOn(raw, rFrom, from, to); ok && !bytes.Equal(bFrom, bTo) {
			t.Errorf("go_live %s: SameOn(%s, %s) = true (%s), but the results differ (ACME-REV-1 on %s: %v, on %s: %v)",
				g.Format(time.DateOnly), from, to, why, from, before, to, after)
		}

		pFrom, pbFrom := companyResult(t, plain, q, from)
		_, pbTo := companyResult(t, plain, q, to)
		ok, why := plain.SameOn(raw, pFrom, from, to)
		if ok {
			plainAccepted++
			if !bytes.Equal(pbFrom, pbTo) {
				t.Errorf("go_live %s, plain company rule: SameOn(%s, %s) = true (%s), but the results differ", g.Format(time.DateOnly), from, to, why)
			}
		} else if !strings.Contains(why, "policy bundle holds the date") {
			t.Errorf("go_live %s, plain company rule: SameOn(%s, %s) = false (%s): want true unless a date of the bundle lies between", g.Format(time.DateOnly), from, to, why)
		}
	}
	if differ == 0 {
		t.Error("no pair of days gave different results with the yearly-review rule: the test lacks teeth")
	}
	if plainAccepted == 0 {
		t.Error("SameOn accepted no pair of days with the plain company rule: the negative control shows nothing")
	}
}

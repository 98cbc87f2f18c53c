package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/assessments/store/storetest"
	"github.com/piaflow/piaflow/internal/httpx"
	"github.com/piaflow/piaflow/policies"
	"github.com/piaflow/piaflow/service"
)

// Page benchmarks on a deployment of 50 activities (300 data-subject groups, 150 transfers,
// 20 processors), in-process (no network): server time per page, session lookup included.
// Target: under 100 ms a page on the 2-core reference machine.
//
// 2026-11, 2-core reference machine (pages of 2.9 and 2.8 MB of HTML): first version, all in
// html/template: wizard 189 ms, assessment 207 ms. Repeated parts written in Go (html.go),
// buffers sized: wizard 21-36 ms, wizard with the validator's problems 32-51 ms, assessment
// 78-98 ms cold, 46-51 ms with the decoded result cached.

// largeQuestionnaire has 50 activities, 30 subject countries and 20 processors (a copy of the
// generator in assessments/bench_test.go).
func largeQuestionnaire() *assessments.Questionnaire {
	countries := []string{"DE", "FR", "IT", "ES", "NL", "PL", "SE", "AT", "BE", "IE", "GB", "CH", "US", "CA", "BR", "MX", "IN", "CN", "JP", "KR", "SG", "ID", "VN", "AE", "SA", "ZA", "NG", "KE", "TR", "RU"}
	categories := [][]string{{"contact", "identifiers"}, {"contact", "health"}, {"financial", "payment_card"}, {"employment", "government_id"}, {"behavioural", "online_identifiers"}}
	q := assessments.HostingQuery{}.Questionnaire()
	q.Deployment.Name, q.Deployment.CustomerCountry, q.Deployment.VendorCountry, q.Deployment.Sector = "Large", "DE", "DE", "finance"
	q.Hosting = []assessments.Hosting{
		{Name: "primary", Provider: "aws", Region: "eu-central-1", Country: "DE", Role: "primary"},
		{Name: "dr", Provider: "aws", Region: "us-east-1", Country: "US", Role: "disaster_recovery"},
		{Name: "backup", Provider: "azure", Region: "southeastasia", Country: "SG", Role: "backup"},
	}
	q.Activities = nil
	for i := range 50 {
		a := assessments.Activity{
			Name: fmt.Sprintf("Activity %02d", i), LegalBasis: "contract", DataCategories: categories[i%len(categories)],
			EvaluationOrScoring: i%3 == 0, SystematicMonitoring: i%7 == 0, CombinesDatasets: i%4 == 0,
		}
		for k := range 6 {
			c := countries[(i+k*5)%len(countries)]
			a.DataSubjects = append(a.DataSubjects, assessments.DataSubject{Type: "customers", Countries: []string{c}, Count: 1000 * (i + k + 1)})
		}
		for k := range 3 {
			a.Transfers = append(a.Transfers, assessments.Transfer{ToCountry: countries[(i*7+k*11)%len(countries)], Recipient: fmt.Sprintf("Support %d", k),
				RecipientType: "processor", Access: "remote_access", Mechanism: []string{"scc", "none", "standard_contract"}[k]})
		}
		q.Activities = append(q.Activities, a)
	}
	for i := range 20 {
		q.Processors = append(q.Processors, assessments.Processor{Name: fmt.Sprintf("Processor %02d", i), Country: countries[(i*3)%len(countries)], Service: "support", DPASigned: i%2 == 0})
	}
	return q
}

// largePages serves a deployment with the large questionnaire, evaluated, and returns the
// handler and an engineer's session cookie.
func largePages(b *testing.B) (*server, *http.Cookie) {
	ctx := context.Background()
	st := storetest.Open(b, "sqlite")
	e, err := policies.Default()
	if err != nil {
		b.Fatal(err)
	}
	svc := service.New(st, assessments.NewEvaluator(e))
	srv := newServer(svc)
	u, err := st.CreateUser(ctx, nil, "erin", piaflow.RoleEngineer)
	if err != nil {
		b.Fatal(err)
	}
	secret, _, err := st.CreateSession(ctx, u.ID)
	if err != nil {
		b.Fatal(err)
	}
	q := largeQuestionnaire()
	if err := q.Validate(); err != nil {
		b.Fatal(err)
	}
	doc, _ := json.Marshal(q)
	d, err := svc.CreateDeployment(ctx, u, piaflow.Deployment{Name: "Large", Customer: "Big Bank AG", CustomerCountry: "DE"})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := svc.SubmitQuestionnaire(ctx, u, d.ID, "", doc); err != nil {
		b.Fatal(err)
	}
	return srv, &http.Cookie{Name: httpx.SessionCookie, Value: secret}
}

// benchPage measures GET path; cold empties the cache of decoded assessment results first.
func benchPage(b *testing.B, path string, cold bool) {
	srv, ck := largePages(b)
	h := srv.Handler()
	get := func() *httptest.ResponseRecorder {
		if cold {
			srv.ui.ui.results = newResultCache(ResultCacheBytes)
		}
		req := httptest.NewRequest("GET", path, nil)
		req.AddCookie(ck)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	if rec := get(); rec.Code != http.StatusOK {
		b.Fatalf("%s: %d %s", path, rec.Code, rec.Body.String()[:min(rec.Body.Len(), 300)])
	} else {
		b.Logf("%s: %.2f MB", path, float64(rec.Body.Len())/1e6)
	}
	b.ReportAllocs()
	start := time.Now()
	n := 0
	for b.Loop() {
		get()
		n++
	}
	b.ReportMetric(float64(time.Since(start).Microseconds())/1000/float64(n), "ms/page")
}

func BenchmarkWizardPage(b *testing.B) {
	benchPage(b, "/deployments/1/wizard?section=activities", false)
}

// BenchmarkWizardPageChecked: the section with the validator's problems (after a save).
func BenchmarkWizardPageChecked(b *testing.B) {
	benchPage(b, "/deployments/1/wizard?section=activities&check=1", false)
}

// BenchmarkAssessmentPage: viewed again (its decoded result cached, as when an action form
// posts and comes back).
func BenchmarkAssessmentPage(b *testing.B) { benchPage(b, "/assessments/1", false) }

// BenchmarkAssessmentPageCold: viewed first (2 MB of stored JSON decoded).
func BenchmarkAssessmentPageCold(b *testing.B) { benchPage(b, "/assessments/1", true) }

package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/assessments/store/storetest"
	"github.com/piaflow/piaflow/service"
)

// The tests of issue 12 ("bounded by design") at the HTTP level: each limit answered with a
// problem naming it, with a Retry-After where trying again can help, and nothing stored when an
// evaluation is refused. Limits and deadlines are made small through options: no test waits.

// deploymentWithQuestionnaire creates a deployment holding the hospital example (not
// evaluated) and returns its URL.
func deploymentWithQuestionnaire(t *testing.T, url, token string) string {
	t.Helper()
	resp, b := call(t, "POST", url+"/api/v1/deployments", token, `{"name":"Bounded","customer":"C"}`)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create: %d %s", resp.StatusCode, b)
	}
	var d struct{ ID uint64 }
	json.Unmarshal(b, &d)
	durl := fmt.Sprintf("%s/api/v1/deployments/%d", url, d.ID)
	if resp, b := callWith(t, "PUT", durl+"/questionnaire", token, exampleJSON(t), nil); resp.StatusCode != http.StatusCreated {
		t.Fatalf("questionnaire: %d %s", resp.StatusCode, b)
	}
	return durl
}

// nothingStored fails the test when the deployment holds an assessment or actions.
func nothingStored(t *testing.T, durl string, tokens map[string]string) {
	t.Helper()
	_, b := call(t, "GET", durl, tokens[piaflow.RoleEngineer], "")
	var d piaflow.Deployment
	json.Unmarshal(b, &d)
	_, acts := call(t, "GET", durl+"/actions", tokens[piaflow.RoleEngineer], "")
	_, audit := call(t, "GET", durl+"/audit", tokens[piaflow.RoleLegal], "")
	if d.Verdict != "" || string(acts) != "{\"items\":[]}\n" || strings.Contains(string(audit), `"action":"evaluate"`) {
		t.Errorf("an assessment was stored: deployment %s, actions %s, audit %s", b, acts, audit)
	}
}

// retryAfterSeconds checks that a 429 or 503 carries a Retry-After of whole seconds.
func retryAfterSeconds(t *testing.T, resp *http.Response) int {
	t.Helper()
	n, err := strconv.Atoi(resp.Header.Get("Retry-After"))
	if err != nil || n < 1 {
		t.Errorf("Retry-After %q, want whole seconds", resp.Header.Get("Retry-After"))
	}
	return n
}

// TestEvaluationDeadline: an evaluation past its deadline answers 503 with Retry-After, names
// the limit, and stores nothing (issue 12, item 3).
func TestEvaluationDeadline(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			url, tokens := testServerWith(t, d, serverConfig{eval: []assessments.EvaluatorOption{assessments.WithTimeout(1)}})
			eng := tokens[piaflow.RoleEngineer]
			durl := deploymentWithQuestionnaire(t, url, eng)
			resp, b := call(t, "POST", durl+"/assessments", eng, "")
			p := problemOf(t, resp, b, http.StatusServiceUnavailable)
			if !strings.Contains(p.Detail, "deadline of 1ns") || !strings.Contains(p.Detail, "nothing was stored") {
				t.Errorf("detail %q does not name the limit", p.Detail)
			}
			retryAfterSeconds(t, resp)
			nothingStored(t, durl, tokens)
			resp, b = call(t, "POST", url+"/api/v1/hosting-check", eng, `{"data":["contact"],"subjects":["DE"],"host":"SG"}`)
			problemOf(t, resp, b, http.StatusServiceUnavailable)
			retryAfterSeconds(t, resp)
		})
	}
}

// TestResultSizeLimit: an assessment larger than the result size limit is refused before it is
// stored, with a message naming the limit.
func TestResultSizeLimit(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			url, tokens := testServerWith(t, d, serverConfig{svc: []service.Option{service.WithMaxResultBytes(1000)}})
			eng := tokens[piaflow.RoleEngineer]
			durl := deploymentWithQuestionnaire(t, url, eng)
			resp, b := call(t, "POST", durl+"/assessments", eng, "")
			p := problemOf(t, resp, b, http.StatusUnprocessableEntity)
			if !strings.Contains(p.Detail, "at most 1000 are stored (the result size limit") {
				t.Errorf("detail %q does not name the limit", p.Detail)
			}
			nothingStored(t, durl, tokens)
		})
	}
}

// TestReportsRenderedOnce: a report is served from the cache the second time (the same bytes,
// with their length); the action list follows the actions' state; a report past the report size
// limit is refused before rendering.
func TestReportsRenderedOnce(t *testing.T) {
	url, tokens := testServer(t)
	eng := tokens[piaflow.RoleEngineer]
	dep, aid := evaluatedDeployment(t, url, eng)
	base := fmt.Sprintf("%s/api/v1/assessments/%d", url, aid)
	for _, file := range []string{"report.pdf", "actions.xlsx"} {
		r1, b1 := call(t, "GET", base+"/"+file+"?lang=en", eng, "")
		r2, b2 := call(t, "GET", base+"/"+file+"?lang=en", eng, "")
		if r1.StatusCode != 200 || r2.StatusCode != 200 || !bytes.Equal(b1, b2) || r2.Header.Get("Content-Length") != strconv.Itoa(len(b2)) {
			t.Errorf("%s twice: %d, %d, equal %v, Content-Length %q of %d bytes", file, r1.StatusCode, r2.StatusCode, bytes.Equal(b1, b2), r2.Header.Get("Content-Length"), len(b2))
		}
	}
	_, before := call(t, "GET", base+"/actions.xlsx?lang=en", eng, "")
	_, b := call(t, "GET", fmt.Sprintf("%s/api/v1/deployments/%d/actions", url, dep), eng, "")
	var acts struct{ Items []piaflow.Action }
	json.Unmarshal(b, &acts)
	if resp, b := call(t, "PATCH", fmt.Sprintf("%s/api/v1/actions/%d", url, acts.Items[0].ID), eng, `{"status":"in_progress"}`); resp.StatusCode != 200 {
		t.Fatalf("update action: %d %s", resp.StatusCode, b)
	}
	if _, after := call(t, "GET", base+"/actions.xlsx?lang=en", eng, ""); bytes.Equal(before, after) {
		t.Error("the action list was served from the cache after an action changed")
	}

	url, tokens = testServerWith(t, "sqlite", serverConfig{svc: []service.Option{service.WithReportLimits(3, 0)}})
	eng = tokens[piaflow.RoleEngineer]
	_, aid = evaluatedDeployment(t, url, eng)
	resp, b := call(t, "GET", fmt.Sprintf("%s/api/v1/assessments/%d/report.pdf", url, aid), eng, "")
	if p := problemOf(t, resp, b, http.StatusUnprocessableEntity); !strings.Contains(p.Detail, "a report renders at most 3 (the report size limit") {
		t.Errorf("detail %q does not name the limit", p.Detail)
	}
}

// TestRateLimits: past a user's rate limit the evaluation, the re-evaluation, the hosting check
// and the reports answer 429 with Retry-After; another user is not held back.
func TestRateLimits(t *testing.T) {
	one := service.Rate{PerMinute: 1, Burst: 1}
	url, tokens := testServerWith(t, "sqlite", serverConfig{jobs: true, svc: []service.Option{service.WithRateLimits(service.RateLimits{Evaluate: one, Reevaluate: one, HostingCheck: one, Reports: one})}})
	eng, legal, admin := tokens[piaflow.RoleEngineer], tokens[piaflow.RoleLegal], tokens[piaflow.RoleAdmin]
	_, aid := evaluatedDeployment(t, url, eng) // the engineer's one evaluation
	hosting := `{"data":["contact"],"subjects":["DE"],"host":"SG"}`
	for _, tc := range []struct {
		name, method, path, first, second string
	}{
		{"evaluate", "POST", "/api/v1/deployments/1/assessments", "", eng},
		{"reevaluate", "POST", "/api/v1/reevaluate", legal, legal},
		{"hosting check", "POST", "/api/v1/hosting-check", eng, eng},
		{"report", "GET", fmt.Sprintf("/api/v1/assessments/%d/report.pdf", aid), eng, eng},
		{"action list", "GET", fmt.Sprintf("/api/v1/assessments/%d/actions.xlsx", aid), "", eng},
	} {
		body := ""
		if tc.name == "hosting check" {
			body = hosting
		}
		if tc.first != "" {
			if resp, b := call(t, tc.method, url+tc.path, tc.first, body); resp.StatusCode/100 != 2 {
				t.Fatalf("%s: first request %d %s", tc.name, resp.StatusCode, b)
			}
		}
		resp, b := call(t, tc.method, url+tc.path, tc.second, body)
		if p := problemOf(t, resp, b, http.StatusTooManyRequests); !strings.Contains(p.Detail, "limited to 1 a minute per user") {
			t.Errorf("%s: detail %q", tc.name, p.Detail)
		}
		retryAfterSeconds(t, resp)
	}
	if resp, b := call(t, "POST", url+"/api/v1/deployments/1/assessments", admin, ""); resp.StatusCode != http.StatusCreated {
		t.Errorf("another user's evaluation: %d %s", resp.StatusCode, b)
	}
}

// TestMetricsAccess: /metrics behind a token (401 without it), or served only on an address of
// its own.
func TestMetricsAccess(t *testing.T) {
	url, _ := testServerWith(t, "sqlite", serverConfig{api: []Option{WithMetricsToken("m3trics")}})
	resp, b := call(t, "GET", url+"/metrics", "", "")
	problemOf(t, resp, b, http.StatusUnauthorized)
	resp, b = call(t, "GET", url+"/metrics", "wrong", "")
	problemOf(t, resp, b, http.StatusUnauthorized)
	if resp, b = call(t, "GET", url+"/metrics", "m3trics", ""); resp.StatusCode != 200 || !strings.Contains(string(b), "piaflow_http_requests_total") {
		t.Errorf("metrics with the token: %d", resp.StatusCode)
	}

	srv := New(nil, slog.New(slog.DiscardHandler), WithSeparateMetrics())
	main := httptest.NewServer(conformingHandler(t, srv.Handler()))
	t.Cleanup(main.Close)
	resp, b = call(t, "GET", main.URL+"/metrics", "", "")
	problemOf(t, resp, b, http.StatusNotFound)
	side := httptest.NewServer(srv.MetricsHandler())
	t.Cleanup(side.Close)
	if resp, b = call(t, "GET", side.URL+"/metrics", "", ""); resp.StatusCode != 200 || !strings.Contains(string(b), "piaflow_http_requests_total") {
		t.Errorf("metrics on their own address: %d", resp.StatusCode)
	}
}

// TestHostingCheckLists: repeated countries and categories count once; more different ones than
// the limits allow are refused before any work, naming the list and the limit; a date before
// 1970 is refused rather than taken for today.
func TestHostingCheckLists(t *testing.T) {
	url, tokens := testServer(t)
	sales := tokens[piaflow.RoleSales]
	many := func(n int, f func(i int) string) string {
		xs := make([]string, n)
		for i := range xs {
			xs[i] = `"` + f(i) + `"`
		}
		return "[" + strings.Join(xs, ",") + "]"
	}
	resp, b := call(t, "POST", url+"/api/v1/hosting-check", sales, `{"data":`+many(300, func(int) string { return "contact" })+`,"subjects":`+many(20000, func(int) string { return "DE" })+`,"host":"SG"}`)
	var res assessments.HostingResult
	if json.Unmarshal(b, &res); resp.StatusCode != 200 || len(res.Answers) != 1 {
		t.Errorf("repeated entries: %d, %d answers: %s", resp.StatusCode, len(res.Answers), b)
	}
	letters := func(i int) string { return string(rune('A'+i/26%26)) + string(rune('A'+i%26)) }
	resp, b = call(t, "POST", url+"/api/v1/hosting-check", sales, `{"data":["contact"],"subjects":`+many(assessments.MaxHostingSubjects+1, letters)+`,"host":"SG"}`)
	p := problemOf(t, resp, b, http.StatusUnprocessableEntity)
	if len(p.Errors) != 1 || p.Errors[0].Path != "subjects" || p.Errors[0].Message != fmt.Sprintf("has %d different subject countries: a hosting check takes at most %d", assessments.MaxHostingSubjects+1, assessments.MaxHostingSubjects) {
		t.Errorf("too many subjects: %s", b)
	}
	resp, b = call(t, "POST", url+"/api/v1/hosting-check", sales, `{"data":["contact"],"subjects":["DE"],"host":"SG","as_of":"0001-01-01"}`)
	if p := problemOf(t, resp, b, http.StatusUnprocessableEntity); len(p.Errors) != 1 || p.Errors[0].Path != "as_of" || !strings.Contains(p.Errors[0].Message, "is before 1970-01-01") {
		t.Errorf("as_of 0001-01-01: %s", b)
	}
}

// TestIfMatchStrong: If-Match compares strongly (RFC 9110 §13.1.1): a weak ETag, even the
// latest revision's, never matches.
func TestIfMatchStrong(t *testing.T) {
	eachDatabase(t, func(t *testing.T, url string, tokens map[string]string) {
		eng := tokens[piaflow.RoleEngineer]
		durl := deploymentWithQuestionnaire(t, url, eng)
		resp, _ := call(t, "GET", durl+"/questionnaire", eng, "")
		tag := resp.Header.Get("ETag")
		resp, b := callWith(t, "PUT", durl+"/questionnaire", eng, exampleJSON(t), map[string]string{"If-Match": "W/" + tag})
		if p := problemOf(t, resp, b, http.StatusPreconditionFailed); !strings.Contains(p.Detail, "strong comparison") {
			t.Errorf("weak ETag: %s", b)
		}
		// the strong ETag matches (the same answers: 200 with the latest revision, no new one)
		if resp, b := callWith(t, "PUT", durl+"/questionnaire", eng, exampleJSON(t), map[string]string{"If-Match": tag}); resp.StatusCode != http.StatusOK {
			t.Errorf("the strong ETag: %d %s", resp.StatusCode, b)
		}
	})
}

// TestSmallFindings covers the small findings of issue 12 (item 10) that the API shows.
func TestSmallFindings(t *testing.T) {
	eachDatabase(t, func(t *testing.T, url string, tokens map[string]string) {
		eng, legal, admin := tokens[piaflow.RoleEngineer], tokens[piaflow.RoleLegal], tokens[piaflow.RoleAdmin]

		t.Run("OldRevisionDoesNotStrandReview", func(t *testing.T) {
			durl := deploymentWithQuestionnaire(t, url, eng)
			resp, _ := call(t, "GET", durl+"/questionnaire", eng, "")
			fixed := strings.Replace(exampleJSON(t), "        mechanism: none", "        mechanism: scc", 1)
			if resp, b := callWith(t, "PUT", durl+"/questionnaire", eng, fixed, map[string]string{"If-Match": resp.Header.Get("ETag")}); resp.StatusCode != http.StatusCreated {
				t.Fatalf("revision 2: %d %s", resp.StatusCode, b)
			}
			_, b := call(t, "POST", durl+"/assessments", eng, "")
			var a struct{ ID uint64 }
			json.Unmarshal(b, &a)
			if resp, b := call(t, "POST", fmt.Sprintf("%s/api/v1/assessments/%d/submit", url, a.ID), eng, ""); resp.StatusCode != 200 {
				t.Fatalf("submit: %d %s", resp.StatusCode, b)
			}
			if resp, b := call(t, "POST", durl+"/assessments?revision=1", eng, ""); resp.StatusCode != http.StatusCreated {
				t.Fatalf("evaluate revision 1: %d %s", resp.StatusCode, b)
			}
			resp, b = call(t, "POST", fmt.Sprintf("%s/api/v1/assessments/%d/approve", url, a.ID), legal, `{"comment":"ok"}`)
			if resp.StatusCode != 200 || !strings.Contains(string(b), `"review_state":"approved"`) {
				t.Errorf("approving the latest revision's assessment after an older revision was evaluated: %d %s", resp.StatusCode, b)
			}
		})

		t.Run("CommentsFollowTheAssignmentRule", func(t *testing.T) {
			durl := deploymentWithQuestionnaire(t, url, eng)
			call(t, "POST", durl+"/assessments", eng, "")
			_, b := call(t, "GET", durl+"/actions", eng, "")
			var acts struct{ Items []piaflow.Action }
			json.Unmarshal(b, &acts)
			aurl := fmt.Sprintf("%s/api/v1/actions/%d", url, acts.Items[0].ID)
			if resp, b := call(t, "PATCH", aurl, legal, `{"assignee":"legal-user"}`); resp.StatusCode != 200 {
				t.Fatalf("assign: %d %s", resp.StatusCode, b)
			}
			resp, b := call(t, "POST", aurl+"/comments", eng, `{"body":"done on our side"}`)
			if p := problemOf(t, resp, b, http.StatusForbidden); !strings.Contains(p.Detail, "assigned to legal-user") {
				t.Errorf("an engineer commenting on another's action: %s", b)
			}
			for _, tok := range []string{legal, admin} {
				if resp, b := call(t, "POST", aurl+"/comments", tok, `{"body":"noted"}`); resp.StatusCode != http.StatusCreated {
					t.Errorf("a role that may edit any action commenting: %d %s", resp.StatusCode, b)
				}
			}
		})

		t.Run("ArchivedActionsAreReadOnly", func(t *testing.T) {
			durl := deploymentWithQuestionnaire(t, url, eng)
			_, b := call(t, "POST", durl+"/assessments", eng, "")
			var a struct{ ID uint64 }
			json.Unmarshal(b, &a)
			_, xlsx := call(t, "GET", fmt.Sprintf("%s/api/v1/assessments/%d/actions.xlsx", url, a.ID), eng, "")
			_, b = call(t, "GET", durl+"/actions", eng, "")
			var acts struct{ Items []piaflow.Action }
			json.Unmarshal(b, &acts)
			aurl := fmt.Sprintf("%s/api/v1/actions/%d", url, acts.Items[0].ID)
			if resp, b := call(t, "POST", durl+"/archive", eng, ""); resp.StatusCode != 200 {
				t.Fatalf("archive: %d %s", resp.StatusCode, b)
			}
			resp, b := call(t, "PATCH", aurl, legal, `{"status":"done"}`)
			problemOf(t, resp, b, http.StatusConflict)
			resp, b = call(t, "POST", aurl+"/comments", legal, `{"body":"late"}`)
			problemOf(t, resp, b, http.StatusConflict)
			resp, b = upload(t, durl+"/actions/import", legal, xlsx, false)
			problemOf(t, resp, b, http.StatusConflict)
			if _, b := call(t, "GET", aurl+"/comments", legal, ""); strings.Contains(string(b), "late") {
				t.Errorf("a comment was added to an archived deployment's action: %s", b)
			}
		})

		t.Run("MultibyteUserNames", func(t *testing.T) {
			for _, n := range []int{34, piaflow.MaxUserNameLength} {
				name := strings.Repeat("中", n)
				if resp, b := call(t, "POST", url+"/api/v1/users", admin, `{"name":"`+name+`","role":"engineer"}`); resp.StatusCode != http.StatusCreated {
					t.Fatalf("%d characters: create: %d %s", n, resp.StatusCode, b)
				}
				_, b := call(t, "POST", url+"/api/v1/users/"+name+"/tokens", admin, `{"label":"`+name+`"}`)
				var tok struct{ Token string }
				json.Unmarshal(b, &tok)
				durl := deploymentWithQuestionnaire(t, url, tok.Token)
				_, b = call(t, "POST", durl+"/assessments", tok.Token, "")
				var a struct{ ID uint64 }
				json.Unmarshal(b, &a)
				_, b = call(t, "GET", durl+"/actions", tok.Token, "")
				var acts struct{ Items []piaflow.Action }
				json.Unmarshal(b, &acts)
				aurl := fmt.Sprintf("%s/api/v1/actions/%d", url, acts.Items[0].ID)
				for _, req := range []struct{ method, url, body string }{
					{"PATCH", aurl, `{"assignee":"` + name + `"}`},
					{"POST", aurl + "/comments", `{"body":"` + name + `"}`},
					{"POST", fmt.Sprintf("%s/api/v1/assessments/%d/submit", url, a.ID), ""},
					{"GET", fmt.Sprintf("%s/api/v1/assessments/%d/report.pdf", url, a.ID), ""},
					{"GET", fmt.Sprintf("%s/api/v1/assessments/%d/actions.xlsx", url, a.ID), ""},
				} {
					if resp, b := call(t, req.method, req.url, tok.Token, req.body); resp.StatusCode/100 != 2 {
						t.Errorf("%d characters: %s %s: %d %s", n, req.method, req.url, resp.StatusCode, b)
					}
				}
			}
			resp, b := call(t, "POST", url+"/api/v1/users", admin, `{"name":"`+strings.Repeat("中", piaflow.MaxUserNameLength+1)+`","role":"engineer"}`)
			problemOf(t, resp, b, http.StatusUnprocessableEntity)
		})
	})
}

package api

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/assessments/store"
	"github.com/piaflow/piaflow/assessments/store/storetest"
	"github.com/piaflow/piaflow/internal/apitest"
	"github.com/piaflow/piaflow/jobs/jobstest"
	"github.com/piaflow/piaflow/policies"
	"github.com/piaflow/piaflow/service"
)

// eachDatabase runs an API test against SQLite and, when the test script started one, PostgreSQL.
func eachDatabase(t *testing.T, f func(t *testing.T, url string, tokens map[string]string)) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			url, tokens := testServerOn(t, d)
			f(t, url, tokens)
		})
	}
}

// testServer starts the API over real HTTP on an empty store — PostgreSQL when the test script
// started one (PIAFLOW_TEST_DATABASE_URL), else SQLite; TestAPIOnEveryDatabase runs the main
// flows on both — and returns its URL and a token per role.
func testServer(t *testing.T) (string, map[string]string) {
	t.Helper()
	dialects := storetest.Dialects(t)
	return testServerOn(t, dialects[len(dialects)-1])
}

func testServerOn(t *testing.T, dialect string) (string, map[string]string) {
	return testServerDialect(t, dialect)
}

// testServerTB is testServer on SQLite for benchmarks.
func testServerTB(tb testing.TB) (string, map[string]string) { return testServerDialect(tb, "sqlite") }

func mustExample(tb testing.TB) string {
	tb.Helper()
	b, err := os.ReadFile("../examples/hospital-ehr-germany.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

func testServerDialect(t testing.TB, dialect string) (string, map[string]string) {
	t.Helper()
	return testServerWith(t, dialect, serverConfig{})
}

// serverConfig holds the options of a test server's evaluator, service and server (small
// limits and deadlines).
type serverConfig struct {
	eval []assessments.EvaluatorOption
	svc  []service.Option
	api  []Option
	// jobs starts a job queue (re-evaluations, propagations) over the server's store.
	jobs bool
}

// testServerWith is testServerDialect with options.
func testServerWith(t testing.TB, dialect string, cfg serverConfig) (string, map[string]string) {
	t.Helper()
	scfg := storetest.Config(t, dialect)
	st, err := store.Open(context.Background(), scfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e, err := policies.Default()
	if err != nil {
		t.Fatal(err)
	}
	tokens := apitest.Tokens(t, st)
	svc := service.New(st, assessments.NewEvaluator(e, cfg.eval...), cfg.svc...)
	if cfg.jobs {
		jobstest.StartOn(t, st, svc, scfg.DatabaseURL)
	}
	h := New(svc, slog.New(slog.DiscardHandler), cfg.api...).Handler()
	if _, bench := t.(*testing.B); !bench {
		h = conformingHandler(t, h) // every response a test receives is checked against openapi.json
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL, tokens
}

func call(t *testing.T, method, url, token, body string) (*http.Response, []byte) {
	t.Helper()
	var header map[string]string
	if body != "" {
		header = map[string]string{"Content-Type": "application/json"}
	}
	return callWith(t, method, url, token, body, header)
}

// problemText is a problem's detail and its field errors, one a line.
func problemText(p Problem) string {
	got := p.Detail
	for _, e := range p.Errors {
		got += "\n" + e.Path + ": " + e.Message
	}
	return got
}

func problemOf(t *testing.T, resp *http.Response, b []byte, status int) Problem {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("status %d, want %d: %s", resp.StatusCode, status, b)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("content type %q, want application/problem+json", ct)
	}
	var p Problem
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	if p.Status != status || p.Title == "" {
		t.Errorf("problem %+v", p)
	}
	return p
}

func TestHealth(t *testing.T) {
	eachDatabase(t, func(t *testing.T, url string, tokens map[string]string) {
		resp, b := call(t, "GET", url+"/healthz", "", "")
		if resp.StatusCode != 200 || !strings.Contains(string(b), `"ok"`) || resp.Header.Get("X-Request-Id") == "" {
			t.Errorf("healthz: %d %s (request id %q)", resp.StatusCode, b, resp.Header.Get("X-Request-Id"))
		}
		resp, b = call(t, "GET", url+"/readyz", "", "")
		if resp.StatusCode != 200 || !(strings.Contains(string(b), `"database":"sqlite"`) || strings.Contains(string(b), `"database":"postgres"`)) {
			t.Errorf("readyz: %d %s", resp.StatusCode, b)
		}
		resp, b = call(t, "GET", url+"/nope", "", "")
		problemOf(t, resp, b, http.StatusNotFound)
	})
}

func TestAuthentication(t *testing.T) {
	eachDatabase(t, func(t *testing.T, url string, tokens map[string]string) {
		resp, b := call(t, "GET", url+"/api/v1/me", "", "")
		p := problemOf(t, resp, b, http.StatusUnauthorized)
		if !strings.Contains(p.Detail, "Authorization: Bearer") || resp.Header.Get("WWW-Authenticate") == "" {
			t.Errorf("401 without a token: %+v", p)
		}
		resp, b = call(t, "GET", url+"/api/v1/me", "pf_wrong", "")
		problemOf(t, resp, b, http.StatusUnauthorized)
		resp, b = call(t, "GET", url+"/api/v1/me", tokens[piaflow.RoleLegal], "")
		if resp.StatusCode != 200 || !strings.Contains(string(b), `"role":"legal"`) {
			t.Errorf("me: %d %s", resp.StatusCode, b)
		}
	})
}

func TestHostingCheckEndpoint(t *testing.T) {
	eachDatabase(t, func(t *testing.T, url string, tokens map[string]string) {
		for _, role := range piaflow.Roles() {
			resp, b := call(t, "POST", url+"/api/v1/hosting-check", tokens[role], `{"data":["health","contact"],"subjects":["DE","RU"],"host":"SG","as_of":"2026-11-25"}`)
			if resp.StatusCode != 200 {
				t.Fatalf("%s: %d %s", role, resp.StatusCode, b)
			}
			var res assessments.HostingResult
			if err := json.Unmarshal(b, &res); err != nil {
				t.Fatal(err)
			}
			if len(res.Answers) != 2 || res.Answers[0].Answer != assessments.AnswerWithMechanism || res.Answers[1].Answer != assessments.AnswerLocalise {
				t.Errorf("%s: answers %+v", role, res.Answers)
			}
		}
		// no count: one answer per PIPL band (the response conforms to openapi.json's HostingResult)
		resp, b := call(t, "POST", url+"/api/v1/hosting-check", tokens[piaflow.RoleSales], `{"data":["contact"],"subjects":["CN"],"host":"SG","as_of":"2026-11-25"}`)
		var res assessments.HostingResult
		if err := json.Unmarshal(b, &res); err != nil || resp.StatusCode != 200 {
			t.Fatalf("%d %s", resp.StatusCode, b)
		}
		a := res.Answers[0]
		if a.Answer != assessments.AnswerDependsOnCount || len(a.Bands) != 3 || a.Bands[1].Answer != assessments.AnswerWithMechanism ||
			a.Bands[1].ByRegime[0].Mechanisms[0].Value != "standard_contract" || len(res.Assumptions) == 0 || res.Count != nil {
			t.Errorf("CN without a count: %s", b)
		}
	})
}

func TestHostingCheckBadInput(t *testing.T) {
	eachDatabase(t, func(t *testing.T, url string, tokens map[string]string) {
		tok := tokens[piaflow.RoleSales]
		tests := []struct {
			name, body string
			status     int
			want       string
		}{
			{"ErrUnknownField", `{"data":["contact"],"subjects":["DE"],"host":"SG","colour":"blue"}`, 400, `unknown field "colour"`},
			{"ErrNotJSON", `{"data":`, 400, "not valid JSON"},
			{"ErrTwoValues", `{"data":["contact"],"subjects":["DE"],"host":"SG"} {}`, 400, "more than one JSON value"},
			{"ErrBadCountry", `{"data":["contact"],"subjects":["DE","XX"],"host":"SG"}`, 422, `subjects[1]: "XX" is not an ISO 3166-1 alpha-2 code`},
			{"ErrBadCategory", `{"data":["gossip"],"subjects":["DE"],"host":"SG"}`, 422, `data[0]: "gossip" is not one of`},
			{"ErrMissing", `{"data":["contact"]}`, 422, "subjects: give at least one subject country"},
			{"ErrBadDate", `{"data":["contact"],"subjects":["DE"],"host":"SG","as_of":"soon"}`, 422, `as_of: "soon" is not a date`},
			{"ErrZeroCount", `{"data":["contact"],"subjects":["CN"],"host":"SG","count":0}`, 422, "count: 0 is not a number of people: give 1 or more"},
			{"ErrNoHost", `{"data":["contact"],"subjects":["CN"]}`, 422, "host: give host, or provider and region"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				resp, b := call(t, "POST", url+"/api/v1/hosting-check", tok, tt.body)
				got := problemText(problemOf(t, resp, b, tt.status))
				if !strings.Contains(got, tt.want) {
					t.Errorf("problem %q lacks %q", got, tt.want)
				}
			})
		}
		resp, b := call(t, "POST", url+"/api/v1/hosting-check", tok, `{"data":["`+strings.Repeat("x", piaflow.MaxBodyBytes)+`"]}`)
		problemOf(t, resp, b, http.StatusRequestEntityTooLarge)
	})
}

// TestOpenAPICoversRoutes: every route is documented in openapi.json, and every documented
// operation is a route.
func TestOpenAPICoversRoutes(t *testing.T) {
	url, _ := testServer(t)
	resp, b := call(t, "GET", url+"/api/v1/openapi.json", "", "")
	if resp.StatusCode != 200 {
		t.Fatalf("openapi.json: %d", resp.StatusCode)
	}
	var doc struct {
		OpenAPI string                               `json:"openapi"`
		Paths   map[string]map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(b, &doc); err != nil || doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi.json: %v %s", err, doc.OpenAPI)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}
	srv := New(nil, slog.New(slog.DiscardHandler))
	routes := map[string]bool{}
	for _, r := range srv.e.Router().Routes() {
		if r.Method == "echo_route_not_found" || strings.HasPrefix(r.Name, "web:") {
			continue // the group's catch-all for unknown paths (404 problem); the web UI's pages
		}
		p := r.Path
		for _, name := range r.Parameters {
			p = strings.Replace(p, ":"+name, "{"+name+"}", 1)
		}
		routes[r.Method+" "+p] = true
	}
	for r := range routes {
		if !documented[r] {
			t.Errorf("route %s is not in openapi.json", r)
		}
	}
	for d := range documented {
		if !routes[d] {
			t.Errorf("openapi.json documents %s, which is no route", d)
		}
	}
}

func TestAdminManagesUsersAndTokens(t *testing.T) {
	eachDatabase(t, func(t *testing.T, url string, tokens map[string]string) {
		admin := tokens[piaflow.RoleAdmin]
		resp, b := call(t, "POST", url+"/api/v1/users", admin, `{"name":"sam","role":"sales"}`)
		if resp.StatusCode != http.StatusCreated || resp.Header.Get("Location") != "/api/v1/users/sam" {
			t.Fatalf("create user: %d %s", resp.StatusCode, b)
		}
		resp, b = call(t, "POST", url+"/api/v1/users", admin, `{"name":"sam","role":"sales"}`)
		problemOf(t, resp, b, http.StatusConflict)
		if resp, b = call(t, "GET", url+"/api/v1/users/sam", admin, ""); resp.StatusCode != 200 || !strings.Contains(string(b), `"role":"sales"`) {
			t.Errorf("get user: %d %s", resp.StatusCode, b)
		}
		resp, b = call(t, "POST", url+"/api/v1/users", admin, `{"name":"","role":"king"}`)
		if p := problemOf(t, resp, b, http.StatusUnprocessableEntity); len(p.Errors) != 2 {
			t.Errorf("bad user: %+v", p.Errors)
		}
		resp, b = call(t, "POST", url+"/api/v1/users/sam/tokens", admin, `{"label":"crm plugin"}`)
		var tok struct {
			ID    uint64 `json:"id"`
			Token string `json:"token"`
		}
		if err := json.Unmarshal(b, &tok); err != nil || resp.StatusCode != http.StatusCreated || !strings.HasPrefix(tok.Token, "pf_") {
			t.Fatalf("create token: %d %s", resp.StatusCode, b)
		}
		if resp, b = call(t, "GET", url+"/api/v1/me", tok.Token, ""); !strings.Contains(string(b), `"name":"sam"`) {
			t.Errorf("the new token: %d %s", resp.StatusCode, b)
		}
		if resp, _ = call(t, "DELETE", fmt.Sprintf("%s/api/v1/tokens/%d", url, tok.ID), admin, ""); resp.StatusCode != http.StatusNoContent {
			t.Errorf("revoke: %d", resp.StatusCode)
		}
		resp, b = call(t, "GET", url+"/api/v1/me", tok.Token, "")
		problemOf(t, resp, b, http.StatusUnauthorized)
		resp, b = call(t, "POST", url+"/api/v1/users/nobody/tokens", admin, `{}`)
		problemOf(t, resp, b, http.StatusNotFound)
		// the whole audit log, paged: user and token events included
		resp, b = call(t, "GET", url+"/api/v1/audit?limit=1000", tokens[piaflow.RoleLegal], "")
		for _, want := range []string{`"action":"create_user"`, `"action":"issue_token"`, `"action":"revoke_token"`, `"actor":"admin-user"`} {
			if resp.StatusCode != 200 || !strings.Contains(string(b), want) {
				t.Errorf("audit log lacks %s", want)
			}
		}
		var page struct{ Items []piaflow.AuditEvent }
		_, b = call(t, "GET", url+"/api/v1/audit?limit=2", admin, "")
		json.Unmarshal(b, &page)
		_, b2 := call(t, "GET", fmt.Sprintf("%s/api/v1/audit?limit=2&after_id=%d", url, page.Items[1].ID), admin, "")
		var next struct{ Items []piaflow.AuditEvent }
		json.Unmarshal(b2, &next)
		if len(page.Items) != 2 || len(next.Items) != 2 || next.Items[0].ID <= page.Items[1].ID {
			t.Errorf("audit paging: %v then %v", page.Items, next.Items)
		}
	})
}

// TestEvaluationIsReproducible: a revision evaluated twice with the same policies gives the
// same assessment.
func TestEvaluationIsReproducible(t *testing.T) {
	eachDatabase(t, func(t *testing.T, url string, tokens map[string]string) {
		eng := tokens[piaflow.RoleEngineer]
		call(t, "POST", url+"/api/v1/deployments", eng, `{"name":"P","customer":"C"}`)
		call(t, "PUT", url+"/api/v1/deployments/1/questionnaire", eng, mustExample(t))
		var results []string
		for range 2 {
			resp, b := call(t, "POST", url+"/api/v1/deployments/1/assessments", eng, "")
			var got storedAssessment
			if err := json.Unmarshal(b, &got); err != nil || resp.StatusCode != http.StatusCreated {
				t.Fatalf("evaluate: %d %v", resp.StatusCode, err)
			}
			a, _ := json.Marshal(got.Assessment)
			results = append(results, string(a))
		}
		if results[0] != results[1] {
			t.Error("the same revision gave two different assessments")
		}
	})
}

// TestOpenAPIRoles: the roles each operation of openapi.json names are those the authorisation
// table grants its route's capability, and the role enums list every role — so adding a role
// is the table, the catalogues and this document.
func TestOpenAPIRoles(t *testing.T) {
	var doc struct {
		Paths      map[string]map[string]struct{ Description string } `json:"paths"`
		Components struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatal(err)
	}
	srv := New(nil, slog.New(slog.DiscardHandler))
	checked := 0
	for path, ops := range doc.Paths {
		for method, op := range ops {
			route := strings.ToUpper(method) + " " + regexp.MustCompile(`\{(\w+)\}`).ReplaceAllString(path, ":$1")
			caps, ok := srv.routeCaps[route]
			if !ok {
				continue // not behind authentication (health, metrics, the document itself)
			}
			want := piaflow.Roles()
			if len(caps) > 0 {
				want = piaflow.RolesWith(caps...)
			}
			line := "Roles: " + strings.Join(want, ", ") + "."
			if !strings.HasPrefix(op.Description, line) {
				t.Errorf("%s: description %q, want it to start with %q", route, op.Description, line)
			}
			checked++
		}
	}
	if checked != len(srv.routeCaps) {
		t.Errorf("checked %d operations, the API has %d routes", checked, len(srv.routeCaps))
	}
	// Every "role" property that lists user roles (not the questionnaire's hosting roles).
	var whole any
	if err := json.Unmarshal(openAPI, &whole); err != nil {
		t.Fatal(err)
	}
	var enums [][]string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if r, ok := v["role"].(map[string]any); ok {
				if e, ok := r["enum"].([]any); ok && slices.Contains(e, any(piaflow.RoleEngineer)) {
					got := make([]string, 0, len(e))
					for _, x := range e {
						got = append(got, fmt.Sprint(x))
					}
					enums = append(enums, got)
				}
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(whole)
	if len(enums) < 2 {
		t.Fatalf("%d role enums in openapi.json, want the user schema's and the create-user body's", len(enums))
	}
	for _, got := range enums {
		if !slices.Equal(got, piaflow.Roles()) {
			t.Errorf("role enum %v, want %v", got, piaflow.Roles())
		}
	}
}

// TestUpdateMe: a user sets their own notification address and language and turns
// notifications off; an invalid address is a 422 naming the field.
func TestUpdateMe(t *testing.T) {
	eachDatabase(t, func(t *testing.T, url string, tokens map[string]string) {
		tok := tokens[piaflow.RoleSales]
		resp, b := call(t, "PATCH", url+"/api/v1/me", tok, `{"email":"s@example.test","language":"zh-CN"}`)
		if resp.StatusCode != 200 || !strings.Contains(string(b), `"email":"s@example.test"`) || !strings.Contains(string(b), `"notifications_off":false`) {
			t.Fatalf("patch me: %d %s", resp.StatusCode, b)
		}
		resp, b = call(t, "PATCH", url+"/api/v1/me", tok, `{"notifications_off":true}`)
		if resp.StatusCode != 200 || !strings.Contains(string(b), `"notifications_off":true`) || !strings.Contains(string(b), `"language":"zh-CN"`) {
			t.Fatalf("turn off: %d %s", resp.StatusCode, b)
		}
		resp, b = call(t, "GET", url+"/api/v1/me", tok, "")
		if resp.StatusCode != 200 || !strings.Contains(string(b), `"notifications_off":true`) {
			t.Errorf("me: %d %s", resp.StatusCode, b)
		}
		resp, b = call(t, "PATCH", url+"/api/v1/me", tok, `{"email":"nobody"}`)
		if p := problemOf(t, resp, b, http.StatusUnprocessableEntity); !strings.Contains(string(b), "email") {
			t.Errorf("bad address: %+v", p)
		}
	})
}

// reevaluated starts a re-evaluation run as token's user (202 with its Location), polls the
// run until it is done, at most a minute, and returns it.
func reevaluated(t *testing.T, url, token string) []byte {
	t.Helper()
	resp, b := call(t, "POST", url+"/api/v1/reevaluate", token, "")
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusAccepted || !strings.HasPrefix(loc, "/api/v1/reevaluations/") {
		t.Fatalf("reevaluate: %d %q %s", resp.StatusCode, loc, b)
	}
	deadline := time.Now().Add(time.Minute)
	for {
		resp, b = call(t, "GET", url+loc, token, "")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("reevaluation: %d %s", resp.StatusCode, b)
		}
		if strings.Contains(string(b), `"status":"done"`) {
			return b
		}
		if time.Now().After(deadline) {
			t.Fatalf("reevaluation not done after a minute: %s", b)
		}
		time.Sleep(10 * time.Millisecond) // polling, as a client does, with a deadline
	}
}

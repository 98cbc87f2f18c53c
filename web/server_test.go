package web

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/piaflow/piaflow/api"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/assessments/store/storetest"
	"github.com/piaflow/piaflow/internal/apitest"
	"github.com/piaflow/piaflow/policies"
	"github.com/piaflow/piaflow/service"
)

// Test helpers: the web UI is tested as it is served, mounted on the API server (the pages
// link to API downloads, and a session cookie authenticates API calls too).

// server is the API server with the web UI mounted, as piaflow serve builds it.
type server struct {
	api *api.Server
	ui  *UI
}

func newServer(svc *service.Service) *server {
	log := slog.New(slog.DiscardHandler)
	a := api.New(svc, log)
	return &server{api: a, ui: Register(a.Echo(), svc, log, a.Catalogs())}
}

// Handler serves the API and the web UI.
func (s *server) Handler() http.Handler { return s.api.Handler() }

// testServer starts the server over real HTTP on an empty store — PostgreSQL when the test
// script started one (PIAFLOW_TEST_DATABASE_URL), else SQLite — and returns its URL and a token
// per role.
func testServer(t *testing.T) (string, map[string]string) {
	t.Helper()
	dialects := storetest.Dialects(t)
	return testServerDialect(t, dialects[len(dialects)-1])
}

func testServerDialect(t testing.TB, dialect string) (string, map[string]string) {
	t.Helper()
	st := storetest.Open(t, dialect)
	e, err := policies.Default()
	if err != nil {
		t.Fatal(err)
	}
	tokens := apitest.Tokens(t, st)
	srv := httptest.NewServer(newServer(service.New(st, assessments.NewEvaluator(e))).Handler())
	t.Cleanup(srv.Close)
	return srv.URL, tokens
}

func mustExample(tb testing.TB) string {
	tb.Helper()
	b, err := os.ReadFile("../examples/hospital-ehr-germany.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// call sends an API request with a bearer token (and a JSON body when body is not empty).
func call(t *testing.T, method, url, token, body string) (*http.Response, []byte) {
	t.Helper()
	var header map[string]string
	if body != "" {
		header = map[string]string{"Content-Type": "application/json"}
	}
	return callWith(t, method, url, token, body, header)
}

func callWith(t *testing.T, method, url, token, body string, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	return apitest.Call(t, method, url, token, body, header)
}

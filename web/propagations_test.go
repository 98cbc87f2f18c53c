package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/assessments/store/storetest"
	"github.com/piaflow/piaflow/internal/apitest"
	"github.com/piaflow/piaflow/jobs/jobstest"
	"github.com/piaflow/piaflow/policies"
	"github.com/piaflow/piaflow/service"
)

// TestWebPropagation: legal starts a re-assessment with the current policies from the
// re-assessments page and is taken to its progress page, which lists every deployment with its
// outcome once the background jobs are done, in English and Chinese; sales neither sees the
// menu entry nor opens the pages.
func TestWebPropagation(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t, "sqlite")
	e, err := policies.Default()
	if err != nil {
		t.Fatal(err)
	}
	tokens := apitest.Tokens(t, st)
	svc := service.New(st, assessments.NewEvaluator(e))
	_, events := jobstest.Start(t, st, svc)
	srv := httptest.NewServer(newServer(svc).Handler())
	t.Cleanup(srv.Close)
	for _, name := range []string{"Portal", "Clinic"} {
		d, err := svc.CreateDeployment(ctx, piaflow.System, piaflow.Deployment{Name: name, Customer: "C"})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.SaveQuestionnaire(ctx, piaflow.System, d.ID, "", []byte(mustExample(t))); err != nil {
			t.Fatal(err)
		}
	}
	legal := signIn(t, srv.URL, tokens[piaflow.RoleLegal])
	_, body := legal.get("/propagations")
	mustContain(t, "re-assessments page", body, `href="/propagations" aria-current="page"`, `id="start-propagation"`, "No re-assessment has been started.")
	resp, body := legal.post("/propagations", url.Values{"reason": {strings.Repeat("x", piaflow.MaxTextLength+1)}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "at most 10000 characters") {
		t.Errorf("a too long reason: %d", resp.StatusCode)
	}
	resp, body = legal.post("/propagations", url.Values{"reason": {"policies 2026.12"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/propagations/1" {
		t.Fatalf("start: %d %s", resp.StatusCode, body)
	}
	deadline := time.After(time.Minute)
	for {
		_, body = legal.get("/propagations/1")
		if strings.Contains(body, `<dd id="propagation-state">Done</dd>`) {
			break
		}
		select {
		case <-events:
		case <-deadline:
			t.Fatalf("not done after a minute: %s", body)
		}
	}
	mustContain(t, "progress page", body, "Re-assessment 1", "policies 2026.12", "2 of 2 deployments; 2 with a new assessment, 0 failed",
		`href="/assessments/1"`, `href="/assessments/2"`, `<progress max="100" value="100">`)
	legal.get("/lang/zh-CN?next=%2Fpropagations%2F1")
	_, body = legal.get("/propagations/1")
	mustContain(t, "Chinese progress page", body, "重新评估 1", "已完成", "新评估")
	sales := signIn(t, srv.URL, tokens[piaflow.RoleSales])
	_, body = sales.get("/deployments")
	if strings.Contains(body, `href="/propagations"`) {
		t.Error("sales sees the re-assessments menu entry")
	}
	for _, path := range []string{"/propagations", "/propagations/1"} {
		if resp, _ := sales.get(path); resp.StatusCode != http.StatusForbidden {
			t.Errorf("sales opens %s: %d", path, resp.StatusCode)
		}
	}
}

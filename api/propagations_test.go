package api

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/assessments/store/storetest"
	"github.com/piaflow/piaflow/examples"
	"github.com/piaflow/piaflow/internal/apitest"
	"github.com/piaflow/piaflow/jobs/jobstest"
	"github.com/piaflow/piaflow/policies"
	"github.com/piaflow/piaflow/service"
)

// TestPropagationEndpoints: POST /api/v1/propagations answers 202 with the propagation and its
// Location at once, refuses a bad kind (422, the field named) and a role without the
// capability (403); the background jobs finish it, and GET shows the progress and a page of
// the outcomes; every response conforms to openapi.json.
func TestPropagationEndpoints(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t, "sqlite")
	e, err := policies.Default()
	if err != nil {
		t.Fatal(err)
	}
	tokens := apitest.Tokens(t, st)
	svc := service.New(st, assessments.NewEvaluator(e))
	_, events := jobstest.Start(t, st, svc)
	srv := httptest.NewServer(conformingHandler(t, New(svc, slog.New(slog.DiscardHandler)).Handler()))
	t.Cleanup(srv.Close)
	doc, err := examples.FS.ReadFile("clinic-singapore-ready.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"A", "B", "C"} {
		d, err := svc.CreateDeployment(ctx, piaflow.System, piaflow.Deployment{Name: name, Customer: "C"})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.SaveQuestionnaire(ctx, piaflow.System, d.ID, "", doc); err != nil {
			t.Fatal(err)
		}
	}
	resp, b := call(t, "POST", srv.URL+"/api/v1/propagations", tokens[piaflow.RoleSales], `{"kind":"policies"}`)
	problemOf(t, resp, b, http.StatusForbidden)
	resp, b = call(t, "POST", srv.URL+"/api/v1/propagations", tokens[piaflow.RoleEngineer], `{"kind":"moon","reason":"x"}`)
	if p := problemOf(t, resp, b, http.StatusUnprocessableEntity); len(p.Errors) != 1 || p.Errors[0].Path != "kind" {
		t.Errorf("bad kind: %s", b)
	}
	resp, b = call(t, "POST", srv.URL+"/api/v1/propagations", tokens[piaflow.RoleEngineer], `{"kind":"policies","reason":"policies 2026.12"}`)
	var p piaflow.Propagation
	if resp.StatusCode != http.StatusAccepted || json.Unmarshal(b, &p) != nil || p.Total != 3 || resp.Header.Get("Location") != "/api/v1/propagations/"+jsonID(p.ID) {
		t.Fatalf("start: %d %s %s", resp.StatusCode, resp.Header.Get("Location"), b)
	}
	var view struct {
		piaflow.Propagation
		Outcomes      []piaflow.PropagationOutcome `json:"outcomes"`
		OutcomesTotal int64                        `json:"outcomes_total"`
	}
	deadline := time.After(time.Minute)
	for {
		resp, b = call(t, "GET", srv.URL+"/api/v1/propagations/"+jsonID(p.ID)+"?state=done&limit=2", tokens[piaflow.RoleLegal], "")
		if resp.StatusCode != http.StatusOK || json.Unmarshal(b, &view) != nil {
			t.Fatalf("progress: %d %s", resp.StatusCode, b)
		}
		if view.State == piaflow.PropagationDone {
			break
		}
		select {
		case <-events: // a job finished: read again
		case <-deadline:
			t.Fatalf("not done after a minute: %s", b)
		}
	}
	if view.Done != 3 || view.Changed != 3 || len(view.Outcomes) != 2 || view.OutcomesTotal != 3 || view.Outcomes[0].AssessmentID == 0 {
		t.Errorf("done: %s", b)
	}
	resp, b = call(t, "GET", srv.URL+"/api/v1/propagations?limit=10", tokens[piaflow.RoleAdmin], "")
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), `"total":1`) {
		t.Errorf("list: %d %s", resp.StatusCode, b)
	}
	resp, b = call(t, "GET", srv.URL+"/api/v1/propagations/"+jsonID(p.ID)+"?state=lost", tokens[piaflow.RoleAdmin], "")
	problemOf(t, resp, b, http.StatusUnprocessableEntity)
	resp, b = call(t, "GET", srv.URL+"/api/v1/propagations/999", tokens[piaflow.RoleAdmin], "")
	problemOf(t, resp, b, http.StatusNotFound)
}

func jsonID(id uint64) string { b, _ := json.Marshal(id); return string(b) }

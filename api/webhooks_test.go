package api

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/assessments/store/storetest"
	"github.com/piaflow/piaflow/internal/apitest"
	"github.com/piaflow/piaflow/policies"
	"github.com/piaflow/piaflow/service"
	"github.com/piaflow/piaflow/webhook"
)

// TestWebhooks: an admin registers a webhook (a loopback URL refused without allow_private),
// an evaluation through the API reaches a real receiver signed with the secret shown once, and
// the deliveries are listed with their status; redelivery and removal.
func TestWebhooks(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t, "sqlite")
	e, err := policies.Default()
	if err != nil {
		t.Fatal(err)
	}
	tokens := apitest.Tokens(t, st)
	log := slog.New(slog.DiscardHandler)
	srv := httptest.NewServer(conformingHandler(t, New(service.New(st, assessments.NewEvaluator(e)), log).Handler()))
	t.Cleanup(srv.Close)
	url, admin := srv.URL, tokens[piaflow.RoleAdmin]
	worker := webhook.NewWorker(st, webhook.Guard{}, log)

	var (
		mu     sync.Mutex
		bodies [][]byte
		heads  []http.Header
	)
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies, heads = append(bodies, b), append(heads, r.Header.Clone())
		mu.Unlock()
	}))
	t.Cleanup(receiver.Close)

	body := `{"url":"` + receiver.URL + `/piaflow","events":["assessment.evaluated","assessment.submitted"]}`
	resp, b := call(t, "POST", url+"/api/v1/webhooks", admin, body)
	if p := problemOf(t, resp, b, http.StatusUnprocessableEntity); !strings.Contains(problemText(p), "loopback") {
		t.Errorf("a loopback URL without allow_private: %s", problemText(p))
	}
	resp, b = call(t, "POST", url+"/api/v1/webhooks", admin, `{"url":"http://169.254.169.254/latest/meta-data/","events":["action.changed"]}`)
	if p := problemOf(t, resp, b, http.StatusUnprocessableEntity); !strings.Contains(problemText(p), "link-local") {
		t.Errorf("the metadata address: %s", problemText(p))
	}
	resp, b = call(t, "POST", url+"/api/v1/webhooks", admin, `{"url":"https://example.com/","events":["deployment.deleted"]}`)
	problemOf(t, resp, b, http.StatusUnprocessableEntity)

	resp, b = call(t, "POST", url+"/api/v1/webhooks", admin, strings.Replace(body, `"events"`, `"allow_private":true,"events"`, 1))
	var created struct {
		ID     uint64 `json:"id"`
		Secret string `json:"secret"`
	}
	if resp.StatusCode != http.StatusCreated || json.Unmarshal(b, &created) != nil || !strings.HasPrefix(created.Secret, "whsec_") ||
		resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("create: %d %s", resp.StatusCode, b)
	}
	resp, b = call(t, "GET", url+"/api/v1/webhooks", admin, "")
	if resp.StatusCode != http.StatusOK || strings.Contains(string(b), created.Secret) || !strings.Contains(string(b), `"allow_private":true`) {
		t.Errorf("list: %d %s", resp.StatusCode, b)
	}

	eng := tokens[piaflow.RoleEngineer]
	call(t, "POST", url+"/api/v1/deployments", eng, `{"name":"Portal","customer":"Klinikum Nord GmbH","customer_country":"DE"}`)
	resp, b = callWith(t, "PUT", url+"/api/v1/deployments/1/questionnaire", eng, mustExample(t), nil)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("questionnaire: %d %s", resp.StatusCode, b)
	}
	resp, b = call(t, "POST", url+"/api/v1/deployments/1/assessments", eng, "")
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("evaluate: %d %s", resp.StatusCode, b)
	}
	resp, b = call(t, "GET", url+"/api/v1/webhooks/1/deliveries", admin, "")
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), `"status":"pending"`) || !strings.Contains(string(b), `"event_type":"assessment.evaluated"`) {
		t.Fatalf("deliveries before the worker ran: %d %s", resp.StatusCode, b)
	}
	if n, err := worker.RunOnce(ctx); n != 1 || err != nil {
		t.Fatalf("worker: %d, %v", n, err)
	}
	mu.Lock()
	if len(bodies) != 1 {
		t.Fatalf("the receiver got %d deliveries", len(bodies))
	}
	var ev piaflow.Event
	if err := json.Unmarshal(bodies[0], &ev); err != nil || ev.Type != piaflow.EventAssessmentEvaluated || ev.Data.DeploymentName != "Portal" || ev.Data.Verdict == "" {
		t.Errorf("event %s (%v)", bodies[0], err)
	}
	if err := webhook.Verify(created.Secret, heads[0].Get(webhook.HeaderTimestamp), heads[0].Get(webhook.HeaderSignature), bodies[0], ev.CreatedAt, piaflow.WebhookDeliveryTimeout*100); err != nil {
		t.Error(err)
	}
	mu.Unlock()
	resp, b = call(t, "GET", url+"/api/v1/webhooks/1/deliveries?limit=10", admin, "")
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), `"status":"delivered"`) || !strings.Contains(string(b), `"attempts":1`) {
		t.Errorf("deliveries after the worker ran: %d %s", resp.StatusCode, b)
	}
	resp, b = call(t, "POST", url+"/api/v1/webhooks/1/deliveries/1/redeliver", admin, "")
	if resp.StatusCode != http.StatusAccepted || !strings.Contains(string(b), `"status":"pending"`) {
		t.Errorf("redeliver: %d %s", resp.StatusCode, b)
	}
	resp, b = call(t, "POST", url+"/api/v1/webhooks/1/deliveries/99/redeliver", admin, "")
	problemOf(t, resp, b, http.StatusNotFound)
	resp, b = call(t, "GET", url+"/api/v1/webhooks/1/deliveries?limit=0", admin, "")
	problemOf(t, resp, b, http.StatusUnprocessableEntity)
	resp, b = call(t, "DELETE", url+"/api/v1/webhooks/1", admin, "")
	if resp.StatusCode != http.StatusNoContent {
		t.Errorf("delete: %d %s", resp.StatusCode, b)
	}
	resp, b = call(t, "GET", url+"/api/v1/webhooks/1", admin, "")
	problemOf(t, resp, b, http.StatusNotFound)
}

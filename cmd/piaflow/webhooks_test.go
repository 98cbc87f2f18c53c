package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/webhook"
)

// TestServeDeliversWebhooks: `piaflow serve` runs the delivery worker: a webhook registered
// through the API receives the evaluation made through the API, signed, without a poll (the
// enqueue wakes the worker), and the worker stops with the server.
func TestServeDeliversWebhooks(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := runCLI(t, "admin", "create-user", "--name", "alice", "--role", "admin", "--data-dir", dir); code != exitOK {
		t.Fatal(stderr)
	}
	_, out, _ := runCLI(t, "admin", "create-token", "--user", "alice", "--data-dir", dir)
	token := strings.TrimSpace(out)

	got := make(chan *http.Request, 4)
	bodies := make(chan []byte, 4)
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- r
		bodies <- b
	}))
	defer receiver.Close()

	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		var errb bytes.Buffer
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data-dir", dir}, pw, &errb)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	go io.Copy(io.Discard, pr)
	api := strings.Fields(line)[3] + "/api/v1"
	call := func(method, path, body string) []byte {
		t.Helper()
		req, _ := http.NewRequest(method, api+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode >= 300 {
			t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, b)
		}
		return b
	}
	var hook struct{ Secret string }
	if err := json.Unmarshal(call("POST", "/webhooks", `{"url":"`+receiver.URL+`","events":["assessment.evaluated"],"allow_private":true}`), &hook); err != nil {
		t.Fatal(err)
	}
	call("POST", "/deployments", `{"name":"Portal","customer":"Klinikum Nord GmbH","customer_country":"DE"}`)
	q, err := os.ReadFile("../../examples/hospital-ehr-germany.yaml")
	if err != nil {
		t.Fatal(err)
	}
	call("PUT", "/deployments/1/questionnaire", string(q))
	call("POST", "/deployments/1/assessments", "")

	select {
	case r := <-got:
		body := <-bodies
		if err := webhook.Verify(hook.Secret, r.Header.Get(webhook.HeaderTimestamp), r.Header.Get(webhook.HeaderSignature), body, time.Now(), time.Minute); err != nil {
			t.Error(err)
		}
		var ev piaflow.Event
		if err := json.Unmarshal(body, &ev); err != nil || ev.Type != piaflow.EventAssessmentEvaluated || ev.Data.DeploymentName != "Portal" {
			t.Errorf("event %s (%v)", body, err)
		}
	case <-time.After(piaflow.WebhookPollInterval * 4):
		t.Fatal("no delivery reached the receiver")
	}
	cancel()
	if code := <-done; code != exitOK {
		t.Errorf("serve exited %d after shutdown", code)
	}
}

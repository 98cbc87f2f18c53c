package webhook_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments/store"
	"github.com/piaflow/piaflow/assessments/store/storetest"
	"github.com/piaflow/piaflow/webhook"
)

// receiver is a real HTTP server on loopback that keeps what it receives and answers status.
type receiver struct {
	mu     sync.Mutex
	got    []received
	status atomic.Int32
}

type received struct {
	header http.Header
	body   []byte
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	r.got = append(r.got, received{req.Header.Clone(), body})
	r.mu.Unlock()
	w.WriteHeader(int(r.status.Load()))
}

func (r *receiver) all() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

func newReceiver(t *testing.T) (*receiver, *httptest.Server) {
	r := &receiver{}
	r.status.Store(http.StatusNoContent)
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	return r, srv
}

// quiet drops the worker's log in tests.
var quiet = slog.New(slog.DiscardHandler)

// clock is the worker's injectable time.
type clock struct{ t atomic.Int64 }

func newClock() *clock {
	c := &clock{}
	c.t.Store(time.Now().Add(time.Second).UnixNano())
	return c
}
func (c *clock) now() time.Time          { return time.Unix(0, c.t.Load()).UTC() }
func (c *clock) advance(d time.Duration) { c.t.Add(int64(d)) }

// evaluate records an assessment of a new revision of deployment d with verdict.
func evaluate(t *testing.T, s *store.Store, actor *piaflow.User, d uint64, verdict string) piaflow.AssessmentRecord {
	t.Helper()
	ctx := context.Background()
	ifMatch := ""
	if latest, err := s.Revision(ctx, d, 0); err == nil {
		ifMatch = latest.ETag
	}
	r, err := s.SaveRevision(ctx, actor, d, ifMatch, []byte(`{"v":"`+verdict+`"}`), false)
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.SaveAssessment(ctx, actor, piaflow.AssessmentRecord{RevisionID: r.ID, PolicyVersion: "2026.12.0", PolicyDigest: "sha256:x",
		AsOf: "2026-12-05", Verdict: verdict, Result: "{}"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func createHook(t *testing.T, s *store.Store, url string, allowPrivate bool, events ...string) piaflow.Webhook {
	t.Helper()
	secret, err := webhook.NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	w, err := s.CreateWebhook(context.Background(), nil, piaflow.Webhook{URL: url, Events: events, Secret: secret, AllowPrivate: allowPrivate})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func runOnce(t *testing.T, w *webhook.Worker) int {
	t.Helper()
	n, err := w.RunOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func deliveries(t *testing.T, s *store.Store, hook uint64) []piaflow.WebhookDelivery {
	t.Helper()
	ds, err := s.Deliveries(context.Background(), hook, 100)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// TestDeliverSigned: each event reaches the webhooks subscribed to its type, and only those,
// signed with the webhook's secret; the deliveries are listed as delivered.
func TestDeliverSigned(t *testing.T) {
	for _, dialect := range storetest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			s := storetest.Open(t, dialect)
			rec, srv := newReceiver(t)
			clk := newClock()
			w := webhook.NewWorker(s, webhook.Guard{}, quiet, webhook.WithClock(clk.now))
			verdicts := createHook(t, s, srv.URL+"/verdicts", true, piaflow.EventAssessmentEvaluated, piaflow.EventVerdictChanged)
			reviews := createHook(t, s, srv.URL+"/reviews", true, piaflow.EventAssessmentSubmitted, piaflow.EventAssessmentApproved)
			eng, _ := s.CreateUser(ctx, nil, "erin", piaflow.RoleEngineer)
			lena, _ := s.CreateUser(ctx, nil, "lena", piaflow.RoleLegal)
			d, err := s.CreateDeployment(ctx, &eng, piaflow.Deployment{Name: "Shop", Customer: "Acme"})
			if err != nil {
				t.Fatal(err)
			}
			evaluate(t, s, &eng, d.ID, "conditional")
			a := evaluate(t, s, &eng, d.ID, "ready")
			if _, err := s.Review(ctx, &eng, a.ID, "submit_review", func(a *piaflow.AssessmentRecord, _ []piaflow.Action, _ time.Time) error { return a.Submit() }); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Review(ctx, &lena, a.ID, "approve", func(a *piaflow.AssessmentRecord, acts []piaflow.Action, now time.Time) error {
				return a.Decide(lena, true, "fine", nil, acts, now)
			}); err != nil {
				t.Fatal(err)
			}
			if n := runOnce(t, w); n != 5 {
				t.Fatalf("attempted %d deliveries, want 5 (2 evaluated, 1 verdict changed, submitted, approved)", n)
			}
			if n := runOnce(t, w); n != 0 {
				t.Errorf("attempted %d deliveries again", n)
			}
			var types []string
			for _, r := range rec.all() {
				var ev piaflow.Event
				if err := json.Unmarshal(r.body, &ev); err != nil {
					t.Fatal(err)
				}
				types = append(types, ev.Type)
				if ev.Data.DeploymentID != d.ID || ev.Data.DeploymentName != "Shop" || ev.Data.AssessmentID == 0 || ev.ID != r.header.Get(webhook.HeaderID) ||
					ev.Type != r.header.Get(webhook.HeaderEvent) || r.header.Get("Content-Type") != "application/json" {
					t.Errorf("event %+v with headers %v", ev, r.header)
				}
				if ev.Type == piaflow.EventVerdictChanged && (ev.Data.PreviousVerdict != "conditional" || ev.Data.Verdict != "ready") {
					t.Errorf("verdict changed: %+v", ev.Data)
				}
				if ev.Type == piaflow.EventAssessmentApproved && (ev.Data.Reviewer != "lena" || ev.Data.ReviewState != piaflow.ReviewApproved || ev.Data.Actor != "lena") {
					t.Errorf("approved: %+v", ev.Data)
				}
				secret := reviews.Secret
				if ev.Type == piaflow.EventAssessmentEvaluated || ev.Type == piaflow.EventVerdictChanged {
					secret = verdicts.Secret
				}
				if err := webhook.Verify(secret, r.header.Get(webhook.HeaderTimestamp), r.header.Get(webhook.HeaderSignature), r.body, clk.now(), 5*time.Minute); err != nil {
					t.Errorf("%s: %v", ev.Type, err)
				}
				if err := webhook.Verify("whsec_wrong", r.header.Get(webhook.HeaderTimestamp), r.header.Get(webhook.HeaderSignature), r.body, clk.now(), 5*time.Minute); err == nil {
					t.Errorf("%s: verified with another secret", ev.Type)
				}
				if err := webhook.Verify(secret, r.header.Get(webhook.HeaderTimestamp), r.header.Get(webhook.HeaderSignature), append(r.body, ' '), clk.now(), 5*time.Minute); err == nil {
					t.Errorf("%s: a changed body verified", ev.Type)
				}
				if err := webhook.Verify(secret, r.header.Get(webhook.HeaderTimestamp), r.header.Get(webhook.HeaderSignature), r.body, clk.now().Add(time.Hour), 5*time.Minute); err == nil {
					t.Errorf("%s: an hour-old delivery verified", ev.Type)
				}
			}
			want := []string{piaflow.EventAssessmentEvaluated, piaflow.EventAssessmentEvaluated, piaflow.EventVerdictChanged, piaflow.EventAssessmentSubmitted, piaflow.EventAssessmentApproved}
			slices.Sort(types)
			slices.Sort(want)
			if !slices.Equal(types, want) {
				t.Errorf("received %v, want %v", types, want)
			}
			for _, h := range []piaflow.Webhook{verdicts, reviews} {
				for _, dl := range deliveries(t, s, h.ID) {
					if dl.Status != piaflow.DeliveryDelivered || dl.Attempts != 1 || dl.LastStatusCode != http.StatusNoContent || dl.DeliveredAt == nil {
						t.Errorf("delivery %+v", dl)
					}
					if !h.Subscribes(dl.EventType) {
						t.Errorf("webhook %d got %s", h.ID, dl.EventType)
					}
				}
			}
		})
	}
}

// TestReceiverDownThenBack: a receiver that is down (nothing listens), then answers 503, gets
// the delivery once it is back, after the backoff — and the queue survives reopening the store.
func TestReceiverDownThenBack(t *testing.T) {
	ctx := context.Background()
	cfg := storetest.Config(t, "sqlite")
	s, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	// A port nothing listens on: reserved, then closed.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	hook := createHook(t, s, "http://"+addr+"/hook", true, piaflow.EventActionChanged)
	d, _ := s.CreateDeployment(ctx, nil, piaflow.Deployment{Name: "Shop", Customer: "Acme"})
	r, _ := s.SaveRevision(ctx, nil, d.ID, "", []byte(`{}`), false)
	if _, err := s.SaveAssessment(ctx, nil, piaflow.AssessmentRecord{RevisionID: r.ID, PolicyVersion: "v", PolicyDigest: "d", AsOf: "2026-12-05", Verdict: "blocked", Result: "{}"},
		[]piaflow.Action{{FindingKey: "k1", FindingID: "f1", Title: "Sign the SCC", Status: piaflow.ActionOpen}}); err != nil {
		t.Fatal(err)
	}
	acts, _ := s.Actions(ctx, d.ID)
	if _, err := s.UpdateAction(ctx, nil, acts[0].ID, func(a *piaflow.Action) (piaflow.AuditEvent, error) {
		a.Status = piaflow.ActionInProgress
		return piaflow.AuditEvent{Action: "update_action", ObjectType: "action", ObjectID: a.ID}, nil
	}); err != nil {
		t.Fatal(err)
	}
	clk := newClock()
	w := webhook.NewWorker(s, webhook.Guard{}, quiet, webhook.WithClock(clk.now))
	if n := runOnce(t, w); n != 1 {
		t.Fatalf("attempted %d, want 1", n)
	}
	dl := deliveries(t, s, hook.ID)[0]
	if dl.Status != piaflow.DeliveryPending || dl.Attempts != 1 || dl.LastError == "" || !dl.NextAttemptAt.Equal(clk.now().Add(piaflow.WebhookBackoff(1))) {
		t.Fatalf("after the receiver was down: %+v", dl)
	}

	// The server restarts: the queue is in the database.
	s.Close()
	s, err = store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	w = webhook.NewWorker(s, webhook.Guard{}, quiet, webhook.WithClock(clk.now))
	if n := runOnce(t, w); n != 0 {
		t.Fatalf("attempted %d before the backoff passed", n)
	}

	// The receiver comes back on the same address, answering 503 at first.
	rec := &receiver{}
	rec.status.Store(http.StatusServiceUnavailable)
	ln, err = net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: rec, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()
	clk.advance(piaflow.WebhookBackoff(1))
	if n := runOnce(t, w); n != 1 {
		t.Fatalf("attempted %d after the backoff, want 1", n)
	}
	dl = deliveries(t, s, hook.ID)[0]
	if dl.Status != piaflow.DeliveryPending || dl.Attempts != 2 || dl.LastStatusCode != http.StatusServiceUnavailable {
		t.Fatalf("after 503: %+v", dl)
	}
	rec.status.Store(http.StatusOK)
	clk.advance(piaflow.WebhookBackoff(2) - time.Second)
	if n := runOnce(t, w); n != 0 {
		t.Fatalf("attempted %d before the second backoff passed", n)
	}
	clk.advance(time.Second)
	if n := runOnce(t, w); n != 1 {
		t.Fatalf("attempted %d after the second backoff, want 1", n)
	}
	dl = deliveries(t, s, hook.ID)[0]
	if dl.Status != piaflow.DeliveryDelivered || dl.Attempts != 3 || dl.LastStatusCode != http.StatusOK || dl.LastError != "" {
		t.Fatalf("after the receiver came back: %+v", dl)
	}
	got := rec.all()
	if len(got) != 2 || got[0].header.Get(webhook.HeaderID) != got[1].header.Get(webhook.HeaderID) || got[1].header.Get(webhook.HeaderID) != dl.EventID {
		t.Fatalf("the receiver got %d requests, with ids %v", len(got), got)
	}
	var ev piaflow.Event
	if err := json.Unmarshal(got[1].body, &ev); err != nil || ev.Type != piaflow.EventActionChanged || ev.Data.Action == nil || ev.Data.Action.Status != piaflow.ActionInProgress || ev.Data.Action.Title != "Sign the SCC" {
		t.Errorf("event %+v (%v)", ev, err)
	}
}

// TestGivesUp: a delivery is marked failed after piaflow.MaxWebhookAttempts; an admin's
// redelivery queues it again.
func TestGivesUp(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t, "sqlite")
	rec, srv := newReceiver(t)
	rec.status.Store(http.StatusInternalServerError)
	hook := createHook(t, s, srv.URL, true, piaflow.EventReevaluationFinished)
	if err := s.EnqueueEvent(ctx, piaflow.EventReevaluationFinished, piaflow.EventData{Reevaluation: &piaflow.EventReevaluation{Checked: 3}}); err != nil {
		t.Fatal(err)
	}
	clk := newClock()
	w := webhook.NewWorker(s, webhook.Guard{}, quiet, webhook.WithClock(clk.now))
	for i := 1; i <= piaflow.MaxWebhookAttempts; i++ {
		if n := runOnce(t, w); n != 1 {
			t.Fatalf("attempt %d: attempted %d", i, n)
		}
		clk.advance(piaflow.WebhookBackoff(i))
	}
	clk.advance(24 * time.Hour)
	if n := runOnce(t, w); n != 0 {
		t.Fatalf("attempted %d after giving up", n)
	}
	dl := deliveries(t, s, hook.ID)[0]
	if dl.Status != piaflow.DeliveryFailed || dl.Attempts != piaflow.MaxWebhookAttempts || dl.LastStatusCode != http.StatusInternalServerError {
		t.Fatalf("after %d attempts: %+v", piaflow.MaxWebhookAttempts, dl)
	}
	if len(rec.all()) != piaflow.MaxWebhookAttempts {
		t.Errorf("the receiver got %d requests", len(rec.all()))
	}
	rec.status.Store(http.StatusOK)
	if _, err := s.Redeliver(ctx, nil, hook.ID, dl.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Redeliver(ctx, nil, hook.ID+1, dl.ID); !errors.Is(err, piaflow.ErrNotFound) {
		t.Errorf("redeliver through another webhook: %v", err)
	}
	if n := runOnce(t, w); n != 1 {
		t.Fatalf("attempted %d after redelivery", n)
	}
	if dl = deliveries(t, s, hook.ID)[0]; dl.Status != piaflow.DeliveryDelivered || dl.Attempts != 1 {
		t.Errorf("after redelivery: %+v", dl)
	}
}

// TestGuardAtDelivery: a webhook stored without allow_private whose URL is on loopback (as if
// DNS had changed since it was registered) is not connected to.
func TestGuardAtDelivery(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t, "sqlite")
	rec, srv := newReceiver(t)
	hook := createHook(t, s, srv.URL, false, piaflow.EventReevaluationFinished)
	if err := s.EnqueueEvent(ctx, piaflow.EventReevaluationFinished, piaflow.EventData{}); err != nil {
		t.Fatal(err)
	}
	w := webhook.NewWorker(s, webhook.Guard{}, quiet, webhook.WithClock(newClock().now))
	if n := runOnce(t, w); n != 1 {
		t.Fatalf("attempted %d", n)
	}
	dl := deliveries(t, s, hook.ID)[0]
	if dl.Status != piaflow.DeliveryPending || !strings.Contains(dl.LastError, "webhook guard") || !strings.Contains(dl.LastError, "loopback") {
		t.Errorf("delivery %+v", dl)
	}
	if len(rec.all()) != 0 {
		t.Errorf("the receiver got %d requests", len(rec.all()))
	}
}

// TestNotify: queuing a delivery wakes a running worker (no poll needed).
func TestNotify(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	s := storetest.Open(t, "sqlite")
	got := make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got <- struct{}{} }))
	defer srv.Close()
	createHook(t, s, srv.URL, true, piaflow.EventReevaluationFinished)
	w := webhook.NewWorker(s, webhook.Guard{}, quiet, webhook.WithPollInterval(time.Hour))
	done := make(chan struct{})
	go func() { w.Run(ctx); close(done) }()
	if err := s.EnqueueEvent(ctx, piaflow.EventReevaluationFinished, piaflow.EventData{}); err != nil {
		t.Fatal(err)
	}
	<-got
	cancel()
	<-done
}

// TestMaxWebhooks: at most piaflow.MaxWebhooks are registered.
func TestMaxWebhooks(t *testing.T) {
	s := storetest.Open(t, "sqlite")
	for range piaflow.MaxWebhooks {
		createHook(t, s, "http://example.com/", false, piaflow.EventActionChanged)
	}
	_, err := s.CreateWebhook(context.Background(), nil, piaflow.Webhook{URL: "http://example.com/", Events: []string{piaflow.EventActionChanged}, Secret: "x"})
	if !errors.Is(err, piaflow.ErrConflict) || piaflow.ReasonOf(err) != piaflow.ReasonTooLarge {
		t.Errorf("webhook %d: %v", piaflow.MaxWebhooks+1, err)
	}
}

// TestStaleOutcomeDropped: the outcome of an attempt whose delivery was redelivered (or claimed
// again) meanwhile changes nothing; a claimed delivery is not claimed twice within its lease.
func TestStaleOutcomeDropped(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t, "sqlite")
	hook := createHook(t, s, "http://203.0.113.10/", false, piaflow.EventReevaluationFinished)
	if err := s.EnqueueEvent(ctx, piaflow.EventReevaluationFinished, piaflow.EventData{}); err != nil {
		t.Fatal(err)
	}
	now := time.Now().Add(time.Second)
	jobs, err := s.ClaimDue(ctx, now, time.Minute, 10)
	if err != nil || len(jobs) != 1 {
		t.Fatalf("claim: %d, %v", len(jobs), err)
	}
	if again, _ := s.ClaimDue(ctx, now.Add(30*time.Second), time.Minute, 10); len(again) != 0 {
		t.Fatalf("claimed twice within the lease")
	}
	if _, err := s.Redeliver(ctx, nil, hook.ID, jobs[0].Delivery.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.FinishDelivery(ctx, jobs[0], store.DeliveryOutcome{Delivered: true, StatusCode: 200, At: now}); err != nil {
		t.Fatal(err)
	}
	if dl := deliveries(t, s, hook.ID)[0]; dl.Status != piaflow.DeliveryPending || dl.Attempts != 0 {
		t.Errorf("a stale outcome was recorded: %+v", dl)
	}
}

// TestResponseBounded: a receiver that answers 200 with an endless body does not hold the
// worker: it reads at most piaflow.MaxWebhookResponseBytes, and the delivery is delivered (unbounded,
// it would read until the delivery timeout and fail).
func TestResponseBounded(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t, "sqlite")
	chunk := make([]byte, 32<<10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		for r.Context().Err() == nil {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	hook := createHook(t, s, srv.URL, true, piaflow.EventReevaluationFinished)
	if err := s.EnqueueEvent(ctx, piaflow.EventReevaluationFinished, piaflow.EventData{}); err != nil {
		t.Fatal(err)
	}
	w := webhook.NewWorker(s, webhook.Guard{}, quiet, webhook.WithClock(newClock().now))
	if n := runOnce(t, w); n != 1 {
		t.Fatalf("attempted %d", n)
	}
	if dl := deliveries(t, s, hook.ID)[0]; dl.Status != piaflow.DeliveryDelivered {
		t.Errorf("delivery %+v", dl)
	}
}

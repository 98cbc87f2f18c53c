package service_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/piaflow/piaflow"
)

// fakeQueue keeps what is queued instead of running it; the test runs the jobs itself.
type fakeQueue struct {
	mu   sync.Mutex
	jobs map[uint64][]uint64
}

func (q *fakeQueue) Enqueue(_ context.Context, propagationID uint64, ids []uint64) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.jobs == nil {
		q.jobs = map[uint64][]uint64{}
	}
	q.jobs[propagationID] = append(q.jobs[propagationID], ids...)
	return nil
}

// evaluations counts a deployment's "evaluate" audit events (one per recorded assessment).
func evaluations(t *testing.T, fx fixture, id uint64) int {
	t.Helper()
	evs, err := fx.svc.AuditLog(context.Background(), fx.users[piaflow.RoleAdmin], id)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range evs {
		if e.Action == "evaluate" {
			n++
		}
	}
	return n
}

// TestPropagationReassess: a policies propagation queues one job per active deployment; a job
// records a new assessment where the latest complete revision's verdict or findings changed —
// unreviewed, so the deployment's review starts again — and nothing where nothing changed; a
// job run twice records nothing more; the propagation is done with its last job.
func TestPropagationReassess(t *testing.T) {
	eachDatabase(t, func(t *testing.T, fx fixture) {
		ctx := context.Background()
		eng, legal := fx.users[piaflow.RoleEngineer], fx.users[piaflow.RoleLegal]
		changed, a := fx.deployment(t, "Changed")
		same, _ := fx.deployment(t, "Same")
		// Under review, then a new revision (not evaluated) with another verdict.
		if _, err := fx.svc.SubmitReview(ctx, eng, a.Record.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := fx.svc.SaveQuestionnaire(ctx, eng, changed.ID, "*", example(t, "clinic-singapore-ready")); err != nil {
			t.Fatal(err)
		}
		admin := fx.users[piaflow.RoleAdmin]
		hook, err := fx.svc.CreateWebhook(ctx, admin, piaflow.NewWebhookInput{URL: "http://127.0.0.1:9/hook", Events: piaflow.EventTypes(), AllowPrivate: true})
		if err != nil {
			t.Fatal(err)
		}
		q := &fakeQueue{}
		fx.svc.SetQueue(q)
		p, err := fx.svc.StartPropagation(ctx, legal, piaflow.PropagationPolicies, nil, "policies 2026.12")
		if err != nil {
			t.Fatal(err)
		}
		if p.State != piaflow.PropagationQueued || p.Total != 2 || len(q.jobs[p.ID]) != 2 || p.Requester != legal.Name {
			t.Fatalf("started %+v, queued %v", p, q.jobs)
		}
		for range 2 { // each job twice: the second run finds its outcome finished
			for _, id := range q.jobs[p.ID] {
				if _, err := fx.svc.Reassess(ctx, p.ID, id); err != nil {
					t.Fatal(err)
				}
			}
		}
		got, err := fx.svc.Propagation(ctx, legal, p.ID, "", 10, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != piaflow.PropagationDone || got.Done != 2 || got.Changed != 1 || got.Failed != 0 || got.FinishedAt == nil {
			t.Fatalf("propagation %+v", got.Propagation)
		}
		// The webhooks heard of the new assessment, its changed verdict and, once, of the end.
		ds, err := fx.svc.Deliveries(ctx, admin, hook.ID, 100)
		if err != nil {
			t.Fatal(err)
		}
		var types []string
		for _, dl := range slices.Backward(ds) {
			types = append(types, dl.EventType)
			var ev piaflow.Event
			if err := json.Unmarshal([]byte(dl.Payload), &ev); err != nil {
				t.Fatal(err)
			}
			if r := ev.Data.Reevaluation; ev.Type == piaflow.EventReevaluationFinished && (r == nil || r.Checked != 2 || r.Changed != 1 || ev.Data.Actor != legal.Name) {
				t.Errorf("re-evaluation finished: %+v", ev.Data)
			}
		}
		if want := []string{piaflow.EventAssessmentEvaluated, piaflow.EventVerdictChanged, piaflow.EventReevaluationFinished}; !slices.Equal(types, want) {
			t.Errorf("events %v, want %v", types, want)
		}
		if n := evaluations(t, fx, changed.ID); n != 2 {
			t.Errorf("changed deployment: %d evaluations; want 2 (the first, one by the propagation)", n)
		}
		if n := evaluations(t, fx, same.ID); n != 1 {
			t.Errorf("unchanged deployment: %d evaluations; want 1", n)
		}
		for _, o := range got.Outcomes {
			if o.State != piaflow.OutcomeDone || o.FinishedAt == nil || o.RevisionID != nil {
				t.Errorf("outcome %+v", o)
			}
			switch o.DeploymentID {
			case same.ID:
				if o.AssessmentID != 0 || o.VerdictBefore != o.VerdictAfter {
					t.Errorf("unchanged: %+v", o)
				}
			case changed.ID:
				rec, err := fx.svc.LatestAssessment(ctx, legal, changed.ID)
				if err != nil {
					t.Fatal(err)
				}
				d, err := fx.svc.Deployment(ctx, legal, changed.ID)
				if err != nil {
					t.Fatal(err)
				}
				if o.AssessmentID != rec.ID || o.VerdictBefore != a.Record.Verdict || o.VerdictAfter != rec.Verdict || o.VerdictBefore == o.VerdictAfter {
					t.Errorf("changed: outcome %+v, latest %d %s, before %s", o, rec.ID, rec.Verdict, a.Record.Verdict)
				}
				if rec.ReviewState != piaflow.ReviewNone || d.ReviewState != piaflow.ReviewNone {
					t.Errorf("after a changed verdict: assessment %s, deployment %s; want the review to start again", rec.ReviewState, d.ReviewState)
				}
				old, err := fx.svc.Record(ctx, legal, a.Record.ID)
				if err != nil || old.ReviewState != piaflow.ReviewSubmitted {
					t.Errorf("the earlier assessment's review: %s %v; want it kept", old.ReviewState, err)
				}
			}
		}
	})
}

// TestPropagationRefused: a bad request starts nothing and names the field; without a job queue
// nothing is started either.
func TestPropagationRefused(t *testing.T) {
	eachDatabase(t, func(t *testing.T, fx fixture) {
		ctx := context.Background()
		admin := fx.users[piaflow.RoleAdmin]
		if _, err := fx.svc.StartPropagation(ctx, admin, piaflow.PropagationPolicies, nil, "x"); !errors.Is(err, piaflow.ErrUnavailable) {
			t.Errorf("without a queue: %v", err)
		}
		fx.svc.SetQueue(&fakeQueue{})
		for _, tt := range []struct {
			kind, reason, params, field string
		}{
			{"sideways", "", "", "kind"},
			{piaflow.PropagationProduct, "", "", "params.product"},
			{piaflow.PropagationProduct, "", `{"product":"ERP","versio":"3"}`, "params"},
			{piaflow.PropagationProcessor, "", `{}`, "params.processor"},
			{piaflow.PropagationPolicies, "a\x00b", "", "reason"},
			{piaflow.PropagationPolicies, "", `{"x":1}`, "params"},
		} {
			_, err := fx.svc.StartPropagation(ctx, admin, tt.kind, []byte(tt.params), tt.reason)
			var pe *piaflow.Error
			if !errors.As(err, &pe) || !errors.Is(err, piaflow.ErrInvalid) || len(pe.Fields) != 1 || pe.Fields[0].Field != tt.field {
				t.Errorf("%+v: %v", tt, err)
			}
		}
		if ps, total, err := fx.svc.Propagations(ctx, admin, 10, 0); err != nil || total != 0 || len(ps) != 0 {
			t.Errorf("propagations after refusals: %v %d %v", ps, total, err)
		}
	})
}

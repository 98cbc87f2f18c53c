package service_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"github.com/piaflow/piaflow"
)

// TestWebhookEvents: the use cases queue their events for a webhook subscribed to every type —
// evaluated, submitted, rejected, action changed, re-evaluation finished — and only admins
// manage webhooks; a loopback URL needs allow_private.
func TestWebhookEvents(t *testing.T) {
	eachDatabase(t, func(t *testing.T, fx fixture) {
		ctx := context.Background()
		admin, eng, legal := fx.users[piaflow.RoleAdmin], fx.users[piaflow.RoleEngineer], fx.users[piaflow.RoleLegal]
		in := piaflow.NewWebhookInput{URL: "http://127.0.0.1:9/hook?token=s3cret", Events: piaflow.EventTypes()}
		for _, role := range []string{piaflow.RoleEngineer, piaflow.RoleLegal, piaflow.RoleSales} {
			if _, err := fx.svc.CreateWebhook(ctx, fx.users[role], in); !errors.Is(err, piaflow.ErrForbidden) {
				t.Errorf("CreateWebhook as %s: %v", role, err)
			}
		}
		if _, err := fx.svc.CreateWebhook(ctx, admin, in); !errors.Is(err, piaflow.ErrInvalid) {
			t.Errorf("a loopback URL without allow_private: %v", err)
		}
		in.AllowPrivate = true
		hook, err := fx.svc.CreateWebhook(ctx, admin, in)
		if err != nil || hook.Secret == "" {
			t.Fatalf("CreateWebhook: %+v, %v", hook, err)
		}
		d, a := fx.deployment(t, "Portal")
		if _, err := fx.svc.SubmitReview(ctx, eng, a.Record.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := fx.svc.DecideReview(ctx, legal, a.Record.ID, false, "Name the SCC module."); err != nil {
			t.Fatal(err)
		}
		acts, _ := fx.svc.Actions(ctx, legal, d.ID)
		assignee := eng.Name
		if _, err := fx.svc.UpdateAction(ctx, legal, acts[0].ID, piaflow.ActionUpdate{Assignee: &assignee}); err != nil {
			t.Fatal(err)
		}
		if _, err := fx.svc.Reevaluate(ctx, legal); err != nil {
			t.Fatal(err)
		}
		ds, err := fx.svc.Deliveries(ctx, admin, hook.ID, 100)
		if err != nil {
			t.Fatal(err)
		}
		var types []string
		for _, dl := range slices.Backward(ds) {
			types = append(types, dl.EventType)
			var ev piaflow.Event
			if err := json.Unmarshal([]byte(dl.Payload), &ev); err != nil || ev.Type != dl.EventType || ev.ID != dl.EventID || dl.Status != piaflow.DeliveryPending {
				t.Errorf("delivery %+v (%v)", dl, err)
			}
			switch ev.Type {
			case piaflow.EventAssessmentRejected:
				if ev.Data.ReviewComment != "Name the SCC module." || ev.Data.Reviewer != legal.Name || ev.Data.AssessmentID != a.Record.ID {
					t.Errorf("rejected: %+v", ev.Data)
				}
			case piaflow.EventActionChanged:
				if ev.Data.Action == nil || ev.Data.Action.Assignee != eng.Name || ev.Data.Actor != legal.Name {
					t.Errorf("action changed: %+v", ev.Data)
				}
			case piaflow.EventReevaluationFinished:
				if r := ev.Data.Reevaluation; r == nil || r.Checked != 1 || r.Changed != 0 {
					t.Errorf("re-evaluation: %+v", ev.Data)
				}
			}
		}
		want := []string{piaflow.EventAssessmentEvaluated, piaflow.EventAssessmentSubmitted, piaflow.EventAssessmentRejected,
			piaflow.EventActionChanged, piaflow.EventReevaluationFinished}
		if !slices.Equal(types, want) {
			t.Errorf("events %v, want %v", types, want)
		}
		if _, err := fx.svc.Deliveries(ctx, eng, hook.ID, 10); !errors.Is(err, piaflow.ErrForbidden) {
			t.Errorf("Deliveries as engineer: %v", err)
		}
		events, err := fx.svc.AuditAfter(ctx, legal, 0, piaflow.MaxAuditPage)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range events {
			if e.Action == "create_webhook" && e.Detail != "http://127.0.0.1:9" {
				t.Errorf("the audit log keeps %q of the webhook's URL, want its scheme and host only", e.Detail)
			}
		}
		if err := fx.svc.DeleteWebhook(ctx, admin, hook.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := fx.svc.Deliveries(ctx, admin, hook.ID, 10); !errors.Is(err, piaflow.ErrNotFound) {
			t.Errorf("deliveries of a removed webhook: %v", err)
		}
	})
}

package piaflow_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/piaflow/piaflow"
)

func TestValidateWebhook(t *testing.T) {
	tests := []struct {
		name  string
		in    piaflow.NewWebhookInput
		field string
	}{
		{"OK", piaflow.NewWebhookInput{URL: "https://hooks.example.com/piaflow", Events: []string{piaflow.EventAssessmentApproved}}, ""},
		{"ErrURLRequired", piaflow.NewWebhookInput{Events: []string{piaflow.EventActionChanged}}, "url"},
		{"ErrScheme", piaflow.NewWebhookInput{URL: "file:///etc/passwd", Events: []string{piaflow.EventActionChanged}}, "url"},
		{"ErrRelative", piaflow.NewWebhookInput{URL: "/hook", Events: []string{piaflow.EventActionChanged}}, "url"},
		{"ErrUserInfo", piaflow.NewWebhookInput{URL: "http://u:p@example.com/", Events: []string{piaflow.EventActionChanged}}, "url"},
		{"ErrURLTooLong", piaflow.NewWebhookInput{URL: "https://example.com/" + strings.Repeat("a", piaflow.MaxWebhookURLLength), Events: []string{piaflow.EventActionChanged}}, "url"},
		{"ErrNoEvents", piaflow.NewWebhookInput{URL: "https://example.com/"}, "events"},
		{"ErrUnknownEvent", piaflow.NewWebhookInput{URL: "https://example.com/", Events: []string{"deployment.deleted"}}, "events[0]"},
		{"ErrDuplicateEvent", piaflow.NewWebhookInput{URL: "https://example.com/", Events: []string{piaflow.EventActionChanged, piaflow.EventActionChanged}}, "events[1]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := piaflow.ValidateWebhook(tt.in)
			if tt.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var e *piaflow.Error
			if !errors.As(err, &e) || !errors.Is(err, piaflow.ErrInvalid) || len(e.Fields) == 0 || e.Fields[0].Field != tt.field {
				t.Errorf("ValidateWebhook = %#v, want a problem with %s", err, tt.field)
			}
		})
	}
}

func TestNewEventTooLarge(t *testing.T) {
	now := time.Date(2026, 12, 5, 8, 0, 0, 0, time.UTC)
	_, body, err := piaflow.NewEvent("evt_1", piaflow.EventAssessmentRejected, now, piaflow.EventData{ReviewComment: "no"})
	if err != nil || !strings.Contains(string(body), `"type":"assessment.rejected"`) || !strings.Contains(string(body), `"created_at":"2026-12-05T08:00:00Z"`) {
		t.Fatalf("%s, %v", body, err)
	}
	_, _, err = piaflow.NewEvent("evt_2", piaflow.EventAssessmentRejected, now, piaflow.EventData{ReviewComment: strings.Repeat("x", piaflow.MaxWebhookPayloadBytes)})
	if !errors.Is(err, piaflow.ErrInvalid) || piaflow.ReasonOf(err) != piaflow.ReasonTooLarge {
		t.Errorf("a payload over the limit: %v", err)
	}
}

func TestWebhookBackoff(t *testing.T) {
	prev, total := time.Duration(0), time.Duration(0)
	for attempt := 1; attempt < piaflow.MaxWebhookAttempts; attempt++ {
		d := piaflow.WebhookBackoff(attempt)
		if d < prev {
			t.Errorf("backoff after attempt %d (%s) shorter than before (%s)", attempt, d, prev)
		}
		prev, total = d, total+d
	}
	if piaflow.WebhookBackoff(100) != piaflow.WebhookBackoff(piaflow.MaxWebhookAttempts) || total < 6*time.Hour || total > 12*time.Hour {
		t.Errorf("schedule spans %s", total)
	}
}

package piaflow

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Event types a webhook subscribes to (docs/webhooks.md describes each payload).
const (
	// EventAssessmentEvaluated: an assessment was recorded (an evaluation, a re-evaluation).
	EventAssessmentEvaluated = "assessment.evaluated"
	// EventAssessmentSubmitted: an assessment was submitted for legal review.
	EventAssessmentSubmitted = "assessment.submitted"
	// EventAssessmentApproved: legal approved an assessment.
	EventAssessmentApproved = "assessment.approved"
	// EventAssessmentRejected: legal rejected an assessment.
	EventAssessmentRejected = "assessment.rejected"
	// EventVerdictChanged: a deployment's new assessment has another verdict than its previous
	// one.
	EventVerdictChanged = "assessment.verdict_changed"
	// EventActionChanged: an action's status, assignee or justification changed.
	EventActionChanged = "action.changed"
	// EventReevaluationFinished: a re-evaluation of every deployment finished.
	EventReevaluationFinished = "reevaluation.finished"
)

// EventTypes lists every event type, in a stable order.
func EventTypes() []string {
	return []string{EventAssessmentEvaluated, EventAssessmentSubmitted, EventAssessmentApproved, EventAssessmentRejected,
		EventVerdictChanged, EventActionChanged, EventReevaluationFinished}
}

// Delivery states.
const (
	DeliveryPending   = "pending"
	DeliveryDelivered = "delivered"
	DeliveryFailed    = "failed"
)

// Webhook is a URL an admin registered to receive events of some types, signed with its
// secret. The secret is shown once, when the webhook is created; it is stored as it is (the
// server needs it to sign).
type Webhook struct {
	ID  uint64 `gorm:"primaryKey" json:"id"`
	URL string `gorm:"size:2000;not null" json:"url"`
	// Events lists the event types delivered (EventTypes).
	Events []string `gorm:"type:text;serializer:json;not null" json:"events"`
	Secret string   `gorm:"size:100;not null" json:"-"`
	// AllowPrivate lets the URL point at loopback, link-local or this server's own address
	// (refused otherwise): an admin's explicit opt-in.
	AllowPrivate bool      `gorm:"not null;default:false" json:"allow_private"`
	Active       bool      `gorm:"not null;default:true;index" json:"active"`
	CreatedBy    string    `gorm:"size:100" json:"created_by"`
	CreatedAt    time.Time `json:"created_at"`
}

// Subscribes reports whether the webhook receives events of type t.
func (w Webhook) Subscribes(t string) bool { return w.Active && slices.Contains(w.Events, t) }

// WebhookDelivery is one event sent (or to send) to one webhook: a row of the durable queue.
type WebhookDelivery struct {
	ID        uint64 `gorm:"primaryKey" json:"id"`
	WebhookID uint64 `gorm:"not null;index" json:"webhook_id"`
	// EventID identifies the event (the Webhook-Id header): the same for every webhook and
	// every attempt, so that a receiver can drop a delivery it has had.
	EventID   string `gorm:"size:40;not null" json:"event_id"`
	EventType string `gorm:"size:40;not null" json:"event_type"`
	// Payload is the body POSTed: the Event as JSON.
	Payload string `gorm:"type:text;not null" json:"payload"`
	// Status is DeliveryPending, DeliveryDelivered or DeliveryFailed.
	Status   string `gorm:"size:20;not null;index:idx_delivery_due,priority:1" json:"status"`
	Attempts int    `gorm:"not null;default:0" json:"attempts"`
	// NextAttemptAt is when a pending delivery is due (or, while an attempt runs, when its
	// claim lapses).
	NextAttemptAt  time.Time  `gorm:"not null;index:idx_delivery_due,priority:2" json:"next_attempt_at"`
	LastStatusCode int        `json:"last_status_code,omitempty"`
	LastError      string     `gorm:"type:text" json:"last_error,omitempty"`
	CreatedAt      time.Time  `json:"created_at"`
	DeliveredAt    *time.Time `json:"delivered_at,omitempty"`
}

// Event is the body of a webhook delivery.
type Event struct {
	ID        string    `json:"id"`
	Type      string    `json:"type"`
	CreatedAt time.Time `json:"created_at"`
	Data      EventData `json:"data"`
}

// EventData is what an event is about; fields that do not apply are left out.
type EventData struct {
	DeploymentID   uint64 `json:"deployment_id,omitempty"`
	DeploymentName string `json:"deployment_name,omitempty"`
	AssessmentID   uint64 `json:"assessment_id,omitempty"`
	Revision       int    `json:"revision,omitempty"`
	Verdict        string `json:"verdict,omitempty"`
	// PreviousVerdict is the deployment's verdict before (EventVerdictChanged).
	PreviousVerdict string `json:"previous_verdict,omitempty"`
	ReviewState     string `json:"review_state,omitempty"`
	Reviewer        string `json:"reviewer,omitempty"`
	ReviewComment   string `json:"review_comment,omitempty"`
	PolicyVersion   string `json:"policy_version,omitempty"`
	// Action is the action changed (EventActionChanged).
	Action *EventAction `json:"action,omitempty"`
	// Actor is the user whose act caused the event.
	Actor string `json:"actor,omitempty"`
	// Reevaluation sums up a re-evaluation (EventReevaluationFinished).
	Reevaluation *EventReevaluation `json:"reevaluation,omitempty"`
}

// EventAction is an action as an event tells it.
type EventAction struct {
	ID         uint64 `json:"id"`
	FindingKey string `json:"finding_key"`
	Title      string `json:"title"`
	Status     string `json:"status"`
	Assignee   string `json:"assignee,omitempty"`
	Due        string `json:"due,omitempty"`
}

// EventReevaluation sums up a re-evaluation of every deployment.
type EventReevaluation struct {
	PolicyVersion string `json:"policy_version"`
	Checked       int    `json:"checked"`
	Changed       int    `json:"changed"`
	Failed        int    `json:"failed"`
	Skipped       int    `json:"skipped"`
}

// ActionEventOf is the event form of action a.
func ActionEventOf(a Action) *EventAction {
	return &EventAction{ID: a.ID, FindingKey: a.FindingKey, Title: a.Title, Status: a.Status, Assignee: a.Assignee, Due: a.Due}
}

// NewWebhookInput is what an admin sends to register a webhook.
type NewWebhookInput struct {
	URL          string
	Events       []string
	AllowPrivate bool
}

// ValidateWebhook checks a webhook's URL (an absolute http or https URL of at most
// MaxWebhookURLLength characters, without user information) and event types (one or more,
// each known, no duplicates). Whether its host may be reached is checked apart (package
// webhook's guard). Errors: ErrInvalid with the fields.
func ValidateWebhook(in NewWebhookInput) error {
	var ps []*FieldProblem
	ps = append(ps, urlProblem(in.URL))
	switch {
	case len(in.Events) == 0:
		ps = append(ps, &FieldProblem{Field: "events", Code: ProblemRequired, Message: "name at least one event type (" + strings.Join(EventTypes(), ", ") + ")",
			Text: "webhook.events", Args: map[string]string{"known": strings.Join(EventTypes(), ", ")}})
	default:
		seen := map[string]bool{}
		for i, e := range in.Events {
			if !slices.Contains(EventTypes(), e) || seen[e] {
				ps = append(ps, &FieldProblem{Field: fmt.Sprintf("events[%d]", i), Code: ProblemUnknown,
					Message: fmt.Sprintf("%q is not an event type or is named twice (known: %s)", e, strings.Join(EventTypes(), ", ")),
					Text:    "webhook.event", Args: map[string]string{"value": strconv.Quote(e), "known": strings.Join(EventTypes(), ", ")}})
			}
			seen[e] = true
		}
	}
	return Invalid(Problems(ps...)...)
}

func urlProblem(raw string) *FieldProblem {
	if p := CheckText("url", raw, MaxWebhookURLLength); p != nil {
		return p
	}
	if raw == "" {
		p := RequiredField("url")
		return &p
	}
	scheme, rest, ok := strings.Cut(raw, "://")
	scheme = strings.ToLower(scheme)
	if !ok || (scheme != "http" && scheme != "https") || rest == "" || strings.HasPrefix(rest, "/") {
		return &FieldProblem{Field: "url", Code: ProblemUnknown, Message: "must be an absolute http:// or https:// URL", Text: "url.absolute"}
	}
	host, _, _ := strings.Cut(rest, "/")
	if strings.Contains(host, "@") {
		return &FieldProblem{Field: "url", Code: ProblemUnknown, Message: "must not hold user information (user:password@)", Text: "url.userinfo"}
	}
	return nil
}

// NewEvent builds the event of type t about data at now, with id, and its JSON. A payload over
// MaxWebhookPayloadBytes is an ErrInvalid *Error (ReasonTooLarge).
func NewEvent(id, t string, now time.Time, data EventData) (Event, []byte, error) {
	ev := Event{ID: id, Type: t, CreatedAt: now.UTC(), Data: data}
	body, err := json.Marshal(ev)
	if err != nil {
		return ev, nil, fmt.Errorf("encode event %s: %w", t, err)
	}
	if len(body) > MaxWebhookPayloadBytes {
		return ev, nil, MsgError(ErrInvalid, ReasonTooLarge, "error.event_too_large", "event", t, "size", len(body), "max", MaxWebhookPayloadBytes)
	}
	return ev, body, nil
}

// WebhookBackoff is how long a delivery waits after its failed attempt number attempt (1 the
// first): 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, then 4 h — about 7 h 40 min from the first of
// MaxWebhookAttempts attempts to the last.
func WebhookBackoff(attempt int) time.Duration {
	schedule := [...]time.Duration{30 * time.Second, 2 * time.Minute, 10 * time.Minute, 30 * time.Minute,
		time.Hour, 2 * time.Hour, 4 * time.Hour}
	return schedule[min(max(attempt-1, 0), len(schedule)-1)]
}

package piaflow

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Action statuses.
const (
	ActionOpen         = "open"
	ActionInProgress   = "in_progress"
	ActionDone         = "done"
	ActionRiskAccepted = "risk_accepted"
)

// ActionStatuses lists the action statuses.
func ActionStatuses() []string {
	return []string{ActionOpen, ActionInProgress, ActionDone, ActionRiskAccepted}
}

// Action is the work item of one finding of a deployment, kept across assessments by the
// finding's key: a new finding opens one, a finding that disappears closes it (SyncActions).
type Action struct {
	ID           uint64 `gorm:"primaryKey" json:"id"`
	DeploymentID uint64 `gorm:"not null;uniqueIndex:idx_action_finding,priority:1" json:"deployment_id"`
	FindingKey   string `gorm:"size:300;not null;uniqueIndex:idx_action_finding,priority:2" json:"finding_key"`
	FindingID    string `gorm:"size:120;not null" json:"finding_id"`
	Regime       string `gorm:"size:40" json:"regime"`
	Severity     string `gorm:"size:20" json:"severity"`
	// Title is the action as the engine wrote it, in English.
	Title string `gorm:"type:text" json:"title"`
	// TitleMsg is Title as a structured message (docs/messages.md), which other languages
	// render; nil for actions stored before it was kept and for company rules, shown as Title.
	TitleMsg    *Message `gorm:"type:text;serializer:json" json:"title_msg,omitempty"`
	Citation    string   `gorm:"type:text" json:"citation"`
	CitationURL string   `gorm:"type:text" json:"citation_url"`
	// Owner is the team (engineering, legal, customer, vendor_management); Assignee a user name.
	Owner    string `gorm:"size:40" json:"owner"`
	Assignee string `gorm:"size:100" json:"assignee,omitempty"`
	// Due is YYYY-MM-DD or empty.
	Due string `gorm:"size:10" json:"due,omitempty"`
	// Status is one of ActionStatuses.
	Status        string    `gorm:"size:20;not null;index" json:"status"`
	Justification string    `gorm:"type:text" json:"justification,omitempty"`
	AssessmentID  uint64    `json:"assessment_id"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// ActionComment is a comment on an action.
type ActionComment struct {
	ID        uint64    `gorm:"primaryKey" json:"id"`
	ActionID  uint64    `gorm:"not null;index" json:"action_id"`
	Author    string    `gorm:"size:100" json:"author"`
	Body      string    `gorm:"type:text;not null" json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

// SystemAuthor is the author of the comments piaflow writes itself.
const SystemAuthor = "piaflow"

// ActionUpdate is a change to one action; nil fields stay as they are.
type ActionUpdate struct {
	Status        *string
	Assignee      *string
	Justification *string
}

func (u ActionUpdate) empty() bool {
	return u.Status == nil && u.Assignee == nil && u.Justification == nil
}

// Changes keeps of u only what differs from a (after trimming spaces), for a form that always
// sends every field.
func (u ActionUpdate) Changes(a Action) ActionUpdate {
	differs := func(p *string, was string) *string {
		if p == nil || strings.TrimSpace(*p) == was {
			return nil
		}
		return p
	}
	return ActionUpdate{Status: differs(u.Status, a.Status), Assignee: differs(u.Assignee, a.Assignee), Justification: differs(u.Justification, a.Justification)}
}

// Apply makes the change u to action a as user by: the status must be known, the texts within
// limits, the change allowed (CanEditAction), and a risk accepted only with a justification.
// It returns the audit event to record (its Action and Detail). Errors: ErrInvalid,
// ErrForbidden; a is unchanged then.
func (a *Action) Apply(by User, u ActionUpdate) (AuditEvent, error) {
	if u.Status != nil && !slices.Contains(ActionStatuses(), *u.Status) {
		return AuditEvent{}, Invalid(FieldProblem{Field: "status", Code: ProblemUnknown, Message: fmt.Sprintf("%q is not one of %s", *u.Status, strings.Join(ActionStatuses(), ", ")),
			Text: "not_in_vocabulary", Args: map[string]string{"value": strconv.Quote(*u.Status), "allowed": strings.Join(ActionStatuses(), ", ")}})
	}
	var texts []*FieldProblem
	if u.Assignee != nil {
		texts = append(texts, CheckText("assignee", *u.Assignee, MaxUserNameLength))
	}
	if u.Justification != nil {
		texts = append(texts, CheckText("justification", *u.Justification, MaxTextLength))
	}
	if err := Invalid(Problems(texts...)...); err != nil {
		return AuditEvent{}, err
	}
	if err := CanEditAction(by, *a, u); err != nil {
		return AuditEvent{}, err
	}
	next := *a
	var changes []string
	if u.Justification != nil {
		next.Justification = strings.TrimSpace(*u.Justification)
		changes = append(changes, "justification")
	}
	if u.Assignee != nil {
		next.Assignee = strings.TrimSpace(*u.Assignee)
		changes = append(changes, "assignee "+next.Assignee)
	}
	if u.Status != nil {
		if *u.Status == ActionRiskAccepted && next.Justification == "" {
			e := Errorf(ErrInvalid, ReasonJustification, "accepting a risk needs a justification")
			e.Fields = []FieldProblem{{Field: "justification", Code: ProblemRequired, Message: e.Message, Text: "justification"}}
			return AuditEvent{}, e
		}
		next.Status = *u.Status
		changes = append(changes, "status "+next.Status)
	}
	*a = next
	ev := AuditEvent{Action: "update_action", ObjectType: "deployment", ObjectID: a.DeploymentID,
		Detail: fmt.Sprintf("action %d (%s): %s", a.ID, a.FindingKey, strings.Join(changes, ", "))}
	if a.Status == ActionRiskAccepted && u.Status != nil {
		ev.Action = "accept_risk"
	}
	return ev, nil
}

// ActionSync is one change SyncActions asks for: the action to save (ID 0: a new one) and, when
// not empty, the comment piaflow adds to it.
type ActionSync struct {
	Action  Action
	Comment string
}

// SyncActions brings the actions of deployment deploymentID (existing) in line with those the findings of
// assessment assessmentID ask for (wanted, one per finding key): it opens actions for new
// findings, updates the others from their findings, reopens done ones whose finding came back,
// and closes those whose finding is gone (accepted risks stay accepted). It returns the
// actions to save in order: wanted ones first, in their order, then those it closes.
func SyncActions(deploymentID uint64, existing, wanted []Action, assessmentID uint64) []ActionSync {
	current := slices.Clone(existing)
	byKey := map[string]*Action{}
	for i := range current {
		byKey[current[i].FindingKey] = &current[i]
	}
	var out []ActionSync
	seen := map[string]bool{}
	for _, w := range wanted {
		seen[w.FindingKey] = true
		a, ok := byKey[w.FindingKey]
		if !ok {
			a = &Action{DeploymentID: deploymentID, FindingKey: w.FindingKey, Status: ActionOpen}
		}
		a.FindingID, a.Regime, a.Severity, a.Title, a.Citation, a.CitationURL = w.FindingID, w.Regime, w.Severity, w.Title, w.Citation, w.CitationURL
		a.TitleMsg = w.TitleMsg
		a.Owner, a.Due, a.AssessmentID = w.Owner, w.Due, assessmentID
		s := ActionSync{}
		if a.Status == ActionDone {
			a.Status = ActionOpen
			s.Comment = fmt.Sprintf("reopened: the finding is back in assessment %d", assessmentID)
		}
		s.Action = *a
		out = append(out, s)
	}
	for _, a := range current {
		if seen[a.FindingKey] || a.Status == ActionDone || a.Status == ActionRiskAccepted {
			continue
		}
		a.Status = ActionDone
		out = append(out, ActionSync{Action: a, Comment: fmt.Sprintf("closed: the finding is resolved in assessment %d", assessmentID)})
	}
	return out
}

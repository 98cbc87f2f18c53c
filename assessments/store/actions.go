package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/piaflow/piaflow/assessments"
)

// Action statuses.
const (
	ActionOpen         = "open"
	ActionInProgress   = "in_progress"
	ActionDone         = "done"
	ActionRiskAccepted = "risk_accepted"
)

// ActionStatuses lists the statuses.
func ActionStatuses() []string {
	return []string{ActionOpen, ActionInProgress, ActionDone, ActionRiskAccepted}
}

// Action is the work item of one finding of a deployment, kept across assessments by the
// finding's key: a new finding opens one, a finding that disappears closes it.
type Action struct {
	ID           uint64 `gorm:"primaryKey" json:"id"`
	DeploymentID uint64 `gorm:"not null;uniqueIndex:idx_action_finding,priority:1" json:"deployment_id"`
	FindingKey   string `gorm:"size:300;not null;uniqueIndex:idx_action_finding,priority:2" json:"finding_key"`
	FindingID    string `gorm:"size:120;not null" json:"finding_id"`
	Regime       string `gorm:"size:40" json:"regime"`
	Severity     string `gorm:"size:20" json:"severity"`
	Title        string `gorm:"type:text" json:"title"`
	Citation     string `gorm:"type:text" json:"citation"`
	CitationURL  string `gorm:"type:text" json:"citation_url"`
	// Owner is the team (engineering, legal, customer, vendor_management); Assignee a user name.
	Owner         string    `gorm:"size:40" json:"owner"`
	Assignee      string    `gorm:"size:100" json:"assignee,omitempty"`
	Due           string    `gorm:"size:10" json:"due,omitempty"`
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

// ActionSpec is what an assessment's finding asks to be done.
type ActionSpec struct {
	FindingKey, FindingID, Regime, Severity, Title, Citation, CitationURL, Owner, Due string
}

// syncActions opens actions for new findings, updates open ones, reopens done ones whose finding
// came back, and closes those whose finding is gone (inside the assessment's transaction).
func (s *Store) syncActions(tx *gorm.DB, actor *User, deploymentID, assessmentID uint64, specs []ActionSpec) error {
	var existing []Action
	if err := tx.Where("deployment_id = ?", deploymentID).Find(&existing).Error; err != nil {
		return err
	}
	byKey := map[string]*Action{}
	for i := range existing {
		byKey[existing[i].FindingKey] = &existing[i]
	}
	seen := map[string]bool{}
	for _, sp := range specs {
		seen[sp.FindingKey] = true
		a, ok := byKey[sp.FindingKey]
		if !ok {
			a = &Action{DeploymentID: deploymentID, FindingKey: sp.FindingKey, Status: ActionOpen}
		}
		a.FindingID, a.Regime, a.Severity, a.Title, a.Citation, a.CitationURL = sp.FindingID, sp.Regime, sp.Severity, sp.Title, sp.Citation, sp.CitationURL
		a.Owner, a.Due, a.AssessmentID = sp.Owner, sp.Due, assessmentID
		if a.Status == ActionDone {
			a.Status = ActionOpen
			if err := s.systemComment(tx, a, fmt.Sprintf("reopened: the finding is back in assessment %d", assessmentID)); err != nil {
				return err
			}
		}
		if err := tx.Save(a).Error; err != nil {
			return err
		}
	}
	for i := range existing {
		a := &existing[i]
		if seen[a.FindingKey] || a.Status == ActionDone || a.Status == ActionRiskAccepted {
			continue
		}
		a.Status = ActionDone
		if err := tx.Save(a).Error; err != nil {
			return err
		}
		if err := s.systemComment(tx, a, fmt.Sprintf("closed: the finding is resolved in assessment %d", assessmentID)); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) systemComment(tx *gorm.DB, a *Action, body string) error {
	if a.ID == 0 {
		if err := tx.Save(a).Error; err != nil {
			return err
		}
	}
	return tx.Create(&ActionComment{ActionID: a.ID, Author: "piaflow", Body: body, CreatedAt: s.now()}).Error
}

// Actions lists a deployment's actions, by id.
func (s *Store) Actions(ctx context.Context, deploymentID uint64) ([]Action, error) {
	var out []Action
	err := s.db.WithContext(ctx).Where("deployment_id = ?", deploymentID).Order("id").Find(&out).Error
	return out, translate(err, "list actions")
}

// ActionByID returns an action. Errors: ErrNotFound.
func (s *Store) ActionByID(ctx context.Context, id uint64) (Action, error) {
	var a Action
	err := s.db.WithContext(ctx).First(&a, id).Error
	return a, translate(err, fmt.Sprintf("action %d", id))
}

// ActionUpdate changes an action; nil fields stay as they are.
type ActionUpdate struct {
	Status        *string
	Assignee      *string
	Justification *string
}

// UpdateAction applies u. Accepting a risk (risk_accepted) needs a justification and the legal
// role; an engineer may change only actions assigned to them or to nobody. Errors: ErrNotFound,
// ErrForbidden, ErrConflict (a risk acceptance without justification, an unknown status).
func (s *Store) UpdateAction(ctx context.Context, actor User, id uint64, u ActionUpdate) (Action, error) {
	var a Action
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Select("id", "deployment_id").First(&a, id).Error; err != nil {
			return err
		}
		if _, err := lockDeployment(tx, a.DeploymentID); err != nil {
			return err
		}
		if err := tx.First(&a, id).Error; err != nil {
			return err
		}
		if actor.Role == RoleEngineer && a.Assignee != "" && a.Assignee != actor.Name {
			return fmt.Errorf("action %d is assigned to %s: %w", id, a.Assignee, ErrForbidden)
		}
		if actor.Role != RoleLegal && (a.Status == ActionRiskAccepted || u.Justification != nil) {
			return fmt.Errorf("only legal may change an accepted risk or a justification: %w", ErrForbidden)
		}
		var changes []string
		if u.Justification != nil {
			a.Justification = strings.TrimSpace(*u.Justification)
			changes = append(changes, "justification")
		}
		if u.Assignee != nil {
			a.Assignee = strings.TrimSpace(*u.Assignee)
			changes = append(changes, "assignee "+a.Assignee)
		}
		if u.Status != nil {
			if !slices.Contains(ActionStatuses(), *u.Status) {
				return fmt.Errorf("status %q is not one of %s: %w", *u.Status, strings.Join(ActionStatuses(), ", "), ErrInvalid)
			}
			if *u.Status == ActionRiskAccepted {
				if actor.Role != RoleLegal {
					return fmt.Errorf("only legal may accept a risk: %w", ErrForbidden)
				}
				if a.Justification == "" {
					return fmt.Errorf("accepting a risk needs a justification: %w", ErrInvalid)
				}
			}
			a.Status = *u.Status
			changes = append(changes, "status "+a.Status)
		}
		if err := tx.Save(&a).Error; err != nil {
			return err
		}
		action := "update_action"
		if a.Status == ActionRiskAccepted && u.Status != nil {
			action = "accept_risk"
		}
		return s.audit(tx, &actor, action, "deployment", a.DeploymentID, fmt.Sprintf("action %d (%s): %s", a.ID, a.FindingKey, strings.Join(changes, ", ")))
	})
	return a, translate(err, fmt.Sprintf("update action %d", id))
}

// AddComment adds a comment to an action. Errors: ErrNotFound.
func (s *Store) AddComment(ctx context.Context, actor User, actionID uint64, body string) (ActionComment, error) {
	c := ActionComment{ActionID: actionID, Author: actor.Name, Body: strings.TrimSpace(body), CreatedAt: s.now()}
	if c.Body == "" {
		return c, fmt.Errorf("a comment needs a body: %w", ErrInvalid)
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var a Action
		if err := tx.First(&a, actionID).Error; err != nil {
			return err
		}
		return tx.Create(&c).Error
	})
	return c, translate(err, fmt.Sprintf("comment on action %d", actionID))
}

// Comments lists an action's comments, oldest first.
func (s *Store) Comments(ctx context.Context, actionID uint64) ([]ActionComment, error) {
	var out []ActionComment
	err := s.db.WithContext(ctx).Where("action_id = ?", actionID).Order("id").Find(&out).Error
	return out, translate(err, "list comments")
}

// Record builds the stored form of assessment a of revision r; save it with
// SaveAssessment(ctx, actor, rec, ActionSpecs(a)...).
func Record(r Revision, a *assessments.Assessment) (Assessment, error) {
	result, err := json.Marshal(a)
	if err != nil {
		return Assessment{}, fmt.Errorf("encode assessment: %w", err)
	}
	return Assessment{RevisionID: r.ID, PolicyVersion: a.PolicyVersion, PolicyDigest: a.PolicyDigest,
		AsOf: a.AsOf, Verdict: a.Verdict, Result: string(result)}, nil
}

// ActionSpecs turns an assessment's findings into the actions they ask for.
func ActionSpecs(a *assessments.Assessment) []ActionSpec {
	out := make([]ActionSpec, 0, len(a.Findings))
	for _, f := range a.Findings {
		out = append(out, ActionSpec{FindingKey: f.Key, FindingID: f.ID, Regime: f.Regime, Severity: f.Severity,
			Title: f.Action.Title, Citation: f.Citation.Ref, CitationURL: f.Citation.URL, Owner: f.Action.Owner, Due: f.Action.Due})
	}
	return out
}

// LatestComments maps each of a deployment's actions to the body of its newest comment.
func (s *Store) LatestComments(ctx context.Context, deploymentID uint64) (map[uint64]string, error) {
	var acts []Action
	db := s.db.WithContext(ctx)
	if err := db.Select("id").Where("deployment_id = ?", deploymentID).Find(&acts).Error; err != nil {
		return nil, translate(err, "list actions")
	}
	out, err := latestComments(db, acts)
	return out, translate(err, "list comments")
}

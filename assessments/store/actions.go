package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/piaflow/piaflow"
)

// syncActions saves what piaflow.SyncActions asks for to bring a deployment's actions in line
// with an assessment's findings (inside the assessment's transaction).
func (s *Store) syncActions(tx *gorm.DB, deploymentID, assessmentID uint64, wanted []piaflow.Action) error {
	var existing []piaflow.Action
	if err := tx.Where("deployment_id = ?", deploymentID).Find(&existing).Error; err != nil {
		return err
	}
	byID := make(map[uint64]*piaflow.Action, len(existing))
	for i := range existing {
		byID[existing[i].ID] = &existing[i]
	}
	// An action the assessment changes only by its assessment id (the common case: the same
	// finding again) is not written on its own: they all take the new id in one statement.
	var same []uint64
	for _, sy := range piaflow.SyncActions(deploymentID, existing, wanted, assessmentID) {
		a := sy.Action
		if old, ok := byID[a.ID]; ok && a.ID != 0 && sy.Comment == "" && sameBesidesAssessment(*old, a) {
			same = append(same, a.ID)
			continue
		}
		if err := tx.Save(&a).Error; err != nil {
			return err
		}
		if sy.Comment != "" {
			c := piaflow.ActionComment{ActionID: a.ID, Author: piaflow.SystemAuthor, Body: sy.Comment, CreatedAt: s.now()}
			if err := tx.Create(&c).Error; err != nil {
				return err
			}
		}
	}
	for ids := range slices.Chunk(same, 500) {
		if err := tx.Model(&piaflow.Action{}).Where("id IN ?", ids).
			Updates(map[string]any{"assessment_id": assessmentID, "updated_at": s.now()}).Error; err != nil {
			return err
		}
	}
	return nil
}

// sameBesidesAssessment reports whether actions a and b differ at most in their assessment and
// their times.
func sameBesidesAssessment(a, b piaflow.Action) bool {
	a.AssessmentID, a.CreatedAt, a.UpdatedAt = 0, time.Time{}, time.Time{}
	b.AssessmentID, b.CreatedAt, b.UpdatedAt = 0, time.Time{}, time.Time{}
	ta, tb := a.TitleMsg, b.TitleMsg
	a.TitleMsg, b.TitleMsg = nil, nil
	return a == b && sameMessage(ta, tb)
}

// sameMessage reports whether two structured messages are the same (as JSON: a stored one was
// decoded from it).
func sameMessage(a, b *piaflow.Message) bool {
	if a == nil || b == nil {
		return a == b
	}
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && bytes.Equal(ja, jb)
}

// Actions lists a deployment's actions, by id.
func (s *Store) Actions(ctx context.Context, deploymentID uint64) ([]piaflow.Action, error) {
	var out []piaflow.Action
	err := s.db.WithContext(ctx).Where("deployment_id = ?", deploymentID).Order("id").Find(&out).Error
	return out, translate(err, "list actions")
}

// ActionByID returns an action. Errors: ErrNotFound.
func (s *Store) ActionByID(ctx context.Context, id uint64) (piaflow.Action, error) {
	var a piaflow.Action
	err := s.db.WithContext(ctx).First(&a, id).Error
	return a, translateObj(err, fmt.Sprintf("action %d", id), "action", "id", id)
}

// UpdateAction changes action id under its deployment's lock: change (piaflow.Action.Apply)
// edits the stored action and returns the audit event to record (its Action, ObjectType,
// ObjectID and Detail); when it fails nothing changes. Errors: ErrNotFound, ErrConflict (an
// archived deployment: piaflow.ReasonArchived), and change's.
func (s *Store) UpdateAction(ctx context.Context, actor *piaflow.User, id uint64, change func(a *piaflow.Action) (piaflow.AuditEvent, error)) (piaflow.Action, error) {
	var a piaflow.Action
	queued := 0
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Select("id", "deployment_id").First(&a, id).Error; err != nil {
			return err
		}
		d, err := lockActive(tx, a.DeploymentID)
		if err != nil {
			return err
		}
		if err := tx.First(&a, id).Error; err != nil {
			return err
		}
		ev, err := change(&a)
		if err != nil {
			return err
		}
		if err := tx.Save(&a).Error; err != nil {
			return err
		}
		if err := s.audit(tx, actor, ev.Action, ev.ObjectType, ev.ObjectID, ev.Detail); err != nil {
			return err
		}
		queued, err = s.enqueue(tx, actionEvent(d, a, actor))
		return err
	})
	if err == nil {
		s.notifyEnqueued(queued)
	}
	return a, translate(err, fmt.Sprintf("update action %d", id))
}

// actionEvent is the EventActionChanged of action a of deployment d.
func actionEvent(d piaflow.Deployment, a piaflow.Action, actor *piaflow.User) pendingEvent {
	return pendingEvent{piaflow.EventActionChanged, piaflow.EventData{DeploymentID: d.ID, DeploymentName: d.Name,
		AssessmentID: a.AssessmentID, Action: piaflow.ActionEventOf(a), Actor: actorName(actor)}}
}

// AddComment adds a comment by actor (its body checked before) to an action, under its
// deployment's lock, when may (piaflow.CanComment) allows it for the action as stored. Errors:
// ErrNotFound, ErrConflict (an archived deployment: piaflow.ReasonArchived), and may's.
func (s *Store) AddComment(ctx context.Context, actor piaflow.User, actionID uint64, body string, may func(a piaflow.Action) error) (piaflow.ActionComment, error) {
	c := piaflow.ActionComment{ActionID: actionID, Author: actor.Name, Body: body, CreatedAt: s.now()}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var a piaflow.Action
		if err := tx.Select("id", "deployment_id").First(&a, actionID).Error; err != nil {
			return err
		}
		_, err := lockActive(tx, a.DeploymentID)
		if err != nil {
			return err
		}
		if err := tx.First(&a, actionID).Error; err != nil {
			return err
		}
		if err := may(a); err != nil {
			return err
		}
		return tx.Create(&c).Error
	})
	return c, translate(err, fmt.Sprintf("comment on action %d", actionID))
}

// Comments lists an action's comments, oldest first.
func (s *Store) Comments(ctx context.Context, actionID uint64) ([]piaflow.ActionComment, error) {
	var out []piaflow.ActionComment
	err := s.db.WithContext(ctx).Where("action_id = ?", actionID).Order("id").Find(&out).Error
	return out, translate(err, "list comments")
}

// LatestComments maps each of a deployment's actions to the body of its newest comment.
func (s *Store) LatestComments(ctx context.Context, deploymentID uint64) (map[uint64]string, error) {
	var acts []piaflow.Action
	db := s.db.WithContext(ctx)
	if err := db.Select("id").Where("deployment_id = ?", deploymentID).Find(&acts).Error; err != nil {
		return nil, translate(err, "list actions")
	}
	out, err := latestComments(db, acts)
	return out, translate(err, "list comments")
}

// latestComments maps action id to the body of its newest comment.
func latestComments(tx *gorm.DB, actions []piaflow.Action) (map[uint64]string, error) {
	ids := make([]uint64, 0, len(actions))
	for _, a := range actions {
		ids = append(ids, a.ID)
	}
	out := map[uint64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var cs []piaflow.ActionComment
	for chunk := range slices.Chunk(ids, 500) {
		var part []piaflow.ActionComment
		if err := tx.Where("action_id IN ?", chunk).Order("id").Find(&part).Error; err != nil {
			return nil, err
		}
		cs = append(cs, part...)
	}
	for _, c := range cs {
		out[c.ActionID] = c.Body
	}
	return out, nil
}

// ImportActions applies an edited action list to a deployment's actions, all rows or none,
// under the deployment's lock: plan (piaflow.PlanImport) receives the deployment's actions and
// the body of each one's newest comment, and returns the changes or the error that refuses
// them. Comments are added as actor. Errors: ErrNotFound (deployment), ErrConflict (archived:
// piaflow.ReasonArchived), and plan's (a *piaflow.ImportError).
func (s *Store) ImportActions(ctx context.Context, actor piaflow.User, deploymentID uint64, plan func(actions []piaflow.Action, latest map[uint64]string) ([]piaflow.ActionChange, error)) (piaflow.ImportResult, error) {
	var res piaflow.ImportResult
	queued := 0
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		d, err := lockActive(tx, deploymentID)
		if err != nil {
			return err
		}
		var existing []piaflow.Action
		if err := tx.Where("deployment_id = ?", deploymentID).Find(&existing).Error; err != nil {
			return err
		}
		latest, err := latestComments(tx, existing)
		if err != nil {
			return err
		}
		changes, err := plan(existing, latest)
		if err != nil {
			return err
		}
		var events []pendingEvent
		for _, ch := range changes {
			if ch.Save {
				if err := tx.Save(&ch.Action).Error; err != nil {
					return err
				}
				res.Updated++
				events = append(events, actionEvent(d, ch.Action, &actor))
			}
			if ch.Comment != "" {
				c := piaflow.ActionComment{ActionID: ch.Action.ID, Author: actor.Name, Body: ch.Comment, CreatedAt: s.now()}
				if err := tx.Create(&c).Error; err != nil {
					return err
				}
				res.Commented++
			}
			if !ch.Save && ch.Comment == "" {
				res.Unchanged++
			}
		}
		if err := s.audit(tx, &actor, "import_actions", "deployment", deploymentID,
			fmt.Sprintf("%d rows: %d updated, %d commented, %d unchanged", len(changes), res.Updated, res.Commented, res.Unchanged)); err != nil {
			return err
		}
		queued, err = s.enqueue(tx, events...)
		return err
	})
	if err == nil {
		s.notifyEnqueued(queued)
	}
	if err != nil {
		return piaflow.ImportResult{}, translate(err, fmt.Sprintf("import actions of deployment %d", deploymentID))
	}
	return res, nil
}

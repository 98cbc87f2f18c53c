package store

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/piaflow/piaflow"
)

// outcomeBatch is how many outcome rows one INSERT creates.
const outcomeBatch = 500

// OutcomesChanged asks Outcomes for the outcomes that recorded a new assessment.
const OutcomesChanged = "changed"

// ActiveDeploymentIDs returns the ids of the active deployments, oldest first, at most limit.
func (s *Store) ActiveDeploymentIDs(ctx context.Context, limit int) ([]uint64, error) {
	var ids []uint64
	err := s.db.WithContext(ctx).Model(&piaflow.Deployment{}).Where("status = ?", piaflow.DeploymentActive).
		Order("id").Limit(limit).Pluck("id", &ids).Error
	return ids, translate(err, "list active deployments")
}

// CreatePropagation stores propagation p (queued, Total the number of deployments; done at
// once when there are none) with a pending outcome for each deployment, and audits it.
func (s *Store) CreatePropagation(ctx context.Context, actor *piaflow.User, p piaflow.Propagation, deploymentIDs []uint64) (piaflow.Propagation, error) {
	p.ID, p.Total, p.Done, p.Changed, p.Failed, p.Unchanged, p.FinishedAt = 0, len(deploymentIDs), 0, 0, 0, 0, nil
	p.State = piaflow.PropagationQueued
	if actor != nil {
		p.RequestedBy, p.Requester = actor.ID, actor.Name
	}
	if p.Total == 0 {
		now := s.now()
		p.State, p.FinishedAt = piaflow.PropagationDone, &now
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&p).Error; err != nil {
			return err
		}
		rows := make([]piaflow.PropagationOutcome, 0, min(len(deploymentIDs), outcomeBatch))
		for i, id := range deploymentIDs {
			rows = append(rows, piaflow.PropagationOutcome{PropagationID: p.ID, DeploymentID: id, State: piaflow.OutcomePending})
			if len(rows) == outcomeBatch || i == len(deploymentIDs)-1 {
				if err := tx.Create(&rows).Error; err != nil {
					return err
				}
				rows = rows[:0]
			}
		}
		return s.audit(tx, actor, "propagate", "propagation", p.ID, fmt.Sprintf("%s: %d deployments: %s", p.Kind, p.Total, p.Reason))
	})
	return p, translate(err, "create propagation")
}

// Propagation returns a propagation with its progress. Errors: ErrNotFound.
func (s *Store) Propagation(ctx context.Context, id uint64) (piaflow.Propagation, error) {
	var p piaflow.Propagation
	err := s.db.WithContext(ctx).First(&p, id).Error
	return p, translateObj(err, fmt.Sprintf("propagation %d", id), "propagation", "id", id)
}

// Propagations lists propagations of kind ("" for all), newest first, a page of at most
// piaflow.MaxPropagationPage, with their total count.
func (s *Store) Propagations(ctx context.Context, kind string, limit, offset int) ([]piaflow.Propagation, int64, error) {
	q := s.db.WithContext(ctx).Model(&piaflow.Propagation{})
	if kind != "" {
		q = q.Where("kind = ?", kind)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, translate(err, "list propagations")
	}
	var out []piaflow.Propagation
	err := q.Order("id DESC").Limit(pageSize(limit, piaflow.MaxPropagationPage)).Offset(max(offset, 0)).Find(&out).Error
	return out, total, translate(err, "list propagations")
}

// UnfinishedPropagations lists the propagations not done, oldest first (at most limit).
func (s *Store) UnfinishedPropagations(ctx context.Context, limit int) ([]piaflow.Propagation, error) {
	var out []piaflow.Propagation
	err := s.db.WithContext(ctx).Where("state <> ?", piaflow.PropagationDone).Order("id").Limit(limit).Find(&out).Error
	return out, translate(err, "list unfinished propagations")
}

// Outcomes lists a propagation's outcomes by deployment id, a page of at most
// piaflow.MaxOutcomePage, with their total count; state "" lists all of them, OutcomesChanged
// those that recorded a new assessment.
func (s *Store) Outcomes(ctx context.Context, propagationID uint64, state string, limit, offset int) ([]piaflow.PropagationOutcome, int64, error) {
	q := s.db.WithContext(ctx).Model(&piaflow.PropagationOutcome{}).Where("propagation_id = ?", propagationID)
	switch state {
	case "":
	case OutcomesChanged:
		q = q.Where("assessment_id > 0")
	default:
		q = q.Where("state = ?", state)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, translate(err, "list outcomes")
	}
	var out []piaflow.PropagationOutcome
	err := q.Order("deployment_id").Limit(pageSize(limit, piaflow.MaxOutcomePage)).Offset(max(offset, 0)).Find(&out).Error
	return out, total, translate(err, "list outcomes")
}

// PendingDeployments lists, by deployment id, the deployments of a propagation whose outcome
// is pending and whose id is above after (at most limit): a keyset page, which outcomes
// finishing meanwhile (another replica's jobs) cannot shift.
func (s *Store) PendingDeployments(ctx context.Context, propagationID, after uint64, limit int) ([]uint64, error) {
	var ids []uint64
	err := s.db.WithContext(ctx).Model(&piaflow.PropagationOutcome{}).
		Where("propagation_id = ? AND state = ? AND deployment_id > ?", propagationID, piaflow.OutcomePending, after).
		Order("deployment_id").Limit(pageSize(limit, piaflow.MaxOutcomePage)).Pluck("deployment_id", &ids).Error
	return ids, translate(err, "list pending deployments")
}

// Outcome returns the outcome of one deployment of a propagation. Errors: ErrNotFound.
func (s *Store) Outcome(ctx context.Context, propagationID, deploymentID uint64) (piaflow.PropagationOutcome, error) {
	var o piaflow.PropagationOutcome
	err := s.db.WithContext(ctx).Where("propagation_id = ? AND deployment_id = ?", propagationID, deploymentID).Take(&o).Error
	return o, translate(err, fmt.Sprintf("propagation %d: deployment %d", propagationID, deploymentID))
}

// Assessed is what FinishOutcome stores with an outcome that changed: the assessment and the
// actions its findings ask for (as for SaveAssessment).
type Assessed struct {
	Record piaflow.AssessmentRecord
	Wanted []piaflow.Action
}

// ErrOutcomeFinished is returned by FinishOutcome when the outcome was finished before (a job
// that ran twice): nothing was stored.
var ErrOutcomeFinished = errors.New("outcome finished already")

// FinishOutcome finishes the pending outcome of one deployment of a propagation in one
// transaction: it locks the outcome row, stores the assessment when one is given (as
// SaveAssessment does, audit and events included) and its id in the outcome, marks the
// outcome o.State (done or failed), counts it in the propagation and marks the propagation
// done with its last outcome; that last call also returns the propagation as finished (else
// nil). The pending outcome row is the idempotency key: an outcome
// finished before returns ErrOutcomeFinished and stores nothing. Errors: those of
// SaveAssessment, ErrNotFound (no such outcome).
func (s *Store) FinishOutcome(ctx context.Context, actor *piaflow.User, o piaflow.PropagationOutcome, a *Assessed) (piaflow.PropagationOutcome, *piaflow.Propagation, error) {
	queued := 0
	var finished *piaflow.Propagation
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var cur piaflow.PropagationOutcome
		if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("propagation_id = ? AND deployment_id = ?", o.PropagationID, o.DeploymentID).Take(&cur).Error; err != nil {
			return err
		}
		if cur.State != piaflow.OutcomePending {
			o = cur
			return ErrOutcomeFinished
		}
		changed := 0
		if a != nil {
			rec, n, err := s.saveAssessment(tx, actor, a.Record, a.Wanted)
			if err != nil {
				return err
			}
			queued, o.AssessmentID, changed = n, rec.ID, 1
		}
		now := s.now()
		o.ID, o.FinishedAt = cur.ID, &now
		if err := tx.Save(&o).Error; err != nil {
			return err
		}
		done, failed, unchanged := 1, 0, 0
		if o.State == piaflow.OutcomeFailed {
			done, failed = 0, 1
		} else if o.Unevaluated {
			unchanged = 1
		}
		err := tx.Model(&piaflow.Propagation{}).Where("id = ?", o.PropagationID).Updates(map[string]any{
			"done": gorm.Expr("done + ?", done), "failed": gorm.Expr("failed + ?", failed), "changed": gorm.Expr("changed + ?", changed),
			"unchanged": gorm.Expr("unchanged + ?", unchanged), "state": piaflow.PropagationRunning,
		}).Error
		if err != nil {
			return err
		}
		res := tx.Model(&piaflow.Propagation{}).Where("id = ? AND done + failed >= total", o.PropagationID).
			Updates(map[string]any{"state": piaflow.PropagationDone, "finished_at": now})
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		var p piaflow.Propagation
		if err := tx.First(&p, o.PropagationID).Error; err != nil {
			return err
		}
		finished = &p
		return nil
	})
	if err == nil {
		s.notifyEnqueued(queued)
	}
	if errors.Is(err, ErrOutcomeFinished) {
		return o, nil, err
	}
	return o, finished, translate(err, "finish outcome")
}

// PendingOutcomes returns the outcomes of propagation propagationID among deploymentIDs that are
// still pending, by deployment.
func (s *Store) PendingOutcomes(ctx context.Context, propagationID uint64, deploymentIDs []uint64) (map[uint64]piaflow.PropagationOutcome, error) {
	var os []piaflow.PropagationOutcome
	err := s.db.WithContext(ctx).Where("propagation_id = ? AND deployment_id IN ? AND state = ?", propagationID, deploymentIDs, piaflow.OutcomePending).
		Find(&os).Error
	if err != nil {
		return nil, translate(err, fmt.Sprintf("propagation %d: pending outcomes", propagationID))
	}
	out := make(map[uint64]piaflow.PropagationOutcome, len(os))
	for _, o := range os {
		out[o.DeploymentID] = o
	}
	return out, nil
}

// FinishUnevaluated finishes, in one transaction, pending outcomes of one propagation that
// needed no evaluation (done, Unevaluated, no assessment: their verdicts as given) — what
// FinishOutcome does for each, without an assessment, in one write. An outcome finished
// meanwhile (by another job) is left as it is and not counted. It returns how many it finished
// and, when they were the propagation's last, the propagation as finished (else nil).
func (s *Store) FinishUnevaluated(ctx context.Context, propagationID uint64, outcomes []piaflow.PropagationOutcome) (int, *piaflow.Propagation, error) {
	var finished *piaflow.Propagation
	n := 0
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		now := s.now()
		for _, o := range outcomes {
			if o.PropagationID != propagationID || o.State != piaflow.OutcomeDone || o.AssessmentID != 0 {
				return fmt.Errorf("outcome of deployment %d is not an unevaluated outcome of propagation %d", o.DeploymentID, propagationID)
			}
			res := tx.Model(&piaflow.PropagationOutcome{}).
				Where("propagation_id = ? AND deployment_id = ? AND state = ?", propagationID, o.DeploymentID, piaflow.OutcomePending).
				Updates(map[string]any{"state": piaflow.OutcomeDone, "verdict_before": o.VerdictBefore, "verdict_after": o.VerdictAfter, "finished_at": now})
			if res.Error != nil {
				return res.Error
			}
			n += int(res.RowsAffected)
		}
		if n == 0 {
			return nil
		}
		err := tx.Model(&piaflow.Propagation{}).Where("id = ?", propagationID).Updates(map[string]any{
			"done": gorm.Expr("done + ?", n), "unchanged": gorm.Expr("unchanged + ?", n), "state": piaflow.PropagationRunning,
		}).Error
		if err != nil {
			return err
		}
		res := tx.Model(&piaflow.Propagation{}).Where("id = ? AND done + failed >= total", propagationID).
			Updates(map[string]any{"state": piaflow.PropagationDone, "finished_at": now})
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		var p piaflow.Propagation
		if err := tx.First(&p, propagationID).Error; err != nil {
			return err
		}
		finished = &p
		return nil
	})
	return n, finished, translate(err, "finish unevaluated outcomes")
}

// pageSize is limit within 1..maxSize (0 or less: maxSize).
func pageSize(limit, maxSize int) int {
	if limit <= 0 || limit > maxSize {
		return maxSize
	}
	return limit
}

// PropagationWithReason reports whether a propagation of kind was started with exactly this
// reason (the expiry check names each crossing in its reason, so that it starts one only once).
func (s *Store) PropagationWithReason(ctx context.Context, kind, reason string) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&piaflow.Propagation{}).Where("kind = ? AND reason = ?", kind, reason).Count(&n).Error
	return n > 0, translate(err, "find propagations")
}

package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// audit appends an audit event inside the transaction tx (so the event and the change it records
// commit together). A nil actor is the system (offline admin commands, migrations).
func (s *Store) audit(tx *gorm.DB, actor *User, action, objectType string, objectID uint64, detail string) error {
	e := AuditEvent{At: s.now(), Action: action, ObjectType: objectType, ObjectID: objectID, Detail: detail, Actor: "system"}
	if actor != nil {
		e.ActorID, e.Actor = actor.ID, actor.Name
	}
	return tx.Create(&e).Error
}

// AuditLog lists the events of one object (objectType "" lists every event), oldest first, at
// most limit (1 to 1000).
func (s *Store) AuditLog(ctx context.Context, objectType string, objectID uint64, limit int) ([]AuditEvent, error) {
	limit = min(max(limit, 1), 1000)
	q := s.db.WithContext(ctx).Order("id").Limit(limit)
	if objectType != "" {
		q = q.Where("object_type = ? AND object_id = ?", objectType, objectID)
	}
	var out []AuditEvent
	return out, translate(q.Find(&out).Error, "audit log")
}

// AuditAfter pages through every audit event with an id above after, oldest first, at most
// limit (1 to 1000).
func (s *Store) AuditAfter(ctx context.Context, after uint64, limit int) ([]AuditEvent, error) {
	limit = min(max(limit, 1), 1000)
	var out []AuditEvent
	err := s.db.WithContext(ctx).Where("id > ?", after).Order("id").Limit(limit).Find(&out).Error
	return out, translate(err, "audit log")
}

// CreateDeployment adds a deployment. Name and Customer are required.
func (s *Store) CreateDeployment(ctx context.Context, actor *User, d Deployment) (Deployment, error) {
	d.Name, d.Customer = strings.TrimSpace(d.Name), strings.TrimSpace(d.Customer)
	if d.Name == "" || d.Customer == "" {
		return Deployment{}, fmt.Errorf("create deployment: name and customer are required")
	}
	d.ID, d.Status, d.LatestRevision, d.Verdict = 0, StatusActive, 0, ""
	if actor != nil {
		d.CreatedBy = actor.ID
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&d).Error; err != nil {
			return err
		}
		return s.audit(tx, actor, "create", "deployment", d.ID, d.Name)
	})
	return d, translate(err, "create deployment")
}

// Deployment returns a deployment. Errors: ErrNotFound.
func (s *Store) Deployment(ctx context.Context, id uint64) (Deployment, error) {
	var d Deployment
	err := s.db.WithContext(ctx).First(&d, id).Error
	return d, translate(err, fmt.Sprintf("deployment %d", id))
}

// Filter selects deployments; empty fields match everything.
type Filter struct {
	Customer string
	Country  string
	Verdict  string
	Status   string
	// Review is the review state of the latest assessment (none, submitted, approved, rejected).
	Review string
	// Limit is the page size (1 to 200, default 50); Offset skips that many.
	Limit, Offset int
}

// Deployments lists deployments matching f, newest first, with the total count.
func (s *Store) Deployments(ctx context.Context, f Filter) ([]Deployment, int64, error) {
	q := s.db.WithContext(ctx).Model(&Deployment{})
	if f.Customer != "" {
		esc := strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(strings.ToLower(f.Customer))
		q = q.Where(`LOWER(customer) LIKE ? ESCAPE '\'`, "%"+esc+"%")
	}
	if f.Country != "" {
		q = q.Where("customer_country = ?", f.Country)
	}
	if f.Verdict != "" {
		q = q.Where("verdict = ?", f.Verdict)
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.Review != "" {
		q = q.Where("review_state = ?", f.Review)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, translate(err, "list deployments")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 200)
	var out []Deployment
	err := q.Order("id DESC").Limit(limit).Offset(max(f.Offset, 0)).Find(&out).Error
	return out, total, translate(err, "list deployments")
}

// ArchiveDeployment marks a deployment archived. Errors: ErrNotFound.
func (s *Store) ArchiveDeployment(ctx context.Context, actor *User, id uint64) (Deployment, error) {
	var d Deployment
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if d, err = lockDeployment(tx, id); err != nil {
			return err
		}
		if d.Status == StatusArchived {
			return fmt.Errorf("deployment %d is archived already: %w", id, ErrConflict)
		}
		if err := tx.Model(&Deployment{}).Where("id = ?", id).Updates(map[string]any{"status": StatusArchived, "updated_at": s.now()}).Error; err != nil {
			return err
		}
		d.Status = StatusArchived
		return s.audit(tx, actor, "archive", "deployment", id, "")
	})
	return d, translate(err, fmt.Sprintf("archive deployment %d", id))
}

// etag identifies one revision's content.
func etag(deploymentID uint64, number int, doc string) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "%d\x00%d\x00%s", deploymentID, number, doc))
	return hex.EncodeToString(sum[:16])
}

// SaveRevision stores a new immutable revision of a deployment's questionnaire (doc, JSON).
// ifMatch must be the ETag of the latest revision (empty only for the first one), so that two
// people editing the same deployment cannot overwrite each other. Errors: ErrNotFound (no such
// deployment), ErrPrecondition (stale or missing ETag, or a concurrent save won), ErrConflict
// (archived deployment).
func (s *Store) SaveRevision(ctx context.Context, actor *User, deploymentID uint64, ifMatch string, doc []byte, draft bool) (Revision, error) {
	var r Revision
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		d, err := lockDeployment(tx, deploymentID)
		if err != nil {
			return err
		}
		if d.Status == StatusArchived {
			return fmt.Errorf("deployment %d is archived: %w", deploymentID, ErrConflict)
		}
		if d.LatestRevision > 0 {
			var latest Revision
			if err := tx.Where("deployment_id = ? AND number = ?", deploymentID, d.LatestRevision).First(&latest).Error; err != nil {
				return err
			}
			if ifMatch != latest.ETag {
				return fmt.Errorf("revision %d (ETag %s) is the latest, not %q: %w", latest.Number, latest.ETag, ifMatch, ErrPrecondition)
			}
		} else if ifMatch != "" {
			return fmt.Errorf("the deployment has no revision yet, so If-Match %q cannot match: %w", ifMatch, ErrPrecondition)
		}
		r = Revision{DeploymentID: deploymentID, Number: d.LatestRevision + 1, Document: string(doc), Draft: draft}
		r.ETag = etag(deploymentID, r.Number, r.Document)
		if actor != nil {
			r.CreatedBy = actor.ID
		}
		if err := tx.Create(&r).Error; err != nil {
			return err
		}
		// The conditional update makes a concurrent save that read the same latest revision fail.
		res := tx.Model(&Deployment{}).Where("id = ? AND latest_revision = ? AND status = ?", deploymentID, d.LatestRevision, StatusActive).
			Updates(map[string]any{"latest_revision": r.Number, "review_state": ReviewNone, "updated_at": s.now()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return fmt.Errorf("a concurrent save changed the deployment: %w", ErrPrecondition)
		}
		action := "revise"
		if draft {
			action = "save_draft"
		}
		return s.audit(tx, actor, action, "deployment", deploymentID, fmt.Sprintf("revision %d", r.Number))
	})
	if err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return Revision{}, fmt.Errorf("save revision: a concurrent save won: %w", ErrPrecondition)
		}
		return Revision{}, translate(err, "save revision")
	}
	return r, nil
}

// Revision returns revision number n of a deployment (n = 0: the latest). Errors: ErrNotFound.
func (s *Store) Revision(ctx context.Context, deploymentID uint64, n int) (Revision, error) {
	q := s.db.WithContext(ctx).Where("deployment_id = ?", deploymentID)
	if n > 0 {
		q = q.Where("number = ?", n)
	} else {
		q = q.Order("number DESC")
	}
	var r Revision
	err := q.First(&r).Error
	return r, translate(err, fmt.Sprintf("deployment %d revision %d", deploymentID, n))
}

// LatestComplete returns a deployment's latest revision that is not a draft. Errors: ErrNotFound.
func (s *Store) LatestComplete(ctx context.Context, deploymentID uint64) (Revision, error) {
	var r Revision
	err := s.db.WithContext(ctx).Where("deployment_id = ? AND draft = ?", deploymentID, false).Order("number DESC").First(&r).Error
	return r, translate(err, fmt.Sprintf("deployment %d has no complete revision", deploymentID))
}

// Revisions lists a deployment's revisions, oldest first.
func (s *Store) Revisions(ctx context.Context, deploymentID uint64) ([]Revision, error) {
	var out []Revision
	err := s.db.WithContext(ctx).Where("deployment_id = ?", deploymentID).Order("number").Find(&out).Error
	return out, translate(err, "list revisions")
}

// SaveAssessment stores the result of evaluating a revision, makes its verdict the deployment's
// and brings the deployment's actions in line with its findings (specs). Errors: ErrNotFound
// (no such revision).
func (s *Store) SaveAssessment(ctx context.Context, actor *User, a Assessment, specs ...ActionSpec) (Assessment, error) {
	a.ID, a.ReviewState, a.Reviewer, a.ReviewComment, a.ReviewedAt = 0, ReviewNone, "", "", nil
	if actor != nil {
		a.CreatedBy = actor.ID
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var r Revision
		if err := tx.First(&r, a.RevisionID).Error; err != nil {
			return err
		}
		d, err := lockDeployment(tx, r.DeploymentID)
		if err != nil {
			return err
		}
		if d.Status == StatusArchived {
			return fmt.Errorf("deployment %d is archived: %w", d.ID, ErrConflict)
		}
		a.DeploymentID = r.DeploymentID
		if err := tx.Create(&a).Error; err != nil {
			return err
		}
		// Only an assessment of the latest revision speaks for the deployment (its verdict,
		// review state and actions); one of an older revision is kept for reference.
		if r.Number == d.LatestRevision {
			if err := tx.Model(&Deployment{}).Where("id = ?", r.DeploymentID).
				Updates(map[string]any{"verdict": a.Verdict, "review_state": ReviewNone, "updated_at": s.now()}).Error; err != nil {
				return err
			}
			if err := s.syncActions(tx, actor, r.DeploymentID, a.ID, specs); err != nil {
				return err
			}
		}
		return s.audit(tx, actor, "evaluate", "deployment", r.DeploymentID, fmt.Sprintf("revision %d: %s (policies %s)", r.Number, a.Verdict, a.PolicyVersion))
	})
	return a, translate(err, "save assessment")
}

// Assessment returns a stored assessment. Errors: ErrNotFound.
func (s *Store) Assessment(ctx context.Context, id uint64) (Assessment, error) {
	var a Assessment
	err := s.db.WithContext(ctx).First(&a, id).Error
	return a, translate(err, fmt.Sprintf("assessment %d", id))
}

// LatestAssessment returns a deployment's most recent assessment. Errors: ErrNotFound.
func (s *Store) LatestAssessment(ctx context.Context, deploymentID uint64) (Assessment, error) {
	var a Assessment
	err := s.db.WithContext(ctx).Where("deployment_id = ?", deploymentID).Order("id DESC").First(&a).Error
	return a, translate(err, fmt.Sprintf("deployment %d has no assessment", deploymentID))
}

// SubmitReview asks legal to review an assessment: it must be the deployment's latest and not
// under review or approved. Errors: ErrNotFound, ErrConflict.
func (s *Store) SubmitReview(ctx context.Context, actor *User, assessmentID uint64) (Assessment, error) {
	return s.review(ctx, actor, assessmentID, func(a *Assessment) error {
		if a.ReviewState != ReviewNone && a.ReviewState != ReviewRejected {
			return fmt.Errorf("assessment %d is %s: %w", a.ID, a.ReviewState, ErrConflict)
		}
		a.ReviewState = ReviewSubmitted
		return nil
	}, "submit_review")
}

// DecideReview approves or rejects a submitted assessment with a comment (required to reject).
// An approved assessment is locked: it cannot be reviewed again. Errors: ErrNotFound, ErrConflict.
func (s *Store) DecideReview(ctx context.Context, actor *User, assessmentID uint64, approve bool, comment string) (Assessment, error) {
	action := "reject"
	if approve {
		action = "approve"
	}
	return s.review(ctx, actor, assessmentID, func(a *Assessment) error {
		if a.ReviewState != ReviewSubmitted {
			return fmt.Errorf("assessment %d is %s, not submitted for review: %w", a.ID, a.ReviewState, ErrConflict)
		}
		if !approve && strings.TrimSpace(comment) == "" {
			return fmt.Errorf("a rejection needs a comment: %w", ErrInvalid)
		}
		now := s.now()
		a.ReviewState, a.ReviewComment, a.ReviewedAt = ReviewRejected, comment, &now
		if approve {
			a.ReviewState = ReviewApproved
		}
		if actor != nil {
			a.Reviewer = actor.Name
		}
		return nil
	}, action)
}

func (s *Store) review(ctx context.Context, actor *User, id uint64, change func(*Assessment) error, action string) (Assessment, error) {
	var a Assessment
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Select("id", "deployment_id").First(&a, id).Error; err != nil {
			return err
		}
		d, err := lockDeployment(tx, a.DeploymentID)
		if err != nil {
			return err
		}
		if d.Status == StatusArchived {
			return fmt.Errorf("deployment %d is archived: %w", d.ID, ErrConflict)
		}
		// re-read under the lock
		if err := tx.First(&a, id).Error; err != nil {
			return err
		}
		var latest Assessment
		if err := tx.Where("deployment_id = ?", a.DeploymentID).Order("id DESC").First(&latest).Error; err != nil {
			return err
		}
		if latest.ID != a.ID {
			return fmt.Errorf("assessment %d is not the deployment's latest (%d): %w", a.ID, latest.ID, ErrConflict)
		}
		var r Revision
		if err := tx.First(&r, a.RevisionID).Error; err != nil {
			return err
		}
		if r.Number != d.LatestRevision {
			return fmt.Errorf("the questionnaire changed after assessment %d (revision %d is the latest): evaluate it first: %w", a.ID, d.LatestRevision, ErrConflict)
		}
		if err := change(&a); err != nil {
			return err
		}
		if err := tx.Save(&a).Error; err != nil {
			return err
		}
		if err := tx.Model(&Deployment{}).Where("id = ?", a.DeploymentID).Update("review_state", a.ReviewState).Error; err != nil {
			return err
		}
		return s.audit(tx, actor, action, "deployment", a.DeploymentID, fmt.Sprintf("assessment %d: %s", a.ID, a.ReviewComment))
	})
	return a, translate(err, fmt.Sprintf("review assessment %d", id))
}

// ReviewQueue lists the assessments submitted for review, oldest first.
func (s *Store) ReviewQueue(ctx context.Context) ([]Assessment, error) {
	var out []Assessment
	err := s.db.WithContext(ctx).Omit("result").Where("review_state = ?", ReviewSubmitted).Order("id").Find(&out).Error
	return out, translate(err, "review queue")
}

// RevisionByID returns a revision by its id. Errors: ErrNotFound.
func (s *Store) RevisionByID(ctx context.Context, id uint64) (Revision, error) {
	var r Revision
	err := s.db.WithContext(ctx).First(&r, id).Error
	return r, translate(err, fmt.Sprintf("revision %d", id))
}

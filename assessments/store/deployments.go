package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/piaflow/piaflow"
)

// audit appends an audit event inside the transaction tx (so the event and the change it records
// commit together). A nil actor is the system (offline admin commands, migrations).
func (s *Store) audit(tx *gorm.DB, actor *piaflow.User, action, objectType string, objectID uint64, detail string) error {
	e := piaflow.AuditEvent{At: s.now(), Action: action, ObjectType: objectType, ObjectID: objectID, Detail: detail, Actor: piaflow.System.Name}
	if actor != nil {
		e.ActorID, e.Actor = actor.ID, actor.Name
	}
	return tx.Create(&e).Error
}

// actorName is the name events give the acting user (nil: the system).
func actorName(actor *piaflow.User) string {
	if actor == nil {
		return piaflow.System.Name
	}
	return actor.Name
}

// AuditLog lists the events of one object (objectType "" lists every event), oldest first, at
// most limit (1 to piaflow.MaxAuditPage).
func (s *Store) AuditLog(ctx context.Context, objectType string, objectID uint64, limit int) ([]piaflow.AuditEvent, error) {
	limit = min(max(limit, 1), piaflow.MaxAuditPage)
	q := s.db.WithContext(ctx).Order("id").Limit(limit)
	if objectType != "" {
		q = q.Where("object_type = ? AND object_id = ?", objectType, objectID)
	}
	var out []piaflow.AuditEvent
	return out, translate(q.Find(&out).Error, "audit log")
}

// AuditAfter pages through every audit event with an id above after, oldest first, at most
// limit (1 to piaflow.MaxAuditPage).
func (s *Store) AuditAfter(ctx context.Context, after uint64, limit int) ([]piaflow.AuditEvent, error) {
	limit = min(max(limit, 1), piaflow.MaxAuditPage)
	var out []piaflow.AuditEvent
	err := s.db.WithContext(ctx).Where("id > ?", after).Order("id").Limit(limit).Find(&out).Error
	return out, translate(err, "audit log")
}

// CreateDeployment adds an active deployment (piaflow.ValidateDeployment checks the input
// first).
func (s *Store) CreateDeployment(ctx context.Context, actor *piaflow.User, d piaflow.Deployment) (piaflow.Deployment, error) {
	d.ID, d.Status, d.LatestRevision, d.Verdict = 0, piaflow.DeploymentActive, 0, ""
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
func (s *Store) Deployment(ctx context.Context, id uint64) (piaflow.Deployment, error) {
	var d piaflow.Deployment
	err := s.db.WithContext(ctx).First(&d, id).Error
	return d, translateObj(err, fmt.Sprintf("deployment %d", id), "deployment", "id", id)
}

// Deployments lists deployments matching f, newest first, with the total count.
func (s *Store) Deployments(ctx context.Context, f piaflow.DeploymentFilter) ([]piaflow.Deployment, int64, error) {
	q := s.db.WithContext(ctx).Model(&piaflow.Deployment{})
	if f.Customer != "" {
		esc := strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(strings.ToLower(f.Customer))
		q = s.customerCandidates(q.Where(`LOWER(customer) LIKE ? ESCAPE '\'`, "%"+esc+"%"), strings.ToLower(f.Customer))
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
	if f.AcceptedRisks != nil {
		if *f.AcceptedRisks {
			q = q.Where("accepted_risks > 0")
		} else {
			q = q.Where("accepted_risks = 0")
		}
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, translate(err, "list deployments")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = piaflow.DefaultPageSize
	}
	limit = min(limit, piaflow.MaxPageSize)
	var out []piaflow.Deployment
	err := q.Order("id DESC").Limit(limit).Offset(max(f.Offset, 0)).Find(&out).Error
	return out, total, translate(err, "list deployments")
}

// ArchiveDeployment marks a deployment archived. Errors: ErrNotFound, ErrConflict (archived
// already).
func (s *Store) ArchiveDeployment(ctx context.Context, actor *piaflow.User, id uint64) (piaflow.Deployment, error) {
	var d piaflow.Deployment
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if d, err = lockDeployment(tx, id); err != nil {
			return err
		}
		if d.Status == piaflow.DeploymentArchived {
			return piaflow.MsgError(piaflow.ErrConflict, piaflow.ReasonArchived, "error.deployment_archived_already", "id", id)
		}
		if err := tx.Model(&piaflow.Deployment{}).Where("id = ?", id).Updates(map[string]any{"status": piaflow.DeploymentArchived, "updated_at": s.now()}).Error; err != nil {
			return err
		}
		d.Status = piaflow.DeploymentArchived
		return s.audit(tx, actor, "archive", "deployment", id, "")
	})
	return d, translate(err, fmt.Sprintf("archive deployment %d", id))
}

// etag identifies one revision's content.
func etag(deploymentID uint64, number int, doc string) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "%d\x00%d\x00%s", deploymentID, number, doc))
	return hex.EncodeToString(sum[:16])
}

// SaveRevision stores a new immutable revision of a deployment's questionnaire (doc, JSON); a
// deployment composed from a product is detached from it (its questionnaire now stands alone).
// ifMatch must be the ETag of the latest revision (empty only for the first one), so that two
// people editing the same deployment cannot overwrite each other. Errors: ErrNotFound (no such
// deployment), ErrPrecondition (stale or missing ETag, or a concurrent save won), ErrConflict
// (archived deployment).
func (s *Store) SaveRevision(ctx context.Context, actor *piaflow.User, deploymentID uint64, ifMatch string, doc []byte, draft bool) (piaflow.Revision, error) {
	var r piaflow.Revision
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if r, err = s.saveRevision(tx, actor, deploymentID, ifMatch, doc, draft); err != nil {
			return err
		}
		return s.detach(tx, actor, deploymentID)
	})
	if err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return piaflow.Revision{}, piaflow.MsgKind(piaflow.ErrPrecondition, "error.concurrent.revision")
		}
		return piaflow.Revision{}, translate(err, "save revision")
	}
	return r, nil
}

// detach forgets how a deployment was composed from a product (its source and processor
// references), with an audit event, when it has a source: a questionnaire saved directly no
// longer says what the product and spec say, so a change of either must not overwrite it.
func (s *Store) detach(tx *gorm.DB, actor *piaflow.User, deploymentID uint64) error {
	var src piaflow.DeploymentSource
	res := tx.Where("deployment_id = ?", deploymentID).Limit(1).Find(&src)
	if res.Error != nil || res.RowsAffected == 0 {
		return res.Error
	}
	if err := tx.Delete(&piaflow.DeploymentSource{}, deploymentID).Error; err != nil {
		return err
	}
	if err := tx.Where("deployment_id = ?", deploymentID).Delete(&piaflow.ProcessorRef{}).Error; err != nil {
		return err
	}
	return s.audit(tx, actor, "detach", "deployment", deploymentID, fmt.Sprintf("no longer composed from %s %s: the questionnaire was saved directly", src.Product, src.ProductVersion))
}

// saveRevision is SaveRevision in transaction tx.
func (s *Store) saveRevision(tx *gorm.DB, actor *piaflow.User, deploymentID uint64, ifMatch string, doc []byte, draft bool) (piaflow.Revision, error) {
	var r piaflow.Revision
	d, err := lockActive(tx, deploymentID)
	if err != nil {
		return r, err
	}
	if d.LatestRevision > 0 {
		var latest piaflow.Revision
		if err := tx.Where("deployment_id = ? AND number = ?", deploymentID, d.LatestRevision).First(&latest).Error; err != nil {
			return r, err
		}
		if ifMatch != latest.ETag {
			return r, piaflow.MsgKind(piaflow.ErrPrecondition, "error.etag_stale", "revision", latest.Number, "etag", latest.ETag, "if_match", strconv.Quote(ifMatch))
		}
	} else if ifMatch != "" {
		return r, piaflow.MsgKind(piaflow.ErrPrecondition, "error.etag_no_revision", "if_match", strconv.Quote(ifMatch))
	}
	r = piaflow.Revision{DeploymentID: deploymentID, Number: d.LatestRevision + 1, Document: string(doc), Draft: draft}
	r.ETag = etag(deploymentID, r.Number, r.Document)
	if actor != nil {
		r.CreatedBy = actor.ID
	}
	if err := tx.Create(&r).Error; err != nil {
		return r, err
	}
	// The conditional update makes a concurrent save that read the same latest revision fail.
	res := tx.Model(&piaflow.Deployment{}).Where("id = ? AND latest_revision = ? AND status = ?", deploymentID, d.LatestRevision, piaflow.DeploymentActive).
		Updates(map[string]any{"latest_revision": r.Number, "review_state": piaflow.ReviewNone, "accepted_risks": 0, "updated_at": s.now()})
	if res.Error != nil {
		return r, res.Error
	}
	if res.RowsAffected != 1 {
		return r, piaflow.MsgKind(piaflow.ErrPrecondition, "error.concurrent.deployment")
	}
	action := "revise"
	if draft {
		action = "save_draft"
	}
	return r, s.audit(tx, actor, action, "deployment", deploymentID, fmt.Sprintf("revision %d", r.Number))
}

func (s *Store) Revision(ctx context.Context, deploymentID uint64, n int) (piaflow.Revision, error) {
	return s.revision(s.db.WithContext(ctx), deploymentID, n)
}

// RevisionHeader is Revision without the document (Document is empty). Errors: ErrNotFound.
func (s *Store) RevisionHeader(ctx context.Context, deploymentID uint64, n int) (piaflow.Revision, error) {
	return s.revision(s.db.WithContext(ctx).Omit("document"), deploymentID, n)
}

func (s *Store) revision(db *gorm.DB, deploymentID uint64, n int) (piaflow.Revision, error) {
	q := db.Where("deployment_id = ?", deploymentID)
	if n > 0 {
		q = q.Where("number = ?", n)
	} else {
		q = q.Order("number DESC")
	}
	var r piaflow.Revision
	err := q.First(&r).Error
	return r, translateObj(err, fmt.Sprintf("deployment %d revision %d", deploymentID, n), "deployment_revision", "id", deploymentID, "revision", n)
}

// LatestComplete returns a deployment's latest revision that is not a draft. Errors: ErrNotFound.
func (s *Store) LatestComplete(ctx context.Context, deploymentID uint64) (piaflow.Revision, error) {
	var r piaflow.Revision
	err := s.db.WithContext(ctx).Where("deployment_id = ? AND draft = ?", deploymentID, false).Order("number DESC").First(&r).Error
	return r, translateObj(err, fmt.Sprintf("deployment %d has no complete revision", deploymentID), "complete_revision", "id", deploymentID)
}

// Revisions lists a deployment's revisions, oldest first.
func (s *Store) Revisions(ctx context.Context, deploymentID uint64) ([]piaflow.Revision, error) {
	var out []piaflow.Revision
	err := s.db.WithContext(ctx).Where("deployment_id = ?", deploymentID).Order("number").Find(&out).Error
	return out, translate(err, "list revisions")
}

// RevisionByID returns a revision by its id. Errors: ErrNotFound.
func (s *Store) RevisionByID(ctx context.Context, id uint64) (piaflow.Revision, error) {
	var r piaflow.Revision
	err := s.db.WithContext(ctx).First(&r, id).Error
	return r, translateObj(err, fmt.Sprintf("revision %d", id), "revision", "id", id)
}

// SaveAssessment stores the record of evaluating a revision, makes its verdict the
// deployment's and brings the deployment's actions in line with the actions its findings ask
// for (wanted; piaflow.SyncActions). Errors: ErrNotFound (no such revision), ErrConflict
// (archived deployment).
func (s *Store) SaveAssessment(ctx context.Context, actor *piaflow.User, a piaflow.AssessmentRecord, wanted []piaflow.Action) (piaflow.AssessmentRecord, error) {
	queued := 0
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		a, queued, err = s.saveAssessment(tx, actor, a, wanted)
		return err
	})
	if err == nil {
		s.notifyEnqueued(queued)
	}
	return a, translate(err, "save assessment")
}

// saveAssessment is SaveAssessment inside transaction tx; it returns the record and the number
// of webhook deliveries queued.
func (s *Store) saveAssessment(tx *gorm.DB, actor *piaflow.User, a piaflow.AssessmentRecord, wanted []piaflow.Action) (piaflow.AssessmentRecord, int, error) {
	a.ID, a.ReviewState, a.Reviewer, a.ReviewComment, a.ReviewedAt = 0, piaflow.ReviewNone, "", "", nil
	a.AcceptedRisks, a.AcceptedRiskDetails = 0, nil
	if actor != nil {
		a.CreatedBy = actor.ID
	}
	var r piaflow.Revision
	// The revision's number and deployment, not its document.
	if err := tx.Select("id", "deployment_id", "number").First(&r, a.RevisionID).Error; err != nil {
		return a, 0, err
	}
	d, err := lockActive(tx, r.DeploymentID)
	if err != nil {
		return a, 0, err
	}
	a.DeploymentID = r.DeploymentID
	row, err := s.keepResult(tx, a)
	if err != nil {
		return a, 0, err
	}
	if err := tx.Create(&row).Error; err != nil {
		return a, 0, err
	}
	row.Result = a.Result // the caller gets the record with its result
	a = row
	// Only an assessment of the latest revision speaks for the deployment (its verdict,
	// review state and actions); one of an older revision is kept for reference.
	if r.Number == d.LatestRevision {
		if err := tx.Model(&piaflow.Deployment{}).Where("id = ?", r.DeploymentID).
			Updates(map[string]any{"verdict": a.Verdict, "review_state": piaflow.ReviewNone, "accepted_risks": 0, "updated_at": s.now()}).Error; err != nil {
			return a, 0, err
		}
		if err := s.syncActions(tx, r.DeploymentID, a.ID, wanted); err != nil {
			return a, 0, err
		}
	}
	if err := s.audit(tx, actor, "evaluate", "deployment", r.DeploymentID, fmt.Sprintf("revision %d: %s (policies %s)", r.Number, a.Verdict, a.PolicyVersion)); err != nil {
		return a, 0, err
	}
	data := piaflow.EventData{DeploymentID: d.ID, DeploymentName: d.Name, AssessmentID: a.ID, Revision: r.Number,
		Verdict: a.Verdict, PolicyVersion: a.PolicyVersion, Actor: actorName(actor)}
	events := []pendingEvent{{piaflow.EventAssessmentEvaluated, data}}
	if r.Number == d.LatestRevision && d.Verdict != "" && d.Verdict != a.Verdict {
		changed := data
		changed.PreviousVerdict = d.Verdict
		events = append(events, pendingEvent{piaflow.EventVerdictChanged, changed})
	}
	queued, err := s.enqueue(tx, events...)
	return a, queued, err
}

// Assessment returns a stored assessment record. Errors: ErrNotFound.
func (s *Store) Assessment(ctx context.Context, id uint64) (piaflow.AssessmentRecord, error) {
	var a piaflow.AssessmentRecord
	db := s.db.WithContext(ctx)
	err := withResult(db, &a, db.First(&a, id).Error)
	return a, translateObj(err, fmt.Sprintf("assessment %d", id), "assessment", "id", id)
}

// AssessmentOf returns the last assessment record stored of revision revisionID by the
// policies with digest policyDigest under the law of day asOf, with what identifies it
// (AssessmentHeaderOf) and its result: a revision never changes, so evaluating it again by the
// same policies on the same day gives that result again. Errors: ErrNotFound.
func (s *Store) AssessmentOf(ctx context.Context, revisionID uint64, policyDigest, asOf string) (piaflow.AssessmentRecord, error) {
	a, err := s.AssessmentHeaderOf(ctx, revisionID, policyDigest, asOf)
	if err != nil {
		return a, err
	}
	return a, translate(fillResult(s.db.WithContext(ctx), &a), fmt.Sprintf("result of assessment %d", a.ID))
}

// AssessmentHeaderOf is AssessmentOf reading only what identifies the record and its result
// (its id, deployment, revision, policies, day, verdict and digests; not its review), without
// the result: a record stored since migration 16 comes with ResultDigest and an empty Result
// (Result reads it), an older one with its result inline. Errors: ErrNotFound.
func (s *Store) AssessmentHeaderOf(ctx context.Context, revisionID uint64, policyDigest, asOf string) (piaflow.AssessmentRecord, error) {
	var a piaflow.AssessmentRecord
	err := s.db.WithContext(ctx).Select("id", "deployment_id", "revision_id", "policy_version", "policy_digest", "as_of", "verdict", "input_digest", "result_digest", "result").
		Where("revision_id = ? AND policy_digest = ? AND as_of = ?", revisionID, policyDigest, asOf).
		Order("id DESC").Take(&a).Error
	return a, translate(err, fmt.Sprintf("revision %d has no assessment by policies %s as of %s", revisionID, policyDigest, asOf))
}

// AssessmentByInput returns the latest assessment, of any revision, of a questionnaire whose
// canonical JSON has SHA-256 inputDigest, by the policies with digest policyDigest under the
// law of day asOf, its result included: the result depends on nothing else, so it is the
// result of any revision with that questionnaire. Errors: ErrNotFound.
func (s *Store) AssessmentByInput(ctx context.Context, inputDigest, policyDigest, asOf string) (piaflow.AssessmentRecord, error) {
	var a piaflow.AssessmentRecord
	if inputDigest == "" {
		return a, fmt.Errorf("assessment by questionnaire digest: no digest: %w", piaflow.ErrNotFound)
	}
	db := s.db.WithContext(ctx)
	err := withResult(db, &a, db.Where("input_digest = ? AND policy_digest = ? AND as_of = ?", inputDigest, policyDigest, asOf).
		Order("id DESC").Take(&a).Error)
	return a, translate(err, fmt.Sprintf("no assessment of questionnaire %.12s by policies %.19s as of %s", inputDigest, policyDigest, asOf))
}

// AssessmentHeader returns a stored assessment record without its result (Result is empty).
// Errors: ErrNotFound.
func (s *Store) AssessmentHeader(ctx context.Context, id uint64) (piaflow.AssessmentRecord, error) {
	var a piaflow.AssessmentRecord
	err := s.db.WithContext(ctx).Omit("result").First(&a, id).Error
	return a, translateObj(err, fmt.Sprintf("assessment %d", id), "assessment", "id", id)
}

// LatestAssessment returns a deployment's latest assessment record: of its highest-numbered
// revision assessed, the last made (evaluating an older revision later does not make that one
// the latest). Errors: ErrNotFound.
func (s *Store) LatestAssessment(ctx context.Context, deploymentID uint64) (piaflow.AssessmentRecord, error) {
	db := s.db.WithContext(ctx)
	a, err := latestAssessment(db, deploymentID)
	err = withResult(db, &a, err)
	return a, translateObj(err, fmt.Sprintf("deployment %d has no assessment", deploymentID), "assessment_of", "id", deploymentID)
}

// latestAssessment is LatestAssessment inside a transaction: by revision number, then id.
func latestAssessment(tx *gorm.DB, deploymentID uint64) (piaflow.AssessmentRecord, error) {
	var a piaflow.AssessmentRecord
	err := tx.Select("assessments.*").Joins("JOIN revisions ON revisions.id = assessments.revision_id").
		Where("assessments.deployment_id = ?", deploymentID).Order("revisions.number DESC").Order("assessments.id DESC").Take(&a).Error
	return a, err
}

// LastInReview returns a deployment's most recent assessment record before the one with id
// before (0: of all) whose review is in state (approved, rejected, ...). An approval locks a
// record and needs it to be the deployment's latest, so the last approved record is also the
// one approved last. Errors: ErrNotFound.
func (s *Store) LastInReview(ctx context.Context, deploymentID, before uint64, state string) (piaflow.AssessmentRecord, error) {
	q := s.db.WithContext(ctx).Where("deployment_id = ? AND review_state = ?", deploymentID, state)
	if before > 0 {
		q = q.Where("id < ?", before)
	}
	var a piaflow.AssessmentRecord
	err := withResult(s.db.WithContext(ctx), &a, q.Order("id DESC").First(&a).Error)
	return a, translateObj(err, fmt.Sprintf("deployment %d has no %s assessment", deploymentID, state), "assessment_in_state", "id", deploymentID, "review_state", state)
}

// Review changes the review of an assessment record under its deployment's lock: the record
// must be the deployment's latest (LatestAssessment), of its latest revision, and the deployment active; change
// (piaflow.AssessmentRecord.Submit or Decide) edits the record, given the deployment's actions
// as locked and the time, and action names the audit event. The deployment takes the record's
// review state and accepted risks. Errors: ErrNotFound, ErrConflict, and change's errors.
func (s *Store) Review(ctx context.Context, actor *piaflow.User, id uint64, action string, change func(a *piaflow.AssessmentRecord, actions []piaflow.Action, now time.Time) error) (piaflow.AssessmentRecord, error) {
	var a piaflow.AssessmentRecord
	queued := 0
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Select("id", "deployment_id").First(&a, id).Error; err != nil {
			return err
		}
		d, err := lockActive(tx, a.DeploymentID)
		if err != nil {
			return err
		}
		// re-read under the lock
		if err := withResult(tx, &a, tx.First(&a, id).Error); err != nil {
			return err
		}
		latest, err := latestAssessment(tx, a.DeploymentID)
		if err != nil {
			return err
		}
		if latest.ID != a.ID {
			return piaflow.MsgError(piaflow.ErrConflict, "", "error.assessment_not_latest", "id", a.ID, "latest", latest.ID)
		}
		var r piaflow.Revision
		if err := tx.First(&r, a.RevisionID).Error; err != nil {
			return err
		}
		if r.Number != d.LatestRevision {
			var latest piaflow.Revision
			if err := tx.Where("deployment_id = ? AND number = ?", a.DeploymentID, d.LatestRevision).First(&latest).Error; err != nil {
				return err
			}
			by, err := userName(tx, latest.CreatedBy)
			if err != nil {
				return err
			}
			return piaflow.MsgError(piaflow.ErrConflict, piaflow.ReasonQuestionnaireChanged, "error.questionnaire_changed",
				"id", a.ID, "user", by, "revision", latest.Number, "time", latest.CreatedAt.UTC().Format(time.RFC3339))
		}
		var acts []piaflow.Action
		if err := tx.Where("deployment_id = ?", a.DeploymentID).Order("id").Find(&acts).Error; err != nil {
			return err
		}
		if err := change(&a, acts, s.now()); err != nil {
			return err
		}
		// The result stays where it is kept (inline in a record saved before migration 16).
		if err := tx.Omit("result", "result_digest").Save(&a).Error; err != nil {
			return err
		}
		if err := tx.Model(&piaflow.Deployment{}).Where("id = ?", a.DeploymentID).
			Updates(map[string]any{"review_state": a.ReviewState, "accepted_risks": a.AcceptedRisks}).Error; err != nil {
			return err
		}
		detail := fmt.Sprintf("assessment %d: %s", a.ID, a.ReviewComment)
		if a.AcceptedRisks > 0 {
			keys := make([]string, 0, len(a.AcceptedRiskDetails))
			for _, r := range a.AcceptedRiskDetails {
				keys = append(keys, r.FindingKey)
			}
			detail += fmt.Sprintf(" (accepted risks: %s)", strings.Join(keys, ", "))
		}
		if err := s.audit(tx, actor, action, "deployment", a.DeploymentID, detail); err != nil {
			return err
		}
		var t string
		switch a.ReviewState {
		case piaflow.ReviewSubmitted:
			t = piaflow.EventAssessmentSubmitted
		case piaflow.ReviewApproved:
			t = piaflow.EventAssessmentApproved
		case piaflow.ReviewRejected:
			t = piaflow.EventAssessmentRejected
		default:
			return nil
		}
		queued, err = s.enqueue(tx, pendingEvent{t, piaflow.EventData{DeploymentID: d.ID, DeploymentName: d.Name, AssessmentID: a.ID,
			Revision: r.Number, Verdict: a.Verdict, ReviewState: a.ReviewState, Reviewer: a.Reviewer, ReviewComment: a.ReviewComment,
			PolicyVersion: a.PolicyVersion, Actor: actorName(actor)}})
		return err
	})
	if err == nil {
		s.notifyEnqueued(queued)
	}
	return a, translate(err, fmt.Sprintf("review assessment %d", id))
}

// ReviewQueue lists the assessment records submitted for review, oldest first, without their
// results.
func (s *Store) ReviewQueue(ctx context.Context) ([]piaflow.AssessmentRecord, error) {
	var out []piaflow.AssessmentRecord
	err := s.db.WithContext(ctx).Omit("result").Where("review_state = ?", piaflow.ReviewSubmitted).Order("id").Find(&out).Error
	return out, translate(err, "review queue")
}

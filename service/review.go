package service

import (
	"context"
	"time"

	"github.com/piaflow/piaflow"
)

// SubmitReview asks legal to review an assessment: it must be its deployment's latest, of the
// latest revision, and not under review or approved. Errors: ErrForbidden, ErrNotFound,
// ErrConflict.
func (s *Service) SubmitReview(ctx context.Context, u piaflow.User, id uint64) (piaflow.AssessmentRecord, error) {
	if err := piaflow.Authorize(u, piaflow.CapSubmitReview); err != nil {
		return piaflow.AssessmentRecord{}, err
	}
	a, err := s.st.Review(ctx, actor(u), id, "submit_review", func(a *piaflow.AssessmentRecord, _ []piaflow.Action, _ time.Time) error { return a.Submit() })
	if err == nil {
		s.reviewed(ctx, u, a, "submitted")
	}
	return a, err
}

// DecideReview approves or rejects a submitted assessment with a comment (required to reject).
// An approval needs legal to have accepted the risk of each of the assessment's blocker
// findings (their actions risk_accepted with a justification); it records them as the
// assessment's and the deployment's accepted risks, and the verdict stays as it is. An approved
// assessment is locked. Errors: ErrForbidden, ErrInvalid (the comment:
// piaflow.ReasonRejectComment when missing), ErrNotFound, ErrConflict
// (piaflow.ReasonOpenBlockers with the finding keys still open: piaflow.KeysOf).
func (s *Service) DecideReview(ctx context.Context, u piaflow.User, id uint64, approve bool, comment string) (piaflow.AssessmentRecord, error) {
	if err := piaflow.Authorize(u, piaflow.CapReview); err != nil {
		return piaflow.AssessmentRecord{}, err
	}
	if err := piaflow.ValidateDecision(approve, comment); err != nil {
		return piaflow.AssessmentRecord{}, err
	}
	action, kind := "reject", "rejected"
	if approve {
		action, kind = "approve", "approved"
	}
	a, err := s.st.Review(ctx, actor(u), id, action, func(a *piaflow.AssessmentRecord, acts []piaflow.Action, now time.Time) error {
		var blockers []string
		if approve {
			result, err := DecodeResult(*a)
			if err != nil {
				return err
			}
			blockers = result.Blockers()
		}
		return a.Decide(u, approve, comment, blockers, acts, now)
	})
	if err == nil {
		s.reviewed(ctx, u, a, kind)
	}
	return a, err
}

// ReviewQueue lists the assessments submitted for review, oldest first, without their
// results. Errors: ErrForbidden.
func (s *Service) ReviewQueue(ctx context.Context, u piaflow.User) ([]piaflow.AssessmentRecord, error) {
	if err := piaflow.Authorize(u, piaflow.CapReadReviewQueue); err != nil {
		return nil, err
	}
	return s.st.ReviewQueue(ctx)
}

package service

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
)

// Bounds of a deployment's timeline (Timeline; docs/limits.md).
const (
	// MaxTimelinePage bounds the entries of one page of a timeline.
	MaxTimelinePage = 100
	// MaxTimelineEntries bounds how far back a timeline pages: its newest MaxTimelineEntries
	// entries can be listed, the older ones are only counted (Timeline.Total).
	MaxTimelineEntries = 2000
	// MaxCompareChoices bounds the assessments offered for a comparison (Timeline.Assessments):
	// the newest ones.
	MaxCompareChoices = 200
)

// Kinds of timeline entries (TimelineEntry.Kind).
const (
	TimelineRevision   = "revision"
	TimelineAssessment = "assessment"
	TimelineReview     = "review"
)

// TimelineEntry is one event in a deployment's history: a revision of its questionnaire
// saved, an assessment made, or a review decided.
type TimelineEntry struct {
	// Kind is TimelineRevision, TimelineAssessment or TimelineReview.
	Kind string
	At   time.Time
	// By is who saved the revision, evaluated, or decided the review.
	By string
	// Revision is the revision's number (of a revision; the revision assessed otherwise).
	Revision int
	// Draft is set for a draft revision.
	Draft bool
	// AssessmentID is the assessment made or reviewed.
	AssessmentID uint64
	// Verdict and PolicyVersion are the assessment's.
	Verdict, PolicyVersion string
	// Review is the assessment's review as shown (piaflow.ReviewStatus): its current one for an
	// assessment, the decision for a review.
	Review string
	// Comment is a review decision's comment.
	Comment string
}

// AssessmentChoice is one of a deployment's assessments, offered for a comparison.
type AssessmentChoice struct {
	ID       uint64
	Revision int
	Verdict  string
	Review   string
	At       time.Time
}

// Timeline is one page of a deployment's history, newest first.
type Timeline struct {
	Entries []TimelineEntry
	// Total counts every entry of the history (revisions, assessments and decided reviews).
	Total int64
	// Assessments are the deployment's newest assessments (at most MaxCompareChoices), newest
	// first.
	Assessments []AssessmentChoice
}

// kindRank orders entries at the same instant: a revision, then its assessment, then a review.
func kindRank(kind string) int {
	switch kind {
	case TimelineRevision:
		return 0
	case TimelineAssessment:
		return 1
	}
	return 2
}

// Timeline returns a page of deployment's history, newest first: every revision of its
// questionnaire (number, author, time, draft or complete), every assessment (verdict, policy
// version, review state) and every review decision (who, when, comment; the last decision of
// each assessment, as its record keeps it). offset skips that many entries and limit (1 to
// MaxTimelinePage) bounds the page; entries past MaxTimelineEntries are counted, not listed.
// Errors: ErrForbidden, ErrNotFound.
func (s *Service) Timeline(ctx context.Context, u piaflow.User, deploymentID uint64, offset, limit int) (Timeline, error) {
	if err := piaflow.Authorize(u, piaflow.CapReadAssessments); err != nil {
		return Timeline{}, err
	}
	if _, err := s.st.Deployment(ctx, deploymentID); err != nil {
		return Timeline{}, err
	}
	limit = min(max(limit, 1), MaxTimelinePage)
	offset = min(max(offset, 0), MaxTimelineEntries)
	want := min(offset+limit, MaxTimelineEntries)
	revs, nRevs, err := s.st.RevisionHeaders(ctx, deploymentID, want)
	if err != nil {
		return Timeline{}, err
	}
	recs, nRecs, err := s.st.AssessmentHeaders(ctx, deploymentID, max(want, MaxCompareChoices))
	if err != nil {
		return Timeline{}, err
	}
	reviewed, nReviewed, err := s.st.ReviewedHeaders(ctx, deploymentID, want)
	if err != nil {
		return Timeline{}, err
	}
	ids := make([]uint64, 0, len(recs)+len(reviewed))
	users := make([]uint64, 0, len(revs)+len(recs))
	for _, r := range revs {
		users = append(users, r.CreatedBy)
	}
	for _, a := range append(slices.Clip(recs), reviewed...) {
		ids, users = append(ids, a.RevisionID), append(users, a.CreatedBy)
	}
	numbers, err := s.st.RevisionNumbers(ctx, ids)
	if err != nil {
		return Timeline{}, err
	}
	names, err := s.st.UserNames(ctx, users)
	if err != nil {
		return Timeline{}, err
	}
	out := Timeline{Total: nRevs + nRecs + nReviewed, Entries: make([]TimelineEntry, 0, len(revs)+len(recs)+len(reviewed))}
	for _, r := range revs {
		out.Entries = append(out.Entries, TimelineEntry{Kind: TimelineRevision, At: r.CreatedAt, By: names[r.CreatedBy], Revision: r.Number, Draft: r.Draft})
	}
	for i, a := range recs {
		review := piaflow.ReviewStatus(a.ReviewState, a.AcceptedRisks)
		if i < MaxCompareChoices {
			out.Assessments = append(out.Assessments, AssessmentChoice{ID: a.ID, Revision: numbers[a.RevisionID], Verdict: a.Verdict, Review: review, At: a.CreatedAt})
		}
		if i < want {
			out.Entries = append(out.Entries, TimelineEntry{Kind: TimelineAssessment, At: a.CreatedAt, By: names[a.CreatedBy], Revision: numbers[a.RevisionID],
				AssessmentID: a.ID, Verdict: a.Verdict, PolicyVersion: a.PolicyVersion, Review: review})
		}
	}
	for _, a := range reviewed {
		out.Entries = append(out.Entries, TimelineEntry{Kind: TimelineReview, At: *a.ReviewedAt, By: a.Reviewer, Revision: numbers[a.RevisionID],
			AssessmentID: a.ID, Verdict: a.Verdict, Review: piaflow.ReviewStatus(a.ReviewState, a.AcceptedRisks), Comment: a.ReviewComment})
	}
	slices.SortStableFunc(out.Entries, func(x, y TimelineEntry) int {
		return cmp.Or(y.At.Compare(x.At), cmp.Compare(kindRank(y.Kind), kindRank(x.Kind)),
			cmp.Compare(y.AssessmentID, x.AssessmentID), cmp.Compare(y.Revision, x.Revision))
	})
	if offset >= len(out.Entries) {
		out.Entries = out.Entries[:0]
	} else {
		out.Entries = out.Entries[offset:min(len(out.Entries), offset+limit)]
	}
	return out, nil
}

// LastReviewed returns the deployment's last assessment before the one with id before (0: of
// all) whose review was decided, approved or rejected, with its result: what a reviewer
// compares with. Errors: ErrForbidden, ErrNotFound (none was decided).
func (s *Service) LastReviewed(ctx context.Context, u piaflow.User, deploymentID, before uint64) (Assessment, error) {
	if err := piaflow.Authorize(u, piaflow.CapReadAssessments); err != nil {
		return Assessment{}, err
	}
	var last piaflow.AssessmentRecord
	for _, state := range []string{piaflow.ReviewApproved, piaflow.ReviewRejected} {
		rec, err := s.st.LastInReview(ctx, deploymentID, before, state)
		switch {
		case errors.Is(err, piaflow.ErrNotFound):
			continue
		case err != nil:
			return Assessment{}, err
		}
		if rec.ID > last.ID {
			last = rec
		}
	}
	if last.ID == 0 {
		return Assessment{}, piaflow.MsgError(piaflow.ErrNotFound, "", "error.no_reviewed_assessment", "id", deploymentID)
	}
	a, err := DecodeResult(last)
	return Assessment{Record: last, Result: a}, err
}

// Difference is what changed from one assessment (Before) to another (After), the answers of
// their questionnaires included.
type Difference struct {
	Before, After Assessment
	assessments.Diff
}

// Difference compares assessment before with assessment after of the same deployment: the
// verdicts, the findings and transfers (assessments.Compare) and the answers of the two
// revisions assessed (assessments.CompareAnswers, at most assessments.MaxAnswerChanges
// listed). Both carry their revision numbers. Errors: ErrForbidden, ErrNotFound, ErrInvalid
// (field "against": another deployment's).
func (s *Service) Difference(ctx context.Context, u piaflow.User, after, before Assessment) (Difference, error) {
	if err := piaflow.Authorize(u, piaflow.CapReadAssessments); err != nil {
		return Difference{}, err
	}
	if after.Record.DeploymentID != before.Record.DeploymentID {
		return Difference{}, piaflow.Invalid(assessments.FieldProblem("against", piaflow.ProblemUnknown, "diff.other_deployment",
			"id", strconv.FormatUint(uint64(before.Record.ID), 10)))
	}
	d := Difference{Before: before, After: after, Diff: assessments.Compare(before.Result, after.Result)}
	rb, err := s.st.RevisionByID(ctx, before.Record.RevisionID)
	if err != nil {
		return Difference{}, err
	}
	ra := rb
	if after.Record.RevisionID != before.Record.RevisionID {
		if ra, err = s.st.RevisionByID(ctx, after.Record.RevisionID); err != nil {
			return Difference{}, err
		}
	}
	d.Before.Revision, d.After.Revision = rb.Number, ra.Number
	if d.AnswerDiff, err = assessments.CompareAnswerDocuments(rb.Document, ra.Document, 0); err != nil {
		return Difference{}, err
	}
	return d, nil
}

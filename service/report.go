package service

import (
	"context"
	"fmt"
	"time"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/reports"
)

// ReportDocument gathers what the reports of stored assessment id show from its records: the
// deployment, the revision assessed, the result and its review, and — withActions — the
// deployment's actions with their newest comments. Errors: ErrForbidden, ErrNotFound.
func (s *Service) ReportDocument(ctx context.Context, u piaflow.User, id uint64, withActions bool) (*reports.Document, error) {
	a, err := s.Assessment(ctx, u, id)
	if err != nil {
		return nil, err
	}
	rec := a.Record
	rev, err := s.st.RevisionByID(ctx, rec.RevisionID)
	if err != nil {
		return nil, err
	}
	// shown as it was assessed: today's validator is not run over an old revision
	q, err := assessments.DecodeStored([]byte(rev.Document))
	if err != nil {
		return nil, fmt.Errorf("revision %d of assessment %d: %w", rev.Number, id, err)
	}
	dep, err := s.st.Deployment(ctx, rec.DeploymentID)
	if err != nil {
		return nil, err
	}
	rec.Result = "" // the document carries the decoded result
	d := &reports.Document{Deployment: dep, Record: rec, Revision: rev.Number, Questionnaire: q, Assessment: a.Result}
	if withActions {
		if d.Actions, err = s.st.Actions(ctx, dep.ID); err != nil {
			return nil, err
		}
		if d.Comments, err = s.st.LatestComments(ctx, dep.ID); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// OfflineDocument is the report document of an assessment made offline (piaflow assess): no
// stored records, the actions its findings ask for, dated by the assessment's date of law so
// that re-running gives the same files.
func OfflineDocument(q *assessments.Questionnaire, a *assessments.Assessment) (*reports.Document, error) {
	at, err := time.Parse(time.DateOnly, a.AsOf)
	if err != nil {
		return nil, fmt.Errorf("assessment date %q: %w", a.AsOf, err)
	}
	return &reports.Document{
		Deployment:    piaflow.Deployment{Name: q.Deployment.Name, Customer: q.Deployment.Customer, CustomerCountry: q.Deployment.CustomerCountry},
		Record:        piaflow.AssessmentRecord{CreatedAt: at, ReviewState: piaflow.ReviewNone},
		Questionnaire: q, Assessment: a, Actions: a.Actions(),
	}, nil
}

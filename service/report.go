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
	q, err := assessments.Parse([]byte(rev.Document))
	if err != nil {
		return nil, fmt.Errorf("parse revision %d of assessment %d: %w", rev.Number, id, err)
	}
	dep, err := s.st.Deployment(ctx, rec.DeploymentID)
	if err != nil {
		return nil, err
	}
	d := &reports.Document{
		Deployment:   reports.Deployment{ID: dep.ID, Name: dep.Name, Customer: dep.Customer, CustomerCountry: dep.CustomerCountry},
		AssessmentID: rec.ID, Revision: rev.Number, AssessedAt: rec.CreatedAt,
		Review:        reports.Review{State: rec.ReviewState, Reviewer: rec.Reviewer, Comment: rec.ReviewComment, At: rec.ReviewedAt},
		Questionnaire: q, Assessment: a.Result,
	}
	if withActions {
		acts, err := s.st.Actions(ctx, dep.ID)
		if err != nil {
			return nil, err
		}
		comments, err := s.st.LatestComments(ctx, dep.ID)
		if err != nil {
			return nil, err
		}
		d.Actions = make([]reports.Action, 0, len(acts))
		for _, x := range acts {
			d.Actions = append(d.Actions, reports.Action{ID: x.ID, FindingKey: x.FindingKey, FindingID: x.FindingID, Regime: x.Regime,
				Severity: x.Severity, Title: x.Title, Citation: x.Citation, CitationURL: x.CitationURL, Owner: x.Owner, Assignee: x.Assignee,
				Due: x.Due, Status: x.Status, Justification: x.Justification, Comment: comments[x.ID]})
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
		Deployment:    reports.Deployment{Name: q.Deployment.Name, Customer: q.Deployment.Customer, CustomerCountry: q.Deployment.CustomerCountry},
		AssessedAt:    at,
		Review:        reports.Review{State: piaflow.ReviewNone},
		Questionnaire: q, Assessment: a,
	}, nil
}

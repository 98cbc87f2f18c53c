package service

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/policies"
)

// knownCountry reports whether piaflow knows an ISO 3166-1 alpha-2 code.
func knownCountry(code string) bool {
	_, ok := policies.CountryName(code)
	return ok
}

// CreateDeployment adds a deployment: name and customer (trimmed) are required, the customer
// country, when given, must be a code piaflow knows (piaflow.ValidateDeployment). Errors:
// ErrForbidden, ErrInvalid listing the fields at fault.
func (s *Service) CreateDeployment(ctx context.Context, u piaflow.User, d piaflow.Deployment) (piaflow.Deployment, error) {
	if err := piaflow.Authorize(u, piaflow.CapCreateDeployment); err != nil {
		return piaflow.Deployment{}, err
	}
	d.Name, d.Customer = strings.TrimSpace(d.Name), strings.TrimSpace(d.Customer)
	if err := piaflow.ValidateDeployment(d, knownCountry); err != nil {
		return piaflow.Deployment{}, err
	}
	return s.st.CreateDeployment(ctx, actor(u), d)
}

// Deployments lists the deployments matching f, newest first, with their total count. Errors:
// ErrForbidden, ErrInvalid (a customer search term the database cannot take).
func (s *Service) Deployments(ctx context.Context, u piaflow.User, f piaflow.DeploymentFilter) ([]piaflow.Deployment, int64, error) {
	if err := piaflow.Authorize(u, piaflow.CapReadDeployments); err != nil {
		return nil, 0, err
	}
	if err := piaflow.Invalid(piaflow.Problems(piaflow.CheckText("customer", f.Customer, piaflow.MaxNameLength))...); err != nil {
		return nil, 0, err
	}
	return s.st.Deployments(ctx, f)
}

// Deployment returns a deployment. Errors: ErrForbidden, ErrNotFound.
func (s *Service) Deployment(ctx context.Context, u piaflow.User, id uint64) (piaflow.Deployment, error) {
	if err := piaflow.Authorize(u, piaflow.CapReadDeployments); err != nil {
		return piaflow.Deployment{}, err
	}
	return s.st.Deployment(ctx, id)
}

// ArchiveDeployment archives a deployment: its questionnaire and assessments no longer change.
// Errors: ErrForbidden, ErrNotFound, ErrConflict (archived already).
func (s *Service) ArchiveDeployment(ctx context.Context, u piaflow.User, id uint64) (piaflow.Deployment, error) {
	if err := piaflow.Authorize(u, piaflow.CapArchiveDeployment); err != nil {
		return piaflow.Deployment{}, err
	}
	return s.st.ArchiveDeployment(ctx, actor(u), id)
}

// SaveDraft keeps a questionnaire document that may be incomplete as a new draft revision, or
// returns the latest revision when the document gives the same answers (saveRevision). ifMatch
// must be the latest revision's ETag (empty for the first revision, "*" for whatever is the
// latest). Errors: ErrForbidden, ErrNotFound, ErrPrecondition (stale ETag), ErrConflict
// (archived).
func (s *Service) SaveDraft(ctx context.Context, u piaflow.User, deploymentID uint64, ifMatch string, doc map[string]any) (piaflow.Revision, error) {
	if err := piaflow.Authorize(u, piaflow.CapWriteQuestionnaire); err != nil {
		return piaflow.Revision{}, err
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return piaflow.Revision{}, fmt.Errorf("encode questionnaire: %w", err)
	}
	// a draft may be incomplete, but not larger than a questionnaire may be (docs/limits.md)
	if err := assessments.CheckDraft(b); err != nil {
		return piaflow.Revision{}, err
	}
	return s.saveRevision(ctx, u, deploymentID, ifMatch, b, true)
}

// SaveQuestionnaire validates a questionnaire (JSON or YAML) and keeps it as a new complete
// revision, unless the latest revision is complete and gives the same answers (saveRevision);
// it returns the revision (new or latest) and the questionnaire. ifMatch as for SaveDraft. Errors:
// ErrForbidden, *assessments.ValidationError, ErrNotFound, ErrPrecondition, ErrConflict.
func (s *Service) SaveQuestionnaire(ctx context.Context, u piaflow.User, deploymentID uint64, ifMatch string, raw []byte) (piaflow.Revision, *assessments.Questionnaire, error) {
	if err := piaflow.Authorize(u, piaflow.CapWriteQuestionnaire); err != nil {
		return piaflow.Revision{}, nil, err
	}
	q, err := assessments.Parse(raw)
	if err != nil {
		return piaflow.Revision{}, nil, err
	}
	doc, err := json.Marshal(q)
	if err != nil {
		return piaflow.Revision{}, nil, fmt.Errorf("encode questionnaire: %w", err)
	}
	r, err := s.saveRevision(ctx, u, deploymentID, ifMatch, doc, false)
	return r, q, err
}

// saveRevision keeps doc as a new revision, unless it says what the latest revision (the one
// ifMatch names) says already: then it returns that revision and stores nothing, so a save
// without a change (the wizard's Next, an API PUT of the same file) makes no revision. A
// complete revision is not replaced by an identical draft; a draft becomes complete only
// through a new revision.
func (s *Service) saveRevision(ctx context.Context, u piaflow.User, deploymentID uint64, ifMatch string, doc []byte, draft bool) (piaflow.Revision, error) {
	latest, err := s.st.Revision(ctx, deploymentID, 0)
	switch {
	case errors.Is(err, piaflow.ErrNotFound):
	case err != nil:
		return piaflow.Revision{}, err
	default:
		if ifMatch == "*" {
			// any revision matches; none does not (the store refuses "*" then)
			ifMatch = latest.ETag
		}
		if ifMatch == latest.ETag && (draft || !latest.Draft) && sameQuestionnaire(latest, doc, draft) {
			// an archived deployment refuses every save (the store says so), changed or not
			d, err := s.st.Deployment(ctx, deploymentID)
			if err != nil {
				return piaflow.Revision{}, err
			}
			if d.Status == piaflow.DeploymentActive {
				return latest, nil
			}
		}
	}
	return s.st.SaveRevision(ctx, actor(u), deploymentID, ifMatch, doc, draft)
}

// sameQuestionnaire reports whether doc, to be saved as a draft or not, gives the answers of
// revision latest, compared canonically: a complete revision is stored as the canonical JSON of
// the questionnaire it parses to (SaveQuestionnaire), so a draft that parses is compared as that
// JSON (defaults and formatting do not count); two drafts are compared as JSON with sorted keys
// and numbers as written. A draft never replaces a complete revision and a complete save never
// a draft (the caller checks).
func sameQuestionnaire(latest piaflow.Revision, doc []byte, draft bool) bool {
	if latest.Document == string(doc) {
		return true
	}
	switch {
	case !latest.Draft && !draft:
		// both canonical already: they differ
		return false
	case !latest.Draft:
		q, err := assessments.Parse(doc)
		if err != nil {
			return false
		}
		b, err := json.Marshal(q)
		return err == nil && string(b) == latest.Document
	}
	a, oka := canonicalJSON([]byte(latest.Document))
	b, okb := canonicalJSON(doc)
	return oka && okb && bytes.Equal(a, b)
}

// canonicalJSON is a JSON document with its object keys sorted and its numbers as written.
func canonicalJSON(doc []byte) ([]byte, bool) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	b, err := json.Marshal(v)
	return b, err == nil
}

// RevisionAuthor names who saved a revision (piaflow.System's name for one piaflow saved
// itself). Errors: ErrForbidden.
func (s *Service) RevisionAuthor(ctx context.Context, u piaflow.User, r piaflow.Revision) (string, error) {
	if err := piaflow.Authorize(u, piaflow.CapReadAssessments, piaflow.CapWriteQuestionnaire); err != nil {
		return "", err
	}
	return s.st.UserName(ctx, r.CreatedBy)
}

// Revision returns revision number n of a deployment's questionnaire (0: the latest). Errors:
// ErrForbidden, ErrNotFound.
func (s *Service) Revision(ctx context.Context, u piaflow.User, deploymentID uint64, n int) (piaflow.Revision, error) {
	if err := piaflow.Authorize(u, piaflow.CapReadAssessments, piaflow.CapWriteQuestionnaire); err != nil {
		return piaflow.Revision{}, err
	}
	return s.st.Revision(ctx, deploymentID, n)
}

// RevisionByID returns a revision by its id. Errors: ErrForbidden, ErrNotFound.
func (s *Service) RevisionByID(ctx context.Context, u piaflow.User, id uint64) (piaflow.Revision, error) {
	if err := piaflow.Authorize(u, piaflow.CapReadAssessments); err != nil {
		return piaflow.Revision{}, err
	}
	return s.st.RevisionByID(ctx, id)
}

// AuditLog lists a deployment's audit trail, oldest first. Errors: ErrForbidden, ErrNotFound.
func (s *Service) AuditLog(ctx context.Context, u piaflow.User, deploymentID uint64) ([]piaflow.AuditEvent, error) {
	if err := piaflow.Authorize(u, piaflow.CapReadAudit); err != nil {
		return nil, err
	}
	if _, err := s.st.Deployment(ctx, deploymentID); err != nil {
		return nil, err
	}
	return s.st.AuditLog(ctx, "deployment", deploymentID, piaflow.MaxAuditPage)
}

// AuditAfter pages through the whole audit log (users and tokens included), oldest first,
// from the event after id after, at most limit events. Errors: ErrForbidden.
func (s *Service) AuditAfter(ctx context.Context, u piaflow.User, after uint64, limit int) ([]piaflow.AuditEvent, error) {
	if err := piaflow.Authorize(u, piaflow.CapReadAudit); err != nil {
		return nil, err
	}
	return s.st.AuditAfter(ctx, after, limit)
}

package service

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/assessments/store"
)

// Queue runs the jobs of propagations in the background (package jobs: one job per deployment,
// each calling Reassess). It is safe for concurrent use.
type Queue interface {
	// Enqueue queues a job for each deployment of propagation id. A deployment whose job is
	// queued or finished already is not queued again.
	Enqueue(ctx context.Context, propagationID uint64, deploymentIDs []uint64) error
}

// SetQueue makes q run the jobs of the propagations the service starts (nil: none; starting a
// propagation then fails with ErrUnavailable).
func (s *Service) SetQueue(q Queue) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queue = q
}

func (s *Service) jobQueue() Queue {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.queue
}

// PropagationPage is a propagation with a page of its outcomes.
type PropagationPage struct {
	piaflow.Propagation
	Outcomes []piaflow.PropagationOutcome
	// OutcomesTotal counts the outcomes of the state asked for (all when none was).
	OutcomesTotal int64
}

// StartPropagation starts a propagation of kind (piaflow.PropagationKinds) with its params:
// it stores the record with a pending outcome for every deployment the change touches (at most
// piaflow.MaxPropagationDeployments) and queues one job each; it returns at once. Errors:
// ErrForbidden (CapPropagate; for policies CapReevaluate will do), ErrRateLimited (the
// re-evaluations' limit, shared with Reevaluate), ErrInvalid (kind, reason,
// params; more deployments than the limit: piaflow.ReasonTooLarge), ErrUnavailable (no job queue
// runs); the store's and the queue's (the record then stays and its jobs are queued again when
// the queue next starts: Resume).
func (s *Service) StartPropagation(ctx context.Context, u piaflow.User, kind string, params json.RawMessage, reason string) (piaflow.Propagation, error) {
	caps := []piaflow.Capability{piaflow.CapPropagate}
	if kind == piaflow.PropagationPolicies {
		caps = append(caps, piaflow.CapReevaluate)
	}
	if err := piaflow.Authorize(u, caps...); err != nil {
		return piaflow.Propagation{}, err
	}
	if err := s.limits.reevaluate.allow(u); err != nil {
		return piaflow.Propagation{}, err
	}
	if err := piaflow.ValidatePropagation(kind, reason); err != nil {
		return piaflow.Propagation{}, err
	}
	params, err := s.checkPropagationParams(ctx, kind, params)
	if err != nil {
		return piaflow.Propagation{}, err
	}
	q := s.jobQueue()
	if q == nil {
		return piaflow.Propagation{}, piaflow.MsgError(piaflow.ErrUnavailable, "", "error.no_job_queue")
	}
	ids, err := s.touched(ctx, kind, params)
	if err != nil {
		return piaflow.Propagation{}, err
	}
	if len(ids) > piaflow.MaxPropagationDeployments {
		return piaflow.Propagation{}, piaflow.MsgError(piaflow.ErrInvalid, piaflow.ReasonTooLarge, "error.limit.propagation", "max", piaflow.MaxPropagationDeployments)
	}
	rec := piaflow.Propagation{Kind: kind, Params: params, Reason: reason}
	if kind == piaflow.PropagationPolicies {
		rec.PolicyVersion = s.ev.PolicyVersion()
	}
	p, err := s.st.CreatePropagation(ctx, actor(u), rec, ids)
	if err != nil {
		return p, err
	}
	if err := q.Enqueue(ctx, p.ID, ids); err != nil {
		return p, fmt.Errorf("propagation %d: queue its jobs: %w", p.ID, err)
	}
	return p, nil
}

// checkPropagationParams checks a propagation's parameters for its kind and returns them as
// stored: none for policies; for product the product and the stored version its deployments
// move to; for processor a register entry's name. Errors: ErrInvalid naming the field,
// ErrNotFound (the product version or entry is not stored).
func (s *Service) checkPropagationParams(ctx context.Context, kind string, raw json.RawMessage) (json.RawMessage, error) {
	empty := len(raw) == 0 || string(raw) == "null" || string(raw) == "{}"
	if kind == piaflow.PropagationPolicies {
		if !empty {
			return nil, piaflow.Invalid(assessments.FieldProblem("params", piaflow.ProblemUnknown, "propagation.no_params"))
		}
		return nil, nil
	}
	var pp piaflow.PropagationParams
	if !empty {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&pp); err != nil {
			return nil, piaflow.Invalid(assessments.FieldProblem("params", piaflow.ProblemUnknown, "propagation.params", "kind", string(kind), "error", err.Error()))
		}
	}
	c, err := s.readChange(ctx, piaflow.Change{Kind: kind, Product: pp.Product, Version: pp.Version, Processor: pp.Processor})
	if err != nil {
		var pe *piaflow.Error
		if errors.As(err, &pe) && errors.Is(err, piaflow.ErrInvalid) {
			for i := range pe.Fields {
				pe.Fields[i].Field = "params." + pe.Fields[i].Field
			}
		}
		return nil, err
	}
	pp = piaflow.PropagationParams{Product: c.Product, Version: c.Version, Processor: c.Processor}
	out, err := json.Marshal(pp)
	if err != nil {
		return nil, fmt.Errorf("encode propagation params: %w", err)
	}
	return out, nil
}

// paramsChange is the change a product or processor propagation's stored params describe.
func paramsChange(p piaflow.Propagation) (change, error) {
	var pp piaflow.PropagationParams
	if err := json.Unmarshal(p.Params, &pp); err != nil {
		return change{}, fmt.Errorf("propagation %d: read params: %w", p.ID, err)
	}
	return change{Change: piaflow.Change{Kind: p.Kind, Product: pp.Product, Version: pp.Version, Processor: pp.Processor}}, nil
}

// touched lists the deployments a change of kind touches, at most one more than
// piaflow.MaxPropagationDeployments (so that the caller can refuse too many).
func (s *Service) touched(ctx context.Context, kind string, params json.RawMessage) ([]uint64, error) {
	switch kind {
	case piaflow.PropagationPolicies:
		return s.st.ActiveDeploymentIDs(ctx, piaflow.MaxPropagationDeployments+1)
	case piaflow.PropagationProduct, piaflow.PropagationProcessor:
		c, err := paramsChange(piaflow.Propagation{Kind: kind, Params: params})
		if err != nil {
			return nil, err
		}
		ids, _, err := s.touchedPage(ctx, c, 0, piaflow.MaxPropagationDeployments+1)
		return ids, err
	}
	return nil, fmt.Errorf("propagation kind %q: no deployments to touch", kind)
}

// toAssess is the questionnaire a propagation of kind p.Kind assesses for a deployment: its
// revision (stored) and the questionnaire. For policies it is the latest complete revision as
// it is; a change of product or processor composes the questionnaire again and stores a new
// revision (by the propagation's requester) when it changed (newRevision true). ErrNotFound:
// the deployment has no complete revision, or no spec (nothing to assess); ErrInvalid: the
// deployment cannot be composed under the change (the message says why).
func (s *Service) toAssess(ctx context.Context, by *piaflow.User, p piaflow.Propagation, deploymentID uint64) (r piaflow.Revision, q *assessments.Questionnaire, newRevision bool, err error) {
	switch p.Kind {
	case piaflow.PropagationPolicies:
		r, err = s.st.LatestComplete(ctx, deploymentID)
		if err != nil {
			return r, nil, false, err
		}
		q, err = assessments.Parse([]byte(r.Document))
		if err != nil {
			return r, nil, false, fmt.Errorf("parse revision %d of deployment %d: %w", r.Number, deploymentID, err)
		}
		return r, q, false, nil
	case piaflow.PropagationProduct, piaflow.PropagationProcessor:
		return s.recompose(ctx, by, p, deploymentID)
	}
	return r, nil, false, fmt.Errorf("propagation %d: unknown kind %q", p.ID, p.Kind)
}

// recompose is toAssess of a product or processor propagation.
func (s *Service) recompose(ctx context.Context, by *piaflow.User, p piaflow.Propagation, deploymentID uint64) (r piaflow.Revision, q *assessments.Questionnaire, newRevision bool, err error) {
	c, err := paramsChange(p)
	if err != nil {
		return r, nil, false, err
	}
	spec, err := s.specUnder(ctx, c, deploymentID)
	if err != nil {
		return r, nil, false, err
	}
	comp, prod, err := s.newComposer().compose(ctx, spec)
	var ve *assessments.ValidationError
	if errors.As(err, &ve) {
		return r, nil, false, piaflow.MsgError(piaflow.ErrInvalid, "", "error.propagation_compose", "problems", ve.Error())
	}
	if err != nil {
		return r, nil, false, err
	}
	var latest *piaflow.Revision
	switch l, err := s.st.Revision(ctx, deploymentID, 0); {
	case errors.Is(err, piaflow.ErrNotFound):
	case err != nil:
		return r, nil, false, err
	default:
		latest = &l
	}
	rec, err := composed(spec, prod, comp, latest)
	if err != nil {
		return r, nil, false, err
	}
	ifMatch := ""
	if latest != nil {
		ifMatch = latest.ETag
	}
	r, err = s.st.SaveComposed(ctx, by, deploymentID, ifMatch, rec)
	if err != nil {
		return r, nil, false, err
	}
	if rec.Document == nil {
		r = *latest
	}
	return r, comp.Questionnaire, rec.Document != nil, nil
}

// Reassess runs one job of a propagation: it assesses deployment deploymentID again as the
// propagation's kind says (toAssess) and, when its verdict or findings changed (drift, as
// Reevaluate decides), records a new assessment — unreviewed, so a changed verdict must be
// reviewed again — in the same transaction that finishes the deployment's outcome. A job run
// twice finds its outcome finished and does nothing. An error is the job's to retry (a
// deadline, the database); ReassessFailed records a failure for good.
func (s *Service) Reassess(ctx context.Context, propagationID, deploymentID uint64) (piaflow.PropagationOutcome, error) {
	o, err := s.st.Outcome(ctx, propagationID, deploymentID)
	if err != nil || o.State != piaflow.OutcomePending {
		return o, err
	}
	p, err := s.st.Propagation(ctx, propagationID)
	if err != nil {
		return o, err
	}
	by := &piaflow.User{ID: p.RequestedBy, Name: p.Requester}
	o.State = piaflow.OutcomeDone
	r, q, newRevision, err := s.toAssess(ctx, by, p, deploymentID)
	if errors.Is(err, piaflow.ErrNotFound) {
		o.Unevaluated = true
		return s.finish(ctx, by, o, nil, nil) // no complete revision: nothing to assess
	}
	if err != nil {
		return o, err
	}
	if newRevision {
		o.RevisionID = &r.ID
	}
	prev, err := s.latest(ctx, deploymentID)
	if err != nil {
		return o, err
	}
	if carried, _ := s.carries(ctx, prev, r, q, time.Now().UTC().Format(time.DateOnly)); carried {
		o.VerdictBefore, o.VerdictAfter, o.Unevaluated = prev.Verdict, prev.Verdict, true
		return s.finish(ctx, by, o, nil, nil)
	}
	a, err := s.ev.Assess(ctx, q, time.Time{})
	if err != nil {
		return o, err
	}
	entry, changed, err := drift(prev, r, a)
	if err != nil {
		return o, err
	}
	o.VerdictBefore, o.VerdictAfter, o.Added, o.Resolved = entry.VerdictBefore, entry.VerdictAfter, entry.Added, entry.Resolved
	if !changed {
		return s.finish(ctx, by, o, nil, nil)
	}
	rec, err := s.recordOf(r, a)
	if err != nil {
		return o, err
	}
	return s.finish(ctx, by, o, &store.Assessed{Record: rec, Wanted: a.Actions()}, a)
}

// finish stores outcome o (with the assessment, when one changed) and tells the observers of a
// recorded assessment; the last outcome of a policies propagation tells the webhooks that the
// re-evaluation finished (piaflow.EventReevaluationFinished, in a transaction of its own, as
// Reevaluate does). An outcome finished before is no error: the job ran twice.
func (s *Service) finish(ctx context.Context, by *piaflow.User, o piaflow.PropagationOutcome, rec *store.Assessed, a *assessments.Assessment) (piaflow.PropagationOutcome, error) {
	if rec != nil {
		if err := s.keepBundle(ctx); err != nil {
			return o, err
		}
	}
	o, done, err := s.st.FinishOutcome(ctx, by, o, rec)
	if errors.Is(err, store.ErrOutcomeFinished) {
		return o, nil
	}
	if err != nil {
		return o, err
	}
	if a != nil {
		s.evaluated(a)
	}
	return o, s.runFinished(ctx, done)
}

// runFinished tells the webhooks that re-evaluation run done (a policies propagation, nil: none)
// finished, in a transaction of its own (piaflow.EventReevaluationFinished).
func (s *Service) runFinished(ctx context.Context, done *piaflow.Propagation) error {
	if done == nil || done.Kind != piaflow.PropagationPolicies {
		return nil
	}
	return s.st.EnqueueEvent(context.WithoutCancel(ctx), piaflow.EventReevaluationFinished, piaflow.EventData{Actor: done.Requester,
		Reevaluation: &piaflow.EventReevaluation{PolicyVersion: s.ev.PolicyVersion(), Checked: done.Done, Changed: done.Changed, Failed: done.Failed}})
}

// ReassessFailed records that a propagation's job for a deployment failed for good with cause
// (its retries are spent, or the error is not one a retry mends). The outcome keeps a message a
// person may read: a piaflow.Error's, else a pointer to the server log, where cause is logged.
func (s *Service) ReassessFailed(ctx context.Context, log *slog.Logger, propagationID, deploymentID uint64, cause error) error {
	msg := "re-assessment failed: see the server log"
	var pe *piaflow.Error
	if errors.As(cause, &pe) {
		msg = pe.Message
	}
	log.ErrorContext(ctx, "propagation job failed", "propagation", propagationID, "deployment", deploymentID, "error", cause)
	o := piaflow.PropagationOutcome{PropagationID: propagationID, DeploymentID: deploymentID, State: piaflow.OutcomeFailed, Error: msg}
	_, err := s.finish(ctx, nil, o, nil, nil)
	return err
}

// Permanent reports whether a job's error is one a retry cannot mend (the deployment is gone
// or archived, the assessment too large, ...): the job fails at once.
func Permanent(err error) bool {
	return errors.Is(err, piaflow.ErrNotFound) || errors.Is(err, piaflow.ErrConflict) || errors.Is(err, piaflow.ErrInvalid) ||
		errors.Is(err, piaflow.ErrForbidden)
}

// Resume queues again the jobs of every unfinished propagation's pending deployments (the
// queue skips those queued already): a propagation whose jobs were not all queued (the process
// stopped in between) goes on. The job queue calls it when it starts.
func (s *Service) Resume(ctx context.Context) error {
	q := s.jobQueue()
	if q == nil {
		return nil
	}
	ps, err := s.st.UnfinishedPropagations(ctx, piaflow.MaxPropagationPage)
	if err != nil {
		return err
	}
	for _, p := range ps {
		// Keyset pages: outcomes finished meanwhile by another replica's jobs shift no page.
		var after uint64
		for {
			ids, err := s.st.PendingDeployments(ctx, p.ID, after, piaflow.MaxOutcomePage)
			if err != nil {
				return err
			}
			if len(ids) == 0 {
				break
			}
			if err := q.Enqueue(ctx, p.ID, ids); err != nil {
				return fmt.Errorf("resume propagation %d: %w", p.ID, err)
			}
			after = ids[len(ids)-1]
		}
	}
	return nil
}

// Propagation returns a propagation with its progress and a page of its outcomes (state: one
// outcome state, "" for all; limit at most piaflow.MaxOutcomePage). Errors: ErrForbidden,
// ErrNotFound.
func (s *Service) Propagation(ctx context.Context, u piaflow.User, id uint64, state string, limit, offset int) (PropagationPage, error) {
	if err := piaflow.Authorize(u, piaflow.CapReadAssessments); err != nil {
		return PropagationPage{}, err
	}
	p, err := s.st.Propagation(ctx, id)
	if err != nil {
		return PropagationPage{}, err
	}
	out, total, err := s.st.Outcomes(ctx, id, state, limit, offset)
	return PropagationPage{Propagation: p, Outcomes: out, OutcomesTotal: total}, err
}

// Propagations lists propagations, newest first (limit at most piaflow.MaxPropagationPage),
// with their total count. Errors: ErrForbidden.
func (s *Service) Propagations(ctx context.Context, u piaflow.User, limit, offset int) ([]piaflow.Propagation, int64, error) {
	if err := piaflow.Authorize(u, piaflow.CapReadAssessments); err != nil {
		return nil, 0, err
	}
	return s.st.Propagations(ctx, "", limit, offset)
}

// ReevaluationRun is a re-evaluation run (a policies propagation) with a page of the
// deployments it changed and of those that failed.
type ReevaluationRun struct {
	piaflow.Propagation
	// ChangedOutcomes are the outcomes that recorded a new assessment (a page), ChangedTotal
	// all of them.
	ChangedOutcomes []piaflow.PropagationOutcome
	ChangedTotal    int64
	// FailedOutcomes are the failed outcomes (a page), FailedTotal all of them.
	FailedOutcomes []piaflow.PropagationOutcome
	FailedTotal    int64
}

// StartReevaluation starts a re-evaluation of every active deployment with the current
// policies in the background: a policies propagation (StartPropagation), one job per
// deployment or batch of deployments, worked by every server process sharing the database. It
// returns at once; Reevaluation reads its progress. The webhooks are told when it ends
// (piaflow.EventReevaluationFinished). Errors: those of StartPropagation (CapReevaluate).
func (s *Service) StartReevaluation(ctx context.Context, u piaflow.User) (piaflow.Propagation, error) {
	if err := piaflow.Authorize(u, piaflow.CapReevaluate); err != nil {
		return piaflow.Propagation{}, err
	}
	return s.StartPropagation(ctx, u, piaflow.PropagationPolicies, nil, "re-evaluation")
}

// Reevaluation returns re-evaluation run id (any policies propagation) with a page of at most
// limit (piaflow.MaxOutcomePage) changed and failed deployments each. Errors: ErrForbidden,
// ErrNotFound (also a propagation of another kind).
func (s *Service) Reevaluation(ctx context.Context, u piaflow.User, id uint64, limit int) (ReevaluationRun, error) {
	if err := piaflow.Authorize(u, piaflow.CapReadAssessments); err != nil {
		return ReevaluationRun{}, err
	}
	p, err := s.st.Propagation(ctx, id)
	if err != nil {
		return ReevaluationRun{}, err
	}
	if p.Kind != piaflow.PropagationPolicies {
		return ReevaluationRun{}, piaflow.Errorf(piaflow.ErrNotFound, "", "re-evaluation %d not found", id)
	}
	out := ReevaluationRun{Propagation: p}
	if out.ChangedOutcomes, out.ChangedTotal, err = s.st.Outcomes(ctx, id, store.OutcomesChanged, limit, 0); err != nil {
		return out, err
	}
	out.FailedOutcomes, out.FailedTotal, err = s.st.Outcomes(ctx, id, piaflow.OutcomeFailed, limit, 0)
	return out, err
}

// Reevaluations lists the re-evaluation runs (policies propagations), newest first (limit at
// most piaflow.MaxPropagationPage), with their total count. Errors: ErrForbidden.
func (s *Service) Reevaluations(ctx context.Context, u piaflow.User, limit, offset int) ([]piaflow.Propagation, int64, error) {
	if err := piaflow.Authorize(u, piaflow.CapReadAssessments); err != nil {
		return nil, 0, err
	}
	return s.st.Propagations(ctx, piaflow.PropagationPolicies, limit, offset)
}

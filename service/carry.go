package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/policies"
)

// maxBundles bounds the fingerprints of earlier policy bundles a service keeps in memory (each
// a few kilobytes; a database sees a handful of bundles between two re-evaluations).
const maxBundles = 16

// bundles keeps the fingerprints of the policy bundles assessments were made with: the current
// one is saved in the store before the first assessment the service records, earlier ones are
// read from the store once.
type bundles struct {
	saved bool                             // the current bundle's fingerprint is in the store
	known map[string]*policies.Fingerprint // by digest; nil: none kept in the store
}

// keepBundle saves the current policy bundle's fingerprint in the store, once per service: an
// assessment recorded with a bundle whose fingerprint is kept can later be carried over to
// another bundle whose change cannot reach it (carries).
func (s *Service) keepBundle(ctx context.Context) error {
	s.mu.Lock()
	saved := s.bundles.saved
	s.mu.Unlock()
	if saved {
		return nil
	}
	fp := s.ev.Fingerprint()
	b, err := json.Marshal(fp)
	if err != nil {
		return fmt.Errorf("encode policy fingerprint: %w", err)
	}
	if err := s.st.SavePolicyBundle(ctx, s.ev.PolicyDigest(), s.ev.PolicyVersion(), b); err != nil {
		return err
	}
	s.mu.Lock()
	s.bundles.saved = true
	s.mu.Unlock()
	return nil
}

// bundle is the fingerprint of the policy bundle with digest as the store keeps it; nil when it
// keeps none (assessments made before fingerprints were kept) or one this build cannot decode.
func (s *Service) bundle(ctx context.Context, digest string) (*policies.Fingerprint, error) {
	s.mu.Lock()
	fp, ok := s.bundles.known[digest]
	s.mu.Unlock()
	if ok {
		return fp, nil
	}
	b, err := s.st.PolicyBundle(ctx, digest)
	switch {
	case errors.Is(err, piaflow.ErrNotFound):
		fp = nil
	case err != nil:
		return nil, err
	default:
		fp = new(policies.Fingerprint)
		if err := json.Unmarshal(b, fp); err != nil {
			// Kept as not kept: read and logged once, not once per deployment of a run.
			s.log.WarnContext(ctx, "re-evaluation: earlier policies' fingerprint unreadable, evaluating what they assessed",
				"policy_digest", digest, "err", err)
			fp = nil
		}
	}
	s.mu.Lock()
	if s.bundles.known == nil || len(s.bundles.known) >= maxBundles {
		s.bundles.known = map[string]*policies.Fingerprint{}
	}
	s.bundles.known[digest] = fp
	s.mu.Unlock()
	return fp, nil
}

// carries reports whether assessing revision r today would give the deployment's latest
// assessment prev again — its verdict, findings, transfers and everything else apart from the
// policies and date it names — so that a re-evaluation need not evaluate it, and why not
// (English, for the logs) when it cannot be decided so. It does when prev is of r and
//   - it was made with the current policies (same digest, company rules included), or with a
//     bundle whose fingerprint is kept and whose change to the current one reaches none of the
//     countries the questionnaire names (policies.Affects: only jurisdiction documents naming
//     none of them changed), and
//   - it was made today, or on a day no date of the policies or the questionnaire separates from
//     today, and its texts do not name its day (policies.Engine.SameOn).
//
// Anything it cannot read — the earlier bundle's fingerprint, a revision today's validator
// refuses — makes it false, with the error as the reason: the deployment is then evaluated (and
// fails on its own if it must), never carried and never a failure of the others. q is r's
// questionnaire, parsed when nil and needed.
func (s *Service) carries(ctx context.Context, prev *piaflow.AssessmentRecord, r piaflow.Revision, q *assessments.Questionnaire, today string) (bool, string) {
	ok, why := s.carriesWhy(ctx, prev, r, q, today)
	s.log.DebugContext(ctx, "re-evaluation: carry over", "revision", r.ID, "carried", ok, "why", why)
	return ok, why
}

func (s *Service) carriesWhy(ctx context.Context, prev *piaflow.AssessmentRecord, r piaflow.Revision, q *assessments.Questionnaire, today string) (bool, string) {
	if prev == nil {
		return false, "no assessment"
	}
	if prev.RevisionID != r.ID {
		return false, "a later revision"
	}
	if prev.PolicyDigest != s.ev.PolicyDigest() {
		from, err := s.bundle(ctx, prev.PolicyDigest)
		if err != nil { // the store's: evaluate (and fail there if the store is down)
			return false, err.Error()
		}
		if from == nil {
			return false, "the earlier policies' fingerprint is not kept"
		}
		if q == nil {
			if q, err = s.revisions.questionnaire(r); err != nil {
				return false, fmt.Sprintf("parse revision %d: %v", r.ID, err)
			}
		}
		if affects, why := policies.Affects(*from, s.ev.Fingerprint(), q.Countries()); affects {
			return false, why
		}
	}
	if prev.AsOf != today {
		if same, why := s.ev.SameOn([]byte(r.Document), []byte(prev.Result), prev.AsOf, today); !same {
			return false, why
		}
	}
	return true, "carried: the change of policies and of date cannot reach it"
}

// CarryOver finishes at once, in one write, the deployments among deploymentIDs of policies
// propagation propagationID whose latest assessment holds (carries), and returns the others, in
// order, for Reassess: a batch of re-evaluation jobs (package jobs) calls it first, so that
// deployments a change of policies cannot reach cost a lookup each and no write of their own.
// Deployments whose outcome is finished already are in neither; a propagation of another kind
// returns deploymentIDs as they are (its jobs compose each deployment again). Errors: the
// store's (then nothing was finished).
func (s *Service) CarryOver(ctx context.Context, propagationID uint64, deploymentIDs []uint64) ([]uint64, error) {
	p, err := s.st.Propagation(ctx, propagationID)
	if err != nil {
		return nil, err
	}
	if p.Kind != piaflow.PropagationPolicies || len(deploymentIDs) == 0 {
		return deploymentIDs, nil
	}
	pending, err := s.st.PendingOutcomes(ctx, propagationID, deploymentIDs)
	if err != nil {
		return nil, err
	}
	today := time.Now().UTC().Format(time.DateOnly)
	var carried []piaflow.PropagationOutcome
	rest := make([]uint64, 0, len(deploymentIDs))
	for _, id := range deploymentIDs {
		o, ok := pending[id]
		if !ok {
			continue
		}
		r, err := s.st.LatestComplete(ctx, id)
		if err != nil { // none (Reassess finishes it as nothing to assess) or the store's: Reassess's
			rest = append(rest, id)
			continue
		}
		prev, err := s.latest(ctx, id)
		if err != nil { // Reassess reads it again and fails this deployment alone if it must
			rest = append(rest, id)
			continue
		}
		if ok, _ = s.carries(ctx, prev, r, nil, today); !ok {
			rest = append(rest, id)
			continue
		}
		o.State, o.VerdictBefore, o.VerdictAfter, o.Unevaluated = piaflow.OutcomeDone, prev.Verdict, prev.Verdict, true
		carried = append(carried, o)
	}
	if len(carried) == 0 {
		return rest, nil
	}
	_, done, err := s.st.FinishUnevaluated(ctx, propagationID, carried)
	if err != nil {
		return nil, err
	}
	return rest, s.runFinished(ctx, done)
}

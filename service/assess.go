package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/internal/admit"
)

// Assessment is a stored assessment: its record (verdict, review) and, when read, the
// evaluation itself.
type Assessment struct {
	Record piaflow.AssessmentRecord
	// Revision is the number of the revision assessed (0 when not read).
	Revision int
	// Result is the assessment evaluated, or the stored one recorded again: it may be shared
	// with other callers (stored results are kept decoded, resultcache.go), who must not change
	// it.
	Result *assessments.Assessment
}

// Evaluate assesses revision n of a deployment's questionnaire (0: the latest) with today's law
// and records the assessment and its actions. Errors: ErrForbidden, ErrNotFound, ErrConflict
// (a draft: piaflow.ReasonDraft; an archived deployment), ErrRateLimited, ErrUnavailable (the
// evaluation passed its deadline: piaflow.ReasonDeadline; no evaluation slot came free:
// piaflow.ReasonBusy), ErrInvalid (the result passes piaflow.MaxResultBytes:
// piaflow.ReasonTooLarge); nothing is stored then.
func (s *Service) Evaluate(ctx context.Context, u piaflow.User, deploymentID uint64, n int) (Assessment, error) {
	if err := piaflow.Authorize(u, piaflow.CapEvaluate); err != nil {
		return Assessment{}, err
	}
	if err := s.limits.evaluate.allow(u); err != nil {
		return Assessment{}, err
	}
	r, err := s.st.RevisionHeader(ctx, deploymentID, n) // the document only when not kept parsed
	if err != nil {
		return Assessment{}, err
	}
	if r.Draft {
		return Assessment{}, piaflow.MsgError(piaflow.ErrConflict, piaflow.ReasonDraft, "error.draft", "revision", r.Number)
	}
	q, ok := s.revisions.kept(r.ID)
	if !ok {
		if r, err = s.st.RevisionByID(ctx, r.ID); err != nil {
			return Assessment{}, err
		}
		if q, err = s.revisions.questionnaire(r); err != nil {
			return Assessment{}, fmt.Errorf("parse revision %d: %w", r.Number, err)
		}
	}
	// Validated first: a revision today's validator refuses is not assessed, stored result or not.
	if a, ok, err := s.reuse(ctx, u, r); ok || err != nil {
		return a, err
	}
	return s.assessAndRecord(ctx, u, r, q)
}

// reuse records again, without an evaluation, the result of an assessment of revision r stored
// before by the same policies (digest, company rules included) under today's law: a revision
// never changes, so an evaluation would give that result again (as the evaluator's result
// cache does in memory, this holds across restarts and servers). ok is false, with nothing
// recorded, when there is none, when its result is of another schema version, or when the
// evaluator keeps no results (assessments.WithResultCache(0): every evaluation is made).
func (s *Service) reuse(ctx context.Context, u piaflow.User, r piaflow.Revision) (Assessment, bool, error) {
	if !s.ev.KeepsResults() {
		return Assessment{}, false, nil
	}
	prev, err := s.results.recordOf(ctx, s.st, r.ID, s.ev.PolicyDigest(), time.Now().UTC().Format(time.DateOnly))
	switch {
	case errors.Is(err, piaflow.ErrNotFound):
		return Assessment{}, false, nil
	case err != nil:
		return Assessment{}, false, err
	}
	return s.recordStored(ctx, u, r, prev)
}

// reuseInput is reuse for any revision, of any deployment, with the same questionnaire as q
// (revision r's): the stored result keyed by the questionnaire's canonical digest, the policies'
// digest and today (Store.AssessmentByInput) — a questionnaire saved again unchanged as a new
// revision, or the same questionnaire in another deployment, costs a lookup, also after a
// restart and on another server.
func (s *Service) reuseInput(ctx context.Context, u piaflow.User, r piaflow.Revision, q *assessments.Questionnaire) (Assessment, bool, error) {
	if !s.ev.KeepsResults() {
		return Assessment{}, false, nil
	}
	digest, err := s.ev.InputDigest(q)
	if err != nil {
		return Assessment{}, false, err
	}
	prev, err := s.st.AssessmentByInput(ctx, digest, s.ev.PolicyDigest(), time.Now().UTC().Format(time.DateOnly))
	switch {
	case errors.Is(err, piaflow.ErrNotFound):
		return Assessment{}, false, nil
	case err != nil:
		return Assessment{}, false, err
	}
	return s.recordStored(ctx, u, r, prev)
}

// recordStored records stored assessment prev's result again as revision r's. ok is false,
// with nothing recorded, when its result is of another schema or policy version.
func (s *Service) recordStored(ctx context.Context, u piaflow.User, r piaflow.Revision, prev piaflow.AssessmentRecord) (Assessment, bool, error) {
	result, a, err := s.results.result(ctx, s.st, prev)
	switch {
	case err != nil:
		return Assessment{}, false, err
	case a == nil || a.SchemaVersion != assessments.SchemaVersion || a.PolicyVersion != s.ev.PolicyVersion():
		return Assessment{}, false, nil // a result this version cannot reuse is evaluated again
	}
	a.InputDigest = prev.InputDigest
	rec, err := s.recordWith(ctx, u, r, a, result, prev.ResultDigest)
	if err != nil {
		return Assessment{}, false, err
	}
	return Assessment{Record: rec, Revision: r.Number, Result: a}, true, nil
}

// SubmitQuestionnaire keeps a valid questionnaire as a new complete revision (ifMatch as for
// SaveDraft), evaluates it and records the assessment. Errors: those of SaveQuestionnaire and
// Evaluate.
func (s *Service) SubmitQuestionnaire(ctx context.Context, u piaflow.User, deploymentID uint64, ifMatch string, raw []byte) (Assessment, error) {
	if err := piaflow.Authorize(u, piaflow.CapEvaluate); err != nil {
		return Assessment{}, err
	}
	if err := s.limits.evaluate.allow(u); err != nil {
		return Assessment{}, err
	}
	return s.submit(ctx, u, deploymentID, ifMatch, raw)
}

// submit is SubmitQuestionnaire without the rate limit (the demo seed).
func (s *Service) submit(ctx context.Context, u piaflow.User, deploymentID uint64, ifMatch string, raw []byte) (Assessment, error) {
	r, q, err := s.SaveQuestionnaire(ctx, u, deploymentID, ifMatch, raw)
	if err != nil {
		return Assessment{}, err
	}
	return s.assessAndRecord(ctx, u, r, q)
}

// assessAndRecord evaluates questionnaire q of revision r with today's law — or reuses the
// stored result of the same questionnaire by the same policies today (reuseInput) —, stores the
// assessment with the actions its findings ask for, and tells the observers: the one place
// an assessment is made and kept.
func (s *Service) assessAndRecord(ctx context.Context, u piaflow.User, r piaflow.Revision, q *assessments.Questionnaire) (Assessment, error) {
	if a, ok, err := s.reuseInput(ctx, u, r, q); ok || err != nil {
		return a, err
	}
	a, err := s.ev.Assess(ctx, q, time.Time{})
	if err != nil {
		return Assessment{}, err
	}
	rec, err := s.record(ctx, u, r, a)
	if err != nil {
		return Assessment{}, err
	}
	return Assessment{Record: rec, Revision: r.Number, Result: a}, nil
}

// record stores assessment a of revision r with its actions and tells the observers. An
// assessment larger than the service's limit (piaflow.MaxResultBytes) is not stored.
func (s *Service) record(ctx context.Context, u piaflow.User, r piaflow.Revision, a *assessments.Assessment) (piaflow.AssessmentRecord, error) {
	result, err := json.Marshal(a)
	if err != nil {
		return piaflow.AssessmentRecord{}, fmt.Errorf("encode assessment: %w", err)
	}
	return s.recordWith(ctx, u, r, a, string(result), "")
}

// recordWith is record with a's JSON (result) given, and its digest when it was read from the
// store (Store.SaveAssessment then does not write it again).
func (s *Service) recordWith(ctx context.Context, u piaflow.User, r piaflow.Revision, a *assessments.Assessment, result, resultDigest string) (piaflow.AssessmentRecord, error) {
	rec, err := s.recordJSON(r, a, result)
	if err != nil {
		return rec, err
	}
	rec.ResultDigest = resultDigest
	if err := s.keepBundle(ctx); err != nil {
		return rec, err
	}
	rec, err = s.st.SaveAssessment(ctx, actor(u), rec, a.Actions())
	if err != nil {
		return rec, err
	}
	s.results.keep(rec)
	s.evaluated(a)
	return rec, nil
}

// recordOf is the record to store of assessment a of revision r, within the service's size
// limit (piaflow.MaxResultBytes; ErrInvalid, piaflow.ReasonTooLarge).
func (s *Service) recordOf(r piaflow.Revision, a *assessments.Assessment) (piaflow.AssessmentRecord, error) {
	result, err := json.Marshal(a)
	if err != nil {
		return piaflow.AssessmentRecord{}, fmt.Errorf("encode assessment: %w", err)
	}
	return s.recordJSON(r, a, string(result))
}

// recordJSON is recordOf with a's JSON (result) given.
func (s *Service) recordJSON(r piaflow.Revision, a *assessments.Assessment, result string) (piaflow.AssessmentRecord, error) {
	if len(result) > s.maxResultBytes {
		return piaflow.AssessmentRecord{}, piaflow.MsgError(piaflow.ErrInvalid, piaflow.ReasonTooLarge, "error.limit.result",
			"revision", r.Number, "size", len(result), "max", s.maxResultBytes)
	}
	return piaflow.AssessmentRecord{RevisionID: r.ID, PolicyVersion: a.PolicyVersion, PolicyDigest: a.PolicyDigest,
		AsOf: a.AsOf, Verdict: a.Verdict, InputDigest: a.InputDigest, Result: result}, nil
}

// DecodeResult reads the evaluation kept in a record.
func DecodeResult(rec piaflow.AssessmentRecord) (*assessments.Assessment, error) {
	var a assessments.Assessment
	if err := json.Unmarshal([]byte(rec.Result), &a); err != nil {
		return nil, fmt.Errorf("decode stored assessment %d: %w", rec.ID, err)
	}
	return &a, nil
}

// Record returns a stored assessment's record (its result not decoded). Errors: ErrForbidden,
// ErrNotFound.
func (s *Service) Record(ctx context.Context, u piaflow.User, id uint64) (piaflow.AssessmentRecord, error) {
	if err := piaflow.Authorize(u, piaflow.CapReadAssessments); err != nil {
		return piaflow.AssessmentRecord{}, err
	}
	return s.st.Assessment(ctx, id)
}

// Assessment returns a stored assessment with its result. Errors: ErrForbidden, ErrNotFound.
func (s *Service) Assessment(ctx context.Context, u piaflow.User, id uint64) (Assessment, error) {
	rec, err := s.Record(ctx, u, id)
	if err != nil {
		return Assessment{}, err
	}
	a, err := DecodeResult(rec)
	return Assessment{Record: rec, Result: a}, err
}

// LatestAssessment returns a deployment's latest assessment record: of the highest revision
// assessed, the last made. Errors: ErrForbidden, ErrNotFound.
func (s *Service) LatestAssessment(ctx context.Context, u piaflow.User, deploymentID uint64) (piaflow.AssessmentRecord, error) {
	if err := piaflow.Authorize(u, piaflow.CapReadAssessments); err != nil {
		return piaflow.AssessmentRecord{}, err
	}
	return s.st.LatestAssessment(ctx, deploymentID)
}

// LastApproved returns the deployment's last approved assessment before the one with id before
// (0: of all), with its result. Errors: ErrForbidden, ErrNotFound (none was approved).
func (s *Service) LastApproved(ctx context.Context, u piaflow.User, deploymentID, before uint64) (Assessment, error) {
	if err := piaflow.Authorize(u, piaflow.CapReadAssessments); err != nil {
		return Assessment{}, err
	}
	rec, err := s.st.LastInReview(ctx, deploymentID, before, piaflow.ReviewApproved)
	if err != nil {
		return Assessment{}, err
	}
	a, err := DecodeResult(rec)
	return Assessment{Record: rec, Result: a}, err
}

// Compare returns what changed from assessment against to assessment id, of one deployment,
// the answers of their questionnaires included (Difference). Errors: ErrForbidden,
// ErrNotFound, ErrInvalid (field "against": another deployment's).
func (s *Service) Compare(ctx context.Context, u piaflow.User, id, against uint64) (assessments.Diff, error) {
	d, err := s.CompareAssessments(ctx, u, id, against)
	return d.Diff, err
}

// CompareAssessments is Compare with the two assessments compared. Errors: those of Compare.
func (s *Service) CompareAssessments(ctx context.Context, u piaflow.User, id, against uint64) (Difference, error) {
	after, err := s.Assessment(ctx, u, id)
	if err != nil {
		return Difference{}, err
	}
	before, err := s.Assessment(ctx, u, against)
	if err != nil {
		return Difference{}, err
	}
	return s.Difference(ctx, u, after, before)
}

// Drift is what a re-evaluation with the current policies found.
type Drift struct {
	PolicyVersion, PolicyDigest string
	// Checked counts the deployments re-evaluated.
	Checked int
	// Changed lists the deployments whose verdict or findings changed (a new assessment was
	// recorded for each).
	Changed []DriftEntry
	// Failed lists the deployments whose re-evaluation failed; the others went on.
	Failed []DriftFailure
	// Skipped counts the deployments not re-evaluated because the re-evaluation had run for
	// piaflow.ReevaluateBudget (or its context ended): re-evaluate again for them.
	Skipped int
}

// DriftEntry is a deployment whose assessment changed on re-evaluation.
type DriftEntry struct {
	DeploymentID  uint64 `json:"deployment_id"`
	Name          string `json:"name"`
	AssessmentID  uint64 `json:"assessment_id"`
	VerdictBefore string `json:"verdict_before,omitempty"`
	VerdictAfter  string `json:"verdict_after"`
	Added         int    `json:"findings_added"`
	Resolved      int    `json:"findings_resolved"`
}

// DriftFailure is a deployment whose re-evaluation failed, and why.
type DriftFailure struct {
	DeploymentID uint64
	Name         string
	Err          error
}

// Reevaluate re-assesses the latest complete revision of every active deployment with the
// current policies and records a new assessment for those whose verdict or findings changed
// since their latest assessment (policy drift), or whose latest assessment is of an older
// revision. A deployment whose latest assessment is of its latest revision and holds under the
// current policies today (carries: the same policies and date, or a change of policies that
// reaches none of its countries and a date that makes no difference) is unchanged without an
// evaluation. Evaluations run in parallel, one per CPU (within the evaluator's slots); the
// results are recorded in order. It starts no evaluation after running for
// piaflow.ReevaluateBudget (or once ctx ends): the deployments left are counted in Skipped.
// Errors: ErrForbidden, ErrRateLimited; the store's (a failing deployment is listed in Failed).
func (s *Service) Reevaluate(ctx context.Context, u piaflow.User) (Drift, error) {
	if err := piaflow.Authorize(u, piaflow.CapReevaluate); err != nil {
		return Drift{}, err
	}
	if err := s.limits.reevaluate.allow(u); err != nil {
		return Drift{}, err
	}
	out := Drift{PolicyVersion: s.ev.PolicyVersion(), PolicyDigest: s.ev.PolicyDigest(), Changed: []DriftEntry{}, Failed: []DriftFailure{}}
	stop := time.Now().Add(s.reevaluateBudget)
	today := time.Now().UTC().Format(time.DateOnly)
	for offset := 0; ; offset += piaflow.MaxPageSize {
		page, total, err := s.st.Deployments(ctx, piaflow.DeploymentFilter{Status: piaflow.DeploymentActive, Limit: piaflow.MaxPageSize, Offset: offset})
		if err != nil {
			return out, err
		}
		// What each deployment of the page needs, read in order; then the evaluations in
		// parallel; then the records in order.
		work := make([]driftWork, 0, len(page))
		for _, d := range page {
			r, err := s.st.LatestComplete(ctx, d.ID)
			if errors.Is(err, piaflow.ErrNotFound) {
				continue
			}
			if err != nil {
				return out, err
			}
			w := driftWork{d: d, r: r}
			if w.prev, err = s.latest(ctx, d.ID); err != nil {
				return out, err
			}
			w.unchanged, _ = s.carries(ctx, w.prev, r, nil, today)
			work = append(work, w)
		}
		s.evaluateAll(ctx, work, stop)
		for _, w := range work {
			switch {
			case w.unchanged:
				out.Checked++
				continue
			case w.skipped:
				out.Skipped++
				continue
			case w.err != nil:
				out.Failed = append(out.Failed, DriftFailure{DeploymentID: w.d.ID, Name: w.d.Name, Err: w.err})
				continue
			}
			out.Checked++
			entry, changed, err := drift(w.prev, w.r, w.a)
			if err != nil {
				return out, err
			}
			if !changed {
				continue
			}
			entry.DeploymentID, entry.Name = w.d.ID, w.d.Name
			rec, err := s.record(ctx, u, w.r, w.a)
			if err != nil {
				out.Failed = append(out.Failed, DriftFailure{DeploymentID: w.d.ID, Name: w.d.Name, Err: err})
				continue
			}
			entry.AssessmentID = rec.ID
			out.Changed = append(out.Changed, entry)
		}
		if int64(offset+piaflow.MaxPageSize) >= total {
			break
		}
	}
	// Told after the fact, in a transaction of its own: each recorded assessment was told in its
	// own (piaflow.EventAssessmentEvaluated).
	err := s.st.EnqueueEvent(context.WithoutCancel(ctx), piaflow.EventReevaluationFinished, piaflow.EventData{Actor: u.Name,
		Reevaluation: &piaflow.EventReevaluation{PolicyVersion: out.PolicyVersion, Checked: out.Checked, Changed: len(out.Changed),
			Failed: len(out.Failed), Skipped: out.Skipped}})
	return out, err
}

// driftWork is one deployment of a re-evaluation: its latest complete revision and latest
// assessment, and the evaluation's outcome.
type driftWork struct {
	d         piaflow.Deployment
	r         piaflow.Revision
	prev      *piaflow.AssessmentRecord
	unchanged bool // its latest assessment holds (carries): assessed before from the same revision, with policies and on a date that make no difference
	skipped   bool // not started: the budget was spent or the caller went away
	a         *assessments.Assessment
	err       error
}

// evaluateAll evaluates the work that needs it, one worker per CPU; an evaluation not started
// before stop (or before ctx ends) is skipped.
func (s *Service) evaluateAll(ctx context.Context, work []driftWork, stop time.Time) {
	// The workers' evaluations take evaluation slots; the request gives its work slot up for
	// the whole phase (admit.Park) rather than each worker in turn.
	defer admit.Park(ctx)()
	next := make(chan int)
	var wg sync.WaitGroup
	for range max(1, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				w := &work[i]
				if ctx.Err() != nil || !time.Now().Before(stop) {
					w.skipped = true
					continue
				}
				q, err := assessments.Parse([]byte(w.r.Document))
				if err != nil {
					w.err = err
					continue
				}
				w.a, w.err = s.ev.Assess(ctx, q, time.Time{})
			}
		}()
	}
	for i := range work {
		if !work[i].unchanged {
			next <- i
		}
	}
	close(next)
	wg.Wait()
}

// latest is a deployment's latest assessment, nil when it has none.
func (s *Service) latest(ctx context.Context, deploymentID uint64) (*piaflow.AssessmentRecord, error) {
	prev, err := s.st.LatestAssessment(ctx, deploymentID)
	switch {
	case errors.Is(err, piaflow.ErrNotFound):
		return nil, nil
	case err != nil:
		return nil, err
	}
	return &prev, nil
}

// drift compares assessment a of revision r with the deployment's latest assessment prev (nil:
// none) and reports whether a must be recorded: its verdict or findings changed, or it is of
// another revision. The entry has the verdicts and the findings added and resolved (its
// deployment and assessment are left to the caller). Both re-assessments use it:
// Reevaluate and a propagation's jobs (Reassess).
func drift(prev *piaflow.AssessmentRecord, r piaflow.Revision, a *assessments.Assessment) (DriftEntry, bool, error) {
	entry := DriftEntry{VerdictAfter: a.Verdict, Added: len(a.Findings)}
	if prev == nil {
		return entry, true, nil
	}
	before, err := DecodeResult(*prev)
	if err != nil {
		return entry, false, err
	}
	diff := assessments.Compare(before, a)
	entry.VerdictBefore, entry.Added, entry.Resolved = before.Verdict, len(diff.Added), len(diff.Resolved)
	return entry, !diff.Empty() || prev.RevisionID != r.ID, nil
}

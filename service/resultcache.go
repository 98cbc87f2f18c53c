package service

import (
	"context"
	"errors"
	"fmt"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/assessments/store"
	"github.com/piaflow/piaflow/internal/lru"
)

// Bounds of what the service keeps of stored assessments in memory (resultCache).
const (
	// storedResultBytes bounds the stored results kept, each counted at storedResultWeight
	// times the bytes of its JSON: the JSON itself, and the decoded result, which takes 2.6–2.7
	// times its JSON in memory (measured for the hospital and logistics examples).
	storedResultBytes  = 32 << 20
	storedResultWeight = 4
	// storedRecordsKept bounds the records kept by revision, policies and day (under 1 KB each:
	// ids, versions, the day, three digests).
	storedRecordsKept = 4096
)

// resultCache keeps what evaluating a stored revision again needs of the stored assessment, so
// that recording it again — an unchanged revision evaluated again, a CI gate on every push —
// neither reads nor decodes a result:
//   - byDigest: stored results, as JSON and decoded, by the SHA-256 of their JSON
//     (piaflow.AssessmentRecord.ResultDigest); the least recently used are dropped first, and a
//     result counted over a quarter of the bound (about 2 MB of JSON) is not kept;
//   - byRevision: what identifies the last record stored of a revision by policies and day
//     (keep; not its review, not its result), the least recently used dropped first.
//
// Both hold for good once stored: a kept result never changes and records are never deleted;
// a record is kept once its result was recorded by this version, so one this version cannot
// reuse is never kept. The decoded results are shared: callers must not change them.
type resultCache struct {
	byDigest   *lru.Cache[storedResult]
	byRevision *lru.Cache[piaflow.AssessmentRecord]
}

// storedResult is a kept result, as stored and decoded.
type storedResult struct {
	body string
	a    *assessments.Assessment
}

func newResultCache() resultCache {
	return resultCache{
		byDigest:   lru.NewCache(storedResultBytes, func(r storedResult) int64 { return int64(len(r.body)) * storedResultWeight }),
		byRevision: lru.NewCache(storedRecordsKept, func(piaflow.AssessmentRecord) int64 { return 1 }),
	}
}

// recordOf returns a stored record of revision revisionID by the policies with digest
// policyDigest under the law of day asOf: kept (keep), or read (store.AssessmentHeaderOf: its
// result not read when it is kept apart). Errors: ErrNotFound.
func (c resultCache) recordOf(ctx context.Context, st *store.Store, revisionID uint64, policyDigest, asOf string) (piaflow.AssessmentRecord, error) {
	if rec, ok := c.byRevision.Get(recordKey(revisionID, policyDigest, asOf)); ok {
		return rec, nil
	}
	return st.AssessmentHeaderOf(ctx, revisionID, policyDigest, asOf)
}

// keep keeps what identifies stored record rec and its result (not its review, not the result
// itself) for recordOf: a record just stored, whose result is usable by this version. A record
// holding its result inline is not kept.
func (c resultCache) keep(rec piaflow.AssessmentRecord) {
	if rec.ResultDigest == "" {
		return
	}
	c.byRevision.Put(recordKey(rec.RevisionID, rec.PolicyDigest, rec.AsOf), piaflow.AssessmentRecord{
		ID: rec.ID, DeploymentID: rec.DeploymentID, RevisionID: rec.RevisionID, PolicyVersion: rec.PolicyVersion,
		PolicyDigest: rec.PolicyDigest, AsOf: rec.AsOf, Verdict: rec.Verdict, InputDigest: rec.InputDigest, ResultDigest: rec.ResultDigest,
	})
}

func recordKey(revisionID uint64, policyDigest, asOf string) string {
	return fmt.Sprintf("%d %s %s", revisionID, policyDigest, asOf)
}

// result returns the result of stored record rec, as JSON and decoded (DecodeResult): kept, or
// read (when rec does not carry it) and decoded, then kept; the decoded assessment is a copy
// of the kept one's top level, whose lists and texts are shared. A record without a result
// digest (stored before migration 16) carries its result, decoded every time. The assessment
// is nil, with no error, when the result cannot be decoded (its schema changed) or the store
// does not hold it (a damaged database): it is evaluated again; an error is the store's.
func (c resultCache) result(ctx context.Context, st *store.Store, rec piaflow.AssessmentRecord) (string, *assessments.Assessment, error) {
	if rec.ResultDigest == "" {
		a, err := DecodeResult(rec)
		if err != nil {
			return "", nil, nil //nolint:nilerr // not decodable: evaluated again
		}
		return rec.Result, a, nil
	}
	if r, ok := c.byDigest.Get(rec.ResultDigest); ok {
		cp := *r.a
		return r.body, &cp, nil
	}
	if rec.Result == "" {
		body, err := st.Result(ctx, rec.ResultDigest)
		switch {
		case errors.Is(err, piaflow.ErrNotFound):
			return "", nil, nil
		case err != nil:
			return "", nil, fmt.Errorf("read result of assessment %d: %w", rec.ID, err)
		}
		rec.Result = body
	}
	a, err := DecodeResult(rec)
	if err != nil {
		return "", nil, nil //nolint:nilerr // not decodable: evaluated again
	}
	kept := *a
	c.byDigest.Put(rec.ResultDigest, storedResult{body: rec.Result, a: &kept})
	return rec.Result, a, nil
}

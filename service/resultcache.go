package service

import (
	"context"
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
	// storedRecordsKept bounds the records kept by revision, policies and day (about 0.5 KB each).
	storedRecordsKept = 4096
)

// resultCache keeps what evaluating a stored revision again needs of the stored assessment, so
// that recording it again — an unchanged revision evaluated again, a CI gate on every push —
// neither reads nor decodes a result:
//   - byDigest: stored results, as JSON and decoded, by the SHA-256 of their JSON
//     (piaflow.AssessmentRecord.ResultDigest); the least recently used are dropped first, and a
//     result counted over a quarter of the bound (about 2 MB of JSON) is not kept;
//   - byRevision: a stored record of a revision by policies and day (without its result), the
//     least recently used dropped first.
//
// Both hold for good once stored: a kept result never changes and records are never deleted.
// The decoded results are shared: callers must not change them.
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
// policyDigest under the law of day asOf: kept, or read (store.AssessmentHeaderOf: its result
// not read when it is kept apart) and then kept. Errors: ErrNotFound.
func (c resultCache) recordOf(ctx context.Context, st *store.Store, revisionID uint64, policyDigest, asOf string) (piaflow.AssessmentRecord, error) {
	key := fmt.Sprintf("%d %s %s", revisionID, policyDigest, asOf)
	if rec, ok := c.byRevision.Get(key); ok {
		return rec, nil
	}
	rec, err := st.AssessmentHeaderOf(ctx, revisionID, policyDigest, asOf)
	if err != nil {
		return rec, err
	}
	if rec.Result == "" { // kept apart: small enough to keep
		c.byRevision.Put(key, rec)
	}
	return rec, nil
}

// result returns the result of stored record rec, as JSON and decoded (DecodeResult): kept, or
// read (when rec does not carry it) and decoded, then kept; the decoded assessment is a copy
// of the kept one's top level, whose lists and texts are shared. A record without a result
// digest (stored before migration 16) carries its result, decoded every time. The assessment
// is nil, with no error, when the result cannot be decoded (its schema changed: evaluate
// again); an error is the store's.
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
		if err != nil {
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

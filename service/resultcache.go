package service

import (
	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/internal/lru"
)

// decodedResultBytes bounds the decoded stored results kept (resultCache), each counted at
// decodedResultWeight times the bytes of its JSON: a decoded result takes 2.6–2.7 times its
// JSON in memory (measured for the hospital and logistics examples).
const (
	decodedResultBytes  = 16 << 20
	decodedResultWeight = 3
)

// resultCache keeps stored assessment results decoded, by the SHA-256 of their JSON
// (piaflow.AssessmentRecord.ResultDigest), so that recording a stored result again — an
// unchanged revision evaluated again, a CI gate on every push — does not decode it again: a
// kept result never changes. The least recently used are dropped first; a result counted over
// a quarter of the bound is not kept (about 1.3 MB of JSON). The results are shared: callers
// must not change them.
type resultCache struct {
	byDigest *lru.Cache[decodedResult]
}

// decodedResult is a kept result and what it counts for in the cache's bound.
type decodedResult struct {
	a    *assessments.Assessment
	size int64
}

func newResultCache() resultCache {
	return resultCache{byDigest: lru.NewCache(decodedResultBytes, func(d decodedResult) int64 { return d.size })}
}

// decode returns the result of stored record rec, decoded (DecodeResult) or kept: a copy of the
// assessment's top level, whose lists and texts are shared. A record without a result digest
// (stored before migration 16) is decoded every time.
func (c resultCache) decode(rec piaflow.AssessmentRecord) (*assessments.Assessment, error) {
	if rec.ResultDigest == "" {
		return DecodeResult(rec)
	}
	if d, ok := c.byDigest.Get(rec.ResultDigest); ok {
		cp := *d.a
		return &cp, nil
	}
	a, err := DecodeResult(rec)
	if err != nil {
		return nil, err
	}
	kept := *a
	c.byDigest.Put(rec.ResultDigest, decodedResult{a: &kept, size: int64(len(rec.Result)) * decodedResultWeight})
	return a, nil
}

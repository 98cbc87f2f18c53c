package service

import (
	"strconv"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/internal/lru"
)

// revisionCacheBytes bounds the parsed revisions kept (revisionCache), counted as the bytes of
// their documents.
const revisionCacheBytes = 4 << 20

// revisionCache keeps the parsed and validated questionnaires of stored revisions by revision
// id, so that evaluating a revision again neither parses nor validates its document again: a
// stored revision never changes. At most revisionCacheBytes of documents are kept, the least
// recently used dropped first; one over a quarter of it is not kept. The questionnaires are
// shared: callers must not change them.
type revisionCache struct {
	byID *lru.Cache[cachedRevision]
}

// cachedRevision is a revision's parsed questionnaire and the size of its document.
type cachedRevision struct {
	q    *assessments.Questionnaire
	size int
}

func newRevisionCache() revisionCache {
	return revisionCache{byID: lru.NewCache(revisionCacheBytes, func(e cachedRevision) int64 { return int64(e.size) })}
}

// kept returns the questionnaire of revision id when it is kept.
func (c revisionCache) kept(id uint64) (*assessments.Questionnaire, bool) {
	e, ok := c.byID.Get(strconv.FormatUint(id, 10))
	return e.q, ok
}

// questionnaire returns revision r's questionnaire: kept, or parsed and validated
// (assessments.Parse) and then kept.
func (c revisionCache) questionnaire(r piaflow.Revision) (*assessments.Questionnaire, error) {
	if q, ok := c.kept(r.ID); ok {
		return q, nil
	}
	q, err := assessments.Parse([]byte(r.Document))
	if err != nil {
		return nil, err
	}
	c.byID.Put(strconv.FormatUint(r.ID, 10), cachedRevision{q: q, size: len(r.Document)})
	return q, nil
}

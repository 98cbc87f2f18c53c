package service

import (
	"sync"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
)

// revisionCacheBytes bounds the parsed revisions kept (revisionCache), counted as the bytes of
// their documents.
const revisionCacheBytes = 4 << 20

// revisionCache keeps the parsed and validated questionnaires of stored revisions by revision
// id, so that evaluating a revision again neither parses nor validates its document again: a
// stored revision never changes. At most revisionCacheBytes of documents are kept, the oldest
// dropped first. The questionnaires are shared: callers must not change them.
type revisionCache struct {
	mu    sync.Mutex
	byID  map[uint64]cachedRevision
	order []uint64 // ids, oldest first
	bytes int
}

// cachedRevision is a revision's parsed questionnaire and the size of its document.
type cachedRevision struct {
	q    *assessments.Questionnaire
	size int
}

// kept returns the questionnaire of revision id when it is kept.
func (c *revisionCache) kept(id uint64) (*assessments.Questionnaire, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byID[id]
	return e.q, ok
}

// questionnaire returns revision r's questionnaire: kept, or parsed and validated
// (assessments.Parse) and then kept.
func (c *revisionCache) questionnaire(r piaflow.Revision) (*assessments.Questionnaire, error) {
	if q, ok := c.kept(r.ID); ok {
		return q, nil
	}
	q, err := assessments.Parse([]byte(r.Document))
	if err != nil {
		return nil, err
	}
	c.put(r.ID, cachedRevision{q: q, size: len(r.Document)})
	return q, nil
}

func (c *revisionCache) put(id uint64, e cachedRevision) {
	if e.size > revisionCacheBytes {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.byID[id]; ok {
		return
	}
	if c.byID == nil {
		c.byID = map[uint64]cachedRevision{}
	}
	for c.bytes+e.size > revisionCacheBytes && len(c.order) > 0 {
		old := c.order[0]
		c.order = c.order[1:]
		c.bytes -= c.byID[old].size
		delete(c.byID, old)
	}
	c.byID[id] = e
	c.order = append(c.order, id)
	c.bytes += e.size
}

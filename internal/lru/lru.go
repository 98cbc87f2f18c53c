// Package lru holds a least-recently-used cache of byte slices bounded by their total size.
package lru

import (
	"container/list"
	"sync"
)

// Bytes keeps byte slices by key up to Max bytes in all, dropping the least recently used
// first. A slice larger than a quarter of the maximum is not kept (one large entry would empty
// the cache). It is safe for concurrent use; callers must not change a slice once Put or Get.
type Bytes struct {
	mu    sync.Mutex
	max   int64
	used  int64
	order *list.List // of *entry, most recently used first
	byKey map[string]*list.Element
}

type entry struct {
	key  string
	body []byte
}

// New is a cache of at most max bytes (zero or less: it keeps nothing).
func New(max int64) *Bytes {
	return &Bytes{max: max, order: list.New(), byKey: map[string]*list.Element{}}
}

// SetMax changes the bound; entries over it are dropped at the next Put.
func (c *Bytes) SetMax(max int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.max = max
}

// Max is the bound in bytes (zero or less: the cache keeps nothing).
func (c *Bytes) Max() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.max
}

// Get returns the slice kept under key, marking it recently used.
func (c *Bytes) Get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byKey[key]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*entry).body, true
}

// Put keeps body under key (replacing what was there), dropping the least recently used
// entries to stay within the bound; a body over a quarter of the bound is not kept.
func (c *Bytes) Put(key string, body []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := int64(len(body))
	if n > c.max/4 {
		return
	}
	if e, ok := c.byKey[key]; ok {
		c.used -= int64(len(e.Value.(*entry).body))
		c.order.Remove(e)
		delete(c.byKey, key)
	}
	for c.used+n > c.max && c.order.Len() > 0 {
		old := c.order.Back()
		c.order.Remove(old)
		ent := old.Value.(*entry)
		delete(c.byKey, ent.key)
		c.used -= int64(len(ent.body))
	}
	c.byKey[key] = c.order.PushFront(&entry{key: key, body: body})
	c.used += n
}

// Used is the size of the slices kept.
func (c *Bytes) Used() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.used
}

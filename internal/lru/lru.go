// Package lru holds least-recently-used caches bounded by the total size of their entries.
package lru

import (
	"container/list"
	"sync"
)

// Cache keeps values by key up to Max in all, each counted at its size (the function given to
// NewCache), dropping the least recently used first. A value larger than a quarter of the maximum is not
// kept (one large entry would empty the cache). It is safe for concurrent use; callers must
// not change a value once Put or Get.
type Cache[V any] struct {
	mu    sync.Mutex
	max   int64
	used  int64
	size  func(V) int64
	order *list.List // of *entry[V], most recently used first
	byKey map[string]*list.Element
}

type entry[V any] struct {
	key   string
	value V
	size  int64
}

// Bytes keeps byte slices, each counted at its length.
type Bytes = Cache[[]byte]

// New is a cache of byte slices of at most max bytes (zero or less: it keeps nothing).
func New(max int64) *Bytes {
	return NewCache(max, func(b []byte) int64 { return int64(len(b)) })
}

// NewCache is a cache of values of at most max in all, each counted at size(value) (zero or
// less: it keeps nothing).
func NewCache[V any](max int64, size func(V) int64) *Cache[V] {
	return &Cache[V]{max: max, size: size, order: list.New(), byKey: map[string]*list.Element{}}
}

// SetMax changes the bound; entries over it are dropped at the next Put.
func (c *Cache[V]) SetMax(max int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.max = max
}

// Max is the bound (zero or less: the cache keeps nothing).
func (c *Cache[V]) Max() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.max
}

// Get returns the value kept under key, marking it recently used.
func (c *Cache[V]) Get(key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byKey[key]
	if !ok {
		var zero V
		return zero, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*entry[V]).value, true
}

// Put keeps value under key (replacing what was there), dropping the least recently used
// entries to stay within the bound; a value over a quarter of the bound is not kept.
func (c *Cache[V]) Put(key string, value V) {
	size := c.size(value)
	c.mu.Lock()
	defer c.mu.Unlock()
	if size > c.max/4 {
		return
	}
	if e, ok := c.byKey[key]; ok {
		c.used -= e.Value.(*entry[V]).size
		c.order.Remove(e)
		delete(c.byKey, key)
	}
	for c.used+size > c.max && c.order.Len() > 0 {
		old := c.order.Back()
		c.order.Remove(old)
		ent := old.Value.(*entry[V])
		delete(c.byKey, ent.key)
		c.used -= ent.size
	}
	c.byKey[key] = c.order.PushFront(&entry[V]{key: key, value: value, size: size})
	c.used += size
}

// Used is the size of the entries kept.
func (c *Cache[V]) Used() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.used
}

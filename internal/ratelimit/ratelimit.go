// Package ratelimit holds keyed token buckets: one bucket per user or client address, refilled
// at a steady rate, with a bounded number of keys so that no stream of new keys can grow memory.
package ratelimit

import (
	"math"
	"sync"
	"time"
)

// Limiter allows Burst requests at once per key and Rate requests per second after that. It is
// safe for concurrent use. The zero value is not usable: build one with New.
type Limiter struct {
	rate    float64 // tokens per second
	burst   float64
	maxKeys int
	now     func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

// Option changes a Limiter built by New.
type Option func(*Limiter)

// WithClock makes the limiter read time from now (tests drive it without sleeping).
func WithClock(now func() time.Time) Option { return func(l *Limiter) { l.now = now } }

// New returns a limiter of perMinute requests a minute per key, burst at once, holding at most
// maxKeys keys (when full, idle keys are forgotten first, then the least limited one: a flood of
// new keys cannot free a key that is being held back).
func New(perMinute, burst, maxKeys int, opts ...Option) *Limiter {
	l := &Limiter{rate: float64(perMinute) / 60, burst: float64(max(burst, 1)), maxKeys: max(maxKeys, 1),
		now: time.Now, buckets: map[string]*bucket{}}
	for _, o := range opts {
		o(l)
	}
	return l
}

// Allow takes one token from key's bucket. When none is left it reports false and how long until
// the next token (for a Retry-After header).
func (l *Limiter) Allow(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= l.maxKeys {
			l.evict(now)
		}
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	if l.rate <= 0 {
		return false, time.Hour
	}
	wait := time.Duration(math.Ceil((1-b.tokens)/l.rate*1000)) * time.Millisecond
	return false, wait
}

// Blocked reports, without taking a token, whether key has none left now and how long until it
// has one: for limits that count only failures (check Blocked first, Allow after a failure).
func (l *Limiter) Blocked(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		return false, 0
	}
	tokens := min(l.burst, b.tokens+l.now().Sub(b.last).Seconds()*l.rate)
	if tokens >= 1 {
		return false, 0
	}
	if l.rate <= 0 {
		return true, time.Hour
	}
	return true, time.Duration(math.Ceil((1-tokens)/l.rate*1000)) * time.Millisecond
}

// Keys is the number of keys the limiter holds.
func (l *Limiter) Keys() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}

// evict forgets every bucket that has refilled (its key is idle: forgetting it changes nothing),
// or else the one with the most tokens left. Called with l.mu held and the map full.
func (l *Limiter) evict(now time.Time) {
	var victim string
	most := -1.0
	for k, b := range l.buckets {
		tokens := b.tokens + now.Sub(b.last).Seconds()*l.rate
		if tokens >= l.burst {
			delete(l.buckets, k)
			continue
		}
		if tokens > most {
			victim, most = k, tokens
		}
	}
	if len(l.buckets) >= l.maxKeys {
		delete(l.buckets, victim)
	}
}

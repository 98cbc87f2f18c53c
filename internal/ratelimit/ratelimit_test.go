package ratelimit

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

// clock is a settable time for the tests.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

func TestBurstThenRate(t *testing.T) {
	c := &clock{t: time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)}
	l := New(60, 3, 10, WithClock(c.now)) // one a second, three at once
	for i := range 3 {
		if ok, _ := l.Allow("alice"); !ok {
			t.Fatalf("request %d of the burst refused", i+1)
		}
	}
	ok, wait := l.Allow("alice")
	if ok || wait != time.Second {
		t.Fatalf("fourth request: allowed %v, wait %v; want refused, 1s", ok, wait)
	}
	if ok, _ := l.Allow("bob"); !ok {
		t.Error("another key shares alice's bucket")
	}
	c.advance(500 * time.Millisecond)
	if ok, wait := l.Allow("alice"); ok || wait != 500*time.Millisecond {
		t.Errorf("after 0.5 s: allowed %v, wait %v; want refused, 500ms", ok, wait)
	}
	c.advance(500 * time.Millisecond)
	if ok, _ := l.Allow("alice"); !ok {
		t.Error("after a second a token is back, but the request was refused")
	}
	c.advance(time.Hour)
	for i := range 3 {
		if ok, _ := l.Allow("alice"); !ok {
			t.Fatalf("after an hour, request %d refused: the bucket refills only to the burst", i+1)
		}
	}
	if ok, _ := l.Allow("alice"); ok {
		t.Error("the bucket refilled beyond its burst")
	}
}

func TestKeysBounded(t *testing.T) {
	c := &clock{t: time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)}
	l := New(60, 2, 100, WithClock(c.now))
	for i := range 10_000 {
		l.Allow(fmt.Sprintf("client-%d", i))
		c.advance(time.Millisecond)
	}
	if n := l.Keys(); n > 100 {
		t.Fatalf("%d keys held, limit 100", n)
	}
	// A key that is being held back is not forgotten for a flood of new ones.
	l.Allow("busy")
	l.Allow("busy")
	c.advance(200 * time.Millisecond)
	for i := range 200 {
		l.Allow(fmt.Sprintf("idle-%d", i))
	}
	if ok, _ := l.Allow("busy"); ok {
		t.Error("a busy key was evicted and its limit forgotten")
	}
}

func TestConcurrentUse(t *testing.T) {
	l := New(0, 50, 10)
	var wg sync.WaitGroup
	allowed := make(chan bool, 200)
	for range 200 {
		wg.Go(func() {
			ok, _ := l.Allow("shared")
			allowed <- ok
		})
	}
	wg.Wait()
	close(allowed)
	n := 0
	for ok := range allowed {
		if ok {
			n++
		}
	}
	if n != 50 {
		t.Errorf("%d of 200 concurrent requests allowed, want exactly the burst of 50", n)
	}
}

// TestBlockedTakesNothing: Blocked reports the state without taking a token.
func TestBlockedTakesNothing(t *testing.T) {
	c := &clock{t: time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)}
	l := New(60, 2, 10, WithClock(c.now))
	for range 5 {
		if blocked, _ := l.Blocked("a"); blocked {
			t.Fatal("an unknown key is blocked")
		}
	}
	l.Allow("a")
	l.Allow("a")
	if blocked, wait := l.Blocked("a"); !blocked || wait != time.Second {
		t.Errorf("after the burst: blocked %v, wait %v; want true, 1s", blocked, wait)
	}
	c.advance(time.Second)
	if blocked, _ := l.Blocked("a"); blocked {
		t.Error("a token came back, but the key is still blocked")
	}
}

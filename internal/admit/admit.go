// Package admit bounds the requests that work at once (admission control). A request takes a
// work slot or waits for one in a first-in-first-out queue bounded in length and in time; a
// waiting request is a parked goroutine, which costs the scheduler nothing, so that the few
// requests that run — and the requests exempt from admission, such as health checks — find a
// CPU quickly.
//
// A request that goes on to wait for, or work in, a slot of another kind — an evaluation slot,
// a render slot, a render of the same report by another request — parks (Park): it hands its
// work slot to the next request for as long as it is there, and takes one again when it comes
// back, ahead of the queue. The other kinds have their own bounds; without parking, a few long
// evaluations (up to their 30 s deadline, after a wait of up to 10 s for their slot) would hold
// every work slot and starve the quick requests.
package admit

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"
)

// Errors of Enter.
var (
	// ErrQueueFull: every slot is taken and the queue holds its most waiting requests.
	ErrQueueFull = errors.New("admission queue full")
	// ErrWaitTimeout: the request waited its longest in the queue without getting a slot.
	ErrWaitTimeout = errors.New("admission wait timed out")
)

// Gate admits at most Slots requests to work at once. It is safe for concurrent use; build one
// with New.
type Gate struct {
	slots, maxQueue int
	wait            time.Duration
	after           func(time.Duration) (<-chan time.Time, func() bool)

	mu sync.Mutex
	// busy counts the slots held. A freed slot goes straight to a waiter, returning ones first,
	// so busy < slots only while nobody waits.
	busy int
	// queue holds the requests waiting to be admitted, oldest first; returning the admitted
	// requests waiting to take a slot again after they parked, oldest first.
	queue, returning []*waiter
}

// waiter is one request waiting for a slot: ready is closed when it got one (granted) or, for a
// returning request, when it no longer needs one.
type waiter struct {
	t       *Ticket
	ready   chan struct{}
	granted bool
}

// Option changes a Gate built by New.
type Option func(*Gate)

// WithTimer makes the gate time its waits with after, which returns a channel that fires after
// d and a function that stops it (tests fire it without sleeping).
func WithTimer(after func(d time.Duration) (<-chan time.Time, func() bool)) Option {
	return func(g *Gate) { g.after = after }
}

// New returns a gate of slots work slots (at least one), whose queue holds at most maxQueue
// waiting requests (0: none; a request that finds every slot taken is refused at once), each for
// at most wait (0 or less: as long as its context lasts).
func New(slots, maxQueue int, wait time.Duration, opts ...Option) *Gate {
	g := &Gate{slots: max(slots, 1), maxQueue: max(maxQueue, 0), wait: wait, after: func(d time.Duration) (<-chan time.Time, func() bool) {
		t := time.NewTimer(d)
		return t.C, t.Stop
	}}
	for _, o := range opts {
		o(g)
	}
	return g
}

// Slots is the number of work slots; MaxQueue the most requests the queue holds; Wait the
// longest a request waits in it.
func (g *Gate) Slots() int { return g.slots }

// MaxQueue is the most requests waiting to be admitted at once.
func (g *Gate) MaxQueue() int { return g.maxQueue }

// Wait is the longest a request waits to be admitted (0: no bound but its context).
func (g *Gate) Wait() time.Duration { return g.wait }

// Stats is a snapshot of a gate: the slots held, the requests waiting to be admitted and the
// parked requests waiting to take a slot again.
type Stats struct {
	Busy, Queued, Returning int
}

// Stats returns the gate's state now.
func (g *Gate) Stats() Stats {
	g.mu.Lock()
	defer g.mu.Unlock()
	return Stats{Busy: g.busy, Queued: len(g.queue), Returning: len(g.returning)}
}

// Ticket is one admitted request: it holds a work slot except while parked. Leave gives the
// slot back when the request is done.
type Ticket struct {
	g *Gate
	// under g.mu:
	holding bool    // the ticket holds a work slot
	parked  int     // how many of the request's goroutines are parked (Park without resume)
	done    bool    // Leave was called
	back    *waiter // the ticket's wait in g.returning, if any
}

// Enter admits a request: it returns at once with a slot free, else waits in the queue — first
// in, first out, behind the returning requests — until a slot is handed to it. Errors:
// ErrQueueFull (the queue holds maxQueue requests), ErrWaitTimeout, the context's.
func (g *Gate) Enter(ctx context.Context) (*Ticket, error) {
	t := &Ticket{g: g}
	g.mu.Lock()
	if g.busy < g.slots && len(g.queue) == 0 && len(g.returning) == 0 {
		g.busy++
		t.holding = true
		g.mu.Unlock()
		return t, nil
	}
	if len(g.queue) >= g.maxQueue {
		g.mu.Unlock()
		return nil, ErrQueueFull
	}
	w := &waiter{t: t, ready: make(chan struct{})}
	g.queue = append(g.queue, w)
	g.mu.Unlock()
	var timeout <-chan time.Time
	if g.wait > 0 {
		c, stop := g.after(g.wait)
		defer stop()
		timeout = c
	}
	var err error
	select {
	case <-w.ready:
		return t, nil
	case <-timeout:
		err = ErrWaitTimeout
	case <-ctx.Done():
		err = ctx.Err()
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if w.granted { // handed a slot as the wait ended: admitted after all
		return t, nil
	}
	g.queue = slices.DeleteFunc(g.queue, func(x *waiter) bool { return x == w })
	return nil, err
}

// free hands a slot that its holder gave up to the oldest returning request, else to the
// oldest queued one, else marks it free. Under g.mu.
func (g *Gate) free() {
	for _, list := range []*[]*waiter{&g.returning, &g.queue} {
		if len(*list) > 0 {
			w := (*list)[0]
			*list = (*list)[1:]
			w.granted, w.t.holding = true, true
			if w.t.back == w {
				w.t.back = nil
			}
			close(w.ready)
			return
		}
	}
	g.busy--
}

// Leave ends the request's admission: its slot, if it holds one, goes to the next request.
// Parking or resuming after Leave does nothing.
func (t *Ticket) Leave() {
	g := t.g
	g.mu.Lock()
	defer g.mu.Unlock()
	t.done = true
	if t.holding {
		t.holding = false
		g.free()
	}
	t.dropBack()
}

// dropBack ends the ticket's wait to take a slot again, if it waits. Under g.mu.
func (t *Ticket) dropBack() {
	if w := t.back; w != nil {
		t.back = nil
		t.g.returning = slices.DeleteFunc(t.g.returning, func(x *waiter) bool { return x == w })
		close(w.ready)
	}
}

// Holding reports whether the ticket holds a work slot now.
func (t *Ticket) Holding() bool {
	t.g.mu.Lock()
	defer t.g.mu.Unlock()
	return t.holding
}

// ticketKey is the context key of a request's *Ticket.
type ticketKey struct{}

// NewContext returns ctx carrying the request's ticket, for Park.
func NewContext(ctx context.Context, t *Ticket) context.Context {
	return context.WithValue(ctx, ticketKey{}, t)
}

// FromContext returns the ticket ctx carries, or nil.
func FromContext(ctx context.Context) *Ticket {
	t, _ := ctx.Value(ticketKey{}).(*Ticket)
	return t
}

// Park gives up the work slot of the request ctx belongs to, if it was admitted by a gate
// (NewContext) and holds one, until resume is called: call it before waiting for, and working in,
// a slot of another kind. resume takes a slot again, ahead of every queued request and beyond the
// queue's bounds (the request was admitted already and has done work that would be lost), waiting
// for one at most as long as ctx lasts (then the request goes on without: its context is done).
// Several goroutines of one request may park at once; the slot is taken again when the last of
// them resumes. Without a ticket in ctx, Park and resume do nothing. resume may be called more
// than once; only the first call counts.
func Park(ctx context.Context) (resume func()) {
	t := FromContext(ctx)
	if t == nil {
		return func() {}
	}
	g := t.g
	g.mu.Lock()
	if t.done {
		g.mu.Unlock()
		return func() {}
	}
	t.parked++
	if t.holding {
		t.holding = false
		g.free()
	}
	t.dropBack() // another goroutine of the request that was coming back need not any more
	g.mu.Unlock()
	var once sync.Once
	return func() { once.Do(func() { t.resume(ctx) }) }
}

// resume ends one Park: the last one takes a slot again (see Park).
func (t *Ticket) resume(ctx context.Context) {
	g := t.g
	g.mu.Lock()
	t.parked--
	if t.done || t.parked > 0 || t.holding {
		g.mu.Unlock()
		return
	}
	if g.busy < g.slots && len(g.queue) == 0 && len(g.returning) == 0 {
		g.busy++
		t.holding = true
		g.mu.Unlock()
		return
	}
	w := &waiter{t: t, ready: make(chan struct{})}
	g.returning = append(g.returning, w)
	t.back = w
	g.mu.Unlock()
	select {
	case <-w.ready:
	case <-ctx.Done():
		g.mu.Lock()
		if t.back == w { // not handed a slot: go on without one, the request is ending
			t.dropBack()
		}
		g.mu.Unlock()
	}
}

// SlowIO is how long a read of the request's body or a write of its answer may block before the
// request parks (During): a client slow to send or to take the answer must not hold a work slot.
const SlowIO = 2 * time.Millisecond

// During runs f — a read from the client or a write to it — and parks the request ctx belongs
// to if f has not returned within d, until it returns. Without a ticket in ctx it just runs f.
func During(ctx context.Context, d time.Duration, f func()) {
	if FromContext(ctx) == nil {
		f()
		return
	}
	var resume func()
	parked := make(chan struct{})
	timer := time.AfterFunc(d, func() {
		resume = Park(ctx)
		close(parked)
	})
	f()
	if !timer.Stop() { // it fired: wait until it parked, then come back
		<-parked
		resume()
	}
}

package admit

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"
)

var yield = runtime.Gosched

// fakeTimer is a timer the test fires: every wait of the gate gets the same channel.
type fakeTimer chan time.Time

func (f fakeTimer) after(time.Duration) (<-chan time.Time, func() bool) {
	return f, func() bool { return true }
}

// enterAsync starts Enter in a goroutine and returns once the request waits in the queue (the
// gate's state says so: the wait is under the gate's lock before Enter blocks).
func enterAsync(t *testing.T, g *Gate, ctx context.Context) <-chan result {
	t.Helper()
	before := g.Stats().Queued
	out := make(chan result, 1)
	go func() {
		tk, err := g.Enter(ctx)
		out <- result{tk, err}
	}()
	waitFor(t, func() bool { return g.Stats().Queued > before })
	return out
}

type result struct {
	t   *Ticket
	err error
}

// waitFor spins (yielding, never sleeping) until cond holds; the test's deadline bounds it.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for !cond() {
		select {
		case <-t.Context().Done():
			t.Fatal("condition never held")
		default:
		}
		yield()
	}
}

func mustEnter(t *testing.T, g *Gate) *Ticket {
	t.Helper()
	tk, err := g.Enter(context.Background())
	if err != nil {
		t.Fatalf("enter with a free slot: %v", err)
	}
	return tk
}

// TestQueueOrder: requests that find every slot taken are admitted first in, first out, each
// when a slot is given back.
func TestQueueOrder(t *testing.T) {
	for _, tc := range []struct {
		name    string
		slots   int
		waiting int
	}{
		{"OneSlotThreeWaiting", 1, 3},
		{"TwoSlotsFiveWaiting", 2, 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := New(tc.slots, tc.waiting, 0)
			var holders []*Ticket
			for range tc.slots {
				holders = append(holders, mustEnter(t, g))
			}
			var waiting []<-chan result
			for range tc.waiting {
				waiting = append(waiting, enterAsync(t, g, context.Background()))
			}
			// each slot given back admits the oldest waiting request, and only it
			for i, w := range waiting {
				holders[0].Leave()
				r := <-w
				if r.err != nil {
					t.Fatalf("waiting request %d: %v", i, r.err)
				}
				if st := g.Stats(); st.Busy != tc.slots || st.Queued != tc.waiting-i-1 {
					t.Fatalf("after admitting request %d: %+v", i, st)
				}
				for j, later := range waiting[i+1:] {
					select {
					case r := <-later:
						t.Fatalf("request %d admitted before request %d: %+v", i+1+j, i, r)
					default:
					}
				}
				holders = append(holders[1:], r.t)
			}
			for _, h := range holders {
				h.Leave()
			}
			if st := g.Stats(); st != (Stats{}) {
				t.Errorf("every request left: %+v", st)
			}
		})
	}
}

// TestRefusals: a full queue refuses at once, a wait past its bound and a client gone leave the
// queue, and the slot goes to the next request.
func TestRefusals(t *testing.T) {
	for _, tc := range []struct {
		name string
		run  func(t *testing.T, g *Gate, fire fakeTimer) error
	}{
		{"QueueFull", func(t *testing.T, g *Gate, _ fakeTimer) error {
			enterAsync(t, g, context.Background())
			_, err := g.Enter(context.Background())
			if !errors.Is(err, ErrQueueFull) {
				return err
			}
			return nil
		}},
		{"WaitTimeout", func(t *testing.T, g *Gate, fire fakeTimer) error {
			w := enterAsync(t, g, context.Background())
			fire <- time.Time{}
			if r := <-w; !errors.Is(r.err, ErrWaitTimeout) {
				return r.err
			}
			return nil
		}},
		{"ClientGone", func(t *testing.T, g *Gate, _ fakeTimer) error {
			ctx, cancel := context.WithCancel(context.Background())
			w := enterAsync(t, g, ctx)
			cancel()
			if r := <-w; !errors.Is(r.err, context.Canceled) {
				return r.err
			}
			return nil
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fire := make(fakeTimer)
			g := New(1, 1, time.Minute, WithTimer(fire.after))
			holder := mustEnter(t, g)
			if err := tc.run(t, g, fire); err != nil {
				t.Fatalf("want the refusal, got %v", err)
			}
			if st := g.Stats(); st.Busy != 1 || st.Queued > 1 {
				t.Fatalf("after the refusal: %+v", st)
			}
			holder.Leave()
			waitFor(t, func() bool { return g.Stats().Queued == 0 })
			if st := g.Stats(); tc.name != "QueueFull" && st.Busy != 0 {
				t.Errorf("a refused request holds a slot: %+v", st)
			}
		})
	}
}

// TestPark: a parked request gives its slot to the next one and, when it resumes, takes a slot
// again ahead of the queue; several goroutines of one request park together; parking after Leave
// does nothing.
func TestPark(t *testing.T) {
	t.Run("SlotHandedOnAndTakenBackFirst", func(t *testing.T) {
		g := New(1, 2, 0)
		a := mustEnter(t, g)
		ctxA := NewContext(context.Background(), a)
		b := enterAsync(t, g, context.Background())
		resume := Park(ctxA)
		rb := <-b // a parked: b got its slot
		if rb.err != nil || a.Holding() {
			t.Fatalf("after a parked: b %v, a holding %v", rb.err, a.Holding())
		}
		c := enterAsync(t, g, context.Background())
		back := make(chan struct{})
		go func() { resume(); close(back) }()
		waitFor(t, func() bool { return g.Stats().Returning == 1 })
		rb.t.Leave() // the slot goes to a, coming back, not to c who queued first
		<-back
		if !a.Holding() {
			t.Fatal("a resumed without its slot")
		}
		select {
		case r := <-c:
			t.Fatalf("c admitted before a came back: %+v", r)
		default:
		}
		a.Leave()
		if r := <-c; r.err != nil {
			t.Fatal(r.err)
		} else {
			r.t.Leave()
		}
	})
	t.Run("GoroutinesParkTogether", func(t *testing.T) {
		g := New(1, 0, 0)
		a := mustEnter(t, g)
		ctx := NewContext(context.Background(), a)
		r1, r2 := Park(ctx), Park(ctx)
		if st := g.Stats(); st.Busy != 0 {
			t.Fatalf("parked twice: %+v", st)
		}
		r1()
		r1() // only the first call counts
		if a.Holding() {
			t.Fatal("took the slot back while another goroutine is still parked")
		}
		r2()
		if !a.Holding() {
			t.Fatal("the last resume did not take the slot back")
		}
		a.Leave()
		if st := g.Stats(); st != (Stats{}) {
			t.Errorf("after leaving: %+v", st)
		}
	})
	t.Run("ParkWhileComingBack", func(t *testing.T) {
		g := New(1, 1, 0)
		a := mustEnter(t, g)
		ctx := NewContext(context.Background(), a)
		resume := Park(ctx)
		b := mustEnter(t, g)
		back := make(chan struct{})
		go func() { resume(); close(back) }()
		waitFor(t, func() bool { return g.Stats().Returning == 1 })
		again := Park(ctx) // another goroutine of a parks: the one coming back need not wait
		<-back
		if st := g.Stats(); st.Returning != 0 || st.Busy != 1 || a.Holding() {
			t.Fatalf("after parking again: %+v, a holding %v", st, a.Holding())
		}
		b.Leave()
		again()
		if !a.Holding() {
			t.Fatal("a did not take the free slot back")
		}
		a.Leave()
	})
	t.Run("AfterLeave", func(t *testing.T) {
		g := New(1, 0, 0)
		a := mustEnter(t, g)
		ctx := NewContext(context.Background(), a)
		a.Leave()
		Park(ctx)()
		if st := g.Stats(); st != (Stats{}) {
			t.Errorf("park after leave: %+v", st)
		}
	})
	t.Run("NoTicket", func(t *testing.T) {
		Park(context.Background())() // the command line, background jobs: nothing to do
	})
	t.Run("ClientGoneWhileComingBack", func(t *testing.T) {
		g := New(1, 0, 0)
		a := mustEnter(t, g)
		ctx, cancel := context.WithCancel(NewContext(context.Background(), a))
		resume := Park(ctx)
		b := mustEnter(t, g)
		back := make(chan struct{})
		go func() { resume(); close(back) }()
		waitFor(t, func() bool { return g.Stats().Returning == 1 })
		cancel()
		<-back
		if a.Holding() || g.Stats().Returning != 0 {
			t.Fatalf("a came back without a slot free: holding %v, %+v", a.Holding(), g.Stats())
		}
		a.Leave()
		b.Leave()
		if st := g.Stats(); st != (Stats{}) {
			t.Errorf("after leaving: %+v", st)
		}
	})
}

// Package lowprio runs CPU-bound work — evaluations of questionnaires, renders of reports — on
// operating-system threads of lower scheduling priority than the server's other threads, so
// that a health check or a quick request that wakes up while such work holds every core gets a
// core at once instead of waiting for Go's scheduler to preempt the work (about every 10 ms) or
// for the kernel to share the cores out evenly among equals.
//
// Go has no goroutine priorities; the kernel has thread priorities. Runner.Do runs its function
// in a new goroutine locked to its own thread (runtime.LockOSThread), raises that thread's nice
// value, and lets the goroutine end still locked, so that the runtime ends the thread with it
// and no other goroutine ever runs at the lowered priority. Starting a thread costs tens of
// microseconds, against milliseconds to seconds of the work it runs.
//
// Nice values only matter when threads compete for a core: on an idle machine the work runs at
// full speed. Where threads cannot be given a priority of their own (other systems than Linux)
// Do runs its function in the calling goroutine.
package lowprio

import "runtime"

// MaxNice is the highest nice value (lowest priority) a thread can have.
const MaxNice = 19

// Runner runs functions at a lowered priority. The zero value runs them as they are, in the
// calling goroutine.
type Runner struct {
	nice int
}

// New returns a runner that raises the nice value of the threads it runs work on by nice (at
// most to MaxNice); nice ≤ 0 gives the zero Runner.
func New(nice int) Runner { return Runner{nice: min(max(nice, 0), MaxNice)} }

// Nice is how much the runner raises a thread's nice value (0: it runs work as it is).
func (r Runner) Nice() int { return r.nice }

// Do runs fn and returns when it returned. With a nice value and where the system allows it, fn
// runs in a goroutine of its own on a thread of its own at the lowered priority; a panic in fn
// is raised again, with the same value, in the caller's goroutine (and runtime.Goexit in fn
// ends the caller's goroutine too). fn should honour its caller's context: Do waits for it
// whatever happens.
func (r Runner) Do(fn func()) {
	if r.nice <= 0 || !supported {
		fn()
		return
	}
	var (
		ended bool // fn did not return: it panicked or called runtime.Goexit
		value any  // what fn panicked with
		done  = make(chan struct{})
	)
	go func() {
		defer close(done)
		// Never unlocked: when this goroutine ends, its thread ends with it, so the lowered
		// priority does not outlive fn.
		runtime.LockOSThread()
		lower(r.nice)
		ended = true
		defer func() {
			if ended {
				value = recover()
			}
		}()
		fn()
		ended = false
	}()
	<-done
	switch {
	case ended && value != nil:
		panic(value)
	case ended:
		runtime.Goexit()
	}
}

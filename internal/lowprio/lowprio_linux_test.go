package lowprio

import (
	"errors"
	"runtime"
	"syscall"
	"testing"
)

// threadNice is the calling thread's nice value (locked to it by the caller), or an error
// (returned, not reported: it is also called from Do's goroutine, where t.Fatal may not be).
func threadNice() (int, error) {
	raw, err := syscall.Getpriority(syscall.PRIO_PROCESS, syscall.Gettid())
	return 20 - raw, err
}

// baseNice is the nice value of a thread of the test process that was not lowered.
func baseNice(t *testing.T) int {
	t.Helper()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	n, err := threadNice()
	if err != nil {
		t.Fatalf("getpriority: %v", err)
	}
	return n
}

func TestDoLowersOnlyTheWorkersThread(t *testing.T) {
	base := baseNice(t)
	tests := []struct {
		name      string
		r         Runner
		wantNice  int
		ownThread bool
	}{
		{"zero runner: inline", Runner{}, base, false},
		{"New(0): inline", New(0), base, false},
		{"New(-3): inline", New(-3), base, false},
		{"New(5): own thread, 5 lower", New(5), min(base+5, MaxNice), true},
		{"New(99): capped at MaxNice", New(99), MaxNice, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runtime.LockOSThread() // the subtest's goroutine: its thread is the caller's
			defer runtime.UnlockOSThread()
			tid := syscall.Gettid()
			var (
				nice, worker int
				niceErr      error
			)
			ran := false
			tt.r.Do(func() {
				ran = true
				nice, niceErr = threadNice()
				worker = syscall.Gettid()
			})
			if !ran || niceErr != nil {
				t.Fatalf("fn ran %v, getpriority in fn: %v", ran, niceErr)
			}
			if nice != tt.wantNice {
				t.Errorf("fn ran at nice %d, want %d", nice, tt.wantNice)
			}
			if (worker != tid) != tt.ownThread {
				t.Errorf("fn ran on thread %d, the caller's is %d: own thread = %v, want %v", worker, tid, worker != tid, tt.ownThread)
			}
			if got, err := threadNice(); err != nil || got != base {
				t.Errorf("the caller's thread is at nice %d (%v) after Do, want %d as before", got, err, base)
			}
		})
	}
}

func TestDoRaisesPanicsInTheCaller(t *testing.T) {
	want := errors.New("boom")
	for _, r := range []Runner{{}, New(3)} {
		func() {
			defer func() {
				if got := recover(); got != want {
					t.Errorf("nice %d: recovered %v, want the panic's own value %v", r.Nice(), got, want)
				}
			}()
			r.Do(func() { panic(want) })
			t.Errorf("nice %d: Do returned after fn panicked", r.Nice())
		}()
	}
}

func TestDoEndsTheCallerOnGoexit(t *testing.T) {
	returned, ended := false, make(chan struct{})
	go func() {
		defer close(ended)
		New(3).Do(runtime.Goexit)
		returned = true
	}()
	<-ended
	if returned {
		t.Error("Do returned after fn called runtime.Goexit; the caller's goroutine should have ended")
	}
}

// The thread that ran fn is not reused: another Do starts from the process's priority again
// rather than lowering an already lowered thread further.
func TestDoDoesNotCompound(t *testing.T) {
	base := baseNice(t)
	r := New(4)
	for i := range 20 {
		var (
			nice int
			err  error
		)
		r.Do(func() { nice, err = threadNice() })
		if err != nil || nice != min(base+4, MaxNice) {
			t.Fatalf("run %d: fn at nice %d (%v), want %d", i, nice, err, min(base+4, MaxNice))
		}
	}
}

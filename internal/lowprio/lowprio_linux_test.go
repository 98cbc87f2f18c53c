package lowprio

import (
	"errors"
	"runtime"
	"syscall"
	"testing"
)

// threadNice is the calling thread's nice value (locked to it by the caller).
func threadNice(t *testing.T) int {
	t.Helper()
	raw, err := syscall.Getpriority(syscall.PRIO_PROCESS, syscall.Gettid())
	if err != nil {
		t.Fatalf("getpriority: %v", err)
	}
	return 20 - raw
}

func TestDoLowersOnlyTheWorkersThread(t *testing.T) {
	runtime.LockOSThread()
	base := threadNice(t)
	runtime.UnlockOSThread()
	if base+5 > MaxNice {
		t.Fatalf("the test process runs at nice %d: no room to lower a thread by 5", base)
	}
	tests := []struct {
		name      string
		r         Runner
		wantNice  int
		ownThread bool
	}{
		{"zero runner: inline", Runner{}, base, false},
		{"New(0): inline", New(0), base, false},
		{"New(-3): inline", New(-3), base, false},
		{"New(5): own thread, 5 lower", New(5), base + 5, true},
		{"New(99): capped at MaxNice", New(99), MaxNice, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runtime.LockOSThread() // the subtest's goroutine: its thread is the caller's
			defer runtime.UnlockOSThread()
			tid := syscall.Gettid()
			var nice, worker int
			ran := false
			tt.r.Do(func() {
				ran = true
				nice, worker = threadNice(t), syscall.Gettid()
			})
			if !ran {
				t.Fatal("fn did not run")
			}
			if nice != tt.wantNice {
				t.Errorf("fn ran at nice %d, want %d", nice, tt.wantNice)
			}
			if (worker != tid) != tt.ownThread {
				t.Errorf("fn ran on thread %d, the caller's is %d: own thread = %v, want %v", worker, tid, worker != tid, tt.ownThread)
			}
			if got := threadNice(t); got != base {
				t.Errorf("the caller's thread is at nice %d after Do, want %d as before", got, base)
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
	runtime.LockOSThread()
	base := threadNice(t)
	runtime.UnlockOSThread()
	r := New(4)
	for i := range 20 {
		var nice int
		r.Do(func() { nice = threadNice(t) })
		if nice != min(base+4, MaxNice) {
			t.Fatalf("run %d: fn at nice %d, want %d", i, nice, min(base+4, MaxNice))
		}
	}
}

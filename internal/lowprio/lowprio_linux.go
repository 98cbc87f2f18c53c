package lowprio

import "syscall"

// supported: Linux gives every thread a nice value of its own (setpriority(2) with a thread id
// changes that thread only, unlike POSIX, which the man page documents).
const supported = true

// lower raises the calling thread's nice value by n, at most to MaxNice. Raising one's own
// nice value needs no privilege; an error (a sandbox forbidding it) leaves the thread as it was,
// which only loses the preference, so it is not reported.
func lower(n int) {
	tid := syscall.Gettid()
	// The system call returns 20 - nice (1 … 40) rather than the nice value.
	raw, err := syscall.Getpriority(syscall.PRIO_PROCESS, tid)
	if err != nil {
		return
	}
	_ = syscall.Setpriority(syscall.PRIO_PROCESS, tid, min(20-raw+n, MaxNice))
}

package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/piaflow/piaflow"
)

// TestEvalTimeoutFlag: an evaluation past --eval-timeout exits 3 with a message naming the
// deadline, in every command that evaluates; the flag must be a duration.
func TestEvalTimeoutFlag(t *testing.T) {
	for _, args := range [][]string{
		{"assess", "../../examples/hospital-ehr-germany.yaml", "--eval-timeout", "1ns"},
		{"hosting-check", "--data", "contact", "--subjects", "DE", "--host", "SG", "--eval-timeout", "1ns"},
		{"policies", "profile", "../../examples/hospital-ehr-germany.yaml", "--eval-timeout", "1ns"},
	} {
		code, _, stderr := runCLI(t, args...)
		if code != exitInternal || !strings.Contains(stderr, "took longer than its deadline of 1ns") {
			t.Errorf("%s: exit %d, stderr %q", args[0], code, stderr)
		}
	}
	// with --lang zh-CN the message is Chinese, the exit code the same
	code, _, stderr := runCLI(t, "assess", "../../examples/hospital-ehr-germany.yaml", "--eval-timeout", "1ns", "--lang", "zh-CN")
	if code != exitInternal || !strings.Contains(stderr, "评估耗时超过其时限 1 纳秒") {
		t.Errorf("assess --lang zh-CN: exit %d, stderr %q", code, stderr)
	}
	if code, _, _ := runCLI(t, "assess", "../../examples/hospital-ehr-germany.yaml", "--eval-timeout", "soon"); code != exitUsage {
		t.Errorf("--eval-timeout soon: exit %d", code)
	}
}

// TestAsOfBefore1970: --as-of 0001-01-01 is refused (it used to become today).
func TestAsOfBefore1970(t *testing.T) {
	code, _, stderr := runCLI(t, "assess", "../../examples/hospital-ehr-germany.yaml", "--as-of", "0001-01-01")
	if code != exitUsage || !strings.Contains(stderr, "is before 1970-01-01") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// TestServerTimeouts: the HTTP server's write timeout outlasts the evaluation deadline, a
// report's wait for a render slot (a re-evaluation runs as jobs), so that a slow evaluation is answered
// (503), not dropped.
func TestServerTimeouts(t *testing.T) {
	for _, d := range []time.Duration{time.Second, piaflow.DefaultEvalTimeout, 5 * time.Minute} {
		srv := httpServer(http.NotFoundHandler(), d)
		if srv.WriteTimeout <= d+piaflow.DefaultEvalWait || srv.WriteTimeout <= piaflow.DefaultRenderWait {
			t.Errorf("eval timeout %s: write timeout %s", d, srv.WriteTimeout)
		}
	}
}

// TestServeFlags: serve refuses nonsense limits before opening anything.
func TestServeFlags(t *testing.T) {
	// The environment's GOGC or GOMEMLIMIT would make --gc-percent -1 acceptable (and start a
	// server): the cases are about the flags alone.
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	for _, args := range [][]string{
		{"serve", "--render-slots", "0"},
		{"serve", "--eval-slots", "0"},
		{"serve", "--memory-limit-mib", "-1"},
		{"serve", "--gc-percent", "-2"},
		{"serve", "--gc-percent", "-1", "--memory-limit-mib", "0"},
		{"serve", "--log-level", "verbose"},
		{"serve", "--eval-timeout", "0s"},
		{"serve", "--rate-evaluate", "ten"},
		{"serve", "--rate-reports", "10:0"},
	} {
		if code, _, _ := runCLI(t, args...); code != exitUsage {
			t.Errorf("%v: exit %d", args, code)
		}
	}
	var r rateFlag
	for in, want := range map[string]string{"30:10": "30:10", "60": "60:10", "0": "0"} {
		if err := r.Set(in); err != nil || r.String() != want {
			t.Errorf("rate %q: %s, %v", in, r.String(), err)
		}
	}
}

package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/piaflow/piaflow/policies"
)

// TestVersion: `version` and `--version` print the module version and the policy library's
// version and digest, on stdout.
func TestVersion(t *testing.T) {
	e, err := policies.Default()
	if err != nil {
		t.Fatal(err)
	}
	want := regexp.MustCompile(`^piaflow \S.*\npolicies ` + regexp.QuoteMeta(e.Version()+" ("+e.Digest()+")") + "\n$")
	for _, arg := range []string{"version", "--version"} {
		code, out, errOut := runCLI(t, arg)
		if code != exitOK || errOut != "" || !want.MatchString(out) {
			t.Errorf("%s: exit %d, stdout %q, stderr %q", arg, code, out, errOut)
		}
	}
	if code, _, _ := runCLI(t, "version", "extra"); code != exitUsage {
		t.Errorf("version extra: exit %d, want 2", code)
	}
}

// TestUsageErrorsOnStderr: a wrong flag prints the error and the flags on stderr and nothing
// on stdout (exit 2); -h prints the flags on stdout (exit 0).
func TestUsageErrorsOnStderr(t *testing.T) {
	for _, args := range [][]string{
		{"assess", "--no-such-flag", "x.yaml"},
		{"validate", "--bogus"},
		{"hosting-check", "--nope"},
		{"serve", "--port", "1"},
		{"policies", "list", "--zzz"},
		{"admin", "create-user", "--x"},
		{"actions", "import", "--y"},
		{"no-such-command"},
		{},
	} {
		code, out, errOut := runCLI(t, args...)
		if code != exitUsage || out != "" || errOut == "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
		if len(args) > 1 && strings.Count(errOut, "flag provided but not defined") != 1 {
			t.Errorf("%v: the error is not said exactly once:\n%s", args, errOut)
		}
	}
	code, out, errOut := runCLI(t, "validate", "-h")
	if code != exitOK || !strings.Contains(out, "Usage") && !strings.Contains(out, "usage") || errOut != "" {
		t.Errorf("validate -h: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// Package reporttest gives tests the real tools that read reports back: poppler's pdftotext and
// pdftoppm. scripts/test.sh installs them and sets PIAFLOW_REQUIRE_TOOLS, so there a missing
// tool fails the test; elsewhere the test is skipped with the command that installs it.
package reporttest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Tool returns the path of a command the test drives.
func Tool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("PIAFLOW_REQUIRE_TOOLS") != "" {
			t.Fatalf("%s is required (scripts/test-tools.sh installs it): %v", name, err)
		}
		t.Skipf("%s not installed (bash scripts/test.sh installs it)", name)
	}
	return p
}

// PDFText extracts a PDF's text with pdftotext (pages end with a form feed); args go before the
// file, e.g. "-bbox" or "-layout".
func PDFText(t testing.TB, pdf []byte, args ...string) string {
	t.Helper()
	bin := Tool(t, "pdftotext")
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, append(append([]string{"-enc", "UTF-8"}, args...), path, "-")...).CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	return string(out)
}

// Squeeze drops all white space, so text that wrapped across lines still matches.
func Squeeze(s string) string { return strings.Join(strings.Fields(s), "") }

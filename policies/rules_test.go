package policies

import (
	"io/fs"
	"strings"
	"testing"
)

// TestEveryRuleIsDocumentedAndTested: every finding rule carries its regime, article, source URL,
// kind, severity, owner and action, and some Rego test names its finding id.
func TestEveryRuleIsDocumentedAndTested(t *testing.T) {
	e, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	var tests strings.Builder
	err = fs.WalkDir(bundleFS, "rego", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, "_test.rego") {
			return err
		}
		b, err := bundleFS.ReadFile(p)
		tests.Write(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	src := tests.String()
	if len(e.Rules()) < 40 {
		t.Errorf("only %d finding rules", len(e.Rules()))
	}
	for _, r := range e.Rules() {
		for name, v := range map[string]string{"regime": r.Regime, "ref": r.Ref, "title": r.Title, "description": r.Description, "action": r.Action} {
			if v == "" {
				t.Errorf("%s (%s): no %s", r.ID, r.Location, name)
			}
		}
		if !strings.HasPrefix(r.URL, "https://") && !strings.HasPrefix(r.URL, "http://") {
			t.Errorf("%s: source URL %q", r.ID, r.URL)
		}
		if !InEnum("kind", r.Kind) || !InEnum("severity", r.Severity) || !InEnum("owner", r.Owner) {
			t.Errorf("%s: kind %q, severity %q, owner %q", r.ID, r.Kind, r.Severity, r.Owner)
		}
		id := strings.TrimPrefix(r.ID, "<REGIME>")
		if !strings.Contains(src, id+`"`) {
			t.Errorf("%s: no Rego test asserts a finding with this id", r.ID)
		}
	}
}

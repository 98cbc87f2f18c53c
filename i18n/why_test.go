package i18n_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/i18n"
)

// TestWhyMsgsRenderGoldens renders the structured messages beside the transfer rows' texts
// (why_msg, exporter_msg) and the localisation problems (problems_msg) of every example's
// golden assessment in every language: each renders without a placeholder left, and its English
// rendering equals the text beside it.
func TestWhyMsgsRenderGoldens(t *testing.T) {
	c := mustLoad(t)
	paths, err := filepath.Glob("../assessments/testdata/golden/*.json")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no golden assessments: %v", err)
	}
	type pair struct {
		where   string
		msg     *assessments.Message
		english string
	}
	var pairs []pair
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var a assessments.Assessment
		if err := json.Unmarshal(b, &a); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		base := filepath.Base(p)
		for _, r := range a.Transfers {
			if r.WhyMsg != nil {
				pairs = append(pairs, pair{base + " transfers why " + r.Via, r.WhyMsg, r.Why})
			}
			if r.ExporterMsg != nil {
				pairs = append(pairs, pair{base + " transfers exporter " + r.Via, r.ExporterMsg, r.Exporter})
			}
		}
		for _, l := range a.Localisation {
			if len(l.ProblemsMsg) != 0 && len(l.ProblemsMsg) != len(l.Problems) {
				t.Errorf("%s localisation %s: %d problems, %d messages", base, l.Rule, len(l.Problems), len(l.ProblemsMsg))
				continue
			}
			for i := range l.ProblemsMsg {
				pairs = append(pairs, pair{base + " localisation " + l.Rule, &l.ProblemsMsg[i], l.Problems[i]})
			}
		}
	}
	if len(pairs) == 0 {
		t.Fatal("no golden transfer row carries a structured message")
	}
	for _, p := range pairs {
		for _, lang := range i18n.Languages() {
			got, ok := c.Get(lang).Message(p.msg)
			if !ok {
				t.Errorf("%s: %s has no message %s", p.where, lang, p.msg.ID)
				continue
			}
			if msgPlaceholder.MatchString(got) || strings.Contains(got, "transfers.") {
				t.Errorf("%s: %s rendering leaves a placeholder or an unknown nested message: %s", p.where, lang, got)
			}
			if lang == i18n.English && got != p.english {
				t.Errorf("%s: English rendering\n%s\ndiffers from\n%s", p.where, got, p.english)
			}
		}
	}
	t.Logf("rendered %d structured reasons", len(pairs))
}

package i18n_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/i18n"
)

func TestParseLang(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"en", "en", true},
		{"EN", "en", true},
		{"zh-CN", "zh-CN", true},
		{"zh-cn", "zh-CN", true},
		{"ZH-CN", "zh-CN", true},
		{"", "", false},
		{"zh", "", false},
		{"zh_CN", "", false},
		{"zh-Hans", "", false},
		{"en-US", "", false},
		{"fr", "", false},
		{"zh-CN, en", "", false},
		{" en", "", false},
	} {
		if got, ok := i18n.ParseLang(tc.in); got != tc.want || ok != tc.ok {
			t.Errorf("ParseLang(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// TestLocaliseLeavesTheOriginal: every golden assessment localised into Chinese leaves the
// assessment it was given byte for byte as it was (the API localises stored and cached
// assessments), keeps the number of findings, and English gives the assessment itself.
func TestLocaliseLeavesTheOriginal(t *testing.T) {
	c := mustLoad(t)
	zh, en := c.Get(i18n.SimplifiedChinese), c.Get(i18n.English)
	paths, err := filepath.Glob("../assessments/testdata/golden/*.json")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no golden assessments: %v", err)
	}
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var a assessments.Assessment
			if err := json.Unmarshal(raw, &a); err != nil {
				t.Fatal(err)
			}
			before, _ := json.Marshal(&a)
			out := zh.LocaliseAssessment(&a)
			after, _ := json.Marshal(&a)
			if !bytes.Equal(before, after) {
				t.Error("LocaliseAssessment changed the assessment it was given")
			}
			if out == &a || len(out.Findings) != len(a.Findings) || len(out.Regimes) != len(a.Regimes) {
				t.Fatalf("localised copy: %d findings, %d regimes", len(out.Findings), len(out.Regimes))
			}
			for i, f := range out.Findings {
				if !hasHan(f.Title) {
					t.Errorf("%s: title %q", f.Key, f.Title)
				}
				if f.Key != a.Findings[i].Key || f.DetailMsg != a.Findings[i].DetailMsg {
					t.Errorf("%s: key or detail_msg changed", f.Key)
				}
			}
			for i, h := range out.DPIA.Lists {
				if !hasHan(h.Authority) || !hasHan(h.Text) || h.Item != a.DPIA.Lists[i].Item {
					t.Errorf("DPIA list %s item %s: %q, %q", h.List, h.Item, h.Authority, h.Text)
				}
			}
			if en.LocaliseAssessment(&a) != &a {
				t.Error("English is not the assessment itself")
			}
			d := assessments.Diff{Added: a.Findings}
			if ld := zh.LocaliseDiff(d); len(ld.Added) > 0 && &ld.Added[0] == &a.Findings[0] {
				t.Error("LocaliseDiff shares the findings it was given")
			}
			after, _ = json.Marshal(&a)
			if !bytes.Equal(before, after) {
				t.Error("LocaliseDiff changed the findings it was given")
			}
		})
	}
	if zh.LocaliseAssessment(nil) != nil || zh.LocaliseHosting(nil) != nil {
		t.Error("nil is not localised as nil")
	}
}

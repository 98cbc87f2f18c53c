package i18n_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/i18n"
)

// englishRun is three English words in a row: a Chinese rendering holding one kept a fragment
// of English (activity and processor names, codes and field paths are shorter or capitalised).
var englishRun = regexp.MustCompile(`\b[a-z]{2,} [a-z]{2,} [a-z]{2,}\b`)

// checkWhy renders one reason message m in every language: the catalogue knows it, every
// placeholder gets a parameter and none is left unused, no placeholder is left in the text,
// the English rendering equals english (the text the policy wrote), and the Chinese one keeps
// no English sentence.
func checkWhy(t *testing.T, c *i18n.Catalogs, where string, m *assessments.Message, english string) {
	t.Helper()
	tmpl := c.Get(i18n.English).T("msg." + m.ID)
	for _, name := range msgPlaceholders(tmpl) {
		if _, ok := m.Params[name]; !ok {
			t.Errorf("%s: message %s lacks parameter %s", where, m.ID, name)
		}
	}
	for name := range m.Params {
		if !strings.Contains(tmpl, "{"+name+"}") {
			t.Errorf("%s: message %s does not use parameter %s", where, m.ID, name)
		}
	}
	for _, lang := range i18n.Languages() {
		got, ok := c.Get(lang).Message(m)
		switch {
		case !ok:
			t.Errorf("%s: %s has no message %s", where, lang, m.ID)
			continue
		case msgPlaceholder.MatchString(got):
			t.Errorf("%s: %s rendering leaves a placeholder: %s", where, lang, got)
		case lang == i18n.English && got != english:
			t.Errorf("%s: English rendering\n%s\ndiffers from the text\n%s", where, got, english)
		case lang != i18n.English && englishRun.MatchString(got):
			t.Errorf("%s: %s rendering keeps English %q: %s", where, lang, englishRun.FindString(got), got)
		}
	}
}

// TestWhyMsgsReasons renders the reason of every applicable regime and of every risk of every
// example's assessment (assessments/testdata/golden) in every language; every regime and risk
// reason of the built-in library carries a message.
func TestWhyMsgsReasons(t *testing.T) {
	c := mustLoad(t)
	paths, err := filepath.Glob("../assessments/testdata/golden/*.json")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no golden assessments: %v", err)
	}
	laws := map[string]bool{}
	for _, j := range jurisdictionData(t) {
		laws[j.Regime] = true
	}
	rendered := 0
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var a assessments.Assessment
		if err := json.Unmarshal(b, &a); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		name := filepath.Base(p)
		for _, r := range a.Regimes {
			if r.WhyMsg == nil {
				if laws[r.ID] { // a law of the jurisdiction data (regimes.rego), not a rule package's
					t.Errorf("%s regime %s: no why_msg", name, r.ID)
				}
				continue
			}
			rendered++
			checkWhy(t, c, name+" regime "+r.ID, r.WhyMsg, r.Why)
		}
		for _, r := range a.Risks {
			if r.WhyMsg == nil {
				t.Errorf("%s risk %s: no why_msg", name, r.ID)
				continue
			}
			rendered++
			checkWhy(t, c, name+" risk "+r.ID, r.WhyMsg, r.Why)
		}
	}
	if rendered == 0 {
		t.Error("no regime or risk reason carries a message")
	}
	t.Logf("rendered %d reasons", rendered)
}

// jurisdiction is what the reason tests read of a jurisdiction's data.
type jurisdiction struct {
	ID     string `json:"id"`
	Regime string `json:"regime"`
	Scope  struct {
		Why string `json:"why"`
	} `json:"scope"`
}

// jurisdictionData reads policies/data/jurisdictions.
func jurisdictionData(t *testing.T) []jurisdiction {
	t.Helper()
	paths, err := filepath.Glob("../policies/data/jurisdictions/*.json")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no jurisdictions: %v", err)
	}
	out := make([]jurisdiction, 0, len(paths))
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var j jurisdiction
		if err := json.Unmarshal(b, &j); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		out = append(out, j)
	}
	return out
}

// TestScopeMessages keeps each jurisdiction's scope rule (policies/data/jurisdictions,
// scope.why) and its message regimes.scope.<id> equal in English, and translated.
func TestScopeMessages(t *testing.T) {
	c := mustLoad(t)
	for _, j := range jurisdictionData(t) {
		checkWhy(t, c, j.ID, &assessments.Message{ID: "regimes.scope." + j.ID, Params: map[string]any{}}, j.Scope.Why)
	}
}

// TestWhyMsgsTyped renders typed parameters of reasons: countries and categories named per
// language, the vendor's role from its enum, lists joined by the language's separator.
func TestWhyMsgsTyped(t *testing.T) {
	c := mustLoad(t)
	list := func(items ...any) map[string]any { return map[string]any{"sep": ", ", "items": items} }
	tests := []struct {
		name   string
		m      *assessments.Message
		en, zh string
	}{
		{"countries", &assessments.Message{ID: "regimes.establishment", Params: map[string]any{"countries": list("DE", "SG")}},
			"the customer is established in DE, SG", "客户在德国、新加坡设有机构"},
		{"role", &assessments.Message{ID: "regimes.vendor", Params: map[string]any{"role": "processor", "country": "SG"}},
			"the vendor (processor) is established in SG", "供应商（受托处理者）设立于新加坡"},
		{"categories", &assessments.Message{ID: "risk.basis.special", Params: map[string]any{"categories": list("criminal", "health")}},
			"special or criminal data (criminal, health)", "特殊类别个人数据或刑事数据（刑事定罪和犯罪数据、健康数据）"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.Get(i18n.English).Render(tt.m, ""); got != tt.en {
				t.Errorf("en: got %q, want %q", got, tt.en)
			}
			if got := c.Get(i18n.SimplifiedChinese).Render(tt.m, ""); got != tt.zh {
				t.Errorf("zh-CN: got %q, want %q", got, tt.zh)
			}
		})
	}
}

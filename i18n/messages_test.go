package i18n_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/i18n"
)

var msgPlaceholder = regexp.MustCompile(`\{([a-z_]+)\}`)

func msgPlaceholders(s string) []string {
	var out []string
	for _, m := range msgPlaceholder.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// TestMessagesComplete fails when a structured message lacks a language (Load checks that
// every key exists in every language) or a language lacks or adds a parameter placeholder.
func TestMessagesComplete(t *testing.T) {
	c := mustLoad(t)
	en := c.Get(i18n.English)
	keys := en.Keys("msg.")
	if len(keys) == 0 {
		t.Fatal("no structured messages in the catalogue")
	}
	for _, lang := range i18n.Languages() {
		l := c.Get(lang)
		for _, k := range keys {
			if !l.Has(k) {
				t.Errorf("%s lacks %s", lang, k)
				continue
			}
			if got, want := msgPlaceholders(l.T(k)), msgPlaceholders(en.T(k)); !slices.Equal(got, want) {
				t.Errorf("%s %s has placeholders %v, English %v", lang, k, got, want)
			}
		}
	}
}

// TestMessagesRenderGoldens renders every structured message of every example's assessment
// (assessments/testdata/golden, which TestExamplesGolden keeps equal to the engine's output) in
// every language: each message id is in the catalogue, every placeholder gets a parameter, no
// parameter is left unused, and the English rendering equals the finding's English text.
func TestMessagesRenderGoldens(t *testing.T) {
	c := mustLoad(t)
	rendered := 0
	for _, g := range goldenAssessments(t) {
		p, a := g.path, g.a
		for _, f := range a.Findings {
			if f.DetailMsg == nil {
				continue
			}
			rendered++
			tmpl := c.Get(i18n.English).T("msg." + f.DetailMsg.ID)
			for _, name := range msgPlaceholders(tmpl) {
				if _, ok := f.DetailMsg.Params[name]; !ok {
					t.Errorf("%s %s: message %s lacks parameter %s", filepath.Base(p), f.Key, f.DetailMsg.ID, name)
				}
			}
			for name := range f.DetailMsg.Params {
				if !strings.Contains(tmpl, "{"+name+"}") {
					t.Errorf("%s %s: message %s does not use parameter %s", filepath.Base(p), f.Key, f.DetailMsg.ID, name)
				}
			}
			for _, lang := range i18n.Languages() {
				got, ok := c.Get(lang).Message(f.DetailMsg)
				if !ok {
					t.Errorf("%s %s: %s has no message %s", filepath.Base(p), f.Key, lang, f.DetailMsg.ID)
					continue
				}
				if strings.Contains(got, "{") && msgPlaceholder.MatchString(got) {
					t.Errorf("%s %s: %s rendering leaves a placeholder: %s", filepath.Base(p), f.Key, lang, got)
				}
				if lang == i18n.English && got != f.Detail {
					t.Errorf("%s %s: English rendering\n%s\ndiffers from the detail\n%s", filepath.Base(p), f.Key, got, f.Detail)
				}
			}
		}
	}
	if rendered == 0 {
		t.Error("no example finding carries a structured message")
	}
	t.Logf("rendered %d structured messages", rendered)
}

// TestMessageNested renders a message whose parameters are messages (as the expiry rule writes
// them), and falls back to the English text for an unknown message.
func TestMessageNested(t *testing.T) {
	c := mustLoad(t)
	m := &assessments.Message{ID: "expiry.expired", Params: map[string]any{
		"item": "dpa", "processor": `"Acme"`, "date": "2026-01-01",
		"counted": map[string]any{"id": "expiry.counted.dpa", "params": map[string]any{}},
		"what":    map[string]any{"id": "expiry.what.dpa", "params": map[string]any{}},
	}}
	tests := []struct{ lang, want string }{
		{i18n.English, `dpa of processor "Acme" expired on 2026-01-01: not counted (dpa_signed is read as false); the Art. 28(3) contract with it (dpa_signed) no longer applies.`},
		{i18n.SimplifiedChinese, `受托处理者 "Acme" 的 dpa 已于 2026-01-01 到期：不再计入（dpa_signed 视为 false）；与其订立的第 28(3) 条合同（dpa_signed）不再适用。`},
	}
	for _, tt := range tests {
		if got, ok := c.Get(tt.lang).Message(m); !ok || got != tt.want {
			t.Errorf("%s: got %q, %v; want %q", tt.lang, got, ok, tt.want)
		}
	}
	f := assessments.Finding{Detail: "plain", DetailMsg: &assessments.Message{ID: "no.such"}}
	if got := c.Get(i18n.SimplifiedChinese).FindingDetail(f); got != "plain" {
		t.Errorf("unknown message: got %q, want the English text", got)
	}
}

// TestMessageList renders a list parameter (lib.join) with countries named per language.
func TestMessageList(t *testing.T) {
	c := mustLoad(t)
	where := func(id, country string) map[string]any {
		return map[string]any{"id": id, "params": map[string]any{"name": `"H"`, "recipient": "R", "country": country}}
	}
	m := &assessments.Message{ID: "hipaa.offshore", Params: map[string]any{"places": map[string]any{
		"sep": "; ", "items": []any{where("hipaa.where.hosting", "SG"), where("hipaa.where.transfer", "PH")},
	}}}
	tests := []struct{ lang, want string }{
		{i18n.English, `ePHI is stored or reached outside the US: hosting "H" in SG; R in PH.`},
		{i18n.SimplifiedChinese, `电子受保护健康信息（ePHI）在美国境外存储或被访问：位于新加坡的托管 "H"；位于菲律宾的 R。`},
	}
	for _, tt := range tests {
		if got, ok := c.Get(tt.lang).Message(m); !ok || got != tt.want {
			t.Errorf("%s: got %q, %v; want %q", tt.lang, got, ok, tt.want)
		}
	}
}

// golden is one example's golden assessment (assessments/testdata/golden, which
// TestExamplesGolden keeps equal to the engine's output).
type golden struct {
	path string
	a    assessments.Assessment
}

// goldenAssessments reads every example's golden assessment.
func goldenAssessments(t *testing.T) []golden {
	t.Helper()
	paths, err := filepath.Glob("../assessments/testdata/golden/*.json")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no golden assessments: %v", err)
	}
	out := make([]golden, 0, len(paths))
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var a assessments.Assessment
		if err := json.Unmarshal(b, &a); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		out = append(out, golden{p, a})
	}
	return out
}

// TestRefParam: a parameter named ref is a citation, named in the reader's language.
func TestRefParam(t *testing.T) {
	c := mustLoad(t)
	m := &assessments.Message{ID: "national.duty", Params: map[string]any{"duty_text": "Some company duty", "ref": "PIPL Art. 59"}}
	if got, _ := c.Get(i18n.English).Message(m); got != "Some company duty (PIPL Art. 59)" {
		t.Errorf("English: %q", got)
	}
	if got, _ := c.Get(i18n.SimplifiedChinese).Message(m); !strings.Contains(got, "《中华人民共和国个人信息保护法》第五十九条") {
		t.Errorf("Chinese: %q", got)
	}
}

// TestCounted: a counted noun takes each language's plural form (x/text/feature/plural).
func TestCounted(t *testing.T) {
	c := mustLoad(t)
	for _, tc := range []struct {
		count  any
		en, zh string
	}{
		{float64(1), "in 1 day", "还有 1 天"},
		{float64(0), "in 0 days", "还有 0 天"},
		{float64(60), "in 60 days", "还有 60 天"},
	} {
		m := &assessments.Message{ID: "expiry.soon", Params: map[string]any{"item": "dpa", "processor": `"AWS"`, "date": "2026-12-05",
			"days": map[string]any{"count": tc.count, "noun": "day"}, "what": map[string]any{"id": "expiry.what.dpa", "params": map[string]any{}}}}
		if got, _ := c.Get(i18n.English).Message(m); !strings.Contains(got, "("+tc.en+")") {
			t.Errorf("English %v: %s", tc.count, got)
		}
		if got, _ := c.Get(i18n.SimplifiedChinese).Message(m); !strings.Contains(got, "（"+tc.zh+"）") {
			t.Errorf("Chinese %v: %s", tc.count, got)
		}
	}
}

package i18n_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/i18n"
)

// TestTitlesRenderGoldens renders the title_msg of every finding and of its action in every
// example's golden assessment in every language: the message is in the catalogue, every
// placeholder of it (and of the messages nested in it) gets a parameter and every parameter is
// used, nothing is left unrendered, the English rendering equals the title the engine wrote, and
// the Chinese one is Chinese. Every finding of the library carries both messages.
func TestTitlesRenderGoldens(t *testing.T) {
	c := mustLoad(t)
	rendered := 0
	for _, g := range goldenAssessments(t) {
		p, a := g.path, g.a
		for _, f := range a.Findings {
			for _, x := range []struct {
				what    string
				m       *assessments.Message
				english string
			}{{"title", f.TitleMsg, f.Title}, {"action", f.Action.TitleMsg, f.Action.Title}} {
				where := filepath.Base(p) + " " + f.Key + " " + x.what
				if x.m == nil {
					t.Errorf("%s: no title_msg", where)
					continue
				}
				rendered++
				checkMessage(t, c, where, x.m)
				for _, lang := range i18n.Languages() {
					got, ok := c.Get(lang).Message(x.m)
					switch {
					case !ok:
						t.Errorf("%s: %s has no message %s", where, lang, x.m.ID)
					case msgPlaceholder.MatchString(got):
						t.Errorf("%s: %s rendering leaves a placeholder: %s", where, lang, got)
					case lang == i18n.English && got != x.english:
						t.Errorf("%s: English rendering\n%s\ndiffers from the engine's\n%s", where, got, x.english)
					case lang == i18n.SimplifiedChinese && !hasHan(got):
						t.Errorf("%s: Chinese rendering %q has no Chinese", where, got)
					}
				}
			}
			if f.DetailMsg != nil {
				checkMessage(t, c, filepath.Base(p)+" "+f.Key+" detail", f.DetailMsg)
			}
		}
	}
	if rendered == 0 {
		t.Error("no golden finding carries a title message")
	}
	t.Logf("rendered %d title messages", rendered)
}

// checkMessage checks that message m and every message nested in its parameters use exactly
// their placeholders' parameters.
func checkMessage(t *testing.T, c *i18n.Catalogs, where string, m *assessments.Message) {
	t.Helper()
	key := "msg." + m.ID
	if strings.HasPrefix(m.ID, "rule.") {
		key = m.ID
	}
	en := c.Get(i18n.English)
	if !en.Has(key) {
		t.Errorf("%s: no catalogue entry %s", where, key)
		return
	}
	tmpl := en.T(key)
	for _, name := range msgPlaceholders(tmpl) {
		if _, ok := m.Params[name]; !ok {
			t.Errorf("%s: message %s lacks parameter %s", where, m.ID, name)
		}
	}
	for name, v := range m.Params {
		if !strings.Contains(tmpl, "{"+name+"}") {
			t.Errorf("%s: message %s does not use parameter %s", where, m.ID, name)
		}
		if nested, ok := v.(map[string]any); ok {
			if id, ok := nested["id"].(string); ok {
				params, _ := nested["params"].(map[string]any)
				checkMessage(t, c, where+" > "+name, &assessments.Message{ID: id, Params: params})
			}
		}
	}
}

// TestTitleLawParameter: a generic rule's title names the law by the short name the policy wrote
// in English and by the regime's name in Chinese; a conditional title nests the rule's.
func TestTitleLawParameter(t *testing.T) {
	c := mustLoad(t)
	law := map[string]any{"regime": "sg_pdpa", "short": "PDPA (SG)"}
	title := map[string]any{"id": "rule.*-DPO.title", "params": map[string]any{"law": law}}
	tests := []struct {
		name string
		m    *assessments.Message
		en   string
		zh   string
	}{
		{"Generic", &assessments.Message{ID: "rule.*-DPO.title", Params: map[string]any{"law": law}},
			"PDPA (SG): Data protection officer required", "新加坡《个人数据保护法》（PDPA）：须任命数据保护官（DPO）"},
		{"Conditional", &assessments.Message{ID: "conditional.title", Params: map[string]any{"law": law, "title": title}},
			"If PDPA (SG) applies: PDPA (SG): Data protection officer required", "若适用 新加坡《个人数据保护法》（PDPA）：新加坡《个人数据保护法》（PDPA）：须任命数据保护官（DPO）"},
		{"NoticeDays", &assessments.Message{ID: "rule.*-TRANSFER-NOTICE-DUE.action.working_signature", Params: map[string]any{"law": map[string]any{"regime": "cn_pipl", "short": "PIPL"}, "days": float64(10)}},
			"Make the regulator filing PIPL requires within 10 working days of the contract's signature", "自合同签署之日起10个工作日内完成 《个人信息保护法》 要求的监管备案"},
		{"Version", &assessments.Message{ID: "rule.*-DPO.title", Params: map[string]any{"law": map[string]any{"regime": "vn_pdpd", "short": "Decree 13", "jurisdiction": "vn_pdpd_2023"}}},
			"Decree 13: Data protection officer required", "越南第13/2023/ND-CP号《个人数据保护议定》：须任命数据保护官（DPO）"},
		{"VersionWithoutName", &assessments.Message{ID: "rule.*-DPO.title", Params: map[string]any{"law": map[string]any{"regime": "vn_pdpd", "short": "PDP Law", "jurisdiction": "vn_pdpd_2026"}}},
			"PDP Law: Data protection officer required", "越南《个人数据保护法》：须任命数据保护官（DPO）"},
		{"Static", &assessments.Message{ID: "rule.GDPR-SEC-MFA.title"},
			"No multi-factor authentication", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, ok := c.Get(i18n.English).Message(tt.m); !ok || got != tt.en {
				t.Errorf("English: %q, %v; want %q", got, ok, tt.en)
			}
			got, ok := c.Get(i18n.SimplifiedChinese).Message(tt.m)
			if !ok || (tt.zh != "" && got != tt.zh) || !hasHan(got) {
				t.Errorf("Chinese: %q, %v; want %q", got, ok, tt.zh)
			}
		})
	}
	// A company rule's finding has no message: every language shows its English.
	f := assessments.Finding{Title: "Invoices kept less than ten years", Action: assessments.Action{Title: "Extend the archive"}}
	if got := c.Get(i18n.SimplifiedChinese).FindingTitle(f); got != f.Title {
		t.Errorf("company rule title: %q", got)
	}
	if got := c.Get(i18n.SimplifiedChinese).ActionTitle(f); got != f.Action.Title {
		t.Errorf("company rule action: %q", got)
	}
}

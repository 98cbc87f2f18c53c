package i18n_test

import (
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
	type pair struct {
		where   string
		msg     *assessments.Message
		english string
	}
	var pairs []pair
	for _, g := range goldenAssessments(t) {
		p, a := g.path, g.a
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

// TestTransferMessageTyped renders a transfer finding's message in Chinese: countries, the
// access, the mechanisms and a law's short name in Chinese words.
func TestTransferMessageTyped(t *testing.T) {
	c := mustLoad(t)
	flow := map[string]any{"id": "transfers.flow", "params": map[string]any{
		"recipient": "Support Inc", "access": "remote_access", "to_country": "US",
		"activities":   map[string]any{"sep": ", ", "items": []any{"Payroll"}},
		"from_country": map[string]any{"sep": ", ", "items": []any{"CN", "DE"}},
	}}
	m := &assessments.Message{ID: "transfers.mechanism_unknown.other_laws", Params: map[string]any{
		"flow": flow, "mechanism": "scc", "field": "hosting[0].mechanism", "entry": "hosting[0].mechanisms",
		"other_law": map[string]any{"sep": ", ", "items": []any{"GDPR"}}, "law": "PIPL",
		"mechanisms": map[string]any{"sep": ", ", "items": []any{"certification", "standard_contract"}},
		"why_text":   "text",
	}}
	tests := []struct{ lang, want string }{
		{i18n.English, `Support Inc (remote_access) in US: Payroll of people in CN, DE. "scc" (hosting[0].mechanism) covers GDPR, not PIPL: record the PIPL mechanism in hosting[0].mechanisms. Acceptable: certification, standard_contract. text`},
		{i18n.SimplifiedChinese, `位于美国的Support Inc（远程访问）：中国、德国个人的Payroll。“标准合同条款（SCC）”（hosting[0].mechanism）适用于欧盟《通用数据保护条例》（GDPR），而非《个人信息保护法》：请在 hosting[0].mechanisms 中记录《个人信息保护法》项下的转移机制。可接受的机制：认证、标准合同。text`},
	}
	for _, tt := range tests {
		if got, ok := c.Get(tt.lang).Message(m); !ok || got != tt.want {
			t.Errorf("%s: got\n%s\nwant\n%s", tt.lang, got, tt.want)
		}
	}
}

package i18n_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/i18n"
)

// miscWhy is one reason text of an assessment with its structured message.
type miscWhy struct {
	where string
	msg   *assessments.Message
	why   string
}

// miscWhys lists the reasons of the DPIA screening (the screening's own, each WP248 criterion,
// each Art. 35(3) case, each national impact assessment) and of the regimes that carry a message.
func miscWhys(a assessments.Assessment) []miscWhy {
	out := []miscWhy{{"dpia", a.DPIA.WhyMsg, a.DPIA.Why}}
	for _, c := range a.DPIA.Criteria {
		out = append(out, miscWhy{fmt.Sprintf("dpia.criteria %s %s", c.ID, c.Activity), c.WhyMsg, c.Why})
	}
	for _, c := range a.DPIA.Art35_3 {
		out = append(out, miscWhy{fmt.Sprintf("dpia.art35_3 %s %s", c.Case, c.Activity), c.WhyMsg, c.Why})
	}
	for _, n := range a.DPIA.National {
		out = append(out, miscWhy{"dpia.national " + n.Regime, n.WhyMsg, n.Why})
	}
	for _, r := range a.Regimes {
		out = append(out, miscWhy{"regime " + r.ID, r.WhyMsg, r.Why})
	}
	return out
}

// TestWhyMsgsMisc renders every why_msg of the DPIA screening and of the regimes in every
// example's golden assessment in every language: the message is in the catalogue, no placeholder
// is left, and the English rendering equals the why text. The DPIA screening's own reason must
// carry a message in every golden.
func TestWhyMsgsMisc(t *testing.T) {
	c := mustLoad(t)
	rendered := 0
	for _, g := range goldenAssessments(t) {
		p, a := g.path, g.a
		if a.DPIA.WhyMsg == nil {
			t.Errorf("%s: dpia.why has no why_msg", filepath.Base(p))
		}
		for _, w := range miscWhys(a) {
			if w.msg == nil {
				continue
			}
			rendered++
			for _, lang := range i18n.Languages() {
				got, ok := c.Get(lang).Message(w.msg)
				switch {
				case !ok:
					t.Errorf("%s %s: %s has no message %s", filepath.Base(p), w.where, lang, w.msg.ID)
				case msgPlaceholder.MatchString(got):
					t.Errorf("%s %s: %s rendering leaves a placeholder: %s", filepath.Base(p), w.where, lang, got)
				case lang == i18n.English && got != w.why:
					t.Errorf("%s %s: English rendering\n%s\ndiffers from the why\n%s", filepath.Base(p), w.where, got, w.why)
				case lang == i18n.SimplifiedChinese && strings.Contains(got, "msg."):
					t.Errorf("%s %s: Chinese rendering names a message id: %s", filepath.Base(p), w.where, got)
				}
			}
		}
	}
	if rendered == 0 {
		t.Error("no why_msg in the golden assessments")
	}
	t.Logf("rendered %d why messages", rendered)
}

// TestWhyMsgsMiscChinese renders a DPIA reason with nested cases and a national impact
// assessment named by its law, and a law given by its short name.
func TestWhyMsgsMiscChinese(t *testing.T) {
	c := mustLoad(t)
	item := func(id string, params map[string]any) map[string]any {
		return map[string]any{"id": id, "params": params}
	}
	tests := []struct {
		name string
		m    *assessments.Message
		want string
	}{
		{"art35 case", &assessments.Message{ID: "dpia.why.art35_3", Params: map[string]any{"cases": map[string]any{"sep": "; ", "items": []any{
			item("dpia.case", map[string]any{"case": "b", "activity": "Patients", "why": item("dpia.art35_3.b", map[string]any{"categories": map[string]any{"sep": ", ", "items": []any{"health"}}})}),
		}}}}, "适用第 35(3) 条：（b）Patients：大规模处理特殊类别个人数据或刑事数据：健康数据"},
		{"national PIPIA", &assessments.Message{ID: "dpia.why.not_applicable.national", Params: map[string]any{"assessments": map[string]any{"sep": "; ", "items": []any{
			item("dpia.national_item.pipl", map[string]any{"law": "cn_pipl"}),
		}}}}, "GDPR 和 UK GDPR 均不以控制者身份适用，因此其数据保护影响评估（DPIA）筛查（第 35 条、WP248）亦不适用；以国家法律规定的影响评估为准：个人信息保护影响评估（《个人信息保护法》）"},
		{"law short name", &assessments.Message{ID: "national.breach_process", Params: map[string]any{"law": "PDPA (SG)", "to_text": "PDPC", "deadline_text": "3 days"}},
			"新加坡《个人数据保护法》（PDPA）要求进行泄露通知，通知对象：PDPC；时限：3 days。问卷未记录泄露通知流程。"},
	}
	for _, tt := range tests {
		got, ok := c.Get(i18n.SimplifiedChinese).Message(tt.m)
		if !ok || got != tt.want {
			t.Errorf("%s: got %q, %v; want %q", tt.name, got, ok, tt.want)
		}
	}
}

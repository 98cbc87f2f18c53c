package i18n_test

import (
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/i18n"
	"github.com/piaflow/piaflow/policies"
)

// englishProse finds three English words in a row.
var englishProse = regexp.MustCompile(`[A-Za-z]{2,} [a-z]{2,} [a-z]{2,}`)

// bracketed is a name in full-width brackets: a supervisory authority's Chinese name gives its
// original name (French, Italian, ...) there.
var bracketed = regexp.MustCompile(`（[^（）]*）`)

// TestDataTextsTranslated: every text of the jurisdiction data has a Chinese text with Chinese
// characters and no English sentence left, and the same English has the same Chinese wherever
// it occurs (two files of one law, two tiers with one filing rule).
func TestDataTextsTranslated(t *testing.T) {
	data, err := policies.DataTexts()
	if err != nil {
		t.Fatal(err)
	}
	if len(data) < 100 {
		t.Fatalf("only %d data texts", len(data))
	}
	zh := mustLoad(t).Get(i18n.SimplifiedChinese)
	byEnglish := map[string]string{}
	for k, en := range data {
		if !strings.HasPrefix(k, policies.DataTextPrefix) {
			t.Errorf("%s: key lacks the prefix %q", k, policies.DataTextPrefix)
		}
		z := zh.T(k)
		han := 0
		for _, r := range z {
			if unicode.Is(unicode.Han, r) {
				han++
			}
		}
		prose := z
		if strings.HasSuffix(k, ".authority") {
			prose = bracketed.ReplaceAllString(z, "")
		}
		if han < 2 || englishProse.MatchString(prose) {
			t.Errorf("%s: not a Chinese text: %q", k, z)
		}
		if prev, ok := byEnglish[en]; ok && prev != z {
			t.Errorf("%s: the same English translated two ways: %q and %q", k, prev, z)
		}
		byEnglish[en] = z
	}
}

// TestDataText: the Chinese of a data text by key, by its English (key unknown, or naming
// another file of the law), with the full stop the policies add, and the English as written
// for English readers and for texts the data does not hold.
func TestDataText(t *testing.T) {
	c := mustLoad(t)
	en, zh := c.Get(i18n.English), c.Get(i18n.SimplifiedChinese)
	const key = "data.ru_152fz.transfer.tiers.rkn_notice.text"
	english := en.T(key)
	chinese := zh.T(key)
	if english == key || chinese == key || english == chinese {
		t.Fatalf("catalogue: %q / %q", english, chinese)
	}
	tests := []struct {
		name string
		l    *i18n.Localizer
		key  string
		in   string
		want string
	}{
		{"by key", zh, key, english, chinese},
		{"by text", zh, "", english, chinese},
		{"key of another text", zh, "data.gdpr.transfer.text", english, chinese},
		{"with a full stop added", zh, "", strings.TrimSuffix(english, ".") + ".", chinese},
		{"English reader", en, key, english, english},
		{"not a data text", zh, "", "A company rule's own text.", "A company rule's own text."},
		{"a sentence around a data text", zh, "", english + " Confirm.", english + " Confirm."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.l.DataText(tc.key, tc.in); got != tc.want {
				t.Errorf("DataText(%q, …) = %q, want %q", tc.key, got, tc.want)
			}
		})
	}
	// the vn_pdpd files share one regime: the key computed from the regime does not exist,
	// the text finds its file
	loc := assessments.Localisation{Regime: "vn_pdpd", Rule: "cybersecurity_domestic", Requirement: en.T("data.vn_pdpd_2026.localisation.cybersecurity_domestic.text")}
	if got, want := zh.Requirement(loc), zh.T("data.vn_pdpd_2026.localisation.cybersecurity_domestic.text"); got != want {
		t.Errorf("Requirement = %q, want %q", got, want)
	}
	tr := assessments.TransferEval{Regime: "cn_pipl", Basis: "tier:general_1m", Why: en.T("data.cn_pipl.transfer.tiers.general_1m.text")}
	if got, want := zh.TransferWhy(tr), zh.T("data.cn_pipl.transfer.tiers.general_1m.text"); got != want {
		t.Errorf("TransferWhy = %q, want %q", got, want)
	}
	if got := en.TransferWhy(tr); got != tr.Why {
		t.Errorf("English TransferWhy = %q", got)
	}
	// a national impact assessment's why joins the texts of its cases
	n := assessments.NationalDPIA{Regime: "cn_pipl", Name: en.T("data.cn_pipl.dpia.export.name"),
		Why: en.T("data.cn_pipl.dpia.export.text") + " " + en.T("data.cn_pipl.dpia.sensitive.text")}
	name, why := zh.NationalDPIA(n)
	if want := zh.T("data.cn_pipl.dpia.export.text") + zh.T("data.cn_pipl.dpia.sensitive.text"); why != want || name != zh.T("data.cn_pipl.dpia.export.name") {
		t.Errorf("NationalDPIA = %q, %q; want %q", name, why, want)
	}
	// Render without a message, and a message parameter typed *_text
	if got := zh.Render(nil, english); got != chinese {
		t.Errorf("Render(nil) = %q", got)
	}
}

// TestTextParams checks that a message parameter named text or *_text renders the data text's
// translation in Chinese and the text as written in English, also as the items of a list
// (lib.join).
func TestTextParams(t *testing.T) {
	c := mustLoad(t)
	en, zh := c.Get(i18n.English), c.Get(i18n.SimplifiedChinese)
	export, sensitive := "data.cn_pipl.dpia.export.text", "data.cn_pipl.dpia.sensitive.text"
	deadline, to := "data.sg_pdpa.breach.deadline", "data.sg_pdpa.breach.to"
	list := func(sep string, items ...any) map[string]any { return map[string]any{"sep": sep, "items": items} }
	tests := []struct {
		name   string
		m      *assessments.Message
		wantEN string
		wantZH string
	}{
		{
			"scalar *_text",
			&assessments.Message{ID: "national.breach_process", Params: map[string]any{"law": "sg_pdpa", "to_text": en.T(to), "deadline_text": en.T(deadline)}},
			"sg_pdpa requires breach notification to " + en.T(to) + ": " + en.T(deadline) + ". The questionnaire records no breach notification process.",
			zh.Law("sg_pdpa") + "要求进行泄露通知，通知对象：" + zh.T(to) + "；时限：" + zh.T(deadline) + "。问卷未记录泄露通知流程。",
		},
		{
			"list of *_text items joined by a space",
			&assessments.Message{ID: "national.impact_assessment.unnamed", Params: map[string]any{"cases_text": list(" ", en.T(export), en.T(sensitive))}},
			"An impact assessment required: " + en.T(export) + " " + en.T(sensitive) + " Has it been carried out and documented?",
			"须进行影响评估：" + zh.T(export) + zh.T(sensitive) + "是否已进行并记录？",
		},
		{
			"scope_text",
			&assessments.Message{ID: "national.scope_excluded", Params: map[string]any{"law": "cn_pipl", "regime": "cn_pipl", "scope_text": en.T("data.cn_pipl.scope.why")}},
			"Legal answered that cn_pipl does not reach this deployment (deployment.scope_confirmed.cn_pipl: false); its findings are left out. " + en.T("data.cn_pipl.scope.why"),
			"法务已答复" + zh.Law("cn_pipl") + "不适用于本部署（deployment.scope_confirmed.cn_pipl: false）；其发现项不予列出。" + zh.T("data.cn_pipl.scope.why"),
		},
		{
			"an English text of no data file stays as written",
			&assessments.Message{ID: "national.dpo", Params: map[string]any{"case_text": "Some company rule."}},
			"Some company rule. No DPO is appointed (governance.dpo_appointed).",
			"Some company rule.未任命数据保护官（DPO）（governance.dpo_appointed）。",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, _ := en.Message(tt.m); got != tt.wantEN {
				t.Errorf("English = %q, want %q", got, tt.wantEN)
			}
			if got, _ := zh.Message(tt.m); got != tt.wantZH {
				t.Errorf("Chinese = %q, want %q", got, tt.wantZH)
			}
		})
	}
	if zh.T(export) == en.T(export) || zh.T(deadline) == en.T(deadline) {
		t.Fatal("the data texts of the test have no Chinese")
	}
}

// TestDPIAListHit: a DPIA list hit's authority and items in Chinese, item by item for a
// two_or_more hit; English as the assessment holds it; a company list's texts as written.
func TestDPIAListHit(t *testing.T) {
	c := mustLoad(t)
	en, zh := c.Get(i18n.English), c.Get(i18n.SimplifiedChinese)
	k := func(item string) string { return policies.DPIAListTextKey("pl_uodo", item) }
	auth := en.T(k("") + "authority")
	two := assessments.DPIAListHit{List: "pl_uodo", Authority: auth, Item: "location + innovative_technology",
		Text: en.T(k("location")) + "; " + en.T(k("innovative_technology"))}
	company := assessments.DPIAListHit{List: "acme", Authority: "Acme DPA", Item: "x", Text: "A company item"}
	tests := []struct {
		name            string
		l               *i18n.Localizer
		h               assessments.DPIAListHit
		authority, item string
	}{
		{"Chinese", zh, two, zh.T(k("") + "authority"), zh.T(k("location")) + "；" + zh.T(k("innovative_technology"))},
		{"English", en, two, two.Authority, two.Text},
		{"company list", zh, company, company.Authority, company.Text},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, items := tc.l.DPIAListHit(tc.h)
			if a != tc.authority || items != tc.item {
				t.Errorf("DPIAListHit = %q, %q; want %q, %q", a, items, tc.authority, tc.item)
			}
		})
	}
	if a, _ := zh.DPIAListHit(two); a == auth || !strings.Contains(a, "（") {
		t.Errorf("authority not translated: %q", a)
	}
}

package i18n_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

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
	checkMsg(t, c, where, m, english, true)
}

// checkMsg is checkWhy; with strict false, Chinese may keep English (a parameter that is the
// English text of a reason not converted yet).
func checkMsg(t *testing.T, c *i18n.Catalogs, where string, m *assessments.Message, english string, strict bool) {
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
		case strict && lang != i18n.English && englishRun.MatchString(withoutUserData(got, m.Params)):
			t.Errorf("%s: %s rendering keeps English %q: %s", where, lang, englishRun.FindString(withoutUserData(got, m.Params)), got)
		}
	}
}

// withoutUserData removes from s the names the user gave (parameters activity and activities,
// at any depth), which every language shows as written.
func withoutUserData(s string, params map[string]any) string {
	var walk func(name string, v any)
	walk = func(name string, v any) {
		switch x := v.(type) {
		case string:
			if name == "activity" || name == "activities" {
				s = strings.ReplaceAll(s, x, " ")
			}
		case []any:
			for _, e := range x {
				walk(name, e)
			}
		case map[string]any:
			if items, ok := x["items"]; ok {
				walk(name, items)
			}
			if ps, ok := x["params"].(map[string]any); ok {
				for k, e := range ps {
					walk(k, e)
				}
			}
		}
	}
	for k, v := range params {
		walk(k, v)
	}
	return s
}

// TestWhyMsgsReasons renders the reason of every applicable regime and of every risk of every
// example's assessment (assessments/testdata/golden) in every language; every regime and risk
// reason of the built-in library carries a message.
func TestWhyMsgsReasons(t *testing.T) {
	c := mustLoad(t)
	laws := map[string]bool{}
	for _, j := range jurisdictionData(t) {
		laws[j.Regime] = true
	}
	rendered := 0
	for _, g := range goldenAssessments(t) {
		p, a := g.path, g.a
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

// textParams reports whether m keeps a reason or detail as English text (the rule behind it
// wrote no message yet).
func textParams(m *assessments.Message) bool {
	for _, k := range []string{"reason", "detail"} {
		if _, ok := m.Params[k].(string); ok {
			return true
		}
		if n, ok := m.Params[k].(map[string]any); ok {
			id, _ := n["id"].(string)
			params, _ := n["params"].(map[string]any)
			if textParams(&assessments.Message{ID: id, Params: params}) {
				return true
			}
		}
	}
	return false
}

// TestHostingReasonMsgs renders every reason of several hosting checks in both languages: each
// law's reason (reason_msg) where the rule behind it wrote a message, and every reason of an
// answer (reason_msgs, one per reasons entry); the English equals the text, the Chinese keeps no
// English but the text of reasons not converted yet.
func TestHostingReasonMsgs(t *testing.T) {
	c := mustLoad(t)
	ev := assessments.NewEvaluator(mustEngine(t))
	n, bulk := 5, 200000
	queries := []assessments.HostingQuery{
		{Data: []string{"contact"}, Subjects: []string{"CN"}, Host: "SG"},
		{Data: []string{"contact"}, Subjects: []string{"DE", "FR"}, Host: "DE"},
		{Data: []string{"health"}, Subjects: []string{"US"}, Host: "CN", Count: &bulk}, // the DOJ rule's finding
		{Data: []string{"health"}, Subjects: []string{"US"}, Host: "CN", Count: &n},
		{Data: []string{"contact"}, Subjects: []string{"AR", "SG"}, Host: "SG"},
		{Data: []string{"health"}, Subjects: []string{"CN", "DE"}, Host: "SG", CustomerCountry: "DE", Sector: "healthcare", SubjectType: "patients", Count: &n},
	}
	msgs, strict, text := 0, 0, 0
	check := func(where string, o assessments.HostingOutcome) {
		if len(o.ReasonMsgs) != len(o.Reasons) {
			t.Errorf("%s: %d reasons, %d reason_msgs", where, len(o.Reasons), len(o.ReasonMsgs))
			return
		}
		for i, m := range o.ReasonMsgs {
			msgs++
			if textParams(m) {
				text++
			} else {
				strict++
			}
			checkMsg(t, c, where, m, o.Reasons[i], !textParams(m))
		}
		for _, ra := range o.ByRegime {
			if ra.ReasonMsg == nil {
				text++
				continue
			}
			msgs++
			checkMsg(t, c, where+" "+ra.Regime, ra.ReasonMsg, ra.Reason, !textParams(ra.ReasonMsg))
			for _, lang := range i18n.Languages() {
				if got, want := c.Get(lang).HostingReason(ra), c.Get(lang).Render(ra.ReasonMsg, ra.Reason); got != want {
					t.Errorf("%s %s: HostingReason %q, want %q", where, lang, got, want)
				}
			}
		}
	}
	for _, q := range queries {
		q.AsOf = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
		res, err := ev.HostingCheck(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range res.Answers {
			where := strings.Join(q.Subjects, ",") + "→" + q.Host + " " + a.Country
			check(where, a.HostingOutcome)
			for _, b := range a.Bands {
				check(where+" "+b.Label, b.HostingOutcome)
			}
		}
	}
	if strict == 0 {
		t.Error("no hosting reason renders from messages alone")
	}
	t.Logf("%d reason messages, %d wholly translated; %d reasons keep English text (transfer rows or localisation not converted)", msgs, strict, text)
}

// TestHostingReasonsRender renders the reasons of one answer: a law's answer inside its area and
// a country piaflow knows no law of, in English and Chinese.
func TestHostingReasonsRender(t *testing.T) {
	c := mustLoad(t)
	o := assessments.HostingOutcome{
		Reasons: []string{"GDPR: hosting in DE keeps the data inside the area of gdpr", "piaflow holds no data on the data-protection law of AR: ask legal"},
		ReasonMsgs: []*assessments.Message{
			{ID: "hosting.reason", Params: map[string]any{"law": "GDPR", "reason": map[string]any{"id": "hosting.inside", "params": map[string]any{"host_country": "DE", "law": "gdpr"}}}},
			{ID: "hosting.no_data", Params: map[string]any{"country": "AR"}},
		},
	}
	if got := c.Get(i18n.English).HostingReasons(o); !slices.Equal(got, o.Reasons) {
		t.Errorf("en: %q", got)
	}
	want := []string{"欧盟《通用数据保护条例》（GDPR）：托管于德国，数据仍留在欧盟《通用数据保护条例》（GDPR）的适用区域内", "piaflow 未收录阿根廷数据保护法的资料：请咨询法务"}
	if got := c.Get(i18n.SimplifiedChinese).HostingReasons(o); !slices.Equal(got, want) {
		t.Errorf("zh-CN: %q, want %q", got, want)
	}
}

// TestHostingOtherExportsNote renders the note on the customer's other exports: countries named
// and "sensitive" worded in each language, the English equal to the note's text.
func TestHostingOtherExportsNote(t *testing.T) {
	c := mustLoad(t)
	ev := assessments.NewEvaluator(mustEngine(t))
	n, sensitive := 5, 2000
	q := assessments.HostingQuery{Data: []string{"contact"}, Subjects: []string{"CN"}, Host: "SG", Count: &n,
		OtherExports: []assessments.OtherExport{{Country: "CN", Subjects: 60000, SensitiveSubjects: &sensitive}, {Country: "DE", Subjects: 10}},
		AsOf:         time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)}
	res, err := ev.HostingCheck(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(res.Assumptions, func(n assessments.HostingNote) bool { return n.ID == "other_exports_counted" })
	if i < 0 {
		t.Fatal("no note on the other exports")
	}
	note := res.Assumptions[i]
	checkWhy(t, c, "other exports", note.Msg, note.Text)
	want := "在法律按累计计算的情况下，客户本年度的其他出境已与本次检查合并计算：中国 60,000 人（其中敏感个人信息 2,000 人）、德国 10 人。"
	if got := c.Get(i18n.SimplifiedChinese).Note(note); got != want {
		t.Errorf("zh-CN: %q, want %q", got, want)
	}
}

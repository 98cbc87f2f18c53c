package i18n_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/i18n"
	"github.com/piaflow/piaflow/policies"
)

// TestCitationRef: citations in Chinese: the data's official Chinese name where it has one, else
// the law's Chinese name from the table with the article as 第…条; English unchanged.
func TestCitationRef(t *testing.T) {
	c := mustLoad(t)
	en, zh := c.Get(i18n.English), c.Get(i18n.SimplifiedChinese)
	const pipl = "《中华人民共和国个人信息保护法》"
	for _, tc := range []struct {
		name, regime, ref, refZh, want string
	}{
		{"data's ref_zh wins", "cn_pipl", "PIPL Art. 38", pipl + "第三十八条", pipl + "第三十八条"},
		{"GDPR article", "gdpr", "GDPR Art. 44(1)", "", "《通用数据保护条例》（GDPR）第44(1)条"},
		{"GDPR without regime", "", "GDPR Art. 44", "", "《通用数据保护条例》（GDPR）第44条"},
		{"GDPR range", "gdpr", "GDPR Art. 44-49", "", "《通用数据保护条例》（GDPR）第44-49条"},
		{"list and guidance kept", "uk_gdpr", "UK GDPR Art. 3(2), 44; ICO guidance on international transfers", "",
			"英国《通用数据保护条例》（UK GDPR）第3(2)、44条；英国信息专员办公室（ICO）关于国际传输的指引"},
		{"qualifier kept", "ru_152fz", "152-FZ Art. 18(5) (added by 242-FZ of 21 July 2014)", "",
			"俄罗斯《个人数据法》（第152-FZ号联邦法律）第18(5)条（经2014年7月21日第242-FZ号联邦法律增订）"},
		{"Chinese law without ref_zh: Chinese numerals", "", "PIPL Art. 38", "", pipl + "第三十八条"},
		{"Chinese range", "", "PIPL Art. 38-40", "", pipl + "第三十八条至第四十条"},
		{"Chinese list", "", "CAC Provisions (2024) Art. 8; PIPL Art. 39, 55", "", "《促进和规范数据跨境流动规定》第八条；" + pipl + "第三十九条、第五十五条"},
		{"Chinese sub-item", "", "PIPL Art. 55(4)", "", pipl + "第五十五条（4）"},
		{"whole law", "", "PIPL", "", pipl},
		{"section of an ambiguous abbreviation, with its regime", "sg_pdpa", "PDPA s.26", "", "新加坡《个人数据保护法》（PDPA）第26条"},
		{"the same elsewhere", "th_pdpa", "PDPA s.28-29", "", "泰国《个人数据保护法》（PDPA）第28-29条"},
		{"ambiguous abbreviation without regime stays", "", "PDPA s.26", "", "PDPA s.26"},
		{"articles numbered with a hyphen, a range with to", "kr_pipa", "PIPA Art. 28-8, 28-9; Enforcement Decree Art. 29-8 to 29-11", "",
			"韩国《个人信息保护法》（PIPA）第28-8、28-9条；韩国《个人信息保护法施行令》第29-8至29-11条"},
		{"title", "gdpr", "Regulation (EU) 2016/679", "", "欧盟《通用数据保护条例》（(EU) 2016/679号条例）"},
		{"unknown source stays", "", "XYZ guidance note (2018)", "", "XYZ guidance note (2018)"},
		{"guidance pattern with sections", "", "CNIL, Privacy Impact Assessment - Methodology (2018), sections 3.2-3.3", "",
			"法国国家信息与自由委员会（CNIL）《隐私影响评估方法》（2018年）第3.2-3.3节"},
		{"amended", "sa_pdpl", "PDPL Art. 29; Regulation on Personal Data Transfer outside the Kingdom (amended 2024) Art. 3-8", "",
			"沙特阿拉伯《个人数据保护法》（PDPL）第29条；沙特阿拉伯《向王国境外传输个人数据条例》（2024年修订）第3-8条"},
		{"as amended by Act", "my_pdpa", "PDPA s.129 as amended by Act A1727; Cross Border Personal Data Transfer Guidelines (2025)", "",
			"马来西亚《个人数据保护法》（PDPA）第129条（经第A1727号法律修订）；马来西亚《跨境个人数据传输指南》（2025年）"},
		{"EDPB, CJEU, decision", "gdpr", "GDPR Art. 46; CJEU C-311/18; EDPB Recommendations 01/2020; Decision (EU) 2021/914", "",
			"《通用数据保护条例》（GDPR）第46条；欧盟法院（CJEU）C-311/18号案判决；欧洲数据保护委员会（EDPB）第01/2020号建议；欧盟委员会第(EU) 2021/914号决定"},
		{"guidelines with example, recital", "gdpr", "GDPR Art. 4(11), Recital 43; EDPB Guidelines 05/2021, Example 3", "",
			"《通用数据保护条例》（GDPR）第4(11)条、鉴于条款第43条；欧洲数据保护委员会（EDPB）第05/2021号指南，示例3"},
		{"a longer word is not the abbreviation", "", "PIPLX Art. 1", "", "PIPLX Art. 1"},
		{"empty", "", "", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cit := assessments.Citation{Ref: tc.ref, RefZh: tc.refZh, URL: "https://example.org/en", URLZh: "https://example.org/zh"}
			if got := zh.CitationRef(tc.regime, cit); got != tc.want {
				t.Errorf("zh-CN: %q → %q, want %q", tc.ref, got, tc.want)
			}
			if got := en.CitationRef(tc.regime, cit); got != tc.ref {
				t.Errorf("en: %q → %q", tc.ref, got)
			}
			if zh.CitationURL(cit) != "https://example.org/zh" || en.CitationURL(cit) != "https://example.org/en" {
				t.Errorf("URLs: zh-CN %q, en %q", zh.CitationURL(cit), en.CitationURL(cit))
			}
		})
	}
	if got := zh.CitationURL(assessments.Citation{URL: "https://eur-lex.europa.eu/x"}); got != "https://eur-lex.europa.eu/x" {
		t.Errorf("zh-CN URL without url_zh: %q", got)
	}
}

// TestLawNames: every regime of the library has a name for readers in both languages, the
// Chinese one in Chinese.
func TestLawNames(t *testing.T) {
	c := mustLoad(t)
	en, zh := c.Get(i18n.English), c.Get(i18n.SimplifiedChinese)
	for _, id := range append(policies.RegimeIDs(), "coverage") {
		if !en.Has("law."+id) || !zh.Has("law."+id) {
			t.Errorf("regime %s has no law.%s", id, id)
			continue
		}
		if n := zh.Law(id); !hasHan(n) {
			t.Errorf("regime %s: Chinese name %q", id, n)
		}
		if n := en.Law(id); hasHan(n) || n == strings.ToUpper(id) {
			t.Errorf("regime %s: English name %q", id, n)
		}
	}
	if got := zh.Law("cn_pipl"); got != "《个人信息保护法》" {
		t.Errorf("cn_pipl: %q", got)
	}
	if got := en.Law("acme_rules"); got != "ACME_RULES" {
		t.Errorf("unknown regime: %q", got)
	}
}

// TestCountryNames: every country code the policy data uses has a Chinese and an English name;
// names come with their code where asked.
func TestCountryNames(t *testing.T) {
	c := mustLoad(t)
	en, zh := c.Get(i18n.English), c.Get(i18n.SimplifiedChinese)
	for _, code := range dataCountryCodes(t) {
		if n := zh.Country(code); !hasHan(n) {
			t.Errorf("%s: Chinese name %q", code, n)
		}
		if n := en.Country(code); n == code || hasHan(n) {
			t.Errorf("%s: English name %q", code, n)
		}
	}
	for _, tc := range []struct{ lang, code, name, withCode string }{
		{i18n.SimplifiedChinese, "CN", "中国", "中国（CN）"},
		{i18n.SimplifiedChinese, "SG", "新加坡", "新加坡（SG）"},
		{i18n.English, "SG", "Singapore", "Singapore (SG)"},
		{i18n.English, "XX", "XX", "XX"},
		{i18n.SimplifiedChinese, "", "", ""},
	} {
		l := c.Get(tc.lang)
		if got := l.Country(tc.code); got != tc.name {
			t.Errorf("%s Country(%q) = %q, want %q", tc.lang, tc.code, got, tc.name)
		}
		if got := l.CountryCode(tc.code); got != tc.withCode {
			t.Errorf("%s CountryCode(%q) = %q, want %q", tc.lang, tc.code, got, tc.withCode)
		}
	}
}

// TestJurisdictionCitationsNameTheLawInChinese: every citation of a jurisdiction file names a
// law in Chinese (from its ref_zh or the table), so no citation of the library reaches a
// Chinese reader in English only.
func TestJurisdictionCitationsNameTheLawInChinese(t *testing.T) {
	zh := mustLoad(t).Get(i18n.SimplifiedChinese)
	paths, err := filepath.Glob("../policies/data/jurisdictions/*.json")
	if err != nil || len(paths) == 0 {
		t.Fatalf("jurisdiction files: %v", err)
	}
	for _, p := range paths {
		var doc map[string]any
		readJSON(t, p, &doc)
		regime, _ := doc["regime"].(string)
		walkJSON(doc, "", func(path string, m map[string]any) {
			ref, ok := m["ref"].(string)
			if _, isCitation := m["url"]; !ok || !isCitation {
				return
			}
			refZh, _ := m["ref_zh"].(string)
			if got := zh.CitationRef(regime, assessments.Citation{Ref: ref, RefZh: refZh}); !hasHan(got) {
				t.Errorf("%s%s: %q has no Chinese law name", filepath.Base(p), path, ref)
			}
		})
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func walkJSON(v any, path string, f func(path string, m map[string]any)) {
	switch x := v.(type) {
	case map[string]any:
		f(path, x)
		for k, c := range x {
			walkJSON(c, path+"."+k, f)
		}
	case []any:
		for i, c := range x {
			walkJSON(c, fmt.Sprintf("%s[%d]", path, i), f)
		}
	}
}

// dataCountryCodes collects the country codes the policy data uses: every two-letter
// upper-case string under a key naming countries, in every data file.
func dataCountryCodes(t *testing.T) []string {
	t.Helper()
	paths, err := filepath.Glob("../policies/data/*.json")
	if err != nil {
		t.Fatal(err)
	}
	more, _ := filepath.Glob("../policies/data/jurisdictions/*.json")
	seen := map[string]bool{}
	var codes []string
	add := func(s string) {
		if len(s) == 2 && strings.ToUpper(s) == s && !seen[s] {
			seen[s] = true
			codes = append(codes, s)
		}
	}
	for _, p := range append(paths, more...) {
		var doc any
		readJSON(t, p, &doc)
		walkJSON(doc, "", func(_ string, m map[string]any) {
			for k, v := range m {
				if !strings.Contains(k, "countr") {
					continue
				}
				switch x := v.(type) {
				case string:
					add(x)
				case []any:
					for _, e := range x {
						if s, ok := e.(string); ok {
							add(s)
						}
					}
				case map[string]any:
					for code := range x {
						add(code)
					}
				}
			}
		})
	}
	if len(codes) < 20 {
		t.Fatalf("found %d country codes in the policy data; the walk is broken", len(codes))
	}
	return codes
}

// TestGlossaryTerms: the Chinese catalogue uses the terms of docs/glossary.md, not their
// variants.
func TestGlossaryTerms(t *testing.T) {
	zh := mustLoad(t).Get(i18n.SimplifiedChinese)
	for _, tc := range []struct {
		variant *regexp.Regexp
		use     string
	}{
		// 处理者 alone is PIPL's 个人信息处理者 (≈ controller) to a Chinese reader
		{regexp.MustCompile(`(^|[^托息])处理者`), "受托处理者 (GDPR processor) or 个人信息处理者 (PIPL)"},
		{regexp.MustCompile(`分处理者`), "次级受托处理者"},
		{regexp.MustCompile(`约束性公司规则|有约束力的公司规则`), "约束性企业规则"},
		{regexp.MustCompile(`充分性决定`), "充分性认定"},
		{regexp.MustCompile(`须经监管审批|需要审批`), "批准"},
		{regexp.MustCompile(`数据保护负责人|个人信息保护官`), "数据保护官 (GDPR) or 个人信息保护负责人 (PIPL)"},
	} {
		for _, k := range catalogueKeys(t, i18n.SimplifiedChinese) {
			if v := zh.T(k); tc.variant.MatchString(v) {
				t.Errorf("%s: %q: use %s (docs/glossary.md)", k, v, tc.use)
			}
		}
	}
}

// TestLawShort: a short name stays when it is an abbreviation; English words become the law's
// name in Chinese.
func TestLawShort(t *testing.T) {
	c := mustLoad(t)
	en, zh := c.Get(i18n.English), c.Get(i18n.SimplifiedChinese)
	for _, tc := range []struct{ id, short, en, zh string }{
		{"cn_pipl", "PIPL", "PIPL", "PIPL"},
		{"sg_pdpa", "PDPA (SG)", "PDPA (SG)", "PDPA (SG)"},
		{"vn_pdpd", "PDP Law", "PDP Law", zh.Law("vn_pdpd")},
		{"acme_rules", "", "acme_rules", "ACME_RULES"},
	} {
		if got := en.LawShort(tc.id, tc.short); got != tc.en {
			t.Errorf("en LawShort(%q, %q) = %q, want %q", tc.id, tc.short, got, tc.en)
		}
		if got := zh.LawShort(tc.id, tc.short); got != tc.zh || (tc.short == "PDP Law" && !hasHan(got)) {
			t.Errorf("zh LawShort(%q, %q) = %q, want %q", tc.id, tc.short, got, tc.zh)
		}
	}
}

// TestAmbiguousAbbreviation: a citation whose abbreviation several laws share (PDPL: the UAE's
// and Saudi Arabia's) is named under the law the text speaks of: a finding's ref parameter
// under the finding's regime, the DPIA screening's citation under the national assessment it
// cites.
func TestAmbiguousAbbreviation(t *testing.T) {
	zh := mustLoad(t).Get(i18n.SimplifiedChinese)
	const uae = "阿联酋《个人数据保护法》（PDPL）第8条"
	duty := map[string]any{"id": "national.duty", "params": map[string]any{"duty_text": "x", "ref": "PDPL Art. 8"}}
	f := assessments.Finding{Regime: "ae_pdpl", Detail: "x (PDPL Art. 8)", DetailMsg: &assessments.Message{ID: "national.processor_duties", Params: map[string]any{
		"country": "AE", "why_text": "y", "duties": map[string]any{"sep": "; ", "items": []any{duty}},
	}}}
	if got := zh.FindingDetail(f); !strings.Contains(got, uae) {
		t.Errorf("FindingDetail = %q, want it to cite %q", got, uae)
	}
	pdpl := assessments.Citation{Ref: "PDPL Art. 8", URL: "https://uaepdpl.com/?p=342"}
	d := assessments.DPIA{Citation: pdpl, National: []assessments.NationalDPIA{
		{Regime: "sa_pdpl", Citation: assessments.Citation{Ref: "PDPL Art. 22"}},
		{Regime: "ae_pdpl", Citation: pdpl},
	}}
	if got := i18n.DPIARegime(d); got != "ae_pdpl" {
		t.Errorf("DPIARegime = %q, want ae_pdpl", got)
	}
	if got := zh.DPIACitationRef(d); got != uae {
		t.Errorf("DPIACitationRef = %q, want %q", got, uae)
	}
	if got := i18n.DPIARegime(assessments.DPIA{Citation: assessments.Citation{Ref: "GDPR Art. 35"}}); got != "" {
		t.Errorf("DPIARegime of the GDPR screening = %q, want \"\"", got)
	}
}

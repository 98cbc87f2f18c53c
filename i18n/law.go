package i18n

import (
	"cmp"
	_ "embed"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/policies"
)

// citationsZh is the table of the laws' Chinese names (i18n/citations_zh.json).
//
//go:embed citations_zh.json
var citationsZh []byte

// lawTable maps the abbreviation or title an English citation starts with ("GDPR",
// "CAC Provisions (2024)") to the law's Chinese name, per regime ("*": any regime).
type lawTable struct {
	// Chinese lists the abbreviations of Chinese laws: their articles are written in Chinese
	// numerals (第三十八条), other laws' as in the English ref (第44(1)条).
	Chinese []string `json:"chinese"`
	// Names maps a regime id, or "*" for every regime, to abbreviation → Chinese name.
	Names map[string]map[string]string `json:"names"`
	// Patterns are [regexp, replacement] pairs for whole segments the names cannot build (a
	// name that is the whole segment wins over them)
	// (guidance and decisions numbered inside their Chinese name: "EDPB Guidelines 3/2018" →
	// 欧洲数据保护委员会（EDPB）第3/2018号指南); the first that matches a segment wins.
	Patterns [][2]string `json:"patterns"`
	patterns []segPattern
}

// segPattern is a compiled entry of lawTable.Patterns.
type segPattern struct {
	re   *regexp.Regexp
	repl string
}

func loadLawTable() (*lawTable, error) {
	var t lawTable
	if err := json.Unmarshal(citationsZh, &t); err != nil {
		return nil, fmt.Errorf("parse citations_zh.json: %w", err)
	}
	if len(t.Names["*"]) == 0 {
		return nil, fmt.Errorf("citations_zh.json: no names under \"*\"")
	}
	for regime, names := range t.Names {
		for abbr, name := range names {
			if abbr == "" || !strings.ContainsFunc(name, isHan) {
				return nil, fmt.Errorf("citations_zh.json: %s: %q → %q is not a Chinese name", regime, abbr, name)
			}
		}
	}
	for _, p := range t.Patterns {
		re, err := regexp.Compile("^(?:" + p[0] + ")$")
		if err != nil {
			return nil, fmt.Errorf("citations_zh.json: pattern %q: %w", p[0], err)
		}
		if !strings.ContainsFunc(p[1], isHan) {
			return nil, fmt.Errorf("citations_zh.json: pattern %q → %q is not Chinese", p[0], p[1])
		}
		t.patterns = append(t.patterns, segPattern{re, p[1]})
	}
	for _, abbr := range t.Chinese {
		if _, ok := t.Names["*"][abbr]; !ok {
			return nil, fmt.Errorf("citations_zh.json: Chinese law %q has no name under \"*\"", abbr)
		}
	}
	return &t, nil
}

// find returns the longest abbreviation of regime's table (or of "*") that seg starts with as
// a whole word, and its Chinese name.
func (t *lawTable) find(regime, seg string) (abbr, name string) {
	for _, names := range []map[string]string{t.Names[regime], t.Names["*"]} {
		for a, n := range names {
			if len(a) <= len(abbr) || !strings.HasPrefix(seg, a) {
				continue
			}
			if rest := seg[len(a):]; rest != "" && !strings.ContainsAny(rest[:1], " ,;(") {
				continue // "PIPLX" is not "PIPL"
			}
			abbr, name = a, n
		}
	}
	return abbr, name
}

// article matches the provision after a law's abbreviation: " Art. 44(1)", " s.26B-26D",
// " Art. 3(2), 44", " regs 9-11"; the rest (" (as amended by …)") is kept as written.
var article = regexp.MustCompile(`^ ?(?:Arts?\.|s\.|ss\.|Section|reg\.|regs|r\.) ?(\d[0-9A-Za-z.()\-–]*(?:(?:, ?(?:s\.|r\.)?| to |,| and r\.)[\d(][0-9A-Za-z.()\-–]*)*)(.*)$`)

// remainders translate the usual qualifiers after a provision ("(amended 2024)", "as amended
// by Act A1727", ", sections 3.2-3.3"); the rest stays as written.
var remainders = []struct {
	re   *regexp.Regexp
	repl string
}{
	{regexp.MustCompile(`,? sections? (\d[\d.\-–]*)`), "第${1}节"},
	{regexp.MustCompile(`^ Sch\. (\d+) para\. (\d+)`), "附表${1}第${2}段"},
	{regexp.MustCompile(` \(Commission Decision (?:\(EU\) )?([0-9/EC]+)\)`), "（欧盟委员会第${1}号决定）"},
	{regexp.MustCompile(` \(Canada\)`), "（加拿大）"},
	{regexp.MustCompile(`^ Annex (\d+)`), "附件${1}"},
	{regexp.MustCompile(`^ Schedule 1 Principle ([\d.]+(?:, [\d.]+)*)`), "附表1第${1}项原则"},
	{regexp.MustCompile(`^ (\d+\.\d+[0-9a-zA-Z().,]*(?:, \d+\.\d+[0-9a-zA-Z().,]*)*)$`), "第${1}节"},
	{regexp.MustCompile(`, made under Banking Law No\. (\d+) Art\. (\d+)`), "，依据第${1}号《银行法》第${2}条制定"},
	{regexp.MustCompile(`, r\.(\d+) and r\.(\d+)`), "第${1}条及第${2}条"},
	{regexp.MustCompile(` \(exemptions from the CTIA\)`), "（跨境传输影响评估（CTIA）豁免）"},
	{regexp.MustCompile(` \((UK )?GDPR Art\. (\d+\(\d+\))\)`), "（${1}GDPR第${2}条）"},
	{regexp.MustCompile(` Art\. (\d[\d()\-]*)$`), "第${1}条"},
	{regexp.MustCompile(` ?\(amended (\d{4})\)`), "（${1}年修订）"},
	{regexp.MustCompile(` as amended by (?:Act|Law No\.) ([0-9A-Z]+)`), "（经第${1}号法律修订）"},
	{regexp.MustCompile(` \(inserted by Act ([0-9A-Z]+)\)`), "（经第${1}号法律增订）"},
	{regexp.MustCompile(` \(Act ([0-9A-Z]+)\)`), "（经第${1}号法律修订）"},
	{regexp.MustCompile(` \(original text\)`), "（修订前原文）"},
	{regexp.MustCompile(` \(scope\)`), "（适用范围）"},
	{regexp.MustCompile(` proviso$`), "但书"},
	{regexp.MustCompile(`,? Examples? (\d[\d\-–]*)`), "，示例${1}"},
	{regexp.MustCompile(`,? Recital (\d+)`), "、鉴于条款第${1}条"},
	{regexp.MustCompile(`, Art\. (\d[0-9()]*)`), "、第${1}条"},
	{regexp.MustCompile(` and Annex (\d+)`), "及附件${1}"},
	{regexp.MustCompile(` and Third Schedule`), "及附表三"},
	{regexp.MustCompile(` \(in force (?:from )?(\d+) (\w+) (\d{4})\)`), "（自${3}年${2}月${1}日起施行）"},
	{regexp.MustCompile(` \(added by (\d+-FZ) of (\d+) (\w+) (\d{4})\)`), "（经${4}年${3}月${2}日第${1}号联邦法律增订）"},
}

// months are the English month names a remainder may hold, for 2014年7月21日.
var months = strings.NewReplacer("年January月", "年1月", "年February月", "年2月", "年March月", "年3月", "年April月", "年4月",
	"年May月", "年5月", "年June月", "年6月", "年July月", "年7月", "年August月", "年8月", "年September月", "年9月",
	"年October月", "年10月", "年November月", "年11月", "年December月", "年12月")

// remainder translates the qualifiers of remainders in rest.
func remainder(rest string) string {
	for _, r := range remainders {
		rest = r.re.ReplaceAllString(rest, r.repl)
	}
	return months.Replace(rest)
}

// chineseArticle matches one article of a Chinese law: "38", "55(4)", "38-40".
var chineseArticle = regexp.MustCompile(`^(\d+)(?:-(\d+))?((?:\(\d+\))?)$`)

// CitationRef is the citation's text in this language. English is the ref as the data wrote
// it. Chinese is the data's ref_zh (the official Chinese name of a Chinese law's provision) or,
// without one, the ref with each law named in Chinese from i18n/citations_zh.json and its
// article as 第…条 ("GDPR Art. 44(1)" → 《通用数据保护条例》（GDPR）第44(1)条); the parts the
// table does not know (guidance, decisions) stay as written. regime disambiguates
// abbreviations several laws share (PDPA, PDPL, DPA); "" uses the unambiguous ones only.
func (l *Localizer) CitationRef(regime string, c assessments.Citation) string {
	if l.lang != SimplifiedChinese {
		return c.Ref
	}
	if c.RefZh != "" {
		return c.RefZh
	}
	return l.laws.ref(regime, c.Ref)
}

// DPIARegime is the regime whose law the DPIA screening's citation cites: "" for the GDPR's
// screening, else the national impact assessment the policies cite when the GDPR's does not
// apply (its first entry, whose citation the screening carries), so an abbreviation several
// laws share (PDPL: the UAE's and Saudi Arabia's) names the right law.
func DPIARegime(d assessments.DPIA) string {
	for _, n := range d.National {
		if n.Citation.Ref == d.Citation.Ref && n.Citation.URL == d.Citation.URL {
			return n.Regime
		}
	}
	return ""
}

// DPIACitationRef is the DPIA screening's citation in this language (CitationRef under
// DPIARegime).
func (l *Localizer) DPIACitationRef(d assessments.DPIA) string {
	return l.CitationRef(DPIARegime(d), d.Citation)
}

// CitationURL is the citation's link in this language: the official Chinese text (url_zh)
// for a Chinese reader when the data has one, else the official text.
func (l *Localizer) CitationURL(c assessments.Citation) string {
	if l.lang == SimplifiedChinese && c.URLZh != "" {
		return c.URLZh
	}
	return c.URL
}

func (t *lawTable) ref(regime, ref string) string {
	segs := strings.Split(ref, "; ")
	for i, seg := range segs {
		segs[i] = t.segment(regime, seg)
	}
	return strings.Join(segs, "；")
}

func (t *lawTable) segment(regime, seg string) string {
	if abbr, name := t.find(regime, seg); abbr == seg {
		return name // a whole one-off citation the table names
	}
	for _, p := range t.patterns {
		if p.re.MatchString(seg) {
			return remainder(p.re.ReplaceAllString(seg, p.repl))
		}
	}
	abbr, name := t.find(regime, seg)
	if abbr == "" {
		return seg
	}
	rest := seg[len(abbr):]
	m := article.FindStringSubmatch(rest)
	if m == nil {
		return name + remainder(rest)
	}
	if slices.Contains(t.Chinese, abbr) {
		if zh, ok := chineseArticles(m[1]); ok {
			return name + zh + remainder(m[2])
		}
	}
	nums := strings.NewReplacer(", s.", "、", ", r.", "、", " and r.", "、", ", ", "、", ",", "、", " to ", "至").Replace(m[1])
	return name + "第" + nums + "条" + remainder(m[2])
}

// chineseArticles writes "38, 39", "38-40" or "55(4)" as 第三十八条、第三十九条, 第三十八条至第四十条,
// 第五十五条（4）; false for a form it does not know.
func chineseArticles(s string) (string, bool) {
	parts := strings.Split(strings.ReplaceAll(s, ", ", ","), ",")
	out := make([]string, 0, len(parts))
	for _, p := range parts {
		m := chineseArticle.FindStringSubmatch(p)
		if m == nil {
			return "", false
		}
		from, _ := strconv.Atoi(m[1])
		z := "第" + chineseNumber(from) + "条"
		if m[2] != "" {
			to, _ := strconv.Atoi(m[2])
			z += "至第" + chineseNumber(to) + "条"
		}
		if m[3] != "" {
			z += "（" + strings.Trim(m[3], "()") + "）"
		}
		out = append(out, z)
	}
	return strings.Join(out, "、"), true
}

// chineseNumber writes 1–9999 in Chinese numerals as statutes number their articles (十, 十一,
// 三十八, 一百零五, 一百一十); other numbers stay Arabic.
func chineseNumber(n int) string {
	if n <= 0 || n > 9999 {
		return strconv.Itoa(n)
	}
	digits := []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	units := []string{"千", "百", "十", ""}
	d := [4]int{n / 1000, n / 100 % 10, n / 10 % 10, n % 10}
	var b strings.Builder
	started, zero := false, false
	for i, v := range d {
		if v == 0 {
			zero = started
			continue
		}
		if zero {
			b.WriteString("零")
			zero = false
		}
		// 十一 rather than 一十一 when the number starts at the tens
		if !(i == 2 && v == 1 && !started) {
			b.WriteString(digits[v])
		}
		b.WriteString(units[i])
		started = true
	}
	return b.String()
}

// Law names a regime (a law) for a reader — by its id in any case, or by a short name of the
// library as the policies write it in texts ("PIPL", "PDPA (SG)") — "China PIPL",
// 《个人信息保护法》; the id in upper case for a regime the catalogue does not know (a company
// rule's).
func (l *Localizer) Law(id string) string {
	if s, ok := l.msgs["law."+id]; ok {
		return s
	}
	if r, ok := policies.RegimeOfShort(id); ok && l.Has("law."+r) {
		return l.T("law." + r)
	}
	return l.Or("law."+strings.ToLower(id), strings.ToUpper(id))
}

// Country names a country by its ISO 3166-1 alpha-2 code in this language (Singapore, 新加坡);
// the code itself when unknown, "" for "".
func (l *Localizer) Country(code string) string {
	if n, ok := l.countries[code]; ok {
		return n
	}
	return code
}

// CountryCode is the country's name with its code: "Singapore (SG)", 新加坡（SG）.
func (l *Localizer) CountryCode(code string) string {
	n := l.Country(code)
	if n == code {
		return code
	}
	return l.T("country.with_code", "name", n, "code", code)
}

// countryNames names every ISO country code in lang: the English names of the policy data's
// taxonomy, the Chinese names of CLDR (golang.org/x/text/language/display).
func countryNames(lang string) map[string]string {
	zh := display.Regions(language.SimplifiedChinese)
	out := map[string]string{}
	for _, code := range policies.CountryCodes() {
		n, _ := policies.CountryName(code)
		if lang == SimplifiedChinese {
			if r, err := language.ParseRegion(code); err == nil {
				n = cmp.Or(zh.Name(r), n)
			}
		}
		out[code] = n
	}
	return out
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// lowerWord is a word of two or more lower-case letters: a short name holding one ("PDP Law",
// "Privacy Act") is English words, not an abbreviation.
var lowerWord = regexp.MustCompile(`[a-z]{2,}`)

// LawShort is a regime's short name for a reader: as the library writes it in English, and in
// another language the abbreviation when it is one ("PIPL", "PDPA (SG)"), else the law's name
// in that language ("PDP Law" → 越南《个人数据保护法》).
func (l *Localizer) LawShort(id, short string) string {
	if short == "" {
		short = id
	}
	if l.lang == English || !lowerWord.MatchString(short) {
		return short
	}
	return l.Law(id)
}

package i18n_test

import (
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/examples"
	"github.com/piaflow/piaflow/i18n"
	"github.com/piaflow/piaflow/policies"
)

// sameInBothLanguages lists the keys whose Chinese text is meant to equal the English one:
// certification and product names that Chinese practice writes in Latin letters.
var sameInBothLanguages = []string{
	"enum.certification.hitrust",
	"enum.certification.iso_27001",
	"enum.certification.iso_27701",
	"enum.certification.soc2",
	"enum.expiry_item.hitrust",
	"enum.expiry_item.iso_27001",
	"enum.expiry_item.iso_27701",
	"enum.expiry_item.soc2",
	// a value shown as it is: true, false, or the Go type of an unexpected value
	"validation.got.bool",
	"validation.got.other",
	// the English text of an HTTP status's detail is the detail itself
}

// vocabularies lists the closed vocabularies of policies/taxonomy.go (package policies exports
// Enum(name) but not the list of names); each must have values, checked below.
var vocabularies = []string{
	"vendor_role", "sector", "customer_type", "provider", "hosting_role", "legal_basis",
	"subject_type", "data_category", "recipient_type", "access", "mechanism", "certification",
	"exemption", "filing", "access_control", "verdict", "tier_verdict", "requirement",
	"severity", "kind", "owner", "deidentification", "certification_covered_data",
	"vendor_flow", "expiry_item",
}

// asOfDates are the dates the example questionnaires are assessed on: before and after the
// Vietnamese PDP Law replaced Decree 13, so both short names of that regime are localised.
var asOfDates = []time.Time{
	time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC),
	time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC),
}

var placeholderRE = regexp.MustCompile(`\{[a-z_]+\}`)

func mustLoad(tb testing.TB) *i18n.Catalogs {
	tb.Helper()
	c, err := i18n.Load()
	if err != nil {
		tb.Fatalf("Load: %v", err)
	}
	return c
}

func mustEngine(tb testing.TB) *policies.Engine {
	tb.Helper()
	e, err := policies.Default()
	if err != nil {
		tb.Fatalf("load policies: %v", err)
	}
	return e
}

// catalogueKeys reads the keys of one language straight from its JSON files, independently of
// Load, sorted.
func catalogueKeys(tb testing.TB, lang string) []string {
	tb.Helper()
	paths, err := filepath.Glob(filepath.Join("locales", lang, "*.json"))
	if err != nil || len(paths) == 0 {
		tb.Fatalf("no catalogue files for %s (%v)", lang, err)
	}
	var keys []string
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		var m map[string]string
		if err := json.Unmarshal(b, &m); err != nil {
			tb.Fatalf("%s: %v", p, err)
		}
		for k := range m {
			keys = append(keys, k)
		}
	}
	if lang == i18n.English {
		// the English texts of the validation messages are defined in package assessments
		for code := range assessments.ProblemTexts() {
			keys = append(keys, i18n.ValidationPrefix+code)
		}
		// and those of the jurisdiction data in package policies
		data, err := policies.DataTexts()
		if err != nil {
			tb.Fatal(err)
		}
		for k := range data {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

func placeholders(s string) []string {
	ps := placeholderRE.FindAllString(s, -1)
	sort.Strings(ps)
	return slices.Compact(ps)
}

// hasHan reports whether s has a Chinese character.
func hasHan(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
}

// hasCJK reports whether s has a Chinese character or CJK punctuation (a list separator "、"
// is a complete translation).
func hasCJK(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool {
		return unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef)
	}) >= 0
}

// ruleKey is the catalogue id of an engine rule: its id, or "*-SUFFIX" for a generic rule
// ("<REGIME>-TRANSFER-NO-MECHANISM").
func ruleKey(r policies.Rule) string {
	if r.Generic {
		return "*-" + strings.TrimPrefix(r.ID, "<REGIME>-")
	}
	return r.ID
}

// TestCatalogues checks that the languages have the same keys, that every Chinese text is
// translated (except the listed ones) and keeps the English text's placeholders.
func TestCatalogues(t *testing.T) {
	c := mustLoad(t)
	en, zh := c.Get(i18n.English), c.Get(i18n.SimplifiedChinese)
	if en.Lang() != i18n.English || zh.Lang() != i18n.SimplifiedChinese {
		t.Fatalf("Get returned %s and %s", en.Lang(), zh.Lang())
	}
	enKeys := catalogueKeys(t, i18n.English)
	for _, lang := range i18n.Languages() {
		t.Run("SameKeys/"+lang, func(t *testing.T) {
			if got := catalogueKeys(t, lang); !slices.Equal(got, enKeys) {
				t.Errorf("%s has %d keys, English %d; they differ", lang, len(got), len(enKeys))
			}
			l := c.Get(lang)
			for _, k := range enKeys {
				if !l.Has(k) {
					t.Errorf("%s: Load lost key %s", lang, k)
				}
			}
		})
	}
	t.Run("Translated", func(t *testing.T) {
		for _, k := range enKeys {
			e, z := en.T(k), zh.T(k)
			if z == "" {
				t.Errorf("%s: empty Chinese text", k)
			}
			same := slices.Contains(sameInBothLanguages, k)
			switch {
			case same && z != e:
				t.Errorf("%s is listed as identical in both languages but differs: %q, %q", k, e, z)
			case !same && z == e:
				t.Errorf("%s: Chinese text equals the English %q", k, e)
			case !same && !hasCJK(z):
				t.Errorf("%s: Chinese text %q has no Chinese character or punctuation", k, z)
			}
		}
		for _, k := range sameInBothLanguages {
			if !en.Has(k) {
				t.Errorf("sameInBothLanguages lists %s, which the catalogue lacks", k)
			}
		}
	})
	t.Run("Placeholders", func(t *testing.T) {
		for _, k := range enKeys {
			if pe, pz := placeholders(en.T(k)), placeholders(zh.T(k)); !slices.Equal(pe, pz) {
				t.Errorf("%s: placeholders %v in English, %v in Chinese", k, pe, pz)
			}
		}
	})
}

// TestRuleCoverage checks that every finding rule of the engine has a title and an action in
// every language, that the English templates reproduce the rule's metadata, and that the
// catalogue has no rule the engine lacks.
func TestRuleCoverage(t *testing.T) {
	c := mustLoad(t)
	rules := mustEngine(t).Rules()
	if len(rules) == 0 {
		t.Fatal("the engine has no rules")
	}
	known := map[string]bool{}
	for _, r := range rules {
		id := ruleKey(r)
		known[id] = true
		t.Run(id, func(t *testing.T) {
			for _, lang := range i18n.Languages() {
				for _, field := range []string{"title", "action"} {
					if k := "rule." + id + "." + field; !c.Get(lang).Has(k) {
						t.Errorf("%s lacks %s", lang, k)
					}
				}
			}
			en := c.Get(i18n.English)
			wantTitle, wantAction := r.Title, r.Action
			gotTitle, gotAction := en.T("rule."+id+".title"), en.T("rule."+id+".action")
			if r.Generic {
				// The engine writes "<short>: <title>" and the action with the short name for %s,
				// which Rules() shows as <law>.
				gotTitle = strings.TrimPrefix(gotTitle, "{law}: ")
				gotAction = strings.ReplaceAll(gotAction, "{law}", "<law>")
			}
			if gotTitle != wantTitle {
				t.Errorf("English title %q, rule metadata %q", gotTitle, wantTitle)
			}
			if gotAction != wantAction {
				t.Errorf("English action %q, rule metadata %q", gotAction, wantAction)
			}
		})
	}
	for _, k := range catalogueKeys(t, i18n.English) {
		rest, ok := strings.CutPrefix(k, "rule.")
		if !ok {
			continue
		}
		if id, _, _ := strings.Cut(rest, "."); !known[id] {
			t.Errorf("catalogue key %s: the engine has no rule %s", k, id)
		}
	}
}

// TestFindingsLocalise assesses every example questionnaire and checks each finding: the English
// localizer gives back the engine's text, the Chinese one a translation.
func TestFindingsLocalise(t *testing.T) {
	c := mustLoad(t)
	en, zh := c.Get(i18n.English), c.Get(i18n.SimplifiedChinese)
	ev := assessments.NewEvaluator(mustEngine(t))
	paths, err := fs.Glob(examples.FS, "*.yaml")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no example questionnaires (%v)", err)
	}
	seen := map[string]bool{}
	for _, p := range paths {
		b, err := examples.FS.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		q, err := assessments.Parse(b)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		for _, day := range asOfDates {
			t.Run(strings.TrimSuffix(p, ".yaml")+"/"+day.Format(time.DateOnly), func(t *testing.T) {
				a, err := ev.Assess(context.Background(), q, day)
				if err != nil {
					t.Fatal(err)
				}
				for _, f := range a.Findings {
					seen[f.ID] = true
					checkFinding(t, en, zh, f)
				}
			})
		}
	}
	if len(seen) == 0 {
		t.Error("the examples produced no finding")
	}
}

// checkFinding checks the round trip through English and that the Chinese text is a
// translation.
func checkFinding(t *testing.T, en, zh *i18n.Localizer, f assessments.Finding) {
	t.Helper()
	for _, x := range []struct{ field, engine, en, zh string }{
		{"title", f.Title, en.FindingTitle(f), zh.FindingTitle(f)},
		{"action", f.Action.Title, en.ActionTitle(f), zh.ActionTitle(f)},
	} {
		if x.en != x.engine {
			t.Errorf("%s %s: English localizer gives %q, engine wrote %q", f.ID, x.field, x.en, x.engine)
		}
		if x.zh == x.engine || !hasHan(x.zh) {
			t.Errorf("%s %s: not translated: %q", f.ID, x.field, x.zh)
		}
	}
}

// TestFindingsFallback covers ids the examples do not produce: a UK GDPR finding (its messages
// name the GDPR rule's entry, as lib.finding writes them) and company rules, which carry no
// message and show their English in every language.
func TestFindingsFallback(t *testing.T) {
	c := mustLoad(t)
	en, zh := c.Get(i18n.English), c.Get(i18n.SimplifiedChinese)
	e := mustEngine(t)

	t.Run("UKGDPRLocalises", func(t *testing.T) {
		const id = "UK-GDPR-SEC-MFA"
		r, ok := e.Rule(id)
		if !ok || r.Generic {
			t.Fatalf("engine has no rule for %s", id)
		}
		f := assessments.Finding{ID: id, Regime: "uk_gdpr", Title: r.Title,
			TitleMsg: &assessments.Message{ID: "rule." + r.ID + ".title"},
			Action:   assessments.Action{Title: r.Action, TitleMsg: &assessments.Message{ID: "rule." + r.ID + ".action"}}}
		checkFinding(t, en, zh, f)
		if got, want := zh.FindingTitle(f), zh.T("rule."+r.ID+".title"); got != want {
			t.Errorf("Chinese title %q, want the %s template %q", got, r.ID, want)
		}
	})

	for _, tc := range []struct {
		name string
		f    assessments.Finding
	}{
		{"UnknownCompanyRule", assessments.Finding{
			ID: "ACME-INVOICE-RETENTION", Title: "Invoices kept less than ten years",
			Action: assessments.Action{Title: "Extend the invoice archive to ten years"},
		}},
		// A company id ending in a generic suffix, with its own text.
		{"CompanyRuleWithGenericSuffix", assessments.Finding{
			ID: "ACME-TRANSFER-NO-MECHANISM", Title: "Group transfer policy not followed",
			Action: assessments.Action{Title: "Ask the group DPO"},
		}},
		// A known rule id without messages (an assessment stored before them) falls back too.
		{"KnownIDUnknownText", assessments.Finding{
			ID: "GDPR-SEC-MFA", Title: "Something else entirely",
			Action: assessments.Action{Title: "Do something else"},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, l := range []*i18n.Localizer{en, zh} {
				if got := l.FindingTitle(tc.f); got != tc.f.Title {
					t.Errorf("%s title: %q, want the English %q", l.Lang(), got, tc.f.Title)
				}
				if got := l.ActionTitle(tc.f); got != tc.f.Action.Title {
					t.Errorf("%s action: %q, want the English %q", l.Lang(), got, tc.f.Action.Title)
				}
			}
		})
	}
}

// TestEnums checks that every value of every closed vocabulary has a label in every language.
func TestEnums(t *testing.T) {
	c := mustLoad(t)
	for _, name := range vocabularies {
		t.Run(name, func(t *testing.T) {
			values := policies.Enum(name)
			if len(values) == 0 {
				t.Fatalf("policies has no vocabulary %q", name)
			}
			for _, lang := range i18n.Languages() {
				for _, v := range values {
					if k := "enum." + name + "." + v; !c.Get(lang).Has(k) {
						t.Errorf("%s lacks %s", lang, k)
					}
				}
			}
		})
	}
	// Every enum.<name> in the catalogue belongs to a listed vocabulary, so a vocabulary added to
	// the catalogue is added here too.
	for _, k := range catalogueKeys(t, i18n.English) {
		if rest, ok := strings.CutPrefix(k, "enum."); ok {
			name, v, _ := strings.Cut(rest, ".")
			if !slices.Contains(vocabularies, name) || !policies.InEnum(name, v) {
				t.Errorf("catalogue key %s is not a value of a listed vocabulary", k)
			}
		}
	}
}

// TestMatch checks language negotiation from tags and Accept-Language values.
func TestMatch(t *testing.T) {
	c := mustLoad(t)
	for _, tc := range []struct{ tag, want string }{
		{"zh", i18n.SimplifiedChinese},
		{"zh-CN", i18n.SimplifiedChinese},
		{"zh-cn", i18n.SimplifiedChinese},
		{"zh_CN", i18n.SimplifiedChinese},
		{"zh-Hans", i18n.SimplifiedChinese},
		{"zh-Hans-CN", i18n.SimplifiedChinese},
		{"zh-SG", i18n.SimplifiedChinese},
		{" zh-CN ", i18n.SimplifiedChinese},
		{"zh-TW;q=0.8, zh-CN", i18n.SimplifiedChinese},
		{"zh-CN,zh;q=0.9,en;q=0.8", i18n.SimplifiedChinese},
		{"fr-FR, zh;q=0.5", i18n.SimplifiedChinese},
		{"en", i18n.English},
		{"en-GB", i18n.English},
		{"en-US,zh-CN;q=0.5", i18n.English},
		// Traditional Chinese alone gets the Simplified catalogue (closer than English); with
		// English also acceptable the exact English match wins.
		{"zh-TW", i18n.SimplifiedChinese},
		{"zh-HK", i18n.SimplifiedChinese},
		{"zh-Hant", i18n.SimplifiedChinese},
		{"zh-Hant-HK", i18n.SimplifiedChinese},
		{"zh-TW, en;q=0.5", i18n.English},
		// q-values decide, not the order of the entries.
		{"zh;q=0.1, en;q=0.9", i18n.English},
		{"en;q=0.2, zh-CN;q=0.8", i18n.SimplifiedChinese},
		{"fr, en;q=0.3, zh;q=0.4", i18n.SimplifiedChinese},
		{"zh-CN;q=0, en;q=0.1", i18n.English},
		{"fr", i18n.English},
		{"de-DE,fr;q=0.8", i18n.English},
		{"", i18n.English},
		{"*", i18n.English},
		{"yue", i18n.English},
		{"garbage!!", i18n.English},
		{";;;,,,", i18n.English},
		{"garbage!!, zh-CN;q=0.5", i18n.SimplifiedChinese},
		{"en;q=abc, zh", i18n.SimplifiedChinese},
		{"zhx", i18n.English},
	} {
		t.Run(tc.tag, func(t *testing.T) {
			if got := i18n.Match(tc.tag); got != tc.want {
				t.Errorf("Match(%q) = %q, want %q", tc.tag, got, tc.want)
			}
			if got := c.Get(tc.tag).Lang(); got != tc.want {
				t.Errorf("Get(%q).Lang() = %q, want %q", tc.tag, got, tc.want)
			}
		})
	}
	for _, lang := range i18n.Languages() {
		if !i18n.Supported(lang) || i18n.Match(lang) != lang {
			t.Errorf("language %s: Supported %v, Match %q", lang, i18n.Supported(lang), i18n.Match(lang))
		}
	}
	if i18n.Supported("zh") {
		t.Error(`Supported("zh") is true; only exact tags are supported`)
	}
}

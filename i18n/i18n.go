// Package i18n holds piaflow's translation catalogues (English and Simplified Chinese) for the
// reports and the web UI, and localises the engine's finding titles and actions.
//
// A catalogue is a flat map from key to text; placeholders are written {name}. Each language is
// the union of the JSON files under locales/<lang>/, and every key must exist in every language
// (a test checks it). The engine writes findings in English and, beside each text, a structured
// message (docs/messages.md): an id naming a catalogue entry and its parameters.
// Localizer.FindingTitle, ActionTitle, FindingDetail and Render render the message in the
// target language; a text without one (company rules added with --policies) is shown as the
// engine wrote it.
//
// Laws, countries and citations are named in the reader's language (law.go): Law names a regime
// ("China PIPL", 《个人信息保护法》), Country a country (新加坡), CitationRef and CitationURL a
// citation (the official Chinese name and text of a Chinese law, a Chinese name from
// citations_zh.json for any other law). Match negotiates the language of a request with
// golang.org/x/text/language. docs/glossary.md fixes the Chinese legal terms.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"

	"golang.org/x/text/language"

	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/policies"
)

//go:embed locales
var locales embed.FS

// Languages piaflow speaks; the first is the default.
const (
	English           = "en"
	SimplifiedChinese = "zh-CN"
)

// Languages lists the supported languages, default first.
func Languages() []string { return []string{English, SimplifiedChinese} }

// Catalogs holds every language's catalogue; load it once per process with Load.
type Catalogs struct {
	byLang map[string]*Localizer
}

// Localizer translates for one language.
type Localizer struct {
	lang string
	msgs map[string]string
	en   map[string]string
	// laws names the laws in Chinese (citations_zh.json); countries names the ISO countries.
	laws      *lawTable
	countries map[string]string
	// dataByText maps the English of each jurisdiction data text to its key (datatexts.go).
	dataByText map[string]string
}

// Load reads the embedded catalogues and checks that every language has the same keys.
func Load() (*Catalogs, error) {
	data, err := policies.DataTexts()
	if err != nil {
		return nil, fmt.Errorf("catalogue %s: data texts: %w", English, err)
	}
	return load(data)
}

// load is Load with the jurisdiction data's texts given (policies.DataTexts; tests pass others).
func load(data map[string]string) (*Catalogs, error) {
	cats := &Catalogs{byLang: map[string]*Localizer{}}
	all := map[string]map[string]string{}
	for _, lang := range Languages() {
		msgs, err := readLang(lang)
		if err != nil {
			return nil, err
		}
		all[lang] = msgs
	}
	en := all[English]
	for code, text := range assessments.ProblemTexts() {
		if _, dup := en[ValidationPrefix+code]; dup {
			return nil, fmt.Errorf("catalogue %s: key %q defined twice", English, ValidationPrefix+code)
		}
		en[ValidationPrefix+code] = text
	}
	if err := injectDataTexts(en, data); err != nil {
		return nil, err
	}
	for _, lang := range Languages() {
		if missing := missingKeys(en, all[lang]); len(missing) > 0 {
			return nil, fmt.Errorf("catalogue %s lacks %d keys: %s", lang, len(missing), strings.Join(missing, ", "))
		}
		if extra := missingKeys(all[lang], en); len(extra) > 0 {
			return nil, fmt.Errorf("catalogue %s has keys English lacks: %s", lang, strings.Join(extra, ", "))
		}
	}
	laws, err := loadLawTable()
	if err != nil {
		return nil, err
	}
	byText := dataTextIndex(data)
	for _, lang := range Languages() {
		cats.byLang[lang] = &Localizer{lang: lang, msgs: all[lang], en: en, laws: laws, countries: countryNames(lang), dataByText: byText}
	}
	return cats, nil
}

func readLang(lang string) (map[string]string, error) {
	dir := path.Join("locales", lang)
	entries, err := fs.ReadDir(locales, dir)
	if err != nil {
		return nil, fmt.Errorf("read catalogue %s: %w", lang, err)
	}
	msgs := map[string]string{}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		b, err := locales.ReadFile(path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("read catalogue %s/%s: %w", lang, e.Name(), err)
		}
		var part map[string]string
		if err := json.Unmarshal(b, &part); err != nil {
			return nil, fmt.Errorf("parse catalogue %s/%s: %w", lang, e.Name(), err)
		}
		for k, v := range part {
			if _, dup := msgs[k]; dup {
				return nil, fmt.Errorf("catalogue %s: key %q defined twice", lang, k)
			}
			msgs[k] = v
		}
	}
	return msgs, nil
}

func missingKeys(want, have map[string]string) []string {
	var out []string
	for k := range want {
		if _, ok := have[k]; !ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// Get returns the localizer for a language, English for an unknown one.
func (c *Catalogs) Get(lang string) *Localizer {
	if l, ok := c.byLang[Match(lang)]; ok {
		return l
	}
	return c.byLang[English]
}

// matcher negotiates between the supported languages; its order follows Languages() (English,
// the default, first). The zh-CN catalogue is written in Simplified Chinese: a reader who asks
// only for Traditional Chinese (zh-TW, zh-HK, zh-Hant) gets it rather than English, because
// x/text matches them to zh-Hans with Low confidence; a header that also names English
// ("zh-TW, en;q=0.5") gets English, the exact match.
var matcher = language.NewMatcher([]language.Tag{language.English, language.SimplifiedChinese})

// Match picks the supported language for a tag such as "zh", "zh-Hans-CN", "zh_CN" or an
// Accept-Language header value, honouring q-values ("zh;q=0.1, en;q=0.9" is English) through
// golang.org/x/text/language's matcher; English when nothing matches or the value is garbage.
func Match(tag string) string {
	tags := acceptTags(tag)
	if len(tags) == 0 {
		return English
	}
	_, i, conf := matcher.Match(tags...)
	if conf == language.No {
		return English
	}
	return Languages()[i]
}

// acceptTags parses an Accept-Language value into tags, most preferred first. A value x/text
// rejects as a whole ("garbage!!, zh-CN") is parsed entry by entry and the bad entries dropped.
func acceptTags(s string) []language.Tag {
	s = strings.ReplaceAll(s, "_", "-")
	if tags, _, err := language.ParseAcceptLanguage(s); err == nil {
		return tags
	}
	type entry struct {
		tag language.Tag
		q   float32
	}
	var entries []entry
	for _, part := range strings.Split(s, ",") {
		tags, qs, err := language.ParseAcceptLanguage(part)
		if err != nil {
			continue
		}
		for i := range tags {
			entries = append(entries, entry{tags[i], qs[i]})
		}
	}
	slices.SortStableFunc(entries, func(a, b entry) int {
		switch {
		case a.q > b.q:
			return -1
		case a.q < b.q:
			return 1
		}
		return 0
	})
	tags := make([]language.Tag, len(entries))
	for i, e := range entries {
		tags[i] = e.tag
	}
	return tags
}

// Supported reports whether lang is exactly one of Languages().
func Supported(lang string) bool { return slices.Contains(Languages(), lang) }

// Lang is the localizer's language tag.
func (l *Localizer) Lang() string { return l.lang }

// Has reports whether the catalogue has key.
func (l *Localizer) Has(key string) bool { _, ok := l.msgs[key]; return ok }

// T returns the text of key with its {placeholders} replaced by args, given as name, value
// pairs. A missing key returns the key itself, so a gap shows instead of vanishing.
func (l *Localizer) T(key string, args ...string) string {
	s, ok := l.msgs[key]
	if !ok {
		return key
	}
	return fill(s, args)
}

// Or returns the text of key, or fallback when the catalogue has no such key (an enum value
// the catalogue does not know yet, a company rule's regime).
func (l *Localizer) Or(key, fallback string) string {
	if s, ok := l.msgs[key]; ok {
		return s
	}
	return fallback
}

func fill(s string, args []string) string {
	if len(args) == 0 || !strings.Contains(s, "{") {
		return s
	}
	pairs := make([]string, 0, len(args))
	for i := 0; i+1 < len(args); i += 2 {
		pairs = append(pairs, "{"+args[i]+"}", args[i+1])
	}
	return strings.NewReplacer(pairs...).Replace(s)
}

// FindingTitle is the finding's title in this language: its title_msg rendered, or the title as
// the engine wrote it (company rules, a message the catalogue lacks).
func (l *Localizer) FindingTitle(f assessments.Finding) string {
	return l.Render(f.TitleMsg, f.Title)
}

// ActionTitle is the title of the finding's action in this language (its title_msg rendered, or
// the title as written).
func (l *Localizer) ActionTitle(f assessments.Finding) string {
	return l.Render(f.Action.TitleMsg, f.Action.Title)
}

// MustLoad is Load for callers that cannot go on without the catalogues: they are embedded and
// checked by the tests, so an error here is a programming error.
func MustLoad() *Catalogs {
	c, err := Load()
	if err != nil {
		panic(fmt.Sprintf("i18n: %v", err))
	}
	return c
}

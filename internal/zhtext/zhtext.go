// Package zhtext finds the texts a Chinese reader would still read in English, for the tests of
// the zh-CN web pages, PDF report and workbook (issue 14: at most 5 such texts per page or
// document).
package zhtext

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

var (
	// sameInEveryLanguage: questionnaire paths (first: a path may start with a snake_case key),
	// keys and values (snake_case, key=), URLs, e-mail addresses, digests, the brand, product
	// names, user names, document designations and sub-item numerals of citations ("(ii)").
	sameInEveryLanguage = regexp.MustCompile(`[a-z_]+(?:\[\d*\])?(?:\.[a-z_]+(?:\[\d*\])?)+|[a-z_]+\[\d*\]|https?://\S+|\S+@\S+|[a-z]+(?:_[a-z0-9]+)+|[a-z]+=|sha256:[0-9a-f]+|\((?:i|ii|iii|iv|v|vi|vii|viii|ix|x)\)|piaflow|Excel|PDF|Azure|AWS|Google Cloud|Oracle Cloud|[a-z]+-user|rev\.\d+`)
	// originalName is an organisation's original name in full-width brackets right after its
	// Chinese name, as Chinese writes a foreign authority: 意大利个人数据保护监管局（Garante per
	// la protezione dei dati personali）. It starts with a capital letter and holds no Chinese
	// and no sentence punctuation, so English prose in brackets still counts.
	originalName = regexp.MustCompile(`(\p{Han})（\p{Lu}[^（）\p{Han}.;:!?]*）`)
	// wrapped is a path or URL broken at the end of a line after a dot or slash.
	wrapped = regexp.MustCompile(`([a-z0-9_\]]\.|/)\n([a-z0-9_])`)
	// englishWord is a word with at least two lower-case letters.
	englishWord = regexp.MustCompile(`[A-Za-z]*[a-z]{2,}[A-Za-z]*`)
)

// English returns the texts that still hold English words: a word with two or more lower-case
// letters ("required", "Art") left after taking out what reads the same in every language — the
// strings the user entered (user, e.g. from UserStrings), questionnaire paths shown after their
// question, URLs, e-mail addresses, the brand, product names, user names and the designations
// of official documents ("WP248 rev.01"), an authority's original name in brackets after its
// Chinese name. Abbreviations (GDPR, PIPL, DPIA, CN) are not words.
func English(texts []string, user map[string]bool) []string {
	typed := make([]string, 0, len(user))
	for s := range user {
		if len(s) > 1 {
			typed = append(typed, s)
		}
	}
	// longest first, so "Online orders" goes before "orders"
	sort.Slice(typed, func(i, j int) bool { return len(typed[i]) > len(typed[j]) })
	var out []string
	for _, s := range texts {
		// codes first: a user's answer may also be part of a path (security.backups)
		rest := sameInEveryLanguage.ReplaceAllString(s, " ")
		for _, u := range typed {
			rest = userPattern(regexp.QuoteMeta(u), u).ReplaceAllString(rest, " ")
		}
		rest = originalName.ReplaceAllString(rest, "$1 ")
		if englishWord.MatchString(rest) {
			out = append(out, s)
		}
	}
	return out
}

// EnglishLines is English for a text laid out in lines (pdftotext's), where a string the user
// entered may wrap from one line to the next: the user's strings are taken out of the whole
// text first, across line breaks and hyphenation, then each line is checked.
func EnglishLines(text string, user map[string]bool) []string {
	typed := make([]string, 0, len(user))
	for s := range user {
		if len(s) > 1 {
			typed = append(typed, s)
		}
	}
	sort.Slice(typed, func(i, j int) bool { return len(typed[i]) > len(typed[j]) })
	text = wrapped.ReplaceAllString(text, "$1$2")
	text = sameInEveryLanguage.ReplaceAllString(text, " ")
	text = originalName.ReplaceAllString(text, "$1 ") // also when wrapped over lines
	for _, u := range typed {
		words := strings.Fields(u)
		for i, w := range words {
			words[i] = regexp.QuoteMeta(w)
		}
		// a line may break at any space, after a slash, or after a hyphen, which pdftotext may
		// drop
		pattern := strings.Join(words, `\s+`)
		pattern = strings.ReplaceAll(pattern, "-", `-?\s*`)
		pattern = strings.ReplaceAll(pattern, "/", `/\s*`)
		text = userPattern(pattern, u).ReplaceAllString(text, " ")
	}
	return English(strings.Split(text, "\n"), nil)
}

// UserStrings collects every scalar of a questionnaire (YAML or JSON), as written and quoted:
// the answers a person typed, which every language shows as written.
func UserStrings(doc []byte) (map[string]bool, error) {
	var v any
	if err := yaml.Unmarshal(doc, &v); err != nil {
		return nil, fmt.Errorf("parse questionnaire: %w", err)
	}
	out := map[string]bool{}
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		case nil:
		default:
			s := fmt.Sprint(x)
			out[s] = true
			out[fmt.Sprintf("%q", s)] = true
		}
	}
	walk(v)
	return out, nil
}

// userPattern matches a string the user entered (pattern, from u): anywhere when it is long,
// as a whole word when it is three letters or fewer ("dr" is not the "dr" of "address").
func userPattern(pattern, u string) *regexp.Regexp {
	if len(u) <= 3 {
		pattern = `\b` + pattern + `\b`
	}
	return regexp.MustCompile(pattern)
}

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
	// sameInEveryLanguage: questionnaire paths, keys and values (snake_case, key=), URLs, e-mail
	// addresses, digests, the brand, product names, user names and document designations.
	sameInEveryLanguage = regexp.MustCompile(`[a-z]+(?:_[a-z0-9]+)+|[a-z]+=|sha256:[0-9a-f]+|[a-z_]+(?:\[\d*\])?(?:\.[a-z_]+(?:\[\d*\])?)+|[a-z_]+\[\d*\]|https?://\S+|\S+@\S+|piaflow|Excel|PDF|[a-z]+-user|rev\.\d+`)
	// originalName is an organisation's original name in full-width brackets right after its
	// Chinese name, as Chinese writes a foreign authority: 意大利个人数据保护监管局（Garante per
	// la protezione dei dati personali）. It starts with a capital letter and holds no Chinese
	// and no sentence punctuation, so English prose in brackets still counts.
	originalName = regexp.MustCompile(`(\p{Han})（\p{Lu}[^（）\p{Han}.;:!?]*）`)
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
		if len(s) > 2 {
			typed = append(typed, s)
		}
	}
	// longest first, so "Online orders" goes before "orders"
	sort.Slice(typed, func(i, j int) bool { return len(typed[i]) > len(typed[j]) })
	var out []string
	for _, s := range texts {
		rest := s
		for _, u := range typed {
			rest = strings.ReplaceAll(rest, u, " ")
		}
		rest = originalName.ReplaceAllString(rest, "$1 ")
		rest = sameInEveryLanguage.ReplaceAllString(rest, " ")
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
		if len(s) > 2 {
			typed = append(typed, s)
		}
	}
	sort.Slice(typed, func(i, j int) bool { return len(typed[i]) > len(typed[j]) })
	for _, u := range typed {
		words := strings.Fields(u)
		for i, w := range words {
			words[i] = regexp.QuoteMeta(w)
		}
		// a line may break at any space, or after a hyphen, which pdftotext may drop
		pattern := strings.Join(words, `\s+`)
		pattern = strings.ReplaceAll(pattern, "-", `-?\s*`)
		text = regexp.MustCompile(pattern).ReplaceAllString(text, " ")
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

package policies

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
)

// How the assessment date (input.as_of) enters the library, and so what SameOn must look at:
//
//   - lib.in_force / lib.ended compare it with the effective_from / effective_to of data entries
//     and of rules' METADATA custom blocks (effective_from <= as_of, effective_to < as_of): the
//     result can change between D-1 and D, and between D and D+1, for a date D of the bundle;
//   - facts.expired_items (processors[].expiries[].on < as_of) and rules/expiry (the days from
//     as_of to each expiry: a finding within 60 days before it, naming the day count, then an
//     expired finding): every day from E-60 to E+1 can differ for an expiry date E of the
//     questionnaire;
//   - rules/transfers notice filings: due = an anchor date of the questionnaire (signed_on,
//     first_transfer_on or go_live) + N days or working days of the bundle's data; past it the
//     finding is a blocker whose text names as_of, so it changes every day.
//
// No policy reads the clock (time.now_ns and the other built-ins that read it are denied,
// sandbox.go).

// expiryWindowRule is the rule holding how many days before its end rules/expiry reports an
// item (60); SameOn watches one day more. Without it (renamed), every expiry date is watched
// from maxSpanDays before it.
const expiryWindowRule = "data.piaflow.rules.expiry.window_days"

// anchorBackDays is how many days before the anchor of a filing period (a signature, the first
// transfer) its deadline can fall: lib.add_days counts a weekend start from the Friday before
// (one day of margin).
const anchorBackDays = 3

// maxSpanDays is the backstop: two dates further apart are never called the same.
const maxSpanDays = 366

// dateIndex is what SameOn needs of the bundle, computed once when the engine is built.
type dateIndex struct {
	// dates are the YYYY-MM-DD strings the bundle holds (data files, rule sources with their
	// METADATA), sorted, without duplicates.
	dates []string
	// afterDays is how many days after a questionnaire date the result may depend on the day: the
	// longest filing period N of the data, working days counted generously (7N/5+4 calendar days:
	// lib.add_days moves a weekend start back to the Friday).
	afterDays int
	// beforeDays is how many days before a questionnaire date the result may depend on the day
	// (rules/expiry's window plus one).
	beforeDays int
	// readsDate, when set, says why company rules make every answer false.
	readsDate string
}

// newDateIndex collects the dates of the bundle's data files and rule modules and checks the
// company rules (custom modules) of compiler c.
func newDateIndex(dataFiles []source, sources map[string][]byte, c *ast.Compiler) dateIndex {
	set := map[string]bool{}
	maxWithin := 0
	for _, f := range dataFiles {
		scanDates(f.body, func(_ int, d []byte) bool { set[string(d)] = true; return true })
		var v any
		if json.Unmarshal(f.body, &v) == nil {
			maxWithin = max(maxWithin, longestPeriod(v, ""))
		}
	}
	for _, body := range sources {
		scanDates(body, func(_ int, d []byte) bool { set[string(d)] = true; return true })
	}
	idx := dateIndex{afterDays: maxWithin*7/5 + 4, beforeDays: maxSpanDays}
	for d := range set {
		idx.dates = append(idx.dates, d)
	}
	sort.Strings(idx.dates)
	if c != nil {
		idx.readsDate = customReadsDate(c)
		if n, ok := ruleNumber(c, expiryWindowRule); ok && n >= 0 && n < maxSpanDays {
			idx.beforeDays = n + 1
		}
	}
	return idx
}

// ruleNumber is the value of the rule at path when it is a single constant integer.
func ruleNumber(c *ast.Compiler, path string) (int, bool) {
	ref, err := ast.ParseRef(path)
	if err != nil {
		return 0, false
	}
	rules := c.GetRulesExact(ref)
	if len(rules) != 1 || rules[0].Head.Value == nil || !rules[0].Body.Equal(ast.NewBody(ast.NewExpr(ast.BooleanTerm(true)))) {
		return 0, false
	}
	n, ok := rules[0].Head.Value.Value.(ast.Number)
	if !ok {
		return 0, false
	}
	i, ok := n.Int()
	return i, ok
}

// longestPeriod is the largest number under a key naming a filing period ("within",
// "filing_within_days", any key containing "within") in the JSON value v.
func longestPeriod(v any, key string) int {
	n := 0
	switch x := v.(type) {
	case map[string]any:
		for k, w := range x {
			n = max(n, longestPeriod(w, k))
		}
	case []any:
		for _, w := range x {
			n = max(n, longestPeriod(w, key))
		}
	case float64:
		if strings.Contains(key, "within") && x > 0 {
			n = int(min(x, 1e6))
		}
	}
	return n
}

// customReadsDate says why the company rules (modules under custom/) could depend on the
// assessment date in a way the dates of the bundle do not show, or "" when they cannot: a rule
// that reads input other than input.questionnaire, data.piaflow.lib.as_of, the main result or
// the built-in rules' values (rules/expiry's day counts), or data by a computed key
// (refReadsDate); or that names any built-in rule or function whose value may depend on the
// date (the readers of namesDay: lib.in_force, lib.ended, lib.active with a date the rule
// computes, and everything built on them).
func customReadsDate(c *ast.Compiler) string {
	return customReads(c, refReadsDate, namesDay)
}

// namesDay reports whether a ref of a rule reads the assessment date or the clock: input other
// than input.questionnaire (input.as_of, the whole input, input by a computed key), or
// time.now_ns.
func namesDay(r ast.Ref) bool {
	if len(r) == 0 {
		return false
	}
	if r[0].Value.Compare(ast.InputRootDocument.Value) == 0 {
		return len(r) < 2 || r[1].Value.Compare(ast.String("questionnaire")) != 0
	}
	return r.Equal(ast.NowNanos.Ref())
}

// refReadsDate reports the ref r (in a compiled module: imports resolved) when it may read the
// assessment date or a value that changes with every day.
func refReadsDate(r ast.Ref) string {
	if len(r) == 0 {
		return ""
	}
	head := r[0].Value.String()
	if head != "input" && head != "data" {
		return ""
	}
	if head == "input" {
		// Anything under input.questionnaire, by any key, is the questionnaire: its dates are
		// SameOn's to scan.
		if len(r) >= 2 && r[1].Value.Compare(ast.String("questionnaire")) == 0 {
			return ""
		}
		return r.String()
	}
	path := make([]string, 0, 4)
	for _, t := range r[1:min(len(r), 4)] {
		s, ok := t.Value.(ast.String)
		if !ok {
			return r.String()
		}
		path = append(path, string(s))
	}
	if len(path) < 2 || path[0] != "piaflow" {
		if len(path) >= 1 && path[0] != "piaflow" {
			return "" // data.custom.*: company data, its dates are collected
		}
		return r.String()
	}
	switch path[1] {
	case "main", "rules":
		return r.String()
	case "lib":
		if len(path) < 3 || path[2] == "as_of" {
			return r.String()
		}
	}
	return ""
}

// SameOn reports whether the result an evaluation of a questionnaire gave on date from is the
// result it gives on date to (dates YYYY-MM-DD, either order), apart from the as_of it names,
// as far as can be decided without evaluating: false, with the reason (English, for logs), when
// a date the bundle or the questionnaire holds could make a difference between the two days, or
// when the result names the assessment date in a text. questionnaire is the questionnaire
// document as stored (JSON), result the stored assessment (JSON of assessments.Assessment).
//
// The windows (docs/policies.md, "Carrying an assessment to another day"): a date D the bundle
// holds (an effective_from or effective_to, in the data or in a rule's METADATA) separates the
// days when it lies between them, both included; a date Q of the questionnaire when either day
// lies in its window or the two lie on either side of it: an expiry ("on") from 61 days before
// it to the day after, an anchor of a filing deadline ("signed_on", "first_transfer_on",
// "go_live", "filed_on") from 3 days before it to the bundle's longest filing period after it
// (N working days counted as 7N/5+4 calendar days), any other date both. Days more than 366
// days apart are never the same. The questionnaire is one Parse validated (its dates are real
// YYYY-MM-DD days).
func (e *Engine) SameOn(questionnaire, result []byte, from, to string) (bool, string) {
	f, okF := dayNumber([]byte(from))
	t, okT := dayNumber([]byte(to))
	if !okF || !okT {
		return false, fmt.Sprintf("dates %q, %q: not both dates (YYYY-MM-DD)", from, to)
	}
	if f == t {
		return true, "same day"
	}
	if why := namesDate(result, from); why != "" {
		return false, why
	}
	lo, hi, loDay, hiDay := from, to, f, t
	if t < f {
		lo, hi, loDay, hiDay = to, from, t, f
	}
	if hiDay-loDay > maxSpanDays {
		return false, fmt.Sprintf("%s and %s are more than %d days apart", lo, hi, maxSpanDays)
	}
	idx := &e.dates
	if idx.beforeDays == 0 {
		return false, "the engine holds no index of its dates (not built by New)"
	}
	if idx.readsDate != "" {
		return false, idx.readsDate
	}
	if i := sort.SearchStrings(idx.dates, lo); i < len(idx.dates) && idx.dates[i] <= hi {
		return false, fmt.Sprintf("the policy bundle holds the date %s, from %s to %s", idx.dates[i], lo, hi)
	}
	why := ""
	scanDates(questionnaire, func(at int, d []byte) bool {
		q, ok := dayNumber(d)
		if !ok {
			why = fmt.Sprintf("the questionnaire holds %q, not a date", d)
			return false
		}
		before, after := idx.window(jsonKeyBefore(questionnaire, at))
		if hiDay >= q-before && loDay <= q+after {
			why = fmt.Sprintf("the questionnaire's date %s matters from %d days before it to %d days after it, between %s and %s", d, before, after, lo, hi)
		}
		return why == ""
	})
	if why != "" {
		return false, why
	}
	return true, fmt.Sprintf("no date of the policies or the questionnaire between %s and %s", lo, hi)
}

// window is how many days before and after a questionnaire date under the key key the result
// may depend on the day: an expiry ("on": rules/expiry, from 60 days before it to the day after),
// an anchor of a filing period ("signed_on", "first_transfer_on", "go_live", and "filed_on"
// that no rule compares with the day: from lib.add_days's weekend shift before it to the longest
// period after it), any other date both.
func (idx *dateIndex) window(key string) (before, after int) {
	switch key {
	case "on":
		return idx.beforeDays, 1
	case "signed_on", "first_transfer_on", "go_live", "filed_on":
		return anchorBackDays, idx.afterDays
	}
	return idx.beforeDays, idx.afterDays
}

// jsonKeyBefore is the key of the JSON string value starting at b[at] (the text before it is
// `"key":"`, JSON whitespace allowed), or "" when it is not a key's value.
func jsonKeyBefore(b []byte, at int) string {
	b = bytes.TrimRight(b[:at], " \t\r\n")
	if !bytes.HasSuffix(b, []byte(`"`)) {
		return ""
	}
	b = bytes.TrimRight(b[:len(b)-1], " \t\r\n")
	if !bytes.HasSuffix(b, []byte(":")) {
		return ""
	}
	b = bytes.TrimRight(b[:len(b)-1], " \t\r\n")
	if !bytes.HasSuffix(b, []byte(`"`)) {
		return ""
	}
	b = b[:len(b)-1]
	i := bytes.LastIndexByte(b, '"')
	if i < 0 || i < len(b)-40 || bytes.IndexByte(b[i:], '\\') >= 0 {
		return ""
	}
	return string(b[i+1:])
}

// namesDate says why the result may not be carried when it holds the day other than as its
// as_of (once, `"as_of":"<day>"`), or "" when it does not.
func namesDate(result []byte, day string) string {
	d := []byte(day)
	n, keyed := 0, 0
	for i := 0; ; {
		j := bytes.Index(result[i:], d)
		if j < 0 {
			break
		}
		j += i
		n++
		if jsonKeyBefore(result, j) == "as_of" {
			keyed++
		}
		i = j + len(d)
	}
	switch {
	case keyed == 0:
		return fmt.Sprintf("the result is not as of %s", day)
	case n > 1:
		return fmt.Sprintf("the result names %s beside its as_of", day)
	}
	return ""
}

// scanDates calls f with the offset of every run of the form dddd-dd-dd in b (not preceded by a
// digit) until f returns false.
func scanDates(b []byte, f func(at int, d []byte) bool) {
	for i := 0; i+10 <= len(b); i++ {
		if b[i+4] != '-' || b[i+7] != '-' || (i > 0 && isDigit(b[i-1])) {
			continue
		}
		d := b[i : i+10]
		if !isDigit(d[0]) || !isDigit(d[1]) || !isDigit(d[2]) || !isDigit(d[3]) || !isDigit(d[5]) || !isDigit(d[6]) || !isDigit(d[8]) || !isDigit(d[9]) {
			continue
		}
		if !f(i, d) {
			return
		}
		i += 9
	}
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// dayNumber is the day (days since 1970-01-01) of a YYYY-MM-DD date, and whether it is one
// (a real day of the calendar).
func dayNumber(d []byte) (int, bool) {
	if len(d) != 10 || d[4] != '-' || d[7] != '-' {
		return 0, false
	}
	num := func(s []byte) (int, bool) {
		n := 0
		for _, c := range s {
			if !isDigit(c) {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	y, ok1 := num(d[0:4])
	m, ok2 := num(d[5:7])
	day, ok3 := num(d[8:10])
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || day < 1 || day > 31 {
		return 0, false
	}
	t := time.Date(y, time.Month(m), day, 0, 0, 0, 0, time.UTC)
	if t.Day() != day {
		return 0, false // 2026-02-30
	}
	return int(t.Unix() / 86400), true
}

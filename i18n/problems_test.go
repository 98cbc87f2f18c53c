package i18n_test

import (
	"errors"
	"flag"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/i18n"
)

// TestValidationMessages renders every validation message in every language with an argument
// for each placeholder of its English text (and of its words): each language has the message,
// uses every argument, and leaves no placeholder unfilled.
func TestValidationMessages(t *testing.T) {
	c := mustLoad(t)
	texts := assessments.ProblemTexts()
	codes := make([]string, 0, len(texts))
	for code := range texts {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for _, lang := range i18n.Languages() {
		l := c.Get(lang)
		for _, code := range codes {
			if !l.Has(i18n.ValidationPrefix + code) {
				t.Errorf("%s: no text for validation message %s", lang, code)
				continue
			}
			if isWord(code) {
				continue
			}
			for _, m := range wordCombinations(texts, code) {
				got := l.Msg(m, "FALLBACK")
				if got == "FALLBACK" || placeholderRE.MatchString(got) {
					t.Errorf("%s: %s with %v renders %q", lang, code, m.Args, got)
				}
				for name, v := range m.Args {
					if !slices.Contains(assessments.WordArgs, name) && !strings.Contains(got, v) {
						t.Errorf("%s: %s renders %q without its argument %s", lang, code, got, name)
					}
				}
				if lang == i18n.SimplifiedChinese && !hasCJK(got) {
					t.Errorf("%s: %s renders %q, no Chinese", lang, code, got)
				}
			}
		}
	}
}

// isWord reports whether code is a word of a word argument ("want.object"), not a message.
func isWord(code string) bool {
	head, _, _ := strings.Cut(code, ".")
	return slices.Contains(assessments.WordArgs, head) || head == "context"
}

// wordCombinations is one message of code per word its word arguments can take, every other
// placeholder given a distinct value.
func wordCombinations(texts map[string]string, code string) []assessments.Msg {
	args := map[string]string{}
	var words []string
	for _, m := range regexp.MustCompile(`\{([a-z_]+)\}`).FindAllStringSubmatch(texts[code], -1) {
		if slices.Contains(assessments.WordArgs, m[1]) {
			words = append(words, m[1])
			continue
		}
		args[m[1]] = "<" + m[1] + ">"
	}
	out := []assessments.Msg{{Code: code, Args: args}}
	for _, w := range words {
		var next []assessments.Msg
		for k := range texts {
			v, ok := strings.CutPrefix(k, w+".")
			if !ok {
				continue
			}
			for _, m := range out {
				a := map[string]string{w: v}
				for n, x := range m.Args {
					a[n] = x
				}
				if strings.Contains(texts[k], "{value}") {
					a["value"] = "<value>"
				}
				next = append(next, assessments.Msg{Code: code, Args: a})
			}
		}
		out = next
	}
	return out
}

// TestProblemsInChinese validates broken questionnaires and checks that every problem has a
// code and reads in Chinese, with the question's label beside its path.
func TestProblemsInChinese(t *testing.T) {
	zh := mustLoad(t).Get(i18n.SimplifiedChinese)
	en := mustLoad(t).Get(i18n.English)
	for name, doc := range map[string]string{
		"Country": `{"schema_version":1,"deployment":{"customer_country":"Narnia"}}`,
		"Types":   `{"schema_version":"1","deployment":[],"hosting":{},"activities":[{"name":3,"purposes":"x","data_subjects":[{"countries":["de","EU"]}]}],"extra":1}`,
		"Syntax":  `{"schema_version":`,
		"Empty":   ``,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := assessments.Parse([]byte(doc))
			var ve *assessments.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Parse: %v, want a validation error", err)
			}
			if got := en.ValidationError(ve); got != ve.Error() {
				t.Errorf("English:\n%s\nwant\n%s", got, ve.Error())
			}
			for _, p := range ve.Problems {
				if p.Code == "" {
					t.Errorf("%s: %q has no code", p.Path, p.Message)
				}
				msg := zh.ProblemMessage(p)
				if msg == p.Message || !hasHan(msg) {
					t.Errorf("%s: %q is not Chinese", p.Path, msg)
				}
			}
			if text := zh.ValidationError(ve); !strings.HasPrefix(text, "问卷无效") {
				t.Errorf("Chinese: %s", text)
			}
		})
	}
	_, err := assessments.Parse([]byte(`{"schema_version":1,"deployment":{"customer_country":"Narnia"}}`))
	var ve *assessments.ValidationError
	errors.As(err, &ve)
	want := `deployment.customer_country（部署 › 客户所在国家）："Narnia" 不是 ISO 3166-1 二位字母国家代码（第 1 行）`
	line := ""
	for _, p := range ve.Problems {
		if p.Path == "deployment.customer_country" {
			line = zh.ProblemLine(p)
		}
	}
	if line != want {
		t.Errorf("ProblemLine:\n got %s\nwant %s", line, want)
	}
	// a value outside a closed vocabulary: Chinese names each allowed code with its label
	_, err = assessments.Parse([]byte(`{"schema_version":1,"deployment":{"vendor_role":"reseller"}}`))
	errors.As(err, &ve)
	found := false
	for _, p := range ve.Problems {
		if p.Path != "deployment.vendor_role" {
			continue
		}
		found = true
		want := `"reseller" 不是以下值之一：processor（` + zh.T("enum.vendor_role.processor") + `）、controller（`
		if got := zh.ProblemMessage(p); !strings.HasPrefix(got, want) {
			t.Errorf("vocabulary problem: %s, want it to start %s", got, want)
		}
		if got := en.ProblemMessage(p); got != `"reseller" is not one of processor, controller, joint_controller` {
			t.Errorf("vocabulary problem in English: %s", got)
		}
	}
	if !found {
		t.Errorf("no problem at deployment.vendor_role: %v", ve.Problems)
	}
}

// TestQuestionLabel names questions of the questionnaire in both languages.
func TestQuestionLabel(t *testing.T) {
	c := mustLoad(t)
	for _, tc := range []struct {
		lang, path, want string
		known            bool
	}{
		{i18n.English, "activities[0].data_subjects[0].countries", "Activity 1 › Data subject group 1 › Countries where they are", true},
		{i18n.English, "(document)", "(document)", false},
		{i18n.English, "modules[0].id", "modules › [0] › id", false},
	} {
		got, known := c.Get(tc.lang).QuestionLabel(tc.path)
		if got != tc.want || known != tc.known {
			t.Errorf("%s %s: got %q %v, want %q %v", tc.lang, tc.path, got, known, tc.want, tc.known)
		}
	}
	zh, ok := c.Get(i18n.SimplifiedChinese).QuestionLabel("activities[0].data_subjects[0].countries")
	if !ok || !hasHan(zh) {
		t.Errorf("Chinese label %q", zh)
	}
}

var updateDoc = flag.Bool("update-doc", false, "rewrite docs/validation-messages.md from the catalogues")

// TestValidationMessagesDoc checks that docs/validation-messages.md lists every validation
// message with its English and Chinese text; go test ./i18n -run Doc -update-doc rewrites it.
func TestValidationMessagesDoc(t *testing.T) {
	c := mustLoad(t)
	en, zh := c.Get(i18n.English), c.Get(i18n.SimplifiedChinese)
	texts := assessments.ProblemTexts()
	codes := make([]string, 0, len(texts))
	for code := range texts {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	var b strings.Builder
	b.WriteString(`# Validation messages

Every problem piaflow finds in a questionnaire, product, processor register or deployment spec,
and in the API's query parameters and uploads (codes ` + "`query.*`, `upload.*`" + `), has a field path,
an English message and the message as data: a ` + "`code`" + ` and its ` + "`args`" + `
(the API's problem+json errors, the ` + "`assessments.Problem`" + ` type). The catalogues render each code
in every language (key ` + "`validation.<code>`" + `); the API answers in the language of
` + "`Accept-Language`" + `, the command line in the language of ` + "`--lang`" + ` (default from
` + "`PIAFLOW_LANG`" + ` or ` + "`LANG`" + `), the web UI in the page's language. Arguments are shown as
they are (strings quoted), except ` + "`want`, `got` and `doc`" + `, which name the words listed
below (` + "`want.object`" + `, ...). A ` + "`context`" + ` (codes ` + "`context.*`" + `) says where a problem of a composed
questionnaire came from; its text follows the message's.

Generated from the catalogues: ` + "`go test ./i18n -run Doc -update-doc`" + `.

| code | English | Chinese |
|---|---|---|
`)
	for _, code := range codes {
		cell := func(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "|", `\|`), "\n", " ") }
		b.WriteString("| `" + code + "` | " + cell(en.T(i18n.ValidationPrefix+code)) + " | " + cell(zh.T(i18n.ValidationPrefix+code)) + " |\n")
	}
	const path = "../docs/validation-messages.md"
	if *updateDoc {
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != b.String() {
		t.Errorf("%s is not up to date (%v): run go test ./i18n -run Doc -update-doc", path, err)
	}
}

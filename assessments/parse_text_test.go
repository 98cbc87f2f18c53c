package assessments

import (
	"bytes"
	"encoding/json"
	"testing"
)

// textCases are the classes of code points, as a JSON string literal's contents (escapes or the
// characters themselves), with the text Parse reads, or "" when it refuses them.
var textCases = []struct {
	name    string
	literal string
	want    string
	// jsonOnly: YAML has no such escape (surrogate halves), or JSON and YAML read it differently.
	jsonOnly bool
}{
	{"ASCII", `Test GmbH ~!`, "Test GmbH ~!", false},
	{"C0Tab", `a\tb`, "a\tb", false},
	{"C0LineBreaks", `a\nb\r\nc`, "a\nb\r\nc", false},
	{"C0Nul", `a\u0000b`, "", false},
	{"C0Start", `\u0001`, "", false},
	{"C0Escape", `a\u001bb`, "", false},
	{"C0End", `\u001f`, "", false},
	{"DEL", `a\u007fb`, "", false},
	{"DELAsIs", "a\x7fb", "", true},
	{"C1Start", `\u0080`, "", false},
	{"C1NextLine", `a\u0085b`, "", false},
	{"C1NextLineAsIs", "a\u0085b", "", true},
	{"C1End", `\u009f`, "", false},
	{"NoBreakSpace", `a\u00a0b`, "a\u00a0b", false},
	{"BMPLetters", `Müller Жуков Ωμέγα`, "Müller Жуков Ωμέγα", false},
	{"BMPLettersEscaped", `M\u00fcller`, "Müller", false},
	{"RightToLeft", `شركة`, "شركة", false},
	{"CJK", `数据处理者`, "数据处理者", false},
	{"CJKEscaped", `\u6570\u636e`, "数据", false},
	{"Hangul", `데이터`, "데이터", false},
	{"LineSeparator", `a\u2028b`, "a\u2028b", false},
	{"PrivateUse", `\ue000\uf8ff`, "\ue000\uf8ff", false},
	{"NoncharacterFDD0", `\ufdd0`, "\ufdd0", false},
	{"ByteOrderMark", `a\ufeffb`, "a\ufeffb", false},
	{"ReplacementCharacter", `\ufffd`, "\ufffd", false},
	{"NoncharacterFFFE", `a\ufffeb`, "", false},
	{"NoncharacterFFFF", `\uffff`, "", false},
	{"NoncharacterFFFFAsIs", "a\uffffb", "", true},
	{"SurrogatePair", `\ud83d\ude00`, "😀", true},
	{"SurrogatePairMaxRune", `\udbff\udfff`, "\U0010FFFF", true},
	{"LoneHighSurrogate", `a\ud800b`, "", true},
	{"LoneLowSurrogate", `\udc00`, "", true},
	{"SurrogatesReversed", `\ude00\ud83d`, "", true},
	{"HighSurrogateAtEnd", `a\ud83d`, "", true},
	{"EmojiAsIs", `😀👍🏽🇩🇪`, "😀👍🏽🇩🇪", false},
	{"AstralCJK", `𠀀𪚥`, "𠀀𪚥", false},
	{"AstralNoncharacter", "\U0001FFFE", "\U0001FFFE", false},
	{"MaxRune", "\U0010FFFF", "\U0010FFFF", false},
}

// TestTextRoundTrip: every class of code point, as JSON escapes or as it is, goes through
// Parse → JSON (how questionnaires are stored) → Parse unchanged, or Parse refuses it at once,
// naming its path: nothing is accepted that a later reading (an evaluation) would refuse.
func TestTextRoundTrip(t *testing.T) {
	base, err := json.Marshal(validQuestionnaire(t))
	if err != nil {
		t.Fatal(err)
	}
	const field = `"customer":"Test GmbH"`
	if !bytes.Contains(base, []byte(field)) {
		t.Fatalf("no %s in %s", field, base)
	}
	for _, tc := range textCases {
		inputs := map[string][]byte{"JSON": bytes.Replace(base, []byte(field), []byte(`"customer":"`+tc.literal+`"`), 1)}
		if !tc.jsonOnly {
			inputs["YAML"] = edit(t, "  customer: Test GmbH", `  customer: "`+tc.literal+`"`)
		}
		for format, src := range inputs {
			t.Run(tc.name+"/"+format, func(t *testing.T) {
				q, err := Parse(src)
				if tc.want == "" {
					got := problemsOf(err)
					if len(got) != 1 || got[0].Path != "deployment.customer" || got[0].Line == 0 {
						t.Fatalf("want one problem at deployment.customer with its line, got %v (%v)", got, err)
					}
					return
				}
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if q.Deployment.Customer != tc.want {
					t.Fatalf("read %+q, want %+q", q.Deployment.Customer, tc.want)
				}
				stored, err := json.Marshal(q)
				if err != nil {
					t.Fatal(err)
				}
				again, err := Parse(stored)
				if err != nil {
					t.Fatalf("the stored form does not read back: %v\n%s", err, stored)
				}
				if again.Deployment.Customer != tc.want {
					t.Errorf("read back %+q, want %+q", again.Deployment.Customer, tc.want)
				}
				if restored, _ := json.Marshal(again); !bytes.Equal(restored, stored) {
					t.Errorf("stored twice, the questionnaire changed:\n%s\n%s", stored, restored)
				}
			})
		}
	}
}

// TestTextRefusedMessage: the problem names the character and what is allowed.
func TestTextRefusedMessage(t *testing.T) {
	_, err := Parse(edit(t, "  customer: Test GmbH", `  customer: "Test\x7fGmbH"`))
	got := problemsOf(err)
	want := "deployment.customer: contains the character U+007F (character 5): control characters other than tab and line breaks, U+FFFE and U+FFFF are not allowed (line 4)"
	if len(got) != 1 || got[0].String() != want {
		t.Errorf("problems %v, want %s", got, want)
	}
	_, err = Parse([]byte(`{"deployment": {"customer": "\ud800"}}`))
	got = problemsOf(err)
	if len(got) == 0 || got[0].String() != `deployment.customer: contains the escape \ud800, half of a UTF-16 surrogate pair without its other half (line 1)` {
		t.Errorf("problems %v", got)
	}
}

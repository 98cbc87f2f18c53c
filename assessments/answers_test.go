package assessments

import (
	"fmt"
	"reflect"
	"testing"
)

func TestCompareAnswers(t *testing.T) {
	doc := func(s string) any {
		t.Helper()
		v, err := decodeTree(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name          string
		before, after string
		want          []AnswerChange
	}{
		{"Unchanged", `{"a":1,"l":[{"x":true}]}`, `{"l":[{"x":true}],"a":1}`, []AnswerChange{}},
		{"ScalarChanged", `{"hosting":[{"mechanism":"standard_contract","region":"eu"}]}`, `{"hosting":[{"mechanism":"scc","region":"eu"}]}`,
			[]AnswerChange{{Path: "hosting[0].mechanism", Kind: AnswerChanged, Old: "standard_contract", New: "scc"}}},
		{"NumbersExact", `{"n":1.50}`, `{"n":1.5}`, []AnswerChange{{Path: "n", Kind: AnswerChanged, Old: "1.50", New: "1.5"}}},
		{"GivenAndCleared", `{"a":"x"}`, `{"b":false}`,
			[]AnswerChange{{Path: "a", Kind: AnswerChanged, Old: "x"}, {Path: "b", Kind: AnswerChanged, New: "false"}}},
		{"ListEntryAdded", `{"c":["DE","AT"]}`, `{"c":["DE","AT","CH"]}`, []AnswerChange{{Path: "c[2]", Kind: AnswerAdded, New: "CH"}}},
		{"ListEntryRemovedByName", `{"hosting":[{"name":"primary"},{"name":"backup","role":"backup"}]}`, `{"hosting":[{"name":"primary"}]}`,
			[]AnswerChange{{Path: "hosting[1]", Kind: AnswerRemoved, Old: "backup"}}},
		{"ListEntryWithoutName", `{"l":[]}`, `{"l":[{"to":"CN"}]}`, []AnswerChange{{Path: "l[0]", Kind: AnswerAdded, New: `{"to":"CN"}`}}},
		{"ListFromNothing", `{}`, `{"l":["a"]}`, []AnswerChange{{Path: "l[0]", Kind: AnswerAdded, New: "a"}}},
		{"NestedInOrder", `{"b":{"y":1,"x":1},"a":[{"k":"v"}]}`, `{"b":{"y":2,"x":2},"a":[{"k":"w"}]}`,
			[]AnswerChange{{Path: "a[0].k", Kind: AnswerChanged, Old: "v", New: "w"}, {Path: "b.x", Kind: AnswerChanged, Old: "1", New: "2"},
				{Path: "b.y", Kind: AnswerChanged, Old: "1", New: "2"}}},
		{"OddKeyQuoted", `{"m":{"a.b":true}}`, `{"m":{"a.b":false}}`, []AnswerChange{{Path: `m["a.b"]`, Kind: AnswerChanged, Old: "true", New: "false"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := CompareAnswers(doc(tc.before), doc(tc.after), 0)
			if !reflect.DeepEqual(got.Changes, tc.want) || got.More != 0 {
				t.Errorf("got %+v (more %d), want %+v", got.Changes, got.More, tc.want)
			}
		})
	}
}

// TestCompareAnswersLimit: past the limit, changes are counted, not listed.
func TestCompareAnswersLimit(t *testing.T) {
	before, after := []any{}, []any{}
	for i := range MaxAnswerChanges + 7 {
		before = append(before, fmt.Sprint(i))
		after = append(after, fmt.Sprint(i+1))
	}
	got := CompareAnswers(map[string]any{"l": before}, map[string]any{"l": after}, 0)
	if len(got.Changes) != MaxAnswerChanges || got.More != 7 {
		t.Errorf("%d listed, %d more; want %d and 7", len(got.Changes), got.More, MaxAnswerChanges)
	}
	if got := CompareAnswers(map[string]any{"l": before}, map[string]any{"l": after}, 3); len(got.Changes) != 3 || got.More != MaxAnswerChanges+4 {
		t.Errorf("limit 3: %d listed, %d more", len(got.Changes), got.More)
	}
}

func TestCompareAnswerDocumentsNotJSON(t *testing.T) {
	if _, err := CompareAnswerDocuments("{", "{}", 0); err == nil {
		t.Error("no error for a document that is not JSON")
	}
}

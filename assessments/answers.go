package assessments

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/piaflow/piaflow/fieldpath"
)

// MaxAnswerChanges bounds the changed answers one comparison lists (AnswerDiff.Changes); the
// others are only counted (AnswerDiff.More). docs/limits.md lists it.
const MaxAnswerChanges = 200

// maxEntryText bounds the text that stands for a whole list entry added or removed (its name,
// else its JSON), in characters.
const maxEntryText = 200

// Kinds of an answer change (AnswerChange.Kind).
const (
	// AnswerChanged is an answer whose value changed (or that was given or cleared).
	AnswerChanged = "changed"
	// AnswerAdded is a list entry only in the later questionnaire.
	AnswerAdded = "added"
	// AnswerRemoved is a list entry only in the earlier questionnaire.
	AnswerRemoved = "removed"
)

// AnswerChange is one answer that differs between two questionnaires.
type AnswerChange struct {
	// Path is the answer's field path (package fieldpath), such as hosting[0].mechanism.
	Path string `json:"path"`
	// Kind is AnswerChanged, AnswerAdded or AnswerRemoved.
	Kind string `json:"kind"`
	// Old and New are the values as a person types them (fieldpath.Scalar); "" when absent.
	// An added or removed list entry that is an object is shown by its name, else its JSON
	// (at most 200 characters).
	Old string `json:"old"`
	New string `json:"new"`
}

// AnswerDiff is the answers that changed from one questionnaire to another, in document order
// (object fields by name, list entries by index), at most MaxAnswerChanges of them.
type AnswerDiff struct {
	Changes []AnswerChange `json:"answers"`
	// More counts the changes found after the first MaxAnswerChanges (not listed).
	More int `json:"answers_more"`
}

// CompareAnswers lists the answers that differ from questionnaire document before to after
// (each a JSON tree of map[string]any, []any and scalars, as decoded with UseNumber), listing
// at most limit changes (≤ 0: MaxAnswerChanges) and counting the rest. Lists are matched by
// index: entries past the shorter list's end are added or removed entries.
func CompareAnswers(before, after any, limit int) AnswerDiff {
	if limit <= 0 {
		limit = MaxAnswerChanges
	}
	c := &answerComparer{limit: limit, out: AnswerDiff{Changes: []AnswerChange{}}}
	c.compare(nil, before, after)
	return c.out
}

// CompareAnswerDocuments is CompareAnswers of two stored questionnaire documents (JSON).
// Errors: a document that is not JSON.
func CompareAnswerDocuments(before, after string, limit int) (AnswerDiff, error) {
	b, err := decodeTree(before)
	if err != nil {
		return AnswerDiff{}, fmt.Errorf("compare answers: earlier questionnaire: %w", err)
	}
	a, err := decodeTree(after)
	if err != nil {
		return AnswerDiff{}, fmt.Errorf("compare answers: later questionnaire: %w", err)
	}
	return CompareAnswers(b, a, limit), nil
}

func decodeTree(s string) (any, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

type answerComparer struct {
	limit int
	out   AnswerDiff
}

func (c *answerComparer) add(ch AnswerChange) {
	if len(c.out.Changes) >= c.limit {
		c.out.More++
		return
	}
	c.out.Changes = append(c.out.Changes, ch)
}

// compare walks the two values at path p; nil on one side is an absent value.
func (c *answerComparer) compare(p fieldpath.Path, before, after any) {
	bm, bIsMap := before.(map[string]any)
	am, aIsMap := after.(map[string]any)
	bl, bIsList := before.([]any)
	al, aIsList := after.([]any)
	switch {
	case (bIsMap || before == nil) && (aIsMap || after == nil) && (bIsMap || aIsMap):
		keys := make([]string, 0, len(bm)+len(am))
		for k := range bm {
			keys = append(keys, k)
		}
		for k := range am {
			if _, ok := bm[k]; !ok {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			c.compare(p.Append(fieldpath.Field(k)), bm[k], am[k])
		}
	case (bIsList || before == nil) && (aIsList || after == nil) && (bIsList || aIsList):
		for i := range max(len(bl), len(al)) {
			ip := p.Append(fieldpath.Index(i))
			switch {
			case i >= len(bl):
				c.add(AnswerChange{Path: ip.String(), Kind: AnswerAdded, New: entryText(al[i])})
			case i >= len(al):
				c.add(AnswerChange{Path: ip.String(), Kind: AnswerRemoved, Old: entryText(bl[i])})
			default:
				c.compare(ip, bl[i], al[i])
			}
		}
	default:
		o, n := entryText(before), entryText(after)
		if o != n {
			c.add(AnswerChange{Path: p.String(), Kind: AnswerChanged, Old: o, New: n})
		}
	}
}

// entryText shows a value: a scalar as a person types it, an object by its name, else as JSON
// cut to maxEntryText characters.
func entryText(v any) string {
	if m, ok := v.(map[string]any); ok {
		if name, ok := m["name"].(string); ok && name != "" {
			return name
		}
	}
	text, _ := fieldpath.Scalar(v)
	if utf8.RuneCountInString(text) > maxEntryText {
		r := []rune(text)
		text = string(r[:maxEntryText]) + "…"
	}
	return text
}

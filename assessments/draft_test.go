package assessments

import (
	"errors"
	"strings"
	"testing"
)

// TestCheckDraft: a draft may be incomplete, but its lists are bounded like a questionnaire's
// (issue 12: a 60 KB draft with 20,000 empty activities rendered a 258 MB page; nested repeat
// counts multiplied into 10^6 transfers).
func TestCheckDraft(t *testing.T) {
	many := func(n int, item string) string {
		return "[" + strings.TrimSuffix(strings.Repeat(item+",", n), ",") + "]"
	}
	for name, tt := range map[string]struct {
		doc, want string
	}{
		"IncompleteIsFine":   {`{"deployment":{"name":"P"},"activities":[{}]}`, ""},
		"ErrActivities":      {`{"activities":` + many(MaxActivities+1, "{}") + `}`, "activities: has 201 entries: at most 200 are accepted"},
		"ErrNestedTransfers": {`{"activities":[{"transfers":` + many(MaxTransfers+1, "{}") + `}]}`, "activities[0].transfers: has 101 entries: at most 100 are accepted"},
		"ErrDeep":            {`{"activities":[{"data_subjects":[{"countries":` + strings.Repeat("[", 20) + strings.Repeat("]", 20) + `}]}]}`, "nests deeper than"},
	} {
		t.Run(name, func(t *testing.T) {
			err := CheckDraft([]byte(tt.doc))
			if tt.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want a problem %q", err, tt.want)
			}
		})
	}
}

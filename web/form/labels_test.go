package form

import (
	"testing"

	"github.com/piaflow/piaflow/i18n"
)

func TestAnswerLabelAndValue(t *testing.T) {
	cats, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	country := func(code string) string {
		if code == "CH" {
			return "Switzerland"
		}
		return code
	}
	tests := []struct {
		lang, path, value, label, shown string
	}{
		{i18n.English, "hosting[0].mechanism", "scc", "Hosting site 1 › Transfer mechanism for this site", "Standard contractual clauses (SCC)"},
		{i18n.English, "activities[0].transfers[1].mechanism", "none", "Activity 1 › Transfer 2 › Transfer mechanism", "None"},
		{i18n.English, "activities[0].data_subjects[0].countries[2]", "CH", "Activity 1 › Data subject group 1 › Countries where they are, entry 3", "Switzerland (CH)"},
		{i18n.English, "deployment.critical_infrastructure", "true", "", "Yes"},
		{i18n.English, "hosting[1]", "backup", "Hosting site 2", "backup"},
		{i18n.English, "no_such.field", "x", "no_such › field", "x"},
		{i18n.SimplifiedChinese, "hosting[0].mechanism", "scc", "第 1 个托管站点 › 此站点的传输机制", "标准合同条款（SCC）"},
	}
	for _, tc := range tests {
		ft := NewText(cats.Get(tc.lang))
		if tc.label != "" {
			if got := ft.AnswerLabel(tc.path); got != tc.label {
				t.Errorf("%s %s: label %q, want %q", tc.lang, tc.path, got, tc.label)
			}
		}
		if got := ft.AnswerValue(tc.path, tc.value, country); got != tc.shown {
			t.Errorf("%s %s=%s: shown %q, want %q", tc.lang, tc.path, tc.value, got, tc.shown)
		}
	}
}

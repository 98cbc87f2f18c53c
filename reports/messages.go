package reports

import (
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/i18n"
)

// localisationProblems are a localisation requirement's problems in the reader's language: each
// structured message (problems_msg) rendered, else the English text (docs/messages.md).
func localisationProblems(l *i18n.Localizer, loc assessments.Localisation) []string {
	out := make([]string, len(loc.Problems))
	for i, p := range loc.Problems {
		var m *assessments.Message
		if len(loc.ProblemsMsg) == len(loc.Problems) {
			m = &loc.ProblemsMsg[i]
		}
		out[i] = l.Render(m, p)
	}
	return out
}

// problemSep joins problems on one line: "; " in English, "；" in Chinese.
func problemSep(l *i18n.Localizer) string {
	if l.Lang() == i18n.SimplifiedChinese {
		return "；"
	}
	return "; "
}

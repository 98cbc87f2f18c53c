package form

import (
	"reflect"
)

// answerPart is what the form knows of the question at one field path: its label as the wizard
// shows it (with the list entries on the way: "Hosting site 1 › Transfer mechanism for this
// site") and how its values are chosen.
type answerPart struct {
	label         string
	enum, format  string
	kind          reflect.Kind
	known         bool
	scalarOfSlice bool
}

// describe is what the catalogue knows of the question at path (i18n.Localizer.Question, the
// one walk of the questionnaire model along a path, shared with the API's problem labels).
func (ft *Text) describe(path string) answerPart {
	q := ft.l.Question(path)
	return answerPart{label: q.Label, enum: q.Enum, format: q.Format, kind: q.Kind, known: q.Known, scalarOfSlice: q.ScalarOfSlice}
}

// AnswerLabel is the label of the question at a field path as the wizard shows it, with the
// list entries on the way, in the texts' language: hosting[0].mechanism is "Hosting site 1 ›
// Transfer mechanism for this site". Steps the questionnaire model does not know are kept as
// they are.
func (ft *Text) AnswerLabel(path string) string { return ft.describe(path).label }

// AnswerValue shows a value of the answer at path (as fieldpath.Scalar wrote it) in the texts'
// language: a choice of a vocabulary by its label, true and false as yes and no, a country
// by country(code) when country is not nil. Other values, and "", are returned as they are.
func (ft *Text) AnswerValue(path, value string, country func(code string) string) string {
	if value == "" {
		return value
	}
	a := ft.describe(path)
	if !a.known {
		return value
	}
	switch {
	case a.enum != "" && (a.kind == reflect.String || a.scalarOfSlice):
		return ft.optionLabel(a.enum, value)
	case a.format == "country" && country != nil && (a.kind == reflect.String || a.scalarOfSlice):
		if n := country(value); n != "" && n != value {
			return n + " (" + value + ")"
		}
	case a.kind == reflect.Bool && value == "true":
		return ft.Yes
	case a.kind == reflect.Bool && value == "false":
		return ft.No
	}
	return value
}

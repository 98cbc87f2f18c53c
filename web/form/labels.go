package form

import (
	"reflect"
	"strconv"
	"strings"

	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/fieldpath"
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

// describe walks the questionnaire model along path the way the Builder does, collecting the
// labels. A path the model does not know keeps its steps as they are.
func (ft *Text) describe(path string) answerPart {
	p, err := fieldpath.Parse(path)
	if err != nil || len(p) == 0 {
		return answerPart{label: path}
	}
	var parts []string
	t := reflect.TypeFor[assessments.Questionnaire]()
	key, label := "", ""
	var f reflect.StructField
	out := answerPart{known: true}
	for _, st := range p {
		for t != nil && t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		switch {
		case t == nil:
			parts = append(parts, stepText(st))
		case st.IsIndex() && t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Struct:
			what := ft.l.Or("ui.item."+key, label)
			parts[len(parts)-1] = ft.l.T("ui.item.title", "what", what, "n", strconv.Itoa(st.Index+1))
			key, t = itemKey(key), t.Elem()
		case st.IsIndex() && t.Kind() == reflect.Slice:
			parts[len(parts)-1] = ft.l.T("ui.answers.entry", "label", label, "n", strconv.Itoa(st.Index+1))
			t = t.Elem()
			out.scalarOfSlice = true
		case !st.IsIndex() && t.Kind() == reflect.Struct:
			found := false
			for i := range t.NumField() {
				if jsonTag(t.Field(i)) == st.Name {
					f, found = t.Field(i), true
					break
				}
			}
			if !found {
				parts, t, out.known = append(parts, stepText(st)), nil, false
				continue
			}
			key = join(key, st.Name)
			label = ft.Label(key, st.Name)
			parts = append(parts, label)
			t = f.Type
			out.enum, out.format, out.scalarOfSlice = f.Tag.Get("enum"), f.Tag.Get("format"), false
		case !st.IsIndex() && t.Kind() == reflect.Map:
			// named answers (deployment.scope_confirmed): one question per key of a vocabulary
			label = ft.optionLabel(out.enum, st.Name)
			parts = append(parts, label)
			out.enum, t = "", t.Elem()
		default:
			parts, t, out.known = append(parts, stepText(st)), nil, false
		}
	}
	out.label = strings.Join(parts, " › ")
	if t != nil {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		out.kind = t.Kind()
	} else {
		out.known = false
	}
	return out
}

func stepText(st fieldpath.Step) string {
	if st.IsIndex() {
		return "[" + strconv.Itoa(st.Index) + "]"
	}
	return st.Name
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

package i18n

import (
	"maps"
	"reflect"
	"strconv"
	"strings"

	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/fieldpath"
)

// ValidationPrefix starts the catalogue keys of the validation messages: "validation.<code>" is
// the text of assessments.Msg code <code>. The English texts are assessments.ProblemTexts
// (added by Load, one definition); every other language has them in
// locales/<lang>/validation.json.
const ValidationPrefix = "validation."

// Msg renders a validation message in this language. A message without a code, or with a code
// the catalogue lacks, is shown as fallback (its English text).
func (l *Localizer) Msg(m assessments.Msg, fallback string) string {
	if m.Code == "" || !l.Has(ValidationPrefix+m.Code) {
		return fallback
	}
	if vocab := m.Args["vocabulary"]; vocab != "" && m.Args["allowed"] != "" && l.lang != English {
		m = l.labelAllowed(m, vocab)
	}
	return m.Render(func(code string) string { return l.msgs[ValidationPrefix+code] })
}

// labelAllowed names each allowed value of a closed vocabulary with its label in this language
// ("processor（受托处理者）"), the code first since it is what a YAML file must hold.
func (l *Localizer) labelAllowed(m assessments.Msg, vocab string) assessments.Msg {
	values := strings.Split(m.Args["allowed"], ", ")
	for i, v := range values {
		if label := l.Or("enum."+vocab+"."+v, ""); label != "" {
			values[i] = l.T("problem.allowed_value", "value", v, "label", label)
		}
	}
	args := maps.Clone(m.Args)
	args["allowed"] = strings.Join(values, l.T("problem.allowed_sep"))
	return assessments.Msg{Code: m.Code, Args: args}
}

// ProblemMessage is a problem's message in this language: its error message (Text) or its Msg
// and Context rendered, or its English Message when it has neither (a problem made outside
// package assessments).
func (l *Localizer) ProblemMessage(p assessments.Problem) string {
	if l.lang == English {
		return p.Message
	}
	if s, ok := l.Message(p.Text); ok {
		return s
	}
	if p.Code == "" {
		return p.Message
	}
	if p.Context == nil {
		return l.Msg(p.Msg, p.Message)
	}
	if !l.Has(ValidationPrefix+p.Code) || !l.Has(ValidationPrefix+p.Context.Code) {
		return p.Message
	}
	return l.Msg(p.Msg, "") + l.Msg(*p.Context, "")
}

// ProblemLine is one problem as a command line prints it: in English exactly
// assessments.Problem.String ("path: message (line N)"); in another language the path, the
// question's label when the path names one, the message and the line in that language.
func (l *Localizer) ProblemLine(p assessments.Problem) string {
	if l.lang == English {
		return p.String()
	}
	head := p.Path
	if label, ok := l.QuestionLabel(p.Path); ok {
		head = l.T("problem.path_label", "path", p.Path, "label", label)
	}
	line := l.T("problem.problem", "path", head, "message", l.ProblemMessage(p))
	if p.Line > 0 {
		line += l.T("problem.line", "line", strconv.Itoa(p.Line))
	}
	return line
}

// Question is what the catalogue knows of the question at a field path of the questionnaire.
type Question struct {
	// Label is the question's label as the wizard shows it, with the list entries on the way
	// ("Hosting site 1 › Transfer mechanism for this site"); steps the model does not know are
	// kept as they are.
	Label string
	// Enum and Format are the answer's vocabulary and format (country, date), if any.
	Enum, Format string
	// Kind is the answer's kind (string, bool, slice, ...); Known says whether every step of
	// the path is a field of the questionnaire.
	Kind  reflect.Kind
	Known bool
	// ScalarOfSlice: the path names one entry of a list of values (countries[2]).
	ScalarOfSlice bool
}

// QuestionLabel is the label of the question at a field path of the questionnaire in this
// language, and whether the path names a question of the questionnaire (the document root and
// paths of other documents do not).
func (l *Localizer) QuestionLabel(path string) (string, bool) {
	q := l.Question(path)
	return q.Label, q.Known
}

// Question walks the questionnaire model along path the way the wizard builds its form,
// collecting the labels of the fields and list entries.
func (l *Localizer) Question(path string) Question {
	p, err := fieldpath.Parse(path)
	if err != nil || len(p) == 0 {
		return Question{Label: path}
	}
	var parts []string
	t := reflect.TypeFor[assessments.Questionnaire]()
	key, label := "", ""
	var f reflect.StructField
	out := Question{Known: true}
	for _, st := range p {
		for t != nil && t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		switch {
		case t == nil:
			parts = append(parts, stepText(st))
		case st.IsIndex() && t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Struct:
			what := l.Or("ui.item."+key, label)
			parts[len(parts)-1] = l.T("ui.item.title", "what", what, "n", strconv.Itoa(st.Index+1))
			key, t = itemKey(key), t.Elem()
		case st.IsIndex() && t.Kind() == reflect.Slice:
			parts[len(parts)-1] = l.T("ui.answers.entry", "label", label, "n", strconv.Itoa(st.Index+1))
			t = t.Elem()
			out.ScalarOfSlice = true
		case !st.IsIndex() && t.Kind() == reflect.Struct:
			found := false
			for i := range t.NumField() {
				if jsonTag(t.Field(i)) == st.Name {
					f, found = t.Field(i), true
					break
				}
			}
			if !found {
				parts, t, out.Known = append(parts, stepText(st)), nil, false
				continue
			}
			key = joinKey(key, st.Name)
			label = l.FieldLabel(key, st.Name)
			parts = append(parts, label)
			t = f.Type
			out.Enum, out.Format, out.ScalarOfSlice = f.Tag.Get("enum"), f.Tag.Get("format"), false
		case !st.IsIndex() && t.Kind() == reflect.Map:
			// named answers (deployment.scope_confirmed): one question per key of a vocabulary
			label = l.OptionLabel(out.Enum, st.Name)
			parts = append(parts, label)
			out.Enum, t = "", t.Elem()
		default:
			parts, t, out.Known = append(parts, stepText(st)), nil, false
		}
	}
	out.Label = strings.Join(parts, " › ")
	if t != nil {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		out.Kind = t.Kind()
	} else {
		out.Known = false
	}
	return out
}

// FieldLabel is a questionnaire field's label: ui.field.<key> (key is its dotted path without
// indexes, e.g. activities.data_subjects.countries), else its json name in words.
func (l *Localizer) FieldLabel(key, name string) string {
	return l.Or("ui.field."+key, strings.ReplaceAll(name, "_", " "))
}

// OptionLabel is the label of value v of a vocabulary (the wizard's choices).
func (l *Localizer) OptionLabel(vocab, v string) string {
	if vocab == "regime" {
		return l.Or("regime."+v, v)
	}
	return l.Or("enum."+vocab+"."+v, v)
}

func stepText(st fieldpath.Step) string {
	if st.IsIndex() {
		return "[" + strconv.Itoa(st.Index) + "]"
	}
	return st.Name
}

func jsonTag(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	return name
}

func joinKey(key, name string) string {
	if key == "" {
		return name
	}
	return key + "." + name
}

// itemKey is the label key of a list's entries: onward transfers are labelled as transfers,
// however deep they nest.
func itemKey(key string) string {
	if k, ok := strings.CutSuffix(key, ".onward_transfers"); ok {
		return k
	}
	return key
}

// ValidationError is a validation error's text in this language: in English exactly
// ve.Error(); in another language the same list, each problem as ProblemLine writes it.
func (l *Localizer) ValidationError(ve *assessments.ValidationError) string {
	if l.lang == English {
		return ve.Error()
	}
	var b strings.Builder
	b.WriteString(l.T("problem.invalid", "n", strconv.Itoa(len(ve.Problems))))
	for _, p := range ve.Problems {
		b.WriteString("\n  ")
		b.WriteString(l.ProblemLine(p))
	}
	return b.String()
}

// Package form is the web UI's questionnaire form engine: it builds the wizard's fields from a
// questionnaire document by reflection over the model's json tags (Builder), reads posted inputs
// back into a document (Parser), and adds or removes list entries (ApplyOp). Input names are the
// validator's field paths, so its problems land next to their inputs.
package form

import (
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/fieldpath"
	"github.com/piaflow/piaflow/i18n"
	"github.com/piaflow/piaflow/policies"
)

// The questionnaire form is generic: it walks the questionnaire model (assessments.Questionnaire)
// by reflection over its json tags, so that a field added to the model appears in the wizard
// without code here. Input names are the field paths of the validator
// ("activities[0].data_subjects[1].countries"), so its problems land next to their inputs.

// Section is one page of the wizard: a top-level field of the questionnaire.
type Section struct {
	// ID is the field's json name (the page's section parameter).
	ID string
	// Field is the questionnaire's struct field.
	Field reflect.StructField
}

// sections are the wizard's pages, in order (Sections).
var sections = func() []Section {
	t := reflect.TypeFor[assessments.Questionnaire]()
	var out []Section
	for i := range t.NumField() {
		f := t.Field(i)
		if name := jsonTag(f); name != "schema_version" {
			out = append(out, Section{ID: name, Field: f})
		}
	}
	return out
}()

// Sections are the wizard's pages, in order.
func Sections() []Section { return sections }

// SectionByID is the section with that id.
func SectionByID(id string) (Section, bool) {
	for _, s := range sections {
		if s.ID == id {
			return s, true
		}
	}
	return Section{}, false
}

// SectionOf is the wizard Section of a problem's path.
func SectionOf(path string) string {
	head := path
	if i := strings.IndexAny(head, ".["); i >= 0 {
		head = head[:i]
	}
	if _, ok := SectionByID(head); ok {
		return head
	}
	return "deployment"
}

func jsonTag(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	return name
}

// Option is one choice of a select or a checkbox list.
type Option struct {
	Value, Label string
}

// Text holds the translated labels, help texts and options of one language.
type Text struct {
	l       *i18n.Localizer
	options map[string][]Option
	Yes, No string
}

// NewText builds the form texts of l's language.
func NewText(l *i18n.Localizer) *Text {
	ft := &Text{l: l, options: map[string][]Option{}, Yes: l.T("ui.yes"), No: l.T("ui.no")}
	for _, vocab := range []string{"vendor_role", "sector", "customer_type", "provider", "hosting_role", "legal_basis", "subject_type",
		"data_category", "recipient_type", "access", "mechanism", "certification", "exemption", "filing", "access_control",
		"deidentification", "certification_covered_data"} {
		for _, v := range policies.Enum(vocab) {
			ft.options[vocab] = append(ft.options[vocab], Option{Value: v, Label: l.Or("enum."+vocab+"."+v, v)})
		}
	}
	for _, v := range policies.Enum("regime") {
		ft.options["regime"] = append(ft.options["regime"], Option{Value: v, Label: l.Or("regime."+v, v)})
	}
	return ft
}

// optionLabel is the label of value v of a vocabulary.
func (ft *Text) optionLabel(vocab, v string) string {
	for _, o := range ft.options[vocab] {
		if o.Value == v {
			return o.Label
		}
	}
	return v
}

// noneAnswers are what a person types in an optional list of countries to answer "none" (an
// empty list), as opposed to leaving the question unanswered (targeted_countries, ...).
var noneAnswers = []string{"none", "无"}

// itemKey is the label key of a list's entries: onward transfers are labelled as transfers,
// however deep they nest.
func itemKey(key string) string {
	if k, ok := strings.CutSuffix(key, ".onward_transfers"); ok {
		return k
	}
	return key
}

// Options are the choices of a vocabulary, labelled in the texts' language.
func (ft *Text) Options(vocab string) []Option { return ft.options[vocab] }

// Label is a field's label: ui.field.<key>, else its json name in words.
func (ft *Text) Label(key, name string) string {
	return ft.l.Or("ui.field."+key, strings.ReplaceAll(name, "_", " "))
}

// help is a field's help text: ui.help.<key>, else the model's desc tag (English).
func (ft *Text) help(key, desc string) string { return ft.l.Or("ui.help."+key, desc) }

// Field kinds (Field.Kind).
const (
	KindText      = "text"
	KindNumber    = "number"
	KindDate      = "date"
	KindEnum      = "enum"
	KindBool      = "bool"
	KindTriBool   = "tribool"
	KindEnums     = "enums"
	KindCountry   = "country"
	KindCountries = "countries"
	KindLines     = "lines"
	KindObject    = "object"
	KindList      = "list"
)

// Field is one question (or group of questions) of the wizard.
type Field struct {
	Path, ID, Key  string
	Label, Help    string
	Kind           string
	Required       bool
	Value          string
	Values         []string
	Options        []Option
	Errors         []string
	Fields         []*Field
	Items          []*Item
	AddOp, AddText string
}

// Item is one entry of a repeatable block (an activity, a transfer, ...).
type Item struct {
	Path, ID, Title string
	Fields          []*Field
	RemoveOp        string
	RemoveText      string
}

// Invalid reports whether the field has errors.
func (f *Field) Invalid() bool { return len(f.Errors) > 0 }

// Has reports whether a multi-valued field holds v.
func (f *Field) Has(v string) bool {
	for _, x := range f.Values {
		if x == v {
			return true
		}
	}
	return false
}

// FieldID turns a path into an HTML id: activities[0].name → f-activities-0-name.
func FieldID(path string) string {
	b := make([]byte, 0, len(path)+2)
	b = append(b, "f-"...)
	dash := false
	for i := 0; i < len(path); i++ {
		c := path[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' {
			b = append(b, c)
			dash = false
		} else if !dash {
			b = append(b, '-')
			dash = true
		}
	}
	return strings.TrimRight(string(b), "-")
}

// Builder builds the fields of a Section from a questionnaire document (a JSON tree, maybe an
// incomplete draft) and the validator's problems.
type Builder struct {
	ft       *Text
	problems map[string][]string
	used     map[string]bool
	// fields counts the fields built (to size the page's buffer); past limit the builder stops
	// adding list entries and over is set.
	fields, limit int
	over          bool
}

// NewBuilder builds fields with the texts ft, at most piaflow.MaxWizardInputs of them: a
// section with more is not built whole (Over).
func NewBuilder(ft *Text) *Builder {
	return &Builder{ft: ft, problems: map[string][]string{}, used: map[string]bool{}, limit: piaflow.MaxWizardInputs}
}

// Over reports whether the section has more fields than a page of the wizard shows
// (piaflow.MaxWizardInputs): the fields built are then only a part of it, and must not be
// rendered as a form, whose posting would drop the rest.
func (b *Builder) Over() bool { return b.over }

// AddProblem puts a validator's problem next to the input of path.
func (b *Builder) AddProblem(path, msg string) { b.problems[path] = append(b.problems[path], msg) }

// Shown reports whether the problems of path were shown next to a field built.
func (b *Builder) Shown(path string) bool { return b.used[path] }

// Count is the number of fields built (to size a page's buffer).
func (b *Builder) Count() int { return b.fields }

// Section builds the fields of sec from the questionnaire document doc.
func (b *Builder) Section(sec Section, doc map[string]any) *Field {
	return b.field(sec.ID, sec.ID, sec.Field, doc[sec.ID])
}

func (b *Builder) take(path string) []string {
	b.fields++
	if b.fields > b.limit {
		b.over = true
	}
	if len(b.problems) == 0 {
		return nil
	}
	msgs := b.problems[path]
	if len(msgs) > 0 {
		b.used[path] = true
	}
	return msgs
}

// field builds the form field of struct field f at path (key: the path without indices).
func (b *Builder) field(path, key string, f reflect.StructField, v any) *Field {
	name := jsonTag(f)
	t := f.Type
	optional := t.Kind() == reflect.Pointer
	if optional {
		t = t.Elem()
	}
	ff := &Field{Path: path, ID: FieldID(path), Key: key, Label: b.ft.Label(key, name), Help: b.ft.help(key, f.Tag.Get("desc")),
		Required: f.Tag.Get("req") == "true"}
	ff.Errors = b.take(path)
	enum, format := f.Tag.Get("enum"), f.Tag.Get("format")
	switch t.Kind() {
	case reflect.Struct:
		ff.Kind = KindObject
		m, _ := v.(map[string]any)
		ff.Fields = b.object(path, key, t, m)
	case reflect.Slice:
		list, _ := v.([]any)
		switch {
		case t.Elem().Kind() == reflect.Struct:
			ff.Kind = KindList
			what := b.ft.l.Or("ui.item."+key, ff.Label)
			ff.AddOp, ff.AddText = "add:"+path, b.ft.l.T("ui.wizard.add", "what", what)
			// the item texts are filled in once per list, not once per item
			titleText := b.ft.l.T("ui.item.title", "what", what, "n", "\x00")
			removeText := b.ft.l.T("ui.wizard.remove", "what", "\x00")
			for i, e := range list {
				if b.over {
					break // the page will not show this section's form (Over)
				}
				ip := path + "[" + strconv.Itoa(i) + "]"
				m, _ := e.(map[string]any)
				it := &Item{Path: ip, ID: FieldID(ip), RemoveOp: "remove:" + ip}
				it.Title = strings.Replace(titleText, "\x00", strconv.Itoa(i+1), 1)
				if n, _ := m["name"].(string); n != "" {
					it.Title += ": " + n
				}
				it.RemoveText = strings.Replace(removeText, "\x00", it.Title, 1)
				it.Fields = b.object(ip, itemKey(key), t.Elem(), m)
				ff.Errors = append(ff.Errors, b.take(ip)...)
				ff.Items = append(ff.Items, it)
			}
		default:
			switch {
			case enum != "":
				ff.Kind, ff.Options = KindEnums, b.ft.options[enum]
			case format == "country":
				ff.Kind = KindCountries
			default:
				ff.Kind = KindLines
			}
			for i, e := range list {
				ff.Values = append(ff.Values, ScalarText(e))
				if len(b.problems) > 0 {
					ff.Errors = append(ff.Errors, b.take(path+"["+strconv.Itoa(i)+"]")...)
				}
			}
			if ff.Kind == KindCountries && optional && list != nil && len(list) == 0 {
				ff.Value = noneAnswers[0]
			} else if ff.Kind == KindCountries {
				ff.Value = strings.Join(ff.Values, ", ")
			} else if ff.Kind == KindLines {
				ff.Value = strings.Join(ff.Values, "\n")
			}
		}
	case reflect.Map:
		// named yes/no answers (deployment.scope_confirmed): one question per value of the
		// vocabulary of its keys.
		ff.Kind = KindObject
		m, _ := v.(map[string]any)
		for _, k := range policies.Enum(enum) {
			p := path + "." + k
			ff.Fields = append(ff.Fields, &Field{Path: p, ID: FieldID(p), Key: key, Label: b.ft.optionLabel(enum, k),
				Kind: KindTriBool, Value: ScalarText(m[k]), Errors: b.take(p)})
		}
	case reflect.Bool:
		ff.Kind, ff.Value = KindBool, ScalarText(v)
		if optional {
			ff.Kind = KindTriBool
		}
	case reflect.Int, reflect.Int64:
		ff.Kind, ff.Value = KindNumber, ScalarText(v)
	default:
		ff.Value = ScalarText(v)
		switch {
		case enum != "":
			ff.Kind, ff.Options = KindEnum, b.ft.options[enum]
		case format == "country":
			ff.Kind = KindCountry
		case format == "date":
			ff.Kind = KindDate
		default:
			ff.Kind = KindText
		}
	}
	return ff
}

func (b *Builder) object(path, key string, t reflect.Type, m map[string]any) []*Field {
	out := make([]*Field, 0, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		name := jsonTag(f)
		out = append(out, b.field(join(path, name), join(key, name), f, m[name]))
	}
	return out
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// ScalarText shows a JSON scalar in an input.
func ScalarText(v any) string {
	text, _ := fieldpath.Scalar(v)
	return text
}

// Parser turns the posted inputs of a Section back into a JSON tree. What it builds is bounded
// as it builds it (piaflow.MaxFormEntries, piaflow.MaxFormValues): the repeat counts come from
// the client and multiply across nested lists (activities × transfers × onward transfers), so
// they are checked before anything is allocated from them, not only when the draft is checked.
type Parser struct {
	form   url.Values
	byName map[string]string
	// entries and values count what was built; maxEntries and maxValues bound them; err is
	// the first bound passed (parsing stops there).
	entries, values       int
	maxEntries, maxValues int
	err                   error
}

// NewParser reads the posted inputs form; byName maps lower-case country names to codes.
func NewParser(form url.Values, byName map[string]string) *Parser {
	return &Parser{form: form, byName: byName, maxEntries: piaflow.MaxFormEntries, maxValues: piaflow.MaxFormValues}
}

// Section reads the posted inputs of sec; ok is false when the section is left out. err, an
// *assessments.ValidationError naming the list or field and the limit, says that the posted
// section would build more list entries or values than a section may (docs/limits.md): nothing
// of it is to be kept.
func (p *Parser) Section(sec Section) (v any, ok bool, err error) {
	v, ok = p.value(sec.ID, sec.Field)
	if ok {
		p.addValues(sec.ID, 1)
	}
	if p.err != nil {
		return nil, false, p.err
	}
	return v, ok, nil
}

// maxRepeat bounds the repeat count of one list of the wizard (activities, transfers, ...):
// above every list's limit (docs/limits.md), so that the draft check names the list.
const maxRepeat = 1000

// fail records the first bound passed, at path.
func (p *Parser) fail(path, msg string) {
	if p.err == nil {
		p.err = &assessments.ValidationError{Problems: []assessments.Problem{{Path: path, Message: msg}}}
	}
}

// addEntries counts the n entries of the list of objects at path (each also a value); false
// when that passes a bound.
func (p *Parser) addEntries(path string, n int) bool {
	if p.err != nil {
		return false
	}
	if p.entries+n > p.maxEntries {
		p.fail(path, fmt.Sprintf("has %d entries, which bring the list entries of this section to %d: the wizard reads at most %d in one section (the form entries limit, docs/limits.md)",
			n, p.entries+n, p.maxEntries))
		return false
	}
	p.entries += n
	return p.addValues(path, n)
}

// addValues counts n more values built at path; false when that passes the bound.
func (p *Parser) addValues(path string, n int) bool {
	if p.err != nil {
		return false
	}
	if p.values+n > p.maxValues {
		p.fail(path, fmt.Sprintf("brings the values of this section past %d: the wizard reads at most %d in one section, as many as a questionnaire may hold (the form values limit, docs/limits.md)",
			p.maxValues, p.maxValues))
		return false
	}
	p.values += n
	return true
}

// value parses struct field f at path; ok is false when the answer is left out.
func (p *Parser) value(path string, f reflect.StructField) (any, bool) {
	t := f.Type
	optional := t.Kind() == reflect.Pointer
	if optional {
		t = t.Elem()
	}
	raw := strings.TrimSpace(p.form.Get(path))
	switch t.Kind() {
	case reflect.Struct:
		m := p.object(path, t)
		return m, !optional || len(m) > 0
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Struct {
			// count: comes from the client: bounded before anything is allocated from it.
			n, _ := strconv.Atoi(p.form.Get("count:" + path))
			n = max(0, min(n, maxRepeat))
			if !p.addEntries(path, n) {
				return nil, false
			}
			list := make([]any, 0, n)
			for i := range n {
				list = append(list, p.object(fmt.Sprintf("%s[%d]", path, i), t.Elem()))
				if p.err != nil {
					return nil, false
				}
			}
			return list, len(list) > 0 || f.Tag.Get("req") == "true"
		}
		var vals []string
		switch {
		case f.Tag.Get("enum") != "":
			vals = p.form[path]
			if !p.addValues(path, len(vals)) {
				return nil, false
			}
		case f.Tag.Get("format") == "country":
			if optional && slices.ContainsFunc(noneAnswers, func(n string) bool { return strings.EqualFold(raw, n) }) {
				return []any{}, true
			}
			for tok := range strings.FieldsFuncSeq(raw, func(r rune) bool { return r == ',' || r == ';' || r == '，' || r == '、' }) {
				if c := p.Country(tok); c != "" {
					if !p.addValues(path, 1) {
						return nil, false
					}
					vals = append(vals, c)
				}
			}
		default:
			for line := range strings.SplitSeq(p.form.Get(path), "\n") {
				if line = strings.TrimSpace(line); line != "" {
					if !p.addValues(path, 1) {
						return nil, false
					}
					vals = append(vals, line)
				}
			}
		}
		list := make([]any, 0, len(vals))
		for _, v := range vals {
			list = append(list, v)
		}
		return list, len(list) > 0 || f.Tag.Get("req") == "true"
	case reflect.Map:
		m := map[string]any{}
		for _, k := range policies.Enum(f.Tag.Get("enum")) {
			switch strings.TrimSpace(p.form.Get(path + "." + k)) {
			case "true":
				m[k] = true
			case "false":
				m[k] = false
			}
		}
		return m, len(m) > 0
	case reflect.Bool:
		if optional {
			if raw == "" {
				return nil, false
			}
			return raw == "true", true
		}
		return raw == "true", true
	case reflect.Int, reflect.Int64:
		if raw == "" {
			return nil, false
		}
		if n, err := strconv.ParseInt(raw, 10, 64); err == nil {
			return n, true
		}
		return raw, true // the validator says it is not a whole number
	}
	if raw == "" {
		return nil, false
	}
	if f.Tag.Get("format") == "country" {
		return p.Country(raw), true
	}
	return raw, true
}

func (p *Parser) object(path string, t reflect.Type) map[string]any {
	m := map[string]any{}
	for i := range t.NumField() {
		f := t.Field(i)
		name := jsonTag(f)
		v, ok := p.value(join(path, name), f)
		if ok && p.addValues(join(path, name), 1) {
			m[name] = v
		}
		if p.err != nil {
			return m
		}
	}
	return m
}

// Country reads "DE", "de", "Germany", "德国" or "Germany (DE)" as DE; anything else is kept as
// typed, for the validator to name.
func (p *Parser) Country(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '('); i >= 0 && strings.HasSuffix(s, ")") {
		if code := strings.TrimSpace(s[i+1 : len(s)-1]); len(code) == 2 {
			s = code
		}
	}
	if len(s) == 2 {
		if _, ok := policies.CountryName(strings.ToUpper(s)); ok {
			return strings.ToUpper(s)
		}
	}
	if code, ok := p.byName[strings.ToLower(s)]; ok {
		return code
	}
	return s
}

// ApplyOp adds an empty entry to the list at path ("add:activities[0].transfers") or removes one
// ("remove:activities[2]") in doc; it returns the path of the new entry for an add.
func ApplyOp(doc map[string]any, op string) (string, error) {
	verb, path, _ := strings.Cut(op, ":")
	steps, err := fieldpath.Parse(path)
	if err != nil || len(steps) == 0 {
		return "", piaflow.MsgError(piaflow.ErrInvalid, "", "error.form.op", "op", strconv.Quote(op))
	}
	switch verb {
	case "add":
		if steps[len(steps)-1].Index >= 0 {
			return "", piaflow.MsgError(piaflow.ErrInvalid, "", "error.form.op", "op", strconv.Quote(op))
		}
		t, ok := typeAt(steps)
		if !ok || t.Kind() != reflect.Slice || t.Elem().Kind() != reflect.Struct {
			return "", piaflow.MsgError(piaflow.ErrInvalid, "", "error.form.op_not_list", "op", strconv.Quote(op))
		}
		parent, ok := containerAt(doc, steps[:len(steps)-1])
		if !ok {
			return "", piaflow.MsgError(piaflow.ErrInvalid, "", "error.form.op_no_entry", "op", strconv.Quote(op))
		}
		name := steps[len(steps)-1].Name
		list, _ := parent[name].([]any)
		parent[name] = append(list, newEntry(t.Elem()))
		return fmt.Sprintf("%s[%d]", path, len(list)), nil
	case "remove":
		last := steps[len(steps)-1]
		if last.Index < 0 || len(steps) < 2 {
			return "", piaflow.MsgError(piaflow.ErrInvalid, "", "error.form.op", "op", strconv.Quote(op))
		}
		parent, ok := containerAt(doc, steps[:len(steps)-2])
		if !ok {
			return "", piaflow.MsgError(piaflow.ErrInvalid, "", "error.form.op_no_entry", "op", strconv.Quote(op))
		}
		name := steps[len(steps)-2].Name
		list, _ := parent[name].([]any)
		if last.Index >= len(list) {
			return "", piaflow.MsgError(piaflow.ErrInvalid, "", "error.form.op_no_entry", "op", strconv.Quote(op))
		}
		parent[name] = append(list[:last.Index:last.Index], list[last.Index+1:]...)
		return "", nil
	}
	return "", piaflow.MsgError(piaflow.ErrInvalid, "", "error.form.op", "op", strconv.Quote(op))
}

// containerAt walks to the object at steps, creating missing objects along the way.
func containerAt(doc map[string]any, steps fieldpath.Path) (map[string]any, bool) {
	cur := doc
	for i := 0; i < len(steps); i++ {
		st := steps[i]
		if st.Index >= 0 {
			return nil, false
		}
		next := cur[st.Name]
		if i+1 < len(steps) && steps[i+1].Index >= 0 {
			l, ok := next.([]any)
			idx := steps[i+1].Index
			if !ok || idx >= len(l) {
				return nil, false
			}
			m, ok := l[idx].(map[string]any)
			if !ok {
				return nil, false
			}
			cur = m
			i++
			continue
		}
		m, ok := next.(map[string]any)
		if !ok {
			m = map[string]any{}
			cur[st.Name] = m
		}
		cur = m
	}
	return cur, true
}

// typeAt is the model type at a path.
func typeAt(steps fieldpath.Path) (reflect.Type, bool) {
	t := reflect.TypeFor[assessments.Questionnaire]()
	for _, st := range steps {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if st.Index >= 0 {
			if t.Kind() != reflect.Slice {
				return nil, false
			}
			t = t.Elem()
			continue
		}
		if t.Kind() != reflect.Struct {
			return nil, false
		}
		found := false
		for i := range t.NumField() {
			if jsonTag(t.Field(i)) == st.Name {
				t, found = t.Field(i).Type, true
				break
			}
		}
		if !found {
			return nil, false
		}
	}
	return t, true
}

// newEntry is an empty entry of a list, with one empty entry in each required nested list (a new
// activity comes with a group of data subjects to fill in).
func newEntry(t reflect.Type) map[string]any {
	m := map[string]any{}
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Type.Kind() == reflect.Slice && f.Type.Elem().Kind() == reflect.Struct && f.Tag.Get("req") == "true" {
			m[jsonTag(f)] = []any{newEntry(f.Type.Elem())}
		}
	}
	return m
}

// DecodeDoc reads a stored questionnaire document as a JSON tree with exact numbers.
func DecodeDoc(s string) map[string]any {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil {
		return map[string]any{}
	}
	return m
}

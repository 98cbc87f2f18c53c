package assessments

import (
	"reflect"

	"github.com/piaflow/piaflow/fieldpath"
)

// CheckDraft checks what a draft — an incomplete questionnaire the wizard saves — must meet
// although it is not validated: the document's size, nesting and number of values, and the limit
// of every list (docs/limits.md), so that no draft can make a page or a later evaluation
// expensive. Missing and invalid answers are left for Parse. Errors: a *ValidationError naming
// each list over its limit.
func CheckDraft(b []byte) error {
	d, err := decodeDocument(b)
	if err != nil {
		return err
	}
	if d.problems.found() {
		return d.problems.err()
	}
	w := &walker{root: d.root, problems: d.problems}
	w.lists(d.root, reflect.TypeFor[Questionnaire]())
	return d.problems.err()
}

// lists checks the list limits of the value n of type t and of everything in it, ignoring
// values of the wrong type (validation reports those).
func (w *walker) lists(n *node, t reflect.Type) {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		m, ok := n.value.(map[string]*node)
		if !ok {
			return
		}
		for i := range t.NumField() {
			f := t.Field(i)
			v, ok := m[jsonName(f)]
			if !ok {
				continue
			}
			w.push(fieldpath.Field(jsonName(f)))
			if s, isList := v.value.([]*node); isList && f.Type.Kind() == reflect.Slice {
				if limit := maxItems(t, f); limit > 0 && len(s) > limit {
					w.add(v.line, newMsg("too_many", "n", itoa(len(s)), "max", itoa(limit)))
				} else {
					for k, e := range s {
						w.push(fieldpath.Index(k))
						w.lists(e, f.Type.Elem())
						w.pop()
					}
				}
			} else {
				w.lists(v, f.Type)
			}
			w.pop()
		}
	case reflect.Map:
		if m, ok := n.value.(map[string]*node); ok {
			for k, v := range m {
				w.push(fieldpath.Field(k))
				w.lists(v, t.Elem())
				w.pop()
			}
		}
	}
}

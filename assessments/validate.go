package assessments

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/piaflow/piaflow/policies"
)

// Parse reads a questionnaire from JSON or YAML, checks it strictly against contract v1 (unknown
// fields, types, vocabularies, country codes, dates, counts, duplicate names, cloud regions) and
// returns it with every hosting country resolved. Any problem yields a *ValidationError listing
// all problems, each with its field path.
func Parse(b []byte) (*Questionnaire, error) {
	d, err := decodeDocument(b)
	if err != nil {
		return nil, err
	}
	w := &walker{lines: d.lines, problems: d.problems}
	w.value("", d.root, reflect.TypeFor[Questionnaire](), fieldRules{req: true})
	typed := len(w.problems) == 0
	raw, err := json.Marshal(d.root)
	if err != nil {
		return nil, fmt.Errorf("re-encode questionnaire: %w", err)
	}
	var q Questionnaire
	if err := json.Unmarshal(raw, &q); err != nil && typed {
		return nil, fmt.Errorf("decode questionnaire: %w", err)
	}
	// The cross-field checks also run on a document with type errors (on what did decode), so
	// that every problem is listed at once; they skip paths that already have a problem.
	if err := q.check(w); err != nil {
		return nil, err
	}
	return &q, nil
}

// Validate checks an already decoded questionnaire (for example one built in Go or decoded by the
// API) with the same rules as Parse, resolving hosting countries in place.
func (q *Questionnaire) Validate() error {
	raw, err := json.Marshal(q)
	if err != nil {
		return fmt.Errorf("encode questionnaire: %w", err)
	}
	parsed, err := Parse(raw)
	if err != nil {
		return err
	}
	*q = *parsed
	return nil
}

type fieldRules struct {
	req    bool
	enum   string
	format string
	min    *int
}

func rulesOf(f reflect.StructField) fieldRules {
	r := fieldRules{req: f.Tag.Get("req") == "true", enum: f.Tag.Get("enum"), format: f.Tag.Get("format")}
	if m := f.Tag.Get("min"); m != "" {
		n, err := strconv.Atoi(m)
		if err == nil {
			r.min = &n
		}
	}
	return r
}

func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	return name
}

type walker struct {
	lines    map[string]int
	problems []Problem
}

func (w *walker) add(path, msg string) {
	line := w.lines[path]
	w.problems = append(w.problems, Problem{Path: orRoot(path), Message: msg, Line: line})
}

// flagged reports whether path, or an object or list containing it, already has a problem.
func (w *walker) flagged(path string) bool {
	for _, p := range w.problems {
		if p.Path == path || strings.HasPrefix(path, p.Path+".") || strings.HasPrefix(path, p.Path+"[") {
			return true
		}
	}
	return false
}

func (w *walker) err() error {
	if len(w.problems) == 0 {
		return nil
	}
	return &ValidationError{Problems: w.problems}
}

func (w *walker) value(path string, v any, t reflect.Type, r fieldRules) {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if v == nil {
		if r.req {
			w.add(path, "is required")
		} else {
			w.add(path, "is null: leave the field out or give a value")
		}
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			w.add(path, "must be an object, not "+describe(v))
			return
		}
		known := map[string]bool{}
		for i := range t.NumField() {
			f := t.Field(i)
			name := jsonName(f)
			known[name] = true
			fv, present := m[name]
			fr := rulesOf(f)
			if !present {
				if fr.req {
					w.add(join(path, name), "is required")
				}
				continue
			}
			w.value(join(path, name), fv, f.Type, fr)
		}
		for _, k := range sortedKeys(m) {
			if !known[k] {
				w.add(join(path, k), "is not a field of "+orRoot(typeLabel(path)))
			}
		}
	case reflect.Slice:
		s, ok := v.([]any)
		if !ok {
			w.add(path, "must be a list, not "+describe(v))
			return
		}
		if r.min != nil && len(s) < *r.min {
			w.add(path, fmt.Sprintf("needs at least %d entries", *r.min))
		}
		elemRules := fieldRules{req: true, enum: r.enum, format: r.format}
		seen := map[any]int{}
		for i, e := range s {
			p := fmt.Sprintf("%s[%d]", path, i)
			w.value(p, e, t.Elem(), elemRules)
			if r.enum == "" && r.format == "" {
				continue
			}
			if first, dup := seen[e]; dup {
				w.add(p, fmt.Sprintf("%v is a duplicate of %s[%d]", e, path, first))
				continue
			}
			seen[e] = i
		}
	case reflect.Map:
		// an object of named answers (deployment.scope_confirmed); enum names the vocabulary of
		// its keys.
		m, ok := v.(map[string]any)
		if !ok {
			w.add(path, "must be an object, not "+describe(v))
			return
		}
		for _, k := range sortedKeys(m) {
			if r.enum != "" && !policies.InEnum(r.enum, k) {
				w.add(join(path, k), fmt.Sprintf("%q is not one of %s", k, strings.Join(policies.Enum(r.enum), ", ")))
				continue
			}
			w.value(join(path, k), m[k], t.Elem(), fieldRules{req: true})
		}
	case reflect.String:
		s, ok := v.(string)
		if !ok {
			w.add(path, "must be a string, not "+describe(v))
			return
		}
		w.str(path, s, r)
	case reflect.Int:
		n, ok := v.(int64)
		if !ok {
			w.add(path, "must be a whole number, not "+describe(v))
			return
		}
		if r.min != nil && n < int64(*r.min) {
			w.add(path, fmt.Sprintf("must be %d or more, not %d", *r.min, n))
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			w.add(path, "must be true or false, not "+describe(v))
		}
	}
}

func (w *walker) str(path, s string, r fieldRules) {
	if r.req && r.enum == "" && r.format == "" && strings.TrimSpace(s) == "" {
		w.add(path, "must not be empty")
		return
	}
	if r.enum != "" && !policies.InEnum(r.enum, s) {
		w.add(path, fmt.Sprintf("%q is not one of %s", s, strings.Join(policies.Enum(r.enum), ", ")))
	}
	switch r.format {
	case "country":
		if _, ok := policies.CountryName(s); !ok {
			msg := fmt.Sprintf("%q is not an ISO 3166-1 alpha-2 code", s)
			if _, ok := policies.CountryName(strings.ToUpper(s)); ok {
				msg += fmt.Sprintf(" (write it in upper case: %q)", strings.ToUpper(s))
			} else if strings.EqualFold(s, "EU") {
				msg += " (the EU is not a country: list the member states)"
			}
			w.add(path, msg)
		}
	case "date":
		d, err := time.Parse(time.DateOnly, s)
		switch {
		case err != nil:
			w.add(path, fmt.Sprintf("%q is not a date (YYYY-MM-DD)", s))
		case d.Year() < 1970 || d.Year() > 2200:
			w.add(path, fmt.Sprintf("%q is outside the years 1970 to 2200", s))
		}
	}
}

func describe(v any) string {
	switch x := v.(type) {
	case string:
		return fmt.Sprintf("the string %q", x)
	case int64, float64:
		return fmt.Sprintf("the number %v", x)
	case bool:
		return fmt.Sprintf("%v", x)
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// typeLabel names the object at path for "unknown field" messages.
func typeLabel(path string) string {
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		path = path[i+1:]
	}
	if i := strings.IndexByte(path, '['); i >= 0 {
		path = path[:i]
	}
	if path == "" {
		return "the questionnaire"
	}
	return path
}

// check runs the rules that need the typed questionnaire: schema version, unique names, hosting
// regions and countries, processor references, and the checks of the piaflow additions
// (checkAdditions). It resolves hosting countries in place.
func (q *Questionnaire) check(w *walker) error {
	if q.SchemaVersion != SchemaVersion && !w.flagged("schema_version") {
		w.add("schema_version", fmt.Sprintf("%d is not supported (this piaflow reads version %d)", q.SchemaVersion, SchemaVersion))
	}
	unique(w, "hosting", ".name", len(q.Hosting), func(i int) string { return q.Hosting[i].Name })
	unique(w, "activities", ".name", len(q.Activities), func(i int) string { return q.Activities[i].Name })
	unique(w, "processors", ".name", len(q.Processors), func(i int) string { return q.Processors[i].Name })
	for i, a := range q.Activities {
		unique(w, fmt.Sprintf("activities[%d].data_categories", i), "", len(a.DataCategories), func(j int) string { return a.DataCategories[j] })
	}
	regions, err := policies.Regions()
	if err != nil {
		return fmt.Errorf("check hosting: %w", err)
	}
	processors := map[string]bool{}
	for _, p := range q.Processors {
		processors[p.Name] = true
	}
	for i := range q.Hosting {
		h := &q.Hosting[i]
		p := fmt.Sprintf("hosting[%d]", i)
		if w.flagged(p) {
			continue
		}
		country, found, catalogued := regions.Lookup(h.Provider, h.Region)
		switch {
		case found && h.Country == "":
			h.Country = country
		case found && h.Country != country:
			w.add(p+".country", fmt.Sprintf("%q does not match %s region %s, which is in %s", h.Country, h.Provider, h.Region, country))
		case !found && h.Country == "" && catalogued && h.Region != "":
			w.add(p+".region", fmt.Sprintf("%q is not a %s region piaflow knows: give %s.country", h.Region, h.Provider, p))
		case !found && h.Country == "":
			w.add(p+".country", "is required unless provider and region name a known cloud region")
		}
		if h.Processor != nil && !processors[*h.Processor] {
			w.add(p+".processor", fmt.Sprintf("%q is not the name of a processors[] entry", *h.Processor))
		}
	}
	q.checkAdditions(w)
	return w.err()
}

func unique(w *walker, list, suffix string, n int, name func(int) string) {
	seen := map[string]int{}
	for i := range n {
		k := strings.ToLower(name(i))
		if k == "" {
			continue
		}
		if first, dup := seen[k]; dup {
			w.add(fmt.Sprintf("%s[%d]%s", list, i, suffix), fmt.Sprintf("%q is a duplicate of %s[%d] (names are compared ignoring case)", name(i), list, first))
			continue
		}
		seen[k] = i
	}
}

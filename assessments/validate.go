package assessments

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/piaflow/piaflow/fieldpath"
	"github.com/piaflow/piaflow/policies"
)

// Limits of the lists of a questionnaire, checked before their entries are validated and before
// any evaluation (docs/limits.md); the JSON Schema gives them as maxItems. With MaxValues they
// bound the work an accepted questionnaire can ask for.
const (
	// MaxHosting bounds hosting[].
	MaxHosting = 100
	// MaxActivities bounds activities[].
	MaxActivities = 200
	// MaxProcessors bounds processors[].
	MaxProcessors = 200
	// MaxPurposes bounds activities[].purposes[].
	MaxPurposes = 50
	// MaxDataSubjects bounds activities[].data_subjects[].
	MaxDataSubjects = 50
	// MaxTransfers bounds activities[].transfers[].
	MaxTransfers = 100
	// MaxCountries bounds the lists of country codes (data_subjects[].countries[] and
	// .citizenship[]); there are 249 codes and each may be given once.
	MaxCountries = 300
	// MaxVocabularyItems bounds the lists of vocabulary values (data_categories[],
	// certifications[], recipient_certifications[], governance.impact_assessments[]); each
	// value may be given once.
	MaxVocabularyItems = 100
	// MaxMechanisms bounds the per-law mechanism entries of one hosting site or transfer
	// (hosting[].mechanisms[], transfers[].mechanisms[]): one per law or exporting country.
	MaxMechanisms = 50
)

// maxItems is the most entries the list field f of the struct type owner may hold (0: f is not a
// list of the questionnaire). Every list of the questionnaire has one (TestEveryListIsBounded).
func maxItems(owner reflect.Type, f reflect.StructField) int {
	switch owner.Name() + "." + f.Name {
	case "Questionnaire.Hosting":
		return MaxHosting
	case "Questionnaire.Activities":
		return MaxActivities
	case "Questionnaire.Processors":
		return MaxProcessors
	case "Activity.Purposes":
		return MaxPurposes
	case "Activity.DataSubjects":
		return MaxDataSubjects
	case "Activity.Transfers":
		return MaxTransfers
	case "DataSubject.Countries", "DataSubject.Citizenship", "Deployment.CustomerEstablishments",
		"Deployment.OtherExports", "Activity.TargetedCountries", "Activity.MonitoredCountries", "Activity.CollectedIn":
		return MaxCountries
	case "Hosting.Mechanisms", "Transfer.Mechanisms":
		return MaxMechanisms
	case "Transfer.OnwardTransfers":
		return MaxTransfers
	case "Activity.DataCategories", "Transfer.RecipientCertifications", "Processor.Certifications", "Governance.ImpactAssessments":
		return MaxVocabularyItems
	}
	return maxItemsProduct(owner.Name() + "." + f.Name)
}

// Parse reads a questionnaire from JSON or YAML, checks it strictly against contract v1 (unknown
// fields, types, vocabularies, country codes, dates, counts, duplicate names, cloud regions,
// characters, and the limits of docs/limits.md) and returns it with every hosting country
// resolved. Any problem yields a *ValidationError listing the problems (at most MaxProblems),
// each with its field path. Memory and time are linear in the input.
func Parse(b []byte) (*Questionnaire, error) { return parse(b, false) }

// parse is Parse; reference takes the slower ways the fast ones must agree with (the document
// read with encoding/json's tokenizer, the questionnaire decoded from the document's JSON), for
// the tests that compare them.
func parse(b []byte, reference bool) (*Questionnaire, error) {
	d, err := decodeDocumentWith(b, reference)
	if err != nil {
		return nil, err
	}
	w := &walker{root: d.root, problems: d.problems}
	w.value(d.root, reflect.TypeFor[Questionnaire](), fieldRules{req: true})
	typed := !w.problems.found()
	var q Questionnaire
	if reference || !typed || !fill(d.root, reflect.ValueOf(&q).Elem()) {
		// A document with problems decodes as far as encoding/json gets, so that the cross-field
		// checks below see what they saw before the walker filled the questionnaire itself.
		q = Questionnaire{}
		raw, err := json.Marshal(d.root.plain())
		if err != nil {
			return nil, fmt.Errorf("re-encode questionnaire: %w", err)
		}
		if err := json.Unmarshal(raw, &q); err != nil && typed {
			return nil, fmt.Errorf("decode questionnaire: %w", err)
		}
	}
	// The cross-field checks also run on a document with type errors (on what did decode), so
	// that every problem is listed at once; they skip paths that already have a problem.
	resolved, err := q.check(w)
	if err != nil {
		return nil, err
	}
	if !w.problems.found() {
		// The questionnaire is stored as its JSON, with the resolved hosting countries: that
		// form must pass the limits too, or it could not be read back.
		if n := d.values + resolved; n > MaxValues {
			w.addAt(nil, newMsg("document.values", "n", itoa(n), "max", itoa(MaxValues)))
		} else if !reference && storedBound(d.root, reflect.TypeFor[Questionnaire]())+resolved*len(`,"country":"XX"`) <= MaxDocumentBytes {
			// Its JSON cannot be over the limit: no need to write it.
		} else if stored, err := json.Marshal(&q); err != nil {
			return nil, fmt.Errorf("encode questionnaire: %w", err)
		} else if len(stored) > MaxDocumentBytes {
			w.addAt(nil, newMsg("document.stored_bytes", "bytes", itoa(len(stored)), "max", itoa(MaxDocumentBytes)))
		}
	}
	if err := w.problems.err(); err != nil {
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
	max    int
}

func rulesOf(owner reflect.Type, f reflect.StructField) fieldRules {
	r := fieldRules{req: f.Tag.Get("req") == "true", enum: f.Tag.Get("enum"), format: f.Tag.Get("format"), max: maxItems(owner, f)}
	if m := f.Tag.Get("min"); m != "" {
		n, err := strconv.Atoi(m)
		if err == nil {
			r.min = &n
		}
	}
	return r
}

// fieldTable is a struct type's fields as the walker reads them: JSON name, type and rules, in
// declaration order.
type fieldTable struct {
	list   []fieldInfo
	byName map[string]struct{}
	// direct: fill can set the type's fields (each exported field has a JSON name of its own,
	// none is embedded).
	direct bool
}

type fieldInfo struct {
	name      string
	index     int // in the struct type
	typ       reflect.Type
	rules     fieldRules
	omitEmpty bool // encoding/json leaves the field out when it is empty
	// key is the name as OPA's term, shared by every input built (OPA does not change terms).
	key *ast.Term
}

// newFieldTable builds t's field table.
func newFieldTable(t reflect.Type) *fieldTable {
	ft := &fieldTable{byName: map[string]struct{}{}, direct: true}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue // bookkeeping of a parsed document, such as DeploymentSpec.source
		}
		name := jsonName(f)
		if name == "" || name == "-" || f.Anonymous {
			ft.direct = false
		}
		ft.list = append(ft.list, fieldInfo{name: name, index: i, typ: f.Type, rules: rulesOf(t, f), omitEmpty: strings.Contains(f.Tag.Get("json"), ",omitempty"), key: ast.StringTerm(name)})
		ft.byName[name] = struct{}{}
	}
	return ft
}

// fieldTables holds the field table of every struct type of the questionnaire, built once from
// the struct tags (immutable afterwards).
var fieldTables = sync.OnceValue(func() map[reflect.Type]*fieldTable {
	tables := map[reflect.Type]*fieldTable{}
	var add func(t reflect.Type)
	add = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || tables[t] != nil {
			return
		}
		ft := newFieldTable(t)
		tables[t] = ft
		for _, f := range ft.list {
			add(f.typ)
		}
	}
	add(reflect.TypeFor[Questionnaire]())
	return tables
})

// structFields is t's field table (built on first use for a type outside the questionnaire).
func structFields(t reflect.Type) *fieldTable {
	if ft := fieldTables()[t]; ft != nil {
		return ft
	}
	return newFieldTable(t)
}

func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	return name
}

// walker checks a read document against the questionnaire's types. It keeps the path of the
// value it is at as a stack of steps and formats a path only for a problem.
type walker struct {
	// doc names the document in problems about its unknown top-level fields: a word "doc.<doc>"
	// of the messages ("" for the questionnaire).
	doc      string
	root     *node
	path     fieldpath.Path
	problems *problemList
}

// add records a problem of the value at the walker's path.
func (w *walker) add(line int, m Msg) { w.problems.add(w.path, line, m) }

// addAt records a problem of the value at p.
func (w *walker) addAt(p fieldpath.Path, m Msg) { w.problems.add(p, lineAt(w.root, p), m) }

func (w *walker) push(s fieldpath.Step) { w.path = append(w.path, s) }
func (w *walker) pop()                  { w.path = w.path[:len(w.path)-1] }

func (w *walker) value(n *node, t reflect.Type, r fieldRules) {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n.refused {
		return
	}
	if n.value == nil {
		if r.req {
			w.add(n.line, newMsg("required"))
		} else {
			w.add(n.line, newMsg("null"))
		}
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		m, ok := n.value.(map[string]*node)
		if !ok {
			w.add(n.line, typeMsg("object", n.value))
			return
		}
		fields := structFields(t)
		matched := 0
		for _, f := range fields.list {
			w.push(fieldpath.Field(f.name))
			if fv, present := m[f.name]; present {
				matched++
				w.value(fv, f.typ, f.rules)
			} else if f.rules.req {
				w.add(0, newMsg("required"))
			}
			w.pop()
		}
		if matched < len(m) {
			unknown := newMsg("unknown_field", "parent", w.path.LastName())
			if w.path.LastName() == "" {
				doc := w.doc
				if doc == "" {
					doc = "questionnaire"
				}
				unknown = newMsg("unknown_field.doc", "doc", doc)
			}
			for _, k := range sortedKeys(m) {
				if _, known := fields.byName[k]; !known {
					w.push(fieldpath.Field(k))
					w.add(m[k].line, unknown)
					w.pop()
				}
			}
		}
	case reflect.Slice:
		s, ok := n.value.([]*node)
		if !ok {
			w.add(n.line, typeMsg("list", n.value))
			return
		}
		if r.max > 0 && len(s) > r.max {
			w.add(n.line, newMsg("too_many", "n", itoa(len(s)), "max", itoa(r.max)))
			return
		}
		if r.min != nil && len(s) < *r.min {
			w.add(n.line, newMsg("too_few", "min", itoa(*r.min)))
		}
		elemRules := fieldRules{req: true, enum: r.enum, format: r.format}
		unique := r.enum != "" || r.format != ""
		seen := map[any]int{}
		for i, e := range s {
			w.push(fieldpath.Index(i))
			w.value(e, t.Elem(), elemRules)
			if unique && hashable(e.value) {
				if first, dup := seen[e.value]; dup {
					w.add(e.line, newMsg("duplicate", "value", fmt.Sprintf("%v", e.value), "first", w.path[:len(w.path)-1].Append(fieldpath.Index(first)).String()))
				} else {
					seen[e.value] = i
				}
			}
			w.pop()
		}
	case reflect.Map:
		// an object of named answers (deployment.scope_confirmed); enum names the vocabulary of
		// its keys.
		m, ok := n.value.(map[string]*node)
		if !ok {
			w.add(n.line, typeMsg("object", n.value))
			return
		}
		for _, k := range sortedKeys(m) {
			w.push(fieldpath.Field(k))
			if r.enum != "" && !policies.InEnum(r.enum, k) {
				w.add(m[k].line, newMsg("not_in_vocabulary", "value", strconv.Quote(k), "allowed", strings.Join(policies.Enum(r.enum), ", "), "vocabulary", r.enum))
			} else {
				w.value(m[k], t.Elem(), fieldRules{req: true})
			}
			w.pop()
		}
	case reflect.String:
		s, ok := n.value.(string)
		if !ok {
			w.add(n.line, typeMsg("string", n.value))
			return
		}
		w.str(n.line, s, r)
	case reflect.Int:
		v, ok := n.value.(int64)
		if !ok {
			w.add(n.line, typeMsg("integer", n.value))
			return
		}
		if r.min != nil && v < int64(*r.min) {
			w.add(n.line, newMsg("too_small", "min", itoa(*r.min), "value", strconv.FormatInt(v, 10)))
		}
	case reflect.Bool:
		if _, ok := n.value.(bool); !ok {
			w.add(n.line, typeMsg("bool", n.value))
		}
	}
}

// hashable reports whether v, a read value, can key a map (lists and objects cannot).
func hashable(v any) bool {
	switch v.(type) {
	case string, int64, float64, bool:
		return true
	}
	return false
}

func (w *walker) str(line int, s string, r fieldRules) {
	if msg, bad := badText(s); bad {
		w.add(line, msg)
		return
	}
	if r.req && r.enum == "" && r.format == "" && strings.TrimSpace(s) == "" {
		w.add(line, newMsg("empty"))
		return
	}
	if r.enum != "" && !policies.InEnum(r.enum, s) {
		w.add(line, newMsg("not_in_vocabulary", "value", strconv.Quote(s), "allowed", strings.Join(policies.Enum(r.enum), ", "), "vocabulary", r.enum))
	}
	switch r.format {
	case "country":
		if _, ok := policies.CountryName(s); !ok {
			m := newMsg("country", "value", strconv.Quote(s))
			if _, ok := policies.CountryName(strings.ToUpper(s)); ok {
				m = newMsg("country.upper", "value", strconv.Quote(s), "upper", strconv.Quote(strings.ToUpper(s)))
			} else if strings.EqualFold(s, "EU") {
				m = newMsg("country.eu", "value", strconv.Quote(s))
			}
			w.add(line, m)
		}
	case "date":
		d, err := time.Parse(time.DateOnly, s)
		switch {
		case err != nil:
			w.add(line, newMsg("date", "value", strconv.Quote(s)))
		case d.Year() < 1970 || d.Year() > 2200:
			w.add(line, newMsg("date.range", "value", strconv.Quote(s)))
		}
	}
}

// typeMsg is the problem of a value v read where a value of kind want ("object", "list",
// "string", "integer", "bool") belongs.
func typeMsg(want string, v any) Msg {
	got, value := "other", fmt.Sprintf("%T", v)
	switch x := v.(type) {
	case string:
		got, value = "string", strconv.Quote(x)
	case int64, float64:
		got, value = "number", fmt.Sprintf("%v", x)
	case bool:
		got, value = "bool", fmt.Sprintf("%v", x)
	case []*node:
		got, value = "list", ""
	case map[string]*node:
		got, value = "object", ""
	}
	if value == "" {
		return newMsg("type", "want", want, "got", got)
	}
	return newMsg("type", "want", want, "got", got, "value", value)
}

var (
	field = fieldpath.Field
	index = fieldpath.Index
)

// check runs the rules that need the typed questionnaire: schema version, unique names, hosting
// regions and countries, processor references, and the checks of the piaflow additions
// (checkAdditions). It resolves hosting countries in place and
// returns how many it filled in; its error is not about the questionnaire (the problems go to w).
func (q *Questionnaire) check(w *walker) (int, error) {
	version := fieldpath.Of(field("schema_version"))
	if q.SchemaVersion != SchemaVersion && !w.problems.flagged(version) {
		w.addAt(version, newMsg("schema_version", "value", itoa(q.SchemaVersion), "version", itoa(SchemaVersion)))
	}
	unique(w, fieldpath.Of(field("hosting")), "name", len(q.Hosting), func(i int) string { return q.Hosting[i].Name })
	unique(w, fieldpath.Of(field("activities")), "name", len(q.Activities), func(i int) string { return q.Activities[i].Name })
	unique(w, fieldpath.Of(field("processors")), "name", len(q.Processors), func(i int) string { return q.Processors[i].Name })
	for i, a := range q.Activities {
		unique(w, fieldpath.Of(field("activities"), index(i), field("data_categories")), "", len(a.DataCategories), func(j int) string { return a.DataCategories[j] })
	}
	regions, err := policies.Regions()
	if err != nil {
		return 0, fmt.Errorf("check hosting: %w", err)
	}
	processors := map[string]bool{}
	for _, p := range q.Processors {
		processors[p.Name] = true
	}
	resolved := 0
	for i := range q.Hosting {
		h := &q.Hosting[i]
		p := fieldpath.Of(field("hosting"), index(i))
		if w.problems.flagged(p) {
			continue
		}
		country, found, catalogued := regions.Lookup(h.Provider, h.Region)
		switch {
		case found && h.Country == "":
			h.Country = country
			resolved++
		case found && h.Country != country:
			w.addAt(p.Append(field("country")), regionMismatch(h.Country, h.Provider, h.Region, country))
		case !found && h.Country == "" && catalogued && h.Region != "":
			w.addAt(p.Append(field("region")), regionUnknown(h.Region, h.Provider, p))
		case !found && h.Country == "":
			w.addAt(p.Append(field("country")), newMsg("region.required"))
		}
		if h.Processor != nil && !processors[*h.Processor] {
			w.addAt(p.Append(field("processor")), newMsg("processor.unknown", "value", strconv.Quote(*h.Processor)))
		}
	}
	q.checkAdditions(w)
	return resolved, nil
}

// unique reports the entries of the list at list whose name (the field suffix of each entry, or
// the entry itself when suffix is "") repeats an earlier one, ignoring case.
func unique(w *walker, list fieldpath.Path, suffix string, n int, name func(int) string) {
	if w.problems.flagged(list) {
		return
	}
	seen := map[string]int{}
	for i := range n {
		k := strings.ToLower(name(i))
		if k == "" {
			continue
		}
		if first, dup := seen[k]; dup {
			p := list.Append(index(i))
			if suffix != "" {
				p = p.Append(field(suffix))
			}
			w.addAt(p, newMsg("duplicate_name", "value", strconv.Quote(name(i)), "first", list.Append(index(first)).String()))
			continue
		}
		seen[k] = i
	}
}

// regionMismatch is the problem of a country that is not the one of the cloud region.
func regionMismatch(country, provider, region, regionCountry string) Msg {
	return newMsg("region.country", "value", strconv.Quote(country), "provider", provider, "region", region, "country", regionCountry)
}

// regionUnknown is the problem of a region of a catalogued provider that the catalogue lacks.
func regionUnknown(region, provider string, site fieldpath.Path) Msg {
	return newMsg("region.unknown", "value", strconv.Quote(region), "provider", provider, "path", site.String())
}

// storedBound is at least the length of the JSON encoding/json writes for the value of type t
// decoded from n, a value without problems (every string escaped at its longest, \u00XX for
// each byte; every number at its longest), or more than MaxDocumentBytes when it cannot tell (a
// field written although the document does not give it).
func storedBound(n *node, t reflect.Type) int {
	const unknown = MaxDocumentBytes + 1
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch v := n.value.(type) {
	case map[string]*node:
		size := 2 // {}
		if t.Kind() == reflect.Struct {
			ft := structFields(t)
			for _, f := range ft.list {
				c, present := v[f.name]
				if !present {
					if !f.omitEmpty {
						return unknown
					}
					continue
				}
				size += 6*len(f.name) + 4 + storedBound(c, f.typ) // "name":, and a comma
			}
			return size
		}
		var elem reflect.Type
		if t.Kind() == reflect.Map {
			elem = t.Elem()
		}
		for k, c := range v {
			if elem == nil {
				return unknown
			}
			size += 6*len(k) + 4 + storedBound(c, elem)
		}
		return size
	case []*node:
		if t.Kind() != reflect.Slice {
			return unknown
		}
		size := 2 // []
		for _, c := range v {
			size += 1 + storedBound(c, t.Elem())
		}
		return size
	case string:
		return 2 + 6*len(v)
	case int64, float64:
		return 32
	case bool, nil:
		return 5
	}
	return unknown
}

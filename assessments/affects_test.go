package assessments

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/piaflow/piaflow/policies"
)

// TestAffectsSound is the ground of policies.Affects, the re-evaluation's decision that a change
// of policies cannot reach a deployment: for every jurisdiction document, edited in these ways —
// (texts) every text, date and number changed, its countries kept; (countries) every country
// it names replaced by one no questionnaire and no other law names; (identifiers) every id,
// kind and category it holds changed, its countries kept; and its legal substance, each where
// it applies and the library still loads: (not in force yet), (ended), (no adequacy decisions),
// (scope changed: citizens and establishment flipped, the vendor's establishment removed) —
// every questionnaire of the date tests (the examples and four crafted ones) and one that names
// no law's country (telehealth-us moved to Bolivia and Peru, on premises) that Affects says the
// edit cannot reach
// gets a result identical to the current library's, byte for byte (the policies' digest
// aside). The negative controls show the comparison sees a change that does reach: among the
// pairs Affects leaves to an evaluation some results change, and the GDPR's texts edited change
// the hospital example's result.
func TestAffectsSound(t *testing.T) {
	ctx := context.Background()
	base, err := policies.Default()
	if err != nil {
		t.Fatal(err)
	}
	cases := append(sameOnCases(t), farCase(t))
	asOf := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	result := func(e *policies.Engine, c sameOnCase) []byte {
		t.Helper()
		a, err := NewEvaluator(e, WithResultCache(0)).Assess(ctx, c.q, asOf)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		a.PolicyDigest, a.PolicyVersion = "", ""
		b, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	want := make([][]byte, len(cases))
	named := map[string]bool{} // every country a questionnaire or a law names
	for i, c := range cases {
		want[i] = result(base, c)
		for _, k := range c.q.Countries() {
			named[k] = true
		}
	}
	fp := base.Fingerprint()
	for _, j := range fp.Jurisdictions {
		for _, k := range j.Countries {
			named[k] = true
		}
	}
	var spare []string // countries named nowhere, to rename a law's countries to
	for _, k := range policies.CountryCodes() {
		if !named[k] {
			spare = append(spare, k)
		}
	}
	edits := map[string]func(doc any) any{
		"texts":       editTexts,
		"identifiers": editIdentifiers(t, identifierValues(t)),
		"countries": func(doc any) any {
			renamed := map[string]string{}
			return editCountries(doc, func(k string) string {
				if renamed[k] == "" {
					if len(renamed) >= len(spare) {
						t.Fatalf("more countries than spare codes (%d)", len(spare))
					}
					renamed[k] = spare[len(renamed)]
				}
				return renamed[k]
			})
		},
		// The legal substance (each only where the document has what it edits).
		"not in force yet": editFields(func(d map[string]any) { d["effective_from"] = "2099-01-01"; delete(d, "effective_to") }),
		"ended":            editFields(func(d map[string]any) { d["effective_from"], d["effective_to"] = "2000-01-01", "2001-01-01" }),
		"no adequacy": editFields(func(d map[string]any) {
			if tr, ok := d["transfer"].(map[string]any); ok {
				delete(tr, "adequacy")
			}
		}),
		"scope changed": editFields(func(d map[string]any) {
			sc, ok := d["scope"].(map[string]any)
			if !ok {
				return
			}
			for _, k := range []string{"citizens", "establishment"} {
				if b, ok := sc[k].(bool); ok {
					sc[k] = !b
				}
			}
			delete(sc, "vendor_establishment")
		}),
	}
	substance := map[string]bool{"not in force yet": true, "ended": true, "no adequacy": true, "scope changed": true}
	checked, reached, differ := 0, 0, 0
	for _, id := range slices.Sorted(maps.Keys(fp.Jurisdictions)) {
		for _, how := range slices.Sorted(maps.Keys(edits)) {
			e, err := variantOf(t, id, edits[how])
			if err != nil {
				if substance[how] {
					continue // a library the load refuses (two versions of one law in force on a day) is never deployed
				}
				t.Fatalf("%s edited (%s): %v", id, how, err)
			}
			after := e.Fingerprint()
			if substance[how] && after.Jurisdictions[id].Digest == fp.Jurisdictions[id].Digest {
				continue // the document has nothing this edit changes
			}
			if after.Jurisdictions[id].Digest == fp.Jurisdictions[id].Digest || after.Core != fp.Core {
				t.Fatalf("%s edited (%s): digest %s, core changed %v: want only the document changed", id, how, after.Jurisdictions[id].Digest, after.Core != fp.Core)
			}
			for i, c := range cases {
				if affects, _ := policies.Affects(fp, after, c.q.Countries()); affects {
					reached++
					if !bytes.Equal(result(e, c), want[i]) {
						differ++
					}
					continue
				}
				checked++
				if got := result(e, c); !bytes.Equal(got, want[i]) {
					t.Errorf("%s: %s edited (%s) changes its result, but Affects says the edit cannot reach it (countries %v, the law's %v)",
						c.name, id, how, c.q.Countries(), fp.Jurisdictions[id].Countries)
				}
			}
		}
	}
	t.Logf("%d questionnaire × edited law pairs Affects says the edit cannot reach: results identical; %d it may reach: %d of them changed", checked, reached, differ)
	if checked < 200 || differ == 0 {
		t.Errorf("%d pairs compared, %d changed results among those the edit may reach: the test no longer covers what it should", checked, differ)
	}
	// Negative control: an edit that does reach a questionnaire changes its result.
	gdpr := variant(t, "gdpr", editTexts)
	for i, c := range cases {
		if c.name != "hospital-ehr-germany" {
			continue
		}
		if affects, _ := policies.Affects(fp, gdpr.Fingerprint(), c.q.Countries()); !affects {
			t.Errorf("the GDPR edited: Affects says it cannot reach %s", c.name)
		}
		if bytes.Equal(result(gdpr, c), want[i]) {
			t.Errorf("the GDPR's texts edited: %s's result unchanged (the comparison cannot see a change)", c.name)
		}
	}
}

// TestAffectsRemoved: a law taken out of the library (its document deleted) reaches every
// deployment — the coverage text counts the laws — and changes the result of a questionnaire
// it governed.
func TestAffectsRemoved(t *testing.T) {
	ctx := context.Background()
	base, err := policies.Default()
	if err != nil {
		t.Fatal(err)
	}
	removed, err := policies.NewVariant(ctx, policies.Options{}, func(name string, body []byte) []byte {
		if name == "data/jurisdictions/sg_pdpa.json" {
			return nil
		}
		return body
	})
	if err != nil {
		t.Fatalf("Singapore's PDPA left out: %v", err)
	}
	from, to := base.Fingerprint(), removed.Fingerprint()
	if _, ok := to.Jurisdictions["sg_pdpa"]; ok {
		t.Fatalf("sg_pdpa still in the fingerprint of a library without its document")
	}
	asOf := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	for _, c := range sameOnCases(t) {
		if affects, _ := policies.Affects(from, to, c.q.Countries()); !affects {
			t.Errorf("%s: Affects says removing a law cannot reach it", c.name)
		}
		if c.name != "clinic-singapore-ready" {
			continue
		}
		before, err := NewEvaluator(base, WithResultCache(0)).Assess(ctx, c.q, asOf)
		if err != nil {
			t.Fatal(err)
		}
		after, err := NewEvaluator(removed, WithResultCache(0)).Assess(ctx, c.q, asOf)
		if err != nil {
			t.Fatal(err)
		}
		ids := func(a *Assessment) []string {
			var out []string
			for _, r := range a.Regimes {
				out = append(out, r.ID)
			}
			return out
		}
		if slices.Contains(ids(after), "sg_pdpa") || !slices.Contains(ids(before), "sg_pdpa") {
			t.Errorf("%s: regimes before %v, after %v: want sg_pdpa only before", c.name, ids(before), ids(after))
		}
	}
}

// variant compiles the library with jurisdiction id's document edited.
func variant(t *testing.T, id string, edit func(any) any) *policies.Engine {
	t.Helper()
	e, err := variantOf(t, id, edit)
	if err != nil {
		t.Fatalf("%s edited: %v", id, err)
	}
	return e
}

// variantOf is variant, with the library's load error when the edited document makes it invalid.
func variantOf(t *testing.T, id string, edit func(any) any) (*policies.Engine, error) {
	t.Helper()
	return policies.NewVariant(context.Background(), policies.Options{}, func(name string, body []byte) []byte {
		if path.Base(path.Dir(name)) != "jurisdictions" {
			return body
		}
		var doc map[string]any
		if err := json.Unmarshal(body, &doc); err != nil || doc["id"] != id {
			return body
		}
		out, err := json.Marshal(edit(doc))
		if err != nil {
			t.Fatal(err)
		}
		return out
	})
}

var isoDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// textKeys are the keys whose strings are prose (names, references, explanations), not
// identifiers the rules match on.
var textKeys = map[string]bool{"name": true, "short": true, "ref": true, "ref_zh": true, "text": true, "why": true, "note": true,
	"description": true, "title": true, "url": true, "basis": true, "condition": true, "scope_note": true}

// editFields is an edit of a jurisdiction document's top-level fields.
func editFields(f func(d map[string]any)) func(any) any {
	return func(doc any) any {
		if d, ok := doc.(map[string]any); ok {
			f(d)
		}
		return doc
	}
}

// farCase is telehealth-us moved to countries no law of the library names (Bolivia, Peru),
// hosted on premises: no change of a jurisdiction document can reach it.
func farCase(t *testing.T) sameOnCase {
	t.Helper()
	src := strings.NewReplacer(
		"provider: aws\n    region: us-east-1", "provider: on_premises\n    country: BO",
		"provider: aws\n    region: us-west-2", "provider: on_premises\n    country: BO",
		": US\n", ": BO\n", "[US]", "[BO]", "to_country: PH", "to_country: PE", "country: PH", "country: PE",
	).Replace(string(mustRead(t, "../examples/telehealth-us.yaml")))
	q, err := Parse([]byte(src))
	if err != nil {
		t.Fatalf("far case: %v", err)
	}
	for _, k := range q.Countries() {
		if k != "BO" && k != "PE" {
			t.Fatalf("far case names %s (countries %v): the example changed, edit farCase", k, q.Countries())
		}
	}
	raw, err := json.Marshal(q)
	if err != nil {
		t.Fatal(err)
	}
	return sameOnCase{name: "telehealth-far", q: q, raw: raw}
}

// editTexts changes every prose string (textKeys), moves every date by a day into the range it
// bounds (an effective_to a day earlier, any other a day later: no two versions of a law come to
// overlap) and adds one to every number.
func editTexts(doc any) any {
	var walk func(key string, v any) any
	walk = func(key string, v any) any {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				v[k] = walk(k, x)
			}
			return v
		case []any:
			for i, x := range v {
				v[i] = walk(key, x)
			}
			return v
		case string:
			if isoDate.MatchString(v) {
				d, err := time.Parse(time.DateOnly, v)
				if err != nil {
					return v
				}
				if strings.HasSuffix(key, "_to") {
					return d.AddDate(0, 0, -1).Format(time.DateOnly)
				}
				return d.AddDate(0, 0, 1).Format(time.DateOnly)
			}
			if textKeys[key] {
				return v + " (edited)"
			}
			return v
		case float64:
			return v + 1
		}
		return v
	}
	return walk("", doc)
}

// editIdentifiers changes every string the rules may match on — what is neither prose
// (textKeys), a date, a country code nor a regime id: ids, kinds, categories, mechanisms —
// to another value the document still validates with (policies.Jurisdiction.Validate): the
// value with a suffix, else one of the next values, in sorted order, the same key holds in any
// of the documents (seen). A value no other validates in place of stays.
func editIdentifiers(t *testing.T, seen map[string][]string) func(doc any) any {
	return func(doc any) any {
		type leaf struct {
			key string
			get func() string
			set func(string)
		}
		var leaves []leaf
		var walk func(key string, v any, top bool)
		walk = func(key string, v any, top bool) {
			switch v := v.(type) {
			case map[string]any:
				for _, k := range slices.Sorted(maps.Keys(v)) {
					if s, ok := v[k].(string); ok {
						if !(top && k == "id") && identifier(k, s) {
							leaves = append(leaves, leaf{k, func() string { return v[k].(string) }, func(x string) { v[k] = x }})
						}
						continue
					}
					walk(k, v[k], false)
				}
			case []any:
				for i := range v {
					if s, ok := v[i].(string); ok {
						if identifier(key, s) {
							leaves = append(leaves, leaf{key, func() string { return v[i].(string) }, func(x string) { v[i] = x }})
						}
						continue
					}
					walk(key, v[i], false)
				}
			}
		}
		walk("", doc, true)
		valid := func() bool {
			b, err := json.Marshal(doc)
			if err != nil {
				t.Fatal(err)
			}
			j, err := policies.ParseJurisdiction(b)
			return err == nil && len(j.Validate()) == 0
		}
		if !valid() {
			t.Fatal("a jurisdiction document invalid before it is edited")
		}
		for _, l := range leaves {
			was := l.get()
			candidates := []string{was + "_edited"}
			if vs := seen[l.key]; len(vs) > 1 {
				i, _ := slices.BinarySearch(vs, was)
				for n := 1; n < len(vs) && n <= 4; n++ {
					candidates = append(candidates, vs[(i+n)%len(vs)])
				}
			}
			for _, c := range candidates {
				if c == was {
					continue
				}
				if l.set(c); valid() {
					break
				}
				l.set(was)
			}
		}
		return doc
	}
}

// identifier reports whether value, under key, is an identifier editIdentifiers changes.
func identifier(key, value string) bool {
	return !textKeys[key] && key != "regime" && !isoDate.MatchString(value) && !isCountry(value)
}

// identifierValues lists, per key, the identifier strings (see editIdentifiers) the
// jurisdiction documents hold, sorted and once each.
func identifierValues(t *testing.T) map[string][]string {
	t.Helper()
	paths, err := filepath.Glob("../policies/data/jurisdictions/*.json")
	if err != nil || len(paths) == 0 {
		t.Fatalf("jurisdiction documents: %v", err)
	}
	sets := map[string]map[string]bool{}
	var walk func(key string, v any)
	walk = func(key string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				walk(k, x)
			}
		case []any:
			for _, x := range v {
				walk(key, x)
			}
		case string:
			if key == "id" || !identifier(key, v) {
				return
			}
			if sets[key] == nil {
				sets[key] = map[string]bool{}
			}
			sets[key][v] = true
		}
	}
	for _, p := range paths {
		var doc any
		if err := json.Unmarshal(mustRead(t, p), &doc); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		walk("", doc)
	}
	out := map[string][]string{}
	for k, set := range sets {
		out[k] = slices.Sorted(maps.Keys(set))
	}
	return out
}

// isCountry reports whether v is an ISO 3166-1 code as the documents write it (upper case).
func isCountry(v string) bool {
	_, ok := policies.CountryName(v)
	return ok && len(v) == 2 && strings.ToUpper(v) == v
}

// editCountries replaces every country code of doc by rename's.
func editCountries(doc any, rename func(string) string) any {
	switch v := doc.(type) {
	case map[string]any:
		for k, x := range v {
			v[k] = editCountries(x, rename)
		}
		return v
	case []any:
		for i, x := range v {
			v[i] = editCountries(x, rename)
		}
		return v
	case string:
		if isCountry(v) {
			return rename(v)
		}
	}
	return doc
}

// TestCountries: every country a questionnaire names, from any field — the data subjects',
// the customer's and vendor's, hosting sites', transfer destinations', processors' — sorted
// and once each.
func TestCountries(t *testing.T) {
	tests := []struct{ example, want string }{
		{"clinic-singapore-ready", "SG"},
		{"hospital-ehr-germany", "AT CN DE IE US"},
		{"logistics-china-vietnam", "CN HK SG VN"},
	}
	for _, tt := range tests {
		q, err := Parse(mustRead(t, "../examples/"+tt.example+".yaml"))
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(q.Countries(), " "); got != tt.want {
			t.Errorf("%s: %s; want %s", tt.example, got, tt.want)
		}
	}
}

// BenchmarkCountries lists the hospital example's countries (a re-evaluation does it for every
// deployment assessed with earlier policies).
func BenchmarkCountries(b *testing.B) {
	q, err := Parse(mustRead(b, "../examples/hospital-ehr-germany.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		q.Countries()
	}
}

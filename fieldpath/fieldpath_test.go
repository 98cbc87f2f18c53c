package fieldpath_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/piaflow/piaflow/fieldpath"
)

var (
	f = fieldpath.Field
	x = fieldpath.Index
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want fieldpath.Path
	}{
		{"", nil},
		{"schema_version", fieldpath.Of(f("schema_version"))},
		{"activities[1].transfers[0].to_country", fieldpath.Of(f("activities"), x(1), f("transfers"), x(0), f("to_country"))},
		{"a[0][12]", fieldpath.Of(f("a"), x(0), x(12))},
		{"[3].name", fieldpath.Of(x(3), f("name"))},
		{`deployment["a.b"]`, fieldpath.Of(f("deployment"), f("a.b"))},
		{`[""]`, fieldpath.Of(f(""))},
		{`["x[1]"][2]`, fieldpath.Of(f("x[1]"), x(2))},
		{`["say \"hi\"\n"].k`, fieldpath.Of(f("say \"hi\"\n"), f("k"))},
		{`["abc"]`, fieldpath.Of(f("abc"))},
		{`["中文"]`, fieldpath.Of(f("中文"))},
		{"A_1.b2", fieldpath.Of(f("A_1"), f("b2"))},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := fieldpath.Parse(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Equal(tt.want) {
				t.Errorf("Parse(%q) = %#v, want %#v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	for _, in := range []string{
		".a", "a.", "a..b", "a[", "a[]", "a[-1]", "a[01]", "a[1x]", "a[1]b", "1a", "a-b", "a b",
		`a["x"`, `a["x]`, `a["x"x]`, `a[" \q "]`, "a[99999999999999999999999]", "a.[0]", "[0]a", "é",
	} {
		t.Run(in, func(t *testing.T) {
			p, err := fieldpath.Parse(in)
			if !errors.Is(err, fieldpath.ErrSyntax) {
				t.Errorf("Parse(%q) = %v, %v; want ErrSyntax", in, p, err)
			}
		})
	}
}

func TestString(t *testing.T) {
	tests := []struct {
		in   fieldpath.Path
		want string
	}{
		{nil, ""},
		{fieldpath.Of(f("activities"), x(1), f("transfers"), x(0), f("to_country")), "activities[1].transfers[0].to_country"},
		{fieldpath.Of(x(0), x(1)), "[0][1]"},
		{fieldpath.Of(f("deployment"), f("a.b")), `deployment["a.b"]`},
		{fieldpath.Of(f(""), f("x")), `[""].x`},
		{fieldpath.Of(f("1st"), f("ctl\x7f"), f("😀")), `["1st"]["ctl\x7f"]["😀"]`},
	}
	for _, tt := range tests {
		if got := tt.in.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.in, got, tt.want)
		}
		if got := fieldpath.Format(tt.in...); got != tt.want {
			t.Errorf("Format(%#v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPathHelpers(t *testing.T) {
	p := fieldpath.Of(f("hosting"), x(2), f("name"))
	if !p.HasPrefix(fieldpath.Of(f("hosting"), x(2))) || !p.HasPrefix(nil) || p.HasPrefix(fieldpath.Of(f("hosting"), x(1))) {
		t.Error("HasPrefix")
	}
	if fieldpath.Of(f("a")).HasPrefix(p) {
		t.Error("a longer path is no prefix")
	}
	q := p[:2].Append(f("country"))
	if q.String() != "hosting[2].country" || p.String() != "hosting[2].name" {
		t.Errorf("Append changed its receiver or misbuilt: %s, %s", q, p)
	}
	if got := fieldpath.Of(f("activities"), x(0)).LastName(); got != "activities" {
		t.Errorf("LastName = %q", got)
	}
	if got := fieldpath.Of(x(0)).LastName(); got != "" {
		t.Errorf("LastName of an index-only path = %q", got)
	}
}

// ordered is an Object that keeps its keys in order, as the report's decoder does.
type ordered struct {
	keys []string
	vals []any
}

func (o ordered) Get(name string) (any, bool) {
	if i := slices.Index(o.keys, name); i >= 0 {
		return o.vals[i], true
	}
	return nil, false
}

func TestLookup(t *testing.T) {
	doc := map[string]any{
		"activities": []any{
			map[string]any{"name": "HR", "transfers": []any{map[string]any{"to_country": "US"}}},
			ordered{keys: []string{"name"}, vals: []any{"CRM"}},
		},
		"a.b":  1.5,
		"null": nil,
	}
	tests := []struct {
		path  string
		want  any
		found bool
	}{
		{"activities[0].transfers[0].to_country", "US", true},
		{"activities[1].name", "CRM", true},
		{`["a.b"]`, 1.5, true},
		{"null", nil, true},
		{"activities[2]", nil, false},
		{"activities[0].transfers[0].to_country.x", nil, false},
		{"activities.name", nil, false},
		{"activities[1].missing", nil, false},
		{"activities[0][0]", nil, false},
		{"missing", nil, false},
		{"bad path", nil, false},
	}
	for _, tt := range tests {
		got, found := fieldpath.Get(doc, tt.path)
		if found != tt.found || got != tt.want {
			t.Errorf("Get(%q) = %v, %v; want %v, %v", tt.path, got, found, tt.want, tt.found)
		}
	}
	if got, ok := fieldpath.Lookup(doc, nil); !ok || got == nil {
		t.Error("the empty path is the root")
	}
}

// FuzzParse: Parse never panics; what it accepts formats to a canonical string that reads back
// as the same steps.
func FuzzParse(fz *testing.F) {
	for _, s := range []string{"", "a", "activities[1].transfers[0].to_country", `x["a.b"][0]`, `["\u00e9\x00"]`, "a[01]", "[", `["`, "a.", "[0][1]"} {
		fz.Add(s)
	}
	fz.Fuzz(func(t *testing.T, s string) {
		p, err := fieldpath.Parse(s)
		if err != nil {
			if !errors.Is(err, fieldpath.ErrSyntax) {
				t.Fatalf("Parse(%q): error %v does not wrap ErrSyntax", s, err)
			}
			return
		}
		canon := p.String()
		q, err := fieldpath.Parse(canon)
		if err != nil {
			t.Fatalf("Parse(%q) read %#v, whose String %q does not parse: %v", s, p, canon, err)
		}
		if !q.Equal(p) || q.String() != canon {
			t.Fatalf("Parse(%q) = %#v, but its String %q reads back as %#v", s, p, canon, q)
		}
	})
}

// FuzzFormat: any field name and index format to a path that parses back to the same steps.
func FuzzFormat(fz *testing.F) {
	fz.Add("name", 0, "to_country")
	fz.Add("a.b", 7, "")
	fz.Add("\xff\x00\"]", 1<<30, "😀[0]")
	fz.Fuzz(func(t *testing.T, a string, i int, b string) {
		if i < 0 {
			i = -(i + 1)
		}
		p := fieldpath.Of(f(a), x(i), f(b))
		got, err := fieldpath.Parse(p.String())
		if err != nil || !got.Equal(p) {
			t.Fatalf("%#v formats as %q, which parses as %#v, %v", p, p.String(), got, err)
		}
	})
}

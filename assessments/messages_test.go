package assessments

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

var placeholderRE = regexp.MustCompile(`\{([a-z_]+)\}`)

// placeholdersOf lists the placeholders of a message's text, with those of the words its word
// arguments may take (WordArgs: "type" has {want} and {got}, and got's words have {value}).
func placeholdersOf(code string) (need, may []string) {
	for _, m := range placeholderRE.FindAllStringSubmatch(problemTexts[code], -1) {
		need = append(need, m[1])
		if isWordArg(m[1]) {
			for k, t := range problemTexts {
				if strings.HasPrefix(k, m[1]+".") {
					for _, w := range placeholderRE.FindAllStringSubmatch(t, -1) {
						may = append(may, w[1])
					}
				}
			}
		}
	}
	sort.Strings(need)
	return slices.Compact(need), may
}

// TestMessageCalls reads this package's source and checks every newMsg call: its code (or, for
// a code built as "prefix."+x, some code with that prefix) has a text, and its arguments are
// exactly the text's placeholders (a word argument's own placeholders may be given too).
func TestMessageCalls(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	calls := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if id, ok := call.Fun.(*ast.Ident); !ok || id.Name != "newMsg" || len(call.Args) == 0 {
				return true
			}
			calls++
			at := fset.Position(call.Pos())
			var codes []string
			switch c := call.Args[0].(type) {
			case *ast.BasicLit:
				code, _ := strconv.Unquote(c.Value)
				codes = []string{code}
			case *ast.BinaryExpr:
				lit, ok := c.X.(*ast.BasicLit)
				if !ok {
					t.Errorf("%s: newMsg's code is neither a string nor \"prefix.\"+x", at)
					return true
				}
				prefix, _ := strconv.Unquote(lit.Value)
				for k := range problemTexts {
					if strings.HasPrefix(k, prefix) {
						codes = append(codes, k)
					}
				}
			default:
				t.Errorf("%s: newMsg's code is neither a string nor \"prefix.\"+x", at)
				return true
			}
			if len(codes) == 0 {
				t.Errorf("%s: no message text for the code", at)
			}
			var args []string
			for i := 1; i < len(call.Args); i += 2 {
				lit, ok := call.Args[i].(*ast.BasicLit)
				if !ok {
					t.Errorf("%s: argument name %d is not a string literal", at, i)
					continue
				}
				a, _ := strconv.Unquote(lit.Value)
				args = append(args, a)
			}
			if (len(call.Args)-1)%2 != 0 {
				t.Errorf("%s: arguments are not name, value pairs", at)
			}
			sort.Strings(args)
			for _, code := range codes {
				text, ok := problemTexts[code]
				if !ok {
					t.Errorf("%s: code %q has no text", at, code)
					continue
				}
				need, may := placeholdersOf(code)
				for _, p := range need {
					if !slices.Contains(args, p) {
						t.Errorf("%s: %s (%q) lacks the argument %s", at, code, text, p)
					}
				}
				for _, a := range args {
					if !slices.Contains(need, a) && !slices.Contains(may, a) && !slices.Contains(HintArgs, a) {
						t.Errorf("%s: %s (%q) has no placeholder for the argument %s", at, code, text, a)
					}
				}
			}
			return true
		})
	}
	if calls < 50 {
		t.Errorf("found %d newMsg calls; the scan is broken", calls)
	}
}

// TestMessageTexts checks that every text's words exist: a word argument's texts are
// "<arg>.<value>", and every message text is used by some code path or is a word.
func TestMessageTexts(t *testing.T) {
	for code, text := range problemTexts {
		for _, m := range placeholderRE.FindAllStringSubmatch(text, -1) {
			if !isWordArg(m[1]) {
				continue
			}
			found := false
			for k := range problemTexts {
				found = found || strings.HasPrefix(k, m[1]+".")
			}
			if !found {
				t.Errorf("%s: no words for the argument %s", code, m[1])
			}
		}
	}
}

// TestMessageRender checks the English rendering of messages with word arguments.
func TestMessageRender(t *testing.T) {
	for _, tc := range []struct {
		m    Msg
		want string
	}{
		{typeMsg("object", "x"), `must be an object, not the string "x"`},
		{typeMsg("bool", int64(3)), "must be true or false, not the number 3"},
		{typeMsg("list", map[string]*node{}), "must be a list, not an object"},
		{typeMsg("integer", true), "must be a whole number, not true"},
		{newMsg("unknown_field.doc", "doc", "deployment_spec"), "is not a field of the deployment spec"},
		{newMsg("country", "value", `"{got}"`), `"{got}" is not an ISO 3166-1 alpha-2 code`},
		{Msg{Code: "no.such.code"}, "no.such.code"},
	} {
		if got := tc.m.English(); got != tc.want {
			t.Errorf("%+v: got %q, want %q", tc.m, got, tc.want)
		}
	}
}

package policies

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
)

// resultJSON must write exactly what encoding/json writes for OPA's conversion of the value.
func TestResultJSONMatchesEncodingJSON(t *testing.T) {
	all := make([]byte, 0, 256)
	for b := range 256 {
		all = append(all, byte(b))
	}
	cases := []struct {
		name string
		v    ast.Value
	}{
		{"scalars", ast.MustParseTerm(`[null, true, false, 0, -1, 1.5, 1e3, 12345678901234567890, "", "x"]`).Value},
		{"escapes", ast.NewArray(ast.StringTerm("<a href=\"x\">&</a>\\\n\r\t\b\f\x00\x1f\x7f"), ast.StringTerm("é 中文 \u2028\u2029 😀"))},
		{"every byte", ast.StringTerm(string(all)).Value},
		{"invalid UTF-8", ast.StringTerm("a\xffb\xc3(c\xed\xa0\x80").Value},
		{"nested", ast.MustParseTerm(`{"b": {"z": set(), "a": {"c", "a", "b"}}, "a": [{"y": 1, "x": [2, {3, 1}]}], "<&>": {}}`).Value},
		{"sets of objects", ast.MustParseTerm(`{{"k": 2}, {"k": 1}, {"j": [1]}}`).Value},
		{"non-string keys", ast.MustParseTerm(`{1: "a", "b": 2}`).Value},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x, err := ast.JSON(c.v)
			if err != nil {
				t.Fatal(err)
			}
			want, err := json.Marshal(x)
			if err != nil {
				t.Fatal(err)
			}
			got, err := resultJSON(ast.NewTerm(c.v))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("resultJSON:\n got %s\nwant %s", got, want)
			}
		})
	}
}

// The engine's result document is byte-identical to OPA's own conversion and encoding.
func TestEvaluateEncodesAsOPA(t *testing.T) {
	e, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.Evaluate(context.Background(), []byte(sandboxQuestionnaire), "2026-11-25")
	if err != nil {
		t.Fatal(err)
	}
	in, err := Input([]byte(sandboxQuestionnaire), "2026-11-25")
	if err != nil {
		t.Fatal(err)
	}
	rs, err := rego.New(rego.Query(resultQuery), rego.Compiler(e.compiler), rego.Store(inmem.NewFromObjectWithOpts(e.data, inmem.OptReturnASTValuesOnRead(true))), rego.ParsedInput(in)).Eval(context.Background())
	if err != nil || len(rs) == 0 {
		t.Fatal(err)
	}
	want, err := json.Marshal(rs[0].Expressions[0].Value)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("Evaluate's document differs from OPA's encoding (%d and %d bytes)", len(got), len(want))
	}
}

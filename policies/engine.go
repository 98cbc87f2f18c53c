// Package policies holds piaflow's policy library — Rego v1 modules, jurisdiction data and the
// cloud region catalogue, embedded in the binary — and the engine that compiles them once into a
// prepared query and evaluates questionnaires with it.
package policies

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
)

// Version is the version of the embedded policy library. Bump it with every change to a rule or
// to the data; policy_digest identifies the exact bundle either way.
const Version = "2026.12.3"

// EngineVersion is the version of the Go code between a questionnaire and its result — parsing,
// the evaluation input, the data built at load (indexes), the result's decoding and
// normalisation, OPA itself. Bump it with any change of that code which can change a result:
// it is part of the policy digest and of the fingerprint's Core, so a stored result is reused,
// and an assessment carried over, only by code of the same engine version
// (assessments.TestEngineVersionPinned fails when the golden results change while neither the
// policy files nor this number did).
const EngineVersion = 1

// resultQuery is the rule evaluated for every questionnaire: the library's entrypoint
// (METADATA entrypoint: true).
const resultQuery = "data.piaflow.main.result"

// customFindingsQuery is evaluated with it: the findings of the company rules, checked against
// the built-in catalogue (computed once for both: the result includes them).
const customFindingsQuery = "data.piaflow.main.custom_findings"

// customPackage is the package prefix company rules must use.
const customPackage = "piaflow.custom."

// Options configures an Engine.
type Options struct {
	// ExtraDir, when set, is a directory of company rules added to the embedded library:
	// *.rego modules in packages under piaflow.custom (each may define `findings`), their
	// *_test.rego tests, jurisdictions/*.json files (same format as the embedded ones) and other
	// *.json files, loaded under data.custom.<file name>.
	ExtraDir string
	// Timeout bounds every evaluation, Rego test and profile; zero means DefaultTimeout. A
	// deadline of the caller's context applies too, whichever comes first.
	Timeout time.Duration
	// MaxHeapBytes stops an evaluation once the process's Go heap passes it; zero means
	// DefaultMaxHeap.
	MaxHeapBytes uint64
}

// Engine evaluates questionnaires against the compiled policy library. It is safe for
// concurrent use.
type Engine struct {
	query    rego.PreparedEvalQuery
	compiler *ast.Compiler
	modules  map[string]*ast.Module
	// tests are the *_test.rego modules' texts by file name: parsed and checked at load, parsed
	// again to run them (RunTests), not kept parsed (a third of the engine's memory).
	tests  map[string][]byte
	data   map[string]any
	digest string
	rules  []Rule
	// jurisdictions are the jurisdiction files loaded (see Jurisdictions).
	jurisdictions []Jurisdiction
	guard         guard
	// builtin is what company findings may not reuse; hasCustom is set when company rules are
	// loaded.
	builtin   builtinNames
	hasCustom bool
	// dataFiles are the JSON files of the bundle as read (Uncertain walks them); extraDir is
	// Options.ExtraDir.
	dataFiles []source
	extraDir  string
	// sources are the policy modules' texts by file name (WriteBundle).
	sources map[string][]byte
	// dates are the bundle's dates SameOn compares (dates.go).
	dates dateIndex
	// fingerprint is the bundle in parts (fingerprint.go).
	fingerprint Fingerprint
}

// source is one file of the bundle.
type source struct {
	name string
	body []byte
}

var defaultEngine = sync.OnceValues(func() (*Engine, error) {
	// Compiling the embedded library does no I/O and cannot block: no caller context is needed.
	return New(context.Background(), Options{})
})

// Default returns the engine of the embedded library, compiled once per process and shared.
func Default() (*Engine, error) { return defaultEngine() }

// New compiles the embedded library, plus opts.ExtraDir when set, into a prepared query.
func New(ctx context.Context, opts Options) (*Engine, error) {
	return newWith(ctx, opts, nil)
}

// newWith is New with each file edited by edit (nil: none); a file for which edit returns nil
// is left out.
func newWith(ctx context.Context, opts Options, edit func(name string, body []byte) []byte) (*Engine, error) {
	rs, err := embeddedSources()
	if err != nil {
		return nil, err
	}
	if opts.ExtraDir != "" {
		extra, err := dirSources(opts.ExtraDir)
		if err != nil {
			return nil, err
		}
		rs = append(rs, extra...)
	}
	if edit != nil {
		kept := rs[:0]
		for _, r := range rs {
			if r.body = edit(r.name, r.body); r.body != nil {
				kept = append(kept, r)
			}
		}
		rs = kept
	}
	g := guard{timeout: opts.Timeout, maxHeap: opts.MaxHeapBytes}
	if g.timeout <= 0 {
		g.timeout = DefaultTimeout
	}
	if g.maxHeap == 0 {
		g.maxHeap = DefaultMaxHeap
	}
	e, err := compile(ctx, rs, g)
	if err != nil {
		return nil, err
	}
	e.extraDir = opts.ExtraDir
	return e, nil
}

// NewVariant is New with some of the library's files edited before compiling: edit gets each
// file's name (as in the bundle: "data/jurisdictions/gdpr.json", "rego/…", "custom/…") and
// text and returns the text to compile, or nil to leave the file out (edit nil: none, as
// New). It serves what-if comparisons of a proposed change with the current library (the tests
// of Affects compare results under edited or removed jurisdiction documents).
func NewVariant(ctx context.Context, opts Options, edit func(name string, body []byte) []byte) (*Engine, error) {
	return newWith(ctx, opts, edit)
}

func embeddedSources() ([]source, error) {
	var out []source
	err := fs.WalkDir(bundleFS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if !strings.HasSuffix(p, ".rego") && !strings.HasSuffix(p, ".json") {
			return nil
		}
		b, err := bundleFS.ReadFile(p)
		if err != nil {
			return err
		}
		out = append(out, source{name: p, body: b})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read embedded policies: %w", err)
	}
	return out, nil
}

func dirSources(dir string) ([]source, error) {
	var out []source
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if !strings.HasSuffix(p, ".rego") && !strings.HasSuffix(p, ".json") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		out = append(out, source{name: "custom/" + filepath.ToSlash(rel), body: b})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read policies from %s: %w", dir, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("read policies from %s: no .rego or .json files", dir)
	}
	return out, nil
}

// parseModule parses a policy module of the bundle (Rego v1, with its METADATA).
func parseModule(name string, body []byte) (*ast.Module, error) {
	return ast.ParseModuleWithOpts(name, string(body), ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1})
}

func compile(ctx context.Context, srcs []source, g guard) (*Engine, error) {
	sort.Slice(srcs, func(a, b int) bool { return srcs[a].name < srcs[b].name })
	e := &Engine{modules: map[string]*ast.Module{}, tests: map[string][]byte{}, guard: g, sources: map[string][]byte{}}
	var jurisdictions, embeddedJurisdictions []Jurisdiction
	jurisdictionFiles := map[string]string{} // file name → jurisdiction id
	var catalog map[string]any
	var coverageFile []byte
	custom := map[string]any{}
	h := sha256.New()
	fmt.Fprintf(h, "engine\x00%d\x00", EngineVersion)
	var problems []string
	for _, s := range srcs {
		fmt.Fprintf(h, "%s\x00%d\x00", s.name, len(s.body))
		h.Write(s.body)
		isCustom := strings.HasPrefix(s.name, "custom/")
		if strings.HasSuffix(s.name, ".json") {
			e.dataFiles = append(e.dataFiles, s)
		}
		switch {
		case strings.HasSuffix(s.name, ".rego"):
			m, err := parseModule(s.name, s.body)
			if err != nil {
				problems = append(problems, err.Error())
				continue
			}
			pkg := strings.TrimPrefix(m.Package.Path.String(), "data.")
			if isCustom && (!strings.HasPrefix(pkg, customPackage) || strings.Contains(strings.TrimPrefix(pkg, customPackage), ".")) {
				problems = append(problems, fmt.Sprintf("%s: package %s: company rules must be in a package %s<name> (one level, e.g. piaflow.custom.acme)", s.name, pkg, customPackage))
				continue
			}
			if calls := deniedCalls(s.name, m); len(calls) > 0 {
				problems = append(problems, calls...)
				continue
			}
			e.hasCustom = e.hasCustom || isCustom
			if strings.HasSuffix(s.name, "_test.rego") {
				e.tests[s.name] = s.body
			} else {
				e.modules[s.name] = m
				e.sources[s.name] = s.body
			}
		case path.Base(path.Dir(s.name)) == "jurisdictions":
			j, err := ParseJurisdiction(s.body)
			if err != nil {
				problems = append(problems, fmt.Sprintf("%s: %v", s.name, err))
				continue
			}
			for _, p := range j.Validate() {
				problems = append(problems, fmt.Sprintf("%s: %s", s.name, p))
			}
			jurisdictions = append(jurisdictions, j)
			jurisdictionFiles[s.name] = j.ID
			if !isCustom {
				embeddedJurisdictions = append(embeddedJurisdictions, j)
			}
		case s.name == "data/catalog.json":
			if err := json.Unmarshal(s.body, &catalog); err != nil {
				problems = append(problems, fmt.Sprintf("%s: %v", s.name, err))
			}
		case s.name == "data/coverage.json":
			coverageFile = s.body
		case s.name == "data/cloud_regions.json":
			// read by the questionnaire validator, not by the rules.
		case isCustom:
			var v any
			if err := json.Unmarshal(s.body, &v); err != nil {
				problems = append(problems, fmt.Sprintf("%s: %v", s.name, err))
				continue
			}
			custom[strings.TrimSuffix(path.Base(s.name), ".json")] = v
		}
	}
	problems = append(problems, checkJurisdictionSet(jurisdictions)...)
	coverage, coverageProblems := loadCoverage(coverageFile)
	problems = append(problems, coverageProblems...)
	if len(problems) > 0 {
		return nil, fmt.Errorf("load policies: %s", strings.Join(problems, "; "))
	}
	e.digest = "sha256:" + hex.EncodeToString(h.Sum(nil))
	e.jurisdictions = jurisdictions
	js, err := toJSONValue(jurisdictions)
	if err != nil {
		return nil, err
	}
	countryIndex, adequacyIndex, err := indexJurisdictions(jurisdictions)
	if err != nil {
		return nil, err
	}
	e.data = map[string]any{"piaflow": map[string]any{
		"jurisdictions": js, "country_index": countryIndex, "adequacy_index": adequacyIndex, "catalog": catalog, "coverage_notes": coverage,
	}, "custom": custom}
	if err := addDPIALists(e.data, srcs); err != nil {
		return nil, err
	}

	e.compiler = ast.NewCompiler().WithCapabilities(Capabilities()).WithEnablePrintStatements(false)
	e.compiler.Compile(e.modules)
	if e.compiler.Failed() {
		return nil, fmt.Errorf("compile policies: %w", e.compiler.Errors)
	}
	if err := checkCustomFindings(e.modules); err != nil {
		return nil, err
	}
	q, err := rego.New(
		rego.Query(resultQuery+"; "+customFindingsQuery),
		rego.Compiler(e.compiler),
		rego.Store(inmem.NewFromObjectWithOpts(e.data, inmem.OptReturnASTValuesOnRead(true))),
		rego.GenerateJSON(keepAST),
	).PrepareForEval(ctx)
	if err != nil {
		return nil, fmt.Errorf("prepare policy query: %w", err)
	}
	e.query = q
	rules, err := catalogue(e.compiler)
	if err != nil {
		return nil, fmt.Errorf("load policies: %w", err)
	}
	e.rules = rules
	e.builtin = newBuiltinNames(rules, embeddedJurisdictions)
	if err := checkCustomRules(rules, e.builtin); err != nil {
		return nil, err
	}
	e.dates = newDateIndex(e.dataFiles, e.sources, e.compiler)
	if e.fingerprint, err = fingerprintOf(e.digest, srcs, jurisdictionFiles); err != nil {
		return nil, err
	}
	e.fingerprint.CustomReadsLaws = customReadsLaws(e.compiler)
	return e, nil
}

// indexJurisdictions builds the lookups the rules use instead of scanning every file: the
// jurisdictions covering each country, and each jurisdiction's adequacy decisions by destination.
func indexJurisdictions(js []Jurisdiction) (map[string][]string, any, error) {
	countries := map[string][]string{}
	adequacy := map[string]map[string][]Adequacy{}
	for _, j := range js {
		for _, c := range j.Countries {
			countries[c] = append(countries[c], j.ID)
		}
		byCountry := map[string][]Adequacy{}
		for _, a := range j.Transfer.Adequacy {
			for _, c := range a.Countries {
				byCountry[c] = append(byCountry[c], a)
			}
		}
		adequacy[j.ID] = byCountry
	}
	v, err := toJSONValue(adequacy)
	return countries, v, err
}

// checkCustomFindings requires every company `findings` rule to carry the METADATA a finding is
// built from (checked in full by catalogue).
func checkCustomFindings(mods map[string]*ast.Module) error {
	var problems []string
	for name, m := range mods {
		if !strings.HasPrefix(name, "custom/") {
			continue
		}
		for _, r := range m.Rules {
			if r.Head.Name.String() != "findings" && r.Head.Ref().String() != "findings" {
				continue
			}
			if len(r.Annotations) == 0 {
				problems = append(problems, fmt.Sprintf("%s:%d: a findings rule needs a METADATA block (title, related_resources, custom id, regime, ref, kind, severity, owner, action)", name, r.Location.Row))
			}
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return fmt.Errorf("load policies: %s", strings.Join(problems, "; "))
	}
	return nil
}

// checkJurisdictionSet refuses duplicate ids and two files of one regime in force on the same day.
func checkJurisdictionSet(js []Jurisdiction) []string {
	var problems []string
	seen := map[string]bool{}
	for a, j := range js {
		if seen[j.ID] {
			problems = append(problems, fmt.Sprintf("jurisdiction id %q is defined twice", j.ID))
		}
		seen[j.ID] = true
		for _, k := range js[a+1:] {
			if k.Regime == j.Regime && k.ID != j.ID && overlaps(j.Period, k.Period) {
				problems = append(problems, fmt.Sprintf("jurisdictions %s and %s (regime %s) are in force on the same days", j.ID, k.ID, j.Regime))
			}
		}
	}
	return problems
}

// overlaps reports whether two periods share a day.
func overlaps(a, b Period) bool {
	end := func(p Period) string {
		if p.EffectiveTo == "" {
			return "9999-12-31"
		}
		return p.EffectiveTo
	}
	return a.EffectiveFrom <= end(b) && b.EffectiveFrom <= end(a)
}

func toJSONValue(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode policy data: %w", err)
	}
	var out any
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	if err := d.Decode(&out); err != nil {
		return nil, fmt.Errorf("decode policy data: %w", err)
	}
	return out, nil
}

// Digest identifies the exact bundle: sha256 over EngineVersion and every file's name and bytes,
// company rules included.
func (e *Engine) Digest() string { return e.digest }

// Version is the policy library version.
func (e *Engine) Version() string { return Version }

// ErrNoResult means the policies produced no assessment (a rule error or a malformed input).
var ErrNoResult = errors.New("policies produced no result")

// Input builds the policies' input document from a questionnaire in JSON and the as-of date
// (YYYY-MM-DD), converted once to OPA's representation.
func Input(questionnaire []byte, asOf string) (ast.Value, error) {
	qv, err := ast.ValueFromReader(bytes.NewReader(questionnaire))
	if err != nil {
		return nil, fmt.Errorf("convert questionnaire: %w", err)
	}
	return InputValue(qv, asOf), nil
}

// InputValue builds the policies' input document from a questionnaire already in OPA's
// representation (the value Input converts its JSON to) and the as-of date (YYYY-MM-DD).
func InputValue(questionnaire ast.Value, asOf string) ast.Value {
	return ast.NewObject(
		ast.Item(ast.StringTerm("questionnaire"), ast.NewTerm(questionnaire)),
		ast.Item(ast.StringTerm("as_of"), ast.StringTerm(asOf)),
	)
}

// Evaluate runs the prepared query on a questionnaire (JSON) under the law in force on asOf
// (YYYY-MM-DD) and returns the result document as JSON. The evaluation is bounded by the
// engine's deadline and heap limit (Options), reads asOf as the current time, and fails when a
// company rule emits a finding under a built-in id or regime.
func (e *Engine) Evaluate(ctx context.Context, questionnaire []byte, asOf string) ([]byte, error) {
	day, err := parseAsOf(asOf)
	if err != nil {
		return nil, err
	}
	qv, err := ast.ValueFromReader(bytes.NewReader(questionnaire))
	if err != nil {
		return nil, fmt.Errorf("convert questionnaire: %w", err)
	}
	return e.evaluate(ctx, qv, day, asOf)
}

// EvaluateValue is Evaluate on a questionnaire already in OPA's representation (as
// ast.ValueFromReader reads its JSON), without the JSON round trip.
func (e *Engine) EvaluateValue(ctx context.Context, questionnaire ast.Value, asOf string) ([]byte, error) {
	day, err := parseAsOf(asOf)
	if err != nil {
		return nil, err
	}
	return e.evaluate(ctx, questionnaire, day, asOf)
}

// evaluate is Evaluate after its questionnaire was converted and asOf parsed (day).
func (e *Engine) evaluate(ctx context.Context, questionnaire ast.Value, day time.Time, asOf string) ([]byte, error) {
	input := InputValue(questionnaire, asOf)
	rs, err := e.guard.eval(ctx, e.query, day, rego.EvalParsedInput(input))
	if err != nil {
		return nil, fmt.Errorf("evaluate policies: %w", err)
	}
	if len(rs) == 0 || len(rs[0].Expressions) < 2 {
		return nil, ErrNoResult
	}
	if err := e.checkCustomFindings(rs[0].Expressions[1].Value); err != nil {
		return nil, err
	}
	b, err := resultJSON(rs[0].Expressions[0].Value)
	if err != nil {
		return nil, fmt.Errorf("encode policy result: %w", err)
	}
	return b, nil
}

// checkCustomFindings refuses company findings (the value of customFindingsQuery) emitted under
// a built-in id or regime, whatever their METADATA says.
func (e *Engine) checkCustomFindings(v any) error {
	if !e.hasCustom {
		return nil
	}
	v, err := asGo(v)
	if err != nil {
		return fmt.Errorf("convert company findings: %w", err)
	}
	fs, _ := v.([]any)
	var problems []string
	for _, f := range fs {
		m, _ := f.(map[string]any)
		id, _ := m["id"].(string)
		regime, _ := m["regime"].(string)
		if c := e.builtin.collision(id, regime); c != "" {
			problems = append(problems, c)
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return fmt.Errorf("evaluate policies: %s", strings.Join(slices.Compact(problems), "; "))
	}
	return nil
}

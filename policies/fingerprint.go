package policies

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// Fingerprint describes a policy bundle in parts, so that a later bundle can be compared with it
// (the server keeps it as JSON by Digest: a re-evaluation after a change of policies leaves the
// deployments the change cannot reach unevaluated, policies.Affects).
type Fingerprint struct {
	// Digest is the bundle's digest (Engine.Digest).
	Digest string `json:"digest"`
	// Core is the SHA-256 of everything but the jurisdiction documents: every module (embedded
	// and company rules), every other data document (catalogue, coverage notes, DPIA lists, cloud
	// regions, company data), the library's version and EngineVersion.
	Core string `json:"core"`
	// Jurisdictions are the jurisdiction documents (embedded and company jurisdictions/*.json),
	// by jurisdiction id.
	Jurisdictions map[string]JurisdictionPrint `json:"jurisdictions"`
	// CustomReadsLaws says why company rules may read the jurisdiction documents other than
	// through the countries they name (customReadsLaws), "" when they cannot (and in
	// fingerprints stored before it was kept): Affects then lets no change of a jurisdiction
	// document pass.
	CustomReadsLaws string `json:"custom_reads_laws,omitempty"`
}

// JurisdictionPrint is one jurisdiction document's digest and the countries it names.
type JurisdictionPrint struct {
	// Digest is the SHA-256 of the document as read.
	Digest string `json:"digest"`
	// Countries are every ISO 3166-1 code the document names anywhere (its own countries,
	// adequacy decisions, exemptions, …), sorted, unique.
	Countries []string `json:"countries"`
}

// Fingerprint is the engine's bundle in parts (computed once, at load).
func (e *Engine) Fingerprint() Fingerprint { return e.fingerprint }

// Affects reports whether a questionnaire naming countries (assessments.Questionnaire.Countries)
// can get another result under policies to than under policies from, with the reason (English,
// for logs) when it can. It cannot only when the bundles differ in the documents of
// jurisdictions both hold, and none of those documents names one of the countries before or
// after the change (every rule reads a jurisdiction's document only for the countries it
// names: data.piaflow.country_index, the adequacy decisions by destination); anything else
// reaches every questionnaire: a changed rule or other data (Core), a jurisdiction added or
// removed (the coverage texts count the library's laws), and any change of the jurisdiction
// documents when company rules may read them otherwise (CustomReadsLaws, of either bundle: a
// fingerprint stored before it was kept lacks it). Equal digests: false.
func Affects(from, to Fingerprint, countries []string) (bool, string) {
	if from.Digest == to.Digest {
		return false, ""
	}
	if from.Core == "" || from.Core != to.Core {
		return true, "the rules or the data other than the jurisdictions changed"
	}
	if why := cmp.Or(from.CustomReadsLaws, to.CustomReadsLaws); why != "" {
		return true, "the jurisdiction documents changed and company rules read the law documents: " + why
	}
	for _, id := range slices.Sorted(maps.Keys(from.Jurisdictions)) {
		if _, ok := to.Jurisdictions[id]; !ok {
			return true, fmt.Sprintf("jurisdiction %s was removed", id)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(to.Jurisdictions)) {
		before, ok := from.Jurisdictions[id]
		after := to.Jurisdictions[id]
		if !ok {
			return true, fmt.Sprintf("jurisdiction %s was added", id)
		}
		if before.Digest == after.Digest {
			continue
		}
		for _, c := range countries {
			if slices.Contains(before.Countries, c) || slices.Contains(after.Countries, c) {
				return true, fmt.Sprintf("jurisdiction %s changed and names %s", id, c)
			}
		}
	}
	return false, ""
}

// fingerprintOf computes the fingerprint of a bundle's sources (sorted by name) with digest;
// jurisdictions maps a jurisdiction document's name to its id.
func fingerprintOf(digest string, srcs []source, jurisdictions map[string]string) (Fingerprint, error) {
	fp := Fingerprint{Digest: digest, Jurisdictions: map[string]JurisdictionPrint{}}
	core := sha256.New()
	fmt.Fprintf(core, "version\x00%s\x00engine\x00%d\x00", Version, EngineVersion)
	for _, s := range srcs {
		id, ok := jurisdictions[s.name]
		if !ok {
			fmt.Fprintf(core, "%s\x00%d\x00", s.name, len(s.body))
			core.Write(s.body)
			continue
		}
		var doc any
		if err := json.Unmarshal(s.body, &doc); err != nil {
			return fp, fmt.Errorf("fingerprint %s: %w", s.name, err)
		}
		named := map[string]bool{}
		namedCountries(doc, named)
		sum := sha256.Sum256(s.body)
		fp.Jurisdictions[id] = JurisdictionPrint{Digest: "sha256:" + hex.EncodeToString(sum[:]), Countries: sortedSet(named)}
	}
	fp.Core = "sha256:" + hex.EncodeToString(core.Sum(nil))
	return fp, nil
}

// lawDocuments are the data documents built from the jurisdiction documents.
var lawDocuments = []string{"jurisdictions", "country_index", "adequacy_index"}

// customReadsLaws says why the company rules (modules under custom/) may read the jurisdiction
// documents in ways Affects cannot follow, or "" when they cannot: a rule naming one of the
// documents built from them (data.piaflow.jurisdictions, country_index, adequacy_index), data
// or data.piaflow as a whole or by a computed key (refReadsLaws), or any built-in rule or
// function that depends on one of those (the compiler's dependency graph, transitively: the
// facts about the laws that apply, the coverage texts, every finding). Conservative on purpose:
// a company rule reading the laws only through the questionnaire's countries is not told apart.
func customReadsLaws(c *ast.Compiler) string {
	return customReads(c, refReadsLaws, func(r ast.Ref) bool { return refReadsLaws(r) != "" })
}

// refReadsLaws reports the ref r (in a compiled module: imports resolved) when it may read a
// document built from the jurisdiction documents.
func refReadsLaws(r ast.Ref) string {
	if len(r) == 0 || r[0].Value.Compare(ast.DefaultRootDocument.Value) != 0 {
		return ""
	}
	if len(r) < 2 {
		return r.String()
	}
	root, ok := r[1].Value.(ast.String)
	if !ok {
		return r.String()
	}
	if root != "piaflow" {
		return "" // data.custom: company data
	}
	if len(r) < 3 {
		return r.String()
	}
	doc, ok := r[2].Value.(ast.String)
	if !ok || slices.Contains(lawDocuments, string(doc)) {
		return r.String()
	}
	return ""
}

// namedCountries adds every string of v that is an ISO 3166-1 code to named.
func namedCountries(v any, named map[string]bool) {
	switch v := v.(type) {
	case map[string]any:
		for _, x := range v {
			namedCountries(x, named)
		}
	case []any:
		for _, x := range v {
			namedCountries(x, named)
		}
	case string:
		if c := strings.ToUpper(v); len(c) == 2 {
			if _, ok := countryNames[c]; ok {
				named[c] = true
			}
		}
	}
}

func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

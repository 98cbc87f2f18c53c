package i18n_test

import (
	"bufio"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/i18n"
	"github.com/piaflow/piaflow/policies"
)

// citeRef is one citation the engine can emit, with the regime it is cited under and where it
// was found.
type citeRef struct {
	regime, where string
	cit           assessments.Citation
}

// TestCitationsChinese: every citation ref of the policy data, of the rules' METADATA and of
// the goldens renders in zh-CN without English words (Issue 14): the laws and guidance are
// named in Chinese, their articles and sections as 第…条/节; codes and abbreviations stay.
func TestCitationsChinese(t *testing.T) {
	zh := mustLoad(t).Get(i18n.SimplifiedChinese)
	refs := dataCitations(t, "../policies/data")
	refs = append(refs, dataCitations(t, "../assessments/testdata/golden")...)
	refs = append(refs, regoCitations(t, "../policies/rego")...)
	if len(refs) < 100 {
		t.Fatalf("only %d citations found", len(refs))
	}
	withRegime := map[string]bool{}
	for _, r := range refs {
		if r.regime != "" {
			withRegime[r.cit.Ref] = true
		}
	}
	seen := map[string]bool{}
	var bad []string
	for _, r := range refs {
		if r.regime == "" && withRegime[r.cit.Ref] {
			continue // a golden's copy of a citation the data cites under its regime
		}
		key := r.regime + "\x00" + r.cit.Ref + "\x00" + r.cit.RefZh
		if seen[key] {
			continue
		}
		seen[key] = true
		got := zh.CitationRef(r.regime, r.cit)
		if w := englishWords(got); len(w) > 0 {
			bad = append(bad, r.where+" ["+r.regime+"] "+r.cit.Ref+"\n      → "+got+"\n      English: "+strings.Join(w, " "))
		}
	}
	slices.Sort(bad)
	for _, b := range bad {
		t.Errorf("%s", b)
	}
	t.Logf("%d distinct citations, %d with English words", len(seen), len(bad))
}

var (
	urlRE  = regexp.MustCompile(`https?://\S+`)
	wordRE = regexp.MustCompile(`[A-Za-z]+`)
	// romanRE: sub-item numbers (ii), (iv) are not words.
	romanRE = regexp.MustCompile(`^[ivxl]+$`)
)

// englishWords lists the words of s with two or more lower-case Latin letters, outside URLs:
// abbreviations (GDPR, WP248, ND-CP) and numbers are not English words.
func englishWords(s string) []string {
	var out []string
	for _, w := range wordRE.FindAllString(urlRE.ReplaceAllString(s, ""), -1) {
		n := 0
		for _, r := range w {
			if r >= 'a' && r <= 'z' {
				n++
			}
		}
		if n >= 2 && !romanRE.MatchString(w) && w != "piaflow" && w != "docs" && w != "md" && w != "policies" {
			out = append(out, w)
		}
	}
	return out
}

func TestEnglishWords(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"《通用数据保护条例》（GDPR）第44(1)条", nil},
		{"WP248、CJEU C-311/18、Decree 13/2023/ND-CP No. 5", []string{"Decree"}},
		{"见 https://eur-lex.europa.eu/legal-content/EN 第3条", nil},
		{"ICO guidance", []string{"guidance"}},
		{"第164.308(a)(7)(ii)(A)节", nil},
	} {
		if got := englishWords(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("englishWords(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// dataCitations walks every JSON file under dir and returns each "citation" object, under the
// regime of its nearest enclosing object with a "regime" field, map key that is a regime id, or
// (for a jurisdiction file) the file's regime.
func dataCitations(t *testing.T, dir string) []citeRef {
	t.Helper()
	regimes := policies.RegimeIDs()
	var out []citeRef
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".json" {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		regime := ""
		if base := strings.TrimSuffix(filepath.Base(path), ".json"); slices.Contains(regimes, base) {
			regime = base
		}
		var walk func(v any, regime string)
		walk = func(v any, regime string) {
			switch x := v.(type) {
			case map[string]any:
				if r, ok := x["regime"].(string); ok && slices.Contains(regimes, r) {
					regime = r
				}
				for k, e := range x {
					r := regime
					if slices.Contains(regimes, k) {
						r = k
					}
					if c, ok := e.(map[string]any); ok && k == "citation" {
						cit := assessments.Citation{}
						cit.Ref, _ = c["ref"].(string)
						cit.RefZh, _ = c["ref_zh"].(string)
						cit.URL, _ = c["url"].(string)
						if cit.Ref != "" {
							out = append(out, citeRef{regime: r, where: filepath.Base(path), cit: cit})
						}
						continue
					}
					walk(e, r)
				}
			case []any:
				for _, e := range x {
					walk(e, regime)
				}
			}
		}
		walk(v, regime)
		return nil
	})
	if err != nil {
		t.Fatalf("walk %s: %v", dir, err)
	}
	return out
}

// regoCitations returns the custom ref of every METADATA block of the rules under dir, with
// the block's regime.
func regoCitations(t *testing.T, dir string) []citeRef {
	t.Helper()
	var out []citeRef
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".rego") || strings.HasSuffix(path, "_test.rego") {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		var regime, ref string
		in := false
		flush := func() {
			if ref != "" {
				out = append(out, citeRef{regime: regime, where: filepath.Base(path), cit: assessments.Citation{Ref: ref}})
			}
			regime, ref, in = "", "", false
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.TrimSpace(line) == "# METADATA":
				flush()
				in = true
			case !strings.HasPrefix(line, "#"):
				flush()
			case in && strings.HasPrefix(line, "#   regime: "):
				regime = strings.TrimSpace(strings.TrimPrefix(line, "#   regime: "))
			case in && strings.HasPrefix(line, "#   ref: "):
				ref = strings.TrimSpace(strings.TrimPrefix(line, "#   ref: "))
			}
		}
		flush()
		return sc.Err()
	})
	if err != nil {
		t.Fatalf("walk %s: %v", dir, err)
	}
	return out
}

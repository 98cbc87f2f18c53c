package policies

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestJurisdictionFiles checks every shipped jurisdiction file: strict decoding, vocabulary,
// country codes, citations, dates, unique ids and non-overlapping periods per regime.
func TestJurisdictionFiles(t *testing.T) {
	paths, err := filepath.Glob("data/jurisdictions/*.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) < 20 {
		t.Fatalf("want at least 20 jurisdiction files, have %d", len(paths))
	}
	ids := map[string]string{}
	byRegime := map[string][]Jurisdiction{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		j, err := ParseJurisdiction(b)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		for _, problem := range j.Validate() {
			t.Errorf("%s: %s", p, problem)
		}
		if want := strings.TrimSuffix(filepath.Base(p), ".json"); j.ID != want {
			t.Errorf("%s: id %q, want the file name %q", p, j.ID, want)
		}
		if other, dup := ids[j.ID]; dup {
			t.Errorf("%s: id %q also in %s", p, j.ID, other)
		}
		ids[j.ID] = p
		byRegime[j.Regime] = append(byRegime[j.Regime], j)
	}
	for regime, js := range byRegime {
		for a := range js {
			for b := a + 1; b < len(js); b++ {
				if overlaps(js[a].Period, js[b].Period) {
					t.Errorf("regime %s: %s and %s are in force on the same days", regime, js[a].ID, js[b].ID)
				}
			}
		}
	}
}

// officialHosts are the legislatures', gazettes', regulators' and courts' sites (and their
// official translations) a citation may point at without "secondary": true.
var officialHosts = []string{
	"europa.eu", "legislation.gov.uk", "ico.org.uk", "admin.ch", "cac.gov.cn", "gov.cn", "npc.gov.cn.cdurl.cn",
	"ppc.go.jp", "japaneselawtranslation.go.jp", "elaw.klri.re.kr", "rbi.org.in", "meity.gov.in", "indiacode.nic.in",
	"cert-in.org.in", "ecfr.gov", "planalto.gov.br", "in.gov.br", "sso.agc.gov.sg", "kvkk.gov.tr", "gov.za",
	"ndpc.gov.ng", "odpc.go.ke", "sdaia.gov.sa", "justice.gc.ca", "mdes.go.th", "bpk.go.id", "privacy.gov.ph",
	"legislation.gov.au", "oaic.gov.au", "pdp.gov.my", "unctad.org", "oag.ca.gov", "ftc.gov",
}

func officialHost(u string) bool {
	p, err := url.Parse(u)
	if err != nil {
		return false
	}
	h := p.Hostname()
	for _, o := range officialHosts {
		if h == o || strings.HasSuffix(h, "."+o) {
			return true
		}
	}
	return false
}

// TestCitationsOfficialOrMarked: every citation of the shipped data points at an official source
// or says it is secondary.
func TestCitationsOfficialOrMarked(t *testing.T) {
	paths, err := filepath.Glob("data/jurisdictions/*.json")
	if err != nil {
		t.Fatal(err)
	}
	paths = append(paths, "data/coverage.json")
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var doc any
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		walkCitations(doc, "", func(path, u string, secondary bool) {
			if !secondary && !officialHost(u) {
				t.Errorf("%s: %s: %s is not an official source: mark the citation \"secondary\": true", p, path, u)
			}
		})
	}
}

func walkCitations(v any, path string, f func(path, url string, secondary bool)) {
	switch x := v.(type) {
	case map[string]any:
		if u, ok := x["url"].(string); ok {
			if _, isCitation := x["ref"]; isCitation {
				sec, _ := x["secondary"].(bool)
				f(path, u, sec)
				if zh, ok := x["url_zh"].(string); ok {
					f(path+".url_zh", zh, sec)
				}
			}
		}
		for k, c := range x {
			walkCitations(c, path+"."+k, f)
		}
	case []any:
		for i, c := range x {
			walkCitations(c, fmt.Sprintf("%s[%d]", path, i), f)
		}
	}
}

// TestChineseCitationsInChinese: every citation of the Chinese jurisdiction names its provision
// in Chinese (ref_zh: the official name, articles in Chinese numerals) and every citation of the
// PIPL's English NPC translation links the NPC's Chinese text too.
func TestChineseCitationsInChinese(t *testing.T) {
	b, err := os.ReadFile("data/jurisdictions/cn_pipl.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	var n int
	var walk func(v any, path string)
	walk = func(v any, path string) {
		switch x := v.(type) {
		case map[string]any:
			if ref, ok := x["ref"].(string); ok {
				n++
				zh, _ := x["ref_zh"].(string)
				switch {
				case !strings.HasPrefix(zh, "《"):
					t.Errorf("%s: %q has no ref_zh naming the law in Chinese (got %q)", path, ref, zh)
				case strings.ContainsAny(zh, "0123456789"):
					t.Errorf("%s: ref_zh %q: article numbers of Chinese laws are written in Chinese numerals", path, zh)
				}
				if u, _ := x["url"].(string); strings.Contains(u, "en.npc.gov.cn") {
					if zu, _ := x["url_zh"].(string); !strings.HasPrefix(zu, "http://www.npc.gov.cn/") {
						t.Errorf("%s: %q links the English NPC text without url_zh (the Chinese one)", path, ref)
					}
				}
			}
			for k, c := range x {
				walk(c, path+"."+k)
			}
		case []any:
			for i, c := range x {
				walk(c, fmt.Sprintf("%s[%d]", path, i))
			}
		}
	}
	walk(doc, "")
	if n < 20 {
		t.Errorf("found %d citations in cn_pipl.json; the walk is broken", n)
	}
}

package policies

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestUncertainData: the entries of a data file a lawyer must still confirm, whatever its layout:
// objects with a confirm member (text or true), citations marked secondary, and strings that say
// they need confirming — except those of an entry already marked.
func TestUncertainData(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		want       []Uncertain
	}{
		{"Nothing", `{"a": {"text": "Confirm the processor signed the contract."}, "notes": ["fine"]}`, nil},
		{"ConfirmField", "{\n \"transfer\": {\n  \"tiers\": [\n   {\"id\": \"t\", \"text\": \"x; confirm\", \"confirm\": \"Check the threshold.\"}\n  ]\n }\n}",
			[]Uncertain{{Kind: "data", Line: 4, Path: "transfer.tiers[0]", Marker: MarkConfirm, Text: "Check the threshold."}}},
		{"ConfirmTrue", `{"x": [{"confirm": true}]}`, []Uncertain{{Kind: "data", Line: 1, Path: "x[0]", Marker: MarkConfirm, Text: "(marked confirm)"}}},
		{"EmptyConfirm", `{"x": {"confirm": " ", "n": 1.5, "b": null}}`, nil},
		{"Secondary", "{\"scope\": {\"why\": \"w\",\n \"citation\": {\"ref\": \"s.3\", \"url\": \"https://firm.example/s3\", \"secondary\": true}}}",
			[]Uncertain{{Kind: "data", Line: 2, Path: "scope.citation", Marker: MarkSecondary, Text: "s.3 — https://firm.example/s3"}}},
		{"SecondaryFalse", `{"citation": {"ref": "s.3", "url": "https://gov.example/s3", "secondary": false}}`, nil},
		{"Texts", "{\"notes\": [\n\"Recalled; confirm.\",\n\"Official.\",\n\"Cited via a secondary summary.\"],\n \"dpo\": [{\"text\": \"Details to confirm.\"}]}",
			[]Uncertain{
				{Kind: "data", Line: 2, Path: "notes[0]", Marker: MarkText, Text: "Recalled; confirm."},
				{Kind: "data", Line: 4, Path: "notes[2]", Marker: MarkText, Text: "Cited via a secondary summary."},
				{Kind: "data", Line: 5, Path: "dpo[0].text", Marker: MarkText, Text: "Details to confirm."},
			}},
		{"TopLevelConfirm", `{"confirm": "The whole list."}`, []Uncertain{{Kind: "data", Line: 1, Path: "", Marker: MarkConfirm, Text: "The whole list."}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := uncertainData([]byte(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
	if _, err := uncertainData([]byte(`{"a": [1, 2}`)); err == nil {
		t.Error("broken JSON: no error")
	}
}

// TestEngineUncertain: the library lists its uncertain rules and data entries with the file a
// person opens; a company rule marked in METADATA (custom.confirm or custom.needs_review) and a
// company data file's marked entry are listed under the company directory.
func TestEngineUncertain(t *testing.T) {
	dir := t.TempDir()
	rule := strings.Replace(probe("false"), "#   action: Nothing\n", "#   action: Nothing\n#   needs_review: the SEC-9 wording is being revised\n", 1)
	for name, body := range map[string]string{
		"acme.rego":          rule,
		"acme_register.json": "{\"register\": [\n{\"id\": \"sec-9\", \"confirm\": \"Ask the CISO.\"}]}",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	e, err := New(context.Background(), Options{ExtraDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.Uncertain()
	if err != nil {
		t.Fatal(err)
	}
	var company []Uncertain
	for _, u := range got {
		if strings.HasPrefix(u.File, dir) {
			company = append(company, u)
		} else if !strings.HasPrefix(u.File, "policies/") || u.Line == 0 || u.Text == "" {
			t.Errorf("library entry %+v", u)
		}
	}
	want := []Uncertain{
		{Kind: "data", File: filepath.Join(dir, "acme_register.json"), Line: 2, Path: "register[0]", Marker: MarkConfirm, Text: "Ask the CISO."},
		{Kind: "rule", File: filepath.Join(dir, "acme.rego"), Line: 3, Path: "ACME-PROBE", Marker: MarkConfirm, Text: "the SEC-9 wording is being revised"},
	}
	if !reflect.DeepEqual(company, want) {
		t.Errorf("company entries\n got  %+v\n want %+v", company, want)
	}
	if r, ok := e.Rule("ACME-PROBE"); !ok || r.Confirm != "the SEC-9 wording is being revised" {
		t.Errorf("rule %+v", r)
	}
}

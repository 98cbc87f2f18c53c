package policies

import (
	"maps"
	"slices"
	"strings"
	"testing"
)

// TestJurisdictionTexts: the keys name list items by id, else by index, map entries by their
// key; only the texts at DataTextFields are taken (not notes, codes or vocabulary).
func TestJurisdictionTexts(t *testing.T) {
	const file = `{"id": "xx_law", "name": "Not taken", "notes": ["Not taken"], "scope": {"why": "Scope.", "subjects_requires": ["Not taken"]},
	 "localisation": [{"id": "loc_a", "text": "Loc A."}],
	 "transfer": {"text": "Transfer.", "citation": {"ref": "Not taken"},
	  "tiers": [{"id": "t1", "text": "Tier 1.", "verdict": "Not taken",
	   "mechanism_filings": {"standard_contract": {"filing": "filed", "text": "Filing."}}}],
	  "adequacy": [{"countries": ["DE"], "note": "Note 0."}, {"countries": ["JP"], "note": "Note 1.", "recipient": {"text": "Recipient 1."}}]}}`
	got := map[string]string{}
	if err := jurisdictionTexts([]byte(file), got); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"data.xx_law.scope.why":                                                  "Scope.",
		"data.xx_law.localisation.loc_a.text":                                    "Loc A.",
		"data.xx_law.transfer.text":                                              "Transfer.",
		"data.xx_law.transfer.tiers.t1.text":                                     "Tier 1.",
		"data.xx_law.transfer.tiers.t1.mechanism_filings.standard_contract.text": "Filing.",
		"data.xx_law.transfer.adequacy.0.note":                                   "Note 0.",
		"data.xx_law.transfer.adequacy.1.note":                                   "Note 1.",
		"data.xx_law.transfer.adequacy.1.recipient.text":                         "Recipient 1.",
	}
	if !maps.Equal(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
	if err := jurisdictionTexts([]byte(`{"transfer": {"text": "x"}}`), got); err == nil {
		t.Error("a file without id was accepted")
	}
	if err := jurisdictionTexts([]byte(file), got); err == nil || !strings.Contains(err.Error(), "defined twice") {
		t.Errorf("the same file twice: %v", err)
	}
}

// TestDataTexts: the embedded files give texts for every jurisdiction's transfer rule.
func TestDataTexts(t *testing.T) {
	data, err := DataTexts()
	if err != nil {
		t.Fatal(err)
	}
	js, err := embedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range js {
		if data[DataTextPrefix+j.ID+".transfer.text"] != j.Transfer.Text {
			t.Errorf("%s: transfer text missing", j.ID)
		}
		for _, l := range j.Localisation {
			if data[DataTextPrefix+j.ID+".localisation."+l.ID+".text"] != l.Text {
				t.Errorf("%s: localisation %s missing", j.ID, l.ID)
			}
		}
	}
	if keys := slices.Collect(maps.Keys(data)); len(keys) < len(js) {
		t.Errorf("%d texts for %d files", len(keys), len(js))
	}
}

// TestCatalogTexts: the catalogue's onward-transfer notes are data texts keyed
// data.catalog.<path>, each law's by its regime; its other texts are not taken.
func TestCatalogTexts(t *testing.T) {
	const file = `{"notes": ["Not taken"], "onward_transfers": {"default": {"text": "Default."},
	 "regimes": {"gdpr": {"text": "GDPR.", "mechanisms": ["contract"], "confirm": "Not taken"}}, "confirm": "Not taken"}}`
	got := map[string]string{}
	if err := catalogTexts([]byte(file), got); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"data.catalog.onward_transfers.default.text":      "Default.",
		"data.catalog.onward_transfers.regimes.gdpr.text": "GDPR.",
	}
	if !maps.Equal(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
	data, err := DataTexts()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(data["data.catalog.onward_transfers.default.text"], "piaflow applies") {
		t.Errorf("embedded default onward note missing: %q", data["data.catalog.onward_transfers.default.text"])
	}
}

// TestDPIAListTexts: every list's authority and every item's text of dpia_lists.json are data
// texts under data.dpia_lists.<list>.…, and nothing else of the file (instrument, confirm).
func TestDPIAListTexts(t *testing.T) {
	data, err := DataTexts()
	if err != nil {
		t.Fatal(err)
	}
	lists, err := EmbeddedDPIALists()
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, l := range lists.Lists {
		if got := data[DPIAListTextKey(l.ID, "")+"authority"]; got != l.Authority {
			t.Errorf("%s: authority %q, want %q", l.ID, got, l.Authority)
		}
		for _, it := range l.Items {
			if got := data[DPIAListTextKey(l.ID, it.ID)]; got != it.Text {
				t.Errorf("%s.%s: text %q, want %q", l.ID, it.ID, got, it.Text)
			}
		}
		want += 1 + len(l.Items)
	}
	n := 0
	for k := range data {
		if strings.HasPrefix(k, DataTextPrefix+"dpia_lists.") {
			n++
		}
	}
	if n != want || want < 200 {
		t.Errorf("%d DPIA list texts, want %d (one authority per list, one text per item)", n, want)
	}
	if got := DPIAListTextKey("it_garante", "biometric"); got != "data.dpia_lists.it_garante.items.biometric.text" {
		t.Errorf("DPIAListTextKey = %q", got)
	}
}

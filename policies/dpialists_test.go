package policies

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestDPIAListsFile checks the shipped lists: strict decoding, vocabulary, conditions, citations.
func TestDPIAListsFile(t *testing.T) {
	d, err := EmbeddedDPIALists()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range d.Validate() {
		t.Error(p)
	}
	var ids []string
	for _, l := range d.Lists {
		ids = append(ids, l.ID)
	}
	slices.Sort(ids)
	want := []string{"at_dsb", "at_dsb_combined", "be_apd", "bg_cpdp", "de_dsk", "dk_datatilsynet", "es_aepd", "es_aepd_exempt", "fi_tietosuoja", "fr_cnil", "fr_cnil_exempt", "gr_hdpa", "hr_azop", "hu_naih", "ie_dpc", "is_personuvernd", "it_garante", "li_dss", "lt_vdai", "lu_cnpd", "lv_dvi", "mt_idpc", "nl_ap", "no_datatilsynet", "pl_uodo", "pt_cnpd", "ro_anspdcp", "se_imy", "si_iprs", "sk_uoou", "uk_ico"}
	if !slices.Equal(ids, want) {
		t.Errorf("lists %v, want %v", ids, want)
	}
	// a country is either encoded or noted as not encoded, never both
	encoded := map[string]bool{}
	for _, l := range d.Lists {
		for _, c := range l.Countries {
			encoded[c] = true
		}
	}
	for _, n := range d.Notes {
		if encoded[n.Country] {
			t.Errorf("notes: %s has a list and a note", n.Country)
		}
	}
	var noted []string
	for _, n := range d.Notes {
		noted = append(noted, n.Country)
	}
	slices.Sort(noted)
	if want := []string{"CY", "CZ", "EE"}; !slices.Equal(noted, want) {
		t.Errorf("notes for %v, want the lists not encoded recorded: %v", noted, want)
	}
}

// TestDPIAListsInPolicyData: the engine hands the lists to the policies under
// data.piaflow.dpia_lists.
func TestDPIAListsInPolicyData(t *testing.T) {
	e, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	piaflow, _ := e.data["piaflow"].(map[string]any)
	lists, _ := piaflow["dpia_lists"].(map[string]any)
	got, _ := lists["lists"].([]any)
	if len(got) != 31 {
		t.Fatalf("data.piaflow.dpia_lists.lists has %d lists, want 31", len(got))
	}
	first, _ := got[0].(map[string]any)
	cit, _ := first["citation"].(map[string]any)
	if first["id"] != "uk_ico" || cit["url"] == nil {
		t.Errorf("first list %v: want uk_ico with its citation URL", first)
	}
}

func validList() DPIAList {
	yes := true
	return DPIAList{
		ID: "xx", Regime: "gdpr", Countries: []string{"NL"}, Authority: "AP", Instrument: "Besluit",
		Effect: "required", Match: "any_item",
		Citation: DPIACitation{Citation: Citation{Ref: "AP list", URL: "https://example.org/list"}},
		Items:    []DPIAListItem{{ID: "a", Text: "A", When: DPIACondition{LargeScale: &yes}}},
	}
}

func TestDPIAListsValidate(t *testing.T) {
	yes, two, one := true, 2, 1
	tests := []struct {
		name   string
		change func(l *DPIAList)
		want   string
	}{
		{"Valid", func(*DPIAList) {}, ""},
		{"ErrRegime", func(l *DPIAList) { l.Regime = "cn_pipl" }, `lists[0].regime: "cn_pipl" is not gdpr or uk_gdpr`},
		{"ErrEffect", func(l *DPIAList) { l.Effect = "maybe" }, `lists[0].effect: "maybe" is not one of required, likely, exempt`},
		{"ErrMatch", func(l *DPIAList) { l.Match = "three" }, `lists[0].match: "three" is not one of any_item, two_or_more`},
		{"ErrExemptTwoOrMore", func(l *DPIAList) { l.Effect, l.Match = "exempt", "two_or_more" }, "lists[0].match: an exemption list matches any_item"},
		{"ErrCountry", func(l *DPIAList) { l.Countries = []string{"XX"} }, `lists[0].countries[0]: "XX" is not an ISO 3166-1 alpha-2 code`},
		{"ErrNoCountry", func(l *DPIAList) { l.Countries = nil }, "lists[0].countries: needs at least one country"},
		{"ErrCitationURL", func(l *DPIAList) { l.Citation.URL = "ftp://x" }, `lists[0].citation.url: "ftp://x" is not an http(s) URL`},
		{"ErrNoItems", func(l *DPIAList) { l.Items = nil }, "lists[0].items: needs at least one item"},
		{"ErrDuplicateItem", func(l *DPIAList) { l.Items = append(l.Items, l.Items[0]) }, `lists[0].items[1].id: "a" is used twice in the list`},
		{"ErrEmptyCondition", func(l *DPIAList) { l.Items[0].When = DPIACondition{} }, "lists[0].items[0].when: is empty: an item must name the answers it matches"},
		{"ErrCategory", func(l *DPIAList) { l.Items[0].When.CategoriesAny = []string{"dna"} }, `lists[0].items[0].when.categories_any[0]: "dna" is not one of`},
		{"ErrLegalBasis", func(l *DPIAList) { l.Items[0].When.LegalBasesAny = []string{"whim"} }, `lists[0].items[0].when.legal_bases_any[0]: "whim" is not one of`},
		{"ErrEmployees", func(l *DPIAList) { l.Items[0].When.MinEmployees, l.Items[0].When.MaxEmployees = &two, &one }, "lists[0].items[0].when.max_employees: is below min_employees"},
		{"ErrOneAlternative", func(l *DPIAList) {
			l.Items[0].When.WhenAny = []DPIACondition{{LargeScale: &yes}}
		}, "lists[0].items[0].when.when_any: needs at least two alternatives"},
		{"ErrNestedWhenAny", func(l *DPIAList) {
			inner := DPIACondition{WhenAny: []DPIACondition{{LargeScale: &yes}, {LargeScale: &yes}}}
			l.Items[0].When.WhenAny = []DPIACondition{inner, {LargeScale: &yes}}
		}, "lists[0].items[0].when.when_any[0].when_any: when_any does not nest"},
		{"ErrEmptyAlternative", func(l *DPIAList) {
			l.Items[0].When.WhenAny = []DPIACondition{{}, {LargeScale: &yes}}
		}, "lists[0].items[0].when.when_any[0]: is empty"},
		{"ErrWP248Self", func(l *DPIAList) { l.Items[0].MinOtherWP248, l.Items[0].WP248Self = 1, []string{"biometrics"} }, `lists[0].items[0].wp248_self[0]: "biometrics" is not a WP248 criterion`},
		{"ErrWP248SelfAlone", func(l *DPIAList) { l.Items[0].WP248Self = []string{"sensitive_data"} }, "lists[0].items[0].wp248_self: has no effect without min_other_wp248"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := validList()
			tt.change(&l)
			problems := DPIALists{Lists: []DPIAList{l}}.Validate()
			if tt.want == "" {
				if len(problems) > 0 {
					t.Errorf("problems %v, want none", problems)
				}
				return
			}
			if !slices.ContainsFunc(problems, func(p string) bool { return strings.HasPrefix(p, tt.want) }) {
				t.Errorf("problems %v, want one starting with %q", problems, tt.want)
			}
		})
	}
}

func TestDPIAListsValidateSetLevel(t *testing.T) {
	problems := DPIALists{
		Lists: []DPIAList{validList(), validList()},
		Notes: []DPIAListNote{{Country: "ZZ"}},
	}.Validate()
	for _, want := range []string{
		`lists[1].id: "xx" is used twice`,
		`notes[0].country[0]: "ZZ" is not an ISO 3166-1 alpha-2 code`,
		"notes[0].authority: is required",
		"notes[0].text: is required",
	} {
		if !slices.Contains(problems, want) {
			t.Errorf("problems %v lack %q", problems, want)
		}
	}
	if p := (DPIALists{}).Validate(); !slices.Contains(p, "lists: needs at least one list") {
		t.Errorf("empty document: problems %v", p)
	}
}

func TestParseDPIAListsStrict(t *testing.T) {
	if _, err := ParseDPIALists([]byte(`{"lists": [{"id": "x", "effects": "required"}]}`)); err == nil || !strings.Contains(err.Error(), `unknown field "effects"`) {
		t.Errorf("err = %v, want the unknown field named", err)
	}
	if _, err := ParseDPIALists([]byte(`{"lists": [{"items": [{"when": {"large_scale": "yes"}}]}]}`)); err == nil {
		t.Error("a string for a yes/no answer decoded")
	}
}

func TestAddDPIALists(t *testing.T) {
	valid, err := json.Marshal(DPIALists{Lists: []DPIAList{validList()}})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("Adds", func(t *testing.T) {
		data := map[string]any{"piaflow": map[string]any{}}
		if err := addDPIALists(data, []source{{name: dpiaListsFile, body: valid}}); err != nil {
			t.Fatal(err)
		}
		if _, ok := data["piaflow"].(map[string]any)["dpia_lists"]; !ok {
			t.Error("data.piaflow.dpia_lists not set")
		}
	})
	t.Run("ErrMissing", func(t *testing.T) {
		err := addDPIALists(map[string]any{"piaflow": map[string]any{}}, nil)
		if err == nil || !strings.Contains(err.Error(), "data/dpia_lists.json is missing") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		err := addDPIALists(map[string]any{"piaflow": map[string]any{}}, []source{{name: dpiaListsFile, body: []byte(`{"lists": []}`)}})
		if err == nil || !strings.Contains(err.Error(), "data/dpia_lists.json: lists: needs at least one list") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("ErrDecode", func(t *testing.T) {
		err := addDPIALists(map[string]any{"piaflow": map[string]any{}}, []source{{name: dpiaListsFile, body: []byte(`{`)}})
		if err == nil || !strings.Contains(err.Error(), "decode DPIA lists") {
			t.Errorf("err = %v", err)
		}
	})
}

func TestDPIAListsConfirms(t *testing.T) {
	d, err := EmbeddedDPIALists()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, c := range d.Confirms() {
		got[c.Path] = c.Entry
		if c.What == "" {
			t.Errorf("%s: empty confirm text", c.Path)
		}
	}
	// every secondary citation is listed, and so is the note on the Czech list
	secondary := 0
	for i, l := range d.Lists {
		if !l.Citation.Secondary {
			continue
		}
		secondary++
		if got[fmt.Sprintf("lists[%d].citation", i)] != l.ID {
			t.Errorf("%s: secondary citation not listed", l.ID)
		}
	}
	if secondary == 0 {
		t.Error("no list cites a secondary source; the IE, ES and FR lists do")
	}
	if got["notes[0]"] != "CZ" {
		t.Errorf("confirms %v lack the note on the Czech list", got)
	}
}

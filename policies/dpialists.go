package policies

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// dpiaListsFile is the bundle path of the supervisory authorities' DPIA lists.
const dpiaListsFile = "data/dpia_lists.json"

// DPIALists is policies/data/dpia_lists.json: the lists of kinds of processing that require a
// DPIA (GDPR Art. 35(4)) or do not (Art. 35(5)), published by supervisory authorities, as data.
// The DPIA rules (rules/dpia) read them under data.piaflow.dpia_lists: one item that holds for
// an activity makes a DPIA required (or, for a two_or_more list, two items), an exemption item
// makes it not required, for the controllers the list applies to.
type DPIALists struct {
	Lists []DPIAList `json:"lists"`
	// Notes records countries whose lists are not encoded, and why.
	Notes []DPIAListNote `json:"notes,omitempty"`
}

// DPIAList is one supervisory authority's list.
type DPIAList struct {
	// ID is the list's unique key, e.g. "nl_ap" or "fr_cnil_exempt".
	ID string `json:"id"`
	// Regime is the law the list belongs to: gdpr or uk_gdpr.
	Regime string `json:"regime"`
	// Countries are the countries whose controllers the list binds (a controller established
	// there; for a controller the law reaches only through its people, Art. 3(2), the countries
	// where those people are).
	Countries []string `json:"countries"`
	Authority string   `json:"authority"`
	// Instrument names the act that adopted the list and its date.
	Instrument string `json:"instrument"`
	// Effect is what a match means: required (Art. 35(4): a DPIA is required), likely (the list
	// says "in most cases") or exempt (Art. 35(5): no DPIA is required).
	Effect string `json:"effect"`
	// Match is any_item (one item suffices) or two_or_more (two items must hold for the same
	// activity).
	Match    string       `json:"match"`
	Citation DPIACitation `json:"citation"`
	// Confirm says what was not verified against the official text.
	Confirm string         `json:"confirm,omitempty"`
	Items   []DPIAListItem `json:"items"`
	// NotEncoded lists the items that need an answer the questionnaire does not hold; they never
	// make a DPIA required or not required.
	NotEncoded []string `json:"not_encoded,omitempty"`
}

// DPIACitation is a citation that may point at a secondary source (a reproduction by a law
// firm or a journal) where the official text was not available.
type DPIACitation struct {
	Citation
	Secondary bool `json:"secondary,omitempty"`
}

// DPIAListItem is one kind of processing on a list, mapped to questionnaire answers.
type DPIAListItem struct {
	ID   string `json:"id"`
	Text string `json:"text"`
	// When is the condition on one activity's answers.
	When DPIACondition `json:"when"`
	// MinOtherWP248 is the number of WP248 criteria the activity must meet besides those in
	// WP248Self ("combined with any other criterion of WP248").
	MinOtherWP248 int      `json:"min_other_wp248,omitempty"`
	WP248Self     []string `json:"wp248_self,omitempty"`
	Confirm       string   `json:"confirm,omitempty"`
}

// DPIACondition restricts a list item to one activity's answers. Every key that is set must
// hold (logical AND); WhenAny holds when one of its conditions holds (one level, no nesting).
type DPIACondition struct {
	// CategoriesAny holds when the activity processes one of these data categories.
	CategoriesAny []string `json:"categories_any,omitempty"`
	// SubjectTypesAny holds when a data-subject group of the activity has one of these types;
	// SubjectTypesOnly when every group has one of them.
	SubjectTypesAny  []string `json:"subject_types_any,omitempty"`
	SubjectTypesOnly []string `json:"subject_types_only,omitempty"`
	// SectorsAny and CustomerTypesAny test deployment.sector and deployment.customer_type.
	SectorsAny       []string `json:"sectors_any,omitempty"`
	CustomerTypesAny []string `json:"customer_types_any,omitempty"`
	// LegalBasesAny holds when the activity's legal basis is one of these.
	LegalBasesAny []string `json:"legal_bases_any,omitempty"`
	// The activity's yes/no answers; an unanswered public_area_monitoring counts as false, an
	// unanswered collected_directly holds for neither value.
	LargeScale              *bool `json:"large_scale,omitempty"`
	SystematicMonitoring    *bool `json:"systematic_monitoring,omitempty"`
	AutomatedDecisions      *bool `json:"automated_decisions,omitempty"`
	DecisionsLegalEffect    *bool `json:"decisions_legal_effect,omitempty"`
	EvaluationOrScoring     *bool `json:"evaluation_or_scoring,omitempty"`
	CombinesDatasets        *bool `json:"combines_datasets,omitempty"`
	InnovativeTechnology    *bool `json:"innovative_technology,omitempty"`
	PreventsRightsOrService *bool `json:"prevents_rights_or_service,omitempty"`
	PublicAreaMonitoring    *bool `json:"public_area_monitoring,omitempty"`
	CollectedDirectly       *bool `json:"collected_directly,omitempty"`
	// Vulnerable holds when a group is vulnerable by its answer or its type (WP248 criterion 7);
	// VulnerableFlag only by its answer (data_subjects[].vulnerable).
	Vulnerable     *bool `json:"vulnerable,omitempty"`
	VulnerableFlag *bool `json:"vulnerable_flag,omitempty"`
	// MinEmployees and MaxEmployees bound deployment.customer_employees (unanswered: no match).
	MinEmployees *int `json:"min_employees,omitempty"`
	MaxEmployees *int `json:"max_employees,omitempty"`
	// WhenAny holds when one of these conditions holds.
	WhenAny []DPIACondition `json:"when_any,omitempty"`
}

// DPIAListNote records a country whose list is not (yet) encoded.
type DPIAListNote struct {
	Country   string `json:"country"`
	Authority string `json:"authority"`
	Text      string `json:"text"`
	Confirm   string `json:"confirm,omitempty"`
}

// DPIAListConfirm is one entry of the lists marked "confirm": what to check, where.
type DPIAListConfirm struct {
	// Path is the entry's JSON path in dpia_lists.json, e.g. "lists[2].items[0]".
	Path string `json:"path"`
	// Entry names the list and item, e.g. "nl_ap/credit_scores".
	Entry string `json:"entry"`
	What  string `json:"what"`
}

// wp248Criteria are the criterion ids of the WP248 screening (rules/dpia).
var wp248Criteria = []string{
	"evaluation_scoring", "automated_decision", "systematic_monitoring", "sensitive_data", "large_scale",
	"matching_combining", "vulnerable_subjects", "innovative_technology", "prevents_rights",
}

// ParseDPIALists decodes dpia_lists.json strictly (unknown fields are errors).
func ParseDPIALists(b []byte) (DPIALists, error) {
	var l DPIALists
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l); err != nil {
		return l, fmt.Errorf("decode DPIA lists: %w", err)
	}
	return l, nil
}

// EmbeddedDPIALists returns the DPIA lists shipped with the library.
func EmbeddedDPIALists() (DPIALists, error) {
	b, err := bundleFS.ReadFile(dpiaListsFile)
	if err != nil {
		return DPIALists{}, fmt.Errorf("read %s: %w", dpiaListsFile, err)
	}
	return ParseDPIALists(b)
}

// Validate checks the lists' ids, regimes, countries, vocabulary, conditions and citations and
// returns every problem found, each prefixed with its field path.
func (d DPIALists) Validate() []string {
	v := &checker{}
	if len(d.Lists) == 0 {
		v.add("lists", "needs at least one list")
	}
	seen := map[string]bool{}
	for i, l := range d.Lists {
		p := fmt.Sprintf("lists[%d]", i)
		v.nonEmpty(p+".id", l.ID)
		if seen[l.ID] {
			v.add(p+".id", fmt.Sprintf("%q is used twice", l.ID))
		}
		seen[l.ID] = true
		if !slices.Contains([]string{"gdpr", "uk_gdpr"}, l.Regime) {
			v.add(p+".regime", fmt.Sprintf("%q is not gdpr or uk_gdpr", l.Regime))
		}
		v.countries(p+".countries", l.Countries, true)
		v.nonEmpty(p+".authority", l.Authority)
		v.nonEmpty(p+".instrument", l.Instrument)
		if !slices.Contains([]string{"required", "likely", "exempt"}, l.Effect) {
			v.add(p+".effect", fmt.Sprintf("%q is not one of required, likely, exempt", l.Effect))
		}
		if !slices.Contains([]string{"any_item", "two_or_more"}, l.Match) {
			v.add(p+".match", fmt.Sprintf("%q is not one of any_item, two_or_more", l.Match))
		}
		if l.Effect == "exempt" && l.Match != "any_item" {
			v.add(p+".match", "an exemption list matches any_item")
		}
		v.citation(p+".citation", l.Citation.Citation)
		if len(l.Items) == 0 {
			v.add(p+".items", "needs at least one item")
		}
		items := map[string]bool{}
		for k, it := range l.Items {
			ip := fmt.Sprintf("%s.items[%d]", p, k)
			v.nonEmpty(ip+".id", it.ID)
			if items[it.ID] {
				v.add(ip+".id", fmt.Sprintf("%q is used twice in the list", it.ID))
			}
			items[it.ID] = true
			v.nonEmpty(ip+".text", it.Text)
			v.dpiaCondition(ip+".when", it.When, true)
			if it.MinOtherWP248 < 0 {
				v.add(ip+".min_other_wp248", "must not be negative")
			}
			for s, id := range it.WP248Self {
				if !slices.Contains(wp248Criteria, id) {
					v.add(fmt.Sprintf("%s.wp248_self[%d]", ip, s), fmt.Sprintf("%q is not a WP248 criterion (%s)", id, strings.Join(wp248Criteria, ", ")))
				}
			}
			if len(it.WP248Self) > 0 && it.MinOtherWP248 == 0 {
				v.add(ip+".wp248_self", "has no effect without min_other_wp248")
			}
		}
	}
	for i, n := range d.Notes {
		p := fmt.Sprintf("notes[%d]", i)
		v.countries(p+".country", []string{n.Country}, true)
		v.nonEmpty(p+".authority", n.Authority)
		v.nonEmpty(p+".text", n.Text)
	}
	slices.Sort(v.problems)
	return v.problems
}

// dpiaCondition checks one condition; top is false inside when_any (no nesting, no empty
// alternative).
func (c *checker) dpiaCondition(path string, w DPIACondition, top bool) {
	c.enums(path+".categories_any", "data_category", w.CategoriesAny)
	c.enums(path+".subject_types_any", "subject_type", w.SubjectTypesAny)
	c.enums(path+".subject_types_only", "subject_type", w.SubjectTypesOnly)
	c.enums(path+".sectors_any", "sector", w.SectorsAny)
	c.enums(path+".customer_types_any", "customer_type", w.CustomerTypesAny)
	c.enums(path+".legal_bases_any", "legal_basis", w.LegalBasesAny)
	if w.MinEmployees != nil && *w.MinEmployees < 0 || w.MaxEmployees != nil && *w.MaxEmployees < 0 {
		c.add(path, "employee counts must not be negative")
	}
	if w.MinEmployees != nil && w.MaxEmployees != nil && *w.MinEmployees > *w.MaxEmployees {
		c.add(path+".max_employees", "is below min_employees")
	}
	if !top && len(w.WhenAny) > 0 {
		c.add(path+".when_any", "when_any does not nest")
	}
	if top && len(w.WhenAny) == 1 {
		c.add(path+".when_any", "needs at least two alternatives")
	}
	for i, alt := range w.WhenAny {
		c.dpiaCondition(fmt.Sprintf("%s.when_any[%d]", path, i), alt, false)
	}
	b, err := json.Marshal(w)
	if err != nil || string(b) == "{}" {
		c.add(path, "is empty: an item must name the answers it matches")
	}
}

// Confirms lists every list and item marked "confirm" or cited from a secondary source, for
// `piaflow policies list --uncertain`.
func (d DPIALists) Confirms() []DPIAListConfirm {
	var out []DPIAListConfirm
	for i, l := range d.Lists {
		p := fmt.Sprintf("lists[%d]", i)
		if l.Confirm != "" {
			out = append(out, DPIAListConfirm{Path: p, Entry: l.ID, What: l.Confirm})
		}
		if l.Citation.Secondary {
			out = append(out, DPIAListConfirm{Path: p + ".citation", Entry: l.ID, What: "cited from a secondary source: " + l.Citation.URL})
		}
		for k, it := range l.Items {
			if it.Confirm != "" {
				out = append(out, DPIAListConfirm{Path: fmt.Sprintf("%s.items[%d]", p, k), Entry: l.ID + "/" + it.ID, What: it.Confirm})
			}
		}
	}
	for i, n := range d.Notes {
		if n.Confirm != "" {
			out = append(out, DPIAListConfirm{Path: fmt.Sprintf("notes[%d]", i), Entry: n.Country, What: n.Confirm})
		}
	}
	return out
}

// addDPIALists validates the bundle's dpia_lists.json and adds it to the policy data under
// data.piaflow.dpia_lists (policies/engine.go calls it once per compile).
func addDPIALists(data map[string]any, srcs []source) error {
	i := slices.IndexFunc(srcs, func(s source) bool { return s.name == dpiaListsFile })
	if i < 0 {
		return fmt.Errorf("load policies: %s is missing", dpiaListsFile)
	}
	d, err := ParseDPIALists(srcs[i].body)
	if err != nil {
		return fmt.Errorf("load policies: %s: %w", dpiaListsFile, err)
	}
	if problems := d.Validate(); len(problems) > 0 {
		return fmt.Errorf("load policies: %s: %s", dpiaListsFile, strings.Join(problems, "; "))
	}
	v, err := toJSONValue(d)
	if err != nil {
		return err
	}
	piaflow, ok := data["piaflow"].(map[string]any)
	if !ok {
		return fmt.Errorf("load policies: no piaflow data to add %s to", dpiaListsFile)
	}
	piaflow["dpia_lists"] = v
	ix, err := toJSONValue(d.index())
	if err != nil {
		return err
	}
	piaflow["dpia_list_index"] = ix
	return nil
}

// dpiaListIndex is data.piaflow.dpia_list_index, built once per compile so that an evaluation
// joins on it instead of walking every list: ByCountry maps a country to the indexes (in
// Lists) of the lists that bind its controllers; Held maps a regime to the countries whose
// Art. 35(4) list (effect required or likely) the library holds.
type dpiaListIndex struct {
	ByCountry map[string][]int    `json:"by_country"`
	Held      map[string][]string `json:"held"`
}

func (d DPIALists) index() dpiaListIndex {
	ix := dpiaListIndex{ByCountry: map[string][]int{}, Held: map[string][]string{}}
	for k, l := range d.Lists {
		for _, c := range l.Countries {
			ix.ByCountry[c] = append(ix.ByCountry[c], k)
			if l.Effect != "exempt" && !slices.Contains(ix.Held[l.Regime], c) {
				ix.Held[l.Regime] = append(ix.Held[l.Regime], c)
			}
		}
	}
	return ix
}

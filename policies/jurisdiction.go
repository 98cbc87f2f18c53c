package policies

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"
)

// regimeID is the form of a regime id: a lower-case ISO country code and the instrument.
var regimeID = regexp.MustCompile(`^[a-z]{2}_[a-z0-9_]+$`)

// Citation points at the legal text a rule or a fact comes from.
type Citation struct {
	// Ref names the provision, e.g. "PIPL Art. 38".
	Ref string `json:"ref"`
	// URL links to the official text (or the best public copy of it).
	URL string `json:"url"`
	// Secondary marks a source that is not the official text or a regulator's, legislature's or
	// gazette's page (a law firm's summary, an unofficial reproduction): used only where no
	// official text could be found, and shown as such.
	Secondary bool `json:"secondary,omitempty"`
	// RefZh names the provision in Chinese where the law is Chinese: its official name and
	// article in Chinese numerals (《中华人民共和国个人信息保护法》第三十八条). Readers of other
	// laws get a Chinese name built from Ref (i18n.Localizer.Cite).
	RefZh string `json:"ref_zh,omitempty"`
	// URLZh links to the official Chinese text when URL is another language's (the NPC's
	// Chinese page of a law whose URL is its English translation).
	URLZh string `json:"url_zh,omitempty"`
}

// Condition restricts when a tier, localisation rule, DPO or DPIA rule applies. Every key that is
// set must hold (logical AND); an empty condition always holds. The policies evaluate it per
// processing activity, for the data subjects located in (or citizens of) the jurisdiction.
type Condition struct {
	// CategoriesAny holds when the activity processes any of these data categories.
	CategoriesAny []string `json:"categories_any,omitempty"`
	// Sensitive holds when the activity processes a category this jurisdiction treats as sensitive.
	Sensitive *bool `json:"sensitive,omitempty"`
	// SectorsAny holds when deployment.sector is one of these.
	SectorsAny []string `json:"sectors_any,omitempty"`
	// CustomerTypesAny holds when deployment.customer_type is one of these.
	CustomerTypesAny []string `json:"customer_types_any,omitempty"`
	// SubjectTypesAny holds when a data-subject group of the jurisdiction has one of these types.
	SubjectTypesAny []string `json:"subject_types_any,omitempty"`
	// CriticalInfrastructure holds when deployment.critical_infrastructure equals it.
	CriticalInfrastructure *bool `json:"critical_infrastructure,omitempty"`
	// ImportantData holds when the activity's important_data equals it.
	ImportantData *bool `json:"important_data,omitempty"`
	// Citizens holds when the jurisdiction's own citizens are among the data subjects.
	Citizens *bool `json:"citizens,omitempty"`
	// Located holds when some of the activity's data subjects are located in the jurisdiction.
	Located *bool `json:"located,omitempty"`
	// MinSubjects holds when the data subjects of the jurisdiction, summed over the deployment's
	// activities that leave the country, reach this number ("N or more", "以上").
	MinSubjects int `json:"min_subjects,omitempty"`
	// MinSensitiveSubjects is MinSubjects counted only over activities with sensitive data.
	MinSensitiveSubjects int `json:"min_sensitive_subjects,omitempty"`
	// MinNonsensitiveSubjects is MinSubjects counted only over activities with some data the
	// jurisdiction does not treat as sensitive (e.g. the CAC Provisions' "personal information,
	// excluding sensitive personal information").
	MinNonsensitiveSubjects int `json:"min_nonsensitive_subjects,omitempty"`
	// MoreThanSubjects and MoreThanSensitiveSubjects hold when the count exceeds the number
	// ("more than N": N itself does not).
	MoreThanSubjects          int `json:"more_than_subjects,omitempty"`
	MoreThanSensitiveSubjects int `json:"more_than_sensitive_subjects,omitempty"`
	// LargeScale holds when the activity is large scale (piaflow's large-scale threshold).
	LargeScale *bool `json:"large_scale,omitempty"`
	// SystematicMonitoring holds when the activity monitors people systematically.
	SystematicMonitoring *bool `json:"systematic_monitoring,omitempty"`
	// CoreActivity holds when the activity is a core activity of the customer.
	CoreActivity *bool `json:"core_activity,omitempty"`
	// AutomatedDecisions holds when the activity takes solely automated decisions.
	AutomatedDecisions *bool `json:"automated_decisions,omitempty"`
	// CrossBorder holds when the activity's data leaves the jurisdiction (hosting or transfer).
	CrossBorder *bool `json:"cross_border,omitempty"`
	// Foreign holds when the customer (controller) is not established in the jurisdiction.
	Foreign *bool `json:"foreign,omitempty"`
	// DestinationAdequate (tiers only) holds when the destination is adequate for this jurisdiction.
	DestinationAdequate *bool `json:"destination_adequate,omitempty"`
	// CollectedOutside true holds when activities[].collected_in is answered and names none of the
	// jurisdiction's countries; false when it names one. An unanswered collected_in holds neither.
	CollectedOutside *bool `json:"collected_outside,omitempty"`
	// CollectedOrLocated true holds when the activity's collected_in names one of the
	// jurisdiction's countries or some of its people are located there (where the people are is
	// read as where their data is collected); false when neither (e.g. 152-FZ Art. 18(5):
	// localisation "at collection").
	CollectedOrLocated *bool `json:"collected_or_located,omitempty"`
}

// Period bounds the dates on which a piece of law is in force. Dates are ISO 8601 (YYYY-MM-DD);
// an empty EffectiveTo means "still in force".
type Period struct {
	EffectiveFrom string `json:"effective_from,omitempty"`
	EffectiveTo   string `json:"effective_to,omitempty"`
}

// Scope says when a jurisdiction's law applies to a deployment.
type Scope struct {
	// Establishment: the law applies when the customer (the controller) is established there.
	Establishment bool `json:"establishment"`
	// Subjects: the law applies when data subjects are located there.
	Subjects bool `json:"subjects"`
	// Citizens: the law applies when data subjects are citizens of the country, wherever they are.
	// A reason based on citizenship alone stays conditional until deployment.scope_confirmed
	// answers it (the laws that claim citizens abroad are disputed or only secondary sources
	// were found).
	Citizens bool `json:"citizens"`
	// SubjectsRequires (required when Subjects is true) says what, besides people located in the
	// country, makes the law reach a customer established elsewhere: [] — their location
	// suffices; "targeting" — offering them goods or services (activities[].targeted_countries);
	// "monitoring" — monitoring their behaviour (activities[].monitored_countries); with both,
	// either suffices; ["review"] — the law states no test, a lawyer answers
	// deployment.scope_confirmed. Until answered, the law's findings are conditional.
	SubjectsRequires []string `json:"subjects_requires,omitempty"`
	// VendorEstablishment: the law also applies when the vendor is established in the country and
	// processes the data (as processor, controller or joint controller): `true` (GDPR Art. 3(1)
	// for a processor established in the Union; the GDPR package decides the capacity), or an
	// object naming how certainly the law reaches a processor established there and the duties
	// that bind it as processor, with citations (the national laws).
	VendorEstablishment *VendorEstablishment `json:"vendor_establishment,omitempty"`
	// Collected: the law also applies to data collected in the country (activities[].collected_in
	// names it), wherever its people are now and wherever the customer is established (LGPD
	// Art. 3(III) and §1: the data subject was in Brazil at the time of collection).
	Collected *CollectedScope `json:"collected,omitempty"`
	// Why is the plain-language scope rule shown to users.
	Why      string   `json:"why"`
	Citation Citation `json:"citation"`
	Confirm  string   `json:"confirm,omitempty"`
}

// VendorEstablishment says whether a law reaches a vendor established in its country that
// processes the data, and, in its object form, how: a bare `true` in the file sets Simple.
type VendorEstablishment struct {
	// Simple is the bare `true` form (GDPR, UK GDPR).
	Simple bool `json:"-"`
	// Reach is "firm" when the text reaches a processor established there processing for a
	// foreign controller, "review" when a lawyer must confirm it
	// (deployment.scope_confirmed.<regime>).
	Reach string `json:"reach"`
	// Why is the plain-language reason, Citation the provision.
	Why      string   `json:"why"`
	Citation Citation `json:"citation"`
	// Duties are the duties that bind the vendor as processor under the law.
	Duties []ProcessorDuty `json:"duties"`
	// Exports: a vendor established there holding the data in the country exports under the
	// law what it sends or makes available abroad (the law's transfer rules apply to it), per
	// vendor role: `true` for every role, or the object form naming firm / review per role.
	Exports *VendorExports `json:"exports,omitempty"`
	Confirm string         `json:"confirm,omitempty"`
}

// CollectedScope says how certainly a law reaches data collected in its country.
type CollectedScope struct {
	// Reach is "firm" when the text makes collection there enough, "review" when a lawyer must
	// confirm it (deployment.scope_confirmed.<regime>).
	Reach    string   `json:"reach"`
	Why      string   `json:"why"`
	Citation Citation `json:"citation"`
	Confirm  string   `json:"confirm,omitempty"`
}

// VendorExports says, per vendor role, whether a vendor established in the country that holds
// the data there is the exporter of what it sends or makes available abroad: "firm" (the text
// makes it one), "review" (the text does not settle it: its transfer findings are reviews),
// "" (it is not). A bare `true` in the file makes every role a firm exporter.
type VendorExports struct {
	Controller      string   `json:"controller,omitempty"`
	JointController string   `json:"joint_controller,omitempty"`
	Processor       string   `json:"processor,omitempty"`
	Why             string   `json:"why,omitempty"`
	Citation        Citation `json:"citation,omitzero"`
	Confirm         string   `json:"confirm,omitempty"`
	// all is the bare `true` form.
	all bool
}

// UnmarshalJSON reads `true`, `false` or the object form, strictly.
func (x *VendorExports) UnmarshalJSON(b []byte) error {
	var flag bool
	if err := json.Unmarshal(b, &flag); err == nil {
		*x = VendorExports{all: flag}
		return nil
	}
	type plain VendorExports
	var p plain
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return fmt.Errorf("decode vendor_establishment.exports: %w", err)
	}
	*x = VendorExports(p)
	return nil
}

// MarshalJSON writes the bare form as a boolean and the object form as an object.
func (x VendorExports) MarshalJSON() ([]byte, error) {
	if x.Controller == "" && x.JointController == "" && x.Processor == "" {
		return json.Marshal(x.all)
	}
	type plain VendorExports
	return json.Marshal(plain(x))
}

// ProcessorDuty is one duty binding a processor under a law, with its citation.
type ProcessorDuty struct {
	Text     string   `json:"text"`
	Citation Citation `json:"citation"`
	Confirm  string   `json:"confirm,omitempty"`
}

// UnmarshalJSON reads `true`, `false` or the object form, strictly.
func (v *VendorEstablishment) UnmarshalJSON(b []byte) error {
	var flag bool
	if err := json.Unmarshal(b, &flag); err == nil {
		*v = VendorEstablishment{Simple: flag}
		return nil
	}
	type plain VendorEstablishment
	var p plain
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return fmt.Errorf("decode vendor_establishment: %w", err)
	}
	*v = VendorEstablishment(p)
	return nil
}

// MarshalJSON writes the bare form as a boolean and the object form as an object, so the
// policies read `true` or the object.
func (v VendorEstablishment) MarshalJSON() ([]byte, error) {
	if v.Reach == "" && len(v.Duties) == 0 {
		return json.Marshal(v.Simple)
	}
	type plain VendorEstablishment
	return json.Marshal(plain(v))
}

// Applies reports whether the law reaches a vendor established in its country.
func (v *VendorEstablishment) Applies() bool {
	return v != nil && (v.Simple || v.Reach != "")
}

// Adequacy lists destinations this jurisdiction recognises as adequate, in force for a period,
// optionally only for recipients holding a certification (e.g. EU-US Data Privacy Framework).
type Adequacy struct {
	Period
	Countries []string `json:"countries"`
	// RequiresCertification, when set, makes the decision cover only recipients that hold it
	// (transfers[].recipient_certifications or processors[].certifications).
	RequiresCertification string `json:"requires_certification,omitempty"`
	// Recipient, when set, narrows the decision to some recipients (e.g. Canada: organisations
	// subject to PIPEDA, not public bodies; Korea: not credit information of FSC-supervised
	// controllers; the US: the recipient's DPF certification must cover the data).
	Recipient *AdequacyRecipient `json:"recipient,omitempty"`
	Note      string             `json:"note,omitempty"`
	Citation  Citation           `json:"citation"`
	Confirm   string             `json:"confirm,omitempty"`
}

// AdequacyRecipient is the part of an adequacy decision's scope that depends on the recipient
// (transfers[].recipient_*, or the hosting site's processor). A fact the questionnaire does not
// give keeps the decision (never a blocker on a guess) and raises a review naming the field.
type AdequacyRecipient struct {
	// PublicBody false: public bodies are not covered.
	PublicBody *bool `json:"public_body,omitempty"`
	// SectorsNone with CategoriesNone: a recipient in one of these sectors receiving one of these
	// data categories is not covered (both must hold); SectorsNone alone excludes the sectors.
	SectorsNone    []string `json:"sectors_none,omitempty"`
	CategoriesNone []string `json:"categories_none,omitempty"`
	// CertificationData: the recipient's certification must cover the activity's kind of data
	// (hr: employees and job applicants; non_hr: the others), as the DPF List records it.
	CertificationData bool `json:"certification_data,omitempty"`
	// Text states the scope in words, for the transfer row and the review.
	Text string `json:"text"`
}

// Tier is one ordered rule of a jurisdiction's transfer regime; the first tier whose condition
// holds decides the verdict of a cross-border flow.
type Tier struct {
	Period
	ID   string    `json:"id"`
	When Condition `json:"when"`
	// Verdict is allowed | mechanism_required | approval_required | prohibited.
	Verdict string `json:"verdict"`
	// Mechanisms are the questionnaire mechanisms that satisfy the tier (empty: none needed).
	Mechanisms []string `json:"mechanisms,omitempty"`
	// Filing is the regulator_filing state the tier needs: "" | filed | approved.
	Filing string `json:"filing,omitempty"`
	// FilingWithinDays, when set, makes the filing a notice due that many calendar days after the
	// first transfer (e.g. Vietnam's dossier within 60 days): missing, it is a high finding
	// (TRANSFER-NOTICE-DUE) until that date and a blocker after it, not a go-live blocker.
	FilingWithinDays int `json:"filing_within_days,omitempty"`
	// MechanismFilings, keyed by one of Mechanisms, is the filing that mechanism needs instead of
	// Filing (e.g. the CAC standard contract: filed within 10 working days of taking effect, while
	// certification, the other route of the same tier, needs none).
	MechanismFilings map[string]FilingNeed `json:"mechanism_filings,omitempty"`
	// CumulativeExports: the tier counts the people the exporter provides abroad from the
	// jurisdiction cumulatively over a period (the CAC Provisions (2024) Art. 5(4), 7, 8: "since 1
	// January of the current year"), so the customer's other exports from its countries
	// (deployment.other_exports) are added to the deployment's counts when the customer exports.
	CumulativeExports bool     `json:"cumulative_exports,omitempty"`
	Text              string   `json:"text"`
	Citation          Citation `json:"citation"`
	// Confirm, when set, says what a lawyer must still check about this entry.
	Confirm string `json:"confirm,omitempty"`
}

// FilingNeed is the regulator filing one mechanism needs and its deadline.
type FilingNeed struct {
	// Filing is the regulator_filing state needed: filed | approved.
	Filing string `json:"filing"`
	// Within, when set, lets the filing follow the start: it is due Within days (Unit) after the
	// anchor (From). Without it the filing is needed before the transfer.
	Within int `json:"within,omitempty"`
	// Unit is days (calendar days, the default) or working_days (Monday to Friday; public
	// holidays are not counted out).
	Unit string `json:"unit,omitempty"`
	// From is the anchor: first_transfer (deployment.first_transfer_on, else go_live; the
	// default) or signed_on (the per-law mechanism entry's signature date).
	From string `json:"from,omitempty"`
	// Text explains the filing; Citation is its source when it differs from the tier's.
	Text     string    `json:"text,omitempty"`
	Citation *Citation `json:"citation,omitempty"`
	Confirm  string    `json:"confirm,omitempty"`
}

// Exemption is a local-law exemption a transfer may claim (transfers[].exemption).
type Exemption struct {
	Period
	ID       string   `json:"id"`
	Text     string   `json:"text"`
	Citation Citation `json:"citation"`
	Confirm  string   `json:"confirm,omitempty"`
}

// FactExemption is a local-law exemption that holds on the questionnaire's facts, without being
// claimed (e.g. CAC Provisions (2024) Art. 4: personal information collected abroad, processed in
// China and provided abroad again). The first in force whose condition holds for a flow allows
// it; the transfer exemption review asks legal to confirm.
type FactExemption struct {
	Period
	ID       string    `json:"id"`
	When     Condition `json:"when"`
	Text     string    `json:"text"`
	Citation Citation  `json:"citation"`
	Confirm  string    `json:"confirm,omitempty"`
}

// Transfer describes a jurisdiction's cross-border transfer regime.
type Transfer struct {
	// Default is the verdict when no tier matches and the destination is not adequate:
	// mechanism_required (most laws) or allowed (negative-list laws such as India's DPDP s.16).
	Default string `json:"default"`
	// Mechanisms satisfy the default verdict.
	Mechanisms []string `json:"mechanisms"`
	// Derogations are mechanisms meant for occasional transfers only (consent, derogation):
	// relied on for hosting or systematic access they raise a needs_review finding.
	Derogations []string    `json:"derogations,omitempty"`
	Adequacy    []Adequacy  `json:"adequacy,omitempty"`
	Restricted  []string    `json:"restricted_countries,omitempty"`
	Tiers       []Tier      `json:"tiers,omitempty"`
	Exemptions  []Exemption `json:"exemptions,omitempty"`
	Text        string      `json:"text"`
	Citation    Citation    `json:"citation"`
	// MechanismCertifications, keyed by mechanism, is the certification the recipient must hold
	// for that mechanism to count (e.g. APPI: certification means the recipient's APEC CBPR).
	MechanismCertifications map[string]string `json:"mechanism_certifications,omitempty"`
	// ExporterAnySubjects: an exporter established under the law (the customer, or the vendor
	// where scope.vendor_establishment holds) needs the law's transfer basis for everyone's data
	// it processes, not only for people located in the jurisdiction (GDPR Art. 44; EDPB
	// Guidelines 05/2021, criterion 1: the exporter is subject to the GDPR for the processing).
	ExporterAnySubjects bool `json:"exporter_any_subjects,omitempty"`
	// ExporterHeldData: a customer established under the law also exports, under the law's
	// transfer rules, the data of people outside the jurisdiction that it holds there (a hosting
	// site in its countries) when that data leaves it (PIPL Art. 3(1): processing within China,
	// whoever the people are; the CAC Provisions (2024) Art. 4 exempt such data collected abroad).
	ExporterHeldData bool `json:"exporter_held_data,omitempty"`
	// FactExemptions hold on the questionnaire's facts (see FactExemption).
	FactExemptions []FactExemption `json:"fact_exemptions,omitempty"`
	// ForeignExporter, when set, makes the transfer findings of an exporter the law reaches only
	// through its people (a controller established elsewhere, e.g. GDPR Art. 3(2)) needs_review
	// findings of high severity explained by this note, instead of violations.
	ForeignExporter *Note `json:"foreign_exporter,omitempty"`
}

// Note is a sourced explanation the rules attach to a finding.
type Note struct {
	Text     string   `json:"text"`
	Citation Citation `json:"citation"`
	Confirm  string   `json:"confirm,omitempty"`
}

// Localisation is a data-residency rule.
type Localisation struct {
	Period
	ID   string    `json:"id"`
	When Condition `json:"when"`
	// Requirement is one of:
	//   primary_in_country     the primary database (first collection) must be in the country;
	//   all_hosting_in_country every database filled at collection (replicas, backups) must be in
	//                          the country; later transfers follow the transfer rules;
	//   copy_in_country        at least one copy must be kept in the country;
	//   store_only_in_country  every stored copy must be in the country (processing abroad may be allowed);
	//   process_only_in_country the data may be neither stored nor processed nor accessed abroad,
	//                          unless the filing named lifts it;
	//   no_export              the data may not be stored, processed or accessed abroad without the
	//                          named authority's approval (Filing).
	Requirement string `json:"requirement"`
	// Instrument, when set, is the legal instrument the rule comes from when it is not the
	// jurisdiction's data-protection law (a central bank directive, a health data law): the rule's
	// localisation entry, its finding and a regimes[] entry carry the instrument's regime.
	Instrument *Instrument `json:"instrument,omitempty"`
	// Filing, when set (filed|approved), is the regulator_filing state that lifts a no_export rule
	// (e.g. a health authority's approval).
	Filing   string   `json:"filing,omitempty"`
	Text     string   `json:"text"`
	Citation Citation `json:"citation"`
	Confirm  string   `json:"confirm,omitempty"`
}

// Instrument is a law or regulation other than the jurisdiction's data-protection law.
type Instrument struct {
	// Regime is its regime id, <iso>_<instrument> (e.g. in_rbi_psd).
	Regime   string   `json:"regime"`
	Name     string   `json:"name"`
	Short    string   `json:"short"`
	Citation Citation `json:"citation"`
}

// Duty is one case of an obligation (DPO, DPIA, local representative): it applies when its
// condition holds for an activity with data subjects of the jurisdiction.
type Duty struct {
	Period
	ID   string    `json:"id"`
	When Condition `json:"when"`
	// Name is the local name of the duty (e.g. "PIPIA", "RIPD", "encarregado").
	Name     string   `json:"name,omitempty"`
	Text     string   `json:"text"`
	Citation Citation `json:"citation"`
	Confirm  string   `json:"confirm,omitempty"`
}

// Breach holds a jurisdiction's breach-notification deadline.
type Breach struct {
	// Hours is the deadline in hours when the law gives one (0: "without delay"/"immediately").
	Hours    int      `json:"hours"`
	Deadline string   `json:"deadline"`
	To       string   `json:"to"`
	Citation Citation `json:"citation"`
	// Confirm, when set, says what a lawyer must still check about this entry.
	Confirm string `json:"confirm,omitempty"`
}

// Jurisdiction is one data-protection law as data: the generic Rego rules read these files
// (policies/data/jurisdictions/*.json), so adding a country is a data change plus tests.
type Jurisdiction struct {
	Period
	// ID is the file's unique key (e.g. "vn_pdpd_2026"); Regime is the regime id reported
	// (e.g. "vn_pdpd"); two files may share a regime with non-overlapping periods.
	ID                  string         `json:"id"`
	Regime              string         `json:"regime"`
	Name                string         `json:"name"`
	Short               string         `json:"short"`
	Countries           []string       `json:"countries"`
	Regulator           string         `json:"regulator"`
	LastReviewed        string         `json:"last_reviewed"`
	Citation            Citation       `json:"citation"`
	Scope               Scope          `json:"scope"`
	SensitiveCategories []string       `json:"sensitive_categories"`
	Transfer            Transfer       `json:"transfer"`
	Localisation        []Localisation `json:"localisation,omitempty"`
	Breach              Breach         `json:"breach"`
	// DPO, DPIA and Representative list the cases in which the duty applies: any case whose
	// condition holds makes it required.
	DPO            []Duty `json:"dpo,omitempty"`
	DPIA           []Duty `json:"dpia,omitempty"`
	Representative []Duty `json:"representative,omitempty"`
	// Notes records what the data does not (yet) encode and what is uncertain.
	Notes []string `json:"notes,omitempty"`
}

// ParseJurisdiction decodes one jurisdiction file strictly (unknown fields are errors).
func ParseJurisdiction(b []byte) (Jurisdiction, error) {
	var j Jurisdiction
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return j, fmt.Errorf("decode jurisdiction: %w", err)
	}
	return j, nil
}

// Validate checks a jurisdiction's vocabulary, countries, dates and citations and returns every
// problem found, each prefixed with its field path.
func (j Jurisdiction) Validate() []string {
	v := &checker{}
	v.nonEmpty("id", j.ID)
	v.nonEmpty("regime", j.Regime)
	v.nonEmpty("name", j.Name)
	v.nonEmpty("short", j.Short)
	v.nonEmpty("regulator", j.Regulator)
	v.date("last_reviewed", j.LastReviewed, true)
	v.period("", j.Period)
	v.countries("countries", j.Countries, true)
	v.citation("citation", j.Citation)
	v.nonEmpty("scope.why", j.Scope.Why)
	v.citation("scope.citation", j.Scope.Citation)
	if !j.Scope.Establishment && !j.Scope.Subjects && !j.Scope.Citizens {
		v.add("scope", "at least one of establishment, subjects, citizens must be true")
	}
	if j.Scope.Subjects && j.Scope.SubjectsRequires == nil {
		v.add("scope.subjects_requires", "is required when subjects is true ([] when the people's location suffices)")
	}
	if !j.Scope.Subjects && len(j.Scope.SubjectsRequires) > 0 {
		v.add("scope.subjects_requires", "is only meaningful when subjects is true")
	}
	for i, r := range j.Scope.SubjectsRequires {
		if r != "targeting" && r != "monitoring" && r != "review" {
			v.add(fmt.Sprintf("scope.subjects_requires[%d]", i), fmt.Sprintf("%q is not one of targeting, monitoring, review", r))
		}
	}
	if slices.Contains(j.Scope.SubjectsRequires, "review") && len(j.Scope.SubjectsRequires) > 1 {
		v.add("scope.subjects_requires", "review stands alone")
	}
	if ve := j.Scope.VendorEstablishment; ve != nil && !ve.Simple {
		if ve.Reach != "firm" && ve.Reach != "review" {
			v.add("scope.vendor_establishment.reach", fmt.Sprintf("%q is not one of firm, review", ve.Reach))
		}
		v.nonEmpty("scope.vendor_establishment.why", ve.Why)
		v.citation("scope.vendor_establishment.citation", ve.Citation)
		if len(ve.Duties) == 0 {
			v.add("scope.vendor_establishment.duties", "at least one processor duty is required")
		}
		for i, d := range ve.Duties {
			p := fmt.Sprintf("scope.vendor_establishment.duties[%d]", i)
			v.nonEmpty(p+".text", d.Text)
			v.citation(p+".citation", d.Citation)
		}
		if x := ve.Exports; x != nil && !x.all {
			for _, r := range []struct{ role, reach string }{{"controller", x.Controller}, {"joint_controller", x.JointController}, {"processor", x.Processor}} {
				if r.reach != "" && r.reach != "firm" && r.reach != "review" {
					v.add("scope.vendor_establishment.exports."+r.role, fmt.Sprintf("%q is not one of firm, review", r.reach))
				}
			}
			v.nonEmpty("scope.vendor_establishment.exports.why", x.Why)
			v.citation("scope.vendor_establishment.exports.citation", x.Citation)
		}
	}
	if c := j.Scope.Collected; c != nil {
		if c.Reach != "firm" && c.Reach != "review" {
			v.add("scope.collected.reach", fmt.Sprintf("%q is not one of firm, review", c.Reach))
		}
		v.nonEmpty("scope.collected.why", c.Why)
		v.citation("scope.collected.citation", c.Citation)
	}

	v.enums("sensitive_categories", "data_category", j.SensitiveCategories)
	t := j.Transfer
	v.enum("transfer.default", "tier_verdict", t.Default)
	v.enums("transfer.mechanisms", "mechanism", t.Mechanisms)
	v.enums("transfer.derogations", "mechanism", t.Derogations)
	v.countries("transfer.restricted_countries", t.Restricted, false)
	v.nonEmpty("transfer.text", t.Text)
	v.citation("transfer.citation", t.Citation)
	for _, m := range slices.Sorted(maps.Keys(t.MechanismCertifications)) {
		p := "transfer.mechanism_certifications." + m
		v.enum(p, "mechanism", m)
		v.enum(p, "certification", t.MechanismCertifications[m])
	}
	if t.ForeignExporter != nil {
		v.nonEmpty("transfer.foreign_exporter.text", t.ForeignExporter.Text)
		v.citation("transfer.foreign_exporter.citation", t.ForeignExporter.Citation)
	}
	for i, a := range t.Adequacy {
		p := fmt.Sprintf("transfer.adequacy[%d]", i)
		v.period(p, a.Period)
		v.countries(p+".countries", a.Countries, true)
		if a.RequiresCertification != "" {
			v.enum(p+".requires_certification", "certification", a.RequiresCertification)
		}
		if r := a.Recipient; r != nil {
			v.nonEmpty(p+".recipient.text", r.Text)
			v.enums(p+".recipient.sectors_none", "sector", r.SectorsNone)
			v.enums(p+".recipient.categories_none", "data_category", r.CategoriesNone)
			if len(r.CategoriesNone) > 0 && len(r.SectorsNone) == 0 {
				v.add(p+".recipient.categories_none", "needs sectors_none")
			}
			if r.CertificationData && a.RequiresCertification == "" {
				v.add(p+".recipient.certification_data", "needs requires_certification")
			}
			if r.PublicBody != nil && *r.PublicBody {
				v.add(p+".recipient.public_body", "only false narrows a decision")
			}
		}
		v.citation(p+".citation", a.Citation)
	}
	for i, tr := range t.Tiers {
		p := fmt.Sprintf("transfer.tiers[%d]", i)
		v.nonEmpty(p+".id", tr.ID)
		v.period(p, tr.Period)
		v.condition(p+".when", tr.When)
		v.enum(p+".verdict", "tier_verdict", tr.Verdict)
		v.enums(p+".mechanisms", "mechanism", tr.Mechanisms)
		if tr.Filing != "" {
			v.enum(p+".filing", "filing", tr.Filing)
		}
		if tr.FilingWithinDays < 0 || (tr.FilingWithinDays > 0 && tr.Filing == "") {
			v.add(p+".filing_within_days", "must be positive and go with a filing")
		}
		for _, m := range slices.Sorted(maps.Keys(tr.MechanismFilings)) {
			v.filingNeed(fmt.Sprintf("%s.mechanism_filings.%s", p, m), m, tr.Mechanisms, tr.MechanismFilings[m])
		}
		v.nonEmpty(p+".text", tr.Text)
		v.citation(p+".citation", tr.Citation)
	}
	for i, e := range t.Exemptions {
		p := fmt.Sprintf("transfer.exemptions[%d]", i)
		v.enum(p+".id", "exemption", e.ID)
		v.period(p, e.Period)
		v.nonEmpty(p+".text", e.Text)
		v.citation(p+".citation", e.Citation)
	}
	for i, e := range t.FactExemptions {
		p := fmt.Sprintf("transfer.fact_exemptions[%d]", i)
		v.nonEmpty(p+".id", e.ID)
		v.period(p, e.Period)
		v.condition(p+".when", e.When)
		v.nonEmpty(p+".text", e.Text)
		v.citation(p+".citation", e.Citation)
	}
	for i, l := range j.Localisation {
		p := fmt.Sprintf("localisation[%d]", i)
		v.nonEmpty(p+".id", l.ID)
		v.period(p, l.Period)
		v.condition(p+".when", l.When)
		v.enum(p+".requirement", "requirement", l.Requirement)
		if l.Filing != "" {
			v.enum(p+".filing", "filing", l.Filing)
		}
		if in := l.Instrument; in != nil {
			if !regimeID.MatchString(in.Regime) || in.Regime == j.Regime {
				v.add(p+".instrument.regime", fmt.Sprintf("%q is not a regime id of its own (<iso>_<instrument>)", in.Regime))
			}
			v.nonEmpty(p+".instrument.name", in.Name)
			v.nonEmpty(p+".instrument.short", in.Short)
			v.citation(p+".instrument.citation", in.Citation)
		}
		v.nonEmpty(p+".text", l.Text)
		v.citation(p+".citation", l.Citation)
	}
	v.nonEmpty("breach.deadline", j.Breach.Deadline)
	v.nonEmpty("breach.to", j.Breach.To)
	v.citation("breach.citation", j.Breach.Citation)
	if j.Breach.Hours < 0 {
		v.add("breach.hours", "must not be negative")
	}
	for name, duties := range map[string][]Duty{"dpo": j.DPO, "dpia": j.DPIA, "representative": j.Representative} {
		for i, d := range duties {
			p := fmt.Sprintf("%s[%d]", name, i)
			v.nonEmpty(p+".id", d.ID)
			v.period(p, d.Period)
			v.condition(p+".when", d.When)
			v.nonEmpty(p+".text", d.Text)
			v.citation(p+".citation", d.Citation)
		}
	}
	slices.Sort(v.problems)
	return v.problems
}

type checker struct{ problems []string }

func (c *checker) add(path, msg string) { c.problems = append(c.problems, path+": "+msg) }

func (c *checker) nonEmpty(path, s string) {
	if strings.TrimSpace(s) == "" {
		c.add(path, "is required")
	}
}

func (c *checker) date(path, s string, required bool) {
	if s == "" {
		if required {
			c.add(path, "is required")
		}
		return
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		c.add(path, fmt.Sprintf("%q is not a date (YYYY-MM-DD)", s))
	}
}

func (c *checker) period(prefix string, p Period) {
	if prefix != "" {
		prefix += "."
	}
	c.date(prefix+"effective_from", p.EffectiveFrom, false)
	c.date(prefix+"effective_to", p.EffectiveTo, false)
	if p.EffectiveFrom != "" && p.EffectiveTo != "" && p.EffectiveTo < p.EffectiveFrom {
		c.add(prefix+"effective_to", "is before effective_from")
	}
}

func (c *checker) countries(path string, codes []string, required bool) {
	if required && len(codes) == 0 {
		c.add(path, "needs at least one country")
	}
	for i, code := range codes {
		if _, ok := CountryName(code); !ok {
			c.add(fmt.Sprintf("%s[%d]", path, i), fmt.Sprintf("%q is not an ISO 3166-1 alpha-2 code", code))
		}
	}
}

func (c *checker) enum(path, enum, s string) {
	if !InEnum(enum, s) {
		c.add(path, fmt.Sprintf("%q is not one of %s", s, strings.Join(enums[enum], ", ")))
	}
}

func (c *checker) enums(path, enum string, ss []string) {
	for i, s := range ss {
		c.enum(fmt.Sprintf("%s[%d]", path, i), enum, s)
	}
}

// filingNeed checks the filing mechanism m of a tier (with the given mechanisms) needs.
func (c *checker) filingNeed(path, m string, mechanisms []string, n FilingNeed) {
	if !slices.Contains(mechanisms, m) {
		c.add(path, fmt.Sprintf("%q is not one of the tier's mechanisms", m))
	}
	c.enum(path+".filing", "filing", n.Filing)
	if n.Within < 0 {
		c.add(path+".within", "must not be negative")
	}
	if n.Unit != "" && n.Unit != "days" && n.Unit != "working_days" {
		c.add(path+".unit", fmt.Sprintf("%q is not one of days, working_days", n.Unit))
	}
	if n.From != "" && n.From != "first_transfer" && n.From != "signed_on" {
		c.add(path+".from", fmt.Sprintf("%q is not one of first_transfer, signed_on", n.From))
	}
	if (n.Unit != "" || n.From != "") && n.Within == 0 {
		c.add(path+".within", "is required with unit or from")
	}
	if n.Citation != nil {
		c.citation(path+".citation", *n.Citation)
	}
}

func (c *checker) citation(path string, ct Citation) {
	c.nonEmpty(path+".ref", ct.Ref)
	if !strings.HasPrefix(ct.URL, "https://") && !strings.HasPrefix(ct.URL, "http://") {
		c.add(path+".url", fmt.Sprintf("%q is not an http(s) URL", ct.URL))
	}
	if ct.URLZh != "" && !strings.HasPrefix(ct.URLZh, "https://") && !strings.HasPrefix(ct.URLZh, "http://") {
		c.add(path+".url_zh", fmt.Sprintf("%q is not an http(s) URL", ct.URLZh))
	}
	if ct.URLZh != "" && ct.RefZh == "" {
		c.add(path+".ref_zh", "is required with url_zh")
	}
}

func (c *checker) condition(path string, w Condition) {
	c.enums(path+".categories_any", "data_category", w.CategoriesAny)
	c.enums(path+".sectors_any", "sector", w.SectorsAny)
	c.enums(path+".customer_types_any", "customer_type", w.CustomerTypesAny)
	c.enums(path+".subject_types_any", "subject_type", w.SubjectTypesAny)
	if w.MinSubjects < 0 || w.MinSensitiveSubjects < 0 || w.MinNonsensitiveSubjects < 0 || w.MoreThanSubjects < 0 || w.MoreThanSensitiveSubjects < 0 {
		c.add(path, "counts must not be negative")
	}
}

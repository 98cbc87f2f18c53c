package assessments

import "github.com/piaflow/piaflow"

// Assessment is piaflow's answer for one questionnaire (contract v1; fields marked "piaflow
// addition" extend it).
type Assessment struct {
	SchemaVersion int    `json:"schema_version"`
	PolicyVersion string `json:"policy_version"`
	PolicyDigest  string `json:"policy_digest"`
	// AsOf is the date whose law was applied.
	AsOf         string         `json:"as_of"`
	Verdict      string         `json:"verdict"`
	Regimes      []Regime       `json:"regimes"`
	DPIA         DPIA           `json:"dpia"`
	Findings     []Finding      `json:"findings"`
	Transfers    []TransferEval `json:"transfers"`
	Localisation []Localisation `json:"localisation"`
	Risks        []Risk         `json:"risks"`
	// Coverage says which countries' laws the policy library does not hold, or holds only in
	// part (piaflow addition): an assessment is never ready by assumption.
	Coverage *Coverage `json:"coverage,omitempty"`
	// Summary counts findings by severity (piaflow addition).
	Summary Summary `json:"summary"`
	// InputDigest is the SHA-256 (hex) of the questionnaire's canonical JSON as evaluated (set by
	// Evaluator.Assess; not part of the assessment's JSON): stored with the record, it lets
	// another revision with the same questionnaire reuse the result.
	InputDigest string `json:"-"`
}

// Coverage is what the policy library covers of the countries the deployment involves.
type Coverage struct {
	// Status is covered, partial (some country's law is not or only partly held) or none (no
	// law of the library applies).
	Status    string            `json:"status"`
	Uncovered []CoverageGap     `json:"uncovered"`
	Partial   []CoveragePartial `json:"partial"`
}

// CoverageGap is a country whose law the library does not hold, and the roles it plays.
type CoverageGap struct {
	Country string `json:"country"`
	// Roles are subjects, customer, vendor, processor, host or recipient.
	Roles  []string `json:"roles"`
	Fields []string `json:"fields"`
}

// CoveragePartial is a country whose laws the library holds in part.
type CoveragePartial struct {
	Country    string   `json:"country"`
	Roles      []string `json:"roles"`
	Covered    []string `json:"covered"`
	NotCovered string   `json:"not_covered"`
	Fields     []string `json:"fields"`
}

// Verdicts of an assessment.
const (
	VerdictReady       = "ready"
	VerdictConditional = "conditional"
	VerdictBlocked     = "blocked"
)

// Citation points at the legal text behind a finding or verdict.
type Citation struct {
	Ref string `json:"ref"`
	URL string `json:"url"`
	// Secondary marks a source that is not the official text (piaflow addition): the policy
	// data uses one only where no official text could be found, and reports say so.
	Secondary bool `json:"secondary,omitempty"`
	// RefZh is the provision's official Chinese name and article where the law is Chinese
	// (《中华人民共和国个人信息保护法》第三十八条), and URLZh its official Chinese text when URL
	// is a translation (piaflow additions). Other laws' Chinese names are built by the
	// renderers from Ref.
	RefZh string `json:"ref_zh,omitempty"`
	URLZh string `json:"url_zh,omitempty"`
}

// Regime is an applicable law and why it applies.
type Regime struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Short string `json:"short,omitempty"`
	Why   string `json:"why"`
	// WhyMsg is Why as a structured message (docs/messages.md), absent where not converted.
	WhyMsg *Message `json:"why_msg,omitempty"`
	Fields []string `json:"fields"`
	// Citation is the law's scope provision (piaflow addition).
	Citation     Citation `json:"citation"`
	Jurisdiction string   `json:"jurisdiction,omitempty"`
	LastReviewed string   `json:"last_reviewed,omitempty"`
	// Certainty is firm, or conditional while the law's reach turns on a question the
	// questionnaire does not answer (Question: the fields that answer it) (piaflow additions).
	Certainty string   `json:"certainty,omitempty"`
	Question  []string `json:"question,omitempty"`
}

// DPIA is the impact-assessment screening.
type DPIA struct {
	Required bool `json:"required"`
	// Level is required | likely | possible | not_required | not_applicable (piaflow addition;
	// not_applicable: neither the GDPR nor the UK GDPR applies with controller capacity, so the
	// national impact assessments lead).
	Level string `json:"level"`
	// Headline is what the screening leads with: the WP248 screening where it applies, else the
	// first national impact assessment (piaflow addition).
	Headline string `json:"headline,omitempty"`
	Why      string `json:"why"`
	// WhyMsg is Why as a structured message (docs/messages.md), absent where not converted.
	WhyMsg   *Message        `json:"why_msg,omitempty"`
	Criteria []DPIACriterion `json:"criteria"`
	Art35_3  []Art35Case     `json:"art35_3"`
	Basis    string          `json:"basis"`
	Citation Citation        `json:"citation"`
	// National lists national impact-assessment duties (PIPIA, RIPD, ...).
	National []NationalDPIA `json:"national"`
	// Lists are the items of supervisory authorities' Art. 35(4) (required) and Art. 35(5)
	// (exempt) lists that an activity meets (piaflow addition).
	Lists []DPIAListHit `json:"lists,omitempty"`
	// ListsNotHeld names the countries (ISO codes) whose supervisory authority's Art. 35(4) list
	// would bind a controller here but is not in piaflow's library: for them only the WP248
	// screening and Art. 35(3) were applied (piaflow addition).
	ListsNotHeld []string `json:"lists_not_held,omitempty"`
}

// DPIAListHit is one activity on an item of a supervisory authority's DPIA list.
type DPIAListHit struct {
	List      string `json:"list"`
	Regime    string `json:"regime"`
	Authority string `json:"authority"`
	// Effect is required, likely or exempt.
	Effect   string   `json:"effect"`
	Item     string   `json:"item"`
	Text     string   `json:"text"`
	Activity string   `json:"activity"`
	Citation Citation `json:"citation"`
}

// DPIACriterion is one WP248 criterion met by an activity.
type DPIACriterion struct {
	ID       string `json:"id"`
	Activity string `json:"activity"`
	Why      string `json:"why"`
	// WhyMsg is Why as a structured message (docs/messages.md), absent where not converted.
	WhyMsg *Message `json:"why_msg,omitempty"`
	Fields []string `json:"fields"`
}

// Art35Case is a case of GDPR Art. 35(3) (a DPIA is always required).
type Art35Case struct {
	Case     string `json:"case"`
	Activity string `json:"activity"`
	Why      string `json:"why"`
	// WhyMsg is Why as a structured message (docs/messages.md), absent where not converted.
	WhyMsg *Message `json:"why_msg,omitempty"`
	Fields []string `json:"fields"`
}

// NationalDPIA is a national impact-assessment duty that applies.
type NationalDPIA struct {
	Regime   string `json:"regime"`
	Name     string `json:"name"`
	Required bool   `json:"required"`
	Why      string `json:"why"`
	// WhyMsg is Why as a structured message (docs/messages.md), absent where not converted.
	WhyMsg     *Message `json:"why_msg,omitempty"`
	Citation   Citation `json:"citation"`
	Activities []string `json:"activities"`
}

// Finding is one result of a rule.
type Finding struct {
	ID string `json:"id"`
	// Key identifies this instance of the rule within the assessment (id@first field), stable
	// across re-evaluations of the same answers (piaflow addition).
	Key      string   `json:"key"`
	Regime   string   `json:"regime"`
	Kind     string   `json:"kind"`
	Severity string   `json:"severity"`
	Title    string   `json:"title"`
	Detail   string   `json:"detail"`
	Citation Citation `json:"citation"`
	Fields   []string `json:"fields"`
	Action   Action   `json:"action"`
	// TitleMsg is Title as a structured message: the rule's catalogue entry
	// (rule.<ID>.title, rule.*-<SUFFIX>.title with the law) or, for a conditional finding, a
	// message nesting it. Absent for company rules, whose title every language shows as written.
	TitleMsg *Message `json:"title_msg,omitempty"`
	// DetailMsg is Detail as a structured message (docs/messages.md): its catalogue id and
	// parameters, so any client can render it in any language. Absent for rules that write
	// plain English (company rules) and for rules not converted yet.
	DetailMsg *Message `json:"detail_msg,omitempty"`
}

// Message is a text of the policies as a message id and its parameters; the finding's English
// text is its English rendering. It is piaflow.Message, which stored actions keep too.
type Message = piaflow.Message

// Action is what to do about a finding.
type Action struct {
	Title string `json:"title"`
	Owner string `json:"owner"`
	Due   string `json:"due,omitempty"`
	// TitleMsg is Title as a structured message (rule.<ID>.action, rule.*-<SUFFIX>.action…);
	// absent for company rules.
	TitleMsg *Message `json:"title_msg,omitempty"`
}

// TransferEval is the verdict on one cross-border flow (subject country -> destination).
type TransferEval struct {
	From       string   `json:"from"`
	To         string   `json:"to"`
	Activity   string   `json:"activity"`
	Regime     string   `json:"regime"`
	Verdict    string   `json:"verdict"`
	Mechanisms []string `json:"mechanisms"`
	Citation   Citation `json:"citation"`
	// piaflow additions: whether the answers satisfy the verdict, the mechanism given, the
	// hosting site or transfer (via), the rule that decided (basis), and why.
	Satisfied bool   `json:"satisfied"`
	Mechanism string `json:"mechanism"`
	Via       string `json:"via"`
	Recipient string `json:"recipient"`
	Access    string `json:"access"`
	Basis     string `json:"basis"`
	Why       string `json:"why"`
	// WhyMsg is Why as a structured message (docs/messages.md), absent where not converted.
	WhyMsg *Message `json:"why_msg,omitempty"`
	Fields []string `json:"fields"`
	// Entry is the answer that decided the row (hosting[0].mechanisms[1], or the single
	// hosting[0].mechanism); Status is satisfied, missing_mechanism, invalid_mechanism,
	// unknown_mechanism, missing_filing, filing_due, not_a_transfer, onward_review (an onward
	// hop whose regulator filing is the first exporter's, for legal to confirm) or conditional;
	// Conditional marks a law whose reach is not established; Exporter (and ExporterBasis) is who
	// exports under the law (for an onward hop, the recipient of the previous hop); Hop is 0 for
	// the first transfer and 1 to 3 for onward transfers (transfers[].onward_transfers, Via
	// their field path); AdequacyReview lists the answers an adequacy
	// decision's recipient scope still needs (piaflow additions).
	Entry       string `json:"entry,omitempty"`
	Status      string `json:"status,omitempty"`
	Conditional bool   `json:"conditional,omitempty"`
	Exporter    string `json:"exporter,omitempty"`
	// ExporterMsg is Exporter as a structured message (docs/messages.md).
	ExporterMsg    *Message `json:"exporter_msg,omitempty"`
	ExporterBasis  string   `json:"exporter_basis,omitempty"`
	Hop            int      `json:"hop,omitempty"`
	AdequacyReview []string `json:"adequacy_review,omitempty"`
}

// Localisation is a data-residency requirement and whether the deployment meets it.
type Localisation struct {
	Country     string   `json:"country"`
	Regime      string   `json:"regime"`
	Rule        string   `json:"rule"`
	Type        string   `json:"type"`
	Requirement string   `json:"requirement"`
	Satisfied   bool     `json:"satisfied"`
	Citation    Citation `json:"citation"`
	Activities  []string `json:"activities"`
	Problems    []string `json:"problems"`
	// ProblemsMsg are the Problems as structured messages, in the same order (docs/messages.md).
	ProblemsMsg []Message `json:"problems_msg,omitempty"`
	Fields      []string  `json:"fields"`
	// Instrument is the sector rule the requirement comes from, when it is not the
	// data-protection law itself (RBI payment data directive, ...) (piaflow addition).
	Instrument *Instrument `json:"instrument,omitempty"`
}

// Instrument is a sector rule that is a regime of its own.
type Instrument struct {
	Regime   string   `json:"regime"`
	Name     string   `json:"name"`
	Short    string   `json:"short"`
	Citation Citation `json:"citation"`
}

// Risk is one feared event of the CNIL PIA method, scored 1-4.
type Risk struct {
	ID                 string `json:"id"`
	Severity           int    `json:"severity"`
	Likelihood         int    `json:"likelihood"`
	ResidualSeverity   int    `json:"residual_severity"`
	ResidualLikelihood int    `json:"residual_likelihood"`
	Why                string `json:"why"`
	// WhyMsg is Why as a structured message (docs/messages.md), absent where not converted.
	WhyMsg   *Message `json:"why_msg,omitempty"`
	Citation Citation `json:"citation"`
}

// Summary counts findings by severity.
type Summary struct {
	Blocker int `json:"blocker"`
	High    int `json:"high"`
	Medium  int `json:"medium"`
	Low     int `json:"low"`
	Info    int `json:"info"`
}

// SeverityRank orders severities: blocker 5 … info 1 (0 for unknown).
func SeverityRank(s string) int {
	switch s {
	case "blocker":
		return 5
	case "high":
		return 4
	case "medium":
		return 3
	case "low":
		return 2
	case "info":
		return 1
	}
	return 0
}

package assessments

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/piaflow/piaflow/policies"
)

// HostingQuery is the sales question "can this customer's data be hosted in X?".
type HostingQuery struct {
	// Data lists data categories (taxonomy of contract v1).
	Data []string `json:"data"`
	// Subjects lists the countries where the data subjects are.
	Subjects []string `json:"subjects"`
	// Host is the hosting country; alternatively Provider and Region name a cloud region.
	Host     string `json:"host,omitempty"`
	Provider string `json:"provider,omitempty"`
	Region   string `json:"region,omitempty"`
	// Count is the number of data subjects per subject country, at least 1. Nil means unknown:
	// the answer then covers every band of the volume thresholds of the laws concerned (never
	// an assumed number).
	Count *int `json:"count,omitempty"`
	// Sector is the customer's sector (default other).
	Sector string `json:"sector,omitempty"`
	// SubjectType is the kind of data subjects (default customers).
	SubjectType string `json:"subject_type,omitempty"`
	// CustomerCountry is where the customer is established (default: the first subject country).
	CustomerCountry string `json:"customer_country,omitempty"`
	// CriticalInfrastructure marks a critical-information-infrastructure operator.
	CriticalInfrastructure bool `json:"critical_infrastructure,omitempty"`
	// OtherExports counts, per exporting country, the people whose personal information the
	// customer already provides abroad outside this check since 1 January of the current year,
	// sensitive or not (the shape of deployment.other_exports[]): the transfer tiers that count
	// cumulatively per exporter (CAC Provisions (2024) Art. 5(4), 7, 8) add them to the count.
	// At most MaxHostingOtherExports entries, one per country.
	OtherExports []OtherExport `json:"other_exports,omitempty"`
	// AsOf is the date whose law applies (zero: today).
	AsOf time.Time `json:"-"`
}

// Hosting answers in plain words, in rank order (see AnswerRank).
const (
	AnswerAllowed       = "allowed"
	AnswerWithMechanism = "allowed_with_mechanism"
	// AnswerDependsOnCount: the count was not given and the answer differs between the bands
	// of the laws' volume thresholds; HostingAnswer.Bands holds the answer per band.
	AnswerDependsOnCount = "depends_on_count"
	// AnswerLegalReview: a rule says a lawyer must decide (the US DOJ bulk sensitive data rule,
	// an exemption that needs judgement): piaflow gives no yes or no.
	AnswerLegalReview = "needs_legal_review"
	// AnswerUnknown: piaflow holds no data on the law of the subject country.
	AnswerUnknown    = "unknown"
	AnswerApproval   = "needs_regulator_approval"
	AnswerLocalise   = "must_localise"
	AnswerProhibited = "prohibited"
)

// AnswerRank orders the answers for --fail-on: allowed 1 < allowed_with_mechanism 2 <
// depends_on_count = needs_legal_review = unknown 3 < needs_regulator_approval 4 <
// must_localise 5 < prohibited 6 (0 for an unknown word).
func AnswerRank(answer string) int {
	switch answer {
	case AnswerAllowed:
		return 1
	case AnswerWithMechanism:
		return 2
	case AnswerDependsOnCount, AnswerLegalReview, AnswerUnknown:
		return 3
	case AnswerApproval:
		return 4
	case AnswerLocalise:
		return 5
	case AnswerProhibited:
		return 6
	}
	return 0
}

// HostingFailRank is the lowest answer rank that fails at a --fail-on level of the hosting
// check: mechanism (allowed_with_mechanism or worse), review (depends_on_count,
// needs_legal_review, unknown or worse), approval, localise, prohibited; none (0) never fails.
// ok is false for an unknown level.
func HostingFailRank(level string) (rank int, ok bool) {
	switch level {
	case "none":
		return 0, true
	case "mechanism":
		return AnswerRank(AnswerWithMechanism), true
	case "review":
		return AnswerRank(AnswerLegalReview), true
	case "approval":
		return AnswerRank(AnswerApproval), true
	case "localise":
		return AnswerRank(AnswerLocalise), true
	case "prohibited":
		return AnswerRank(AnswerProhibited), true
	}
	return 0, false
}

// HostingOutcome is the answer for one subject country (or one band of its count) with the
// answer of each law concerned.
type HostingOutcome struct {
	Answer string `json:"answer"`
	// Regimes are the laws concerned (the subject country's, and the US DOJ rule).
	Regimes []string `json:"regimes"`
	// Mechanisms are the mechanism values of every law's answer (ByRegime names them per law).
	Mechanisms []string `json:"mechanisms"`
	// ByRegime is each law's own answer, with its own mechanisms and filing.
	ByRegime []RegimeAnswer `json:"by_regime"`
	Reasons  []string       `json:"reasons"`
	// ReasonMsgs holds each of Reasons as a structured message (docs/messages.md), in the same
	// order.
	ReasonMsgs []*Message `json:"reason_msgs,omitempty"`
	Citations  []Citation `json:"citations"`
}

// RegimeAnswer is one law's answer for a subject country.
type RegimeAnswer struct {
	Regime string `json:"regime"`
	Answer string `json:"answer"`
	// Mechanisms are the instruments that make the transfer lawful under this law, by the
	// law's own name (the CAC standard contract for PIPL, SCCs for the GDPR).
	Mechanisms []MechanismOption `json:"mechanisms"`
	// Filing is the regulator filing the law needs for the transfer: "" | filed | approved;
	// FilingWithinDays, when set, makes it a notice due that many days after the transfer starts.
	Filing           string `json:"filing,omitempty"`
	FilingWithinDays int    `json:"filing_within_days,omitempty"`
	Reason           string `json:"reason"`
	// ReasonMsg is Reason as a structured message (docs/messages.md); absent where the rule
	// behind the reason wrote no message (a transfer row or localisation requirement not
	// converted yet).
	ReasonMsg *Message `json:"reason_msg,omitempty"`
	Citation  Citation `json:"citation"`
}

// MechanismOption is one transfer mechanism under one law: the questionnaire value to record
// in hosting[].mechanisms and its name under that law (English; the catalogues hold en and
// zh-CN under mechanism.<regime>.<value>, else enum.mechanism.<value>).
type MechanismOption struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// HostingBand is the answer for one band of the number of people per subject country.
type HostingBand struct {
	// From and To bound the band (To omitted: no upper bound).
	From int  `json:"from"`
	To   *int `json:"to,omitempty"`
	// Kind says how the band is worded, from the law's boundary word: under (From 1, To + 1 is
	// an "or more" threshold), at_most (From 1, To is a "more than" threshold), range, or_more
	// (From is an "or more" threshold), more_than (From - 1 is a "more than" threshold).
	Kind string `json:"kind"`
	// Label is the band in English words ("under 100,000 people").
	Label string `json:"label"`
	HostingOutcome
}

// HostingAnswer is the answer for one subject country.
type HostingAnswer struct {
	Country string `json:"country"`
	// Answer is allowed | allowed_with_mechanism | depends_on_count | needs_legal_review |
	// unknown | needs_regulator_approval | must_localise | prohibited (the Answer* constants).
	HostingOutcome
	// Bands holds the answer per band of the count when Answer is depends_on_count (else empty).
	Bands []HostingBand `json:"bands"`
}

// Rank is the answer's rank for --fail-on; an answer that depends on the count ranks as its
// worst band, and at least as a review.
func (a HostingAnswer) Rank() int {
	r := AnswerRank(a.Answer)
	for _, b := range a.Bands {
		r = max(r, AnswerRank(b.Answer))
	}
	return r
}

// HostingNote is one assumption the answer rests on, as data (id and parameters, rendered by the
// catalogues under ui.hosting.note.<id>) and in English.
type HostingNote struct {
	ID     string            `json:"id"`
	Params map[string]string `json:"params,omitempty"`
	Text   string            `json:"text"`
	// Msg is the note as a structured message (docs/messages.md) where a parameter is itself
	// made of words (the other exports: country, people, sensitive); the catalogues render it.
	Msg *Message `json:"msg,omitempty"`
}

// HostingResult is the answer to a HostingQuery.
type HostingResult struct {
	HostCountry string `json:"host_country"`
	AsOf        string `json:"as_of"`
	// Count is the number of people per subject country asked about (omitted: unknown).
	Count   *int            `json:"count,omitempty"`
	Answers []HostingAnswer `json:"answers"`
	// Needs lists the facts that would give one answer where it depends on them ("count").
	Needs []string `json:"needs"`
	// Assumptions lists everything the answer assumes; it is never empty.
	Assumptions []HostingNote `json:"assumptions"`
	// Findings are the assessment's findings that bear on the question (transfers, localisation,
	// DOJ bulk data rule); with an unknown count, those that hold in every band.
	Findings      []Finding `json:"findings"`
	PolicyVersion string    `json:"policy_version"`
	PolicyDigest  string    `json:"policy_digest"`
}

// Fails reports whether any answer ranks at or above the --fail-on level (HostingFailRank).
func (r *HostingResult) Fails(level string) (bool, error) {
	min, ok := HostingFailRank(level)
	if !ok {
		return false, fmt.Errorf("fail-on level %q: use none, mechanism, review, approval, localise or prohibited", level)
	}
	if min == 0 {
		return false, nil
	}
	for _, a := range r.Answers {
		if a.Rank() >= min {
			return true, nil
		}
	}
	return false, nil
}

// Questionnaire builds the minimal questionnaire the hosting question stands for: one activity
// with the given data and subjects, hosted in one place, with every security and governance
// answer positive so that only hosting and transfer rules speak. An unknown count is given as 1
// (the lowest band); HostingCheck evaluates every band.
func (hq HostingQuery) Questionnaire() *Questionnaire {
	count := 1
	if hq.Count != nil {
		count = *hq.Count
	}
	return hq.questionnaire(count)
}

func (hq HostingQuery) questionnaire(count int) *Questionnaire {
	sector := cmp.Or(hq.Sector, "other")
	subjectType := cmp.Or(hq.SubjectType, "customers")
	customer := hq.CustomerCountry
	if customer == "" && len(hq.Subjects) > 0 {
		customer = hq.Subjects[0]
	}
	provider := cmp.Or(hq.Provider, "other")
	groups := make([]DataSubject, 0, len(hq.Subjects))
	for _, c := range hq.Subjects {
		groups = append(groups, DataSubject{Type: subjectType, Countries: []string{c}, Count: count})
	}
	return &Questionnaire{
		SchemaVersion: SchemaVersion,
		Deployment: Deployment{
			Name: "Hosting check", Customer: "Prospect", CustomerCountry: customer, VendorCountry: customer,
			VendorRole: "processor", Sector: sector, CriticalInfrastructure: hq.CriticalInfrastructure,
			OtherExports: hq.OtherExports,
		},
		Hosting: []Hosting{{Name: "proposed hosting", Provider: provider, Region: hq.Region, Country: hq.Host, Role: "primary"}},
		Activities: []Activity{{
			Name: "Customer data", LegalBasis: "contract", DataSubjects: groups, DataCategories: hq.Data,
		}},
		Security: Security{EncryptionAtRest: true, EncryptionInTransit: true, AccessControl: "role_based", MFA: true,
			AuditLogging: true, Backups: true, BackupRestoreTested: true, IncidentResponsePlan: true, VulnerabilityManagement: true},
		Governance: Governance{DPOAppointed: true, LocalRepresentative: true, RecordsOfProcessing: true, PrivacyNotice: true,
			DataSubjectRequestProcess: true, BreachNotificationProcess: true, StaffTraining: true},
	}
}

// Limits of one hosting check, on its lists once duplicates are removed, checked before any
// other work. Each subject country becomes a group of data subjects of the one activity the
// check stands for, each data category one of its categories: the questionnaire's limits.
const (
	// MaxHostingSubjects bounds the different subject countries of a hosting check.
	MaxHostingSubjects = MaxDataSubjects
	// MaxHostingData bounds the different data categories of a hosting check.
	MaxHostingData = MaxVocabularyItems
	// MaxHostingOtherExports bounds the other exports of a hosting check (one per country, as
	// deployment.other_exports[]).
	MaxHostingOtherExports = MaxCountries
)

// Limit removes repeated subject countries and data categories (the first of each kept, in
// order) and checks the lists' sizes against MaxHostingSubjects and MaxHostingData. The API,
// the web page and the command line all call it, through HostingCheck, before any other work.
// Errors: a *ValidationError naming the list ("subjects", "data") and its limit.
func (hq *HostingQuery) Limit() error {
	hq.Subjects, hq.Data = dedupe(hq.Subjects), dedupe(hq.Data)
	var problems []Problem
	if n := len(hq.Subjects); n > MaxHostingSubjects {
		problems = append(problems, newProblem("subjects", 0, newMsg("hosting.subjects", "n", strconv.Itoa(n), "max", strconv.Itoa(MaxHostingSubjects))))
	}
	if n := len(hq.Data); n > MaxHostingData {
		problems = append(problems, newProblem("data", 0, newMsg("hosting.data", "n", strconv.Itoa(n), "max", strconv.Itoa(MaxHostingData))))
	}
	if n := len(hq.OtherExports); n > MaxHostingOtherExports {
		problems = append(problems, newProblem("other_exports", 0, newMsg("hosting.other_exports", "n", strconv.Itoa(n), "max", strconv.Itoa(MaxHostingOtherExports))))
	}
	if len(problems) > 0 {
		return &ValidationError{Problems: problems}
	}
	return nil
}

// dedupe returns xs without repeats, the first of each kept in order.
func dedupe(xs []string) []string {
	seen := make(map[string]bool, min(len(xs), 2*MaxHostingSubjects))
	out := xs[:0:0]
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// earliestAsOf is the earliest date whose law piaflow applies (the oldest law it holds took
// effect in 2004).
var earliestAsOf = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)

// ParseAsOf reads the date whose law applies (YYYY-MM-DD); "" means today, returned as the zero
// time. A date before 1970-01-01 is refused rather than read: 0001-01-01 is the zero time, which
// Assess would take for today. The error says what is wrong, for the caller to prefix with the
// input's name (as_of, --as-of).
func ParseAsOf(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date (YYYY-MM-DD)", s)
	}
	if t.Before(earliestAsOf) {
		return time.Time{}, fmt.Errorf("%q is before %s: piaflow applies the law in force from %s on (omit the date for today)", s, earliestAsOf.Format(time.DateOnly), earliestAsOf.Format(time.DateOnly))
	}
	return t, nil
}

// band is one range of the number of people evaluated by the hosting check.
type band struct {
	from, to           int // to 0: no upper bound
	fromMore, toBefore bool
}

// HostingCheck answers a HostingQuery, per subject country and per law, from full assessments of
// the equivalent questionnaire. With no count it evaluates one questionnaire per band of the
// volume thresholds in force (policies.Engine.CountBoundaries) and answers depends_on_count where
// the bands differ; it never assumes a number. The CLI, the API and the web page all call it.
// Invalid queries return a *ValidationError whose paths name the query's fields (data,
// subjects, host, provider, region, sector, subject_type, count). Repeated subject countries and
// data categories count once; the lists' limits are checked first (Limit).
func (ev *Evaluator) HostingCheck(ctx context.Context, hq HostingQuery) (*HostingResult, error) {
	if err := hq.Limit(); err != nil {
		return nil, err
	}
	var problems []Problem
	if len(hq.Subjects) == 0 {
		problems = append(problems, newProblem("subjects", 0, newMsg("hosting.subjects_empty")))
	}
	if hq.Host == "" && hq.Provider == "" {
		problems = append(problems, newProblem("host", 0, newMsg("hosting.host")))
	}
	if hq.Count != nil && *hq.Count < 1 {
		problems = append(problems, newProblem("count", 0, newMsg("hosting.count", "value", strconv.Itoa(*hq.Count))))
	}
	if len(problems) > 0 {
		return nil, &ValidationError{Problems: problems}
	}
	base := hq.Questionnaire()
	if err := base.Validate(); err != nil {
		return nil, hostingProblems(err)
	}
	asOf := hq.AsOf
	if asOf.IsZero() {
		asOf = time.Now().UTC()
	}
	day := asOf.Format(time.DateOnly)
	boundaries := ev.engine.CountBoundaries(hq.Subjects, hq.Data, day)
	bands := countBands(boundaries)
	if hq.Count != nil {
		bands = []band{{from: *hq.Count}}
	}
	res := &HostingResult{HostCountry: base.Hosting[0].Country, AsOf: day, Count: hq.Count, PolicyVersion: ev.engine.Version(),
		PolicyDigest: ev.engine.Digest(), Answers: []HostingAnswer{}, Needs: []string{}, Findings: []Finding{}}
	// outcomes[i][c] is subject country c's outcome in band i.
	outcomes := make([]map[string]HostingOutcome, len(bands))
	var findings [][]Finding
	for i, b := range bands {
		q := *base
		act := base.Activities[0]
		act.DataSubjects = slices.Clone(act.DataSubjects)
		for k := range act.DataSubjects {
			act.DataSubjects[k].Count = b.from
		}
		q.Activities = []Activity{act}
		a, err := ev.assess(ctx, &q, asOf)
		if err != nil {
			return nil, err
		}
		outcomes[i] = ev.outcomes(a, hq.Subjects, res.HostCountry, day)
		findings = append(findings, hostingFindings(a))
	}
	dependent := false
	for _, c := range hq.Subjects {
		ans := HostingAnswer{Country: c, Bands: []HostingBand{}}
		merged := mergeBands(bands, outcomes, c)
		if len(merged) == 1 {
			ans.HostingOutcome = merged[0].HostingOutcome
		} else {
			dependent = true
			ans.HostingOutcome = HostingOutcome{Answer: AnswerDependsOnCount, Regimes: []string{}, Mechanisms: []string{},
				ByRegime: []RegimeAnswer{}, Reasons: []string{}, Citations: []Citation{}}
			for _, b := range merged {
				ans.Regimes = append(ans.Regimes, b.Regimes...)
			}
			slices.Sort(ans.Regimes)
			ans.Regimes = slices.Compact(ans.Regimes)
			ans.Bands = merged
		}
		res.Answers = append(res.Answers, ans)
	}
	if dependent {
		res.Needs = append(res.Needs, "count")
	}
	res.Findings = commonFindings(findings)
	res.Assumptions = hq.assumptions(boundaries, dependent)
	return res, nil
}

// countBands turns the boundaries of the laws concerned into bands: 1 up to the first boundary,
// then from each boundary to the next.
func countBands(bs []policies.CountBoundary) []band {
	starts := map[int]bool{} // start → begins a "more than" band
	for _, b := range bs {
		if b.From > 1 {
			starts[b.From] = starts[b.From] || b.MoreThan
		}
	}
	froms := []int{1}
	for n := range starts {
		froms = append(froms, n)
	}
	slices.Sort(froms)
	out := make([]band, len(froms))
	for i, f := range froms {
		out[i] = band{from: f, fromMore: starts[f]}
		if i+1 < len(froms) {
			out[i].to = froms[i+1] - 1
			out[i].toBefore = starts[froms[i+1]]
		}
	}
	return out
}

// mergeBands joins neighbouring bands in which country c has the same answers (per law), and
// words each band.
func mergeBands(bands []band, outcomes []map[string]HostingOutcome, c string) []HostingBand {
	var out []HostingBand
	var last band
	for i, b := range bands {
		o := outcomes[i][c]
		if len(out) > 0 && sameOutcome(out[len(out)-1].HostingOutcome, o) {
			last.to, last.toBefore = b.to, b.toBefore
			out[len(out)-1] = wordBand(last, out[len(out)-1].HostingOutcome)
			continue
		}
		last = b
		out = append(out, wordBand(b, o))
	}
	return out
}

// sameOutcome compares what a person acts on: the answer and each law's answer, mechanisms and
// filing (not the wording of the reasons).
func sameOutcome(a, b HostingOutcome) bool {
	if a.Answer != b.Answer || len(a.ByRegime) != len(b.ByRegime) {
		return false
	}
	for i, x := range a.ByRegime {
		y := b.ByRegime[i]
		if x.Regime != y.Regime || x.Answer != y.Answer || x.Filing != y.Filing || x.FilingWithinDays != y.FilingWithinDays ||
			!slices.Equal(x.Mechanisms, y.Mechanisms) {
			return false
		}
	}
	return true
}

// wordBand labels a band from the boundary words of its ends.
func wordBand(b band, o HostingOutcome) HostingBand {
	hb := HostingBand{From: b.from, HostingOutcome: o}
	if b.to > 0 {
		to := b.to
		hb.To = &to
	}
	switch {
	case b.to == 0 && b.fromMore:
		hb.Kind, hb.Label = "more_than", fmt.Sprintf("more than %s people", Thousands(b.from-1))
	case b.to == 0:
		hb.Kind, hb.Label = "or_more", fmt.Sprintf("%s or more people", Thousands(b.from))
	case b.from == 1 && b.toBefore:
		hb.Kind, hb.Label = "at_most", fmt.Sprintf("%s or fewer people", Thousands(b.to))
	case b.from == 1:
		hb.Kind, hb.Label = "under", fmt.Sprintf("under %s people", Thousands(b.to+1))
	default:
		hb.Kind, hb.Label = "range", fmt.Sprintf("%s to %s people", Thousands(b.from), Thousands(b.to))
	}
	return hb
}

// Thousands writes a number of people with comma separators (1000000 → 1,000,000), as English
// and Chinese texts both write them.
func Thousands(n int) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// outcomes computes each subject country's answer from one assessment of the hosting
// questionnaire.
func (ev *Evaluator) outcomes(a *Assessment, subjects []string, host, day string) map[string]HostingOutcome {
	concerned := map[string][]string{}
	for _, r := range a.Regimes {
		for _, f := range r.Fields {
			concerned[f] = append(concerned[f], r.ID)
		}
	}
	out := map[string]HostingOutcome{}
	for i, c := range subjects {
		by := map[string]*RegimeAnswer{}
		set := func(regime, answer, reason string, msg *Message, cit Citation) *RegimeAnswer {
			ra := by[regime]
			if ra == nil {
				ra = &RegimeAnswer{Regime: regime, Mechanisms: []MechanismOption{}}
				by[regime] = ra
			}
			if AnswerRank(answer) > AnswerRank(ra.Answer) {
				ra.Answer, ra.Reason, ra.ReasonMsg, ra.Citation = answer, reason, msg, cit
			}
			return ra
		}
		for _, t := range a.Transfers {
			if t.From != c {
				continue
			}
			answer := verdictAnswer(t.Verdict)
			ra := set(t.Regime, answer, t.Why, t.WhyMsg, t.Citation)
			if ra.Answer != answer {
				continue
			}
			ra.Mechanisms = ra.Mechanisms[:0]
			for _, m := range t.Mechanisms {
				ra.Mechanisms = append(ra.Mechanisms, MechanismOption{Value: m, Label: MechanismLabel(t.Regime, m)})
			}
			ra.Filing, ra.FilingWithinDays = ev.filing(t.Regime, t.Basis, day)
		}
		for _, l := range a.Localisation {
			if l.Country == c && !l.Satisfied {
				set(l.Regime, AnswerLocalise, l.Requirement, nil, l.Citation)
			}
		}
		for _, f := range a.Findings {
			if c == "US" && strings.HasPrefix(f.ID, "US-DSP") {
				set(f.Regime, AnswerLegalReview, fmt.Sprintf("%s — %s", f.Title, f.Detail), findingReason(f), f.Citation)
			}
		}
		for _, r := range concerned[fmt.Sprintf("activities[0].data_subjects[%d].countries", i)] {
			if by[r] == nil {
				set(r, AnswerAllowed, fmt.Sprintf("hosting in %s keeps the data inside the area of %s", host, r),
					&Message{ID: "hosting.inside", Params: map[string]any{"host_country": host, "law": r}}, Citation{})
			}
		}
		o := HostingOutcome{Regimes: []string{}, Mechanisms: []string{}, ByRegime: []RegimeAnswer{}, Reasons: []string{}, Citations: []Citation{}}
		for _, ra := range by {
			o.ByRegime = append(o.ByRegime, *ra)
		}
		slices.SortFunc(o.ByRegime, func(x, y RegimeAnswer) int { return cmp.Compare(x.Regime, y.Regime) })
		for _, ra := range o.ByRegime {
			o.Regimes = append(o.Regimes, ra.Regime)
			if AnswerRank(ra.Answer) > AnswerRank(o.Answer) {
				o.Answer = ra.Answer
			}
			for _, m := range ra.Mechanisms {
				o.Mechanisms = append(o.Mechanisms, m.Value)
			}
			o.Reasons = append(o.Reasons, fmt.Sprintf("%s: %s", strings.ToUpper(ra.Regime), ra.Reason))
			o.ReasonMsgs = append(o.ReasonMsgs, &Message{ID: "hosting.reason", Params: map[string]any{
				"law": strings.ToUpper(ra.Regime), "reason": messageParam(ra.ReasonMsg, ra.Reason)}})
			if ra.Citation.Ref != "" {
				o.Citations = append(o.Citations, ra.Citation)
			}
		}
		if len(o.ByRegime) == 0 {
			o.Answer = AnswerUnknown
			o.Reasons = append(o.Reasons, fmt.Sprintf("piaflow holds no data on the data-protection law of %s: ask legal", c))
			o.ReasonMsgs = append(o.ReasonMsgs, &Message{ID: "hosting.no_data", Params: map[string]any{"country": c}})
		}
		slices.Sort(o.Mechanisms)
		o.Mechanisms = slices.Compact(o.Mechanisms)
		out[c] = o
	}
	return out
}

// filing is the regulator filing a law's decisive rule asks for (basis tier:<id>), in force on day.
func (ev *Evaluator) filing(regime, basis, day string) (string, int) {
	id, ok := strings.CutPrefix(basis, "tier:")
	if !ok {
		return "", 0
	}
	for _, j := range ev.engine.Jurisdictions() {
		if j.Regime != regime || (j.EffectiveFrom != "" && j.EffectiveFrom > day) || (j.EffectiveTo != "" && j.EffectiveTo < day) {
			continue
		}
		for _, t := range j.Transfer.Tiers {
			if t.ID == id {
				return t.Filing, t.FilingWithinDays
			}
		}
	}
	return "", 0
}

// findingReason is a finding as the reason of a law's answer ("title — detail"), as a message:
// the title and the detail their messages where the rule wrote them, else their English text.
func findingReason(f Finding) *Message {
	return &Message{ID: "hosting.finding", Params: map[string]any{
		"title":  messageParam(f.TitleMsg, f.Title),
		"detail": messageParam(f.DetailMsg, f.Detail),
	}}
}

// messageParam is a text as a message parameter: its message (nested) where there is one, else
// the English text as written.
func messageParam(m *Message, text string) any {
	if m == nil {
		return text
	}
	return map[string]any{"id": m.ID, "params": m.Params}
}

func verdictAnswer(v string) string {
	switch v {
	case "allowed":
		return AnswerAllowed
	case "mechanism_required":
		return AnswerWithMechanism
	case "approval_required":
		return AnswerApproval
	case "localisation_required":
		return AnswerLocalise
	case "prohibited":
		return AnswerProhibited
	}
	return AnswerUnknown
}

// hostingFindings keeps the findings that bear on hosting: transfers, localisation, DOJ rule.
func hostingFindings(a *Assessment) []Finding {
	out := []Finding{}
	for _, f := range a.Findings {
		if strings.Contains(f.ID, "TRANSFER") || strings.Contains(f.ID, "LOCALISATION") || strings.HasPrefix(f.ID, "US-DSP") {
			out = append(out, f)
		}
	}
	return out
}

// commonFindings keeps the findings of the first band that every band has (same key, severity
// and title).
func commonFindings(bands [][]Finding) []Finding {
	out := []Finding{}
	same := func(a, b Finding) bool { return a.Key == b.Key && a.Severity == b.Severity && a.Title == b.Title }
	for _, f := range bands[0] {
		everywhere := true
		for _, other := range bands[1:] {
			if !slices.ContainsFunc(other, func(g Finding) bool { return same(f, g) }) {
				everywhere = false
				break
			}
		}
		if everywhere {
			out = append(out, f)
		}
	}
	return out
}

// hostingProblems renames questionnaire paths to the query's field names.
func hostingProblems(err error) error {
	ve, ok := err.(*ValidationError)
	if !ok {
		return err
	}
	rename := []struct{ from, to string }{
		{"activities[0].data_categories", "data"},
		{"activities[0].data_subjects", "subjects"},
		{"hosting[0].country", "host"},
		{"hosting[0].region", "region"},
		{"hosting[0].provider", "provider"},
		{"deployment.sector", "sector"},
		{"deployment.customer_country", "customer_country"},
		{"deployment.vendor_country", "customer_country"},
		{"deployment.other_exports", "other_exports"},
	}
	out := &ValidationError{}
	seen := map[string]bool{}
	for _, p := range ve.Problems {
		for _, r := range rename {
			if strings.HasPrefix(p.Path, r.from) {
				p.Path = r.to + strings.TrimPrefix(p.Path, r.from)
				break
			}
		}
		p.Path = strings.Replace(p.Path, "].countries[0]", "]", 1)
		p.Path = strings.Replace(p.Path, "].type", "].subject_type", 1)
		p.Message = strings.ReplaceAll(p.Message, "hosting[0].country", "host")
		if len(p.Args) > 0 {
			args := make(map[string]string, len(p.Args))
			for k, v := range p.Args {
				args[k] = strings.ReplaceAll(v, "hosting[0].country", "host")
			}
			p.Args = args
		}
		p.Line = 0
		if seen[p.String()] {
			continue
		}
		seen[p.String()] = true
		out.Problems = append(out.Problems, p)
	}
	return out
}

// ParseOtherExports reads the other exports of a hosting check written as one line (the CLI's
// --other-exports, the web page's field): COUNTRY:PEOPLE[:SENSITIVE] entries separated by commas,
// e.g. "CN:60000:2000". The number of entries is checked against MaxHostingOtherExports before
// they are read; countries and counts are checked by HostingCheck. Errors: a *ValidationError
// with path other_exports.
func ParseOtherExports(s string) ([]OtherExport, error) {
	items := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '，' || r == '、' })
	bad := func(msg string, args ...any) error {
		return &ValidationError{Problems: []Problem{{Path: "other_exports", Message: fmt.Sprintf(msg, args...)}}}
	}
	if len(items) > MaxHostingOtherExports {
		return nil, bad("has %d entries: a hosting check takes at most %d", len(items), MaxHostingOtherExports)
	}
	var out []OtherExport
	for i, item := range items {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		parts := strings.FieldsFunc(item, func(r rune) bool { return r == ':' || r == '：' })
		if len(parts) < 2 || len(parts) > 3 {
			return nil, bad("entry %d %q: give COUNTRY:PEOPLE or COUNTRY:PEOPLE:SENSITIVE", i+1, item)
		}
		e := OtherExport{Country: strings.ToUpper(strings.TrimSpace(parts[0]))}
		for k, p := range parts[1:] {
			n, err := strconv.Atoi(strings.TrimSpace(p))
			if err != nil || n < 0 {
				return nil, bad("entry %d %q: %q is not a number of people (0 or more)", i+1, item, p)
			}
			if k == 0 {
				e.Subjects = n
			} else {
				e.SensitiveSubjects = &n
			}
		}
		out = append(out, e)
	}
	return out, nil
}

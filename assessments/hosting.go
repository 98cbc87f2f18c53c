package assessments

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
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
	// Count is the number of data subjects per subject country (default 1,000).
	Count int `json:"count,omitempty"`
	// Sector is the customer's sector (default other).
	Sector string `json:"sector,omitempty"`
	// SubjectType is the kind of data subjects (default customers).
	SubjectType string `json:"subject_type,omitempty"`
	// CustomerCountry is where the customer is established (default: the first subject country).
	CustomerCountry string `json:"customer_country,omitempty"`
	// CriticalInfrastructure marks a critical-information-infrastructure operator.
	CriticalInfrastructure bool `json:"critical_infrastructure,omitempty"`
	// AsOf is the date whose law applies (zero: today).
	AsOf time.Time `json:"-"`
}

// Hosting answers in plain words.
const (
	AnswerAllowed       = "allowed"
	AnswerWithMechanism = "allowed_with_mechanism"
	AnswerApproval      = "needs_regulator_approval"
	AnswerLocalise      = "must_localise"
	AnswerProhibited    = "prohibited"
	AnswerLegalReview   = "needs_legal_review"
	AnswerUnknown       = "unknown"
)

// HostingAnswer is the answer for one subject country.
type HostingAnswer struct {
	Country string `json:"country"`
	// Answer is allowed | allowed_with_mechanism | needs_regulator_approval | must_localise |
	// prohibited | needs_legal_review (a rule says a lawyer must decide, e.g. the US bulk-data
	// rule) | unknown (piaflow holds no data on the country's law).
	Answer     string     `json:"answer"`
	Regimes    []string   `json:"regimes"`
	Mechanisms []string   `json:"mechanisms"`
	Reasons    []string   `json:"reasons"`
	Citations  []Citation `json:"citations"`
}

// HostingResult is the answer to a HostingQuery.
type HostingResult struct {
	HostCountry string          `json:"host_country"`
	AsOf        string          `json:"as_of"`
	Answers     []HostingAnswer `json:"answers"`
	// Findings are the assessment's findings that bear on the question (transfers,
	// localisation, DOJ bulk data rule).
	Findings      []Finding `json:"findings"`
	PolicyVersion string    `json:"policy_version"`
	PolicyDigest  string    `json:"policy_digest"`
}

// Questionnaire builds the minimal questionnaire the hosting question stands for: one activity
// with the given data and subjects, hosted in one place, with every security and governance
// answer positive so that only hosting and transfer rules speak.
func (hq HostingQuery) Questionnaire() *Questionnaire {
	count := hq.Count
	if count == 0 {
		count = 1000
	}
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
)

// Limit removes repeated subject countries and data categories (the first of each kept, in
// order) and checks the lists' sizes against MaxHostingSubjects and MaxHostingData. The API,
// the web page and the command line all call it, through HostingCheck, before any other work.
// Errors: a *ValidationError naming the list ("subjects", "data") and its limit.
func (hq *HostingQuery) Limit() error {
	hq.Subjects, hq.Data = dedupe(hq.Subjects), dedupe(hq.Data)
	var problems []Problem
	for _, l := range []struct {
		path, what string
		n, max     int
	}{{"subjects", "subject countries", len(hq.Subjects), MaxHostingSubjects}, {"data", "data categories", len(hq.Data), MaxHostingData}} {
		if l.n > l.max {
			problems = append(problems, Problem{Path: l.path, Message: fmt.Sprintf("has %d different %s: a hosting check takes at most %d", l.n, l.what, l.max)})
		}
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

// HostingCheck answers a HostingQuery, per subject country, from a full assessment of the
// equivalent questionnaire. Repeated subject countries and data categories count once; the
// lists' limits are checked first (Limit). Invalid queries return a *ValidationError whose
// paths name the query's fields (data, subjects, host, provider, region, sector, subject_type,
// count).
func (ev *Evaluator) HostingCheck(ctx context.Context, hq HostingQuery) (*HostingResult, error) {
	if err := hq.Limit(); err != nil {
		return nil, err
	}
	q := hq.Questionnaire()
	if err := q.Validate(); err != nil {
		return nil, hostingProblems(err)
	}
	a, err := ev.assess(ctx, q, hq.AsOf)
	if err != nil {
		return nil, err
	}
	known := map[string][]string{}
	for _, r := range a.Regimes {
		for _, f := range r.Fields {
			known[f] = append(known[f], r.ID)
		}
	}
	res := &HostingResult{HostCountry: q.Hosting[0].Country, AsOf: a.AsOf, PolicyVersion: a.PolicyVersion, PolicyDigest: a.PolicyDigest,
		Answers: []HostingAnswer{}, Findings: []Finding{}}
	for i, c := range hq.Subjects {
		// Lists are empty, never null, as the API documents them.
		ans := HostingAnswer{Country: c, Regimes: append([]string{}, known[fmt.Sprintf("activities[0].data_subjects[%d].countries", i)]...),
			Mechanisms: []string{}, Reasons: []string{}, Citations: []Citation{}}
		rank := 0
		for _, t := range a.Transfers {
			if t.From != c {
				continue
			}
			r, word := verdictRank(t.Verdict)
			if r > rank {
				rank, ans.Answer = r, word
			}
			ans.Mechanisms = append(ans.Mechanisms, t.Mechanisms...)
			ans.Reasons = append(ans.Reasons, fmt.Sprintf("%s: %s", strings.ToUpper(t.Regime), t.Why))
			ans.Citations = append(ans.Citations, t.Citation)
		}
		for _, l := range a.Localisation {
			if l.Country == c && !l.Satisfied && rank < 4 {
				rank, ans.Answer = 4, AnswerLocalise
				ans.Reasons = append(ans.Reasons, fmt.Sprintf("%s: %s", strings.ToUpper(l.Regime), l.Requirement))
				ans.Citations = append(ans.Citations, l.Citation)
			}
		}
		for _, f := range a.Findings {
			if c == "US" && strings.HasPrefix(f.ID, "US-DSP") && rank < 3 {
				rank, ans.Answer = 3, AnswerLegalReview
				ans.Regimes = append(ans.Regimes, f.Regime)
				ans.Reasons = append(ans.Reasons, fmt.Sprintf("%s: %s — %s", strings.ToUpper(f.Regime), f.Title, f.Detail))
				ans.Citations = append(ans.Citations, f.Citation)
			}
		}
		switch {
		case ans.Answer != "":
		case len(ans.Regimes) == 0:
			ans.Answer = AnswerUnknown
			ans.Reasons = append(ans.Reasons, fmt.Sprintf("piaflow holds no data on the data-protection law of %s: ask legal", c))
		default:
			ans.Answer = AnswerAllowed
			ans.Reasons = append(ans.Reasons, fmt.Sprintf("hosting in %s keeps the data inside the area of %s", res.HostCountry, strings.Join(ans.Regimes, ", ")))
		}
		slices.Sort(ans.Mechanisms)
		ans.Mechanisms = slices.Compact(ans.Mechanisms)
		slices.Sort(ans.Reasons)
		ans.Reasons = slices.Compact(ans.Reasons)
		res.Answers = append(res.Answers, ans)
	}
	for _, f := range a.Findings {
		if strings.Contains(f.ID, "TRANSFER") || strings.Contains(f.ID, "LOCALISATION") || strings.HasPrefix(f.ID, "US-DSP") {
			res.Findings = append(res.Findings, f)
		}
	}
	return res, nil
}

func verdictRank(v string) (int, string) {
	switch v {
	case "allowed":
		return 1, AnswerAllowed
	case "mechanism_required":
		return 2, AnswerWithMechanism
	case "approval_required":
		return 3, AnswerApproval
	case "localisation_required":
		return 4, AnswerLocalise
	case "prohibited":
		return 5, AnswerProhibited
	}
	return 0, AnswerUnknown
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
		p.Line = 0
		if seen[p.String()] {
			continue
		}
		seen[p.String()] = true
		out.Problems = append(out.Problems, p)
	}
	return out
}

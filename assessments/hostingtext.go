package assessments

import (
	"slices"
	"strings"

	"github.com/piaflow/piaflow/policies"
)

// The English texts of the hosting check. The catalogues (reports/i18n) hold the same texts in
// English and Chinese under the keys named below; a test keeps the English equal.

// mechanismNames are the English names of the questionnaire's mechanism values
// (catalogue: enum.mechanism.<value>).
var mechanismNames = map[string]string{
	"adequacy":            "Adequacy",
	"bcr":                 "Binding corporate rules (BCR)",
	"certification":       "Certification",
	"consent":             "Consent",
	"contract":            "Contract",
	"derogation":          "Derogation",
	"none":                "None",
	"scc":                 "Standard contractual clauses (SCC)",
	"security_assessment": "Security assessment",
	"standard_contract":   "Standard contract",
}

// lawMechanismNames name a mechanism value as a law names its own instrument
// (catalogue: mechanism.<regime>.<value>): the CAC standard contract is not "SCCs".
var lawMechanismNames = map[string]map[string]string{
	"cn_pipl": {
		"standard_contract":   "CAC standard contract for the export of personal information (个人信息出境标准合同), filed with the provincial CAC within 10 working days of taking effect",
		"certification":       "Personal information protection certification by a professional body (个人信息保护认证)",
		"security_assessment": "CAC security assessment of the data export (数据出境安全评估), passed before the transfer",
	},
	"gdpr": {
		"scc": "EU standard contractual clauses (Commission Implementing Decision (EU) 2021/914)",
		"bcr": "Binding corporate rules approved under GDPR Art. 47",
	},
	"uk_gdpr": {
		"scc": "UK International Data Transfer Agreement (IDTA) or the UK Addendum to the EU SCCs",
	},
	"ch_fadp": {
		"scc": "EU standard contractual clauses with the Swiss adaptations recognised by the FDPIC",
	},
	"jp_appi": {
		"consent": "The person's consent to the provision to a third party in a foreign country, given after being informed (APPI Art. 28)",
		"scc":     "Contractual clauses making the recipient take measures equivalent to the APPI (APPI Art. 28(1); check they cover the items of the PPC Rules)",
	},
	"kr_pipa": {
		"consent": "The person's separate consent to the overseas transfer (PIPA Art. 28-8(1)(1))",
	},
	"tr_kvkk": {
		"standard_contract": "KVKK standard contract, notified to the Personal Data Protection Authority within 5 business days of signature",
	},
	"br_lgpd": {
		"scc": "ANPD standard contractual clauses (Resolution CD/ANPD No. 19/2024)",
	},
}

// MechanismLabel names mechanism value under regime in English: the law's own instrument where
// piaflow knows its name, else the generic name of the value.
func MechanismLabel(regime, value string) string {
	if n, ok := lawMechanismNames[regime][value]; ok {
		return n
	}
	if n, ok := mechanismNames[value]; ok {
		return n
	}
	return value
}

// hostingNotes are the English templates of the hosting check's assumptions
// (catalogue: ui.hosting.note.<id>); {name} is a parameter.
var hostingNotes = map[string]string{
	"customer_country":         "The customer (the controller) is established in {country}.",
	"customer_country_default": "The customer (the controller) is taken to be established in {country}, the first subject country: give the customer's country if it is elsewhere.",
	"vendor_processor":         "We process the data as the customer's processor, established in the customer's country.",
	"sector_default":           "The customer's sector is taken to be \"other\": sector rules (health, finance, payments) are not checked; give the sector.",
	"subject_type_default":     "The people are taken to be the customer's customers; give their kind if they are patients, employees or children.",
	"ciio":                     "The customer is a critical-information-infrastructure operator.",
	"not_ciio":                 "The customer is taken not to be a critical-information-infrastructure operator.",
	"no_important_data":        "The data is taken not to be important data under China's Data Security Law.",
	"no_mechanism_yet":         "No transfer mechanism, filing or exemption is in place yet: each law's answer says what it needs.",
	"laws_apply":               "Each subject country's law is taken to reach the customer (scope questions, such as whether the customer targets those people, are answered yes for this check).",
	"measures_in_place":        "Security and governance measures are taken to be in place: only hosting and transfer rules are checked.",
	"count_given":              "{count} people per subject country, as given.",
	"count_unknown":            "The number of people was not given: where a law's thresholds depend on it, the answer is given per band; give the count for one answer.",
	"count_irrelevant":         "The number of people was not given; the answer does not depend on it.",
	"count_cumulative":         "Counts are per subject country and over the year (China: cumulative since 1 January): include the customer's other exports of these people's data.",
	"count_period":             "Counts are per subject country and over the period each law sets: include the customer's other exports of these people's data.",
	"other_exports_counted":    "The customer's other exports this year are counted with this check where a law counts cumulatively: {exports}.",
	"no_other_exports":         "No other exports this year are counted: if the customer already provides personal information abroad from China outside this check, give them as other exports (country, people, sensitive).",
}

// note builds an assumption from its template.
func note(id string, params ...string) HostingNote {
	n := HostingNote{ID: id, Text: hostingNotes[id]}
	if len(params) > 0 {
		n.Params = map[string]string{}
	}
	for i := 0; i+1 < len(params); i += 2 {
		n.Params[params[i]] = params[i+1]
		n.Text = strings.ReplaceAll(n.Text, "{"+params[i]+"}", params[i+1])
	}
	return n
}

// assumptions lists what the answer assumes: the defaults filled in, what the check does not
// ask, and how the count was treated (boundaries: the volume thresholds of the laws concerned;
// dependent: some answer differs between bands).
func (hq HostingQuery) assumptions(boundaries []policies.CountBoundary, dependent bool) []HostingNote {
	var out []HostingNote
	if hq.CustomerCountry != "" {
		out = append(out, note("customer_country", "country", hq.CustomerCountry))
	} else if len(hq.Subjects) > 0 {
		out = append(out, note("customer_country_default", "country", hq.Subjects[0]))
	}
	out = append(out, note("vendor_processor"))
	if hq.Sector == "" {
		out = append(out, note("sector_default"))
	}
	if hq.SubjectType == "" {
		out = append(out, note("subject_type_default"))
	}
	if hq.CriticalInfrastructure {
		out = append(out, note("ciio"))
	} else {
		out = append(out, note("not_ciio"))
	}
	out = append(out, note("no_important_data"), note("no_mechanism_yet"), note("laws_apply"), note("measures_in_place"))
	switch {
	case hq.Count != nil:
		out = append(out, note("count_given", "count", Thousands(*hq.Count)))
	case dependent:
		out = append(out, note("count_unknown"))
	default:
		out = append(out, note("count_irrelevant"))
	}
	switch {
	case slices.ContainsFunc(boundaries, func(b policies.CountBoundary) bool { return b.Regime == "cn_pipl" }):
		out = append(out, note("count_cumulative"))
		if len(hq.OtherExports) == 0 {
			out = append(out, note("no_other_exports"))
		}
	case len(boundaries) > 0:
		out = append(out, note("count_period"))
	}
	if len(hq.OtherExports) > 0 {
		parts := make([]string, 0, len(hq.OtherExports))
		items := make([]any, 0, len(hq.OtherExports))
		for _, e := range hq.OtherExports {
			p := e.Country + " " + Thousands(e.Subjects)
			item := map[string]any{"id": "hosting.export", "params": map[string]any{"country": e.Country, "people": Thousands(e.Subjects)}}
			if e.SensitiveSubjects != nil {
				p += " (" + Thousands(*e.SensitiveSubjects) + " sensitive)"
				item = map[string]any{"id": "hosting.export.sensitive", "params": map[string]any{
					"country": e.Country, "people": Thousands(e.Subjects), "sensitive": Thousands(*e.SensitiveSubjects)}}
			}
			parts = append(parts, p)
			items = append(items, item)
		}
		n := note("other_exports_counted", "exports", strings.Join(parts, ", "))
		n.Msg = &Message{ID: "hosting.note.other_exports_counted", Params: map[string]any{"exports": map[string]any{"sep": ", ", "items": items}}}
		out = append(out, n)
	}
	return out
}

package policies

import (
	"slices"
)

// enums holds the closed vocabularies of questionnaire v1 and of the jurisdiction data. The
// questionnaire model refers to them by name (struct tag `enum:"..."`), so the validator, the JSON
// Schema and the policy data share one list.
var enums = map[string][]string{
	"vendor_role":    {"processor", "controller", "joint_controller"},
	"sector":         {"healthcare", "finance", "payments", "insurance", "public_sector", "telecom", "education", "retail", "manufacturing", "technology", "other"},
	"customer_type":  {"organisation", "individual_practitioner", "public_authority"},
	"provider":       {"aws", "azure", "gcp", "alibaba", "huawei", "tencent", "oracle", "on_premises", "other"},
	"hosting_role":   {"primary", "replica", "backup", "disaster_recovery"},
	"legal_basis":    {"consent", "contract", "legal_obligation", "vital_interests", "public_task", "legitimate_interests", "unknown"},
	"subject_type":   {"customers", "employees", "patients", "children", "students", "job_applicants", "website_visitors", "citizens", "other"},
	"data_category":  {"contact", "identifiers", "online_identifiers", "government_id", "financial", "payment_card", "location", "employment", "education", "communications", "behavioural", "images", "health", "genetic", "biometric", "racial_ethnic", "political_opinions", "religious_beliefs", "trade_union", "sex_life_orientation", "criminal", "children", "precise_location"},
	"recipient_type": {"vendor_affiliate", "processor", "sub_processor", "controller", "public_authority", "own_staff"},
	"access":         {"remote_access", "copy", "storage"},
	"mechanism":      {"none", "adequacy", "scc", "bcr", "consent", "contract", "certification", "security_assessment", "standard_contract", "derogation"},
	"certification":  {"eu_us_dpf", "uk_us_bridge", "swiss_us_dpf", "apec_cbpr", "iso_27001", "iso_27701", "soc2", "hitrust", "other"},
	"exemption":      {"none", "contract_necessity", "hr_management", "emergency", "other"},
	"filing":         {"none", "filed", "approved"},
	"access_control": {"none", "shared_accounts", "individual_accounts", "role_based"},
	"verdict":        {"allowed", "mechanism_required", "approval_required", "localisation_required", "prohibited"},
	"tier_verdict":   {"allowed", "mechanism_required", "approval_required", "prohibited"},
	"requirement":    {"primary_in_country", "all_hosting_in_country", "copy_in_country", "store_only_in_country", "process_only_in_country", "no_export"},
	"severity":       {"blocker", "high", "medium", "low", "info"},
	"kind":           {"violation", "gap", "needs_review"},
	"owner":          {"engineering", "legal", "customer", "vendor_management"},
	// deidentification and certification_covered_data are piaflow additions to the questionnaire.
	"deidentification":           {"none", "pseudonymised", "anonymised"},
	"certification_covered_data": {"hr", "non_hr", "both"},
	// vendor_flow and expiry_item are the vocabularies of product profiles and the processor
	// register (issue 15); expiry_item is also the vocabulary of processors[].expiries[].item.
	"vendor_flow": {"support", "telemetry", "backup", "monitoring", "other"},
	"expiry_item": {"eu_us_dpf", "uk_us_bridge", "swiss_us_dpf", "apec_cbpr", "iso_27001", "iso_27701", "soc2", "hitrust", "other", "dpa", "baa"},
}

// regimeVocabulary names the vocabulary of regime ids, computed from the policy library
// (RegimeIDs) rather than listed here.
const regimeVocabulary = "regime"

// Enum returns a copy of the named closed vocabulary (nil when there is none of that name).
// "regime" is the list of RegimeIDs.
func Enum(name string) []string {
	if name == regimeVocabulary {
		return RegimeIDs()
	}
	return slices.Clone(enums[name])
}

// InEnum reports whether v belongs to the named vocabulary.
func InEnum(name, v string) bool {
	if name == regimeVocabulary {
		_, found := slices.BinarySearch(regimeIDs(), v)
		return found
	}
	return slices.Contains(enums[name], v)
}

// CountryName returns the English short name of an ISO 3166-1 alpha-2 code and whether the code exists.
func CountryName(code string) (string, bool) {
	n, ok := countryNames[code]
	return n, ok
}

// CountryCodes returns every ISO 3166-1 alpha-2 code, sorted.
func CountryCodes() []string {
	codes := make([]string, 0, len(countryNames))
	for c := range countryNames {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	return codes
}

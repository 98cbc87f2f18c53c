# Fixtures for the policy tests: a compliant baseline questionnaire and helpers to vary it.
package piaflow.fixtures

as_of := "2026-11-25"

activity := {
	"name": "Customer accounts",
	"purposes": ["service delivery"],
	"legal_basis": "contract",
	"data_subjects": [{"type": "customers", "countries": ["DE"], "count": 500, "vulnerable": false}],
	"data_categories": ["contact"],
	"automated_decisions": false,
	"decisions_legal_effect": false,
	"evaluation_or_scoring": false,
	"systematic_monitoring": false,
	"combines_datasets": false,
	"innovative_technology": false,
	"prevents_rights_or_service": false,
	"public_area_monitoring": false,
	"core_activity": false,
	"important_data": false,
	"retention_days": 365,
	"transfers": [],
}

questionnaire := {
	"schema_version": 1,
	"deployment": {
		"name": "Baseline",
		"customer": "Muster GmbH",
		"customer_country": "DE",
		"vendor_country": "DE",
		"vendor_role": "processor",
		"sector": "retail",
		"critical_infrastructure": false,
		"customer_type": "organisation",
		"go_live": "2027-03-01",
	},
	"hosting": [{"name": "primary", "provider": "aws", "region": "eu-central-1", "country": "DE", "role": "primary"}],
	"activities": [activity],
	"processors": [{"name": "AWS", "country": "US", "service": "hosting", "dpa_signed": true, "baa_signed": true, "certifications": ["eu_us_dpf"], "key_access": false}],
	"security": {
		"encryption_at_rest": true, "encryption_in_transit": true, "customer_managed_keys": false,
		"pseudonymisation": false, "access_control": "role_based", "mfa": true, "audit_logging": true,
		"backups": true, "backup_restore_tested": true, "incident_response_plan": true,
		"vulnerability_management": true, "integrity_controls": true,
	},
	"governance": {
		"dpo_appointed": true, "local_representative": true, "records_of_processing": true,
		"privacy_notice": true, "data_subject_request_process": true,
		"breach_notification_process": true, "staff_training": true,
	},
}

# input_with returns the test input for the baseline questionnaire with `patch` merged in
# (object.union: nested objects merge, lists are replaced).
input_with(patch) := {"questionnaire": object.union(questionnaire, patch), "as_of": as_of}

# with_activity returns the input for the baseline with one activity replaced by the baseline
# activity merged with `patch`.
with_activity(patch) := input_with({"activities": [object.union(activity, patch)]})

baseline := input_with({})

# ids lists the finding ids of a findings set.
ids(fs) := {f.id | some f in fs}

# at returns the input with another assessment date.
at(inp, date) := object.union(inp, {"as_of": date})

# subjects is one data-subject group (not vulnerable, citizenship defaulting to countries).
subjects(type, countries, n) := {"type": type, "countries": countries, "count": n, "vulnerable": false}

# transfer is a transfer entry: remote access by a processor under SCCs, merged with `patch`.
transfer(patch) := object.union(
	{"to_country": "US", "recipient": "Support Inc", "recipient_type": "processor", "access": "remote_access", "mechanism": "scc"},
	patch,
)

# hosting_in is a single primary hosting site in the given country, merged with `patch`.
hosting_in(country, patch) := [object.union({"name": "primary", "provider": "other", "region": "r1", "country": country, "role": "primary"}, patch)]

# security_with / governance_with patch one answer set of the baseline.
security_with(patch) := input_with({"security": patch})

governance_with(patch) := input_with({"governance": patch})

# with_activity_and(patch, rest) is with_activity(patch) with more of the questionnaire patched.
with_activity_and(patch, rest) := input_with(object.union(rest, {"activities": [object.union(activity, patch)]}))

# by_id returns the findings of a set with the given id.
by_id(fs, id) := [f | some f in fs; f.id == id]

# one returns the only finding with the given id (undefined unless there is exactly one).
one(fs, id) := f if {
	matches := by_id(fs, id)
	count(matches) == 1
	f := matches[0]
}

# without_activity_keys is the input for the baseline whose activity lacks the given keys
# (answers a user may omit).
without_activity_keys(keys) := input_with({"activities": [object.remove(activity, keys)]})

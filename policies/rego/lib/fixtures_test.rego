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

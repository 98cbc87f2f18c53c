package piaflow.rules.gdpr_test

import data.piaflow.fixtures
import data.piaflow.rules.gdpr

eurlex := "https://eur-lex.europa.eu/eli/reg/2016/679/oj"

# is(f, id, kind, severity, fields, ref): the key facts of a finding.
is(f, id, kind, severity, fields, ref) if {
	f.id == id
	f.regime == "gdpr"
	f.kind == kind
	f.severity == severity
	f.fields == fields
	f.citation.ref == ref
}

ids(inp) := x if {
	x := fixtures.ids(gdpr.findings) with input as inp
}

# lacks holds when the findings for the input are computed and none has the id.
lacks(inp, id) if {
	x := ids(inp)
	not id in x
}

# finding returns the only GDPR finding with the id for the input.
finding(inp, id) := f if {
	f := fixtures.one(gdpr.findings, id) with input as inp
}

# the customer is in the US and everybody is in the US: the GDPR does not apply.
us_only := fixtures.with_activity_and(
	{"data_subjects": [fixtures.subjects("customers", ["US"], 500)]},
	{"deployment": {"customer_country": "US", "vendor_country": "US"}},
)

large_health(n) := {"data_categories": ["contact", "health"], "data_subjects": [fixtures.subjects("patients", ["DE"], n)]}

test_baseline_has_no_gdpr_findings if {
	count(gdpr.findings) == 0 with input as fixtures.baseline
	gdpr.applies with input as fixtures.baseline
}

test_gdpr_does_not_apply_without_eu_link if {
	inp := object.union(us_only, {"questionnaire": {
		"security": {"mfa": false, "encryption_at_rest": false, "backups": false},
		"governance": {"privacy_notice": false, "records_of_processing": false},
		"processors": [{"name": "Zendesk", "country": "US", "service": "support", "dpa_signed": false, "baa_signed": false}],
	}})
	not gdpr.applies with input as inp
	count(gdpr.findings) == 0 with input as inp
}

# --- lawful basis ------------------------------------------------------------------------------

test_gdpr_lawful_basis_unknown_is_a_gap if {
	f := finding(fixtures.with_activity({"legal_basis": "unknown"}), "GDPR-LAWFUL-BASIS-UNKNOWN")
	is(f, "GDPR-LAWFUL-BASIS-UNKNOWN", "gap", "high", ["activities[0].legal_basis"], "GDPR Art. 6(1)")
	f.detail == "Activity \"Customer accounts\" has no lawful basis yet. Which Art. 6(1) basis applies (consent, contract, legal obligation, vital interests, public task, legitimate interests)?"
	f.action == {"title": "Identify and document the lawful basis of the activity", "owner": "legal", "due": "2027-02-15"}
}

test_gdpr_lawful_basis_unknown_not_for_non_eu_activity if {
	# a US customer with one EU activity (the GDPR applies) and one US-only activity without a basis
	inp := fixtures.input_with({
		"deployment": {"customer_country": "US"},
		"activities": [
			fixtures.activity,
			object.union(fixtures.activity, {"name": "US leads", "legal_basis": "unknown", "data_subjects": [fixtures.subjects("customers", ["US"], 50)]}),
		],
	})
	gdpr.applies with input as inp
	lacks(inp, "GDPR-LAWFUL-BASIS-UNKNOWN")
}

test_gdpr_lawful_basis_unknown_for_us_people_of_an_eu_customer if {
	# Art. 3(1): an EU-established customer is covered for everybody's data
	inp := fixtures.with_activity({"legal_basis": "unknown", "data_subjects": [fixtures.subjects("customers", ["US"], 50)]})
	f := finding(inp, "GDPR-LAWFUL-BASIS-UNKNOWN")
	f.citation == {"ref": "GDPR Art. 6(1)", "url": gdpr.eurlex}
}

test_gdpr_consent_employees if {
	inp := fixtures.with_activity({"legal_basis": "consent", "data_subjects": [
		fixtures.subjects("customers", ["DE"], 100),
		fixtures.subjects("employees", ["DE"], 40),
		fixtures.subjects("job_applicants", ["AT"], 10),
	]})
	f := finding(inp, "GDPR-CONSENT-EMPLOYEES")
	is(f, "GDPR-CONSENT-EMPLOYEES", "needs_review", "medium", ["activities[0].data_subjects[1].type", "activities[0].data_subjects[2].type", "activities[0].legal_basis"], "GDPR Art. 4(11), 7(4), Recital 43; EDPB Guidelines 05/2020")
	f.detail == "Activity \"Customer accounts\" relies on consent of employees, job_applicants; such consent is presumed not freely given in most cases."
	f.citation.url == "https://www.edpb.europa.eu/our-work-tools/our-documents/guidelines/guidelines-052020-consent-under-regulation-2016679_en"
}

test_gdpr_consent_employees_not_for_customers_or_contract if {
	lacks(fixtures.with_activity({"legal_basis": "consent"}), "GDPR-CONSENT-EMPLOYEES")
	lacks(fixtures.with_activity({"data_subjects": [fixtures.subjects("employees", ["DE"], 40)]}), "GDPR-CONSENT-EMPLOYEES")
}

# --- special categories and criminal data ------------------------------------------------------

test_gdpr_art9_condition if {
	inp := fixtures.with_activity({"data_categories": ["contact", "health", "genetic"]})
	finding(inp, "GDPR-ART9-CONDITION") == {
		"id": "GDPR-ART9-CONDITION",
		"regime": "gdpr",
		"kind": "needs_review",
		"severity": "high",
		"title": "Special category data needs an Art. 9(2) condition",
		"detail": "Activity \"Customer accounts\" processes genetic, health under the lawful basis \"contract\"; an Art. 9(2) condition is needed as well.",
		"detail_msg": {"id": "gdpr.art9_condition", "params": {"activity": "\"Customer accounts\"", "categories": {"sep": ", ", "items": ["genetic", "health"]}, "legal_basis": "\"contract\""}},
		"citation": {"ref": "GDPR Art. 9(1),(2)", "url": eurlex},
		"fields": ["activities[0].data_categories", "activities[0].legal_basis"],
		"action": {"title": "Document the Art. 9(2) condition for each special category", "owner": "legal", "due": "2027-02-15"},
	}
}

test_gdpr_art9_condition_not_for_ordinary_or_criminal_data if {
	# criminal data is Art. 10, not Art. 9; financial data is not special under the GDPR
	lacks(fixtures.with_activity({"data_categories": ["contact", "financial", "criminal"]}), "GDPR-ART9-CONDITION")
}

test_gdpr_art10_criminal if {
	f := finding(fixtures.with_activity({"data_categories": ["contact", "criminal"]}), "GDPR-ART10-CRIMINAL")
	is(f, "GDPR-ART10-CRIMINAL", "needs_review", "high", ["activities[0].data_categories"], "GDPR Art. 10")
	f.detail == "Activity \"Customer accounts\" processes criminal convictions or offences data."
}

test_gdpr_art10_criminal_absent_without_criminal_data if {
	lacks(fixtures.with_activity({"data_categories": ["contact", "health"]}), "GDPR-ART10-CRIMINAL")
}

# --- processors and records --------------------------------------------------------------------

test_gdpr_processor_no_dpa if {
	inp := fixtures.input_with({"processors": [{"name": "Zendesk", "country": "US", "service": "support", "dpa_signed": false, "baa_signed": false}]})
	finding(inp, "GDPR-PROCESSOR-NO-DPA") == {
		"id": "GDPR-PROCESSOR-NO-DPA",
		"regime": "gdpr",
		"kind": "violation",
		"severity": "blocker",
		"title": "Processor without an Art. 28 contract",
		"detail": "Processor \"Zendesk\" (support, US) has no signed data processing agreement.",
		"detail_msg": {"id": "gdpr.processor_no_dpa", "params": {"processor": "\"Zendesk\"", "service": "support", "country": "US"}},
		"citation": {"ref": "GDPR Art. 28(3)", "url": eurlex},
		"fields": ["processors[0].dpa_signed"],
		"action": {"title": "Sign an Art. 28 data processing agreement with the processor", "owner": "vendor_management", "due": "2027-01-30"},
	}
}

test_gdpr_processor_no_dpa_one_per_unsigned_processor if {
	inp := fixtures.input_with({"processors": [
		{"name": "Signed", "country": "DE", "service": "email", "dpa_signed": true, "baa_signed": false},
		{"name": "Unsigned", "country": "FR", "service": "crm", "dpa_signed": false, "baa_signed": false},
	]})
	fs := fixtures.by_id(gdpr.findings, "GDPR-PROCESSOR-NO-DPA") with input as inp
	[f.fields | some f in fs] == [["processors[1].dpa_signed"]]
}

test_gdpr_records_missing if {
	f := finding(fixtures.governance_with({"records_of_processing": false}), "GDPR-RECORDS-MISSING")
	is(f, "GDPR-RECORDS-MISSING", "violation", "medium", ["governance.records_of_processing"], "GDPR Art. 30(1),(2),(5)")
	f.action.owner == "customer"
}

test_gdpr_records_present if {
	lacks(fixtures.governance_with({"records_of_processing": true, "privacy_notice": false}), "GDPR-RECORDS-MISSING")
}

# --- security (Art. 32) ------------------------------------------------------------------------

test_gdpr_sec_encryption_at_rest_medium_for_ordinary_data if {
	inp := fixtures.security_with({"encryption_at_rest": false})
	finding(inp, "GDPR-SEC-ENCRYPTION-AT-REST") == {
		"id": "GDPR-SEC-ENCRYPTION-AT-REST",
		"regime": "gdpr",
		"kind": "violation",
		"severity": "medium",
		"title": "Data not encrypted at rest",
		"detail": "Data is stored unencrypted (security.encryption_at_rest: false).",
		"detail_msg": {"id": "gdpr.rest_unencrypted", "params": {}},
		"citation": {"ref": "GDPR Art. 32(1)(a)", "url": eurlex},
		"fields": ["security.encryption_at_rest"],
		"action": {"title": "Encrypt databases, files and backups at rest", "owner": "engineering", "due": "2027-03-01"},
	}
}

test_gdpr_sec_encryption_at_rest_high_for_sensitive_data if {
	inp := fixtures.with_activity_and({"data_categories": ["contact", "payment_card"]}, {"security": {"encryption_at_rest": false}})
	f := finding(inp, "GDPR-SEC-ENCRYPTION-AT-REST")
	is(f, "GDPR-SEC-ENCRYPTION-AT-REST", "violation", "high", ["security.encryption_at_rest"], "GDPR Art. 32(1)(a)")
	f.detail == "Data is stored unencrypted (security.encryption_at_rest: false); the deployment processes sensitive or highly personal data."
	f.action.due == "2027-02-15" # the due date follows the raised severity
}

test_gdpr_sec_encryption_at_rest_absent_when_encrypted if {
	lacks(fixtures.security_with({"encryption_in_transit": false}), "GDPR-SEC-ENCRYPTION-AT-REST")
}

test_gdpr_sec_encryption_in_transit if {
	f := finding(fixtures.security_with({"encryption_in_transit": false}), "GDPR-SEC-ENCRYPTION-IN-TRANSIT")
	is(f, "GDPR-SEC-ENCRYPTION-IN-TRANSIT", "violation", "high", ["security.encryption_in_transit"], "GDPR Art. 32(1)(a),(b)")
	f.detail == "Data travels unencrypted (security.encryption_in_transit: false)."
}

test_gdpr_sec_encryption_in_transit_absent if {
	lacks(fixtures.security_with({"encryption_at_rest": false}), "GDPR-SEC-ENCRYPTION-IN-TRANSIT")
}

test_gdpr_sec_access_control_shared_accounts if {
	f := finding(fixtures.security_with({"access_control": "shared_accounts"}), "GDPR-SEC-ACCESS-CONTROL")
	is(f, "GDPR-SEC-ACCESS-CONTROL", "violation", "high", ["security.access_control"], "GDPR Art. 5(1)(f), 32(1)(b)")
	f.detail == "Access control is \"shared_accounts\"."
}

test_gdpr_sec_access_control_none if {
	f := finding(fixtures.security_with({"access_control": "none"}), "GDPR-SEC-ACCESS-CONTROL")
	f.detail == "Access control is \"none\"."
}

test_gdpr_sec_access_control_individual_accounts_are_fine if {
	lacks(fixtures.security_with({"access_control": "individual_accounts"}), "GDPR-SEC-ACCESS-CONTROL")
}

test_gdpr_sec_mfa if {
	inp := fixtures.security_with({"mfa": false})
	finding(inp, "GDPR-SEC-MFA") == {
		"id": "GDPR-SEC-MFA",
		"regime": "gdpr",
		"kind": "needs_review",
		"severity": "medium",
		"title": "No multi-factor authentication",
		"detail": "Users sign in without multi-factor authentication (security.mfa: false).",
		"detail_msg": {"id": "gdpr.mfa_off", "params": {}},
		"citation": {"ref": "GDPR Art. 32(1)", "url": eurlex},
		"fields": ["security.mfa"],
		"action": {"title": "Require multi-factor authentication for all access to personal data", "owner": "engineering", "due": "2027-03-01"},
	}
}

test_gdpr_sec_mfa_absent_with_mfa if {
	lacks(fixtures.security_with({"mfa": true, "audit_logging": false}), "GDPR-SEC-MFA")
}

test_gdpr_sec_audit_logging if {
	f := finding(fixtures.security_with({"audit_logging": false}), "GDPR-SEC-AUDIT-LOGGING")
	is(f, "GDPR-SEC-AUDIT-LOGGING", "violation", "medium", ["security.audit_logging"], "GDPR Art. 32(1)(b), 33(3)")
}

test_gdpr_sec_audit_logging_absent if {
	lacks(fixtures.security_with({"mfa": false}), "GDPR-SEC-AUDIT-LOGGING")
}

test_gdpr_sec_backups if {
	inp := fixtures.security_with({"backups": false, "backup_restore_tested": false})
	f := finding(inp, "GDPR-SEC-BACKUPS")
	is(f, "GDPR-SEC-BACKUPS", "violation", "high", ["security.backups"], "GDPR Art. 32(1)(c)")
	f.detail == "The data has no backups (security.backups: false)."

	# without backups there is no restore to test: only the backup finding
	lacks(inp, "GDPR-SEC-RESTORE-TEST")
}

test_gdpr_sec_backups_absent if {
	lacks(fixtures.security_with({"backup_restore_tested": false}), "GDPR-SEC-BACKUPS")
}

test_gdpr_sec_restore_test if {
	f := finding(fixtures.security_with({"backup_restore_tested": false}), "GDPR-SEC-RESTORE-TEST")
	is(f, "GDPR-SEC-RESTORE-TEST", "violation", "medium", ["security.backup_restore_tested"], "GDPR Art. 32(1)(c),(d)")
}

test_gdpr_sec_restore_test_absent_when_tested if {
	lacks(fixtures.baseline, "GDPR-SEC-RESTORE-TEST")
}

test_gdpr_sec_incident_response if {
	f := finding(fixtures.security_with({"incident_response_plan": false}), "GDPR-SEC-INCIDENT-RESPONSE")
	is(f, "GDPR-SEC-INCIDENT-RESPONSE", "violation", "medium", ["security.incident_response_plan"], "GDPR Art. 32(1)(c), 33")
}

test_gdpr_sec_incident_response_absent if {
	lacks(fixtures.security_with({"vulnerability_management": false}), "GDPR-SEC-INCIDENT-RESPONSE")
}

test_gdpr_sec_vulnerability_management if {
	f := finding(fixtures.security_with({"vulnerability_management": false}), "GDPR-SEC-VULNERABILITY-MANAGEMENT")
	is(f, "GDPR-SEC-VULNERABILITY-MANAGEMENT", "violation", "medium", ["security.vulnerability_management"], "GDPR Art. 32(1)(d)")
}

test_gdpr_sec_vulnerability_management_absent if {
	lacks(fixtures.security_with({"incident_response_plan": false}), "GDPR-SEC-VULNERABILITY-MANAGEMENT")
}

# --- DPO (Art. 37) -----------------------------------------------------------------------------

test_gdpr_dpo_required_all_three_cases if {
	inp := fixtures.with_activity_and(
		object.union(large_health(20000), {"core_activity": true, "systematic_monitoring": true}),
		{"deployment": {"customer_type": "public_authority", "customer_country": "FR"}, "governance": {"dpo_appointed": false}},
	)
	finding(inp, "GDPR-DPO-REQUIRED") == {
		"id": "GDPR-DPO-REQUIRED",
		"regime": "gdpr",
		"kind": "violation",
		"severity": "high",
		"title": "Data protection officer required",
		"detail": "Art. 37(1)(a)(b)(c): activity \"Customer accounts\" is a core activity monitoring people regularly and systematically on a large scale; activity \"Customer accounts\" is a core activity processing health on a large scale; the customer is a public authority or body; no DPO is appointed.",
		"detail_msg": {"id": "gdpr.dpo_required", "params": {
			"cases": {"sep": "", "items": ["(a)", "(b)", "(c)"]},
			"reasons": {"sep": "; ", "items": [
				{"id": "gdpr.dpo_why.monitoring", "params": {"activity": "\"Customer accounts\""}},
				{"id": "gdpr.dpo_why.special", "params": {"activity": "\"Customer accounts\"", "categories": {"sep": ", ", "items": ["health"]}}},
				{"id": "gdpr.dpo_why.public_authority", "params": {}},
			]},
		}},
		"citation": {"ref": "GDPR Art. 37(1),(4); BDSG §38(1)", "url": eurlex},
		"fields": ["activities[0].core_activity", "activities[0].data_categories", "activities[0].systematic_monitoring", "deployment.customer_type", "governance.dpo_appointed"],
		"action": {"title": "Appoint a data protection officer and publish the contact details (Art. 37(7))", "owner": "customer", "due": "2027-02-15"},
	}
}

test_gdpr_dpo_required_public_authority if {
	inp := fixtures.input_with({"deployment": {"customer_type": "public_authority"}, "governance": {"dpo_appointed": false}})
	f := finding(inp, "GDPR-DPO-REQUIRED")
	is(f, "GDPR-DPO-REQUIRED", "violation", "high", ["deployment.customer_type", "governance.dpo_appointed"], "GDPR Art. 37(1),(4); BDSG §38(1)")
	f.detail == "Art. 37(1)(a): the customer is a public authority or body; no DPO is appointed."
}

test_gdpr_dpo_required_large_scale_criminal_core_activity if {
	inp := fixtures.with_activity_and(
		{"core_activity": true, "data_categories": ["contact", "criminal"], "data_subjects": [fixtures.subjects("customers", ["DE"], 10000)]},
		{"deployment": {"customer_country": "FR"}, "governance": {"dpo_appointed": false}},
	)
	f := finding(inp, "GDPR-DPO-REQUIRED")
	f.detail == "Art. 37(1)(c): activity \"Customer accounts\" is a core activity processing criminal on a large scale; no DPO is appointed."
}

test_gdpr_dpo_not_required_when_appointed_or_not_core if {
	# appointed
	lacks(
		fixtures.with_activity_and(
			object.union(large_health(20000), {"core_activity": true}),
			{"governance": {"dpo_appointed": true}},
		),
		"GDPR-DPO-REQUIRED",
	)

	# not a core activity (a French customer: Germany's §38 BDSG adds the DPIA case)
	lacks(fixtures.with_activity_and(large_health(20000), {"deployment": {"customer_country": "FR"}, "governance": {"dpo_appointed": false}}), "GDPR-DPO-REQUIRED")

	# core activity, special data, but not large scale
	lacks(
		fixtures.with_activity_and(
			object.union(large_health(9999), {"core_activity": true}),
			{"deployment": {"customer_country": "FR"}, "governance": {"dpo_appointed": false}},
		),
		"GDPR-DPO-REQUIRED",
	)
}

test_gdpr_dpo_core_activity_unknown if {
	inp := fixtures.input_with({
		"deployment": {"customer_country": "FR"},
		"governance": {"dpo_appointed": false},
		"activities": [object.remove(object.union(fixtures.activity, large_health(20000)), ["core_activity"])],
	})
	f := finding(inp, "GDPR-DPO-CORE-ACTIVITY-UNKNOWN")
	is(f, "GDPR-DPO-CORE-ACTIVITY-UNKNOWN", "gap", "medium", ["activities[0].core_activity"], "GDPR Art. 37(1)(b),(c)")
	f.detail == "Activity \"Customer accounts\" is large scale and processes special-category data or monitors people. Is it a core activity of the customer?"
	lacks(inp, "GDPR-DPO-REQUIRED")
}

test_gdpr_dpo_core_activity_unknown_for_monitoring if {
	inp := fixtures.input_with({
		"governance": {"dpo_appointed": false},
		"activities": [object.remove(object.union(fixtures.activity, {"systematic_monitoring": true, "data_subjects": [fixtures.subjects("customers", ["DE"], 50000)]}), ["core_activity"])],
	})
	"GDPR-DPO-CORE-ACTIVITY-UNKNOWN" in ids(inp)
}

test_gdpr_dpo_core_activity_unknown_not_asked_when_irrelevant if {
	# small scale
	lacks(
		fixtures.input_with({
			"governance": {"dpo_appointed": false},
			"activities": [object.remove(object.union(fixtures.activity, large_health(500)), ["core_activity"])],
		}),
		"GDPR-DPO-CORE-ACTIVITY-UNKNOWN",
	)

	# large scale, ordinary data, no monitoring
	lacks(
		fixtures.input_with({
			"governance": {"dpo_appointed": false},
			"activities": [object.remove(object.union(fixtures.activity, {"data_subjects": [fixtures.subjects("customers", ["DE"], 50000)]}), ["core_activity"])],
		}),
		"GDPR-DPO-CORE-ACTIVITY-UNKNOWN",
	)

	# answered
	lacks(fixtures.with_activity_and(large_health(20000), {"governance": {"dpo_appointed": false}}), "GDPR-DPO-CORE-ACTIVITY-UNKNOWN")

	# a DPO is appointed anyway
	lacks(fixtures.input_with({"activities": [object.remove(object.union(fixtures.activity, large_health(20000)), ["core_activity"])]}), "GDPR-DPO-CORE-ACTIVITY-UNKNOWN")
}

# --- EU representative (Art. 27) ---------------------------------------------------------------

non_eu_customer := fixtures.input_with({
	"deployment": {"customer_country": "US", "vendor_country": "US"},
	"governance": {"local_representative": false},
	"activities": [object.union(fixtures.activity, {"data_subjects": [
		fixtures.subjects("customers", ["FR", "DE", "US"], 100),
		fixtures.subjects("customers", ["US"], 100),
	]})],
})

test_gdpr_eu_representative_conditional_while_targeting_is_unanswered if {
	# people in the EU, no targeting answers: whether Art. 3(2) reaches the customer is open, so
	# the representative is a review naming the question, never above medium
	finding(non_eu_customer, "GDPR-EU-REPRESENTATIVE") == {
		"id": "GDPR-EU-REPRESENTATIVE",
		"regime": "gdpr",
		"kind": "needs_review",
		"severity": "medium",
		"title": "EU representative required",
		"detail": "The customer is established in US and processes data of people in DE, FR; no EU representative is recorded. Art. 27 applies if the customer offers them goods or services or monitors their behaviour (Art. 3(2)): does it? Answer activities[].targeted_countries and monitored_countries.",
		"detail_msg": {"id": "gdpr.representative.review", "params": {"customer_country": "US", "subject_country": {"sep": ", ", "items": ["DE", "FR"]}}},
		"citation": {"ref": "GDPR Art. 3(2), 27", "url": eurlex},
		"fields": ["activities[0].data_subjects[0].countries", "activities[0].monitored_countries", "activities[0].targeted_countries", "deployment.customer_country", "governance.local_representative"],
		"action": {"title": "Designate an EU representative in writing in a member state where the data subjects are", "owner": "customer", "due": "2027-03-01"},
	}
}

test_gdpr_eu_representative_firm_when_the_activity_targets_the_eu if {
	inp := object.union(non_eu_customer, {"questionnaire": {"activities": [object.union(non_eu_customer.questionnaire.activities[0], {"targeted_countries": ["FR"]})]}})
	f := finding(inp, "GDPR-EU-REPRESENTATIVE")
	is(f, "GDPR-EU-REPRESENTATIVE", "violation", "high", ["activities[0].data_subjects[0].countries", "deployment.customer_country", "governance.local_representative"], "GDPR Art. 3(2), 27")
	f.detail == concat("", [
		"The customer is established in US and offers goods or services to, or monitors, people in DE, FR (Art. 3(2)); no EU representative is ",
		"recorded. The Art. 27(2)(a) exemption needs occasional processing, unlikely to result in a risk and without large-scale Art. 9 or 10 data; ",
		"a production system is regular processing.",
	])
	f.action.due == "2027-02-15"

	# legal confirmed that the GDPR reaches the deployment: firm too
	confirmed := object.union(non_eu_customer, {"questionnaire": {"deployment": {"scope_confirmed": {"gdpr": true}}}})
	finding(confirmed, "GDPR-EU-REPRESENTATIVE").kind == "violation"
}

test_gdpr_eu_representative_not_for_activities_that_do_not_target_the_eu if {
	# both answers given, no EU country: Art. 3(2) does not reach the activity, and without
	# another EU link the GDPR does not apply at all (the vendor is in the US too)
	inp := object.union(non_eu_customer, {"questionnaire": {
		"deployment": {"vendor_country": "US"},
		"activities": [object.union(non_eu_customer.questionnaire.activities[0], {"targeted_countries": ["US"], "monitored_countries": []})],
	}})
	lacks(inp, "GDPR-EU-REPRESENTATIVE")
	not gdpr.applies with input as inp
}

test_gdpr_eu_representative_not_required if {
	# designated
	lacks(object.union(non_eu_customer, {"questionnaire": {"governance": {"local_representative": true}}}), "GDPR-EU-REPRESENTATIVE")

	# public authority (Art. 27(2)(b))
	lacks(object.union(non_eu_customer, {"questionnaire": {"deployment": {"customer_type": "public_authority"}}}), "GDPR-EU-REPRESENTATIVE")

	# established in the EU
	lacks(fixtures.governance_with({"local_representative": false}), "GDPR-EU-REPRESENTATIVE")
}

# --- retention, transparency, rights, automated decisions ----------------------------------------

test_gdpr_retention_undefined if {
	f := finding(fixtures.without_activity_keys(["retention_days"]), "GDPR-RETENTION-UNDEFINED")
	is(f, "GDPR-RETENTION-UNDEFINED", "gap", "medium", ["activities[0].retention_days"], "GDPR Art. 5(1)(e), 30(1)(f)")
	f.detail == "Activity \"Customer accounts\" has no retention period. How many days is the data kept?"
}

test_gdpr_retention_defined if {
	lacks(fixtures.with_activity({"retention_days": 0}), "GDPR-RETENTION-UNDEFINED")
}

test_gdpr_privacy_notice if {
	inp := fixtures.governance_with({"privacy_notice": false})
	finding(inp, "GDPR-PRIVACY-NOTICE") == {
		"id": "GDPR-PRIVACY-NOTICE",
		"regime": "gdpr",
		"kind": "violation",
		"severity": "high",
		"title": "No privacy notice",
		"detail": "No privacy notice informs the data subjects (governance.privacy_notice: false).",
		"detail_msg": {"id": "gdpr.no_privacy_notice", "params": {}},
		"citation": {"ref": "GDPR Art. 12-14", "url": eurlex},
		"fields": ["governance.privacy_notice"],
		"action": {"title": "Publish a privacy notice covering the deployment's processing", "owner": "customer", "due": "2027-02-15"},
	}
}

test_gdpr_privacy_notice_present if {
	lacks(fixtures.governance_with({"data_subject_request_process": false}), "GDPR-PRIVACY-NOTICE")
}

test_gdpr_dsr_process if {
	f := finding(fixtures.governance_with({"data_subject_request_process": false}), "GDPR-DSR-PROCESS")
	is(f, "GDPR-DSR-PROCESS", "violation", "medium", ["governance.data_subject_request_process"], "GDPR Art. 12(3), 15-22")
}

test_gdpr_dsr_process_present if {
	lacks(fixtures.governance_with({"privacy_notice": false}), "GDPR-DSR-PROCESS")
}

test_gdpr_automated_decision if {
	f := finding(fixtures.with_activity({"automated_decisions": true, "decisions_legal_effect": true}), "GDPR-AUTOMATED-DECISION")
	is(f, "GDPR-AUTOMATED-DECISION", "needs_review", "high", ["activities[0].automated_decisions", "activities[0].decisions_legal_effect"], "GDPR Art. 22")
	f.detail == "Activity \"Customer accounts\" takes solely automated decisions with legal or similarly significant effect."
}

test_gdpr_automated_decision_needs_legal_effect if {
	lacks(fixtures.with_activity({"automated_decisions": true}), "GDPR-AUTOMATED-DECISION")
	lacks(fixtures.with_activity({"decisions_legal_effect": true}), "GDPR-AUTOMATED-DECISION")
}

# --- transfers ---------------------------------------------------------------------------------

test_gdpr_transfer_tia if {
	inp := fixtures.with_activity({"transfers": [
		fixtures.transfer({"to_country": "IN"}),
		fixtures.transfer({"to_country": "US", "mechanism": "bcr", "recipient": "Group IT", "recipient_type": "vendor_affiliate"}),
	]})
	finding(inp, "GDPR-TRANSFER-TIA") == {
		"id": "GDPR-TRANSFER-TIA",
		"regime": "gdpr",
		"kind": "needs_review",
		"severity": "medium",
		"title": "Transfer impact assessment for SCC or BCR transfers",
		"detail": "Transfers to IN, US rely on bcr, scc.",
		"detail_msg": {"id": "gdpr.transfer_tia", "params": {
			"to_country": {"sep": ", ", "items": ["IN", "US"]},
			"mechanisms": {"sep": ", ", "items": [{"id": "gdpr.mechanism.bcr", "params": {}}, {"id": "gdpr.mechanism.scc", "params": {}}]},
		}},
		"citation": {"ref": "GDPR Art. 46; CJEU C-311/18; EDPB Recommendations 01/2020", "url": "https://www.edpb.europa.eu/our-work-tools/our-documents/recommendations/recommendations-012020-measures-supplement-transfer_en"},
		"fields": ["activities[0].transfers[0].mechanism", "activities[0].transfers[0].to_country", "activities[0].transfers[1].mechanism", "activities[0].transfers[1].to_country"],
		"action": {"title": "Document a transfer impact assessment for each destination relying on SCCs or BCRs", "owner": "legal", "due": "2027-03-01"},
	}
}

test_gdpr_transfer_tia_not_for_adequate_destinations if {
	# the recipient is certified under the EU-US DPF: the adequacy decision covers it
	lacks(fixtures.with_activity({"transfers": [fixtures.transfer({"recipient_certifications": ["eu_us_dpf"]})]}), "GDPR-TRANSFER-TIA")

	# Japan is adequate
	lacks(fixtures.with_activity({"transfers": [fixtures.transfer({"to_country": "JP"})]}), "GDPR-TRANSFER-TIA")
}

test_gdpr_own_staff_access if {
	inp := fixtures.with_activity({"transfers": [fixtures.transfer({"recipient": "Our engineers", "recipient_type": "own_staff", "mechanism": "none"})]})
	finding(inp, "GDPR-OWN-STAFF-ACCESS") == {
		"id": "GDPR-OWN-STAFF-ACCESS",
		"regime": "gdpr",
		"kind": "needs_review",
		"severity": "info",
		"title": "Own staff reach the data from a third country",
		"detail": "Our engineers reach activity \"Customer accounts\"'s data from US: not a transfer under Chapter V, but covered by Art. 32.",
		"detail_msg": {"id": "gdpr.own_staff_access", "params": {"recipient": "Our engineers", "activity": "\"Customer accounts\"", "country": "US"}},
		"citation": {"ref": "GDPR Art. 32; EDPB Guidelines 05/2021", "url": "https://www.edpb.europa.eu/our-work-tools/our-documents/guidelines/guidelines-052021-interplay-between-application-article-3_en"},
		"fields": ["activities[0].transfers[0].recipient_type"],
		# info has no due-date offset
		"action": {"title": "Secure and log remote access by staff abroad", "owner": "engineering"},
	}

	# not a transfer: no transfer finding for the mechanism "none"
	flows := data.piaflow.rules.transfers.flows with input as inp
	count(flows) == 0
}

test_gdpr_own_staff_access_not_inside_the_eu if {
	lacks(fixtures.with_activity({"transfers": [fixtures.transfer({"to_country": "FR", "recipient_type": "own_staff"})]}), "GDPR-OWN-STAFF-ACCESS")
	lacks(fixtures.with_activity({"transfers": [fixtures.transfer({"to_country": "US"})]}), "GDPR-OWN-STAFF-ACCESS")
}

test_gdpr_rules_ignore_activities_without_eu_people if {
	# a US customer with a few German customers (so the GDPR applies) and a separate US-only
	# patient registry: the registry raises no GDPR DPO or DPIA finding
	inp := fixtures.input_with({
		"deployment": {"customer_country": "US", "vendor_country": "US"},
		"activities": [
			fixtures.activity,
			object.union(fixtures.activity, {
				"name": "US registry", "core_activity": true, "data_categories": ["health"],
				"data_subjects": [fixtures.subjects("patients", ["US"], 200000)],
			}),
		],
		"governance": object.union(fixtures.questionnaire.governance, {"dpo_appointed": false}),
	})
	lacks(inp, "GDPR-DPO-REQUIRED")
	not "GDPR-DPIA-REQUIRED" in {f.id | some f in data.piaflow.rules.dpia.findings} with input as inp
}

test_uk_gdpr_runs_the_gdpr_rules if {
	# a UK deployment with the same gaps as an EU one gets the same findings under the UK GDPR
	inp := fixtures.input_with({
		"deployment": {"customer_country": "GB", "vendor_country": "GB"},
		"hosting": fixtures.hosting_in("GB", {}),
		"activities": [object.union(fixtures.activity, {"legal_basis": "unknown", "data_subjects": [fixtures.subjects("customers", ["GB"], 500)]})],
		"processors": [{"name": "Zendesk", "country": "GB", "service": "support", "dpa_signed": false, "baa_signed": false}],
	})
	x := ids(inp)
	"UK-GDPR-LAWFUL-BASIS-UNKNOWN" in x
	"UK-GDPR-PROCESSOR-NO-DPA" in x
	not "GDPR-PROCESSOR-NO-DPA" in x # the EU GDPR does not apply
	f := finding(inp, "UK-GDPR-PROCESSOR-NO-DPA")
	f.regime == "uk_gdpr"
	f.citation == {"ref": "UK GDPR Art. 28(3)", "url": "https://www.legislation.gov.uk/eur/2016/679/contents"}
}

test_gdpr_dpo_required_in_germany_when_a_dpia_is_needed if {
	# BDSG §38(1): a German customer whose processing needs a DPIA needs a DPO, core activity or not
	inp := fixtures.with_activity_and(large_health(20000), {"governance": {"dpo_appointed": false}})
	f := finding(inp, "GDPR-DPO-REQUIRED")
	f.detail == "Art. 37(1)(4) with BDSG §38(1): the customer is established in Germany and the processing needs a DPIA (required); no DPO is appointed."
	f.detail_msg == {"id": "gdpr.dpo_required.bdsg", "params": {"reasons": {"sep": "; ", "items": [{"id": "gdpr.dpo_why.de_dpia.required", "params": {}}]}}}
	f.fields == ["deployment.customer_country", "governance.dpo_appointed"]
}

test_gdpr_dpo_required_in_germany_and_under_art_37_1 if {
	# a German public authority: the German case and case (a), one message naming both
	inp := fixtures.with_activity_and(large_health(20000), {"deployment": {"customer_type": "public_authority"}, "governance": {"dpo_appointed": false}})
	f := finding(inp, "GDPR-DPO-REQUIRED")
	f.detail == "Art. 37(1)(4) with BDSG §38(1)(a): the customer is a public authority or body; the customer is established in Germany and the processing needs a DPIA (required); no DPO is appointed."
	f.detail_msg.id == "gdpr.dpo_required.bdsg_and"
	f.detail_msg.params.cases == {"sep": "", "items": ["(a)"]}
}

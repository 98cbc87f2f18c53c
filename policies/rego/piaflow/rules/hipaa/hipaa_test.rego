package piaflow.rules.hipaa_test

import data.piaflow.fixtures
import data.piaflow.rules.hipaa

ecfr_312 := "https://www.ecfr.gov/current/title-45/subtitle-A/subchapter-C/part-164/subpart-C/section-164.312"

hhs_cloud := "https://www.hhs.gov/hipaa/for-professionals/special-topics/health-information-technology/cloud-computing/index.html"

# A US clinic (covered entity) with patients in the US, hosted in the US, every safeguard in place.
clinic(status) := fixtures.with_activity_and(
	{"data_categories": ["contact", "health"], "data_subjects": [fixtures.subjects("patients", ["US"], 2000)]},
	{
		"deployment": {"customer_country": "US", "us_hipaa": status},
		"hosting": fixtures.hosting_in("US", {"provider": "aws"}),
	},
)

covered := clinic({"customer_is_covered_entity": true})

# covered entity with the questionnaire patched
covered_with(patch) := object.union(covered, {"questionnaire": patch})

ids(inp) := x if {
	x := fixtures.ids(hipaa.findings) with input as inp
}

lacks(inp, id) if {
	x := ids(inp)
	not id in x
}

finding(inp, id) := f if {
	f := fixtures.one(hipaa.findings, id) with input as inp
}

is(f, id, kind, severity, fields, ref) if {
	f.id == id
	f.regime == "us_hipaa"
	f.kind == kind
	f.severity == severity
	f.fields == fields
	f.citation.ref == ref
}

# --- applicability -----------------------------------------------------------------------------

test_hipaa_applies_to_a_covered_entity if {
	hipaa.applies with input as covered
	count(hipaa.findings) == 0 with input as covered
	hipaa.regime == {{
		"id": "us_hipaa",
		"name": "HIPAA Privacy, Security and Breach Notification Rules (45 CFR Parts 160, 164)",
		"short": "HIPAA",
		"why": "health information of people in the US handled for a covered entity: protected health information (45 CFR 160.103)",
		"why_msg": {"id": "hipaa.why.covered_entity", "params": {}},
		"fields": ["activities[0].data_categories", "deployment.us_hipaa"],
		"citation": {"ref": "45 CFR 160.103", "url": "https://www.ecfr.gov/current/title-45/subtitle-A/subchapter-C"},
	}} with input as covered
}

test_hipaa_applies_to_a_business_associate if {
	inp := clinic({"customer_is_covered_entity": false, "customer_is_business_associate": true})
	hipaa.applies with input as inp
	some r in hipaa.regime with input as inp
	r.why == "health information of people in the US handled for a business associate: protected health information (45 CFR 160.103)"
	r.why_msg.id == "hipaa.why.business_associate"
}

test_hipaa_does_not_apply_to_neither if {
	inp := clinic({"customer_is_covered_entity": false, "customer_is_business_associate": false})
	not hipaa.applies with input as inp
	count(hipaa.regime) == 0 with input as inp
	count(hipaa.findings) == 0 with input as inp
}

test_hipaa_does_not_apply_without_us_health_data if {
	# health data of people in Germany
	inp := object.union(covered, {"questionnaire": {"activities": [object.union(fixtures.activity, {"data_categories": ["health"]})]}})
	not hipaa.applies with input as inp
	count(hipaa.us_health) == 0 with input as inp

	# US people, no health data
	inp2 := object.union(covered, {"questionnaire": {"activities": [object.union(fixtures.activity, {"data_subjects": [fixtures.subjects("customers", ["US"], 10)]})]}})
	not hipaa.applies with input as inp2
}

test_genetic_data_is_phi if {
	inp := object.union(covered, {"questionnaire": {"activities": [object.union(fixtures.activity, {"data_categories": ["genetic"], "data_subjects": [fixtures.subjects("patients", ["US"], 10)]})]}})
	hipaa.applies with input as inp
}

test_hipaa_status_unknown if {
	inp := clinic({})
	finding(inp, "HIPAA-STATUS-UNKNOWN") == {
		"id": "HIPAA-STATUS-UNKNOWN",
		"regime": "us_hipaa",
		"kind": "gap",
		"severity": "high",
		"title": "HIPAA status of the customer unknown",
		"detail": "Health information of people in the US is processed. Is the customer a covered entity (health plan, clearinghouse, provider billing electronically) or a business associate?",
		"detail_msg": {"id": "hipaa.status_unknown", "params": {}},
		"citation": {"ref": "45 CFR 160.103", "url": "https://www.ecfr.gov/current/title-45/subtitle-A/subchapter-C/part-160/subpart-A/section-160.103"},
		"fields": ["activities[0].data_categories", "deployment.us_hipaa"],
		"action": {"title": "Confirm whether the customer is a HIPAA covered entity or business associate", "owner": "customer", "due": "2027-02-15"},
	}
	not hipaa.applies with input as inp
}

test_hipaa_status_unknown_when_us_hipaa_omitted if {
	inp := fixtures.input_with({
		"deployment": {"customer_country": "US"},
		"activities": [object.union(fixtures.activity, {"data_categories": ["health"], "data_subjects": [fixtures.subjects("patients", ["US"], 10)]})],
	})
	"HIPAA-STATUS-UNKNOWN" in ids(inp)
}

test_hipaa_status_known if {
	lacks(covered, "HIPAA-STATUS-UNKNOWN")
	lacks(clinic({"customer_is_covered_entity": false, "customer_is_business_associate": false}), "HIPAA-STATUS-UNKNOWN")
}

test_hipaa_status_half_answered_is_a_gap if {
	# "not a business associate" says nothing about being a covered entity
	inp := clinic({"customer_is_business_associate": false})
	some f in hipaa.findings with input as inp
	f.id == "HIPAA-STATUS-UNKNOWN"
}

# --- business associate agreements -------------------------------------------------------------

test_hipaa_baa_missing_for_a_cloud_host_without_the_key if {
	inp := covered_with({"processors": [{"name": "AWS", "country": "US", "service": "hosting", "dpa_signed": true, "baa_signed": false, "key_access": false}]})
	finding(inp, "HIPAA-BAA-MISSING") == {
		"id": "HIPAA-BAA-MISSING",
		"regime": "us_hipaa",
		"kind": "violation",
		"severity": "blocker",
		"title": "No business associate agreement",
		"detail": "Processor \"AWS\" (hosting) has no BAA; it cannot decrypt the data, but that does not exempt it (HHS cloud guidance).",
		"detail_msg": {"id": "hipaa.baa_missing.no_key", "params": {"processor": "\"AWS\"", "service": "hosting"}},
		"citation": {"ref": "45 CFR 164.502(e), 164.504(e), 164.308(b)", "url": hhs_cloud},
		"fields": ["processors[0].baa_signed"],
		"action": {"title": "Sign a business associate agreement with the processor before it receives PHI", "owner": "vendor_management", "due": "2027-01-30"},
	}
}

test_hipaa_baa_missing_for_a_processor_with_the_key if {
	inp := covered_with({"processors": [
		{"name": "AWS", "country": "US", "service": "hosting", "dpa_signed": true, "baa_signed": true},
		{"name": "Mailer", "country": "US", "service": "email", "dpa_signed": true, "baa_signed": false},
	]})
	f := finding(inp, "HIPAA-BAA-MISSING")
	is(f, "HIPAA-BAA-MISSING", "violation", "blocker", ["processors[1].baa_signed"], "45 CFR 164.502(e), 164.504(e), 164.308(b)")
	f.detail == "Processor \"Mailer\" (email) has no BAA."
}

test_hipaa_baa_signed if {
	lacks(covered, "HIPAA-BAA-MISSING")
}

test_hipaa_baa_missing_needs_hipaa if {
	inp := object.union(clinic({"customer_is_covered_entity": false, "customer_is_business_associate": false}), {"questionnaire": {"processors": [{"name": "Mailer", "country": "US", "service": "email", "dpa_signed": true, "baa_signed": false}]}})
	lacks(inp, "HIPAA-BAA-MISSING")
}

# --- Security Rule -----------------------------------------------------------------------------

test_hipaa_unique_user_id if {
	inp := covered_with({"security": {"access_control": "none"}})
	finding(inp, "HIPAA-UNIQUE-USER-ID") == {
		"id": "HIPAA-UNIQUE-USER-ID",
		"regime": "us_hipaa",
		"kind": "violation",
		"severity": "blocker",
		"title": "No unique user identification",
		"detail": "Access control is \"none\": users are not uniquely identified.",
		"detail_msg": {"id": "hipaa.access_not_unique", "params": {"access_control": "\"none\""}},
		"citation": {"ref": "45 CFR 164.312(a)(2)(i)", "url": ecfr_312},
		"fields": ["security.access_control"],
		"action": {"title": "Give every user an individual account", "owner": "engineering", "due": "2027-01-30"},
	}
	"HIPAA-UNIQUE-USER-ID" in ids(covered_with({"security": {"access_control": "shared_accounts"}}))
}

test_hipaa_unique_user_id_with_individual_accounts if {
	lacks(covered_with({"security": {"access_control": "individual_accounts"}}), "HIPAA-UNIQUE-USER-ID")
}

test_hipaa_audit_controls if {
	f := finding(covered_with({"security": {"audit_logging": false}}), "HIPAA-AUDIT-CONTROLS")
	is(f, "HIPAA-AUDIT-CONTROLS", "violation", "high", ["security.audit_logging"], "45 CFR 164.312(b)")
	f.detail == "Activity on ePHI is not logged (security.audit_logging: false)."
}

test_hipaa_audit_controls_present if {
	lacks(covered_with({"security": {"mfa": false}}), "HIPAA-AUDIT-CONTROLS")
}

test_hipaa_integrity if {
	inp := covered_with({"security": {"integrity_controls": false}})
	f := finding(inp, "HIPAA-INTEGRITY")
	is(f, "HIPAA-INTEGRITY", "violation", "medium", ["security.integrity_controls"], "45 CFR 164.312(c)(1),(2)")
	f.detail == "ePHI has no integrity controls (security.integrity_controls: false)."
	lacks(inp, "HIPAA-INTEGRITY-UNKNOWN")
}

test_hipaa_integrity_in_place if {
	lacks(covered, "HIPAA-INTEGRITY")
	lacks(covered, "HIPAA-INTEGRITY-UNKNOWN")
}

test_hipaa_integrity_unknown if {
	inp2 := json.patch(covered, [{"op": "remove", "path": "/questionnaire/security/integrity_controls"}])
	f := finding(inp2, "HIPAA-INTEGRITY-UNKNOWN")
	f == {
		"id": "HIPAA-INTEGRITY-UNKNOWN",
		"regime": "us_hipaa",
		"kind": "gap",
		"severity": "low",
		"title": "Are integrity controls in place?",
		"detail": "Is ePHI protected against improper alteration or destruction (checksums, signatures, write-once logs)?",
		"detail_msg": {"id": "hipaa.integrity_unknown", "params": {}},
		"citation": {"ref": "45 CFR 164.312(c)(1)", "url": ecfr_312},
		"fields": ["security.integrity_controls"],
		"action": {"title": "Answer whether ePHI is protected against improper alteration (security.integrity_controls)", "owner": "engineering", "due": "2027-05-30"},
	}
	lacks(inp2, "HIPAA-INTEGRITY")
}

test_hipaa_transmission_security if {
	f := finding(covered_with({"security": {"encryption_in_transit": false}}), "HIPAA-TRANSMISSION-SECURITY")
	is(f, "HIPAA-TRANSMISSION-SECURITY", "violation", "high", ["security.encryption_in_transit"], "45 CFR 164.312(e)(1),(2)(ii)")
}

test_hipaa_transmission_security_encrypted if {
	lacks(covered_with({"security": {"encryption_at_rest": false}}), "HIPAA-TRANSMISSION-SECURITY")
}

test_hipaa_encryption_at_rest if {
	f := finding(covered_with({"security": {"encryption_at_rest": false}}), "HIPAA-ENCRYPTION-AT-REST")
	is(f, "HIPAA-ENCRYPTION-AT-REST", "violation", "medium", ["security.encryption_at_rest"], "45 CFR 164.312(a)(2)(iv), 164.402")
	f.detail == "ePHI is stored unencrypted (security.encryption_at_rest: false); a breach of it would be of unsecured PHI."
}

test_hipaa_encryption_at_rest_encrypted if {
	lacks(covered_with({"security": {"encryption_in_transit": false}}), "HIPAA-ENCRYPTION-AT-REST")
}

test_hipaa_backup_plan if {
	f := finding(covered_with({"security": {"backups": false}}), "HIPAA-BACKUP-PLAN")
	is(f, "HIPAA-BACKUP-PLAN", "violation", "high", ["security.backups"], "45 CFR 164.308(a)(7)(ii)(A),(B)")
	f.citation.url == "https://www.ecfr.gov/current/title-45/subtitle-A/subchapter-C/part-164/subpart-C/section-164.308"
}

test_hipaa_backup_plan_present if {
	lacks(covered_with({"security": {"backup_restore_tested": false}}), "HIPAA-BACKUP-PLAN")
}

test_hipaa_breach_process if {
	inp := covered_with({"governance": {"breach_notification_process": false}})
	finding(inp, "HIPAA-BREACH-PROCESS") == {
		"id": "HIPAA-BREACH-PROCESS",
		"regime": "us_hipaa",
		"kind": "violation",
		"severity": "high",
		"title": "No breach notification process for PHI",
		"detail": "No breach notification process is recorded (governance.breach_notification_process: false).",
		"detail_msg": {"id": "hipaa.no_breach_process", "params": {}},
		"citation": {"ref": "45 CFR 164.404-164.410", "url": "https://www.ecfr.gov/current/title-45/subtitle-A/subchapter-C/part-164/subpart-D"},
		"fields": ["governance.breach_notification_process"],
		"action": {"title": "Set up a breach notification process meeting the 60-day deadline", "owner": "customer", "due": "2027-02-15"},
	}
}

test_hipaa_breach_process_present if {
	lacks(covered_with({"governance": {"dpo_appointed": false}}), "HIPAA-BREACH-PROCESS")
}

# --- offshore ----------------------------------------------------------------------------------

test_hipaa_offshore_risk_analysis if {
	inp := object.union(covered, {"questionnaire": {
		"hosting": [
			{"name": "primary", "provider": "aws", "region": "us-east-1", "country": "US", "role": "primary"},
			{"name": "dr", "provider": "aws", "region": "eu-central-1", "country": "DE", "role": "disaster_recovery"},
		],
		"activities": [object.union(fixtures.activity, {
			"data_categories": ["health"],
			"data_subjects": [fixtures.subjects("patients", ["US"], 2000)],
			"transfers": [fixtures.transfer({"to_country": "IN", "recipient": "Offshore support"}), fixtures.transfer({"to_country": "US", "recipient": "Onshore support"})],
		})],
	}})
	finding(inp, "HIPAA-OFFSHORE-RISK-ANALYSIS") == {
		"id": "HIPAA-OFFSHORE-RISK-ANALYSIS",
		"regime": "us_hipaa",
		"kind": "needs_review",
		"severity": "medium",
		"title": "ePHI stored or accessed outside the US",
		"detail": "ePHI is stored or reached outside the US: Offshore support in IN; hosting \"dr\" in DE.",
		"detail_msg": {"id": "hipaa.offshore", "params": {"places": {"sep": "; ", "items": [
			{"id": "hipaa.where.transfer", "params": {"recipient": "Offshore support", "country": "IN"}},
			{"id": "hipaa.where.hosting", "params": {"name": "\"dr\"", "country": "DE"}},
		]}}},
		"citation": {"ref": "45 CFR 164.308(a)(1)(ii)(A),(B)", "url": hhs_cloud},
		"fields": ["activities[0].transfers[0].to_country", "hosting[1].country"],
		"action": {"title": "Cover the offshore locations in the HIPAA risk analysis and check contracts for offshore bans", "owner": "legal", "due": "2027-03-01"},
	}
}

test_hipaa_offshore_not_for_us_hosting_and_access if {
	lacks(covered, "HIPAA-OFFSHORE-RISK-ANALYSIS")
	inp := object.union(covered, {"questionnaire": {"activities": [object.union(fixtures.activity, {
		"data_categories": ["health"],
		"data_subjects": [fixtures.subjects("patients", ["US"], 2000)],
		"transfers": [fixtures.transfer({"to_country": "US"})],
	})]}})
	lacks(inp, "HIPAA-OFFSHORE-RISK-ANALYSIS")
}

test_hipaa_patient_contact_data_is_phi if {
	# a covered entity's patient contact data is PHI even without a health category
	inp := fixtures.with_activity_and(
		{"data_categories": ["contact"], "data_subjects": [fixtures.subjects("patients", ["US"], 2000)]},
		{"deployment": {"customer_country": "US", "us_hipaa": {"customer_is_covered_entity": true}}, "hosting": fixtures.hosting_in("US", {})},
	)
	hipaa.applies with input as inp
}

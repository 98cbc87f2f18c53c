# METADATA
# title: HIPAA (45 CFR Parts 160 and 164)
# description: >-
#   Protected health information of a covered entity or business associate: business associate
#   agreements (incl. cloud hosts, HHS cloud guidance), Security Rule technical safeguards,
#   contingency planning, breach notification, offshore risk analysis.
package piaflow.rules.hipaa

import data.piaflow.facts
import data.piaflow.lib

ecfr := "https://www.ecfr.gov/current/title-45/subtitle-A/subchapter-C"

phi_categories := {"health", "genetic"}

# us_health: activities with health information of people in the US.
us_health contains i if {
	"US" in facts.all_subject_countries
	some g in facts.groups
	"US" in g.countries
	health_information(g)
	i := g.activity
}

# health_information: the group's data relates to health or care — health or genetic data, or
# any data about patients (their contact and billing data too: 45 CFR 160.103).
health_information(g) if count(facts.categories[g.activity] & phi_categories) > 0

health_information(g) if g.type == "patients"

status := object.get(facts.deployment, "us_hipaa", {})

covered_entity if status.customer_is_covered_entity == true

business_associate if status.customer_is_business_associate == true

regulated_party if covered_entity

regulated_party if business_associate

# status_unknown: neither answer is yes and at least one is missing.
status_unknown if {
	not regulated_party
	some k in ["customer_is_covered_entity", "customer_is_business_associate"]
	not k in object.keys(status)
}

applies if {
	count(us_health) > 0
	regulated_party
}

us_fields := {sprintf("activities[%d].data_categories", [i]) | some i in us_health}

regime contains r if {
	applies
	why := lib.msg(sprintf("hipaa.why.%s", [party_id]), sprintf("health information of people in the US handled for a %s: protected health information (45 CFR 160.103)", [party]), {})
	r := object.union(lib.why_fields(why), {
		"id": "us_hipaa",
		"name": "HIPAA Privacy, Security and Breach Notification Rules (45 CFR Parts 160, 164)",
		"short": "HIPAA",
		"fields": sort(us_fields | {"deployment.us_hipaa"}),
		"citation": {"ref": "45 CFR 160.103", "url": ecfr},
	})
}

# party_id names the message of the regime's reason by the customer's HIPAA status.
party_id := "covered_entity" if covered_entity

party_id := "business_associate" if {
	not covered_entity
	business_associate
}

party := "covered entity" if covered_entity

party := "business associate" if {
	not covered_entity
	business_associate
}

# METADATA
# title: HIPAA status of the customer unknown
# description: >-
#   The deployment handles health information of people in the US; whether it is PHI depends on the customer being a covered entity or business associate.
# related_resources:
#   - ref: https://www.ecfr.gov/current/title-45/subtitle-A/subchapter-C/part-160/subpart-A/section-160.103
#     description: 45 CFR 160.103 (definitions)
# custom:
#   id: HIPAA-STATUS-UNKNOWN
#   regime: us_hipaa
#   ref: 45 CFR 160.103
#   kind: gap
#   severity: high
#   owner: customer
#   action: Confirm whether the customer is a HIPAA covered entity or business associate
findings contains lib.finding(rego.metadata.rule(), lib.msg("hipaa.status_unknown", "Health information of people in the US is processed. Is the customer a covered entity (health plan, clearinghouse, provider billing electronically) or a business associate?", {}), us_fields | {"deployment.us_hipaa"}) if {
	count(us_health) > 0
	status_unknown
}

# METADATA
# title: No business associate agreement
# description: >-
#   Every business associate, including a cloud host that stores only encrypted ePHI without the
#   key, needs a written BAA (45 CFR 164.502(e), 164.504(e), 164.308(b)); HHS cloud guidance says
#   lacking the key does not remove business associate status.
# related_resources:
#   - ref: https://www.hhs.gov/hipaa/for-professionals/special-topics/health-information-technology/cloud-computing/index.html
#     description: HHS Guidance on HIPAA and Cloud Computing
# custom:
#   id: HIPAA-BAA-MISSING
#   regime: us_hipaa
#   ref: 45 CFR 164.502(e), 164.504(e), 164.308(b)
#   kind: violation
#   severity: blocker
#   owner: vendor_management
#   action: Sign a business associate agreement with the processor before it receives PHI
findings contains lib.finding(rego.metadata.rule(), detail, [sprintf("processors[%d].baa_signed", [k])]) if {
	applies
	some k, p in facts.processors
	not p.baa_signed
	detail := lib.msg(
		concat("", ["hipaa.baa_missing", expired_variant(p), key_variant(p)]),
		sprintf("Processor {processor} ({service}) has no BAA%s%s.", [facts.expired_note(p, "baa"), key_note(p)]),
		{"processor": sprintf("%q", [p.name]), "service": p.service},
	)
}

key_note(p) := "; it cannot decrypt the data, but that does not exempt it (HHS cloud guidance)" if p.key_access == false

key_note(p) := "" if not p.key_access == false

# expired_variant and key_variant name the message variant of the missing-BAA detail.
expired_variant(p) := ".expired" if facts.expired_note(p, "baa") != ""

else := ""

key_variant(p) := ".no_key" if p.key_access == false

else := ""

# METADATA
# title: No unique user identification
# description: >-
#   The Security Rule requires a unique name or number to identify and track every user (required specification).
# related_resources:
#   - ref: https://www.ecfr.gov/current/title-45/subtitle-A/subchapter-C/part-164/subpart-C/section-164.312
#     description: 45 CFR 164.312(a)(2)(i)
# custom:
#   id: HIPAA-UNIQUE-USER-ID
#   regime: us_hipaa
#   ref: 45 CFR 164.312(a)(2)(i)
#   kind: violation
#   severity: blocker
#   owner: engineering
#   action: Give every user an individual account
findings contains lib.finding(rego.metadata.rule(), lib.msg("hipaa.access_not_unique", "Access control is {access_control}: users are not uniquely identified.", {"access_control": sprintf("%q", [facts.security.access_control])}), ["security.access_control"]) if {
	applies
	facts.security.access_control in {"none", "shared_accounts"}
}

# METADATA
# title: No audit controls
# description: >-
#   Audit controls that record and examine activity in systems with ePHI are a required standard.
# related_resources:
#   - ref: https://www.ecfr.gov/current/title-45/subtitle-A/subchapter-C/part-164/subpart-C/section-164.312
#     description: 45 CFR 164.312(b)
# custom:
#   id: HIPAA-AUDIT-CONTROLS
#   regime: us_hipaa
#   ref: 45 CFR 164.312(b)
#   kind: violation
#   severity: high
#   owner: engineering
#   action: Record and review activity in systems holding ePHI
findings contains lib.finding(rego.metadata.rule(), lib.msg("hipaa.audit_logging_off", "Activity on ePHI is not logged (security.audit_logging: false).", {}), ["security.audit_logging"]) if {
	applies
	not facts.security.audit_logging
}

# METADATA
# title: Integrity controls not in place
# description: >-
#   The integrity standard requires policies protecting ePHI from improper alteration or destruction; a mechanism to authenticate ePHI is addressable (implement it or document an equivalent, 164.306(d)).
# related_resources:
#   - ref: https://www.ecfr.gov/current/title-45/subtitle-A/subchapter-C/part-164/subpart-C/section-164.312
#     description: 45 CFR 164.312(c)
# custom:
#   id: HIPAA-INTEGRITY
#   regime: us_hipaa
#   ref: 45 CFR 164.312(c)(1),(2)
#   kind: violation
#   severity: medium
#   owner: engineering
#   action: Add integrity controls (checksums, signatures, write-once audit) or document the alternative
findings contains lib.finding(rego.metadata.rule(), lib.msg("hipaa.integrity_off", "ePHI has no integrity controls (security.integrity_controls: false).", {}), ["security.integrity_controls"]) if {
	applies
	facts.security.integrity_controls == false
}

# METADATA
# title: Are integrity controls in place?
# description: >-
#   The answer security.integrity_controls is needed to assess the HIPAA integrity standard.
# related_resources:
#   - ref: https://www.ecfr.gov/current/title-45/subtitle-A/subchapter-C/part-164/subpart-C/section-164.312
#     description: 45 CFR 164.312(c)
# custom:
#   id: HIPAA-INTEGRITY-UNKNOWN
#   regime: us_hipaa
#   ref: 45 CFR 164.312(c)(1)
#   kind: gap
#   severity: low
#   owner: engineering
#   action: Answer whether ePHI is protected against improper alteration (security.integrity_controls)
findings contains lib.finding(rego.metadata.rule(), lib.msg("hipaa.integrity_unknown", "Is ePHI protected against improper alteration or destruction (checksums, signatures, write-once logs)?", {}), ["security.integrity_controls"]) if {
	applies
	not "integrity_controls" in object.keys(facts.security)
}

# METADATA
# title: ePHI not encrypted in transit
# description: >-
#   Transmission security encryption is addressable: implement it or document why an equivalent measure is reasonable (164.306(d)).
# related_resources:
#   - ref: https://www.ecfr.gov/current/title-45/subtitle-A/subchapter-C/part-164/subpart-C/section-164.312
#     description: 45 CFR 164.312(e)(1),(2)(ii)
# custom:
#   id: HIPAA-TRANSMISSION-SECURITY
#   regime: us_hipaa
#   ref: 45 CFR 164.312(e)(1),(2)(ii)
#   kind: violation
#   severity: high
#   owner: engineering
#   action: Encrypt ePHI in transit or document the equivalent alternative
findings contains lib.finding(rego.metadata.rule(), lib.msg("hipaa.transit_unencrypted", "ePHI travels unencrypted (security.encryption_in_transit: false).", {}), ["security.encryption_in_transit"]) if {
	applies
	not facts.security.encryption_in_transit
}

# METADATA
# title: ePHI not encrypted at rest
# description: >-
#   Encryption at rest is addressable (164.312(a)(2)(iv)); encrypted PHI with an uncompromised key is "secured" and outside breach notification (164.402).
# related_resources:
#   - ref: https://www.ecfr.gov/current/title-45/subtitle-A/subchapter-C/part-164/subpart-C/section-164.312
#     description: 45 CFR 164.312(a)(2)(iv), 164.402
# custom:
#   id: HIPAA-ENCRYPTION-AT-REST
#   regime: us_hipaa
#   ref: 45 CFR 164.312(a)(2)(iv), 164.402
#   kind: violation
#   severity: medium
#   owner: engineering
#   action: Encrypt ePHI at rest (NIST-conformant) or document the equivalent alternative
findings contains lib.finding(rego.metadata.rule(), lib.msg("hipaa.rest_unencrypted", "ePHI is stored unencrypted (security.encryption_at_rest: false); a breach of it would be of unsecured PHI.", {}), ["security.encryption_at_rest"]) if {
	applies
	not facts.security.encryption_at_rest
}

# METADATA
# title: No data backup plan
# description: >-
#   The contingency plan's data backup plan (exact retrievable copies of ePHI) is a required specification.
# related_resources:
#   - ref: https://www.ecfr.gov/current/title-45/subtitle-A/subchapter-C/part-164/subpart-C/section-164.308
#     description: 45 CFR 164.308(a)(7)(ii)(A)
# custom:
#   id: HIPAA-BACKUP-PLAN
#   regime: us_hipaa
#   ref: 45 CFR 164.308(a)(7)(ii)(A),(B)
#   kind: violation
#   severity: high
#   owner: engineering
#   action: Back up ePHI and document the restore procedure
findings contains lib.finding(rego.metadata.rule(), lib.msg("hipaa.no_backups", "ePHI has no backups (security.backups: false).", {}), ["security.backups"]) if {
	applies
	not facts.security.backups
}

# METADATA
# title: No breach notification process for PHI
# description: >-
#   Breaches of unsecured PHI are notified to individuals without unreasonable delay and within 60
#   days of discovery; to HHS at the same time when 500 or more people are affected, otherwise in an
#   annual log within 60 days of the year's end; to media when more than 500 residents of a State
#   are affected; business associates notify the covered entity.
# related_resources:
#   - ref: https://www.ecfr.gov/current/title-45/subtitle-A/subchapter-C/part-164/subpart-D
#     description: 45 CFR 164.400-414
# custom:
#   id: HIPAA-BREACH-PROCESS
#   regime: us_hipaa
#   ref: 45 CFR 164.404-164.410
#   kind: violation
#   severity: high
#   owner: customer
#   action: Set up a breach notification process meeting the 60-day deadline
findings contains lib.finding(rego.metadata.rule(), lib.msg("hipaa.no_breach_process", "No breach notification process is recorded (governance.breach_notification_process: false).", {}), ["governance.breach_notification_process"]) if {
	applies
	not facts.governance.breach_notification_process
}

offshore contains o if {
	some hi, h in facts.hosting
	h.country != "US"
	o := {"where": lib.msg("hipaa.where.hosting", "hosting {name} in {country}", {"name": sprintf("%q", [h.name]), "country": h.country}), "field": sprintf("hosting[%d].country", [hi])}
}

offshore contains o if {
	some i in us_health
	some k, t in object.get(facts.activities[i], "transfers", [])
	t.to_country != "US"
	o := {"where": lib.msg("hipaa.where.transfer", "{recipient} in {country}", {"recipient": t.recipient, "country": t.to_country}), "field": sprintf("activities[%d].transfers[%d].to_country", [i, k])}
}

# METADATA
# title: ePHI stored or accessed outside the US
# description: >-
#   HIPAA allows offshore hosting with a BAA, but HHS expects the location's risks to be covered by the risk analysis and risk management (164.308(a)(1)(ii)(A),(B)); federal contracts, state law and customer contracts may forbid it.
# related_resources:
#   - ref: https://www.hhs.gov/hipaa/for-professionals/special-topics/health-information-technology/cloud-computing/index.html
#     description: HHS Guidance on HIPAA and Cloud Computing (offshore storage)
# custom:
#   id: HIPAA-OFFSHORE-RISK-ANALYSIS
#   regime: us_hipaa
#   ref: 45 CFR 164.308(a)(1)(ii)(A),(B)
#   kind: needs_review
#   severity: medium
#   owner: legal
#   action: Cover the offshore locations in the HIPAA risk analysis and check contracts for offshore bans
findings contains lib.finding(rego.metadata.rule(), detail, {o.field | some o in offshore}) if {
	applies
	count(offshore) > 0
	detail := lib.msg("hipaa.offshore", "ePHI is stored or reached outside the US: {places}.", {"places": lib.join("; ", {o.where | some o in offshore})})
}

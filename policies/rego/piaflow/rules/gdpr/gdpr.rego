# METADATA
# title: GDPR obligations
# description: >-
#   Rules of Regulation (EU) 2016/679 that need more than the jurisdiction data: lawful basis,
#   special categories, processors, records, security, DPO, EU representative, retention,
#   transparency, data-subject rights and automated decisions. They run per regime of the GDPR
#   family and per capacity (capacity.rego): the controller's duties for the activities the
#   customer (or a vendor acting as controller) answers for, the duties shared with processors
#   (Art. 28(2),(4), 30, 32, Chapter V) also for a vendor established there as processor.
package piaflow.rules.gdpr

import data.piaflow.facts
import data.piaflow.lib

eurlex := "https://eur-lex.europa.eu/eli/reg/2016/679/oj"

# The UK GDPR keeps the GDPR's text (UK GDPR = Regulation (EU) 2016/679 as retained and amended
# in UK law), so these rules run for both: each rule yields [regime, finding] pairs, and a finding
# for the UK is reported under the uk_gdpr regime with id "UK-<id>" and a UK citation. The EU
# representative (Art. 27), the DPO rules and the transfer impact assessment run for the EU only;
# the UK's DPO, DPIA and representative duties come from policies/data/jurisdictions/uk_gdpr.json.
findings contains f if {
	some [r, f] in base_findings
	r == "gdpr"
}

findings contains uk(f) if {
	some [r, f] in base_findings
	r == "uk_gdpr"
}

uk_gdpr_url := "https://www.legislation.gov.uk/eur/2016/679/contents"

uk(f) := object.union(f, {
	"id": concat("", ["UK-", f.id]),
	"regime": "uk_gdpr",
	"citation": {"ref": uk_ref(f.citation.ref), "url": uk_url(f.citation.url)},
})

uk_ref(ref) := concat("", ["UK ", ref]) if startswith(ref, "GDPR")

else := ref

uk_url(url) := uk_gdpr_url if url == eurlex

else := url

special := {x | some x in facts.catalog.gdpr_special_categories}

highly_personal := {x | some x in facts.catalog.highly_personal_categories}

eu := object.get(family_countries, "gdpr", set())

field(i, name) := sprintf("activities[%d].%s", [i, name])

# quoted is a name as the detail texts quote it ("Customer accounts").
quoted(s) := sprintf("%q", [s])

# group_name is a data-subject group type (employees, job_applicants) as a message, named in
# the reader's language.
group_name(t) := lib.msg(sprintf("gdpr.group.%s", [t]), t, {})

# METADATA
# title: Lawful basis not identified
# description: >-
#   Every processing needs one of the six lawful bases of Art. 6(1); the answer is "unknown".
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: GDPR Art. 6(1)
# custom:
#   id: GDPR-LAWFUL-BASIS-UNKNOWN
#   regime: gdpr
#   ref: GDPR Art. 6(1)
#   kind: gap
#   severity: high
#   owner: legal
#   action: Identify and document the lawful basis of the activity
base_findings contains [r, lib.finding(rego.metadata.rule(), detail, [field(i, "legal_basis")])] if {
	some r, acts in controller_acts
	some i in acts
	a := facts.activities[i]
	a.legal_basis == "unknown"
	detail := lib.msg("gdpr.lawful_basis_unknown", "Activity {activity} has no lawful basis yet. Which Art. 6(1) basis applies (consent, contract, legal obligation, vital interests, public task, legitimate interests)?", {"activity": quoted(a.name)})
}

# METADATA
# title: Consent relied on for employees
# description: >-
#   Consent of employees or job applicants is rarely freely given because of the imbalance of
#   power (Recital 43; EDPB Guidelines 05/2020 on consent, paras. 21-22).
# related_resources:
#   - ref: https://www.edpb.europa.eu/our-work-tools/our-documents/guidelines/guidelines-052020-consent-under-regulation-2016679_en
#     description: EDPB Guidelines 05/2020 on consent
# custom:
#   id: GDPR-CONSENT-EMPLOYEES
#   regime: gdpr
#   ref: GDPR Art. 4(11), 7(4), Recital 43; EDPB Guidelines 05/2020
#   kind: needs_review
#   severity: medium
#   owner: legal
#   action: Review whether another lawful basis fits the employee data
base_findings contains [r, lib.finding(rego.metadata.rule(), detail, {field(i, "legal_basis")} | {sprintf("%s.type", [g.path]) | some g in staff})] if {
	some r, acts in controller_acts
	some i in acts
	a := facts.activities[i]
	a.legal_basis == "consent"
	staff := [g | some g in facts.groups_by_activity[i]; g.type in {"employees", "job_applicants"}]
	count(staff) > 0
	detail := lib.msg("gdpr.consent_employees", "Activity {activity} relies on consent of {groups}; such consent is presumed not freely given in most cases.", {
		"activity": quoted(a.name),
		"groups": lib.join(", ", {group_name(g.type) | some g in staff}),
	})
}

# METADATA
# title: Special category data needs an Art. 9(2) condition
# description: >-
#   Processing of special categories is prohibited unless one of the conditions of Art. 9(2)
#   applies (explicit consent, employment law, vital interests, health care under secrecy, ...);
#   the questionnaire cannot tell which one, so a lawyer must confirm.
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: GDPR Art. 9
# custom:
#   id: GDPR-ART9-CONDITION
#   regime: gdpr
#   ref: GDPR Art. 9(1),(2)
#   kind: needs_review
#   severity: high
#   owner: legal
#   action: Document the Art. 9(2) condition for each special category
base_findings contains [r, lib.finding(rego.metadata.rule(), detail, [field(i, "data_categories"), field(i, "legal_basis")])] if {
	some r, acts in controller_acts
	some i in acts
	a := facts.activities[i]
	s := facts.categories[i] & special
	count(s) > 0
	detail := lib.msg("gdpr.art9_condition", "Activity {activity} processes {categories} under the lawful basis {legal_basis}; an Art. 9(2) condition is needed as well.", {
		"activity": quoted(a.name),
		"categories": lib.join(", ", s),
		"legal_basis": quoted(a.legal_basis),
	})
}

# METADATA
# title: Criminal offence data needs a legal authorisation
# description: >-
#   Data on criminal convictions and offences may be processed only under official authority or where Union or Member State law authorises it.
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: GDPR Art. 10
# custom:
#   id: GDPR-ART10-CRIMINAL
#   regime: gdpr
#   ref: GDPR Art. 10
#   kind: needs_review
#   severity: high
#   owner: legal
#   action: Identify the Union or Member State law authorising the criminal-offence data
base_findings contains [r, lib.finding(rego.metadata.rule(), detail, [field(i, "data_categories")])] if {
	some r, acts in controller_acts
	some i in acts
	a := facts.activities[i]
	"criminal" in facts.categories[i]
	detail := lib.msg("gdpr.art10_criminal", "Activity {activity} processes criminal convictions or offences data.", {"activity": quoted(a.name)})
}

# METADATA
# title: Processor without an Art. 28 contract
# description: >-
#   A processor handles personal data without a contract meeting Art. 28(3). Raised under every
#   regime of the family that applies, and under a regime that binds only a third-party processor
#   established there (capacity.rego third_party_only) for that processor's own entry: its
#   processing is to be governed by such a contract (Art. 28(3),(4); EDPB Guidelines 3/2018).
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: GDPR Art. 28(3)
# custom:
#   id: GDPR-PROCESSOR-NO-DPA
#   regime: gdpr
#   ref: GDPR Art. 28(3)
#   kind: violation
#   severity: blocker
#   owner: vendor_management
#   action: Sign an Art. 28 data processing agreement with the processor
base_findings contains [r, object.union(lib.finding(rego.metadata.rule(), detail, [sprintf("processors[%d].dpa_signed", [k])]), dpa_basis(r, p))] if {
	some k, p in facts.processors
	not p.dpa_signed
	some r in dpa_regimes(p)
	detail := lib.msg(
		concat("", ["gdpr.processor_no_dpa", expired_variant(p)]),
		sprintf("Processor {processor} ({service}, {country}) has no signed data processing agreement%s.", [facts.expired_note(p, "dpa")]),
		{"processor": quoted(p.name), "service": p.service, "country": p.country},
	)
}

# dpa_basis(r, p): the missing contract of a third-party processor established under regime r,
# which binds only it there, rests on its own establishment (Art. 3(1), 28(3)): firm whatever the
# customer's targeting answers (main.conditional).
dpa_basis(r, p) := own_basis if {
	r in third_party_only
	p.country in family_countries[r]
} else := {}

# expired_variant names the message variant of the missing-contract detail.
expired_variant(p) := ".expired" if facts.expired_note(p, "dpa") != ""

else := ""

# dpa_regimes(p): the regimes under which processor p's missing contract is raised: every regime
# of the family binding the customer or the vendor, and a regime binding only third-party
# processors when p is established in its countries.
dpa_regimes(p) := family_regimes | {r | some r in third_party_only; p.country in family_countries[r]}

# METADATA
# title: No records of processing activities
# description: >-
#   Controllers and processors keep records of processing (Art. 30). The Art. 30(5) exemption for
#   organisations under 250 employees does not cover regular processing, risky processing or
#   special-category data, so it rarely helps a production system.
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: GDPR Art. 30
# custom:
#   id: GDPR-RECORDS-MISSING
#   regime: gdpr
#   ref: GDPR Art. 30(1),(2),(5)
#   kind: violation
#   severity: medium
#   owner: customer
#   action: Add the deployment's activities to the records of processing
base_findings contains [r, lib.finding(rego.metadata.rule(), records_text(r), ["governance.records_of_processing"])] if {
	some r in family_regimes
	not facts.governance.records_of_processing
}

# records_text: a vendor bound only as processor keeps the Art. 30(2) record of the processing
# it carries out on behalf of the customer.
records_text(r) := lib.msg(
	"gdpr.records_missing.processor", concat("", [
		"The questionnaire records no records of processing activities; as processor the vendor keeps a record of the categories of processing ",
		"carried out on behalf of the customer (Art. 30(2)), and the processing is regular, so the Art. 30(5) exemption does not apply.",
	]),
	{},
) if {
	r in processor_only
}

else := lib.msg("gdpr.records_missing", "The questionnaire records no records of processing activities (Art. 30); the processing is regular, so the Art. 30(5) exemption does not apply.", {})

# sensitive_regimes: the regimes under which some activity processes highly personal data.
sensitive_regimes := {r |
	some r, acts in scope_acts
	some i in acts
	count(facts.categories[i] & highly_personal) > 0
}

default sec_severity(_) := "medium"

sec_severity(r) := "high" if r in sensitive_regimes

# METADATA
# title: Data not encrypted at rest
# description: >-
#   Art. 32(1)(a) names encryption among the measures appropriate to the risk; it also spares notifying data subjects after a breach (Art. 34(3)(a)).
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: GDPR Art. 32(1)(a), 34(3)(a)
# custom:
#   id: GDPR-SEC-ENCRYPTION-AT-REST
#   regime: gdpr
#   ref: GDPR Art. 32(1)(a)
#   kind: violation
#   severity: medium
#   owner: engineering
#   action: Encrypt databases, files and backups at rest
base_findings contains [r, lib.finding_with(rego.metadata.rule(), detail, ["security.encryption_at_rest"], {"severity": sec_severity(r)})] if {
	some r in family_regimes
	not facts.security.encryption_at_rest
	detail := rest_text(r)
}

rest_text(r) := lib.msg("gdpr.rest_unencrypted.sensitive", "Data is stored unencrypted (security.encryption_at_rest: false); the deployment processes sensitive or highly personal data.", {}) if r in sensitive_regimes

else := lib.msg("gdpr.rest_unencrypted", "Data is stored unencrypted (security.encryption_at_rest: false).", {})

# METADATA
# title: Data not encrypted in transit
# description: >-
#   Personal data crossing networks without encryption is exposed to interception (Art. 32(1)(a),(b)).
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: GDPR Art. 32(1)(a),(b)
# custom:
#   id: GDPR-SEC-ENCRYPTION-IN-TRANSIT
#   regime: gdpr
#   ref: GDPR Art. 32(1)(a),(b)
#   kind: violation
#   severity: high
#   owner: engineering
#   action: Enforce TLS on every connection carrying personal data
base_findings contains [r, lib.finding(rego.metadata.rule(), lib.msg("gdpr.transit_unencrypted", "Data travels unencrypted (security.encryption_in_transit: false).", {}), ["security.encryption_in_transit"])] if {
	some r in family_regimes
	not facts.security.encryption_in_transit
}

# METADATA
# title: No individual access control
# description: >-
#   Without individual accounts, access cannot be restricted or traced to a person (Art. 32(1)(b), 5(1)(f)).
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: GDPR Art. 5(1)(f), 32(1)(b)
# custom:
#   id: GDPR-SEC-ACCESS-CONTROL
#   regime: gdpr
#   ref: GDPR Art. 5(1)(f), 32(1)(b)
#   kind: violation
#   severity: high
#   owner: engineering
#   action: Give every user an individual account with role-based permissions
base_findings contains [r, lib.finding(rego.metadata.rule(), detail, ["security.access_control"])] if {
	facts.security.access_control in {"none", "shared_accounts"}
	detail := lib.msg("gdpr.access_control", "Access control is {access_control}.", {"access_control": quoted(facts.security.access_control)})
	some r in family_regimes
}

# METADATA
# title: No multi-factor authentication
# description: >-
#   Password-only access to personal data is a common breach cause. Art. 32 does not name MFA: it
#   asks for measures appropriate to the risk and the state of the art, so whether MFA is needed is
#   a risk judgment (supervisory authorities routinely expect it for remote and privileged access).
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: GDPR Art. 32(1)
# custom:
#   id: GDPR-SEC-MFA
#   regime: gdpr
#   ref: GDPR Art. 32(1)
#   kind: needs_review
#   severity: medium
#   owner: engineering
#   action: Require multi-factor authentication for all access to personal data
base_findings contains [r, lib.finding(rego.metadata.rule(), lib.msg("gdpr.mfa_off", "Users sign in without multi-factor authentication (security.mfa: false).", {}), ["security.mfa"])] if {
	some r in family_regimes
	not facts.security.mfa
}

# METADATA
# title: No audit logging
# description: >-
#   Without audit logs, unauthorised access cannot be detected or investigated, nor a breach assessed (Art. 32(1)(b), 33(3)).
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: GDPR Art. 32(1)(b), 33(3)
# custom:
#   id: GDPR-SEC-AUDIT-LOGGING
#   regime: gdpr
#   ref: GDPR Art. 32(1)(b), 33(3)
#   kind: violation
#   severity: medium
#   owner: engineering
#   action: Log access to personal data and keep the logs tamper-evident
base_findings contains [r, lib.finding(rego.metadata.rule(), lib.msg("gdpr.audit_logging_off", "Access to personal data is not logged (security.audit_logging: false).", {}), ["security.audit_logging"])] if {
	some r in family_regimes
	not facts.security.audit_logging
}

# METADATA
# title: No backups
# description: >-
#   Art. 32(1)(c) requires the ability to restore availability and access to personal data in a timely manner after an incident.
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: GDPR Art. 32(1)(c)
# custom:
#   id: GDPR-SEC-BACKUPS
#   regime: gdpr
#   ref: GDPR Art. 32(1)(c)
#   kind: violation
#   severity: high
#   owner: engineering
#   action: Set up backups of all personal data stores
base_findings contains [r, lib.finding(rego.metadata.rule(), lib.msg("gdpr.no_backups", "The data has no backups (security.backups: false).", {}), ["security.backups"])] if {
	some r in family_regimes
	not facts.security.backups
}

# METADATA
# title: Backup restore never tested
# description: >-
#   Art. 32(1)(d) requires regularly testing and evaluating the effectiveness of the measures; an untested backup may not restore.
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: GDPR Art. 32(1)(c),(d)
# custom:
#   id: GDPR-SEC-RESTORE-TEST
#   regime: gdpr
#   ref: GDPR Art. 32(1)(c),(d)
#   kind: violation
#   severity: medium
#   owner: engineering
#   action: Test a full restore from backup and record the result
base_findings contains [r, lib.finding(rego.metadata.rule(), lib.msg("gdpr.restore_untested", "Backups exist but a restore has not been tested (security.backup_restore_tested: false).", {}), ["security.backup_restore_tested"])] if {
	some r in family_regimes
	facts.security.backups
	not facts.security.backup_restore_tested
}

# METADATA
# title: No incident response plan
# description: >-
#   Meeting the 72-hour notification duty needs a prepared incident response (Art. 32(1)(c), 33).
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: GDPR Art. 32(1)(c), 33
# custom:
#   id: GDPR-SEC-INCIDENT-RESPONSE
#   regime: gdpr
#   ref: GDPR Art. 32(1)(c), 33
#   kind: violation
#   severity: medium
#   owner: engineering
#   action: Write and rehearse an incident response plan
base_findings contains [r, lib.finding(rego.metadata.rule(), lib.msg("gdpr.no_incident_plan", "There is no incident response plan (security.incident_response_plan: false).", {}), ["security.incident_response_plan"])] if {
	some r in family_regimes
	not facts.security.incident_response_plan
}

# METADATA
# title: No vulnerability management
# description: >-
#   Art. 32(1)(d) requires a process for regularly testing, assessing and evaluating the security measures.
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: GDPR Art. 32(1)(d)
# custom:
#   id: GDPR-SEC-VULNERABILITY-MANAGEMENT
#   regime: gdpr
#   ref: GDPR Art. 32(1)(d)
#   kind: violation
#   severity: medium
#   owner: engineering
#   action: Patch, scan and test the system on a regular schedule
base_findings contains [r, lib.finding(rego.metadata.rule(), lib.msg("gdpr.no_vulnerability_management", "There is no vulnerability management (security.vulnerability_management: false).", {}), ["security.vulnerability_management"])] if {
	some r in family_regimes
	not facts.security.vulnerability_management
}

# DPO cases of Art. 37(1) met by an activity.
dpo_case contains c if {
	facts.customer_type == "public_authority"
	c := {"case": "(a)", "why": lib.msg("gdpr.dpo_why.public_authority", "the customer is a public authority or body", {}), "fields": ["deployment.customer_type"]}
}

dpo_case contains c if {
	some i in eu_controller_acts
	a := facts.activities[i]
	a.core_activity == true
	facts.large_scale[i]
	a.systematic_monitoring
	c := {
		"case": "(b)",
		"why": lib.msg("gdpr.dpo_why.monitoring", "activity {activity} is a core activity monitoring people regularly and systematically on a large scale", {"activity": quoted(a.name)}),
		"fields": [field(i, "core_activity"), field(i, "systematic_monitoring")],
	}
}

dpo_case contains c if {
	some i in eu_controller_acts
	a := facts.activities[i]
	a.core_activity == true
	facts.large_scale[i]
	s := facts.categories[i] & (special | {"criminal"})
	count(s) > 0
	c := {
		"case": "(c)",
		"why": lib.msg("gdpr.dpo_why.special", "activity {activity} is a core activity processing {categories} on a large scale", {"activity": quoted(a.name), "categories": lib.join(", ", s)}),
		"fields": [field(i, "core_activity"), field(i, "data_categories")],
	}
}

# eu_controller_acts: the activities the EU GDPR governs with controller capacity (the DPO
# rules use the customer's answers: its type and its core activities).
eu_controller_acts := object.get(controller_acts, "gdpr", set())

# Germany (Art. 37(4)): a DPO is also required where the processing needs a DPIA under Art. 35,
# whatever the headcount (BDSG §38(1) second sentence). The headcount test of §38(1) (20 or more
# persons constantly processing personal data by automated means) needs an answer the
# questionnaire does not hold.
dpo_case contains c if {
	facts.deployment.customer_country == "DE"
	level := data.piaflow.rules.dpia.level
	level in {"required", "likely"}
	c := {
		"case": bdsg_case,
		"why": lib.msg(sprintf("gdpr.dpo_why.de_dpia.%s", [level]), sprintf("the customer is established in Germany and the processing needs a DPIA (%s)", [level]), {}),
		"fields": ["deployment.customer_country"],
	}
}

# METADATA
# title: Data protection officer required
# description: >-
#   Art. 37(1) requires a DPO for public authorities and where core activities involve large-scale regular and systematic monitoring or large-scale special-category or criminal data.
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: GDPR Art. 37(1); WP243 rev.01
# custom:
#   id: GDPR-DPO-REQUIRED
#   regime: gdpr
#   ref: GDPR Art. 37(1),(4); BDSG §38(1)
#   kind: violation
#   severity: high
#   owner: customer
#   action: Appoint a data protection officer and publish the contact details (Art. 37(7))
base_findings contains ["gdpr", lib.finding(rego.metadata.rule(), detail, {"governance.dpo_appointed"} | {f | some c in dpo_case; some f in c.fields})] if {
	"gdpr" in controller_regimes
	not facts.governance.dpo_appointed
	count(dpo_case) > 0
	letters := {c.case | some c in dpo_case; c.case != bdsg_case}
	detail := lib.msg(
		concat("", ["gdpr.dpo_required", dpo_variant(letters)]),
		dpo_template[dpo_variant(letters)],
		object.union({"reasons": lib.join("; ", {c.why | some c in dpo_case})}, letters_param(letters)),
	)
}

# dpo_template is the English text of each variant: the German case is Art. 37(4) with BDSG
# §38(1); the cases of Art. 37(1) are its letters.
dpo_template := {
	"": "Art. 37(1){cases}: {reasons}; no DPO is appointed.",
	".bdsg": "Art. 37(4) with BDSG §38(1): {reasons}; no DPO is appointed.",
	".bdsg_and": "Art. 37(1){cases} and 37(4) with BDSG §38(1): {reasons}; no DPO is appointed.",
}

# letters_param: the cases of Art. 37(1) met, if any, as a list parameter.
letters_param(letters) := {"cases": lib.join("", letters)} if count(letters) > 0

else := {}

# bdsg_case is the German case of dpo_case; it sorts before the letters of Art. 37(1).
bdsg_case := "(4) with BDSG §38(1)"

default bdsg_text := ""

bdsg_text := bdsg_case if {
	some c in dpo_case
	c.case == bdsg_case
}

# dpo_variant names the message variant of the DPO detail: with the German case alone, with it
# and cases of Art. 37(1), or with cases of Art. 37(1) only (each language writes its sentence).
default dpo_variant(_) := ""

dpo_variant(letters) := ".bdsg" if {
	bdsg_text != ""
	count(letters) == 0
}

dpo_variant(letters) := ".bdsg_and" if {
	bdsg_text != ""
	count(letters) > 0
}

# METADATA
# title: Is the processing a core activity?
# description: >-
#   A large-scale activity with special-category data or systematic monitoring needs a DPO if it is a core activity of the customer (Art. 37(1)(b),(c)); the answer is missing.
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: GDPR Art. 37(1)(b),(c); WP243 rev.01
# custom:
#   id: GDPR-DPO-CORE-ACTIVITY-UNKNOWN
#   regime: gdpr
#   ref: GDPR Art. 37(1)(b),(c)
#   kind: gap
#   severity: medium
#   owner: customer
#   action: Answer whether the activity is a core activity of the customer
base_findings contains ["gdpr", lib.finding(rego.metadata.rule(), detail, [field(i, "core_activity")])] if {
	not facts.governance.dpo_appointed
	some i in eu_controller_acts
	a := facts.activities[i]
	not "core_activity" in object.keys(a)
	facts.large_scale[i]
	dpo_relevant(i, a)
	detail := lib.msg("gdpr.dpo_core_activity_unknown", "Activity {activity} is large scale and processes special-category data or monitors people. Is it a core activity of the customer?", {"activity": quoted(a.name)})
}

dpo_relevant(i, _) if count(facts.categories[i] & (special | {"criminal"})) > 0

dpo_relevant(_, a) if a.systematic_monitoring

# METADATA
# title: EU representative required
# description: >-
#   A controller not established in the EU that offers goods or services to, or monitors, people
#   in the EU (Art. 3(2)) must designate a representative in writing in a member state where those
#   people are (Art. 27(1),(3)), unless the processing is occasional, excludes large-scale Art. 9
#   or 10 data and is unlikely to result in a risk (Art. 27(2)(a)), or it is a public authority
#   (Art. 27(2)(b)). Firm when an activity's targeting answers name an EU country (or legal
#   confirmed the scope); while they are unanswered, whether Art. 3(2) reaches the customer is
#   the open question, so the finding is a review naming it, never more than medium.
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: GDPR Art. 3(2), 27
# custom:
#   id: GDPR-EU-REPRESENTATIVE
#   regime: gdpr
#   ref: GDPR Art. 3(2), 27
#   kind: violation
#   severity: high
#   owner: customer
#   action: Designate an EU representative in writing in a member state where the data subjects are
base_findings contains ["gdpr", lib.finding_with(rego.metadata.rule(), detail, fields, representative_kind)] if {
	"gdpr" in controller_regimes
	not customer_established("gdpr")
	facts.customer_type != "public_authority"
	not facts.governance.local_representative
	acts := art3_2_acts.gdpr
	count(acts) > 0
	groups := [g | some i in acts; some g in facts.groups_by_activity[i]; lib.any_in(g.countries, eu)]
	people := lib.join(", ", {c | some g in groups; some c in g.countries; c in eu})
	fields := ({"deployment.customer_country", "governance.local_representative"} | {sprintf("%s.countries", [g.path]) | some g in groups}) | representative_question(acts)
	detail := lib.msg(representative_id, representative_text, {"customer_country": facts.deployment.customer_country, "subject_country": people})
}

# representative_kind: firm Art. 3(2) link: the finding as annotated; else a review of at most
# medium severity (the law's scope is the open question).
default representative_kind := {"kind": "needs_review", "severity": "medium"}

representative_kind := {} if firm_art3_2("gdpr")

default representative_id := "gdpr.representative.review"

representative_id := "gdpr.representative" if firm_art3_2("gdpr")

representative_text := concat("", [
	"The customer is established in {customer_country} and offers goods or services to, or monitors, people in {subject_country} (Art. 3(2)); ",
	"no EU representative is recorded. The Art. 27(2)(a) exemption needs occasional processing, unlikely to result in a risk ",
	"and without large-scale Art. 9 or 10 data; a production system is regular processing.",
]) if {
	firm_art3_2("gdpr")
} else := concat("", [
	"The customer is established in {customer_country} and processes data of people in {subject_country}; no EU representative is recorded. ",
	"Art. 27 applies if the customer offers them goods or services or monitors their behaviour (Art. 3(2)): does it? ",
	"Answer activities[].targeted_countries and monitored_countries.",
])

# representative_question: the targeting answers that settle the Art. 3(2) question (none once
# it is firm).
default representative_question(_) := set()

representative_question(acts) := {field(i, k) | some i in acts; some k in ["targeted_countries", "monitored_countries"]} if not firm_art3_2("gdpr")

# METADATA
# title: Retention period not defined
# description: >-
#   Personal data may be kept no longer than necessary (storage limitation); the records must state erasure time limits (Art. 30(1)(f)).
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: GDPR Art. 5(1)(e), 30(1)(f)
# custom:
#   id: GDPR-RETENTION-UNDEFINED
#   regime: gdpr
#   ref: GDPR Art. 5(1)(e), 30(1)(f)
#   kind: gap
#   severity: medium
#   owner: customer
#   action: Define how long the activity's data is kept and how it is deleted
base_findings contains [r, lib.finding(rego.metadata.rule(), detail, [field(i, "retention_days")])] if {
	some r, acts in controller_acts
	some i in acts
	a := facts.activities[i]
	not "retention_days" in object.keys(a)
	detail := lib.msg("gdpr.retention_undefined", "Activity {activity} has no retention period. How many days is the data kept?", {"activity": quoted(a.name)})
}

# METADATA
# title: No privacy notice
# description: >-
#   Data subjects must be informed of the processing (Art. 13 when data is collected from them, Art. 14 otherwise).
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: GDPR Art. 12-14
# custom:
#   id: GDPR-PRIVACY-NOTICE
#   regime: gdpr
#   ref: GDPR Art. 12-14
#   kind: violation
#   severity: high
#   owner: customer
#   action: Publish a privacy notice covering the deployment's processing
base_findings contains [r, lib.finding(rego.metadata.rule(), lib.msg("gdpr.no_privacy_notice", "No privacy notice informs the data subjects (governance.privacy_notice: false).", {}), ["governance.privacy_notice"])] if {
	some r in controller_regimes
	not facts.governance.privacy_notice
}

# METADATA
# title: No process for data-subject requests
# description: >-
#   Controllers must answer access, rectification, erasure, restriction, portability and objection requests within one month (Art. 12(3)); processors must assist (Art. 28(3)(e)).
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: GDPR Art. 12(3), 15-22, 28(3)(e)
# custom:
#   id: GDPR-DSR-PROCESS
#   regime: gdpr
#   ref: GDPR Art. 12(3), 15-22
#   kind: violation
#   severity: medium
#   owner: customer
#   action: Set up a process (and system support) to answer data-subject requests within one month
base_findings contains [r, lib.finding(rego.metadata.rule(), lib.msg("gdpr.no_dsr_process", "There is no process for data-subject requests (governance.data_subject_request_process: false).", {}), ["governance.data_subject_request_process"])] if {
	some r in controller_regimes
	not facts.governance.data_subject_request_process
}

# METADATA
# title: Solely automated decisions with legal effect
# description: >-
#   Such decisions are allowed only under Art. 22(2) (contract necessity, law, explicit consent) with safeguards incl. human intervention (Art. 22(3)); whether an exception applies is a legal judgment.
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: GDPR Art. 22
# custom:
#   id: GDPR-AUTOMATED-DECISION
#   regime: gdpr
#   ref: GDPR Art. 22
#   kind: needs_review
#   severity: high
#   owner: legal
#   action: Confirm the Art. 22(2) exception and add human review and contestation
base_findings contains [r, lib.finding(rego.metadata.rule(), detail, [field(i, "automated_decisions"), field(i, "decisions_legal_effect")])] if {
	some r, acts in controller_acts
	some i in acts
	a := facts.activities[i]
	a.automated_decisions
	a.decisions_legal_effect
	detail := lib.msg("gdpr.automated_decision", "Activity {activity} takes solely automated decisions with legal or similarly significant effect.", {"activity": quoted(a.name)})
}

# METADATA
# title: Transfer impact assessment for SCC or BCR transfers
# description: >-
#   After Schrems II (CJEU C-311/18), Art. 46 tools need an assessment of the destination's law and practice and supplementary measures where needed (EDPB Recommendations 01/2020).
# related_resources:
#   - ref: https://www.edpb.europa.eu/our-work-tools/our-documents/recommendations/recommendations-012020-measures-supplement-transfer_en
#     description: EDPB Recommendations 01/2020
# custom:
#   id: GDPR-TRANSFER-TIA
#   regime: gdpr
#   ref: GDPR Art. 46; CJEU C-311/18; EDPB Recommendations 01/2020
#   kind: needs_review
#   severity: medium
#   owner: legal
#   action: Document a transfer impact assessment for each destination relying on SCCs or BCRs
base_findings contains ["gdpr", lib.finding(rego.metadata.rule(), detail, {p | some f in tia; some p in f.fields})] if {
	"gdpr" in (family_regimes | third_party_only)
	tia := [f | some f in data.piaflow.rules.transfers.all_flows; f.regime == "gdpr"; f.verdict == "mechanism_required"; f.mechanism in {"scc", "bcr"}]
	count(tia) > 0
	detail := lib.msg("gdpr.transfer_tia", "Transfers to {to_country} rely on {mechanisms}.", {
		"to_country": lib.join(", ", {f.to | some f in tia}),
		"mechanisms": lib.join(", ", {lib.msg(sprintf("gdpr.mechanism.%s", [f.mechanism]), f.mechanism, {}) | some f in tia}),
	})
}

# METADATA
# title: Own staff reach the data from a third country
# description: >-
#   An employee of the exporter reaching the data from abroad is not a transfer (EDPB Guidelines 05/2021), but the remote access must be secured under Art. 32 and the risks of the country considered.
# related_resources:
#   - ref: https://www.edpb.europa.eu/our-work-tools/our-documents/guidelines/guidelines-052021-interplay-between-application-article-3_en
#     description: EDPB Guidelines 05/2021 on the interplay of Art. 3 and Chapter V
# custom:
#   id: GDPR-OWN-STAFF-ACCESS
#   regime: gdpr
#   ref: GDPR Art. 32; EDPB Guidelines 05/2021
#   kind: needs_review
#   severity: info
#   owner: engineering
#   action: Secure and log remote access by staff abroad
base_findings contains [r, lib.finding(rego.metadata.rule(), detail, [sprintf("activities[%d].transfers[%d].recipient_type", [i, k])])] if {
	some r, acts in scope_acts
	some i in acts
	a := facts.activities[i]
	some k, t in object.get(a, "transfers", [])
	t.recipient_type == "own_staff"
	not t.to_country in family_countries[r]
	detail := lib.msg("gdpr.own_staff_access", "{recipient} reach activity {activity}'s data from {country}: not a transfer under Chapter V, but covered by Art. 32.", {
		"recipient": t.recipient,
		"activity": quoted(a.name),
		"country": t.to_country,
	})
}

# GDPR roles — processor, joint controller, third-country parents, anonymisation
#
# The duties that follow from who the vendor is for the customer's data: a processor
# established in the EU/EEA or the UK (Art. 3(1), 28, 30(2), 33(2), Chapter V for the data it
# sends back), a third-party processor established there while the customer and the vendor are
# not (its processor obligations, and whether it returns data abroad), the contract with the customer (Art. 28(3)), a joint controllers' arrangement
# (Art. 26), processors and recipients whose parent company is abroad, and activities recorded
# as anonymised (Recital 26).
package piaflow.rules.gdpr

import data.piaflow.facts
import data.piaflow.lib

# METADATA
# title: The vendor is bound as a processor established in the territory
# description: >-
#   The GDPR applies to processing in the context of the activities of an establishment of a
#   controller or a processor in the Union, wherever the processing takes place (Art. 3(1)). A
#   processor established there for a controller that is not is bound by the processor's
#   obligations (Art. 28(2)-(5), 29, 30(2), 32, 33(2), 37-39, Chapter V), not by the
#   controller's; the controller does not become subject to the GDPR merely by using it (EDPB
#   Guidelines 3/2018 on territorial scope).
# related_resources:
#   - ref: https://www.edpb.europa.eu/our-work-tools/our-documents/guidelines/guidelines-32018-territorial-scope-gdpr-article-3-version_en
#     description: EDPB Guidelines 3/2018 on the territorial scope of the GDPR (Art. 3)
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: GDPR Art. 3(1), 28
# custom:
#   id: GDPR-PROCESSOR-SCOPE
#   regime: gdpr
#   ref: GDPR Art. 3(1); EDPB Guidelines 3/2018
#   kind: needs_review
#   severity: info
#   owner: legal
#   action: Confirm the processor obligations the vendor's establishment brings
base_findings contains [r, lib.finding(rego.metadata.rule(), scope_text, ["deployment.customer_country", "deployment.vendor_country", "deployment.vendor_role"])] if {
	some r in processor_only
}

scope_text := lib.msg(
	"gdpr.processor_scope",
	concat("", [
		"The vendor is established in {vendor_country} and processes the data as processor for a customer established in {customer_country}: ",
		"the law binds the vendor's processing (Art. 3(1)) with the processor's obligations (a contract under Art. 28, ",
		"records under Art. 30(2), security under Art. 32, notifying the customer of breaches under Art. 33(2), ",
		"Chapter V for data it sends outside), not the controller's (lawful basis, notices, data-subject rights, DPIA).",
	]),
	{"vendor_country": dep.vendor_country, "customer_country": dep.customer_country},
)

# party_groups[r]: the third-party processors (facts.third_parties) established in the countries
# of regime r in third_party_only, by name: each with its countries, the fields recording them and
# its transfer entries (as recipient).
party_groups := {r: gs |
	some r in third_party_only
	ps := [p | some p in facts.third_parties; p.country in family_countries[r]]
	gs := {name: {
		"countries": {p.country | some p in ps; p.name == name},
		"fields": {p.field | some p in ps; p.name == name},
		"transfers": [p | some p in ps; p.name == name; p.key != ""],
	} |
		some name in {p.name | some p in ps}
	}
}

# area[r]: the territory of regime r, for the detail texts.
area := {"gdpr": "the EU/EEA", "uk_gdpr": "the UK"}

# METADATA
# title: A third-party processor is bound as a processor established in the territory
# description: >-
#   The GDPR applies to processing in the context of the activities of an establishment of a
#   processor in the Union, wherever the processing takes place (Art. 3(1)). A processor of this
#   deployment other than the vendor (processors[], or a processor, sub-processor or affiliate of
#   the vendor receiving a transfer) is established there while neither the customer nor the
#   vendor is: it is bound by the processor's obligations for its processing — sub-processors only
#   with the controller's authorisation and on the same terms (Art. 28(2),(4)), processing under a
#   contract meeting Art. 28(3), records (Art. 30(2)), security (Art. 32), notifying its controller
#   of breaches without undue delay (Art. 33(2)), a DPO where its own core activities require one
#   (Art. 37(1)(b),(c)) and Chapter V for data it sends outside (Art. 44) — not by the controller's.
#   The controller does not become subject to the GDPR merely by using a processor in the Union
#   (EDPB Guidelines 3/2018 on territorial scope). The questionnaire's answers describe the
#   customer's and the vendor's processing, not the third party's, so piaflow raises the list for
#   review rather than judging each duty.
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: GDPR Art. 3(1), 28(2)-(4), 30(2), 32, 33(2), 37(1), 44
#   - ref: https://www.edpb.europa.eu/our-work-tools/our-documents/guidelines/guidelines-32018-territorial-scope-gdpr-article-3-version_en
#     description: EDPB Guidelines 3/2018 on the territorial scope of the GDPR (Art. 3)
# custom:
#   id: GDPR-PROCESSOR-ESTABLISHED
#   regime: gdpr
#   ref: GDPR Art. 3(1), 28(2)-(4), 30(2), 32, 33(2), 37(1); EDPB Guidelines 3/2018
#   kind: needs_review
#   severity: low
#   owner: vendor_management
#   action: Confirm that the processor established in the territory meets its processor obligations
#   confirm: >-
#     The list of processor provisions follows EDPB Guidelines 3/2018 (processor in the Union for a
#     controller outside it), not re-read from the official PDF; whether processors[].country is
#     the processor's establishment (not only where it processes) is the questionnaire's reading;
#     a processor that only transmits data (processors[].conduit) is treated like any other.
base_findings contains [r, object.union(lib.finding(rego.metadata.rule(), detail, g.fields), own_basis)] if {
	some r, gs in party_groups
	some name, g in gs
	detail := lib.msg(
		sprintf("gdpr.processor_established.%s", [r]),
		sprintf(established_text, ["{party}", "{party_country}", "{fields}", family_jurisdiction[r].short, area[r], "{customer_country}", "{vendor_country}"]),
		{
			"party": name,
			"party_country": lib.join(", ", g.countries),
			"fields": lib.join(", ", g.fields),
			"customer_country": lib.join(", ", facts.customer_countries),
			"vendor_country": dep.vendor_country,
		},
	)
}

# own_basis marks a finding that rests on a third-party processor's own establishment (Art. 3(1)):
# it stays firm when the regime reaches the customer only conditionally (main.conditional).
own_basis := {"scope_basis": "processor_establishment"}

# established_text: the English text of the detail, with the regime's name and territory filled
# in per message (one message per regime, so each language names the law and the territory).
established_text := concat("", [
	"%s is established in %s (%s) and processes this deployment's data as a processor: the %s binds its processing (Art. 3(1)), ",
	"with the processor's obligations only: sub-processors only with the controller's authorisation and on the same terms (Art. 28(2),(4)), ",
	"a contract meeting Art. 28(3), records of the processing it carries out on behalf of its controller (Art. 30(2)), security (Art. 32), ",
	"notifying its controller of breaches without undue delay (Art. 33(2)), a DPO where its own core activities require one (Art. 37(1)(b),(c)), ",
	"and Chapter V for the data it sends or makes available outside %s (Art. 44). The customer (established in %s) and the vendor ",
	"(established in %s) do not become subject to the law by using it (EDPB Guidelines 3/2018): the controller's duties are not raised on this ground.",
])

# party_engagers(p): who engaged third party p and where: the recipient of the previous hop for an
# onward transfer's recipient; the vendor for its sub-processor or affiliate; the customer for a
# processor recipient; the customer or the vendor for a processor known only from processors[].
party_engagers(p) := {{"who": "recipient", "name": p.engaged_by.name, "country": p.engaged_by.country}} if p.engaged_by != null

else := vendor_engager if p.recipient_type in {"sub_processor", "vendor_affiliate"}

else := customer_engagers if p.key != ""

else := customer_engagers | vendor_engager

customer_engagers := {{"who": "customer", "country": c} | some c in facts.customer_countries}

vendor_engager := {{"who": "vendor", "country": dep.vendor_country}}

# engager_msg(e): engager e and its country for the detail text.
engager_msg(e) := lib.msg("gdpr.engager.recipient", "{recipient}, the recipient that engaged it in {country}", {"recipient": e.name, "country": e.country}) if e.who == "recipient"

else := lib.msg(sprintf("gdpr.engager.%s", [e.who]), sprintf("the %s in {country}", [e.who]), {"country": e.country})

# returned_by(p): transfer entry p records an onward transfer of its own to a country of one of its
# engagers (the return to its controller or to the processor that engaged it).
returned_by(p) if {
	some d in facts.destinations[p.activity]
	d.kind == "onward"
	d.parent.key == p.key
	some e in party_engagers(p)
	d.country == e.country
}

# return_open[r][name]: the engagers abroad of third party `name` (regime r) to which no return is
# recorded: every engager outside the territory when no transfer entry of it records one.
return_open := {r: {name: es |
	some name, g in gs
	not party_returned(g)
	es := engagers_abroad(r, g)
	count(es) > 0
} |
	some r, gs in party_groups
}

party_returned(g) if {
	some p in g.transfers
	returned_by(p)
}

engagers_abroad(r, g) := {e | some e in engagers_of(g); not e.country in family_countries[r]}

# engagers_of(g): the engagers of every transfer entry of the party, else the customer or the vendor.
engagers_of(g) := {e | some p in g.transfers; some e in party_engagers(p)} if count(g.transfers) > 0

else := party_engagers({"engaged_by": null, "recipient_type": "processor", "key": ""})

# METADATA
# title: Does the processor established in the territory return data abroad?
# description: >-
#   A processor subject to the GDPR that sends personal data back to, or lets it be reached by,
#   its controller or the processor that engaged it in a third country makes a transfer (EDPB
#   Guidelines 05/2021, the three cumulative criteria and Example 3: the exporter is subject to the
#   GDPR for the processing; the importer's own status does not matter), which needs a Chapter V
#   tool (Art. 44, 46): the 2021 standard contractual clauses, Module 3 (processor to processor) or
#   Module 4 (processor to controller). The questionnaire records no such flow for a third-party
#   processor established in the territory whose controller is abroad; whether there is one is a
#   fact piaflow does not assume either way.
# related_resources:
#   - ref: https://www.edpb.europa.eu/our-work-tools/our-documents/guidelines/guidelines-052021-interplay-between-application-article-3_en
#     description: EDPB Guidelines 05/2021 (v2.0) on the interplay of Art. 3 and Chapter V, criteria and Example 3
#   - ref: https://eur-lex.europa.eu/eli/dec_impl/2021/914/oj
#     description: Commission Implementing Decision (EU) 2021/914 (standard contractual clauses), Modules 3 and 4
# custom:
#   id: GDPR-PROCESSOR-RETURN-REVIEW
#   regime: gdpr
#   ref: GDPR Art. 44, 46; EDPB Guidelines 05/2021, Example 3; Decision (EU) 2021/914
#   kind: needs_review
#   severity: medium
#   owner: legal
#   action: Answer whether the processor returns data abroad and record the transfer with its mechanism
#   confirm: The UK reading follows the EDPB (confirm against the ICO's guidance on restricted transfers); Example 3 concerns a processor returning data to its controller, its extension to the processor that engaged it (Module 3) is piaflow's reading.
base_findings contains [r, object.union(lib.finding(rego.metadata.rule(), detail, fields), own_basis)] if {
	some r, open in return_open
	some name, es in open
	g := party_groups[r][name]
	fields := g.fields | {concat("", [p.key, ".onward_transfers"]) | some p in g.transfers}
	detail := lib.msg(
		sprintf("gdpr.processor_return_review.%s", [r]),
		return_review_text[r],
		{
			"party": name,
			"party_country": lib.join(", ", g.countries),
			"engagers": lib.join("; ", {engager_msg(e) | some e in es}),
			"record": record_where(g),
		},
	)
}

return_review_text := {
	"gdpr": concat("", [
		"{party}, a processor established in {party_country} and subject to the GDPR for its processing, works for a controller abroad. ",
		"Does it send the data back to, or let it be reached by, {engagers}? If so, that is a transfer by the processor ",
		"(EDPB Guidelines 05/2021, Example 3) needing a Chapter V tool: an adequacy decision covering the importer, or the ",
		"2021 SCCs, Module 3 (processor to processor) or Module 4 (processor to controller). Record it in {record} with its mechanism.",
	]),
	"uk_gdpr": concat("", [
		"{party}, a processor established in {party_country} and subject to the UK GDPR for its processing, works for a controller abroad. ",
		"Does it send the data back to, or let it be reached by, {engagers}? If so, that is a restricted transfer by the processor ",
		"(piaflow follows the EDPB's reading, Guidelines 05/2021, Example 3; confirm against the ICO's guidance) needing a ",
		"UK GDPR transfer tool: UK adequacy regulations covering the importer, or the IDTA or the UK Addendum to the SCCs. ",
		"Record it in {record} with its mechanism.",
	]),
}

# record_where(g): where the return belongs: the onward transfers of the transfer to the party,
# or a transfer to it (with its onward_transfers) when it is recorded only in processors[].
record_where(g) := lib.join(" or ", {concat("", [p.key, ".onward_transfers"]) | some p in g.transfers}) if count(g.transfers) > 0

else := lib.msg("gdpr.record_where.transfer", "activities[].transfers (a transfer to it, with the return in its onward_transfers)", {})

# METADATA
# title: Controller-processor contract (Art. 28(3))
# description: >-
#   Processing by a processor is governed by a contract (or other legal act) that binds the
#   processor to the controller and sets out the subject matter, duration, nature and purpose,
#   types of data and categories of people, and the processor's duties (documented instructions,
#   confidentiality, security, sub-processors, assistance, deletion or return, audits); it is in
#   writing (Art. 28(3),(9)). The vendor acts as processor: the contract between vendor and
#   customer is asked for (deployment.vendor_dpa_signed), and its absence is a violation.
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: GDPR Art. 28(3),(9)
# custom:
#   id: GDPR-PROCESSOR-CONTRACT
#   regime: gdpr
#   ref: GDPR Art. 28(3),(9)
#   kind: violation
#   severity: high
#   owner: legal
#   action: Sign a contract between the vendor and the customer that meets Art. 28(3)
base_findings contains [r, lib.finding_with(rego.metadata.rule(), contract_text, ["deployment.vendor_dpa_signed", "deployment.vendor_role"], contract_kind)] if {
	dep.vendor_role == "processor"
	not dep.vendor_dpa_signed
	some r in family_regimes
}

# contract_kind: a missing answer is a gap to fill, not a breach.
default contract_kind := {"kind": "gap", "severity": "medium"}

contract_kind := {} if dep.vendor_dpa_signed == false

contract_text := lib.msg("gdpr.processor_contract.missing", "The vendor processes the customer's data as processor, but the contract between them does not meet Art. 28(3) (deployment.vendor_dpa_signed: false).", {}) if {
	dep.vendor_dpa_signed == false
} else := lib.msg("gdpr.processor_contract.unknown", "The vendor processes the customer's data as processor. Does the contract between them meet Art. 28(3)? Answer deployment.vendor_dpa_signed.", {})

# METADATA
# title: Return transfer to the controller abroad not recorded
# description: >-
#   A processor established in the territory that sends data back to, or lets it be reached by,
#   its controller in a third country makes a transfer (EDPB Guidelines 05/2021, Example 3), which
#   needs a Chapter V tool (Art. 44, 46), whether or not the controller is itself subject to the
#   GDPR through Art. 3(2) (EDPB Guidelines 05/2021, criterion 3). The customer is established
#   abroad and no transfer to it is recorded, so the transfer cannot be assessed.
# related_resources:
#   - ref: https://www.edpb.europa.eu/our-work-tools/our-documents/guidelines/guidelines-052021-interplay-between-application-article-3_en
#     description: EDPB Guidelines 05/2021 (v2.0) on the interplay of Art. 3 and Chapter V, Example 3
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: GDPR Art. 44, 46
# custom:
#   id: GDPR-PROCESSOR-RETURN-TRANSFER-UNKNOWN
#   regime: gdpr
#   ref: GDPR Art. 44, 46; EDPB Guidelines 05/2021, Example 3
#   kind: gap
#   severity: high
#   owner: legal
#   action: Record the transfer to the customer and its mechanism
#   confirm: The UK reading (a UK processor returning data to its foreign controller makes a restricted transfer) follows the EDPB; check the ICO's guidance on restricted transfers.
base_findings contains [r, lib.finding(rego.metadata.rule(), detail, fields)] if {
	not returned
	fields := {"deployment.customer_country"} | {field(i, "transfers") | some i in all_acts}
	some r in processor_regimes
	not customer_established(r)
	detail := lib.msg(
		sprintf("gdpr.processor_return_transfer.%s", [r]),
		return_text[r],
		{"customer_country": dep.customer_country, "vendor_country": dep.vendor_country, "code": dep.customer_country},
	)
}

# returned: a transfer to a controller in the customer's country is recorded.
returned if {
	some a in facts.activities
	some t in object.get(a, "transfers", [])
	t.recipient_type == "controller"
	dep.customer_country in {t.to_country, object.get(t, "recipient_country", t.to_country)}
}

return_text := {
	"gdpr": concat("", [
		"The customer in {customer_country} reaching the data the vendor holds as processor in {vendor_country} is a transfer by the processor ",
		"(EDPB Guidelines 05/2021, Example 3), and no transfer to the customer is recorded. Record it in activities[].transfers ",
		"(recipient_type controller, to_country {code}) with its mechanism: an adequacy decision that covers the customer, ",
		"the EU-US Data Privacy Framework if the customer is certified, or the 2021 SCCs, module 4 (processor to controller).",
	]),
	"uk_gdpr": concat("", [
		"The customer in {customer_country} reaching the data the vendor holds as processor in {vendor_country} is a restricted transfer by the processor ",
		"(piaflow follows the EDPB's reading, Guidelines 05/2021, Example 3; confirm against the ICO's guidance), and no transfer ",
		"to the customer is recorded. Record it in activities[].transfers (recipient_type controller, to_country {code}) with its ",
		"mechanism: UK adequacy regulations that cover the customer, the UK Extension to the EU-US Data Privacy Framework ",
		"if the customer is certified, or the IDTA or the UK Addendum to the SCCs.",
	]),
}

# METADATA
# title: No process to notify the controller of a breach
# description: >-
#   A processor notifies the controller without undue delay after becoming aware of a
#   personal-data breach (Art. 33(2)); the controller's own 72-hour notification depends on it.
#   The vendor is bound as processor and the questionnaire records no breach notification process.
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: GDPR Art. 33(2)
# custom:
#   id: GDPR-PROCESSOR-BREACH-NOTICE
#   regime: gdpr
#   ref: GDPR Art. 33(2)
#   kind: violation
#   severity: high
#   owner: engineering
#   action: Set up a process to notify the customer of personal-data breaches without undue delay
base_findings contains [r, lib.finding(rego.metadata.rule(), breach_notice_text, ["governance.breach_notification_process"])] if {
	not facts.governance.breach_notification_process
	some r in processor_only
}

breach_notice_text := lib.msg(
	"gdpr.processor_breach_notice", concat("", [
		"As processor the vendor must notify the customer (the controller) without undue delay after becoming aware of a personal-data breach ",
		"(Art. 33(2)); the questionnaire records no breach notification process.",
	]),
	{},
)

# METADATA
# title: Joint controllers' arrangement (Art. 26)
# description: >-
#   Joint controllers determine their respective responsibilities, in particular for data-subject
#   rights and information, by an arrangement between them (Art. 26(1)), whose essence is made
#   available to the data subjects (Art. 26(2)). The vendor is a joint controller with the
#   customer; the arrangement is asked for (deployment.joint_controller_arrangement).
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: GDPR Art. 26
# custom:
#   id: GDPR-JOINT-CONTROLLER-ARRANGEMENT
#   regime: gdpr
#   ref: GDPR Art. 26(1),(2)
#   kind: violation
#   severity: medium
#   owner: legal
#   action: Conclude the Art. 26 arrangement between the vendor and the customer and publish its essence
base_findings contains [r, lib.finding_with(rego.metadata.rule(), joint_text, ["deployment.joint_controller_arrangement", "deployment.vendor_role"], joint_kind)] if {
	dep.vendor_role == "joint_controller"
	not dep.joint_controller_arrangement
	some r in controller_regimes
}

default joint_kind := {"kind": "gap"}

joint_kind := {} if dep.joint_controller_arrangement == false

joint_text := lib.msg("gdpr.joint_arrangement.missing", "The vendor and the customer are joint controllers without an arrangement setting out their respective responsibilities (deployment.joint_controller_arrangement: false).", {}) if {
	dep.joint_controller_arrangement == false
} else := lib.msg("gdpr.joint_arrangement.unknown", "The vendor and the customer are joint controllers. Is their Art. 26 arrangement in place? Answer deployment.joint_controller_arrangement.", {})

# parent_cases: processors and recipients established in the territory with a parent company
# outside it (processors[].parent_country, transfers[].recipient_parent_country).
parent_cases contains c if {
	some r in family_regimes
	some k, p in facts.processors
	p.country in family_countries[r]
	parent := object.get(p, "parent_country", p.country)
	not parent in family_countries[r]
	c := {
		"regime": r,
		"field": sprintf("processors[%d].parent_country", [k]),
		"detail": lib.msg(
			"gdpr.parent.processor",
			"Processor {processor} is established in {country} and its parent company in {parent_country}: not a transfer by itself, but the law of {parent_country} may reach the data; check that the processor gives sufficient guarantees against it.",
			{"processor": quoted(p.name), "country": p.country, "parent_country": parent},
		),
	}
}

parent_cases contains c if {
	some r, acts in scope_acts
	some i in acts
	some k, t in object.get(facts.activities[i], "transfers", [])
	country := object.get(t, "recipient_country", t.to_country)
	country in family_countries[r]
	parent := object.get(t, "recipient_parent_country", country)
	not parent in family_countries[r]
	c := {
		"regime": r,
		"field": sprintf("activities[%d].transfers[%d].recipient_parent_country", [i, k]),
		"detail": lib.msg(
			"gdpr.parent.recipient",
			"Recipient {recipient} is established in {country} and its parent company in {parent_country}: not a transfer by itself, but the law of {parent_country} may reach the data; check the recipient's guarantees against it.",
			{"recipient": quoted(t.recipient), "country": country, "parent_country": parent},
		),
	}
}

# METADATA
# title: Processor or recipient with a parent company abroad
# description: >-
#   A processor or recipient established in the territory whose parent company is in a third
#   country receives no transfer by that fact alone, but the third country's law may reach the
#   data (for instance an order to disclose it). The controller may use only processors giving
#   sufficient guarantees (Art. 28(1)), and the risk bears on the security measures (Art. 32).
# related_resources:
#   - ref: https://www.edpb.europa.eu/our-work-tools/our-documents/guidelines/guidelines-052021-interplay-between-application-article-3_en
#     description: EDPB Guidelines 05/2021 (v2.0) on the interplay of Art. 3 and Chapter V
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: GDPR Art. 28(1), 32
# custom:
#   id: GDPR-THIRD-COUNTRY-PARENT
#   regime: gdpr
#   ref: GDPR Art. 28(1), 32; EDPB Guidelines 05/2021
#   kind: needs_review
#   severity: low
#   owner: legal
#   action: Assess the exposure to the parent company's country's law and the contract's safeguards
#   confirm: The example of EDPB Guidelines 05/2021 v2.0 on an EU subsidiary of a third-country parent (number and wording) was not re-read.
base_findings contains [c.regime, lib.finding(rego.metadata.rule(), c.detail, [c.field])] if {
	some c in parent_cases
}

# METADATA
# title: Is the anonymisation effective?
# description: >-
#   Data that can no longer be attributed to a person by any means reasonably likely to be used
#   is outside the GDPR (Recital 26); pseudonymised data stays personal data (Art. 4(5)).
#   Whether an anonymisation meets that test is a legal and technical judgment (Article 29
#   Working Party Opinion 05/2014 on anonymisation techniques), and anonymising personal data is
#   itself processing. piaflow keeps applying the GDPR to the activity until it is confirmed.
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: GDPR Recital 26, Art. 4(1),(5)
#   - ref: https://ec.europa.eu/justice/article-29/documentation/opinion-recommendation/files/2014/wp216_en.pdf
#     description: Article 29 Working Party, Opinion 05/2014 on Anonymisation Techniques (WP216)
# custom:
#   id: GDPR-ANONYMISATION-REVIEW
#   regime: gdpr
#   ref: GDPR Recital 26, Art. 4(1)
#   kind: needs_review
#   severity: medium
#   owner: legal
#   action: Have legal and engineering confirm that no one can identify the people from the data by means reasonably likely to be used
base_findings contains [r, lib.finding(rego.metadata.rule(), detail, {field(i, "deidentification")} | method_field(i, a))] if {
	some r, acts in scope_acts
	some i in acts
	a := facts.activities[i]
	a.deidentification == "anonymised"
	detail := anonymised_text(a)
}

anonymised_rest := "The data is outside the GDPR only if no one can identify the people by means reasonably likely to be used (Recital 26); until that is confirmed, piaflow applies the GDPR to the activity."

anonymised_text(a) := lib.msg(
	"gdpr.anonymisation_review.method",
	sprintf("Activity {activity} is recorded as anonymised ({method}). %s", [anonymised_rest]),
	{"activity": quoted(a.name), "method": a.deidentification_method},
) if {
	a.deidentification_method
}

else := lib.msg(
	"gdpr.anonymisation_review",
	sprintf("Activity {activity} is recorded as anonymised. %s", [anonymised_rest]),
	{"activity": quoted(a.name)},
)

default method_field(_, _) := set()

method_field(i, a) := {field(i, "deidentification_method")} if a.deidentification_method

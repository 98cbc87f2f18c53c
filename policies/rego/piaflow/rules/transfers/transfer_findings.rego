# Findings on cross-border transfers and localisation: generic findings raised from the transfer
# verdicts of every jurisdiction (the package is documented in transfers.rego).
package piaflow.rules.transfers

import data.piaflow.facts
import data.piaflow.lib
import data.piaflow.regimes

jurisdiction := facts.jurisdiction_by_id

# flows grouped by (jurisdiction, destination, verdict, status): one finding per hosting site or
# transfer, naming every activity and subject country concerned. Built with comprehensions (the
# inner one closes over key, which OPA indexes), not a partial rule with composite heads.
grouped := {key: [all_flows[k] | some k in ks] |
	some key in group_keys
	ks := {k | some k, g in flow_group; g == key}
}

# flow_group[flow key]: the flow's group key; group_keys: the distinct ones.
flow_group := {k: [f.jurisdiction, f.via, f.verdict, f.status] | some k, f in all_flows}

group_keys := {g | some g in flow_group}

# describe(fs) is a message (docs/messages.md); an onward transfer says so.
describe(fs) := lib.msg("transfers.flow", "{recipient} ({access}) in {to_country}: {activities} of people in {from_country}", flow_params(fs)) if {
	fs[0].hop == 0
} else := lib.msg("transfers.flow.onward", "{recipient} ({access}, onward transfer hop {hop}) in {to_country}: {activities} of people in {from_country}", object.union(flow_params(fs), {"hop": fs[0].hop}))

flow_params(fs) := {
	"recipient": fs[0].recipient,
	"access": fs[0].access,
	"to_country": fs[0].to,
	"activities": lib.join(", ", {f.activity | some f in fs}),
	"from_country": lib.join(", ", {c | some f in fs; some c in f.from_countries}),
}

# exporter_param(f): who exports the flow, as a message parameter (exporter_msg with the English text).
exporter_param(f) := {"id": f.exporter_msg.id, "params": f.exporter_msg.params, "text": f.exporter} if f.exporter_msg

else := f.exporter

# why_param(f): the flow's reason as a message parameter: its message (why_msg) with the English text,
# or the text as the law's data wrote it.
why_param(f) := {"id": f.why_msg.id, "params": f.why_msg.params, "text": f.why} if f.why_msg

else := f.why

# mech_list(ms): the mechanisms a law accepts, as a list parameter.
mech_list(ms) := lib.join(", ", {m | some m in ms})

flow_fields(fs) := {p | some f in fs; some p in f.fields}

# METADATA
# title: Transfer without a mechanism
# description: >-
#   Personal data leaves the jurisdiction to a destination that is not adequate, and the
#   questionnaire names no transfer mechanism (mechanism: none).
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: GDPR Art. 44-49 (the citation of each finding comes from the jurisdiction data)
# custom:
#   suffix: TRANSFER-NO-MECHANISM
#   kind: violation
#   severity: blocker
#   owner: legal
#   action: Put in place a transfer mechanism accepted under %s before data flows
findings contains lib.jfinding_with(rego.metadata.rule(), j, foreign_detail(j, fs, detail), flow_fields(fs), fs[0].citation, foreign_exporter(j, fs)) if {
	some key, fs in grouped
	key[2] == "mechanism_required"
	key[3] == "missing_mechanism"
	some f in fs
	f.mechanism == "none"
	j := jurisdiction[key[0]]
	detail := lib.msg("transfers.no_mechanism", "{flow}. No mechanism is given; acceptable: {mechanisms}. {why_text}", {"flow": describe(fs), "mechanisms": mech_list(fs[0].mechanisms), "why_text": why_param(fs[0])})
}

# foreign_exporter: the flows' exporter is a controller the law reaches only through its people
# (e.g. GDPR Art. 3(2)) and the law's data says its transfer findings are then reviews
# (transfer.foreign_exporter): needs_review, high, with the law's note.
# The same holds when the exporter is the vendor established under j in a role whose export the
# law's text does not settle (scope.vendor_establishment.exports: "review", e.g. PIPL for an
# entrusted party): needs_review, high, with the law's reason.
# A third-party processor established under j exports by its own establishment: its findings are
# marked (own_basis); those of a hosting site it operates are reviews (site_parties.rego).
foreign_exporter(j, fs) := {"kind": "needs_review", "severity": "high"} if {
	j.transfer.foreign_exporter
	fs[0].exporter_basis == "subjects"
} else := {"kind": "needs_review", "severity": "high"} if {
	vendor_export_review(j, fs)
} else := object.union({"kind": "needs_review", "severity": "high"}, own_basis) if {
	site_party_review(fs) # site_parties.rego: who operates the site is open
} else := own_basis if {
	fs[0].exporter_basis == "processor_establishment"
} else := {}

# own_basis marks a finding that rests on a third-party processor's own establishment (Art. 3(1)):
# it stays firm when the law reaches the customer only conditionally (main.conditional).
own_basis := {"scope_basis": "processor_establishment"}

foreign_detail(j, fs, detail) := lib.msg("transfers.foreign_exporter", "{detail} {note_text}", {"detail": detail, "note_text": j.transfer.foreign_exporter.text}) if {
	j.transfer.foreign_exporter
	fs[0].exporter_basis == "subjects"
} else := lib.msg("transfers.vendor_export_review", "{detail} Whether the vendor ({vendor_role}) is the exporter is for legal to confirm: {reason_text}", {"detail": detail, "vendor_role": facts.vendor_role, "reason_text": facts.vendor_detail(j).exports.why}) if {
	vendor_export_review(j, fs)
} else := detail

vendor_export_review(j, fs) if {
	fs[0].exporter_basis == "vendor"
	vendor_export_reach(j) == "review"
}

# METADATA
# title: Transfer mechanism not recorded
# description: >-
#   Data leaves the jurisdiction and the questionnaire does not say which of the law's transfer
#   mechanisms covers it: no mechanism is recorded (hosting[].mechanism omitted), or the single
#   mechanism recorded is one only another law on the same destination accepts (e.g. the CAC
#   standard contract for PIPL on a site that also holds people of Japan) and no per-law entry
#   (hosting[].mechanisms, transfers[].mechanisms) names this law's.
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: GDPR Art. 44-49 (the citation of each finding comes from the jurisdiction data)
# custom:
#   suffix: TRANSFER-MECHANISM-UNKNOWN
#   kind: gap
#   severity: high
#   owner: legal
#   action: Record the mechanism (under %s) that covers this hosting site or transfer
findings contains lib.jfinding_with(rego.metadata.rule(), j, foreign_detail(j, fs, detail), flow_fields(fs), fs[0].citation, foreign_exporter(j, fs)) if {
	some key, fs in grouped
	key[3] == "missing_mechanism"
	some f in fs
	f.mechanism != "none"
	j := jurisdiction[key[0]]
	detail := unknown_detail(f, j, fs)
}

# unknown_detail: the mechanism is asked for, or the single value recorded is another law's.
unknown_detail(f, j, fs) := lib.msg("transfers.mechanism_unknown", "{flow}. Which mechanism covers it? Acceptable: {mechanisms}. {why_text}", {"flow": describe(fs), "mechanisms": mech_list(fs[0].mechanisms), "why_text": why_param(fs[0])}) if {
	f.mechanism == "unknown"
} else := lib.msg("transfers.mechanism_unknown.other_laws", "{flow}. \"{mechanism}\" ({field}) covers {other_law}, not {law}: record the {law} mechanism in {entry}. Acceptable: {mechanisms}. {why_text}", {
	"flow": describe(fs),
	"mechanism": f.mechanism,
	"field": f.fields[1],
	"other_law": lib.join(", ", {jurisdiction[jid].short | some jid in other_laws(j, {"key": f.via}, f.mechanism)}),
	"law": j.short,
	"entry": f.entry,
	"mechanisms": mech_list(fs[0].mechanisms),
	"why_text": why_param(fs[0]),
})

# METADATA
# title: Transfer mechanism not accepted
# description: >-
#   The mechanism named for a transfer is not one the jurisdiction accepts for it (nor, for the
#   single mechanism field, one another law on the same destination accepts).
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: GDPR Art. 44-49 (the citation of each finding comes from the jurisdiction data)
# custom:
#   suffix: TRANSFER-MECHANISM-INVALID
#   kind: violation
#   severity: blocker
#   owner: legal
#   action: Replace the mechanism with one accepted under %s
findings contains lib.jfinding_with(rego.metadata.rule(), j, foreign_detail(j, fs, detail), flow_fields(fs), fs[0].citation, foreign_exporter(j, fs)) if {
	some key, fs in grouped
	key[2] == "mechanism_required"
	key[3] == "invalid_mechanism"
	some f in fs
	j := jurisdiction[key[0]]
	detail := lib.msg("transfers.mechanism_invalid", "{flow}. The mechanism \"{mechanism}\" is not accepted here; acceptable: {mechanisms}. {why_text}", {"flow": describe(fs), "mechanism": f.mechanism, "mechanisms": mech_list(fs[0].mechanisms), "why_text": why_param(fs[0])})
}

# METADATA
# title: Regulator approval or notice needed before the transfer
# description: >-
#   The transfer needs a regulator's assessment, approval or prior notice (e.g. CAC security
#   assessment, Roskomnadzor notice) that the questionnaire does not record as done, or the
#   mechanism recorded is not the one the regulator's procedure needs.
# related_resources:
#   - ref: https://www.cac.gov.cn/2024-03/22/c_1712776611775634.htm
#     description: e.g. CAC Provisions (2024) Art. 7 (the citation of each finding comes from the jurisdiction data)
# custom:
#   suffix: TRANSFER-APPROVAL-REQUIRED
#   kind: violation
#   severity: blocker
#   owner: legal
#   action: Obtain the regulator filing or approval required by %s before data flows
findings contains lib.jfinding_with(rego.metadata.rule(), j, foreign_detail(j, fs, detail), fields, fs[0].citation, foreign_exporter(j, fs)) if {
	some key, fs in grouped
	approval_missing(key[2], key[3])
	some f in fs
	approval_case(f)
	j := jurisdiction[key[0]]
	fields := flow_fields(fs) | {f.filing_field}
	detail := lib.msg("transfers.approval_required", "{flow}. Needed: {mechanisms} (regulator filing: {needed_filing}, recorded: {filing}). {why_text}", {"flow": describe(fs), "mechanisms": need_mech(fs[0].mechanisms), "needed_filing": need_filing(f.need.filing), "filing": f.filing, "why_text": why_param(fs[0])})
}

approval_missing(_, "missing_filing")

approval_missing("approval_required", status) if status in {"invalid_mechanism", "missing_mechanism"}

# approval_case: the flow lacks the filing, or the mechanism the approval procedure needs (an
# unrecorded mechanism is asked for by TRANSFER-MECHANISM-UNKNOWN instead).
approval_case(f) if f.status in {"missing_filing", "invalid_mechanism"}

approval_case(f) if {
	f.status == "missing_mechanism"
	f.mechanism == "none"
}

need_mech(ms) := mech_list(ms) if count(ms) > 0

need_mech(ms) := lib.msg("transfers.any_mechanism", "no particular mechanism", {}) if count(ms) == 0

# need_filing: the regulator filing a decision needs (none, filed, approved), as a message.
need_filing("") := lib.msg("transfers.filing_need.none", "none", {})

need_filing(x) := lib.msg(concat(".", ["transfers.filing_need", x]), x, {}) if x != ""

# METADATA
# title: Regulator filing due after the contract or transfer starts
# description: >-
#   The law lets the regulator filing follow the start: the CAC standard contract is filed within
#   10 working days of taking effect, Vietnam's transfer impact dossier within 60 days of the first
#   transfer, the Turkish standard contract notified within 5 business days of signature. The
#   questionnaire does not record the filing as done. It is high until the deadline (counted from
#   the recorded signature date or first transfer; working days skip weekends but not public
#   holidays) and a blocker once the assessment date is past it. When whether this party is the
#   exporter is itself for legal to confirm (a foreign exporter reached only through its people, a
#   vendor whose exporting is `review`), it is needs_review, high, like the other transfer findings.
# related_resources:
#   - ref: https://www.cac.gov.cn/2023-02/24/c_1678884830036813.htm
#     description: e.g. CAC Measures on the Standard Contract (2023) Art. 7 (the citation of each finding comes from the jurisdiction data)
# custom:
#   suffix: TRANSFER-NOTICE-DUE
#   kind: violation
#   severity: high
#   owner: legal
#   action: Make the regulator filing %s requires by its deadline
findings contains object.union(lib.jfinding_with(rego.metadata.rule(), j, foreign_detail(j, fs, detail), fields, citation, object.union({"severity": sev}, foreign_exporter(j, fs))), {"action": action}) if {
	some key, fs in grouped
	key[3] == "filing_due"
	some f in fs
	j := jurisdiction[key[0]]
	fields := (flow_fields(fs) | {f.filing_field}) | anchor_fields(f)
	d := notice_due(f)
	sev := overdue_severity(d.due)
	citation := object.get(f.need, "citation", fs[0].citation)
	detail := notice_detail(f, fs, d)
	action := {
		"title": sprintf("Make the regulator filing %s requires within %d %s of %s", [j.short, f.need.within, unit_words[f.need.unit], d.anchor_words]),
		"owner": "legal",
		"due": d.due,
		"title_msg": {"id": sprintf("rule.*-TRANSFER-NOTICE-DUE.action.%s_%s", [{"days": "days", "working_days": "working"}[f.need.unit], {"the first transfer": "first", "the contract's signature": "signature"}[d.anchor_words]]), "params": {"law": lib.law_param(j), "days": f.need.within}},
	}
}

# notice_detail: the filing due, for the mechanism recorded when the law names it, overdue or not.
notice_detail(f, fs, d) := lib.msg(concat("", ["transfers.notice_due", notice_variant(f, d.due)]), notice_template(f, d.due), {k: v |
	some k, v in {
		"flow": describe(fs),
		"needed_filing": need_filing(f.need.filing),
		"mechanism": f.mechanism,
		"filing": f.filing,
		"within": f.need.within,
		"unit": lib.msg(concat(".", ["transfers.unit", f.need.unit]), unit_words[f.need.unit], {}),
		"anchor": d.anchor_text,
		"due": d.due,
		"as_of": lib.as_of,
		"why_text": object.get(f.need, "text", why_param(fs[0])),
	}
	contains(notice_template(f, d.due), sprintf("{%s}", [k]))
})

notice_variant(f, due) := concat("", [mechanism_variant(f), overdue_variant(due)])

mechanism_variant(f) := ".mechanism" if f.mechanism in f.mechanisms

else := ""

overdue_variant(due) := ".overdue" if lib.as_of > due

else := ""

notice_template(f, due) := sprintf("{flow}. Needed: regulator filing {needed_filing}%s (recorded: {filing}) within {within} {unit} of {anchor}: due {due}%s. {why_text}", [for_mechanism(f), overdue_text(due)])

for_mechanism(f) := " for the {mechanism}" if f.mechanism in f.mechanisms

else := ""

unit_words := {"days": "days", "working_days": "working days"}

# notice_due: the deadline of a filing that may follow the start, from the contract's signature
# date (signed_on of the per-law entry) or the first transfer (deployment.first_transfer_on, else
# go_live).
notice_due(f) := {"due": lib.add_days(f.signed_on, f.need.within, f.need.unit), "anchor_text": lib.msg("transfers.anchor.signed_on", "signature ({date})", {"date": f.signed_on}), "anchor_words": "the contract's signature"} if {
	f.need.from == "signed_on"
	f.signed_on != ""
} else := {"due": lib.add_days(facts.first_transfer_on, f.need.within, f.need.unit), "anchor_text": lib.msg("transfers.anchor.first_transfer.unsigned", unsigned_anchor, {"date": facts.first_transfer_on}), "anchor_words": "the contract's signature"} if {
	f.need.from == "signed_on"
} else := {"due": lib.add_days(facts.first_transfer_on, f.need.within, f.need.unit), "anchor_text": lib.msg("transfers.anchor.first_transfer", "the first transfer ({date}, deployment.first_transfer_on or go_live)", {"date": facts.first_transfer_on}), "anchor_words": "the first transfer"}

unsigned_anchor := "the first transfer ({date}, deployment.first_transfer_on or go_live; signature date not recorded)"

# anchor_fields: the per-law entry's signature date the deadline is counted from (the deployment's
# first_transfer_on / go_live are named in the detail instead: as first field they would change the
# finding's key).
anchor_fields(f) := {concat("", [f.entry, ".signed_on"])} if {
	f.need.from == "signed_on"
	regex.match(`\.mechanisms\[[0-9]+\]$`, f.entry)
} else := set()

overdue_severity(due) := "blocker" if lib.as_of > due

else := "high"

overdue_text(due) := ", overdue on {as_of}" if lib.as_of > due

else := ""

# METADATA
# title: Transfer prohibited
# description: >-
#   The destination is on the jurisdiction's list of countries data may not go to.
# related_resources:
#   - ref: https://www.meity.gov.in/data-protection-framework
#     description: e.g. DPDP Act 2023 s.16 (the citation of each finding comes from the jurisdiction data)
# custom:
#   suffix: TRANSFER-PROHIBITED
#   kind: violation
#   severity: blocker
#   owner: legal
#   action: Stop the flow or move it to a country permitted under %s
findings contains lib.jfinding(rego.metadata.rule(), j, detail, flow_fields(fs), fs[0].citation) if {
	some key, fs in grouped
	key[2] == "prohibited"
	j := jurisdiction[key[0]]
	detail := lib.msg("transfers.prohibited", "{flow}. {why_text}", {"flow": describe(fs), "why_text": why_param(fs[0])})
}

# METADATA
# title: Derogation relied on for a regular transfer
# description: >-
#   Consent, contract necessity or another derogation is named for hosting or systematic access;
#   derogations are meant for occasional transfers and are read restrictively.
# related_resources:
#   - ref: https://www.edpb.europa.eu/our-work-tools/our-documents/guidelines/guidelines-22018-derogations-article-49-under-regulation_en
#     description: EDPB Guidelines 2/2018 on Art. 49 derogations
# custom:
#   suffix: TRANSFER-DEROGATION-REVIEW
#   kind: needs_review
#   severity: medium
#   owner: legal
#   action: Have legal confirm the derogation fits under %s, or use a standing mechanism
findings contains lib.jfinding(rego.metadata.rule(), j, detail, flow_fields(fs), fs[0].citation) if {
	some key, fs in grouped
	key[2] == "mechanism_required"
	key[3] == "satisfied"
	some f in fs
	j := jurisdiction[key[0]]
	f.mechanism in object.get(j.transfer, "derogations", [])
	not f.mechanism in fs[0].mechanisms
	detail := lib.msg("transfers.derogation_review", "{flow} relies on \"{mechanism}\". Derogations suit occasional transfers, not hosting or systematic access.", {"flow": describe(fs), "mechanism": f.mechanism})
}

# METADATA
# title: Transfer exemption claimed
# description: >-
#   A local-law exemption is claimed for a transfer; whether its conditions hold is a legal
#   judgment the rules cannot make. (An exemption that holds on the answers is
#   TRANSFER-EXEMPT-ON-ANSWERS.)
# related_resources:
#   - ref: https://www.cac.gov.cn/2024-03/22/c_1712776611775634.htm
#     description: e.g. CAC Provisions (2024) Art. 5 (the citation of each finding comes from the jurisdiction data)
# custom:
#   suffix: TRANSFER-EXEMPTION-REVIEW
#   kind: needs_review
#   severity: medium
#   owner: legal
#   action: Have legal confirm and document that the %s exemption applies
findings contains lib.jfinding(rego.metadata.rule(), j, detail, flow_fields(fs) | {fs[0].exemption_field}, fs[0].citation) if {
	some key, fs0 in grouped
	key[2] == "allowed"
	fs := [f | some f in fs0; startswith(f.basis, "exemption:"); not on_facts(f)]
	count(fs) > 0
	j := jurisdiction[key[0]]
	detail := lib.msg("transfers.exemption_claimed", "{flow} claims the exemption \"{exemption}\": {why_text}", {"flow": describe(fs), "exemption": fs[0].exemption, "why_text": why_param(fs[0])})
}

# fact_exemptions_by[jid]: jurisdiction jid's exemptions that hold on the answers, by id.
fact_exemptions_by := {j.id: {e.id: e | some e in object.get(j.transfer, "fact_exemptions", [])} | some j in facts.jurisdictions}

# on_facts(f): flow f is allowed by an exemption that holds on the answers (not claimed).
on_facts(f) if fact_exemptions_by[f.jurisdiction][trim_prefix(f.basis, "exemption:")]

# answer_fields: the activity answers a fact exemption's condition keys read.
answer_fields := {"collected_outside": "collected_in", "important_data": "important_data", "located": "data_subjects"}

# METADATA
# title: Transfer exempt on the answers
# description: >-
#   The answers meet the conditions of an exemption the law grants without a claim (CAC Provisions
#   (2024) Art. 4: personal information collected and generated abroad, processed in China and
#   provided abroad again, no personal information or important data from within China
#   introduced). The flow is allowed; legal confirms what the questionnaire cannot show.
# related_resources:
#   - ref: https://www.cac.gov.cn/2024-03/22/c_1712776611775634.htm
#     description: e.g. CAC Provisions (2024) Art. 4 (the citation of each finding comes from the jurisdiction data)
# custom:
#   suffix: TRANSFER-EXEMPT-ON-ANSWERS
#   kind: needs_review
#   severity: medium
#   owner: legal
#   action: Have legal confirm that the conditions of the %s exemption hold
findings contains lib.jfinding(rego.metadata.rule(), j, detail, fields, fs[0].citation) if {
	some key, fs0 in grouped
	key[2] == "allowed"
	fs := [f | some f in fs0; on_facts(f)]
	count(fs) > 0
	j := jurisdiction[key[0]]
	fields := flow_fields(fs) | {sprintf("activities[%d].%s", [f.activity_index, answer_fields[k]]) |
		some f in fs
		some k, _ in fact_exemptions_by[f.jurisdiction][trim_prefix(f.basis, "exemption:")].when
		answer_fields[k]
	}
	detail := exempt_detail(fs)
}

# exempt_detail(fs): the exemption that holds, naming the activities of flows fs that do not
# answer important_data, which the exemption then reads as false: legal confirms.
exempt_detail(fs) := lib.msg("transfers.exempt_on_answers.important_data", "{flow} is exempt on the answers: {why_text} {fields} not answered: confirm that no important data is involved.", {"flow": describe(fs), "why_text": why_param(fs[0]), "fields": lib.join(", ", ps)}) if {
	ps := {sprintf("activities[%d].important_data", [f.activity_index]) | some f in fs; object.get(facts.activities[f.activity_index], "important_data", null) == null}
	count(ps) > 0
} else := lib.msg("transfers.exempt_on_answers", "{flow} is exempt on the answers: {why_text}", {"flow": describe(fs), "why_text": why_param(fs[0])})

# METADATA
# title: Adequacy decision covers only some recipients
# description: >-
#   The destination's adequacy decision covers only some recipients (e.g. Canada and Japan: not
#   public bodies; Korea: not credit information of controllers the Financial Services Commission
#   supervises; the US: only the data the recipient's Data Privacy Framework certification
#   covers, HR or non-HR), and the questionnaire does not give the fact that decides it. The
#   decision is applied; a lawyer confirms the recipient falls within it.
# related_resources:
#   - ref: https://commission.europa.eu/law/law-topic/data-protection/international-dimension-data-protection/adequacy-decisions_en
#     description: European Commission, adequacy decisions (the citation of each finding comes from the jurisdiction data)
# custom:
#   suffix: ADEQUACY-SCOPE-REVIEW
#   kind: needs_review
#   severity: low
#   owner: legal
#   action: Confirm the recipient falls within the adequacy decision relied on under %s
findings contains lib.jfinding(rego.metadata.rule(), j, detail, fields, fs[0].citation) if {
	some key, fs in grouped
	key[2] == "allowed"
	open := {p | some f in fs; f.basis == "adequacy"; some p in f.adequacy_review}
	count(open) > 0
	j := jurisdiction[key[0]]
	fields := {p | some f in fs; some p in f.fields} | open
	detail := lib.msg("transfers.adequacy_scope_review", "{flow}. {why_text} Answer {fields}.", {"flow": describe(fs), "why_text": why_param(fs[0]), "fields": lib.join(", ", open)})
}

# METADATA
# title: Onward transfer covered by the first exporter's filing
# description: >-
#   A recipient passes the data on (transfers[].onward_transfers) where the law's decision for the
#   data needs a regulator filing or approval, e.g. the CAC security assessment or the filed CAC
#   standard contract: that filing is the first exporter's duty, not the recipient's. The hop has
#   the mechanism the law or the first transfer's instrument asks for; a lawyer confirms that the
#   first transfer's filing and contract cover the onward transfer.
# related_resources:
#   - ref: https://www.cac.gov.cn/2023-02/24/c_1678884830036813.htm
#     description: e.g. CAC Standard Contract (2023), Art. 3 (the citation of each finding comes from the jurisdiction data)
# custom:
#   suffix: TRANSFER-ONWARD-REVIEW
#   kind: needs_review
#   severity: medium
#   owner: legal
#   action: Confirm that the filing and contract of the first transfer under %s cover the onward transfer
findings contains lib.jfinding(rego.metadata.rule(), j, detail, flow_fields(fs), fs[0].citation) if {
	some key, fs in grouped
	key[3] == "onward_review"
	j := jurisdiction[key[0]]
	detail := lib.msg("transfers.onward_review", "{flow} (exporter: {exporter}). {why_text}", {"flow": describe(fs), "exporter": exporter_param(fs[0]), "why_text": why_param(fs[0])})
}

# --- localisation ------------------------------------------------------------------------------

# localisation entries: one per (jurisdiction, rule) that holds for some activity.
localisation contains e if {
	some j in facts.jurisdictions
	j.id in regimes.applicable_ids
	some l in object.get(j, "localisation", [])
	lib.in_force(l)
	acts := [i | some i in facts.concerns[j.id]; facts.holds(l.when, j, i, facts.duty_ctx(j))]
	count(acts) > 0
	problems := loc_problems(j, l, acts)
	e := {
		"country": j.countries[0],
		"regime": rule_regime(j, l),
		"rule": l.id,
		"type": l.requirement,
		"requirement": l.text,
		"satisfied": count(problems) == 0,
		"citation": l.citation,
		"activities": [facts.activities[i].name | some i in acts],
		"problems": [lib.text(p.text) | some p in problems],
		"problems_msg": [{"id": p.text.id, "params": p.text.params} | some p in problems],
		"fields": sort({p.field | some p in problems} | {sprintf("activities[%d].data_subjects", [i]) | some i in acts}),
		"jurisdiction": j.id,
		"instrument": object.get(l, "instrument", null),
	}
}

# regime: the instruments whose localisation rule holds are regimes of their own (the regimes[]
# entry names the rule's requirement; certainty and capacity are those of the law they are
# evaluated under).
regime contains r if {
	some e in localisation
	e.instrument != null
	j := jurisdiction[e.jurisdiction]
	why := lib.msg("transfers.instrument_applies", "{activities}: {requirement_text}", {"activities": lib.join(", ", {a | some a in e.activities}), "requirement_text": e.requirement})
	r := object.union(
		{
			"id": e.instrument.regime,
			"name": e.instrument.name,
			"short": e.instrument.short,
			"fields": sort({f | some f in e.fields; startswith(f, "activities[")}),
			"citation": e.instrument.citation,
			"jurisdiction": j.id,
			"last_reviewed": j.last_reviewed,
			"certainty": regimes.certainty[j.id],
			"capacity": regimes.capacity[j.id],
			"question": [],
		},
		lib.why_fields(why),
	)
}

in_j(j, c) if c in j.countries

loc_problems(j, l, acts) := array.concat(hosting_problems(j, l), transfer_problems(j, l, acts))

hosting_problems(j, l) := [{"text": lib.msg("transfers.problem.primary_hosting", "primary hosting {name} is in {country}", {"name": sprintf("%q", [h.name]), "country": h.country}), "field": sprintf("hosting[%d].country", [hi])} |
	l.requirement == "primary_in_country"
	some hi, h in facts.hosting
	h.role == "primary"
	not in_j(j, h.country)
] if {
	l.requirement == "primary_in_country"
}

hosting_problems(j, l) := [{"text": lib.msg("transfers.problem.hosting_role", "hosting {name} ({hosting_role}) is in {country}", {"name": sprintf("%q", [h.name]), "hosting_role": h.role, "country": h.country}), "field": sprintf("hosting[%d].country", [hi])} |
	some hi, h in facts.hosting
	not in_j(j, h.country)
] if {
	l.requirement == "all_hosting_in_country"
}

hosting_problems(j, l) := [{"text": lib.msg("transfers.problem.no_hosting", "no hosting site in {country}", {"country": lib.join(", ", {c | some c in j.countries})}), "field": "hosting"} |
	not some_hosting_in(j)
] if {
	l.requirement == "copy_in_country"
}

hosting_problems(j, l) := [{"text": lib.msg("transfers.problem.hosting", "hosting {name} is in {country}", {"name": sprintf("%q", [h.name]), "country": h.country}), "field": sprintf("hosting[%d].country", [hi])} |
	some hi, h in facts.hosting
	not in_j(j, h.country)
] if {
	l.requirement == "store_only_in_country"
}

hosting_problems(j, l) := [{"text": lib.msg("transfers.problem.hosting", "hosting {name} is in {country}", {"name": sprintf("%q", [h.name]), "country": h.country}), "field": sprintf("hosting[%d].country", [hi])} |
	some hi, h in facts.hosting
	not in_j(j, h.country)
	not lifted_by_any(l, law_filings(j, {"filing": object.get(h, "regulator_filing", "none"), "entries": facts.hosting_entries[hi]}))
] if {
	l.requirement == "process_only_in_country"
}

hosting_problems(j, l) := [{"text": lib.msg("transfers.problem.hosting", "hosting {name} is in {country}", {"name": sprintf("%q", [h.name]), "country": h.country}), "field": sprintf("hosting[%d].country", [hi])} |
	some hi, h in facts.hosting
	not in_j(j, h.country)
	not lifted_by_any(l, law_filings(j, {"filing": object.get(h, "regulator_filing", "none"), "entries": facts.hosting_entries[hi]}))
] if {
	l.requirement == "no_export"
}

some_hosting_in(j) if {
	some h in facts.hosting
	in_j(j, h.country)
}

transfer_problems(j, l, acts) := [{"text": lib.msg("transfers.problem.transfer", "{recipient} in {country} ({access})", {"recipient": d.name, "country": d.country, "access": d.access}), "field": d.country_field} |
	l.requirement in {"store_only_in_country", "no_export", "process_only_in_country"}
	some i in acts
	some d in facts.destinations[i]
	d.kind in {"transfer", "onward"}
	not in_j(j, d.country)
	blocks(l, j, d)
]

# METADATA
# title: Data localisation requirement not met
# description: >-
#   A data-residency rule of the jurisdiction applies (e.g. 152-FZ Art. 18(5), RBI payment data,
#   UAE health data) and the hosting or transfers do not meet it.
# related_resources:
#   - ref: https://pd.rkn.gov.ru/authority/p146/p164/
#     description: e.g. 152-FZ Art. 18(5) (the citation of each finding comes from the jurisdiction data)
# custom:
#   suffix: LOCALISATION
#   kind: violation
#   severity: blocker
#   owner: engineering
#   action: Change the hosting so the data stays in the country as %s requires
findings contains lib.jfinding(rego.metadata.rule(), law, detail, e.fields, e.citation) if {
	some e in localisation
	not e.satisfied
	j := jurisdiction[e.jurisdiction]
	law := localisation_law(j, e)
	detail := lib.msg("transfers.localisation", "{requirement_text} Concerns {activities}; found: {problems}.", {"requirement_text": e.requirement, "activities": lib.join(", ", {a | some a in e.activities}), "problems": {"sep": "; ", "items": e.problems_msg, "text": concat("; ", e.problems)}})
}

# localisation_law: the law a localisation finding is reported under (its instrument, if any).
localisation_law(j, e) := {"regime": e.instrument.regime, "short": e.instrument.short} if e.instrument != null

else := j

# METADATA
# title: Localisation at collection turns on where the data is collected
# description: >-
#   A localisation rule that attaches to the collection of the data (e.g. 152-FZ Art. 18(5):
#   Russian citizens' data "when collected, including via the Internet") holds on every other
#   answer, but the activity's people are not located in the country and the questionnaire does
#   not say where the data is collected (activities[].collected_in): collected there, the rule
#   applies; the answer is asked for, never assumed.
# related_resources:
#   - ref: https://www.consultant.ru/document/cons_doc_LAW_61801/
#     description: e.g. 152-FZ Art. 18(5) (the citation of each finding comes from the jurisdiction data)
# custom:
#   suffix: LOCALISATION-COLLECTION-UNANSWERED
#   kind: gap
#   severity: high
#   owner: engineering
#   action: Answer where the data is collected (activities[].collected_in) so the %s localisation rule can be decided
findings contains lib.jfinding(rego.metadata.rule(), j, detail, fields, l.citation) if {
	some j in facts.jurisdictions
	j.id in regimes.applicable_ids
	some l in object.get(j, "localisation", [])
	lib.in_force(l)
	l.when.collected_or_located == true
	acts := [i |
		some i in facts.concerns[j.id]
		not facts.collected_answered(i)
		not facts.collected_here(j, i)
		facts.holds(object.remove(l.when, ["collected_or_located"]), j, i, facts.duty_ctx(j))
	]
	count(acts) > 0
	fields := [sprintf("activities[%d].collected_in", [i]) | some i in acts]
	detail := lib.msg("transfers.localisation_collection_unanswered", "{requirement_text} Concerns {activities}: its people are not located in {country} and where their data is collected is not answered ({fields}). Collected in {country}, the rule applies.", {
		"requirement_text": l.text,
		"activities": lib.join(", ", {facts.activities[i].name | some i in acts}),
		"country": lib.join(", ", {c | some c in j.countries}),
		"fields": {"sep": ", ", "items": fields, "text": concat(", ", fields)},
	})
}

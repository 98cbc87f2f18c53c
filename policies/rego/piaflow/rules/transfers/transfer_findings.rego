# Findings on cross-border transfers and localisation: generic findings raised from the transfer
# verdicts of every jurisdiction (the package is documented in transfers.rego).
package piaflow.rules.transfers

import data.piaflow.facts
import data.piaflow.lib
import data.piaflow.regimes

jurisdiction := facts.jurisdiction_by_id

# flows grouped by (jurisdiction, destination, verdict, status): one finding per hosting site or
# transfer, naming every activity and subject country concerned.
by_key[[f.jurisdiction, f.via, f.verdict, f.status]] contains k if some k, f in all_flows

grouped := {key: [all_flows[k] | some k in ks] | some key, ks in by_key}

describe(fs) := sprintf("%s (%s%s) in %s: %s of people in %s", [fs[0].recipient, fs[0].access, hop_words(fs[0].hop), fs[0].to, acts, froms]) if {
	acts := lib.list({f.activity | some f in fs})
	froms := lib.list({c | some f in fs; some c in f.from_countries})
}

# hop_words: an onward transfer says so.
hop_words(0) := ""

hop_words(n) := sprintf(", onward transfer hop %d", [n]) if n > 0

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
	detail := sprintf("%s. No mechanism is given; acceptable: %s. %s", [describe(fs), lib.list(fs[0].mechanisms), fs[0].why])
}

# foreign_exporter: the flows' exporter is a controller the law reaches only through its people
# (e.g. GDPR Art. 3(2)) and the law's data says its transfer findings are then reviews
# (transfer.foreign_exporter): needs_review, high, with the law's note.
# The same holds when the exporter is the vendor established under j in a role whose export the
# law's text does not settle (scope.vendor_establishment.exports: "review", e.g. PIPL for an
# entrusted party): needs_review, high, with the law's reason.
foreign_exporter(j, fs) := {"kind": "needs_review", "severity": "high"} if {
	j.transfer.foreign_exporter
	fs[0].exporter_basis == "subjects"
} else := {"kind": "needs_review", "severity": "high"} if {
	vendor_export_review(j, fs)
} else := {}

foreign_detail(j, fs, detail) := sprintf("%s %s", [detail, j.transfer.foreign_exporter.text]) if {
	j.transfer.foreign_exporter
	fs[0].exporter_basis == "subjects"
} else := sprintf("%s Whether the vendor (%s) is the exporter is for legal to confirm: %s", [detail, facts.vendor_role, facts.vendor_detail(j).exports.why]) if {
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
	detail := sprintf("%s. %s Acceptable: %s. %s", [describe(fs), unknown_question(f, j), lib.list(fs[0].mechanisms), fs[0].why])
}

unknown_question(f, j) := "Which mechanism covers it?" if f.mechanism == "unknown"

else := sprintf("%q (%s) covers %s, not %s: record the %s mechanism in %s.", [f.mechanism, f.fields[1], others, j.short, j.short, f.entry]) if {
	others := lib.list({jurisdiction[jid].short | some jid in other_laws(j, {"key": f.via}, f.mechanism)})
}

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
	detail := sprintf("%s. The mechanism %q is not accepted here; acceptable: %s. %s", [describe(fs), f.mechanism, lib.list(fs[0].mechanisms), fs[0].why])
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
	detail := sprintf("%s. Needed: %s (regulator filing: %s, recorded: %s). %s", [describe(fs), need_mech(fs[0].mechanisms), need_filing(f.need.filing), f.filing, fs[0].why])
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

need_mech(ms) := lib.list(ms) if count(ms) > 0

need_mech(ms) := "no particular mechanism" if count(ms) == 0

need_filing("") := "none"

need_filing(x) := x if x != ""

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
	detail := sprintf("%s. Needed: regulator filing %s%s (recorded: %s) within %d %s of %s: due %s%s. %s", [describe(fs), f.need.filing, for_mechanism(f), f.filing, f.need.within, unit_words[f.need.unit], d.anchor_text, d.due, overdue_text(d.due), object.get(f.need, "text", fs[0].why)])
	action := {
		"title": sprintf("Make the regulator filing %s requires within %d %s of %s", [j.short, f.need.within, unit_words[f.need.unit], d.anchor_words]),
		"owner": "legal",
		"due": d.due,
		"title_msg": {"id": sprintf("rule.*-TRANSFER-NOTICE-DUE.action.%s_%s", [{"days": "days", "working_days": "working"}[f.need.unit], {"the first transfer": "first", "the contract's signature": "signature"}[d.anchor_words]]), "params": {"law": lib.law_param(j), "days": f.need.within}},
	}
}

for_mechanism(f) := sprintf(" for the %s", [f.mechanism]) if f.mechanism in f.mechanisms

else := ""

unit_words := {"days": "days", "working_days": "working days"}

# notice_due: the deadline of a filing that may follow the start, from the contract's signature
# date (signed_on of the per-law entry) or the first transfer (deployment.first_transfer_on, else
# go_live).
notice_due(f) := {"due": lib.add_days(f.signed_on, f.need.within, f.need.unit), "anchor_text": sprintf("signature (%s)", [f.signed_on]), "anchor_words": "the contract's signature"} if {
	f.need.from == "signed_on"
	f.signed_on != ""
} else := {"due": lib.add_days(facts.first_transfer_on, f.need.within, f.need.unit), "anchor_text": sprintf("the first transfer (%s, deployment.first_transfer_on or go_live; signature date not recorded)", [facts.first_transfer_on]), "anchor_words": "the contract's signature"} if {
	f.need.from == "signed_on"
} else := {"due": lib.add_days(facts.first_transfer_on, f.need.within, f.need.unit), "anchor_text": sprintf("the first transfer (%s, deployment.first_transfer_on or go_live)", [facts.first_transfer_on]), "anchor_words": "the first transfer"}

# anchor_fields: the per-law entry's signature date the deadline is counted from (the deployment's
# first_transfer_on / go_live are named in the detail instead: as first field they would change the
# finding's key).
anchor_fields(f) := {concat("", [f.entry, ".signed_on"])} if {
	f.need.from == "signed_on"
	regex.match(`\.mechanisms\[[0-9]+\]$`, f.entry)
} else := set()

overdue_severity(due) := "blocker" if lib.as_of > due

else := "high"

overdue_text(due) := sprintf(", overdue on %s", [lib.as_of]) if lib.as_of > due

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
	detail := sprintf("%s. %s", [describe(fs), fs[0].why])
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
	detail := sprintf("%s relies on %q. Derogations suit occasional transfers, not hosting or systematic access.", [describe(fs), f.mechanism])
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
	detail := sprintf("%s claims the exemption %q: %s", [describe(fs), fs[0].exemption, fs[0].why])
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
	detail := sprintf("%s is exempt on the answers: %s%s", [describe(fs), fs[0].why, unanswered_important_data(fs)])
}

# unanswered_important_data(fs): the activities of flows fs that do not answer important_data,
# which the exemption then reads as false: legal confirms.
unanswered_important_data(fs) := sprintf(" %s not answered: confirm that no important data is involved.", [concat(", ", sort(ps))]) if {
	ps := {sprintf("activities[%d].important_data", [f.activity_index]) | some f in fs; object.get(facts.activities[f.activity_index], "important_data", null) == null}
	count(ps) > 0
} else := ""

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
	detail := sprintf("%s. %s Answer %s.", [describe(fs), fs[0].why, concat(", ", sort(open))])
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
	detail := sprintf("%s (exporter: %s). %s", [describe(fs), fs[0].exporter, fs[0].why])
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
		"problems": [p.text | some p in problems],
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
	r := {
		"id": e.instrument.regime,
		"name": e.instrument.name,
		"short": e.instrument.short,
		"why": sprintf("%s: %s", [lib.list(e.activities), e.requirement]),
		"fields": sort({f | some f in e.fields; startswith(f, "activities[")}),
		"citation": e.instrument.citation,
		"jurisdiction": j.id,
		"last_reviewed": j.last_reviewed,
		"certainty": regimes.certainty[j.id],
		"capacity": regimes.capacity[j.id],
		"question": [],
	}
}

in_j(j, c) if c in j.countries

loc_problems(j, l, acts) := array.concat(hosting_problems(j, l), transfer_problems(j, l, acts))

hosting_problems(j, l) := [{"text": sprintf("primary hosting %q is in %s", [h.name, h.country]), "field": sprintf("hosting[%d].country", [hi])} |
	l.requirement == "primary_in_country"
	some hi, h in facts.hosting
	h.role == "primary"
	not in_j(j, h.country)
] if {
	l.requirement == "primary_in_country"
}

hosting_problems(j, l) := [{"text": sprintf("hosting %q (%s) is in %s", [h.name, h.role, h.country]), "field": sprintf("hosting[%d].country", [hi])} |
	some hi, h in facts.hosting
	not in_j(j, h.country)
] if {
	l.requirement == "all_hosting_in_country"
}

hosting_problems(j, l) := [{"text": sprintf("no hosting site in %s", [lib.list(j.countries)]), "field": "hosting"} |
	not some_hosting_in(j)
] if {
	l.requirement == "copy_in_country"
}

hosting_problems(j, l) := [{"text": sprintf("hosting %q is in %s", [h.name, h.country]), "field": sprintf("hosting[%d].country", [hi])} |
	some hi, h in facts.hosting
	not in_j(j, h.country)
] if {
	l.requirement == "store_only_in_country"
}

hosting_problems(j, l) := [{"text": sprintf("hosting %q is in %s", [h.name, h.country]), "field": sprintf("hosting[%d].country", [hi])} |
	some hi, h in facts.hosting
	not in_j(j, h.country)
	not lifted_by_any(l, law_filings(j, {"filing": object.get(h, "regulator_filing", "none"), "entries": facts.hosting_entries[hi]}))
] if {
	l.requirement == "process_only_in_country"
}

hosting_problems(j, l) := [{"text": sprintf("hosting %q is in %s", [h.name, h.country]), "field": sprintf("hosting[%d].country", [hi])} |
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

transfer_problems(j, l, acts) := [{"text": sprintf("%s in %s (%s)", [d.name, d.country, d.access]), "field": d.country_field} |
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
	detail := sprintf("%s Concerns %s; found: %s.", [e.requirement, lib.list(e.activities), concat("; ", e.problems)])
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
	detail := sprintf("%s Concerns %s: its people are not located in %s and where their data is collected is not answered (%s). Collected in %s, the rule applies.", [l.text, lib.list([facts.activities[i].name | some i in acts]), lib.list(j.countries), concat(", ", fields), lib.list(j.countries)])
}

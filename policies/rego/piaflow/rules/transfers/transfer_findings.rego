# Findings on cross-border transfers and localisation: generic findings raised from the transfer
# verdicts of every jurisdiction (the package is documented in transfers.rego).
package piaflow.rules.transfers

import data.piaflow.facts
import data.piaflow.lib
import data.piaflow.regimes

jurisdiction := facts.jurisdiction_by_id

# unsatisfied flows grouped by (jurisdiction, destination): one finding per hosting site or
# transfer, naming every activity and subject country concerned.
by_key[[f.jurisdiction, f.via, f.verdict]] contains k if some k, f in all_flows

grouped := {key: [all_flows[k] | some k in ks] | some key, ks in by_key}

describe(fs) := sprintf("%s (%s) in %s: %s of people in %s", [fs[0].recipient, fs[0].access, fs[0].to, acts, froms]) if {
	acts := lib.list({f.activity | some f in fs})
	froms := lib.list({c | some f in fs; some c in f.from_countries})
}

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
findings contains lib.jfinding(rego.metadata.rule(), j, detail, flow_fields(fs), fs[0].citation) if {
	some key, fs in grouped
	key[2] == "mechanism_required"
	some f in fs
	not f.satisfied
	f.mechanism == "none"
	j := jurisdiction[key[0]]
	detail := sprintf("%s. No mechanism is given; acceptable: %s. %s", [describe(fs), lib.list(fs[0].mechanisms), fs[0].why])
}

# METADATA
# title: Transfer mechanism not recorded
# description: >-
#   Data is hosted in a country outside the jurisdiction and the questionnaire does not say which
#   transfer mechanism covers it (hosting[].mechanism).
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: GDPR Art. 44-49 (the citation of each finding comes from the jurisdiction data)
# custom:
#   suffix: TRANSFER-MECHANISM-UNKNOWN
#   kind: gap
#   severity: high
#   owner: legal
#   action: Record the mechanism (under %s) that covers this hosting site
findings contains lib.jfinding(rego.metadata.rule(), j, detail, flow_fields(fs), fs[0].citation) if {
	some key, fs in grouped
	key[2] in {"mechanism_required", "approval_required"}
	some f in fs
	not f.satisfied
	f.mechanism == "unknown"
	count(f.mechanisms) > 0
	j := jurisdiction[key[0]]
	detail := sprintf("%s. Which mechanism covers it? Acceptable: %s. %s", [describe(fs), lib.list(fs[0].mechanisms), fs[0].why])
}

# METADATA
# title: Transfer mechanism not accepted
# description: >-
#   The mechanism named for a transfer is not one the jurisdiction accepts for it.
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: GDPR Art. 44-49 (the citation of each finding comes from the jurisdiction data)
# custom:
#   suffix: TRANSFER-MECHANISM-INVALID
#   kind: violation
#   severity: blocker
#   owner: legal
#   action: Replace the mechanism with one accepted under %s
findings contains lib.jfinding(rego.metadata.rule(), j, detail, flow_fields(fs), fs[0].citation) if {
	some key, fs in grouped
	key[2] == "mechanism_required"
	some f in fs
	not f.satisfied
	not f.mechanism in {"none", "unknown"}
	j := jurisdiction[key[0]]
	detail := sprintf("%s. The mechanism %q is not accepted here; acceptable: %s. %s", [describe(fs), f.mechanism, lib.list(fs[0].mechanisms), fs[0].why])
}

# METADATA
# title: Regulator approval or notice needed before the transfer
# description: >-
#   The transfer needs a regulator's assessment, approval or prior notice (e.g. CAC security
#   assessment, Roskomnadzor notice) that the questionnaire does not record as done.
# related_resources:
#   - ref: https://www.cac.gov.cn/2024-03/22/c_1712776611775634.htm
#     description: e.g. CAC Provisions (2024) Art. 7 (the citation of each finding comes from the jurisdiction data)
# custom:
#   suffix: TRANSFER-APPROVAL-REQUIRED
#   kind: violation
#   severity: blocker
#   owner: legal
#   action: Obtain the regulator filing or approval required by %s before data flows
findings contains object.union(lib.jfinding(rego.metadata.rule(), j, detail, fields, fs[0].citation), later_notice(f, j)) if {
	some key, fs in grouped
	key[2] == "approval_required"
	some f in fs
	not f.satisfied
	not mechanism_unanswered(f)
	j := jurisdiction[key[0]]
	fields := flow_fields(fs) | {f.filing_field}
	detail := sprintf("%s. Needed: %s (regulator filing: %s, recorded: %s). %s", [describe(fs), need_mech(fs[0].mechanisms), need_filing(fs[0].needed_filing), f.filing, fs[0].why])
}

# later_notice: a filing the law lets follow the transfer (e.g. within 60 days) is not a go-live
# blocker: the finding is high and due that many days after go-live.
later_notice(f, _) := {} if f.filing_within_days == 0

later_notice(f, j) := {"severity": "high", "action": notice_action(f, j)} if f.filing_within_days > 0

notice_action(f, j) := {"title": title, "owner": "legal", "due": due} if {
	title := sprintf("File the notice %s requires within %d days of the first transfer", [j.short, f.filing_within_days])
	go_live := input.questionnaire.deployment.go_live
	due := time.format([time.add_date(time.parse_ns("2006-01-02", go_live), 0, 0, f.filing_within_days), "UTC", "2006-01-02"])
} else := {"title": sprintf("File the notice %s requires within %d days of the first transfer", [j.short, f.filing_within_days]), "owner": "legal"}

# mechanism_unanswered: the flow needs a mechanism and the questionnaire does not name one (the
# TRANSFER-MECHANISM-UNKNOWN gap asks for it first).
mechanism_unanswered(f) if {
	f.mechanism == "unknown"
	count(f.mechanisms) > 0
}

need_mech(ms) := lib.list(ms) if count(ms) > 0

need_mech(ms) := "no particular mechanism" if count(ms) == 0

need_filing("") := "none"

need_filing(x) := x if x != ""

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
	some f in fs
	f.satisfied
	j := jurisdiction[key[0]]
	f.mechanism in object.get(j.transfer, "derogations", [])
	not f.mechanism in fs[0].mechanisms
	detail := sprintf("%s relies on %q. Derogations suit occasional transfers, not hosting or systematic access.", [describe(fs), f.mechanism])
}

# METADATA
# title: Transfer exemption claimed
# description: >-
#   A local-law exemption is claimed for a transfer; whether its conditions hold is a legal
#   judgment the rules cannot make.
# related_resources:
#   - ref: https://www.cac.gov.cn/2024-03/22/c_1712776611775634.htm
#     description: e.g. CAC Provisions (2024) Art. 5 (the citation of each finding comes from the jurisdiction data)
# custom:
#   suffix: TRANSFER-EXEMPTION-REVIEW
#   kind: needs_review
#   severity: medium
#   owner: legal
#   action: Have legal confirm and document that the %s exemption applies
findings contains lib.jfinding(rego.metadata.rule(), j, detail, flow_fields(fs) | {fs[0].via_exemption_field}, fs[0].citation) if {
	some key, fs0 in grouped
	key[2] == "allowed"
	fs := [object.union(f, {"via_exemption_field": sprintf("%s.exemption", [f.via])}) | some f in fs0; startswith(f.basis, "exemption:")]
	count(fs) > 0
	j := jurisdiction[key[0]]
	detail := sprintf("%s claims the exemption %q: %s", [describe(fs), fs[0].exemption, fs[0].why])
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
		"regime": j.regime,
		"rule": l.id,
		"type": l.requirement,
		"requirement": l.text,
		"satisfied": count(problems) == 0,
		"citation": l.citation,
		"activities": [facts.activities[i].name | some i in acts],
		"problems": [p.text | some p in problems],
		"fields": sort({p.field | some p in problems} | {sprintf("activities[%d].data_subjects", [i]) | some i in acts}),
		"jurisdiction": j.id,
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
	not lifted(l, object.get(h, "regulator_filing", "none"))
] if {
	l.requirement == "no_export"
}

some_hosting_in(j) if {
	some h in facts.hosting
	in_j(j, h.country)
}

transfer_problems(j, l, acts) := [{"text": sprintf("%s in %s (%s)", [d.name, d.country, d.access]), "field": d.country_field} |
	l.requirement in {"store_only_in_country", "no_export"}
	some i in acts
	some d in facts.destinations[i]
	d.kind == "transfer"
	not in_j(j, d.country)
	blocks(l, d)
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
findings contains lib.jfinding(rego.metadata.rule(), j, detail, e.fields, e.citation) if {
	some e in localisation
	not e.satisfied
	j := jurisdiction[e.jurisdiction]
	detail := sprintf("%s Concerns %s; found: %s.", [e.requirement, lib.list(e.activities), concat("; ", e.problems)])
}

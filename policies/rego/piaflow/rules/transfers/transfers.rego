# METADATA
# title: Cross-border transfer verdicts
# description: >-
#   For every activity, every jurisdiction whose people it concerns and every destination outside
#   that jurisdiction (hosting sites, transfers and onward transfers hop by hop), the verdict of
#   the jurisdiction's transfer regime (policies/data/jurisdictions): allowed, mechanism_required,
#   approval_required, localisation_required or prohibited, the mechanisms that make it lawful,
#   and whether the questionnaire's answers satisfy it.
package piaflow.rules.transfers

import data.piaflow.facts
import data.piaflow.lib
import data.piaflow.regimes

# same_person_not_a_transfer(j): the law needs two parties for a transfer (EDPB Guidelines
# 05/2021, criterion 2): the exporter's own staff reaching the data from abroad, or its own
# servers abroad, are no importer.
same_person_not_a_transfer(j) if j.regime in facts.catalog.own_staff_not_a_transfer

# Per jurisdiction, computed once: the tiers, exemptions and localisation rules in force. The
# engine indexes adequacy decisions by jurisdiction and destination (data.piaflow.adequacy_index).
active_tiers := {j.id: [t | some t in object.get(j.transfer, "tiers", []); lib.in_force(t)] | some j in facts.jurisdictions}

active_exemptions := {j.id: {e.id: e | some e in object.get(j.transfer, "exemptions", []); lib.in_force(e)} | some j in facts.jurisdictions}

# active_fact_exemptions: the exemptions in force that hold on the answers without being claimed
# (transfer.fact_exemptions, e.g. CAC Provisions (2024) Art. 4: data collected abroad).
active_fact_exemptions := {j.id: [e | some e in object.get(j.transfer, "fact_exemptions", []); lib.in_force(e)] | some j in facts.jurisdictions}

restricted := {j.id: {c | some c in object.get(j.transfer, "restricted_countries", [])} | some j in facts.jurisdictions}

# adequacy_of(j, i, d): {"entry": the decision covering d for activity i, or null;
# "conditional": a decision that covers the country only for certified recipients d does not
# hold, or null; "excluded": a decision whose recipient scope leaves d out, or null; "review": the
# recipient facts the covering decision's scope turns on that the questionnaire does not give}.
adequacy_of(j, i, d) := {"entry": entry, "conditional": conditional, "excluded": excluded, "review": review} if {
	decisions := [a | some a in object.get(data.piaflow.adequacy_index, [j.id, d.country], []); lib.in_force(a)]
	certified_decisions := [a | some a in decisions; certified(object.get(a, "requires_certification", ""), d)]
	covering := [a | some a in certified_decisions; not recipient_excluded(object.get(a, "recipient", {}), i, d)]
	entry := first_or_null(covering)
	conditional := conditional_of(entry, decisions)
	excluded := first_or_null([a | some a in certified_decisions; recipient_excluded(object.get(a, "recipient", {}), i, d)])
	review := recipient_open(entry, i, d)
}

# recipient_excluded(r, i, d): the decision's recipient scope r leaves out d's recipient for
# activity i's data.
recipient_excluded(r, _, d) if {
	r.public_body == false
	d.recipient.public_body == true
}

recipient_excluded(r, _, d) if {
	d.recipient.sector in r.sectors_none
	count(object.get(r, "categories_none", [])) == 0
}

recipient_excluded(r, i, d) if {
	d.recipient.sector in r.sectors_none
	lib.any_in(facts.categories[i], r.categories_none)
}

recipient_excluded(r, i, d) if {
	r.certification_data
	d.recipient.covered_data != ""
	not covers(d.recipient.covered_data, data_kinds(i))
}

# data_kinds(i): hr (employees, job applicants) and/or non_hr, by activity i's data subjects.
data_kinds(i) := {kind | some g in facts.groups_by_activity[i]; kind := hr_kind(g.type)}

hr_kind(t) := "hr" if t in {"employees", "job_applicants"}

else := "non_hr"

covers("both", _)

covers(c, kinds) if kinds == {c}

# recipient_open(entry, i, d): the fields that would settle the covering decision's recipient
# scope and are not answered (the decision is kept: never a blocker on a guess).
recipient_open(null, _, _) := []

recipient_open(entry, i, d) := sort({f | some f in open_fields(object.get(entry, "recipient", {}), i, d)}) if entry != null

open_fields(r, i, d) := (public_open(r, d) | sector_open(r, i, d)) | covered_open(r, d)

public_open(r, d) := {d.recipient.fields.public_body} if {
	r.public_body == false
	d.recipient.public_body == null
} else := set()

sector_open(r, i, d) := {d.recipient.fields.sector} if {
	count(object.get(r, "sectors_none", [])) > 0
	d.recipient.sector == ""
	sector_matters(r, i)
} else := set()

covered_open(r, d) := {d.recipient.fields.covered_data} if {
	r.certification_data
	d.recipient.covered_data == ""
} else := set()

sector_matters(r, _) if count(object.get(r, "categories_none", [])) == 0

sector_matters(r, i) if lib.any_in(facts.categories[i], r.categories_none)

first_or_null(xs) := xs[0] if count(xs) > 0

else := null

conditional_of(null, decisions) := first_or_null([a | some a in decisions; object.get(a, "requires_certification", "") != ""])

conditional_of(entry, _) := null if entry != null

certified("", _)

certified(cert, d) if cert in d.certifications

# decide is the verdict of j's transfer regime for destination d of activity i before the answers
# are read: restricted list, an exemption that holds on the answers (fact_exemptions), the first
# tier in force that holds, adequacy, the default. A claimed exemption (per answer) is applied on
# top of it (with_answer).
decide(j, i, d, adq) := r if {
	d.country in restricted[j.id]
	r := {"verdict": "prohibited", "basis": "restricted_country", "mechanisms": [], "filing": "", "text": j.transfer.text, "citation": j.transfer.citation}
} else := r if {
	e := fact_exemption(j, i)
	r := {"verdict": "allowed", "basis": concat(":", ["exemption", e.id]), "mechanisms": [], "filing": "", "text": e.text, "citation": e.citation}
} else := r if {
	tiers := active_tiers[j.id]
	count(tiers) > 0
	t := facts.totals_by_id[j.id]
	h := object.get(held_counts, j.id, {"all": 0, "sensitive": 0, "nonsensitive": 0})
	ctx := {"count": t.export + h.all, "sensitive_count": t.sensitive_export + h.sensitive, "nonsensitive_count": t.nonsensitive_export + h.nonsensitive, "adequate": adq.entry != null}
	ts := [x | some x in tiers; facts.holds(x.when, j, i, tier_ctx(j, x, ctx))]
	count(ts) > 0
	r := counted_decision(j, ts[0])
} else := r if {
	adq.entry != null
	r := {"verdict": "allowed", "basis": "adequacy", "mechanisms": [], "filing": "", "text": object.get(adq.entry, "note", "adequacy decision"), "citation": adq.entry.citation}
} else := {"verdict": j.transfer.default, "basis": "default", "mechanisms": j.transfer.mechanisms, "filing": "", "text": j.transfer.text, "citation": j.transfer.citation}

# fact_exemption(j, i): the first exemption of j that holds on activity i's answers.
fact_exemption(j, i) := es[0] if {
	es := [e | some e in active_fact_exemptions[j.id]; facts.holds(e.when, j, i, facts.duty_ctx(j))]
	count(es) > 0
}

# others_counted(j): the customer's other exports from j's countries this year
# (facts.other_exports_by_id), counted by the tiers marked cumulative_exports when the customer
# is the exporter (the counts run per exporter).
others_counted(j) := o if {
	o := facts.other_exports_by_id[j.id]
	exporter(j).who == "customer"
}

# tier_ctx(j, t, ctx): the counts tier t reads: with the customer's other exports for a tier that
# counts cumulatively.
tier_ctx(j, t, ctx) := object.union(ctx, {
	"count": ctx.count + o.all,
	"sensitive_count": ctx.sensitive_count + o.sensitive,
	"nonsensitive_count": ctx.nonsensitive_count + o.all,
}) if {
	t.cumulative_exports
	o := others_counted(j)
} else := ctx

# counted_decision(j, t): tier t's decision; its text says how many people of other exports the
# count includes, and where they are recorded.
counted_decision(j, t) := object.union(d, {"text": lib.msg("transfers.why.counted", "{text} The count includes {count} people ({sensitive_count} with sensitive personal information) the customer already provides abroad from {country} outside this deployment since 1 January ({fields}).", {
	"text": sentence(d.text), "count": o.all, "sensitive_count": o.sensitive, "country": lib.join(", ", {e.country | some e in o.entries}), "fields": ordered(", ", [e.path | some e in o.entries]),
})}) if {
	t.cumulative_exports
	o := others_counted(j)
	d := tier_decision(t)
} else := tier_decision(t)

tier_decision(t) := {
	"verdict": t.verdict,
	"basis": concat(":", ["tier", t.id]),
	"mechanisms": object.get(t, "mechanisms", []),
	"filing": object.get(t, "filing", ""),
	"filing_within_days": object.get(t, "filing_within_days", 0),
	"mechanism_filings": object.get(t, "mechanism_filings", {}),
	"text": t.text,
	"citation": t.citation,
}

# law_accepts[jid]: every mechanism jurisdiction jid names for some transfer (its default list,
# derogations and the tiers in force), computed once.
law_accepts := {j.id: ms |
	some j in facts.jurisdictions
	ms := ({m | some m in j.transfer.mechanisms} | {m | some m in object.get(j.transfer, "derogations", [])}) | {m | some t in active_tiers[j.id]; some m in object.get(t, "mechanisms", [])}
}

# localisation rules of j that hold for activity i (computed once per jurisdiction and activity).
loc_rules_by := {j.id: {i: rules |
	some i in facts.concerns[j.id]
	rules := [l |
		some l in object.get(j, "localisation", [])
		lib.in_force(l)
		facts.holds(l.when, j, i, facts.duty_ctx(j))
	]
} |
	some j in facts.jurisdictions
}

loc_rules(j, i) := object.get(loc_rules_by, [j.id, i], [])

has_localisation := {jid | some jid, by_act in loc_rules_by; some rules in by_act; count(rules) > 0}

blocks(l, j, d) if {
	l.requirement == "no_export"
	not lifted_by_any(l, law_filings(j, d))
}

# law_filings(j, d): the regulator filings recorded on destination d that count for j: the single
# regulator_filing and those of the per-law entries for j.
law_filings(j, d) := {d.filing} | {e.regulator_filing | some e in d.entries; entry_for_law(e, j)}

# entry_for_law: a per-law mechanism entry names j's regime or one of j's countries.
entry_for_law(e, j) if e.regime == j.regime

entry_for_law(e, j) if e.country in j.countries

lifted_by_any(l, filings) if {
	some have in filings
	lifted(l, have)
}

# lifted(l, have): the regulator filing `have` lifts no_export rule l; a rule naming no filing
# cannot be lifted.
lifted(l, have) if {
	need := object.get(l, "filing", "")
	need != ""
	filing_ok(have, need)
}

blocks(l, _, d) if {
	l.requirement == "store_only_in_country"
	d.access in {"copy", "storage"}
}

blocks(l, _, d) if {
	l.requirement == "primary_in_country"
	d.kind == "hosting"
	d.role == "primary"
}

blocks(l, _, d) if {
	l.requirement == "all_hosting_in_country"
	d.kind == "hosting"
}

blocks(l, j, d) if {
	l.requirement == "process_only_in_country"
	not lifted_by_any(l, law_filings(j, d))
}

# --- flows ---------------------------------------------------------------------------------------

# located_acts[jid]: the activities with people the law reaches (located there, or citizens where
# the law follows citizenship and they are located there).
located_acts := {jid: {k[1] | some k, _ in located; k[0] == jid} | some jid in regimes.applicable_ids}

# located[[jid, i]]: the countries of jid where activity i's people are (facts.located_from,
# evaluated once).
located := {k: cs | some k, cs in facts.located_from}

# exporter_acts(j): the activities whose data j's transfer rules follow: those with j's people,
# and every activity when an exporter established under j answers for everyone's data
# (transfer.exporter_any_subjects, e.g. GDPR Art. 44 for an EU-established controller or
# processor).
exporter_acts(j) := facts.activity_indices if {
	j.transfer.exporter_any_subjects
	exporter(j).basis != "subjects"
} else := located_acts[j.id] | object.get(held_acts, j.id, set())

# held_acts[jid]: the activities without jid's people whose data a customer established under the
# law holds in its countries (a hosting site there) and sends out of them
# (transfer.exporter_held_data: PIPL Art. 3(1), processing within China whoever the people are),
# or the vendor established there where the law makes it an exporter (exports_held_data).
held_acts := {j.id: acts |
	some j in regimes.applicable
	exports_held_data(j)
	acts := {i |
		some i, ds in facts.destinations
		not i in located_acts[j.id]
		some h in ds
		h.kind == "hosting"
		h.country in facts.country_set[j.id]
		some d in ds
		not d.country in facts.country_set[j.id]
	}
}

# exports_held_data(j): the exporter under j answers for the data it holds in j's countries: a
# customer established there under transfer.exporter_held_data, or the vendor established there
# where j makes it an exporter (vendor_exports).
exports_held_data(j) if {
	j.transfer.exporter_held_data
	exporter(j).basis == "establishment"
}

exports_held_data(j) if exporter(j).basis == "vendor"

# held_counts[jid]: the people of the held activities the law's tiers count (those no fact
# exemption covers): all, with sensitive data, with other data.
held_counts := {jid: c |
	some jid, acts in held_acts
	j := facts.jurisdiction_by_id[jid]
	gs := [g | some i in acts; not fact_exemption(j, i); some g in facts.groups_by_activity[i]]
	c := {
		"all": sum([g.count | some g in gs]),
		"sensitive": sum([g.count | some g in gs; g.activity in facts.sensitive_acts[jid]]),
		"nonsensitive": sum([g.count | some g in gs; g.activity in facts.nonsensitive_acts[jid]]),
	}
}

# vendor_holds(j): the vendor established under j holds the data there (a hosting site in j's
# countries): what it makes available abroad leaves j (EDPB Guidelines 05/2021, Example 3: a
# processor sending data to its controller abroad). A vendor processing remotely data hosted
# elsewhere exports nothing under j (piaflow's reading: confirm).
vendor_holds(j) if {
	some h in facts.hosting
	h.country in j.countries
}

# vendor_exports(j): j's text makes a vendor established there that holds the data an exporter
# of what it sends or makes available abroad: the GDPR family's `true` (Art. 3(1), 44; EDPB
# Example 3), or a national law's scope.vendor_establishment.exports. A national law reaching the
# vendor only as processor, without it, leaves the exports to the customer (not modelled for the
# vendor: confirm per law).
vendor_exports(j) if j.scope.vendor_establishment == true

vendor_exports(j) if facts.vendor_detail(j).exports == true

vendor_exports(j) if vendor_export_reach(j) == "firm"

# A role the law's text does not settle (exports: "review", e.g. PIPL for an entrusted party:
# the export duties fall on the personal information processor, PIPL Art. 38, 73(1)) makes the
# vendor the exporter only where the law does not reach the customer through people located
# there (that customer stays the exporter of their data); its transfer findings are reviews.
vendor_exports(j) if {
	vendor_export_reach(j) == "review"
	count(located_acts[j.id]) == 0
}

# vendor_export_reach(j): "firm", "review" or "" for the vendor's role under the object form of
# scope.vendor_establishment.exports.
vendor_export_reach(j) := object.get(x, facts.vendor_role, "") if {
	x := facts.vendor_detail(j).exports
	is_object(x)
}

# exporter(j): who exports under j: the customer established there, else the vendor established
# there (where the law reaches it), else the customer reached through its people.
exporter(j) := e if {
	j.id in facts.customer_established_ids
	cs := {c | some c in facts.customer_countries; c in j.countries}
	e := {"who": "customer", "basis": "establishment", "capacity": regimes.capacity[j.id], "countries": cs, "text": lib.msg("transfers.exporter.customer", "the customer ({capacity}) established in {country}", {"capacity": regimes.capacity[j.id], "country": lib.join(", ", cs)})}
} else := e if {
	j.id in facts.vendor_established_ids
	vendor_exports(j)
	vendor_holds(j)
	e := {"who": "vendor", "basis": "vendor", "capacity": facts.vendor_role, "countries": {facts.vendor_country}, "text": lib.msg("transfers.exporter.vendor", "the vendor ({vendor_role}) established in {country}", {"vendor_role": facts.vendor_role, "country": facts.vendor_country})}
} else := {"who": "customer", "basis": "subjects", "capacity": regimes.capacity[j.id], "countries": set(), "text": subjects_exporter_text(j)}

subjects_exporter_text(j) := lib.msg("transfers.exporter.customer_subjects", "the customer ({capacity}) established in {country}, reached through its people", {
	"capacity": regimes.capacity[j.id],
	"country": lib.join(", ", {c | some c in facts.customer_countries}),
})

# candidates: one per (jurisdiction, activity, destination) where data the law governs leaves the
# law's countries, with the exporter and the decision before the answers (base): those of the
# law's exporter, then those of third-party processors established under the law (their onward
# transfers, and the hosting sites they operate: site_parties.rego).
candidates := array.flatten([
	[c | some c in exporter_candidates; not party_keys[[c.j.id, c.i, c.d.key]]; not site_party_keys[[c.j.id, c.i, c.d.key]]],
	party_candidates,
	site_candidates,
])

# exporter_candidates: the flows of the law's exporter (exporter(j)).
exporter_candidates := [c |
	some j in regimes.applicable
	e := exporter(j)
	some i in exporter_acts(j)
	from := from_countries(j, i, e)
	some d in facts.destinations[i]
	not d.country in facts.country_set[j.id]
	not own_staff_of_exporter(j, d, e) # GDPR-OWN-STAFF-ACCESS (rules/gdpr) explains it
	c := {"j": j, "i": i, "from": from, "d": d, "exporter": e, "base": base_for(j, i, d, e)}
]

# --- third-party processors established under the law ----------------------------------------

# A third-party processor established in the law's countries (facts.third_parties; the GDPR
# family: Art. 3(1), scope.vendor_establishment `true`) is itself an exporter subject to the law
# for its processing (EDPB Guidelines 05/2021, criterion 1), whoever its controller is: its own
# onward transfers (the onward_transfers of the transfer to it) to a third country are Chapter V
# transfers, and the hops after them onward transfers bound by its safeguards. The transfer to it
# is not (its sender is not subject to the law on that ground).

# party_keys[[jid, i, key]]: the nearest third party established under law jid (a recipient of
# the previous hops of activity i) whose onward transfers hold the destination at key, for the
# destinations out of the law's countries that no exporter established under the law (the
# customer, the vendor) already answers for. A customer reached only through its people (Art.
# 3(2)) does not displace it: the processor sending the data is subject to the law by its own
# establishment, whether or not the customer is.
# (An object comprehension, computed once: a partial rule with composite keys is re-evaluated
# for every lookup by a ground key.)
party_keys := {[j.id, i, d.key]: p |
	some [i, d] in onward_destinations
	some j in regimes.applicable
	j.id in facts.processor_established_ids
	not d.country in facts.country_set[j.id]
	not [j.id, i, d.key] in established_exporter_keys
	ps := [p | some p in facts.third_parties; p.activity == i; p.country in facts.country_set[j.id]; startswith(d.key, concat("", [p.key, ".onward_transfers["])); party_holds(j, p)]
	count(ps) > 0
	p := nearest(ps)
	not party_own_staff(j, d, p)
}

# onward_destinations: [activity index, destination] of every onward hop, listed once.
onward_destinations := [[i, d] | some i, ds in facts.destinations; some d in ds; d.kind == "onward"]

established_exporter_keys := {[c.j.id, c.i, c.d.key] | some c in exporter_candidates; c.exporter.basis != "subjects"}

# nearest(ps): the party whose transfer is the deepest ancestor (longest key).
nearest(ps) := [p | some p in ps; count(p.key) == max([count(q.key) | some q in ps])][0]

# party_own_staff: the party's own employees reaching the data from abroad are no importer where
# the law needs two parties (EDPB Guidelines 05/2021, Example 5).
party_own_staff(j, d, p) if {
	d.parent.key == p.key
	d.recipient_type == "own_staff"
	same_person_not_a_transfer(j)
}

party_candidates := [c |
	some k, p in party_keys
	j := facts.jurisdiction_by_id[k[0]]
	i := k[1]
	d := [x | some x in facts.destinations[i]; x.key == k[2]][0]
	e := party_exporter(j, p)
	c := {"j": j, "i": i, "from": from_countries(j, i, e), "d": d, "exporter": e, "base": party_base(j, i, d, p)}
]

party_exporter(j, p) := {
	"who": "processor",
	"basis": "processor_establishment",
	"capacity": "processor",
	"countries": {p.country},
	"key": p.key,
	"text": party_exporter_text(j, p),
}

# party_exporter_text(j, p): who exports: a national law's own words (national_parties.rego), else
# the GDPR family's Art. 3(1).
party_exporter_text(j, p) := national_party_text(j, p) if {
	facts.vendor_detail(j)
} else := lib.msg("transfers.exporter.party", "{party}, a processor established in {country} and subject to the {law} for its processing (Art. 3(1))", {"party": p.name, "country": p.country, "law": j.short})

# party_base: the party's own transfer is decided like a first transfer (resolve), its why naming
# the exporter and the standard contractual clauses' module for the importer's role; a later hop
# is an onward transfer (hop_resolve).
party_base(j, i, d, p) := national_party_base(j, i, d, p) if {
	facts.vendor_detail(j)
	d.parent.key == p.key
} else := object.union(r, {"why": lib.msg("transfers.why.party", party_template, {
	"party": p.name, "party_country": p.country, "law": j.short, "recipient": d.name,
	"recipient_type": d.recipient_type, "module": module_text(j, d), "why_text": r.why,
})}) if {
	d.parent.key == p.key
	r := resolve(j, i, d)
} else := hop_resolve(j, i, d)

party_template := "Transfer by {party}, a processor established in {party_country} and subject to the {law} for its processing (Art. 3(1), 44; EDPB Guidelines 05/2021, criterion 1), to {recipient} ({recipient_type}): {module} {why_text}"

# module_text(j, d): the standard clauses fitting a processor exporting to d's recipient.
module_text(j, d) := lib.msg("transfers.module.p2p", "under {law} the 2021 SCCs, Module 3 (processor to processor), fit this importer.", {"law": j.short}) if {
	j.regime == "gdpr"
	d.recipient_type in facts.processor_recipient_types
} else := lib.msg("transfers.module.p2c", "under {law} the 2021 SCCs, Module 4 (processor to controller), fit this importer.", {"law": j.short}) if {
	j.regime == "gdpr"
	d.recipient_type == "controller"
} else := lib.msg("transfers.module.by_role", "under {law} the 2021 SCCs fit by the importer's role (Module 3 to a processor, Module 4 to a controller; confirm for this recipient).", {"law": j.short}) if {
	j.regime == "gdpr"
} else := lib.msg("transfers.module.uk", "under {law} the IDTA or the UK Addendum to the SCCs, by the importer's role.", {"law": j.short})

# own_staff_of_exporter: the customer's own employees reaching the data from abroad are not an
# importer where the law needs two parties (EDPB Guidelines 05/2021, Example 5); no flow. When the
# vendor exports (a processor holding the data), the customer's staff are the controller's and
# their access is a transfer (Example 3).
own_staff_of_exporter(j, d, e) if {
	d.kind != "onward"
	d.recipient_type == "own_staff"
	e.who == "customer"
	same_person_not_a_transfer(j)
}

# from_countries: the countries of the law's people in the activity, else (an activity without
# them, exported by an establishment) the exporter's countries.
from_countries(j, i, e) := cs if {
	cs := located[[j.id, i]]
} else := e.countries

# base_for: no importer (not a transfer), else the law's decision.
base_for(j, i, d, e) := r if {
	e.who == "customer"
	same_person_not_a_transfer(j)
	d.own_premises
	r := {"verdict": "allowed", "basis": "not_a_transfer:own_premises", "mechanisms": [], "filing": "", "why": own_premises_text(j, i, e), "citation": not_a_transfer_citation}
} else := hop_resolve(j, i, d) if {
	d.kind == "onward"
} else := resolve_for(j, i, d)

own_premises_text(j, i, e) := lib.msg("transfers.why.own_premises.collected_directly", concat(" ", [own_premises_base, collected_directly_text]), {}) if {
	e.basis == "subjects"
	facts.activities[i].collected_directly == true
	j.transfer.foreign_exporter
} else := lib.msg("transfers.why.own_premises", own_premises_base, {})

own_premises_base := "The customer's own servers abroad (on premises, no processor) disclose the data to no other party: no transfer (EDPB Guidelines 05/2021, criterion 2); storing data there may still expose it to that country's laws."

collected_directly_text := "The customer collects the data directly from the people (activities[].collected_directly), which is not a transfer either (Example 1)."

not_a_transfer_citation := {"ref": "EDPB Guidelines 05/2021 v2.0", "url": "https://www.edpb.europa.eu/our-work-tools/our-documents/guidelines/guidelines-052021-interplay-between-application-article-3_en"}

# laws_on[destination key]: the laws with a flow through the destination (built once: the inner
# comprehension closes over key, which OPA indexes instead of scanning dest_laws per key). A
# single `mechanism` value accepted by one of them is "not recorded" (not "invalid") for the
# others.
laws_on := {key: jids |
	some [key, _] in dest_laws
	jids := {jid | some [k, jid] in dest_laws; k == key}
}

# dest_laws: [destination key, jurisdiction id] of every candidate flow (small keys, built once).
dest_laws := {[c.d.key, c.j.id] | some c in candidates}

# other_laws(j, d, m): the other laws on destination d that accept mechanism m.
other_laws(j, d, m) := {jid | some jid in object.get(laws_on, d.key, set()); jid != j.id; m in law_accepts[jid]}

# answers(j, from, d): what the questionnaire records for j on destination d: the per-law entries
# naming j's regime or one of the exporting countries (hosting[].mechanisms[],
# transfers[].mechanisms[]), else the single mechanism / regulator_filing / exemption fields.
answers(j, from, d) := xs if {
	count(d.entries) > 0
	xs := [entry_answer(e) | some e in d.entries; entry_matches(e, j, from)]
	count(xs) > 0
} else := [legacy_answers[d.key]]

# legacy_answers[destination key]: the single mechanism / regulator_filing / exemption fields of a
# destination as an answer (built once per destination).
legacy_answers := {d.key: {
	"per_law": false,
	"mechanism": d.mechanism,
	"filing": d.filing,
	"exemption": d.exemption,
	"signed_on": "",
	"entry": d.mechanism_field,
	"mechanism_field": d.mechanism_field,
	"filing_field": d.filing_field,
	"exemption_field": concat("", [d.key, ".exemption"]),
} |
	some ds in facts.destinations
	some d in ds
}

entry_matches(e, j, _) if e.regime == j.regime

entry_matches(e, j, from) if {
	e.country in j.countries
	e.country in from
}

entry_answer(e) := {
	"per_law": true,
	"mechanism": e.mechanism,
	"filing": e.regulator_filing,
	"exemption": e.exemption,
	"signed_on": e.signed_on,
	"entry": e.path,
	"mechanism_field": concat("", [e.path, ".mechanism"]),
	"filing_field": concat("", [e.path, ".regulator_filing"]),
	"exemption_field": concat("", [e.path, ".exemption"]),
}

# with_answer: the decision for one answer: a claimed exemption the law lists allows the flow
# (unless a localisation rule blocks it).
with_answer(c, a) := r if {
	c.base.verdict != "localisation_required"
	e := active_exemptions[c.j.id][a.exemption]
	r := {"verdict": "allowed", "basis": concat(":", ["exemption", e.id]), "mechanisms": [], "filing": "", "why": e.text, "citation": e.citation}
} else := c.base

mechanism_ok(dec, _, _, _) if count(dec.mechanisms) == 0

mechanism_ok(dec, m, j, d) if {
	m in dec.mechanisms
	recipient_certified_for(j, m, d)
}

mechanism_ok(dec, m, j, _) if {
	dec.verdict == "mechanism_required"
	m in object.get(j.transfer, "derogations", [])
}

# recipient_certified_for(j, m, d): mechanism m counts under j only with a certification of the
# recipient (transfer.mechanism_certifications, e.g. APPI: certification = APEC CBPR).
recipient_certified_for(j, m, d) if {
	cert := object.get(object.get(j.transfer, "mechanism_certifications", {}), m, "")
	certified(cert, d)
}

# need(dec, m): the regulator filing decision dec needs with mechanism m, and when: a tier's
# mechanism_filings entry for m (e.g. the CAC standard contract: filed within 10 working days of
# signature), else the tier's filing (due before the transfer, or filing_within_days calendar days
# after the first transfer).
need(dec, m) := n if {
	x := object.get(dec, "mechanism_filings", {})[m]
	n := object.union({"within": 0, "unit": "days", "from": "first_transfer"}, x)
} else := {"filing": object.get(dec, "filing", ""), "within": object.get(dec, "filing_within_days", 0), "unit": "days", "from": "first_transfer"}

# rule_regime(j, l): the regime a localisation rule of j is reported under: its instrument's
# (e.g. in_rbi_psd for the RBI directive) or j's.
rule_regime(j, l) := r if {
	r := l.instrument.regime
} else := j.regime

# instrument_parent[regime]: the jurisdiction regime an instrument's rules are evaluated under
# (a finding of the instrument is conditional when that law is).
instrument_parent := {l.instrument.regime: j.regime |
	some j in facts.jurisdictions
	some l in object.get(j, "localisation", [])
	l.instrument
}

filing_ok(_, "")

filing_ok(have, need) if facts.catalog.filing_rank[have] >= facts.catalog.filing_rank[need]

# status of a flow under decision r and answer a: satisfied | missing_mechanism |
# invalid_mechanism | missing_filing | filing_due | prohibited | localisation_required.
status(r, a, c, n) := "not_a_transfer" if {
	startswith(r.basis, "not_a_transfer:")
} else := "satisfied" if {
	r.verdict == "allowed"
} else := r.verdict if {
	r.verdict in {"prohibited", "localisation_required"}
} else := "missing_mechanism" if {
	a.mechanism in {"none", "unknown"}
	count(r.mechanisms) > 0
} else := "missing_mechanism" if {
	not mechanism_ok(r, a.mechanism, c.j, c.d)
	not a.per_law
	count(other_laws(c.j, c.d, a.mechanism)) > 0
} else := "invalid_mechanism" if {
	not mechanism_ok(r, a.mechanism, c.j, c.d)
} else := "satisfied" if {
	filing_ok(a.filing, n.filing)
} else := "filing_due" if {
	n.within > 0
} else := "missing_filing"

# evaluate: the flow's decision, status and answer for one answer.
evaluate(c, a) := {"r": r, "a": a, "status": st, "need": n} if {
	r := with_answer(c, a)
	n := need(r, a.mechanism)
	st := hop_status(status(r, a, c, n), r)
}

# pick: the first answer that satisfies the law, else the first answer.
pick(evs) := ok[0] if {
	ok := [e | some e in evs; e.status in {"satisfied", "not_a_transfer"}]
	count(ok) > 0
} else := evs[0]

# flows: one per (jurisdiction, activity, destination), keyed [jurisdiction id, activity index,
# destination key]. The assessment's transfers[] lists each flow once per subject country.
flows := {[c.j.id, c.i, c.d.key]: flow_entry(c, ev) |
	some c in candidates
	ev := pick([evaluate(c, a) | some a in answers(c.j, c.from, c.d)])
}

# flow_entry is the flow from the people of jurisdiction j in `from` (activity i) to destination d,
# decided ev.r for answer ev.a.
flow_entry(c, ev) := object.union_n([
	{
		"jurisdiction": c.j.id,
		"regime": object.get(ev.r, "regime", c.j.regime),
		"activity_index": c.i,
		"activity": facts.activities[c.i].name,
		"from_countries": c.from,
		"to": c.d.country,
		"via": c.d.key,
		"recipient": c.d.name,
		"access": c.d.access,
		"verdict": ev.r.verdict,
		"basis": ev.r.basis,
		"mechanisms": ev.r.mechanisms,
		"mechanism": ev.a.mechanism,
		"entry": entry_of(c, ev),
		"status": ev.status,
		"filing": ev.a.filing,
		"signed_on": ev.a.signed_on,
		"need": ev.need,
		"needed_filing": ev.need.filing,
		"satisfied": ev.status in {"satisfied", "not_a_transfer"},
		"exporter_basis": c.exporter.basis,
		"hop": object.get(c.d, "hop", 0),
		"citation": ev.r.citation,
		"fields": row_fields(c, ev),
		"filing_field": ev.a.filing_field,
		"exemption": ev.a.exemption,
		"exemption_field": ev.a.exemption_field,
		"adequacy_review": object.get(ev.r, "adequacy_review", []),
	},
	lib.why_fields(ev.r.why),
	exporter_fields(flow_exporter(c)),
])

# exporter_fields(m): who exports, as English text (exporter) and message (exporter_msg).
exporter_fields(m) := {"exporter": m.text, "exporter_msg": {"id": m.id, "params": m.params}}

# entry_of: the answer that decided the flow, or where the missing one belongs: a single value
# accepted only by other laws on the destination leaves this law's entry to record in
# <destination>.mechanisms.
entry_of(c, ev) := concat("", [c.d.key, ".mechanisms"]) if {
	ev.status == "missing_mechanism"
	not ev.a.mechanism in {"none", "unknown"}
} else := ev.a.entry

row_fields(c, ev) := [c.d.country_field, ev.a.mechanism_field, concat("", [c.d.key, ".mechanisms"])] if {
	ev.status == "missing_mechanism"
	not ev.a.mechanism in {"none", "unknown"}
} else := [c.d.country_field, ev.a.mechanism_field]

# all_flows is flows, evaluated once as a whole (looking a flow up by key would evaluate it again).
# regal ignore:pointless-reassignment
all_flows := flows

# A hosting site is the same destination for every activity; where a jurisdiction's verdict
# cannot depend on the activity (no localisation rule, no tier reading activity answers), it is
# decided once per site.
activity_keys := {"categories_any", "sensitive", "subject_types_any", "important_data", "citizens", "located", "min_sensitive_subjects", "min_nonsensitive_subjects", "more_than_sensitive_subjects", "large_scale", "systematic_monitoring", "core_activity", "automated_decisions", "cross_border", "collected_outside"}

activity_dependent contains jid if {
	some jid, tiers in active_tiers
	some t in tiers
	some k, _ in t.when
	k in activity_keys
}

activity_dependent contains jid if some jid in has_localisation

activity_dependent contains jid if {
	some jid, es in active_fact_exemptions
	count(es) > 0
}

# scoped_adequacy: [jurisdiction id, country] where an adequacy decision's scope reads the
# activity's data (categories, HR or not): a hosting site there is decided per activity.
scoped_adequacy := {[j.id, c] |
	some j in facts.jurisdictions
	some a in object.get(j.transfer, "adequacy", [])
	activity_scope(object.get(a, "recipient", {}))
	some c in a.countries
}

activity_scope(r) if count(object.get(r, "categories_none", [])) > 0

activity_scope(r) if r.certification_data

hosting_verdicts := {[jid, d.key]: resolve(j, i, d) |
	some j in facts.jurisdictions
	jid := j.id
	not jid in activity_dependent
	i := min(facts.concerns[jid])
	some d in facts.destinations[i]
	d.kind == "hosting"
	not d.country in facts.country_set[jid]
	not [jid, d.country] in scoped_adequacy
}

resolve_for(j, i, d) := hosting_verdicts[[j.id, d.key]] if {
	d.kind == "hosting"
	not j.id in activity_dependent
	not [j.id, d.country] in scoped_adequacy
} else := resolve(j, i, d)

# resolve decides one flow before its answers are read: the transfer regime's decision,
# overridden by a localisation rule that blocks the destination.
resolve(j, i, d) := r if {
	j.id in has_localisation
	blocking := [l | some l in loc_rules(j, i); blocks(l, j, d)]
	count(blocking) > 0
	l := blocking[0]
	r := {"verdict": "localisation_required", "basis": concat(":", ["localisation", l.id]), "mechanisms": [], "filing": "", "why": l.text, "citation": l.citation, "regime": rule_regime(j, l)}
} else := r if {
	adq := adequacy_of(j, i, d)
	dec := decide(j, i, d, adq)
	r := object.union(object.remove(dec, ["text"]), {"why": with_question(j, i, explain(dec, adq, d)), "adequacy_review": adequacy_review(dec, adq)})
}

# with_question(j, i, why): why, naming the unanswered activities[i].collected_in where an
# exemption reading it (e.g. CAC Provisions (2024) Art. 4) holds on every other answer: the
# answer could exempt the flow (never assumed).
with_question(j, i, why) := lib.msg("transfers.why.collected_question", "{why_text} Answer activities[{index}].collected_in: if the data was collected only outside {country}, {citation} could exempt this flow from the transfer mechanisms.", {
	"why_text": sentence(why), "index": i, "country": lib.join(", ", {c | some c in j.countries}), "citation": e.citation.ref,
}) if {
	not facts.collected_answered(i)
	es := [e |
		some e in active_fact_exemptions[j.id]
		e.when.collected_outside == true
		facts.holds(object.remove(e.when, ["collected_outside"]), j, i, facts.duty_ctx(j))
	]
	count(es) > 0
	e := es[0]
} else := why

explain(dec, adq, d) := lib.msg("transfers.why.adequacy_certified_only", "{text} Adequacy for {country} covers only recipients certified under {certification}.", {"text": dec.text, "country": d.country, "certification": adq.conditional.requires_certification}) if {
	dec.basis == "default"
	adq.conditional != null
} else := lib.msg("transfers.why.adequacy_excludes", "{text} The adequacy decision for {country} does not cover this recipient: {scope_text}", {"text": dec.text, "country": d.country, "scope_text": adq.excluded.recipient.text}) if {
	dec.basis == "default"
	adq.excluded != null
} else := lib.msg("transfers.why.adequacy_scope", "{text} {scope_text}", {"text": sentence(dec.text), "scope_text": adq.entry.recipient.text}) if {
	dec.basis == "adequacy"
	adq.entry.recipient
} else := dec.text

# sentence(x): text or message x ending with a full stop.
sentence(x) := x if endswith(lib.text(x), ".")

else := concat("", [x, "."]) if is_string(x)

else := lib.msg("transfers.why.sentence", "{text}.", {"text": x})

# ordered(sep, xs): a list parameter of strings xs in their order (lib.join sorts).
ordered(sep, xs) := {"sep": sep, "items": xs, "text": concat(sep, xs)}

adequacy_review(dec, adq) := adq.review if dec.basis == "adequacy"

else := []

# count_boundaries[jid]: the people counts at which a transfer tier in force of jurisdiction jid
# starts or stops holding, for callers that must answer without a count (the hosting check lists
# every band): each boundary is the first count for which the condition holds ("min_*": the number
# itself, "N or more"; "more_than_*": the number plus one), with the count it reads (all people,
# those with sensitive data, those with other data), sorted. Depends only on the data and
# input.as_of.
count_boundaries := {j.id: bs |
	some j in data.piaflow.jurisdictions
	lib.in_force(j)
	rows := sort({[first_count(key.boundary, v), t.id, k, key.counts, v] |
		some t in object.get(j.transfer, "tiers", [])
		lib.in_force(t)
		some k, v in t.when
		key := facts.count_keys[k]
	})
	count(rows) > 0
	bs := [{"from": r[0], "tier": r[1], "key": r[2], "counts": r[3], "value": r[4]} | some r in rows]
}

first_count("min", v) := v

first_count("more_than", v) := v + 1

# --- onward transfers ----------------------------------------------------------------------------

# An onward transfer (transfers[].onward_transfers, hop 1 to 3) is the recipient's own transfer of
# the data to another recipient. For each law governing the data it is a flow when its destination
# lies outside the law's countries (a hop back into them leaves nothing): the law's conditions for
# the first transfer follow the data (GDPR Art. 44 "including for onward transfers"; SCC 2021/914
# clause 8.7 / 8.8), read from the onward transfer's own mechanism, mechanisms[] and exemption.

# onward_note(j): the law's rule on onward transfers (policies/data/catalog.json onward_transfers):
# its text (with its sources) and the mechanisms it accepts for a hop besides the first
# transfer's; the default note says piaflow applies the law's transfer rules to the hop (confirm).
onward_note(j) := n if {
	n := facts.catalog.onward_transfers.regimes[j.regime]
} else := facts.catalog.onward_transfers.default

# hop_resolve decides an onward hop: the law's decision for the destination (restricted list,
# tiers, adequacy, default, localisation), except that a regulator filing or approval the decision
# needs is the first exporter's duty (e.g. the CAC security assessment or standard-contract filing
# of the processor in China), never asked of the recipient: such a hop needs one of the mechanisms
# (or the law's onward instrument) and legal's confirmation that the first transfer's filing and
# contract cover it (review).
hop_resolve(j, i, d) := r if {
	r0 := resolve(j, i, d)
	exporter_filing(r0)
	r := object.union(object.remove(r0, ["verdict", "basis", "mechanisms", "filing", "filing_within_days", "mechanism_filings", "why"]), {
		"verdict": "mechanism_required",
		"basis": concat(":", ["onward", r0.basis]),
		"mechanisms": hop_mechanisms(j, r0.mechanisms),
		"filing": "",
		"review": true,
		"why": lib.msg("transfers.why.onward.first_exporter_filing", onward_filing_template, object.union(onward_params(j, d), {"why_text": sentence(r0.why), "basis": r0.basis, "need": need_words(r0)})),
	})
} else := r if {
	r0 := resolve(j, i, d)
	r := object.union(object.remove(r0, ["why"]), {"why": lib.msg("transfers.why.onward", "Onward transfer (hop {hop}) by {party} in {party_country}: {note_text} {why_text}", object.union(onward_params(j, d), {"why_text": r0.why}))})
}

# exporter_filing(r): decision r needs a regulator filing or approval (of the first exporter).
exporter_filing(r) if r.verdict == "approval_required"

exporter_filing(r) if object.get(r, "filing", "") != ""

exporter_filing(r) if count(object.get(r, "mechanism_filings", {})) > 0

# hop_mechanisms: the first transfer's mechanisms, then those the law's onward rule adds.
hop_mechanisms(j, ms) := array.concat(ms, [m | some m in object.get(onward_note(j), "mechanisms", []); not m in ms])

onward_filing_template := concat(" ", [
	"Onward transfer (hop {hop}) by {party} in {party_country}: {note_text} {why_text}",
	"The decision ({basis}) needs a regulator filing or approval ({need}): that is the first exporter's duty, not the recipient's; piaflow asks none of the recipient.",
	"Confirm that the first transfer's filing and contract cover this onward transfer.",
])

# onward_params(j, d): the hop, the party passing the data on and the law's onward rule (data).
onward_params(j, d) := {"hop": d.hop, "party": d.parent.name, "party_country": d.parent.country, "note_text": sentence(onward_note(j).text)}

need_words(r0) := lib.msg("transfers.need.filing", "regulator filing {needed_filing}", {"needed_filing": lib.msg(concat(".", ["transfers.filing_need", r0.filing]), r0.filing, {})}) if {
	r0.filing != ""
} else := lib.msg("transfers.need.mechanism_filing", "regulator filing for {mechanisms}", {"mechanisms": lib.join(", ", object.keys(mfs))}) if {
	mfs := object.get(r0, "mechanism_filings", {})
	count(mfs) > 0
} else := lib.msg("transfers.need.approval", "regulator approval", {})

# hop_status: a hop whose filing is the first exporter's is never satisfied by assumption: it
# waits for legal's confirmation (onward_review).
hop_status(st, r) := "onward_review" if {
	st == "satisfied"
	r.review
} else := st

# flow_exporter: who exports; for an onward hop, the recipient of the previous hop, bound by the
# safeguards of the first transfer.
flow_exporter(c) := lib.msg("transfers.exporter.party_onward", "{exporter}, onward transfer hop {hop}", {"exporter": c.exporter.text, "hop": c.d.hop}) if {
	c.exporter.basis == "processor_establishment"
	c.d.parent.key == c.exporter.key
} else := lib.msg("transfers.exporter.onward", "{party} in {party_country} (the importer of the previous hop), onward transfer hop {hop}, bound by the safeguards of the first transfer by {exporter}", {"party": c.d.parent.name, "party_country": c.d.parent.country, "hop": c.d.hop, "exporter": c.exporter.text}) if {
	c.d.kind == "onward"
	not c.d.parent.country in facts.country_set[c.j.id]
} else := lib.msg("transfers.exporter.onward_inside", "{party} in {party_country} (the recipient of the previous hop, within the law's countries: this hop takes the data out of them), onward transfer hop {hop}; the data came from {exporter}", {
	"party": c.d.parent.name, "party_country": c.d.parent.country, "hop": c.d.hop, "exporter": c.exporter.text,
}) if {
	c.d.kind == "onward"
} else := c.exporter.text

# METADATA
# title: Cross-border transfer verdicts
# description: >-
#   For every activity, every jurisdiction whose people it concerns and every destination outside
#   that jurisdiction (hosting sites and transfers), the verdict of the jurisdiction's transfer
#   regime (policies/data/jurisdictions): allowed, mechanism_required, approval_required,
#   localisation_required or prohibited, the mechanisms that make it lawful, and whether the
#   questionnaire's answers satisfy it.
package piaflow.rules.transfers

import data.piaflow.facts
import data.piaflow.lib
import data.piaflow.regimes

# own_staff_exempt: under the GDPR family an employee of the exporter reaching the data from
# abroad is not a transfer (EDPB Guidelines 05/2021, para. 23).
own_staff_exempt(j, d) if {
	d.recipient_type == "own_staff"
	j.regime in facts.catalog.own_staff_not_a_transfer
}

# Per jurisdiction, computed once: the tiers, exemptions and localisation rules in force. The
# engine indexes adequacy decisions by jurisdiction and destination (data.piaflow.adequacy_index).
active_tiers := {j.id: [t | some t in object.get(j.transfer, "tiers", []); lib.in_force(t)] | some j in facts.jurisdictions}

active_exemptions := {j.id: {e.id: e | some e in object.get(j.transfer, "exemptions", []); lib.in_force(e)} | some j in facts.jurisdictions}

restricted := {j.id: {c | some c in object.get(j.transfer, "restricted_countries", [])} | some j in facts.jurisdictions}

# adequacy_of(j, d): {"entry": the decision covering d, or null; "conditional": a decision that
# covers the country only for certified recipients d does not hold, or null}.
adequacy_of(j, d) := {"entry": entry, "conditional": conditional} if {
	decisions := [a | some a in object.get(data.piaflow.adequacy_index, [j.id, d.country], []); lib.in_force(a)]
	covering := [a | some a in decisions; certified(object.get(a, "requires_certification", ""), d)]
	entry := first_or_null(covering)
	conditional := conditional_of(entry, decisions)
}

first_or_null(xs) := xs[0] if count(xs) > 0

else := null

conditional_of(null, decisions) := first_or_null([a | some a in decisions; object.get(a, "requires_certification", "") != ""])

conditional_of(entry, _) := null if entry != null

certified("", _)

certified(cert, d) if cert in d.certifications

decide_with(j, i, d, adq) := r if {
	e := active_exemptions[j.id][d.exemption]
	r := {"verdict": "allowed", "basis": concat(":", ["exemption", e.id]), "mechanisms": [], "filing": "", "text": e.text, "citation": e.citation}
} else := r if {
	d.country in restricted[j.id]
	r := {"verdict": "prohibited", "basis": "restricted_country", "mechanisms": [], "filing": "", "text": j.transfer.text, "citation": j.transfer.citation}
} else := r if {
	tiers := active_tiers[j.id]
	count(tiers) > 0
	t := facts.totals_by_id[j.id]
	ctx := {"count": t.export, "sensitive_count": t.sensitive_export, "adequate": adq.entry != null}
	ts := [x | some x in tiers; facts.holds(x.when, j, i, ctx)]
	count(ts) > 0
	r := tier_decision(ts[0])
} else := r if {
	adq.entry != null
	r := {"verdict": "allowed", "basis": "adequacy", "mechanisms": [], "filing": "", "text": object.get(adq.entry, "note", "adequacy decision"), "citation": adq.entry.citation}
} else := {"verdict": j.transfer.default, "basis": "default", "mechanisms": j.transfer.mechanisms, "filing": "", "text": j.transfer.text, "citation": j.transfer.citation}

tier_decision(t) := {"verdict": t.verdict, "basis": concat(":", ["tier", t.id]), "mechanisms": object.get(t, "mechanisms", []), "filing": object.get(t, "filing", ""), "filing_within_days": object.get(t, "filing_within_days", 0), "text": t.text, "citation": t.citation}

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

filing_ok(_, "")

filing_ok(have, need) if facts.catalog.filing_rank[have] >= facts.catalog.filing_rank[need]

blocks(l, d) if {
	l.requirement == "no_export"
	not lifted(l, d.filing)
}

# lifted(l, have): the regulator filing `have` lifts no_export rule l; a rule naming no filing
# cannot be lifted.
lifted(l, have) if {
	need := object.get(l, "filing", "")
	need != ""
	filing_ok(have, need)
}

blocks(l, d) if {
	l.requirement == "store_only_in_country"
	d.access in {"copy", "storage"}
}

blocks(l, d) if {
	l.requirement == "primary_in_country"
	d.kind == "hosting"
	d.role == "primary"
}

blocks(l, d) if {
	l.requirement == "all_hosting_in_country"
	d.kind == "hosting"
}

mechanism_ok(dec, _, _) if count(dec.mechanisms) == 0

mechanism_ok(dec, d, _) if d.mechanism in dec.mechanisms

mechanism_ok(dec, d, j) if {
	dec.verdict == "mechanism_required"
	d.mechanism in object.get(j.transfer, "derogations", [])
}

satisfied("allowed", _, _, _)

satisfied(v, dec, d, j) if {
	v in {"mechanism_required", "approval_required"}
	mechanism_ok(dec, d, j)
	filing_ok(d.filing, dec.filing)
}

# flows: one per (jurisdiction, activity, destination), keyed [jurisdiction id, activity index,
# destination key]. The assessment's transfers[] lists each flow once per subject country.
flows[[jid, i, d.key]] := flow_entry(j, i, from, d, r) if {
	some key, from in facts.located_from
	[jid, i] := key
	jid in regimes.applicable_ids # a law whose scope excludes the deployment has no say on its transfers
	j := facts.jurisdiction_by_id[jid]
	some d in facts.destinations[i]
	not d.country in facts.country_set[jid]
	not own_staff_exempt(j, d)
	r := resolve_for(j, i, d)
}

# flow_entry is the flow from the people of jurisdiction j in `from` (activity i) to destination d,
# decided r.
flow_entry(j, i, from, d, r) := {
	"jurisdiction": j.id,
	"regime": j.regime,
	"activity_index": i,
	"activity": facts.activities[i].name,
	"from_countries": from,
	"to": d.country,
	"via": d.key,
	"recipient": d.name,
	"access": d.access,
	"verdict": r.verdict,
	"basis": r.basis,
	"mechanisms": r.mechanisms,
	"mechanism": d.mechanism,
	"filing": d.filing,
	"needed_filing": r.filing,
	"filing_within_days": object.get(r, "filing_within_days", 0),
	"satisfied": r.satisfied,
	"why": r.why,
	"citation": r.citation,
	"fields": [d.country_field, d.mechanism_field],
	"filing_field": d.filing_field,
	"exemption": d.exemption,
}

# all_flows is flows, evaluated once as a whole (looking a flow up by key would evaluate it again).
# regal ignore:pointless-reassignment
all_flows := flows

# A hosting site is the same destination for every activity; where a jurisdiction's verdict
# cannot depend on the activity (no localisation rule, no tier reading activity answers), it is
# decided once per site.
activity_keys := {"categories_any", "sensitive", "subject_types_any", "important_data", "citizens", "located", "min_sensitive_subjects", "large_scale", "systematic_monitoring", "core_activity", "automated_decisions", "cross_border"}

activity_dependent contains jid if {
	some jid, tiers in active_tiers
	some t in tiers
	some k, _ in t.when
	k in activity_keys
}

activity_dependent contains jid if some jid in has_localisation

hosting_verdicts := {[jid, d.key]: resolve(j, i, d) |
	some j in facts.jurisdictions
	jid := j.id
	not jid in activity_dependent
	i := min(facts.concerns[jid])
	some d in facts.destinations[i]
	d.kind == "hosting"
	not d.country in facts.country_set[jid]
}

resolve_for(j, i, d) := hosting_verdicts[[j.id, d.key]] if {
	d.kind == "hosting"
	not j.id in activity_dependent
} else := resolve(j, i, d)

# resolve decides one flow: the transfer regime's decision, overridden by a localisation rule
# that blocks the destination.
resolve(j, i, d) := r if {
	j.id in has_localisation
	blocking := [l | some l in loc_rules(j, i); blocks(l, d)]
	count(blocking) > 0
	l := blocking[0]
	r := {"verdict": "localisation_required", "basis": concat(":", ["localisation", l.id]), "mechanisms": [], "filing": "", "why": l.text, "citation": l.citation, "satisfied": false}
} else := r if {
	adq := adequacy_of(j, d)
	dec := decide_with(j, i, d, adq)
	r := {
		"verdict": dec.verdict,
		"basis": dec.basis,
		"mechanisms": dec.mechanisms,
		"filing": dec.filing,
		"filing_within_days": object.get(dec, "filing_within_days", 0),
		"why": explain(dec, adq, d),
		"citation": dec.citation,
		"satisfied": is_satisfied(dec.verdict, dec, d, j),
	}
}

explain(dec, adq, d) := sprintf("%s Adequacy for %s covers only recipients certified under %s.", [dec.text, d.country, adq.conditional.requires_certification]) if {
	dec.basis == "default"
	adq.conditional != null
} else := dec.text

is_satisfied(v, dec, d, j) if satisfied(v, dec, d, j)

else := false

# METADATA
# title: Cross-border transfer verdicts
# description: >-
#   For every activity, every jurisdiction whose people it concerns and every destination outside
#   that jurisdiction (hosting sites and transfers), the verdict of the jurisdiction's transfer
#   regime (policies/data/jurisdictions): allowed, mechanism_required, approval_required,
#   localisation_required or prohibited, the mechanisms that make it lawful, and whether the
#   questionnaire's answers satisfy it.
package piaflow.transfers

import data.piaflow.facts
import data.piaflow.lib

# own_staff_exempt: under the GDPR family an employee of the exporter reaching the data from
# abroad is not a transfer (EDPB Guidelines 05/2021, para. 23).
own_staff_exempt(j, d) if {
	d.recipient_type == "own_staff"
	j.regime in facts.catalog.own_staff_not_a_transfer
}

adequacy_entry(j, d) := a if {
	some a in object.get(j.transfer, "adequacy", [])
	lib.in_force(a)
	d.country in a.countries
	cert := object.get(a, "requires_certification", "")
	certified(cert, d)
}

certified("", _)

certified(cert, d) if cert in d.certifications

adequate(j, d) if adequacy_entry(j, d)

# adequacy_conditional: the destination is adequate only for certified recipients and this one is not.
adequacy_conditional(j, d) := a if {
	not adequate(j, d)
	some a in object.get(j.transfer, "adequacy", [])
	lib.in_force(a)
	d.country in a.countries
	object.get(a, "requires_certification", "") != ""
}

tier_ctx(j, d) := {"count": t.export, "sensitive_count": t.sensitive_export, "adequate": adequate(j, d)} if {
	t := facts.totals(j)
} else := {"count": t.export, "sensitive_count": t.sensitive_export, "adequate": false} if {
	t := facts.totals(j)
}

decide(j, i, d) := r if {
	d.exemption != "none"
	some e in object.get(j.transfer, "exemptions", [])
	e.id == d.exemption
	lib.in_force(e)
	r := {"verdict": "allowed", "basis": concat(":", ["exemption", e.id]), "mechanisms": [], "filing": "", "text": e.text, "citation": e.citation}
} else := r if {
	d.country in object.get(j.transfer, "restricted_countries", [])
	r := {"verdict": "prohibited", "basis": "restricted_country", "mechanisms": [], "filing": "", "text": j.transfer.text, "citation": j.transfer.citation}
} else := r if {
	ctx := tier_ctx(j, d)
	ts := [t | some t in object.get(j.transfer, "tiers", []); lib.in_force(t); facts.holds(t.when, j, i, ctx)]
	count(ts) > 0
	t := ts[0]
	r := {"verdict": t.verdict, "basis": concat(":", ["tier", t.id]), "mechanisms": object.get(t, "mechanisms", []), "filing": object.get(t, "filing", ""), "text": t.text, "citation": t.citation}
} else := r if {
	a := adequacy_entry(j, d)
	r := {"verdict": "allowed", "basis": "adequacy", "mechanisms": [], "filing": "", "text": object.get(a, "note", "adequacy decision"), "citation": a.citation}
} else := {"verdict": j.transfer.default, "basis": "default", "mechanisms": j.transfer.mechanisms, "filing": "", "text": j.transfer.text, "citation": j.transfer.citation}

# localisation rules of j that hold for activity i.
loc_rules(j, i) := [l |
	some l in object.get(j, "localisation", [])
	lib.in_force(l)
	facts.holds(l.when, j, i, facts.duty_ctx(j))
]

filing_ok(have, need) if need == ""

filing_ok(have, need) if facts.catalog.filing_rank[have] >= facts.catalog.filing_rank[need]

blocks(l, d) if {
	l.requirement == "no_export"
	not filing_ok(d.filing, object.get(l, "filing", ""))
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

mechanism_ok(dec, _, _) if count(dec.mechanisms) == 0

mechanism_ok(dec, d, _) if d.mechanism in dec.mechanisms

mechanism_ok(dec, d, j) if {
	dec.verdict == "mechanism_required"
	d.mechanism in object.get(j.transfer, "derogations", [])
}

satisfied(v, _, _, _) if v == "allowed"

satisfied(v, dec, d, j) if {
	v in {"mechanism_required", "approval_required"}
	mechanism_ok(dec, d, j)
	filing_ok(d.filing, dec.filing)
}

# flows: one per (jurisdiction, activity, destination).
flows contains f if {
	some j in facts.jurisdictions
	some i, a in facts.activities
	from := {c | some g in facts.groups; g.activity == i; facts.located(j, g); some c in g.countries; c in j.countries}
	count(from) > 0
	some d in facts.destinations[i]
	not d.country in j.countries
	not own_staff_exempt(j, d)
	dec := decide(j, i, d)
	blocking := [l | some l in loc_rules(j, i); blocks(l, d)]
	verdict := final_verdict(dec, blocking)
	f := {
		"jurisdiction": j.id,
		"regime": j.regime,
		"activity_index": i,
		"activity": a.name,
		"from_countries": from,
		"to": d.country,
		"via": d.key,
		"via_kind": d.kind,
		"recipient": d.name,
		"access": d.access,
		"verdict": verdict,
		"basis": final_basis(dec, blocking),
		"mechanisms": final_mechanisms(dec, blocking),
		"mechanism": d.mechanism,
		"filing": d.filing,
		"needed_filing": dec.filing,
		"satisfied": is_satisfied(verdict, dec, d, j),
		"why": final_text(dec, blocking, j, d),
		"citation": final_citation(dec, blocking),
		"fields": [d.country_field, d.mechanism_field],
		"dest": d,
	}
}

final_verdict(_, blocking) := "localisation_required" if count(blocking) > 0

final_verdict(dec, blocking) := dec.verdict if count(blocking) == 0

final_basis(_, blocking) := concat(":", ["localisation", blocking[0].id]) if count(blocking) > 0

final_basis(dec, blocking) := dec.basis if count(blocking) == 0

final_mechanisms(_, blocking) := [] if count(blocking) > 0

final_mechanisms(dec, blocking) := dec.mechanisms if count(blocking) == 0

final_citation(_, blocking) := blocking[0].citation if count(blocking) > 0

final_citation(dec, blocking) := dec.citation if count(blocking) == 0

final_text(_, blocking, _, _) := blocking[0].text if count(blocking) > 0

final_text(dec, blocking, j, d) := sprintf("%s Adequacy for %s covers only recipients certified under %s.", [dec.text, d.country, a.requires_certification]) if {
	count(blocking) == 0
	a := adequacy_conditional(j, d)
}

final_text(dec, blocking, j, d) := dec.text if {
	count(blocking) == 0
	not adequacy_conditional(j, d)
}

is_satisfied(v, dec, d, j) if satisfied(v, dec, d, j)

is_satisfied(v, dec, d, j) := false if not satisfied(v, dec, d, j)

# entries: the assessment's transfers[], one per subject country.
entries contains e if {
	some f in flows
	some from in f.from_countries
	e := {
		"from": from,
		"to": f.to,
		"activity": f.activity,
		"regime": f.regime,
		"verdict": f.verdict,
		"mechanisms": f.mechanisms,
		"citation": f.citation,
		"satisfied": f.satisfied,
		"mechanism": f.mechanism,
		"via": f.via,
		"recipient": f.recipient,
		"access": f.access,
		"basis": f.basis,
		"why": f.why,
		"fields": f.fields,
	}
}

# METADATA
# title: Applicable regimes
# description: >-
#   Which data-protection laws apply, why, and how certainly, from each jurisdiction's scope rule:
#   establishment of the customer (and of its other establishments), of the vendor where the law
#   says so (GDPR Art. 3(1): a processor established in the Union), of a third-party processor
#   established there (the GDPR family: processor obligations only), location of the data subjects
#   (with the law's targeting or monitoring test, answered per activity) and their citizenship.
#   A law is firm when a reason that needs no further answer holds, conditional otherwise; legal's
#   answer (deployment.scope_confirmed) makes it firm or takes it out.
package piaflow.regimes

import data.piaflow.facts
import data.piaflow.lib

# reasons: why each law applies; each reason is firm or conditional, with the questionnaire paths
# that would settle a conditional one (question).
reasons contains r if {
	some j in facts.jurisdictions
	j.scope.establishment
	cs := {c | some c in facts.customer_countries; c in j.countries}
	count(cs) > 0
	r := {
		"jurisdiction": j.id,
		"basis": "establishment",
		"why": sprintf("the customer is established in %s", [lib.list(cs)]),
		"fields": establishment_fields(cs),
		"certainty": "firm",
		"question": [],
	}
}

establishment_fields(cs) := ["deployment.customer_country"] if facts.deployment.customer_country in cs

else := ["deployment.customer_establishments"]

reasons contains r if {
	some j in facts.jurisdictions
	j.id in facts.vendor_established_ids
	not j.id in facts.customer_established_ids # the customer's establishment already makes it apply
	q := vendor_question(j)
	r := {
		"jurisdiction": j.id,
		"basis": "vendor",
		"why": sprintf("the vendor (%s) is established in %s", [facts.vendor_role, facts.vendor_country]),
		"fields": ["deployment.vendor_country", "deployment.vendor_role"],
		"certainty": certainty_of(q),
		"question": q,
	}
}

# A third-party processor (processors[], or a processor recipient of a transfer) established in
# the law's country, while neither the customer nor the vendor is: the law binds that processor's
# processing (GDPR Art. 3(1)), with the processor's obligations only; the customer does not become
# subject by using it (EDPB Guidelines 3/2018). One reason per processor name.
reasons contains r if {
	some j in facts.jurisdictions
	j.id in facts.processor_established_ids
	not j.id in facts.customer_established_ids
	not j.id in facts.vendor_established_ids
	ps := facts.established_parties(j)
	some name in {p.name | some p in ps}
	same := [p | some p in ps; p.name == name]
	r := {
		"jurisdiction": j.id,
		"basis": "processor_establishment",
		"why": sprintf("the processor %q is established in %s (its processing only, as processor)", [name, lib.list({p.country | some p in same})]),
		"fields": sort({p.field | some p in same}),
		"certainty": "firm",
		"question": [],
	}
}

# processor_bases: the reasons that bind a processor (the vendor or a third party), not the
# customer.
processor_bases := {"vendor", "processor_establishment"}

# vendor_question(j): legal's answer, when j's text does not settle whether it reaches a
# processor established there working for a customer abroad (scope.vendor_establishment.reach
# "review"); none otherwise (the GDPR family's `true`, a firm reach, a vendor controller).
vendor_question(j) := [scope_confirmed_field(j)] if {
	facts.vendor_role == "processor"
	facts.vendor_detail(j).reach == "review"
} else := []

reasons contains r if {
	some j in facts.jurisdictions
	j.scope.subjects
	located := facts.located_groups[j.id]
	count(located) > 0
	cs := {c | some g in located; some c in g.countries; c in j.countries}
	acts := {g.activity | some g in located}
	q := subjects_question(j, acts)
	r := {
		"jurisdiction": j.id,
		"basis": "subjects",
		"why": sprintf("data subjects in %s%s", [lib.list(cs), subjects_test(j, acts)]),
		"fields": [sprintf("%s.countries", [g.path]) | some g in located],
		"certainty": certainty_of(q),
		"question": q,
	}
}

# subjects_question(j, acts): the answers still needed for j to reach the people of activities
# acts: none when location suffices or some activity targets or monitors them; the targeting or
# monitoring fields of the activities not answered; legal's answer for a law without a test.
subjects_question(j, acts) := [] if count(facts.subjects_requires(j)) == 0

else := [] if j.id in facts.subjects_settled_ids

else := [] if {
	some i in acts
	facts.scope_answer(j, facts.activities[i]) == "yes"
}

else := [scope_confirmed_field(j)] if "review" in facts.subjects_requires(j)

else := sort([sprintf("activities[%d].%s", [i, facts.scope_fields[r]]) | some i in acts; some r in facts.subjects_requires(j)])

subjects_test(j, acts) := "" if count(facts.subjects_requires(j)) == 0

else := "" if j.id in facts.subjects_settled_ids

else := sprintf(" (%s)", [concat(", ", sort({facts.activities[i].name | some i in acts; facts.scope_answer(j, facts.activities[i]) == "yes"}))]) if {
	some i in acts
	facts.scope_answer(j, facts.activities[i]) == "yes"
} else := " (whether the law reaches them is open)"

reasons contains r if {
	some j in facts.jurisdictions
	j.scope.citizens
	cits := [g | some g in facts.groups; facts.citizen(j, g); j.id in g.concerned_by; not j.id in g.located_in]
	count(cits) > 0
	r := {
		"jurisdiction": j.id,
		"basis": "citizens",
		"why": sprintf("citizens of %s among the data subjects abroad", [lib.list(j.countries)]),
		"fields": [sprintf("%s.citizenship", [g.path]) | some g in cits],
		"certainty": "conditional",
		"question": [scope_confirmed_field(j)],
	}
}

# collected: the data of some activity is collected in j's countries (activities[].collected_in)
# and j reaches data collected there (scope.collected, e.g. LGPD Art. 3(III) and §1), wherever
# its people are now; firm or for legal to confirm as j's data says.
reasons contains r if {
	some j in facts.jurisdictions
	j.scope.collected
	acts := {i | some i, jids in facts.collected_by; j.id in jids}
	count(acts) > 0
	cs := {c | some i in acts; some c in facts.activities[i].collected_in; c in j.countries}
	q := collected_question(j)
	r := {
		"jurisdiction": j.id,
		"basis": "collected",
		"why": sprintf("data collected in %s (%s)", [lib.list(cs), concat(", ", sort({facts.activities[i].name | some i in acts}))]),
		"fields": sort([sprintf("activities[%d].collected_in", [i]) | some i in acts]),
		"certainty": certainty_of(q),
		"question": q,
	}
}

collected_question(j) := [] if j.scope.collected.reach == "firm"

else := [scope_confirmed_field(j)]

certainty_of(q) := "firm" if count(q) == 0

else := "conditional"

scope_confirmed_field(j) := sprintf("deployment.scope_confirmed.%s", [j.regime])

reasons_by := {jid: [r | some r in reasons; r.jurisdiction == jid] | some jid in {r.jurisdiction | some r in reasons}}

applicable_ids := object.keys(reasons_by)

# applicable: the jurisdictions (data) whose law applies.
applicable := [facts.jurisdiction_by_id[id] | some id in applicable_ids]

applicable_regimes := {j.regime | some j in applicable}

applies(regime) if regime in applicable_regimes

# certainty[jid]: firm when some reason is firm or legal confirmed the law reaches the
# deployment (deployment.scope_confirmed.<regime>: true), else conditional.
certainty := {jid: c |
	some jid, rs in reasons_by
	c := law_certainty(facts.jurisdiction_by_id[jid], rs)
}

law_certainty(j, rs) := "firm" if facts.scope_confirmed[j.regime] == true

else := "conditional" if {
	# a national law reaching the vendor as processor, or any law reaching a third-party
	# processor, does not settle whether it reaches the customer: the customer's reasons decide
	# (the processor duties follow the processor's reason).
	processor_reason_only_settles(j, rs)
	some r in rs
	not r.basis in processor_bases
	not customer_firm(rs)
} else := "firm" if {
	some r in rs
	r.certainty == "firm"
} else := "conditional"

customer_firm(rs) if {
	some r in rs
	not r.basis in processor_bases
	r.certainty == "firm"
}

# processor_reason_only_settles(j, rs): a firm reason of j binds only a processor: the vendor under
# a national law's object entry, or a third-party processor.
processor_reason_only_settles(j, _) if facts.vendor_detail(j)

processor_reason_only_settles(_, rs) if {
	some r in rs
	r.basis == "processor_establishment"
}

# capacity[jid]: in which capacity the law reaches the deployment: the customer as controller
# (joint controller when the vendor is one), or only the vendor in its role, or only a
# third-party processor established there ("processor").
capacity := {jid: c |
	some jid, rs in reasons_by
	c := law_capacity(rs)
}

law_capacity(rs) := "joint_controller" if {
	facts.vendor_role == "joint_controller"
	some r in rs
	not r.basis in processor_bases
} else := "controller" if {
	some r in rs
	not r.basis in processor_bases
} else := facts.vendor_role if {
	some r in rs
	r.basis == "vendor"
} else := "processor"

# conditional_regimes[regime]: the laws whose reach is not established, with the questionnaire
# paths that would settle it; main downgrades their findings.
conditional_regimes := {j.regime: {"short": j.short, "question": question(rs)} |
	some jid, rs in reasons_by
	certainty[jid] == "conditional"
	j := facts.jurisdiction_by_id[jid]
}

question(rs) := sort({f | some r in rs; some f in r.question})

# excluded: the laws legal answered do not reach the deployment (scope_confirmed: false).
excluded := [j | some j in facts.in_force_jurisdictions; j.id in facts.dropped_ids; applies_otherwise(j)]

# applies_otherwise(j): j would apply without legal's answer (its countries are among the
# deployment's countries).
applies_otherwise(j) if lib.any_in(j.countries, facts.named_countries)

entries contains e if {
	some j in applicable
	rs := reasons_by[j.id]
	e := {
		"id": j.regime,
		"name": j.name,
		"short": j.short,
		"why": sprintf("%s. %s", [concat("; ", sort({r.why | some r in rs})), j.scope.why]),
		"fields": sort({f | some r in rs; some f in r.fields}),
		"citation": j.scope.citation,
		"jurisdiction": j.id,
		"last_reviewed": j.last_reviewed,
		"certainty": certainty[j.id],
		"capacity": capacity[j.id],
		"question": question_of(j, rs),
	}
}

question_of(j, rs) := [] if certainty[j.id] == "firm"

else := question(rs)

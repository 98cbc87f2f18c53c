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
	r := object.union(
		{
			"jurisdiction": j.id,
			"basis": "establishment",
			"fields": establishment_fields(cs),
			"certainty": "firm",
			"question": [],
		},
		lib.why_fields(lib.msg("regimes.establishment", "the customer is established in {countries}", {"countries": lib.join(", ", cs)})),
	)
}

establishment_fields(cs) := ["deployment.customer_country"] if facts.deployment.customer_country in cs

else := ["deployment.customer_establishments"]

reasons contains r if {
	some j in facts.jurisdictions
	j.id in facts.vendor_established_ids
	not j.id in facts.customer_established_ids # the customer's establishment already makes it apply
	q := vendor_question(j)
	r := object.union(
		{
			"jurisdiction": j.id,
			"basis": "vendor",
			"fields": ["deployment.vendor_country", "deployment.vendor_role"],
			"certainty": certainty_of(q),
			"question": q,
		},
		lib.why_fields(vendor_why(j)),
	)
}

# vendor_why(j): the vendor's establishment as reason for j; under the PIPL one message per role,
# so that Chinese names the role in the PIPL's terms (受托人, 个人信息处理者), not the GDPR's.
vendor_why(j) := lib.msg(
	sprintf("regimes.vendor.cn_pipl.%s", [facts.vendor_role]),
	sprintf("the vendor (%s) is established in {country}", [facts.vendor_role]),
	{"country": facts.vendor_country},
) if {
	j.regime == "cn_pipl"
	facts.vendor_role in {"controller", "processor", "joint_controller"}
} else := lib.msg("regimes.vendor", "the vendor ({role}) is established in {country}", {"role": facts.vendor_role, "country": facts.vendor_country})

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
	r := object.union(
		{
			"jurisdiction": j.id,
			"basis": "processor_establishment",
			"fields": sort({p.field | some p in same}),
			"certainty": "firm",
			"question": [],
		},
		lib.why_fields(lib.msg(
			"regimes.processor",
			"the processor {name} is established in {countries} (its processing only, as processor)",
			{"name": sprintf("%q", [name]), "countries": lib.join(", ", {p.country | some p in same})},
		)),
	)
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
	r := object.union(
		{
			"jurisdiction": j.id,
			"basis": "subjects",
			"fields": [sprintf("%s.countries", [g.path]) | some g in located],
			"certainty": certainty_of(q),
			"question": q,
		},
		lib.why_fields(subjects_why(j, acts, cs)),
	)
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

# subjects_why(j, acts, cs): the reason for data subjects located in cs (countries of j), with
# the activities that meet j's targeting or monitoring test, or that the test is open; one
# message per variant, and under the PIPL its own (Chinese names the people and the test in the
# PIPL's words: 境内自然人, Art. 3(2)).
subjects_why(j, acts, cs) := lib.msg(
	sprintf("regimes.subjects%s", [law_variant(j)]),
	"data subjects in {countries}",
	{"countries": lib.join(", ", cs)},
) if {
	count(facts.subjects_requires(j)) == 0
} else := lib.msg(
	sprintf("regimes.subjects%s", [law_variant(j)]),
	"data subjects in {countries}",
	{"countries": lib.join(", ", cs)},
) if {
	j.id in facts.subjects_settled_ids
} else := lib.msg(
	sprintf("regimes.subjects.activities%s", [law_variant(j)]),
	"data subjects in {countries} ({activities})",
	{"countries": lib.join(", ", cs), "activities": lib.join(", ", reached)},
) if {
	reached := {facts.activities[i].name | some i in acts; facts.scope_answer(j, facts.activities[i]) == "yes"}
	count(reached) > 0
} else := lib.msg(
	sprintf("regimes.subjects.open%s", [law_variant(j)]),
	"data subjects in {countries} (whether the law reaches them is open)",
	{"countries": lib.join(", ", cs)},
)

# law_variant(j): the suffix of a message that has a variant of its own for j's law (the PIPL).
law_variant(j) := ".cn_pipl" if j.regime == "cn_pipl"

else := ""

reasons contains r if {
	some j in facts.jurisdictions
	j.scope.citizens
	cits := [g | some g in facts.groups; facts.citizen(j, g); j.id in g.concerned_by; not j.id in g.located_in]
	count(cits) > 0
	r := object.union(
		{
			"jurisdiction": j.id,
			"basis": "citizens",
			"fields": [sprintf("%s.citizenship", [g.path]) | some g in cits],
			"certainty": "conditional",
			"question": [scope_confirmed_field(j)],
		},
		lib.why_fields(lib.msg("regimes.citizens", "citizens of {countries} among the data subjects abroad", {"countries": lib.join(", ", j.countries)})),
	)
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
	r := object.union(
		{
			"jurisdiction": j.id,
			"basis": "collected",
			"fields": sort([sprintf("activities[%d].collected_in", [i]) | some i in acts]),
			"certainty": certainty_of(q),
			"question": q,
		},
		lib.why_fields(lib.msg(
			"regimes.collected",
			"data collected in {countries} ({activities})",
			{"countries": lib.join(", ", cs), "activities": lib.join(", ", {facts.activities[i].name | some i in acts})},
		)),
	)
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
	e := object.union(
		{
			"id": j.regime,
			"name": j.name,
			"short": j.short,
			"fields": sort({f | some r in rs; some f in r.fields}),
			"citation": j.scope.citation,
			"jurisdiction": j.id,
			"last_reviewed": j.last_reviewed,
			"certainty": certainty[j.id],
			"capacity": capacity[j.id],
			"question": question_of(j, rs),
		},
		lib.why_fields(entry_why(j, rs)),
	)
}

# entry_why(j, rs): why law j applies, its reasons rs and its scope rule, as one message; the
# scope rule is the jurisdiction's data (scope.why), a message of its own (regimes.scope.<id>)
# whose English the catalogue keeps equal to the data (i18n tests).
entry_why(j, rs) := lib.msg("regimes.entry", "{reasons}. {scope}", {
	"reasons": lib.join("; ", {reason_msg(r) | some r in rs}),
	"scope": scope_msg(j),
})

# reason_msg(r): a reason's why as a message (its English text with its id and params).
reason_msg(r) := {"id": r.why_msg.id, "params": r.why_msg.params, "text": r.why}

# scope_msg(j): j's scope rule (scope.why) as a message without parameters.
scope_msg(j) := {"id": sprintf("regimes.scope.%s", [j.id]), "params": {}, "text": j.scope.why}

question_of(j, rs) := [] if certainty[j.id] == "firm"

else := question(rs)

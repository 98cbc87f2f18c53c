# GDPR capacity (controller or processor) per regime
#
# Who the GDPR and the UK GDPR bind in this deployment, and for which activities, computed from
# the questionnaire: the customer as controller (established there, Art. 3(1), or offering goods
# or services to, or monitoring, people there, Art. 3(2)); the vendor as controller or joint
# controller (established there); the vendor as processor established there (Art. 3(1): the
# processor obligations only, EDPB Guidelines 3/2018). A regime whose scope legal has answered
# "no" (deployment.scope_confirmed) drops out.
package piaflow.rules.gdpr

import data.piaflow.facts
import data.piaflow.lib
import data.piaflow.regimes

family := ["gdpr", "uk_gdpr"]

# family_jurisdiction[r]: the jurisdiction data of regime r in force on the assessment date. Read
# from all the data, not only from the candidates facts indexes: the vendor's country is not
# among the countries the questionnaire's people and customer name.
family_jurisdiction := {j.regime: j |
	some j in data.piaflow.jurisdictions
	j.regime in family
	lib.in_force(j)
}

family_countries := {r: {c | some c in j.countries} | some r, j in family_jurisdiction}

dep := facts.deployment

# customer_countries: where the customer is established (its seat and its other establishments
# whose processing uses or feeds the deployment).
customer_countries := {dep.customer_country} | {c | some c in object.get(dep, "customer_establishments", [])}

default customer_established(_) := false

customer_established(r) if lib.any_in(customer_countries, family_countries[r])

vendor_established(r) if dep.vendor_country in family_countries[r]

# scope_answer(r): legal's answer to "does this law reach the deployment?" (true, false, or
# undefined when not answered).
scope_answer(r) := object.get(dep, ["scope_confirmed", r], null)

dropped(r) if scope_answer(r) == false

# (facts.activities is an array: object.keys does not apply)
# regal ignore:use-object-keys
all_acts := {i | some i, _ in facts.activities}

# people_in[r]: the activities with data subjects located in the regime's countries.
people_in := {r: {i |
	some i, _ in facts.activities
	some g in facts.groups_by_activity[i]
	lib.any_in(g.countries, cs)
} |
	some r, cs in family_countries
}

# target_countries(a): the countries whose people activity a offers goods or services to, or
# monitors (activities[].targeted_countries, monitored_countries).
target_countries(a) := {c | some k in ["targeted_countries", "monitored_countries"]; some c in object.get(a, k, [])}

targets(r, i) if lib.any_in(target_countries(facts.activities[i]), family_countries[r])

# excluded(r, i): both targeting answers are given for activity i and neither names a country of
# the regime: Art. 3(2) does not reach the activity through its people.
excluded(r, i) if {
	a := facts.activities[i]
	"targeted_countries" in object.keys(a)
	"monitored_countries" in object.keys(a)
	not targets(r, i)
}

# art3_2_acts[r]: the activities that bring a controller not established there under the
# regime through its people (Art. 3(2)), unless the targeting answers exclude them.
art3_2_acts := {r: {i | some i in acts; not excluded(r, i)} | some r, acts in people_in}

# controller_all(r): the regime governs every activity as a controller's processing.
controller_all(r) if customer_established(r)

controller_all(r) if {
	vendor_established(r)
	dep.vendor_role in {"controller", "joint_controller"}
}

# controller_acts[r]: the activities the regime governs with controller capacity.
controller_acts := {r: acts |
	some r in family
	not dropped(r)
	acts := controller_scope(r)
}

controller_scope(r) := all_acts if controller_all(r)

controller_scope(r) := art3_2_acts[r] if not controller_all(r)

# controller_regimes: the regimes of the family that apply with controller capacity.
controller_regimes := {r | some r, acts in controller_acts; count(acts) > 0}

# processor_regimes: the regimes binding the vendor as a processor established there (Art. 3(1)).
processor_regimes := {r |
	some r in family
	not dropped(r)
	vendor_established(r)
	dep.vendor_role == "processor"
}

# processor_only: the regimes that bind only the vendor, as processor (the customer is neither
# established there nor caught by Art. 3(2)); duties.rego's controller texts do not fit them.
processor_only := processor_regimes - controller_regimes

family_regimes := controller_regimes | processor_regimes

# third_party_only: the regimes that bind, of this deployment's parties, only a third-party
# processor established there (facts.third_parties: a processors[] entry or a processor recipient
# of a transfer), while neither the customer nor the vendor is established there (Art. 3(1); EDPB
# Guidelines 3/2018: its processor obligations, not the controller's; the customer does not become
# subject by using it). The questionnaire's security, records and governance answers describe the
# customer's and the vendor's processing, not the third party's: only its own findings run
# (roles.rego), with the Chapter V rows of its onward transfers (rules/transfers).
third_party_only := {r |
	some r in family
	not dropped(r)
	not customer_established(r)
	not vendor_established(r)
	some p in facts.third_parties
	p.country in family_countries[r]
}

applies if count(family_regimes) > 0

# scope_acts[r]: every activity the regime governs (a processor established there processes all
# of the deployment's activities).
scope_acts := {r: acts |
	some r in family_regimes
	acts := object.get(controller_acts, r, set()) | processor_acts(r)
}

processor_acts(r) := all_acts if r in processor_regimes

processor_acts(r) := set() if not r in processor_regimes

# firm_art3_2(r): the customer's Art. 3(2) link is certain: legal confirmed the scope, or an
# activity with people there targets or monitors them.
firm_art3_2(r) if scope_answer(r) == true

firm_art3_2(r) if {
	some i in art3_2_acts[r]
	targets(r, i)
}

# capacity_text[r]: why the regime applies, by capacity, for the regime entry this package adds.
capacity_reasons(r) := [w |
	some w in [
		{
			"on": customer_established(r),
			"why": lib.msg("gdpr.capacity.customer", "the customer is established in {customer_country} (Art. 3(1))", {"customer_country": lib.join(", ", customer_countries & family_countries[r])}),
			"field": "deployment.customer_country",
		},
		{
			"on": vendor_controller(r),
			"why": lib.msg(sprintf("gdpr.capacity.vendor.%s", [dep.vendor_role]), sprintf("the vendor (%s) is established in {vendor_country} (Art. 3(1))", [dep.vendor_role]), {"vendor_country": dep.vendor_country}),
			"field": "deployment.vendor_country",
		},
		{
			"on": r in processor_only,
			"why": lib.msg("gdpr.capacity.vendor.processor", "the vendor (processor) is established in {vendor_country} (Art. 3(1)); processor obligations only", {"vendor_country": dep.vendor_country}),
			"field": "deployment.vendor_country",
		},
	]
	w.on
]

default vendor_controller(_) := false

vendor_controller(r) if {
	vendor_established(r)
	dep.vendor_role in {"controller", "joint_controller"}
}

# regime: the GDPR family entry for a regime this package applies by establishment while the
# jurisdiction scope rules (data.piaflow.regimes) do not list it yet — the vendor established
# there, or another establishment of the customer there.
regime contains e if {
	some r in family_regimes
	not regimes.applies(r)
	j := family_jurisdiction[r]
	rs := capacity_reasons(r)
	count(rs) > 0
	e := object.union(
		{
			"id": r,
			"name": j.name,
			"short": j.short,
			"fields": sort({w.field | some w in rs}),
			"citation": j.scope.citation,
			"jurisdiction": j.id,
			"last_reviewed": j.last_reviewed,
		},
		lib.why_fields(regime_why(r, j, rs)),
	)
}

# regime_why is the regime entry's reason: the capacities that bring the regime in (in the
# order of capacity_reasons, which is also their English order), then the law's scope
# provision (the jurisdiction data's scope.why, a message of its own per regime).
regime_why(r, j, rs) := lib.msg("gdpr.capacity.why", "{reasons}. {scope}", {
	"reasons": lib.join("; ", [w.why | some w in rs]),
	"scope": lib.msg(sprintf("gdpr.scope.%s", [r]), j.scope.why, {}),
})

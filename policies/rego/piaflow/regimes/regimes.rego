# METADATA
# title: Applicable regimes
# description: >-
#   Which data-protection laws apply, and why, from each jurisdiction's scope rule
#   (establishment of the customer, location of the data subjects, their citizenship).
package piaflow.regimes

import data.piaflow.facts
import data.piaflow.lib

reasons contains r if {
	some j in facts.jurisdictions
	j.scope.establishment
	facts.deployment.customer_country in j.countries
	r := {
		"jurisdiction": j.id,
		"why": sprintf("the customer is established in %s", [facts.deployment.customer_country]),
		"fields": ["deployment.customer_country"],
	}
}

reasons contains r if {
	some j in facts.jurisdictions
	j.scope.subjects
	located := facts.located_groups[j.id]
	count(located) > 0
	cs := {c | some g in located; some c in g.countries; c in j.countries}
	r := {
		"jurisdiction": j.id,
		"why": sprintf("data subjects in %s", [lib.list(cs)]),
		"fields": [sprintf("%s.countries", [g.path]) | some g in located],
	}
}

reasons contains r if {
	some j in facts.jurisdictions
	j.scope.citizens
	cits := [g | some g in facts.groups; j.id in g.concerned_by; not j.id in g.located_in]
	count(cits) > 0
	r := {
		"jurisdiction": j.id,
		"why": sprintf("citizens of %s among the data subjects abroad", [lib.list(j.countries)]),
		"fields": [sprintf("%s.citizenship", [g.path]) | some g in cits],
	}
}

applicable_ids := {r.jurisdiction | some r in reasons}

# applicable: the jurisdictions (data) whose law applies.
applicable := [facts.jurisdiction_by_id[id] | some id in applicable_ids]

applicable_regimes := {j.regime | some j in applicable}

applies(regime) if regime in applicable_regimes

entries contains e if {
	some j in applicable
	rs := [r | some r in reasons; r.jurisdiction == j.id]
	e := {
		"id": j.regime,
		"name": j.name,
		"short": j.short,
		"why": sprintf("%s. %s", [concat("; ", sort({r.why | some r in rs})), j.scope.why]),
		"fields": sort({f | some r in rs; some f in r.fields}),
		"citation": j.scope.citation,
		"jurisdiction": j.id,
		"last_reviewed": j.last_reviewed,
	}
}

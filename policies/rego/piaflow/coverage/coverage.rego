# METADATA
# title: Coverage of the policy library
# description: >-
#   Which countries of the deployment (where its people are, where the customer, the vendor, the
#   processors, the hosting sites and the recipients are established) have a law in the library,
#   which are covered only in part (policies/data/coverage.json), and whether any law of the
#   library applies at all. A country without a law in the library is not a country without a law:
#   the assessment says so and is never ready on that assumption.
package piaflow.coverage

import data.piaflow.facts
import data.piaflow.lib
import data.piaflow.regimes

# covered[c]: the countries of the deployment with a jurisdiction file in force.
covered := {c |
	some c in countries
	some id in object.get(data.piaflow.country_index, c, [])
	lib.in_force(facts.all_jurisdictions_by_id[id])
}

partial_by := {p.country: p | some p in data.piaflow.coverage_notes.partial}

no_territorial := {n.country | some n in data.piaflow.coverage_notes.no_territorial_law}

# occurrences: [country, role, questionnaire path] for every country the deployment names.
occurrences contains [c, "subjects", sprintf("%s.countries", [g.path])] if {
	some g in facts.groups
	some c in g.countries
}

occurrences contains [c, "subjects", sprintf("%s.citizenship", [g.path])] if {
	some g in facts.groups
	some c in g.citizenship
	not c in g.countries
}

occurrences contains [facts.deployment.customer_country, "customer", "deployment.customer_country"]

occurrences contains [c, "customer", sprintf("deployment.customer_establishments[%d]", [k])] if {
	some k, c in object.get(facts.deployment, "customer_establishments", [])
}

occurrences contains [facts.vendor_country, "vendor", "deployment.vendor_country"] if facts.vendor_country != ""

occurrences contains [p.country, "processor", sprintf("processors[%d].country", [k])] if {
	some k, p in facts.processors
}

occurrences contains [h.country, "host", sprintf("hosting[%d].country", [k])] if {
	some k, h in facts.hosting
}

occurrences contains [t.to_country, "recipient", sprintf("activities[%d].transfers[%d].to_country", [i, k])] if {
	some i, a in facts.activities
	some k, t in object.get(a, "transfers", [])
}

occurrences contains [t.recipient_country, "recipient", sprintf("activities[%d].transfers[%d].recipient_country", [i, k])] if {
	some i, a in facts.activities
	some k, t in object.get(a, "transfers", [])
	t.recipient_country
}

countries := {o[0] | some o in occurrences}

# establishment roles: a processor, host or recipient in a country listed in no_territorial_law
# raises no gap there (its law does not govern foreign people's data); people or a customer do.
establishment_roles := {"vendor", "processor", "host", "recipient"}

gap_roles := {c: rs |
	some c in countries
	not c in covered
	roles := {o[1] | some o in occurrences; o[0] == c}
	rs := roles_that_count(c, roles)
	count(rs) > 0
}

roles_that_count(c, roles) := roles - establishment_roles if c in no_territorial

else := roles

gap_fields := {c: sort({o[2] | some o in occurrences; o[0] == c; o[1] in rs}) | some c, rs in gap_roles}

# uncovered: the countries whose law the library does not hold, with the roles that make it matter.
uncovered := [{"country": c, "roles": ordered(rs), "fields": gap_fields[c]} |
	some c, rs in gap_roles
	not partial_by[c]
]

# partial: the countries whose laws the library holds only in part.
partial := [{"country": c, "roles": ordered(rs), "covered": p.covered, "not_covered": p.not_covered, "fields": gap_fields[c]} |
	some c, rs in gap_roles
	p := partial_by[c]
]

# applicable: every regime that applies (jurisdiction data and the rule packages' own regimes).
# The ref names `regime` under every rule package: iterating the packages themselves
# (some pkg in data.piaflow.rules) would make this depend on all of data.piaflow.rules, tests
# included, which the compiler rejects as recursion through main.result.
# regal ignore:mixed-iteration
applicable := regimes.applicable_regimes | {r | some r in data.piaflow.rules[_].regime}

# no_law: no law of the library applies (the DOJ rule alone, which governs US persons' data
# reaching countries of concern, does not count as data-protection coverage).
no_law if count(applicable - {"us_dsp"}) == 0

# some_law: the complement of no_law.
some_law if count(applicable - {"us_dsp"}) > 0

default status := "covered"

status := "none" if no_law

status := "partial" if {
	some_law
	count(gap_roles) > 0
}

# block: the assessment's coverage block.
block := {"status": status, "uncovered": uncovered, "partial": partial}

role_order := ["subjects", "customer", "vendor", "processor", "host", "recipient"]

ordered(rs) := [r | some r in role_order; r in rs]

role_words := {"subjects": "data subjects", "customer": "customer", "vendor": "vendor", "processor": "processor", "host": "hosting", "recipient": "recipient"}

# describe: a country piaflow does not cover, with the roles that make it matter (in role_order)
# and, for a partly covered one, what is not covered (coverage.json's text, English for now).
describe(e) := lib.msg("coverage.gap", "{country} ({roles})", {"country": e.country, "roles": roles_msg(e.roles)}) if not e.not_covered

else := lib.msg("coverage.gap.partial", "{country} ({roles}: {not_covered_text})", {"country": e.country, "roles": roles_msg(e.roles), "not_covered_text": e.not_covered})

roles_msg(roles) := lib.join_ordered(", ", [lib.msg(sprintf("coverage.role.%s", [r]), role_words[r], {}) | some r in roles])

# gaps: the countries piaflow does not cover, sorted.
gaps := lib.join("; ", {describe(e) | some e in array.concat(uncovered, partial)})

# METADATA
# title: No law of the library applies
# description: >-
#   None of the data-protection laws piaflow holds applies to the deployment, so it has nothing to
#   check it against. That is not a finding that no law applies: the laws of the countries where
#   the people, the customer and the vendor are must be reviewed by a lawyer. The verdict is not
#   ready while this stands.
# related_resources:
#   - ref: https://unctad.org/page/data-protection-and-privacy-legislation-worldwide
#     description: UNCTAD register of data protection and privacy legislation worldwide
# custom:
#   id: COVERAGE-NO-LAW
#   regime: coverage
#   ref: piaflow coverage (docs/policies.md, Coverage)
#   kind: needs_review
#   severity: high
#   owner: legal
#   action: Have a lawyer review the laws of the deployment's countries
findings contains object.union(lib.finding(rego.metadata.rule(), detail, fields), {"citation": citation}) if {
	no_law
	cs := {o[0] | some o in occurrences; o[1] in {"subjects", "customer", "vendor"}}
	fields := {o[2] | some o in occurrences; o[1] in {"subjects", "customer", "vendor"}}
	detail := no_law_detail(cs)
}

no_law_detail(cs) := lib.msg("coverage.no_law.gaps", "None of the laws in piaflow's library applies to this deployment (people, customer and vendor in {country}). The library covers {count} laws; the countries' own laws must be reviewed. Not covered: {gaps}.", {
	"country": lib.join(", ", cs),
	"count": sprintf("%d", [count(data.piaflow.jurisdictions)]),
	"gaps": gaps,
}) if {
	count(gap_roles) > 0
} else := lib.msg("coverage.no_law", "None of the laws in piaflow's library applies to this deployment (people, customer and vendor in {country}). The library covers {count} laws; the countries' own laws must be reviewed.", {"country": lib.join(", ", cs), "count": sprintf("%d", [count(data.piaflow.jurisdictions)])})

citation := {"ref": data.piaflow.coverage_notes.citation.ref, "url": data.piaflow.coverage_notes.citation.url, "secondary": true}

# METADATA
# title: Countries whose law the library does not cover
# description: >-
#   Some country of the deployment has no law in piaflow's library, or only part of its laws
#   (policies/data/coverage.json): where people or the customer are, its law may govern the
#   processing (medium); where only a vendor, processor, hosting site or recipient is, its law may
#   bind them (low; not raised for countries where piaflow's review found no law governing
#   foreign people's data there). The assessment cannot be ready until a lawyer has reviewed them.
# related_resources:
#   - ref: https://unctad.org/page/data-protection-and-privacy-legislation-worldwide
#     description: UNCTAD register of data protection and privacy legislation worldwide
# custom:
#   id: COVERAGE-GAPS
#   regime: coverage
#   ref: piaflow coverage (docs/policies.md, Coverage)
#   kind: needs_review
#   severity: medium
#   owner: legal
#   action: Have a lawyer review the laws of the countries piaflow does not cover
findings contains object.union(lib.finding_with(rego.metadata.rule(), detail, fields, {"severity": gap_severity}), {"citation": citation}) if {
	some_law
	count(gap_roles) > 0
	fields := {f | some fs in gap_fields; some f in fs}
	detail := lib.msg("coverage.gaps", "piaflow's library does not cover the law of: {gaps}. Its findings say nothing about these laws.", {"gaps": gaps})
}

default gap_severity := "low"

gap_severity := "medium" if {
	some rs in gap_roles
	some r in rs
	r in {"subjects", "customer"}
}

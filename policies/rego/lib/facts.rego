# METADATA
# title: Facts derived from the questionnaire
# description: >-
#   Flattened views of the questionnaire that the rules share: data-subject groups, destinations
#   of every activity (hosting sites and transfers), scale, and the jurisdictions in force.
package piaflow.facts

import data.piaflow.lib

q := input.questionnaire

deployment := q.deployment

activities := q.activities

hosting := q.hosting

processors := object.get(q, "processors", [])

security := q.security

governance := q.governance

catalog := data.piaflow.catalog

customer_type := object.get(deployment, "customer_type", "organisation")

# jurisdictions in force on the assessment date.
jurisdictions := [j | some j in data.piaflow.jurisdictions; lib.in_force(j)]

categories[i] := {c | some c in a.data_categories} if some i, a in activities

# groups: one entry per data-subject group.
groups := [g |
	some i, a in activities
	some k, s in a.data_subjects
	g := {
		"activity": i,
		"index": k,
		"path": sprintf("activities[%d].data_subjects[%d]", [i, k]),
		"type": s.type,
		"countries": s.countries,
		"citizenship": object.get(s, "citizenship", s.countries),
		"count": s.count,
		"vulnerable": s.vulnerable,
	}
]

subject_count[i] := sum([g.count | some g in groups; g.activity == i]) if some i, _ in activities

all_subject_countries := {c | some g in groups; some c in g.countries}

# Recital 91: the patients or clients of an individual physician, health professional or lawyer
# are not processed on a large scale.
large_scale[i] := is_large(i) if some i, _ in activities

is_large(i) := true if {
	customer_type != "individual_practitioner"
	subject_count[i] >= catalog.large_scale_subjects
} else := false

processor_by_name[p.name] := p if some p in processors

# the processor operating a hosting site: named explicitly, else the processor named like the
# provider (case-insensitive).
hosting_processor(h) := processor_by_name[h.processor]

hosting_processor(h) := p if {
	not h.processor
	some p in processors
	lower(p.name) == lower(h.provider)
}

hosting_certifications(h) := object.get(hosting_processor(h), "certifications", [])

hosting_certifications(h) := [] if not hosting_processor(h)

# destinations[i]: every place activity i's data goes to or is reached from.
destinations[i] := array.concat(
	[d |
		some hi, h in hosting
		d := {
			"kind": "hosting",
			"key": sprintf("hosting[%d]", [hi]),
			"name": h.name,
			"country": h.country,
			"country_field": sprintf("hosting[%d].country", [hi]),
			"mechanism": object.get(h, "mechanism", "unknown"),
			"mechanism_field": sprintf("hosting[%d].mechanism", [hi]),
			"role": h.role,
			"access": "storage",
			"recipient_type": "processor",
			"certifications": hosting_certifications(h),
			"filing": "none",
			"filing_field": sprintf("hosting[%d]", [hi]),
			"exemption": "none",
		}
	],
	[d |
		some ti, t in object.get(a, "transfers", [])
		p := sprintf("activities[%d].transfers[%d]", [i, ti])
		d := {
			"kind": "transfer",
			"key": p,
			"name": t.recipient,
			"country": t.to_country,
			"country_field": concat("", [p, ".to_country"]),
			"mechanism": t.mechanism,
			"mechanism_field": concat("", [p, ".mechanism"]),
			"role": "",
			"access": t.access,
			"recipient_type": t.recipient_type,
			"certifications": object.get(t, "recipient_certifications", []),
			"filing": object.get(t, "regulator_filing", "none"),
			"filing_field": concat("", [p, ".regulator_filing"]),
			"exemption": object.get(t, "exemption", "none"),
		}
	],
) if some i, a in activities

# --- jurisdiction-relative facts -------------------------------------------------------------

# located(j, g): the group's people are in the jurisdiction.
located(j, g) if lib.any_in(g.countries, j.countries)

# citizen(j, g): the group's people are citizens of the jurisdiction.
citizen(j, g) if lib.any_in(g.citizenship, j.countries)

# concerned(j, g): the group's data is governed by j (located there, or citizens where the law
# follows citizenship).
concerned(j, g) if located(j, g)

concerned(j, g) if {
	j.scope.citizens
	citizen(j, g)
}

concerns_activity(j, i) if {
	some g in groups
	g.activity == i
	concerned(j, g)
}

sensitive_activity(j, i) if lib.any_in(categories[i], j.sensitive_categories)

# cross_border(j, i): some destination of activity i lies outside the jurisdiction.
cross_border(j, i) if {
	some d in destinations[i]
	not d.country in j.countries
}

count_for(j, i) := sum([g.count | some g in groups; g.activity == i; concerned(j, g)])

# totals over the deployment: all activities; exported (activities leaving the country);
# sensitive exported.
totals(j) := {
	"all": sum([count_for(j, i) | some i, _ in activities; concerns_activity(j, i)]),
	"export": sum([count_for(j, i) | some i, _ in activities; concerns_activity(j, i); cross_border(j, i)]),
	"sensitive_export": sum([count_for(j, i) | some i, _ in activities; concerns_activity(j, i); cross_border(j, i); sensitive_activity(j, i)]),
	"sensitive_all": sum([count_for(j, i) | some i, _ in activities; concerns_activity(j, i); sensitive_activity(j, i)]),
}

# --- conditions of the jurisdiction data (policies/jurisdiction.go: Condition) ---------------

# holds(w, j, i, ctx): every key of condition w holds for activity i under j. ctx carries
# "count", "sensitive_count" and, for transfer tiers, "adequate".
holds(w, j, i, ctx) if not fails(w, j, i, ctx)

fails(w, j, i, ctx) if {
	some k, v in w
	not cond(k, v, j, i, ctx)
}

cond("categories_any", v, _, i, _) if lib.any_in(categories[i], v)

cond("sensitive", true, j, i, _) if sensitive_activity(j, i)

cond("sensitive", false, j, i, _) if not sensitive_activity(j, i)

cond("sectors_any", v, _, _, _) if deployment.sector in v

cond("customer_types_any", v, _, _, _) if customer_type in v

cond("subject_types_any", v, j, i, _) if {
	some g in groups
	g.activity == i
	concerned(j, g)
	g.type in v
}

cond("critical_infrastructure", v, _, _, _) if deployment.critical_infrastructure == v

cond("important_data", v, _, i, _) if object.get(activities[i], "important_data", false) == v

cond("citizens", true, j, i, _) if {
	some g in groups
	g.activity == i
	citizen(j, g)
}

cond("min_subjects", v, _, _, ctx) if ctx.count >= v

cond("min_sensitive_subjects", v, j, i, ctx) if {
	sensitive_activity(j, i)
	ctx.sensitive_count >= v
}

cond("large_scale", v, _, i, _) if large_scale[i] == v

cond("systematic_monitoring", v, _, i, _) if activities[i].systematic_monitoring == v

cond("core_activity", v, _, i, _) if object.get(activities[i], "core_activity", false) == v

cond("automated_decisions", v, _, i, _) if activities[i].automated_decisions == v

cond("cross_border", true, j, i, _) if cross_border(j, i)

cond("cross_border", false, j, i, _) if not cross_border(j, i)

cond("foreign", true, j, _, _) if not deployment.customer_country in j.countries

cond("foreign", false, j, _, _) if deployment.customer_country in j.countries

cond("destination_adequate", v, _, _, ctx) if ctx.adequate == v

# duty_ctx is the context for duties and localisation rules: counts over all activities.
duty_ctx(j) := {"count": t.all, "sensitive_count": t.sensitive_all, "adequate": false} if t := totals(j)

# METADATA
# title: US DOJ Data Security Program (28 CFR Part 202)
# description: >-
#   Bulk US sensitive personal data reachable from a country of concern (China incl. Hong Kong and
#   Macau, Russia, Iran, North Korea, Cuba, Venezuela). In effect from 8 April 2025; applies
#   outside HIPAA.
package piaflow.rules.us_dsp

import data.piaflow.facts
import data.piaflow.lib

dsp := facts.catalog.us_dsp

in_force if lib.in_force(dsp)

# us_persons[i]: the people in the US among activity i's data subjects.
us_persons := {i: sum([g.count | some g in facts.groups_by_activity[i]; "US" in g.countries]) | some i, _ in facts.activities}

# bulk: a category of US persons' data over its bulk threshold, counted over all activities
# holding that category (the rule aggregates a person's data across transactions).
bulk contains b if {
	in_force
	"US" in facts.all_subject_countries
	some t in dsp.thresholds
	acts := {i | some i, _ in facts.activities; t.category in facts.categories[i]; us_persons[i] > 0}
	sum([us_persons[i] | some i in acts]) > t.min
	some i in acts
	b := {"label": t.label, "activity": i}
}

# access from countries of concern: hosting, transfers, processors or the vendor itself.
access contains a if {
	some hi, h in facts.hosting
	h.country in dsp.countries_of_concern
	a := {"where": sprintf("hosting %q in %s", [h.name, h.country]), "field": sprintf("hosting[%d].country", [hi])}
}

access contains a if {
	some b in bulk
	some k, t in object.get(facts.activities[b.activity], "transfers", [])
	t.to_country in dsp.countries_of_concern
	a := {"where": sprintf("%s in %s", [t.recipient, t.to_country]), "field": sprintf("activities[%d].transfers[%d].to_country", [b.activity, k])}
}

access contains a if {
	some k, p in facts.processors
	p.country in dsp.countries_of_concern
	a := {"where": sprintf("processor %q in %s", [p.name, p.country]), "field": sprintf("processors[%d].country", [k])}
}

access contains a if {
	facts.deployment.vendor_country in dsp.countries_of_concern
	a := {"where": sprintf("the vendor, established in %s", [facts.deployment.vendor_country]), "field": "deployment.vendor_country"}
}

regime contains r if {
	count(bulk) > 0
	r := {
		"id": "us_dsp",
		"name": "US DOJ Data Security Program (28 CFR Part 202)",
		"short": "DOJ DSP",
		"why": sprintf("bulk US sensitive personal data: %s", [lib.list({b.label | some b in bulk})]),
		"fields": sort({sprintf("activities[%d].data_categories", [b.activity]) | some b in bulk}),
		"citation": dsp.citation,
	}
}

# METADATA
# title: Bulk US sensitive data reachable from a country of concern
# description: >-
#   Data brokerage with a country of concern or covered person is prohibited, and so is any
#   covered transaction giving such access to bulk human 'omic data or biospecimens (28 CFR
#   202.303); vendor, employment and investment agreements giving access to other bulk data are
#   restricted transactions allowed only under the CISA security requirements (28 CFR 202.401).
#   Whether this deployment is prohibited or restricted, and compliant, is for counsel.
# related_resources:
#   - ref: https://www.ecfr.gov/current/title-28/chapter-I/part-202
#     description: 28 CFR Part 202
# custom:
#   id: US-DSP-COUNTRY-OF-CONCERN
#   regime: us_dsp
#   ref: 28 CFR 202.205, 202.401
#   kind: needs_review
#   severity: blocker
#   owner: legal
#   action: Have counsel classify the transaction and apply the CISA security requirements or remove the access
findings contains lib.finding(rego.metadata.rule(), detail, {a.field | some a in access} | {sprintf("activities[%d].data_categories", [b.activity]) | some b in bulk}) if {
	count(bulk) > 0
	count(access) > 0
	detail := sprintf("%s is reachable from a country of concern: %s.", [lib.list({b.label | some b in bulk}), concat("; ", sort({a.where | some a in access}))])
}

# METADATA
# title: US DOJ Data Security Program (28 CFR Part 202)
# description: >-
#   Bulk US sensitive personal data reachable by a country of concern (China incl. Hong Kong and
#   Macau, Russia, Iran, North Korea, Cuba, Venezuela) or a covered person. Prohibited: data
#   brokerage with them (202.301) and any covered data transaction giving them access to bulk
#   human 'omic data (202.303). Restricted: vendor, employment and investment agreements giving
#   them access to other bulk data, allowed only under the CISA security requirements (202.401,
#   202.248). The rule binds US persons. In effect from 8 April 2025; applies outside HIPAA.
package piaflow.rules.us_dsp

import data.piaflow.facts
import data.piaflow.lib

dsp := facts.catalog.us_dsp

in_force if lib.in_force(dsp)

coc := {c | some c in dsp.countries_of_concern}

# us_persons[i]: the people in the US among activity i's data subjects.
us_persons := {i: sum([g.count | some g in facts.groups_by_activity[i]; "US" in g.countries]) | some i, _ in facts.activities}

# bulk: a category of US persons' data over its bulk threshold ("more than", 202.205), counted
# over all activities holding that category (the rule aggregates a person's data across
# transactions).
bulk contains b if {
	in_force
	"US" in facts.all_subject_countries
	some t in dsp.thresholds
	acts := {i | some i, _ in facts.activities; t.category in facts.categories[i]; us_persons[i] > 0}
	sum([us_persons[i] | some i in acts]) > t.min
	some i in acts
	b := {"label": t.label, "category": t.category, "activity": i, "omic": object.get(t, "omic", false)}
}

bulk_acts := {b.activity | some b in bulk}

omic_acts := {b.activity | some b in bulk; b.omic}

# --- who can reach the data: countries of concern and covered persons (202.211) ---------------

# access: the places and parties from which a country of concern or a covered person can reach
# the data; kind is the transaction (vendor, employment, or a recipient that may be data
# brokerage); acts the activities it reaches ("all" for hosting, processors and the vendor).
access contains a if {
	some hi, h in facts.hosting
	h.country in coc
	a := {"key": sprintf("hosting[%d]", [hi]), "where": lib.msg("us_dsp.where.hosting", "hosting {name} in {country}", {"name": sprintf("%q", [h.name]), "country": h.country}), "field": sprintf("hosting[%d].country", [hi]), "kind": "vendor", "acts": "all"}
}

access contains a if {
	some k, p in facts.processors
	p.country in coc
	a := {"key": sprintf("processors[%d]", [k]), "where": lib.msg("us_dsp.where.processor", "processor {name} in {country}", {"name": sprintf("%q", [p.name]), "country": p.country}), "field": sprintf("processors[%d].country", [k]), "kind": "vendor", "acts": "all"}
}

access contains a if {
	some k, p in facts.processors
	not p.country in coc
	p.country != "US"
	p.parent_country in coc
	where := lib.msg("us_dsp.where.processor_owned", "processor {name} in {country}, owned from {parent_country}", {"name": sprintf("%q", [p.name]), "country": p.country, "parent_country": p.parent_country})
	a := {"key": sprintf("processors[%d]", [k]), "where": where, "field": sprintf("processors[%d].parent_country", [k]), "kind": "vendor", "acts": "all"}
}

access contains a if {
	facts.deployment.vendor_country in coc
	a := {"key": "vendor", "where": lib.msg("us_dsp.where.vendor", "the vendor, established in {country}", {"country": facts.deployment.vendor_country}), "field": "deployment.vendor_country", "kind": "vendor", "acts": "all"}
}

access contains a if {
	some i in bulk_acts
	some k, t in object.get(facts.activities[i], "transfers", [])
	path := sprintf("activities[%d].transfers[%d]", [i, k])
	reason := transfer_covered(t, path)
	a := {"key": path, "where": recipient_where(t.recipient, reason), "field": reason.field, "kind": transfer_kind[t.recipient_type], "acts": {i}}
}

# transfer_covered: why the recipient is a country of concern or a covered person (its country,
# and the country it is owned from where that decides).
transfer_covered(t, path) := {"country": t.to_country, "field": concat("", [path, ".to_country"])} if t.to_country in coc

else := {"country": t.recipient_country, "field": concat("", [path, ".recipient_country"])} if t.recipient_country in coc

else := {"country": object.get(t, "recipient_country", t.to_country), "parent_country": t.recipient_parent_country, "field": concat("", [path, ".recipient_parent_country"])} if {
	object.get(t, "recipient_country", t.to_country) != "US"
	t.recipient_parent_country in coc
}

# recipient_where names a recipient and where it is (and owned from) as a message.
recipient_where(recipient, reason) := lib.msg("us_dsp.where.recipient_owned", "{recipient} in {country}, owned from {parent_country}", {"recipient": recipient, "country": reason.country, "parent_country": reason.parent_country}) if {
	reason.parent_country
} else := lib.msg("us_dsp.where.recipient", "{recipient} in {country}", {"recipient": recipient, "country": reason.country})

# transfer_kind: the covered data transaction a recipient type makes (202.210, 202.214, 202.217,
# 202.258): staff abroad are employment, service providers are vendor agreements, and giving the
# data to another controller or a public body is data brokerage when it is sold or licensed.
transfer_kind := {
	"own_staff": "employment",
	"vendor_affiliate": "vendor",
	"processor": "vendor",
	"sub_processor": "vendor",
	"controller": "recipient",
	"public_authority": "recipient",
}

reaches(a, _) if a.acts == "all"

reaches(a, i) if {
	is_set(a.acts)
	i in a.acts
}

# --- scope: the rule binds US persons ----------------------------------------------------------

# us_party: a US person is party to the deployment's transactions (the customer established in
# the US, or an establishment of it there, or the vendor).
us_party if "US" in ({facts.deployment.customer_country, facts.deployment.vendor_country} | {c | some c in object.get(facts.deployment, "customer_establishments", [])})

scope_fields := ["deployment.customer_country", "deployment.vendor_country"]

scope_question := " The rule binds US persons: is a US person (the customer, a US establishment of it, or the vendor) party to the transaction?"

# scoped: a finding of a transaction whose US party is not certain becomes a review of at most
# medium severity naming the question. Its detail_msg, when it has one, nests the finding's own
# (us_dsp.unscoped); without one the detail stays plain English.
scoped(f) := f if us_party

scoped(f) := object.union_n([
	object.remove(f, ["detail_msg"]),
	{
		"kind": "needs_review",
		"severity": sev,
		"detail": concat("", [f.detail, scope_question]),
		"fields": sort({x | some x in array.concat(f.fields, scope_fields)}),
		"action": lib.action_at(f.action, sev),
	},
	unscoped_msg(f),
]) if {
	not us_party
	sev := min_medium[f.severity]
}

unscoped_msg(f) := {"detail_msg": {"id": "us_dsp.unscoped", "params": {"detail": f.detail_msg}}} if f.detail_msg

else := {}

min_medium := {"blocker": "medium", "high": "medium", "medium": "medium", "low": "low", "info": "info"}

# labels is the bulk data of the activities as a list parameter, one message per category (the
# English text of each is the catalogue's label, threshold included).
labels(acts) := lib.join(", ", {lib.msg(sprintf("us_dsp.label.%s", [b.category]), b.label, {}) | some b in bulk; b.activity in acts})

category_fields(acts) := {sprintf("activities[%d].data_categories", [i]) | some i in acts}

regime contains r if {
	count(bulk) > 0
	r := object.union(
		{
			"id": "us_dsp",
			"name": "US DOJ Data Security Program (28 CFR Part 202)",
			"short": "DOJ DSP",
			"fields": sort({sprintf("activities[%d].data_categories", [b.activity]) | some b in bulk}),
			"citation": dsp.citation,
		},
		# the why names each category's bulk threshold label (us_dsp.label.*), so it reads in
		# the reader's language
		lib.why_fields(lib.msg("us_dsp.regime", "bulk US sensitive personal data: {labels}", {"labels": labels(bulk_acts)})),
	)
}

# --- prohibited transactions (202.301, 202.303) ------------------------------------------------

# prohibited: [access, activities, reason] of the prohibited transactions.
prohibited contains p if {
	some a in access
	a.kind in {"vendor", "employment"}
	acts := {i | some i in omic_acts; reaches(a, i)}
	count(acts) > 0
	p := {"key": a.key, "field": a.field, "acts": acts, "why": lib.msg("us_dsp.why.omic", "{where} can reach bulk human 'omic data (202.303)", {"where": a.where})}
}

prohibited contains p if {
	some a in access
	a.kind == "recipient"
	some i in a.acts
	facts.activities[i].data_brokerage == true
	p := {"key": a.key, "field": a.field, "acts": {i}, "why": lib.msg("us_dsp.why.brokerage", "{where} receives the data of activity {activity} by data brokerage (202.301)", {"where": a.where, "activity": sprintf("%q", [facts.activities[i].name])})}
}

prohibited_keys := {p.key | some p in prohibited}

# METADATA
# title: Prohibited transaction with a country of concern or covered person
# description: >-
#   No US person may knowingly engage in data brokerage with a country of concern or covered
#   person (28 CFR 202.301), nor in any covered data transaction giving them access to bulk human
#   'omic data or to human biospecimens from which it could be derived (202.303). No security
#   requirement makes these transactions allowed; only a DOJ licence (subpart H) does.
# related_resources:
#   - ref: https://www.ecfr.gov/current/title-28/chapter-I/part-202
#     description: 28 CFR 202.301, 202.303
# custom:
#   id: US-DSP-PROHIBITED
#   regime: us_dsp
#   ref: 28 CFR 202.211, 202.301, 202.303
#   kind: violation
#   severity: blocker
#   owner: legal
#   action: Stop the transaction or remove the access; only a DOJ licence can authorise it
#   confirm: A parent company in a country of concern is read as 50% or more ownership (28 CFR 202.211(a)(1)).
findings contains scoped(lib.finding(rego.metadata.rule(), detail, fields)) if {
	count(prohibited) > 0
	acts := {i | some p in prohibited; some i in p.acts}
	detail := lib.msg("us_dsp.prohibited", "Prohibited: {reasons}. Bulk data concerned: {labels}.", {"reasons": lib.join("; ", {p.why | some p in prohibited}), "labels": labels(acts)})
	fields := {p.field | some p in prohibited} | category_fields(acts)
}

# --- restricted transactions (202.401) ----------------------------------------------------------

# restricted: vendor and employment access to bulk data other than 'omic data, where the same
# access is not already prohibited (subpart D does not apply to 'omic data, 202.401(b)).
restricted contains r if {
	some a in access
	a.kind in {"vendor", "employment"}
	not a.key in prohibited_keys
	acts := {i | some i in bulk_acts; reaches(a, i)}
	count(acts) > 0
	r := {"where": a.where, "field": a.field, "acts": acts}
}

cisa := object.get(facts.security, "cisa_security_requirements", null)

# restricted_kind: the CISA security requirements applied (allowed, with the due diligence,
# audit and record duties of subpart J still to check), not applied (the transaction is then
# prohibited, 202.401 Example 2), or unanswered.
default restricted_kind := {"kind": "needs_review", "severity": "high"}

restricted_kind := {"kind": "needs_review", "severity": "low"} if cisa == true

restricted_kind := {"kind": "violation", "severity": "blocker"} if cisa == false

# cisa_variant names the restricted-transaction message by the CISA answer.
default cisa_variant := "unanswered"

cisa_variant := "applied" if cisa == true

cisa_variant := "not_applied" if cisa == false

default restricted_text := "Are the CISA security requirements (202.248) applied? Answer security.cisa_security_requirements; without them the transaction is prohibited (202.401(a))."

restricted_text := "The CISA security requirements are applied (security.cisa_security_requirements): the transaction is allowed as a restricted transaction; the data compliance program, annual audit and records of subpart J (202.1001-202.1002) still apply." if cisa == true

restricted_text := "The CISA security requirements are not applied (security.cisa_security_requirements: false): without them the transaction is prohibited (202.401(a), Example 2)." if cisa == false

# METADATA
# title: Restricted transaction with a country of concern or covered person
# description: >-
#   A vendor, employment or investment agreement giving a country of concern or a covered person
#   access to bulk US sensitive personal data is a restricted transaction: allowed only if the US
#   person applies the CISA security requirements (28 CFR 202.401, 202.248) and runs the data
#   compliance program and audits of subpart J; without them it is prohibited.
# related_resources:
#   - ref: https://www.ecfr.gov/current/title-28/chapter-I/part-202
#     description: 28 CFR 202.205, 202.211, 202.401, 202.248, 202.1001-202.1002
# custom:
#   id: US-DSP-COUNTRY-OF-CONCERN
#   regime: us_dsp
#   ref: 28 CFR 202.205, 202.401, 202.248
#   kind: needs_review
#   severity: high
#   owner: legal
#   action: Apply the CISA security requirements and the subpart J due diligence and audits, or remove the access
#   confirm: A parent company in a country of concern is read as 50% or more ownership (28 CFR 202.211(a)(1)).
findings contains scoped(lib.finding_with(rego.metadata.rule(), detail, fields, restricted_kind)) if {
	count(restricted) > 0
	acts := {i | some r in restricted; some i in r.acts}
	detail := lib.msg(sprintf("us_dsp.restricted.%s", [cisa_variant]), concat("", ["Restricted: {labels} is reachable from a country of concern or by a covered person: {places}. ", restricted_text]), {"labels": labels(acts), "places": lib.join("; ", {r.where | some r in restricted})})
	fields := ({r.field | some r in restricted} | category_fields(acts)) | {"security.cisa_security_requirements"}
}

# --- data brokerage questions (202.214, 202.302) ----------------------------------------------

# METADATA
# title: Is the transfer data brokerage?
# description: >-
#   Giving bulk US sensitive personal data to another controller or a public body in a country
#   of concern, or owned from one, is prohibited if it is data brokerage — the sale or licensing
#   of access to data, or a similar commercial transaction, to a recipient that did not collect
#   it from the people (28 CFR 202.214, 202.301); the activity's answer is missing.
# related_resources:
#   - ref: https://www.ecfr.gov/current/title-28/chapter-I/part-202
#     description: 28 CFR 202.214, 202.301
# custom:
#   id: US-DSP-BROKERAGE-REVIEW
#   regime: us_dsp
#   ref: 28 CFR 202.214, 202.301
#   kind: needs_review
#   severity: high
#   owner: legal
#   action: Answer whether the activity sells or licenses access to the data, and have counsel classify the transfer
findings contains scoped(lib.finding(rego.metadata.rule(), detail, {a.field, sprintf("activities[%d].data_brokerage", [i])} | category_fields({i}))) if {
	some a in access
	a.kind == "recipient"
	some i in a.acts
	not "data_brokerage" in object.keys(facts.activities[i])
	detail := lib.msg("us_dsp.brokerage_review", "{where} receives {labels} from activity {activity}. Does the activity sell or license access to the data? Answer activities[{index}].data_brokerage: data brokerage with a country of concern or covered person is prohibited.", {
		"where": a.where,
		"labels": labels({i}),
		"activity": sprintf("%q", [facts.activities[i].name]),
		"index": sprintf("%d", [i]),
	})
}

# METADATA
# title: Onward data brokerage by a foreign recipient
# description: >-
#   Data brokerage of bulk US sensitive personal data with a foreign person that is not a covered
#   person is allowed only if the contract forbids the recipient's onward brokerage of the same
#   data to a country of concern or covered person, and known or suspected violations are
#   reported within 14 days (28 CFR 202.302).
# related_resources:
#   - ref: https://www.ecfr.gov/current/title-28/chapter-I/part-202
#     description: 28 CFR 202.302
# custom:
#   id: US-DSP-ONWARD-BROKERAGE
#   regime: us_dsp
#   ref: 28 CFR 202.302
#   kind: needs_review
#   severity: medium
#   owner: legal
#   action: Put the onward-brokerage prohibition in the contract and set up the 14-day violation report
findings contains scoped(lib.finding(rego.metadata.rule(), detail, {sprintf("%s.recipient_country", [path]), sprintf("activities[%d].data_brokerage", [i])})) if {
	some i in bulk_acts
	facts.activities[i].data_brokerage == true
	some k, t in object.get(facts.activities[i], "transfers", [])
	t.recipient_type in {"controller", "public_authority"}
	path := sprintf("activities[%d].transfers[%d]", [i, k])
	not path in {a.key | some a in access}
	country := object.get(t, "recipient_country", t.to_country)
	country != "US"
	detail := lib.msg("us_dsp.onward_brokerage", "Activity {activity} sells or licenses {labels} to {recipient}, a foreign person in {country}: the contract must forbid its onward brokerage of the data to a country of concern or covered person, and known or suspected violations must be reported within 14 days.", {
		"activity": sprintf("%q", [facts.activities[i].name]),
		"labels": labels({i}),
		"recipient": t.recipient,
		"country": country,
	})
}

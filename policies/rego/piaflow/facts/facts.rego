# METADATA
# title: Facts derived from the questionnaire
# description: >-
#   Flattened views of the questionnaire that the rules share: data-subject groups, destinations
#   of every activity (hosting sites, transfers and onward transfers), scale, and the
#   jurisdictions in force.
package piaflow.facts

import data.piaflow.lib

q := input.questionnaire

deployment := q.deployment

activities := q.activities

hosting := q.hosting

# processors: the questionnaire's processors as the rules read them. An item of
# processors[].expiries[] whose date ("on", the last day it is valid) is before the assessment
# date no longer counts: an expired certification is dropped from certifications, an expired
# dpa or baa makes dpa_signed or baa_signed false (rules/expiry reports each one).
processors := [counted_processor(p) | some p in raw_processors]

raw_processors := object.get(q, "processors", [])

# expired_items[name]: the items of the processor named name (lower case) that expired before the
# assessment date.
expired_items := {n: {e.item |
	some p in raw_processors
	lower(p.name) == n
	some e in object.get(p, "expiries", [])
	e.on < lib.as_of
} |
	some p0 in raw_processors
	n := lower(p0.name)
}

counted_processor(p) := object.union_n([
	p,
	{"certifications": [c | some c in p.certifications; not c in expired_items[lower(p.name)]]},
	contract_overrides(p),
]) if {
	p.certifications
}

else := object.union(p, contract_overrides(p))

contract_overrides(p) := {k: false |
	some item in expired_items[lower(p.name)]
	item in {"dpa", "baa"}
	k := sprintf("%s_signed", [item])
}

# expired_note(p, item): a note for a detail text when item (dpa, baa) of processor p is read as
# not signed because it expired.
expired_note(p, item) := sprintf(" (its %s in processors[].expiries expired before the assessment date)", [upper(item)]) if {
	item in expired_items[lower(p.name)]
} else := ""

# recipient_certifications(t): the certifications of transfer t's recipient, without those its
# processors[] entry (same name, any case) records as expired.
recipient_certifications(t) := [c |
	some c in object.get(t, "recipient_certifications", [])
	not c in object.get(expired_items, lower(t.recipient), set())
]

security := q.security

governance := q.governance

catalog := data.piaflow.catalog

customer_type := object.get(deployment, "customer_type", "organisation")

# all_jurisdictions_by_id: every jurisdiction file, by id.
all_jurisdictions_by_id := {j.id: j | some j in data.piaflow.jurisdictions}

# candidate_ids: the jurisdictions covering a country the questionnaire names (the engine indexes
# the data by country: data.piaflow.country_index).
candidate_ids := {id | some c in named_countries; some id in object.get(data.piaflow.country_index, c, [])}

# in_force_jurisdictions: the candidates in force on the assessment date.
in_force_jurisdictions := [j | some id in candidate_ids; j := all_jurisdictions_by_id[id]; lib.in_force(j)]

in_force_ids := {j.id | some j in in_force_jurisdictions}

# jurisdictions: those in force whose people are among the data subjects or where the customer
# is established; the other laws cannot apply, so no rule looks at them.
jurisdictions := [j | some j in in_force_jurisdictions; j.id in relevant_ids]

relevant_ids := ({jid | some g in groups; some jid in g.concerned_by} | established_ids) - dropped_ids

categories := {i: {c | some c in a.data_categories} | some i, a in activities}

# activities is an array, which object.keys does not take.
# regal ignore:use-object-keys
activity_indices := {i | some i, _ in activities}

# country_js: for every country named in the questionnaire, the jurisdictions covering it.
named_countries := ((({c | some a in activities; some s in a.data_subjects; some c in array.concat(s.countries, object.get(s, "citizenship", []))} | customer_countries) | {vendor_country}) | {p.country | some p in third_parties}) | collected_countries

# collected_countries: where the activities' data is collected (activities[].collected_in).
collected_countries := {c | some a in activities; some c in object.get(a, "collected_in", [])}

# --- establishment and scope answers ----------------------------------------------------------

# customer_countries: where the customer (the controller) is established: customer_country and
# the other establishments whose processing uses or feeds the deployment
# (deployment.customer_establishments).
customer_countries := {deployment.customer_country} | {c | some c in object.get(deployment, "customer_establishments", [])}

vendor_country := object.get(deployment, "vendor_country", "")

vendor_role := object.get(deployment, "vendor_role", "")

# customer_established_ids: the laws (in force) whose establishment clause the customer meets.
customer_established_ids := {id |
	some c in customer_countries
	some id in object.get(country_js, c, set())
	all_jurisdictions_by_id[id].scope.establishment
}

# vendor_established_ids: the laws that apply because the vendor, processing the data, is
# established in their country (scope.vendor_establishment, e.g. GDPR Art. 3(1) for a processor
# established in the Union).
vendor_established_ids := {id |
	vendor_role != ""
	some id in object.get(country_js, vendor_country, set())
	object.get(all_jurisdictions_by_id[id].scope, "vendor_establishment", false) != false
}

# processor_established_ids: the laws that apply because a third-party processor (not the vendor:
# facts.third_parties) is established in their country, where the law reaches a processor
# established there whoever its controller is — the GDPR family's `true` in
# scope.vendor_establishment (Art. 3(1): "a controller or a processor in the Union"; EDPB
# Guidelines 3/2018: a processor in the Union working for a controller outside it is bound by the
# processor's obligations, the controller does not become subject by that alone). A national law's
# object entry counts where it reaches a processor and makes it an exporter, both firm
# (national_parties.rego: Kenya, Nigeria); otherwise a third party established there adds nothing
# (confirm per law).
processor_established_ids := {id |
	some p in third_parties
	some id in object.get(country_js, p.country, set())
	reaches_any_processor(all_jurisdictions_by_id[id])
}

# reaches_any_processor(j): j's scope.vendor_establishment is `true` (the GDPR family).
reaches_any_processor(j) if j.scope.vendor_establishment == true

established_ids := (customer_established_ids | vendor_established_ids) | processor_established_ids

# processor_recipient_types: the transfer recipients that process the data on another's behalf.
processor_recipient_types := {"processor", "sub_processor", "vendor_affiliate"}

# third_parties: the processors other than the vendor, with their country of establishment: every
# processors[] entry (processors[].country) and every recipient of a transfer or onward transfer
# of type processor, sub_processor or vendor_affiliate (recipient_country, default to_country).
# Each has the field recording its country and, for a recipient, the key of its transfer (its own
# onward transfers lie under it: key.onward_transfers[...]), its activity and its hop.
third_parties := array.concat(
	[{"name": p.name, "country": p.country, "field": sprintf("processors[%d].country", [k]), "key": "", "activity": -1, "hop": -1, "recipient_type": "processor", "engaged_by": null} |
		some k, p in processors
	],
	[{"name": d.name, "country": d.established_in, "field": d.established_field, "key": d.key, "activity": i, "hop": object.get(d, "hop", 0), "recipient_type": d.recipient_type, "engaged_by": object.get(d, "parent", null)} |
		some i, ds in destinations
		some d in ds
		d.kind in {"transfer", "onward"}
		d.recipient_type in processor_recipient_types
	],
)

# established_parties(j): the third parties established in j's countries.
established_parties(j) := [p | some p in third_parties; p.country in j.countries]

# vendor_detail(j): the object form of j's scope.vendor_establishment (the national laws: how
# certainly the law reaches a processor established there, and its processor duties); undefined
# for the bare `true` of the GDPR family.
vendor_detail(j) := d if {
	d := object.get(j.scope, "vendor_establishment", false)
	is_object(d)
}

# subjects_settled_ids: the laws whose reach over the people needs no targeting answer because
# of an establishment: the customer's, and the vendor's where the law reads it as the GDPR does
# (bare `true`). A national law reaching the vendor as processor says nothing about whether it
# reaches the customer through its people.
subjects_settled_ids := customer_established_ids | {id |
	some id in vendor_established_ids
	all_jurisdictions_by_id[id].scope.vendor_establishment == true
}

# scope_confirmed: legal's answers "this law reaches / does not reach this deployment", by regime.
scope_confirmed := object.get(deployment, "scope_confirmed", {})

# dropped_ids: the laws legal answered do not reach the deployment (scope_confirmed: false).
dropped_ids := {id | some id, j in all_jurisdictions_by_id; scope_confirmed[j.regime] == false}

# subjects_requires(j): what besides people located there makes j reach a customer established
# elsewhere ([] location suffices; targeting / monitoring; review).
subjects_requires(j) := object.get(j.scope, "subjects_requires", [])

# scope_fields: the activity answers that settle the targeting and monitoring tests.
scope_fields := {"targeting": "targeted_countries", "monitoring": "monitored_countries"}

# scope_answer(j, a): whether activity a targets or monitors people in j's countries: "yes" (a
# listed country is j's), "no" (every field j's test reads is answered, none names j's
# countries; an empty list answers "none") or "open".
scope_answer(j, a) := "yes" if {
	some r in subjects_requires(j)
	some c in object.get(a, scope_fields[r], [])
	c in j.countries
} else := "no" if {
	rs := [r | some r in subjects_requires(j); scope_fields[r]]
	count(rs) > 0
	every r in rs {
		is_array(object.get(a, scope_fields[r], null))
	}
} else := "open"

# subject_excluded[jid]: the activities whose people j reaches only through its targeting or
# monitoring clause, answered "no" (when the customer or vendor is not established under j).
subject_excluded := {j.id: {i | some i, a in activities; scope_answer(j, a) == "no"} |
	some j in in_force_jurisdictions
	not j.id in subjects_settled_ids
	count(subjects_requires(j)) > 0
}

# law_excluded(jid, i): j does not reach activity i's people.
law_excluded(jid, _) if jid in dropped_ids

law_excluded(jid, i) if i in subject_excluded[jid]

country_js := {c: {id | some id in object.get(data.piaflow.country_index, c, []); id in in_force_ids} | some c in named_countries}

citizen_scoped := {j.id | some j in in_force_jurisdictions; j.scope.citizens}

# collected_scoped: the laws that reach data collected in their countries (scope.collected, e.g.
# LGPD Art. 3(III)).
collected_scoped := {j.id | some j in in_force_jurisdictions; j.scope.collected}

# collected_by[i]: the laws reaching activity i's data because it is collected in their countries
# (activities[i].collected_in names one).
collected_by := {i: {jid |
	some c in object.get(a, "collected_in", [])
	some jid in country_js[c]
	jid in collected_scoped
	not law_excluded(jid, i)
} |
	some i, a in activities
}

# groups_by_activity[i]: one entry per data-subject group of activity i, with the jurisdictions
# where its people are (located_in) and those whose law governs its data (concerned_by).
groups_by_activity := {i: [group(i, k, s) | some k, s in a.data_subjects] | some i, a in activities}

group(i, k, s) := g if {
	citizenship := object.get(s, "citizenship", s.countries)
	located_in := {jid | some c in s.countries; some jid in country_js[c]; not law_excluded(jid, i)}
	g := {
		"activity": i,
		"index": k,
		"path": sprintf("activities[%d].data_subjects[%d]", [i, k]),
		"type": s.type,
		"countries": s.countries,
		"citizenship": citizenship,
		"count": s.count,
		"vulnerable": s.vulnerable,
		"located_in": located_in,
		"concerned_by": ((located_in | {jid | some c in citizenship; some jid in country_js[c]; jid in citizen_scoped; not law_excluded(jid, i)}) | collected_by[i]),
	}
}

# groups: every data-subject group.
groups := [g | some i, _ in activities; some g in groups_by_activity[i]]

subject_count := {i: sum([g.count | some g in groups_by_activity[i]]) | some i, _ in activities}

all_subject_countries := {c | some g in groups; some c in g.countries}

# gdpr_activities: the activities the GDPR governs the customer's (controller's) processing of —
# with people in the EU/EEA the law reaches, or all of them when the customer is established
# there (a vendor established there is subject to it as processor only: vendor_established_ids).
gdpr_activities := {i | some i, _ in activities; gdpr_governs(i)}

gdpr_governs(i) if {
	some g in groups_by_activity[i]
	"gdpr" in g.located_in
}

gdpr_governs(_) if "gdpr" in customer_established_ids

# gdpr_family_activities: the same for the GDPR and the UK GDPR together.
gdpr_family_activities := {i | some i, _ in activities; family_governs(i)}

family_governs(i) if {
	some g in groups_by_activity[i]
	some r in ["gdpr", "uk_gdpr"]
	r in g.located_in
}

family_governs(_) if {
	some r in ["gdpr", "uk_gdpr"]
	r in customer_established_ids
}

# Recital 91: the patients or clients of an individual physician, health professional or lawyer
# are not processed on a large scale.
large_scale := {i: is_large(i) | some i, _ in activities}

is_large(i) if {
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

# destinations[i]: every place activity i's data goes to or is reached from: hosting sites,
# transfers and onward transfers (kind "onward", with their hop).
destinations := {i: array.concat(dests(i, a), onward_dests(i, a)) | some i, a in activities}

dests(i, a) := array.concat(
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
			"filing": object.get(h, "regulator_filing", "none"),
			"filing_field": sprintf("hosting[%d].regulator_filing", [hi]),
			"exemption": object.get(h, "exemption", "none"),
			"entries": hosting_entries[hi],
			"own_premises": own_premises(h),
			"recipient": hosting_recipient(hi, h),
		}
	],
	[transfer_dest(sprintf("activities[%d].transfers[%d]", [i, ti]), t) | some ti, t in object.get(a, "transfers", [])],
)

# transfer_dest(p, t): the destination of transfer t at path p (an activity's transfer or an onward
# transfer), with the fields that answer for it.
transfer_dest(p, t) := {
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
	"certifications": recipient_certifications(t),
	"filing": object.get(t, "regulator_filing", "none"),
	"filing_field": concat("", [p, ".regulator_filing"]),
	"exemption": object.get(t, "exemption", "none"),
	"entries": mechanism_entries(object.get(t, "mechanisms", []), p),
	"own_premises": false,
	"established_in": object.get(t, "recipient_country", t.to_country),
	"established_field": established_field(p, t),
	"recipient": {
		"public_body": object.get(t, "recipient_public_body", null),
		"sector": object.get(t, "recipient_sector", ""),
		"covered_data": object.get(t, "recipient_certification_covered_data", ""),
		"fields": {
			"public_body": concat("", [p, ".recipient_public_body"]),
			"sector": concat("", [p, ".recipient_sector"]),
			"covered_data": concat("", [p, ".recipient_certification_covered_data"]),
		},
	},
}

# established_field(p, t): the field recording where transfer t's recipient (at path p) is
# established: recipient_country when given, else to_country.
established_field(p, t) := concat("", [p, ".recipient_country"]) if t.recipient_country

else := concat("", [p, ".to_country"])

# onward_dests(i, a): the onward transfers of activity a's transfers (the recipient's own
# transfers of the data, transfers[].onward_transfers, at most 3 levels deep: hop 1 to 3), each a
# destination of kind "onward" with its hop and the recipient it comes from (parent: the importer
# of the previous hop). Rego has no recursion: one comprehension per level.
onward_dests(i, a) := array.flatten([onward_level1(i, a), onward_level2(i, a), onward_level3(i, a)])

onward_level1(i, a) := [onward_dest(p, o, 1, t, tp) |
	some ti, t in object.get(a, "transfers", [])
	tp := sprintf("activities[%d].transfers[%d]", [i, ti])
	some k1, o in object.get(t, "onward_transfers", [])
	p := sprintf("%s.onward_transfers[%d]", [tp, k1])
]

onward_level2(i, a) := [onward_dest(p, o, 2, o1, p1) |
	some ti, t in object.get(a, "transfers", [])
	some k1, o1 in object.get(t, "onward_transfers", [])
	p1 := sprintf("activities[%d].transfers[%d].onward_transfers[%d]", [i, ti, k1])
	some k2, o in object.get(o1, "onward_transfers", [])
	p := sprintf("%s.onward_transfers[%d]", [p1, k2])
]

onward_level3(i, a) := [onward_dest(p, o, 3, o2, p2) |
	some ti, t in object.get(a, "transfers", [])
	some k1, o1 in object.get(t, "onward_transfers", [])
	some k2, o2 in object.get(o1, "onward_transfers", [])
	p2 := sprintf("activities[%d].transfers[%d].onward_transfers[%d].onward_transfers[%d]", [i, ti, k1, k2])
	some k3, o in object.get(o2, "onward_transfers", [])
	p := sprintf("%s.onward_transfers[%d]", [p2, k3])
]

# onward_dest: onward transfer o at path p, hop n, from parent transfer pt at path pp.
onward_dest(p, o, n, pt, pp) := object.union(transfer_dest(p, o), {
	"kind": "onward",
	"hop": n,
	"parent": {"key": pp, "name": pt.recipient, "country": pt.to_country},
})

processor_index := {p.name: k | some k, p in processors}

# hosting_recipient(hi, h): the facts about the party holding the data of hosting site hi that an
# adequacy decision's scope may turn on (its processor's processors[] answers), with the fields
# that answer them.
hosting_recipient(hi, h) := {
	"public_body": object.get(p, "public_body", null),
	"sector": object.get(p, "sector", ""),
	"covered_data": object.get(p, "certification_covered_data", ""),
	"fields": {
		"public_body": sprintf("processors[%d].public_body", [k]),
		"sector": sprintf("processors[%d].sector", [k]),
		"covered_data": sprintf("processors[%d].certification_covered_data", [k]),
	},
} if {
	p := hosting_processor(h)
	k := processor_index[p.name]
} else := {
	"public_body": null,
	"sector": "",
	"covered_data": "",
	"fields": {
		"public_body": sprintf("hosting[%d].processor", [hi]),
		"sector": sprintf("hosting[%d].processor", [hi]),
		"covered_data": sprintf("hosting[%d].processor", [hi]),
	},
}

# own_premises(h): the site is the customer's own (on premises, no processor named): storing data
# there discloses it to nobody.
own_premises(h) if {
	h.provider == "on_premises"
	not h.processor
} else := false

# hosting_entries[hi]: the per-law mechanism entries of hosting site hi (computed once per site,
# shared by every activity).
hosting_entries := {hi: mechanism_entries(object.get(h, "mechanisms", []), sprintf("hosting[%d]", [hi])) | some hi, h in hosting}

# mechanism_entries normalises the per-law mechanism entries (MechanismEntry: regime or country,
# mechanism, regulator_filing, exemption, signed_on, filed_on) of a hosting site or transfer at
# path p, each with its own path.
mechanism_entries(es, p) := [object.union_n([
	{"regime": "", "country": "", "regulator_filing": "none", "exemption": "none", "signed_on": "", "filed_on": ""},
	e,
	{"path": sprintf("%s.mechanisms[%d]", [p, k])},
]) |
	some k, e in es
]

# first_transfer_on: the start of the first cross-border transfer (anchor of "within N days of the
# first transfer"), go_live when not given.
first_transfer_on := object.get(deployment, "first_transfer_on", deployment.go_live)

# --- jurisdiction-relative facts -------------------------------------------------------------

# located(j, g): the group's people are in the jurisdiction.
located(j, g) if j.id in g.located_in

# citizen(j, g): the group's people are citizens of the jurisdiction.
citizen(j, g) if lib.any_in(g.citizenship, j.countries)

# concerned(j, g): the group's data is governed by j (located there, or citizens where the law
# follows citizenship).
concerned(j, g) if j.id in g.concerned_by

jurisdiction_by_id := {j.id: j | some j in jurisdictions}

# per jurisdiction id: the groups it governs, the activities concerned, the activities whose data
# leaves it, the activities with data it treats as sensitive.
concerned_sets[jid] contains g if {
	some g in groups
	some jid in g.concerned_by
}

located_sets[jid] contains g if {
	some g in groups
	some jid in g.located_in
}

concerned_groups := {j.id: [g | some g in object.get(concerned_sets, j.id, set())] | some j in jurisdictions}

located_groups := {j.id: [g | some g in object.get(located_sets, j.id, set())] | some j in jurisdictions}

# located_from[[jid, i]]: the countries of jurisdiction jid where activity i's people are.
located_from[[jid, g.activity]] contains c if {
	some g in groups
	some c in g.countries
	some jid in country_js[c]
	jid in g.located_in
}

country_set := {j.id: {c | some c in j.countries} | some j in jurisdictions}

# dest_countries[i]: where activity i's data goes from the customer's hands (hosting sites and
# direct transfers): an onward transfer is the recipient's, not the customer's export.
dest_countries := {i: {d.country | some d in ds; d.kind != "onward"} | some i, ds in destinations}

sensitive_set := {j.id: {c | some c in j.sensitive_categories} | some j in jurisdictions}

concerns := {jid: {g.activity | some g in gs} | some jid, gs in concerned_groups}

xborder := {jid: {i | some i, cs in dest_countries; count(cs - js) > 0} | some jid, js in country_set}

sensitive_acts := {jid: {i | some i, cs in categories; count(cs & ss) > 0} | some jid, ss in sensitive_set}

# nonsensitive_acts[jid]: the activities with some data category jid does not treat as sensitive
# (their people count for "personal information, excluding sensitive personal information").
nonsensitive_acts := {jid: {i | some i, cs in categories; count(cs - ss) > 0} | some jid, ss in sensitive_set}

sensitive_activity(j, i) if i in sensitive_acts[j.id]

# cross_border(j, i): some destination of activity i lies outside the jurisdiction.
cross_border(j, i) if i in xborder[j.id]

# totals over the deployment: all activities; exported (activities leaving the country);
# sensitive exported.
totals_by_id := {j.id: t |
	some j in jurisdictions
	gs := concerned_groups[j.id]
	x := xborder[j.id]
	sens := sensitive_acts[j.id]
	non := nonsensitive_acts[j.id]
	t := {
		"all": sum([g.count | some g in gs]),
		"export": sum([g.count | some g in gs; g.activity in x]),
		"sensitive_export": sum([g.count | some g in gs; g.activity in x; g.activity in sens]),
		"sensitive_all": sum([g.count | some g in gs; g.activity in sens]),
		"nonsensitive_export": sum([g.count | some g in gs; g.activity in x; g.activity in non]),
		"nonsensitive_all": sum([g.count | some g in gs; g.activity in non]),
	}
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
	some g in groups_by_activity[i]
	j.id in g.concerned_by
	g.type in v
}

cond("critical_infrastructure", v, _, _, _) if deployment.critical_infrastructure == v

# v may be false: an activity without the answer counts as false (not a superfluous default).
# regal ignore:superfluous-object-get
cond("important_data", v, _, i, _) if object.get(activities[i], "important_data", false) == v

cond("citizens", true, j, i, _) if {
	some g in groups_by_activity[i]
	citizen(j, g)
}

cond("citizens", false, j, i, _) if {
	every g in groups_by_activity[i] {
		not citizen(j, g)
	}
}

cond("located", true, j, i, _) if {
	some g in groups_by_activity[i]
	j.id in g.located_in
}

cond("located", false, j, i, _) if {
	every g in groups_by_activity[i] {
		not j.id in g.located_in
	}
}

cond("min_subjects", v, _, _, ctx) if ctx.count >= v

cond("min_sensitive_subjects", v, j, i, ctx) if {
	sensitive_activity(j, i)
	ctx.sensitive_count >= v
}

cond("min_nonsensitive_subjects", v, j, i, ctx) if {
	i in nonsensitive_acts[j.id]
	ctx.nonsensitive_count >= v
}

cond("more_than_subjects", v, _, _, ctx) if ctx.count > v

cond("more_than_sensitive_subjects", v, j, i, ctx) if {
	sensitive_activity(j, i)
	ctx.sensitive_count > v
}

cond("large_scale", v, _, i, _) if large_scale[i] == v

cond("systematic_monitoring", v, _, i, _) if activities[i].systematic_monitoring == v

# v may be false: an activity without the answer counts as false (not a superfluous default).
# regal ignore:superfluous-object-get
cond("core_activity", v, _, i, _) if object.get(activities[i], "core_activity", false) == v

cond("automated_decisions", v, _, i, _) if activities[i].automated_decisions == v

cond("cross_border", true, j, i, _) if cross_border(j, i)

cond("cross_border", false, j, i, _) if not cross_border(j, i)

cond("foreign", true, j, _, _) if not lib.any_in(customer_countries, j.countries)

cond("foreign", false, j, _, _) if lib.any_in(customer_countries, j.countries)

cond("destination_adequate", v, _, _, ctx) if ctx.adequate == v

cond("collected_outside", true, j, i, _) if {
	collected_answered(i)
	not lib.any_in(activities[i].collected_in, j.countries)
}

cond("collected_outside", false, j, i, _) if lib.any_in(object.get(activities[i], "collected_in", []), j.countries)

# collected_or_located: the activity's data is collected in j's countries (its collected_in names
# one), or some of its people are located there (read as the place of collection).
cond("collected_or_located", true, j, i, _) if collected_here(j, i)

cond("collected_or_located", false, j, i, _) if not collected_here(j, i)

collected_here(j, i) if lib.any_in(object.get(activities[i], "collected_in", []), j.countries)

collected_here(j, i) if {
	some g in groups_by_activity[i]
	j.id in g.located_in
}

# duty_ctx is the context for duties and localisation rules: counts over all activities.
duty_ctx(j) := {"count": t.all, "sensitive_count": t.sensitive_all, "nonsensitive_count": t.nonsensitive_all, "adequate": false} if t := totals_by_id[j.id]

# count_keys: the condition keys that compare a number of people, with the count they read and the
# boundary word: "min" holds from the number on ("N or more"), "more_than" above it ("more than N").
count_keys := {
	"min_subjects": {"counts": "all", "boundary": "min"},
	"min_sensitive_subjects": {"counts": "sensitive", "boundary": "min"},
	"min_nonsensitive_subjects": {"counts": "nonsensitive", "boundary": "min"},
	"more_than_subjects": {"counts": "all", "boundary": "more_than"},
	"more_than_sensitive_subjects": {"counts": "sensitive", "boundary": "more_than"},
}

# --- the customer's other exports; where the data is collected ---------------------------------

# other_exports_by_id[jid]: the people whose personal information the customer already provides
# abroad from jid's countries outside this deployment since 1 January of the current year
# (deployment.other_exports[]), for the transfer tiers that count cumulatively per exporter
# (cumulative_exports, e.g. the CAC Provisions (2024) Art. 5(4), 7, 8): all of them (sensitive
# included), those with sensitive information, and the entries with their paths.
other_exports_by_id := {j.id: o |
	some j in jurisdictions
	es := [{"path": sprintf("deployment.other_exports[%d]", [k]), "country": e.country, "subjects": e.subjects, "sensitive": object.get(e, "sensitive_subjects", 0)} |
		some k, e in object.get(deployment, "other_exports", [])
		e.country in j.countries
	]
	count(es) > 0
	o := {"all": sum([e.subjects | some e in es]), "sensitive": sum([e.sensitive | some e in es]), "entries": es}
}

# collected_answered(i): activity i says where its data is collected (activities[].collected_in,
# a non-empty list; an empty list answers nothing).
collected_answered(i) if count(object.get(activities[i], "collected_in", [])) > 0

# Art. 35(4) and 35(5) lists of the supervisory authorities (policies/data/dpia_lists.json):
# which items hold for which activity. A list binds the controllers established in its country;
# a controller the law reaches only through its people (Art. 3(2)) gets the list of each country
# where those people are. Only activities the GDPR or the UK GDPR governs with controller
# capacity are matched (Art. 35 binds the controller).
package piaflow.rules.dpia

import data.piaflow.facts
import data.piaflow.lib
import data.piaflow.rules.gdpr

# The lists, validated by policies/dpialists.go and injected by the engine.
# regal ignore:unresolved-reference
sa_lists := data.piaflow.dpia_lists.lists

# The lists indexed by the engine (policies/dpialists.go: dpiaListIndex): by_country maps a
# country to the indexes in sa_lists of the lists that bind its controllers; held maps a regime
# to the countries whose Art. 35(4) list the library holds.
# regal ignore:unresolved-reference
sa_index := data.piaflow.dpia_list_index

# scope_pairs: [list index, activity index] for every list that binds the activity's controller:
# a list of a country where the customer is established binds every activity its regime governs
# with controller capacity; where the regime reaches the customer only through its people, a
# list of a country where an activity's people are binds that activity.
scope_pairs contains [k, i] if {
	some c in gdpr.customer_countries
	some k in object.get(sa_index.by_country, c, [])
	some i in object.get(gdpr.controller_acts, sa_lists[k].regime, set())
}

scope_pairs contains [k, i] if {
	some r, acts in gdpr.controller_acts
	not gdpr.customer_established(r)
	some i in acts
	some g in facts.groups_by_activity[i]
	some c in g.countries
	some k in object.get(sa_index.by_country, c, [])
	sa_lists[k].regime == r
}

# sa_hits: the items that hold, one entry per list, activity and item (for a two_or_more list,
# one entry naming all the items that hold for the activity).
sa_hits contains h if {
	some [k, i] in scope_pairs
	l := sa_lists[k]
	l.match == "any_item"
	some item in l.items
	item_holds(item, i)
	h := hit(l, i, [item])
}

sa_hits contains h if {
	some [k, i] in scope_pairs
	l := sa_lists[k]
	l.match == "two_or_more"
	held := [item | some item in l.items; item_holds(item, i)]
	count(held) >= 2
	h := hit(l, i, held)
}

hit(l, i, items) := {
	"list": l.id,
	"regime": l.regime,
	"authority": l.authority,
	"effect": l.effect,
	"item": concat(" + ", [x.id | some x in items]),
	"text": concat("; ", [x.text | some x in items]),
	"texts": [x.text | some x in items],
	"activity": facts.activities[i].name,
	"citation": l.citation,
	"fields": sort({f | some x in items; some k in cond_keys(x.when); some f in key_fields(k, i)}),
}

# item_holds: the item's condition holds for activity i, with the number of other WP248
# criteria the item asks for ("combined with any other criterion").
item_holds(item, i) if {
	holds(item.when, i)
	others := object.get(criteria_ids, facts.activities[i].name, set()) - {x | some x in object.get(item, "wp248_self", [])}
	count(others) >= object.get(item, "min_other_wp248", 0)
}

# --- conditions (policies/dpialists.go: DPIACondition) ----------------------------------------

holds(w, i) if not fails(w, i)

fails(w, i) if {
	some k, v in w
	not cond(k, v, i)
}

cond("when_any", v, i) if {
	some alt in v
	not base_fails(alt, i)
}

cond(k, v, i) if {
	k != "when_any"
	base_cond(k, v, i)
}

base_fails(w, i) if {
	some k, v in w
	not base_cond(k, v, i)
}

base_cond("categories_any", v, i) if lib.any_in(facts.categories[i], v)

base_cond("subject_types_any", v, i) if {
	some g in facts.groups_by_activity[i]
	g.type in v
}

base_cond("subject_types_only", v, i) if {
	every g in facts.groups_by_activity[i] {
		g.type in v
	}
}

base_cond("sectors_any", v, _) if facts.deployment.sector in v

base_cond("customer_types_any", v, _) if facts.customer_type in v

base_cond("legal_bases_any", v, i) if facts.activities[i].legal_basis in v

base_cond("large_scale", v, i) if facts.large_scale[i] == v

# yes/no answers of the activity; public_area_monitoring may be unanswered (counts as false, and
# v may be false: not a superfluous default).
base_cond(k, v, i) if {
	k in yes_no

	# regal ignore:superfluous-object-get
	object.get(facts.activities[i], k, false) == v
}

yes_no := {
	"systematic_monitoring", "automated_decisions", "decisions_legal_effect", "evaluation_or_scoring",
	"combines_datasets", "innovative_technology", "prevents_rights_or_service", "public_area_monitoring",
}

# collected_directly holds for neither value while unanswered.
base_cond("collected_directly", v, i) if facts.activities[i].collected_directly == v

base_cond("vulnerable", true, i) if {
	some g in facts.groups_by_activity[i]
	vulnerable_group(g)
}

base_cond("vulnerable", false, i) if {
	every g in facts.groups_by_activity[i] {
		not vulnerable_group(g)
	}
}

base_cond("vulnerable_flag", true, i) if {
	some g in facts.groups_by_activity[i]
	g.vulnerable
}

base_cond("vulnerable_flag", false, i) if {
	every g in facts.groups_by_activity[i] {
		not g.vulnerable
	}
}

base_cond("min_employees", v, _) if facts.deployment.customer_employees >= v

base_cond("max_employees", v, _) if facts.deployment.customer_employees <= v

# --- the answers an item rests on ------------------------------------------------------------

cond_keys(w) := {k | some k, _ in w; k != "when_any"} | {k | some alt in object.get(w, "when_any", []); some k, _ in alt}

activity_key_field := {
	"categories_any": "data_categories",
	"subject_types_any": "data_subjects",
	"subject_types_only": "data_subjects",
	"vulnerable": "data_subjects",
	"vulnerable_flag": "data_subjects",
	"large_scale": "data_subjects",
	"legal_bases_any": "legal_basis",
	"collected_directly": "collected_directly",
}

deployment_key_field := {
	"sectors_any": "deployment.sector",
	"customer_types_any": "deployment.customer_type",
	"min_employees": "deployment.customer_employees",
	"max_employees": "deployment.customer_employees",
}

key_fields(k, i) := {field(i, activity_key_field[k])}

key_fields(k, i) := {field(i, k)} if k in yes_no

key_fields(k, _) := {deployment_key_field[k]}

# --- effects ---------------------------------------------------------------------------------

hits_with(effect) := {h | some h in sa_hits; h.effect == effect}

# exempt_names: activities an Art. 35(5) item covers, unless an Art. 35(3) case or an Art. 35(4)
# item holds for them.
exempt_names := ({h.activity | some h in hits_with("exempt")} - {c.activity | some c in art35_3}) - {h.activity | some h in sa_hits; h.effect != "exempt"}

# hits_msg: the hits as a list parameter, "activity: authority list, items", sorted. The
# authority's name and the items' texts are data texts of the lists (*_text parameters:
# policies.DPIAListTextFields), which the catalogues translate.
hits_msg(hs) := lib.join("; ", {lib.msg("dpia.hit", "{activity}: {authority_text} list, {items_text}", {"activity": h.activity, "authority_text": h.authority, "items_text": lib.join_ordered("; ", h.texts)}) | some h in hs})

# lists_out: the hits as the assessment lists them (dpia.lists).
lists_out := [object.remove(h, ["fields", "texts"]) | some h in sa_hits]

# --- coverage: the lists piaflow does not hold --------------------------------------------------

# held_countries(r): the countries whose Art. 35(4) list (effect required or likely) of regime r
# the library holds; an Art. 35(5) list alone does not count.
held_countries(r) := {c | some c in object.get(sa_index.held, r, [])}

# bound: [regime, country] for every country whose supervisory authority's list would bind the
# controller of an activity the regime governs with controller capacity (as scope_pairs does).
bound contains [r, c] if {
	some r, acts in gdpr.controller_acts
	count(acts) > 0
	some c in gdpr.customer_countries
	c in gdpr.family_countries[r]
}

bound contains [r, c] if {
	some r, acts in gdpr.controller_acts
	not gdpr.customer_established(r)
	some i in acts
	some g in facts.groups_by_activity[i]
	some c in g.countries
	c in gdpr.family_countries[r]
}

# lists_not_held: the countries whose Art. 35(4) list would bind a controller here but is not in
# the library (dpia.lists_not_held): for them only the WP248 screening and Art. 35(3) decide.
lists_not_held := sort({c | some [r, c] in bound; not c in held_countries(r)})

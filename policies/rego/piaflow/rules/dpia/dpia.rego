# METADATA
# title: DPIA screening (GDPR Art. 35, WP248 rev.01)
# description: >-
#   The nine WP248 rev.01 criteria per activity with the answers that matched, the Art. 35(3)
#   cases, the "two or more criteria" presumption and the Recital 91 exception. A cross-border
#   transfer is not a WP248 criterion (it was dropped from the April 2017 draft). The screening
#   is GDPR guidance: it runs only where the GDPR or the UK GDPR applies with controller capacity
#   (Art. 35 binds the controller), and only over the activities they govern so; elsewhere the
#   level is not_applicable and the national impact assessments (PIPIA, RIPD, ...) lead.
package piaflow.rules.dpia

import data.piaflow.facts
import data.piaflow.lib
import data.piaflow.rules.gdpr
import data.piaflow.rules.national

wp248 := "https://ec.europa.eu/newsroom/article29/items/611236"

field(i, name) := sprintf("activities[%d].%s", [i, name])

# applicable: the GDPR or the UK GDPR applies with controller capacity.
applicable if count(gdpr.controller_regimes) > 0

# screened: the activities the GDPR family governs with controller capacity.
screened := {i | some r in gdpr.controller_regimes; some i in gdpr.controller_acts[r]}

# recorded(r): governance.impact_assessments records the impact assessment of regime r.
recorded(r) if r in object.get(facts.governance, "impact_assessments", [])

# criterion is a WP248 criterion met by an activity, its reason a message (docs/messages.md).
criterion(id, activity, why, fields) := object.union({"id": id, "activity": activity, "fields": fields}, lib.why_fields(why))

# art35_case is an Art. 35(3) case of an activity, its reason a message.
art35_case(case, activity, why, fields) := object.union({"case": case, "activity": activity, "fields": fields}, lib.why_fields(why))

criteria contains c if {
	some i in screened
	a := facts.activities[i]
	a.evaluation_or_scoring
	c := criterion("evaluation_scoring", a.name, lib.msg("dpia.criterion.evaluation_scoring", "evaluation or scoring, including profiling and predicting", {}), [field(i, "evaluation_or_scoring")])
}

criteria contains c if {
	some i in screened
	a := facts.activities[i]
	a.automated_decisions
	a.decisions_legal_effect
	c := criterion("automated_decision", a.name, lib.msg("dpia.criterion.automated_decision", "automated decisions with legal or similarly significant effect", {}), [field(i, "automated_decisions"), field(i, "decisions_legal_effect")])
}

criteria contains c if {
	some i in screened
	a := facts.activities[i]
	monitoring_fields(i, a) != set()
	c := criterion("systematic_monitoring", a.name, lib.msg("dpia.criterion.systematic_monitoring", "systematic monitoring of people", {}), sort(monitoring_fields(i, a)))
}

monitoring_fields(i, a) := {f |
	some name in ["systematic_monitoring", "public_area_monitoring"]
	a[name] == true
	f := field(i, name)
}

criteria contains c if {
	some i in screened
	a := facts.activities[i]
	s := facts.categories[i] & {x | some x in facts.catalog.highly_personal_categories}
	count(s) > 0
	c := criterion("sensitive_data", a.name, lib.msg("dpia.criterion.sensitive_data", "sensitive or highly personal data: {categories}", {"categories": lib.join(", ", s)}), [field(i, "data_categories")])
}

criteria contains c if {
	some i in screened
	a := facts.activities[i]
	facts.large_scale[i]
	why := lib.msg("dpia.criterion.large_scale", "about {subjects} data subjects (piaflow presumes large scale from {threshold}; WP248 gives factors, not a number)", {"subjects": sprintf("%d", [facts.subject_count[i]]), "threshold": sprintf("%d", [facts.catalog.large_scale_subjects])})
	c := criterion("large_scale", a.name, why, [sprintf("%s.count", [g.path]) | some g in facts.groups_by_activity[i]])
}

criteria contains c if {
	some i in screened
	a := facts.activities[i]
	a.combines_datasets
	c := criterion("matching_combining", a.name, lib.msg("dpia.criterion.matching_combining", "matching or combining datasets", {}), [field(i, "combines_datasets")])
}

criteria contains c if {
	some i in screened
	a := facts.activities[i]
	vulnerable := [g | some g in facts.groups_by_activity[i]; vulnerable_group(g)]
	count(vulnerable) > 0
	why := lib.msg("dpia.criterion.vulnerable_subjects", "vulnerable data subjects: {types}", {"types": lib.join(", ", {g.type | some g in vulnerable})})
	c := criterion("vulnerable_subjects", a.name, why, [vulnerable_field(g) | some g in vulnerable])
}

vulnerable_group(g) if g.vulnerable

# vulnerable_field cites the answer that made the group vulnerable: the flag, else its type.
vulnerable_field(g) := sprintf("%s.vulnerable", [g.path]) if g.vulnerable

vulnerable_field(g) := sprintf("%s.type", [g.path]) if not g.vulnerable

vulnerable_group(g) if g.type in facts.catalog.vulnerable_subject_types

criteria contains c if {
	some i in screened
	a := facts.activities[i]
	a.innovative_technology
	c := criterion("innovative_technology", a.name, lib.msg("dpia.criterion.innovative_technology", "innovative use of technology (AI/ML, biometrics, IoT)", {}), [field(i, "innovative_technology")])
}

criteria contains c if {
	some i in screened
	a := facts.activities[i]
	a.prevents_rights_or_service
	c := criterion("prevents_rights", a.name, lib.msg("dpia.criterion.prevents_rights", "the processing decides access to a right, service or contract", {}), [field(i, "prevents_rights_or_service")])
}

art35_3_a := lib.msg("dpia.art35_3.a", "systematic and extensive evaluation based on automated processing with decisions producing legal or similarly significant effects", {})

# Art. 35(3) cases: a DPIA is always required.
art35_3 contains c if {
	some i in screened
	a := facts.activities[i]
	a.automated_decisions
	a.decisions_legal_effect
	a.evaluation_or_scoring
	c := art35_case("a", a.name, art35_3_a, [field(i, "evaluation_or_scoring"), field(i, "automated_decisions"), field(i, "decisions_legal_effect")])
}

art35_3 contains c if {
	some i in screened
	a := facts.activities[i]
	facts.large_scale[i]
	s := facts.categories[i] & ({x | some x in facts.catalog.gdpr_special_categories} | {"criminal"})
	count(s) > 0
	why := lib.msg("dpia.art35_3.b", "large-scale processing of special categories or criminal data: {categories}", {"categories": lib.join(", ", s)})
	c := art35_case("b", a.name, why, [field(i, "data_categories")])
}

art35_3 contains c if {
	some i in screened
	a := facts.activities[i]
	a.public_area_monitoring == true
	facts.large_scale[i]
	c := art35_case("c", a.name, lib.msg("dpia.art35_3.c", "systematic monitoring of a publicly accessible area on a large scale", {}), [field(i, "public_area_monitoring")])
}

# criteria_ids[name]: the WP248 criteria an activity meets (grouped in one pass: the partial
# rule is evaluated once as a whole, then read by key from the comprehension).
criteria_sets[c.activity] contains c.id if some c in criteria

criteria_ids := {name: ids | some name, ids in criteria_sets}

# multi_names: activities meeting two or more criteria, unless an Art. 35(5) list exempts them.
multi_names := {name | some name, ids in criteria_ids; count(ids) >= 2; not name in exempt_names}

default level := "not_required"

level := "not_applicable" if {
	not applicable
} else := "required" if {
	count(art35_3) > 0
} else := "required" if {
	count(hits_with("required")) > 0
} else := "not_required" if {
	recital_91
} else := "likely" if {
	count(multi_names) + count(hits_with("likely")) > 0
} else := "possible" if {
	some c in criteria
	not c.activity in exempt_names
}

# recital_91: an individual physician, health professional or lawyer whose processing meets no
# WP248 criterion beyond the sensitive data of vulnerable patients or clients (WP248's own example
# answers "no DPIA" for it).
recital_91 if {
	facts.customer_type == "individual_practitioner"
	every c in criteria {
		c.id in {"sensitive_data", "vulnerable_subjects"}
	}
}

default required := false

required if level in {"required", "likely"}

required if count(national.impact_assessments) > 0

# why: the screening's reason as a message (docs/messages.md); the assessment keeps its English
# text (why) and the message (why_msg).
default why_msg := {"id": "dpia.why.none", "params": {}, "text": "no WP248 criterion is met"}

why_msg := lib.msg("dpia.why.not_applicable.none", "The GDPR and the UK GDPR do not apply with controller capacity, so their DPIA screening (Art. 35, WP248) does not either; no national impact-assessment duty holds either", {}) if {
	not applicable
	count(national_list) == 0
} else := lib.msg("dpia.why.not_applicable.national", "The GDPR and the UK GDPR do not apply with controller capacity, so their DPIA screening (Art. 35, WP248) does not either; the national impact assessments lead: {assessments}", {"assessments": national_items}) if {
	not applicable
} else := lib.msg("dpia.why.art35_3", "Art. 35(3) applies: {cases}", {"cases": case_items}) if {
	count(art35_3) > 0
	count(hits_with("required")) == 0
} else := lib.msg("dpia.why.art35_3.also_list", "Art. 35(3) applies: {cases}; also on an Art. 35(4) list: {hits}", {"cases": case_items, "hits": hits_msg(hits_with("required"))}) if {
	count(art35_3) > 0
} else := lib.msg("dpia.why.required_list", "on an Art. 35(4) list: {hits}", {"hits": hits_msg(hits_with("required"))}) if {
	count(hits_with("required")) > 0
} else := lib.msg("dpia.why.recital_91", "Recital 91: the patients or clients of an individual physician, health professional or lawyer are not processed on a large scale; WP248 does not require a DPIA in this case", {}) if {
	recital_91
} else := lib.msg("dpia.why.multi.likely", "{multi}: two or more WP248 criteria each, so a DPIA is required in most cases; required in most cases under an Art. 35(4) list: {hits}", {"multi": multi_items, "hits": hits_msg(hits_with("likely"))}) if {
	count(multi_names) > 0
	count(hits_with("likely")) > 0
} else := lib.msg("dpia.why.multi", "{multi}: two or more WP248 criteria each, so a DPIA is required in most cases", {"multi": multi_items}) if {
	count(multi_names) > 0
} else := lib.msg("dpia.why.likely", "required in most cases under an Art. 35(4) list: {hits}", {"hits": hits_msg(hits_with("likely"))}) if {
	count(hits_with("likely")) > 0
} else := lib.msg("dpia.why.possible", "each activity meets at most one WP248 criterion: a DPIA may still be needed (WP248 rev.01); document the decision", {}) if {
	some c in criteria
	not c.activity in exempt_names
} else := lib.msg("dpia.why.exempt", "not required under an Art. 35(5) list: {hits}", {"hits": hits_msg({h | some h in hits_with("exempt"); h.activity in exempt_names})}) if {
	count(exempt_names) > 0
}

why := why_msg.text

# as_msg is a reason (criterion, Art. 35(3) case) as a message to nest: its why_msg with its text.
as_msg(x) := object.union(x.why_msg, {"text": x.why})

# case_items: the Art. 35(3) cases, "(a) activity: reason", sorted.
case_items := lib.join("; ", {lib.msg("dpia.case", "({case}) {activity}: {why}", {"case": c.case, "activity": c.activity, "why": as_msg(c)}) | some c in art35_3})

# multi_items: the activities meeting two or more criteria, "activity meets n", sorted.
multi_items := lib.join("; ", {lib.msg("dpia.meets", "{activity} meets {count}", {"activity": name, "count": sprintf("%d", [count(criteria_ids[name])])}) | some name in multi_names})

national_list := [e | some e in national.impact_assessments]

# national_items: the national impact assessments, "name (regime)", in the assessment's order.
national_items := lib.join_ordered("; ", [national_item(e) | some e in national_list])

# national_item: PIPL's PIPIA has a message of its own (its English name in the catalogue), so
# Chinese names it 个人信息保护影响评估; other assessments keep the jurisdiction data's name.
national_item(e) := lib.msg("dpia.national_item.pipl", sprintf("%s ({law})", [e.name]), {"law": e.regime}) if {
	e.regime == "cn_pipl"
} else := lib.msg("dpia.national_item", "{name_text} ({law})", {"name_text": e.name, "law": e.regime})

# headline: what the report leads with — the WP248 screening where it applies, else the first
# national impact assessment.
default headline := "no impact assessment duty"

headline := "WP248 screening (GDPR Art. 35)" if applicable

headline := national_list[0].name if {
	not applicable
	count(national_list) > 0
}

result := object.union(lib.why_fields(why_msg), {
	"required": required,
	"level": level,
	"headline": headline,
	"criteria": [c | some c in criteria],
	"art35_3": [c | some c in art35_3],
	"basis": basis,
	"citation": citation,
	"national": national_list,
	"lists": lists_out,
	"lists_not_held": lists_not_held,
})

default basis := "GDPR Art. 35 does not apply (no GDPR or UK GDPR controller); the national impact assessments apply"

basis := "GDPR Art. 35(1),(3); WP248 rev.01 (endorsed by the EDPB on 25 May 2018)" if applicable

default citation := {"ref": "GDPR Art. 35", "url": "https://eur-lex.europa.eu/eli/reg/2016/679/oj"}

citation := {"ref": "GDPR Art. 35; WP248 rev.01", "url": wp248} if applicable

citation := national_list[0].citation if {
	not applicable
	count(national_list) > 0
}

# METADATA
# title: DPIA required before processing
# description: >-
#   The screening makes a DPIA required (Art. 35(3), an item of the supervisory authority's
#   Art. 35(4) list) or required in most cases (two or more WP248 criteria) for an activity the
#   GDPR governs with controller capacity; the questionnaire does not record one
#   (governance.impact_assessments lacks gdpr), so it is asked for.
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: GDPR Art. 35, 36
# custom:
#   id: GDPR-DPIA-REQUIRED
#   regime: gdpr
#   ref: GDPR Art. 35(1),(3),(7); WP248 rev.01
#   kind: gap
#   severity: high
#   owner: legal
#   action: Carry out and document the DPIA (Art. 35(7)) before go-live; consult the supervisory authority if high risk remains (Art. 36)
findings contains lib.finding(rego.metadata.rule(), detail, fields) if {
	"gdpr" in gdpr.controller_regimes
	not recorded("gdpr")
	eu_names := {facts.activities[i].name | some i in gdpr.controller_acts.gdpr}
	eu_cases := [c | some c in art35_3; c.activity in eu_names]
	eu_multi := [name | some name in multi_names; name in eu_names]
	eu_hits := [h | some h in sa_hits; h.regime == "gdpr"; h.effect in {"required", "likely"}; h.activity in eu_names]
	(count(eu_cases) + count(eu_multi)) + count(eu_hits) > 0
	level in {"required", "likely"}
	detail := lib.msg(sprintf("dpia.finding.%s", [level]), sprintf("DPIA %s: {why}. Has a DPIA been carried out and documented?", [level]), {"why": why_msg})
	fields := ({f | some c in criteria; c.activity in eu_names; not c.activity in exempt_names; some f in c.fields} | {f | some c in eu_cases; some f in c.fields}) | {f | some h in eu_hits; some f in h.fields}
}

# METADATA
# title: DPIA required by the ICO's list
# description: >-
#   An item of the ICO's list of processing likely to result in high risk (UK GDPR Art. 35(4))
#   holds for an activity the UK GDPR governs with controller capacity; neither the UK GDPR
#   duties of the jurisdiction data (Art. 35(3)) nor governance.impact_assessments already cover
#   it, so the DPIA is asked for.
# related_resources:
#   - ref: https://ico.org.uk/for-organisations/uk-gdpr-guidance-and-resources/accountability-and-governance/data-protection-impact-assessments-dpias/examples-of-processing-likely-to-result-in-high-risk/
#     description: ICO, Examples of processing likely to result in high risk
# custom:
#   id: UK-GDPR-DPIA-ICO-LIST
#   regime: uk_gdpr
#   ref: UK GDPR Art. 35(1),(4),(7); ICO list of processing likely to result in high risk
#   kind: gap
#   severity: high
#   owner: legal
#   action: Carry out and document the DPIA (UK GDPR Art. 35(7)) before go-live; consult the ICO if high risk remains (Art. 36)
findings contains lib.finding(rego.metadata.rule(), detail, fields) if {
	not recorded("uk_gdpr")
	not "uk_gdpr" in {e.regime | some e in national.impact_assessments}
	hs := [h | some h in sa_hits; h.regime == "uk_gdpr"; h.effect in {"required", "likely"}]
	count(hs) > 0
	detail := lib.msg("dpia.finding.ico_list", "The ICO's list requires a DPIA for {hits}. Has a DPIA been carried out and documented?", {"hits": hits_msg(hs)})
	fields := {f | some h in hs; some f in h.fields}
}

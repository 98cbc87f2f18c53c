package piaflow.rules.dpia_test

import data.piaflow.fixtures
import data.piaflow.rules.dpia

result(inp) := r if {
	r := dpia.result with input as inp
}

criteria_ids(inp) := {c.id | some c in result(inp).criteria}

dpia_finding(inp) := f if {
	f := fixtures.one(dpia.findings, "GDPR-DPIA-REQUIRED") with input as inp
}

no_dpia_finding(inp) if {
	fs := dpia.findings with input as inp
	count(fixtures.by_id(fs, "GDPR-DPIA-REQUIRED")) == 0
}

test_baseline_needs_no_dpia if {
	r := result(fixtures.baseline)
	r.level == "not_required"
	r.required == false
	r.why == "no WP248 criterion is met"
	r.criteria == []
	r.art35_3 == []
	r.national == []
	r.headline == "WP248 screening (GDPR Art. 35)"
	r.basis == "GDPR Art. 35(1),(3); WP248 rev.01 (endorsed by the EDPB on 25 May 2018)"
	r.citation == {"ref": "GDPR Art. 35; WP248 rev.01", "url": "https://ec.europa.eu/newsroom/article29/items/611236"}
	no_dpia_finding(fixtures.baseline)
}

test_cross_border_transfer_alone_is_no_wp248_criterion if {
	inp := fixtures.with_activity({"transfers": [fixtures.transfer({"to_country": "IN"}), fixtures.transfer({"to_country": "US", "mechanism": "none"})]})
	r := result(inp)
	r.criteria == []
	r.level == "not_required"
	r.required == false
}

# --- Art. 35(3): always required ---------------------------------------------------------------

test_gdpr_dpia_required_art35_3_a if {
	inp := fixtures.with_activity({"evaluation_or_scoring": true, "automated_decisions": true, "decisions_legal_effect": true})
	r := result(inp)
	r.level == "required"
	r.required == true
	r.why == "Art. 35(3) applies: (a) Customer accounts: systematic and extensive evaluation based on automated processing with decisions producing legal or similarly significant effects"
	r.art35_3 == [{
		"case": "a",
		"activity": "Customer accounts",
		"why": "systematic and extensive evaluation based on automated processing with decisions producing legal or similarly significant effects",
		"fields": ["activities[0].evaluation_or_scoring", "activities[0].automated_decisions", "activities[0].decisions_legal_effect"],
	}]
	dpia_finding(inp) == {
		"id": "GDPR-DPIA-REQUIRED",
		"regime": "gdpr",
		"kind": "gap",
		"severity": "high",
		"title": "DPIA required before processing",
		"detail": "DPIA required: Art. 35(3) applies: (a) Customer accounts: systematic and extensive evaluation based on automated processing with decisions producing legal or similarly significant effects. Has a DPIA been carried out and documented?",
		"citation": {"ref": "GDPR Art. 35(1),(3),(7); WP248 rev.01", "url": "https://eur-lex.europa.eu/eli/reg/2016/679/oj"},
		"fields": ["activities[0].automated_decisions", "activities[0].decisions_legal_effect", "activities[0].evaluation_or_scoring"],
		"action": {"title": "Carry out and document the DPIA (Art. 35(7)) before go-live; consult the supervisory authority if high risk remains (Art. 36)", "owner": "legal", "due": "2027-02-15"},
	}
}

test_art35_3_a_needs_all_three_answers if {
	r := result(fixtures.with_activity({"automated_decisions": true, "decisions_legal_effect": true}))
	r.art35_3 == []
	criteria_ids(fixtures.with_activity({"automated_decisions": true, "decisions_legal_effect": true})) == {"automated_decision"}
	r.level == "possible"
}

test_gdpr_dpia_required_art35_3_b_large_scale_health if {
	inp := fixtures.with_activity({"data_categories": ["contact", "health"], "data_subjects": [fixtures.subjects("patients", ["DE"], 10000)]})
	r := result(inp)
	r.level == "required"
	r.why == "Art. 35(3) applies: (b) Customer accounts: large-scale processing of special categories or criminal data: health"
	criteria_ids(inp) == {"sensitive_data", "large_scale", "vulnerable_subjects"}
	f := dpia_finding(inp)
	f.fields == ["activities[0].data_categories", "activities[0].data_subjects[0].count", "activities[0].data_subjects[0].type"]
}

test_art35_3_b_needs_large_scale if {
	r := result(fixtures.with_activity({"data_categories": ["contact", "health"], "data_subjects": [fixtures.subjects("customers", ["DE"], 9999)]}))
	r.art35_3 == []
	r.level == "possible"
}

test_gdpr_dpia_required_art35_3_c_public_area if {
	inp := fixtures.with_activity({"public_area_monitoring": true, "data_categories": ["images"], "data_subjects": [fixtures.subjects("other", ["DE"], 50000)]})
	r := result(inp)
	r.level == "required"
	r.why == "Art. 35(3) applies: (c) Customer accounts: systematic monitoring of a publicly accessible area on a large scale"
	"activities[0].public_area_monitoring" in dpia_finding(inp).fields
	some c in r.criteria
	c.id == "systematic_monitoring"
	c.fields == ["activities[0].public_area_monitoring"]
}

# --- WP248 criteria ----------------------------------------------------------------------------

test_gdpr_dpia_required_likely_with_two_criteria if {
	# a Czech controller: no Art. 35(4) list item decides (the DSK list would, for a German one)
	inp := fixtures.with_activity_and({"evaluation_or_scoring": true, "innovative_technology": true}, {"deployment": {"customer_country": "CZ"}})
	r := result(inp)
	r.level == "likely"
	r.required == true
	r.why == "Customer accounts meets 2: two or more WP248 criteria each, so a DPIA is required in most cases"
	r.criteria == [
		{"id": "evaluation_scoring", "activity": "Customer accounts", "why": "evaluation or scoring, including profiling and predicting", "fields": ["activities[0].evaluation_or_scoring"]},
		{"id": "innovative_technology", "activity": "Customer accounts", "why": "innovative use of technology (AI/ML, biometrics, IoT)", "fields": ["activities[0].innovative_technology"]},
	]
	f := dpia_finding(inp)
	f.detail == "DPIA likely: Customer accounts meets 2: two or more WP248 criteria each, so a DPIA is required in most cases. Has a DPIA been carried out and documented?"
	f.fields == ["activities[0].evaluation_or_scoring", "activities[0].innovative_technology"]
}

test_possible_with_one_criterion if {
	inp := fixtures.with_activity({"combines_datasets": true})
	r := result(inp)
	r.level == "possible"
	r.required == false
	r.why == "each activity meets at most one WP248 criterion: a DPIA may still be needed (WP248 rev.01); document the decision"
	no_dpia_finding(inp)
}

test_criteria_are_counted_per_activity if {
	# one criterion in each of two activities is not "two criteria"
	inp := fixtures.input_with({"activities": [
		object.union(fixtures.activity, {"name": "Scoring", "evaluation_or_scoring": true}),
		object.union(fixtures.activity, {"name": "Matching", "combines_datasets": true}),
	]})
	result(inp).level == "possible"
	no_dpia_finding(inp)
}

test_every_wp248_criterion if {
	inp := fixtures.with_activity({
		"evaluation_or_scoring": true,
		"automated_decisions": true,
		"decisions_legal_effect": true,
		"systematic_monitoring": true,
		"data_categories": ["location"],
		"data_subjects": [object.union(fixtures.subjects("employees", ["DE"], 20000), {"vulnerable": true})],
		"combines_datasets": true,
		"innovative_technology": true,
		"prevents_rights_or_service": true,
	})
	criteria_ids(inp) == {
		"evaluation_scoring", "automated_decision", "systematic_monitoring", "sensitive_data", "large_scale",
		"matching_combining", "vulnerable_subjects", "innovative_technology", "prevents_rights",
	}
	r := result(inp)
	some c in r.criteria
	c.id == "large_scale"
	startswith(c.why, "about 20000 data subjects")
	c.fields == ["activities[0].data_subjects[0].count"]
	some v in r.criteria
	v.id == "vulnerable_subjects"
	v.why == "vulnerable data subjects: employees"
}

test_vulnerable_by_type if {
	# children are vulnerable even when the answer says otherwise
	criteria_ids(fixtures.with_activity({"data_subjects": [fixtures.subjects("children", ["DE"], 10)]})) == {"vulnerable_subjects"}
	criteria_ids(fixtures.with_activity({"data_subjects": [object.union(fixtures.subjects("customers", ["DE"], 10), {"vulnerable": true})]})) == {"vulnerable_subjects"}
}

# --- Recital 91 ----------------------------------------------------------------------------------

test_individual_practitioner_recital_91 if {
	# a GP's patients: health data of vulnerable people, never large scale
	inp := fixtures.with_activity_and(
		{"data_categories": ["contact", "health"], "data_subjects": [fixtures.subjects("patients", ["DE"], 50000)]},
		{"deployment": {"customer_type": "individual_practitioner"}},
	)
	criteria_ids(inp) == {"sensitive_data", "vulnerable_subjects"}
	r := result(inp)
	r.level == "not_required"
	r.required == false
	r.why == "Recital 91: the patients or clients of an individual physician, health professional or lawyer are not processed on a large scale; WP248 does not require a DPIA in this case"
	no_dpia_finding(inp)
}

test_individual_practitioner_still_needs_a_dpia_under_art35_3_a if {
	inp := fixtures.with_activity_and(
		{"evaluation_or_scoring": true, "automated_decisions": true, "decisions_legal_effect": true},
		{"deployment": {"customer_type": "individual_practitioner"}},
	)
	result(inp).level == "required"
}

# --- applicability -----------------------------------------------------------------------------

test_not_applicable_without_a_gdpr_controller if {
	# a US customer scoring US people, vendor in the US: WP248 is GDPR guidance and does not apply
	inp := fixtures.with_activity_and(
		{"evaluation_or_scoring": true, "innovative_technology": true, "data_subjects": [fixtures.subjects("customers", ["US"], 100)]},
		{"deployment": {"customer_country": "US", "vendor_country": "US"}},
	)
	result(inp) == {
		"required": false,
		"level": "not_applicable",
		"why": "The GDPR and the UK GDPR do not apply with controller capacity, so their DPIA screening (Art. 35, WP248) does not either; no national impact-assessment duty holds either",
		"headline": "no impact assessment duty",
		"criteria": [],
		"art35_3": [],
		"basis": "GDPR Art. 35 does not apply (no GDPR or UK GDPR controller); the national impact assessments apply",
		"citation": {"ref": "GDPR Art. 35", "url": "https://eur-lex.europa.eu/eli/reg/2016/679/oj"},
		"national": [],
		"lists": [],
		"lists_not_held": [],
	}
	no_dpia_finding(inp)
}

test_not_applicable_for_a_vendor_bound_only_as_processor if {
	# the vendor is a processor established in Germany: Art. 35 binds the controller (the US
	# customer), which the GDPR does not reach
	inp := fixtures.with_activity_and(
		{"evaluation_or_scoring": true, "innovative_technology": true, "data_subjects": [fixtures.subjects("customers", ["US"], 100)]},
		{"deployment": {"customer_country": "US", "vendor_country": "US"}},
	)
	r := result(inp)
	r.level == "not_applicable"
	r.criteria == []
	no_dpia_finding(inp)
}

test_screening_covers_only_the_activities_the_gdpr_governs if {
	# a US customer targeting Germans in one activity and scoring US people in another: only the
	# first is screened
	inp := fixtures.input_with({
		"deployment": {"customer_country": "US", "vendor_country": "US"},
		"activities": [
			object.union(fixtures.activity, {"name": "EU shop", "targeted_countries": ["DE"]}),
			object.union(fixtures.activity, {"name": "US scoring", "evaluation_or_scoring": true, "innovative_technology": true, "data_subjects": [fixtures.subjects("customers", ["US"], 100)]}),
		],
	})
	r := result(inp)
	r.level == "not_required"
	r.criteria == []
}

test_recorded_gdpr_dpia_clears_the_finding if {
	inp := fixtures.with_activity_and(
		{"evaluation_or_scoring": true, "automated_decisions": true, "decisions_legal_effect": true},
		{"governance": {"impact_assessments": ["gdpr", "cn_pipl"]}},
	)
	r := result(inp)
	r.level == "required"
	r.required == true
	no_dpia_finding(inp)

	# a DPIA recorded for another law does not count
	dpia_finding(fixtures.with_activity_and(
		{"evaluation_or_scoring": true, "automated_decisions": true, "decisions_legal_effect": true},
		{"governance": {"impact_assessments": ["uk_gdpr"]}},
	)).id == "GDPR-DPIA-REQUIRED"
}

test_uk_gdpr_counts_for_the_dpia if {
	inp := fixtures.with_activity_and(
		{"evaluation_or_scoring": true, "innovative_technology": true, "data_subjects": [fixtures.subjects("customers", ["GB"], 100)]},
		{"deployment": {"customer_country": "GB"}},
	)
	result(inp).required == true
	no_dpia_finding(inp) # the GDPR finding is for the EU GDPR; the UK DPIA comes from the jurisdiction data
}

test_national_impact_assessment_makes_the_dpia_required if {
	# PIPL Art. 55: sensitive data of people in China, customer in China
	# (the vendor is in China too: no GDPR at all, so the national assessment leads)
	inp := fixtures.input_with({
		"deployment": {"customer_country": "CN", "vendor_country": "CN"},
		"hosting": fixtures.hosting_in("CN", {}),
		"activities": [object.union(fixtures.activity, {"data_subjects": [fixtures.subjects("customers", ["CN"], 500)], "data_categories": ["contact", "financial"]})],
	})
	r := result(inp)
	r.level == "not_applicable"
	r.required == true
	r.criteria == []
	[e.regime | some e in r.national] == ["cn_pipl"]
	r.headline == "PIPIA (personal information protection impact assessment)"
	r.why == "The GDPR and the UK GDPR do not apply with controller capacity, so their DPIA screening (Art. 35, WP248) does not either; the national impact assessments lead: PIPIA (personal information protection impact assessment) (cn_pipl)"
	r.citation == {"ref": "PIPL Art. 55(1)", "url": "http://en.npc.gov.cn.cdurl.cn/2021-12/29/c_694559_3.htm", "ref_zh": "《中华人民共和国个人信息保护法》第五十五条第（一）项", "url_zh": "http://www.npc.gov.cn/npc/c30834/202108/a8c4e3672c74491a80b53a172bb753fe.shtml"}
}

test_individual_practitioner_with_scoring_is_counted_normally if {
	# Recital 91 rules out "large scale" only: scoring plus innovative technology still count
	inp := fixtures.input_with({
		"deployment": object.union(fixtures.questionnaire.deployment, {"customer_type": "individual_practitioner", "customer_country": "CZ"}),
		"activities": [object.union(fixtures.activity, {"evaluation_or_scoring": true, "innovative_technology": true})],
	})
	r := result(inp)
	r.level == "likely"
}

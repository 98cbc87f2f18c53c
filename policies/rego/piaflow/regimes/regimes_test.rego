package piaflow.regimes_test

import data.piaflow.facts
import data.piaflow.fixtures
import data.piaflow.regimes

ids(inp) := x if {
	es := regimes.entries with input as inp
	x := {e.id | some e in es}
}

entry(inp, id) := e if {
	es := regimes.entries with input as inp
	some e in es
	e.id == id
}

test_baseline_gdpr_by_establishment_and_subjects if {
	entry(fixtures.baseline, "gdpr") == {
		"id": "gdpr",
		"name": "EU General Data Protection Regulation (Regulation (EU) 2016/679)",
		"short": "GDPR",
		"why": "data subjects in DE; the customer is established in DE. Art. 3(1): processing in the context of an establishment in the EU/EEA; Art. 3(2): people in the EU/EEA to whom goods or services are offered or whose behaviour is monitored",
		"why_msg": {"id": "regimes.entry", "params": {
			"reasons": {"sep": "; ", "items": [
				{"id": "regimes.subjects", "params": {"countries": {"sep": ", ", "items": ["DE"]}}},
				{"id": "regimes.establishment", "params": {"countries": {"sep": ", ", "items": ["DE"]}}},
			]},
			"scope": {"id": "regimes.scope.gdpr", "params": {}},
		}},
		"fields": ["activities[0].data_subjects[0].countries", "deployment.customer_country"],
		"citation": {"ref": "GDPR Art. 3", "url": "https://eur-lex.europa.eu/eli/reg/2016/679/oj"},
		"jurisdiction": "gdpr",
		"last_reviewed": "2026-11-25",
		"certainty": "firm",
		"capacity": "controller",
		"question": [],
	}
	ids(fixtures.baseline) == {"gdpr"}
	regimes.applies("gdpr") with input as fixtures.baseline
	not regimes.applies("cn_pipl") with input as fixtures.baseline
}

test_gdpr_by_establishment_only if {
	# a German customer serving US people
	inp := fixtures.with_activity({"data_subjects": [fixtures.subjects("customers", ["US"], 10)]})
	e := entry(inp, "gdpr")
	e.fields == ["deployment.customer_country"]
	startswith(e.why, "the customer is established in DE. ")
}

test_subjects_in_several_countries if {
	inp := fixtures.with_activity({"data_subjects": [
		fixtures.subjects("customers", ["FR", "DE", "CN"], 10),
		fixtures.subjects("employees", ["CN"], 10),
	]})
	ids(inp) == {"gdpr", "cn_pipl"}
	e := entry(inp, "cn_pipl")
	e.fields == ["activities[0].data_subjects[0].countries", "activities[0].data_subjects[1].countries"]
	startswith(e.why, "data subjects in CN (whether the law reaches them is open). PIPL Art. 3")
	startswith(entry(inp, "gdpr").why, "data subjects in DE, FR; the customer is established in DE.")
}

test_russian_citizens_abroad if {
	inp := fixtures.with_activity({"data_subjects": [object.union(fixtures.subjects("customers", ["DE"], 10), {"citizenship": ["RU"]})]})
	e := entry(inp, "ru_152fz")
	e.fields == ["activities[0].data_subjects[0].citizenship"]
	startswith(e.why, "citizens of RU among the data subjects abroad. ")
	e.citation.ref == "152-FZ Art. 1, 3, 18(5)"
}

test_citizenship_does_not_count_where_the_law_ignores_it if {
	# Chinese citizens living in Germany: PIPL follows location, not citizenship
	inp := fixtures.with_activity({"data_subjects": [object.union(fixtures.subjects("customers", ["DE"], 10), {"citizenship": ["CN"]})]})
	ids(inp) == {"gdpr"}
}

test_establishment_only_law if {
	# POPIA applies to a responsible party in South Africa, not to people located there
	inp := fixtures.with_activity({"data_subjects": [fixtures.subjects("customers", ["ZA"], 10)]})
	not "za_popia" in ids(inp)
	inp2 := fixtures.input_with({"deployment": {"customer_country": "ZA"}})
	"za_popia" in ids(inp2)
}

test_regime_of_the_law_in_force if {
	inp := fixtures.with_activity({"data_subjects": [fixtures.subjects("customers", ["VN"], 10)]})
	entry(inp, "vn_pdpd").jurisdiction == "vn_pdpd_2026"
	entry(fixtures.at(inp, "2025-06-01"), "vn_pdpd").jurisdiction == "vn_pdpd_2023"
	not "in_dpdp" in ids(fixtures.at(fixtures.with_activity({"data_subjects": [fixtures.subjects("customers", ["IN"], 10)]}), "2010-06-01"))
}

# --- establishment of the customer and the vendor ------------------------------------------------

test_customer_establishment_elsewhere if {
	# a US customer with a branch in France whose processing feeds the deployment
	inp := fixtures.input_with({
		"deployment": {"customer_country": "US", "vendor_country": "US", "customer_establishments": ["FR"]},
		"activities": [object.union(fixtures.activity, {"data_subjects": [fixtures.subjects("customers", ["US"], 10)]})],
	})
	e := entry(inp, "gdpr")
	e.certainty == "firm"
	e.capacity == "controller"
	e.fields == ["deployment.customer_establishments"]
	startswith(e.why, "the customer is established in FR. ")
}

test_vendor_processor_established_in_the_eu if {
	# GDPR Art. 3(1): US consumers, a US customer, a processor established in Germany
	inp := fixtures.input_with({
		"deployment": {"customer_country": "US"},
		"activities": [object.union(fixtures.activity, {"data_subjects": [fixtures.subjects("customers", ["US"], 200000)]})],
	})
	e := entry(inp, "gdpr")
	e.certainty == "firm"
	e.capacity == "processor"
	e.fields == ["deployment.vendor_country", "deployment.vendor_role"]
	startswith(e.why, "the vendor (processor) is established in DE. ")
	ids(inp) == {"gdpr"}

	# the same vendor in the US: no law of the library
	us := fixtures.input_with({
		"deployment": {"customer_country": "US", "vendor_country": "US"},
		"activities": [object.union(fixtures.activity, {"data_subjects": [fixtures.subjects("customers", ["US"], 200000)]})],
	})
	ids(us) == set()

	# a national law reaching a processor established there (PIPL Art. 3(1)): the processor only
	cn := fixtures.input_with({
		"deployment": {"customer_country": "US", "vendor_country": "CN"},
		"activities": [object.union(fixtures.activity, {"data_subjects": [fixtures.subjects("customers", ["US"], 10)]})],
	})
	ids(cn) == {"cn_pipl"}
	c := entry(cn, "cn_pipl")
	c.certainty == "firm"
	c.capacity == "processor"

	# without the data entry the vendor's establishment does not bring PIPL in
	stripped := no_vendor_establishment("cn_pipl")
	ids(cn) == set() with data.piaflow.jurisdictions as stripped
}

# no_vendor_establishment(id): the jurisdiction data with id's scope.vendor_establishment removed.
no_vendor_establishment(id) := [k |
	some j in data.piaflow.jurisdictions
	k := strip_vendor(j, id)
]

strip_vendor(j, id) := json.remove(j, ["scope/vendor_establishment"]) if j.id == id

else := j

test_vendor_processor_review_reach_is_conditional if {
	# Brazil: LGPD Art. 3(I) v. Art. 4(IV) for foreign-origin data: legal answers
	br := fixtures.input_with({
		"deployment": {"customer_country": "US", "vendor_country": "BR"},
		"activities": [object.union(fixtures.activity, {"data_subjects": [fixtures.subjects("customers", ["US"], 10)]})],
	})
	e := entry(br, "br_lgpd")
	e.certainty == "conditional"
	e.capacity == "processor"
	e.question == ["deployment.scope_confirmed.br_lgpd"]

	# legal's answer makes it firm
	yes := json.patch(br, [{"op": "add", "path": "/questionnaire/deployment/scope_confirmed", "value": {"br_lgpd": true}}])
	entry(yes, "br_lgpd").certainty == "firm"

	# a vendor controller established there: the establishment clause, firm
	ctl := json.patch(br, [{"op": "replace", "path": "/questionnaire/deployment/vendor_role", "value": "controller"}])
	entry(ctl, "br_lgpd").certainty == "firm"
	entry(ctl, "br_lgpd").capacity == "controller"
}

test_vendor_reason_does_not_settle_the_customer_question if {
	# people in CN, a US customer whose targeting is open, a processor in CN: PIPL stays
	# conditional for the customer (the vendor's establishment does not answer Art. 3(2))
	inp := fixtures.input_with({
		"deployment": {"customer_country": "US", "vendor_country": "CN"},
		"activities": [object.union(fixtures.activity, {"data_subjects": [fixtures.subjects("customers", ["CN"], 10)]})],
	})
	e := entry(inp, "cn_pipl")
	e.certainty == "conditional"
	e.capacity == "controller"
	e.question == ["activities[0].monitored_countries", "activities[0].targeted_countries"]
}

# --- scope questions ---------------------------------------------------------------------------

# abroad(act_patch): a Vietnamese customer whose activity has people in CN.
abroad(act_patch) := fixtures.input_with({
	"deployment": {"customer_country": "VN", "vendor_country": "VN"},
	"activities": [object.union_n([fixtures.activity, {"data_subjects": [fixtures.subjects("customers", ["CN"], 500)]}, act_patch])],
})

test_targeting_unanswered_is_conditional if {
	e := entry(abroad({}), "cn_pipl")
	e.certainty == "conditional"
	e.capacity == "controller"
	e.question == ["activities[0].monitored_countries", "activities[0].targeted_countries"]
	startswith(e.why, "data subjects in CN (whether the law reaches them is open). ")
	regimes.conditional_regimes == {"cn_pipl": {"short": "PIPL", "question": ["activities[0].monitored_countries", "activities[0].targeted_countries"]}} with input as abroad({})
}

test_targeting_answered_yes_is_firm if {
	e := entry(abroad({"targeted_countries": ["CN"]}), "cn_pipl")
	e.certainty == "firm"
	e.question == []
	startswith(e.why, "data subjects in CN (Customer accounts). ")

	# monitoring alone also reaches them under PIPL Art. 3(2)(2)
	entry(abroad({"monitored_countries": ["CN"]}), "cn_pipl").certainty == "firm"
}

test_targeting_answered_no_takes_the_law_out if {
	inp := abroad({"targeted_countries": [], "monitored_countries": ["JP"]})
	not "cn_pipl" in ids(inp)

	# one field answered is not enough where either targeting or monitoring reaches them
	entry(abroad({"targeted_countries": []}), "cn_pipl").certainty == "conditional"
}

test_targeting_per_activity if {
	# activity 0 answered "none", activity 1 targets CN: PIPL reaches only activity 1's people
	inp := fixtures.input_with({
		"deployment": {"customer_country": "VN", "vendor_country": "VN"},
		"activities": [
			object.union(fixtures.activity, {"name": "Suppliers", "targeted_countries": [], "monitored_countries": [], "data_subjects": [fixtures.subjects("other", ["CN"], 2000)]}),
			object.union(fixtures.activity, {"name": "Warranty", "targeted_countries": ["CN"], "data_subjects": [fixtures.subjects("customers", ["CN"], 120000)]}),
		],
	})
	e := entry(inp, "cn_pipl")
	e.certainty == "firm"
	e.fields == ["activities[1].data_subjects[0].countries"]
	facts.concerns.cn_pipl == {1} with input as inp
	facts.totals_by_id.cn_pipl.all == 120000 with input as inp
}

test_location_suffices_is_firm if {
	# Kenya DPA s.4(b): data subjects located in Kenya
	inp := fixtures.with_activity({"data_subjects": [fixtures.subjects("customers", ["KE"], 10)]})
	e := entry(inp, "ke_dpa")
	e.certainty == "firm"
	e.question == []
}

test_law_without_a_test_needs_legal_answer if {
	inp := fixtures.with_activity({"data_subjects": [fixtures.subjects("customers", ["SG"], 10)]})
	e := entry(inp, "sg_pdpa")
	e.certainty == "conditional"
	e.question == ["deployment.scope_confirmed.sg_pdpa"]

	yes := fixtures.input_with({"deployment": {"scope_confirmed": {"sg_pdpa": true}}, "activities": [object.union(fixtures.activity, {"data_subjects": [fixtures.subjects("customers", ["SG"], 10)]})]})
	entry(yes, "sg_pdpa").certainty == "firm"
	entry(yes, "sg_pdpa").question == []

	no := fixtures.input_with({"deployment": {"scope_confirmed": {"sg_pdpa": false}}, "activities": [object.union(fixtures.activity, {"data_subjects": [fixtures.subjects("customers", ["SG"], 10)]})]})
	not "sg_pdpa" in ids(no)
	[j.id | some j in regimes.excluded] == ["sg_pdpa"] with input as no
}

test_citizens_abroad_are_conditional if {
	inp := fixtures.with_activity({"data_subjects": [object.union(fixtures.subjects("customers", ["DE"], 10), {"citizenship": ["RU"]})]})
	e := entry(inp, "ru_152fz")
	e.certainty == "conditional"
	e.question == ["deployment.scope_confirmed.ru_152fz"]
}

# a US customer's US people, a US vendor, a sub-processor of the vendor established in Ireland.
ie_processor(dep, subjects) := fixtures.input_with({
	"deployment": object.union({"customer_country": "US", "vendor_country": "US"}, dep),
	"hosting": fixtures.hosting_in("US", {}),
	"activities": [object.union(fixtures.activity, {
		"data_subjects": subjects,
		"transfers": [fixtures.transfer({"to_country": "IE", "recipient": "Docklands Ltd", "recipient_type": "sub_processor"})],
	})],
})

test_third_party_processor_establishment_brings_the_gdpr_in if {
	inp := ie_processor({}, [fixtures.subjects("customers", ["US"], 500)])
	e := entry(inp, "gdpr")
	e.certainty == "firm"
	e.capacity == "processor"
	e.fields == ["activities[0].transfers[0].to_country"]
	startswith(e.why, "the processor \"Docklands Ltd\" is established in IE (its processing only, as processor). Art. 3(1)")
	[r.basis | some r in regimes.reasons_by.gdpr] == ["processor_establishment"] with input as inp

	# not when the customer or the vendor is established there (their reason already applies it)
	[r.basis | some r in regimes.reasons_by.gdpr] == ["establishment"] with input as ie_processor({"customer_country": "FR"}, [fixtures.subjects("customers", ["US"], 500)])
	[r.basis | some r in regimes.reasons_by.gdpr] == ["vendor"] with input as ie_processor({"vendor_country": "FR"}, [fixtures.subjects("customers", ["US"], 500)])
}

test_third_party_processor_does_not_settle_the_customers_reach if {
	# people in France, targeting not answered: the processor's reason is firm, but whether the
	# GDPR reaches the customer stays open, and the law with it
	inp := ie_processor({}, [fixtures.subjects("customers", ["FR"], 500)])
	e := entry(inp, "gdpr")
	e.certainty == "conditional"
	e.capacity == "controller"
	e.question == ["activities[0].monitored_countries", "activities[0].targeted_countries"]
}

test_vendor_reason_under_the_pipl_names_the_role if {
	inp := fixtures.input_with({
		"deployment": {"customer_country": "US", "vendor_country": "CN"},
		"activities": [object.union(fixtures.activity, {"data_subjects": [fixtures.subjects("customers", ["US"], 10)]})],
	})
	some r in regimes.reasons with input as inp
	r.basis == "vendor"
	r.jurisdiction == "cn_pipl"
	r.why == "the vendor (processor) is established in CN"
	r.why_msg == {"id": "regimes.vendor.cn_pipl.processor", "params": {"country": "CN"}}
}

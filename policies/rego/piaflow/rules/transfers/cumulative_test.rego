# The customer's other exports counted by the tiers that count per exporter since 1 January (CAC
# Provisions (2024) Art. 5(4), 7, 8: deployment.other_exports), and the exemption of data
# collected abroad (Art. 4: activities[].collected_in).
package piaflow.rules.transfers_test

import data.piaflow.fixtures
import data.piaflow.rules.transfers

others(es) := {"other_exports": es}

test_cn_pipl_other_exports_reach_the_100k_tier if {
	# 80,000 people here + 30,000 provided abroad elsewhere this year: the standard contract tier
	inp := cn_to_de(80000, ["contact"], {"mechanism": "none"}, others([{"country": "CN", "subjects": 30000}]))
	f := flow(inp, "cn_pipl", t0)
	f.basis == "tier:general_100k"
	f.verdict == "mechanism_required"
	f.mechanisms == ["standard_contract", "certification"]
	endswith(f.why, "The count includes 30000 people (0 with sensitive personal information) the customer already provides abroad from CN outside this deployment since 1 January (deployment.other_exports[0]).")
	contains(finding(inp, "CN-PIPL-TRANSFER-NO-MECHANISM").detail, "The count includes 30000 people")

	# without the other exports: under 100,000, exempt from the mechanisms
	g := flow(cn_to_de(80000, ["contact"], {"mechanism": "none"}, {}), "cn_pipl", t0)
	g.basis == "tier:under_100k"
	g.verdict == "allowed"
	not contains(g.why, "other exports")
	not contains(g.why, "The count includes")
}

test_cn_pipl_other_exports_below_the_threshold_are_named if {
	# 50,000 + 30,000: still under 100,000, and the text says the count includes them
	f := flow(cn_to_de(50000, ["contact"], {"mechanism": "none"}, others([{"country": "CN", "subjects": 30000, "sensitive_subjects": 100}])), "cn_pipl", t0)
	f.basis == "tier:under_100k"
	endswith(f.why, "The count includes 30000 people (100 with sensitive personal information) the customer already provides abroad from CN outside this deployment since 1 January (deployment.other_exports[0]).")
}

test_cn_pipl_other_sensitive_exports_reach_10k if {
	# sensitive data of 6,000 people here + 5,000 elsewhere: the security assessment
	inp := cn_to_de(6000, ["health"], {}, others([{"country": "CN", "subjects": 5000, "sensitive_subjects": 5000}]))
	f := flow(inp, "cn_pipl", t0)
	f.basis == "tier:sensitive_10k"
	f.verdict == "approval_required"
	contains(f.why, "(5000 with sensitive personal information)")

	# without them: under 10,000, the standard contract or certification
	flow(cn_to_de(6000, ["health"], {}, {}), "cn_pipl", t0).basis == "tier:sensitive_under_10k"

	# other sensitive exports do not make this deployment's non-sensitive data sensitive
	h := flow(cn_to_de(6000, ["contact"], {"mechanism": "none"}, others([{"country": "CN", "subjects": 20000, "sensitive_subjects": 20000}])), "cn_pipl", t0)
	h.basis == "tier:under_100k"
}

test_cn_pipl_other_exports_from_another_country_do_not_count if {
	f := flow(cn_to_de(80000, ["contact"], {"mechanism": "none"}, others([{"country": "VN", "subjects": 30000}])), "cn_pipl", t0)
	f.basis == "tier:under_100k"
	not contains(f.why, "The count includes")
}

test_cn_pipl_other_exports_not_counted_by_the_2022_measures if {
	# the 2022 Measures counted from 1 January of the previous year: their tiers are not marked
	inp := fixtures.at(cn_to_de(90000, ["contact"], {"mechanism": "none"}, others([{"country": "CN", "subjects": 30000}])), "2023-06-01")
	f := flow(inp, "cn_pipl", t0)
	f.basis == "default"
	not contains(f.why, "The count includes")
}

# --- data collected abroad (CAC Provisions (2024) Art. 4) ----------------------------------------

# returned(act_patch, dep): a customer established in China processes, on its servers in China,
# the data of 200,000 people in Japan and sends it back to its client in Japan.
returned(act_patch, dep) := fixtures.input_with({
	"deployment": object.union(cn_dep, dep),
	"hosting": fixtures.hosting_in("CN", {}),
	"activities": [object.union_n([
		fixtures.activity,
		{
			"name": "Outsourced processing",
			"data_subjects": [fixtures.subjects("customers", ["JP"], 200000)],
			"transfers": [fixtures.transfer({"to_country": "JP", "recipient": "Client in Osaka", "recipient_type": "controller", "access": "copy", "mechanism": "none"})],
		},
		act_patch,
	])],
})

art4 := "CAC Provisions (2024) Art. 4"

question := "Answer activities[0].collected_in: if the data was collected only outside CN, CAC Provisions (2024) Art. 4 could exempt this flow from the transfer mechanisms."

test_cn_pipl_collected_abroad_is_exempt if {
	inp := returned({"collected_in": ["JP"]}, {})
	f := flow(inp, "cn_pipl", t0)
	f.verdict == "allowed"
	f.basis == "exemption:collected_abroad"
	f.status == "satisfied"
	f.citation == {"ref": art4, "ref_zh": "《促进和规范数据跨境流动规定》第四条", "url": "https://www.cac.gov.cn/2024-03/22/c_1712776611775634.htm"}
	f.from_countries == {"CN"}
	startswith(f.why, "Art. 4: personal information collected and generated abroad")
	x := finding(inp, "CN-PIPL-TRANSFER-EXEMPT-ON-ANSWERS")
	x.kind == "needs_review"
	x.severity == "medium"
	x.title == "PIPL: Transfer exempt on the answers"
	x.fields == ["activities[0].collected_in", "activities[0].data_subjects", "activities[0].important_data", "activities[0].transfers[0].mechanism", "activities[0].transfers[0].to_country"]
	startswith(x.detail, "Client in Osaka (copy) in JP: Outsourced processing of people in CN is exempt on the answers: Art. 4:")
	x.citation.ref == art4
	x.action.title == "Have legal confirm that the conditions of the PIPL exemption hold"
	lacks(inp, "CN-PIPL-TRANSFER-EXEMPTION-REVIEW")
	not contains(x.detail, "not answered")

	# important_data not answered: the exemption holds, and legal is asked to confirm it
	unanswered := json.remove(inp, ["questionnaire/activities/0/important_data"])
	flow(unanswered, "cn_pipl", t0).basis == "exemption:collected_abroad"
	y := finding(unanswered, "CN-PIPL-TRANSFER-EXEMPT-ON-ANSWERS")
	endswith(y.detail, " activities[0].important_data not answered: confirm that no important data is involved.")
}

test_cn_pipl_collected_in_unanswered_keeps_the_verdict_and_asks if {
	# not answered: no exemption by assumption; the 200,000 people held in China count
	inp := returned({}, {})
	f := flow(inp, "cn_pipl", t0)
	f.basis == "tier:general_100k"
	f.verdict == "mechanism_required"
	endswith(f.why, question)
	contains(finding(inp, "CN-PIPL-TRANSFER-NO-MECHANISM").detail, question)
	lacks(inp, "CN-PIPL-TRANSFER-EXEMPT-ON-ANSWERS")

	# an empty list answers nothing
	g := flow(returned({"collected_in": []}, {}), "cn_pipl", t0)
	g.basis == "tier:general_100k"
	endswith(g.why, question)
}

test_cn_pipl_collected_in_china_is_not_exempt if {
	f := flow(returned({"collected_in": ["CN", "JP"]}, {}), "cn_pipl", t0)
	f.basis == "tier:general_100k"
	not contains(f.why, "collected_in")
}

test_cn_pipl_collected_abroad_with_important_data_is_not_exempt if {
	f := flow(returned({"collected_in": ["JP"], "important_data": true}, {}), "cn_pipl", t0)
	f.basis == "tier:important_data"
	f.verdict == "approval_required"

	# nor is a question asked where the answer could not exempt the flow
	g := flow(returned({"important_data": true}, {}), "cn_pipl", t0)
	g.basis == "tier:important_data"
	not contains(g.why, "collected_in")
}

test_cn_pipl_collected_abroad_with_people_in_china_is_not_exempt if {
	inp := returned({"collected_in": ["JP"], "data_subjects": [fixtures.subjects("customers", ["JP", "CN"], 200000)]}, {})
	f := flow(inp, "cn_pipl", t0)
	f.basis == "tier:general_100k"

	# with people in China the question is not asked either
	g := flow(returned({"data_subjects": [fixtures.subjects("customers", ["JP", "CN"], 200000)]}, {}), "cn_pipl", t0)
	not contains(g.why, "collected_in")
}

test_cn_pipl_collected_abroad_before_2024 if {
	# the Provisions took effect on 22 March 2024: no exemption, no question before
	f := flow(fixtures.at(returned({"collected_in": ["JP"]}, {}), "2023-06-01"), "cn_pipl", t0)
	f.basis == "tier:pre2024_volume"
	not contains(f.why, "collected_in")
}

# local_and_returned(collected): people in China (80,000, to Germany) and people in Japan held in
# China (30,000, back to Japan), the latter with the patch `collected`.
local_and_returned(collected) := [
	object.union(fixtures.activity, {"name": "Local", "data_subjects": [fixtures.subjects("customers", ["CN"], 80000)], "transfers": [fixtures.transfer({"to_country": "DE", "mechanism": "none"})]}),
	object.union_n([fixtures.activity, {"name": "Returned", "data_subjects": [fixtures.subjects("customers", ["JP"], 30000)], "transfers": [fixtures.transfer({"to_country": "JP", "mechanism": "none"})]}, collected]),
]

test_cn_pipl_held_data_counts_unless_exempt if {
	# together 110,000 exported
	inp := fixtures.input_with({"deployment": cn_dep, "hosting": fixtures.hosting_in("CN", {}), "activities": local_and_returned({})})
	flow(inp, "cn_pipl", t0).basis == "tier:general_100k"
	flow(inp, "cn_pipl", "activities[1].transfers[0]").basis == "tier:general_100k"

	# the exempt data collected in Japan is not counted
	inp2 := fixtures.input_with({"deployment": cn_dep, "hosting": fixtures.hosting_in("CN", {}), "activities": local_and_returned({"collected_in": ["JP"]})})
	flow(inp2, "cn_pipl", t0).basis == "tier:under_100k"
	flow(inp2, "cn_pipl", "activities[1].transfers[0]").basis == "exemption:collected_abroad"
}

test_cn_pipl_held_data_only_for_a_customer_established_in_china if {
	# a Vietnamese customer: PIPL reaches its people in China, not the Japanese data it has
	# hosted in China (piaflow does not read that as the customer's export under PIPL)
	inp := fixtures.input_with({
		"deployment": {"customer_country": "VN"},
		"hosting": fixtures.hosting_in("CN", {}),
		"activities": [
			object.union(fixtures.activity, {"name": "Local", "data_subjects": [fixtures.subjects("customers", ["CN"], 500)], "targeted_countries": ["CN"]}),
			object.union(fixtures.activity, {"name": "Returned", "data_subjects": [fixtures.subjects("customers", ["JP"], 500)], "transfers": [fixtures.transfer({"to_country": "JP", "mechanism": "none"})]}),
		],
	})
	count([f | some f in flows(inp, "cn_pipl"); f.activity_index == 1]) == 0
}

test_cn_pipl_data_held_in_china_that_stays_makes_no_flow if {
	# hosted in China and not sent anywhere: nothing leaves China
	inp := returned({"transfers": []}, {})
	count(flows(inp, "cn_pipl")) == 0
	transfers.held_acts == {"cn_pipl": set()} with input as inp
}

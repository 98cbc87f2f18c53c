package piaflow.rules.national_test

import data.piaflow.fixtures
import data.piaflow.rules.national

jur(id) := j if {
	some j in data.piaflow.jurisdictions
	j.id == id
}

ids(inp) := x if {
	x := fixtures.ids(national.findings) with input as inp
}

lacks(inp, id) if {
	x := ids(inp)
	not id in x
}

finding(inp, id) := f if {
	f := fixtures.one(national.findings, id) with input as inp
}

# people(country, n, cats): one activity of n customers in `country`, hosted in that country.
people(country, n, cats, dep, gov) := fixtures.input_with({
	"deployment": dep,
	"governance": gov,
	"hosting": fixtures.hosting_in(country, {}),
	"activities": [object.union(fixtures.activity, {"data_subjects": [fixtures.subjects("customers", [country], n)], "data_categories": cats})],
})

no_governance := {"dpo_appointed": false, "local_representative": false, "breach_notification_process": false}

# --- breach notification -----------------------------------------------------------------------

test_gdpr_breach_process if {
	inp := fixtures.governance_with({"breach_notification_process": false})
	finding(inp, "GDPR-BREACH-PROCESS").detail_msg.id == "national.breach_process"
	object.remove(finding(inp, "GDPR-BREACH-PROCESS"), ["detail_msg"]) == {
		"id": "GDPR-BREACH-PROCESS",
		"regime": "gdpr",
		"kind": "violation",
		"severity": "high",
		"title": "GDPR: No breach notification process",
		"detail": "GDPR requires breach notification to the competent supervisory authority: without undue delay and, where feasible, within 72 hours of becoming aware; data subjects without undue delay when the risk is high (Art. 34). The questionnaire records no breach notification process.",
		"citation": {"ref": "GDPR Art. 33, 34", "url": "https://eur-lex.europa.eu/eli/reg/2016/679/oj"},
		"fields": ["governance.breach_notification_process"],
		"action": {"title": "Set up a breach notification process that meets the GDPR deadline", "owner": "customer", "due": "2027-02-15"},
	}
}

test_ru_152fz_breach_process_for_every_applicable_law if {
	inp := people("RU", 100, ["contact"], {"customer_country": "DE"}, {"breach_notification_process": false})
	"GDPR-BREACH-PROCESS" in ids(inp)
	f := finding(inp, "RU-152FZ-BREACH-PROCESS")
	f.regime == "ru_152fz"
	f.citation == jur("ru_152fz").breach.citation
	f.fields == ["governance.breach_notification_process"]
	f.detail == sprintf("152-FZ requires breach notification to Roskomnadzor: %s. The questionnaire records no breach notification process.", [jur("ru_152fz").breach.deadline])
}

test_breach_process_absent_with_a_process_or_without_the_law if {
	lacks(people("RU", 100, ["contact"], {}, {"dpo_appointed": false}), "RU-152FZ-BREACH-PROCESS")

	# POPIA does not apply to a German customer (establishment-only scope)
	lacks(people("ZA", 100, ["contact"], {}, no_governance), "ZA-POPIA-BREACH-PROCESS")
}

# --- DPO ---------------------------------------------------------------------------------------

test_cn_pipl_dpo_from_one_million_people if {
	inp := people("CN", 1000000, ["contact"], {"customer_country": "CN"}, no_governance)
	finding(inp, "CN-PIPL-DPO").detail_msg.id == "national.dpo.pipl"
	object.remove(finding(inp, "CN-PIPL-DPO"), ["detail_msg"]) == {
		"id": "CN-PIPL-DPO",
		"regime": "cn_pipl",
		"kind": "violation",
		"severity": "high",
		"title": "PIPL: Data protection officer required",
		"detail": "A processor handling personal information above the number set by the CAC must designate a personal information protection officer (the 1,000,000 figure comes from later CAC rules; confirm). No DPO is appointed (governance.dpo_appointed).",
		"citation": {"ref": "PIPL Art. 52", "url": "http://en.npc.gov.cn.cdurl.cn/2021-12/29/c_694559_3.htm", "ref_zh": "《中华人民共和国个人信息保护法》第五十二条", "url_zh": "http://www.npc.gov.cn/npc/c30834/202108/a8c4e3672c74491a80b53a172bb753fe.shtml"},
		"fields": ["activities[0].data_subjects", "governance.dpo_appointed"],
		"action": {"title": "Appoint the data protection officer required by PIPL", "owner": "customer", "due": "2027-02-15"},
	}
}

test_cn_pipl_dpo_not_below_the_threshold if {
	lacks(people("CN", 999999, ["contact"], {"customer_country": "CN"}, no_governance), "CN-PIPL-DPO")
	lacks(people("CN", 1000000, ["contact"], {"customer_country": "CN"}, {"dpo_appointed": true}), "CN-PIPL-DPO")
}

test_ru_152fz_dpo_for_a_legal_entity if {
	inp := people("RU", 100, ["contact"], {"customer_country": "RU"}, no_governance)
	f := finding(inp, "RU-152FZ-DPO")
	f.kind == "violation"
	f.severity == "high"
	f.citation.ref == "152-FZ Art. 18.1(1)(1), 22.1"
	f.fields == ["activities[0].data_subjects", "governance.dpo_appointed"]
	f.title == "152-FZ: Data protection officer required"

	# an individual practitioner is not a legal entity
	lacks(people("RU", 100, ["contact"], {"customer_country": "RU", "customer_type": "individual_practitioner"}, no_governance), "RU-152FZ-DPO")
}

test_br_lgpd_dpo_encarregado if {
	f := finding(people("BR", 100, ["contact"], {"customer_country": "BR"}, no_governance), "BR-LGPD-DPO")
	f.citation.ref == "LGPD Art. 41; Resolução CD/ANPD nº 18/2024"
	startswith(f.detail, "The controller must appoint a person in charge of personal data processing (encarregado)")
}

# --- local representative ----------------------------------------------------------------------

test_cn_pipl_representative_for_a_foreign_processor if {
	inp := people("CN", 500, ["contact"], {"customer_country": "DE"}, no_governance)
	finding(inp, "CN-PIPL-REPRESENTATIVE").detail_msg.id == "national.representative"
	object.remove(finding(inp, "CN-PIPL-REPRESENTATIVE"), ["detail_msg"]) == {
		"id": "CN-PIPL-REPRESENTATIVE",
		"regime": "cn_pipl",
		"kind": "needs_review",
		"severity": "high",
		"title": "PIPL: Local representative required",
		"detail": "A processor outside China caught by Art. 3(2) must set up a dedicated entity or designate a representative in China and report it to the authorities. The customer is established in DE and no local representative is recorded.",
		"citation": {"ref": "PIPL Art. 53", "url": "http://en.npc.gov.cn.cdurl.cn/2021-12/29/c_694559_3.htm", "ref_zh": "《中华人民共和国个人信息保护法》第五十三条", "url_zh": "http://www.npc.gov.cn/npc/c30834/202108/a8c4e3672c74491a80b53a172bb753fe.shtml"},
		"fields": ["activities[0].data_subjects", "deployment.customer_country", "governance.local_representative"],
		"action": {"title": "Designate the local representative required by PIPL", "owner": "customer", "due": "2027-02-15"},
	}
}

test_cn_pipl_representative_not_for_a_chinese_customer if {
	lacks(people("CN", 500, ["contact"], {"customer_country": "CN"}, no_governance), "CN-PIPL-REPRESENTATIVE")
	lacks(people("CN", 500, ["contact"], {"customer_country": "DE"}, {"local_representative": true}), "CN-PIPL-REPRESENTATIVE")
}

test_uk_gdpr_representative if {
	f := finding(people("GB", 500, ["contact"], {"customer_country": "DE"}, no_governance), "UK-GDPR-REPRESENTATIVE")
	f.regime == "uk_gdpr"
	f.citation.ref == "UK GDPR Art. 27"
	f.title == "UK GDPR: Local representative required"
}

# --- national impact assessments ---------------------------------------------------------------

test_cn_pipl_impact_assessment_sensitive_and_export if {
	inp := fixtures.input_with({
		"deployment": {"customer_country": "CN"},
		"hosting": fixtures.hosting_in("DE", {}),
		"activities": [object.union(fixtures.activity, {"data_subjects": [fixtures.subjects("customers", ["CN"], 500)], "data_categories": ["contact", "health"]})],
	})
	finding(inp, "CN-PIPL-IMPACT-ASSESSMENT").detail_msg.id == "national.impact_assessment.pipl"
	object.remove(finding(inp, "CN-PIPL-IMPACT-ASSESSMENT"), ["detail_msg"]) == {
		"id": "CN-PIPL-IMPACT-ASSESSMENT",
		"regime": "cn_pipl",
		"kind": "gap",
		"severity": "medium",
		"title": "PIPL: Impact assessment required by national law",
		"detail": "PIPIA (personal information protection impact assessment) required: Processing sensitive personal information needs a prior PIPIA. Providing personal information to a party outside China needs a prior PIPIA, also when the transfer is exempt from the CAC mechanisms. Has it been carried out and documented?",
		"citation": {"ref": "PIPL Art. 55(1)", "url": "http://en.npc.gov.cn.cdurl.cn/2021-12/29/c_694559_3.htm", "ref_zh": "《中华人民共和国个人信息保护法》第五十五条第（一）项", "url_zh": "http://www.npc.gov.cn/npc/c30834/202108/a8c4e3672c74491a80b53a172bb753fe.shtml"},
		"fields": ["activities[0].data_subjects"],
		"action": {"title": "Carry out and document the impact assessment PIPL requires before processing starts", "owner": "legal", "due": "2027-03-01"},
	}
	es := national.impact_assessments with input as inp
	es == {{
		"regime": "cn_pipl",
		"name": "PIPIA (personal information protection impact assessment)",
		"required": true,
		"why": "Processing sensitive personal information needs a prior PIPIA. Providing personal information to a party outside China needs a prior PIPIA, also when the transfer is exempt from the CAC mechanisms.",
		"citation": {"ref": "PIPL Art. 55(1)", "url": "http://en.npc.gov.cn.cdurl.cn/2021-12/29/c_694559_3.htm", "ref_zh": "《中华人民共和国个人信息保护法》第五十五条第（一）项", "url_zh": "http://www.npc.gov.cn/npc/c30834/202108/a8c4e3672c74491a80b53a172bb753fe.shtml"},
		"activities": ["Customer accounts"],
	}}
}

test_impact_assessment_recorded if {
	inp := people("CN", 500, ["contact", "health"], {"customer_country": "CN"}, object.union(no_governance, {"impact_assessments": ["cn_pipl"]}))
	lacks(inp, "CN-PIPL-IMPACT-ASSESSMENT")

	# the assessment is still required (dpia.national)
	[e.regime | some e in national.impact_assessments with input as inp] == ["cn_pipl"]

	# another law's assessment does not count
	other := people("CN", 500, ["contact", "health"], {"customer_country": "CN"}, object.union(no_governance, {"impact_assessments": ["vn_pdpd"]}))
	"CN-PIPL-IMPACT-ASSESSMENT" in ids(other)
}

test_cn_pipl_impact_assessment_absent_for_domestic_ordinary_data if {
	inp := people("CN", 500, ["contact"], {"customer_country": "CN"}, no_governance)
	lacks(inp, "CN-PIPL-IMPACT-ASSESSMENT")
	count(national.impact_assessments) == 0 with input as inp
}

test_uk_gdpr_impact_assessment_for_automated_decisions if {
	inp := fixtures.input_with({
		"hosting": fixtures.hosting_in("GB", {}),
		"activities": [object.union(fixtures.activity, {"data_subjects": [fixtures.subjects("customers", ["GB"], 500)], "automated_decisions": true})],
	})
	f := finding(inp, "UK-GDPR-IMPACT-ASSESSMENT")
	f.citation.ref == "UK GDPR Art. 35(3)(a); ICO list of processing likely to result in high risk"
	startswith(f.detail, "DPIA required: Systematic and extensive evaluation")
}

# --- scope review ------------------------------------------------------------------------------

test_cn_pipl_scope_review_for_a_foreign_customer if {
	inp := people("CN", 500, ["contact"], {"customer_country": "DE"}, {})
	finding(inp, "CN-PIPL-SCOPE-REVIEW").detail_msg.id == "national.scope_review"
	object.remove(finding(inp, "CN-PIPL-SCOPE-REVIEW"), ["detail_msg"]) == {
		"id": "CN-PIPL-SCOPE-REVIEW",
		"regime": "cn_pipl",
		"kind": "needs_review",
		"severity": "high",
		"title": "PIPL: Does the law reach a customer established abroad?",
		# the expected detail, one literal as the reader sees it
		# regal ignore:line-length
		"detail": "PIPL applies because of data subjects in CN (whether the law reaches them is open); the customer is established in DE. Does activity \"Customer accounts\" offer goods or services to, or monitor the behaviour of, people in CN? Answer activities[0].monitored_countries, activities[0].targeted_countries (an empty list answers no). PIPL Art. 3: processing in China, and processing abroad of people in China to provide them products or services or to analyse their behaviour",
		"citation": {"ref": "PIPL Art. 3", "url": "http://en.npc.gov.cn.cdurl.cn/2021-12/29/c_694559_3.htm", "ref_zh": "《中华人民共和国个人信息保护法》第三条", "url_zh": "http://www.npc.gov.cn/npc/c30834/202108/a8c4e3672c74491a80b53a172bb753fe.shtml"},
		"fields": ["activities[0].data_subjects[0].countries", "activities[0].monitored_countries", "activities[0].targeted_countries", "deployment.customer_country"],
		"action": {"title": "Answer whether PIPL reaches this processing", "owner": "legal", "due": "2027-02-15"},
	}

	# answered: the law is firm (targeting) or out (neither)
	yes := fixtures.input_with({
		"deployment": {"customer_country": "DE"},
		"activities": [object.union(fixtures.activity, {"targeted_countries": ["CN"], "data_subjects": [fixtures.subjects("customers", ["CN"], 500)]})],
	})
	lacks(yes, "CN-PIPL-SCOPE-REVIEW")
	no := fixtures.input_with({
		"deployment": {"customer_country": "DE"},
		"activities": [object.union(fixtures.activity, {"targeted_countries": [], "monitored_countries": [], "data_subjects": [fixtures.subjects("customers", ["CN"], 500)]})],
	})
	count({id | some id in ids(no); startswith(id, "CN-PIPL-")}) == 0
}

test_scope_review_for_a_law_without_a_test if {
	inp := people("SG", 500, ["contact"], {"customer_country": "DE"}, {})
	f := finding(inp, "SG-PDPA-SCOPE-REVIEW")
	f.fields == ["activities[0].data_subjects[0].countries", "deployment.customer_country", "deployment.scope_confirmed.sg_pdpa"]
	contains(f.detail, "Does PDPA (SG) reach this deployment? It states no targeting test (or reaches people through citizenship); legal answers deployment.scope_confirmed.sg_pdpa (true or false).")
}

test_scope_review_names_every_open_activity if {
	inp := fixtures.input_with({
		"deployment": {"customer_country": "DE"},
		"activities": [
			object.union(fixtures.activity, {"name": "Orders", "data_subjects": [fixtures.subjects("customers", ["JP"], 10)]}),
			object.union(fixtures.activity, {"name": "Support", "data_subjects": [fixtures.subjects("customers", ["JP"], 10)]}),
		],
	})
	f := finding(inp, "JP-APPI-SCOPE-REVIEW")
	contains(f.detail, "Does activities \"Orders\", \"Support\" offer goods or services to people in JP? Answer activities[0].targeted_countries, activities[1].targeted_countries (an empty list answers no).")
}

test_scope_excluded_note if {
	inp := fixtures.input_with({
		"deployment": {"customer_country": "DE", "scope_confirmed": {"sg_pdpa": false}},
		"activities": [object.union(fixtures.activity, {"data_subjects": [fixtures.subjects("customers", ["SG"], 10)]})],
	})
	finding(inp, "SG-PDPA-SCOPE-EXCLUDED").detail_msg.id == "national.scope_excluded"
	object.remove(finding(inp, "SG-PDPA-SCOPE-EXCLUDED"), ["detail_msg"]) == {
		"id": "SG-PDPA-SCOPE-EXCLUDED",
		"regime": "sg_pdpa",
		"kind": "needs_review",
		"severity": "info",
		"title": "PDPA (SG): Legal answered that the law does not reach this deployment",
		"detail": sprintf("Legal answered that PDPA (SG) does not reach this deployment (deployment.scope_confirmed.sg_pdpa: false); its findings are left out. %s", [jur("sg_pdpa").scope.why]),
		"citation": jur("sg_pdpa").scope.citation,
		"fields": ["deployment.scope_confirmed.sg_pdpa"],
		"action": {"title": "Keep the reasons why PDPA (SG) does not reach this deployment on file", "owner": "legal"},
	}
	lacks(inp, "SG-PDPA-SCOPE-REVIEW")
	lacks(fixtures.baseline, "SG-PDPA-SCOPE-EXCLUDED")
}

test_ru_152fz_scope_review_for_citizens_abroad if {
	inp := fixtures.with_activity({"data_subjects": [object.union(fixtures.subjects("customers", ["DE"], 10), {"citizenship": ["RU"]})]})
	f := finding(inp, "RU-152FZ-SCOPE-REVIEW")
	f.fields == ["activities[0].data_subjects[0].citizenship", "deployment.customer_country", "deployment.scope_confirmed.ru_152fz"]
	startswith(f.detail, "152-FZ applies because of citizens of RU among the data subjects abroad; the customer is established in DE. Does 152-FZ reach this deployment?")
}

test_scope_review_absent_for_a_customer_established_there if {
	lacks(people("CN", 500, ["contact"], {"customer_country": "CN"}, {}), "CN-PIPL-SCOPE-REVIEW")
	lacks(fixtures.baseline, "GDPR-SCOPE-REVIEW")
}

# --- the vendor as processor established in the law's country ----------------------------------

# vendor_laws: every law whose data models the reach over a processor established there
# (scope.vendor_establishment object), with a country and an as-of date in force.
vendor_laws := [
	["cn_pipl", "CN", "CN-PIPL", "2026-11-25"],
	["sg_pdpa", "SG", "SG-PDPA", "2026-11-25"],
	["th_pdpa", "TH", "TH-PDPA", "2026-11-25"],
	["ae_pdpl", "AE", "AE-PDPL", "2026-11-25"],
	["ng_ndpa", "NG", "NG-NDPA", "2026-11-25"],
	["ke_dpa", "KE", "KE-DPA", "2026-11-25"],
	["in_dpdp", "IN", "IN-DPDP", "2026-11-25"],
	["ch_fadp", "CH", "CH-FADP", "2026-11-25"],
	["br_lgpd", "BR", "BR-LGPD", "2026-11-25"],
	["jp_appi", "JP", "JP-APPI", "2026-11-25"],
	["kr_pipa", "KR", "KR-PIPA", "2026-11-25"],
	["ph_dpa", "PH", "PH-DPA", "2026-11-25"],
	["za_popia", "ZA", "ZA-POPIA", "2026-11-25"],
	["tr_kvkk", "TR", "TR-KVKK", "2026-11-25"],
	["ru_152fz", "RU", "RU-152FZ", "2026-11-25"],
	["sa_pdpl", "SA", "SA-PDPL", "2026-11-25"],
	["id_pdp", "ID", "ID-PDP", "2026-11-25"],
	["vn_pdpd_2023", "VN", "VN-PDPD", "2025-06-01"],
	["my_pdpa", "MY", "MY-PDPA", "2026-11-25"],
]

# us_customer_vendor_in(c, role, date): US consumers of a US customer without a breach process,
# DPO or representative, hosted in the US, with a vendor established in c in `role`.
us_customer_vendor_in(c, role, date) := fixtures.at(
	fixtures.input_with({
		"deployment": {"customer_country": "US", "vendor_country": c, "vendor_role": role},
		"governance": {"breach_notification_process": false, "dpo_appointed": false, "local_representative": false},
		"hosting": fixtures.hosting_in("US", {}),
		"activities": [object.union(fixtures.activity, {"data_subjects": [fixtures.subjects("customers", ["US"], 2000000)], "data_categories": ["contact", "health"]})],
	}),
	date,
)

test_processor_duties_per_law if {
	every l in vendor_laws {
		inp := us_customer_vendor_in(l[1], "processor", l[3])
		f := finding(inp, sprintf("%s-PROCESSOR-DUTIES", [l[2]]))
		f.kind == "needs_review"
		f.fields == ["deployment.vendor_country", "deployment.vendor_role"]
		f.citation == jur(l[0]).scope.vendor_establishment.citation
		contains(f.detail, jur(l[0]).scope.vendor_establishment.duties[0].citation.ref)

		# the customer's controller duties are not raised because the vendor is established there
		every s in ["BREACH-PROCESS", "DPO", "REPRESENTATIVE", "IMPACT-ASSESSMENT"] {
			lacks(inp, sprintf("%s-%s", [l[2], s]))
		}
	}
}

test_processor_duties_only_for_a_processor if {
	every l in vendor_laws {
		# a vendor controller established there is bound by the law as a controller
		ctl := us_customer_vendor_in(l[1], "controller", l[3])
		lacks(ctl, sprintf("%s-PROCESSOR-DUTIES", [l[2]]))
	}
}

test_processor_duties_need_the_data_entry if {
	every l in vendor_laws {
		stripped := [k | some j in data.piaflow.jurisdictions; k := strip_vendor(j, l[0])]
		inp := us_customer_vendor_in(l[1], "processor", l[3])
		lacks(inp, sprintf("%s-PROCESSOR-DUTIES", [l[2]])) with data.piaflow.jurisdictions as stripped
	}
}

strip_vendor(j, id) := json.remove(j, ["scope/vendor_establishment"]) if j.id == id

else := j

test_processor_duties_text_and_confirm if {
	f := finding(us_customer_vendor_in("SG", "processor", "2026-11-25"), "SG-PDPA-PROCESSOR-DUTIES")
	startswith(f.detail, "The vendor is established in SG and processes the data as processor for the customer. PDPA s.4(2): a data intermediary")
	contains(f.detail, "(PDPA s.24); ")
	contains(f.detail, "(PDPA s.26E). Confirm: the contract with the customer must be evidenced or made in writing")
	f.title == "PDPA (SG): The vendor is bound as a processor established in the country"

	# a customer established there: its own law; the finding is for a customer abroad
	dom := json.patch(us_customer_vendor_in("SG", "processor", "2026-11-25"), [{"op": "replace", "path": "/questionnaire/deployment/customer_country", "value": "SG"}])
	lacks(dom, "SG-PDPA-PROCESSOR-DUTIES")
	"SG-PDPA-BREACH-PROCESS" in ids(dom)
}

test_processor_review_reach_asks_legal if {
	inp := us_customer_vendor_in("BR", "processor", "2026-11-25")
	f := finding(inp, "BR-LGPD-SCOPE-REVIEW")
	contains(f.detail, "Does LGPD reach the vendor, established in BR as processor for a customer abroad? LGPD Art. 3(I)")
	contains(f.detail, "Legal answers deployment.scope_confirmed.br_lgpd (true or false).")

	# a firm reach asks nothing
	lacks(us_customer_vendor_in("SG", "processor", "2026-11-25"), "SG-PDPA-SCOPE-REVIEW")
}

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
	finding(inp, "GDPR-BREACH-PROCESS") == {
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
	finding(inp, "CN-PIPL-DPO") == {
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
	finding(inp, "CN-PIPL-REPRESENTATIVE") == {
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
	finding(inp, "CN-PIPL-IMPACT-ASSESSMENT") == {
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
	finding(inp, "CN-PIPL-SCOPE-REVIEW") == {
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
	finding(inp, "SG-PDPA-SCOPE-EXCLUDED") == {
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

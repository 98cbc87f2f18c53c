package piaflow.rules.transfers_test

import data.piaflow.fixtures
import data.piaflow.rules.transfers

# scenario: one activity with the given data subjects, categories and transfers, hosted at a
# single primary site in `host`, with the deployment patched by `dep`.
scenario(subjects, cats, host, ts, dep) := fixtures.input_with({
	"deployment": dep,
	"hosting": fixtures.hosting_in(host, {}),
	"activities": [object.union(fixtures.activity, {"data_subjects": subjects, "data_categories": cats, "transfers": ts})],
})

flows(inp, jid) := fs if {
	every_flow := transfers.flows with input as inp
	fs := [f | some f in every_flow; f.jurisdiction == jid]
}

# the only flow of jurisdiction jid through `via`.
flow(inp, jid, via) := f if {
	fs := flows(inp, jid)
	matches := [f | some f in fs; f.via == via]
	count(matches) == 1
	f := matches[0]
}

ids(inp) := x if {
	x := fixtures.ids(transfers.findings) with input as inp
}

lacks(inp, id) if {
	x := ids(inp)
	not id in x
}

finding(inp, id) := f if {
	f := fixtures.one(transfers.findings, id) with input as inp
}

# plain is a finding without its structured message (docs/messages.md), for comparing texts.
plain(f) := object.remove(f, ["detail_msg"])

jur(id) := j if {
	some j in data.piaflow.jurisdictions
	j.id == id
}

t0 := "activities[0].transfers[0]"

# the (sorted) fields of a finding on the first transfer
t0_fields := ["activities[0].transfers[0].mechanism", "activities[0].transfers[0].to_country"]

# the fields of a flow or transfer entry
t0_flow_fields := ["activities[0].transfers[0].to_country", "activities[0].transfers[0].mechanism"]

# --- GDPR --------------------------------------------------------------------------------------

gdpr_to(country, patch) := fixtures.with_activity({"transfers": [fixtures.transfer(object.union({"to_country": country}, patch))]})

test_gdpr_us_adequacy_only_with_dpf_certification if {
	# certified recipient: the EU-US Data Privacy Framework decision covers it
	f := flow(gdpr_to("US", {"recipient_certifications": ["eu_us_dpf"], "mechanism": "adequacy"}), "gdpr", t0)
	f.verdict == "allowed"
	f.basis == "adequacy"
	f.satisfied == true
	f.mechanisms == []
	f.citation.ref == "Commission Implementing Decision (EU) 2023/1795"

	# uncertified recipient: SCCs are needed, and the text says why adequacy does not help
	g := flow(gdpr_to("US", {"recipient_certifications": ["iso_27001"]}), "gdpr", t0)
	g.verdict == "mechanism_required"
	g.basis == "default"
	g.mechanisms == ["scc", "bcr", "certification"]
	g.satisfied == true
	endswith(g.why, "Adequacy for US covers only recipients certified under eu_us_dpf.")
	g.citation.ref == "GDPR Art. 44-49"
}

test_gdpr_us_dpf_through_the_hosting_processor if {
	# hosted in the US by AWS, which is DPF-certified (processors[0].certifications)
	inp := fixtures.input_with({"hosting": [{"name": "primary", "provider": "aws", "region": "us-east-1", "country": "US", "role": "primary"}]})
	f := flow(inp, "gdpr", "hosting[0]")
	f.verdict == "allowed"
	f.basis == "adequacy"

	# which data AWS's certification covers (HR, non-HR) is not answered: a low review
	ids(inp) == {"GDPR-ADEQUACY-SCOPE-REVIEW"}
	covered := object.union(inp, {"questionnaire": {"processors": [object.union(fixtures.questionnaire.processors[0], {"certification_covered_data": "both"})]}})
	count(transfers.findings) == 0 with input as covered
}

# from_of: the subject countries of a transfers[] row (one row per country, or per flow with
# from_countries).
from_of(row) := {c | some c in row.from_countries} if {
	row.from_countries
} else := {row.from}

test_gdpr_transfer_entries if {
	inp := fixtures.with_activity({
		"data_subjects": [fixtures.subjects("customers", ["DE", "FR"], 800)],
		"transfers": [fixtures.transfer({"to_country": "IN", "recipient": "Support Inc"})],
	})
	r := data.piaflow.main.result with input as inp
	rows := r.transfers
	count(rows) > 0
	{c | some row in rows; some c in from_of(row)} == {"DE", "FR"}
	keys := {"to", "activity", "regime", "verdict", "mechanisms", "citation", "satisfied", "mechanism", "via", "recipient", "access", "basis", "why", "fields"}
	{object.filter(row, keys) | some row in rows} == {{
		"to": "IN", "activity": "Customer accounts", "regime": "gdpr", "verdict": "mechanism_required",
		"mechanisms": ["scc", "bcr", "certification"], "citation": {"ref": "GDPR Art. 44-49", "url": "https://eur-lex.europa.eu/eli/reg/2016/679/oj"},
		"satisfied": true, "mechanism": "scc", "via": t0, "recipient": "Support Inc", "access": "remote_access",
		"basis": "default", "why": jur("gdpr").transfer.text, "fields": t0_flow_fields,
	}}
	count(transfers.findings) == 0 with input as inp
}

test_no_flow_inside_the_jurisdiction if {
	count(flows(gdpr_to("FR", {"mechanism": "none"}), "gdpr")) == 0
	count(transfers.flows) == 0 with input as fixtures.baseline
}

test_gdpr_own_staff_remote_access_is_not_a_transfer if {
	inp := gdpr_to("US", {"recipient_type": "own_staff", "mechanism": "none"})
	count(flows(inp, "gdpr")) == 0
	count(transfers.findings) == 0 with input as inp

	# for a law that does not follow the EDPB view (PIPL) the same access is a transfer
	cn := scenario([fixtures.subjects("customers", ["CN"], 500)], ["contact"], "CN", [fixtures.transfer({"recipient_type": "own_staff", "mechanism": "none"})], {"customer_country": "CN"})
	count(flows(cn, "cn_pipl")) == 1
}

test_gdpr_transfer_no_mechanism if {
	inp := gdpr_to("US", {"mechanism": "none"})
	plain(finding(inp, "GDPR-TRANSFER-NO-MECHANISM")) == {
		"id": "GDPR-TRANSFER-NO-MECHANISM",
		"regime": "gdpr",
		"kind": "violation",
		"severity": "blocker",
		"title": "GDPR: Transfer without a mechanism",
		"detail": sprintf("Support Inc (remote_access) in US: Customer accounts of people in DE. No mechanism is given; acceptable: bcr, certification, scc. %s Adequacy for US covers only recipients certified under eu_us_dpf.", [jur("gdpr").transfer.text]),
		"citation": {"ref": "GDPR Art. 44-49", "url": "https://eur-lex.europa.eu/eli/reg/2016/679/oj"},
		"fields": t0_fields,
		"action": {"title": "Put in place a transfer mechanism accepted under GDPR before data flows", "owner": "legal", "due": "2027-01-30"},
	}
	f := flow(inp, "gdpr", t0)
	f.satisfied == false
}

test_gdpr_transfer_no_mechanism_absent_for_adequate_destination if {
	# Japan is adequate: no mechanism needed
	inp := gdpr_to("JP", {"mechanism": "none"})
	flow(inp, "gdpr", t0).verdict == "allowed"
	lacks(inp, "GDPR-TRANSFER-NO-MECHANISM")
}

test_gdpr_brazil_adequacy_from_2026 if {
	inp := gdpr_to("BR", {"mechanism": "none"})

	# before the Commission's decision of January 2026: SCCs needed
	before := fixtures.at(inp, "2025-06-01")
	flow(before, "gdpr", t0).verdict == "mechanism_required"
	"GDPR-TRANSFER-NO-MECHANISM" in ids(before)

	# after it: adequate
	after := fixtures.at(inp, "2026-11-25")
	f := flow(after, "gdpr", t0)
	f.verdict == "allowed"
	f.basis == "adequacy"
	f.citation.ref == "Commission Implementing Decision (EU) 2026/179"
	lacks(after, "GDPR-TRANSFER-NO-MECHANISM")
}

test_lgpd_eu_adequacy_from_2026 if {
	inp := scenario([fixtures.subjects("customers", ["BR"], 500)], ["contact"], "BR", [fixtures.transfer({"to_country": "DE", "mechanism": "none"})], {"customer_country": "BR"})
	"BR-LGPD-TRANSFER-NO-MECHANISM" in ids(fixtures.at(inp, "2025-06-01"))
	f := flow(inp, "br_lgpd", t0)
	f.verdict == "allowed"
	f.basis == "adequacy"
	lacks(inp, "BR-LGPD-TRANSFER-NO-MECHANISM")
}

test_gdpr_transfer_mechanism_unknown_for_hosting_outside_the_eu if {
	# hosted in India (no adequacy decision) without hosting[].mechanism
	inp := fixtures.input_with({"hosting": fixtures.hosting_in("IN", {"name": "mumbai"})})
	plain(finding(inp, "GDPR-TRANSFER-MECHANISM-UNKNOWN")) == {
		"id": "GDPR-TRANSFER-MECHANISM-UNKNOWN",
		"regime": "gdpr",
		"kind": "gap",
		"severity": "high",
		"title": "GDPR: Transfer mechanism not recorded",
		"detail": sprintf("mumbai (storage) in IN: Customer accounts of people in DE. Which mechanism covers it? Acceptable: bcr, certification, scc. %s", [jur("gdpr").transfer.text]),
		"citation": {"ref": "GDPR Art. 44-49", "url": "https://eur-lex.europa.eu/eli/reg/2016/679/oj"},
		"fields": ["hosting[0].country", "hosting[0].mechanism"],
		"action": {"title": "Record the mechanism (under GDPR) that covers this hosting site or transfer", "owner": "legal", "due": "2027-02-15"},
	}
	f := flow(inp, "gdpr", "hosting[0]")
	f.mechanism == "unknown"
	f.satisfied == false
}

test_gdpr_transfer_mechanism_unknown_absent_when_recorded if {
	inp := fixtures.input_with({"hosting": fixtures.hosting_in("IN", {"mechanism": "scc"})})
	lacks(inp, "GDPR-TRANSFER-MECHANISM-UNKNOWN")
	flow(inp, "gdpr", "hosting[0]").satisfied == true
	lacks(fixtures.baseline, "GDPR-TRANSFER-MECHANISM-UNKNOWN")
}

test_gdpr_transfer_mechanism_invalid if {
	inp := gdpr_to("US", {"mechanism": "security_assessment"})
	f := finding(inp, "GDPR-TRANSFER-MECHANISM-INVALID")
	f.kind == "violation"
	f.severity == "blocker"
	f.fields == t0_fields
	f.citation.ref == "GDPR Art. 44-49"
	startswith(f.detail, "Support Inc (remote_access) in US: Customer accounts of people in DE. The mechanism \"security_assessment\" is not accepted here; acceptable: bcr, certification, scc.")
	f.action.title == "Replace the mechanism with one accepted under GDPR"
}

test_gdpr_transfer_mechanism_invalid_absent_for_accepted_mechanisms if {
	lacks(gdpr_to("US", {"mechanism": "bcr"}), "GDPR-TRANSFER-MECHANISM-INVALID")
	lacks(gdpr_to("US", {"mechanism": "none"}), "GDPR-TRANSFER-MECHANISM-INVALID")
}

test_gdpr_transfer_derogation_review_for_hosting if {
	# consent (an Art. 49 derogation) relied on for hosting in India
	inp := fixtures.input_with({"hosting": fixtures.hosting_in("IN", {"name": "mumbai", "mechanism": "consent"})})
	plain(finding(inp, "GDPR-TRANSFER-DEROGATION-REVIEW")) == {
		"id": "GDPR-TRANSFER-DEROGATION-REVIEW",
		"regime": "gdpr",
		"kind": "needs_review",
		"severity": "medium",
		"title": "GDPR: Derogation relied on for a regular transfer",
		"detail": "mumbai (storage) in IN: Customer accounts of people in DE relies on \"consent\". Derogations suit occasional transfers, not hosting or systematic access.",
		"citation": {"ref": "GDPR Art. 44-49", "url": "https://eur-lex.europa.eu/eli/reg/2016/679/oj"},
		"fields": ["hosting[0].country", "hosting[0].mechanism"],
		"action": {"title": "Have legal confirm the derogation fits under GDPR, or use a standing mechanism", "owner": "legal", "due": "2027-03-01"},
	}

	# the derogation satisfies the verdict (no blocker), but is reviewed
	flow(inp, "gdpr", "hosting[0]").satisfied == true
	lacks(inp, "GDPR-TRANSFER-MECHANISM-INVALID")
}

test_gdpr_transfer_derogation_review_absent_for_standing_mechanism if {
	lacks(gdpr_to("US", {"mechanism": "scc"}), "GDPR-TRANSFER-DEROGATION-REVIEW")
}

test_lgpd_consent_is_a_mechanism_not_a_derogation if {
	inp := scenario([fixtures.subjects("customers", ["BR"], 500)], ["contact"], "BR", [fixtures.transfer({"mechanism": "consent"})], {"customer_country": "BR"})
	flow(inp, "br_lgpd", t0).satisfied == true
	lacks(inp, "BR-LGPD-TRANSFER-DEROGATION-REVIEW")

	# contract performance is a derogation under the LGPD file
	inp2 := scenario([fixtures.subjects("customers", ["BR"], 500)], ["contact"], "BR", [fixtures.transfer({"mechanism": "contract"})], {"customer_country": "BR"})
	"BR-LGPD-TRANSFER-DEROGATION-REVIEW" in ids(inp2)
}

# --- China (PIPL and the CAC Provisions 2024) ---------------------------------------------------

cn_dep := {"customer_country": "CN"}

cn_to_de(n, cats, patch, dep) := scenario(
	[fixtures.subjects("customers", ["CN"], n)],
	cats,
	"CN",
	[fixtures.transfer(object.union({"to_country": "DE", "recipient": "HQ analytics", "recipient_type": "vendor_affiliate", "access": "copy", "mechanism": "standard_contract"}, patch))],
	object.union(cn_dep, dep),
)

test_cn_pipl_transfer_approval_required_ciio if {
	inp := cn_to_de(500, ["contact"], {}, {"critical_infrastructure": true})
	f := flow(inp, "cn_pipl", t0)
	f.verdict == "approval_required"
	f.basis == "tier:ciio"
	f.mechanisms == ["security_assessment"]
	f.needed_filing == "approved"
	f.satisfied == false
	plain(finding(inp, "CN-PIPL-TRANSFER-APPROVAL-REQUIRED")) == {
		"id": "CN-PIPL-TRANSFER-APPROVAL-REQUIRED",
		"regime": "cn_pipl",
		"kind": "violation",
		"severity": "blocker",
		"title": "PIPL: Regulator approval or notice needed before the transfer",
		"detail": "HQ analytics (copy) in DE: Customer accounts of people in CN. Needed: security_assessment (regulator filing: approved, recorded: none). A critical information infrastructure operator providing personal information abroad must pass a CAC security assessment.",
		"citation": {"ref": "CAC Provisions (2024) Art. 7(1); PIPL Art. 40", "url": "https://www.cac.gov.cn/2024-03/22/c_1712776611775634.htm", "ref_zh": "《促进和规范数据跨境流动规定》第七条第（一）项；《中华人民共和国个人信息保护法》第四十条"},
		"fields": ["activities[0].transfers[0].mechanism", "activities[0].transfers[0].regulator_filing", "activities[0].transfers[0].to_country"],
		"action": {"title": "Obtain the regulator filing or approval required by PIPL before data flows", "owner": "legal", "due": "2027-01-30"},
	}
}

test_cn_pipl_transfer_approval_satisfied_by_an_approved_assessment if {
	inp := cn_to_de(500, ["contact"], {"mechanism": "security_assessment", "regulator_filing": "approved"}, {"critical_infrastructure": true})
	f := flow(inp, "cn_pipl", t0)
	f.verdict == "approval_required"
	f.satisfied == true
	lacks(inp, "CN-PIPL-TRANSFER-APPROVAL-REQUIRED")

	# a filing alone is not an approval
	inp2 := cn_to_de(500, ["contact"], {"mechanism": "security_assessment", "regulator_filing": "filed"}, {"critical_infrastructure": true})
	f2 := finding(inp2, "CN-PIPL-TRANSFER-APPROVAL-REQUIRED")
	contains(f2.detail, "(regulator filing: approved, recorded: filed)")
}

test_cn_pipl_important_data_needs_an_assessment if {
	inp := object.union(cn_to_de(500, ["contact"], {}, {}), {"questionnaire": {"activities": [object.union(fixtures.activity, {
		"data_subjects": [fixtures.subjects("customers", ["CN"], 500)],
		"important_data": true,
		"transfers": [fixtures.transfer({"to_country": "DE", "mechanism": "standard_contract"})],
	})]}})
	flow(inp, "cn_pipl", t0).basis == "tier:important_data"
}

test_cn_pipl_sensitive_10k_needs_an_assessment if {
	inp := cn_to_de(12000, ["contact", "health"], {}, {})
	f := flow(inp, "cn_pipl", t0)
	f.verdict == "approval_required"
	f.basis == "tier:sensitive_10k"
	f.citation.ref == "CAC Provisions (2024) Art. 7(2)"
	"CN-PIPL-TRANSFER-APPROVAL-REQUIRED" in ids(inp)
}

test_cn_pipl_one_million_needs_an_assessment if {
	inp := cn_to_de(1000000, ["contact"], {}, {})
	f := flow(inp, "cn_pipl", t0)
	f.verdict == "approval_required"
	f.basis == "tier:general_1m"
}

test_cn_pipl_100k_to_999999_needs_the_standard_contract if {
	inp := cn_to_de(999999, ["contact"], {}, {})
	f := flow(inp, "cn_pipl", t0)
	f.verdict == "mechanism_required"
	f.basis == "tier:general_100k"
	f.mechanisms == ["standard_contract", "certification"]

	# the standard contract is filed within 10 working days of taking effect: not yet recorded
	f.status == "filing_due"
	ids(inp) == {"CN-PIPL-TRANSFER-NOTICE-DUE"}
	filed := cn_to_de(999999, ["contact"], {"regulator_filing": "filed"}, {})
	flow(filed, "cn_pipl", t0).satisfied == true
	count(transfers.findings) == 0 with input as filed

	flow(cn_to_de(100000, ["contact"], {}, {}), "cn_pipl", t0).basis == "tier:general_100k"
}

test_cn_pipl_transfer_mechanism_invalid if {
	# EU SCCs are not the CAC standard contract
	inp := cn_to_de(200000, ["contact"], {"mechanism": "scc"}, {})
	f := finding(inp, "CN-PIPL-TRANSFER-MECHANISM-INVALID")
	f.regime == "cn_pipl"
	f.severity == "blocker"
	f.kind == "violation"
	f.fields == t0_fields
	f.citation == {"ref": "CAC Provisions (2024) Art. 8; PIPL Art. 38", "url": "https://www.cac.gov.cn/2024-03/22/c_1712776611775634.htm", "ref_zh": "《促进和规范数据跨境流动规定》第八条；《中华人民共和国个人信息保护法》第三十八条"}
	startswith(f.detail, "HQ analytics (copy) in DE: Customer accounts of people in CN. The mechanism \"scc\" is not accepted here; acceptable: certification, standard_contract.")
}

test_cn_pipl_sensitive_under_10k_needs_a_mechanism if {
	inp := cn_to_de(5000, ["contact", "health"], {"mechanism": "none"}, {})
	f := flow(inp, "cn_pipl", t0)
	f.basis == "tier:sensitive_under_10k"
	f.verdict == "mechanism_required"
	g := finding(inp, "CN-PIPL-TRANSFER-NO-MECHANISM")
	g.severity == "blocker"
	g.fields == t0_fields
	g.citation.ref == "CAC Provisions (2024) Art. 8; PIPL Art. 38"
	contains(g.detail, "No mechanism is given; acceptable: certification, standard_contract.")
}

test_cn_pipl_under_100k_is_exempt if {
	inp := cn_to_de(99999, ["contact"], {"mechanism": "none"}, {})
	f := flow(inp, "cn_pipl", t0)
	f.verdict == "allowed"
	f.basis == "tier:under_100k"
	f.satisfied == true
	lacks(inp, "CN-PIPL-TRANSFER-NO-MECHANISM")
}

test_cn_pipl_counts_only_exported_subjects if {
	# 150,000 people in CN, but only the 50,000 of the second activity leave China
	inp := fixtures.input_with({
		"deployment": cn_dep,
		"hosting": fixtures.hosting_in("CN", {}),
		"activities": [
			object.union(fixtures.activity, {"name": "Local", "data_subjects": [fixtures.subjects("customers", ["CN"], 100000)]}),
			object.union(fixtures.activity, {"name": "Exported", "data_subjects": [fixtures.subjects("customers", ["CN"], 50000)], "transfers": [fixtures.transfer({"to_country": "DE", "mechanism": "none"})]}),
		],
	})
	f := flow(inp, "cn_pipl", "activities[1].transfers[0]")
	f.basis == "tier:under_100k"
}

test_cn_pipl_before_2024_thresholds if {
	inp := fixtures.at(cn_to_de(150000, ["contact"], {}, {}), "2023-06-01")
	f := flow(inp, "cn_pipl", t0)
	f.verdict == "approval_required"
	f.basis == "tier:pre2024_volume"

	# below the old thresholds: the default regime (no under-100k exemption yet)
	g := flow(fixtures.at(cn_to_de(5000, ["contact"], {"mechanism": "none"}, {}), "2023-06-01"), "cn_pipl", t0)
	g.verdict == "mechanism_required"
	g.basis == "default"
	g.mechanisms == ["security_assessment", "standard_contract", "certification"]
}

test_cn_pipl_transfer_exemption_review_hr_management if {
	inp := scenario(
		[fixtures.subjects("employees", ["CN"], 300)],
		["contact", "employment"],
		"CN",
		[fixtures.transfer({"to_country": "DE", "recipient": "Group HR", "recipient_type": "vendor_affiliate", "access": "copy", "mechanism": "none", "exemption": "hr_management"})],
		cn_dep,
	)
	f := flow(inp, "cn_pipl", t0)
	f.verdict == "allowed"
	f.basis == "exemption:hr_management"
	plain(finding(inp, "CN-PIPL-TRANSFER-EXEMPTION-REVIEW")) == {
		"id": "CN-PIPL-TRANSFER-EXEMPTION-REVIEW",
		"regime": "cn_pipl",
		"kind": "needs_review",
		"severity": "medium",
		"title": "PIPL: Transfer exemption claimed",
		"detail": "Group HR (copy) in DE: Customer accounts of people in CN claims the exemption \"hr_management\": Art. 5(2): cross-border human resources management under lawfully made labour rules and collective contracts.",
		"citation": {"ref": "CAC Provisions (2024) Art. 5(2)", "url": "https://www.cac.gov.cn/2024-03/22/c_1712776611775634.htm", "ref_zh": "《促进和规范数据跨境流动规定》第五条第（二）项"},
		"fields": ["activities[0].transfers[0].exemption", "activities[0].transfers[0].mechanism", "activities[0].transfers[0].to_country"],
		"action": {"title": "Have legal confirm and document that the PIPL exemption applies", "owner": "legal", "due": "2027-03-01"},
	}
}

test_cn_pipl_transfer_exemption_review_absent_without_exemption if {
	inp := cn_to_de(500, ["contact"], {"mechanism": "none"}, {})
	flow(inp, "cn_pipl", t0).verdict == "allowed"
	lacks(inp, "CN-PIPL-TRANSFER-EXEMPTION-REVIEW")

	# an exemption the law does not know is ignored
	inp2 := cn_to_de(500, ["contact"], {"mechanism": "none", "exemption": "other"}, {})
	flow(inp2, "cn_pipl", t0).basis == "tier:under_100k"
	lacks(inp2, "CN-PIPL-TRANSFER-EXEMPTION-REVIEW")
}

test_cn_pipl_localisation_ciio if {
	# a CIIO hosting only in Germany keeps no copy in China
	inp := scenario([fixtures.subjects("customers", ["CN"], 500)], ["contact"], "DE", [], object.union(cn_dep, {"critical_infrastructure": true}))
	ls := transfers.localisation with input as inp
	ls == {{
		"country": "CN",
		"regime": "cn_pipl",
		"rule": "ciio_storage",
		"type": "copy_in_country",
		"requirement": "A critical information infrastructure operator must store personal information collected and generated in China within China; providing it abroad needs a security assessment.",
		"satisfied": false,
		"citation": {"ref": "PIPL Art. 40", "url": "http://en.npc.gov.cn.cdurl.cn/2021-12/29/c_694559_3.htm", "ref_zh": "《中华人民共和国个人信息保护法》第四十条", "url_zh": "http://www.npc.gov.cn/npc/c30834/202108/a8c4e3672c74491a80b53a172bb753fe.shtml"},
		"activities": ["Customer accounts"],
		"problems": ["no hosting site in CN"],
		"problems_msg": [{"id": "transfers.problem.no_hosting", "params": {"country": {"sep": ", ", "items": ["CN"]}}}],
		"fields": ["activities[0].data_subjects", "hosting"],
		"jurisdiction": "cn_pipl",
		"instrument": null,
	}}
	f := finding(inp, "CN-PIPL-LOCALISATION")
	f.kind == "violation"
	f.severity == "blocker"
	f.fields == ["activities[0].data_subjects", "hosting"]
	f.citation.ref == "PIPL Art. 40"
	f.detail == "A critical information infrastructure operator must store personal information collected and generated in China within China; providing it abroad needs a security assessment. Concerns Customer accounts; found: no hosting site in CN."
	f.action.title == "Change the hosting so the data stays in the country as PIPL requires"
}

test_cn_pipl_localisation_met_with_a_copy_in_china if {
	inp := cn_to_de(500, ["contact"], {"mechanism": "security_assessment", "regulator_filing": "approved"}, {"critical_infrastructure": true})
	lacks(inp, "CN-PIPL-LOCALISATION")
	some l in transfers.localisation with input as inp
	l.rule == "ciio_storage"
	l.satisfied == true
	l.problems == []
}

# --- Russia (152-FZ) ---------------------------------------------------------------------------

ru_dep := {"customer_country": "RU"}

ru_people := [fixtures.subjects("customers", ["RU"], 2000)]

test_ru_152fz_localisation_primary_database_abroad if {
	inp := scenario(ru_people, ["contact"], "DE", [], ru_dep)
	f := flow(inp, "ru_152fz", "hosting[0]")
	f.verdict == "localisation_required"
	f.basis == "localisation:citizens_collection_2025"
	f.mechanisms == []
	f.satisfied == false
	f.citation.ref == "152-FZ Art. 18(5) (as amended by 23-FZ of 28 February 2025)"

	g := finding(inp, "RU-152FZ-LOCALISATION")
	g.regime == "ru_152fz"
	g.kind == "violation"
	g.severity == "blocker"
	g.title == "152-FZ: Data localisation requirement not met"
	g.fields == ["activities[0].data_subjects", "hosting[0].country"]
	g.citation.ref == "152-FZ Art. 18(5) (as amended by 23-FZ of 28 February 2025)"
	endswith(g.detail, "Concerns Customer accounts; found: hosting \"primary\" (primary) is in DE.")

	some l in transfers.localisation with input as inp
	l.rule == "citizens_collection_2025"
	l.type == "all_hosting_in_country"
	l.satisfied == false
	l.problems == ["hosting \"primary\" (primary) is in DE"]
	l.fields == ["activities[0].data_subjects", "hosting[0].country"]
}

test_ru_152fz_localisation_before_the_2025_amendment if {
	inp := fixtures.at(scenario(ru_people, ["contact"], "DE", [], ru_dep), "2024-06-01")
	flow(inp, "ru_152fz", "hosting[0]").basis == "localisation:citizens_collection_2015"
	f := finding(inp, "RU-152FZ-LOCALISATION")
	f.citation.ref == "152-FZ Art. 18(5) (added by 242-FZ of 21 July 2014)"
}

test_ru_152fz_localisation_needs_collection_in_russia if {
	# Russian citizens living in Germany, hosted in Germany: whether Art. 18(5) reaches them is
	# disputed, so no localisation blocker (the scope review asks a lawyer)
	inp := scenario([object.union(fixtures.subjects("customers", ["DE"], 300), {"citizenship": ["RU"]})], ["contact"], "DE", [], {})
	lacks(inp, "RU-152FZ-LOCALISATION")
	count(transfers.localisation) == 0 with input as inp
	count(flows(inp, "ru_152fz")) == 0 # a flow starts from people located in Russia
}

test_ru_152fz_localisation_met_with_primary_in_russia if {
	inp := scenario(ru_people, ["contact"], "RU", [], ru_dep)
	lacks(inp, "RU-152FZ-LOCALISATION")
	some l in transfers.localisation with input as inp
	l.satisfied == true
}

test_ru_152fz_transfer_approval_required_notice_missing if {
	inp := scenario(ru_people, ["contact"], "RU", [fixtures.transfer({"to_country": "DE", "recipient": "HQ", "access": "copy", "mechanism": "consent"})], ru_dep)
	f := flow(inp, "ru_152fz", t0)
	f.verdict == "approval_required"
	f.basis == "tier:rkn_notice"
	f.needed_filing == "filed"
	f.satisfied == false
	g := finding(inp, "RU-152FZ-TRANSFER-APPROVAL-REQUIRED")
	g.severity == "blocker"
	g.fields == ["activities[0].transfers[0].mechanism", "activities[0].transfers[0].regulator_filing", "activities[0].transfers[0].to_country"]
	g.citation.ref == "152-FZ Art. 12 (as amended by 266-FZ of 14 July 2022, in force 1 March 2023)"
	startswith(g.detail, "HQ (copy) in DE: Customer accounts of people in RU. Needed: no particular mechanism (regulator filing: filed, recorded: none).")
}

test_ru_152fz_transfer_with_roskomnadzor_notice_filed if {
	inp := scenario(ru_people, ["contact"], "RU", [fixtures.transfer({"to_country": "DE", "access": "copy", "mechanism": "consent", "regulator_filing": "filed"})], ru_dep)
	f := flow(inp, "ru_152fz", t0)
	f.verdict == "approval_required"
	f.satisfied == true
	count(transfers.findings) == 0 with input as inp
}

test_ru_152fz_before_the_notice_duty_adequacy_applies if {
	inp := fixtures.at(scenario(ru_people, ["contact"], "RU", [fixtures.transfer({"to_country": "DE", "access": "copy", "mechanism": "none"})], ru_dep), "2022-06-01")
	f := flow(inp, "ru_152fz", t0)
	f.verdict == "allowed"
	f.basis == "adequacy"
	startswith(f.why, "parties to Council of Europe Convention 108")
}

ru_replica(patch) := fixtures.input_with({
	"deployment": object.union(ru_dep, {"vendor_country": "RU"}),
	"hosting": [
		{"name": "primary", "provider": "other", "region": "msk", "country": "RU", "role": "primary"},
		object.union({"name": "replica", "provider": "other", "region": "fra", "country": "DE", "role": "replica"}, patch),
	],
	"activities": [object.union(fixtures.activity, {"data_subjects": ru_people})],
})

test_ru_152fz_replica_abroad_filled_at_collection_since_2025 if {
	# since 1 July 2025 every database filled at collection must be in Russia
	inp := ru_replica({"regulator_filing": "filed"})
	f := flow(inp, "ru_152fz", "hosting[1]")
	f.verdict == "localisation_required"
	g := finding(inp, "RU-152FZ-LOCALISATION")
	endswith(g.detail, "found: hosting \"replica\" (replica) is in DE.")
}

test_ru_152fz_transfer_approval_required_for_a_replica_abroad if {
	# before July 2025 a replica abroad was a cross-border transfer: the Roskomnadzor notice is
	# needed, no mechanism
	inp := fixtures.at(ru_replica({}), "2024-06-01")
	f := flow(inp, "ru_152fz", "hosting[1]")
	f.verdict == "approval_required"
	f.satisfied == false
	g := finding(inp, "RU-152FZ-TRANSFER-APPROVAL-REQUIRED")
	g.fields == ["hosting[1].country", "hosting[1].mechanism", "hosting[1].regulator_filing"]
	startswith(g.detail, "replica (storage) in DE: Customer accounts of people in RU. Needed: no particular mechanism (regulator filing: filed, recorded: none).")
	lacks(inp, "RU-152FZ-TRANSFER-MECHANISM-UNKNOWN") # no mechanism to ask for
	lacks(inp, "RU-152FZ-LOCALISATION") # the primary database is in Russia
}

test_ru_152fz_replica_abroad_with_the_notice_filed if {
	inp := fixtures.at(ru_replica({"regulator_filing": "filed"}), "2024-06-01")
	flow(inp, "ru_152fz", "hosting[1]").satisfied == true
	count(transfers.findings) == 0 with input as inp
}

test_cn_pipl_transfer_mechanism_unknown_for_a_ciio_replica_abroad if {
	inp := fixtures.input_with({
		"deployment": {"customer_country": "CN", "critical_infrastructure": true},
		"hosting": [
			{"name": "primary", "provider": "alibaba", "region": "cn-shanghai", "country": "CN", "role": "primary"},
			{"name": "dr", "provider": "other", "region": "fra", "country": "DE", "role": "disaster_recovery"},
		],
		"activities": [object.union(fixtures.activity, {"data_subjects": [fixtures.subjects("customers", ["CN"], 500)]})],
	})
	flow(inp, "cn_pipl", "hosting[1]").verdict == "approval_required"
	f := finding(inp, "CN-PIPL-TRANSFER-MECHANISM-UNKNOWN")
	f.kind == "gap"
	f.severity == "high"
	f.fields == ["hosting[1].country", "hosting[1].mechanism"]
	f.citation.ref == "CAC Provisions (2024) Art. 7(1); PIPL Art. 40"
	startswith(f.detail, "dr (storage) in DE: Customer accounts of people in CN. Which mechanism covers it? Acceptable: security_assessment.")
	lacks(inp, "CN-PIPL-TRANSFER-APPROVAL-REQUIRED")
}

# --- UAE health data ---------------------------------------------------------------------------

ae_health(filing) := scenario(
	[fixtures.subjects("patients", ["AE"], 400)],
	["contact", "health"],
	"AE",
	[fixtures.transfer({"to_country": "DE", "recipient": "Lab GmbH", "access": "copy", "mechanism": "scc", "regulator_filing": filing})],
	{"customer_country": "AE", "sector": "healthcare"},
)

test_ae_pdpl_localisation_health_data_no_export if {
	inp := ae_health("none")
	f := flow(inp, "ae_pdpl", t0)
	f.verdict == "localisation_required"
	f.basis == "localisation:health_data_law"
	f.satisfied == false
	g := finding(inp, "AE-HEALTH-DATA-LOCALISATION")
	g.title == "UAE Health Data Law: Data localisation requirement not met"
	g.regime == "ae_health_data"
	f.regime == "ae_health_data"
	g.severity == "blocker"
	g.fields == ["activities[0].data_subjects", "activities[0].transfers[0].to_country"]
	g.citation.ref == "Federal Law No. 2 of 2019 (ICT in Health Fields) Art. 13; Ministerial Resolution No. 51 of 2021"
	endswith(g.detail, "Concerns Customer accounts; found: Lab GmbH in DE (copy).")
	some l in transfers.localisation with input as inp
	l.type == "no_export"
	l.satisfied == false
	l.problems == ["Lab GmbH in DE (copy)"]
}

test_ae_pdpl_health_data_export_lifted_by_an_approval if {
	inp := ae_health("approved")
	f := flow(inp, "ae_pdpl", t0)
	f.verdict == "mechanism_required"
	f.satisfied == true
	lacks(inp, "AE-HEALTH-DATA-LOCALISATION")

	# a mere filing is not the health authority's approval
	"AE-HEALTH-DATA-LOCALISATION" in ids(ae_health("filed"))

	some l in transfers.localisation with input as inp
	l.satisfied == true
}

test_ae_pdpl_health_data_hosted_abroad if {
	inp := scenario([fixtures.subjects("patients", ["AE"], 400)], ["health"], "DE", [], {"customer_country": "AE", "sector": "healthcare"})
	flow(inp, "ae_pdpl", "hosting[0]").verdict == "localisation_required"
	some l in transfers.localisation with input as inp
	l.problems == ["hosting \"primary\" is in DE"]
}

test_ae_pdpl_health_data_law_binds_health_sector_entities_only if {
	# a retailer's sick-leave records are not data of a health "competent entity"
	inp := scenario([fixtures.subjects("employees", ["AE"], 400)], ["health"], "DE", [], {"customer_country": "AE", "sector": "retail"})
	count(transfers.localisation) == 0 with input as inp
	flow(inp, "ae_pdpl", "hosting[0]").verdict == "mechanism_required"
}

test_ae_pdpl_health_data_hosted_abroad_with_an_approval if {
	# hosting[].regulator_filing: the health authority approved storage abroad
	inp := fixtures.input_with({
		"deployment": {"customer_country": "AE", "sector": "healthcare"},
		"hosting": fixtures.hosting_in("DE", {"regulator_filing": "approved", "mechanism": "scc"}),
		"activities": [object.union(fixtures.activity, {"data_subjects": [fixtures.subjects("patients", ["AE"], 400)], "data_categories": ["health"]})],
	})
	f := flow(inp, "ae_pdpl", "hosting[0]")
	f.verdict == "mechanism_required"
	f.satisfied == true
	lacks(inp, "AE-HEALTH-DATA-LOCALISATION")
	some l in transfers.localisation with input as inp
	l.satisfied == true
}

test_ae_pdpl_no_localisation_without_health_data if {
	inp := scenario([fixtures.subjects("customers", ["AE"], 400)], ["contact"], "DE", [], {"customer_country": "AE"})
	count(transfers.localisation) == 0 with input as inp
	flow(inp, "ae_pdpl", "hosting[0]").verdict == "mechanism_required"
}

# --- India: RBI payment data ---------------------------------------------------------------------

in_payments(host, ts) := scenario([fixtures.subjects("customers", ["IN"], 5000)], ["contact", "payment_card"], host, ts, {"customer_country": "IN", "vendor_country": "IN", "sector": "payments"})

test_in_dpdp_localisation_rbi_payment_data if {
	inp := in_payments("SG", [])
	f := flow(inp, "in_dpdp", "hosting[0]")
	f.verdict == "localisation_required"
	f.basis == "localisation:rbi_payment_data"
	f.regime == "in_rbi_psd"
	g := finding(inp, "IN-RBI-PSD-LOCALISATION")
	g.regime == "in_rbi_psd"
	g.title == "RBI PSD: Data localisation requirement not met"
	g.action.title == "Change the hosting so the data stays in the country as RBI PSD requires"
	g.severity == "blocker"
	g.fields == ["activities[0].data_subjects", "hosting[0].country"]
	g.citation.ref == "RBI circular DPSS.CO.OD No.2785/06.08.005/2017-18 of 6 April 2018 'Storage of Payment System Data' and FAQs of 26 June 2019"
	some l in transfers.localisation with input as inp
	l.type == "store_only_in_country"
	l.problems == ["hosting \"primary\" is in SG"]
}

test_in_dpdp_rbi_allows_processing_abroad if {
	# stored in India; remote processing from the US is allowed, a copy in the US is not
	inp := in_payments("IN", [
		fixtures.transfer({"to_country": "US", "mechanism": "contract", "access": "remote_access"}),
		fixtures.transfer({"to_country": "US", "recipient": "Warehouse", "mechanism": "contract", "access": "copy"}),
	])
	f := flow(inp, "in_dpdp", t0)
	f.verdict == "mechanism_required"
	f.basis == "tier:spdi_rules_2011"
	f.satisfied == true
	g := flow(inp, "in_dpdp", "activities[0].transfers[1]")
	g.verdict == "localisation_required"
	some l in transfers.localisation with input as inp
	l.problems == ["Warehouse in US (copy)"]
}

test_in_dpdp_rbi_rule_only_for_payment_sectors if {
	inp := scenario([fixtures.subjects("customers", ["IN"], 5000)], ["contact", "payment_card"], "SG", [], {"customer_country": "IN", "sector": "retail"})
	count(transfers.localisation) == 0 with input as inp
	lacks(inp, "IN-RBI-PSD-LOCALISATION")
}

test_in_dpdp_negative_list_after_the_spdi_rules if {
	inp := fixtures.at(in_payments("IN", [fixtures.transfer({"to_country": "US", "mechanism": "none"})]), "2027-06-01")
	f := flow(inp, "in_dpdp", t0)
	f.verdict == "allowed"
	f.basis == "default"
}

test_in_dpdp_transfer_prohibited_to_a_notified_country if {
	# no country is notified under s.16(1) yet: simulate a notification restricting CN
	js := [object.union(j, {"transfer": {"restricted_countries": ["CN"]}}) | some j in data.piaflow.jurisdictions; j.id == "in_dpdp"]
	others := [j | some j in data.piaflow.jurisdictions; j.id != "in_dpdp"]
	jurisdictions := array.concat(js, others)
	inp := scenario([fixtures.subjects("customers", ["IN"], 5000)], ["contact"], "IN", [fixtures.transfer({"to_country": "CN", "recipient": "Dev centre", "mechanism": "contract"})], {"customer_country": "IN"})
	fs := transfers.flows with input as inp with data.piaflow.jurisdictions as jurisdictions
	findings := transfers.findings with input as inp with data.piaflow.jurisdictions as jurisdictions
	g := fixtures.one(findings, "IN-DPDP-TRANSFER-PROHIBITED")
	plain(g) == {
		"id": "IN-DPDP-TRANSFER-PROHIBITED",
		"regime": "in_dpdp",
		"kind": "violation",
		"severity": "blocker",
		"title": "DPDP Act: Transfer prohibited",
		"detail": sprintf("Dev centre (remote_access) in CN: Customer accounts of people in IN. %s", [jur("in_dpdp").transfer.text]),
		"citation": jur("in_dpdp").transfer.citation,
		"fields": t0_fields,
		"action": {"title": "Stop the flow or move it to a country permitted under DPDP Act", "owner": "legal", "due": "2027-01-30"},
	}
	some f in fs
	f.jurisdiction == "in_dpdp"
	f.verdict == "prohibited"
	f.basis == "restricted_country"
	f.satisfied == false
}

test_in_dpdp_transfer_prohibited_absent_without_notification if {
	inp := scenario([fixtures.subjects("customers", ["IN"], 5000)], ["contact"], "IN", [fixtures.transfer({"to_country": "CN", "mechanism": "contract"})], {"customer_country": "IN"})
	flow(inp, "in_dpdp", t0).verdict == "allowed"
	lacks(inp, "IN-DPDP-TRANSFER-PROHIBITED")
}

# --- South Africa (POPIA) ----------------------------------------------------------------------

za(cats, patch) := scenario(
	[fixtures.subjects("patients", ["ZA"], 800)],
	cats,
	"ZA",
	[fixtures.transfer(object.union({"to_country": "IN", "recipient": "Clinic network", "access": "copy", "mechanism": "scc"}, patch))],
	{"customer_country": "ZA", "sector": "healthcare"},
)

test_za_popia_gdpr_countries_treated_as_adequate if {
	# s.72(1)(a) on the exporter's assessment: special data to Germany needs no prior authorisation
	inp := za(["contact", "health"], {"to_country": "DE"})
	f := flow(inp, "za_popia", t0)
	f.verdict == "allowed"
	f.basis == "adequacy"
	lacks(inp, "ZA-POPIA-TRANSFER-APPROVAL-REQUIRED")
}

test_za_popia_special_data_needs_prior_authorisation if {
	inp := za(["contact", "health"], {})
	f := flow(inp, "za_popia", t0)
	f.verdict == "approval_required"
	f.basis == "tier:s57_prior_authorisation"
	f.needed_filing == "approved"
	f.satisfied == false
	g := finding(inp, "ZA-POPIA-TRANSFER-APPROVAL-REQUIRED")
	g.citation.ref == "POPIA s.57(1)(d), 57(3)-(4), 58"
	startswith(g.detail, "Clinic network (copy) in IN: Customer accounts of people in ZA. Needed: bcr, consent, scc (regulator filing: approved, recorded: none).")

	# with the Information Regulator's authorisation
	h := flow(za(["contact", "health"], {"regulator_filing": "approved"}), "za_popia", t0)
	h.satisfied == true
}

test_za_popia_ordinary_data_needs_only_a_s72_basis if {
	inp := za(["contact"], {})
	f := flow(inp, "za_popia", t0)
	f.verdict == "mechanism_required"
	f.basis == "default"
	f.satisfied == true
	lacks(inp, "ZA-POPIA-TRANSFER-APPROVAL-REQUIRED")
}

# --- Vietnam: Decree 13 until 2025, Law 91 from 2026 --------------------------------------------

vn := scenario(
	[fixtures.subjects("customers", ["VN"], 3000)],
	["contact"],
	"VN",
	[fixtures.transfer({"to_country": "SG", "recipient": "Regional support", "mechanism": "scc"})],
	{"customer_country": "VN"},
)

test_vn_pdpd_transfer_notice_due_decree_13 if {
	inp := fixtures.at(vn, "2025-06-01")
	f := flow(inp, "vn_pdpd_2023", t0)
	f.basis == "tier:tia_dossier"
	f.status == "filing_due"
	count(flows(inp, "vn_pdpd_2026")) == 0
	g := finding(inp, "VN-PDPD-TRANSFER-NOTICE-DUE")
	g.title == "Decree 13: Regulator filing due after the contract or transfer starts"
	g.citation.ref == "Decree 13/2023/ND-CP Art. 25"
	lacks(inp, "VN-PDPD-TRANSFER-APPROVAL-REQUIRED")
}

test_vn_pdpd_transfer_notice_due_law_91 if {
	f := flow(vn, "vn_pdpd_2026", t0)
	f.basis == "tier:ctia_dossier"
	f.status == "filing_due"
	f.satisfied == false
	count(flows(vn, "vn_pdpd_2023")) == 0
	g := finding(vn, "VN-PDPD-TRANSFER-NOTICE-DUE")
	plain(g) == {
		"id": "VN-PDPD-TRANSFER-NOTICE-DUE",
		"regime": "vn_pdpd",
		"kind": "violation",
		"severity": "high",
		"title": "PDP Law: Regulator filing due after the contract or transfer starts",
		"detail": sprintf("Regional support (remote_access) in SG: Customer accounts of people in VN. Needed: regulator filing filed (recorded: none) within 60 days of the first transfer (2027-03-01, deployment.first_transfer_on or go_live): due 2027-04-30. %s", [jur("vn_pdpd_2026").transfer.tiers[0].text]),
		"citation": jur("vn_pdpd_2026").transfer.tiers[0].citation,
		"fields": ["activities[0].transfers[0].mechanism", "activities[0].transfers[0].regulator_filing", "activities[0].transfers[0].to_country"],
		"action": {"title": "Make the regulator filing PDP Law requires within 60 days of the first transfer", "owner": "legal", "due": "2027-04-30"},
	}
	lacks(vn, "VN-PDPD-TRANSFER-APPROVAL-REQUIRED")

	# counted from deployment.first_transfer_on when given; overdue once the assessment date is past it
	early := object.union(vn, {"questionnaire": {"deployment": {"first_transfer_on": "2026-09-01"}}})
	h := finding(early, "VN-PDPD-TRANSFER-NOTICE-DUE")
	h.severity == "blocker"
	h.action.due == "2026-10-31"
	contains(h.detail, "within 60 days of the first transfer (2026-09-01, deployment.first_transfer_on or go_live): due 2026-10-31, overdue on 2026-11-25.")
}

test_vn_pdpd_dossier_filed if {
	inp := object.union(vn, {"questionnaire": {"activities": [object.union(vn.questionnaire.activities[0], {"transfers": [fixtures.transfer({"to_country": "SG", "mechanism": "scc", "regulator_filing": "filed"})]})]}})
	flow(inp, "vn_pdpd_2026", t0).satisfied == true
	lacks(inp, "VN-PDPD-TRANSFER-NOTICE-DUE")
}

test_vn_pdpd_hr_exemption_only_under_law_91 if {
	hr := scenario(
		[fixtures.subjects("employees", ["VN"], 100)],
		["contact", "employment"],
		"VN",
		[fixtures.transfer({"to_country": "SG", "recipient": "Group HR cloud", "access": "storage", "mechanism": "none", "exemption": "hr_management"})],
		{"customer_country": "VN"},
	)
	flow(hr, "vn_pdpd_2026", t0).basis == "exemption:hr_management"
	"VN-PDPD-TRANSFER-EXEMPTION-REVIEW" in ids(hr)
	old := fixtures.at(hr, "2025-06-01")
	flow(old, "vn_pdpd_2023", t0).basis == "tier:tia_dossier"
	lacks(old, "VN-PDPD-TRANSFER-EXEMPTION-REVIEW")
}

test_za_popia_transfer_rules_only_for_a_responsible_party_in_south_africa if {
	# POPIA's scope is establishment only (s.3(1)(b)): a German customer's transfer of data of people
	# in South Africa is not subject to s.57 or s.72
	inp := scenario(
		[fixtures.subjects("patients", ["ZA"], 800)],
		["contact", "health"],
		"DE",
		[fixtures.transfer({"to_country": "US", "mechanism": "scc"})],
		{"customer_country": "DE"},
	)
	count(flows(inp, "za_popia")) == 0
	x := ids(inp)
	count({id | some id in x; startswith(id, "ZA-POPIA-")}) == 0
}

# ae_without_lifting: the jurisdiction data with the UAE health-data rule stripped of the filing
# that lifts it (a no_export rule no regulator can lift).
ae_without_lifting := array.concat(
	[object.union(j, {"localisation": [object.remove(j.localisation[0], ["filing"])]}) | some j in data.piaflow.jurisdictions; j.id == "ae_pdpl"],
	[j | some j in data.piaflow.jurisdictions; j.id != "ae_pdpl"],
)

test_no_export_without_a_lifting_filing_blocks_every_export if {
	not "filing" in object.keys([j | some j in ae_without_lifting; j.id == "ae_pdpl"][0].localisation[0])

	# even an approval does not lift it
	inp := ae_health("approved")
	fs := transfers.flows with input as inp with data.piaflow.jurisdictions as ae_without_lifting
	[f.verdict | some f in fs; f.jurisdiction == "ae_pdpl"] == ["localisation_required"]
	ls := transfers.localisation with input as inp with data.piaflow.jurisdictions as ae_without_lifting
	[l.problems | some l in ls] == [["Lab GmbH in DE (copy)"]]

	# nor may the data be hosted abroad
	abroad := scenario([fixtures.subjects("patients", ["AE"], 400)], ["health"], "DE", [], {"customer_country": "AE", "sector": "healthcare"})
	ls2 := transfers.localisation with input as abroad with data.piaflow.jurisdictions as ae_without_lifting
	[l.problems | some l in ls2] == [["hosting \"primary\" is in DE"]]
	findings := transfers.findings with input as abroad with data.piaflow.jurisdictions as ae_without_lifting
	count(fixtures.by_id(findings, "AE-HEALTH-DATA-LOCALISATION")) == 1
}

test_in_dpdp_rbi_covers_payment_transaction_data if {
	# a UPI or wallet operator's account-to-account transaction data, hosted in Singapore
	inp := scenario([fixtures.subjects("customers", ["IN"], 5000)], ["contact", "financial"], "SG", [], {"customer_country": "IN", "sector": "payments"})
	"IN-RBI-PSD-LOCALISATION" in ids(inp)

	# a retailer's financial data is not payment system data
	retail := scenario([fixtures.subjects("customers", ["IN"], 5000)], ["contact", "financial"], "SG", [], {"customer_country": "IN", "sector": "retail"})
	count(transfers.localisation) == 0 with input as retail

	some l in transfers.localisation with input as inp
	l.rule == "rbi_payment_transactions"
	l.satisfied == false
}

test_transfer_findings_carry_messages if {
	inp := gdpr_to("US", {"mechanism": "none"})
	f := finding(inp, "GDPR-TRANSFER-NO-MECHANISM")
	f.detail_msg.id == "transfers.no_mechanism"
	f.detail_msg.params.flow.id == "transfers.flow"
	f.detail_msg.params.flow.params.to_country == "US"
	f.detail_msg.params.why_text.id == "transfers.why.adequacy_certified_only"
	r := flow(inp, "gdpr", t0)
	r.why_msg.id == "transfers.why.adequacy_certified_only"
	startswith(r.exporter_msg.id, "transfers.exporter.")
}

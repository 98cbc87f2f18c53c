# Per-law mechanism entries (hosting[].mechanisms, transfers[].mechanisms), the single mechanism
# read per law, and regulator filings due after the start (TRANSFER-NOTICE-DUE).
package piaflow.rules.transfers_test

import data.piaflow.fixtures
import data.piaflow.rules.transfers

# multi: one activity with people in CN and JP hosted in Singapore; `site` patches the hosting site.
multi(site) := fixtures.input_with({
	"deployment": {"customer_country": "CN"},
	"hosting": fixtures.hosting_in("SG", object.union({"name": "sg"}, site)),
	"activities": [object.union(fixtures.activity, {
		"name": "Warranty registrations",
		"data_subjects": [fixtures.subjects("customers", ["CN"], 150000), fixtures.subjects("customers", ["JP"], 40000)],
	})],
})

h0 := "hosting[0]"

test_single_mechanism_accepted_by_another_law_is_unknown_not_invalid if {
	inp := multi({"mechanism": "standard_contract", "regulator_filing": "filed"})
	cn := flow(inp, "cn_pipl", h0)
	cn.status == "satisfied"
	cn.entry == "hosting[0].mechanism"
	cn.basis == "tier:general_100k"
	jp := flow(inp, "jp_appi", h0)
	jp.status == "missing_mechanism"
	jp.satisfied == false
	jp.entry == "hosting[0].mechanisms"
	jp.fields == ["hosting[0].country", "hosting[0].mechanism", "hosting[0].mechanisms"]
	f := finding(inp, "JP-APPI-TRANSFER-MECHANISM-UNKNOWN")
	f.kind == "gap"
	f.severity == "high"
	f.fields == ["hosting[0].country", "hosting[0].mechanism", "hosting[0].mechanisms"]
	startswith(f.detail, "sg (storage) in SG: Warranty registrations of people in JP. \"standard_contract\" (hosting[0].mechanism) covers PIPL, not APPI: record the APPI mechanism in hosting[0].mechanisms. Acceptable: bcr, certification, consent, contract, scc.")
	lacks(inp, "JP-APPI-TRANSFER-MECHANISM-INVALID")
	lacks(inp, "CN-PIPL-TRANSFER-MECHANISM-UNKNOWN")

	# the other way round: SCCs satisfy APPI (as a contract) and leave PIPL's mechanism unknown
	scc := multi({"mechanism": "scc"})
	flow(scc, "jp_appi", h0).status == "satisfied"
	flow(scc, "cn_pipl", h0).status == "missing_mechanism"
	g := finding(scc, "CN-PIPL-TRANSFER-MECHANISM-UNKNOWN")
	contains(g.detail, "\"scc\" (hosting[0].mechanism) covers APPI, not PIPL: record the PIPL mechanism in hosting[0].mechanisms.")
	lacks(scc, "CN-PIPL-TRANSFER-MECHANISM-INVALID")
}

test_per_law_entries_satisfy_each_law if {
	inp := multi({"mechanisms": [
		{"regime": "cn_pipl", "mechanism": "standard_contract", "regulator_filing": "filed", "signed_on": "2027-02-10", "filed_on": "2027-02-20"},
		{"regime": "jp_appi", "mechanism": "contract"},
	]})
	cn := flow(inp, "cn_pipl", h0)
	cn.status == "satisfied"
	cn.entry == "hosting[0].mechanisms[0]"
	cn.fields == ["hosting[0].country", "hosting[0].mechanisms[0].mechanism"]
	jp := flow(inp, "jp_appi", h0)
	jp.status == "satisfied"
	jp.entry == "hosting[0].mechanisms[1]"
	jp.mechanism == "contract"
	count(transfers.findings) == 0 with input as inp
}

test_mechanism_no_law_on_the_destination_accepts_is_invalid if {
	inp := fixtures.input_with({
		"deployment": {"customer_country": "JP"},
		"hosting": fixtures.hosting_in("SG", {"mechanism": "security_assessment"}),
		"activities": [object.union(fixtures.activity, {"data_subjects": [fixtures.subjects("customers", ["JP"], 400)]})],
	})
	flow(inp, "jp_appi", h0).status == "invalid_mechanism"
	f := finding(inp, "JP-APPI-TRANSFER-MECHANISM-INVALID")
	f.severity == "blocker"
	lacks(inp, "JP-APPI-TRANSFER-MECHANISM-UNKNOWN")

	# a per-law entry naming a mechanism its law does not accept is invalid, whatever other laws
	# on the site accept
	bad := multi({"mechanism": "scc", "mechanisms": [{"regime": "cn_pipl", "mechanism": "scc"}]})
	flow(bad, "cn_pipl", h0).status == "invalid_mechanism"
	"CN-PIPL-TRANSFER-MECHANISM-INVALID" in ids(bad)
}

test_country_entry_matches_the_law_of_the_exporting_country_only if {
	inp := multi({"mechanisms": [{"country": "CN", "mechanism": "certification"}]})
	cn := flow(inp, "cn_pipl", h0)
	cn.status == "satisfied"
	cn.entry == "hosting[0].mechanisms[0]"

	# no entry for Japan and no single mechanism: unknown
	jp := flow(inp, "jp_appi", h0)
	jp.entry == "hosting[0].mechanism"
	jp.mechanism == "unknown"
	"JP-APPI-TRANSFER-MECHANISM-UNKNOWN" in ids(inp)
}

test_first_satisfying_entry_wins if {
	inp := multi({"mechanisms": [
		{"regime": "jp_appi", "mechanism": "standard_contract"},
		{"regime": "jp_appi", "mechanism": "consent"},
		{"regime": "cn_pipl", "mechanism": "certification"},
	]})
	jp := flow(inp, "jp_appi", h0)
	jp.status == "satisfied"
	jp.entry == "hosting[0].mechanisms[1]"
}

test_per_law_exemption if {
	inp := multi({"mechanisms": [
		{"regime": "cn_pipl", "mechanism": "none", "exemption": "contract_necessity"},
		{"regime": "jp_appi", "mechanism": "consent"},
	]})
	cn := flow(inp, "cn_pipl", h0)
	cn.basis == "exemption:contract_necessity"
	cn.status == "satisfied"
	f := finding(inp, "CN-PIPL-TRANSFER-EXEMPTION-REVIEW")
	"hosting[0].mechanisms[0].exemption" in f.fields
}

# --- filings due after the start ----------------------------------------------------------------

cn_sc(entry, as_of) := fixtures.at(
	fixtures.input_with({
		"deployment": {"customer_country": "CN"},
		"hosting": fixtures.hosting_in("CN", {}),
		"activities": [object.union(fixtures.activity, {
			"data_subjects": [fixtures.subjects("customers", ["CN"], 150000)],
			"transfers": [fixtures.transfer({"to_country": "DE", "recipient": "HQ", "access": "copy", "mechanism": "unknown", "mechanisms": [entry]})],
		})],
	}),
	as_of,
)

sc_entry := {"regime": "cn_pipl", "mechanism": "standard_contract", "signed_on": "2026-11-02"}

test_cn_standard_contract_filing_due_in_10_working_days if {
	inp := cn_sc(sc_entry, "2026-11-10")
	f := flow(inp, "cn_pipl", t0)
	f.status == "filing_due"
	f.need.within == 10
	f.need.unit == "working_days"
	g := finding(inp, "CN-PIPL-TRANSFER-NOTICE-DUE")
	g.kind == "violation"
	g.severity == "high"
	g.citation == {"ref": "CAC Standard Contract Measures (2023) Art. 7", "url": "https://www.cac.gov.cn/2023-02/24/c_1678884830036813.htm", "ref_zh": "《个人信息出境标准合同办法》第七条"}
	g.action == {"title": "Make the regulator filing PIPL requires within 10 working days of the contract's signature", "owner": "legal", "due": "2026-11-16"}
	g.fields == [
		"activities[0].transfers[0].mechanisms[0].mechanism", "activities[0].transfers[0].mechanisms[0].regulator_filing",
		"activities[0].transfers[0].mechanisms[0].signed_on", "activities[0].transfers[0].to_country",
	]
	contains(g.detail, "Needed: regulator filing filed for the standard_contract (recorded: none) within 10 working days of signature (2026-11-02): due 2026-11-16.")
	lacks(inp, "CN-PIPL-TRANSFER-APPROVAL-REQUIRED")

	# overdue: a blocker
	late := finding(cn_sc(sc_entry, "2026-11-20"), "CN-PIPL-TRANSFER-NOTICE-DUE")
	late.severity == "blocker"
	late.action.due == "2026-11-16"

	# filed: satisfied
	filed := cn_sc(object.union(sc_entry, {"regulator_filing": "filed", "filed_on": "2026-11-12"}), "2026-11-20")
	flow(filed, "cn_pipl", t0).status == "satisfied"
	count(transfers.findings) == 0 with input as filed

	# certification, the other route of the tier, needs no filing
	cert := cn_sc({"regime": "cn_pipl", "mechanism": "certification"}, "2026-11-20")
	flow(cert, "cn_pipl", t0).status == "satisfied"
}

test_notice_due_without_signature_counts_from_the_first_transfer if {
	inp := cn_sc({"regime": "cn_pipl", "mechanism": "standard_contract"}, "2026-11-25")
	g := finding(inp, "CN-PIPL-TRANSFER-NOTICE-DUE")
	g.action.due == "2027-03-15"
	contains(g.detail, "within 10 working days of the first transfer (2027-03-01, deployment.first_transfer_on or go_live; signature date not recorded): due 2027-03-15.")
	"activities[0].transfers[0].mechanisms[0].signed_on" in g.fields
}

tr(entry) := fixtures.input_with({
	"deployment": {"customer_country": "TR"},
	"hosting": fixtures.hosting_in("TR", {}),
	"activities": [object.union(fixtures.activity, {
		"data_subjects": [fixtures.subjects("customers", ["TR"], 500)],
		"transfers": [fixtures.transfer({"to_country": "DE", "mechanism": "unknown", "mechanisms": [entry]})],
	})],
})

test_tr_standard_contract_notice_and_bcr_approval if {
	# signed on Friday 2026-11-20: 5 business days later is Friday 2026-11-27
	sc := tr({"regime": "tr_kvkk", "mechanism": "standard_contract", "signed_on": "2026-11-20"})
	flow(sc, "tr_kvkk", t0).basis == "tier:appropriate_safeguards"
	finding(sc, "TR-KVKK-TRANSFER-NOTICE-DUE").action.due == "2026-11-27"

	# BCRs need the Board's approval before the transfer
	bcr := tr({"regime": "tr_kvkk", "mechanism": "bcr", "regulator_filing": "filed"})
	flow(bcr, "tr_kvkk", t0).status == "missing_filing"
	a := finding(bcr, "TR-KVKK-TRANSFER-APPROVAL-REQUIRED")
	contains(a.detail, "(regulator filing: approved, recorded: filed)")
	"activities[0].transfers[0].mechanisms[0].regulator_filing" in a.fields

	# EU SCCs are not the Board's standard contract
	flow(tr({"regime": "tr_kvkk", "mechanism": "scc"}), "tr_kvkk", t0).status == "invalid_mechanism"
}

# --- count boundaries ---------------------------------------------------------------------------

test_count_boundaries if {
	bs := transfers.count_boundaries with input as fixtures.baseline
	bs.cn_pipl == [
		{"from": 10000, "tier": "sensitive_10k", "key": "min_sensitive_subjects", "counts": "sensitive", "value": 10000},
		{"from": 100000, "tier": "general_100k", "key": "min_nonsensitive_subjects", "counts": "nonsensitive", "value": 100000},
		{"from": 1000000, "tier": "general_1m", "key": "min_nonsensitive_subjects", "counts": "nonsensitive", "value": 1000000},
	]
	not bs.gdpr

	# the law in force on the date asked: the 2022 Measures before 22 March 2024
	old := transfers.count_boundaries with input as {"as_of": "2023-06-01"}
	[b.tier | some b in old.cn_pipl] == ["pre2024_sensitive", "pre2024_volume"]

	# "more than N" starts at N + 1
	more := transfers.count_boundaries with input as fixtures.baseline with data.piaflow.jurisdictions as [{"id": "x", "transfer": {"tiers": [{"id": "t", "when": {"more_than_subjects": 1000}}]}}]
	more.x == [{"from": 1001, "tier": "t", "key": "more_than_subjects", "counts": "all", "value": 1000}]
}

test_cn_non_sensitive_thresholds_exclude_sensitive_only_people if {
	# 999,999 people's ordinary data: standard contract; 1,000,000: assessment
	flow(cn_to_de(999999, ["contact"], {}, {}), "cn_pipl", t0).basis == "tier:general_100k"
	flow(cn_to_de(1000000, ["contact"], {}, {}), "cn_pipl", t0).basis == "tier:general_1m"

	# 5,000 people's health data alone: the sensitive tier, not the general ones
	flow(cn_to_de(5000, ["health"], {}, {}), "cn_pipl", t0).basis == "tier:sensitive_under_10k"

	# 120,000 people's health data only: the sensitive assessment tier, never general_100k
	flow(cn_to_de(120000, ["health"], {}, {}), "cn_pipl", t0).basis == "tier:sensitive_10k"
}

# --- mechanisms read per law -------------------------------------------------------------------

jp_to_sg(patch) := fixtures.input_with({
	"deployment": {"customer_country": "JP", "vendor_country": "JP"},
	"hosting": fixtures.hosting_in("JP", {}),
	"activities": [object.union(fixtures.activity, {
		"data_subjects": [fixtures.subjects("customers", ["JP"], 400)],
		"transfers": [fixtures.transfer(object.union({"to_country": "SG", "mechanism": "certification"}, patch))],
	})],
})

test_appi_certification_means_the_recipients_apec_cbpr if {
	flow(jp_to_sg({}), "jp_appi", t0).status == "invalid_mechanism"
	"JP-APPI-TRANSFER-MECHANISM-INVALID" in ids(jp_to_sg({}))
	flow(jp_to_sg({"recipient_certifications": ["apec_cbpr"]}), "jp_appi", t0).status == "satisfied"

	# the recipient's APPI Art. 28 contract
	flow(jp_to_sg({"mechanism": "contract"}), "jp_appi", t0).status == "satisfied"
}

test_contract_binding_the_recipient_is_a_mechanism_where_the_law_says_so if {
	# UAE PDPL Art. 23: a contract binding the recipient; no derogation review
	ae := scenario([fixtures.subjects("customers", ["AE"], 400)], ["contact"], "AE", [fixtures.transfer({"to_country": "IN", "mechanism": "contract"})], {"customer_country": "AE"})
	flow(ae, "ae_pdpl", t0).status == "satisfied"
	lacks(ae, "AE-PDPL-TRANSFER-DEROGATION-REVIEW")

	# PIPEDA Sch. 1 principle 4.1.3: contractual means
	ca := scenario([fixtures.subjects("customers", ["CA"], 400)], ["contact"], "CA", [fixtures.transfer({"to_country": "IN", "mechanism": "contract"})], {"customer_country": "CA"})
	flow(ca, "ca_pipeda", t0).status == "satisfied"

	# under the GDPR a contract is the Art. 49(1)(b) derogation, reviewed
	"GDPR-TRANSFER-DEROGATION-REVIEW" in ids(gdpr_to("IN", {"mechanism": "contract"}))
}

# The three situations of issue 11 (docs/policies.md): a multi-country ERP hosted in Singapore, an
# EU processor of a US controller, a Chinese shop selling directly to EU consumers.
package piaflow.main_test

import data.piaflow.fixtures

# --- ERP for a Vietnamese manufacturer on Alibaba Cloud ap-southeast-1 ---------------------------

erp_activity(name, subjects, patch) := object.union_n([
	fixtures.activity,
	{
		"name": name,
		"legal_basis": "contract",
		"data_subjects": subjects,
		"data_categories": ["contact", "identifiers"],
	},
	patch,
])

erp(site, b_patch, as_of) := fixtures.at(
	fixtures.input_with({
		"deployment": {
			"name": "ERP", "customer": "VN Manufacturing JSC", "customer_country": "VN", "vendor_country": "VN",
			"vendor_role": "processor", "sector": "manufacturing", "go_live": "2027-03-01", "first_transfer_on": "2027-03-01",
		},
		"hosting": [object.union({"name": "primary", "provider": "alibaba", "region": "ap-southeast-1", "country": "SG", "role": "primary", "processor": "Alibaba Cloud"}, site)],
		"processors": [{"name": "Alibaba Cloud", "country": "SG", "service": "hosting", "dpa_signed": true, "baa_signed": false, "key_access": true}],
		"governance": {"impact_assessments": ["cn_pipl", "vn_pdpd"]},
		"activities": [
			erp_activity("Supplier contacts", [fixtures.subjects("other", ["VN", "CN", "JP"], 2000)], {"targeted_countries": [], "monitored_countries": []}),
			erp_activity("Warranty registrations", [fixtures.subjects("customers", ["CN"], 120000), fixtures.subjects("customers", ["JP"], 40000)], object.union({"targeted_countries": ["CN", "JP"]}, b_patch)),
		],
	}),
	as_of,
)

per_law := {"mechanisms": [
	{"regime": "cn_pipl", "mechanism": "standard_contract", "regulator_filing": "filed", "signed_on": "2027-02-10", "filed_on": "2027-02-20"},
	{"regime": "jp_appi", "mechanism": "contract"},
	{"regime": "vn_pdpd", "mechanism": "contract", "regulator_filing": "filed", "filed_on": "2027-03-20"},
]}

rows(r, regime) := {[t.activity, t.status, t.entry] | some t in r.transfers; t.regime == regime}

test_erp_single_standard_contract_leaves_appi_open if {
	r := result(erp({"mechanism": "standard_contract", "regulator_filing": "filed"}, {}, "2026-11-25"))
	r.verdict == "conditional"
	{f.id | some f in r.findings} == {"JP-APPI-TRANSFER-MECHANISM-UNKNOWN"}

	# PIPL reaches only the warranty registrations (the supplier contacts answered "none")
	rows(r, "cn_pipl") == {["Warranty registrations", "satisfied", "hosting[0].mechanism"]}
	rows(r, "jp_appi") == {["Warranty registrations", "missing_mechanism", "hosting[0].mechanisms"]}
	rows(r, "vn_pdpd") == {["Supplier contacts", "satisfied", "hosting[0].mechanism"]}
	r.coverage.status == "covered"

	some f in r.findings
	f.kind == "gap"
	f.severity == "high"
}

test_erp_single_scc_leaves_pipl_open if {
	r := result(erp({"mechanism": "scc", "regulator_filing": "filed"}, {}, "2026-11-25"))
	r.verdict == "conditional"
	{f.id | some f in r.findings} == {"CN-PIPL-TRANSFER-MECHANISM-UNKNOWN"}
	rows(r, "jp_appi") == {["Warranty registrations", "satisfied", "hosting[0].mechanism"]}
}

test_erp_per_law_mechanisms_are_ready if {
	r := result(erp(per_law, {}, "2026-11-25"))
	r.findings == []
	r.verdict == "ready"
	rows(r, "cn_pipl") == {["Warranty registrations", "satisfied", "hosting[0].mechanisms[0]"]}
	rows(r, "jp_appi") == {["Warranty registrations", "satisfied", "hosting[0].mechanisms[1]"]}
	rows(r, "vn_pdpd") == {["Supplier contacts", "satisfied", "hosting[0].mechanisms[2]"]}
}

test_erp_cac_filing_due_then_overdue if {
	unfiled := {"mechanisms": [
		{"regime": "cn_pipl", "mechanism": "standard_contract", "signed_on": "2027-02-10"},
		per_law.mechanisms[1],
		per_law.mechanisms[2],
	]}
	r := result(erp(unfiled, {}, "2027-02-12"))
	r.verdict == "conditional"
	[[f.id, f.severity, f.action.due] | some f in r.findings] == [["CN-PIPL-TRANSFER-NOTICE-DUE", "high", "2027-02-24"]]
	late := result(erp(unfiled, {}, "2027-03-01"))
	late.verdict == "blocked"
	[f.severity | some f in late.findings] == ["blocker"]
}

test_erp_targeting_unanswered_is_conditional_without_blockers if {
	r := result(erp({"mechanism": "standard_contract", "regulator_filing": "filed"}, {"targeted_countries": null}, "2026-11-25"))
	ids := {f.id | some f in r.findings}
	{"CN-PIPL-SCOPE-REVIEW", "JP-APPI-SCOPE-REVIEW"} & ids == {"CN-PIPL-SCOPE-REVIEW", "JP-APPI-SCOPE-REVIEW"}
	every f in r.findings {
		f.severity != "blocker"
	}
	r.verdict == "conditional"
	some f in r.findings
	f.id == "JP-APPI-TRANSFER-MECHANISM-UNKNOWN"
	f.kind == "needs_review"
	f.severity == "medium"
}

# --- US consumers, processor established in Germany ----------------------------------------------

eu_proc(dep, transfer) := fixtures.input_with({
	"deployment": object.union({"customer": "Acme Outdoor Inc.", "customer_country": "US", "vendor_country": "DE", "vendor_role": "processor"}, dep),
	"hosting": [{"name": "eu", "provider": "aws", "region": "eu-central-1", "country": "DE", "role": "primary", "processor": "AWS"}],
	"processors": [{"name": "AWS", "country": "LU", "service": "hosting", "dpa_signed": true, "baa_signed": false, "key_access": false}],
	"activities": [object.union(fixtures.activity, {
		"name": "Loyalty accounts",
		"data_subjects": [fixtures.subjects("customers", ["US"], 200000)],
		"data_categories": ["contact", "online_identifiers", "behavioural"],
		"transfers": [fixtures.transfer(object.union({"to_country": "US", "recipient": "Acme staff in Denver", "recipient_type": "controller", "access": "remote_access"}, transfer))],
	})],
})

test_eu_processor_situation if {
	r := result(eu_proc({}, {"mechanism": "none"}))
	[[e.id, e.certainty, e.capacity] | some e in r.regimes] == [["gdpr", "firm", "processor"]]
	ids := {f.id | some f in r.findings}
	{"GDPR-TRANSFER-NO-MECHANISM", "COVERAGE-GAPS"} & ids == {"GDPR-TRANSFER-NO-MECHANISM", "COVERAGE-GAPS"}
	r.verdict == "blocked"
	[[t.from_countries, t.to, t.exporter] | some t in r.transfers] == [[{"DE"}, "US", "the vendor (processor) established in DE"]]

	# with the SCCs (module 4) recorded: the coverage gap keeps it from being ready
	ok := result(eu_proc({}, {"mechanism": "unknown", "mechanisms": [{"regime": "gdpr", "mechanism": "scc"}]}))
	not "GDPR-TRANSFER-NO-MECHANISM" in {f.id | some f in ok.findings}
	"COVERAGE-GAPS" in {f.id | some f in ok.findings}
	ok.verdict != "ready"

	# the same with a US vendor: AWS, established in LU, is still bound as processor (Art. 3(1)):
	# its processor obligations and the question whether it returns the data to the US, no
	# transfer row on a guess
	us := result(eu_proc({"vendor_country": "US"}, {"mechanism": "none"}))
	[[e.id, e.certainty, e.capacity] | some e in us.regimes] == [["gdpr", "firm", "processor"]]
	{f.id | some f in us.findings} == {"COVERAGE-GAPS", "GDPR-PROCESSOR-ESTABLISHED", "GDPR-PROCESSOR-RETURN-REVIEW"}
	us.transfers == []
	us.verdict == "conditional"

	# and with AWS's US entity: no law of the library applies, and that is not ready either
	none := result(object.union(eu_proc({"vendor_country": "US"}, {"mechanism": "none"}), {"questionnaire": {"processors": [{"name": "AWS", "country": "US", "service": "hosting", "dpa_signed": true, "baa_signed": false}]}}))
	none.regimes == []
	{f.id | some f in none.findings} == {"COVERAGE-NO-LAW"}
	none.verdict == "conditional"
}

# --- shop in China selling to EU consumers ------------------------------------------------------

cn_shop(host, act, gov) := fixtures.input_with({
	"deployment": {"customer": "Hangzhou Lanting Trading Co.", "customer_country": "CN", "vendor_country": "CN", "vendor_role": "processor"},
	"hosting": [host],
	"processors": [{"name": "Alibaba Cloud", "country": "CN", "service": "hosting", "dpa_signed": true, "baa_signed": false}],
	"governance": object.union({"impact_assessments": ["cn_pipl"]}, gov),
	"activities": [object.union_n([
		fixtures.activity,
		{
			"name": "Online orders",
			"data_subjects": [fixtures.subjects("customers", ["DE", "FR", "IT", "ES"], 80000)],
			"data_categories": ["contact", "identifiers", "payment_card"],
			"targeted_countries": ["DE", "FR", "IT", "ES"],
			"collected_directly": true,
			"retention_days": 730,
		},
		act,
	])],
})

shop_on_premises := {"name": "shop", "provider": "on_premises", "region": "hz", "country": "CN", "role": "primary"}

test_cn_shop_direct_collection_is_no_transfer if {
	r := result(cn_shop(shop_on_premises, {}, {}))
	{e.id | some e in r.regimes} == {"gdpr", "cn_pipl"}
	[[t.regime, t.basis, t.status] | some t in r.transfers] == [["gdpr", "not_a_transfer:own_premises", "not_a_transfer"]]
	count([f | some f in r.findings; startswith(f.id, "GDPR-TRANSFER")]) == 0
	not "GDPR-SCOPE-REVIEW" in {f.id | some f in r.findings}
	not "CN-PIPL-IMPACT-ASSESSMENT" in {f.id | some f in r.findings}
}

test_cn_shop_processor_hosting_is_a_reviewed_transfer if {
	r := result(cn_shop({"name": "cloud", "provider": "alibaba", "region": "cn-hangzhou", "country": "CN", "role": "primary", "processor": "Alibaba Cloud"}, {}, {}))
	some f in r.findings
	f.id == "GDPR-TRANSFER-MECHANISM-UNKNOWN"
	f.kind == "needs_review"
	f.severity == "high"
}

test_cn_shop_targeting_unanswered if {
	r := result(cn_shop(shop_on_premises, {"targeted_countries": null}, {}))
	some s in r.findings
	s.id == "GDPR-SCOPE-REVIEW"
	s.severity == "high"
	every f in r.findings {
		f.severity != "blocker"
	}
}

# Localisation instruments reported as regimes of their own, process_only_in_country, and the
# PIPL Art. 36 rule for state organs.
package piaflow.rules.transfers_test

import data.piaflow.fixtures
import data.piaflow.rules.transfers

test_rbi_directive_is_its_own_regime if {
	inp := in_payments("SG", [])
	r := data.piaflow.main.result with input as inp
	{"in_dpdp", "in_rbi_psd"} & {x.id | some x in r.regimes} == {"in_dpdp", "in_rbi_psd"}
	[l.regime | some l in r.localisation] == ["in_rbi_psd"]
	[f.id | some f in r.findings] == ["IN-RBI-PSD-LOCALISATION"]

	# without the directive's data nothing of it appears
	plain := data.piaflow.main.result with input as scenario([fixtures.subjects("customers", ["IN"], 5000)], ["contact"], "SG", [], {"customer_country": "IN"})
	not "in_rbi_psd" in {x.id | some x in plain.regimes}

	# the directive's own regime entry
	some e in r.regimes
	e.id == "in_rbi_psd"
	e.short == "RBI PSD"
	e.jurisdiction == "in_dpdp"
	e.certainty == "firm"
	e.fields == ["activities[0].data_subjects"]
	startswith(e.why, "Customer accounts: The entire payment system data")
}

test_instrument_finding_follows_its_law_certainty if {
	# RBI data of people in India for a German payments company: DPDP (and the directive with it)
	# reach it only if it offers them goods or services
	inp := scenario([fixtures.subjects("customers", ["IN"], 5000)], ["contact", "payment_card"], "SG", [], {"sector": "payments"})
	r := data.piaflow.main.result with input as inp
	some f in r.findings
	f.id == "IN-RBI-PSD-LOCALISATION"
	f.kind == "needs_review"
	f.severity == "medium"
	startswith(f.title, "If DPDP Act applies: ")
}

# process_only: the jurisdiction data with an Australian rule that health data of healthcare
# providers is processed only in Australia (the My Health Records Act s.77 shape; not in the
# shipped data, which leaves it to a lawyer).
process_only := array.concat(
	[object.union(j, {"localisation": [{"id": "mhr", "when": {"categories_any": ["health"]}, "requirement": "process_only_in_country", "text": "Processed only in Australia.", "citation": {"ref": "test", "url": "https://example.org"}}]}) | some j in data.piaflow.jurisdictions; j.id == "au_privacy"],
	[j | some j in data.piaflow.jurisdictions; j.id != "au_privacy"],
)

au_health(ts) := scenario([fixtures.subjects("patients", ["AU"], 300)], ["health"], "AU", ts, {"customer_country": "AU", "sector": "healthcare"})

test_process_only_in_country_blocks_remote_access if {
	inp := au_health([fixtures.transfer({"to_country": "IN", "access": "remote_access"})])
	fs := transfers.flows with input as inp with data.piaflow.jurisdictions as process_only
	[[f.verdict, f.basis] | some f in fs; f.jurisdiction == "au_privacy"] == [["localisation_required", "localisation:mhr"]]
	ls := transfers.localisation with input as inp with data.piaflow.jurisdictions as process_only
	[l.problems | some l in ls] == [["Support Inc in IN (remote_access)"]]

	# hosted abroad: also a problem
	abroad := scenario([fixtures.subjects("patients", ["AU"], 300)], ["health"], "SG", [], {"customer_country": "AU", "sector": "healthcare"})
	ls2 := transfers.localisation with input as abroad with data.piaflow.jurisdictions as process_only
	[l.problems | some l in ls2] == [["hosting \"primary\" is in SG"]]

	# store_only_in_country lets the same remote access through
	store_only := [object.union(j, {"localisation": [object.union(j.localisation[0], {"requirement": "store_only_in_country"})]}) | some j in process_only]
	fs3 := transfers.flows with input as inp with data.piaflow.jurisdictions as store_only
	[f.verdict | some f in fs3; f.jurisdiction == "au_privacy"] == ["mechanism_required"]
}

test_pipl_state_organs if {
	inp := scenario([fixtures.subjects("citizens", ["CN"], 500)], ["contact"], "DE", [], {"customer_country": "CN", "customer_type": "public_authority"})

	# a copy must stay in China (a localisation finding); the site abroad needs the assessment
	f := flow(inp, "cn_pipl", "hosting[0]")
	f.basis == "tier:state_organs"
	"CN-PIPL-LOCALISATION" in ids(inp)

	# stored in China, a copy abroad needs the security assessment
	copy := scenario([fixtures.subjects("citizens", ["CN"], 500)], ["contact"], "CN", [fixtures.transfer({"to_country": "DE", "access": "copy", "mechanism": "standard_contract"})], {"customer_country": "CN", "customer_type": "public_authority"})
	g := flow(copy, "cn_pipl", t0)
	g.basis == "tier:state_organs"
	g.mechanisms == ["security_assessment"]
	"CN-PIPL-TRANSFER-APPROVAL-REQUIRED" in ids(copy)

	# the localisation entry of the site abroad
	some l in transfers.localisation with input as inp
	l.rule == "state_organs"
	l.problems == ["no hosting site in CN"]
}

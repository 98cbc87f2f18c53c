# Onward transfers (transfers[].onward_transfers) evaluated hop by hop: the recipient of the
# previous hop passes the data on, bound by the safeguards of the first transfer.
package piaflow.rules.transfers_test

import data.piaflow.fixtures
import data.piaflow.rules.transfers

o1 := "activities[0].transfers[0].onward_transfers[0]"

o2 := "activities[0].transfers[0].onward_transfers[0].onward_transfers[0]"

o3 := "activities[0].transfers[0].onward_transfers[0].onward_transfers[0].onward_transfers[0]"

# gdpr_onward(onward): German customers' data reached from the US by Support Inc under SCCs, which
# passes it on (its onward_transfers).
gdpr_onward(onward) := fixtures.with_activity({"transfers": [fixtures.transfer({"onward_transfers": onward})]})

# sub(country, patch): an onward transfer to a sub-processor in `country`.
sub(country, patch) := fixtures.transfer(object.union({"to_country": country, "recipient": sprintf("Sub %s", [country])}, patch))

test_onward_hop_1_is_a_flow_from_the_previous_importer if {
	inp := gdpr_onward([sub("IN", {})])
	f := flow(inp, "gdpr", o1)
	f.hop == 1
	f.to == "IN"
	f.recipient == "Sub IN"
	f.from_countries == {"DE"}
	f.exporter == "Support Inc in US (the importer of the previous hop), onward transfer hop 1, bound by the safeguards of the first transfer by the customer (controller) established in DE"
	f.exporter_basis == "establishment"
	f.verdict == "mechanism_required"
	f.mechanisms == ["scc", "bcr", "certification"]
	f.status == "satisfied"
	f.fields == [concat("", [o1, ".to_country"]), concat("", [o1, ".mechanism"])]
	startswith(f.why, "Onward transfer (hop 1) by Support Inc in US: Chapter V applies to onward transfers from the third country to another (GDPR Art. 44")
	contains(f.why, "clause 8.8 of Modules 2 and 3")

	# the first hop is unchanged
	flow(inp, "gdpr", t0).hop == 0
	flow(inp, "gdpr", t0).exporter == "the customer (controller) established in DE"

	# without a mechanism on the hop: the transfer finding names the onward transfer's fields
	none := gdpr_onward([sub("IN", {"mechanism": "none"})])
	flow(none, "gdpr", o1).status == "missing_mechanism"
	g := finding(none, "GDPR-TRANSFER-NO-MECHANISM")
	g.fields == [concat("", [o1, ".mechanism"]), concat("", [o1, ".to_country"])]
	startswith(g.detail, "Sub IN (remote_access, onward transfer hop 1) in IN: Customer accounts of people in DE. No mechanism is given")

	# removing the onward transfer removes the flow
	count([x | some x in flows(gdpr_onward([]), "gdpr"); x.hop > 0]) == 0
}

test_onward_hop_back_into_the_law_is_no_flow if {
	# to France without a mechanism (no transfer out of the EU), to India without one (a transfer)
	inp := gdpr_onward([sub("FR", {"mechanism": "none"}), sub("IN", {"mechanism": "none"})])
	[x.via | some x in flows(inp, "gdpr"); x.hop > 0] == ["activities[0].transfers[0].onward_transfers[1]"]
	finding(inp, "GDPR-TRANSFER-NO-MECHANISM").fields == ["activities[0].transfers[0].onward_transfers[1].mechanism", "activities[0].transfers[0].onward_transfers[1].to_country"]
}

test_onward_to_an_adequate_country_is_allowed if {
	f := flow(gdpr_onward([sub("CH", {"mechanism": "none"})]), "gdpr", o1)
	f.verdict == "allowed"
	f.basis == "adequacy"
	f.status == "satisfied"
	f.hop == 1
}

test_onward_hop_2_without_a_mechanism if {
	inp := gdpr_onward([sub("IN", {"onward_transfers": [sub("SG", {"mechanism": "none"})]})])
	flow(inp, "gdpr", o1).status == "satisfied"
	f := flow(inp, "gdpr", o2)
	f.hop == 2
	f.status == "missing_mechanism"
	startswith(f.exporter, "Sub IN in IN (the importer of the previous hop), onward transfer hop 2")
	g := finding(inp, "GDPR-TRANSFER-NO-MECHANISM")
	g.fields == [concat("", [o2, ".mechanism"]), concat("", [o2, ".to_country"])]

	# a per-law entry on the hop answers for the GDPR
	ok := gdpr_onward([sub("IN", {"onward_transfers": [sub("SG", {"mechanism": "none", "mechanisms": [{"regime": "gdpr", "mechanism": "bcr"}]})]})])
	flow(ok, "gdpr", o2).status == "satisfied"
	flow(ok, "gdpr", o2).entry == concat("", [o2, ".mechanisms[0]"])
}

test_onward_hop_3 if {
	inp := gdpr_onward([sub("IN", {"onward_transfers": [sub("SG", {"onward_transfers": [sub("BR", {"mechanism": "consent", "recipient_type": "own_staff"})]})]})])
	f := flow(inp, "gdpr", o3)
	f.hop == 3
	startswith(f.exporter, "Sub SG in SG (the importer of the previous hop), onward transfer hop 3")

	# Brazil is adequate for the GDPR; the recipient's own staff are no exception on a hop
	f.verdict == "allowed"
	count(flows(inp, "gdpr")) == 4 # hosted in DE: the first transfer and three hops
}

test_onward_from_a_recipient_within_the_law if {
	# the recipient in France passes the data to the US: the hop takes it out of the EU
	inp := fixtures.with_activity({"transfers": [fixtures.transfer({"to_country": "FR", "recipient": "Paris SAS", "mechanism": "none", "onward_transfers": [sub("US", {"mechanism": "none"})]})]})
	count([x | some x in flows(inp, "gdpr"); x.via == t0]) == 0
	f := flow(inp, "gdpr", o1)
	f.status == "missing_mechanism"
	startswith(f.exporter, "Paris SAS in FR (the recipient of the previous hop, within the law's countries: this hop takes the data out of them), onward transfer hop 1; the data came from the customer (controller) established in DE")
}

# pipl_onward(n, first, onward): n customers in China of a Chinese customer hosted in China,
# reached from Singapore (first transfer patched by `first`), whose recipient passes the data on.
pipl_onward(n, first, onward) := fixtures.input_with({
	"deployment": {"customer_country": "CN", "vendor_country": "CN"},
	"hosting": fixtures.hosting_in("CN", {}),
	"activities": [object.union(fixtures.activity, {
		"data_subjects": [fixtures.subjects("customers", ["CN"], n)],
		"transfers": [fixtures.transfer(object.union_n([{"to_country": "SG", "recipient": "SG Support", "mechanism": "standard_contract", "regulator_filing": "filed"}, first, {"onward_transfers": onward}]))],
	})],
})

test_pipl_onward_filing_stays_with_the_first_exporter if {
	inp := pipl_onward(200000, {}, [sub("US", {"mechanism": "contract"})])
	first := flow(inp, "cn_pipl", t0)
	first.status == "satisfied"
	first.needed_filing == "filed"

	f := flow(inp, "cn_pipl", o1)
	f.hop == 1
	f.verdict == "mechanism_required"
	f.basis == "onward:tier:general_100k"
	f.mechanisms == ["standard_contract", "certification", "contract"]
	f.needed_filing == ""
	f.status == "onward_review"
	f.satisfied == false
	contains(f.why, "written agreement making the third party's processing meet the standard of Chinese law")
	contains(f.why, "The decision (tier:general_100k) needs a regulator filing or approval (regulator filing for standard_contract): that is the first exporter's duty, not the recipient's")

	g := finding(inp, "CN-PIPL-TRANSFER-ONWARD-REVIEW")
	g.kind == "needs_review"
	g.fields == [concat("", [o1, ".mechanism"]), concat("", [o1, ".to_country"])]
	startswith(g.detail, "Sub US (remote_access, onward transfer hop 1) in US: Customer accounts of people in CN (exporter: SG Support in SG (the importer of the previous hop)")

	# no filing is asked of the recipient
	lacks(inp, "CN-PIPL-TRANSFER-NOTICE-DUE")
	lacks(inp, "CN-PIPL-TRANSFER-APPROVAL-REQUIRED")
}

test_pipl_onward_without_a_mechanism if {
	inp := pipl_onward(200000, {}, [sub("US", {"mechanism": "none"})])
	flow(inp, "cn_pipl", o1).status == "missing_mechanism"
	g := finding(inp, "CN-PIPL-TRANSFER-NO-MECHANISM")
	g.fields == [concat("", [o1, ".mechanism"]), concat("", [o1, ".to_country"])]
	lacks(inp, "CN-PIPL-TRANSFER-ONWARD-REVIEW")
	lacks(inp, "CN-PIPL-TRANSFER-APPROVAL-REQUIRED")
}

test_pipl_onward_under_a_security_assessment if {
	# 2,000,000 people: the first transfer needs the CAC security assessment
	big := pipl_onward(2000000, {"mechanism": "security_assessment", "regulator_filing": "approved"}, [sub("US", {"mechanism": "contract"})])
	flow(big, "cn_pipl", t0).verdict == "approval_required"
	f := flow(big, "cn_pipl", o1)
	f.verdict == "mechanism_required"
	f.basis == "onward:tier:general_1m"
	f.status == "onward_review"
	contains(f.why, "(regulator filing approved)")
}

test_pipl_onward_under_100k_follows_the_first_transfer if {
	small := pipl_onward(5000, {"mechanism": "none"}, [sub("US", {"mechanism": "none"})])
	f := flow(small, "cn_pipl", o1)
	f.verdict == "allowed"
	f.basis == "tier:under_100k"
	f.status == "satisfied"
}

test_onward_exemption_and_default_note if {
	# an exemption claimed on the hop itself
	inp := pipl_onward(200000, {}, [sub("US", {"mechanism": "none", "exemption": "contract_necessity"})])
	f := flow(inp, "cn_pipl", o1)
	f.basis == "exemption:contract_necessity"
	f.status == "satisfied"
	finding(inp, "CN-PIPL-TRANSFER-EXEMPTION-REVIEW").fields == [concat("", [o1, ".exemption"]), concat("", [o1, ".mechanism"]), concat("", [o1, ".to_country"])]

	# a law without its own onward note: the default note asks legal to confirm
	jp := fixtures.with_activity({
		"data_subjects": [fixtures.subjects("customers", ["JP"], 500)],
		"transfers": [fixtures.transfer({"to_country": "US", "mechanism": "contract", "onward_transfers": [sub("IN", {"mechanism": "contract"})]})],
	})
	g := flow(jp, "jp_appi", o1)
	startswith(g.why, "Onward transfer (hop 1) by Support Inc in US: piaflow applies the law's transfer rules to the recipient's onward transfer as to the first transfer")
	contains(g.why, "(piaflow's reading of this law: confirm).")
}

test_onward_under_a_notice_law_is_never_satisfied_by_assumption if {
	# Russian employees' data sent to the group in Germany after the Roskomnadzor notice; the group
	# passes it to the US: the notice is the Russian operator's, and no mechanism is left to check
	inp := fixtures.input_with({
		"deployment": {"customer_country": "RU", "vendor_country": "RU"},
		"hosting": fixtures.hosting_in("RU", {}),
		"activities": [object.union(fixtures.activity, {
			"data_subjects": [fixtures.subjects("employees", ["RU"], 300)],
			"transfers": [fixtures.transfer({"to_country": "DE", "recipient": "Group HR", "mechanism": "consent", "regulator_filing": "filed", "onward_transfers": [sub("US", {"mechanism": "consent"})]})],
		})],
	})
	flow(inp, "ru_152fz", t0).status == "satisfied"
	f := flow(inp, "ru_152fz", o1)
	f.basis == "onward:tier:rkn_notice"
	f.mechanisms == []
	f.needed_filing == ""
	f.status == "onward_review"
	f.satisfied == false
	contains(f.why, "(regulator filing filed)")
	finding(inp, "RU-152FZ-TRANSFER-ONWARD-REVIEW").fields == [concat("", [o1, ".mechanism"]), concat("", [o1, ".to_country"])]
}

test_onward_hop_meets_the_localisation_rules if {
	# Australian health data processed only in Australia (test data process_only): a recipient in
	# Australia passing it to India breaks the rule as a direct transfer would
	inp := au_health([fixtures.transfer({"to_country": "AU", "recipient": "Sydney Pty", "onward_transfers": [sub("IN", {"access": "remote_access"})]})])
	fs := transfers.flows with input as inp with data.piaflow.jurisdictions as process_only
	[[f.via, f.hop, f.verdict, f.basis] | some f in fs; f.jurisdiction == "au_privacy"] == [[o1, 1, "localisation_required", "localisation:mhr"]]
	ls := transfers.localisation with input as inp with data.piaflow.jurisdictions as process_only
	[l.problems | some l in ls] == [["Sub IN in IN (remote_access)"]]
	[l.fields | some l in ls] == [["activities[0].data_subjects", concat("", [o1, ".to_country"])]]
}

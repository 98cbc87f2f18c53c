# A third-party processor established under the GDPR family (facts.third_parties) exports what it
# passes on: its own onward transfers are Chapter V transfers with it as exporter, judged by the
# hop machinery; the transfer to it is not (its sender is not subject on that ground).
package piaflow.rules.transfers_test

import data.piaflow.fixtures
import data.piaflow.rules.transfers

p1 := "activities[0].transfers[0].onward_transfers[0]"

p2 := "activities[0].transfers[0].onward_transfers[0].onward_transfers[0]"

# ie_sub(onward, patch): a US customer's US people, a US vendor; the vendor's sub-processor in
# Ireland receives a copy (transfer patched by `patch`) and passes it on (`onward`).
ie_sub(onward, patch) := fixtures.input_with({
	"deployment": {"customer": "Prairie Mutual", "customer_country": "US", "vendor_country": "US"},
	"hosting": fixtures.hosting_in("US", {}),
	"activities": [object.union(fixtures.activity, {
		"data_subjects": [fixtures.subjects("customers", ["US"], 1000)],
		"transfers": [fixtures.transfer(object.union({"to_country": "IE", "recipient": "Docklands Ltd", "recipient_type": "sub_processor", "access": "copy", "mechanism": "contract", "onward_transfers": onward}, patch))],
	})],
})

test_third_party_processor_exports_its_onward_transfer if {
	inp := ie_sub([sub("IN", {"recipient_type": "sub_processor"})], {})
	[x.via | some x in flows(inp, "gdpr")] == [p1] # not the transfer to it
	f := flow(inp, "gdpr", p1)
	f.hop == 1
	f.from_countries == {"IE"}
	f.exporter == "Docklands Ltd, a processor established in IE and subject to the GDPR for its processing (Art. 3(1)), onward transfer hop 1"
	f.exporter_basis == "processor_establishment"
	f.status == "satisfied"
	startswith(f.why, "Transfer by Docklands Ltd, a processor established in IE and subject to the GDPR for its processing (Art. 3(1), 44; EDPB Guidelines 05/2021, criterion 1), to Sub IN (sub_processor): under GDPR the 2021 SCCs, Module 3 (processor to processor), fit this importer.")

	# without a mechanism: a firm blocker naming the hop's fields (the exporter is established)
	none := ie_sub([sub("IN", {"recipient_type": "sub_processor", "mechanism": "none"})], {})
	g := finding(none, "GDPR-TRANSFER-NO-MECHANISM")
	g.severity == "blocker"
	g.kind == "violation"
	g.fields == [concat("", [p1, ".mechanism"]), concat("", [p1, ".to_country"])]
	contains(g.detail, "Transfer by Docklands Ltd, a processor established in IE")

	# no onward transfer: no row (whether it returns data is a question, rules/gdpr)
	count(flows(ie_sub([], {}), "gdpr")) == 0
}

test_third_party_processor_to_a_controller_is_module_4 if {
	f := flow(ie_sub([sub("US", {"recipient_type": "controller", "recipient": "Prairie Mutual"})], {}), "gdpr", p1)
	contains(f.why, "Module 4 (processor to controller)")
	f.status == "satisfied"
}

test_third_party_processor_later_hops_are_onward_transfers if {
	inp := ie_sub([sub("IN", {"recipient_type": "sub_processor", "onward_transfers": [sub("SG", {"mechanism": "none"})]})], {})
	f := flow(inp, "gdpr", p2)
	f.hop == 2
	f.exporter == "Sub IN in IN (the importer of the previous hop), onward transfer hop 2, bound by the safeguards of the first transfer by Docklands Ltd, a processor established in IE and subject to the GDPR for its processing (Art. 3(1))"
	f.status == "missing_mechanism"
	startswith(f.why, "Onward transfer (hop 2) by Sub IN in IN: Chapter V applies to onward transfers")
}

test_third_party_processor_own_staff_is_no_transfer if {
	count(flows(ie_sub([sub("IN", {"recipient_type": "own_staff", "mechanism": "none"})], {}), "gdpr")) == 0
}

test_third_party_processor_established_by_recipient_country if {
	# to_country NL but established in the US: not a processor established in the EU
	inp := ie_sub([sub("IN", {})], {"to_country": "NL", "recipient_country": "US"})
	count(flows(inp, "gdpr")) == 0

	# not a processor (a controller recipient): no exporter under the GDPR on that ground
	count(flows(ie_sub([sub("IN", {})], {"recipient_type": "controller"}), "gdpr")) == 0
}

test_third_party_processor_adds_no_row_the_customer_already_exports if {
	# a German customer: its own exporter rows, each once, the customer the exporter
	inp := fixtures.with_activity({"transfers": [fixtures.transfer({"to_country": "IE", "recipient": "Docklands Ltd", "onward_transfers": [sub("IN", {})]})]})
	fs := flows(inp, "gdpr")
	[x.via | some x in fs] == [p1]
	fs[0].exporter_basis == "establishment"
}

test_third_party_processor_exports_before_a_customer_reached_through_its_people if {
	# people in France, a US customer (Art. 3(2)): the Irish processor's own transfer is still its own
	inp := object.union(ie_sub([sub("IN", {"mechanism": "none"})], {}), {"questionnaire": {"activities": [object.union(fixtures.activity, {
		"data_subjects": [fixtures.subjects("customers", ["FR"], 1000)],
		"transfers": [fixtures.transfer({"to_country": "IE", "recipient": "Docklands Ltd", "recipient_type": "sub_processor", "onward_transfers": [sub("IN", {"mechanism": "none"})]})],
	})]}})
	f := flow(inp, "gdpr", p1)
	f.exporter_basis == "processor_establishment"
	f.from_countries == {"FR"}

	# the transfer to Ireland itself makes no row, and the customer's own hosting in the US does
	[x.exporter_basis | some x in flows(inp, "gdpr"); x.via == "hosting[0]"] == ["subjects"]
	g := finding(inp, "GDPR-TRANSFER-NO-MECHANISM")
	not contains(g.detail, "reached through its people (Art. 3(2))")
}

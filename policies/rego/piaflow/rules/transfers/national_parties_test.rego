# A third-party processor established under a national law that makes a data processor an exporter
# (Kenya DPA s.48, Nigeria NDPA s.41(1)): its onward transfers from data it holds there are rows
# with it as exporter (national_parties.rego); elsewhere, nothing.
package piaflow.rules.transfers_test

import data.piaflow.fixtures
import data.piaflow.rules.transfers

# ke_sub(country, patch, onward): a US customer's US people, a US vendor hosting in the US; the
# vendor's sub-processor in `country` receives a copy (transfer patched by `patch`) and passes it on.
ke_sub(country, patch, onward) := fixtures.input_with({
	"deployment": {"customer": "Prairie Mutual", "customer_country": "US", "vendor_country": "US"},
	"hosting": fixtures.hosting_in("US", {}),
	"activities": [object.union(fixtures.activity, {
		"data_subjects": [fixtures.subjects("customers", ["US"], 1000)],
		"transfers": [fixtures.transfer(object.union({"to_country": country, "recipient": "Nairobi Data Ltd", "recipient_type": "sub_processor", "access": "copy", "mechanism": "contract", "onward_transfers": onward}, patch))],
	})],
})

ke_onward := "activities[0].transfers[0].onward_transfers[0]"

test_kenyan_processor_exports_its_onward_transfer if {
	inp := ke_sub("KE", {}, [fixtures.transfer({"to_country": "IN", "recipient": "Sub IN", "recipient_type": "sub_processor", "mechanism": "none"})])
	[x.via | some x in flows(inp, "ke_dpa")] == [ke_onward]
	f := flow(inp, "ke_dpa", ke_onward)
	f.exporter_basis == "processor_establishment"
	f.exporter == "Nairobi Data Ltd, a processor established in KE holding the data there, the exporter under the DPA (Kenya) (DPA s.48; Data Protection (General) Regulations 2021 reg. 40), onward transfer hop 1"
	startswith(f.why, "Transfer by Nairobi Data Ltd, a processor established in KE holding the data there, to Sub IN (sub_processor): the DPA (Kenya) makes a data processor the exporter (DPA s.48;")
	f.status == "missing_mechanism"

	# its missing mechanism rests on its own establishment
	g := finding(inp, "KE-DPA-TRANSFER-NO-MECHANISM")
	g.scope_basis == "processor_establishment"
	g.fields == [concat("", [ke_onward, ".mechanism"]), concat("", [ke_onward, ".to_country"])]
}

test_nigerian_processor_exports_its_onward_transfer if {
	inp := ke_sub("NG", {}, [fixtures.transfer({"to_country": "IN", "recipient": "Sub IN", "recipient_type": "sub_processor", "mechanism": "none"})])
	flow(inp, "ng_ndpa", ke_onward).exporter_basis == "processor_establishment"
}

test_national_processor_not_holding_the_data_there_exports_nothing if {
	# established in Kenya, receiving the data in the US: nothing leaves Kenya
	inp := ke_sub("US", {"recipient_country": "KE"}, [fixtures.transfer({"to_country": "IN", "recipient": "Sub IN", "recipient_type": "sub_processor", "mechanism": "none"})])
	count(flows(inp, "ke_dpa")) == 0

	# PIPL leaves an entrusted party's exports to review: no row for a third party in China
	cn := ke_sub("CN", {}, [fixtures.transfer({"to_country": "IN", "recipient": "Sub IN", "recipient_type": "sub_processor", "mechanism": "none"})])
	count(flows(cn, "cn_pipl")) == 0
}

test_national_processor_hosting_abroad_is_no_row if {
	# a processors[] entry in Kenya operating a site in India: the data never is in Kenya
	inp := fixtures.input_with({
		"deployment": {"customer": "Prairie Mutual", "customer_country": "US", "vendor_country": "US"},
		"hosting": fixtures.hosting_in("IN", {"processor": "Nairobi Data Ltd", "mechanism": "none"}),
		"processors": [{"name": "Nairobi Data Ltd", "country": "KE", "service": "hosting", "dpa_signed": true, "baa_signed": false}],
		"activities": [object.union(fixtures.activity, {"data_subjects": [fixtures.subjects("customers", ["US"], 1000)]})],
	})
	count(flows(inp, "ke_dpa")) == 0
}

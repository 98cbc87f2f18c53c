# Who exports under each law (EDPB Guidelines 05/2021): the customer established there, the vendor
# established there holding the data (GDPR Art. 3(1) processor), or a controller reached through
# its people (Art. 3(2)); and destinations that are no transfer.
package piaflow.rules.transfers_test

import data.piaflow.fixtures
import data.piaflow.rules.transfers

# eu_processor(transfer_patch, dep): US consumers of a US customer, the vendor (processor)
# established in Germany hosting in eu-central-1; the customer's staff in Denver reach the data.
eu_processor(transfer_patch, dep) := fixtures.input_with({
	"deployment": object.union({"customer": "Acme Outdoor Inc.", "customer_country": "US", "vendor_country": "DE", "vendor_role": "processor"}, dep),
	"hosting": [{"name": "eu", "provider": "aws", "region": "eu-central-1", "country": "DE", "role": "primary", "processor": "AWS"}],
	"processors": [{"name": "AWS", "country": "LU", "service": "hosting", "dpa_signed": true, "baa_signed": false, "key_access": false}],
	"activities": [object.union(fixtures.activity, {
		"name": "Loyalty accounts",
		"data_subjects": [fixtures.subjects("customers", ["US"], 200000)],
		"data_categories": ["contact", "online_identifiers", "behavioural"],
		"transfers": [fixtures.transfer(object.union({"to_country": "US", "recipient": "Acme staff in Denver", "recipient_type": "controller", "access": "remote_access", "mechanism": "none"}, transfer_patch))],
	})],
})

test_eu_processor_exports_to_its_controller_abroad if {
	inp := eu_processor({}, {})
	f := flow(inp, "gdpr", t0)
	f.from_countries == {"DE"}
	f.exporter == "the vendor (processor) established in DE"
	f.exporter_basis == "vendor"
	f.verdict == "mechanism_required"
	f.status == "missing_mechanism"
	g := finding(inp, "GDPR-TRANSFER-NO-MECHANISM")
	g.kind == "violation"
	g.severity == "blocker"
	startswith(g.detail, "Acme staff in Denver (remote_access) in US: Loyalty accounts of people in DE. No mechanism is given")

	# hosted in Germany: the site itself is no transfer
	count([x | some x in flows(inp, "gdpr"); x.via == "hosting[0]"]) == 0

	# SCCs (module 4) recorded for the GDPR
	ok := eu_processor({"mechanism": "unknown", "mechanisms": [{"regime": "gdpr", "mechanism": "scc"}]}, {})
	flow(ok, "gdpr", t0).status == "satisfied"
	count(transfers.findings) == 0 with input as ok

	# the customer's own staff are the controller's: still a transfer by the processor
	staff := eu_processor({"recipient_type": "own_staff"}, {})
	flow(staff, "gdpr", t0).status == "missing_mechanism"
}

test_no_gdpr_transfer_without_an_eu_establishment if {
	inp := eu_processor({}, {"vendor_country": "US"})
	count(flows(inp, "gdpr")) == 0

	# an EU vendor processing remotely data hosted outside the EU exports nothing under the GDPR;
	# the site's operator, AWS established in LU, is the exporter of its own site (site_parties.rego)
	remote := object.union(eu_processor({}, {}), {"questionnaire": {"hosting": [{"name": "us", "provider": "aws", "region": "us-east-1", "country": "US", "role": "primary", "processor": "AWS"}]}})
	[[f.via, f.exporter_basis] | some f in flows(remote, "gdpr")] == [["hosting[0]", "processor_establishment"]]
}

test_eu_controller_exports_everyones_data if {
	# a German customer's US people hosted in India: GDPR Art. 44 binds the exporter for all of them
	inp := fixtures.input_with({
		"hosting": fixtures.hosting_in("IN", {"name": "mumbai"}),
		"activities": [object.union(fixtures.activity, {"data_subjects": [fixtures.subjects("customers", ["US"], 50)]})],
	})
	f := flow(inp, "gdpr", "hosting[0]")
	f.from_countries == {"DE"}
	f.exporter == "the customer (controller) established in DE"
	f.exporter_basis == "establishment"
	"GDPR-TRANSFER-MECHANISM-UNKNOWN" in ids(inp)

	# a law without that rule (PIPL) follows only its own people
	cn := fixtures.input_with({
		"deployment": {"customer_country": "CN", "vendor_country": "CN"},
		"hosting": fixtures.hosting_in("SG", {}),
		"activities": [object.union(fixtures.activity, {"data_subjects": [fixtures.subjects("customers", ["JP"], 50)], "targeted_countries": []})],
	})
	count(flows(cn, "cn_pipl")) == 0
}

# shop(host, act): a shop in China selling directly to consumers in the EU.
shop(host, act) := fixtures.input_with({
	"deployment": {"customer": "Hangzhou Lanting Trading Co.", "customer_country": "CN", "vendor_country": "CN", "vendor_role": "processor"},
	"hosting": [host],
	"processors": [{"name": "Alibaba Cloud", "country": "CN", "service": "hosting", "dpa_signed": true, "baa_signed": false}],
	"activities": [object.union_n([
		fixtures.activity,
		{
			"name": "Online orders",
			"data_subjects": [fixtures.subjects("customers", ["DE", "FR", "IT", "ES"], 80000)],
			"data_categories": ["contact", "identifiers", "payment_card"],
			"targeted_countries": ["DE", "FR", "IT", "ES"],
			"collected_directly": true,
		},
		act,
	])],
})

on_premises_cn := {"name": "shop", "provider": "on_premises", "region": "hz", "country": "CN", "role": "primary"}

test_direct_collection_and_own_servers_are_no_transfer if {
	inp := shop(on_premises_cn, {})
	f := flow(inp, "gdpr", "hosting[0]")
	f.verdict == "allowed"
	f.basis == "not_a_transfer:own_premises"
	f.status == "not_a_transfer"
	f.satisfied == true
	f.exporter_basis == "subjects"
	endswith(f.why, "The customer collects the data directly from the people (activities[].collected_directly), which is not a transfer either (Example 1).")
	count([x | some x in transfers.findings with input as inp; startswith(x.id, "GDPR-TRANSFER")]) == 0

	# without direct collection the row says only why the site is no importer
	g := flow(shop(on_premises_cn, {"collected_directly": false}), "gdpr", "hosting[0]")
	not contains(g.why, "Example 1")
}

test_art_3_2_controller_disclosing_to_a_processor_abroad_is_reviewed if {
	inp := shop({"name": "cloud", "provider": "alibaba", "region": "cn-hangzhou", "country": "CN", "role": "primary", "processor": "Alibaba Cloud"}, {})
	f := flow(inp, "gdpr", "hosting[0]")
	f.verdict == "mechanism_required"
	f.status == "missing_mechanism"
	g := finding(inp, "GDPR-TRANSFER-MECHANISM-UNKNOWN")
	g.kind == "needs_review"
	g.severity == "high"
	contains(g.detail, "The customer is not established in the EU/EEA and is reached through its people (Art. 3(2)).")
	g.action.due == "2027-02-15"
}

# sg_processor(dep): the same US customer with the vendor (processor) established in Singapore
# hosting in Singapore; the customer's staff in Denver reach the data.
sg_processor := json.patch(eu_processor({}, {}), [
	{"op": "replace", "path": "/questionnaire/deployment/vendor_country", "value": "SG"},
	{"op": "replace", "path": "/questionnaire/hosting/0/region", "value": "ap-southeast-1"},
	{"op": "replace", "path": "/questionnaire/hosting/0/country", "value": "SG"},
])

# with_vendor_exports(id): the jurisdiction data with scope.vendor_establishment.exports set for id.
with_vendor_exports(id) := [k |
	some j in data.piaflow.jurisdictions
	k := vendor_exports_on(j, id)
]

vendor_exports_on(j, id) := json.patch(j, [{"op": "add", "path": "/scope/vendor_establishment/exports", "value": true}]) if j.id == id

else := j

test_national_processor_exports_only_where_the_law_says_so if {
	# Singapore PDPA s.4(2): a data intermediary has no transfer-limitation duty (s.26): the
	# vendor holding the data in Singapore is no exporter under the PDPA
	count(flows(sg_processor, "sg_pdpa")) == 0

	# a law whose data says the vendor holding the data there exports (exports: true)
	js := with_vendor_exports("sg_pdpa")
	f := flow(sg_processor, "sg_pdpa", t0) with data.piaflow.jurisdictions as js
	f.exporter == "the vendor (processor) established in SG"
	f.exporter_basis == "vendor"
	f.from_countries == {"SG"}
}

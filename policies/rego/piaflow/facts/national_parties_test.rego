package piaflow.facts_test

import data.piaflow.facts
import data.piaflow.fixtures

# ke_party(country): a US customer and vendor, US people; a processors[] entry in `country`.
ke_party(country) := fixtures.input_with({
	"deployment": {"customer_country": "US", "vendor_country": "US"},
	"hosting": fixtures.hosting_in("US", {}),
	"processors": [{"name": "Nairobi Data Ltd", "country": country, "service": "support", "dpa_signed": true, "baa_signed": false}],
	"activities": [object.union(fixtures.activity, {"data_subjects": [fixtures.subjects("customers", ["US"], 100)]})],
})

test_national_law_reaching_processors_binds_a_third_party if {
	"ke_dpa" in facts.processor_established_ids with input as ke_party("KE")
	"ng_ndpa" in facts.processor_established_ids with input as ke_party("NG")
}

test_national_law_without_firm_processor_exports_adds_nothing if {
	# PIPL: reach firm, the processor's exports under review
	ids := facts.processor_established_ids with input as ke_party("CN")
	not "cn_pipl" in ids

	# Singapore: a data intermediary has no transfer duty (no exports)
	sg := facts.processor_established_ids with input as ke_party("SG")
	not "sg_pdpa" in sg
}

test_exports_as_processor if {
	facts.exports_as_processor(true)
	facts.exports_as_processor({"processor": "firm"})
	not facts.exports_as_processor({"processor": "review"})
	not facts.exports_as_processor({"controller": "firm"})
}

package piaflow.rules.national_test

import data.piaflow.fixtures
import data.piaflow.regimes
import data.piaflow.rules.national

# ke_proc(country, dep): a processors[] entry in `country`; a US customer (patched by dep), US people.
ke_proc(country, dep) := fixtures.input_with({
	"deployment": object.union({"customer_country": "US", "vendor_country": "US"}, dep),
	"hosting": fixtures.hosting_in("US", {}),
	"processors": [{"name": "Nairobi Data Ltd", "country": country, "service": "support", "dpa_signed": true, "baa_signed": false}],
	"activities": [object.union(fixtures.activity, {"data_subjects": [fixtures.subjects("customers", ["US"], 100)]})],
})

test_kenyan_third_party_processor_is_bound_with_its_duties if {
	inp := ke_proc("KE", {})
	[[r.basis, r.certainty] | some r in regimes.reasons_by.ke_dpa] == [["processor_establishment", "firm"]] with input as inp
	regimes.capacity.ke_dpa == "processor" with input as inp
	fs := [f | some f in national.findings; f.regime == "ke_dpa"] with input as inp
	[f.id | some f in fs] == ["KE-DPA-PROCESSOR-ESTABLISHED"] # no controller duties
	f := fs[0]
	f.kind == "needs_review"
	f.severity == "low"
	f.fields == ["processors[0].country"]
	f.scope_basis == "processor_establishment"
	startswith(f.detail, "Nairobi Data Ltd is established in KE (processors[0].country) and processes this deployment's data as a processor. DPA s.4(a):")
	contains(f.detail, "Register with the Data Commissioner as a data processor")
	endswith(f.detail, "Confirm: the registration thresholds of the Data Protection (Registration of Data Controllers and Data Processors) Regulations 2021.")
	f.detail_msg.id == "national.party_duties.confirm"
}

test_third_party_duties_only_where_the_law_reaches_processors if {
	# PIPL: the processor's exports are a review; Singapore: no exports: nothing on this ground
	every c in ["CN", "SG"] {
		count([f | some f in national.findings; endswith(f.id, "-PROCESSOR-ESTABLISHED")]) == 0 with input as ke_proc(c, {})
	}

	# a customer established in Kenya: its own duties, not the third party's
	count([f | some f in national.findings; f.id == "KE-DPA-PROCESSOR-ESTABLISHED"]) == 0 with input as ke_proc("KE", {"customer_country": "KE"})
}

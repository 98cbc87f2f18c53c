package piaflow.coverage_test

import data.piaflow.coverage
import data.piaflow.fixtures

# us_processor(dep): US consumers of a US customer, the vendor and hosting as given.
us_case(dep, host) := fixtures.input_with({
	"deployment": object.union({"customer_country": "US"}, dep),
	"hosting": fixtures.hosting_in(host, {}),
	"activities": [object.union(fixtures.activity, {"data_subjects": [fixtures.subjects("customers", ["US"], 200000)]})],
})

one(inp, id) := f if {
	f := fixtures.one(coverage.findings, id) with input as inp
}

test_no_law_applies if {
	inp := us_case({"vendor_country": "US"}, "US")
	one(inp, "COVERAGE-NO-LAW").detail_msg.id == "coverage.no_law.gaps"
	object.remove(one(inp, "COVERAGE-NO-LAW"), ["detail_msg"]) == {
		"id": "COVERAGE-NO-LAW",
		"regime": "coverage",
		"kind": "needs_review",
		"severity": "high",
		"title": "No law of the library applies",
		# the expected detail, one literal as the reader sees it
		# regal ignore:line-length
		"detail": sprintf("None of the laws in piaflow's library applies to this deployment (people, customer and vendor in US). The library covers %d laws; the countries' own laws must be reviewed. Not covered: US (data subjects, customer: %s).", [count(data.piaflow.jurisdictions), data.piaflow.coverage_notes.partial[0].not_covered]),
		"citation": {"ref": "UNCTAD, Data Protection and Privacy Legislation Worldwide", "url": "https://unctad.org/page/data-protection-and-privacy-legislation-worldwide", "secondary": true},
		"fields": ["activities[0].data_subjects[0].countries", "deployment.customer_country", "deployment.vendor_country"],
		"action": {"title": "Have a lawyer review the laws of the deployment's countries", "owner": "legal", "due": "2027-02-15"},
	}
	b := coverage.block with input as inp
	b.status == "none"
	b.uncovered == []
	b.partial == [{
		"country": "US", "roles": ["subjects", "customer"], "covered": ["us_hipaa", "us_dsp"],
		"not_covered": data.piaflow.coverage_notes.partial[0].not_covered,
		"fields": ["activities[0].data_subjects[0].countries", "deployment.customer_country"],
	}]
	not fixtures.one(coverage.findings, "COVERAGE-GAPS") with input as inp
}

test_eu_processor_of_us_consumers_is_covered_in_part if {
	# the GDPR applies to the German processor; the US state laws are not in the library
	inp := us_case({}, "DE")
	f := one(inp, "COVERAGE-GAPS")
	f.severity == "medium"
	f.action.due == "2027-03-01"
	f.fields == ["activities[0].data_subjects[0].countries", "deployment.customer_country"]
	startswith(f.detail, "piaflow's library does not cover the law of: US (data subjects, customer: the library holds HIPAA")
	not fixtures.one(coverage.findings, "COVERAGE-NO-LAW") with input as inp
	coverage.status == "partial" with input as inp
}

test_uncovered_host_and_processor_are_low if {
	# a German customer's people in Germany, hosted in Mexico by a processor in Israel; the US
	# processor raises nothing (no_territorial_law)
	inp := fixtures.input_with({
		"hosting": fixtures.hosting_in("MX", {}),
		"processors": [
			{"name": "Tel Aviv Ops", "country": "IL", "service": "support", "dpa_signed": true, "baa_signed": false},
			{"name": "AWS", "country": "US", "service": "hosting", "dpa_signed": true, "baa_signed": true, "certifications": ["eu_us_dpf"]},
		],
	})
	f := one(inp, "COVERAGE-GAPS")
	f.severity == "low"
	f.fields == ["hosting[0].country", "processors[0].country"]
	f.detail == "piaflow's library does not cover the law of: IL (processor); MX (hosting). Its findings say nothing about these laws."
	b := coverage.block with input as inp
	b.uncovered == [{"country": "IL", "roles": ["processor"], "fields": ["processors[0].country"]}, {"country": "MX", "roles": ["host"], "fields": ["hosting[0].country"]}]
}

test_recipient_and_subject_countries_without_a_law if {
	inp := fixtures.with_activity({
		"data_subjects": [fixtures.subjects("customers", ["DE", "MX"], 100)],
		"transfers": [fixtures.transfer({"to_country": "AR", "recipient_country": "UY"})],
	})
	f := one(inp, "COVERAGE-GAPS")
	f.severity == "medium"
	f.fields == ["activities[0].data_subjects[0].countries", "activities[0].transfers[0].recipient_country", "activities[0].transfers[0].to_country"]
}

test_covered_deployment if {
	count(coverage.findings) == 0 with input as fixtures.baseline
	coverage.block == {"status": "covered", "uncovered": [], "partial": []} with input as fixtures.baseline
}

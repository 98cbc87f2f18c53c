# A third-party processor established under the GDPR family that operates a hosting site outside
# the law's countries (site_parties.rego): the site is a row with it as exporter, its findings are
# reviews (who operates the site is open), and nothing is guessed where no site names it.
package piaflow.rules.transfers_test

import data.piaflow.fixtures
import data.piaflow.rules.transfers

# fr_host(site, procs): a US customer's US people, a US vendor; the deployment's hosting site
# patched by `site`, its processors `procs`.
fr_host(site, procs) := fixtures.input_with({
	"deployment": {"customer": "Prairie Mutual", "customer_country": "US", "vendor_country": "US"},
	"hosting": fixtures.hosting_in("IN", site),
	"processors": procs,
	"activities": [object.union(fixtures.activity, {"data_subjects": [fixtures.subjects("customers", ["US"], 1000)]})],
})

lyon := {"name": "Lyon Hosting SAS", "country": "FR", "service": "hosting", "dpa_signed": true, "baa_signed": false}

test_site_of_an_eu_processor_is_its_own_row if {
	inp := fr_host({"processor": "Lyon Hosting SAS", "mechanism": "scc"}, [lyon])
	[x.via | some x in flows(inp, "gdpr")] == ["hosting[0]"]
	f := flow(inp, "gdpr", "hosting[0]")
	f.exporter_basis == "processor_establishment"
	f.exporter == "Lyon Hosting SAS, a processor established in FR and subject to the GDPR for its processing (Art. 3(1))"
	f.from_countries == {"FR"}
	f.status == "satisfied"
	startswith(f.why, "Hosting site primary in IN, operated by Lyon Hosting SAS, a processor established in FR and subject to the GDPR for its processing (Art. 3(1), 44). If another entity runs the site")
	contains(f.why, "Module 3 (processor to processor)")
	f.why_msg.id == "transfers.why.site_party"
}

test_site_of_an_eu_processor_without_a_mechanism_is_a_review if {
	inp := fr_host({"processor": "Lyon Hosting SAS", "mechanism": "none"}, [lyon])
	g := finding(inp, "GDPR-TRANSFER-NO-MECHANISM")
	g.kind == "needs_review"
	g.severity == "high"
	g.scope_basis == "processor_establishment"
	g.fields == ["hosting[0].country", "hosting[0].mechanism"]
	contains(g.detail, "Legal to confirm who operates the site.")

	# mechanism not recorded: the gap, as a review too
	u := finding(fr_host({"processor": "Lyon Hosting SAS"}, [lyon]), "GDPR-TRANSFER-MECHANISM-UNKNOWN")
	u.kind == "needs_review"
	u.severity == "high"
}

test_site_operator_by_provider_name_and_its_certification if {
	# AWS contracting from Luxembourg, region in the US: the processor named like the provider;
	# its DPF certification makes the US adequate for it
	aws := {"name": "AWS", "country": "LU", "service": "hosting", "dpa_signed": true, "baa_signed": false, "certifications": ["eu_us_dpf"]}
	inp := fixtures.input_with({
		"deployment": {"customer": "Prairie Mutual", "customer_country": "US", "vendor_country": "US"},
		"hosting": [{"name": "virginia", "provider": "aws", "region": "us-east-1", "country": "US", "role": "primary"}],
		"processors": [aws],
		"activities": [object.union(fixtures.activity, {"data_subjects": [fixtures.subjects("customers", ["US"], 1000)]})],
	})
	f := flow(inp, "gdpr", "hosting[0]")
	f.exporter_basis == "processor_establishment"
	f.basis == "adequacy"
	f.status == "satisfied"
}

test_no_site_row_without_a_recorded_site if {
	# the processor operates no recorded site: nothing (its return is asked by rules/gdpr)
	count(flows(fr_host({}, [lyon]), "gdpr")) == 0

	# its site inside the EU: no transfer row
	count(flows(
		fixtures.input_with({
			"deployment": {"customer": "Prairie Mutual", "customer_country": "US", "vendor_country": "US"},
			"hosting": fixtures.hosting_in("DE", {"processor": "Lyon Hosting SAS"}),
			"processors": [lyon],
			"activities": [object.union(fixtures.activity, {"data_subjects": [fixtures.subjects("customers", ["US"], 1000)]})],
		}),
		"gdpr",
	)) == 0

	# a processor established outside the EU: no GDPR on that ground
	count(flows(fr_host({"processor": "Lyon Hosting SAS"}, [object.union(lyon, {"country": "US"})]), "gdpr")) == 0
}

test_site_row_stays_the_customers_where_it_is_established if {
	# a German customer: the customer exports to the site (one row, its own)
	inp := fixtures.input_with({
		"hosting": fixtures.hosting_in("IN", {"processor": "Lyon Hosting SAS", "mechanism": "scc"}),
		"processors": [lyon],
	})
	fs := flows(inp, "gdpr")
	[x.exporter_basis | some x in fs; x.via == "hosting[0]"] == ["establishment"]
}

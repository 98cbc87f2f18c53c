# Sector localisation rules of the jurisdiction data (issue 11 item 4): each rule holds for its
# sector and data and yields its own outcome (store only, process only, all hosting, a copy in
# the country); outside its sector or data it does not hold.
package piaflow.rules.transfers_test

import data.piaflow.fixtures
import data.piaflow.rules.transfers

# loc_rules(inp): the localisation rules that hold, as "<regime>/<rule>".
loc_rules(inp) := {sprintf("%s/%s", [l.regime, l.rule]) | some l in transfers.localisation with input as inp}

loc_entry(inp, rule) := l if {
	some l in transfers.localisation with input as inp
	l.rule == rule
}

# --- China: population health information (NHFPC Measures 2014 Art. 10) --------------------------

cn_health(host, ts, sector) := scenario([fixtures.subjects("patients", ["CN"], 3000)], ["contact", "health"], host, ts, {"customer_country": "CN", "sector": sector})

test_cn_population_health_store_only_in_china if {
	inp := cn_health("SG", [], "healthcare")
	f := flow(inp, "cn_pipl", "hosting[0]")
	f.verdict == "localisation_required"
	f.basis == "localisation:population_health_information"
	f.regime == "cn_population_health"
	g := finding(inp, "CN-POPULATION-HEALTH-LOCALISATION")
	g.regime == "cn_population_health"
	g.severity == "blocker"
	g.title == "CN Population Health Measures: Data localisation requirement not met"
	g.fields == ["activities[0].data_subjects", "hosting[0].country"]
	l := loc_entry(inp, "population_health_information")
	l.type == "store_only_in_country"
	l.regime == "cn_population_health"
	l.problems == ["hosting \"primary\" is in SG"]

	# the instrument is a regime of its own
	r := data.piaflow.main.result with input as inp
	some e in r.regimes
	e.id == "cn_population_health"
	e.jurisdiction == "cn_pipl"
}

test_cn_population_health_allows_processing_abroad_not_storage if {
	# stored in China: remote access from Singapore is not storage abroad; a copy there is
	inp := cn_health(
		"CN", [
			fixtures.transfer({"to_country": "SG", "access": "remote_access", "mechanism": "standard_contract"}),
			fixtures.transfer({"to_country": "SG", "recipient": "Archive", "access": "copy", "mechanism": "standard_contract"}),
		],
		"healthcare",
	)
	flow(inp, "cn_pipl", t0).verdict != "localisation_required"
	flow(inp, "cn_pipl", "activities[0].transfers[1]").basis == "localisation:population_health_information"
	loc_entry(inp, "population_health_information").problems == ["Archive in SG (copy)"]
}

test_cn_population_health_only_for_health_institutions if {
	# an insurer's or retailer's health data is outside the Measures (PIPL still applies)
	not "cn_population_health/population_health_information" in loc_rules(cn_health("SG", [], "insurance"))
	inp := cn_health("SG", [], "retail")
	flow(inp, "cn_pipl", "hosting[0]").verdict != "localisation_required"
	lacks(inp, "CN-POPULATION-HEALTH-LOCALISATION")

	# a hospital established outside China is not a responsible entity under the Measures
	abroad := scenario([fixtures.subjects("patients", ["CN"], 3000)], ["contact", "health"], "SG", [], {"customer_country": "SG", "sector": "healthcare"})
	not "cn_population_health/population_health_information" in loc_rules(abroad)
}

# --- China: personal financial information of banks (PBOC 2011 notice) ------------------------

cn_bank(host, ts, sector) := scenario([fixtures.subjects("customers", ["CN"], 5000)], ["contact", "financial"], host, ts, {"customer_country": "CN", "sector": sector})

test_cn_pbc_personal_financial_information_processed_only_in_china if {
	# stored in China, but analysed remotely from Hong Kong: not allowed
	inp := cn_bank("CN", [fixtures.transfer({"to_country": "HK", "recipient": "Analytics Ltd", "access": "remote_access", "mechanism": "standard_contract"})], "finance")
	f := flow(inp, "cn_pipl", t0)
	f.verdict == "localisation_required"
	f.basis == "localisation:pbc_personal_financial_information"
	f.regime == "cn_pbc_pfi"
	g := finding(inp, "CN-PBC-PFI-LOCALISATION")
	g.title == "PBOC PFI Notice: Data localisation requirement not met"
	g.fields == ["activities[0].data_subjects", "activities[0].transfers[0].to_country"]
	l := loc_entry(inp, "pbc_personal_financial_information")
	l.type == "process_only_in_country"
	l.problems == ["Analytics Ltd in HK (remote_access)"]

	# hosted abroad: also a problem
	loc_entry(cn_bank("SG", [], "finance"), "pbc_personal_financial_information").problems == ["hosting \"primary\" is in SG"]
}

test_cn_pbc_rule_only_for_finance_and_financial_data if {
	not "cn_pbc_pfi/pbc_personal_financial_information" in loc_rules(cn_bank("SG", [], "retail"))
	not "cn_pbc_pfi/pbc_personal_financial_information" in loc_rules(scenario([fixtures.subjects("employees", ["CN"], 50)], ["contact"], "SG", [], {"customer_country": "CN", "sector": "finance"}))
	foreign_bank := scenario([fixtures.subjects("customers", ["CN"], 5000)], ["contact", "financial"], "SG", [], {"customer_country": "SG", "sector": "finance"})
	not "cn_pbc_pfi/pbc_personal_financial_information" in loc_rules(foreign_bank)
	inp := cn_bank("CN", [fixtures.transfer({"to_country": "HK", "access": "remote_access", "mechanism": "standard_contract"})], "payments")
	flow(inp, "cn_pipl", t0).verdict != "localisation_required"
	lacks(inp, "CN-PBC-PFI-LOCALISATION")
}

test_cn_pbc_rule_not_before_the_notice if {
	inp := fixtures.at(cn_bank("SG", [], "finance"), "2011-04-30")
	not "cn_pbc_pfi/pbc_personal_financial_information" in loc_rules(inp)
}

# --- Indonesia: public-scope electronic system operators (GR 71/2019 Art. 20) ----------------

id_public(customer_country, customer_type, hosting) := fixtures.input_with({
	"deployment": {"customer_country": customer_country, "customer_type": customer_type, "sector": "public_sector"},
	"hosting": hosting,
	"activities": [object.union(fixtures.activity, {"data_subjects": [fixtures.subjects("citizens", ["ID"], 20000)], "data_categories": ["contact", "government_id"]})],
})

test_id_gr71_public_scope_processed_in_indonesia if {
	inp := id_public("ID", "public_authority", fixtures.hosting_in("SG", {"mechanism": "contract"}))
	f := flow(inp, "id_pdp", "hosting[0]")
	f.verdict == "localisation_required"
	f.basis == "localisation:gr71_public_scope"
	f.regime == "id_gr71"
	g := finding(inp, "ID-GR71-LOCALISATION")
	g.title == "ID GR 71/2019: Data localisation requirement not met"
	l := loc_entry(inp, "gr71_public_scope")
	l.type == "process_only_in_country"
	l.problems == ["hosting \"primary\" is in SG"]
}

test_id_gr71_abroad_with_an_approval if {
	# the storage technology is not available in Indonesia, as determined (regulator_filing)
	inp := id_public("ID", "public_authority", fixtures.hosting_in("SG", {"mechanism": "contract", "regulator_filing": "approved"}))
	flow(inp, "id_pdp", "hosting[0]").verdict != "localisation_required"
	lacks(inp, "ID-GR71-LOCALISATION")
	loc_entry(inp, "gr71_public_scope").satisfied == true
}

test_id_gr71_only_for_indonesian_public_authorities if {
	not "id_gr71/gr71_public_scope" in loc_rules(id_public("ID", "organisation", fixtures.hosting_in("SG", {"mechanism": "contract"})))
	inp := id_public("DE", "public_authority", fixtures.hosting_in("SG", {"mechanism": "contract"}))
	not "id_gr71/gr71_public_scope" in loc_rules(inp)
	lacks(inp, "ID-GR71-LOCALISATION")
}

# --- Türkiye: primary and secondary systems of banks (BRSA regulation 2020 Art. 25) ----------

tr_bank(customer_country, sector, backup) := fixtures.input_with({
	"deployment": {"customer_country": customer_country, "sector": sector},
	"hosting": [
		{"name": "primary", "provider": "other", "region": "ist", "country": "TR", "role": "primary"},
		{"name": "backup", "provider": "other", "region": "fra", "country": backup, "role": "backup", "mechanism": "scc"},
	],
	"activities": [object.union(fixtures.activity, {"data_subjects": [fixtures.subjects("customers", ["TR"], 40000)], "data_categories": ["contact", "financial"]})],
})

test_tr_bddk_all_bank_systems_in_turkiye if {
	inp := tr_bank("TR", "finance", "DE")
	f := flow(inp, "tr_kvkk", "hosting[1]")
	f.verdict == "localisation_required"
	f.basis == "localisation:bddk_primary_secondary_systems"
	f.regime == "tr_bddk_is"
	g := finding(inp, "TR-BDDK-IS-LOCALISATION")
	g.title == "BRSA IS Regulation: Data localisation requirement not met"
	g.fields == ["activities[0].data_subjects", "hosting[1].country"]
	l := loc_entry(inp, "bddk_primary_secondary_systems")
	l.type == "all_hosting_in_country"
	l.problems == ["hosting \"backup\" (backup) is in DE"]

	# backup in Türkiye too: satisfied
	ok := tr_bank("TR", "finance", "TR")
	loc_entry(ok, "bddk_primary_secondary_systems").satisfied == true
	lacks(ok, "TR-BDDK-IS-LOCALISATION")
}

test_tr_bddk_only_for_turkish_finance_customers if {
	not "tr_bddk_is/bddk_primary_secondary_systems" in loc_rules(tr_bank("TR", "retail", "DE"))
	not "tr_bddk_is/bddk_primary_secondary_systems" in loc_rules(tr_bank("DE", "finance", "DE"))

	# not before the regulation took effect (1 July 2020)
	not "tr_bddk_is/bddk_primary_secondary_systems" in loc_rules(fixtures.at(tr_bank("TR", "finance", "DE"), "2020-06-30"))
	"tr_bddk_is/bddk_primary_secondary_systems" in loc_rules(fixtures.at(tr_bank("TR", "finance", "DE"), "2020-07-01"))
}

# --- Kenya: strategic-interest processing (reg. 26) --------------------------------------------

ke(subject_type, cats, customer_type, sector, hosting) := fixtures.input_with({
	"deployment": {"customer_country": "KE", "customer_type": customer_type, "sector": sector},
	"hosting": hosting,
	"activities": [object.union(fixtures.activity, {"data_subjects": [fixtures.subjects(subject_type, ["KE"], 900)], "data_categories": cats})],
})

test_ke_reg26_basic_education_needs_a_copy_in_kenya if {
	inp := ke("students", ["contact", "education"], "organisation", "education", fixtures.hosting_in("DE", {"mechanism": "contract"}))
	l := loc_entry(inp, "reg26_basic_education")
	l.type == "copy_in_country"
	l.regime == "ke_dpa"
	l.problems == ["no hosting site in KE"]
	"KE-DPA-LOCALISATION" in ids(inp)

	# a serving copy in Kenya meets it
	both := ke("students", ["contact", "education"], "organisation", "education", [
		{"name": "primary", "provider": "other", "region": "nbo", "country": "KE", "role": "primary"},
		{"name": "dr", "provider": "other", "region": "fra", "country": "DE", "role": "disaster_recovery", "mechanism": "contract"},
	])
	loc_entry(both, "reg26_basic_education").satisfied == true
	lacks(both, "KE-DPA-LOCALISATION")
}

test_ke_reg26_basic_education_not_for_other_people_or_sectors if {
	not "ke_dpa/reg26_basic_education" in loc_rules(ke("employees", ["contact"], "organisation", "education", fixtures.hosting_in("DE", {"mechanism": "contract"})))
	not "ke_dpa/reg26_basic_education" in loc_rules(ke("students", ["contact"], "organisation", "retail", fixtures.hosting_in("DE", {"mechanism": "contract"})))
}

test_ke_reg26_public_finance if {
	inp := ke("citizens", ["contact", "financial"], "public_authority", "public_sector", fixtures.hosting_in("DE", {"mechanism": "contract"}))
	l := loc_entry(inp, "reg26_public_finance")
	l.problems == ["no hosting site in KE"]
	"KE-DPA-LOCALISATION" in ids(inp)

	# a public authority's data without financial data, or a company's financial data: not this rule
	not "ke_dpa/reg26_public_finance" in loc_rules(ke("citizens", ["contact"], "public_authority", "public_sector", fixtures.hosting_in("DE", {"mechanism": "contract"})))
	not "ke_dpa/reg26_public_finance" in loc_rules(ke("customers", ["contact", "financial"], "organisation", "finance", fixtures.hosting_in("DE", {"mechanism": "contract"})))
}

test_ke_reg26_health_care if {
	inp := ke("patients", ["contact", "health"], "organisation", "healthcare", fixtures.hosting_in("DE", {"mechanism": "contract"}))
	loc_entry(inp, "reg26_health_care").problems == ["no hosting site in KE"]
	not "ke_dpa/reg26_health_care" in loc_rules(ke("patients", ["contact", "health"], "organisation", "insurance", fixtures.hosting_in("DE", {"mechanism": "contract"})))
}

package piaflow.regimes_test

import data.piaflow.fixtures
import data.piaflow.regimes

ids(inp) := x if {
	es := regimes.entries with input as inp
	x := {e.id | some e in es}
}

entry(inp, id) := e if {
	es := regimes.entries with input as inp
	some e in es
	e.id == id
}

test_baseline_gdpr_by_establishment_and_subjects if {
	entry(fixtures.baseline, "gdpr") == {
		"id": "gdpr",
		"name": "EU General Data Protection Regulation (Regulation (EU) 2016/679)",
		"short": "GDPR",
		"why": "data subjects in DE; the customer is established in DE. Art. 3(1): processing in the context of an establishment in the EU/EEA; Art. 3(2): people in the EU/EEA to whom goods or services are offered or whose behaviour is monitored",
		"fields": ["activities[0].data_subjects[0].countries", "deployment.customer_country"],
		"citation": {"ref": "GDPR Art. 3", "url": "https://eur-lex.europa.eu/eli/reg/2016/679/oj"},
		"jurisdiction": "gdpr",
		"last_reviewed": "2026-11-25",
	}
	ids(fixtures.baseline) == {"gdpr"}
	regimes.applies("gdpr") with input as fixtures.baseline
	not regimes.applies("cn_pipl") with input as fixtures.baseline
}

test_gdpr_by_establishment_only if {
	# a German customer serving US people
	inp := fixtures.with_activity({"data_subjects": [fixtures.subjects("customers", ["US"], 10)]})
	e := entry(inp, "gdpr")
	e.fields == ["deployment.customer_country"]
	startswith(e.why, "the customer is established in DE. ")
}

test_subjects_in_several_countries if {
	inp := fixtures.with_activity({"data_subjects": [
		fixtures.subjects("customers", ["FR", "DE", "CN"], 10),
		fixtures.subjects("employees", ["CN"], 10),
	]})
	ids(inp) == {"gdpr", "cn_pipl"}
	e := entry(inp, "cn_pipl")
	e.fields == ["activities[0].data_subjects[0].countries", "activities[0].data_subjects[1].countries"]
	startswith(e.why, "data subjects in CN. PIPL Art. 3")
	startswith(entry(inp, "gdpr").why, "data subjects in DE, FR; the customer is established in DE.")
}

test_russian_citizens_abroad if {
	inp := fixtures.with_activity({"data_subjects": [object.union(fixtures.subjects("customers", ["DE"], 10), {"citizenship": ["RU"]})]})
	e := entry(inp, "ru_152fz")
	e.fields == ["activities[0].data_subjects[0].citizenship"]
	startswith(e.why, "citizens of RU among the data subjects abroad. ")
	e.citation.ref == "152-FZ Art. 1, 3, 18(5)"
}

test_citizenship_does_not_count_where_the_law_ignores_it if {
	# Chinese citizens living in Germany: PIPL follows location, not citizenship
	inp := fixtures.with_activity({"data_subjects": [object.union(fixtures.subjects("customers", ["DE"], 10), {"citizenship": ["CN"]})]})
	ids(inp) == {"gdpr"}
}

test_establishment_only_law if {
	# POPIA applies to a responsible party in South Africa, not to people located there
	inp := fixtures.with_activity({"data_subjects": [fixtures.subjects("customers", ["ZA"], 10)]})
	not "za_popia" in ids(inp)
	inp2 := fixtures.input_with({"deployment": {"customer_country": "ZA"}})
	"za_popia" in ids(inp2)
}

test_regime_of_the_law_in_force if {
	inp := fixtures.with_activity({"data_subjects": [fixtures.subjects("customers", ["VN"], 10)]})
	entry(inp, "vn_pdpd").jurisdiction == "vn_pdpd_2026"
	entry(fixtures.at(inp, "2025-06-01"), "vn_pdpd").jurisdiction == "vn_pdpd_2023"
	not "in_dpdp" in ids(fixtures.at(fixtures.with_activity({"data_subjects": [fixtures.subjects("customers", ["IN"], 10)]}), "2010-06-01"))
}

package piaflow.facts_test

import data.piaflow.facts
import data.piaflow.fixtures

jur(id) := j if {
	some j in data.piaflow.jurisdictions
	j.id == id
}

cn := jur("cn_pipl")

ru := jur("ru_152fz")

# China: 5,000 customers in CN with health data, hosted in Germany.
cn_health := fixtures.with_activity_and(
	{"data_subjects": [fixtures.subjects("customers", ["CN"], 5000)], "data_categories": ["contact", "health"]},
	{"hosting": fixtures.hosting_in("DE", {})},
)

# --- questionnaire views -----------------------------------------------------------------------

test_jurisdictions_in_force_depend_on_the_date if {
	# people in Germany, India and Vietnam
	inp := fixtures.with_activity({"data_subjects": [fixtures.subjects("customers", ["DE", "IN", "VN"], 100)]})
	js := facts.jurisdictions with input as fixtures.at(inp, "2025-06-01")
	ids := {j.id | some j in js}
	"gdpr" in ids
	"vn_pdpd_2023" in ids # Decree 13, until 2025-12-31
	not "vn_pdpd_2026" in ids
	"in_dpdp" in ids # in force from 2011-04-11 (IT SPDI Rules)
	not "in_dpdp" in {j.id | some j in facts.jurisdictions} with input as fixtures.at(inp, "2010-01-01")
	js2 := facts.jurisdictions with input as inp
	ids2 := {j.id | some j in js2}
	"in_dpdp" in ids2
	"vn_pdpd_2026" in ids2
	not "vn_pdpd_2023" in ids2
}

test_groups_default_citizenship_to_countries if {
	inp := fixtures.with_activity({"data_subjects": [
		fixtures.subjects("customers", ["DE"], 10),
		object.union(fixtures.subjects("employees", ["DE"], 5), {"citizenship": ["RU"], "vulnerable": true}),
	]})
	gs := facts.groups with input as inp
	keys := {"activity", "index", "path", "type", "countries", "citizenship", "count", "vulnerable"}
	[object.filter(g, keys) | some g in gs] == [
		{"activity": 0, "index": 0, "path": "activities[0].data_subjects[0]", "type": "customers", "countries": ["DE"], "citizenship": ["DE"], "count": 10, "vulnerable": false},
		{"activity": 0, "index": 1, "path": "activities[0].data_subjects[1]", "type": "employees", "countries": ["DE"], "citizenship": ["RU"], "count": 5, "vulnerable": true},
	]
	facts.subject_count[0] == 15 with input as inp
	facts.all_subject_countries == {"DE"} with input as inp
}

test_customer_type_defaults_to_organisation if {
	inp := {"questionnaire": object.union(fixtures.questionnaire, {"deployment": object.remove(fixtures.questionnaire.deployment, ["customer_type"])}), "as_of": fixtures.as_of}
	facts.customer_type == "organisation" with input as inp
	facts.processors == fixtures.questionnaire.processors with input as inp
}

test_processors_default_to_empty if {
	inp := {"questionnaire": object.remove(fixtures.questionnaire, ["processors"]), "as_of": fixtures.as_of}
	facts.processors == [] with input as inp
}

test_large_scale_from_10000_subjects if {
	facts.large_scale[0] == true with input as fixtures.with_activity({"data_subjects": [fixtures.subjects("customers", ["DE"], 10000)]})
	facts.large_scale[0] == false with input as fixtures.with_activity({"data_subjects": [fixtures.subjects("customers", ["DE"], 9999)]})
}

test_never_large_scale_for_an_individual_practitioner if {
	inp := fixtures.with_activity_and(
		{"data_subjects": [fixtures.subjects("patients", ["DE"], 50000)]},
		{"deployment": {"customer_type": "individual_practitioner"}},
	)
	facts.large_scale[0] == false with input as inp
}

# --- hosting processors and destinations -------------------------------------------------------

test_hosting_processor_matched_by_provider_name if {
	# baseline: provider "aws" is operated by processor "AWS" (case-insensitive)
	facts.hosting_certifications(fixtures.questionnaire.hosting[0]) == ["eu_us_dpf"] with input as fixtures.baseline
}

test_hosting_processor_named_explicitly if {
	inp := fixtures.input_with({
		"hosting": fixtures.hosting_in("US", {"processor": "Colo"}),
		"processors": [
			{"name": "Colo", "country": "US", "service": "hosting", "dpa_signed": true, "baa_signed": true, "certifications": ["soc2"]},
			{"name": "other", "country": "US", "service": "x", "dpa_signed": true, "baa_signed": true, "certifications": ["eu_us_dpf"]},
		],
	})
	h := inp.questionnaire.hosting[0]
	facts.hosting_processor(h).name == "Colo" with input as inp
	facts.hosting_certifications(h) == ["soc2"] with input as inp
}

test_hosting_without_a_processor_has_no_certifications if {
	inp := fixtures.input_with({"hosting": fixtures.hosting_in("US", {"provider": "on_premises"})})
	facts.hosting_certifications(inp.questionnaire.hosting[0]) == [] with input as inp
}

test_destinations_of_hosting_and_transfers if {
	inp := fixtures.with_activity_and(
		{"transfers": [fixtures.transfer({"to_country": "CN", "recipient": "Vendor support", "recipient_type": "vendor_affiliate", "mechanism": "standard_contract", "regulator_filing": "filed", "exemption": "hr_management", "recipient_certifications": ["iso_27001"]})]},
		{"hosting": fixtures.hosting_in("DE", {"mechanism": "scc"})},
	)
	ds := facts.destinations[0] with input as inp
	ds == [
		{
			"kind": "hosting", "key": "hosting[0]", "name": "primary", "country": "DE", "country_field": "hosting[0].country",
			"mechanism": "scc", "mechanism_field": "hosting[0].mechanism", "role": "primary", "access": "storage",
			"recipient_type": "processor", "certifications": [], "filing": "none", "filing_field": "hosting[0].regulator_filing", "exemption": "none",
			"entries": [], "own_premises": false,
			"recipient": {"public_body": null, "sector": "", "covered_data": "", "fields": {"public_body": "hosting[0].processor", "sector": "hosting[0].processor", "covered_data": "hosting[0].processor"}},
		},
		{
			"kind": "transfer", "key": "activities[0].transfers[0]", "name": "Vendor support", "country": "CN",
			"country_field": "activities[0].transfers[0].to_country", "mechanism": "standard_contract",
			"mechanism_field": "activities[0].transfers[0].mechanism", "role": "", "access": "remote_access",
			"recipient_type": "vendor_affiliate", "certifications": ["iso_27001"], "filing": "filed",
			"filing_field": "activities[0].transfers[0].regulator_filing", "exemption": "hr_management",
			"entries": [], "own_premises": false,
			"established_in": "CN", "established_field": "activities[0].transfers[0].to_country",
			"recipient": {
				"public_body": null, "sector": "", "covered_data": "",
				"fields": {
					"public_body": "activities[0].transfers[0].recipient_public_body",
					"sector": "activities[0].transfers[0].recipient_sector",
					"covered_data": "activities[0].transfers[0].recipient_certification_covered_data",
				},
			},
		},
	]
}

# a transfer to the US whose recipient passes the data to India (hop 1), then to Singapore (hop 2),
# then back to Germany (hop 3); a second onward transfer of the first recipient to Japan (hop 1).
onward_chain := fixtures.with_activity({"transfers": [fixtures.transfer({"onward_transfers": [
	fixtures.transfer({"to_country": "IN", "recipient": "Sub Ltd", "mechanism": "none", "mechanisms": [{"regime": "gdpr", "mechanism": "scc"}], "onward_transfers": [fixtures.transfer({
		"to_country": "SG", "recipient": "Sub-sub Pte", "recipient_public_body": false,
		"onward_transfers": [fixtures.transfer({"to_country": "DE", "recipient": "Backup GmbH"})],
	})]}),
	fixtures.transfer({"to_country": "JP", "recipient": "Tokyo KK", "exemption": "other", "regulator_filing": "filed"}),
]})]})

test_onward_transfers_are_destinations_with_their_hop if {
	ds := facts.destinations[0] with input as onward_chain
	[[d.kind, d.key, object.get(d, "hop", 0), d.country, object.get(d, "parent", null)] | some d in ds] == [
		["hosting", "hosting[0]", 0, "DE", null],
		["transfer", "activities[0].transfers[0]", 0, "US", null],
		["onward", "activities[0].transfers[0].onward_transfers[0]", 1, "IN", {"key": "activities[0].transfers[0]", "name": "Support Inc", "country": "US"}],
		["onward", "activities[0].transfers[0].onward_transfers[1]", 1, "JP", {"key": "activities[0].transfers[0]", "name": "Support Inc", "country": "US"}],
		["onward", "activities[0].transfers[0].onward_transfers[0].onward_transfers[0]", 2, "SG", {"key": "activities[0].transfers[0].onward_transfers[0]", "name": "Sub Ltd", "country": "IN"}],
		["onward", "activities[0].transfers[0].onward_transfers[0].onward_transfers[0].onward_transfers[0]", 3, "DE", {"key": "activities[0].transfers[0].onward_transfers[0].onward_transfers[0]", "name": "Sub-sub Pte", "country": "SG"}],
	]

	# the onward transfer's own answers, with their paths, exactly like a direct transfer's
	in1 := ds[2]
	in1.country_field == "activities[0].transfers[0].onward_transfers[0].to_country"
	in1.mechanism == "none"
	in1.mechanism_field == "activities[0].transfers[0].onward_transfers[0].mechanism"
	in1.entries == [{"regime": "gdpr", "country": "", "mechanism": "scc", "regulator_filing": "none", "exemption": "none", "signed_on": "", "filed_on": "", "path": "activities[0].transfers[0].onward_transfers[0].mechanisms[0]"}]
	jp := ds[3]
	[jp.exemption, jp.filing, jp.filing_field] == ["other", "filed", "activities[0].transfers[0].onward_transfers[1].regulator_filing"]
	sg := ds[4]
	sg.recipient == {
		"public_body": false, "sector": "", "covered_data": "",
		"fields": {
			"public_body": "activities[0].transfers[0].onward_transfers[0].onward_transfers[0].recipient_public_body",
			"sector": "activities[0].transfers[0].onward_transfers[0].onward_transfers[0].recipient_sector",
			"covered_data": "activities[0].transfers[0].onward_transfers[0].onward_transfers[0].recipient_certification_covered_data",
		},
	}
}

test_onward_transfers_are_not_the_customers_export if {
	# Chinese customers' data given to a recipient in China, which passes it to Singapore: the
	# customer exports nothing (the recipient does)
	inp := fixtures.with_activity_and(
		{
			"data_subjects": [fixtures.subjects("customers", ["CN"], 700)],
			"transfers": [fixtures.transfer({"to_country": "CN", "mechanism": "none", "onward_transfers": [fixtures.transfer({"to_country": "SG"})]})],
		},
		{"hosting": fixtures.hosting_in("CN", {})},
	)
	facts.dest_countries[0] == {"CN"} with input as inp
	not facts.cross_border(cn, 0) with input as inp
	facts.totals_by_id[cn.id].export == 0 with input as inp
}

test_per_law_mechanism_entries if {
	inp := fixtures.with_activity_and(
		{"transfers": [fixtures.transfer({"mechanisms": [{"country": "CN", "mechanism": "standard_contract", "signed_on": "2027-02-10"}]})]},
		{
			"deployment": {"first_transfer_on": "2027-02-01"},
			"hosting": fixtures.hosting_in("SG", {"mechanisms": [
				{"regime": "cn_pipl", "mechanism": "standard_contract", "regulator_filing": "filed"},
				{"regime": "jp_appi", "mechanism": "contract", "note": "APPI Art. 28 contract"},
			]}),
		},
	)
	ds := facts.destinations[0] with input as inp
	ds[0].entries == [
		{"regime": "cn_pipl", "country": "", "mechanism": "standard_contract", "regulator_filing": "filed", "exemption": "none", "signed_on": "", "filed_on": "", "path": "hosting[0].mechanisms[0]"},
		{"regime": "jp_appi", "country": "", "mechanism": "contract", "regulator_filing": "none", "exemption": "none", "signed_on": "", "filed_on": "", "note": "APPI Art. 28 contract", "path": "hosting[0].mechanisms[1]"},
	]
	ds[1].entries == [{"regime": "", "country": "CN", "mechanism": "standard_contract", "regulator_filing": "none", "exemption": "none", "signed_on": "2027-02-10", "filed_on": "", "path": "activities[0].transfers[0].mechanisms[0]"}]
	facts.first_transfer_on == "2027-02-01" with input as inp
	facts.first_transfer_on == "2027-03-01" with input as fixtures.baseline
}

test_hosting_mechanism_defaults_to_unknown if {
	ds := facts.destinations[0] with input as fixtures.baseline
	ds[0].mechanism == "unknown"
	count(ds) == 1
}

# --- jurisdiction-relative facts ---------------------------------------------------------------

test_located_citizen_and_concerned if {
	# Russian citizens living in Germany; Chinese citizens living in Germany
	inp := fixtures.with_activity({"data_subjects": [
		object.union(fixtures.subjects("customers", ["DE"], 10), {"citizenship": ["RU"]}),
		object.union(fixtures.subjects("customers", ["DE"], 10), {"citizenship": ["CN"]}),
		fixtures.subjects("customers", ["CN"], 10),
	]})
	gs := facts.groups with input as inp
	not facts.located(ru, gs[0]) with input as inp
	facts.citizen(ru, gs[0]) with input as inp
	facts.concerned(ru, gs[0]) with input as inp # 152-FZ follows citizenship
	facts.citizen(cn, gs[1]) with input as inp
	not facts.concerned(cn, gs[1]) with input as inp # PIPL does not
	facts.located(cn, gs[2]) with input as inp
	facts.concerned(cn, gs[2]) with input as inp
	0 in facts.concerns[ru.id] with input as inp
}

test_cross_border_and_totals if {
	facts.cross_border(cn, 0) with input as cn_health
	facts.sensitive_activity(cn, 0) with input as cn_health
	facts.totals_by_id[cn.id] == {"all": 5000, "export": 5000, "sensitive_export": 5000, "sensitive_all": 5000, "nonsensitive_export": 5000, "nonsensitive_all": 5000} with input as cn_health
	facts.duty_ctx(cn) == {"count": 5000, "sensitive_count": 5000, "nonsensitive_count": 5000, "adequate": false} with input as cn_health
}

test_totals_without_export if {
	inp := fixtures.with_activity_and(
		{"data_subjects": [fixtures.subjects("customers", ["CN"], 700)]},
		{"hosting": fixtures.hosting_in("CN", {})},
	)
	not facts.cross_border(cn, 0) with input as inp
	facts.totals_by_id[cn.id] == {"all": 700, "export": 0, "sensitive_export": 0, "sensitive_all": 0, "nonsensitive_export": 0, "nonsensitive_all": 700} with input as inp
}

test_empty_condition_holds if {
	facts.holds({}, cn, 0, {"count": 0, "sensitive_count": 0, "adequate": false}) with input as cn_health
}

ctx := {"count": 5000, "sensitive_count": 5000, "nonsensitive_count": 5000, "adequate": true}

test_conditions_that_hold if {
	every w in [
		{"categories_any": ["health", "genetic"]},
		{"sensitive": true},
		{"sectors_any": ["retail"]},
		{"customer_types_any": ["organisation"]},
		{"subject_types_any": ["customers"]},
		{"critical_infrastructure": false},
		{"important_data": false},
		{"min_subjects": 5000},
		{"min_sensitive_subjects": 5000},
		{"min_nonsensitive_subjects": 5000},
		{"more_than_subjects": 4999},
		{"more_than_sensitive_subjects": 4999},
		{"large_scale": false},
		{"systematic_monitoring": false},
		{"core_activity": false},
		{"automated_decisions": false},
		{"cross_border": true},
		{"foreign": true},
		{"destination_adequate": true},
		{"sensitive": true, "min_subjects": 1000, "foreign": true},
	] {
		facts.holds(w, cn, 0, ctx) with input as cn_health
	}
}

test_conditions_that_fail if {
	every w in [
		{"categories_any": ["payment_card"]},
		{"sensitive": false},
		{"sectors_any": ["payments"]},
		{"customer_types_any": ["public_authority"]},
		{"subject_types_any": ["employees"]},
		{"critical_infrastructure": true},
		{"important_data": true},
		{"min_subjects": 5001},
		{"min_sensitive_subjects": 5001},
		{"min_nonsensitive_subjects": 5001},
		{"more_than_subjects": 5000},
		{"more_than_sensitive_subjects": 5000},
		{"large_scale": true},
		{"systematic_monitoring": true},
		{"core_activity": true},
		{"automated_decisions": true},
		{"cross_border": false},
		{"foreign": false},
		{"destination_adequate": false},
		{"sensitive": true, "min_subjects": 1000000},
		{"no_such_key": true},
	] {
		not facts.holds(w, cn, 0, ctx) with input as cn_health
	}
}

test_citizens_condition if {
	inp := fixtures.with_activity({"data_subjects": [object.union(fixtures.subjects("customers", ["DE"], 10), {"citizenship": ["RU"]})]})
	facts.holds({"citizens": true}, ru, 0, ctx) with input as inp
	not facts.holds({"citizens": true}, ru, 0, ctx) with input as fixtures.baseline
}

test_min_nonsensitive_subjects_needs_other_data if {
	# people whose only data is sensitive do not count for "excluding sensitive personal information"
	inp := fixtures.with_activity({"data_subjects": [fixtures.subjects("customers", ["CN"], 50000)], "data_categories": ["health"]})
	not facts.holds({"min_nonsensitive_subjects": 1}, cn, 0, {"count": 50000, "sensitive_count": 50000, "nonsensitive_count": 50000}) with input as inp
	facts.totals_by_id[cn.id].nonsensitive_all == 0 with input as inp
}

test_min_sensitive_subjects_needs_sensitive_activity if {
	inp := fixtures.with_activity({"data_subjects": [fixtures.subjects("customers", ["CN"], 50000)]})
	not facts.holds({"min_sensitive_subjects": 1}, cn, 0, {"count": 50000, "sensitive_count": 50000}) with input as inp
	facts.holds({"sensitive": false}, cn, 0, ctx) with input as inp
}

test_domestic_customer_is_not_foreign if {
	inp := object.union(cn_health, {"questionnaire": {"deployment": {"customer_country": "CN"}}})
	facts.holds({"foreign": false}, cn, 0, ctx) with input as inp
	facts.holds({"cross_border": false}, cn, 0, ctx) with input as fixtures.with_activity_and({"data_subjects": [fixtures.subjects("customers", ["CN"], 5)]}, {"hosting": fixtures.hosting_in("CN", {})})
}

test_conditions_citizens_false_and_located if {
	ru := [j | some j in data.piaflow.jurisdictions; j.id == "ru_152fz"][0]
	abroad := fixtures.with_activity({"data_subjects": [object.union(fixtures.subjects("customers", ["DE"], 10), {"citizenship": ["RU"]})]})
	facts.holds({"citizens": true, "located": false}, ru, 0, {}) with input as abroad
	not facts.holds({"citizens": false}, ru, 0, {}) with input as abroad
	not facts.holds({"located": true}, ru, 0, {}) with input as abroad
	facts.holds({"citizens": false}, ru, 0, {}) with input as fixtures.baseline
}

test_collected_outside_condition if {
	# collected only in Japan: outside China
	abroad := fixtures.with_activity({"collected_in": ["JP"]})
	facts.holds({"collected_outside": true}, cn, 0, ctx) with input as abroad
	not facts.holds({"collected_outside": false}, cn, 0, ctx) with input as abroad

	# collected in China among others
	home := fixtures.with_activity({"collected_in": ["JP", "CN"]})
	facts.holds({"collected_outside": false}, cn, 0, ctx) with input as home
	not facts.holds({"collected_outside": true}, cn, 0, ctx) with input as home

	# not answered, or an empty list: neither holds
	every inp in [fixtures.baseline, fixtures.with_activity({"collected_in": []})] {
		not facts.holds({"collected_outside": true}, cn, 0, ctx) with input as inp
		not facts.holds({"collected_outside": false}, cn, 0, ctx) with input as inp
	}
}

test_other_exports_by_jurisdiction if {
	inp := fixtures.with_activity_and(
		{"data_subjects": [fixtures.subjects("customers", ["CN"], 10)]},
		{"deployment": {"other_exports": [{"country": "VN", "subjects": 7}, {"country": "CN", "subjects": 300, "sensitive_subjects": 20}]}},
	)
	facts.other_exports_by_id == {"cn_pipl": {"all": 300, "sensitive": 20, "entries": [{"path": "deployment.other_exports[1]", "country": "CN", "subjects": 300, "sensitive": 20}]}} with input as inp

	# a sensitive count not given counts none
	inp2 := fixtures.with_activity_and(
		{"data_subjects": [fixtures.subjects("customers", ["CN"], 10)]},
		{"deployment": {"other_exports": [{"country": "CN", "subjects": 300}]}},
	)
	facts.other_exports_by_id.cn_pipl.sensitive == 0 with input as inp2
}

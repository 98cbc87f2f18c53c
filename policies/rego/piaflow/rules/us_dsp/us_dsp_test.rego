package piaflow.rules.us_dsp_test

import data.piaflow.fixtures
import data.piaflow.rules.us_dsp

# A US health app with `n` patients in the US, hosted in the US; the questionnaire patched by `patch`.
us_health(n, patch) := object.union(
	fixtures.input_with({
		"deployment": {"customer_country": "US", "vendor_country": "US"},
		"hosting": fixtures.hosting_in("US", {}),
		"activities": [object.union(fixtures.activity, {"data_subjects": [fixtures.subjects("patients", ["US"], n)], "data_categories": ["contact", "health"]})],
	}),
	{"questionnaire": patch},
)

ids(inp) := x if {
	x := fixtures.ids(us_dsp.findings) with input as inp
}

lacks(inp, id) if {
	x := ids(inp)
	not id in x
}

finding(inp, id) := f if {
	f := fixtures.one(us_dsp.findings, id) with input as inp
}

test_us_dsp_country_of_concern_hosting if {
	inp := us_health(20000, {"hosting": fixtures.hosting_in("CN", {"name": "shanghai"})})
	finding(inp, "US-DSP-COUNTRY-OF-CONCERN") == {
		"id": "US-DSP-COUNTRY-OF-CONCERN",
		"regime": "us_dsp",
		"kind": "needs_review",
		"severity": "blocker",
		"title": "Bulk US sensitive data reachable from a country of concern",
		"detail": "personal health data of more than 10,000 US persons is reachable from a country of concern: hosting \"shanghai\" in CN.",
		"citation": {"ref": "28 CFR 202.205, 202.401", "url": "https://www.ecfr.gov/current/title-28/chapter-I/part-202"},
		"fields": ["activities[0].data_categories", "hosting[0].country"],
		"action": {"title": "Have counsel classify the transaction and apply the CISA security requirements or remove the access", "owner": "legal", "due": "2027-01-30"},
	}
	us_dsp.regime == {{
		"id": "us_dsp",
		"name": "US DOJ Data Security Program (28 CFR Part 202)",
		"short": "DOJ DSP",
		"why": "bulk US sensitive personal data: personal health data of more than 10,000 US persons",
		"fields": ["activities[0].data_categories"],
		"citation": {"ref": "28 CFR Part 202 (EO 14117), 202.205 bulk thresholds", "url": "https://www.ecfr.gov/current/title-28/chapter-I/part-202"},
	}} with input as inp
}

test_us_dsp_country_of_concern_every_access_path if {
	inp := us_health(20000, {
		"deployment": {"vendor_country": "RU"},
		"processors": [
			{"name": "AWS", "country": "US", "service": "hosting", "dpa_signed": true, "baa_signed": true},
			{"name": "HK Support Ltd", "country": "HK", "service": "support", "dpa_signed": true, "baa_signed": true},
		],
		"activities": [object.union(fixtures.activity, {
			"data_subjects": [fixtures.subjects("patients", ["US"], 20000)],
			"data_categories": ["health"],
			"transfers": [fixtures.transfer({"to_country": "IR", "recipient": "Analytics team"}), fixtures.transfer({"to_country": "CA", "recipient": "Canada team"})],
		})],
	})
	f := finding(inp, "US-DSP-COUNTRY-OF-CONCERN")
	f.fields == ["activities[0].data_categories", "activities[0].transfers[0].to_country", "deployment.vendor_country", "processors[1].country"]
	f.detail == "personal health data of more than 10,000 US persons is reachable from a country of concern: Analytics team in IR; processor \"HK Support Ltd\" in HK; the vendor, established in RU."
}

test_us_dsp_several_bulk_categories if {
	inp := us_health(2000, {
		"hosting": fixtures.hosting_in("CN", {}),
		"activities": [object.union(fixtures.activity, {"data_subjects": [fixtures.subjects("customers", ["US"], 2000)], "data_categories": ["biometric", "precise_location", "genetic", "health"]})],
	})
	bulk := us_dsp.bulk with input as inp
	{b.label | some b in bulk} == {
		"biometric identifiers of more than 1,000 US persons",
		"precise geolocation data of more than 1,000 US devices",
		"human genomic data of more than 100 US persons",
	}
	"US-DSP-COUNTRY-OF-CONCERN" in ids(inp)
}

test_us_dsp_threshold_is_more_than if {
	inp := us_health(10000, {"hosting": fixtures.hosting_in("CN", {})})
	count(us_dsp.bulk) == 0 with input as inp
	count(us_dsp.regime) == 0 with input as inp
	lacks(inp, "US-DSP-COUNTRY-OF-CONCERN")
}

test_us_dsp_bulk_without_access_from_a_country_of_concern if {
	inp := us_health(20000, {"activities": [object.union(fixtures.activity, {
		"data_subjects": [fixtures.subjects("patients", ["US"], 20000)],
		"data_categories": ["health"],
		"transfers": [fixtures.transfer({"to_country": "IN"})],
	})]})
	count(us_dsp.regime) == 1 with input as inp
	count(us_dsp.access) == 0 with input as inp
	lacks(inp, "US-DSP-COUNTRY-OF-CONCERN")
}

test_us_dsp_counts_only_people_in_the_us if {
	inp := fixtures.input_with({
		"hosting": fixtures.hosting_in("CN", {}),
		"activities": [object.union(fixtures.activity, {"data_subjects": [fixtures.subjects("patients", ["DE"], 50000)], "data_categories": ["health"]})],
	})
	count(us_dsp.bulk) == 0 with input as inp
	lacks(inp, "US-DSP-COUNTRY-OF-CONCERN")
}

test_us_dsp_not_before_8_april_2025 if {
	inp := fixtures.at(us_health(20000, {"hosting": fixtures.hosting_in("CN", {})}), "2025-04-07")
	not us_dsp.in_force with input as inp
	lacks(inp, "US-DSP-COUNTRY-OF-CONCERN")
	"US-DSP-COUNTRY-OF-CONCERN" in ids(fixtures.at(us_health(20000, {"hosting": fixtures.hosting_in("CN", {})}), "2025-04-08"))
}

test_us_dsp_bulk_is_counted_across_activities if {
	# 6,000 US patients in each of two activities: 12,000 people's health data is bulk
	two := us_health(6000, {
		"hosting": fixtures.hosting_in("CN", {}),
		"activities": [
			object.union(fixtures.activity, {"name": "Records", "data_subjects": [fixtures.subjects("patients", ["US"], 6000)], "data_categories": ["health"]}),
			object.union(fixtures.activity, {"name": "Billing", "data_subjects": [fixtures.subjects("patients", ["US"], 6000)], "data_categories": ["health"]}),
		],
	})
	f := finding(two, "US-DSP-COUNTRY-OF-CONCERN")
	f.fields == ["activities[0].data_categories", "activities[1].data_categories", "hosting[0].country"]

	one := us_health(6000, {"hosting": fixtures.hosting_in("CN", {})})
	lacks(one, "US-DSP-COUNTRY-OF-CONCERN")
}

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
	finding(inp, "US-DSP-COUNTRY-OF-CONCERN").detail_msg.id == "us_dsp.restricted.unanswered"
	object.remove(finding(inp, "US-DSP-COUNTRY-OF-CONCERN"), ["detail_msg"]) == {
		"id": "US-DSP-COUNTRY-OF-CONCERN",
		"regime": "us_dsp",
		"kind": "needs_review",
		"severity": "high",
		"title": "Restricted transaction with a country of concern or covered person",
		"detail": concat("", [
			"Restricted: personal health data of more than 10,000 US persons is reachable from a country of concern or by a covered person: hosting ",
			"\"shanghai\" in CN. Are the CISA security requirements (202.248) applied? Answer security.cisa_security_requirements; without them the ",
			"transaction is prohibited (202.401(a)).",
		]),
		"citation": {"ref": "28 CFR 202.205, 202.401, 202.248", "url": "https://www.ecfr.gov/current/title-28/chapter-I/part-202"},
		"fields": ["activities[0].data_categories", "hosting[0].country", "security.cisa_security_requirements"],
		"action": {"title": "Apply the CISA security requirements and the subpart J due diligence and audits, or remove the access", "owner": "legal", "due": "2027-02-15"},
	}
	us_dsp.regime == {{
		"id": "us_dsp",
		"name": "US DOJ Data Security Program (28 CFR Part 202)",
		"short": "DOJ DSP",
		"why": "bulk US sensitive personal data: personal health data of more than 10,000 US persons",
		"why_msg": {"id": "us_dsp.regime", "params": {"labels": {"sep": ", ", "items": [{"id": "us_dsp.label.health", "params": {}}]}}},
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
	f.fields == ["activities[0].data_categories", "activities[0].transfers[0].to_country", "deployment.vendor_country", "processors[1].country", "security.cisa_security_requirements"]
	f.detail == concat("", [
		"Restricted: personal health data of more than 10,000 US persons is reachable from a country of concern or by a covered person: Analytics ",
		"team in IR; processor \"HK Support Ltd\" in HK; the vendor, established in RU. Are the CISA security requirements (202.248) applied? Answer ",
		"security.cisa_security_requirements; without them the transaction is prohibited (202.401(a)).",
	])
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

	# the hosting gives access to bulk human genomic data: prohibited as a whole (202.303), not
	# restricted (subpart D does not apply to 'omic data, 202.401(b))
	"US-DSP-PROHIBITED" in ids(inp)
	lacks(inp, "US-DSP-COUNTRY-OF-CONCERN")
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
	f.fields == ["activities[0].data_categories", "activities[1].data_categories", "hosting[0].country", "security.cisa_security_requirements"]

	one := us_health(6000, {"hosting": fixtures.hosting_in("CN", {})})
	lacks(one, "US-DSP-COUNTRY-OF-CONCERN")
}

# --- prohibited transactions ---------------------------------------------------------------------

test_us_dsp_prohibited_omic_data if {
	# a processor in Singapore owned from China (a covered person) can reach 500 people's genomes
	inp := us_health(500, {
		"processors": [{"name": "Helix Labs", "country": "SG", "parent_country": "CN", "service": "sequencing", "dpa_signed": true, "baa_signed": true}],
		"activities": [object.union(fixtures.activity, {"data_subjects": [fixtures.subjects("patients", ["US"], 500)], "data_categories": ["genetic"]})],
	})
	finding(inp, "US-DSP-PROHIBITED").detail_msg.id == "us_dsp.prohibited"
	object.remove(finding(inp, "US-DSP-PROHIBITED"), ["detail_msg"]) == {
		"id": "US-DSP-PROHIBITED",
		"regime": "us_dsp",
		"kind": "violation",
		"severity": "blocker",
		"title": "Prohibited transaction with a country of concern or covered person",
		"detail": "Prohibited: processor \"Helix Labs\" in SG, owned from CN can reach bulk human 'omic data (202.303). Bulk data concerned: human genomic data of more than 100 US persons.",
		"citation": {"ref": "28 CFR 202.211, 202.301, 202.303", "url": "https://www.ecfr.gov/current/title-28/chapter-I/part-202"},
		"fields": ["activities[0].data_categories", "processors[0].parent_country"],
		"action": {"title": "Stop the transaction or remove the access; only a DOJ licence can authorise it", "owner": "legal", "due": "2027-01-30"},
	}
	lacks(inp, "US-DSP-COUNTRY-OF-CONCERN")

	# the CISA security requirements do not make it allowed
	"US-DSP-PROHIBITED" in ids(object.union(inp, {"questionnaire": {"security": {"cisa_security_requirements": true}}}))
}

test_us_dsp_prohibited_data_brokerage if {
	inp := us_health(20000, {"activities": [object.union(fixtures.activity, {
		"data_subjects": [fixtures.subjects("patients", ["US"], 20000)],
		"data_categories": ["health"],
		"data_brokerage": true,
		"transfers": [fixtures.transfer({"to_country": "CN", "recipient": "Insight Data Co", "recipient_type": "controller", "access": "copy"})],
	})]})
	f := finding(inp, "US-DSP-PROHIBITED")
	f.detail == "Prohibited: Insight Data Co in CN receives the data of activity \"Customer accounts\" by data brokerage (202.301). Bulk data concerned: personal health data of more than 10,000 US persons."
	f.fields == ["activities[0].data_categories", "activities[0].transfers[0].to_country"]

	# a controller recipient is not a restricted transaction, and not brokerage when the activity
	# does not sell or license the data
	lacks(inp, "US-DSP-COUNTRY-OF-CONCERN")
	not_sold := json.patch(inp, [{"op": "replace", "path": "/questionnaire/activities/0/data_brokerage", "value": false}])
	count(us_dsp.findings) == 0 with input as not_sold
}

test_us_dsp_brokerage_unanswered if {
	inp := us_health(20000, {"activities": [object.union(fixtures.activity, {
		"data_subjects": [fixtures.subjects("patients", ["US"], 20000)],
		"data_categories": ["health"],
		"transfers": [fixtures.transfer({"to_country": "HK", "recipient": "Partner Ltd", "recipient_type": "controller"})],
	})]})
	f := finding(inp, "US-DSP-BROKERAGE-REVIEW")
	f.kind == "needs_review"
	f.severity == "high"
	f.fields == ["activities[0].data_brokerage", "activities[0].data_categories", "activities[0].transfers[0].to_country"]
	f.detail == "Partner Ltd in HK receives personal health data of more than 10,000 US persons from activity \"Customer accounts\". Does the activity sell or license access to the data? Answer activities[0].data_brokerage: data brokerage with a country of concern or covered person is prohibited."
	lacks(inp, "US-DSP-PROHIBITED")
}

test_us_dsp_onward_brokerage if {
	inp := us_health(20000, {"activities": [object.union(fixtures.activity, {
		"data_subjects": [fixtures.subjects("patients", ["US"], 20000)],
		"data_categories": ["health"],
		"data_brokerage": true,
		"transfers": [fixtures.transfer({"to_country": "CA", "recipient": "Maple Analytics", "recipient_type": "controller"})],
	})]})
	f := finding(inp, "US-DSP-ONWARD-BROKERAGE")
	f.severity == "medium"
	f.fields == ["activities[0].data_brokerage", "activities[0].transfers[0].recipient_country"]
	f.detail == concat("", [
		"Activity \"Customer accounts\" sells or licenses personal health data of more than 10,000 US persons to Maple Analytics, a foreign person ",
		"in CA: the contract must forbid its onward brokerage of the data to a country of concern or covered person, and known or suspected ",
		"violations must be reported within 14 days.",
	])
	lacks(inp, "US-DSP-PROHIBITED")

	# a US recipient is not a foreign person
	us := json.patch(inp, [{"op": "replace", "path": "/questionnaire/activities/0/transfers/0/to_country", "value": "US"}])
	lacks(us, "US-DSP-ONWARD-BROKERAGE")
}

# --- restricted transactions and covered persons ---------------------------------------------

test_us_dsp_restricted_with_cisa_requirements if {
	base := us_health(20000, {"hosting": fixtures.hosting_in("CN", {})})
	applied := finding(object.union(base, {"questionnaire": {"security": {"cisa_security_requirements": true}}}), "US-DSP-COUNTRY-OF-CONCERN")
	applied.kind == "needs_review"
	applied.severity == "low"
	endswith(applied.detail, "the data compliance program, annual audit and records of subpart J (202.1001-202.1002) still apply.")

	missing := finding(object.union(base, {"questionnaire": {"security": {"cisa_security_requirements": false}}}), "US-DSP-COUNTRY-OF-CONCERN")
	missing.kind == "violation"
	missing.severity == "blocker"
	endswith(missing.detail, "without them the transaction is prohibited (202.401(a), Example 2).")
}

test_us_dsp_covered_persons if {
	# staff living in a country of concern: an employment agreement with covered persons
	staff := us_health(20000, {"activities": [object.union(fixtures.activity, {
		"data_subjects": [fixtures.subjects("patients", ["US"], 20000)],
		"data_categories": ["health"],
		"transfers": [fixtures.transfer({"to_country": "RU", "recipient": "Our engineers", "recipient_type": "own_staff"})],
	})]})
	"US-DSP-COUNTRY-OF-CONCERN" in ids(staff)

	# a recipient in Singapore owned from China is a covered person; one in the US is a US person
	owned := us_health(20000, {"activities": [object.union(fixtures.activity, {
		"data_subjects": [fixtures.subjects("patients", ["US"], 20000)],
		"data_categories": ["health"],
		"transfers": [fixtures.transfer({"to_country": "SG", "recipient": "Support Pte", "recipient_parent_country": "CN"})],
	})]})
	finding(owned, "US-DSP-COUNTRY-OF-CONCERN").fields == ["activities[0].data_categories", "activities[0].transfers[0].recipient_parent_country", "security.cisa_security_requirements"]
	us_owned := json.patch(owned, [{"op": "replace", "path": "/questionnaire/activities/0/transfers/0/to_country", "value": "US"}])
	lacks(us_owned, "US-DSP-COUNTRY-OF-CONCERN")

	# a recipient established in a country of concern, reached from elsewhere
	established := json.patch(owned, [{"op": "add", "path": "/questionnaire/activities/0/transfers/0/recipient_country", "value": "CN"}])
	finding(established, "US-DSP-COUNTRY-OF-CONCERN").fields == ["activities[0].data_categories", "activities[0].transfers[0].recipient_country", "security.cisa_security_requirements"]

	# a US processor with a Chinese parent is a US person (unless designated)
	us_processor := us_health(20000, {"processors": [{"name": "Cloud Inc", "country": "US", "parent_country": "CN", "service": "hosting", "dpa_signed": true, "baa_signed": true}]})
	lacks(us_processor, "US-DSP-COUNTRY-OF-CONCERN")
}

# --- scope: US persons ---------------------------------------------------------------------------

test_us_dsp_without_a_us_party_is_a_review if {
	# a German customer and vendor holding US patients' data hosted in China: the rule binds US
	# persons, so the finding asks whether one is party to the transaction
	inp := us_health(20000, {"deployment": {"customer_country": "DE", "vendor_country": "DE"}, "hosting": fixtures.hosting_in("CN", {})})
	f := finding(inp, "US-DSP-COUNTRY-OF-CONCERN")
	f.kind == "needs_review"
	f.severity == "medium"
	f.fields == ["activities[0].data_categories", "deployment.customer_country", "deployment.vendor_country", "hosting[0].country", "security.cisa_security_requirements"]
	endswith(f.detail, "The rule binds US persons: is a US person (the customer, a US establishment of it, or the vendor) party to the transaction?")
	f.action.due == "2027-03-01"

	# a US establishment of the customer makes it firm
	firm := object.union(inp, {"questionnaire": {"deployment": {"customer_establishments": ["US"]}}})
	finding(firm, "US-DSP-COUNTRY-OF-CONCERN").severity == "high"
}

package piaflow.rules.expiry_test

import data.piaflow.facts
import data.piaflow.fixtures
import data.piaflow.rules.expiry
import data.piaflow.rules.gdpr

aws := fixtures.questionnaire.processors[0]

# with_expiries(xs): the fixture with AWS's expiries set to xs (as_of 2026-11-25).
with_expiries(xs) := fixtures.input_with({"processors": [object.union(aws, {"expiries": xs})]})

found(inp, id) := x if {
	x := fixtures.by_id(expiry.findings, id) with input as inp
}

# found_all_laws(inp, id): as found, with every law taken to reach the deployment (the fixture
# is a GDPR deployment; UK GDPR, the FADP, the APPI and HIPAA do not reach it).
found_all_laws(inp, id) := x if {
	x := fixtures.by_id(expiry.findings, id) with input as inp
		with data.piaflow.regimes.applies as every_law
		with data.piaflow.rules.hipaa.applies as true
}

every_law(regime) if regime != ""

test_expiry_of_a_law_that_does_not_reach_raises_nothing if {
	inp := with_expiries([{"item": "baa", "on": "2026-12-01"}, {"item": "uk_us_bridge", "on": "2026-01-01"}])
	count(expiry.findings) == 0 with input as inp
	count(found_all_laws(inp, "PROCESSOR-EXPIRY-SOON")) == 1
	count(found_all_laws(inp, "PROCESSOR-EXPIRED")) == 1
}

test_expiry_within_window if {
	[f] := found(with_expiries([{"item": "eu_us_dpf", "on": "2026-12-05"}]), "PROCESSOR-EXPIRY-SOON")
	object.remove(f, ["action"]) == {
		"id": "PROCESSOR-EXPIRY-SOON",
		"regime": "gdpr",
		"kind": "gap",
		"severity": "medium",
		"title": "Processor certification or agreement expires soon",
		"title_msg": {"id": "rule.PROCESSOR-EXPIRY-SOON.title", "params": {}},
		"detail": "eu_us_dpf of processor \"AWS\" expires on 2026-12-05 (in 10 days): renew it or plan the replacement; when it lapses, EU adequacy for transfers to it (Decision (EU) 2023/1795 covers certified organisations only) no longer applies.",
		"detail_msg": {"id": "expiry.soon", "params": {"item": "eu_us_dpf", "processor": "\"AWS\"", "date": "2026-12-05", "days": {"count": 10, "noun": "day"}, "what": {"id": "expiry.what.eu_us_dpf", "params": {}}}},
		"citation": {"ref": "GDPR Art. 45(1); Commission Implementing Decision (EU) 2023/1795", "url": "https://eur-lex.europa.eu/eli/dec_impl/2023/1795/oj"},
		"fields": ["processors[0].expiries[0].on"],
	}
	f.action.title == "Renew the processor's certification or agreement, or plan its replacement"
	f.action.owner == "vendor_management"
}

test_expiry_exactly_60_days if {
	[f] := found_all_laws(with_expiries([{"item": "baa", "on": "2027-01-24"}]), "PROCESSOR-EXPIRY-SOON")
	f.regime == "us_hipaa"
	f.citation.ref == "45 CFR 164.502(e), 164.504(e)"
	contains(f.detail, "(in 60 days)")
}

test_expiry_on_assessment_date_is_not_expired if {
	[f] := found(with_expiries([{"item": "dpa", "on": "2026-11-25"}]), "PROCESSOR-EXPIRY-SOON")
	contains(f.detail, "(in 0 days)")
	count(found(with_expiries([{"item": "dpa", "on": "2026-11-25"}]), "PROCESSOR-EXPIRED")) == 0
}

test_expiry_in_one_day_is_singular if {
	[f] := found(with_expiries([{"item": "dpa", "on": "2026-11-26"}]), "PROCESSOR-EXPIRY-SOON")
	contains(f.detail, "(in 1 day)")
	f.detail_msg.params.days == {"count": 1, "noun": "day"}
}

test_expiry_61_days_not_reported if {
	inp := with_expiries([{"item": "eu_us_dpf", "on": "2027-01-25"}])
	count(expiry.findings) == 0 with input as inp
}

test_expiry_items_cite_by_item if {
	inp := with_expiries([
		{"item": "uk_us_bridge", "on": "2026-12-01"},
		{"item": "swiss_us_dpf", "on": "2026-12-01"},
		{"item": "apec_cbpr", "on": "2026-12-01"},
		{"item": "soc2", "on": "2026-12-01"},
	])
	fs := found_all_laws(inp, "PROCESSOR-EXPIRY-SOON")
	{[f.regime, f.kind, f.citation.ref] | some f in fs} == {
		["uk_gdpr", "gap", "UK GDPR Art. 45; Data Protection (Adequacy) (United States of America) Regulations 2023 (SI 2023/1028)"],
		["ch_fadp", "gap", "FADP Art. 16(1); DPO Annex 1 as amended with effect from 15 September 2024"],
		["jp_appi", "needs_review", "APPI Art. 28; PPC Rules Art. 16(ii)"],
		["gdpr", "needs_review", "GDPR Art. 28(1)"],
	}
}

test_expiry_absent_unchanged if {
	inp := fixtures.input_with({})
	count(expiry.findings) == 0 with input as inp
	facts.processors == fixtures.questionnaire.processors with input as inp
}

test_expired_certification_not_counted if {
	inp := with_expiries([{"item": "eu_us_dpf", "on": "2026-11-24"}])
	[f] := found(inp, "PROCESSOR-EXPIRED")
	f.kind == "gap"
	f.severity == "high"
	f.detail == "eu_us_dpf of processor \"AWS\" expired on 2026-11-24: not counted (dropped from its certifications); EU adequacy for transfers to it (Decision (EU) 2023/1795 covers certified organisations only) no longer applies."
	facts.processors[0].certifications == [] with input as inp
	facts.hosting_certifications(fixtures.questionnaire.hosting[0]) == [] with input as inp
}

test_expired_certification_relied_on_is_violation if {
	a := object.union(fixtures.activity, {"transfers": [{
		"to_country": "US", "recipient": "aws", "recipient_type": "processor", "access": "storage",
		"mechanism": "adequacy", "recipient_certifications": ["eu_us_dpf", "iso_27001"],
	}]})
	inp := fixtures.input_with({
		"activities": [a],
		"processors": [object.union(aws, {"expiries": [{"item": "eu_us_dpf", "on": "2026-10-01"}]})],
	})
	[f] := found(inp, "PROCESSOR-EXPIRED")
	f.kind == "violation"
	certs := [d.certifications | some d in facts.destinations[0]; d.kind == "transfer"] with input as inp
	certs == [["iso_27001"]]
}

test_expired_dpa_and_baa_read_as_unsigned if {
	inp := with_expiries([{"item": "dpa", "on": "2026-01-01"}, {"item": "baa", "on": "2026-01-01"}])
	fs := found_all_laws(inp, "PROCESSOR-EXPIRED")
	{f.regime | some f in fs} == {"gdpr", "us_hipaa"}
	{f.regime | some f in found(inp, "PROCESSOR-EXPIRED")} == {"gdpr"}
	facts.processors[0].dpa_signed == false with input as inp
	facts.processors[0].baa_signed == false with input as inp
	[d] := [g.detail | some g in gdpr.findings; g.id == "GDPR-PROCESSOR-NO-DPA"] with input as inp
	contains(d, "expired")
	some f in fs
	contains(f.detail, "(dpa_signed is read as false)")
}

test_expired_certification_of_an_adequacy_host_is_violation if {
	h := object.union(fixtures.questionnaire.hosting[0], {"country": "US", "mechanism": "adequacy"})
	inp := fixtures.input_with({
		"hosting": [h],
		"processors": [object.union(aws, {"expiries": [{"item": "eu_us_dpf", "on": "2026-10-01"}]})],
	})
	[f] := found(inp, "PROCESSOR-EXPIRED")
	f.kind == "violation"
}

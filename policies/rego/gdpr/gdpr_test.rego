package piaflow.gdpr_test

import data.piaflow.fixtures
import data.piaflow.gdpr

test_baseline_has_no_gdpr_findings if {
	count(gdpr.findings) == 0 with input as fixtures.baseline
}

test_processor_without_dpa if {
	inp := fixtures.input_with({"processors": [{"name": "Zendesk", "country": "US", "service": "support", "dpa_signed": false, "baa_signed": false}]})
	some f in gdpr.findings with input as inp
	f == {
		"id": "GDPR-PROCESSOR-NO-DPA",
		"regime": "gdpr",
		"kind": "violation",
		"severity": "blocker",
		"title": "Processor without an Art. 28 contract",
		"detail": "Processor \"Zendesk\" (support, US) has no signed data processing agreement.",
		"citation": {"ref": "GDPR Art. 28(3)", "url": "https://eur-lex.europa.eu/eli/reg/2016/679/oj"},
		"fields": ["processors[0].dpa_signed"],
		"action": {"title": "Sign an Art. 28 data processing agreement with the processor", "owner": "vendor_management", "due": "2027-01-30"},
	}
}

test_lawful_basis_unknown_is_a_gap if {
	inp := fixtures.with_activity({"legal_basis": "unknown"})
	some f in gdpr.findings with input as inp
	f.id == "GDPR-LAWFUL-BASIS-UNKNOWN"
	f.kind == "gap"
	f.fields == ["activities[0].legal_basis"]
}

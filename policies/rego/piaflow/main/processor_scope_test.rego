# A third-party processor established in the EU is bound by the GDPR by its own establishment
# (Art. 3(1)): its findings and rows stay firm when the GDPR reaches the customer only
# conditionally (Art. 3(2) targeting unanswered); the customer's are downgraded (main.conditional).
package piaflow.main_test

import data.piaflow.fixtures
import data.piaflow.main

# eu_sub(patch): a US customer and vendor, people in France (targeting not answered), hosted in the
# US without a mechanism; the vendor's Irish sub-processor (no signed DPA) passes the data to India
# without a mechanism.
eu_sub(patch) := fixtures.input_with({
	"deployment": {"customer": "Prairie Mutual", "customer_country": "US", "vendor_country": "US"},
	"hosting": fixtures.hosting_in("US", {"mechanism": "none"}),
	"processors": [{"name": "Docklands Ltd", "country": "IE", "service": "OCR", "dpa_signed": false, "baa_signed": false}],
	"activities": [object.union_n([
		fixtures.activity, {
			"data_subjects": [fixtures.subjects("customers", ["FR"], 1000)],
			"transfers": [fixtures.transfer({
				"to_country": "IE", "recipient": "Docklands Ltd", "recipient_type": "sub_processor", "access": "copy", "mechanism": "contract",
				"onward_transfers": [fixtures.transfer({"to_country": "IN", "recipient": "Sub IN", "recipient_type": "sub_processor", "mechanism": "none"})],
			})],
		},
		patch,
	])],
})

onward := "activities[0].transfers[0].onward_transfers[0]"

test_processor_own_findings_stay_firm_when_the_gdpr_is_conditional if {
	r := result(eu_sub({}))
	[e.certainty | some e in r.regimes; e.id == "gdpr"] == ["conditional"]

	# the rows: the processor's is firm, the customer's conditional
	[[t.status, t.conditional] | some t in r.transfers; t.regime == "gdpr"; t.via == onward] == [["missing_mechanism", false]]
	[[t.status, t.conditional] | some t in r.transfers; t.regime == "gdpr"; t.via == "hosting[0]"] == [["conditional", true]]
	r.verdict == "blocked"

	# the processor's own onward transfer without a mechanism: a firm blocker
	gdpr := [f | some f in r.findings; f.regime == "gdpr"]
	some nm in gdpr
	nm.id == "GDPR-TRANSFER-NO-MECHANISM"
	concat("", [onward, ".mechanism"]) in nm.fields
	nm.severity == "blocker"
	nm.kind == "violation"
	nm.title == "GDPR: Transfer without a mechanism"
	not nm.scope_basis

	# its missing Art. 28 contract and its obligations: firm too
	some dpa in gdpr
	dpa.id == "GDPR-PROCESSOR-NO-DPA"
	dpa.severity == "blocker"
	some est in gdpr
	est.id == "GDPR-PROCESSOR-ESTABLISHED"
	not startswith(est.title, "If GDPR applies: ")

	# the customer's hosting in the US (reached through its people): conditional
	some h in gdpr
	h.id == "GDPR-TRANSFER-NO-MECHANISM"
	"hosting[0].mechanism" in h.fields
	h.kind == "needs_review"
	startswith(h.title, "If GDPR applies: ")
}

test_processor_findings_unmarked_once_the_gdpr_is_firm if {
	r := result(eu_sub({"targeted_countries": ["FR"]}))
	[e.certainty | some e in r.regimes; e.id == "gdpr"] == ["firm"]
	every f in r.findings {
		not f.scope_basis
	}
	some nm in r.findings
	nm.id == "GDPR-TRANSFER-NO-MECHANISM"
	concat("", [onward, ".mechanism"]) in nm.fields
	nm.severity == "blocker"
}

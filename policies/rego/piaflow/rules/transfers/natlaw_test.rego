# Where the data is collected (activities[].collected_in) for the LGPD (Art. 3(III)) and 152-FZ
# (Art. 18(5) "at collection"), and the national laws that make a vendor established there the
# exporter (scope.vendor_establishment.exports).
package piaflow.rules.transfers_test

import data.piaflow.fixtures
import data.piaflow.regimes
import data.piaflow.rules.transfers

# br_collected(collected): a German customer's app users now in Portugal, hosted in Germany,
# whose data was collected where `collected` says.
br_collected(collected) := fixtures.with_activity(object.union(
	{"data_subjects": [fixtures.subjects("customers", ["PT"], 500)]},
	collected,
))

# regime_entry(inp, id): the regimes[] entry of law id.
regime_entry(inp, id) := e if {
	es := regimes.entries with input as inp
	some e in es
	e.id == id
}

regime_ids(inp) := x if {
	es := regimes.entries with input as inp
	x := {e.id | some e in es}
}

test_lgpd_applies_to_data_collected_in_brazil if {
	e := regime_entry(br_collected({"collected_in": ["BR"]}), "br_lgpd")
	e.certainty == "firm"
	e.question == []
	e.fields == ["activities[0].collected_in"]
	startswith(e.why, "data collected in BR (")

	# not collected in Brazil, or not answered: no LGPD
	not "br_lgpd" in regime_ids(br_collected({"collected_in": ["PT"]}))
	not "br_lgpd" in regime_ids(br_collected({}))
}

# ru_citizens_abroad(collected): Russian citizens living in Germany, hosted in Germany.
ru_citizens_abroad(collected) := fixtures.with_activity(object.union(
	{"data_subjects": [object.union(fixtures.subjects("customers", ["DE"], 500), {"citizenship": ["RU"]})]},
	collected,
))

test_152fz_localisation_at_collection_in_russia if {
	inp := ru_citizens_abroad({"collected_in": ["RU"]})
	ls := transfers.localisation with input as inp
	[[l.rule, l.satisfied] | some l in ls; l.jurisdiction == "ru_152fz"] == [["citizens_collection_2025", false]]
	f := finding(inp, "RU-152FZ-LOCALISATION")
	contains(f.detail, "hosting \"primary\" (primary) is in DE")

	# collected_in reaches 152-FZ only for legal to confirm
	e := regime_entry(inp, "ru_152fz")
	e.certainty == "conditional"
	"activities[0].collected_in" in e.fields
	"deployment.scope_confirmed.ru_152fz" in e.question
	lacks(inp, "RU-152FZ-LOCALISATION-COLLECTION-UNANSWERED")
}

test_152fz_no_localisation_for_citizens_data_collected_elsewhere if {
	other := ru_citizens_abroad({"collected_in": ["DE"]})
	[l | some l in transfers.localisation with input as other; l.jurisdiction == "ru_152fz"] == []
	lacks(other, "RU-152FZ-LOCALISATION-COLLECTION-UNANSWERED")
}

test_152fz_asks_where_citizens_data_is_collected if {
	inp := ru_citizens_abroad({})
	[l | some l in transfers.localisation with input as inp; l.jurisdiction == "ru_152fz"] == []
	f := finding(inp, "RU-152FZ-LOCALISATION-COLLECTION-UNANSWERED")
	f.kind == "gap"
	f.severity == "high"
	f.fields == ["activities[0].collected_in"]
	f.citation.ref == "152-FZ Art. 18(5) (as amended by 23-FZ of 28 February 2025)"
	contains(f.detail, "where their data is collected is not answered (activities[0].collected_in). Collected in RU, the rule applies.")
}

test_152fz_people_in_russia_still_localised if {
	inp := fixtures.with_activity({"data_subjects": [fixtures.subjects("customers", ["RU"], 500)]})
	[l.rule | some l in transfers.localisation with input as inp; l.jurisdiction == "ru_152fz"] == ["citizens_collection_2025"]
	lacks(inp, "RU-152FZ-LOCALISATION-COLLECTION-UNANSWERED")
}

# cn_vendor(role, subjects): a US customer, the vendor established in China (in `role`) hosting
# in China; the customer's staff in the US reach the data.
cn_vendor(role, subjects) := fixtures.input_with({
	"deployment": {"customer": "Acme Inc.", "customer_country": "US", "vendor_country": "CN", "vendor_role": role},
	"hosting": fixtures.hosting_in("CN", {}),
	"activities": [object.union(fixtures.activity, {
		"data_subjects": subjects,
		"data_categories": ["contact"],
		"transfers": [fixtures.transfer({"to_country": "US", "recipient": "Acme staff", "recipient_type": "controller", "access": "remote_access", "mechanism": "none"})],
	})],
})

us_people := [fixtures.subjects("customers", ["US"], 200000)]

test_pipl_controller_vendor_in_china_exports if {
	f := flow(cn_vendor("controller", us_people), "cn_pipl", t0)
	f.exporter == "the vendor (controller) established in CN"
	f.exporter_basis == "vendor"
	x := finding(cn_vendor("controller", us_people), "CN-PIPL-TRANSFER-NO-MECHANISM")
	x.kind == "violation"
	contains(x.detail, "Answer activities[0].collected_in")
}

test_pipl_entrusted_vendor_export_is_a_review if {
	inp := cn_vendor("processor", us_people)
	f := flow(inp, "cn_pipl", t0)
	f.exporter_basis == "vendor"
	x := finding(inp, "CN-PIPL-TRANSFER-NO-MECHANISM")
	x.kind == "needs_review"
	x.severity == "high"
	contains(x.detail, "Whether the vendor (processor) is the exporter is for legal to confirm: PIPL Art. 38-40")

	# data collected abroad (CAC Provisions (2024) Art. 4): exempt, no blocker
	abroad := json.patch(inp, [{"op": "add", "path": "/questionnaire/activities/0/collected_in", "value": ["US"]}])
	lacks(abroad, "CN-PIPL-TRANSFER-NO-MECHANISM")

	# people in China: the customer reached through them stays the exporter
	cn := cn_vendor("processor", [fixtures.subjects("customers", ["CN"], 2000)])
	g := flow(cn, "cn_pipl", t0)
	g.exporter_basis == "subjects"
}

test_kenya_processor_in_kenya_exports if {
	inp := json.patch(cn_vendor("processor", us_people), [
		{"op": "replace", "path": "/questionnaire/deployment/vendor_country", "value": "KE"},
		{"op": "replace", "path": "/questionnaire/hosting/0/country", "value": "KE"},
	])
	f := flow(inp, "ke_dpa", t0)
	f.exporter == "the vendor (processor) established in KE"
	x := finding(inp, "KE-DPA-TRANSFER-NO-MECHANISM")
	x.kind == "violation"
}

# A filing that may follow the start is asked of an exporter under review as a review too: once
# overdue it is not a blocker while whether the vendor exports at all is open.
test_pipl_entrusted_vendor_overdue_filing_is_a_review if {
	entry := {"regime": "cn_pipl", "mechanism": "standard_contract", "signed_on": "2026-11-02"}
	base := json.patch(cn_vendor("processor", us_people), [
		{"op": "replace", "path": "/questionnaire/activities/0/transfers/0/mechanism", "value": "unknown"},
		{"op": "add", "path": "/questionnaire/activities/0/transfers/0/mechanisms", "value": [entry]},
	])
	inp := fixtures.at(base, "2026-11-20")
	x := finding(inp, "CN-PIPL-TRANSFER-NOTICE-DUE")
	x.kind == "needs_review"
	x.severity == "high"
	contains(x.detail, "Whether the vendor (processor) is the exporter is for legal to confirm")

	# the vendor as controller is a firm exporter: overdue is a blocker
	ctl := json.patch(inp, [{"op": "replace", "path": "/questionnaire/deployment/vendor_role", "value": "controller"}])
	y := finding(ctl, "CN-PIPL-TRANSFER-NOTICE-DUE")
	y.kind == "violation"
	y.severity == "blocker"
}

package piaflow.rules.gdpr_test

import data.piaflow.fixtures
import data.piaflow.main
import data.piaflow.rules.gdpr

# eurlex, ids, lacks and finding come from gdpr_test.rego (same package).

# US consumers of a US customer; the vendor is established in Germany and is its processor
# (issue 11, situation 2). The contract answer is omitted.
# without_contract_answer removes deployment.vendor_dpa_signed from an input.
without_contract_answer(inp) := json.remove(inp, ["questionnaire/deployment/vendor_dpa_signed"])

us_customer_de_processor := without_contract_answer(fixtures.input_with({
	"deployment": {"customer": "Acme Outdoor Inc.", "customer_country": "US", "vendor_country": "DE"},
	"activities": [object.union(fixtures.activity, {
		"name": "Loyalty accounts",
		"legal_basis": "unknown",
		"data_subjects": [fixtures.subjects("customers", ["US"], 200000)],
	})],
	"governance": object.union(fixtures.questionnaire.governance, {"privacy_notice": false, "data_subject_request_process": false, "breach_notification_process": false}),
	"security": object.union(fixtures.questionnaire.security, {"mfa": false}),
}))

with_deployment(inp, patch) := object.union(inp, {"questionnaire": {"deployment": patch}})

with_transfers(inp, ts) := object.union(inp, {"questionnaire": {"activities": [object.union(inp.questionnaire.activities[0], {"transfers": ts})]}})

# --- capacity --------------------------------------------------------------------------------

test_eu_processor_of_a_us_controller_is_bound_as_processor_only if {
	gdpr.controller_regimes == set() with input as us_customer_de_processor
	gdpr.processor_regimes == {"gdpr"} with input as us_customer_de_processor
	gdpr.processor_only == {"gdpr"} with input as us_customer_de_processor
	gdpr.applies with input as us_customer_de_processor
}

test_processor_only_raises_no_controller_duties if {
	x := ids(us_customer_de_processor)
	every id in {"GDPR-LAWFUL-BASIS-UNKNOWN", "GDPR-PRIVACY-NOTICE", "GDPR-DSR-PROCESS", "GDPR-EU-REPRESENTATIVE", "GDPR-DPO-REQUIRED"} {
		not id in x
	}
	every id in {"GDPR-PROCESSOR-SCOPE", "GDPR-PROCESSOR-CONTRACT", "GDPR-PROCESSOR-RETURN-TRANSFER-UNKNOWN", "GDPR-PROCESSOR-BREACH-NOTICE", "GDPR-SEC-MFA"} {
		id in x
	}
}

test_processor_scope_finding if {
	finding(us_customer_de_processor, "GDPR-PROCESSOR-SCOPE") == {
		"id": "GDPR-PROCESSOR-SCOPE",
		"regime": "gdpr",
		"kind": "needs_review",
		"severity": "info",
		"title": "The vendor is bound as a processor established in the territory",
		"detail": concat("", [
			"The vendor is established in DE and processes the data as processor for a customer established in US: the law binds the vendor's processing ",
			"(Art. 3(1)) with the processor's obligations (a contract under Art. 28, records under Art. 30(2), security under Art. 32, notifying the ",
			"customer of breaches under Art. 33(2), Chapter V for data it sends outside), not the controller's (lawful basis, notices, data-subject ",
			"rights, DPIA).",
		]),
		"detail_msg": {"id": "gdpr.processor_scope", "params": {"vendor_country": "DE", "customer_country": "US"}},
		"citation": {"ref": "GDPR Art. 3(1); EDPB Guidelines 3/2018", "url": "https://www.edpb.europa.eu/our-work-tools/our-documents/guidelines/guidelines-32018-territorial-scope-gdpr-article-3-version_en"},
		"fields": ["deployment.customer_country", "deployment.vendor_country", "deployment.vendor_role"],
		"action": {"title": "Confirm the processor obligations the vendor's establishment brings", "owner": "legal"},
	}
}

test_processor_scope_not_when_the_customer_is_a_controller_there if {
	# a German customer: the GDPR binds it as controller; the vendor's processor duties follow
	# from the contract and the shared rules, no processor-only note
	lacks(fixtures.baseline, "GDPR-PROCESSOR-SCOPE")
	gdpr.processor_only == set() with input as fixtures.baseline
	gdpr.controller_regimes == {"gdpr"} with input as fixtures.baseline
}

test_processor_only_regime_entry if {
	# the regimes package lists the GDPR for the vendor established in the EU (Art. 3(1)); this
	# package's own entry steps aside then, so the law is listed once
	gdpr.regime == set() with input as us_customer_de_processor
	r := main.result with input as us_customer_de_processor
	[[e.id, e.fields] | some e in r.regimes] == [["gdpr", ["deployment.vendor_country", "deployment.vendor_role"]]]

	# the assessment is not ready (issue 11: "no known law" is not "ready")
	r.verdict != "ready"

	# where the jurisdiction scope rules list the GDPR already, this package adds no entry
	gdpr.regime == set() with input as fixtures.baseline

	some e in r.regimes
	startswith(e.why, "the vendor (processor) is established in DE")
}

test_own_regime_entry_when_the_scope_rules_do_not_list_it if {
	# this package's entry (a fallback for an establishment the jurisdiction scope rules do not
	# see): the capacities, then the law's scope, as one message with a message per part
	inp := with_deployment(us_customer_de_processor, {"vendor_role": "controller"})
	[e] := [e | some e in gdpr.regime] with input as inp with data.piaflow.regimes.applies as false
	e.id == "gdpr"
	e.fields == ["deployment.vendor_country"]
	e.why == "the vendor (controller) is established in DE (Art. 3(1)). Art. 3(1): processing in the context of an establishment in the EU/EEA; Art. 3(2): people in the EU/EEA to whom goods or services are offered or whose behaviour is monitored"
	e.why_msg == {"id": "gdpr.capacity.why", "params": {
		"reasons": {"sep": "; ", "items": [{"id": "gdpr.capacity.vendor.controller", "params": {"vendor_country": "DE"}}]},
		"scope": {"id": "gdpr.scope.gdpr", "params": {}},
	}}

	# the customer established there and the vendor as processor
	inp2 := with_deployment(us_customer_de_processor, {"customer_establishments": ["FR"]})
	[w] := [e.why | some e in gdpr.regime] with input as inp2 with data.piaflow.regimes.applies as false
	startswith(w, "the customer is established in FR (Art. 3(1)). Art. 3(1):")
	[w3] := [e.why | some e in gdpr.regime] with input as us_customer_de_processor with data.piaflow.regimes.applies as false
	startswith(w3, "the vendor (processor) is established in DE (Art. 3(1)); processor obligations only. Art. 3(1):")
}

test_no_gdpr_when_vendor_and_customer_are_outside if {
	inp := with_deployment(us_customer_de_processor, {"vendor_country": "US"})
	not gdpr.applies with input as inp
	count(gdpr.findings) == 0 with input as inp
}

test_vendor_established_as_controller_brings_controller_duties if {
	inp := with_deployment(us_customer_de_processor, {"vendor_role": "controller"})
	gdpr.controller_regimes == {"gdpr"} with input as inp
	x := ids(inp)
	"GDPR-LAWFUL-BASIS-UNKNOWN" in x
	"GDPR-PRIVACY-NOTICE" in x
	not "GDPR-PROCESSOR-SCOPE" in x
	not "GDPR-PROCESSOR-CONTRACT" in x
	r := main.result with input as inp
	[e.why | some e in r.regimes; e.id == "gdpr"] == ["the vendor (controller) is established in DE. Art. 3(1): processing in the context of an establishment in the EU/EEA; Art. 3(2): people in the EU/EEA to whom goods or services are offered or whose behaviour is monitored"]
}

test_customer_establishment_in_the_eu_brings_controller_duties if {
	inp := with_deployment(us_customer_de_processor, {"vendor_country": "US", "customer_establishments": ["FR"]})
	gdpr.controller_regimes == {"gdpr"} with input as inp
	"GDPR-LAWFUL-BASIS-UNKNOWN" in ids(inp)
	r := main.result with input as inp
	[e.fields | some e in r.regimes; e.id == "gdpr"] == [["deployment.customer_establishments"]]
}

test_scope_confirmed_false_drops_the_regime if {
	inp := fixtures.input_with({"deployment": {"scope_confirmed": {"gdpr": false}}, "governance": {"privacy_notice": false}})
	not gdpr.applies with input as inp
	count(gdpr.findings) == 0 with input as inp
}

test_activity_that_does_not_target_the_eu_is_out_of_controller_scope if {
	# a US customer; one activity targets DE, the other has German people but answers that it
	# targets and monitors nobody in the EU: only the first carries controller duties
	inp := fixtures.input_with({
		"deployment": {"customer_country": "US", "vendor_country": "US"},
		"activities": [
			object.union(fixtures.activity, {"name": "EU shop", "legal_basis": "unknown", "targeted_countries": ["DE"]}),
			object.union(fixtures.activity, {"name": "US leads", "legal_basis": "unknown", "targeted_countries": ["US"], "monitored_countries": []}),
		],
	})
	gdpr.controller_acts.gdpr == {0} with input as inp
	[f.fields | some f in fixtures.by_id(gdpr.findings, "GDPR-LAWFUL-BASIS-UNKNOWN")] == [["activities[0].legal_basis"]] with input as inp
}

# --- the vendor-customer contract (Art. 28(3)) -----------------------------------------------

test_processor_contract_gap_when_unanswered if {
	f := finding(us_customer_de_processor, "GDPR-PROCESSOR-CONTRACT")
	f.kind == "gap"
	f.severity == "medium"
	f.fields == ["deployment.vendor_dpa_signed", "deployment.vendor_role"]
	f.citation == {"ref": "GDPR Art. 28(3),(9)", "url": eurlex}
	f.detail == "The vendor processes the customer's data as processor. Does the contract between them meet Art. 28(3)? Answer deployment.vendor_dpa_signed."
	f.action == {"title": "Sign a contract between the vendor and the customer that meets Art. 28(3)", "owner": "legal", "due": "2027-03-01"}
}

test_processor_contract_violation_when_not_signed if {
	f := finding(with_deployment(us_customer_de_processor, {"vendor_dpa_signed": false}), "GDPR-PROCESSOR-CONTRACT")
	f.kind == "violation"
	f.severity == "high"
	f.detail == "The vendor processes the customer's data as processor, but the contract between them does not meet Art. 28(3) (deployment.vendor_dpa_signed: false)."
	f.action.due == "2027-02-15"
}

test_processor_contract_absent_when_signed_or_not_a_processor if {
	lacks(with_deployment(us_customer_de_processor, {"vendor_dpa_signed": true}), "GDPR-PROCESSOR-CONTRACT")
	lacks(fixtures.input_with({"deployment": {"vendor_role": "controller"}}), "GDPR-PROCESSOR-CONTRACT")

	# an EU controller with a processor established anywhere needs the contract too
	"GDPR-PROCESSOR-CONTRACT" in ids(without_contract_answer(fixtures.input_with({"deployment": {"vendor_country": "CN"}})))
}

# --- the processor's return transfer, breach notice, records ------------------------------------

test_processor_return_transfer_unknown if {
	finding(us_customer_de_processor, "GDPR-PROCESSOR-RETURN-TRANSFER-UNKNOWN") == {
		"id": "GDPR-PROCESSOR-RETURN-TRANSFER-UNKNOWN",
		"regime": "gdpr",
		"kind": "gap",
		"severity": "high",
		"title": "Return transfer to the controller abroad not recorded",
		"detail": concat("", [
			"The customer in US reaching the data the vendor holds as processor in DE is a transfer by the processor (EDPB Guidelines 05/2021, Example ",
			"3), and no transfer to the customer is recorded. Record it in activities[].transfers (recipient_type controller, to_country US) with its ",
			"mechanism: an adequacy decision that covers the customer, the EU-US Data Privacy Framework if the customer is certified, or the 2021 SCCs, ",
			"module 4 (processor to controller).",
		]),
		"detail_msg": {"id": "gdpr.processor_return_transfer.gdpr", "params": {"customer_country": "US", "vendor_country": "DE", "code": "US"}},
		"citation": {"ref": "GDPR Art. 44, 46; EDPB Guidelines 05/2021, Example 3", "url": "https://www.edpb.europa.eu/our-work-tools/our-documents/guidelines/guidelines-052021-interplay-between-application-article-3_en"},
		"fields": ["activities[0].transfers", "deployment.customer_country"],
		"action": {"title": "Record the transfer to the customer and its mechanism", "owner": "legal", "due": "2027-02-15"},
	}
}

test_processor_return_transfer_also_for_an_art3_2_controller if {
	# the US customer targets Germans (the GDPR reaches it through Art. 3(2)): the data it reaches
	# from the German processor is still a transfer (the importer's own GDPR status does not matter)
	inp := object.union(us_customer_de_processor, {"questionnaire": {"activities": [object.union(us_customer_de_processor.questionnaire.activities[0], {
		"data_subjects": [fixtures.subjects("customers", ["DE"], 2000)],
		"targeted_countries": ["DE"],
	})]}})
	gdpr.controller_regimes == {"gdpr"} with input as inp
	x := ids(inp)
	"GDPR-PROCESSOR-RETURN-TRANSFER-UNKNOWN" in x
	not "GDPR-PROCESSOR-SCOPE" in x
	not "GDPR-PROCESSOR-BREACH-NOTICE" in x
}

test_processor_return_transfer_recorded if {
	ts := [fixtures.transfer({"recipient": "Acme staff in Denver", "recipient_type": "controller", "mechanism": "none"})]
	lacks(with_transfers(us_customer_de_processor, ts), "GDPR-PROCESSOR-RETURN-TRANSFER-UNKNOWN")

	# a transfer to a processor in the customer's country is not the return transfer
	lacks(fixtures.baseline, "GDPR-PROCESSOR-RETURN-TRANSFER-UNKNOWN")
	"GDPR-PROCESSOR-RETURN-TRANSFER-UNKNOWN" in ids(with_transfers(us_customer_de_processor, [fixtures.transfer({})]))
}

test_processor_breach_notice if {
	f := finding(us_customer_de_processor, "GDPR-PROCESSOR-BREACH-NOTICE")
	f.kind == "violation"
	f.severity == "high"
	f.fields == ["governance.breach_notification_process"]
	f.citation.ref == "GDPR Art. 33(2)"
	lacks(object.union(us_customer_de_processor, {"questionnaire": {"governance": {"breach_notification_process": true}}}), "GDPR-PROCESSOR-BREACH-NOTICE")

	# a controller's breach duty comes from the jurisdiction data (duties.rego), not from here
	lacks(fixtures.governance_with({"breach_notification_process": false}), "GDPR-PROCESSOR-BREACH-NOTICE")
}

test_processor_records_text if {
	inp := object.union(us_customer_de_processor, {"questionnaire": {"governance": {"records_of_processing": false}}})
	finding(inp, "GDPR-RECORDS-MISSING").detail == "The questionnaire records no records of processing activities; as processor the vendor keeps a record of the categories of processing carried out on behalf of the customer (Art. 30(2)), and the processing is regular, so the Art. 30(5) exemption does not apply."
}

test_uk_processor_of_a_us_controller if {
	inp := fixtures.input_with({
		"deployment": {"customer_country": "US", "vendor_country": "GB"},
		"activities": [object.union(fixtures.activity, {"data_subjects": [fixtures.subjects("customers", ["US"], 500)]})],
	})
	gdpr.processor_only == {"uk_gdpr"} with input as inp
	f := finding(inp, "UK-GDPR-PROCESSOR-RETURN-TRANSFER-UNKNOWN")
	f.regime == "uk_gdpr"
	f.citation.ref == "UK GDPR Art. 44, 46; EDPB Guidelines 05/2021, Example 3"
	f.detail == concat("", [
		"The customer in US reaching the data the vendor holds as processor in GB is a restricted transfer by the processor (piaflow follows the ",
		"EDPB's reading, Guidelines 05/2021, Example 3; confirm against the ICO's guidance), and no transfer to the customer is recorded. Record it ",
		"in activities[].transfers (recipient_type controller, to_country US) with its mechanism: UK adequacy regulations that cover the customer, ",
		"the UK Extension to the EU-US Data Privacy Framework if the customer is certified, or the IDTA or the UK Addendum to the SCCs.",
	])
	"UK-GDPR-PROCESSOR-SCOPE" in ids(inp)
	not "GDPR-PROCESSOR-SCOPE" in ids(inp)
}

# --- joint controllers (Art. 26) --------------------------------------------------------------

test_joint_controller_arrangement if {
	gap := finding(fixtures.input_with({"deployment": {"vendor_role": "joint_controller"}}), "GDPR-JOINT-CONTROLLER-ARRANGEMENT")
	gap.kind == "gap"
	gap.severity == "medium"
	gap.fields == ["deployment.joint_controller_arrangement", "deployment.vendor_role"]
	gap.detail == "The vendor and the customer are joint controllers. Is their Art. 26 arrangement in place? Answer deployment.joint_controller_arrangement."
	gap.citation == {"ref": "GDPR Art. 26(1),(2)", "url": eurlex}

	v := finding(fixtures.input_with({"deployment": {"vendor_role": "joint_controller", "joint_controller_arrangement": false}}), "GDPR-JOINT-CONTROLLER-ARRANGEMENT")
	v.kind == "violation"
	v.severity == "medium"

	lacks(fixtures.input_with({"deployment": {"vendor_role": "joint_controller", "joint_controller_arrangement": true}}), "GDPR-JOINT-CONTROLLER-ARRANGEMENT")
	lacks(fixtures.baseline, "GDPR-JOINT-CONTROLLER-ARRANGEMENT")
}

# --- parents abroad, anonymisation -----------------------------------------------------------

test_third_country_parent_of_a_processor if {
	inp := fixtures.input_with({"processors": [{"name": "AWS EMEA", "country": "LU", "parent_country": "US", "service": "hosting", "dpa_signed": true, "baa_signed": false}]})
	finding(inp, "GDPR-THIRD-COUNTRY-PARENT") == {
		"id": "GDPR-THIRD-COUNTRY-PARENT",
		"regime": "gdpr",
		"kind": "needs_review",
		"severity": "low",
		"title": "Processor or recipient with a parent company abroad",
		"detail": "Processor \"AWS EMEA\" is established in LU and its parent company in US: not a transfer by itself, but the law of US may reach the data; check that the processor gives sufficient guarantees against it.",
		"detail_msg": {"id": "gdpr.parent.processor", "params": {"processor": "\"AWS EMEA\"", "country": "LU", "parent_country": "US"}},
		"citation": {"ref": "GDPR Art. 28(1), 32; EDPB Guidelines 05/2021", "url": "https://www.edpb.europa.eu/our-work-tools/our-documents/guidelines/guidelines-052021-interplay-between-application-article-3_en"},
		"fields": ["processors[0].parent_country"],
		"action": {"title": "Assess the exposure to the parent company's country's law and the contract's safeguards", "owner": "legal", "due": "2027-05-30"},
	}

	# a parent inside the EU/EEA, or a processor outside: nothing to add
	lacks(fixtures.input_with({"processors": [{"name": "OVH", "country": "LU", "parent_country": "FR", "service": "hosting", "dpa_signed": true, "baa_signed": false}]}), "GDPR-THIRD-COUNTRY-PARENT")
	lacks(fixtures.baseline, "GDPR-THIRD-COUNTRY-PARENT")
}

test_third_country_parent_of_a_recipient if {
	inp := fixtures.with_activity({"transfers": [fixtures.transfer({"to_country": "IE", "recipient": "Support Ltd", "recipient_parent_country": "CN"})]})
	f := finding(inp, "GDPR-THIRD-COUNTRY-PARENT")
	f.fields == ["activities[0].transfers[0].recipient_parent_country"]
	f.detail == "Recipient \"Support Ltd\" is established in IE and its parent company in CN: not a transfer by itself, but the law of CN may reach the data; check the recipient's guarantees against it."
}

test_anonymisation_review if {
	inp := fixtures.with_activity({"deidentification": "anonymised", "deidentification_method": "k-anonymity, k=10"})
	f := finding(inp, "GDPR-ANONYMISATION-REVIEW")
	f.kind == "needs_review"
	f.severity == "medium"
	f.fields == ["activities[0].deidentification", "activities[0].deidentification_method"]
	f.detail == "Activity \"Customer accounts\" is recorded as anonymised (k-anonymity, k=10). The data is outside the GDPR only if no one can identify the people by means reasonably likely to be used (Recital 26); until that is confirmed, piaflow applies the GDPR to the activity."

	without_method := finding(fixtures.with_activity({"deidentification": "anonymised"}), "GDPR-ANONYMISATION-REVIEW")
	without_method.fields == ["activities[0].deidentification"]

	# pseudonymised data stays personal data: no review
	lacks(fixtures.with_activity({"deidentification": "pseudonymised"}), "GDPR-ANONYMISATION-REVIEW")
}

# --- a third-party processor established in the territory --------------------------------------

# us_with_ie_processor(t, procs): a US customer's US people and a US vendor; transfers t, processors
# procs; the customer's privacy notice and security answers would fail the controller rules.
us_with_ie_processor(t, procs) := fixtures.input_with({
	"deployment": {"customer": "Prairie Mutual", "customer_country": "US", "vendor_country": "US"},
	"hosting": fixtures.hosting_in("US", {}),
	"processors": procs,
	"activities": [object.union(fixtures.activity, {
		"legal_basis": "unknown",
		"data_subjects": [fixtures.subjects("customers", ["US"], 500)],
		"transfers": t,
	})],
	"governance": object.union(fixtures.questionnaire.governance, {"privacy_notice": false, "records_of_processing": false, "breach_notification_process": false}),
	"security": object.union(fixtures.questionnaire.security, {"mfa": false}),
})

ie_transfer(onward) := fixtures.transfer({"to_country": "IE", "recipient": "Docklands Ltd", "recipient_type": "sub_processor", "access": "copy", "onward_transfers": onward})

ie_proc(dpa) := {"name": "Docklands Ltd", "country": "IE", "service": "OCR", "dpa_signed": dpa, "baa_signed": false}

test_third_party_processor_only_its_own_findings if {
	inp := us_with_ie_processor([ie_transfer([])], [ie_proc(true)])
	gdpr.third_party_only == {"gdpr"} with input as inp
	gdpr.family_regimes == set() with input as inp
	ids(inp) == {"GDPR-PROCESSOR-ESTABLISHED", "GDPR-PROCESSOR-RETURN-REVIEW"}

	# no third party there: nothing
	ids(us_with_ie_processor([], [])) == set()
}

test_third_party_processor_established_finding if {
	f := finding(us_with_ie_processor([ie_transfer([])], [ie_proc(true)]), "GDPR-PROCESSOR-ESTABLISHED")
	is(f, "GDPR-PROCESSOR-ESTABLISHED", "needs_review", "low", ["activities[0].transfers[0].to_country", "processors[0].country"], "GDPR Art. 3(1), 28(2)-(4), 30(2), 32, 33(2), 37(1); EDPB Guidelines 3/2018")
	startswith(f.detail, "Docklands Ltd is established in IE (activities[0].transfers[0].to_country, processors[0].country) and processes this deployment's data as a processor: the GDPR binds its processing (Art. 3(1))")
	contains(f.detail, "sub-processors only with the controller's authorisation and on the same terms (Art. 28(2),(4))")
	contains(f.detail, "notifying its controller of breaches without undue delay (Art. 33(2))")
	contains(f.detail, "The customer (established in US) and the vendor (established in US) do not become subject to the law by using it")

	# the UK: the same under the UK GDPR
	uk := finding(us_with_ie_processor([fixtures.transfer({"to_country": "GB", "recipient": "Thames Ltd", "recipient_type": "processor"})], []), "UK-GDPR-PROCESSOR-ESTABLISHED")
	uk.regime == "uk_gdpr"
	uk.citation.ref == "UK GDPR Art. 3(1), 28(2)-(4), 30(2), 32, 33(2), 37(1); EDPB Guidelines 3/2018"
	contains(uk.detail, "outside the UK (Art. 44)")
}

test_third_party_processor_return_is_a_question_until_recorded if {
	f := finding(us_with_ie_processor([ie_transfer([])], []), "GDPR-PROCESSOR-RETURN-REVIEW")
	is(f, "GDPR-PROCESSOR-RETURN-REVIEW", "needs_review", "medium", ["activities[0].transfers[0].onward_transfers", "activities[0].transfers[0].to_country"], "GDPR Art. 44, 46; EDPB Guidelines 05/2021, Example 3; Decision (EU) 2021/914")
	contains(f.detail, "Does it send the data back to, or let it be reached by, the vendor in US?")
	contains(f.detail, "Record it in activities[0].transfers[0].onward_transfers with its mechanism.")

	# a return to the vendor's country recorded: answered
	back := us_with_ie_processor([ie_transfer([fixtures.transfer({"to_country": "US", "recipient": "Vendor Inc"})])], [])
	lacks(back, "GDPR-PROCESSOR-RETURN-REVIEW")

	# a processor known only from processors[]: the customer or the vendor, recorded nowhere yet
	only := finding(us_with_ie_processor([], [ie_proc(true)]), "GDPR-PROCESSOR-RETURN-REVIEW")
	only.fields == ["processors[0].country"]
	contains(only.detail, "the customer in US; the vendor in US")
	contains(only.detail, "Record it in activities[].transfers (a transfer to it, with the return in its onward_transfers)")

	# engaged by a recipient in the EU: no return abroad to ask about
	fr := us_with_ie_processor([fixtures.transfer({"to_country": "FR", "recipient": "Paris SAS", "recipient_type": "processor", "onward_transfers": [fixtures.transfer({"to_country": "IE", "recipient": "Docklands Ltd", "recipient_type": "sub_processor"})]})], [])
	[x | some x in gdpr.findings; x.id == "GDPR-PROCESSOR-RETURN-REVIEW"; contains(x.detail, "Docklands")] == [] with input as fr
}

test_third_party_processor_contract_is_its_own if {
	# its DPA not signed: raised for it, not for a processor outside the territory
	inp := us_with_ie_processor([], [ie_proc(false), {"name": "AWS", "country": "US", "service": "hosting", "dpa_signed": false, "baa_signed": false}])
	f := finding(inp, "GDPR-PROCESSOR-NO-DPA")
	f.fields == ["processors[0].dpa_signed"]
	f.severity == "blocker"
}

test_third_party_processor_adds_nothing_where_the_customer_is_established if {
	inp := fixtures.with_activity({"transfers": [ie_transfer([])]})
	gdpr.third_party_only == set() with input as inp
	lacks(inp, "GDPR-PROCESSOR-ESTABLISHED")
	lacks(inp, "GDPR-PROCESSOR-RETURN-REVIEW")
}

test_third_party_processor_tia if {
	# its SCC transfer to India needs the transfer impact assessment, the processor being the exporter
	f := finding(us_with_ie_processor([ie_transfer([fixtures.transfer({"to_country": "IN", "recipient": "Pune team", "recipient_type": "sub_processor"})])], []), "GDPR-TRANSFER-TIA")
	f.detail == "Transfers to IN rely on scc."
}

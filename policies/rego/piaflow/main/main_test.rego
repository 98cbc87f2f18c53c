package piaflow.main_test

import data.piaflow.fixtures
import data.piaflow.main
import data.piaflow.regimes

result(inp) := r if {
	r := main.result with input as inp
}

acme_finding(severity) := {
	"id": "ACME-BYOD",
	"regime": "custom",
	"kind": "violation",
	"severity": severity,
	"title": "Personal devices",
	"detail": "Staff use personal devices.",
	"citation": {"ref": "ACME policy 4.2", "url": "https://intranet.example.com/policy"},
	"fields": ["security.access_control"],
	"action": {"title": "Enrol devices", "owner": "engineering"},
}

test_ready_for_the_compliant_baseline if {
	r := result(fixtures.baseline)
	r.verdict == "ready"
	r.as_of == "2026-11-25"
	r.findings == []
	r.transfers == []
	r.localisation == []
	[e.id | some e in r.regimes] == ["gdpr"]
	r.dpia.level == "not_required"
	r.dpia.required == false
	[x.id | some x in r.risks] == ["illegitimate_access", "unwanted_modification", "disappearance"]
}

test_info_findings_keep_the_verdict_ready if {
	inp := fixtures.with_activity({"transfers": [fixtures.transfer({"recipient_type": "own_staff", "mechanism": "none"})]})
	r := result(inp)
	[f.id | some f in r.findings] == ["GDPR-OWN-STAFF-ACCESS"]
	r.verdict == "ready"
}

test_conditional_with_a_medium_finding if {
	r := result(fixtures.security_with({"mfa": false}))
	r.verdict == "conditional"
	[f.id | some f in r.findings] == ["GDPR-SEC-MFA"]
}

test_blocked_with_a_blocker if {
	inp := fixtures.input_with({
		"processors": [{"name": "Zendesk", "country": "US", "service": "support", "dpa_signed": false, "baa_signed": false}],
		"security": {"mfa": false},
	})
	r := result(inp)
	r.verdict == "blocked"
	{f.id | some f in r.findings} == {"GDPR-PROCESSOR-NO-DPA", "GDPR-SEC-MFA"}
}

test_findings_of_every_package_are_collected if {
	# GDPR (Art. 9), transfers (no mechanism), national (PIPL representative and PIPIA),
	# DPIA (Art. 35(3)(b)), HIPAA (status unknown) and DOJ DSP (bulk health data reachable from China)
	inp := fixtures.input_with({
		"hosting": fixtures.hosting_in("DE", {}),
		"governance": {"local_representative": false},
		"processors": [{"name": "Shenzhen Support", "country": "CN", "service": "support", "dpa_signed": true, "baa_signed": true}],
		"activities": [object.union(fixtures.activity, {
			"data_categories": ["contact", "health"],
			"data_subjects": [fixtures.subjects("patients", ["DE", "US", "CN"], 20000)],
			"transfers": [fixtures.transfer({"to_country": "IN", "mechanism": "none"})],
		})],
	})
	r := result(inp)
	ids := {f.id | some f in r.findings}
	every id in {
		"GDPR-ART9-CONDITION", "GDPR-TRANSFER-NO-MECHANISM", "CN-PIPL-REPRESENTATIVE", "CN-PIPL-IMPACT-ASSESSMENT",
		"GDPR-DPIA-REQUIRED", "HIPAA-STATUS-UNKNOWN", "US-DSP-COUNTRY-OF-CONCERN",
	} {
		id in ids
	}
	r.verdict == "blocked"
	{e.id | some e in r.regimes} == {"gdpr", "cn_pipl", "us_dsp"}
	count(r.transfers) > 0
	r.dpia.level == "required"
	r.dpia.national[0].regime == "cn_pipl"
}

test_hipaa_regime_in_the_result if {
	inp := fixtures.input_with({
		"deployment": {"customer_country": "US", "vendor_country": "US", "us_hipaa": {"customer_is_covered_entity": true}},
		"hosting": fixtures.hosting_in("US", {}),
		"activities": [object.union(fixtures.activity, {"data_categories": ["health"], "data_subjects": [fixtures.subjects("patients", ["US"], 100)]})],
	})
	r := result(inp)
	[e.id | some e in r.regimes] == ["us_hipaa"]

	# US state laws are not in the library: never ready on that assumption
	[f.id | some f in r.findings] == ["COVERAGE-GAPS"]
	r.coverage.status == "partial"
	r.verdict == "conditional"
}

test_no_law_is_not_ready if {
	inp := fixtures.input_with({
		"deployment": {"customer_country": "US", "vendor_country": "US"},
		"hosting": fixtures.hosting_in("US", {}),
		"activities": [object.union(fixtures.activity, {"data_subjects": [fixtures.subjects("customers", ["US"], 100)]})],
	})
	r := result(inp)
	r.regimes == []
	{f.id | some f in r.findings} == {"COVERAGE-NO-LAW"}
	r.coverage.status == "none"
	r.verdict == "conditional"
}

test_localisation_in_the_result if {
	inp := fixtures.input_with({
		"deployment": {"customer_country": "RU"},
		"activities": [object.union(fixtures.activity, {"data_subjects": [fixtures.subjects("customers", ["RU"], 100)]})],
	})
	r := result(inp)
	[l.rule | some l in r.localisation] == ["citizens_collection_2025"]
	r.localisation[0].satisfied == false
	[t.verdict | some t in r.transfers] == ["localisation_required"]
	r.verdict == "blocked"
}

test_custom_findings_are_collected if {
	r := main.result with input as fixtures.baseline with data.piaflow.custom as {"acme": {"findings": [acme_finding("high")]}}
	r.findings == [acme_finding("high")]
	r.verdict == "conditional"
}

test_custom_blocker_blocks if {
	custom := {
		"acme": {"findings": [acme_finding("blocker")]},
		"other": {"findings": [object.union(acme_finding("info"), {"id": "OTHER-NOTE"})]},
	}
	r := main.result with input as fixtures.baseline with data.piaflow.custom as custom
	{f.id | some f in r.findings} == {"ACME-BYOD", "OTHER-NOTE"}
	r.verdict == "blocked"
}

test_custom_info_finding_keeps_ready if {
	r := main.result with input as fixtures.baseline with data.piaflow.custom as {"acme": {"findings": [acme_finding("info")]}}
	count(r.findings) == 1
	r.verdict == "ready"
}

test_every_rule_package_contributes_findings_and_regimes if {
	# a package under data.piaflow.rules is collected without naming it in main
	extra := {
		"findings": {object.union(acme_finding("high"), {"id": "EXTRA-NOTE", "regime": "extra"})},
		"regime": {{"id": "extra", "name": "Extra law"}},
	}

	# data.piaflow.rules.extra does not exist: the test stands in for a new package
	# regal ignore:unresolved-reference
	r := main.result with input as fixtures.baseline with data.piaflow.rules.extra as extra
	[f.id | some f in r.findings] == ["EXTRA-NOTE"]
	{e.id | some e in r.regimes} == {"gdpr", "extra"}
	r.verdict == "conditional"
}

# --- conditional laws --------------------------------------------------------------------------

# vn_to_cn(patch): a Vietnamese customer whose activity (patched) has people in China, hosted in
# Singapore without a mechanism.
vn_to_cn(patch) := fixtures.input_with({
	"deployment": {"customer_country": "VN", "vendor_country": "VN"},
	"hosting": fixtures.hosting_in("SG", {"mechanism": "none", "regulator_filing": "filed"}),
	"governance": {"local_representative": false},
	"activities": [object.union_n([fixtures.activity, {"data_subjects": [fixtures.subjects("customers", ["CN"], 500)], "data_categories": ["contact", "health"]}, patch])],
})

pipl := {"regime": "cn_pipl", "short": "PIPL"}

test_findings_of_a_conditional_law_are_reviews_at_most_medium if {
	r := result(vn_to_cn({}))
	cn := [f | some f in r.findings; f.regime == "cn_pipl"]
	{f.id | some f in cn} == {"CN-PIPL-SCOPE-REVIEW", "CN-PIPL-TRANSFER-NO-MECHANISM", "CN-PIPL-REPRESENTATIVE", "CN-PIPL-IMPACT-ASSESSMENT"}
	others := [f | some f in cn; f.id != "CN-PIPL-SCOPE-REVIEW"]
	count(others) == 3
	every f in others {
		f.kind == "needs_review"
		f.severity in {"medium", "low", "info"}
		startswith(f.title, "If PIPL applies: PIPL: ")
		endswith(f.detail, "(Conditional: whether PIPL reaches this processing is open; answer activities[0].monitored_countries, activities[0].targeted_countries.)")
	}
	r.verdict == "conditional"
	[[t.regime, t.status, t.conditional] | some t in r.transfers; t.regime == "cn_pipl"] == [["cn_pipl", "conditional", true]]
	[e.certainty | some e in r.regimes; e.id == "cn_pipl"] == ["conditional"]
	some nm in cn
	nm.id == "CN-PIPL-TRANSFER-NO-MECHANISM"
	nm.severity == "medium"
	nm.title == "If PIPL applies: PIPL: Transfer without a mechanism"
	nm.fields == ["hosting[0].country", "hosting[0].mechanism"]
	nm.action == {"title": "Put in place a transfer mechanism accepted under PIPL before data flows", "owner": "legal", "due": "2027-03-01", "title_msg": {"id": "rule.*-TRANSFER-NO-MECHANISM.action", "params": {"law": pipl}}}
	nm.title_msg == {"id": "conditional.title", "params": {"law": pipl, "title": {"id": "rule.*-TRANSFER-NO-MECHANISM.title", "params": {"law": pipl}}}}
	some sr in cn
	sr.id == "CN-PIPL-SCOPE-REVIEW"
	sr.severity == "high"
}

test_findings_of_a_firm_law_keep_their_weight if {
	r := result(vn_to_cn({"targeted_countries": ["CN"]}))
	ids := {f.id | some f in r.findings}
	not "CN-PIPL-SCOPE-REVIEW" in ids
	r.verdict == "blocked"
	[[t.status, t.conditional] | some t in r.transfers; t.regime == "cn_pipl"] == [["missing_mechanism", false]]
	some f in r.findings
	f.id == "CN-PIPL-TRANSFER-NO-MECHANISM"
	f.severity == "blocker"
	f.kind == "violation"
	f.title == "PIPL: Transfer without a mechanism"
}

test_answered_none_removes_the_law if {
	r := result(vn_to_cn({"targeted_countries": [], "monitored_countries": []}))
	count([f | some f in r.findings; f.regime == "cn_pipl"]) == 0
	count([t | some t in r.transfers; t.regime == "cn_pipl"]) == 0
	not "cn_pipl" in {e.id | some e in r.regimes}
}

# a conditional finding's messages nest the finding's own; a detail without a message stays plain
# (no stale detail_msg of the unconditional text).
test_conditional_nests_the_messages if {
	cond := {"question": ["q.a", "q.b"], "short": "PIPL"}
	f := {
		"id": "CN-PIPL-X", "regime": "cn_pipl", "severity": "high", "title": "PIPL: X", "detail": "D.",
		"title_msg": {"id": "rule.*-X.title", "params": {"law": pipl}},
		"detail_msg": {"id": "x.d", "params": {}},
		"action": {"title": "Do", "owner": "legal", "title_msg": {"id": "rule.*-X.action", "params": {}}},
	}
	c := main.conditional(f) with regimes.conditional_regimes as {"cn_pipl": cond} with input as fixtures.baseline
	c.title == "If PIPL applies: PIPL: X"
	c.title_msg == {"id": "conditional.title", "params": {"law": pipl, "title": f.title_msg}}
	c.detail_msg == {"id": "conditional.detail", "params": {"law": pipl, "detail": f.detail_msg, "fields": "q.a, q.b"}}
	c.action == {"title": "Do", "owner": "legal", "due": "2027-03-01", "title_msg": {"id": "rule.*-X.action", "params": {}}}
	plain := main.conditional(object.remove(f, ["detail_msg"])) with regimes.conditional_regimes as {"cn_pipl": cond} with input as fixtures.baseline
	not plain.detail_msg
	plain.title_msg == c.title_msg
	plain.detail == "D. (Conditional: whether PIPL reaches this processing is open; answer q.a, q.b.)"
}

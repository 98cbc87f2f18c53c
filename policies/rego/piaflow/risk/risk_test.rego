package piaflow.risk_test

import data.piaflow.fixtures
import data.piaflow.risk

cnil := {"ref": "CNIL, Privacy Impact Assessment - Methodology (2018), sections 3.2-3.3", "url": "https://www.cnil.fr/en/privacy-impact-assessment-pia"}

risks(inp) := {r.id: r | some r in rs} if {
	rs := risk.feared_events with input as inp
}

# levels: [severity, likelihood, residual severity, residual likelihood] per feared event.
levels(inp) := {id: [r.severity, r.likelihood, r.residual_severity, r.residual_likelihood] | some id, r in risks(inp)}

weak_security := {
	"encryption_at_rest": false, "encryption_in_transit": false, "access_control": "shared_accounts",
	"mfa": false, "audit_logging": false, "backups": false, "backup_restore_tested": false,
	"incident_response_plan": false, "vulnerability_management": false, "integrity_controls": false,
}

# large-scale health data, weak security, a processor reaching the data from abroad
weak := fixtures.with_activity_and(
	{"data_categories": ["contact", "health"], "data_subjects": [fixtures.subjects("patients", ["DE"], 20000)], "transfers": [fixtures.transfer({})]},
	{"security": weak_security},
)

test_risks_for_strong_security if {
	rs := risk.feared_events with input as fixtures.baseline
	[object.remove(r, ["why_msg"]) | some r in rs] == [
		{"id": "illegitimate_access", "severity": 2, "likelihood": 1, "residual_severity": 2, "residual_likelihood": 1, "why": "severity 2 from ordinary personal data; likelihood from no weakness found", "citation": cnil},
		{"id": "unwanted_modification", "severity": 1, "likelihood": 1, "residual_severity": 1, "residual_likelihood": 1, "why": "severity 1 from ordinary personal data; likelihood from no weakness found", "citation": cnil},
		{"id": "disappearance", "severity": 1, "likelihood": 2, "residual_severity": 1, "residual_likelihood": 2, "why": "severity 1 from ordinary personal data; likelihood from no replica, backup or disaster-recovery site", "citation": cnil},
	]
	rs[2].why_msg == {"id": "risk.why", "params": {
		"severity": 1,
		"basis": {"id": "risk.basis.ordinary", "params": {}},
		"weaknesses": {"sep": ", ", "items": [{"id": "risk.weak.one_site", "params": {}}]},
	}}
	rs[0].why_msg.params.weaknesses == {"id": "risk.weak.none", "params": {}}
}

test_risks_for_weak_security if {
	levels(weak) == {
		"illegitimate_access": [4, 4, 4, 2],
		"unwanted_modification": [4, 4, 4, 1],
		"disappearance": [4, 3, 4, 2],
	}
	rs := risks(weak)
	rs.illegitimate_access.why == "severity 4 from special or criminal data (health) on a large scale; likelihood from no encryption at rest, no multi-factor authentication, no individual access control, no encryption in transit, other organisations or countries can reach the data"
	rs.unwanted_modification.why == "severity 4 from special or criminal data (health) on a large scale; likelihood from no integrity controls recorded, no audit logging, no individual access control, no encryption in transit"
	rs.disappearance.why == "severity 4 from special or criminal data (health) on a large scale; likelihood from no backups, no incident response plan, no replica, backup or disaster-recovery site"
	rs.disappearance.why_msg.id == "risk.why.large"
	rs.disappearance.why_msg.params.basis == {"id": "risk.basis.special", "params": {"categories": {"sep": ", ", "items": ["health"]}}}
	[i.id | some i in rs.disappearance.why_msg.params.weaknesses.items] == ["risk.weak.no_backups", "risk.weak.no_incident_response_plan", "risk.weak.one_site"]
}

test_likelihood_scale if {
	# one weakness: 2; two or three: 3
	levels(fixtures.security_with({"mfa": false})).illegitimate_access == [2, 2, 2, 1]
	levels(fixtures.security_with({"mfa": false, "encryption_at_rest": false})).illegitimate_access == [2, 3, 2, 1]
	levels(fixtures.security_with({"audit_logging": false, "integrity_controls": false, "encryption_in_transit": false})).unwanted_modification == [1, 3, 1, 1]
}

test_sensitive_data_and_pseudonymisation if {
	inp := fixtures.with_activity({"data_categories": ["contact", "financial"]})
	levels(inp).illegitimate_access == [3, 1, 3, 1]
	levels(inp).unwanted_modification == [2, 1, 2, 1] # one step lower than disclosure
	rs := risks(inp)
	startswith(rs.illegitimate_access.why, "severity 3 from sensitive data (financial);")

	pseudo := fixtures.with_activity_and({"data_categories": ["contact", "financial"]}, {"security": {"pseudonymisation": true}})
	levels(pseudo).illegitimate_access == [2, 1, 2, 1]
	startswith(risks(pseudo).illegitimate_access.why, "severity 2 from sensitive data (financial), lowered by pseudonymisation;")
}

test_severity_never_below_1 if {
	inp := fixtures.security_with({"pseudonymisation": true})
	levels(inp).illegitimate_access == [1, 1, 1, 1]
	levels(inp).unwanted_modification == [1, 1, 1, 1]
}

test_large_scale_raises_only_sensitive_data if {
	# ordinary data of 50,000 people stays at 2
	levels(fixtures.with_activity({"data_subjects": [fixtures.subjects("customers", ["DE"], 50000)]})).illegitimate_access == [2, 1, 2, 1]

	# special data of 50,000 people goes to 4; without health, modification is one step lower
	inp := fixtures.with_activity({"data_categories": ["biometric"], "data_subjects": [fixtures.subjects("customers", ["DE"], 50000)]})
	levels(inp).illegitimate_access == [4, 1, 4, 1]
	levels(inp).unwanted_modification == [3, 1, 3, 1]
}

test_exposure_through_processors_and_transfers if {
	# a processor that may hold the keys (key_access omitted)
	inp := fixtures.input_with({"processors": [{"name": "AWS", "country": "US", "service": "hosting", "dpa_signed": true, "baa_signed": true}]})
	levels(inp).illegitimate_access == [2, 2, 2, 2]
	endswith(risks(inp).illegitimate_access.why, "likelihood from other organisations or countries can reach the data")

	# own staff abroad are not another organisation
	own := fixtures.with_activity({"transfers": [fixtures.transfer({"recipient_type": "own_staff"})]})
	levels(own).illegitimate_access == [2, 1, 2, 1]
}

test_second_site_lowers_disappearance if {
	inp := fixtures.input_with({"hosting": [
		{"name": "primary", "provider": "aws", "region": "eu-central-1", "country": "DE", "role": "primary"},
		{"name": "backup", "provider": "aws", "region": "eu-west-1", "country": "IE", "role": "backup"},
	]})
	levels(inp).disappearance == [1, 1, 1, 1]
	risk.one_site == false with input as inp
}

test_untested_restore_is_a_weakness_only_with_backups if {
	# the baseline has a single hosting site: restore untested + one site = 3, then 2 after the actions
	levels(fixtures.security_with({"backup_restore_tested": false})).disappearance == [1, 3, 1, 2]
	risks(fixtures.security_with({"backup_restore_tested": false})).disappearance.why == "severity 1 from ordinary personal data; likelihood from restore never tested, no replica, backup or disaster-recovery site"
	levels(fixtures.security_with({"backups": false, "backup_restore_tested": false})).disappearance == [1, 3, 1, 2]
}

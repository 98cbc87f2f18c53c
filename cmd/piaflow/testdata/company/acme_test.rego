package piaflow.custom.acme_test

import data.piaflow.custom.acme
import data.piaflow.fixtures

test_cmk_required_for_health if {
	inp := fixtures.input_with({
		"activities": [object.union(fixtures.activity, {"data_categories": ["health"]})],
		"security": object.union(fixtures.questionnaire.security, {"customer_managed_keys": false}),
	})
	some f in acme.findings with input as inp
	f.id == "ACME-SEC-7-CMK"
}

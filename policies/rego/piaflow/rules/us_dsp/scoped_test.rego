package piaflow.rules.us_dsp_test

import data.piaflow.fixtures
import data.piaflow.rules.us_dsp

# A finding of a transaction whose US party is not certain (the baseline: customer and vendor in
# Germany): its detail_msg nests the finding's own, a plain detail stays plain, and the action
# keeps its title message with the capped severity's due date.
scoped_finding := {
	"id": "US-DSP-X", "regime": "us_dsp", "kind": "violation", "severity": "blocker",
	"title": "X", "detail": "D.", "fields": ["a"],
	"detail_msg": {"id": "us_dsp.x", "params": {}},
	"action": {"title": "Do", "owner": "legal", "due": "2027-01-30", "title_msg": {"id": "rule.US-DSP-X.action", "params": {}}},
}

test_scoped_nests_the_detail_message if {
	f := us_dsp.scoped(scoped_finding) with input as fixtures.baseline
	f.severity == "medium"
	f.detail == "D. The rule binds US persons: is a US person (the customer, a US establishment of it, or the vendor) party to the transaction?"
	f.detail_msg == {"id": "us_dsp.unscoped", "params": {"detail": {"id": "us_dsp.x", "params": {}}}}
	f.action == {"title": "Do", "owner": "legal", "due": "2027-03-01", "title_msg": {"id": "rule.US-DSP-X.action", "params": {}}}
}

test_scoped_plain_detail_stays_plain if {
	f := us_dsp.scoped(object.remove(scoped_finding, ["detail_msg"])) with input as fixtures.baseline
	not f.detail_msg
	f.kind == "needs_review"
}

# The recipient scope of adequacy decisions (transfer.adequacy[].recipient).
package piaflow.rules.transfers_test

import data.piaflow.fixtures
import data.piaflow.rules.transfers

# to_recipient(country, patch, act): a German customer's transfer to `country`, the transfer
# patched, the activity patched.
to_recipient(country, patch, act) := fixtures.with_activity(object.union(act, {"transfers": [fixtures.transfer(object.union({"to_country": country, "mechanism": "none"}, patch))]}))

test_canada_public_body_is_not_covered if {
	f := flow(to_recipient("CA", {"recipient_public_body": false}, {}), "gdpr", t0)
	f.basis == "adequacy"
	f.adequacy_review == []
	endswith(f.why, "Decision 2002/2/EC covers recipients subject to PIPEDA (organisations in commercial activities), not Canadian public bodies.")
	count(transfers.findings) == 0 with input as to_recipient("CA", {"recipient_public_body": false}, {})

	public := to_recipient("CA", {"recipient_public_body": true}, {})
	g := flow(public, "gdpr", t0)
	g.verdict == "mechanism_required"
	endswith(g.why, "The adequacy decision for CA does not cover this recipient: Decision 2002/2/EC covers recipients subject to PIPEDA (organisations in commercial activities), not Canadian public bodies.")
	"GDPR-TRANSFER-NO-MECHANISM" in ids(public)
}

test_adequacy_scope_review_when_the_recipient_fact_is_missing if {
	inp := to_recipient("CA", {}, {})
	f := flow(inp, "gdpr", t0)
	f.basis == "adequacy"
	f.adequacy_review == ["activities[0].transfers[0].recipient_public_body"]
	plain(finding(inp, "GDPR-ADEQUACY-SCOPE-REVIEW")) == {
		"id": "GDPR-ADEQUACY-SCOPE-REVIEW",
		"regime": "gdpr",
		"kind": "needs_review",
		"severity": "low",
		"title": "GDPR: Adequacy decision covers only some recipients",
		"detail": sprintf("Support Inc (remote_access) in CA: Customer accounts of people in DE. %s Answer activities[0].transfers[0].recipient_public_body.", [f.why]),
		"citation": {"ref": "Commission Decision 2002/2/EC (Canada, PIPEDA)", "url": "https://commission.europa.eu/law/law-topic/data-protection/international-dimension-data-protection/adequacy-decisions_en"},
		"fields": ["activities[0].transfers[0].mechanism", "activities[0].transfers[0].recipient_public_body", "activities[0].transfers[0].to_country"],
		"action": {"title": "Confirm the recipient falls within the adequacy decision relied on under GDPR", "owner": "legal", "due": "2027-05-30"},
	}
}

test_korea_credit_information_of_financial_recipients if {
	fin := to_recipient("KR", {"recipient_sector": "finance"}, {"data_categories": ["contact", "financial"]})
	flow(fin, "gdpr", t0).verdict == "mechanism_required"

	# other data to the same recipient, or the same data to a retailer: adequate
	flow(to_recipient("KR", {"recipient_sector": "finance"}, {}), "gdpr", t0).basis == "adequacy"
	flow(to_recipient("KR", {"recipient_sector": "retail"}, {"data_categories": ["contact", "financial"]}), "gdpr", t0).basis == "adequacy"

	# financial data to a recipient of unknown sector: adequate, reviewed
	open := to_recipient("KR", {}, {"data_categories": ["contact", "financial"]})
	flow(open, "gdpr", t0).adequacy_review == ["activities[0].transfers[0].recipient_sector"]
	flow(to_recipient("KR", {}, {}), "gdpr", t0).adequacy_review == []
}

cert(covered) := {"recipient_certifications": ["eu_us_dpf"], "recipient_certification_covered_data": covered}

test_us_dpf_covered_data if {
	hr := {"data_subjects": [fixtures.subjects("employees", ["DE"], 50)]}

	# employees' data to a recipient certified for non-HR data only: not covered
	flow(to_recipient("US", cert("non_hr"), hr), "gdpr", t0).verdict == "mechanism_required"
	flow(to_recipient("US", cert("hr"), hr), "gdpr", t0).basis == "adequacy"
	flow(to_recipient("US", cert("both"), hr), "gdpr", t0).basis == "adequacy"
	flow(to_recipient("US", cert("non_hr"), {}), "gdpr", t0).basis == "adequacy"

	# customers and employees in one activity need both
	mixed := {"data_subjects": [fixtures.subjects("employees", ["DE"], 50), fixtures.subjects("customers", ["DE"], 50)]}
	flow(to_recipient("US", cert("hr"), mixed), "gdpr", t0).verdict == "mechanism_required"
}

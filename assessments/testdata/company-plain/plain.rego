# Company rule fixture: reads the questionnaire and the library's helpers only (neither the
# assessment date nor the law documents), so carrying an assessment over stays possible.
package piaflow.custom.plain

import data.piaflow.lib

# METADATA
# title: Health data without customer-managed keys
# description: ACME policy SEC-7 requires customer-managed keys wherever health data is stored.
# related_resources:
#   - ref: https://intranet.example.com/policies/sec-7
#     description: ACME security policy SEC-7
# custom:
#   id: ACME-SEC-7-CMK
#   regime: acme
#   ref: ACME SEC-7
#   kind: violation
#   severity: high
#   owner: engineering
#   action: Switch the database and backups to customer-managed keys
findings contains lib.finding(rego.metadata.rule(), "Health data is stored without customer-managed keys.", ["security.customer_managed_keys"]) if {
	some a in input.questionnaire.activities
	"health" in a.data_categories
	not input.questionnaire.security.customer_managed_keys
}

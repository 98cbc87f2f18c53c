# Company rule example for piaflow policies list --uncertain: a rule marked for confirmation.
package piaflow.custom.acme

# METADATA
# title: Backups outside the customer's country
# description: ACME policy SEC-9 keeps backups in the customer's country.
# related_resources:
#   - ref: https://intranet.example.com/policies/sec-9
#     description: ACME security policy SEC-9
# custom:
#   id: ACME-SEC-9-BACKUPS
#   regime: acme
#   ref: ACME SEC-9
#   kind: violation
#   severity: medium
#   owner: engineering
#   action: Keep a backup in the customer's country
#   confirm: SEC-9 is being revised; check the current wording with the CISO.
findings contains data.piaflow.lib.finding(rego.metadata.rule(), "Backups are kept outside the customer's country.", ["hosting"]) if {
	some h in input.questionnaire.hosting
	h.role == "backup"
	h.country != input.questionnaire.deployment.customer_country
}

# Company rule fixture: reads the assessment date only through lib.ended, with a date it computes
# from the questionnaire (go_live + 365 days), a date neither the bundle nor SameOn's windows hold.
package piaflow.custom.anniv

import data.piaflow.lib

# METADATA
# title: Yearly review overdue
# description: ACME policy REV-1 asks for a review of every deployment once a year after go-live.
# related_resources:
#   - ref: https://intranet.example.com/policies/rev-1
#     description: ACME review policy REV-1
# custom:
#   id: ACME-REV-1
#   regime: acme
#   ref: ACME REV-1
#   kind: gap
#   severity: high
#   owner: engineering
#   action: Review the deployment
findings contains lib.finding(rego.metadata.rule(), "More than a year has passed since go-live: review the deployment.", ["deployment.go_live"]) if {
	lib.ended({"effective_to": lib.add_days(input.questionnaire.deployment.go_live, 365, "days")})
}

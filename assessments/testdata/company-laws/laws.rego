# Company rule fixture: reads every jurisdiction document, whatever the countries the
# questionnaire names (it counts the laws whose scope covers citizens).
package piaflow.custom.laws

import data.piaflow.lib

# METADATA
# title: Laws covering citizens
# description: ACME policy LIB-1 reports how many laws of the library cover citizens abroad.
# related_resources:
#   - ref: https://intranet.example.com/policies/lib-1
#     description: ACME library policy LIB-1
# custom:
#   id: ACME-LIB-1
#   regime: acme
#   ref: ACME LIB-1
#   kind: gap
#   severity: low
#   owner: legal
#   action: Review the laws covering citizens
findings contains lib.finding(rego.metadata.rule(), sprintf("The library's laws count %d with citizens scope.", [n]), ["deployment.sector"]) if {
	n := count([j | some j in data.piaflow.jurisdictions; j.scope.citizens])
}

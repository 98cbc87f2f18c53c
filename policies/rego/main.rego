# METADATA
# title: piaflow assessment
# description: >-
#   Assembles the assessment of one questionnaire (contract v1): applicable regimes, DPIA
#   screening, findings from every rule package (and company rules under
#   data.piaflow.custom.<name>.findings), transfer and localisation verdicts, risks, verdict.
package piaflow.main

import data.piaflow.dpia
import data.piaflow.gdpr
import data.piaflow.hipaa
import data.piaflow.lib
import data.piaflow.national
import data.piaflow.regimes
import data.piaflow.risk
import data.piaflow.transfers
import data.piaflow.us_dsp

all_findings := ((((gdpr.findings | hipaa.findings) | transfers.findings) | national.findings) | dpia.findings) | us_dsp.findings | custom_findings

custom_findings contains f if {
	some name
	some f in data.piaflow.custom[name].findings
}

verdict := "blocked" if {
	some f in all_findings
	f.severity == "blocker"
} else := "conditional" if {
	some f in all_findings
	f.severity != "info"
} else := "ready"

result := {
	"as_of": lib.as_of,
	"verdict": verdict,
	"regimes": [r | some r in ((regimes.entries | hipaa.regime) | us_dsp.regime)],
	"dpia": dpia.result,
	"findings": [f | some f in all_findings],
	"transfers": [transfer_row(f) | some f in transfers.all_flows],
	"localisation": [l | some l in transfers.localisation],
	"risks": risk.risks,
}

# transfer_row is a flow as the assessment lists it; piaflow expands from_countries into one
# transfers[] entry per subject country.
transfer_row(f) := object.remove(f, ["jurisdiction", "activity_index", "needed_filing", "filing_within_days", "filing_field", "exemption", "filing"])

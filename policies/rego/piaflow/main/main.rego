# METADATA
# title: piaflow assessment
# description: >-
#   Assembles the assessment of one questionnaire (contract v1): applicable regimes, DPIA
#   screening, findings, transfer and localisation verdicts, risks, verdict. Findings and
#   regimes come from every package under data.piaflow.rules (each may define `findings` and
#   `regime`, both sets) and from company rules under data.piaflow.custom.<name>.findings; a new
#   rule package needs no edit here.
package piaflow.main

import data.piaflow.lib
import data.piaflow.regimes
import data.piaflow.risk
import data.piaflow.rules.dpia
import data.piaflow.rules.transfers

# METADATA
# title: Findings of the built-in rule packages
# description: Every finding of every package under data.piaflow.rules.
builtin_findings contains data.piaflow.rules[_].findings[_]

# METADATA
# scope: document
# title: Regimes the built-in rule packages make applicable
# description: >-
#   The regimes of the jurisdiction data (data.piaflow.regimes) and those a rule package
#   declares itself (HIPAA, DOJ DSP).
applicable_regimes contains r if {
	some r in regimes.entries
}

applicable_regimes contains data.piaflow.rules[_].regime[_]

all_findings := builtin_findings | custom_findings

# METADATA
# title: Findings of the company rules
# description: Every finding of every package under data.piaflow.custom (piaflow --policies DIR).
custom_findings contains data.piaflow.custom[_].findings[_]

# METADATA
# scope: document
# title: Verdict
# description: blocked with a blocker finding, conditional with any finding above info, else ready.
default verdict := "ready"

verdict := "blocked" if {
	some f in all_findings
	f.severity == "blocker"
} else := "conditional" if {
	some f in all_findings
	f.severity != "info"
}

# METADATA
# title: The assessment
# description: >-
#   The assessment document the engine returns for one questionnaire (data.piaflow.main.result,
#   the only query piaflow evaluates).
# entrypoint: true
result := {
	"as_of": lib.as_of,
	"verdict": verdict,
	"regimes": [r | some r in applicable_regimes],
	"dpia": dpia.result,
	"findings": [f | some f in all_findings],
	"transfers": [transfer_row(f) | some f in transfers.all_flows],
	"localisation": [l | some l in transfers.localisation],
	"risks": risk.feared_events,
}

# transfer_row is a flow as the assessment lists it; piaflow expands from_countries into one
# transfers[] entry per subject country.
transfer_row(f) := object.remove(f, ["jurisdiction", "activity_index", "needed_filing", "filing_within_days", "filing_field", "exemption", "filing"])

# METADATA
# title: piaflow assessment
# description: >-
#   Assembles the assessment of one questionnaire (contract v1): applicable regimes, DPIA
#   screening, findings, transfer and localisation verdicts, risks, the library's coverage of the
#   deployment's countries (COVERAGE-* findings: never ready when no law of the library applies or
#   a country's law is not covered), verdict. Findings and
#   regimes come from every package under data.piaflow.rules (each may define `findings` and
#   `regime`, both sets) and from company rules under data.piaflow.custom.<name>.findings; a new
#   rule package needs no edit here.
package piaflow.main

import data.piaflow.coverage
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

all_findings := ({conditional(f) | some f in builtin_findings} | custom_findings) | coverage.findings

# severity_cap: a finding of a law whose reach is not established is at most medium.
severity_cap := {"blocker": "medium", "high": "medium", "medium": "medium", "low": "low", "info": "info"}

# conditional(f): a finding of a law that applies only conditionally (regimes.conditional_regimes:
# its targeting or monitoring test, or legal's answer, is open) becomes a needs_review finding of
# at most medium severity, titled "If <law> applies: ...", naming the questionnaire fields that
# settle the question in its detail (not in its fields, which would change the finding's key); the
# law's scope review itself stays as it is. Never a blocker from a law whose reach is a guess.
# The new title and detail are messages nesting the finding's own (title_msg, detail_msg;
# docs/messages.md); a detail without detail_msg stays plain English.
# A finding resting on a third-party processor's own establishment (scope_basis
# processor_establishment: GDPR Art. 3(1), "a controller or a processor in the Union") binds that
# processor whatever the customer's targeting answers: it stays as it is (the mark is dropped).
conditional(f) := object.remove(f, ["scope_basis"]) if {
	f.scope_basis == "processor_establishment"
} else := object.union_n([
	object.remove(f, ["title_msg", "detail_msg"]),
	{
		"kind": "needs_review",
		"severity": sev,
		"title": sprintf("If %s applies: %s", [c.short, f.title]),
		"detail": sprintf("%s (Conditional: whether %s reaches this processing is open; answer %s.)", [f.detail, c.short, concat(", ", c.question)]),
		"action": lib.action_at(f.action, sev),
	},
	conditional_msgs(f, lib.law_param({"regime": conditional_regime(f.regime), "short": c.short}), c.question),
]) if {
	not endswith(f.id, "-SCOPE-REVIEW")
	c := conditional_law(f.regime)
	sev := severity_cap[f.severity]
} else := f

# conditional_msgs: the title_msg and detail_msg of a conditional finding, each present when the
# finding had its own.
conditional_msgs(f, law, question) := object.union(conditional_title_msg(f, law), conditional_detail_msg(f, law, question))

conditional_title_msg(f, law) := {"title_msg": {"id": "conditional.title", "params": {"law": law, "title": f.title_msg}}} if f.title_msg

else := {}

conditional_detail_msg(f, law, question) := {"detail_msg": {"id": "conditional.detail", "params": {"law": law, "detail": f.detail_msg, "fields": concat(", ", question)}}} if f.detail_msg

else := {}

# conditional_regime(regime): the regime whose reach is open for a finding of regime (itself, or
# the law an instrument is evaluated under).
conditional_regime(regime) := regime if regimes.conditional_regimes[regime]

else := transfers.instrument_parent[regime]

# conditional_law(regime): the open question of a conditional law, or of the law an instrument
# (e.g. the RBI directive) is evaluated under.
conditional_law(regime) := c if {
	c := regimes.conditional_regimes[regime]
} else := regimes.conditional_regimes[transfers.instrument_parent[regime]]

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
	"coverage": coverage.block,
}

# transfer_row is a flow as the assessment lists it (piaflow expands from_countries into one
# transfers[] entry per subject country), with: entry — the answer that decided it or where the
# missing one belongs; status — satisfied, missing_mechanism, invalid_mechanism, missing_filing,
# filing_due, prohibited, localisation_required, onward_review (an onward hop for legal to
# confirm), or conditional (unsatisfied under a law whose reach is not established); conditional —
# the law's reach is not established.
transfer_row(f) := object.union(
	object.remove(f, ["jurisdiction", "activity_index", "needed_filing", "filing_field", "exemption", "exemption_field", "filing", "need", "signed_on"]),
	{"conditional": is_conditional, "status": row_status(f.status, is_conditional)},
) if {
	is_conditional := conditional_row(f)
}

# conditional_row(f): the row's law reaches the deployment conditionally, and the row is not a
# third-party processor's own transfer (exporter_basis processor_establishment: firm by its
# establishment, Art. 3(1)).
conditional_row(f) := false if {
	f.exporter_basis == "processor_establishment"
} else := f.regime in conditional_ids

conditional_ids := object.keys(regimes.conditional_regimes)

row_status(status, is_conditional) := "conditional" if {
	is_conditional == true
	status != "satisfied"
} else := status

# METADATA
# title: National duties from jurisdiction data
# description: >-
#   Breach notification, data protection officer, impact assessment and local representative
#   duties of every applicable jurisdiction, read from policies/data/jurisdictions.
package piaflow.rules.national

import data.piaflow.facts
import data.piaflow.lib
import data.piaflow.regimes

# duty_cases(j, name): the cases of duty `name` (dpo, dpia, representative) that hold for an
# activity concerning j, with that activity.
duty_cases(j, name) := [{"case": d, "activity": i} |
	some d in object.get(j, name, [])
	lib.in_force(d)
	some i in facts.concerns[j.id]
	facts.holds(d.when, j, i, facts.duty_ctx(j))
]

case_fields(cases) := {sprintf("activities[%d].data_subjects", [c.activity]) | some c in cases}

# METADATA
# title: No breach notification process
# description: >-
#   The law applies and the team has no process to notify personal-data breaches within the
#   law's deadline.
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: e.g. GDPR Art. 33, 34 (the citation of each finding comes from the jurisdiction data)
# custom:
#   suffix: BREACH-PROCESS
#   kind: violation
#   severity: high
#   owner: customer
#   action: Set up a breach notification process that meets the %s deadline
findings contains lib.jfinding(rego.metadata.rule(), j, detail, ["governance.breach_notification_process"], j.breach.citation) if {
	not facts.governance.breach_notification_process
	some j in regimes.applicable
	detail := sprintf("%s requires breach notification to %s: %s. The questionnaire records no breach notification process.", [j.short, j.breach.to, j.breach.deadline])
}

# METADATA
# title: Data protection officer required
# description: >-
#   A case of the law's DPO rule holds and no DPO is appointed.
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: e.g. GDPR Art. 37 (the citation of each finding comes from the jurisdiction data)
# custom:
#   suffix: DPO
#   kind: violation
#   severity: high
#   owner: customer
#   action: Appoint the data protection officer required by %s
findings contains lib.jfinding(rego.metadata.rule(), j, detail, case_fields(cases) | {"governance.dpo_appointed"}, cases[0].case.citation) if {
	not facts.governance.dpo_appointed
	some j in regimes.applicable
	cases := duty_cases(j, "dpo")
	count(cases) > 0
	detail := sprintf("%s No DPO is appointed (governance.dpo_appointed).", [cases[0].case.text])
}

# METADATA
# title: Local representative required
# description: >-
#   The customer is not established in the country and the law requires a local representative of
#   foreign organisations it reaches; whether it reaches this customer is the scope question, so a
#   lawyer confirms.
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: e.g. GDPR Art. 27 (the citation of each finding comes from the jurisdiction data)
# custom:
#   suffix: REPRESENTATIVE
#   kind: needs_review
#   severity: high
#   owner: customer
#   action: Designate the local representative required by %s
findings contains lib.jfinding(rego.metadata.rule(), j, detail, case_fields(cases) | {"governance.local_representative", "deployment.customer_country"}, cases[0].case.citation) if {
	not facts.governance.local_representative
	some j in regimes.applicable
	cases := duty_cases(j, "representative")
	count(cases) > 0
	detail := sprintf("%s The customer is established in %s and no local representative is recorded.", [cases[0].case.text, facts.deployment.customer_country])
}

# METADATA
# title: Impact assessment required by national law
# description: >-
#   A case of the law's impact-assessment rule holds (e.g. PIPL Art. 55 PIPIA); the
#   questionnaire does not record that it was done, so it is asked for.
# related_resources:
#   - ref: http://en.npc.gov.cn.cdurl.cn/2021-12/29/c_694559_3.htm
#     description: e.g. PIPL Art. 55 (the citation of each finding comes from the jurisdiction data)
# custom:
#   suffix: IMPACT-ASSESSMENT
#   kind: gap
#   severity: medium
#   owner: legal
#   action: Carry out and document the impact assessment %s requires before processing starts
findings contains lib.jfinding(rego.metadata.rule(), j, detail, case_fields(cases), cases[0].case.citation) if {
	some j in regimes.applicable
	cases := duty_cases(j, "dpia")
	count(cases) > 0
	detail := sprintf("%s required: %s Has it been carried out and documented?", [object.get(cases[0].case, "name", "An impact assessment"), concat(" ", sort({c.case.text | some c in cases}))])
}

# impact_assessments: the dpia.national entries of the assessment.
impact_assessments contains e if {
	some j in regimes.applicable
	cases := duty_cases(j, "dpia")
	count(cases) > 0
	e := {
		"regime": j.regime,
		"name": object.get(cases[0].case, "name", "impact assessment"),
		"required": true,
		"why": concat(" ", sort({c.case.text | some c in cases})),
		"citation": cases[0].case.citation,
		"activities": sort({facts.activities[c.activity].name | some c in cases}),
	}
}

# METADATA
# title: Does the law reach a customer established abroad?
# description: >-
#   The law applies here only because its people are among the data subjects while the customer
#   is established elsewhere. Such laws reach foreign organisations only in defined cases, such as
#   offering goods or services to those people or monitoring their behaviour (e.g. GDPR Art. 3(2),
#   PIPL Art. 3(2)); whether the deployment is such a case is a legal judgment, and the other
#   findings of this law stand or fall with it.
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: e.g. GDPR Art. 3(2) (the citation of each finding comes from the jurisdiction data)
# custom:
#   suffix: SCOPE-REVIEW
#   kind: needs_review
#   severity: high
#   owner: legal
#   action: Have legal confirm that %s reaches this processing
findings contains lib.jfinding(rego.metadata.rule(), j, detail, fields, j.scope.citation) if {
	some j in regimes.applicable
	not facts.deployment.customer_country in j.countries
	rs := [r | some r in regimes.reasons; r.jurisdiction == j.id]
	fields := {f | some r in rs; some f in r.fields} | {"deployment.customer_country"}
	detail := sprintf("%s applies because of %s; the customer is established in %s. %s", [j.short, concat("; ", sort({r.why | some r in rs})), facts.deployment.customer_country, j.scope.why])
}

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

# customer_laws: the applicable laws that bind the customer (as controller): not those that
# apply only because the vendor, as processor, is established in their country
# (regimes.capacity "processor"); the controller's breach, DPO, representative and impact
# assessment duties are not the processor's (PROCESSOR-DUTIES lists the vendor's).
customer_laws := [j | some j in regimes.applicable; regimes.capacity[j.id] != "processor"]

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
	some j in customer_laws
	detail := lib.msg("national.breach_process", "{law} requires breach notification to {to_text}: {deadline_text}. The questionnaire records no breach notification process.", {"law": j.short, "to_text": j.breach.to, "deadline_text": j.breach.deadline})
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
	some j in customer_laws
	cases := duty_cases(j, "dpo")
	count(cases) > 0
	detail := lib.msg(concat("", ["national.dpo", pipl_suffix(j)]), "{case_text} No DPO is appointed (governance.dpo_appointed).", {"case_text": cases[0].case.text})
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
	some j in customer_laws
	cases := duty_cases(j, "representative")
	count(cases) > 0
	detail := lib.msg("national.representative", "{case_text} The customer is established in {country} and no local representative is recorded.", {"case_text": cases[0].case.text, "country": facts.deployment.customer_country})
}

# METADATA
# title: Impact assessment required by national law
# description: >-
#   A case of the law's impact-assessment rule holds (e.g. PIPL Art. 55 PIPIA); the
#   questionnaire does not record that it was done (governance.impact_assessments), so it is
#   asked for.
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
	some j in customer_laws
	not j.regime in recorded_assessments
	cases := duty_cases(j, "dpia")
	count(cases) > 0
	detail := impact_detail(j, cases)
}

# impact_detail: the impact-assessment finding's detail, naming the assessment the law names
# (PIPL's PIPIA has a message of its own, its English name in the catalogue, for its Chinese
# name 个人信息保护影响评估).
impact_detail(j, cases) := lib.msg("national.impact_assessment.pipl", sprintf("%s required: {cases_text} Has it been carried out and documented?", [cases[0].case.name]), {"cases_text": case_texts(cases)}) if {
	j.regime == "cn_pipl"
	cases[0].case.name
} else := lib.msg("national.impact_assessment", "{name_text} required: {cases_text} Has it been carried out and documented?", {"name_text": cases[0].case.name, "cases_text": case_texts(cases)}) if {
	cases[0].case.name
} else := lib.msg("national.impact_assessment.unnamed", "An impact assessment required: {cases_text} Has it been carried out and documented?", {"cases_text": case_texts(cases)})

# case_texts: the texts of the cases that hold (the jurisdiction data's, English for now), sorted.
case_texts(cases) := lib.join(" ", {c.case.text | some c in cases})

# pipl_suffix names the PIPL variant of a message whose Chinese wording follows the PIPL's terms
# (个人信息保护负责人, 个人信息保护影响评估, 受托人) rather than the GDPR's.
pipl_suffix(j) := ".pipl" if j.regime == "cn_pipl"

else := ""

# recorded_assessments: the regimes whose impact assessment the questionnaire records as carried
# out and documented (governance.impact_assessments).
recorded_assessments := {r | some r in object.get(facts.governance, "impact_assessments", [])}

# impact_assessments: the dpia.national entries of the assessment.
impact_assessments contains e if {
	some j in customer_laws
	cases := duty_cases(j, "dpia")
	count(cases) > 0
	e := {
		"regime": j.regime,
		"name": object.get(cases[0].case, "name", "impact assessment"),
		"required": true,
		"citation": cases[0].case.citation,
		"activities": sort({facts.activities[c.activity].name | some c in cases}),
		"why": concat(" ", sort({c.case.text | some c in cases})),
	}
}

# METADATA
# title: Does the law reach a customer established abroad?
# description: >-
#   The law applies here only because its people are among the data subjects (or its citizens)
#   while the customer is established elsewhere, and the fact that decides whether it reaches the
#   customer is not recorded: whether the activity offers goods or services to those people or
#   monitors their behaviour (e.g. GDPR Art. 3(2), PIPL Art. 3(2), APPI Art. 171), or, for a law
#   that states no such test, legal's answer. Until the question is answered the law's other
#   findings are conditional (needs review, at most medium, titled "If <law> applies").
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: e.g. GDPR Art. 3(2) (the citation of each finding comes from the jurisdiction data)
# custom:
#   suffix: SCOPE-REVIEW
#   kind: needs_review
#   severity: high
#   owner: legal
#   action: Answer whether %s reaches this processing
findings contains lib.jfinding(rego.metadata.rule(), j, detail, fields, j.scope.citation) if {
	some j in regimes.applicable
	regimes.certainty[j.id] == "conditional"
	rs := regimes.reasons_by[j.id]
	fields := ({f | some r in rs; some f in r.fields} | {f | some r in rs; some f in r.question}) | {"deployment.customer_country"}
	detail := lib.msg("national.scope_review", "{law} applies because of {reasons}; the customer is established in {customer_country}. {questions} {scope_text}", {
		"law": j.short,
		"reasons": lib.join("; ", {reason_param(r) | some r in rs}),
		"customer_country": lib.join(", ", facts.customer_countries),
		"questions": scope_questions(j, rs),
		"scope_text": j.scope.why,
	})
}

# reason_param: a regime reason as a message parameter, its message where the regimes library
# gives one (why_msg), else its English text.
reason_param(r) := object.union(r.why_msg, {"text": r.why}) if r.why_msg

else := r.why

# scope_questions: the questions that settle j's reach, one per open reason.
scope_questions(j, rs) := lib.join(" ", {scope_question(j, r) | some r in rs; count(r.question) > 0})

scope_question(j, r) := lib.msg(concat("", ["national.scope_question.vendor", pipl_suffix(j)]), "Does {law} reach the vendor, established in {country} as processor for a customer abroad? {vendor_why_text} Legal answers {field} (true or false).", {
	"law": j.short,
	"country": facts.vendor_country,
	"vendor_why_text": facts.vendor_detail(j).why,
	"field": r.question[0],
}) if {
	r.basis == "vendor"
} else := lib.msg("national.scope_question.no_test", "Does {law} reach this deployment? It states no targeting test (or reaches people through citizenship); legal answers {field} (true or false).", {"law": j.short, "field": r.question[0]}) if {
	startswith(r.question[0], "deployment.scope_confirmed.")
} else := lib.msg(sprintf("national.scope_question.%s", [reach_variant(j)]), reach_template[reach_variant(j)], {"activities": activity_words(acts), "country": lib.join(", ", j.countries), "fields": concat(", ", r.question)}) if {
	acts := {facts.activities[i].name | some f in r.question; i := to_number(regex.find_all_string_submatch_n(`^activities\[([0-9]+)\]`, f, 1)[0][1])}
}

activity_words(acts) := lib.msg("national.activity.one", "activity {name}", {"name": sprintf("%q", [x])}) if {
	count(acts) == 1
	some x in acts
} else := lib.msg("national.activity.many", "activities {names}", {"names": lib.join(", ", {sprintf("%q", [x]) | some x in acts})})

# reach_variant: whether the law's targeting test also reaches the monitoring of behaviour.
reach_variant(j) := "monitor" if "monitoring" in facts.subjects_requires(j)

else := "offer"

reach_template := {
	"monitor": "Does {activities} offer goods or services to, or monitor the behaviour of, people in {country}? Answer {fields} (an empty list answers no).",
	"offer": "Does {activities} offer goods or services to people in {country}? Answer {fields} (an empty list answers no).",
}

# METADATA
# title: Legal answered that the law does not reach this deployment
# description: >-
#   The law would apply from the questionnaire's countries, but legal answered that it does not
#   reach this deployment (deployment.scope_confirmed.<regime>: false). piaflow leaves the law out
#   and keeps this note so that the decision stays visible.
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: e.g. GDPR Art. 3 (the citation of each finding comes from the jurisdiction data)
# custom:
#   suffix: SCOPE-EXCLUDED
#   kind: needs_review
#   severity: info
#   owner: legal
#   action: Keep the reasons why %s does not reach this deployment on file
findings contains lib.jfinding(rego.metadata.rule(), j, detail, [sprintf("deployment.scope_confirmed.%s", [j.regime])], j.scope.citation) if {
	some j in regimes.excluded
	detail := lib.msg("national.scope_excluded", "Legal answered that {law} does not reach this deployment (deployment.scope_confirmed.{regime}: false); its findings are left out. {scope_text}", {"law": j.short, "regime": j.regime, "scope_text": j.scope.why})
}

# METADATA
# title: The vendor is bound as a processor established in the country
# description: >-
#   The vendor is established in the law's country and processes the data as processor for the
#   customer; the law reaches it there (scope.vendor_establishment, e.g. PIPL Art. 3(1), Singapore
#   PDPA s.4(2), Thai PDPA s.5, DPDP Act s.17(1)(d)) and binds it with the processor duties the
#   jurisdiction data lists, each with its citation. The customer's controller duties under the
#   law are not raised on this ground. Where the law's reach over such a processor is not settled,
#   the law is conditional and its scope question asks legal.
# related_resources:
#   - ref: http://en.npc.gov.cn.cdurl.cn/2021-12/29/c_694559_3.htm
#     description: e.g. PIPL Art. 21, 59 (the citation of each finding comes from the jurisdiction data)
# custom:
#   suffix: PROCESSOR-DUTIES
#   kind: needs_review
#   severity: medium
#   owner: vendor_management
#   action: Confirm the vendor meets its processor duties under %s
findings contains lib.jfinding(rego.metadata.rule(), j, detail, ["deployment.vendor_country", "deployment.vendor_role"], d.citation) if {
	facts.vendor_role == "processor"
	some j in regimes.applicable
	j.id in facts.vendor_established_ids
	not j.id in facts.customer_established_ids # a customer abroad: the law's reach over its processor
	d := facts.vendor_detail(j)
	detail := processor_detail(j, d)
}

# processor_detail: the vendor's processor duties under j, in the jurisdiction data's order, with
# what legal must confirm where the data says so.
processor_detail(j, d) := lib.msg(concat("", ["national.processor_duties", pipl_suffix(j), ".confirm"]), "The vendor is established in {country} and processes the data as processor for the customer. {why_text} Its duties as processor: {duties}. Confirm: {confirm_text}.", {
	"country": facts.vendor_country,
	"why_text": d.why,
	"duties": processor_duties(d),
	"confirm_text": d.confirm,
}) if {
	d.confirm
} else := lib.msg(concat("", ["national.processor_duties", pipl_suffix(j)]), "The vendor is established in {country} and processes the data as processor for the customer. {why_text} Its duties as processor: {duties}.", {"country": facts.vendor_country, "why_text": d.why, "duties": processor_duties(d)})

processor_duties(d) := lib.join_ordered("; ", [lib.msg("national.duty", "{duty_text} ({ref})", {"duty_text": x.text, "ref": x.citation.ref}) | some x in d.duties])

# METADATA
# title: Risk estimation (CNIL PIA method)
# description: >-
#   Severity and likelihood, on the 1-4 scale (negligible, limited, significant, maximum), of the
#   three feared events of the CNIL PIA method, before and after the actions, with the reasons.
#   Severity follows the nature and scale of the data; likelihood follows the weaknesses found in
#   the security answers and the exposure to other organisations and countries.
package piaflow.risk

import data.piaflow.facts
import data.piaflow.lib

cnil := {"ref": "CNIL, Privacy Impact Assessment - Methodology (2018), sections 3.2-3.3", "url": "https://www.cnil.fr/en/privacy-impact-assessment-pia"}

all_categories := {c | some i, _ in facts.activities; some c in facts.categories[i]}

special := {x | some x in facts.catalog.gdpr_special_categories} | {"criminal", "children"}

sensitive := {"financial", "payment_card", "government_id", "location", "precise_location", "communications"}

default large := false

large if {
	some i, _ in facts.activities
	facts.large_scale[i]
}

base_severity := 3 if count(all_categories & special) > 0

base_severity := 3 if {
	count(all_categories & special) == 0
	count(all_categories & sensitive) > 0
}

base_severity := 2 if count(all_categories & (special | sensitive)) == 0

# severity_why: what the base severity comes from, as a message (the categories as typed
# parameters, named in the reader's language).
severity_why := lib.msg("risk.basis.special", "special or criminal data ({categories})", {"categories": lib.join(", ", all_categories & special)}) if {
	count(all_categories & special) > 0
}

severity_why := lib.msg("risk.basis.sensitive", "sensitive data ({categories})", {"categories": lib.join(", ", all_categories & sensitive)}) if {
	count(all_categories & special) == 0
	count(all_categories & sensitive) > 0
}

severity_why := lib.msg("risk.basis.ordinary", "ordinary personal data", {}) if count(all_categories & (special | sensitive)) == 0

default scale_bump := 0

scale_bump := 1 if {
	large
	base_severity >= 3
}

default pseudo_cut := 0

pseudo_cut := 1 if facts.security.pseudonymisation

clamp(x) := 4 if x > 4

clamp(x) := 1 if x < 1

clamp(x) := x if {
	x >= 1
	x <= 4
}

severity := clamp((base_severity + scale_bump) - pseudo_cut)

health := "health" in all_categories

# severity of modification and disappearance: as high as disclosure for health data (care
# decisions depend on it), one step lower otherwise.
other_severity := severity if health

else := clamp(severity - 1)

external_access if {
	some i, _ in facts.activities
	some t in object.get(facts.activities[i], "transfers", [])
	t.recipient_type != "own_staff"
}

external_access if {
	some p in facts.processors
	object.get(p, "key_access", true) == true
}

# weaknesses per feared event: [answer is weak, description, fixed by the actions].
access_weak := [w |
	some w in [
		{"weak": facts.security.encryption_at_rest == false, "why": "no encryption at rest", "id": "no_encryption_at_rest", "fixable": true},
		{"weak": facts.security.mfa == false, "why": "no multi-factor authentication", "id": "no_mfa", "fixable": true},
		{"weak": facts.security.access_control in {"none", "shared_accounts"}, "why": "no individual access control", "id": "no_individual_access", "fixable": true},
		{"weak": facts.security.encryption_in_transit == false, "why": "no encryption in transit", "id": "no_encryption_in_transit", "fixable": true},
		{"weak": exposed, "why": "other organisations or countries can reach the data", "id": "exposed", "fixable": false},
	]
	w.weak
]

modify_weak := [w |
	some w in [
		{"weak": object.get(facts.security, "integrity_controls", false) == false, "why": "no integrity controls recorded", "id": "no_integrity_controls", "fixable": true},
		{"weak": facts.security.audit_logging == false, "why": "no audit logging", "id": "no_audit_logging", "fixable": true},
		{"weak": facts.security.access_control in {"none", "shared_accounts"}, "why": "no individual access control", "id": "no_individual_access", "fixable": true},
		{"weak": facts.security.encryption_in_transit == false, "why": "no encryption in transit", "id": "no_encryption_in_transit", "fixable": true},
	]
	w.weak
]

default exposed := false

exposed if external_access

# restore_untested: backups exist but no restore was tested (without backups, the missing backup
# is the weakness).
default restore_untested := false

restore_untested if {
	facts.security.backups
	not facts.security.backup_restore_tested
}

default one_site := false

one_site if single_site

single_site if count({h.country | some h in facts.hosting; h.role != "primary"}) == 0

lose_weak := [w |
	some w in [
		{"weak": facts.security.backups == false, "why": "no backups", "id": "no_backups", "fixable": true},
		{"weak": restore_untested, "why": "restore never tested", "id": "restore_untested", "fixable": true},
		{"weak": facts.security.incident_response_plan == false, "why": "no incident response plan", "id": "no_incident_response_plan", "fixable": true},
		{"weak": one_site, "why": "no replica, backup or disaster-recovery site", "id": "one_site", "fixable": false},
	]
	w.weak
]

likelihood(ws) := 1 if count(ws) == 0

likelihood(ws) := 2 if count(ws) == 1

likelihood(ws) := 3 if {
	count(ws) >= 2
	count(ws) <= 3
}

likelihood(ws) := 4 if count(ws) >= 4

residual(ws) := likelihood([w | some w in ws; not w.fixable])

# explain(sev, ws): why a feared event has severity sev and the likelihood of weaknesses ws, as
# one message per variant (on a large scale, lowered by pseudonymisation).
explain(sev, ws) := lib.msg(
	sprintf("risk.why%s%s", [scale_id, pseudo_id]),
	sprintf("severity {severity} from {basis}%s%s; likelihood from {weaknesses}", [scale_text, pseudo_text]),
	{"severity": sev, "basis": severity_why, "weaknesses": weak_text(ws)},
)

default scale_text := ""

scale_text := " on a large scale" if scale_bump == 1

default scale_id := ""

scale_id := ".large" if scale_bump == 1

default pseudo_text := ""

pseudo_text := ", lowered by pseudonymisation" if pseudo_cut == 1

default pseudo_id := ""

pseudo_id := ".pseudonymised" if pseudo_cut == 1

# weak_text(ws): the weaknesses found, in the order listed (not sorted), each a message
# (risk.weak.<id>), or that none was found.
weak_text(ws) := lib.msg("risk.weak.none", "no weakness found", {}) if count(ws) == 0

weak_text(ws) := ordered_join(", ", [lib.msg(sprintf("risk.weak.%s", [w.id]), w.why, {}) | some w in ws]) if count(ws) > 0

# ordered_join is lib.join keeping the items' order: a list parameter (docs/messages.md).
ordered_join(sep, items) := {
	"sep": sep,
	"items": [lib.param_value(i) | some i in items],
	"text": concat(sep, [lib.param_text(i) | some i in items]),
}

feared_events := [
	object.union({"id": "illegitimate_access", "severity": severity, "likelihood": likelihood(access_weak), "residual_severity": severity, "residual_likelihood": residual(access_weak), "citation": cnil}, lib.why_fields(explain(severity, access_weak))),
	object.union({"id": "unwanted_modification", "severity": other_severity, "likelihood": likelihood(modify_weak), "residual_severity": other_severity, "residual_likelihood": residual(modify_weak), "citation": cnil}, lib.why_fields(explain(other_severity, modify_weak))),
	object.union({"id": "disappearance", "severity": other_severity, "likelihood": likelihood(lose_weak), "residual_severity": other_severity, "residual_likelihood": residual(lose_weak), "citation": cnil}, lib.why_fields(explain(other_severity, lose_weak))),
]

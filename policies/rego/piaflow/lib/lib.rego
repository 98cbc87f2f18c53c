# METADATA
# title: Shared helpers of the piaflow policy library
# description: >-
#   Effective dates, finding construction and action due dates.
package piaflow.lib

as_of := input.as_of

# in_force holds when x (a rule's custom metadata or a data entry with effective_from /
# effective_to, both optional, inclusive) is in force on the assessment date.
in_force(x) if {
	object.get(x, "effective_from", "") <= as_of
	not ended(x)
}

ended(x) if {
	to := object.get(x, "effective_to", "")
	to != ""
	to < as_of
}

# due_dates: the action due date per severity, go_live shifted by the catalogue's offset
# (computed once per assessment).
due_dates := {severity: d |
	go_live := input.questionnaire.deployment.go_live
	some severity, offset in data.piaflow.catalog.due_offset_days
	ns := time.add_date(time.parse_ns("2006-01-02", go_live), 0, 0, offset)
	d := time.format([ns, "UTC", "2006-01-02"])
}

# due returns the action due date for a severity (undefined without go_live, and for info).
due(severity) := due_dates[severity]

# action builds a finding's action. title is its English text or a title message
# ({"id", "params", "text"}: the action gets the text as title and title_msg {"id", "params"}
# beside it, docs/messages.md); the due date follows the severity.
action(title, owner, severity) := object.union(a, title_msg_fields(title)) if {
	a := {"title": text(title), "owner": owner, "due": due_dates[severity]}
} else := object.union({"title": text(title), "owner": owner}, title_msg_fields(title))

# action_at is action a (a finding's action: title, owner, title_msg if any) again with the due
# date of another severity (a wrapper that caps a finding's severity).
action_at(a, severity) := action(action_title(a), a.owner, severity)

# action_title is an action's title as action() takes it: its message with the English text, or
# the plain text.
action_title(a) := object.union(a.title_msg, {"text": a.title}) if a.title_msg

else := a.title

# title_msg_fields: {"title_msg": {"id", "params"}} for a title message, nothing for plain text.
title_msg_fields(t) := {"title_msg": {"id": t.id, "params": t.params}} if is_object(t)

else := {}

# rule_msg is the title or action (part "title", "action" or "action.<variant>") of a rule's
# catalogue entry (i18n/locales/*/rules.json: rule.<id>.<part>) as a message: its id is the
# catalogue key, text the English the rule wrote.
rule_msg(id, part, params, english) := {"id": sprintf("rule.%s.%s", [id, part]), "params": params, "text": english}

# law_param is the {law} parameter of a generic rule's title or action: English writes the
# jurisdiction's short name, other languages the regime's name (i18n Localizer.Law), or the
# jurisdiction's own where one regime has several versions (Vietnam: Decree 13, then the PDP
# Law), named by jurisdiction when its id differs from the regime's.
law_param(j) := {"regime": j.regime, "short": j.short, "jurisdiction": j.id} if {
	j.id != j.regime
} else := {"regime": j.regime, "short": j.short}

# finding builds a finding from a rule's METADATA (rego.metadata.rule()) and the facts of one
# match: detail (text naming the facts) and fields (triggering questionnaire paths). The
# metadata's custom block carries id, regime, kind, severity, owner, ref and action; the first
# related resource is the source URL. The title and the action carry title_msg naming the rule's
# catalogue entry (rule.<id>.title, rule.<id>.action: docs/messages.md); a company rule's has no
# catalogue entry and every language shows its English.
finding(meta, detail, fields) := object.union(f, msg_fields(detail)) if {
	c := meta.custom
	f := {
		"id": c.id,
		"regime": c.regime,
		"kind": c.kind,
		"severity": c.severity,
		"title": meta.title,
		"title_msg": {"id": sprintf("rule.%s.title", [c.id]), "params": {}},
		"detail": text(detail),
		"citation": {"ref": c.ref, "url": meta.related_resources[0].ref},
		"fields": sort({p | some p in fields}),
		"action": action(rule_msg(c.id, "action", {}, c.action), c.owner, c.severity),
	}
}

# finding_with is finding() with some keys overridden (e.g. a severity that depends on facts).
finding_with(meta, detail, fields, overrides) := object.union(f, overrides) if {
	base := finding(meta, detail, fields)
	sev := object.get(overrides, "severity", base.severity)
	f := object.union(base, {"action": action_at(base.action, sev)})
}

# active holds when the rule whose metadata is given is in force on the assessment date.
active(meta) if in_force(object.get(meta, "custom", {}))

# msg builds a structured message (docs/messages.md): id names the catalogue entry
# msg.<id> in i18n/locales/*/messages.json, template is its English text with {name}
# placeholders, params the values. text is the English rendering, which the finding keeps as
# its plain text; Go renders id and params in any language. Params are strings or numbers;
# their names type them for the renderer (country, countries, law, date, field, count, ...), or
# nested messages (lib.msg results), rendered in the reader's language too.
msg(id, template, params) := {
	"id": id,
	"params": {k: param_value(v) | some k, v in params},
	"text": render(template, params),
}

# param_value is a parameter as the message keeps it: a nested message (an English fragment
# that is itself a message, e.g. what an expiring certification supports) without its text.
param_value(v) := object.remove(v, ["text"]) if is_object(v)

else := v

# render fills template's {name} placeholders with params' values.
render(template, params) := strings.replace_n({sprintf("{%s}", [k]): param_text(v) | some k, v in params}, template)

param_text(v) := v if is_string(v)

else := v.text if is_object(v)

else := sprintf("%v", [v])

# join is a list parameter: the items (strings or messages) sorted by their English text and
# joined by sep ("; " or ", "), which other languages replace by their own separator.
join(sep, items) := {
	"sep": sep,
	"items": [param_value(i) | some t in texts; some i in items; param_text(i) == t],
	"text": concat(sep, texts),
} if {
	texts := sort({param_text(i) | some i in items})
}

# counted is a number of things as a message parameter (docs/messages.md): n and the noun's
# catalogue id (plural.<noun>.one|other); English writes "1 day", "60 days", and Go picks each
# language's plural form with golang.org/x/text/feature/plural.
counted(n, noun, singular, plural) := {"count": n, "noun": noun, "text": sprintf("%d %s", [n, plural_word(n, singular, plural)])}

plural_word(1, singular, _) := singular

plural_word(n, _, plural) := plural if n != 1

# text is a detail's English text: the detail itself, or a message's rendering.
text(d) := d.text if is_object(d)

else := d

# msg_fields adds a message's id and params beside the text (detail_msg), nothing for plain
# text (company rules may keep plain English).
msg_fields(d) := {"detail_msg": {"id": d.id, "params": d.params}} if is_object(d)

else := {}

# why_fields is a reason text ("why" of a regime, DPIA criterion, transfer row, risk, ...) as an
# object to union into the reason: {"why": English text} and, for a message, "why_msg"
# {"id", "params"} beside it (docs/messages.md).
why_fields(d) := {"why": text(d), "why_msg": {"id": d.id, "params": d.params}} if is_object(d)

else := {"why": d}

# list joins a collection of strings for a detail text, sorted.
list(xs) := concat(", ", sort({x | some x in xs}))

# any_in holds when the two collections share an element.
any_in(xs, ys) if {
	some x in xs
	x in ys
}

# prefix turns a regime id into a finding-id prefix: cn_pipl -> CN-PIPL.
prefix(regime) := upper(replace(regime, "_", "-"))

# jfinding builds a finding of a generic rule for one jurisdiction j (policies/data/
# jurisdictions): the metadata's custom block carries suffix, kind, severity, owner and an
# action with one %s for the law's short name; the citation comes from the jurisdiction data.
# Title and action carry title_msg naming the generic catalogue entry (rule.*-<suffix>.title,
# rule.*-<suffix>.action) with the law as parameter.
jfinding(meta, j, detail, fields, citation) := object.union(f, msg_fields(detail)) if {
	c := meta.custom
	f := {
		"id": sprintf("%s-%s", [prefix(j.regime), c.suffix]),
		"regime": j.regime,
		"kind": c.kind,
		"severity": c.severity,
		"title": sprintf("%s: %s", [j.short, meta.title]),
		"title_msg": {"id": sprintf("rule.*-%s.title", [c.suffix]), "params": {"law": law_param(j)}},
		"detail": text(detail),
		"citation": citation,
		"fields": sort({p | some p in fields}),
		"action": action(rule_msg(concat("", ["*-", c.suffix]), "action", {"law": law_param(j)}, sprintf(c.action, [j.short])), c.owner, c.severity),
	}
}

# jfinding_with is jfinding() with some keys overridden (e.g. a severity that depends on facts);
# the action's due date follows the overridden severity.
jfinding_with(meta, j, detail, fields, citation, overrides) := object.union(f, overrides) if {
	base := jfinding(meta, j, detail, fields, citation)
	sev := object.get(overrides, "severity", base.severity)
	f := object.union(base, {"action": action_at(base.action, sev)})
}

# weekday_index: Monday 0 ... Sunday 6.
weekday_index := {"Monday": 0, "Tuesday": 1, "Wednesday": 2, "Thursday": 3, "Friday": 4, "Saturday": 5, "Sunday": 6}

# add_days returns the date (YYYY-MM-DD) n calendar days (unit "days") or n working days (unit
# "working_days": Monday to Friday; public holidays are not known to piaflow and are counted as
# working days) after date. A Saturday or Sunday start counts from the Friday before it, so the
# first working day after it is the Monday.
add_days(date, n, "days") := time.format([time.add_date(time.parse_ns("2006-01-02", date), 0, 0, n), "UTC", "2006-01-02"])

add_days(date, n, "working_days") := time.format([time.add_date(friday_or_before, 0, 0, days), "UTC", "2006-01-02"]) if {
	ns := time.parse_ns("2006-01-02", date)
	w := weekday_index[time.weekday(ns)]
	back := max([w - 4, 0])
	friday_or_before := time.add_date(ns, 0, 0, 0 - back)
	start := w - back
	days := n + (2 * floor((start + n) / 5))
}

# join_ordered is join() keeping the items in the order given (an array): for lists whose order
# means something (roles in a fixed order, entries in the assessment's order).
join_ordered(sep, items) := {
	"sep": sep,
	"items": [param_value(i) | some i in items],
	"text": concat(sep, [param_text(i) | some i in items]),
}

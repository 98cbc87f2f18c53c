package piaflow.lib_test

import data.piaflow.fixtures
import data.piaflow.lib

meta := {
	"title": "Test rule",
	"related_resources": [{"ref": "https://example.org/law"}],
	"custom": {"id": "TEST-RULE", "regime": "test", "ref": "Test Art. 1", "kind": "violation", "severity": "blocker", "owner": "legal", "action": "Fix it"},
}

generic_meta := {
	"title": "Generic rule",
	"related_resources": [{"ref": "https://example.org/law"}],
	"custom": {"suffix": "GENERIC", "kind": "gap", "severity": "medium", "owner": "customer", "action": "Do what %s requires"},
}

# --- effective dates ---------------------------------------------------------------------------

test_in_force_without_dates if {
	lib.in_force({}) with input as {"as_of": "2026-11-25"}
}

test_in_force_bounds_are_inclusive if {
	lib.in_force({"effective_from": "2026-11-25", "effective_to": "2026-11-25"}) with input as {"as_of": "2026-11-25"}
}

test_not_in_force_before_start if {
	not lib.in_force({"effective_from": "2026-11-26"}) with input as {"as_of": "2026-11-25"}
}

test_not_in_force_after_end if {
	not lib.in_force({"effective_from": "2020-01-01", "effective_to": "2026-11-24"}) with input as {"as_of": "2026-11-25"}
	lib.ended({"effective_to": "2026-11-24"}) with input as {"as_of": "2026-11-25"}
	not lib.ended({"effective_to": ""}) with input as {"as_of": "2026-11-25"}
}

test_active_reads_the_custom_block if {
	lib.active({"custom": {"effective_from": "2025-01-01"}}) with input as {"as_of": "2026-11-25"}
	not lib.active({"custom": {"effective_from": "2027-01-01"}}) with input as {"as_of": "2026-11-25"}
	lib.active({}) with input as {"as_of": "2026-11-25"}
}

# --- due dates and actions ---------------------------------------------------------------------

test_due_dates_follow_the_catalogue_offsets if {
	lib.due("blocker") == "2027-01-30" with input as fixtures.baseline
	lib.due("high") == "2027-02-15" with input as fixtures.baseline
	lib.due("medium") == "2027-03-01" with input as fixtures.baseline
	lib.due("low") == "2027-05-30" with input as fixtures.baseline
}

test_action_without_go_live_has_no_due_date if {
	inp := {"questionnaire": object.remove(fixtures.questionnaire, ["deployment"]), "as_of": "2026-11-25"}
	lib.action("Do it", "legal", "high") == {"title": "Do it", "owner": "legal"} with input as inp
}

test_action_for_info_has_no_due_date if {
	# the catalogue has no offset for info
	lib.action("Look", "engineering", "info") == {"title": "Look", "owner": "engineering"} with input as fixtures.baseline
}

# --- findings ----------------------------------------------------------------------------------

test_finding_from_metadata if {
	f := lib.finding(meta, "Something is wrong.", ["b.field", "a.field", "b.field"]) with input as fixtures.baseline
	f == {
		"id": "TEST-RULE",
		"regime": "test",
		"kind": "violation",
		"severity": "blocker",
		"title": "Test rule",
		"title_msg": {"id": "rule.TEST-RULE.title", "params": {}},
		"detail": "Something is wrong.",
		"citation": {"ref": "Test Art. 1", "url": "https://example.org/law"},
		"fields": ["a.field", "b.field"],
		"action": {"title": "Fix it", "owner": "legal", "due": "2027-01-30", "title_msg": {"id": "rule.TEST-RULE.action", "params": {}}},
	}
}

test_finding_with_overrides_severity_and_due_date if {
	f := lib.finding_with(meta, "d", {"x"}, {"severity": "medium"}) with input as fixtures.baseline
	f.severity == "medium"
	f.action == {"title": "Fix it", "owner": "legal", "due": "2027-03-01", "title_msg": {"id": "rule.TEST-RULE.action", "params": {}}}
	f.id == "TEST-RULE"
}

test_finding_with_without_severity_override if {
	f := lib.finding_with(meta, "d", ["x"], {"detail": "other"}) with input as fixtures.baseline
	f.severity == "blocker"
	f.detail == "other"
	f.action.due == "2027-01-30"
}

test_jfinding_uses_the_jurisdiction if {
	j := {"regime": "cn_pipl", "short": "PIPL"}
	f := lib.jfinding(generic_meta, j, "detail", ["z", "y"], {"ref": "PIPL Art. 1", "url": "https://example.org/pipl"}) with input as fixtures.baseline
	f == {
		"id": "CN-PIPL-GENERIC",
		"regime": "cn_pipl",
		"kind": "gap",
		"severity": "medium",
		"title": "PIPL: Generic rule",
		"title_msg": {"id": "rule.*-GENERIC.title", "params": {"law": {"regime": "cn_pipl", "short": "PIPL"}}},
		"detail": "detail",
		"citation": {"ref": "PIPL Art. 1", "url": "https://example.org/pipl"},
		"fields": ["y", "z"],
		"action": {"title": "Do what PIPL requires", "owner": "customer", "due": "2027-03-01", "title_msg": {"id": "rule.*-GENERIC.action", "params": {"law": {"regime": "cn_pipl", "short": "PIPL"}}}},
	}
}

test_jfinding_with_keeps_the_action_message if {
	j := {"regime": "cn_pipl", "short": "PIPL"}
	f := lib.jfinding_with(generic_meta, j, "detail", ["z"], {"ref": "PIPL Art. 1", "url": "https://example.org/pipl"}, {"severity": "blocker"}) with input as fixtures.baseline
	f.action == {"title": "Do what PIPL requires", "owner": "customer", "due": "2027-01-30", "title_msg": {"id": "rule.*-GENERIC.action", "params": {"law": {"regime": "cn_pipl", "short": "PIPL"}}}}
}

test_law_param_names_a_version_by_its_jurisdiction if {
	lib.law_param({"id": "vn_pdpd_2023", "regime": "vn_pdpd", "short": "Decree 13"}) == {"regime": "vn_pdpd", "short": "Decree 13", "jurisdiction": "vn_pdpd_2023"}
	lib.law_param({"id": "sg_pdpa", "regime": "sg_pdpa", "short": "PDPA (SG)"}) == {"regime": "sg_pdpa", "short": "PDPA (SG)"}
}

test_action_with_a_title_message if {
	m := lib.rule_msg("X-1", "action", {}, "Do it")
	lib.action(m, "legal", "high") == {"title": "Do it", "owner": "legal", "due": "2027-02-15", "title_msg": {"id": "rule.X-1.action", "params": {}}} with input as fixtures.baseline
	lib.action_at({"title": "Do it", "owner": "legal", "title_msg": {"id": "rule.X-1.action", "params": {}}}, "blocker") == {"title": "Do it", "owner": "legal", "due": "2027-01-30", "title_msg": {"id": "rule.X-1.action", "params": {}}} with input as fixtures.baseline
	lib.action_at({"title": "Plain", "owner": "legal", "due": "2000-01-01"}, "high") == {"title": "Plain", "owner": "legal", "due": "2027-02-15"} with input as fixtures.baseline
}

# --- small helpers -----------------------------------------------------------------------------

test_list_sorts_and_deduplicates if {
	lib.list(["b", "a", "b"]) == "a, b"
	lib.list(set()) == ""
}

test_any_in if {
	lib.any_in(["DE", "FR"], ["FR"])
	not lib.any_in(["DE"], ["FR", "IT"])
	not lib.any_in([], ["FR"])
}

test_prefix if {
	lib.prefix("cn_pipl") == "CN-PIPL"
	lib.prefix("ru_152fz") == "RU-152FZ"
	lib.prefix("gdpr") == "GDPR"
}

test_msg if {
	m := lib.msg("x.y", "{n} of {who} in {country}", {"n": 2, "who": "\"A\"", "country": "SG"})
	m.id == "x.y"
	m.text == "2 of \"A\" in SG"
	m.params.country == "SG"
	lib.text(m) == m.text
	lib.text("plain") == "plain"
	lib.msg_fields(m) == {"detail_msg": {"id": "x.y", "params": m.params}}
	lib.msg_fields("plain") == {}
}

test_msg_nested if {
	inner := lib.msg("x.inner", "the {thing}", {"thing": "DPA"})
	m := lib.msg("x.outer", "{what} lapses", {"what": inner})
	m.text == "the DPA lapses"
	m.params == {"what": {"id": "x.inner", "params": {"thing": "DPA"}}}
}

test_counted if {
	lib.counted(1, "day", "day", "days") == {"count": 1, "noun": "day", "text": "1 day"}
	lib.counted(0, "day", "day", "days").text == "0 days"
	m := lib.msg("x.in", "in {days}", {"days": lib.counted(60, "day", "day", "days")})
	m.text == "in 60 days"
	m.params.days == {"count": 60, "noun": "day"}
}

test_why_fields if {
	m := lib.msg("x.why", "the customer is in {country}", {"country": "SG"})
	lib.why_fields(m) == {"why": "the customer is in SG", "why_msg": {"id": "x.why", "params": {"country": "SG"}}}
	lib.why_fields("plain") == {"why": "plain"}
}

test_join if {
	j := lib.join("; ", {lib.msg("x.b", "b in {country}", {"country": "SG"}), "a"})
	j.text == "a; b in SG"
	j.items == ["a", {"id": "x.b", "params": {"country": "SG"}}]
	m := lib.msg("x.list", "at {places}.", {"places": j})
	m.text == "at a; b in SG."
	m.params.places == {"sep": "; ", "items": ["a", {"id": "x.b", "params": {"country": "SG"}}]}
}

test_jfinding_with_a_message if {
	j := {"regime": "cn_pipl", "short": "PIPL"}
	m := lib.msg("x.y", "about {country}", {"country": "CN"})
	f := lib.jfinding(generic_meta, j, m, ["z"], {"ref": "PIPL Art. 1", "url": "https://example.org/pipl"}) with input as fixtures.baseline
	f.detail == "about CN"
	f.detail_msg == {"id": "x.y", "params": {"country": "CN"}}
}

test_join_ordered if {
	j := lib.join_ordered(", ", ["b", lib.msg("x.a", "a in {country}", {"country": "SG"})])
	j.text == "b, a in SG"
	j.items == ["b", {"id": "x.a", "params": {"country": "SG"}}]
}

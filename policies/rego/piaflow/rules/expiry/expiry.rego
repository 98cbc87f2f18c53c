# METADATA
# title: Expiring and expired processor certifications and agreements
# description: >-
#   processors[].expiries[] dates a processor's certifications and its DPA or BAA. An item ending
#   within 60 days of the assessment date is a renewal gap; an item that ended before it no
#   longer counts (facts.processors drops it) and is reported.
package piaflow.rules.expiry

import data.piaflow.facts
import data.piaflow.lib
import data.piaflow.regimes
import data.piaflow.rules.hipaa

# window_days: an item ending this many days or fewer after the assessment date is reported.
window_days := 60

# support[item]: what the item supports, the regime and citation of the finding, and whether the
# library could verify that the cited provision turns on the item (review: false) or not.
support := {
	"eu_us_dpf": {
		"what": "EU adequacy for transfers to it (Decision (EU) 2023/1795 covers certified organisations only)",
		"regime": "gdpr",
		"ref": "GDPR Art. 45(1); Commission Implementing Decision (EU) 2023/1795",
		"url": "https://eur-lex.europa.eu/eli/dec_impl/2023/1795/oj",
		"review": false,
	},
	"uk_us_bridge": {
		"what": "UK adequacy for transfers to it (the UK-US data bridge covers UK Extension participants only)",
		"regime": "uk_gdpr",
		"ref": "UK GDPR Art. 45; Data Protection (Adequacy) (United States of America) Regulations 2023 (SI 2023/1028)",
		"url": "https://www.legislation.gov.uk/uksi/2023/1028/contents/made",
		"review": false,
	},
	"swiss_us_dpf": {
		"what": "Swiss adequacy for disclosures to it (the Federal Council lists the US for Swiss-US DPF certified recipients only)",
		"regime": "ch_fadp",
		"ref": "FADP Art. 16(1); DPO Annex 1 as amended with effect from 15 September 2024",
		"url": "https://www.bj.admin.ch/bj/en/home/staat/datenschutz/internationales/anerkennung-staaten.html",
		"review": false,
	},
	"apec_cbpr": {
		"what": "the APPI transfer basis of a recipient with a conforming system (APEC CBPR certification)",
		"regime": "jp_appi",
		"ref": "APPI Art. 28; PPC Rules Art. 16(ii)",
		"url": "https://www.japaneselawtranslation.go.jp/en/laws/view/4241/en",
		"review": true,
	},
	"dpa": {
		"what": "the Art. 28(3) contract with it (dpa_signed)",
		"regime": "gdpr",
		"ref": "GDPR Art. 28(3)",
		"url": "https://eur-lex.europa.eu/eli/reg/2016/679/oj",
		"review": false,
	},
	"baa": {
		"what": "the business associate agreement with it (baa_signed)",
		"regime": "us_hipaa",
		"ref": "45 CFR 164.502(e), 164.504(e)",
		"url": "https://www.ecfr.gov/current/title-45/subtitle-A/subchapter-C",
		"review": false,
	},
}

# guarantee: any other certification (ISO 27001/27701, SOC 2, HITRUST, other) is evidence of the
# processor's "sufficient guarantees" (GDPR Art. 28(1)); no provision makes it a condition, so
# its findings need review.
guarantee := {
	"what": "the evidence it gives of sufficient guarantees (GDPR Art. 28(1); no law makes this certification a condition: review)",
	"regime": "gdpr",
	"ref": "GDPR Art. 28(1)",
	"url": "https://eur-lex.europa.eu/eli/reg/2016/679/oj",
	"review": true,
}

supports(item) := object.get(support, item, guarantee)

# in_play(s): the law an item supports reaches the deployment. An item whose law does not apply
# raises nothing here (its expiry still stops counting in facts, which the applicable laws'
# own rules read); the sufficient-guarantees items (guarantee) are reviewed whatever applies.
in_play(s) if s == guarantee

in_play(s) if regimes.applies(s.regime)

in_play(s) if {
	s.regime == "us_hipaa"
	hipaa.applies
}

# dated: every dated item with the days from the assessment date to its "on" date (negative once
# it has expired), its processor and the fields that answer for it.
dated contains {"k": k, "p": p, "e": e, "days": days, "field": sprintf("processors[%d].expiries[%d].on", [k, ei])} if {
	some k, p in facts.raw_processors
	some ei, e in object.get(p, "expiries", [])
	days := round((time.parse_ns("2006-01-02", e.on) - time.parse_ns("2006-01-02", lib.as_of)) / ((24 * 3600) * 1000000000))
}

review_kind(s) := {"kind": "needs_review"} if s.review

else := {}

override(s, extra) := object.union_n([{"regime": s.regime, "citation": {"ref": s.ref, "url": s.url}}, review_kind(s), extra])

# METADATA
# title: Processor certification or agreement expires soon
# description: >-
#   A certification, DPA or BAA of a processor ends within 60 days of the assessment date; once
#   it lapses, what it supports (an adequacy decision limited to certified recipients, an APPI
#   transfer basis, the Art. 28 contract, the BAA, evidence of sufficient guarantees) no longer
#   applies. Regime and citation follow the item; certifications no law makes a condition
#   (ISO 27001/27701, SOC 2, HITRUST, other) and APEC CBPR need review.
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: GDPR Art. 28
# custom:
#   id: PROCESSOR-EXPIRY-SOON
#   regime: gdpr
#   ref: GDPR Art. 28(1)
#   kind: gap
#   severity: medium
#   owner: vendor_management
#   action: Renew the processor's certification or agreement, or plan its replacement
findings contains lib.finding_with(rego.metadata.rule(), detail, [x.field], override(s, {})) if {
	some x in dated
	x.days >= 0
	x.days <= window_days
	s := supports(x.e.item)
	in_play(s)
	detail := lib.msg(
		concat("", ["expiry.soon", review_variant(s)]),
		concat("", ["{item} of processor {processor} expires on {date} (in {days}): renew it or plan the replacement; when it lapses, {what} no longer applies.", review_note(s)]),
		{"item": x.e.item, "processor": sprintf("%q", [x.p.name]), "date": x.e.on, "days": lib.counted(x.days, "day", "day", "days"), "what": what_msg(x.e.item)},
	)
}

# what_msg is what an item supports (support[item].what) as a message.
what_msg(item) := lib.msg(concat("", ["expiry.what.", what_key(item)]), supports(item).what, {})

what_key(item) := item if item in object.keys(support)

else := "guarantee"

review_variant(s) := ".review" if s.review

else := ""

review_note(s) := " The library could not verify that the cited provision turns on this item: review." if s.review

else := ""

# METADATA
# title: Processor certification or agreement expired
# description: >-
#   A certification, DPA or BAA of a processor ended before the assessment date (possible in a
#   hand-written questionnaire). It is not counted: an expired certification is dropped from the
#   certifications the transfer rules read, an expired DPA or BAA counts as not signed. A
#   violation when a transfer or hosting site relies on the certification, else a gap.
# related_resources:
#   - ref: https://eur-lex.europa.eu/eli/reg/2016/679/oj
#     description: GDPR Art. 28
# custom:
#   id: PROCESSOR-EXPIRED
#   regime: gdpr
#   ref: GDPR Art. 28(1)
#   kind: gap
#   severity: high
#   owner: vendor_management
#   action: Renew the processor's certification or agreement, or replace what it supported
findings contains lib.finding_with(rego.metadata.rule(), detail, [x.field], override(s, expired_kind(x))) if {
	some x in dated
	x.days < 0
	s := supports(x.e.item)
	in_play(s)
	detail := lib.msg(
		concat("", ["expiry.expired", review_variant(s)]),
		concat("", ["{item} of processor {processor} expired on {date}: not counted{counted}; {what} no longer applies.", review_note(s)]),
		{"item": x.e.item, "processor": sprintf("%q", [x.p.name]), "date": x.e.on, "counted": counted_msg(x.e.item), "what": what_msg(x.e.item)},
	)
}

# counted_msg is counted_note as a message.
counted_msg(item) := lib.msg(concat("", ["expiry.counted.", counted_key(item)]), counted_note(item), {})

counted_key(item) := item if item in {"dpa", "baa"}

else := "other"

counted_note("dpa") := " (dpa_signed is read as false)"

counted_note("baa") := " (baa_signed is read as false)"

counted_note(item) := " (dropped from its certifications)" if not item in {"dpa", "baa"}

expired_kind(x) := {"kind": "violation"} if relied_on(x)

else := {}

# relied_on(x): a hosting site or transfer of the deployment goes to x's processor with the
# adequacy or certification mechanism, and x's item is a certification it lists.
relied_on(x) if {
	x.e.item in object.get(x.p, "certifications", [])
	some h in facts.hosting
	lower(facts.hosting_processor(h).name) == lower(x.p.name)
	object.get(h, "mechanism", "") in {"adequacy", "certification"}
}

relied_on(x) if {
	some a in facts.activities
	some t in object.get(a, "transfers", [])
	lower(t.recipient) == lower(x.p.name)
	t.mechanism in {"adequacy", "certification"}
	x.e.item in object.get(t, "recipient_certifications", [])
}

# Hosting sites operated by a third-party processor established under the law (issue 11).
#
# A processor known from processors[] (facts.third_parties, key "") that is established in the
# law's countries (facts.processor_established_ids: GDPR Art. 3(1), "a controller or a processor in
# the Union") and operates a hosting site outside them (hosting[].processor naming it, or the
# processor named like the provider: facts.hosting_processor) processes the data there. Where no
# exporter established under the law (the customer, the vendor) already answers for the site, the
# site is a row with that processor as exporter (exporter_basis processor_establishment), decided
# from the site's own answers (mechanism, mechanisms[]), as its onward transfers are.
#
# Whether storing data at such a site is a transfer turns on who operates it: another entity (the
# processor's affiliate or its own sub-processor, e.g. the cloud provider) is an importer; the
# processor itself, processing on its own infrastructure abroad, discloses the data to nobody
# (EDPB Guidelines 05/2021 v2.0, criterion 2: "another controller, joint controller or
# processor"; Example 5 for the same controller). The questionnaire does not say which, so the
# row's why asks it and its findings are needs_review (high), never a blocker on a guess
# (needs_review: confirm with legal). A processor whose sites are not recorded adds nothing here
# (GDPR-PROCESSOR-RETURN-REVIEW asks about its return to its controller).
package piaflow.rules.transfers

import data.piaflow.facts
import data.piaflow.lib
import data.piaflow.regimes

# site_operators[key]: the processors[] entry (as a third party, with its country and field)
# operating the hosting site at key.
site_operators := {sprintf("hosting[%d]", [hi]): ps[0] |
	some hi, h in facts.hosting
	op := facts.hosting_processor(h)
	ps := [p | some p in facts.third_parties; p.key == ""; p.name == op.name]
	count(ps) > 0
}

# site_party_keys[[jid, i, key]]: the hosting sites of activity i outside law jid's countries
# operated by a third-party processor established in them, that no exporter established under the
# law already answers for (a customer reached only through its people does not displace it, as for
# the processor's onward transfers).
# Computed once as a whole (a complete object: looking a key up is a map lookup).
site_party_keys := {[j.id, i, d.key]: p |
	count(site_operators) > 0
	some j in regimes.applicable
	j.id in facts.processor_established_ids
	j.scope.vendor_establishment == true # the GDPR family (national laws: national_parties.rego)
	some i, ds in facts.destinations
	some d in ds
	d.kind == "hosting"
	p := site_operators[d.key]
	p.country in facts.country_set[j.id]
	not d.country in facts.country_set[j.id]
	not [j.id, i, d.key] in established_exporter_keys
}

# site_candidates: the flows of those sites, the processor the exporter.
site_candidates := [c |
	some k, p in site_party_keys
	j := facts.jurisdiction_by_id[k[0]]
	i := k[1]
	d := [x | some x in facts.destinations[i]; x.key == k[2]][0]
	e := party_exporter(j, p)
	c := {"j": j, "i": i, "from": from_countries(j, i, e), "d": d, "exporter": e, "base": site_base(j, i, d, p)}
]

# site_base: the site's decision (resolve_for), its why naming the processor, the open question
# of who operates the site and the clauses fitting a processor's transfer to its sub-processor.
site_base(j, i, d, p) := object.union(r, {"why": lib.msg("transfers.why.site_party", site_party_template, {
	"party": p.name, "party_country": p.country, "law": j.short, "site": d.name, "to_country": d.country,
	"module": module_text(j, d), "why_text": r.why,
})}) if {
	r := resolve_for(j, i, d)
}

site_party_template := concat(" ", [
	"Hosting site {site} in {to_country}, operated by {party}, a processor established in {party_country} and subject to the {law} for its processing (Art. 3(1), 44).",
	"If another entity runs the site (the processor's affiliate or its own sub-processor), making the data available to it is a transfer by {party} (EDPB Guidelines 05/2021, criterion 2): {module}",
	"If {party} itself processes the data there, there is no importer and no transfer, but its obligations still apply to that processing. Legal to confirm who operates the site.",
	"{why_text}",
])

# site_party_review(fs): the flows are hosting rows of a third-party processor established under the
# law: their transfer findings are reviews (who operates the site is not recorded).
site_party_review(fs) if {
	fs[0].exporter_basis == "processor_establishment"
	startswith(fs[0].via, "hosting[")
}

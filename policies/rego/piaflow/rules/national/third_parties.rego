# A third-party processor established under a national law that reaches processors by itself
# (issue 11; facts/national_parties.rego): its processor duties, from the same data as the
# vendor's (scope.vendor_establishment.duties).
package piaflow.rules.national

import data.piaflow.facts
import data.piaflow.lib
import data.piaflow.regimes

# METADATA
# title: A processor established in the country is bound by the law
# description: >-
#   A processor of the deployment other than the vendor (a processors[] entry, or a recipient of
#   type processor, sub_processor or vendor_affiliate) is established in the law's country, where
#   neither the customer nor the vendor is, and the law reaches a data processor established there
#   and makes it the exporter of what it transfers abroad (scope.vendor_establishment reach and
#   exports.processor firm: Kenya DPA s.4(a), s.48; Nigeria NDPA s.2(2)(a), s.41(1)). It is bound
#   with the processor duties the jurisdiction data lists, each with its citation; the customer's
#   controller duties are not raised on this ground. The questionnaire's answers describe the
#   customer's and the vendor's processing, not the third party's, so the list is for review.
# related_resources:
#   - ref: https://www.odpc.go.ke/wp-content/uploads/2024/02/TheDataProtectionAct__No24of2019.pdf
#     description: e.g. Kenya DPA 2019 s.4(a), s.48 (the citation of each finding comes from the jurisdiction data)
#   - ref: https://ndpc.gov.ng/wp-content/uploads/2024/03/Nigeria_Data_Protection_Act_2023.pdf
#     description: e.g. Nigeria NDPA 2023 s.2(2)(a), s.41(1)
# custom:
#   suffix: PROCESSOR-ESTABLISHED
#   kind: needs_review
#   severity: low
#   owner: vendor_management
#   action: Confirm that the processor established in the country meets its processor duties under %s
#   confirm: >-
#     processors[].country (recipient_country for a recipient) is read as the processor's
#     establishment; the duties listed are those the data gives for the vendor as processor
#     (scope.vendor_establishment.duties), read as any processor's established there.
findings contains object.union(lib.jfinding(rego.metadata.rule(), j, detail, g.fields, d.citation), {"scope_basis": "processor_establishment"}) if {
	some j in regimes.applicable
	j.id in facts.processor_established_ids
	not j.id in facts.customer_established_ids
	not j.id in facts.vendor_established_ids
	d := facts.vendor_detail(j)
	some name, g in established_groups(j)
	detail := party_duties_detail(d, name, g)
}

# established_groups(j): the third parties established in j's countries, by name, with their
# countries and the fields recording them.
established_groups(j) := {name: {"countries": {p.country | some p in same}, "fields": {p.field | some p in same}} |
	ps := facts.established_parties(j)
	some name in {p.name | some p in ps}
	same := [p | some p in ps; p.name == name]
}

party_duties_detail(d, name, g) := lib.msg("national.party_duties.confirm", concat(" ", [party_duties_template, "Confirm: {confirm_text}."]), object.union(party_params(d, name, g), {"confirm_text": d.confirm})) if {
	d.confirm
} else := lib.msg("national.party_duties", party_duties_template, party_params(d, name, g))

party_duties_template := concat(" ", [
	"{party} is established in {party_country} ({fields}) and processes this deployment's data as a processor.",
	"{why_text} Its duties as processor: {duties}.",
])

party_params(d, name, g) := {
	"party": name,
	"party_country": lib.join(", ", g.countries),
	"fields": lib.join(", ", g.fields),
	"why_text": d.why,
	"duties": processor_duties(d),
}

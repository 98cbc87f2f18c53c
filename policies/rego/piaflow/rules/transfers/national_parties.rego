# Third-party processors established under a national law that makes a processor an exporter
# (issue 11; facts/national_parties.rego: scope.vendor_establishment reach and exports.processor
# firm, e.g. Kenya DPA s.48 and Nigeria NDPA s.41(1), "a data controller or data processor").
#
# As for the vendor under such a law (vendor_holds), the processor is the exporter of what it
# sends abroad from the country where it holds the data there: the onward transfers of a transfer
# to it whose destination (to_country) lies in the law's countries are rows with it as exporter
# (exporter_basis processor_establishment), decided by the law's transfer rules. A processor
# established there that receives the data elsewhere (recipient_country in the law's countries,
# to_country outside), and the hosting sites it operates abroad, send nothing out of the country:
# no row (piaflow's reading, as for the vendor: confirm).
package piaflow.rules.transfers

import data.piaflow.facts
import data.piaflow.lib

# party_holds(j, p): third party p's onward transfers leave j's countries from data it holds
# there: always under the GDPR family (Art. 3(1), 44: a processor established in the Union
# exports whatever it passes on); under a national law, when the transfer to p arrives in j's
# countries.
party_holds(j, _) if j.scope.vendor_establishment == true

party_holds(j, p) if {
	facts.vendor_detail(j)
	some d in facts.destinations[p.activity]
	d.key == p.key
	d.country in facts.country_set[j.id]
}

# national_party_text(j, p): the processor as exporter under a national law, with the provision
# that makes a processor an exporter (scope.vendor_establishment.exports.citation).
national_party_text(j, p) := lib.msg("transfers.exporter.party_national", "{party}, a processor established in {country} holding the data there, the exporter under the {law} ({ref})", {
	"party": p.name, "country": p.country, "law": j.short, "ref": facts.vendor_detail(j).exports.citation.ref,
})

# national_party_base: the processor's own transfer decided like a first transfer, its why naming
# the exporter and the provision that makes a processor one (scope.vendor_establishment.exports).
national_party_base(j, i, d, p) := object.union(r, {"why": lib.msg("transfers.why.party_national", "Transfer by {party}, a processor established in {party_country} holding the data there, to {recipient} ({recipient_type}): the {law} makes a data processor the exporter ({ref}). {why_text}", {
	"party": p.name, "party_country": p.country, "recipient": d.name, "recipient_type": d.recipient_type,
	"law": j.short, "ref": facts.vendor_detail(j).exports.citation.ref, "why_text": r.why,
})}) if {
	r := resolve(j, i, d)
}

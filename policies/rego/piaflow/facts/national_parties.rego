# National laws that reach a third-party processor established in their territory (issue 11).
#
# A national law's scope.vendor_establishment object says whether its text reaches a processor
# established there working for a controller abroad (reach) and whether that processor is itself
# the exporter of what it sends abroad (exports). Where both are firm for the processor role (the
# text names the "data processor" in its territorial clause and in its transfer rule: Kenya DPA
# s.4(a), s.48; Nigeria NDPA s.2(2)(a), s.41(1)), the same data describes any processor
# established there, not only the vendor: a third-party processor (facts.third_parties)
# established in the country brings the law in for its processing, as the GDPR family's `true`
# does. A law whose object leaves the processor's exports open ("review", e.g. PIPL) or unset
# adds nothing for a third party (confirm per law).
package piaflow.facts

reaches_any_processor(j) if {
	d := vendor_detail(j)
	d.reach == "firm"
	exports_as_processor(d.exports)
}

# exports_as_processor(x): scope.vendor_establishment.exports makes a processor an exporter: true
# (every role) or the processor role firm.
exports_as_processor(true)

exports_as_processor(x) if x.processor == "firm"

package assessments

import (
	"reflect"
	"slices"

	"github.com/piaflow/piaflow/policies"
)

// Countries lists every country the questionnaire names, sorted, each once: every string of the
// document (at any depth: the customer's and vendor's countries and establishments, the data
// subjects' countries and citizenship, where data is collected, hosting sites — their cloud
// region resolved to its country by validation —, transfer destinations and onward hops,
// processors, third parties, other exports, …) that is an ISO 3166-1 code. A change of policies
// that reaches none of them cannot change the questionnaire's result (policies.Affects), so the
// list errs on the side of too many: any field holding a two-letter code counts. Call it on a
// validated questionnaire (Parse).
func (q *Questionnaire) Countries() []string {
	var out []string
	collectCountries(reflect.ValueOf(q), &out)
	slices.Sort(out)
	return slices.Compact(out)
}

// collectCountries adds the ISO 3166-1 codes among v's strings to out.
func collectCountries(v reflect.Value, out *[]string) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			collectCountries(v.Elem(), out)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				collectCountries(v.Field(i), out)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			collectCountries(v.Index(i), out)
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			collectCountries(it.Key(), out)
			collectCountries(it.Value(), out)
		}
	case reflect.String:
		if s := v.String(); len(s) == 2 {
			if _, ok := policies.CountryName(s); ok {
				*out = append(*out, s)
			}
		}
	}
}

package assessments

import (
	"fmt"
)

// checkAdditions runs the cross-field rules of the piaflow additions of issue 11: per-law
// mechanism entries (exactly one of regime and country, no law or country twice on one site or
// transfer, filed_on not before signed_on), the depth of onward transfers, the other exports'
// counts, and a de-identification method only with a de-identification.
func (q *Questionnaire) checkAdditions(w *walker) {
	seen := map[string]int{}
	for i, e := range q.Deployment.OtherExports {
		p := fmt.Sprintf("deployment.other_exports[%d]", i)
		if w.flagged(p) {
			continue
		}
		if first, dup := seen[e.Country]; dup && e.Country != "" {
			w.add(p+".country", fmt.Sprintf("%s is a duplicate of deployment.other_exports[%d]: give one entry per country", e.Country, first))
		} else {
			seen[e.Country] = i
		}
		if e.SensitiveSubjects != nil && *e.SensitiveSubjects > e.Subjects && !w.flagged(p+".subjects") && !w.flagged(p+".sensitive_subjects") {
			w.add(p+".sensitive_subjects", fmt.Sprintf("%d is more than subjects (%d), which counts every person, sensitive included", *e.SensitiveSubjects, e.Subjects))
		}
	}
	for i := range q.Hosting {
		checkMechanisms(w, fmt.Sprintf("hosting[%d].mechanisms", i), q.Hosting[i].Mechanisms)
	}
	for i, a := range q.Activities {
		p := fmt.Sprintf("activities[%d]", i)
		if a.DeidentificationMethod != nil && (a.Deidentification == nil || *a.Deidentification == "none") && !w.flagged(p+".deidentification") {
			w.add(p+".deidentification_method", "describes a method, but deidentification is not pseudonymised or anonymised")
		}
		checkTransfers(w, p+".transfers", a.Transfers, 0)
	}
}

// checkTransfers checks the mechanism entries of transfers at depth (0: an activity's own
// transfers) and of their onward transfers, refusing onward transfers deeper than MaxOnwardDepth.
func checkTransfers(w *walker, path string, ts []Transfer, depth int) {
	for j, t := range ts {
		p := fmt.Sprintf("%s[%d]", path, j)
		checkMechanisms(w, p+".mechanisms", t.Mechanisms)
		if len(t.OnwardTransfers) == 0 {
			continue
		}
		if depth >= MaxOnwardDepth {
			w.add(p+".onward_transfers", fmt.Sprintf("nests onward transfers more than %d levels deep (the most piaflow evaluates): ask legal about the later hops", MaxOnwardDepth))
			continue
		}
		checkTransfers(w, p+".onward_transfers", t.OnwardTransfers, depth+1)
	}
}

// checkMechanisms checks one list of per-law mechanism entries (hosting[].mechanisms or
// transfers[].mechanisms).
func checkMechanisms(w *walker, path string, es []MechanismEntry) {
	seen := map[string]int{}
	for k, e := range es {
		p := fmt.Sprintf("%s[%d]", path, k)
		if w.flagged(p) {
			continue
		}
		field, value := "", ""
		switch {
		case e.Regime == nil && e.Country == nil:
			w.add(p+".regime", "give regime (the law, e.g. cn_pipl) or country (the exporting country, e.g. CN)")
		case e.Regime != nil && e.Country != nil:
			w.add(p+".regime", "give regime or country, not both")
		case e.Regime != nil:
			field, value = "regime", *e.Regime
		default:
			field, value = "country", *e.Country
		}
		if field != "" && !w.flagged(p+"."+field) {
			key := field + ":" + value
			if first, dup := seen[key]; dup {
				w.add(p+"."+field, fmt.Sprintf("%s is a duplicate of %s[%d].%s: give one entry per %s", value, path, first, field, field))
			} else {
				seen[key] = k
			}
		}
		if e.SignedOn != nil && e.FiledOn != nil && *e.FiledOn < *e.SignedOn && !w.flagged(p+".signed_on") && !w.flagged(p+".filed_on") {
			w.add(p+".filed_on", fmt.Sprintf("%s is before signed_on (%s)", *e.FiledOn, *e.SignedOn))
		}
	}
}

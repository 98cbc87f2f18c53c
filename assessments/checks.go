package assessments

import (
	"github.com/piaflow/piaflow/fieldpath"
)

// checkAdditions runs the cross-field rules of the piaflow additions of issue 11: per-law
// mechanism entries (exactly one of regime and country, no law or country twice on one site or
// transfer, filed_on not before signed_on), the depth of onward transfers, the other exports'
// counts, and a de-identification method only with a de-identification.
func (q *Questionnaire) checkAdditions(w *walker) {
	flagged := w.problems.flagged
	seen := map[string]int{}
	exports := fieldpath.Of(field("deployment"), field("other_exports"))
	for i, e := range q.Deployment.OtherExports {
		p := exports.Append(index(i))
		if flagged(p) {
			continue
		}
		if first, dup := seen[e.Country]; dup && e.Country != "" {
			w.addAt(p.Append(field("country")), newMsg("export.duplicate", "value", e.Country, "first", exports.Append(index(first)).String()))
		} else {
			seen[e.Country] = i
		}
		if e.SensitiveSubjects != nil && *e.SensitiveSubjects > e.Subjects && !flagged(p.Append(field("subjects"))) && !flagged(p.Append(field("sensitive_subjects"))) {
			w.addAt(p.Append(field("sensitive_subjects")), newMsg("export.sensitive", "value", itoa(*e.SensitiveSubjects), "subjects", itoa(e.Subjects)))
		}
	}
	for i := range q.Hosting {
		checkMechanisms(w, fieldpath.Of(field("hosting"), index(i), field("mechanisms")), q.Hosting[i].Mechanisms)
	}
	for i, a := range q.Activities {
		p := fieldpath.Of(field("activities"), index(i))
		if a.DeidentificationMethod != nil && (a.Deidentification == nil || *a.Deidentification == "none") && !flagged(p.Append(field("deidentification"))) {
			w.addAt(p.Append(field("deidentification_method")), newMsg("deidentification"))
		}
		checkTransfers(w, p.Append(field("transfers")), a.Transfers, 0)
	}
}

// checkTransfers checks the mechanism entries of transfers at depth (0: an activity's own
// transfers) and of their onward transfers, refusing onward transfers deeper than MaxOnwardDepth.
func checkTransfers(w *walker, list fieldpath.Path, ts []Transfer, depth int) {
	for j, t := range ts {
		p := list.Append(index(j))
		checkMechanisms(w, p.Append(field("mechanisms")), t.Mechanisms)
		if len(t.OnwardTransfers) == 0 {
			continue
		}
		if depth >= MaxOnwardDepth {
			w.addAt(p.Append(field("onward_transfers")), newMsg("onward.depth", "max", itoa(MaxOnwardDepth)))
			continue
		}
		checkTransfers(w, p.Append(field("onward_transfers")), t.OnwardTransfers, depth+1)
	}
}

// checkMechanisms checks one list of per-law mechanism entries (hosting[].mechanisms or
// transfers[].mechanisms).
func checkMechanisms(w *walker, list fieldpath.Path, es []MechanismEntry) {
	flagged := w.problems.flagged
	seen := map[string]int{}
	for k, e := range es {
		p := list.Append(index(k))
		if flagged(p) {
			continue
		}
		name, value := "", ""
		switch {
		case e.Regime == nil && e.Country == nil:
			w.addAt(p.Append(field("regime")), newMsg("mechanism.neither"))
		case e.Regime != nil && e.Country != nil:
			w.addAt(p.Append(field("regime")), newMsg("mechanism.both"))
		case e.Regime != nil:
			name, value = "regime", *e.Regime
		default:
			name, value = "country", *e.Country
		}
		if name != "" && !flagged(p.Append(field(name))) {
			key := name + ":" + value
			if first, dup := seen[key]; dup {
				m := newMsg("mechanism.country", "value", value, "first", list.Append(index(first), field(name)).String())
				if name == "regime" {
					m = newMsg("mechanism.regime", "value", value, "first", list.Append(index(first), field(name)).String())
				}
				w.addAt(p.Append(field(name)), m)
			} else {
				seen[key] = k
			}
		}
		if e.SignedOn != nil && e.FiledOn != nil && *e.FiledOn < *e.SignedOn && !flagged(p.Append(field("signed_on"))) && !flagged(p.Append(field("filed_on"))) {
			w.addAt(p.Append(field("filed_on")), newMsg("mechanism.filed_on", "value", *e.FiledOn, "signed_on", *e.SignedOn))
		}
	}
}

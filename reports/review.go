package reports

import (
	"cmp"
	"strconv"
	"strings"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/i18n"
)

// approvedBlocked tells whether d is a blocked assessment that legal approved, having accepted
// the risk of each blocker finding (piaflow.AcceptedBlockers). The verdict stays blocked; the
// reports then state both in one headline and never say "must not go live" next to "Approved".
func approvedBlocked(d *Document) bool {
	return d.Assessment.Verdict == assessments.VerdictBlocked && d.Record.ReviewState == piaflow.ReviewApproved
}

// verdictText is the verdict as the reports state it: the verdict's name, or for an approved
// blocked assessment "Blocked — approved with accepted risks (n)".
func verdictText(l *i18n.Localizer, d *Document) string {
	if approvedBlocked(d) {
		return l.T("verdict.blocked_accepted", "count", strconv.Itoa(d.Record.AcceptedRisks))
	}
	return l.Or("verdict."+d.Assessment.Verdict, d.Assessment.Verdict)
}

// verdictExplainKey is the catalogue key of the sentence that explains the verdict.
func verdictExplainKey(d *Document) string {
	if approvedBlocked(d) {
		return "report.verdict_explain.blocked_accepted"
	}
	return "report.verdict_explain." + d.Assessment.Verdict
}

// reviewText is the review state as the reports show it (piaflow.ReviewStatus: "Approved with
// accepted risks" for an approval given with accepted risks).
func reviewText(l *i18n.Localizer, rec piaflow.AssessmentRecord) string {
	st := piaflow.ReviewStatus(cmp.Or(rec.ReviewState, piaflow.ReviewNone), rec.AcceptedRisks)
	return l.Or("review."+st, st)
}

// acceptedRiskTitle is the title of an accepted risk's finding in l's language, with its id
// (the finding id when the assessment no longer names the key).
func acceptedRiskTitle(l *i18n.Localizer, a *assessments.Assessment, r piaflow.AcceptedRisk) string {
	for _, f := range a.Findings {
		if f.Key == r.FindingKey {
			return l.FindingTitle(f) + " (" + f.ID + ")"
		}
	}
	return r.FindingID + " (" + r.FindingKey + ")"
}

// citeRef is a citation's reference as the reports print it, in the report's language (the law's
// Chinese name and article in zh-CN; regime picks among abbreviations several laws share): marked
// "(secondary source)" when the source is not the official text. Its link is l.CitationURL(c).
func citeRef(l *i18n.Localizer, regime string, c assessments.Citation) string {
	ref := l.CitationRef(regime, c)
	if c.Secondary {
		return ref + " " + l.T("report.secondary_source")
	}
	return ref
}

// countryList names countries by their codes in the report's language, joined by the
// language's list separator ("Germany, France", 德国、法国).
func countryList(l *i18n.Localizer, codes []string) string {
	names := make([]string, len(codes))
	for i, c := range codes {
		names[i] = l.Country(c)
	}
	return strings.Join(names, l.T("xlsx.list_separator"))
}

// onwardHop is the label of an onward transfer's hop ("; onward transfer, hop 2") the reports add
// to its recipient, or "" for a first transfer (hop 0).
func onwardHop(l *i18n.Localizer, hop int) string {
	if hop <= 0 {
		return ""
	}
	return "\n" + l.T("report.onward_hop", "hop", strconv.Itoa(hop))
}

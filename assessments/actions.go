package assessments

import "github.com/piaflow/piaflow"

// Actions are the work items the assessment's findings ask for, one per finding, open: what the
// store keeps and follows across assessments (piaflow.SyncActions) and what an offline action
// list shows.
func (a *Assessment) Actions() []piaflow.Action {
	out := make([]piaflow.Action, 0, len(a.Findings))
	for _, f := range a.Findings {
		out = append(out, piaflow.Action{FindingKey: f.Key, FindingID: f.ID, Regime: f.Regime, Severity: f.Severity,
			Title: f.Action.Title, TitleMsg: f.Action.TitleMsg, Citation: f.Citation.Ref, CitationURL: f.Citation.URL, Owner: f.Action.Owner,
			Due: f.Action.Due, Status: piaflow.ActionOpen})
	}
	return out
}

// Blockers are the finding keys of the assessment's blocker findings, in order: an approval needs
// legal to accept the risk of each (piaflow.AcceptedBlockers).
func (a *Assessment) Blockers() []string {
	var out []string
	for _, f := range a.Findings {
		if f.Severity == "blocker" {
			out = append(out, f.Key)
		}
	}
	return out
}

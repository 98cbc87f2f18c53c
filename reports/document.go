// Package reports renders an assessment as the deliverables that leave the company: the PIA
// report as PDF (gofpdf) for legal, and the action list as Excel (excelize) for the team and the
// customer, in every language of package i18n. It also reads an edited action list back.
//
// Reports depend on the domain types only: callers build a Document from the stored records, so
// the same stored assessment always renders the same content.
package reports

import (
	"time"

	"github.com/piaflow/piaflow/assessments"
)

// Document is everything a report shows: one assessment of one questionnaire revision, with its
// deployment, its review and the deployment's actions.
type Document struct {
	Deployment Deployment
	// AssessmentID and Revision identify the stored records (0 for an offline assessment).
	AssessmentID uint64
	Revision     int
	// AssessedAt is when the assessment was made; reports show it as their date, so re-rendering
	// later gives the same report.
	AssessedAt    time.Time
	Review        Review
	Questionnaire *assessments.Questionnaire
	Assessment    *assessments.Assessment
	// Actions are the deployment's work items. When nil, ActionsFromFindings derives them.
	Actions []Action
}

// Deployment identifies the deployment a report is about.
type Deployment struct {
	ID              uint64
	Name            string
	Customer        string
	CustomerCountry string
}

// Review is the legal review of the assessment.
type Review struct {
	// State is none, submitted, approved or rejected.
	State    string
	Reviewer string
	Comment  string
	At       *time.Time
}

// Action is one work item of the action list: what a finding asks, who owns it, and where it
// stands.
type Action struct {
	// ID is the stored action's id; the import matches rows by it (0 offline).
	ID          uint64
	FindingKey  string
	FindingID   string
	Regime      string
	Severity    string
	Title       string // the action, in English as the engine wrote it
	Citation    string
	CitationURL string
	Owner       string
	Assignee    string
	Due         string // YYYY-MM-DD or empty
	// Status is open, in_progress, done or risk_accepted.
	Status        string
	Justification string
	// Comment is the newest comment on the action.
	Comment string
}

// Action statuses, as the store keeps them.
const (
	StatusOpen         = "open"
	StatusInProgress   = "in_progress"
	StatusDone         = "done"
	StatusRiskAccepted = "risk_accepted"
)

// Statuses lists the action statuses.
func Statuses() []string {
	return []string{StatusOpen, StatusInProgress, StatusDone, StatusRiskAccepted}
}

// ActionsFromFindings derives open actions from an assessment's findings, for a document that
// has no stored actions (the offline `assess --xlsx`).
func ActionsFromFindings(a *assessments.Assessment) []Action {
	out := make([]Action, 0, len(a.Findings))
	for _, f := range a.Findings {
		out = append(out, Action{FindingKey: f.Key, FindingID: f.ID, Regime: f.Regime, Severity: f.Severity,
			Title: f.Action.Title, Citation: f.Citation.Ref, CitationURL: f.Citation.URL, Owner: f.Action.Owner,
			Due: f.Action.Due, Status: StatusOpen})
	}
	return out
}

// actions is the document's action list, derived from the findings when none is stored.
func (d *Document) actions() []Action {
	if d.Actions != nil {
		return d.Actions
	}
	return ActionsFromFindings(d.Assessment)
}

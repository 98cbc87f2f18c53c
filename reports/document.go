// Package reports renders an assessment as the deliverables that leave the company: the PIA
// report as PDF (gofpdf) for legal, and the action list as Excel (excelize) for the team and the
// customer, in every language of package i18n. It also reads an edited action list back into
// piaflow.ActionEdit rows.
//
// Reports render the domain's types only (piaflow.Deployment, piaflow.AssessmentRecord,
// piaflow.Action and the evaluation of package assessments): package service builds a Document
// from the stored records, so the same stored assessment always renders the same content.
package reports

import (
	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
)

// Document is everything a report shows: one assessment of one questionnaire revision, with its
// deployment, its review and the deployment's actions.
type Document struct {
	Deployment piaflow.Deployment
	// Record is the stored assessment: its id (0 for an offline assessment), its date
	// (CreatedAt: reports show it as their date, so re-rendering later gives the same report)
	// and its review. Its Result is not read.
	Record piaflow.AssessmentRecord
	// Revision is the number of the revision assessed (0 offline).
	Revision      int
	Questionnaire *assessments.Questionnaire
	Assessment    *assessments.Assessment
	// Actions are the deployment's work items, in the order the action list shows them.
	Actions []piaflow.Action
	// Comments maps an action's id to its newest comment.
	Comments map[uint64]string
}

// Package piaflow is the domain core of piaflow: the types of the assessment workflow and the
// rules that hold for them whichever program drives them.
//
// It holds the users and their roles, deployments, questionnaire revisions, stored assessment
// records with their legal review, the actions that findings ask for with their comments, the
// rows of an imported action list and what is wrong with them, audit events, the error kinds
// every layer shares, the input limits, and the one authorisation table (Can, with the
// per-object rules such as CanEditAction).
//
// The package imports no other package of piaflow and no dependency: the GORM store
// (assessments/store), the HTTP adapter (api), the report renderers (reports) and the use cases
// (service) all import it. Its types keep their `gorm:` and `json:` struct tags, which describe
// how the store keeps them and how the API shows them; tags are not imports.
//
// AssessmentRecord is the stored form of one evaluation (its verdict, its result as JSON and its
// review); the evaluation's content is assessments.Assessment.
package piaflow

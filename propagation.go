package piaflow

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Kinds of propagation: what changed, so that deployments are assessed again.
const (
	// PropagationPolicies: the policies changed (policy drift); each active deployment's latest
	// complete revision is assessed again as it is.
	PropagationPolicies = "policies"
	// PropagationProduct: the deployments of a product move to another version of it
	// (PropagationParams Product and Version); each is composed again, a new revision.
	PropagationProduct = ChangeProduct
	// PropagationProcessor: an entry of the processor register changed (PropagationParams
	// Processor); each deployment whose composition uses it is composed again.
	PropagationProcessor = ChangeProcessor
)

// PropagationKinds lists the kinds a propagation may be started with.
func PropagationKinds() []string {
	return []string{PropagationPolicies, PropagationProduct, PropagationProcessor}
}

// PropagationParams are the parameters of a propagation of kind product (Product, Version) or
// processor (Processor).
type PropagationParams struct {
	Product   string `json:"product,omitempty"`
	Version   string `json:"version,omitempty"`
	Processor string `json:"processor,omitempty"`
}

// States of a propagation and of each of its deployments.
const (
	// PropagationQueued: the jobs are queued, none has finished.
	PropagationQueued = "queued"
	// PropagationRunning: some jobs have finished, not all.
	PropagationRunning = "running"
	// PropagationDone: every job finished (each outcome done or failed).
	PropagationDone = "done"
	// OutcomeDone: a deployment was assessed again (a new assessment or none needed).
	OutcomeDone = "done"
	// OutcomeFailed: a deployment's re-assessment failed for good (its Error says why).
	OutcomeFailed = "failed"
	// OutcomePending: a deployment's job has not finished.
	OutcomePending = "pending"
)

// Propagation is a background re-assessment of a set of deployments after a change (its Kind
// and Params), with its progress. Done, Changed and Failed count the outcomes as the jobs
// finish; it is done when Done+Failed reaches Total.
type Propagation struct {
	ID     uint64          `gorm:"primaryKey" json:"id"`
	Kind   string          `gorm:"size:40;not null;index" json:"kind"`
	Params json.RawMessage `gorm:"type:text;serializer:json" json:"params,omitempty"`
	// Reason is why it was started (free text, at most MaxTextLength).
	Reason      string `gorm:"type:text" json:"reason"`
	RequestedBy uint64 `json:"requested_by"`
	Requester   string `gorm:"size:100" json:"requester"`
	State       string `gorm:"size:20;not null;index" json:"state"`
	Total       int    `gorm:"not null;default:0" json:"total"`
	Done        int    `gorm:"not null;default:0" json:"done"`
	Changed     int    `gorm:"not null;default:0" json:"changed"`
	Failed      int    `gorm:"not null;default:0" json:"failed"`
	// Unchanged counts the deployments of Done finished without an evaluation: their latest
	// assessment, of the same revision, holds under the current policies on the current day
	// (made by the same policies, or by earlier ones whose change cannot reach it, on a day no
	// date separates from today: service carry-over), or no complete revision to assess.
	Unchanged int `gorm:"not null;default:0" json:"unchanged"`
	// PolicyVersion is the policies' version of a policies propagation (a re-evaluation), as
	// the process that started it had them.
	PolicyVersion string     `gorm:"size:100" json:"policy_version,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
	FinishedAt    *time.Time `json:"finished_at,omitempty"`
}

// TableName keeps propagations in the table "propagations".
func (Propagation) TableName() string { return "propagations" }

// PropagationOutcome is what re-assessing one deployment of a propagation gave. The row is
// created with the propagation (OutcomePending) and is the job's idempotency key: a job run
// twice finds it done and records nothing more.
type PropagationOutcome struct {
	ID            uint64 `gorm:"primaryKey" json:"-"`
	PropagationID uint64 `gorm:"not null;uniqueIndex:idx_outcome_deployment,priority:1" json:"-"`
	DeploymentID  uint64 `gorm:"not null;uniqueIndex:idx_outcome_deployment,priority:2;index" json:"deployment_id"`
	State         string `gorm:"size:20;not null" json:"state"`
	VerdictBefore string `gorm:"size:20" json:"verdict_before,omitempty"`
	VerdictAfter  string `gorm:"size:20" json:"verdict_after,omitempty"`
	// Added and Resolved count the findings added and resolved against the latest assessment.
	Added    int `gorm:"not null;default:0" json:"findings_added"`
	Resolved int `gorm:"not null;default:0" json:"findings_resolved"`
	// AssessmentID is the new assessment (0: none was needed, nothing changed).
	AssessmentID uint64 `json:"assessment_id,omitempty"`
	// RevisionID is the new revision when the re-assessment made one (a product's or a
	// processor's change composes a new questionnaire); nil when the latest was assessed as is.
	RevisionID *uint64    `json:"revision_id,omitempty"`
	Error      string     `gorm:"type:text" json:"error,omitempty"`
	FinishedAt *time.Time `json:"finished_at,omitempty"`
	// Unevaluated (not stored) tells FinishOutcome that the deployment was finished without an
	// evaluation, to count it in the propagation's Unchanged.
	Unevaluated bool `gorm:"-" json:"-"`
}

// TableName keeps outcomes in the table "propagation_outcomes".
func (PropagationOutcome) TableName() string { return "propagation_outcomes" }

// Changed reports whether the outcome recorded a new assessment.
func (o PropagationOutcome) Changed() bool { return o.AssessmentID != 0 }

// ValidatePropagation checks a propagation request before any work: a known kind, and a reason
// of at most MaxTextLength characters without NUL. Errors: ErrInvalid naming the fields "kind"
// and "reason".
func ValidatePropagation(kind, reason string) error {
	var problems []FieldProblem
	if !slices.Contains(PropagationKinds(), kind) {
		problems = append(problems, FieldProblem{Field: "kind", Code: ProblemUnknown, Message: fmt.Sprintf("%q is not one of %s", kind, strings.Join(PropagationKinds(), ", ")),
			Text: "not_in_vocabulary", Args: map[string]string{"value": strconv.Quote(kind), "allowed": strings.Join(PropagationKinds(), ", ")}})
	}
	problems = append(problems, Problems(CheckText("reason", reason, MaxTextLength))...)
	return Invalid(problems...)
}

package piaflow

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Deployment statuses.
const (
	DeploymentActive   = "active"
	DeploymentArchived = "archived"
)

// Deployment is one customer deployment being assessed.
type Deployment struct {
	ID              uint64 `gorm:"primaryKey" json:"id"`
	Name            string `gorm:"size:200;not null;index" json:"name"`
	Customer        string `gorm:"size:200;not null;index" json:"customer"`
	CustomerCountry string `gorm:"size:2;index" json:"customer_country"`
	Status          string `gorm:"size:20;not null;index" json:"status"`
	LatestRevision  int    `gorm:"not null;default:0" json:"latest_revision"`
	Verdict         string `gorm:"size:20;index" json:"verdict,omitempty"`
	// ReviewState is the review state of the latest assessment ("none" after a new revision).
	ReviewState string `gorm:"size:20;not null;default:none;index" json:"review_state"`
	// AcceptedRisks counts the blocker findings whose risk legal accepted when the latest
	// assessment was approved (0 unless it is approved; see ReviewStatus).
	AcceptedRisks int       `gorm:"not null;default:0;index" json:"accepted_risks"`
	CreatedBy     uint64    `json:"created_by"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// ValidateDeployment checks a new deployment's name and customer (required, at most
// MaxNameLength characters, no NUL) and, when given, its customer country with known (true
// for an ISO 3166-1 alpha-2 code piaflow knows). Errors: ErrInvalid listing the fields at fault.
func ValidateDeployment(d Deployment, known func(country string) bool) error {
	problems := Problems(CheckText("name", d.Name, MaxNameLength), CheckText("customer", d.Customer, MaxNameLength))
	for _, f := range []struct{ field, value string }{{"name", d.Name}, {"customer", d.Customer}} {
		if strings.TrimSpace(f.value) == "" {
			problems = append(problems, RequiredField(f.field))
		}
	}
	if d.CustomerCountry != "" && !known(d.CustomerCountry) {
		problems = append(problems, FieldProblem{Field: "customer_country", Code: ProblemUnknown, Message: fmt.Sprintf("%q is not an ISO 3166-1 alpha-2 code", d.CustomerCountry),
			Text: "country", Args: map[string]string{"value": strconv.Quote(d.CustomerCountry)}})
	}
	return Invalid(problems...)
}

// DeploymentFilter selects deployments; empty fields match everything.
type DeploymentFilter struct {
	// Customer matches part of the customer's name, ignoring case.
	Customer string
	Country  string
	Verdict  string
	Status   string
	// Review is the review state of the latest assessment (none, submitted, approved, rejected).
	Review string
	// AcceptedRisks, when set, keeps the deployments whose latest assessment was approved with
	// accepted risks (true) or those without accepted risks (false).
	AcceptedRisks *bool
	// Limit is the page size (1 to MaxPageSize, default DefaultPageSize); Offset skips that many.
	Limit, Offset int
}

// Revision is one immutable save of a deployment's questionnaire.
type Revision struct {
	ID           uint64     `gorm:"primaryKey" json:"id"`
	DeploymentID uint64     `gorm:"not null;uniqueIndex:idx_revision_number,priority:1" json:"deployment_id"`
	Deployment   Deployment `gorm:"constraint:OnDelete:CASCADE" json:"-"`
	Number       int        `gorm:"not null;uniqueIndex:idx_revision_number,priority:2" json:"number"`
	// Document is the questionnaire as JSON (a draft may be incomplete).
	Document  string    `gorm:"type:text;not null" json:"-"`
	Draft     bool      `gorm:"not null" json:"draft"`
	ETag      string    `gorm:"size:64;not null" json:"etag"`
	CreatedBy uint64    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// Review states of an assessment (and, for its latest assessment, of a deployment):
// none → submitted → approved (locked) or rejected (may be submitted again).
const (
	ReviewNone      = "none"
	ReviewSubmitted = "submitted"
	ReviewApproved  = "approved"
	ReviewRejected  = "rejected"
)

// ReviewStates lists the review states.
func ReviewStates() []string {
	return []string{ReviewNone, ReviewSubmitted, ReviewApproved, ReviewRejected}
}

// ReviewApprovedWithAcceptedRisks is not a review state but how an approval is shown when legal
// accepted the risk of blocker findings to give it (ReviewStatus).
const ReviewApprovedWithAcceptedRisks = "approved_with_accepted_risks"

// ReviewStatus is the review as lists, pages and reports show it: the review state, or
// ReviewApprovedWithAcceptedRisks for an approval given with accepted risks. The web UI and the
// reports label it with the catalogue key "review.<status>".
func ReviewStatus(state string, acceptedRisks int) string {
	if state == ReviewApproved && acceptedRisks > 0 {
		return ReviewApprovedWithAcceptedRisks
	}
	return state
}

// AcceptedRisk is a blocker finding whose risk legal had accepted, with the justification, when
// the assessment was approved: the record keeps it as it was then.
type AcceptedRisk struct {
	FindingKey    string `json:"finding_key"`
	FindingID     string `json:"finding_id"`
	Justification string `json:"justification"`
	// ActionID is the deployment's action of the finding.
	ActionID uint64 `json:"action_id"`
}

// AcceptedBlockers checks that legal accepted the risk of every blocker finding (blockers: their
// finding keys) with a justification: the deployment's action of each (actions, by finding key)
// has status ActionRiskAccepted and a non-empty justification. It returns the accepted risks in
// the order of blockers. Errors: ErrConflict with ReasonOpenBlockers, its Keys the finding keys
// of the blockers still open, in order.
func AcceptedBlockers(blockers []string, actions []Action) ([]AcceptedRisk, error) {
	byKey := make(map[string]Action, len(actions))
	for _, a := range actions {
		byKey[a.FindingKey] = a
	}
	var accepted []AcceptedRisk
	var open []string
	for _, key := range blockers {
		a, ok := byKey[key]
		if !ok || a.Status != ActionRiskAccepted || strings.TrimSpace(a.Justification) == "" {
			open = append(open, key)
			continue
		}
		accepted = append(accepted, AcceptedRisk{FindingKey: key, FindingID: a.FindingID, Justification: a.Justification, ActionID: a.ID})
	}
	if len(open) > 0 {
		e := MsgError(ErrConflict, ReasonOpenBlockers, "error.open_blockers", "action_status", ActionRiskAccepted, "keys", ListParam(", ", open))
		e.Keys = open
		return nil, e
	}
	return accepted, nil
}

// AssessmentRecord is the stored result of evaluating one revision with one policy bundle, with
// its legal review. The evaluation itself (assessments.Assessment) is kept as JSON in Result.
type AssessmentRecord struct {
	ID            uint64   `gorm:"primaryKey" json:"id"`
	DeploymentID  uint64   `gorm:"not null;index" json:"deployment_id"`
	RevisionID    uint64   `gorm:"not null;index" json:"revision_id"`
	Revision      Revision `gorm:"constraint:OnDelete:CASCADE" json:"-"`
	PolicyVersion string   `gorm:"size:40;not null" json:"policy_version"`
	PolicyDigest  string   `gorm:"size:80;not null" json:"policy_digest"`
	AsOf          string   `gorm:"size:10;not null" json:"as_of"`
	Verdict       string   `gorm:"size:20;not null" json:"verdict"`
	// InputDigest is the SHA-256 (hex) of the questionnaire's canonical JSON as evaluated
	// (assessments.Assessment.InputDigest): with PolicyDigest and AsOf, the key under which the
	// result serves any revision with the same questionnaire (migration 15; empty before).
	InputDigest string `gorm:"size:80;not null;default:''" json:"-"`
	// Result is the full assessment as JSON. The store keeps each result once (migration 16):
	// it saves Result under its SHA-256 (ResultDigest) and fills Result in again on every read
	// of a whole record; a record saved before keeps its result inline (ResultDigest empty).
	Result string `gorm:"type:text;not null" json:"-"`
	// ResultDigest is the SHA-256 (hex) of Result as kept in the table assessment_results,
	// set by the store.
	ResultDigest string    `gorm:"size:80;not null;default:''" json:"-"`
	CreatedBy    uint64    `json:"created_by"`
	CreatedAt    time.Time `json:"created_at"`
	// ReviewState is one of the Review states.
	ReviewState   string     `gorm:"size:20;not null;default:none;index" json:"review_state"`
	Reviewer      string     `gorm:"size:100" json:"reviewer,omitempty"`
	ReviewComment string     `gorm:"type:text" json:"review_comment,omitempty"`
	ReviewedAt    *time.Time `json:"reviewed_at,omitempty"`
	// AcceptedRisks counts the blocker findings approved with their risk accepted by legal;
	// AcceptedRiskDetails lists them as they were at the approval. The verdict stays what the
	// policies said.
	AcceptedRisks       int            `gorm:"not null;default:0" json:"accepted_risks"`
	AcceptedRiskDetails []AcceptedRisk `gorm:"type:text;serializer:json" json:"accepted_risk_details,omitempty"`
}

// TableName keeps assessment records in the table "assessments".
func (AssessmentRecord) TableName() string { return "assessments" }

// Submit asks for the record's review: it must not be under review or approved. Errors:
// ErrConflict.
func (a *AssessmentRecord) Submit() error {
	if a.ReviewState != ReviewNone && a.ReviewState != ReviewRejected {
		return MsgError(ErrConflict, "", "error.assessment_state", "id", a.ID, "review_state", a.ReviewState)
	}
	a.ReviewState = ReviewSubmitted
	return nil
}

// ValidateDecision checks a review decision's comment: at most MaxTextLength characters, no
// NUL, and not empty to reject (piaflow.ReasonRejectComment). Errors: ErrInvalid naming the
// field "comment".
func ValidateDecision(approve bool, comment string) error {
	if !approve && strings.TrimSpace(comment) == "" {
		e := Errorf(ErrInvalid, ReasonRejectComment, "a rejection needs a comment")
		e.Fields = []FieldProblem{{Field: "comment", Code: ProblemRequired, Message: e.Message, Text: "reject_comment"}}
		return e
	}
	return Invalid(Problems(CheckText("comment", comment, MaxTextLength))...)
}

// Decide approves or rejects the submitted record as reviewer at a time, with a comment
// (required to reject). blockers are the finding keys of the record's blocker findings and
// actions the deployment's actions: an approval needs legal to have accepted the risk of each
// blocker (AcceptedBlockers), and records them as the accepted risks. An approved record is
// locked: it cannot be reviewed again. Errors: ErrConflict (not submitted; ReasonOpenBlockers:
// blockers whose risk is not accepted), ErrInvalid (a rejection without a comment).
func (a *AssessmentRecord) Decide(reviewer User, approve bool, comment string, blockers []string, actions []Action, at time.Time) error {
	if a.ReviewState != ReviewSubmitted {
		return MsgError(ErrConflict, "", "error.assessment_not_submitted", "id", a.ID, "review_state", a.ReviewState)
	}
	if err := ValidateDecision(approve, comment); err != nil {
		return err
	}
	var accepted []AcceptedRisk
	if approve {
		var err error
		if accepted, err = AcceptedBlockers(blockers, actions); err != nil {
			return err
		}
	}
	a.ReviewState, a.ReviewComment, a.ReviewedAt, a.Reviewer = ReviewRejected, comment, &at, reviewer.Name
	a.AcceptedRisks, a.AcceptedRiskDetails = len(accepted), accepted
	if approve {
		a.ReviewState = ReviewApproved
	}
	return nil
}

package store

import "time"

// The tables as each migration created or changed them. Never edit these: add a new version.

type userV1 struct {
	ID        uint64 `gorm:"primaryKey"`
	Name      string `gorm:"size:100;not null;uniqueIndex"`
	Role      string `gorm:"size:20;not null"`
	CreatedAt time.Time
}

func (userV1) TableName() string { return "users" }

type tokenV1 struct {
	ID         uint64 `gorm:"primaryKey"`
	UserID     uint64 `gorm:"not null;index"`
	User       userV1 `gorm:"constraint:OnDelete:CASCADE"`
	Hash       string `gorm:"size:64;not null;uniqueIndex"`
	Label      string `gorm:"size:200"`
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

func (tokenV1) TableName() string { return "tokens" }

type deploymentV1 struct {
	ID              uint64 `gorm:"primaryKey"`
	Name            string `gorm:"size:200;not null;index"`
	Customer        string `gorm:"size:200;not null;index"`
	CustomerCountry string `gorm:"size:2;index"`
	Status          string `gorm:"size:20;not null;index"`
	LatestRevision  int    `gorm:"not null;default:0"`
	Verdict         string `gorm:"size:20;index"`
	CreatedBy       uint64
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

func (deploymentV1) TableName() string { return "deployments" }

type revisionV1 struct {
	ID           uint64       `gorm:"primaryKey"`
	DeploymentID uint64       `gorm:"not null;uniqueIndex:idx_revision_number,priority:1"`
	Deployment   deploymentV1 `gorm:"constraint:OnDelete:CASCADE"`
	Number       int          `gorm:"not null;uniqueIndex:idx_revision_number,priority:2"`
	Document     string       `gorm:"type:text;not null"`
	Draft        bool         `gorm:"not null"`
	ETag         string       `gorm:"size:64;not null"`
	CreatedBy    uint64
	CreatedAt    time.Time
}

func (revisionV1) TableName() string { return "revisions" }

type assessmentV1 struct {
	ID            uint64     `gorm:"primaryKey"`
	DeploymentID  uint64     `gorm:"not null;index"`
	RevisionID    uint64     `gorm:"not null;index"`
	Revision      revisionV1 `gorm:"constraint:OnDelete:CASCADE"`
	PolicyVersion string     `gorm:"size:40;not null"`
	PolicyDigest  string     `gorm:"size:80;not null"`
	AsOf          string     `gorm:"size:10;not null"`
	Verdict       string     `gorm:"size:20;not null"`
	Result        string     `gorm:"type:text;not null"`
	CreatedBy     uint64
	CreatedAt     time.Time
}

func (assessmentV1) TableName() string { return "assessments" }

type auditEventV1 struct {
	ID         uint64    `gorm:"primaryKey"`
	At         time.Time `gorm:"not null;index"`
	ActorID    uint64    `gorm:"index"`
	Actor      string    `gorm:"size:100"`
	Action     string    `gorm:"size:40;not null"`
	ObjectType string    `gorm:"size:40;not null;index:idx_audit_object,priority:1"`
	ObjectID   uint64    `gorm:"not null;index:idx_audit_object,priority:2"`
	Detail     string    `gorm:"type:text"`
}

func (auditEventV1) TableName() string { return "audit_events" }

// Version 2 adds the review state.

type deploymentV2 struct {
	deploymentV1
	ReviewState string `gorm:"size:20;not null;default:none;index"`
}

func (deploymentV2) TableName() string { return "deployments" }

type assessmentV2 struct {
	assessmentV1
	ReviewState   string `gorm:"size:20;not null;default:none;index"`
	Reviewer      string `gorm:"size:100"`
	ReviewComment string `gorm:"type:text"`
	ReviewedAt    *time.Time
}

func (assessmentV2) TableName() string { return "assessments" }

// Version 3 adds actions and their comments.

type actionV3 struct {
	ID            uint64 `gorm:"primaryKey"`
	DeploymentID  uint64 `gorm:"not null;uniqueIndex:idx_action_finding,priority:1"`
	FindingKey    string `gorm:"size:300;not null;uniqueIndex:idx_action_finding,priority:2"`
	FindingID     string `gorm:"size:120;not null"`
	Regime        string `gorm:"size:40"`
	Severity      string `gorm:"size:20"`
	Title         string `gorm:"type:text"`
	Citation      string `gorm:"type:text"`
	CitationURL   string `gorm:"type:text"`
	Owner         string `gorm:"size:40"`
	Assignee      string `gorm:"size:100"`
	Due           string `gorm:"size:10"`
	Status        string `gorm:"size:20;not null;index"`
	Justification string `gorm:"type:text"`
	AssessmentID  uint64
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func (actionV3) TableName() string { return "actions" }

type actionCommentV3 struct {
	ID        uint64 `gorm:"primaryKey"`
	ActionID  uint64 `gorm:"not null;index"`
	Author    string `gorm:"size:100"`
	Body      string `gorm:"type:text;not null"`
	CreatedAt time.Time
}

func (actionCommentV3) TableName() string { return "action_comments" }

// Version 4 adds web UI sessions.

type sessionV4 struct {
	ID        uint64 `gorm:"primaryKey"`
	Hash      string `gorm:"size:64;not null;uniqueIndex"`
	UserID    uint64 `gorm:"not null;index"`
	User      userV1 `gorm:"constraint:OnDelete:CASCADE"`
	CSRF      string `gorm:"size:64;not null"`
	CreatedAt time.Time
	ExpiresAt time.Time `gorm:"not null;index"`
}

func (sessionV4) TableName() string { return "sessions" }

// Version 5 records the risks accepted to approve an assessment with blocker findings.

type deploymentV5 struct {
	deploymentV2
	AcceptedRisks int `gorm:"not null;default:0;index"`
}

func (deploymentV5) TableName() string { return "deployments" }

type assessmentV5 struct {
	assessmentV2
	AcceptedRisks       int    `gorm:"not null;default:0"`
	AcceptedRiskDetails string `gorm:"type:text"`
}

func (assessmentV5) TableName() string { return "assessments" }

// Version 6 adds webhooks and their deliveries (the durable delivery queue).

type webhookV6 struct {
	ID           uint64 `gorm:"primaryKey"`
	URL          string `gorm:"size:2000;not null"`
	Events       string `gorm:"type:text;not null"`
	Secret       string `gorm:"size:100;not null"`
	AllowPrivate bool   `gorm:"not null;default:false"`
	Active       bool   `gorm:"not null;default:true;index"`
	CreatedBy    string `gorm:"size:100"`
	CreatedAt    time.Time
}

func (webhookV6) TableName() string { return "webhooks" }

type webhookDeliveryV6 struct {
	ID             uint64    `gorm:"primaryKey"`
	WebhookID      uint64    `gorm:"not null;index"`
	Webhook        webhookV6 `gorm:"constraint:OnDelete:CASCADE"`
	EventID        string    `gorm:"size:40;not null"`
	EventType      string    `gorm:"size:40;not null"`
	Payload        string    `gorm:"type:text;not null"`
	Status         string    `gorm:"size:20;not null;index:idx_delivery_due,priority:1"`
	Attempts       int       `gorm:"not null;default:0"`
	NextAttemptAt  time.Time `gorm:"not null;index:idx_delivery_due,priority:2"`
	LastStatusCode int
	LastError      string `gorm:"type:text"`
	CreatedAt      time.Time
	DeliveredAt    *time.Time
}

func (webhookDeliveryV6) TableName() string { return "webhook_deliveries" }

// Version 7 marks users signed in through an OpenID provider: the SHA-256 of their issuer and
// subject (empty for users created with piaflow admin or the API).

type userV7 struct {
	userV1
	ExternalID string `gorm:"size:64;index"`
}

func (userV7) TableName() string { return "users" }

// Version 8: userV8 adds the notification settings and the day of the last digest.
type userV8 struct {
	ID               uint64 `gorm:"primaryKey"`
	Name             string `gorm:"size:100;not null;uniqueIndex"`
	Role             string `gorm:"size:20;not null"`
	CreatedAt        time.Time
	Email            string `gorm:"size:254"`
	Language         string `gorm:"size:10"`
	NotificationsOff bool   `gorm:"not null;default:false"`
	LastDigest       string `gorm:"size:10"`
}

func (userV8) TableName() string { return "users" }

// Version 10 adds propagations (background re-assessments of many deployments) and their
// per-deployment outcomes. (Version 9 is the products' and processors'.)

type propagationV10 struct {
	ID          uint64 `gorm:"primaryKey"`
	Kind        string `gorm:"size:40;not null;index"`
	Params      string `gorm:"type:text"`
	Reason      string `gorm:"type:text"`
	RequestedBy uint64
	Requester   string `gorm:"size:100"`
	State       string `gorm:"size:20;not null;index"`
	Total       int    `gorm:"not null;default:0"`
	Done        int    `gorm:"not null;default:0"`
	Changed     int    `gorm:"not null;default:0"`
	Failed      int    `gorm:"not null;default:0"`
	CreatedAt   time.Time
	FinishedAt  *time.Time
}

func (propagationV10) TableName() string { return "propagations" }

type propagationOutcomeV10 struct {
	ID            uint64         `gorm:"primaryKey"`
	PropagationID uint64         `gorm:"not null;uniqueIndex:idx_outcome_deployment,priority:1"`
	Propagation   propagationV10 `gorm:"constraint:OnDelete:CASCADE"`
	DeploymentID  uint64         `gorm:"not null;uniqueIndex:idx_outcome_deployment,priority:2;index"`
	State         string         `gorm:"size:20;not null"`
	VerdictBefore string         `gorm:"size:20"`
	VerdictAfter  string         `gorm:"size:20"`
	Added         int            `gorm:"not null;default:0"`
	Resolved      int            `gorm:"not null;default:0"`
	AssessmentID  uint64
	RevisionID    *uint64
	Error         string `gorm:"type:text"`
	FinishedAt    *time.Time
}

func (propagationOutcomeV10) TableName() string { return "propagation_outcomes" }

// Version 9 adds product versions, the processor register's versions, deployments' sources
// (product version and spec) and the register entries each deployment uses. (It was applied
// after version 10 on databases created before it existed; the two touch different tables.)

type productVersionV9 struct {
	ID        uint64 `gorm:"primaryKey"`
	NameKey   string `gorm:"size:200;not null;uniqueIndex:idx_product_version,priority:1"`
	Name      string `gorm:"size:200;not null"`
	Version   string `gorm:"size:40;not null;uniqueIndex:idx_product_version,priority:2"`
	Document  string `gorm:"type:text;not null"`
	Digest    string `gorm:"size:64;not null"`
	CreatedBy uint64
	Creator   string `gorm:"size:100"`
	CreatedAt time.Time
}

func (productVersionV9) TableName() string { return "product_versions" }

type processorVersionV9 struct {
	ID        uint64 `gorm:"primaryKey"`
	NameKey   string `gorm:"size:200;not null;uniqueIndex:idx_processor_version,priority:1"`
	Name      string `gorm:"size:200;not null"`
	Number    int    `gorm:"not null;uniqueIndex:idx_processor_version,priority:2"`
	Document  string `gorm:"type:text;not null"`
	Digest    string `gorm:"size:64;not null"`
	CreatedBy uint64
	Creator   string `gorm:"size:100"`
	CreatedAt time.Time
}

func (processorVersionV9) TableName() string { return "processor_versions" }

type deploymentSourceV9 struct {
	DeploymentID   uint64 `gorm:"primaryKey;autoIncrement:false"`
	ProductKey     string `gorm:"size:200;not null;index"`
	Product        string `gorm:"size:200;not null"`
	ProductVersion string `gorm:"size:40;not null"`
	Spec           string `gorm:"type:text;not null"`
	Processors     string `gorm:"type:text"`
	UpdatedAt      time.Time
}

func (deploymentSourceV9) TableName() string { return "deployment_sources" }

type processorRefV9 struct {
	DeploymentID uint64 `gorm:"primaryKey;autoIncrement:false"`
	NameKey      string `gorm:"primaryKey;size:200;index"`
}

func (processorRefV9) TableName() string { return "processor_refs" }

// Version 11 keeps each action's title as a structured message (docs/messages.md: JSON, NULL for
// the actions stored before, which show their English title).
type actionV11 struct {
	actionV3
	TitleMsg *string `gorm:"type:text"`
}

func (actionV11) TableName() string { return "actions" }

// Version 12 makes a policies propagation a re-evaluation run: the policies' version it ran
// with and how many deployments it finished without an evaluation.

type propagationV12 struct {
	ID            uint64 `gorm:"primaryKey"`
	Kind          string `gorm:"size:40;not null;index"`
	Params        string `gorm:"type:text"`
	Reason        string `gorm:"type:text"`
	RequestedBy   uint64
	Requester     string `gorm:"size:100"`
	State         string `gorm:"size:20;not null;index"`
	Total         int    `gorm:"not null;default:0"`
	Done          int    `gorm:"not null;default:0"`
	Changed       int    `gorm:"not null;default:0"`
	Failed        int    `gorm:"not null;default:0"`
	Unchanged     int    `gorm:"not null;default:0"`
	PolicyVersion string `gorm:"size:100"`
	CreatedAt     time.Time
	FinishedAt    *time.Time
}

func (propagationV12) TableName() string { return "propagations" }

// Version 14 keeps the policy bundles assessments were evaluated with, in parts (the
// fingerprint: policies.Fingerprint as JSON), so that a later bundle can be compared with them.
type policyBundleV14 struct {
	Digest      string `gorm:"primaryKey;size:80"`
	Version     string `gorm:"size:100;not null"`
	Fingerprint string `gorm:"type:text;not null"`
	CreatedAt   time.Time
}

func (policyBundleV14) TableName() string { return "policy_bundles" }

// Version 16 keeps each assessment result once: its JSON under its SHA-256 (assessment_results),
// and every assessment record stored since refers to it (assessments.result_digest, with an
// empty assessments.result); records stored before keep their result inline.
type assessmentResultV16 struct {
	Digest    string `gorm:"primaryKey;size:80"`
	Body      string `gorm:"type:text;not null"`
	CreatedAt time.Time
}

func (assessmentResultV16) TableName() string { return "assessment_results" }

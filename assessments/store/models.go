package store

import "time"

// Roles a user can hold.
const (
	RoleEngineer = "engineer"
	RoleLegal    = "legal"
	RoleSales    = "sales"
	RoleAdmin    = "admin"
)

// Roles lists every role.
func Roles() []string { return []string{RoleEngineer, RoleLegal, RoleSales, RoleAdmin} }

// User is a person or service that holds API tokens.
type User struct {
	ID        uint64    `gorm:"primaryKey" json:"id"`
	Name      string    `gorm:"size:100;not null;uniqueIndex" json:"name"`
	Role      string    `gorm:"size:20;not null" json:"role"`
	CreatedAt time.Time `json:"created_at"`
}

// Token is an API token; only its SHA-256 is stored, the token itself is shown once.
type Token struct {
	ID         uint64     `gorm:"primaryKey" json:"id"`
	UserID     uint64     `gorm:"not null;index" json:"user_id"`
	User       User       `gorm:"constraint:OnDelete:CASCADE" json:"-"`
	Hash       string     `gorm:"size:64;not null;uniqueIndex" json:"-"`
	Label      string     `gorm:"size:200" json:"label"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

// Deployment statuses.
const (
	StatusActive   = "active"
	StatusArchived = "archived"
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
	ReviewState string    `gorm:"size:20;not null;default:none;index" json:"review_state"`
	CreatedBy   uint64    `json:"created_by"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
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

// Assessment is the stored result of evaluating one revision with one policy bundle.
type Assessment struct {
	ID            uint64   `gorm:"primaryKey" json:"id"`
	DeploymentID  uint64   `gorm:"not null;index" json:"deployment_id"`
	RevisionID    uint64   `gorm:"not null;index" json:"revision_id"`
	Revision      Revision `gorm:"constraint:OnDelete:CASCADE" json:"-"`
	PolicyVersion string   `gorm:"size:40;not null" json:"policy_version"`
	PolicyDigest  string   `gorm:"size:80;not null" json:"policy_digest"`
	AsOf          string   `gorm:"size:10;not null" json:"as_of"`
	Verdict       string   `gorm:"size:20;not null" json:"verdict"`
	// Result is the full assessment as JSON.
	Result    string    `gorm:"type:text;not null" json:"-"`
	CreatedBy uint64    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
	// Review: none → submitted → approved (locked) or rejected (may be submitted again).
	ReviewState   string     `gorm:"size:20;not null;default:none;index" json:"review_state"`
	Reviewer      string     `gorm:"size:100" json:"reviewer,omitempty"`
	ReviewComment string     `gorm:"type:text" json:"review_comment,omitempty"`
	ReviewedAt    *time.Time `json:"reviewed_at,omitempty"`
}

// Review states of an assessment (and, for its latest assessment, of a deployment).
const (
	ReviewNone      = "none"
	ReviewSubmitted = "submitted"
	ReviewApproved  = "approved"
	ReviewRejected  = "rejected"
)

// AuditEvent records who did what to which object, when. The store only appends them.
type AuditEvent struct {
	ID         uint64    `gorm:"primaryKey" json:"id"`
	At         time.Time `gorm:"not null;index" json:"at"`
	ActorID    uint64    `gorm:"index" json:"actor_id"`
	Actor      string    `gorm:"size:100" json:"actor"`
	Action     string    `gorm:"size:40;not null" json:"action"`
	ObjectType string    `gorm:"size:40;not null;index:idx_audit_object,priority:1" json:"object_type"`
	ObjectID   uint64    `gorm:"not null;index:idx_audit_object,priority:2" json:"object_id"`
	Detail     string    `gorm:"type:text" json:"detail,omitempty"`
}

package piaflow

import (
	"encoding/json"
	"time"
)

// ProductVersion is one version of a product profile (package assessments, Product) as pushed:
// immutable like a questionnaire revision. Pushing the same name and version again with the same
// profile changes nothing; with another profile it is refused (ErrConflict): a changed product
// is a new version.
type ProductVersion struct {
	ID uint64 `gorm:"primaryKey" json:"id"`
	// NameKey is the name in lower case: names are compared ignoring case.
	NameKey string `gorm:"size:200;not null;uniqueIndex:idx_product_version,priority:1" json:"-"`
	Name    string `gorm:"size:200;not null" json:"name"`
	Version string `gorm:"size:40;not null;uniqueIndex:idx_product_version,priority:2" json:"version"`
	// Document is the profile as canonical JSON (what ParseProduct read), Digest its SHA-256.
	Document  string    `gorm:"type:text;not null" json:"-"`
	Digest    string    `gorm:"size:64;not null" json:"digest"`
	CreatedBy uint64    `json:"created_by"`
	Creator   string    `gorm:"size:100" json:"creator"`
	CreatedAt time.Time `json:"created_at"`
}

// TableName keeps product versions in the table "product_versions".
func (ProductVersion) TableName() string { return "product_versions" }

// ProcessorVersion is one version of an entry of the processor register shared by every
// deployment (package assessments, RegisteredProcessor). Each change of an entry is a new
// version (Number 1, 2, …); the highest is the entry as it stands.
type ProcessorVersion struct {
	ID        uint64    `gorm:"primaryKey" json:"id"`
	NameKey   string    `gorm:"size:200;not null;uniqueIndex:idx_processor_version,priority:1" json:"-"`
	Name      string    `gorm:"size:200;not null" json:"name"`
	Number    int       `gorm:"not null;uniqueIndex:idx_processor_version,priority:2" json:"version"`
	Document  string    `gorm:"type:text;not null" json:"-"`
	Digest    string    `gorm:"size:64;not null" json:"digest"`
	CreatedBy uint64    `json:"created_by"`
	Creator   string    `gorm:"size:100" json:"creator"`
	CreatedAt time.Time `json:"created_at"`
}

// TableName keeps processor versions in the table "processor_versions".
func (ProcessorVersion) TableName() string { return "processor_versions" }

// DeploymentSource is what a deployment's questionnaire is composed from when it is built from a
// product: the product version and the deployment spec (canonical JSON). A deployment without
// one has a stand-alone questionnaire.
type DeploymentSource struct {
	DeploymentID   uint64 `gorm:"primaryKey;autoIncrement:false" json:"deployment_id"`
	ProductKey     string `gorm:"size:200;not null;index" json:"-"`
	Product        string `gorm:"size:200;not null" json:"product"`
	ProductVersion string `gorm:"size:40;not null" json:"product_version"`
	Spec           string `gorm:"type:text;not null" json:"-"`
	// Processors lists the register entries (keys) the composition used.
	Processors string    `gorm:"type:text" json:"-"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// TableName keeps sources in the table "deployment_sources".
func (DeploymentSource) TableName() string { return "deployment_sources" }

// ProcessorRef records that a deployment's composition uses a register entry (by key), so that
// a change of the entry finds the deployments it touches.
type ProcessorRef struct {
	DeploymentID uint64 `gorm:"primaryKey;autoIncrement:false"`
	NameKey      string `gorm:"primaryKey;size:200;index"`
}

// TableName keeps references in the table "processor_refs".
func (ProcessorRef) TableName() string { return "processor_refs" }

// Kinds of change an impact list is computed for (and, product and processor, propagated).
const (
	// ChangeProduct: deployments of a product move to another version of it.
	ChangeProduct = "product"
	// ChangeProcessor: an entry of the processor register changes.
	ChangeProcessor = "processor"
	// ChangeSpec: one deployment's spec changes (modules enabled or disabled, its own answers).
	ChangeSpec = "spec"
)

// ImpactFinding is a finding an impact list adds or resolves.
type ImpactFinding struct {
	ID       string `json:"id"`
	Key      string `json:"key"`
	Severity string `json:"severity"`
	Title    string `json:"title"`
	// TitleMsg is Title as a structured message (docs/messages.md); nil for a company rule's.
	TitleMsg *Message `json:"title_msg,omitempty"`
}

// ImpactEntry is what a change does to one deployment: its current verdict, the verdict it
// would get, and the findings added and resolved against its latest assessment. Error says why
// the deployment could not be assessed under the change (a module the new version lacks, a
// processor no longer in the register): a change that breaks a deployment is listed, not hidden.
type ImpactEntry struct {
	DeploymentID  uint64          `json:"deployment_id"`
	Name          string          `json:"name"`
	Customer      string          `json:"customer"`
	VerdictBefore string          `json:"verdict_before,omitempty"`
	VerdictAfter  string          `json:"verdict_after,omitempty"`
	Added         []ImpactFinding `json:"findings_added"`
	Resolved      []ImpactFinding `json:"findings_resolved"`
	// AnswersChanged counts the answers of the questionnaire the change alters.
	AnswersChanged int    `json:"answers_changed"`
	Error          string `json:"error,omitempty"`
}

// VerdictChanged reports whether the change moves the deployment's verdict.
func (e ImpactEntry) VerdictChanged() bool { return e.Error == "" && e.VerdictBefore != e.VerdictAfter }

// Change is a change whose impact is listed: Kind (Change*) with its parameters. Nothing of it
// is stored by listing its impact.
type Change struct {
	Kind string `json:"kind"`
	// Product and Version: ChangeProduct, the product's deployments on another version move to
	// Version (pushed already, or given as ProductDocument, not stored).
	Product         string          `json:"product,omitempty"`
	Version         string          `json:"version,omitempty"`
	ProductDocument json.RawMessage `json:"product_document,omitempty"`
	// Processor: ChangeProcessor, the register entry's name (as it stands in the register:
	// the deployments composed before its latest change), or ProcessorDocument, the entry as
	// proposed, not stored.
	Processor         string          `json:"processor,omitempty"`
	ProcessorDocument json.RawMessage `json:"processor_document,omitempty"`
	// DeploymentID and Spec: ChangeSpec, the deployment's spec as proposed.
	DeploymentID uint64          `json:"deployment_id,omitempty"`
	Spec         json.RawMessage `json:"spec,omitempty"`
}

// Impact is a page of a change's impact list: the deployments it touches (Total), in id order
// from after the cursor given, with Next the cursor of the next page (0: none).
type Impact struct {
	Change  Change        `json:"change"`
	Total   int           `json:"total"`
	Entries []ImpactEntry `json:"entries"`
	Next    uint64        `json:"next,omitempty"`
}

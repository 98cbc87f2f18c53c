package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// schemaMigration records an applied migration.
type schemaMigration struct {
	Version   int `gorm:"primaryKey;autoIncrement:false"`
	Name      string
	AppliedAt time.Time
}

func (schemaMigration) TableName() string { return "schema_migrations" }

// migration is one schema version. Migrations are append-only and frozen: each works on its own
// copies of the tables as they were at that version (migrations_v*.go), never on the current
// models, so a later change to a model cannot change what an old migration does.
type migration struct {
	version int
	name    string
	up      func(tx *gorm.DB) error
}

var migrations = []migration{
	{1, "initial schema", func(tx *gorm.DB) error {
		return tx.Migrator().AutoMigrate(&userV1{}, &tokenV1{}, &deploymentV1{}, &revisionV1{}, &assessmentV1{}, &auditEventV1{})
	}},
	{2, "legal review", func(tx *gorm.DB) error {
		return tx.Migrator().AutoMigrate(&deploymentV2{}, &assessmentV2{})
	}},
	{3, "actions", func(tx *gorm.DB) error {
		if err := tx.Migrator().AutoMigrate(&actionV3{}, &actionCommentV3{}); err != nil {
			return err
		}
		return backfillActions(tx)
	}},
	{4, "web sessions", func(tx *gorm.DB) error {
		return tx.Migrator().AutoMigrate(&sessionV4{})
	}},
	{5, "accepted risks", func(tx *gorm.DB) error {
		return tx.Migrator().AutoMigrate(&deploymentV5{}, &assessmentV5{})
	}},
	{6, "webhooks", func(tx *gorm.DB) error {
		return tx.Migrator().AutoMigrate(&webhookV6{}, &webhookDeliveryV6{})
	}},
	{7, "external users", func(tx *gorm.DB) error {
		return tx.Migrator().AutoMigrate(&userV7{})
	}},
	{8, "notifications", func(tx *gorm.DB) error {
		return tx.Migrator().AutoMigrate(&userV8{})
	}},
	{9, "products and processors", func(tx *gorm.DB) error {
		return tx.Migrator().AutoMigrate(&productVersionV9{}, &processorVersionV9{}, &deploymentSourceV9{}, &processorRefV9{})
	}},
	{10, "propagations", func(tx *gorm.DB) error {
		return tx.Migrator().AutoMigrate(&propagationV10{}, &propagationOutcomeV10{})
	}},
	{11, "action title messages", func(tx *gorm.DB) error {
		return tx.Migrator().AutoMigrate(&actionV11{})
	}},
	{12, "re-evaluation runs", func(tx *gorm.DB) error {
		return tx.Migrator().AutoMigrate(&propagationV12{})
	}},
	{13, "customer search index", customerSearchIndex},
	{14, "policy bundles", func(tx *gorm.DB) error {
		return tx.Migrator().AutoMigrate(&policyBundleV14{})
	}},
	{15, "assessments by questionnaire digest", func(tx *gorm.DB) error {
		if err := tx.Exec("ALTER TABLE assessments ADD COLUMN input_digest VARCHAR(80) NOT NULL DEFAULT ''").Error; err != nil {
			return err
		}
		return tx.Exec("CREATE INDEX idx_assessments_input ON assessments (input_digest, policy_digest, as_of)").Error
	}},
	{16, "assessment results kept once", func(tx *gorm.DB) error {
		if err := tx.Migrator().AutoMigrate(&assessmentResultV16{}); err != nil {
			return err
		}
		return tx.Exec("ALTER TABLE assessments ADD COLUMN result_digest VARCHAR(80) NOT NULL DEFAULT ''").Error
	}},
}

// LatestSchemaVersion is the schema version this build migrates to.
func LatestSchemaVersion() int { return migrations[len(migrations)-1].version }

// migrate applies the migrations not yet recorded, each in a transaction of its own, under a
// lock that serialises processes starting at once.
func (s *Store) migrate(ctx context.Context) error {
	if s.dialect == "postgres" {
		// Two processes starting at once: the second waits for the first one's migrations.
		return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			if err := tx.Exec("SELECT pg_advisory_xact_lock(8373102)").Error; err != nil {
				return fmt.Errorf("migrate: lock: %w", err)
			}
			return s.migrateWith(tx)
		})
	}
	// SQLite: one immediate transaction takes the database's write lock at BEGIN, so a second
	// process starting on the same fresh directory waits (busy_timeout) and then finds the
	// migrations applied, instead of creating the same tables again.
	return s.db.WithContext(ctx).Transaction(s.migrateWith)
}

func (s *Store) migrateWith(db *gorm.DB) error {
	if err := db.AutoMigrate(&schemaMigration{}); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	var applied []int
	if err := db.Model(&schemaMigration{}).Pluck("version", &applied).Error; err != nil {
		return fmt.Errorf("migrate: read versions: %w", err)
	}
	done := map[int]bool{}
	for _, v := range applied {
		if v > LatestSchemaVersion() {
			return fmt.Errorf("migrate: the database is at schema version %d, newer than this piaflow (%d): upgrade piaflow", v, LatestSchemaVersion())
		}
		done[v] = true
	}
	for _, m := range migrations {
		if done[m.version] {
			continue
		}
		err := db.Transaction(func(tx *gorm.DB) error {
			if err := m.up(tx); err != nil {
				return err
			}
			return tx.Create(&schemaMigration{Version: m.version, Name: m.name, AppliedAt: s.now()}).Error
		})
		if err != nil {
			return fmt.Errorf("migrate to version %d (%s): %w", m.version, m.name, err)
		}
	}
	return nil
}

// SchemaVersion is the highest applied migration.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.db.WithContext(ctx).Model(&schemaMigration{}).Select("COALESCE(MAX(version), 0)").Scan(&v).Error
	if err != nil {
		return 0, fmt.Errorf("schema version: %w", err)
	}
	return v, nil
}

// backfillActions opens the actions of every deployment's latest assessment when the actions
// table is created on a database that already holds assessments.
func backfillActions(tx *gorm.DB) error {
	var latest []struct {
		ID, DeploymentID uint64
		Result           string
		CreatedAt        time.Time
	}
	err := tx.Raw(`SELECT a.id, a.deployment_id, a.result, a.created_at FROM assessments a WHERE a.id = (SELECT MAX(b.id) FROM assessments b WHERE b.deployment_id = a.deployment_id)`).Scan(&latest).Error
	if err != nil {
		return fmt.Errorf("backfill actions: %w", err)
	}
	for _, a := range latest {
		var result struct {
			Findings []struct {
				Key, ID, Regime, Severity string
				Citation                  struct{ Ref, URL string }
				Action                    struct{ Title, Owner, Due string }
			}
		}
		if err := json.Unmarshal([]byte(a.Result), &result); err != nil {
			continue // a result piaflow cannot read opens no actions
		}
		for _, f := range result.Findings {
			act := actionV3{DeploymentID: a.DeploymentID, FindingKey: f.Key, FindingID: f.ID, Regime: f.Regime, Severity: f.Severity,
				Title: f.Action.Title, Citation: f.Citation.Ref, CitationURL: f.Citation.URL, Owner: f.Action.Owner, Due: f.Action.Due,
				Status: "open", AssessmentID: a.ID, CreatedAt: a.CreatedAt, UpdatedAt: a.CreatedAt}
			if err := tx.Create(&act).Error; err != nil {
				return fmt.Errorf("backfill actions: %w", err)
			}
		}
	}
	return nil
}

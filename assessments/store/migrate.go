package store

import (
	"context"
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

// migration is one schema version. Migrations are append-only: a released one never changes;
// a change to the schema is a new migration.
type migration struct {
	version int
	name    string
	up      func(tx *gorm.DB) error
}

var migrations = []migration{
	{1, "initial schema", func(tx *gorm.DB) error {
		return tx.Migrator().AutoMigrate(&User{}, &Token{}, &Deployment{}, &Revision{}, &Assessment{}, &AuditEvent{})
	}},
	// Migrations only add tables and columns (GORM's AutoMigrate of the current models), so
	// replaying an earlier one on a newer model is harmless.
	{2, "legal review", func(tx *gorm.DB) error {
		return tx.Migrator().AutoMigrate(&Deployment{}, &Assessment{})
	}},
	{3, "actions", func(tx *gorm.DB) error {
		return tx.Migrator().AutoMigrate(&Action{}, &ActionComment{})
	}},
}

// LatestSchemaVersion is the schema version this build migrates to.
func LatestSchemaVersion() int { return migrations[len(migrations)-1].version }

// migrate applies the migrations not yet recorded, each in its own transaction.
func (s *Store) migrate(ctx context.Context) error {
	if s.dialect == "postgres" {
		// Two processes starting at once: the second waits for the first one's migrations.
		return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			if err := tx.Exec("SELECT pg_advisory_xact_lock(8373102)").Error; err != nil {
				return fmt.Errorf("migrate: lock: %w", err)
			}
			return s.migrateWith(ctx, tx)
		})
	}
	return s.migrateWith(ctx, s.db.WithContext(ctx))
}

func (s *Store) migrateWith(ctx context.Context, db *gorm.DB) error {
	if err := db.AutoMigrate(&schemaMigration{}); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	var applied []int
	if err := db.Model(&schemaMigration{}).Pluck("version", &applied).Error; err != nil {
		return fmt.Errorf("migrate: read versions: %w", err)
	}
	done := map[int]bool{}
	for _, v := range applied {
		done[v] = true
	}
	for _, v := range applied {
		if v > LatestSchemaVersion() {
			return fmt.Errorf("migrate: the database is at schema version %d, newer than this piaflow (%d): upgrade piaflow", v, LatestSchemaVersion())
		}
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

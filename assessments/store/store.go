// Package store keeps the domain's records (package piaflow: deployments, questionnaire
// revisions, assessment records, actions and comments, users, tokens, sessions and the audit
// log) with GORM: SQLite in a data directory by default (pure Go, WAL, busy timeout),
// PostgreSQL through a postgres:// URL. It is the only package that imports GORM.
//
// The store is persistence only: transactions, row locks and queries. Who may do what and
// whether an input is valid is decided before (package service, with the rules of package
// piaflow); a change that depends on the stored state under a lock (a review, an action update,
// an import) takes the domain's function for it as a parameter and runs it inside the
// transaction. Errors match the kinds of package piaflow (piaflow.ErrNotFound, ...).
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/logger"

	"github.com/piaflow/piaflow"
)

// Config says where the data lives.
type Config struct {
	// DatabaseURL is a postgres:// (or postgresql://) URL; empty means SQLite in DataDir.
	DatabaseURL string
	// DataDir holds the SQLite file piaflow.db (created when missing); default ".piaflow".
	DataDir string
}

// Store is piaflow's storage. It is safe for concurrent use.
type Store struct {
	db      *gorm.DB
	dialect string
	// now returns the current time (UTC); tests may replace it through WithClock.
	now func() time.Time

	hooksMu sync.Mutex
	// enqueued is told when a committed transaction queued webhook deliveries (OnEnqueue).
	enqueued func()
}

// Open connects to the database of cfg and brings its schema to the latest version.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	gcfg := &gorm.Config{Logger: logger.Discard, NowFunc: func() time.Time { return time.Now().UTC() }, TranslateError: true}
	var (
		db      *gorm.DB
		err     error
		dialect string
	)
	switch {
	case strings.HasPrefix(cfg.DatabaseURL, "postgres://"), strings.HasPrefix(cfg.DatabaseURL, "postgresql://"):
		dialect = "postgres"
		db, err = gorm.Open(postgres.Open(cfg.DatabaseURL), gcfg)
	case cfg.DatabaseURL == "":
		dialect = "sqlite"
		dir := cfg.DataDir
		if dir == "" {
			dir = ".piaflow"
		}
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("open store: create data directory: %w", err)
		}
		// WAL lets readers run beside the one writer; immediate transactions take the write lock
		// at BEGIN, so a transaction never fails upgrading a read lock (it waits, busy_timeout).
		dsn := filepath.Join(dir, "piaflow.db") + fmt.Sprintf("?_pragma=busy_timeout(%d)", sqliteBusyWait.Milliseconds()) +
			"&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate"
		db, err = openSQLite(ctx, dsn, gcfg)
	default:
		return nil, fmt.Errorf("open store: database URL must start with postgres:// (or be empty for SQLite)")
	}
	if err != nil {
		return nil, fmt.Errorf("open %s store: %w", dialect, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("open %s store: %w", dialect, err)
	}
	if dialect == "sqlite" {
		// Every open connection stays open: a new SQLite connection reads the schema and runs
		// the pragmas again (database/sql keeps 2 idle by default, closing the others after use).
		sqlDB.SetMaxOpenConns(8)
		sqlDB.SetMaxIdleConns(8)
	} else {
		sqlDB.SetMaxOpenConns(20)
		sqlDB.SetMaxIdleConns(10)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	}
	s := &Store{db: db, dialect: dialect, now: func() time.Time { return time.Now().UTC() }}
	if err := s.migrate(ctx); err != nil {
		_ = s.Close()
		return nil, err
	}
	return s, nil
}

// Dialect is "sqlite" or "postgres".
func (s *Store) Dialect() string { return s.dialect }

// Close closes the database.
func (s *Store) Close() error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return fmt.Errorf("close store: %w", err)
	}
	return sqlDB.Close()
}

// Ping checks that the database answers (readiness).
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return fmt.Errorf("ping store: %w", err)
	}
	return sqlDB.PingContext(ctx)
}

// translate maps GORM's errors to the domain's kinds.
func translate(err error, what string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return fmt.Errorf("%s: %w", what, piaflow.ErrNotFound)
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return fmt.Errorf("%s: %w", what, piaflow.ErrConflict)
	case strings.Contains(err.Error(), "SQLSTATE 22001"), strings.Contains(err.Error(), "SQLSTATE 22021"):
		// PostgreSQL: value too long, or a NUL byte in text.
		return fmt.Errorf("%s: %w", what, piaflow.ErrInvalid)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// translateObj is translate for a read of one object: not found, it is an error whose message
// (error.not_found.<obj>, with the pairs as parameters) names the object in every language;
// its English text is what, so the error reads as translate's.
func translateObj(err error, what, obj string, pairs ...any) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return piaflow.MsgKind(piaflow.ErrNotFound, "error.not_found."+obj, pairs...)
	}
	return translate(err, what)
}

// translateNew is translate for the creation of one object: a duplicate is an error whose
// message (error.exists.<obj>) says so in every language; its English text is what.
func translateNew(err error, what, obj string, pairs ...any) error {
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return piaflow.MsgKind(piaflow.ErrConflict, "error.exists."+obj, pairs...)
	}
	return translate(err, what)
}

// lockDeployment reads a deployment and, on PostgreSQL, locks its row until the transaction
// ends, so that writes to one deployment (revisions, assessments, reviews, actions, archiving)
// are serialised. SQLite's immediate transactions serialise every writer already.
func lockDeployment(tx *gorm.DB, id uint64) (piaflow.Deployment, error) {
	var d piaflow.Deployment
	err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).First(&d, id).Error
	return d, err
}

// lockActive is lockDeployment for a change: an archived deployment is refused (ErrConflict,
// ReasonArchived).
func lockActive(tx *gorm.DB, id uint64) (piaflow.Deployment, error) {
	d, err := lockDeployment(tx, id)
	if err == nil && d.Status == piaflow.DeploymentArchived {
		err = archived(d.ID)
	}
	return d, err
}

// archived is the error of a change to an archived deployment.
func archived(id uint64) error {
	return piaflow.MsgError(piaflow.ErrConflict, piaflow.ReasonArchived, "error.deployment_archived", "id", id)
}

// openSQLite opens the SQLite database. Switching a new database to WAL needs the database to
// itself, and SQLite answers SQLITE_BUSY at once, whatever busy_timeout says, when another process
// opens the same new database at that moment: the open is tried again for up to 10 s.
// Its connections take the process's write slot before they write (writeslot.go).
func openSQLite(ctx context.Context, dsn string, gcfg *gorm.Config) (*gorm.DB, error) {
	drv, err := sqliteDriver()
	if err != nil {
		return nil, err
	}
	slot := newWriteSlot(sqliteBusyWait)
	deadline := time.Now().Add(10 * time.Second)
	for {
		sqlDB := sql.OpenDB(slotConnector{dsn: dsn, drv: drv, slot: slot})
		db, err := gorm.Open(sqlite.Dialector{Conn: sqlDB}, gcfg)
		if err != nil {
			_ = sqlDB.Close()
		}
		if err == nil || !strings.Contains(err.Error(), "SQLITE_BUSY") || time.Now().After(deadline) {
			return db, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// SQL returns the store's database handle, for the job queue (package jobs) to share the
// database (on SQLite the same file and connections).
func (s *Store) SQL() (*sql.DB, error) {
	db, err := s.db.DB()
	if err != nil {
		return nil, fmt.Errorf("store database: %w", err)
	}
	return db, nil
}

// sqliteBusyWait is how long a writer waits for SQLite's write lock (the DSN's busy_timeout)
// and, before that, for the process's write slot.
const sqliteBusyWait = 10 * time.Second

// sqliteDriver is the SQLite driver registered as "sqlite" (github.com/glebarez/go-sqlite, by
// the GORM dialector's import); sql.Open connects to nothing.
func sqliteDriver() (driver.Driver, error) {
	db, err := sql.Open(sqlite.DriverName, "")
	if err != nil {
		return nil, fmt.Errorf("open store: sqlite driver: %w", err)
	}
	defer db.Close()
	return db.Driver(), nil
}

// Package storetest opens empty stores for tests: SQLite in a temporary directory, and a real
// PostgreSQL (a fresh schema per test) when PIAFLOW_TEST_DATABASE_URL names a server, as
// scripts/test.sh does after starting one on loopback.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/piaflow/piaflow/assessments/store"
)

// Dialects lists the databases to test: sqlite always, postgres when PIAFLOW_TEST_DATABASE_URL
// is set. With PIAFLOW_REQUIRE_POSTGRES=1 a missing URL fails the test instead of leaving
// PostgreSQL untested.
func Dialects(tb testing.TB) []string {
	out := []string{"sqlite"}
	if os.Getenv("PIAFLOW_TEST_DATABASE_URL") != "" {
		out = append(out, "postgres")
	} else if os.Getenv("PIAFLOW_REQUIRE_POSTGRES") == "1" {
		tb.Fatal("PIAFLOW_REQUIRE_POSTGRES=1 but PIAFLOW_TEST_DATABASE_URL is not set")
	}
	return out
}

// Config returns the configuration of an empty database of the dialect, removed when the test ends.
func Config(tb testing.TB, dialect string) store.Config {
	tb.Helper()
	if dialect == "sqlite" {
		return store.Config{DataDir: tb.TempDir()}
	}
	base := os.Getenv("PIAFLOW_TEST_DATABASE_URL")
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		tb.Fatal(err)
	}
	schema := "t_" + hex.EncodeToString(b)
	admin, err := gorm.Open(postgres.Open(base), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		tb.Fatal(err)
	}
	// pg_trgm (the customer search's index, migration 13) in the shared schema public, before
	// any test's migration could install it in its own schema: there, DROP SCHEMA … CASCADE at
	// the end of that test would drop it with every other test's index built on it, and deadlock
	// with their statements. Several test processes may race here; one of them creates it.
	admin.Exec("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
	if err := admin.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		if db, err := admin.DB(); err == nil {
			db.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return store.Config{DatabaseURL: u.String()}
}

// Open opens an empty store of the dialect, closed when the test ends.
func Open(tb testing.TB, dialect string) *store.Store {
	tb.Helper()
	s, err := store.Open(context.Background(), Config(tb, dialect))
	if err != nil {
		tb.Fatalf("open %s store: %v", dialect, err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

package store

import (
	"context"
	"database/sql"
	"errors"
	"runtime"
	"testing"
	"time"

	"gorm.io/gorm"
)

func TestMayWrite(t *testing.T) {
	for _, c := range []struct {
		query string
		write bool
	}{
		{"SELECT 1", false},
		{"  select * from deployments", false},
		{"-- name: JobGetByID :one\nSELECT * FROM river_job WHERE id = ?", false},
		{"/* a comment */ VALUES (1)", false},
		{"EXPLAIN QUERY PLAN SELECT 1", false},
		{"", false},
		{"-- only a comment", false},
		{"INSERT INTO t VALUES (1)", true},
		{"-- name: JobGetAvailable :many\nUPDATE river_job SET state = 'running' RETURNING *", true},
		{"\n\tdelete from sessions", true},
		{"WITH x AS (SELECT 1) UPDATE t SET a = 1", true},
		{"BEGIN IMMEDIATE", true},
		{"PRAGMA journal_mode = WAL", true},
		{"/* unterminated", false},
	} {
		if got := mayWrite(c.query); got != c.write {
			t.Errorf("mayWrite(%q) = %v, want %v", c.query, got, c.write)
		}
	}
}

// openSlotted opens a SQLite store with a table t, and returns it with its write slot.
func openSlotted(t *testing.T) (*Store, *sql.DB, *writeSlot) {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	db, err := s.SQL()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "CREATE TABLE t (a INTEGER)"); err != nil {
		t.Fatal(err)
	}
	// The slot is the connector's: hold it and see who waits.
	c, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var slot *writeSlot
	if err := c.Raw(func(dc any) error {
		sc, ok := dc.(*slotConn)
		if !ok {
			return errors.New("the store's connections do not take the write slot")
		}
		slot = sc.slot
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	c.Close()
	return s, db, slot
}

// waitForWaiter returns once n writers wait for the slot.
func waitForWaiter(slot *writeSlot, n int32) {
	for slot.waiting.Load() < n {
		runtime.Gosched()
	}
}

// TestWriteSlotQueuesEveryWriter: with the slot taken, a transaction of the store, a write
// outside any transaction on the store's *sql.DB (the job queue's kind) and an UPDATE …
// RETURNING wait for it, reads do not, and each goes on once it is given back.
func TestWriteSlotQueuesEveryWriter(t *testing.T) {
	ctx := context.Background()
	s, db, slot := openSlotted(t)
	slot.ch <- struct{}{} // another writer holds the slot

	var n int
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM t").Scan(&n); err != nil {
		t.Fatalf("a read waited or failed: %v", err)
	}

	done := make(chan error, 3)
	go func() { _, err := db.ExecContext(ctx, "INSERT INTO t VALUES (1)"); done <- err }()
	go func() {
		done <- s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return tx.Exec("INSERT INTO t VALUES (2)").Error })
	}()
	go func() {
		rows, err := db.QueryContext(ctx, "UPDATE t SET a = a + 10 RETURNING a")
		if err == nil {
			for rows.Next() {
			}
			err = rows.Close()
		}
		done <- err
	}()
	waitForWaiter(slot, 3)
	select {
	case err := <-done:
		t.Fatalf("a writer went on while the slot was held: %v", err)
	default:
	}
	<-slot.ch // given back
	for range 3 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if len(slot.ch) != 0 {
		t.Error("the slot was not given back")
	}
}

// TestWriteSlotReleaseAndWait: a transaction that fails gives the slot back; a writer whose
// context ends while it waits stops with the context's error; one that cannot get the slot
// within its wait goes on to SQLite's own wait.
func TestWriteSlotReleaseAndWait(t *testing.T) {
	ctx := context.Background()
	s, db, slot := openSlotted(t)
	fail := errors.New("fail")
	held := false
	if err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		held = len(slot.ch) == 1
		return fail
	}); !errors.Is(err, fail) || !held {
		t.Fatalf("transaction: %v, slot held during it: %v", err, held)
	}
	if len(slot.ch) != 0 {
		t.Fatal("the slot was not given back after a failed transaction")
	}

	slot.ch <- struct{}{}
	cancelled, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { _, err := db.ExecContext(cancelled, "INSERT INTO t VALUES (3)"); done <- err }()
	waitForWaiter(slot, 1)
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("a writer whose context ended while it waited: %v", err)
	}
	slot.wait = time.Millisecond
	if _, err := db.ExecContext(ctx, "INSERT INTO t VALUES (4)"); err != nil {
		t.Errorf("past the slot's wait: %v", err)
	}
	if len(slot.ch) != 1 {
		t.Error("a writer that went on without the slot gave back another's")
	}
	<-slot.ch
}

// TestWriteSlotFailedCommit: a COMMIT that fails on a deferred constraint leaves SQLite's
// transaction open; it is rolled back before the slot is given back, so the connection's next
// statements are not swallowed by it.
func TestWriteSlotFailedCommit(t *testing.T) {
	ctx := context.Background()
	_, db, slot := openSlotted(t)
	db.SetMaxOpenConns(1) // the next statements run on the connection whose COMMIT failed
	for _, q := range []string{
		"CREATE TABLE parent (id INTEGER PRIMARY KEY)",
		"CREATE TABLE child (parent INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)",
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO child VALUES (42)"); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err == nil {
		t.Fatal("a commit breaking a deferred foreign key succeeded")
	}
	if len(slot.ch) != 0 {
		t.Fatal("the slot was not given back after a failed commit")
	}
	if _, err := db.ExecContext(ctx, "INSERT INTO t VALUES (5)"); err != nil {
		t.Fatal(err)
	}
	tx2, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatalf("a transaction after the failed commit: %v", err)
	}
	var rows, children int
	if err := tx2.QueryRowContext(ctx, "SELECT COUNT(*) FROM t").Scan(&rows); err != nil || rows != 1 {
		t.Errorf("the write after the failed commit: %d rows (%v)", rows, err)
	}
	if err := tx2.QueryRowContext(ctx, "SELECT COUNT(*) FROM child").Scan(&children); err != nil || children != 0 {
		t.Errorf("the failed transaction's row: %d (%v)", children, err)
	}
	if err := tx2.Rollback(); err != nil {
		t.Fatal(err)
	}
}

package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"gorm.io/gorm"
)

// TestWriteSlot: on SQLite the store's write transactions take the process's write slot and
// give it back whatever their function returns; one waiting for it stops with its context, and
// one that cannot get it in time goes on to SQLite's own wait.
func TestWriteSlot(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if cap(s.writes) != 1 {
		t.Fatalf("SQLite store without a write slot")
	}
	held := false
	fail := errors.New("fail")
	if err := s.transaction(ctx, func(*gorm.DB) error {
		held = len(s.writes) == 1
		return fail
	}); !errors.Is(err, fail) || !held {
		t.Fatalf("transaction: %v, slot held during it: %v", err, held)
	}
	if len(s.writes) != 0 {
		t.Fatal("the slot was not given back after an error")
	}

	s.writes <- struct{}{} // another transaction holds the slot
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	ran := false
	if err := s.transaction(cancelled, func(*gorm.DB) error { ran = true; return nil }); !errors.Is(err, context.Canceled) || ran {
		t.Errorf("waiting for the slot with a cancelled context: %v, ran %v", err, ran)
	}
	s.slotWait = time.Millisecond
	if err := s.transaction(ctx, func(tx *gorm.DB) error { ran = true; return tx.Exec("SELECT 1").Error }); err != nil || !ran {
		t.Errorf("past the slot's wait: %v, ran %v", err, ran)
	}
	if len(s.writes) != 1 {
		t.Error("a transaction that ran without the slot gave back another's")
	}
	<-s.writes
}

package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/piaflow/piaflow"
)

// TestSessionExpiry: a session ends piaflow.SessionTTL after sign-in, and expired sessions are removed
// when the next one is created.
func TestSessionExpiry(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return now }
	u, err := s.CreateUser(ctx, nil, "erin", piaflow.RoleEngineer)
	if err != nil {
		t.Fatal(err)
	}
	secret, _, err := s.CreateSession(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(piaflow.SessionTTL - time.Minute)
	if _, err := s.SessionBySecret(ctx, secret); err != nil {
		t.Fatalf("session before expiry: %v", err)
	}
	now = now.Add(2 * time.Minute)
	if _, err := s.SessionBySecret(ctx, secret); !errors.Is(err, piaflow.ErrNotFound) {
		t.Fatalf("expired session: %v, want piaflow.ErrNotFound", err)
	}
	if _, _, err := s.CreateSession(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	var n int64
	s.db.Model(&piaflow.Session{}).Count(&n)
	if n != 1 {
		t.Errorf("%d sessions stored, want 1 (the expired one removed)", n)
	}
}

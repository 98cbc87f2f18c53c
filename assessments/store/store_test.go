package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// The same tests run against SQLite (always) and PostgreSQL (PIAFLOW_TEST_DATABASE_URL, which
// scripts/test.sh sets after starting a server on loopback; PIAFLOW_REQUIRE_POSTGRES=1 makes its
// absence a failure rather than a skip).
func dialects(t *testing.T) []string {
	out := []string{"sqlite"}
	if os.Getenv("PIAFLOW_TEST_DATABASE_URL") != "" {
		out = append(out, "postgres")
	} else if os.Getenv("PIAFLOW_REQUIRE_POSTGRES") == "1" {
		t.Fatal("PIAFLOW_REQUIRE_POSTGRES=1 but PIAFLOW_TEST_DATABASE_URL is not set")
	}
	return out
}

// MustOpen opens an empty store of the dialect: SQLite in a temporary directory, or a fresh
// PostgreSQL schema dropped when the test ends.
func MustOpen(tb testing.TB, dialect string) *Store {
	tb.Helper()
	ctx := context.Background()
	var cfg Config
	switch dialect {
	case "sqlite":
		cfg.DataDir = tb.TempDir()
	case "postgres":
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
		cfg.DatabaseURL = u.String()
	}
	s, err := Open(ctx, cfg)
	if err != nil {
		tb.Fatalf("open %s store: %v", dialect, err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

func forEachDialect(t *testing.T, f func(t *testing.T, s *Store)) {
	for _, d := range dialects(t) {
		t.Run(d, func(t *testing.T) { f(t, MustOpen(t, d)) })
	}
}

func TestMigrations(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *Store) {
		v, err := s.SchemaVersion(context.Background())
		if err != nil || v != len(migrations) {
			t.Fatalf("schema version %d (%v), want %d", v, err, len(migrations))
		}
		// migrating again is a no-op
		if err := s.migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		if err := s.Ping(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
}

func TestUsersAndTokens(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		alice, err := s.CreateUser(ctx, nil, "alice", RoleAdmin)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateUser(ctx, nil, "alice", RoleLegal); !errors.Is(err, ErrConflict) {
			t.Errorf("duplicate user: %v, want ErrConflict", err)
		}
		if _, err := s.CreateUser(ctx, nil, "bob", "overlord"); err == nil || !strings.Contains(err.Error(), `role "overlord"`) {
			t.Errorf("bad role: %v", err)
		}
		secret, tok, err := s.CreateToken(ctx, &alice, "alice", "laptop")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(secret, "pf_") || len(secret) < 40 || tok.Hash == secret || strings.Contains(tok.Hash, secret) {
			t.Errorf("token %q, stored hash %q", secret, tok.Hash)
		}
		u, err := s.Authenticate(ctx, secret)
		if err != nil || u.Name != "alice" || u.Role != RoleAdmin {
			t.Fatalf("authenticate: %+v, %v", u, err)
		}
		if _, err := s.Authenticate(ctx, secret+"x"); !errors.Is(err, ErrNotFound) {
			t.Errorf("wrong token: %v, want ErrNotFound", err)
		}
		if err := s.RevokeToken(ctx, &alice, tok.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Authenticate(ctx, secret); !errors.Is(err, ErrNotFound) {
			t.Errorf("revoked token: %v, want ErrNotFound", err)
		}
		if _, _, err := s.CreateToken(ctx, nil, "nobody", ""); !errors.Is(err, ErrNotFound) {
			t.Errorf("token for an unknown user: %v", err)
		}
		events, err := s.AuditLog(ctx, "user", alice.ID, 100)
		if err != nil || len(events) != 2 || events[0].Action != "create_user" || events[1].Action != "issue_token" || events[1].Actor != "alice" {
			t.Errorf("audit of alice: %+v, %v", events, err)
		}
	})
}

func TestRevisionsAndETags(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		eng, _ := s.CreateUser(ctx, nil, "erin", RoleEngineer)
		d, err := s.CreateDeployment(ctx, &eng, Deployment{Name: "Portal", Customer: "Klinikum Nord", CustomerCountry: "DE"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.SaveRevision(ctx, &eng, d.ID, "bogus", []byte(`{}`), true); !errors.Is(err, ErrPrecondition) {
			t.Errorf("If-Match on a deployment without revisions: %v", err)
		}
		r1, err := s.SaveRevision(ctx, &eng, d.ID, "", []byte(`{"schema_version":1}`), true)
		if err != nil || r1.Number != 1 || r1.ETag == "" {
			t.Fatalf("first revision: %+v, %v", r1, err)
		}
		if _, err := s.SaveRevision(ctx, &eng, d.ID, "", []byte(`{}`), true); !errors.Is(err, ErrPrecondition) {
			t.Errorf("second save without If-Match: %v, want ErrPrecondition", err)
		}
		r2, err := s.SaveRevision(ctx, &eng, d.ID, r1.ETag, []byte(`{"schema_version":1,"x":2}`), false)
		if err != nil || r2.Number != 2 || r2.ETag == r1.ETag {
			t.Fatalf("second revision: %+v, %v", r2, err)
		}
		if _, err := s.SaveRevision(ctx, &eng, d.ID, r1.ETag, []byte(`{}`), false); !errors.Is(err, ErrPrecondition) {
			t.Errorf("stale ETag: %v, want ErrPrecondition", err)
		}
		// the stale save left nothing behind
		revs, err := s.Revisions(ctx, d.ID)
		if err != nil || len(revs) != 2 || revs[0].Document != `{"schema_version":1}` {
			t.Fatalf("revisions: %+v, %v", revs, err)
		}
		latest, err := s.Revision(ctx, d.ID, 0)
		if err != nil || latest.Number != 2 {
			t.Errorf("latest revision: %+v, %v", latest, err)
		}
		if _, err := s.SaveRevision(ctx, &eng, 9999, "", []byte(`{}`), true); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown deployment: %v", err)
		}
		if _, err := s.ArchiveDeployment(ctx, &eng, d.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SaveRevision(ctx, &eng, d.ID, r2.ETag, []byte(`{}`), true); !errors.Is(err, ErrConflict) {
			t.Errorf("revising an archived deployment: %v, want ErrConflict", err)
		}
	})
}

// TestConcurrentSavesOneWins: of many saves with the same If-Match, exactly one succeeds and
// the others fail with ErrPrecondition.
func TestConcurrentSavesOneWins(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		d, _ := s.CreateDeployment(ctx, nil, Deployment{Name: "Race", Customer: "C"})
		r1, err := s.SaveRevision(ctx, nil, d.ID, "", []byte(`{}`), true)
		if err != nil {
			t.Fatal(err)
		}
		const n = 8
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = s.SaveRevision(ctx, nil, d.ID, r1.ETag, []byte(`{"n":1}`), true)
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case !errors.Is(err, ErrPrecondition):
				t.Errorf("a losing save failed with %v, want ErrPrecondition", err)
			}
		}
		if ok != 1 {
			t.Errorf("%d saves succeeded, want 1", ok)
		}
	})
}

func TestDeploymentsFilterAndAssessments(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		for _, d := range []Deployment{{Name: "A", Customer: "Acme GmbH", CustomerCountry: "DE"}, {Name: "B", Customer: "Beta SA", CustomerCountry: "FR"}, {Name: "C", Customer: "ACME Inc", CustomerCountry: "US"}} {
			if _, err := s.CreateDeployment(ctx, nil, d); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.CreateDeployment(ctx, nil, Deployment{Name: " ", Customer: "x"}); err == nil {
			t.Error("a deployment without a name was accepted")
		}
		got, total, err := s.Deployments(ctx, Filter{Customer: "acme"})
		if err != nil || total != 2 || len(got) != 2 || got[0].Name != "C" {
			t.Fatalf("filter by customer: %+v (%d), %v", got, total, err)
		}
		page, total, _ := s.Deployments(ctx, Filter{Limit: 1, Offset: 1})
		if total != 3 || len(page) != 1 || page[0].Name != "B" {
			t.Errorf("page 2 of 1: %+v (%d)", page, total)
		}
		r, _ := s.SaveRevision(ctx, nil, got[1].ID, "", []byte(`{}`), false)
		a, err := s.SaveAssessment(ctx, nil, Assessment{RevisionID: r.ID, PolicyVersion: "2026.11.0", PolicyDigest: "sha256:x", AsOf: "2026-11-25", Verdict: "blocked", Result: `{"verdict":"blocked"}`})
		if err != nil || a.DeploymentID != got[1].ID {
			t.Fatalf("save assessment: %+v, %v", a, err)
		}
		blocked, _, _ := s.Deployments(ctx, Filter{Verdict: "blocked"})
		if len(blocked) != 1 || blocked[0].ID != got[1].ID {
			t.Errorf("filter by verdict: %+v", blocked)
		}
		back, err := s.Assessment(ctx, a.ID)
		if err != nil || back.Result != `{"verdict":"blocked"}` {
			t.Errorf("read assessment: %+v, %v", back, err)
		}
		if _, err := s.SaveAssessment(ctx, nil, Assessment{RevisionID: 9999, Verdict: "ready"}); !errors.Is(err, ErrNotFound) {
			t.Errorf("assessment of an unknown revision: %v", err)
		}
		if _, err := s.Deployment(ctx, 9999); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown deployment: %v", err)
		}
	})
}

func TestOpenRefusesOtherURLs(t *testing.T) {
	if _, err := Open(context.Background(), Config{DatabaseURL: "mysql://x"}); err == nil || !strings.Contains(err.Error(), "postgres://") {
		t.Errorf("mysql URL: %v", err)
	}
}

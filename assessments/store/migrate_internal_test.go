package store

import (
	"context"
	"testing"

	"github.com/piaflow/piaflow"
)

// TestUpgradeFromVersion1: a database at schema version 1 holding an assessment is upgraded to
// the latest version, and the assessment's findings become actions.
func TestUpgradeFromVersion1(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(ctx, Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	// rebuild the database as version 1 left it
	s, err = Open(ctx, Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	db := s.db
	for _, table := range []string{"action_comments", "actions", "assessments", "revisions", "audit_events", "tokens", "users", "deployments", "schema_migrations"} {
		if err := db.Migrator().DropTable(table); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.AutoMigrate(&schemaMigration{}); err != nil {
		t.Fatal(err)
	}
	if err := migrations[0].up(db); err != nil {
		t.Fatal(err)
	}
	db.Create(&schemaMigration{Version: 1, Name: "initial schema"})
	d := deploymentV1{Name: "P", Customer: "C", Status: piaflow.DeploymentActive, LatestRevision: 1}
	db.Create(&d)
	r := revisionV1{DeploymentID: d.ID, Number: 1, Document: "{}", ETag: "e"}
	db.Create(&r)
	old := assessmentV1{DeploymentID: d.ID, RevisionID: r.ID, PolicyVersion: "v", PolicyDigest: "x", AsOf: "2026-11-25", Verdict: "blocked",
		Result: `{"findings":[{"key":"GDPR-X@f","id":"GDPR-X","regime":"gdpr","severity":"blocker","citation":{"ref":"GDPR Art. 1","url":"https://x"},"action":{"title":"fix it","owner":"legal","due":"2027-01-01"}}]}`}
	db.Create(&old)
	s.Close()

	s, err = Open(ctx, Config{DataDir: dir})
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	defer s.Close()
	if v, _ := s.SchemaVersion(ctx); v != LatestSchemaVersion() {
		t.Errorf("schema version %d after the upgrade", v)
	}
	acts, err := s.Actions(ctx, d.ID)
	if err != nil || len(acts) != 1 || acts[0].FindingKey != "GDPR-X@f" || acts[0].Status != piaflow.ActionOpen || acts[0].Due != "2027-01-01" {
		t.Errorf("backfilled actions: %+v %v", acts, err)
	}
	got, _ := s.Deployment(ctx, d.ID)
	if got.ReviewState != piaflow.ReviewNone || got.AcceptedRisks != 0 {
		t.Errorf("review state after the upgrade: %q, %d accepted risks", got.ReviewState, got.AcceptedRisks)
	}
	if a, err := s.LatestAssessment(ctx, d.ID); err != nil || a.AcceptedRisks != 0 || a.AcceptedRiskDetails != nil || a.Result != old.Result || a.ResultDigest != "" {
		t.Errorf("assessment after the upgrade: %+v %v", a, err)
	}
	// a database newer than this build is refused
	s.db.Create(&schemaMigration{Version: LatestSchemaVersion() + 1, Name: "future"})
	if _, err := Open(ctx, Config{DataDir: dir}); err == nil {
		t.Error("a database from a newer piaflow was opened")
	}
}

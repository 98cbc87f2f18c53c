package store_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments/store"
	"github.com/piaflow/piaflow/assessments/store/storetest"
)

// The same tests run against SQLite and, when scripts/test.sh started one, PostgreSQL.
func forEachDialect(t *testing.T, f func(t *testing.T, s *store.Store)) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) { f(t, storetest.Open(t, d)) })
	}
}

// submit and decide run the domain's review transitions inside the store's transaction, as the
// service does.
func submit(ctx context.Context, s *store.Store, actor *piaflow.User, id uint64) (piaflow.AssessmentRecord, error) {
	return s.Review(ctx, actor, id, "submit_review", func(a *piaflow.AssessmentRecord, _ []piaflow.Action, _ time.Time) error { return a.Submit() })
}

// decide decides the review of an assessment without blocker findings.
func decide(ctx context.Context, s *store.Store, actor *piaflow.User, id uint64, approve bool, comment string) (piaflow.AssessmentRecord, error) {
	return decideWith(ctx, s, actor, id, approve, comment, nil)
}

// decideWith decides the review of an assessment whose blocker findings have the keys blockers
// (the service reads them from the stored result).
func decideWith(ctx context.Context, s *store.Store, actor *piaflow.User, id uint64, approve bool, comment string, blockers []string) (piaflow.AssessmentRecord, error) {
	action := "reject"
	if approve {
		action = "approve"
	}
	return s.Review(ctx, actor, id, action, func(a *piaflow.AssessmentRecord, acts []piaflow.Action, now time.Time) error {
		return a.Decide(*actor, approve, comment, blockers, acts, now)
	})
}

// update applies an action update as the service does: the domain's rules inside the store's
// transaction.
func update(ctx context.Context, s *store.Store, actor piaflow.User, id uint64, u piaflow.ActionUpdate) (piaflow.Action, error) {
	return s.UpdateAction(ctx, &actor, id, func(a *piaflow.Action) (piaflow.AuditEvent, error) { return a.Apply(actor, u) })
}

func TestMigrations(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			ctx := context.Background()
			cfg := storetest.Config(t, d)
			for range 2 { // opening again finds the schema current and migrates nothing
				s, err := store.Open(ctx, cfg)
				if err != nil {
					t.Fatal(err)
				}
				v, err := s.SchemaVersion(ctx)
				if err != nil || v != store.LatestSchemaVersion() {
					t.Fatalf("schema version %d (%v), want %d", v, err, store.LatestSchemaVersion())
				}
				if err := s.Ping(ctx); err != nil {
					t.Fatal(err)
				}
				s.Close()
			}
		})
	}
}

func TestUsersAndTokens(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		alice, err := s.CreateUser(ctx, nil, "alice", piaflow.RoleAdmin)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateUser(ctx, nil, "alice", piaflow.RoleLegal); !errors.Is(err, piaflow.ErrConflict) {
			t.Errorf("duplicate user: %v, want piaflow.ErrConflict", err)
		}
		secret, tok, err := s.CreateToken(ctx, &alice, "alice", "laptop")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(secret, "pf_") || len(secret) < 40 || tok.Hash == secret || strings.Contains(tok.Hash, secret) {
			t.Errorf("token %q, stored hash %q", secret, tok.Hash)
		}
		u, err := s.Authenticate(ctx, secret)
		if err != nil || u.Name != "alice" || u.Role != piaflow.RoleAdmin {
			t.Fatalf("authenticate: %+v, %v", u, err)
		}
		if _, err := s.Authenticate(ctx, secret+"x"); !errors.Is(err, piaflow.ErrNotFound) {
			t.Errorf("wrong token: %v, want piaflow.ErrNotFound", err)
		}
		if err := s.RevokeToken(ctx, &alice, tok.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Authenticate(ctx, secret); !errors.Is(err, piaflow.ErrNotFound) {
			t.Errorf("revoked token: %v, want piaflow.ErrNotFound", err)
		}
		if _, _, err := s.CreateToken(ctx, nil, "nobody", ""); !errors.Is(err, piaflow.ErrNotFound) {
			t.Errorf("token for an unknown user: %v", err)
		}
		events, err := s.AuditLog(ctx, "user", alice.ID, 100)
		if err != nil || len(events) != 2 || events[0].Action != "create_user" || events[1].Action != "issue_token" || events[1].Actor != "alice" {
			t.Errorf("audit of alice: %+v, %v", events, err)
		}
	})
}

func TestRevisionsAndETags(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		eng, _ := s.CreateUser(ctx, nil, "erin", piaflow.RoleEngineer)
		d, err := s.CreateDeployment(ctx, &eng, piaflow.Deployment{Name: "Portal", Customer: "Klinikum Nord", CustomerCountry: "DE"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.SaveRevision(ctx, &eng, d.ID, "bogus", []byte(`{}`), true); !errors.Is(err, piaflow.ErrPrecondition) {
			t.Errorf("If-Match on a deployment without revisions: %v", err)
		}
		r1, err := s.SaveRevision(ctx, &eng, d.ID, "", []byte(`{"schema_version":1}`), true)
		if err != nil || r1.Number != 1 || r1.ETag == "" {
			t.Fatalf("first revision: %+v, %v", r1, err)
		}
		if _, err := s.SaveRevision(ctx, &eng, d.ID, "", []byte(`{}`), true); !errors.Is(err, piaflow.ErrPrecondition) {
			t.Errorf("second save without If-Match: %v, want piaflow.ErrPrecondition", err)
		}
		r2, err := s.SaveRevision(ctx, &eng, d.ID, r1.ETag, []byte(`{"schema_version":1,"x":2}`), false)
		if err != nil || r2.Number != 2 || r2.ETag == r1.ETag {
			t.Fatalf("second revision: %+v, %v", r2, err)
		}
		if _, err := s.SaveRevision(ctx, &eng, d.ID, r1.ETag, []byte(`{}`), false); !errors.Is(err, piaflow.ErrPrecondition) {
			t.Errorf("stale ETag: %v, want piaflow.ErrPrecondition", err)
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
		if _, err := s.SaveRevision(ctx, &eng, 9999, "", []byte(`{}`), true); !errors.Is(err, piaflow.ErrNotFound) {
			t.Errorf("unknown deployment: %v", err)
		}
		if _, err := s.ArchiveDeployment(ctx, &eng, d.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SaveRevision(ctx, &eng, d.ID, r2.ETag, []byte(`{}`), true); !errors.Is(err, piaflow.ErrConflict) {
			t.Errorf("revising an archived deployment: %v, want piaflow.ErrConflict", err)
		}
	})
}

// TestConcurrentSavesOneWins: of many saves with the same If-Match, exactly one succeeds and
// the others fail with piaflow.ErrPrecondition.
func TestConcurrentSavesOneWins(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		d, _ := s.CreateDeployment(ctx, nil, piaflow.Deployment{Name: "Race", Customer: "C"})
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
			case !errors.Is(err, piaflow.ErrPrecondition):
				t.Errorf("a losing save failed with %v, want piaflow.ErrPrecondition", err)
			}
		}
		if ok != 1 {
			t.Errorf("%d saves succeeded, want 1", ok)
		}
	})
}

func TestDeploymentsFilterAndAssessments(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		for _, d := range []piaflow.Deployment{{Name: "A", Customer: "Acme GmbH", CustomerCountry: "DE"}, {Name: "B", Customer: "Beta SA", CustomerCountry: "FR"}, {Name: "C", Customer: "ACME Inc", CustomerCountry: "US"}} {
			if _, err := s.CreateDeployment(ctx, nil, d); err != nil {
				t.Fatal(err)
			}
		}
		got, total, err := s.Deployments(ctx, piaflow.DeploymentFilter{Customer: "acme"})
		if err != nil || total != 2 || len(got) != 2 || got[0].Name != "C" {
			t.Fatalf("filter by customer: %+v (%d), %v", got, total, err)
		}
		if none, total, err := s.Deployments(ctx, piaflow.DeploymentFilter{Customer: "%"}); err != nil || total != 0 || len(none) != 0 {
			t.Errorf("%% is matched literally: %d %v", total, err)
		}
		page, total, _ := s.Deployments(ctx, piaflow.DeploymentFilter{Limit: 1, Offset: 1})
		if total != 3 || len(page) != 1 || page[0].Name != "B" {
			t.Errorf("page 2 of 1: %+v (%d)", page, total)
		}
		r, _ := s.SaveRevision(ctx, nil, got[1].ID, "", []byte(`{}`), false)
		a, err := s.SaveAssessment(ctx, nil, piaflow.AssessmentRecord{RevisionID: r.ID, PolicyVersion: "2026.11.0", PolicyDigest: "sha256:x", AsOf: "2026-11-25", Verdict: "blocked", Result: `{"verdict":"blocked"}`}, nil)
		if err != nil || a.DeploymentID != got[1].ID {
			t.Fatalf("save assessment: %+v, %v", a, err)
		}
		blocked, _, _ := s.Deployments(ctx, piaflow.DeploymentFilter{Verdict: "blocked"})
		if len(blocked) != 1 || blocked[0].ID != got[1].ID {
			t.Errorf("filter by verdict: %+v", blocked)
		}
		back, err := s.Assessment(ctx, a.ID)
		if err != nil || back.Result != `{"verdict":"blocked"}` {
			t.Errorf("read assessment: %+v, %v", back, err)
		}
		if _, err := s.SaveAssessment(ctx, nil, piaflow.AssessmentRecord{RevisionID: 9999, Verdict: "ready"}, nil); !errors.Is(err, piaflow.ErrNotFound) {
			t.Errorf("assessment of an unknown revision: %v", err)
		}
		if _, err := s.Deployment(ctx, 9999); !errors.Is(err, piaflow.ErrNotFound) {
			t.Errorf("unknown deployment: %v", err)
		}
	})
}

func TestOpenRefusesOtherURLs(t *testing.T) {
	if _, err := store.Open(context.Background(), store.Config{DatabaseURL: "mysql://x"}); err == nil || !strings.Contains(err.Error(), "postgres://") {
		t.Errorf("mysql URL: %v", err)
	}
}

func TestReviewFlow(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		eng, _ := s.CreateUser(ctx, nil, "erin", piaflow.RoleEngineer)
		lena, _ := s.CreateUser(ctx, nil, "lena", piaflow.RoleLegal)
		d, _ := s.CreateDeployment(ctx, &eng, piaflow.Deployment{Name: "P", Customer: "C"})
		r1, _ := s.SaveRevision(ctx, &eng, d.ID, "", []byte(`{}`), false)
		a1, err := s.SaveAssessment(ctx, &eng, piaflow.AssessmentRecord{RevisionID: r1.ID, PolicyVersion: "v", PolicyDigest: "d", AsOf: "2026-11-25", Verdict: "conditional", Result: "{}"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := decide(ctx, s, &lena, a1.ID, true, "ok"); !errors.Is(err, piaflow.ErrConflict) {
			t.Errorf("approving an unsubmitted assessment: %v", err)
		}
		if _, err := submit(ctx, s, &eng, a1.ID); err != nil {
			t.Fatal(err)
		}
		if q, _ := s.ReviewQueue(ctx); len(q) != 1 || q[0].ID != a1.ID {
			t.Errorf("queue: %+v", q)
		}
		if _, err := decide(ctx, s, &lena, a1.ID, false, " "); !errors.Is(err, piaflow.ErrInvalid) {
			t.Errorf("a rejection without a comment: %v", err)
		}
		a, err := decide(ctx, s, &lena, a1.ID, true, "fine for go-live")
		if err != nil || a.ReviewState != piaflow.ReviewApproved || a.Reviewer != "lena" || a.ReviewedAt == nil {
			t.Fatalf("approve: %+v %v", a, err)
		}
		// approved is locked
		if _, err := submit(ctx, s, &eng, a1.ID); !errors.Is(err, piaflow.ErrConflict) {
			t.Errorf("resubmitting an approved assessment: %v", err)
		}
		got, _ := s.Deployment(ctx, d.ID)
		if got.ReviewState != piaflow.ReviewApproved {
			t.Errorf("deployment review state %q", got.ReviewState)
		}
		// a new revision needs a new review
		r2, _ := s.SaveRevision(ctx, &eng, d.ID, r1.ETag, []byte(`{"x":1}`), false)
		if got, _ := s.Deployment(ctx, d.ID); got.ReviewState != piaflow.ReviewNone {
			t.Errorf("after a new revision the review state is %q", got.ReviewState)
		}
		a2, _ := s.SaveAssessment(ctx, &eng, piaflow.AssessmentRecord{RevisionID: r2.ID, PolicyVersion: "v", PolicyDigest: "d", AsOf: "2026-11-25", Verdict: "ready", Result: "{}"}, nil)
		if _, err := submit(ctx, s, &eng, a1.ID); !errors.Is(err, piaflow.ErrConflict) {
			t.Errorf("submitting a superseded assessment: %v", err)
		}
		if _, err := submit(ctx, s, &eng, a2.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := decide(ctx, s, &lena, a2.ID, false, "retention missing"); err != nil {
			t.Fatal(err)
		}
		if list, _, _ := s.Deployments(ctx, piaflow.DeploymentFilter{Review: piaflow.ReviewRejected}); len(list) != 1 {
			t.Errorf("filter by review state: %+v", list)
		}
		events, _ := s.AuditLog(ctx, "deployment", d.ID, 100)
		var actions []string
		for _, e := range events {
			actions = append(actions, e.Action)
		}
		if got := strings.Join(actions, ","); got != "create,revise,evaluate,submit_review,approve,revise,evaluate,submit_review,reject" {
			t.Errorf("audit trail %s", got)
		}
	})
}

// TestApproveWithAcceptedRisks: an approval with an open blocker is refused naming it; once
// legal accepts its risk with a justification the approval stands, and the record and the
// deployment carry the accepted risks (filterable) until a new revision needs a new review.
func TestApproveWithAcceptedRisks(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		eng, _ := s.CreateUser(ctx, nil, "erin", piaflow.RoleEngineer)
		lena, _ := s.CreateUser(ctx, nil, "lena", piaflow.RoleLegal)
		d, _ := s.CreateDeployment(ctx, &eng, piaflow.Deployment{Name: "P", Customer: "C"})
		other, _ := s.CreateDeployment(ctx, &eng, piaflow.Deployment{Name: "Q", Customer: "C"})
		r1, _ := s.SaveRevision(ctx, &eng, d.ID, "", []byte(`{}`), false)
		wanted := []piaflow.Action{
			{FindingKey: "GDPR-X@a", FindingID: "GDPR-X", Regime: "gdpr", Severity: "blocker", Title: "sign SCCs", Owner: "legal"},
			{FindingKey: "GDPR-Y@b", FindingID: "GDPR-Y", Regime: "gdpr", Severity: "high", Title: "add MFA", Owner: "engineering"},
		}
		a1, err := s.SaveAssessment(ctx, &eng, piaflow.AssessmentRecord{RevisionID: r1.ID, PolicyVersion: "v", PolicyDigest: "d", AsOf: "2026-11-25", Verdict: "blocked", Result: "{}"}, wanted)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := submit(ctx, s, &eng, a1.ID); err != nil {
			t.Fatal(err)
		}
		blockers := []string{"GDPR-X@a"}
		_, err = decideWith(ctx, s, &lena, a1.ID, true, "go", blockers)
		if !errors.Is(err, piaflow.ErrConflict) || piaflow.ReasonOf(err) != piaflow.ReasonOpenBlockers || !strings.Contains(err.Error(), "GDPR-X@a") {
			t.Fatalf("approving with an open blocker: %v", err)
		}
		if got, _ := s.Assessment(ctx, a1.ID); got.ReviewState != piaflow.ReviewSubmitted || got.AcceptedRisks != 0 {
			t.Errorf("a refused approval changed the record: %+v", got)
		}
		acts, _ := s.Actions(ctx, d.ID)
		accept, just := piaflow.ActionRiskAccepted, "SCCs signed 2026-11-20; the processor's audit is due in Q1"
		if _, err := update(ctx, s, lena, acts[0].ID, piaflow.ActionUpdate{Status: &accept, Justification: &just}); err != nil {
			t.Fatal(err)
		}
		a, err := decideWith(ctx, s, &lena, a1.ID, true, "go", blockers)
		if err != nil || a.ReviewState != piaflow.ReviewApproved || a.AcceptedRisks != 1 || a.Verdict != "blocked" {
			t.Fatalf("approve with the risk accepted: %+v %v", a, err)
		}
		got, _ := s.Assessment(ctx, a1.ID)
		want := []piaflow.AcceptedRisk{{FindingKey: "GDPR-X@a", FindingID: "GDPR-X", Justification: just, ActionID: acts[0].ID}}
		if got.AcceptedRisks != 1 || !slices.Equal(got.AcceptedRiskDetails, want) || got.Verdict != "blocked" {
			t.Errorf("stored record: %d %+v, verdict %s", got.AcceptedRisks, got.AcceptedRiskDetails, got.Verdict)
		}
		dep, _ := s.Deployment(ctx, d.ID)
		if dep.ReviewState != piaflow.ReviewApproved || dep.AcceptedRisks != 1 || dep.Verdict != "blocked" {
			t.Errorf("deployment: %+v", dep)
		}
		yes, no := true, false
		if list, total, _ := s.Deployments(ctx, piaflow.DeploymentFilter{AcceptedRisks: &yes}); total != 1 || list[0].ID != d.ID {
			t.Errorf("filter approved with accepted risks: %d %+v", total, list)
		}
		if list, total, _ := s.Deployments(ctx, piaflow.DeploymentFilter{AcceptedRisks: &no}); total != 1 || list[0].ID != other.ID {
			t.Errorf("filter without accepted risks: %d %+v", total, list)
		}
		events, _ := s.AuditLog(ctx, "deployment", d.ID, 100)
		if last := events[len(events)-1]; last.Action != "approve" || !strings.Contains(last.Detail, "GDPR-X@a") {
			t.Errorf("audit of the approval: %+v", last)
		}
		// a new revision needs a new review: the deployment has no accepted risks any more
		r2, _ := s.SaveRevision(ctx, &eng, d.ID, r1.ETag, []byte(`{"x":1}`), false)
		if dep, _ := s.Deployment(ctx, d.ID); dep.AcceptedRisks != 0 || dep.ReviewState != piaflow.ReviewNone {
			t.Errorf("after a new revision: %+v", dep)
		}
		a2, _ := s.SaveAssessment(ctx, &eng, piaflow.AssessmentRecord{RevisionID: r2.ID, PolicyVersion: "v", PolicyDigest: "d", AsOf: "2026-11-25", Verdict: "blocked", Result: "{}", AcceptedRisks: 3}, wanted)
		if a2.AcceptedRisks != 0 || a2.AcceptedRiskDetails != nil {
			t.Errorf("a new assessment starts with accepted risks: %+v", a2)
		}
		if got, _ := s.Assessment(ctx, a1.ID); got.AcceptedRisks != 1 {
			t.Errorf("the approved record lost its accepted risks: %+v", got)
		}
	})
}

func TestActionsFollowFindings(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		eng, _ := s.CreateUser(ctx, nil, "erin", piaflow.RoleEngineer)
		lena, _ := s.CreateUser(ctx, nil, "lena", piaflow.RoleLegal)
		d, _ := s.CreateDeployment(ctx, &eng, piaflow.Deployment{Name: "P", Customer: "C"})
		r, _ := s.SaveRevision(ctx, &eng, d.ID, "", []byte(`{}`), false)
		spec := func(key string) piaflow.Action {
			return piaflow.Action{FindingKey: key, FindingID: key, Regime: "gdpr", Severity: "high", Title: "do " + key, Owner: "engineering"}
		}
		save := func(keys ...string) {
			var specs []piaflow.Action
			for _, k := range keys {
				specs = append(specs, spec(k))
			}
			if _, err := s.SaveAssessment(ctx, &eng, piaflow.AssessmentRecord{RevisionID: r.ID, PolicyVersion: "v", PolicyDigest: "d", AsOf: "2026-11-25", Verdict: "conditional", Result: "{}"}, specs); err != nil {
				t.Fatal(err)
			}
		}
		status := func() map[string]string {
			acts, err := s.Actions(ctx, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]string{}
			for _, a := range acts {
				out[a.FindingKey] = a.Status
			}
			return out
		}
		save("A", "B")
		if got := status(); got["A"] != "open" || got["B"] != "open" {
			t.Fatalf("opened: %v", got)
		}
		acts, _ := s.Actions(ctx, d.ID)
		b := acts[1]
		just := "the customer accepts it"
		accept := piaflow.ActionRiskAccepted
		if _, err := update(ctx, s, eng, b.ID, piaflow.ActionUpdate{Status: &accept, Justification: &just}); !errors.Is(err, piaflow.ErrForbidden) {
			t.Errorf("an engineer accepting a risk: %v", err)
		}
		if _, err := update(ctx, s, lena, b.ID, piaflow.ActionUpdate{Status: &accept}); !errors.Is(err, piaflow.ErrInvalid) {
			t.Errorf("accepting without a justification: %v", err)
		}
		if _, err := update(ctx, s, lena, b.ID, piaflow.ActionUpdate{Status: &accept, Justification: &just}); err != nil {
			t.Fatal(err)
		}
		save("B") // A resolved: closed; B accepted: stays accepted
		if got := status(); got["A"] != "done" || got["B"] != "risk_accepted" {
			t.Errorf("after A resolved: %v", got)
		}
		save("A", "B") // A back: reopened
		if got := status(); got["A"] != "open" {
			t.Errorf("after A came back: %v", got)
		}
		comments, _ := s.Comments(ctx, acts[0].ID)
		if len(comments) != 2 || !strings.HasPrefix(comments[0].Body, "closed:") || !strings.HasPrefix(comments[1].Body, "reopened:") {
			t.Errorf("system comments: %+v", comments)
		}
		assignee := "someone-else"
		if _, err := update(ctx, s, lena, acts[0].ID, piaflow.ActionUpdate{Assignee: &assignee}); err != nil {
			t.Fatal(err)
		}
		progress := piaflow.ActionInProgress
		if _, err := update(ctx, s, eng, acts[0].ID, piaflow.ActionUpdate{Status: &progress}); !errors.Is(err, piaflow.ErrForbidden) {
			t.Errorf("an engineer changing someone else's action: %v", err)
		}
	})
}

// TestConcurrentReviewDecisions: approve and reject at once — exactly one decision stands.
func TestConcurrentReviewDecisions(t *testing.T) {
	forEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		lena, _ := s.CreateUser(ctx, nil, "lena", piaflow.RoleLegal)
		d, _ := s.CreateDeployment(ctx, nil, piaflow.Deployment{Name: "P", Customer: "C"})
		r, _ := s.SaveRevision(ctx, nil, d.ID, "", []byte(`{}`), false)
		for round := range 10 {
			a, err := s.SaveAssessment(ctx, nil, piaflow.AssessmentRecord{RevisionID: r.ID, PolicyVersion: "v", PolicyDigest: "d", AsOf: "2026-11-25", Verdict: "ready", Result: "{}"}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := submit(ctx, s, nil, a.ID); err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			errs := make([]error, 2)
			for i, approve := range []bool{true, false} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, errs[i] = decide(ctx, s, &lena, a.ID, approve, "decided")
				}()
			}
			wg.Wait()
			if (errs[0] == nil) == (errs[1] == nil) {
				t.Fatalf("round %d: approve %v, reject %v: exactly one must succeed", round, errs[0], errs[1])
			}
			got, _ := s.Assessment(ctx, a.ID)
			if (errs[0] == nil && got.ReviewState != piaflow.ReviewApproved) || (errs[1] == nil && got.ReviewState != piaflow.ReviewRejected) {
				t.Fatalf("round %d: state %s does not match the decision that succeeded", round, got.ReviewState)
			}
		}
	})
}

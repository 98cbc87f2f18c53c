package service_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/assessments/store"
	"github.com/piaflow/piaflow/assessments/store/storetest"
	"github.com/piaflow/piaflow/examples"
	"github.com/piaflow/piaflow/policies"
	"github.com/piaflow/piaflow/service"
)

// fixture is a service over an empty store with one user per role.
type fixture struct {
	svc   *service.Service
	st    *store.Store
	users map[string]piaflow.User
	// evaluations counts what the observer saw.
	evaluations *atomic.Int64
}

// eachDatabase runs a test against SQLite and, when the test script started one, PostgreSQL.
func eachDatabase(t *testing.T, f func(t *testing.T, fx fixture)) {
	e, err := policies.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			st := storetest.Open(t, d)
			svc := service.New(st, assessments.NewEvaluator(e))
			fx := fixture{svc: svc, st: st, users: map[string]piaflow.User{}, evaluations: &atomic.Int64{}}
			svc.OnEvaluation(func(*assessments.Assessment) { fx.evaluations.Add(1) })
			for _, role := range piaflow.Roles() {
				u, err := svc.CreateUser(context.Background(), piaflow.System, role+"-user", role)
				if err != nil {
					t.Fatal(err)
				}
				fx.users[role] = u
			}
			f(t, fx)
		})
	}
}

func example(t *testing.T, name string) []byte {
	t.Helper()
	b, err := examples.FS.ReadFile(name + ".yaml")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// deployment creates a deployment with the example questionnaire, evaluated.
func (fx fixture) deployment(t *testing.T, name string) (piaflow.Deployment, service.Assessment) {
	t.Helper()
	ctx := context.Background()
	eng := fx.users[piaflow.RoleEngineer]
	d, err := fx.svc.CreateDeployment(ctx, eng, piaflow.Deployment{Name: " " + name + " ", Customer: "Customer", CustomerCountry: "DE"})
	if err != nil {
		t.Fatal(err)
	}
	a, err := fx.svc.SubmitQuestionnaire(ctx, eng, d.ID, "", example(t, "hospital-ehr-germany"))
	if err != nil {
		t.Fatal(err)
	}
	return d, a
}

// TestEvaluateRecords: an evaluation is recorded with the actions its findings ask for, counted
// by the observer; a draft is not evaluated.
func TestEvaluateRecords(t *testing.T) {
	eachDatabase(t, func(t *testing.T, fx fixture) {
		ctx := context.Background()
		eng := fx.users[piaflow.RoleEngineer]
		d, first := fx.deployment(t, "Portal")
		if d.Name != "Portal" || first.Record.ID == 0 || first.Revision != 1 || first.Result.Verdict != first.Record.Verdict {
			t.Fatalf("deployment %+v, assessment %+v", d, first.Record)
		}
		acts, err := fx.svc.Actions(ctx, eng, d.ID)
		if err != nil || len(acts) != len(first.Result.Findings) || len(acts) == 0 {
			t.Fatalf("%d actions for %d findings: %v", len(acts), len(first.Result.Findings), err)
		}
		again, err := fx.svc.Evaluate(ctx, eng, d.ID, 0)
		if err != nil || again.Record.ID == first.Record.ID || again.Record.Verdict != first.Record.Verdict {
			t.Fatalf("evaluate again: %+v, %v", again.Record, err)
		}
		if n := fx.evaluations.Load(); n != 2 {
			t.Errorf("the observer saw %d evaluations, want 2", n)
		}
		latest, _ := fx.svc.Revision(ctx, eng, d.ID, 0)
		if _, err := fx.svc.SaveDraft(ctx, eng, d.ID, latest.ETag, map[string]any{"deployment": map[string]any{"name": "Portal"}}); err != nil {
			t.Fatal(err)
		}
		_, err = fx.svc.Evaluate(ctx, eng, d.ID, 0)
		if !errors.Is(err, piaflow.ErrConflict) || piaflow.ReasonOf(err) != piaflow.ReasonDraft {
			t.Errorf("evaluating a draft: %v", err)
		}
		if _, err := fx.svc.SaveDraft(ctx, eng, d.ID, "*", map[string]any{}); err != nil {
			t.Errorf("If-Match * on a deployment with revisions: %v", err)
		}
	})
}

// TestAuthorization: every use case refuses a role the authorisation table does not grant,
// before it reads or changes anything.
func TestAuthorization(t *testing.T) {
	eachDatabase(t, func(t *testing.T, fx fixture) {
		ctx := context.Background()
		d, a := fx.deployment(t, "Portal")
		acts, _ := fx.svc.Actions(ctx, fx.users[piaflow.RoleLegal], d.ID)
		svc := fx.svc
		calls := []struct {
			name    string
			allowed []string
			call    func(u piaflow.User) error
		}{
			{"CreateDeployment", []string{"engineer", "admin"}, func(u piaflow.User) error {
				_, err := svc.CreateDeployment(ctx, u, piaflow.Deployment{Name: "x", Customer: "y"})
				return err
			}},
			{"Evaluate", []string{"engineer", "admin"}, func(u piaflow.User) error { _, err := svc.Evaluate(ctx, u, d.ID, 0); return err }},
			{"Assessment", []string{"engineer", "legal", "admin"}, func(u piaflow.User) error { _, err := svc.Assessment(ctx, u, a.Record.ID); return err }},
			{"ReportDocument", []string{"engineer", "legal", "admin"}, func(u piaflow.User) error {
				_, err := svc.ReportDocument(ctx, u, a.Record.ID, true)
				return err
			}},
			{"Reevaluate", []string{"legal", "admin"}, func(u piaflow.User) error { _, err := svc.Reevaluate(ctx, u); return err }},
			{"StartPropagation", []string{"engineer", "legal", "admin"}, func(u piaflow.User) error {
				_, err := svc.StartPropagation(ctx, u, piaflow.PropagationPolicies, nil, "")
				return err
			}},
			{"Propagations", []string{"engineer", "legal", "admin"}, func(u piaflow.User) error {
				_, _, err := svc.Propagations(ctx, u, 1, 0)
				return err
			}},
			{"DecideReview", []string{"legal"}, func(u piaflow.User) error {
				_, err := svc.DecideReview(ctx, u, 9999, true, "ok")
				return err
			}},
			{"AuditAfter", []string{"legal", "admin"}, func(u piaflow.User) error { _, err := svc.AuditAfter(ctx, u, 0, 1); return err }},
			{"UpdateAction", []string{"engineer", "legal", "admin"}, func(u piaflow.User) error {
				_, err := svc.UpdateAction(ctx, u, acts[0].ID, piaflow.ActionUpdate{})
				return err
			}},
			{"ImportActions", []string{"engineer", "legal", "admin"}, func(u piaflow.User) error {
				_, err := svc.ImportActions(ctx, u, d.ID, nil)
				return err
			}},
			{"CreateUser", []string{"admin"}, func(u piaflow.User) error { _, err := svc.CreateUser(ctx, u, "x-"+u.Role, "sales"); return err }},
			{"HostingCheck", piaflow.Roles(), func(u piaflow.User) error {
				_, err := svc.HostingCheck(ctx, u, assessments.HostingQuery{Data: []string{"contact"}, Subjects: []string{"DE"}, Host: "DE"})
				return err
			}},
		}
		for _, c := range calls {
			for _, role := range piaflow.Roles() {
				err := c.call(fx.users[role])
				forbidden := errors.Is(err, piaflow.ErrForbidden) && piaflow.ReasonOf(err) == piaflow.ReasonRole
				if allowed := strings.Contains(strings.Join(c.allowed, ","), role); allowed == forbidden {
					t.Errorf("%s as %s: %v (allowed: %v)", c.name, role, err, allowed)
				}
			}
		}
	})
}

// TestActionRules: the per-object rules hold through the service, one action at a time and
// through an imported list.
func TestActionRules(t *testing.T) {
	eachDatabase(t, func(t *testing.T, fx fixture) {
		ctx := context.Background()
		eng, legal := fx.users[piaflow.RoleEngineer], fx.users[piaflow.RoleLegal]
		d, _ := fx.deployment(t, "Portal")
		acts, _ := fx.svc.Actions(ctx, eng, d.ID)
		accept, just := piaflow.ActionRiskAccepted, "accepted by the DPO"
		_, err := fx.svc.UpdateAction(ctx, eng, acts[0].ID, piaflow.ActionUpdate{Status: &accept, Justification: &just})
		if !errors.Is(err, piaflow.ErrForbidden) || piaflow.ReasonOf(err) != piaflow.ReasonAcceptRisk {
			t.Errorf("an engineer accepting a risk: %v", err)
		}
		if _, err := fx.svc.UpdateAction(ctx, legal, acts[0].ID, piaflow.ActionUpdate{Status: &accept}); piaflow.ReasonOf(err) != piaflow.ReasonJustification {
			t.Errorf("accepting without a justification: %v", err)
		}
		if _, err := fx.svc.UpdateAction(ctx, legal, acts[0].ID, piaflow.ActionUpdate{Status: &accept, Justification: &just}); err != nil {
			t.Fatal(err)
		}
		_, err = fx.svc.ImportActions(ctx, eng, d.ID, []piaflow.ActionEdit{{Row: 2, ID: acts[0].ID, Status: piaflow.ActionDone}})
		var ie *piaflow.ImportError
		if !errors.As(err, &ie) || !errors.Is(err, piaflow.ErrForbidden) || ie.Problems[0].Column != "Status" {
			t.Errorf("an engineer closing an accepted risk by import: %v", err)
		}
		res, err := fx.svc.ImportActions(ctx, eng, d.ID, []piaflow.ActionEdit{{Row: 2, ID: acts[1].ID, Status: piaflow.ActionDone, Comment: "fixed"}})
		if err != nil || res != (piaflow.ImportResult{Updated: 1, Commented: 1}) {
			t.Errorf("import: %+v, %v", res, err)
		}
		if _, err := fx.svc.AddComment(ctx, eng, acts[1].ID, "  "); !errors.Is(err, piaflow.ErrInvalid) {
			t.Errorf("an empty comment: %v", err)
		}
		cs, err := fx.svc.Comments(ctx, legal, acts[1].ID)
		if err != nil || len(cs) != 1 || cs[0].Author != eng.Name || cs[0].Body != "fixed" {
			t.Errorf("comments: %+v, %v", cs, err)
		}
	})
}

// acceptBlockers has legal accept the risk of each blocker finding of a, with a justification.
func (fx fixture) acceptBlockers(t *testing.T, deploymentID uint64, a *assessments.Assessment) []piaflow.Action {
	t.Helper()
	ctx, legal := context.Background(), fx.users[piaflow.RoleLegal]
	acts, err := fx.svc.Actions(ctx, legal, deploymentID)
	if err != nil {
		t.Fatal(err)
	}
	var out []piaflow.Action
	for _, act := range acts {
		if !slices.Contains(a.Blockers(), act.FindingKey) {
			continue
		}
		status, just := piaflow.ActionRiskAccepted, "accepted for the pilot: "+act.FindingID
		got, err := fx.svc.UpdateAction(ctx, legal, act.ID, piaflow.ActionUpdate{Status: &status, Justification: &just})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, got)
	}
	return out
}

// TestApproveNeedsAcceptedBlockers: legal cannot approve a blocked assessment while a blocker's
// risk is not accepted (the error names the finding); once accepted, the approval records the
// accepted risks on the assessment and the deployment, the verdict stays blocked, the list
// filters them and the report document carries them.
func TestApproveNeedsAcceptedBlockers(t *testing.T) {
	eachDatabase(t, func(t *testing.T, fx fixture) {
		ctx := context.Background()
		eng, legal := fx.users[piaflow.RoleEngineer], fx.users[piaflow.RoleLegal]
		d, a := fx.deployment(t, "Portal")
		blockers := a.Result.Blockers()
		if a.Result.Verdict != assessments.VerdictBlocked || len(blockers) == 0 {
			t.Fatalf("the example is %s with blockers %v; the test needs a blocked one", a.Result.Verdict, blockers)
		}
		if _, err := fx.svc.SubmitReview(ctx, eng, a.Record.ID); err != nil {
			t.Fatal(err)
		}
		_, err := fx.svc.DecideReview(ctx, legal, a.Record.ID, true, "go")
		if !errors.Is(err, piaflow.ErrConflict) || piaflow.ReasonOf(err) != piaflow.ReasonOpenBlockers || !slices.Equal(piaflow.KeysOf(err), blockers) {
			t.Fatalf("approving with open blockers %v: %v (keys %v)", blockers, err, piaflow.KeysOf(err))
		}
		// an engineer marking the blocker done does not accept its risk
		acts, _ := fx.svc.Actions(ctx, eng, d.ID)
		for _, act := range acts {
			if act.FindingKey == blockers[0] {
				done := piaflow.ActionDone
				if _, err := fx.svc.UpdateAction(ctx, eng, act.ID, piaflow.ActionUpdate{Status: &done}); err != nil {
					t.Fatal(err)
				}
			}
		}
		if _, err := fx.svc.DecideReview(ctx, legal, a.Record.ID, true, "go"); piaflow.ReasonOf(err) != piaflow.ReasonOpenBlockers {
			t.Fatalf("approving with a blocker marked done: %v", err)
		}
		accepted := fx.acceptBlockers(t, d.ID, a.Result)
		rec, err := fx.svc.DecideReview(ctx, legal, a.Record.ID, true, "go")
		if err != nil || rec.ReviewState != piaflow.ReviewApproved || rec.AcceptedRisks != len(blockers) || rec.Verdict != assessments.VerdictBlocked {
			t.Fatalf("approve: %+v %v", rec, err)
		}
		if rec.AcceptedRiskDetails[0].Justification != accepted[0].Justification || rec.AcceptedRiskDetails[0].FindingKey != blockers[0] {
			t.Errorf("accepted risks %+v", rec.AcceptedRiskDetails)
		}
		dep, _ := fx.svc.Deployment(ctx, legal, d.ID)
		if dep.AcceptedRisks != len(blockers) || piaflow.ReviewStatus(dep.ReviewState, dep.AcceptedRisks) != piaflow.ReviewApprovedWithAcceptedRisks {
			t.Errorf("deployment %+v", dep)
		}
		yes := true
		if list, total, err := fx.svc.Deployments(ctx, fx.users[piaflow.RoleSales], piaflow.DeploymentFilter{AcceptedRisks: &yes}); err != nil || total != 1 || list[0].ID != d.ID {
			t.Errorf("approved with accepted risks: %d %+v %v", total, list, err)
		}
		doc, err := fx.svc.ReportDocument(ctx, legal, a.Record.ID, false)
		if err != nil || doc.Record.AcceptedRisks != len(blockers) || len(doc.Record.AcceptedRiskDetails) != len(blockers) {
			t.Errorf("report document: %+v %v", doc, err)
		}
	})
}

// TestReviewAndLastApproved: the last approved assessment is found by a query, not in the
// audit log.
func TestReviewAndLastApproved(t *testing.T) {
	eachDatabase(t, func(t *testing.T, fx fixture) {
		ctx := context.Background()
		eng, legal := fx.users[piaflow.RoleEngineer], fx.users[piaflow.RoleLegal]
		d, first := fx.deployment(t, "Portal")
		if _, err := fx.svc.LastApproved(ctx, legal, d.ID, 0); !errors.Is(err, piaflow.ErrNotFound) {
			t.Errorf("before any approval: %v", err)
		}
		if _, err := fx.svc.SubmitReview(ctx, eng, first.Record.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := fx.svc.DecideReview(ctx, legal, first.Record.ID, false, " "); piaflow.ReasonOf(err) != piaflow.ReasonRejectComment {
			t.Errorf("rejecting without a comment: %v", err)
		}
		fx.acceptBlockers(t, d.ID, first.Result)
		if _, err := fx.svc.DecideReview(ctx, legal, first.Record.ID, true, "ok"); err != nil {
			t.Fatal(err)
		}
		second, err := fx.svc.Evaluate(ctx, eng, d.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		got, err := fx.svc.LastApproved(ctx, legal, d.ID, second.Record.ID)
		if err != nil || got.Record.ID != first.Record.ID || got.Result.Verdict != first.Result.Verdict {
			t.Errorf("last approved before %d: %+v, %v", second.Record.ID, got.Record, err)
		}
		if _, err := fx.svc.LastApproved(ctx, legal, d.ID, first.Record.ID); !errors.Is(err, piaflow.ErrNotFound) {
			t.Errorf("last approved before the first: %v", err)
		}
		other, _ := fx.deployment(t, "Other")
		if _, err := fx.svc.LastApproved(ctx, legal, other.ID, 0); !errors.Is(err, piaflow.ErrNotFound) {
			t.Errorf("another deployment's approval: %v", err)
		}
	})
}

// TestInputValidation: one validation of deployments and users for every adapter.
func TestInputValidation(t *testing.T) {
	eachDatabase(t, func(t *testing.T, fx fixture) {
		ctx := context.Background()
		eng, admin := fx.users[piaflow.RoleEngineer], fx.users[piaflow.RoleAdmin]
		_, err := fx.svc.CreateDeployment(ctx, eng, piaflow.Deployment{Name: " ", Customer: "x", CustomerCountry: "XX"})
		var de *piaflow.Error
		if !errors.As(err, &de) || !errors.Is(err, piaflow.ErrInvalid) || len(de.Fields) != 2 || de.Fields[0].Field != "name" || de.Fields[1].Field != "customer_country" {
			t.Errorf("a deployment without a name, in an unknown country: %v", err)
		}
		if _, err := fx.svc.CreateUser(ctx, admin, "bob", "overlord"); !errors.Is(err, piaflow.ErrInvalid) || !strings.Contains(err.Error(), `role "overlord"`) {
			t.Errorf("bad role: %v", err)
		}
		if _, err := fx.svc.CreateUser(ctx, admin, "engineer-user", "sales"); !errors.Is(err, piaflow.ErrConflict) {
			t.Errorf("duplicate user: %v", err)
		}
	})
}

// TestSeedDemo: the demo loads a user per role and the examples, every evaluation counted, and
// only once.
func TestSeedDemo(t *testing.T) {
	e, err := policies.Default()
	if err != nil {
		t.Fatal(err)
	}
	svc := service.New(storetest.Open(t, "sqlite"), assessments.NewEvaluator(e))
	var n atomic.Int64
	svc.OnEvaluation(func(*assessments.Assessment) { n.Add(1) })
	ctx := context.Background()
	demo, err := svc.SeedDemo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	files, _ := examples.FS.ReadDir(".")
	want := 0
	for _, f := range files {
		if strings.HasSuffix(f.Name(), ".yaml") {
			want++
		}
	}
	specs, _ := examples.FS.ReadDir("products/deployments")
	want += len(specs) // the ERP product's deployments, composed from their specs
	if demo.Skipped != "" || len(demo.Users) != len(piaflow.Roles()) || demo.Deployments != want || n.Load() != int64(want) {
		t.Errorf("demo %+v, %d evaluations; want %d deployments and evaluations", demo, n.Load(), want)
	}
	u, err := svc.Authenticate(ctx, demo.Users[0].Token)
	if err != nil || u.Name != "demo-engineer" {
		t.Errorf("the demo engineer's token: %+v, %v", u, err)
	}
	if again, err := svc.SeedDemo(ctx); err != nil || again.Skipped == "" || n.Load() != int64(want) {
		t.Errorf("seeding again: %+v, %v", again, err)
	}
}

// TestReportOfOldRevision: the report of an assessment is built from its revision as stored,
// even when today's validator would refuse that revision (a rule tightened since).
func TestReportOfOldRevision(t *testing.T) {
	eachDatabase(t, func(t *testing.T, fx fixture) {
		ctx := context.Background()
		eng := fx.users[piaflow.RoleEngineer]
		d, a := fx.deployment(t, "Portal")
		// a complete revision as an older piaflow kept it: today's rules miss its answers
		old := []byte(`{"schema_version":1,"deployment":{"name":"Portal","customer":"Klinikum"}}`)
		if _, err := assessments.Parse(old); err == nil {
			t.Fatal("today's validator accepts the old revision: the test needs one it refuses")
		}
		latest, _ := fx.svc.Revision(ctx, eng, d.ID, 0)
		r, err := fx.st.SaveRevision(ctx, &eng, d.ID, latest.ETag, old, false)
		if err != nil {
			t.Fatal(err)
		}
		rec := a.Record
		rec.RevisionID = r.ID
		rec, err = fx.st.SaveAssessment(ctx, &eng, rec, nil)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := fx.svc.ReportDocument(ctx, eng, rec.ID, true)
		if err != nil {
			t.Fatalf("report of an old revision: %v", err)
		}
		if doc.Revision != r.Number || doc.Questionnaire.Deployment.Customer != "Klinikum" || doc.Record.ID != rec.ID || doc.Record.Result != "" {
			t.Errorf("document: revision %d, questionnaire %+v, record %+v", doc.Revision, doc.Questionnaire.Deployment, doc.Record)
		}
		// evaluating it still validates
		if _, err := fx.svc.Evaluate(ctx, eng, d.ID, r.Number); err == nil {
			t.Error("an invalid revision was evaluated")
		}
	})
}

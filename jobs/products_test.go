package jobs_test

import (
	"context"
	"encoding/json"
	"io/fs"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/assessments/store/storetest"
	"github.com/piaflow/piaflow/examples"
	"github.com/piaflow/piaflow/service"
)

// pushERP pushes the example register, ERP Suite 3.0 and its four example deployments as an
// engineer; it returns the engineer, an admin and the deployments by id.
func pushERP(t *testing.T, svc *service.Service) (piaflow.User, piaflow.User, map[uint64]piaflow.Deployment) {
	t.Helper()
	ctx := context.Background()
	eng, err := svc.CreateUser(ctx, piaflow.System, "eng", piaflow.RoleEngineer)
	if err != nil {
		t.Fatal(err)
	}
	admin, err := svc.CreateUser(ctx, piaflow.System, "admin", piaflow.RoleAdmin)
	if err != nil {
		t.Fatal(err)
	}
	read := func(name string) []byte {
		b, err := examples.FS.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if _, err := svc.PushProcessors(ctx, eng, read("products/processors.yaml")); err != nil {
		t.Fatal(err)
	}
	if _, created, err := svc.PushProduct(ctx, eng, read("products/erp-suite.yaml")); err != nil || !created {
		t.Fatalf("push 3.0: created %v, %v", created, err)
	}
	specs, err := fs.Glob(examples.FS, "products/deployments/*.yaml")
	if err != nil || len(specs) != 4 {
		t.Fatalf("specs %v %v", specs, err)
	}
	deps := map[uint64]piaflow.Deployment{}
	for _, p := range specs {
		res, err := svc.PushSpec(ctx, eng, 0, "", read(p))
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if !res.NewRevision || res.Deployment.LatestRevision != 1 || res.Deployment.Verdict == "" {
			t.Fatalf("%s: %+v", p, res.Deployment)
		}
		deps[res.Deployment.ID] = res.Deployment
	}
	return eng, admin, deps
}

// TestProductChange is issue 15's "done when": push the example product and its four
// deployments; push 3.1 (the support desk moved to India without a signed agreement); its impact
// list shows every deployment with its verdict now and under 3.1 (three of them move from
// CONDITIONAL to BLOCKED; the Indonesian bank, blocked already by its own backup's mechanism,
// gains blockers) and stores nothing; the propagation runs in the background, the server stops
// after its first job and new processes (two on PostgreSQL) finish it; every deployment then
// has a new revision composed from 3.1, its audit events and an assessment whose diff against
// the one before shows the change; the verdicts are those the impact list promised.
func TestProductChange(t *testing.T) {
	for _, dialect := range storetest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			cfg := storetest.Config(t, dialect)
			first := open(t, cfg, 1)
			eng, admin, deps := pushERP(t, first.svc)
			b, err := examples.FS.ReadFile("products/erp-suite-3.1.yaml")
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := first.svc.PushProduct(ctx, eng, b); err != nil {
				t.Fatal(err)
			}

			// The impact list, a page of 3 and the rest.
			change := piaflow.Change{Kind: piaflow.ChangeProduct, Product: "erp suite", Version: "3.1"}
			page, err := first.svc.Impact(ctx, eng, change, 0, 3)
			if err != nil {
				t.Fatal(err)
			}
			if page.Total != 4 || len(page.Entries) != 3 || page.Next == 0 {
				t.Fatalf("first page: total %d, %d entries, next %d", page.Total, len(page.Entries), page.Next)
			}
			rest, err := first.svc.Impact(ctx, eng, change, page.Next, 3)
			if err != nil || len(rest.Entries) != 1 || rest.Next != 0 {
				t.Fatalf("second page: %+v %v", rest, err)
			}
			promised := map[uint64]string{}
			moved := 0
			for _, e := range append(page.Entries, rest.Entries...) {
				d := deps[e.DeploymentID]
				if e.Error != "" || e.VerdictBefore != d.Verdict || e.VerdictAfter != assessments.VerdictBlocked || len(e.Added) == 0 || e.AnswersChanged == 0 {
					t.Errorf("%s: %+v; want %s → BLOCKED with findings added", d.Name, e, d.Verdict)
				}
				if e.VerdictChanged() {
					moved++
				}
				promised[e.DeploymentID] = e.VerdictAfter
			}
			if moved != 3 {
				t.Errorf("%d verdicts change; want 3 (DE, BR, SA)", moved)
			}
			for id, d := range deps { // nothing stored
				now, err := first.svc.Deployment(ctx, eng, id)
				if err != nil || now.LatestRevision != 1 || now.Verdict != d.Verdict {
					t.Errorf("after the impact list %s: revision %d %s (%v)", d.Name, now.LatestRevision, now.Verdict, err)
				}
			}

			// Propagate; the server stops while the second job runs.
			blocked := blockAfterFirstJob(first.q)
			if err := first.q.Start(ctx); err != nil {
				t.Fatal(err)
			}
			params, _ := json.Marshal(piaflow.PropagationParams{Product: "ERP Suite", Version: "3.1"})
			p, err := first.svc.StartPropagation(ctx, eng, piaflow.PropagationProduct, params, "support desk moved to India")
			if err != nil {
				t.Fatal(err)
			}
			<-blocked
			stopped, cancel := context.WithCancel(ctx)
			cancel()
			if err := first.q.Stop(stopped); err != nil {
				t.Fatal(err)
			}
			if err := first.st.Close(); err != nil {
				t.Fatal(err)
			}
			procs := 1
			if dialect == "postgres" {
				procs = 2
			}
			var events []<-chan *river.Event
			var svc *service.Service
			for range procs {
				pr := open(t, cfg, 1)
				defer pr.close(t)
				ev, cancel := pr.q.Subscribe()
				defer cancel()
				events = append(events, ev)
				if err := pr.q.Start(ctx); err != nil {
					t.Fatal(err)
				}
				svc = pr.svc
			}
			done := waitDone(t, svc, admin, p.ID, events...)
			if done.Total != 4 || done.Done != 4 || done.Failed != 0 || done.Changed != 4 {
				t.Fatalf("propagation %+v; want 4 done and changed", done)
			}
			out, err := svc.Propagation(ctx, admin, p.ID, "", 10, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range out.Outcomes {
				d := deps[o.DeploymentID]
				now, err := svc.Deployment(ctx, admin, o.DeploymentID)
				if err != nil {
					t.Fatal(err)
				}
				src, err := svc.DeploymentSource(ctx, admin, o.DeploymentID)
				if err != nil {
					t.Fatal(err)
				}
				if now.LatestRevision != 2 || o.RevisionID == nil || now.Verdict != promised[o.DeploymentID] || o.VerdictAfter != now.Verdict ||
					src.Record.ProductVersion != "3.1" || now.ReviewState != piaflow.ReviewNone {
					t.Errorf("%s: revision %d, outcome %+v, verdict %s (promised %s), composed from %s", d.Name, now.LatestRevision, o, now.Verdict, promised[o.DeploymentID], src.Record.ProductVersion)
				}
				evs, err := svc.AuditLog(ctx, admin, o.DeploymentID)
				if err != nil {
					t.Fatal(err)
				}
				count := map[string]int{}
				for _, e := range evs {
					count[e.Action]++
					if e.Action == "revise" && e.Actor != "eng" {
						t.Errorf("%s: revision by %q; want the requester", d.Name, e.Actor)
					}
				}
				if count["revise"] != 2 || count["evaluate"] != 2 {
					t.Errorf("%s: audit %v; want two revisions and two evaluations", d.Name, count)
				}
				tl, err := svc.Timeline(ctx, admin, o.DeploymentID, 0, 10)
				if err != nil || len(tl.Assessments) != 2 {
					t.Fatalf("%s: timeline %+v %v; want two assessments", d.Name, tl.Assessments, err)
				}
				diff, err := svc.CompareAssessments(ctx, admin, tl.Assessments[0].ID, tl.Assessments[1].ID)
				if err != nil {
					t.Fatal(err)
				}
				if o.AssessmentID != tl.Assessments[0].ID || len(diff.Added) != o.Added || len(diff.Added) == 0 || len(diff.AnswerDiff.Changes) == 0 {
					t.Errorf("%s: diff of the new assessment: %d added, %d answers; outcome %+v", d.Name, len(diff.Added), len(diff.AnswerDiff.Changes), o)
				}
			}
		})
	}
}

// TestExpiryCheck: on a day when register items enter the 60 days before their expiry or
// expire, the check starts one processor propagation for each entry that deployments use (and
// none for an entry nobody uses); run again, it starts nothing; the propagations run to the end.
func TestExpiryCheck(t *testing.T) {
	for _, dialect := range storetest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			cfg := storetest.Config(t, dialect)
			pr := open(t, cfg, 2)
			defer pr.close(t)
			_, admin, _ := pushERP(t, pr.svc)
			ev, cancel := pr.q.Subscribe()
			defer cancel()
			if err := pr.q.Start(ctx); err != nil {
				t.Fatal(err)
			}
			// 2027-05-03: Telemetrix's SOC 2 (last day 2027-06-30) entered its 60 days on
			// 2027-05-01; Northwind SMS's DPA (last day 2027-05-01) expired on 2027-05-02.
			day := time.Date(2027, 5, 3, 9, 0, 0, 0, time.UTC)
			started, err := pr.svc.ExpiryCheck(ctx, day)
			if err != nil {
				t.Fatal(err)
			}
			reasons := map[string]bool{}
			for _, p := range started {
				reasons[p.Reason] = true
				if p.Kind != piaflow.PropagationProcessor || p.Requester != piaflow.System.Name || p.Total == 0 {
					t.Errorf("started %+v", p)
				}
			}
			want := "expiry check: Telemetrix's certification soc2 expires within 60 days (last valid day 2027-06-30) / 到期检查：Telemetrix 的 认证 soc2 将在 60 天内到期（最后有效日 2027-06-30）"
			if !reasons[want] {
				t.Errorf("started %v; want %q", reasons, want)
			}
			for _, p := range started {
				if done := waitDone(t, pr.svc, admin, p.ID, ev); done.Failed != 0 {
					t.Errorf("%s: %+v", p.Reason, done)
				}
			}
			again, err := pr.svc.ExpiryCheck(ctx, day.Add(time.Hour))
			if err != nil || len(again) != 0 {
				t.Errorf("again: %+v %v; want nothing", again, err)
			}
			quiet, err := pr.svc.ExpiryCheck(ctx, time.Date(2027, 2, 15, 0, 0, 0, 0, time.UTC))
			if err != nil || len(quiet) != 0 {
				t.Errorf("a day without crossings: %+v %v", quiet, err)
			}
		})
	}
}

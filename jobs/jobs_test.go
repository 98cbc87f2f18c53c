package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/assessments/store"
	"github.com/piaflow/piaflow/assessments/store/storetest"
	"github.com/piaflow/piaflow/examples"
	"github.com/piaflow/piaflow/jobs"
	"github.com/piaflow/piaflow/policies"
	"github.com/piaflow/piaflow/service"
)

// process is one server's store, service and job queue over a shared database.
type process struct {
	st  *store.Store
	svc *service.Service
	q   *jobs.Queue
}

// open opens a process whose jobs re-assess one deployment each (the tests count them).
func open(t testing.TB, cfg store.Config, workers int, opts ...assessments.EvaluatorOption) process {
	t.Helper()
	return openBatch(t, cfg, workers, 1, opts...)
}

// openBatch opens a process whose jobs re-assess batch deployments each.
func openBatch(t testing.TB, cfg store.Config, workers, batch int, opts ...assessments.EvaluatorOption) process {
	t.Helper()
	ctx := context.Background()
	e, err := policies.Default()
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	svc := service.New(st, assessments.NewEvaluator(e, opts...))
	q, err := jobs.Open(ctx, st, svc, jobs.Config{DatabaseURL: cfg.DatabaseURL, Workers: workers, Batch: batch, Logger: slog.New(slog.DiscardHandler), NoExpiryCheck: true})
	if err != nil {
		t.Fatal(err)
	}
	return process{st: st, svc: svc, q: q}
}

func (p process) close(t testing.TB) {
	t.Helper()
	if err := p.q.Stop(context.Background()); err != nil {
		t.Error(err)
	}
	if err := p.st.Close(); err != nil {
		t.Error(err)
	}
}

// seed creates n deployments, each with a complete revision of an example questionnaire not
// evaluated yet, as an engineer; it returns the admin and the deployments' ids.
func seed(t testing.TB, svc *service.Service, n int) (piaflow.User, []uint64) {
	t.Helper()
	ctx := context.Background()
	admin, err := svc.CreateUser(ctx, piaflow.System, "admin-user", piaflow.RoleAdmin)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := examples.FS.ReadFile("clinic-singapore-ready.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]uint64, n)
	for i := range n {
		d, err := svc.CreateDeployment(ctx, admin, piaflow.Deployment{Name: fmt.Sprintf("D%d", i), Customer: "C", CustomerCountry: "SG"})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.SaveQuestionnaire(ctx, admin, d.ID, "", doc); err != nil {
			t.Fatal(err)
		}
		ids[i] = d.ID
	}
	return admin, ids
}

// waitDone waits, at most a minute, until propagation id is done: it reads the record again
// each time a job of one of the queues' clients finishes (river's subscription), and at least
// every second.
func waitDone(t testing.TB, svc *service.Service, u piaflow.User, id uint64, events ...<-chan *river.Event) piaflow.Propagation {
	t.Helper()
	ctx := context.Background()
	finished := make(chan struct{}, 1)
	stop := make(chan struct{})
	defer close(stop)
	for _, ev := range events {
		go func() {
			for {
				select {
				case <-stop:
					return
				case _, ok := <-ev:
					if !ok {
						return
					}
					select {
					case finished <- struct{}{}:
					default:
					}
				}
			}
		}()
	}
	deadline := time.After(time.Minute)
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		p, err := svc.Propagation(ctx, u, id, "", 1, 0)
		if err != nil {
			t.Fatal(err)
		}
		if p.State == piaflow.PropagationDone {
			return p.Propagation
		}
		select {
		case <-finished:
		case <-tick.C:
		case <-deadline:
			t.Fatalf("propagation %d not done after a minute: %+v", id, p.Propagation)
		}
	}
}

// checkOnce asserts that every deployment has exactly one assessment (one "evaluate" audit
// event) and that each outcome names it.
func checkOnce(t *testing.T, svc *service.Service, u piaflow.User, id uint64, ids []uint64) {
	t.Helper()
	ctx := context.Background()
	p, err := svc.Propagation(ctx, u, id, "", piaflow.MaxOutcomePage, 0)
	if err != nil {
		t.Fatal(err)
	}
	if p.Total != len(ids) || p.Done != len(ids) || p.Changed != len(ids) || p.Failed != 0 || p.FinishedAt == nil || int(p.OutcomesTotal) != len(ids) {
		t.Fatalf("propagation %+v (%d outcomes); want %d done and changed", p.Propagation, p.OutcomesTotal, len(ids))
	}
	for _, o := range p.Outcomes {
		evs, err := svc.AuditLog(ctx, u, o.DeploymentID)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range evs {
			if e.Action == "evaluate" {
				n++
			}
		}
		latest, err := svc.LatestAssessment(ctx, u, o.DeploymentID)
		if err != nil {
			t.Fatal(err)
		}
		if n != 1 || o.State != piaflow.OutcomeDone || o.AssessmentID != latest.ID || o.VerdictAfter != latest.Verdict || latest.ReviewState != piaflow.ReviewNone {
			t.Errorf("deployment %d: %d evaluations, outcome %+v, latest %d %s %s; want one, unreviewed", o.DeploymentID, n, o, latest.ID, latest.Verdict, latest.ReviewState)
		}
	}
}

// TestPropagationSurvivesRestart: a server stopped after the first job of a propagation (its
// queue stopped gracefully, its store closed) leaves the other jobs in the database; a new
// process over the same database finishes them, and every deployment is assessed exactly once.
func TestPropagationSurvivesRestart(t *testing.T) {
	for _, dialect := range storetest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			cfg := storetest.Config(t, dialect)
			first := open(t, cfg, 1)
			admin, ids := seed(t, first.svc, 12)
			// The first job runs; the second blocks until the queue stops and cancels it.
			blocked := blockAfterFirstJob(first.q)
			if err := first.q.Start(ctx); err != nil {
				t.Fatal(err)
			}
			p, err := first.svc.StartPropagation(ctx, admin, piaflow.PropagationPolicies, nil, "new policies")
			if err != nil {
				t.Fatal(err)
			}
			if p.State != piaflow.PropagationQueued || p.Total != len(ids) {
				t.Fatalf("started %+v", p)
			}
			<-blocked // the first job finished, the second runs: stop the server
			stopped, cancel := context.WithCancel(ctx)
			cancel()
			if err := first.q.Stop(stopped); err != nil {
				t.Fatal(err)
			}
			if err := first.st.Close(); err != nil {
				t.Fatal(err)
			}

			second := open(t, cfg, 2)
			defer second.close(t)
			mid, err := second.svc.Propagation(ctx, admin, p.ID, "", 1, 0)
			if err != nil {
				t.Fatal(err)
			}
			if mid.Done == 0 || mid.Done == len(ids) {
				t.Fatalf("after the stop %d of %d done; want some, not all", mid.Done, len(ids))
			}
			ev2, cancel2 := second.q.Subscribe()
			defer cancel2()
			if err := second.q.Start(ctx); err != nil {
				t.Fatal(err)
			}
			waitDone(t, second.svc, admin, p.ID, ev2)
			checkOnce(t, second.svc, admin, p.ID, ids)
			// Resume at the second start queued nothing twice: one job per deployment.
			db, err := second.st.SQL()
			if err != nil {
				t.Fatal(err)
			}
			var jobsQueued int
			if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM river_job WHERE kind = 'piaflow.reassess'").Scan(&jobsQueued); err != nil || jobsQueued != len(ids) {
				t.Errorf("%d jobs (%v); want %d", jobsQueued, err, len(ids))
			}
		})
	}
}

// TestTwoProcessesSharePostgres: two processes (store, service, queue each) on one PostgreSQL
// database work one propagation together: it finishes with every deployment assessed exactly
// once, and both processes worked jobs.
func TestTwoProcessesSharePostgres(t *testing.T) {
	if len(storetest.Dialects(t)) < 2 {
		t.Skip("PIAFLOW_TEST_DATABASE_URL is not set")
	}
	ctx := context.Background()
	cfg := storetest.Config(t, "postgres")
	a, b := open(t, cfg, 2), open(t, cfg, 2)
	defer a.close(t)
	defer b.close(t)
	admin, ids := seed(t, a.svc, 40)
	evA, cancelA := a.q.Subscribe()
	defer cancelA()
	evB, cancelB := b.q.Subscribe()
	defer cancelB()
	// Each process's finished re-assessment jobs, counted here from its own event stream. River
	// sends a job's event after the job has recorded its outcome, so the propagation can be done
	// before the last events arrive: they are read until every job is accounted for.
	worked := make(chan int, 4*len(ids)+16)
	for i, ev := range []<-chan *river.Event{evA, evB} {
		go func() {
			for e := range ev {
				if e.Job != nil && e.Job.Kind == "piaflow.reassess" {
					worked <- i
				}
			}
		}()
	}
	// Both must work: each process's jobs wait until the other process has started one (else
	// the first queue to start may take all forty before the second fetches any).
	meetHalfway(a.q, b.q)
	p, err := a.svc.StartPropagation(ctx, admin, piaflow.PropagationPolicies, nil, "two processes")
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range []process{a, b} {
		if err := x.q.Start(ctx); err != nil {
			t.Fatal(err)
		}
	}
	waitDone(t, b.svc, admin, p.ID)
	checkOnce(t, a.svc, admin, p.ID, ids)
	var counts [2]int
	deadline := time.After(time.Minute)
	for counts[0]+counts[1] < len(ids) {
		select {
		case i := <-worked:
			counts[i]++
		case <-deadline:
			t.Fatalf("events of %d jobs after a minute (A %d, B %d); want %d", counts[0]+counts[1], counts[0], counts[1], len(ids))
		}
	}
	t.Logf("process A worked %d jobs, B %d", counts[0], counts[1])
	if counts[0] == 0 || counts[1] == 0 {
		t.Errorf("process A worked %d jobs, B %d; want both", counts[0], counts[1])
	}
}

// TestFailedJob: a deployment archived after its propagation started cannot be assessed again
// (a conflict no retry mends): its outcome fails at once with the reason, the others are
// done, and the propagation finishes.
func TestFailedJob(t *testing.T) {
	ctx := context.Background()
	p := open(t, storetest.Config(t, "sqlite"), 2)
	defer p.close(t)
	admin, ids := seed(t, p.svc, 3)
	events, cancel := p.q.Subscribe()
	defer cancel()
	pr, err := p.svc.StartPropagation(ctx, admin, piaflow.PropagationPolicies, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.svc.ArchiveDeployment(ctx, admin, ids[1]); err != nil {
		t.Fatal(err)
	}
	if err := p.q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	done := waitDone(t, p.svc, admin, pr.ID, events)
	if done.Done != 2 || done.Failed != 1 || done.Changed != 2 {
		t.Fatalf("propagation %+v; want 2 done, 1 failed", done)
	}
	failed, err := p.svc.Propagation(ctx, admin, pr.ID, piaflow.OutcomeFailed, 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(failed.Outcomes) != 1 || failed.Outcomes[0].DeploymentID != ids[1] || failed.Outcomes[0].Error != fmt.Sprintf("deployment %d is archived", ids[1]) {
		t.Errorf("failed outcomes %+v", failed.Outcomes)
	}
}

// lostQueue fails every Enqueue, as a process that stopped after storing a propagation and
// before queueing its jobs.
type lostQueue struct{}

func (lostQueue) Enqueue(context.Context, uint64, []uint64) error {
	return errors.New("the process stopped")
}

// TestResumeQueuesPendingJobs: a propagation stored without its jobs (the queueing failed) is
// queued again when a queue starts, and finishes.
func TestResumeQueuesPendingJobs(t *testing.T) {
	ctx := context.Background()
	p := open(t, storetest.Config(t, "sqlite"), 2)
	defer p.close(t)
	admin, ids := seed(t, p.svc, 4)
	p.svc.SetQueue(lostQueue{})
	pr, err := p.svc.StartPropagation(ctx, admin, piaflow.PropagationPolicies, nil, "")
	if err == nil || pr.ID == 0 {
		t.Fatalf("start with a failing queue: %+v, %v", pr, err)
	}
	p.svc.SetQueue(p.q)
	events, cancel := p.q.Subscribe()
	defer cancel()
	if err := p.q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	waitDone(t, p.svc, admin, pr.ID, events)
	checkOnce(t, p.svc, admin, pr.ID, ids)
}

// blockAfterFirstJob lets q's first job run and blocks every later one until the queue stops and
// cancels it; the channel closes when the second job starts (the moment to stop the server).
func blockAfterFirstJob(q *jobs.Queue) <-chan struct{} {
	var n atomic.Int32
	blocked := make(chan struct{})
	jobs.SetBeforeWork(q, func(ctx context.Context, _ jobs.ReassessArgs) error {
		if n.Add(1) == 1 {
			return nil
		}
		if n.Load() == 2 {
			close(blocked)
		}
		<-ctx.Done()
		return ctx.Err()
	})
	return blocked
}

// meetHalfway makes every job of x wait until y has started a job and every job of y until x
// has: neither queue can work the whole propagation alone.
func meetHalfway(x, y *jobs.Queue) {
	startedX, startedY := make(chan struct{}), make(chan struct{})
	var onceX, onceY sync.Once
	wait := func(once *sync.Once, mine, other chan struct{}) func(context.Context, jobs.ReassessArgs) error {
		return func(ctx context.Context, _ jobs.ReassessArgs) error {
			once.Do(func() { close(mine) })
			select {
			case <-other:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	}
	jobs.SetBeforeWork(x, wait(&onceX, startedX, startedY))
	jobs.SetBeforeWork(y, wait(&onceY, startedY, startedX))
}

// TestReevaluationRun: a re-evaluation run (batches of deployments per job, on every
// dialect) re-assesses each deployment exactly once and shows its progress, policy version and
// the deployments it changed (a page of them, the rest counted); a second run evaluates none
// again (unchanged: same revision, policies and date; a batch's unchanged deployments finish at
// once), a failing batch job's deployments
// are marked failed alone, and a batch job past its budget queues the deployments left.
func TestReevaluationRun(t *testing.T) {
	for _, dialect := range storetest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			p := openBatch(t, storetest.Config(t, dialect), 2, 4)
			defer p.close(t)
			// Each batch job re-assesses one deployment and queues the rest as a new job.
			jobs.SetBatchBudget(p.q, 0)
			admin, ids := seed(t, p.svc, 10)
			// The seventh deployment's re-assessment fails for good (a permanent error).
			jobs.SetBeforeWork(p.q, func(_ context.Context, a jobs.ReassessArgs) error {
				if a.DeploymentID == ids[6] {
					return piaflow.Errorf(piaflow.ErrInvalid, "", "refused")
				}
				return nil
			})
			ev, cancel := p.q.Subscribe()
			defer cancel()
			if err := p.q.Start(ctx); err != nil {
				t.Fatal(err)
			}
			run, err := p.svc.StartReevaluation(ctx, admin)
			if err != nil {
				t.Fatal(err)
			}
			if run.Kind != piaflow.PropagationPolicies || run.PolicyVersion == "" || run.Total != len(ids) {
				t.Fatalf("started %+v", run)
			}
			waitDone(t, p.svc, admin, run.ID, ev)
			r, err := p.svc.Reevaluation(ctx, admin, run.ID, 3)
			if err != nil {
				t.Fatal(err)
			}
			if r.Done != 9 || r.Changed != 9 || r.Failed != 1 || r.Unchanged != 0 || r.ChangedTotal != 9 || len(r.ChangedOutcomes) != 3 ||
				len(r.FailedOutcomes) != 1 || r.FailedOutcomes[0].DeploymentID != ids[6] || r.FailedOutcomes[0].Error != "refused" {
				t.Fatalf("run %+v, changed %+v, failed %+v", r.Propagation, r.ChangedOutcomes, r.FailedOutcomes)
			}
			again, err := p.svc.StartReevaluation(ctx, admin)
			if err != nil {
				t.Fatal(err)
			}
			if got := waitDone(t, p.svc, admin, again.ID, ev); got.Changed != 0 || got.Unchanged != 9 || got.Failed != 1 {
				t.Fatalf("second run %+v", got)
			}
			db, err := p.st.SQL()
			if err != nil {
				t.Fatal(err)
			}
			var batches int
			// The first run: a job for each deployment (its batch's rest queued anew each time);
			// the second: one per batch of 4, whose unchanged deployments finish at once
			// (CarryOver) and whose failing one is re-assessed alone.
			want := len(ids) + (len(ids)+3)/4
			if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM river_job WHERE kind = 'piaflow.reassess_batch'").Scan(&batches); err != nil || batches != want {
				t.Errorf("%d batch jobs (%v); want %d: in the first run each deployment's own, its batch's rest queued anew; in the second one per batch", batches, err, want)
			}
			runs, total, err := p.svc.Reevaluations(ctx, admin, 10, 0)
			if err != nil || total != 2 || len(runs) != 2 || runs[0].ID != again.ID {
				t.Fatalf("runs %+v %d %v", runs, total, err)
			}
		})
	}
}

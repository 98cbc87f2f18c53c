// Package jobs runs piaflow's background jobs with River (github.com/riverqueue/river): a
// durable queue kept in the store's database — SQLite (the store's own connections, one file)
// or PostgreSQL (a pgx pool on the same URL, so several server processes share the work). A
// propagation (service.StartPropagation) queues one job per batch of deployments
// (Config.Batch); each job calls service.Reassess for each, which finishes the deployment's outcome in the same transaction that
// records its assessment, so a job run twice records nothing twice.
//
// Jobs outlive the process: a server stopped mid-propagation leaves the jobs not started in
// the database and the next one works them; a job left running by a crash is rescued after
// Config.RescueAfter. Transient errors (an evaluation's deadline, the database) are retried
// with River's backoff, at most MaxAttempts times; then, or at once for an error a retry cannot
// mend (service.Permanent), the deployment's outcome is marked failed with its error.
//
// River is imported here only.
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"github.com/piaflow/piaflow/assessments/store"
	"github.com/piaflow/piaflow/service"
)

const (
	// MaxAttempts bounds the runs of one job: transient errors are retried with River's
	// backoff (about 1 s, then 16 s), then the deployment's outcome is failed.
	MaxAttempts = 3
	// JobTimeout bounds one job (one deployment's evaluation and record; an evaluation has its
	// own, shorter deadline).
	JobTimeout = 2 * time.Minute
	// DefaultRescueAfter is how long a job may stay running before River takes it for one a
	// crashed process left and runs it again (longer than JobTimeout).
	DefaultRescueAfter = 5 * time.Minute
	// insertBatch is how many jobs one insert queues.
	insertBatch = 1000
	// DefaultBatch is how many deployments one job re-assesses by default: enough to spread the
	// queue's own cost (fetch and completion, a few ms a job) over many evaluations (200
	// deployments on SQLite: 1 a job 5.6/s, 8 7.5/s, 32 8.9/s on a loaded 2-core machine, see
	// bench/README.md), few enough that 10,000 deployments make 313 jobs for the workers of
	// every replica to share.
	DefaultBatch = 32
	// batchBudget is how long a batch job starts evaluations; it queues the deployments left as
	// a new job (an evaluation started keeps its own deadline: well within JobTimeout).
	batchBudget = JobTimeout / 2
	// queueName is the River queue of the re-assessments.
	queueName = river.QueueDefault
)

// ReassessBatchArgs is one job: re-assess a batch of deployments of one propagation, one after
// the other (Config.Batch). Unique by its arguments as ReassessArgs.
type ReassessBatchArgs struct {
	PropagationID uint64   `json:"propagation_id"`
	DeploymentIDs []uint64 `json:"deployment_ids"`
}

// Kind names the job kind in River's table.
func (ReassessBatchArgs) Kind() string { return "piaflow.reassess_batch" }

// InsertOpts are the job's retries and uniqueness.
func (ReassessBatchArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: MaxAttempts, Queue: queueName, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// ReassessArgs is one job: re-assess one deployment of one propagation. Unique by its
// arguments, so queueing it again (service.Resume) while it is queued or done adds nothing.
type ReassessArgs struct {
	PropagationID uint64 `json:"propagation_id"`
	DeploymentID  uint64 `json:"deployment_id"`
}

// Kind names the job kind in River's table.
func (ReassessArgs) Kind() string { return "piaflow.reassess" }

// InsertOpts are the job's retries and uniqueness.
func (ReassessArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: MaxAttempts, Queue: queueName, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// Config configures the queue.
type Config struct {
	// DatabaseURL is the store's: a postgres:// URL, or empty for SQLite (the store's own
	// connections are used).
	DatabaseURL string
	// Workers is how many jobs this process works at once (default: one per CPU).
	Workers int
	// Batch is how many deployments of a propagation one job re-assesses (default
	// DefaultBatch; 1: a job per deployment).
	Batch int
	// RescueAfter: DefaultRescueAfter when zero.
	RescueAfter time.Duration
	// NoExpiryCheck leaves the daily expiry check out (tests that count every job run; they
	// call service.ExpiryCheck themselves).
	NoExpiryCheck bool
	// Logger: slog.Default() when nil.
	Logger *slog.Logger
}

// client is what the queue uses of a River client, whichever its driver's transaction type.
type client interface {
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
	StopAndCancel(ctx context.Context) error
	InsertMany(ctx context.Context, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error)
	Subscribe(kinds ...river.EventKind) (<-chan *river.Event, func())
}

// Queue is the job queue of one process. It is safe for concurrent use.
type Queue struct {
	svc    *service.Service
	client client
	pool   *pgxpool.Pool // PostgreSQL only
	log    *slog.Logger
	batch  int
	// batchBudget: batchBudget but in tests.
	batchBudget time.Duration
	// beforeWork, when set (tests, before Start), runs before each job; its error is the job's.
	beforeWork func(ctx context.Context, a ReassessArgs) error
}

// Open migrates River's tables (after the store's own migrations, under a lock that serialises
// processes starting at once), creates the River client over the store's database and makes
// it the service's queue (service.SetQueue). Start it to work jobs; jobs can be queued before.
func Open(ctx context.Context, st *store.Store, svc *service.Service, cfg Config) (*Queue, error) {
	if want := map[bool]string{true: "sqlite", false: "postgres"}[cfg.DatabaseURL == ""]; st.Dialect() != want {
		return nil, fmt.Errorf("open job queue: the store is on %s, the queue's database URL on %s: give both the same", st.Dialect(), want)
	}
	q := &Queue{svc: svc, log: cfg.Logger, batch: cfg.Batch, batchBudget: batchBudget}
	if q.batch <= 0 {
		q.batch = DefaultBatch
	}
	if q.log == nil {
		q.log = slog.Default()
	}
	workers := river.NewWorkers()
	if err := river.AddWorkerSafely(workers, &worker{q: q}); err != nil {
		return nil, fmt.Errorf("open job queue: %w", err)
	}
	if err := river.AddWorkerSafely(workers, &batchWorker{q: q}); err != nil {
		return nil, fmt.Errorf("open job queue: %w", err)
	}
	if err := river.AddWorkerSafely(workers, &expiryWorker{q: q}); err != nil {
		return nil, fmt.Errorf("open job queue: %w", err)
	}
	n := cfg.Workers
	if n <= 0 {
		n = max(1, runtime.GOMAXPROCS(0))
	}
	rescue := cfg.RescueAfter
	if rescue <= 0 {
		rescue = DefaultRescueAfter
	}
	rcfg := &river.Config{
		Queues:               map[string]river.QueueConfig{queueName: {MaxWorkers: n}},
		Workers:              workers,
		JobTimeout:           JobTimeout,
		RescueStuckJobsAfter: max(rescue, JobTimeout+time.Second),
		MaxAttempts:          MaxAttempts,
		Logger:               slog.New(warnings{q.log.Handler()}).With("component", "jobs"),
		// Ask again soon after a job finishes, so that a propagation's jobs follow each other.
		FetchCooldown: 2 * time.Millisecond,
	}
	if !cfg.NoExpiryCheck {
		// The expiry check, once a day and at start; River runs periodic jobs on its elected
		// leader only, so replicas sharing a PostgreSQL run it once.
		rcfg.PeriodicJobs = []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(24*time.Hour),
			func() (river.JobArgs, *river.InsertOpts) { return ExpiryArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true})}
	}
	switch {
	case strings.HasPrefix(cfg.DatabaseURL, "postgres://"), strings.HasPrefix(cfg.DatabaseURL, "postgresql://"):
		pool, err := pgxpool.New(ctx, cfg.DatabaseURL)
		if err != nil {
			return nil, fmt.Errorf("open job queue: %w", err)
		}
		drv := riverpgxv5.New(pool)
		if err := migratePostgres(ctx, pool, drv); err != nil {
			pool.Close()
			return nil, err
		}
		c, err := river.NewClient(drv, rcfg)
		if err != nil {
			pool.Close()
			return nil, fmt.Errorf("open job queue: %w", err)
		}
		q.client, q.pool = c, pool
	case cfg.DatabaseURL == "":
		db, err := st.SQL()
		if err != nil {
			return nil, fmt.Errorf("open job queue: %w", err)
		}
		drv := riversqlite.New(db)
		if err := migrateSQLite(ctx, db, drv); err != nil {
			return nil, err
		}
		c, err := river.NewClient(drv, rcfg)
		if err != nil {
			return nil, fmt.Errorf("open job queue: %w", err)
		}
		q.client = c
	default:
		return nil, errors.New("open job queue: database URL must start with postgres:// (or be empty for SQLite)")
	}
	svc.SetQueue(q)
	return q, nil
}

// migratePostgres brings River's tables up to date, one process at a time: a session
// advisory lock, held on a connection of its own while River migrates version by version (one
// transaction each: a migration adds an enum value a later one uses).
func migratePostgres(ctx context.Context, pool *pgxpool.Pool, drv *riverpgxv5.Driver) error {
	m, err := rivermigrate.New(drv, nil)
	if err != nil {
		return fmt.Errorf("migrate job queue: %w", err)
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("migrate job queue: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock(8373103)"); err != nil {
		return fmt.Errorf("migrate job queue: lock: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(8373103)") //nolint:errcheck // the session's end unlocks too
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("migrate job queue: %w", err)
	}
	return nil
}

// migrateSQLite brings River's tables up to date in one transaction, which on the store's
// connections is immediate: a second process waits for the first one's migration.
func migrateSQLite(ctx context.Context, db *sql.DB, drv *riversqlite.Driver) error {
	m, err := rivermigrate.New(drv, nil)
	if err != nil {
		return fmt.Errorf("migrate job queue: %w", err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate job queue: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // after Commit, a no-op
	if _, err := m.MigrateTx(ctx, tx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("migrate job queue: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate job queue: %w", err)
	}
	return nil
}

// Start starts working jobs, and queues again the jobs of unfinished propagations that were
// not all queued (service.Resume). It returns once the client runs; Stop ends it.
func (q *Queue) Start(ctx context.Context) error {
	// The client outlives ctx (a signal's): Stop ends it gracefully.
	if err := q.client.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("start job queue: %w", err)
	}
	if err := q.svc.Resume(ctx); err != nil {
		return fmt.Errorf("start job queue: %w", err)
	}
	return nil
}

// Stop stops fetching jobs and waits for those running to finish; once ctx ends it cancels
// them (each then fails its attempt and is retried by a process to come). It closes the
// PostgreSQL pool. The jobs not started stay queued in the database.
func (q *Queue) Stop(ctx context.Context) error {
	err := q.client.Stop(ctx)
	if ctx.Err() != nil {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		err = q.client.StopAndCancel(cctx)
		cancel()
	}
	if q.pool != nil {
		q.pool.Close()
	}
	if err != nil {
		return fmt.Errorf("stop job queue: %w", err)
	}
	return nil
}

// Enqueue queues the deployments of propagation id, a job for every Config.Batch of them, the
// jobs inserted in batches; a job queued or done already is not queued again (service.Queue).
// (Resume may queue a batch again with other deployments than a job already queued: the
// outcomes make a deployment re-assessed twice record once.)
func (q *Queue) Enqueue(ctx context.Context, propagationID uint64, deploymentIDs []uint64) error {
	per := insertBatch * q.batch
	for start := 0; start < len(deploymentIDs); start += per {
		batch := deploymentIDs[start:min(start+per, len(deploymentIDs))]
		params := make([]river.InsertManyParams, 0, (len(batch)+q.batch-1)/q.batch)
		for i := 0; i < len(batch); i += q.batch {
			ids := batch[i:min(i+q.batch, len(batch))]
			if len(ids) == 1 {
				params = append(params, river.InsertManyParams{Args: ReassessArgs{PropagationID: propagationID, DeploymentID: ids[0]}})
				continue
			}
			params = append(params, river.InsertManyParams{Args: ReassessBatchArgs{PropagationID: propagationID, DeploymentIDs: ids}})
		}
		if _, err := q.client.InsertMany(ctx, params); err != nil {
			return fmt.Errorf("queue jobs of propagation %d: %w", propagationID, err)
		}
	}
	return nil
}

// worker runs ReassessArgs jobs.
type worker struct {
	river.WorkerDefaults[ReassessArgs]
	q *Queue
}

// Work re-assesses one deployment. A transient error is returned for River to retry until the
// last attempt; then, or at once for a permanent one, the outcome is failed and the job ends.
func (w *worker) Work(ctx context.Context, job *river.Job[ReassessArgs]) error {
	return w.q.reassess(ctx, job.Args, job.Attempt >= job.MaxAttempts)
}

// reassess re-assesses one deployment of a job; last: the job's last attempt.
func (q *Queue) reassess(ctx context.Context, a ReassessArgs, last bool) error {
	var err error
	if q.beforeWork != nil {
		err = q.beforeWork(ctx, a)
	}
	if err == nil {
		_, err = q.svc.Reassess(ctx, a.PropagationID, a.DeploymentID)
	}
	if err == nil {
		return nil
	}
	if !service.Permanent(err) && !last {
		return err
	}
	// Recorded even when the job was cancelled (a server stopping): else it would stay pending.
	if ferr := q.svc.ReassessFailed(context.WithoutCancel(ctx), q.log, a.PropagationID, a.DeploymentID, err); ferr != nil {
		return errors.Join(err, ferr)
	}
	return nil
}

// batchWorker runs ReassessBatchArgs jobs.
type batchWorker struct {
	river.WorkerDefaults[ReassessBatchArgs]
	q *Queue
}

// Work finishes at once the deployments of the batch that need no evaluation (service.CarryOver:
// their assessments hold), then re-assesses each other one in turn, as worker does one. A transient error
// of one does not stop the others; the job then returns it for River to retry the batch, whose
// deployments finished meanwhile do nothing the second time (their outcomes are finished).
// Once the job has run for batchBudget it starts no further deployment: it queues those left
// as a new job and ends, so that a batch of slow evaluations stays well within JobTimeout.
func (w *batchWorker) Work(ctx context.Context, job *river.Job[ReassessBatchArgs]) error {
	stop := time.Now().Add(w.q.batchBudget)
	ids, err := w.q.svc.CarryOver(ctx, job.Args.PropagationID, job.Args.DeploymentIDs)
	if err != nil {
		return fmt.Errorf("carry over: %w", err)
	}
	var errs []error
	for i, id := range ids {
		if ctx.Err() != nil && job.Attempt < job.MaxAttempts {
			return ctx.Err()
		}
		if i > 0 && !time.Now().Before(stop) {
			rest := ReassessBatchArgs{PropagationID: job.Args.PropagationID, DeploymentIDs: ids[i:]}
			if _, err := w.q.client.InsertMany(ctx, []river.InsertManyParams{{Args: rest}}); err != nil {
				errs = append(errs, fmt.Errorf("queue the %d deployments left: %w", len(rest.DeploymentIDs), err))
			}
			break
		}
		a := ReassessArgs{PropagationID: job.Args.PropagationID, DeploymentID: id}
		if err := w.q.reassess(ctx, a, job.Attempt >= job.MaxAttempts); err != nil {
			errs = append(errs, fmt.Errorf("deployment %d: %w", id, err))
		}
	}
	return errors.Join(errs...)
}

// ExpiryArgs is the daily expiry check's job (service.ExpiryCheck): register items entering
// the 60 days before their expiry, or expired, start a processor propagation.
type ExpiryArgs struct{}

// Kind names the job kind in River's table.
func (ExpiryArgs) Kind() string { return "piaflow.expiry_check" }

// InsertOpts: one check queued at a time, on the queue of the re-assessments.
func (ExpiryArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: MaxAttempts, Queue: queueName,
		UniqueOpts: river.UniqueOpts{ByArgs: true, ByPeriod: time.Hour}}
}

// expiryWorker runs the expiry check.
type expiryWorker struct {
	river.WorkerDefaults[ExpiryArgs]
	q *Queue
}

// Work runs service.ExpiryCheck for today.
func (w *expiryWorker) Work(ctx context.Context, _ *river.Job[ExpiryArgs]) error {
	ps, err := w.q.svc.ExpiryCheck(ctx, time.Now().UTC())
	for _, p := range ps {
		w.q.log.InfoContext(ctx, "expiry check started a propagation", "propagation", p.ID, "reason", p.Reason, "deployments", p.Total)
	}
	if err != nil {
		return fmt.Errorf("expiry check: %w", err)
	}
	return nil
}

// Subscribe returns a channel told of every job this process finishes (completed, failed or
// cancelled), and the function that ends the subscription (tests and progress pages wait on it
// instead of sleeping).
func (q *Queue) Subscribe() (<-chan *river.Event, func()) {
	return q.client.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed, river.EventKindJobCancelled)
}

// warnings passes on River's records of level warning and above (its info records, a line per
// client start and per queue every few seconds, are noise in a server's log).
type warnings struct{ slog.Handler }

func (w warnings) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelWarn && w.Handler.Enabled(ctx, l)
}

func (w warnings) WithAttrs(attrs []slog.Attr) slog.Handler {
	return warnings{w.Handler.WithAttrs(attrs)}
}

func (w warnings) WithGroup(name string) slog.Handler { return warnings{w.Handler.WithGroup(name)} }

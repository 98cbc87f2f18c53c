// Package jobstest starts a real job queue (package jobs, River) for the tests of the packages
// above it.
package jobstest

import (
	"context"
	"log/slog"
	"testing"

	"github.com/riverqueue/river"

	"github.com/piaflow/piaflow/assessments/store"
	"github.com/piaflow/piaflow/jobs"
	"github.com/piaflow/piaflow/service"
)

// Start opens and starts a job queue of two workers over st for svc, stopped when the test
// ends, and returns it with a channel told of every job event (a test reads the state again on
// each, instead of sleeping).
func Start(t testing.TB, st *store.Store, svc *service.Service) (*jobs.Queue, <-chan *river.Event) {
	t.Helper()
	return StartOn(t, st, svc, "")
}

// StartOn is Start for a store on databaseURL (its store.Config's: empty for SQLite).
func StartOn(t testing.TB, st *store.Store, svc *service.Service, databaseURL string) (*jobs.Queue, <-chan *river.Event) {
	t.Helper()
	ctx := context.Background()
	q, err := jobs.Open(ctx, st, svc, jobs.Config{DatabaseURL: databaseURL, Workers: 2, Logger: slog.New(slog.DiscardHandler), NoExpiryCheck: true})
	if err != nil {
		t.Fatal(err)
	}
	events, cancel := q.Subscribe()
	t.Cleanup(cancel)
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := q.Stop(context.Background()); err != nil {
			t.Errorf("stop the job queue: %v", err)
		}
	})
	return q, events
}

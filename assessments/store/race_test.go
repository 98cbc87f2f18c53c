package store_test

import (
	"context"
	"sync"
	"testing"

	"github.com/piaflow/piaflow/assessments/store"
)

// TestFirstOpenRace: two processes that first start on one fresh SQLite directory at once both
// open it (the migrations run once, the other waits); several fresh directories, since the race
// needs the two to overlap.
func TestFirstOpenRace(t *testing.T) {
	ctx := context.Background()
	for range 8 {
		dir := t.TempDir()
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i := range errs {
			wg.Go(func() {
				s, err := store.Open(ctx, store.Config{DataDir: dir})
				if err == nil {
					var v int
					if v, err = s.SchemaVersion(ctx); err == nil && v != store.LatestSchemaVersion() {
						t.Errorf("schema version %d", v)
					}
					s.Close()
				}
				errs[i] = err
			})
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatalf("two stores opened at once on a fresh directory: %v", err)
			}
		}
	}
}

package jobs

import (
	"context"
	"time"
)

// SetBeforeWork makes f run before each job of q (set before Start).
func SetBeforeWork(q *Queue, f func(ctx context.Context, a ReassessArgs) error) { q.beforeWork = f }

// SetBatchBudget makes q's batch jobs start evaluations for d only (set before Start).
func SetBatchBudget(q *Queue, d time.Duration) { q.batchBudget = d }

package jobs

import "context"

// SetBeforeWork makes f run before each job of q (set before Start).
func SetBeforeWork(q *Queue, f func(ctx context.Context, a ReassessArgs) error) { q.beforeWork = f }

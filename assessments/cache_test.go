package assessments

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/examples"
)

// TestResultCache: the same questionnaire under the same date is evaluated once — the second
// Assess needs no evaluation slot and no time (a deadline of 1 ns would stop an evaluation) — and
// gives an equal, independent assessment; another date or other answers are evaluated again.
func TestResultCache(t *testing.T) {
	b, err := examples.FS.ReadFile("hospital-ehr-germany.yaml")
	if err != nil {
		t.Fatal(err)
	}
	q, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	eng := mustEvaluator(t).engine
	day := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	ev := NewEvaluator(eng)
	first, err := ev.Assess(context.Background(), q, day)
	if err != nil {
		t.Fatal(err)
	}
	// The same evaluator with every slot taken and a deadline no evaluation meets still answers
	// from its cache.
	ev.timeout = time.Nanosecond
	ev.slots, ev.wait = make(chan struct{}, 1), 0
	ev.slots <- struct{}{}
	second, err := ev.Assess(context.Background(), q, day)
	if err != nil {
		t.Fatalf("cached evaluation: %v", err)
	}
	if first.Verdict != second.Verdict || len(first.Findings) != len(second.Findings) || len(first.Transfers) != len(second.Transfers) {
		t.Fatalf("cached result differs: %s/%d/%d vs %s/%d/%d", first.Verdict, len(first.Findings), len(first.Transfers), second.Verdict, len(second.Findings), len(second.Transfers))
	}
	second.Findings[0].Title = "changed by the caller"
	third, _ := ev.Assess(context.Background(), q, day)
	if third.Findings[0].Title == "changed by the caller" {
		t.Error("a caller's change reached the cache")
	}
	// Another date is not in the cache: it needs a slot (all taken: busy).
	if _, err := ev.Assess(context.Background(), q, day.AddDate(0, 0, 1)); !errors.Is(err, piaflow.ErrUnavailable) {
		t.Errorf("another date: %v, want ErrUnavailable (not cached, no slot)", err)
	}
	// Other answers are not in the cache either.
	q.Deployment.Name += " (renamed)"
	if _, err := ev.Assess(context.Background(), q, day); !errors.Is(err, piaflow.ErrUnavailable) {
		t.Errorf("other answers: %v, want ErrUnavailable (not cached, no slot)", err)
	}
	// Without a cache every evaluation runs.
	off := NewEvaluator(eng, WithResultCache(0), WithTimeout(time.Nanosecond))
	q.Deployment.Name = "x"
	if _, err := off.Assess(context.Background(), q, day); err == nil {
		t.Error("evaluation within 1 ns: want the deadline error")
	}
	if _, err := off.Assess(context.Background(), q, day); err == nil {
		t.Error("second evaluation without a cache: want the deadline error again")
	}
}

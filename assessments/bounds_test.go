package assessments

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/internal/admit"
	"github.com/piaflow/piaflow/internal/lowprio"
	"github.com/piaflow/piaflow/policies"
)

// TestEvaluationDeadline: Assess, HostingCheck and Profile stop at the evaluator's deadline with
// ErrUnavailable naming it; the default deadline is piaflow.DefaultEvalTimeout; a cancelled
// caller's context reaches the policies.
func TestEvaluationDeadline(t *testing.T) {
	e, err := policies.Default()
	if err != nil {
		t.Fatal(err)
	}
	if d := NewEvaluator(e).Timeout(); d != piaflow.DefaultEvalTimeout {
		t.Errorf("default deadline %s", d)
	}
	ev := NewEvaluator(e, WithTimeout(time.Nanosecond))
	q := HostingQuery{Data: []string{"contact"}, Subjects: []string{"DE"}, Host: "SG"}
	ctx := context.Background()
	_, assessErr := ev.Assess(ctx, q.Questionnaire(), goldenAsOf)
	_, hostingErr := ev.HostingCheck(ctx, q)
	_, _, profileErr := ev.Profile(ctx, q.Questionnaire(), goldenAsOf, 5)
	for name, err := range map[string]error{"Assess": assessErr, "HostingCheck": hostingErr, "Profile": profileErr} {
		if !errors.Is(err, piaflow.ErrUnavailable) || piaflow.ReasonOf(err) != piaflow.ReasonDeadline || piaflow.RetryAfterOf(err) != time.Nanosecond ||
			!strings.Contains(err.Error(), "longer than its deadline of 1ns") {
			t.Errorf("%s past the deadline: %v", name, err)
		}
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := NewEvaluator(e).Assess(cancelled, q.Questionnaire(), goldenAsOf); !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled context: %v", err)
	}
}

// TestEvaluatorDeadlineIsTheEngines: a deadline longer than the engine's own default
// (serve --eval-timeout 120s) reaches the engine — before, the engine's 30 s stopped such an
// evaluation first and the API answered 500 instead of the result or the deadline's 503; the
// shared default engine keeps its own.
func TestEvaluatorDeadlineIsTheEngines(t *testing.T) {
	e, err := policies.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []time.Duration{2 * policies.DefaultTimeout, time.Second, 0} {
		want := d
		if d == 0 {
			want = piaflow.DefaultEvalTimeout
		}
		if got := NewEvaluator(e, WithTimeout(d)).engine.Timeout(); got != want {
			t.Errorf("evaluator deadline %s: the engine's is %s", d, got)
		}
	}
	if e.Timeout() != policies.DefaultTimeout {
		t.Errorf("the shared engine's timeout changed to %s", e.Timeout())
	}
}

// TestHostingQueryLimit: repeated entries count once (the first kept, in order); the lists'
// limits are checked on what is left, before any other work.
func TestHostingQueryLimit(t *testing.T) {
	hq := HostingQuery{Subjects: []string{"DE", "CN", "DE", "US", "CN"}, Data: []string{"health", "health"}}
	orig := append([]string(nil), hq.Subjects...)
	if err := hq.Limit(); err != nil || strings.Join(hq.Subjects, ",") != "DE,CN,US" || strings.Join(hq.Data, ",") != "health" {
		t.Errorf("dedupe: %v %v %v", hq.Subjects, hq.Data, err)
	}
	if hq2 := (HostingQuery{Subjects: orig}); hq2.Limit() != nil || strings.Join(orig, ",") != "DE,CN,DE,US,CN" {
		t.Errorf("Limit changed the caller's list: %v", orig)
	}
	over := HostingQuery{Subjects: make([]string, MaxHostingSubjects+1), Data: make([]string, MaxHostingData+1)}
	for i := range over.Subjects {
		over.Subjects[i] = string(rune('A'+i/26)) + string(rune('A'+i%26))
	}
	for i := range over.Data {
		over.Data[i] = strings.Repeat("x", i+1)
	}
	var ve *ValidationError
	if err := over.Limit(); !errors.As(err, &ve) || len(ve.Problems) != 2 || ve.Problems[0].Path != "subjects" || ve.Problems[1].Path != "data" {
		t.Fatalf("over the limits: %v", err)
	}
}

// TestParseAsOf: "" is today (the zero time), a date is midnight UTC, and a date before 1970 —
// 0001-01-01 is the zero time itself — is refused rather than taken for today.
func TestParseAsOf(t *testing.T) {
	if d, err := ParseAsOf(""); err != nil || !d.IsZero() {
		t.Errorf(`"": %v %v`, d, err)
	}
	if d, err := ParseAsOf("2026-11-25"); err != nil || !d.Equal(goldenAsOf) {
		t.Errorf("2026-11-25: %v %v", d, err)
	}
	for _, s := range []string{"0001-01-01", "1969-12-31", "2026-13-01", "soon"} {
		if _, err := ParseAsOf(s); err == nil {
			t.Errorf("%s accepted", s)
		}
	}
}

// TestEvaluationSlots: with every evaluation slot taken an evaluation that may not wait is
// refused with ErrUnavailable (busy) and a Retry-After, while a hosting check (bounded by its
// lists) still runs; a free slot lets the evaluation run.
func TestEvaluationSlots(t *testing.T) {
	e, err := policies.Default()
	if err != nil {
		t.Fatal(err)
	}
	ev := NewEvaluator(e, WithSlots(1, 0))
	hq := HostingQuery{Data: []string{"contact"}, Subjects: []string{"DE"}, Host: "SG"}
	ev.slots <- struct{}{} // an evaluation under way
	_, err = ev.Assess(context.Background(), hq.Questionnaire(), goldenAsOf)
	if !errors.Is(err, piaflow.ErrUnavailable) || piaflow.ReasonOf(err) != piaflow.ReasonBusy || piaflow.RetryAfterOf(err) != piaflow.EvalRetryAfter {
		t.Errorf("every slot taken: %v", err)
	}
	if _, err := ev.HostingCheck(context.Background(), hq); err != nil {
		t.Errorf("a hosting check while every slot is taken: %v", err)
	}
	<-ev.slots
	if _, err := ev.Assess(context.Background(), hq.Questionnaire(), goldenAsOf); err != nil {
		t.Errorf("a free slot: %v", err)
	}
	if len(ev.slots) != 0 {
		t.Error("the slot was not given back")
	}
}

// TestEvaluationSlotParks: a request admitted by the server's admission control that waits for
// an evaluation slot gives its work slot to the next request meanwhile, and takes one again
// when its evaluation is done.
func TestEvaluationSlotParks(t *testing.T) {
	e, err := policies.Default()
	if err != nil {
		t.Fatal(err)
	}
	ev := NewEvaluator(e, WithSlots(1, time.Hour), WithResultCache(0))
	g := admit.New(1, 0, 0) // one work slot, no queue: a request finding it taken is refused
	a, err := g.Enter(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ev.slots <- struct{}{} // an evaluation under way holds the only evaluation slot
	hq := HostingQuery{Data: []string{"contact"}, Subjects: []string{"DE"}, Host: "SG"}
	done := make(chan error)
	go func() {
		_, err := ev.Assess(admit.NewContext(context.Background(), a), hq.Questionnaire(), goldenAsOf)
		done <- err
	}()
	for g.Stats().Busy != 0 { // the evaluation parked: its request gave the work slot up
		select {
		case err := <-done:
			t.Fatalf("the evaluation did not wait for its slot: %v", err)
		default:
		}
		runtime.Gosched()
	}
	b, err := g.Enter(context.Background())
	if err != nil {
		t.Fatalf("a request while the other waits for an evaluation slot: %v", err)
	}
	<-ev.slots // the evaluation under way ends
	b.Leave()  // and the other request: the evaluating one takes the work slot back
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !a.Holding() {
		t.Error("the request came back from its evaluation without its work slot")
	}
	a.Leave()
	if st := g.Stats(); st != (admit.Stats{}) {
		t.Errorf("after both left: %+v", st)
	}
}

// TestLowPriorityEvaluation: an evaluator that evaluates on lowered-priority threads
// (WithLowPriority) computes the same assessment as one that evaluates in the caller's
// goroutine, and keeps its deadline.
func TestLowPriorityEvaluation(t *testing.T) {
	e, err := policies.Default()
	if err != nil {
		t.Fatal(err)
	}
	q := HostingQuery{Data: []string{"contact", "health"}, Subjects: []string{"DE", "CN"}, Host: "SG"}.Questionnaire()
	ctx := context.Background()
	want, err := NewEvaluator(e, WithResultCache(0)).Assess(ctx, q, goldenAsOf)
	if err != nil {
		t.Fatal(err)
	}
	got, err := NewEvaluator(e, WithResultCache(0), WithLowPriority(lowprio.New(5))).Assess(ctx, q, goldenAsOf)
	if err != nil {
		t.Fatal(err)
	}
	wj, _ := json.Marshal(want)
	gj, _ := json.Marshal(got)
	if !bytes.Equal(wj, gj) || len(got.Findings) == 0 {
		t.Errorf("low priority: %d bytes, %d findings; in the caller's goroutine: %d bytes, %d findings", len(gj), len(got.Findings), len(wj), len(want.Findings))
	}
	_, err = NewEvaluator(e, WithTimeout(time.Nanosecond), WithLowPriority(lowprio.New(5))).Assess(ctx, q, goldenAsOf)
	if piaflow.ReasonOf(err) != piaflow.ReasonDeadline {
		t.Errorf("past the deadline at low priority: %v", err)
	}
}

package service_test

import (
	"context"
	"errors"
	"testing"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/assessments/store/storetest"
	"github.com/piaflow/piaflow/policies"
	"github.com/piaflow/piaflow/service"
)

// TestBoundedWork: the re-evaluation stops starting evaluations at its budget and counts the
// deployments left; an evaluation past its deadline or over the result size stores nothing;
// rate limits refuse before any work, and never the offline user.
func TestBoundedWork(t *testing.T) {
	e, err := policies.Default()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	newService := func(ev *assessments.Evaluator, opts ...service.Option) (*service.Service, piaflow.User, uint64) {
		svc := service.New(storetest.Open(t, "sqlite"), ev, opts...)
		u, err := svc.CreateUser(ctx, piaflow.System, "admin", piaflow.RoleAdmin)
		if err != nil {
			t.Fatal(err)
		}
		d, err := svc.CreateDeployment(ctx, u, piaflow.Deployment{Name: "P", Customer: "C"})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.SaveQuestionnaire(ctx, u, d.ID, "", example(t, "hospital-ehr-germany")); err != nil {
			t.Fatal(err)
		}
		return svc, u, d.ID
	}

	svc, admin, _ := newService(assessments.NewEvaluator(e), service.WithReevaluateBudget(0))
	if drift, err := svc.Reevaluate(ctx, admin); err != nil || drift.Checked != 0 || drift.Skipped != 1 {
		t.Errorf("a re-evaluation without budget: %+v, %v", drift, err)
	}
	svc, admin, _ = newService(assessments.NewEvaluator(e))
	if drift, err := svc.Reevaluate(ctx, admin); err != nil || drift.Checked != 1 || drift.Skipped != 0 {
		t.Errorf("a re-evaluation within budget: %+v, %v", drift, err)
	}

	for name, svc := range map[string]*service.Service{
		"deadline":    first(newService(assessments.NewEvaluator(e, assessments.WithTimeout(1)))),
		"result size": first(newService(assessments.NewEvaluator(e), service.WithMaxResultBytes(100))),
	} {
		admin, _ := svc.User(ctx, piaflow.System, "admin")
		_, err := svc.Evaluate(ctx, admin, 1, 0)
		if !errors.Is(err, piaflow.ErrUnavailable) && !errors.Is(err, piaflow.ErrInvalid) {
			t.Errorf("%s: %v", name, err)
		}
		if _, err := svc.LatestAssessment(ctx, admin, 1); !errors.Is(err, piaflow.ErrNotFound) {
			t.Errorf("%s: an assessment was stored (%v)", name, err)
		}
	}

	one := service.Rate{PerMinute: 1, Burst: 1}
	svc, admin, id := newService(assessments.NewEvaluator(e), service.WithRateLimits(service.RateLimits{Evaluate: one}))
	if _, err := svc.Evaluate(ctx, admin, id, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Evaluate(ctx, admin, id, 0); !errors.Is(err, piaflow.ErrRateLimited) || piaflow.RetryAfterOf(err) <= 0 {
		t.Errorf("over the rate limit: %v", err)
	}
	for range 3 {
		if _, err := svc.Evaluate(ctx, piaflow.System, id, 0); err != nil {
			t.Errorf("the offline user is not rate limited: %v", err)
		}
	}
	// Re-evaluations and propagations share one limit, checked before anything is stored.
	svc, admin, _ = newService(assessments.NewEvaluator(e), service.WithRateLimits(service.RateLimits{Reevaluate: one}))
	if _, err := svc.Reevaluate(ctx, admin); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.StartPropagation(ctx, admin, piaflow.PropagationPolicies, nil, ""); !errors.Is(err, piaflow.ErrRateLimited) {
		t.Errorf("a propagation after a re-evaluation, over the limit: %v", err)
	}
	if ps, _, err := svc.Propagations(ctx, admin, 10, 0); err != nil || len(ps) != 0 {
		t.Errorf("propagations stored: %v %v", ps, err)
	}
}

func first[A, B, C any](a A, _ B, _ C) A { return a }

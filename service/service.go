// Package service holds piaflow's use cases: evaluating a revision and recording the
// assessment, re-evaluating every deployment with new policies, the legal review, updating and
// importing actions, building a report's document, seeding the demo, and the plain reads and
// writes around them. The JSON API, the web pages and the command line all call it; they
// translate requests and answers, the service decides.
//
// Every method takes a context and, when a person acts, the acting piaflow.User (piaflow.System
// for offline commands), and checks it against the authorisation table (piaflow.Can) before
// anything else: authorisation is enforced here, once. The store below is plain persistence;
// the rules that need its locks (piaflow.PlanImport, piaflow.Action.Apply, the review
// transitions) run inside its transactions. Errors match the kinds of package piaflow.
package service

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/assessments/store"
	"github.com/piaflow/piaflow/policies"
	"github.com/piaflow/piaflow/webhook"
)

// Service runs the use cases over one store and one evaluator. It is safe for concurrent use.
type Service struct {
	st *store.Store
	ev *assessments.Evaluator
	// maxResultBytes bounds an assessment as stored (piaflow.MaxResultBytes).
	maxResultBytes int
	// reevaluateBudget bounds a re-evaluation of every deployment (piaflow.ReevaluateBudget).
	reevaluateBudget time.Duration
	// reports renders, caches and bounds the reports (report.go).
	reports *reportPool
	// limits are the per-user rate limits (ratelimit.go).
	limits limiters
	// guard checks webhook URLs at registration (WithWebhookGuard).
	guard webhook.Guard
	// notes writes notification mail (notify.go); nil: none.
	notes *notifications
	// revisions keeps the parsed questionnaires of stored revisions (revcache.go).
	revisions revisionCache
	// results keeps stored records and results, decoded (resultcache.go).
	results resultCache

	mu sync.Mutex
	// bundles keeps the policy bundles' fingerprints (carry.go).
	bundles bundles
	// queue runs the propagations' jobs (SetQueue); nil: none.
	queue Queue
	// observers are told of every assessment the service records (OnEvaluation).
	observers []func(*assessments.Assessment)
	// log gets what the service decides on its own (WithLogger; default: discarded).
	log *slog.Logger
}

// Option configures a Service.
type Option func(*Service)

// WithLogger logs what the service decides on its own — which deployments a re-evaluation
// carries over and why (debug), an earlier bundle it cannot read (warn) — to log.
func WithLogger(log *slog.Logger) Option {
	return func(s *Service) {
		if log != nil {
			s.log = log
		}
	}
}

// WithMaxResultBytes bounds an assessment as stored to n bytes of JSON instead of
// piaflow.MaxResultBytes (tests use small limits).
func WithMaxResultBytes(n int) Option {
	return func(s *Service) {
		if n > 0 {
			s.maxResultBytes = n
		}
	}
}

// WithReevaluateBudget lets a re-evaluation of every deployment start evaluations for d instead
// of piaflow.ReevaluateBudget (zero: none; tests).
func WithReevaluateBudget(d time.Duration) Option {
	return func(s *Service) { s.reevaluateBudget = max(d, 0) }
}

// New returns the service over st and ev. ev may be nil for a service that never evaluates
// (the command line's user administration and action import).
func New(st *store.Store, ev *assessments.Evaluator, opts ...Option) *Service {
	s := &Service{st: st, ev: ev, maxResultBytes: piaflow.MaxResultBytes, reevaluateBudget: piaflow.ReevaluateBudget, reports: newReportPool(),
		revisions: newRevisionCache(), results: newResultCache(), log: slog.New(slog.DiscardHandler)}
	for _, o := range opts {
		o(s)
	}
	return s
}

// OnEvaluation registers f to be called with every assessment the service evaluates and
// records (the API counts them in its metrics), the demo seed's included.
func (s *Service) OnEvaluation(f func(a *assessments.Assessment)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.observers = append(s.observers, f)
}

func (s *Service) evaluated(a *assessments.Assessment) {
	s.mu.Lock()
	obs := s.observers
	s.mu.Unlock()
	for _, f := range obs {
		f(a)
	}
}

// Ping checks that the database answers (readiness).
func (s *Service) Ping(ctx context.Context) error { return s.st.Ping(ctx) }

// Database names the database: "sqlite" or "postgres".
func (s *Service) Database() string { return s.st.Dialect() }

// PolicyVersion and PolicyDigest identify the policies the service evaluates with.
func (s *Service) PolicyVersion() string { return s.ev.PolicyVersion() }

// PolicyDigest is the digest of the policies the service evaluates with.
func (s *Service) PolicyDigest() string { return s.ev.PolicyDigest() }

// Fingerprint is the service's policy bundle in parts (assessments.Evaluator.Fingerprint).
func (s *Service) Fingerprint() policies.Fingerprint { return s.ev.Fingerprint() }

// HostingCheck answers where data of people in some countries may be hosted. Errors:
// ErrForbidden, ErrRateLimited, *assessments.ValidationError (the lists' limits first:
// assessments.HostingQuery.Limit), ErrUnavailable (the evaluation's deadline).
func (s *Service) HostingCheck(ctx context.Context, u piaflow.User, q assessments.HostingQuery) (*assessments.HostingResult, error) {
	if err := piaflow.Authorize(u, piaflow.CapHostingCheck); err != nil {
		return nil, err
	}
	if err := s.limits.hostingCheck.allow(u); err != nil {
		return nil, err
	}
	return s.ev.HostingCheck(ctx, q)
}

// actor is the store's form of the acting user.
func actor(u piaflow.User) *piaflow.User { return &u }

package service

import (
	"strconv"
	"time"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/internal/ratelimit"
)

// Rate is a per-user request rate: bursts of Burst requests, then PerMinute a minute. A zero
// PerMinute turns the limit off.
type Rate struct {
	PerMinute, Burst int
}

// RateLimits bound, per user, the use cases that cost the most: evaluating (Evaluate,
// SubmitQuestionnaire), re-evaluating every deployment, the hosting check and rendering a
// report. Offline commands (piaflow.System) are not limited.
type RateLimits struct {
	Evaluate, Reevaluate, HostingCheck, Reports Rate
}

// DefaultRateLimits are the limits `piaflow serve` applies unless told otherwise
// (piaflow.RateEvaluate and the other Rate constants).
func DefaultRateLimits() RateLimits {
	return RateLimits{
		Evaluate:     Rate{piaflow.RateEvaluatePerMinute, piaflow.RateEvaluateBurst},
		Reevaluate:   Rate{piaflow.RateReevaluatePerMinute, piaflow.RateReevaluateBurst},
		HostingCheck: Rate{piaflow.RateHostingCheckPerMinute, piaflow.RateHostingCheckBurst},
		Reports:      Rate{piaflow.RateReportsPerMinute, piaflow.RateReportsBurst},
	}
}

// WithRateLimits limits each user's requests of the costly use cases (a Service without it
// limits none: tests and offline commands).
func WithRateLimits(rl RateLimits) Option {
	return func(s *Service) {
		s.limits = limiters{
			evaluate:     newLimiter("evaluate", rl.Evaluate),
			reevaluate:   newLimiter("reevaluate", rl.Reevaluate),
			hostingCheck: newLimiter("hosting_check", rl.HostingCheck),
			reports:      newLimiter("reports", rl.Reports),
		}
	}
}

// limiters are the service's rate limits; a nil limiter allows everything.
type limiters struct {
	evaluate, reevaluate, hostingCheck, reports *limiter
}

// limiter is one rate limit, keyed by user.
type limiter struct {
	what string
	rate Rate
	l    *ratelimit.Limiter
}

// maxRateKeys bounds the users one limiter tracks at once (idle ones are forgotten first).
const maxRateKeys = 10000

func newLimiter(what string, r Rate) *limiter {
	if r.PerMinute <= 0 {
		return nil
	}
	return &limiter{what: what, rate: r, l: ratelimit.New(r.PerMinute, r.Burst, maxRateKeys)}
}

// allow takes one request of u from the limit. Errors: ErrRateLimited with when to retry.
func (l *limiter) allow(u piaflow.User) error {
	if l == nil || u.IsSystem() {
		return nil
	}
	ok, wait := l.l.Allow(strconv.FormatUint(u.ID, 10) + "\x00" + u.Name)
	if ok {
		return nil
	}
	wait = max(wait.Round(time.Second), time.Second)
	e := piaflow.MsgError(piaflow.ErrRateLimited, "", "error.rate_limited."+l.what,
		"per_minute", l.rate.PerMinute, "burst", max(l.rate.Burst, 1), "retry_duration", wait.String())
	e.RetryAfter = wait
	return e
}

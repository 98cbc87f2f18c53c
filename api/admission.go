package api

import (
	"context"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/labstack/echo/v5"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/internal/admit"
)

// OverloadedType is the problem type (RFC 9457) of a request refused by admission control:
// every work slot was taken and the queue was full or the request waited its longest
// (piaflow.ReasonOverloaded; docs/limits.md, "Work slots"). The answer is 503 with Retry-After.
const OverloadedType = "https://piaflow.dev/problems/overloaded"

// WithWorkSlots lets at most slots requests work at once (admission control); the others wait in
// a first-in-first-out queue of at most queue requests, each for at most wait, and past either
// are refused with 503, Retry-After and the problem type OverloadedType. /healthz, /readyz and
// /metrics are exempt. A request that waits for or works in an evaluation or render slot gives
// its work slot up meanwhile (admit.Park). Without this option every request works at once.
func WithWorkSlots(slots, queue int, wait time.Duration) Option {
	return withGate(admit.New(slots, queue, wait))
}

// withGate is WithWorkSlots with a gate of the test's making.
func withGate(g *admit.Gate) Option {
	return func(s *Server) {
		s.admit = &admission{gate: g, refused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "piaflow_admission_refused_total", Help: "Requests refused for want of a work slot, by why: queue_full or wait.",
		}, []string{"why"})}
	}
}

// admission is the server's admission control (WithWorkSlots).
type admission struct {
	gate    *admit.Gate
	refused *prometheus.CounterVec
}

// admissionExempt reports whether a request to path is served outside admission control: the
// health checks and the metrics, which must answer while the server is busy (and cost
// microseconds; /readyz a database ping of at most 2 s).
func admissionExempt(path string) bool {
	switch path {
	case "/healthz", "/readyz", "/metrics":
		return true
	}
	return false
}

// admission is the admission control middleware: the request takes a work slot of the gate (or
// waits for one) before authentication and its handler run, and gives it back when they
// return. Its context carries the ticket, so that the service parks it while it waits for or
// works in an evaluation or render slot; reads of its body and writes of its answer that block
// longer than admit.SlowIO park it too.
func (s *Server) admission(next echo.HandlerFunc) echo.HandlerFunc {
	if s.admit == nil {
		return next
	}
	g, refused := s.admit.gate, s.admit.refused
	return func(c *echo.Context) error {
		r := c.Request()
		if admissionExempt(r.URL.Path) {
			return next(c)
		}
		t, err := g.Enter(r.Context())
		switch {
		case errors.Is(err, admit.ErrQueueFull):
			refused.WithLabelValues("queue_full").Inc()
			e := piaflow.MsgError(piaflow.ErrUnavailable, piaflow.ReasonOverloaded, "error.overloaded.queue",
				"slots", g.Slots(), "queue", g.MaxQueue(), "retry_duration", piaflow.WorkRetryAfter.String())
			e.RetryAfter = piaflow.WorkRetryAfter
			return e
		case errors.Is(err, admit.ErrWaitTimeout):
			refused.WithLabelValues("wait").Inc()
			e := piaflow.MsgError(piaflow.ErrUnavailable, piaflow.ReasonOverloaded, "error.overloaded.wait",
				"slots", g.Slots(), "wait_duration", g.Wait().String(), "retry_duration", piaflow.WorkRetryAfter.String())
			e.RetryAfter = piaflow.WorkRetryAfter
			return e
		case err != nil:
			return err // the client went away
		}
		defer t.Leave()
		ctx := admit.NewContext(r.Context(), t)
		r = r.WithContext(ctx)
		if r.Body != nil && r.Body != http.NoBody {
			r.Body = &parkingBody{ReadCloser: r.Body, ctx: ctx}
		}
		c.SetRequest(r)
		if resp, err := echo.UnwrapResponse(c.Response()); err == nil {
			resp.ResponseWriter = &parkingWriter{ResponseWriter: resp.ResponseWriter, ctx: ctx}
		}
		return next(c)
	}
}

// registerAdmissionMetrics adds the gate's state to the metrics: slots held, requests queued
// and parked requests coming back (refusals are counted in piaflow_admission_refused_total).
func (s *Server) registerAdmissionMetrics() {
	if s.admit == nil {
		return
	}
	g := s.admit.gate
	gauge := func(name, help string, f func(admit.Stats) int) prometheus.Collector {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, func() float64 { return float64(f(g.Stats())) })
	}
	s.metrics.registry.MustRegister(s.admit.refused,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "piaflow_work_slots", Help: "Work slots: requests allowed to work at once (serve --work-slots)."},
			func() float64 { return float64(g.Slots()) }),
		gauge("piaflow_work_slots_busy", "Work slots held by requests now.", func(st admit.Stats) int { return st.Busy }),
		gauge("piaflow_work_queue_length", "Requests waiting for a work slot now.", func(st admit.Stats) int { return st.Queued }),
		gauge("piaflow_work_returning", "Requests back from an evaluation or render slot waiting to take a work slot again.", func(st admit.Stats) int { return st.Returning }),
	)
}

// problemType is the problem type of err: OverloadedType for a refusal of admission control,
// else about:blank (the status says it all).
func problemType(err error) string {
	if piaflow.ReasonOf(err) == piaflow.ReasonOverloaded {
		return OverloadedType
	}
	return "about:blank"
}

// parkingBody is a request body whose reads park the request when they block (admit.During): a
// client that sends its body slowly does not hold a work slot.
type parkingBody struct {
	io.ReadCloser
	ctx context.Context
}

func (b *parkingBody) Read(p []byte) (n int, err error) {
	admit.During(b.ctx, admit.SlowIO, func() { n, err = b.ReadCloser.Read(p) })
	return n, err
}

// parkingWriter is a response writer whose writes park the request when they block: a client
// that takes its answer slowly does not hold a work slot.
type parkingWriter struct {
	http.ResponseWriter
	ctx context.Context
}

func (w *parkingWriter) Write(p []byte) (n int, err error) {
	admit.During(w.ctx, admit.SlowIO, func() { n, err = w.ResponseWriter.Write(p) })
	return n, err
}

// Unwrap lets http.ResponseController reach the connection's writer (Flush, deadlines).
func (w *parkingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

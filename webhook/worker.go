package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments/store"
)

// Worker sends the store's queued deliveries: it claims those due (store.ClaimDue), POSTs each
// signed payload, and records the outcome (store.FinishDelivery: delivered, due again after a
// backoff, or failed after piaflow.MaxWebhookAttempts). Several workers (several server
// processes on one PostgreSQL database) never send one attempt twice; a worker that dies
// mid-attempt leaves the delivery to be claimed again when its lease lapses.
type Worker struct {
	st    *store.Store
	guard Guard
	log   *slog.Logger
	now   func() time.Time
	poll  time.Duration
	// wake is signalled (without blocking) when deliveries are queued.
	wake chan struct{}
	// guarded connects only to addresses the guard allows; open to any (allow_private).
	guarded, open *http.Client
}

// Option configures a Worker.
type Option func(*Worker)

// WithClock makes the worker read the time from now (tests drive retries with it).
func WithClock(now func() time.Time) Option { return func(w *Worker) { w.now = now } }

// WithPollInterval makes the worker look for due deliveries every d instead of
// piaflow.WebhookPollInterval.
func WithPollInterval(d time.Duration) Option {
	return func(w *Worker) {
		if d > 0 {
			w.poll = d
		}
	}
}

// NewWorker returns a worker over st that the store wakes when it queues deliveries.
func NewWorker(st *store.Store, guard Guard, log *slog.Logger, opts ...Option) *Worker {
	if log == nil {
		log = slog.Default()
	}
	w := &Worker{st: st, guard: guard, log: log, now: func() time.Time { return time.Now().UTC() },
		poll: piaflow.WebhookPollInterval, wake: make(chan struct{}, 1)}
	for _, o := range opts {
		o(w)
	}
	w.guarded = newClient(guard.control)
	w.open = newClient(nil)
	st.OnEnqueue(w.Notify)
	return w
}

// newClient is an HTTP client for deliveries: no proxy (it would connect in the guard's
// stead), no redirects followed (a 3xx is a failed attempt), every connection checked by
// control when not nil, each attempt bounded by piaflow.WebhookDeliveryTimeout.
func newClient(control func(network, address string, c syscall.RawConn) error) *http.Client {
	d := &net.Dialer{Timeout: piaflow.WebhookDeliveryTimeout, Control: control}
	return &http.Client{
		Timeout: piaflow.WebhookDeliveryTimeout,
		Transport: &http.Transport{Proxy: nil, DialContext: d.DialContext, TLSHandshakeTimeout: piaflow.WebhookDeliveryTimeout,
			ResponseHeaderTimeout: piaflow.WebhookDeliveryTimeout, MaxIdleConnsPerHost: 2, IdleConnTimeout: 90 * time.Second},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// Notify wakes the worker to look for due deliveries now.
func (w *Worker) Notify() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run sends deliveries until ctx ends: at once, whenever Notify is called, and every poll
// interval.
func (w *Worker) Run(ctx context.Context) {
	t := time.NewTicker(w.poll)
	defer t.Stop()
	for {
		n, err := w.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			w.log.Error("webhook deliveries", "err", err)
		}
		if err == nil && n == piaflow.WebhookBatch && ctx.Err() == nil {
			continue // more may be due
		}
		select {
		case <-ctx.Done():
			return
		case <-w.wake:
		case <-t.C:
		}
	}
}

// lease is how long a claimed attempt keeps its delivery from other workers.
const lease = 2 * piaflow.WebhookDeliveryTimeout

// RunOnce claims the deliveries due now (up to piaflow.WebhookBatch), attempts each (at once,
// in parallel) and records the outcomes; it returns how many it attempted.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	jobs, err := w.st.ClaimDue(ctx, w.now(), lease, piaflow.WebhookBatch)
	if err != nil {
		return 0, err
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for _, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o := w.attempt(ctx, j)
			if !o.Delivered {
				w.log.Warn("webhook delivery failed", "delivery", j.Delivery.ID, "webhook", j.Webhook.ID, "attempt", j.Delivery.Attempts, "status", o.StatusCode, "err", o.Err)
			}
			// The outcome is recorded even when ctx ended meanwhile.
			if err := w.st.FinishDelivery(context.WithoutCancel(ctx), j, o); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return len(jobs), errors.Join(errs...)
}

// attempt POSTs one delivery and says what came of it. An attempt under way finishes (within
// piaflow.WebhookDeliveryTimeout) when ctx ends: cut short, a receiver that had acted on it
// would get it again after the restart.
func (w *Worker) attempt(ctx context.Context, j store.DeliveryJob) store.DeliveryOutcome {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), piaflow.WebhookDeliveryTimeout)
	defer cancel()
	body := []byte(j.Delivery.Payload)
	ts := w.now().Unix()
	fail := func(code int, err error) store.DeliveryOutcome {
		return store.DeliveryOutcome{StatusCode: code, Err: err.Error(), At: w.now()}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, j.Webhook.URL, bytes.NewReader(body))
	if err != nil {
		return fail(0, fmt.Errorf("build request: %w", err))
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "piaflow-webhook/1")
	req.Header.Set(HeaderID, j.Delivery.EventID)
	req.Header.Set(HeaderEvent, j.Delivery.EventType)
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
	req.Header.Set(HeaderSignature, Sign(j.Webhook.Secret, ts, body))
	client := w.guarded
	if j.Webhook.AllowPrivate {
		client = w.open
	}
	resp, err := client.Do(req)
	if err != nil {
		// Without the URL: it may hold a token (chat webhooks do), and the error is logged.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fail(0, err)
	}
	defer resp.Body.Close()
	// Read a bounded part of the answer (so the connection may be reused), drop the rest.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, piaflow.MaxWebhookResponseBytes))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fail(resp.StatusCode, fmt.Errorf("the receiver answered %s", resp.Status))
	}
	return store.DeliveryOutcome{Delivered: true, StatusCode: resp.StatusCode, At: w.now()}
}

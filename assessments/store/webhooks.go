package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"time"

	"gorm.io/gorm"

	"github.com/piaflow/piaflow"
)

// pendingEvent is an event to queue for the webhooks that subscribe to it.
type pendingEvent struct {
	typ  string
	data piaflow.EventData
}

// OnEnqueue registers f to be called after a transaction that queued webhook deliveries
// commits (the delivery worker wakes up). Call it before the store is used concurrently.
func (s *Store) OnEnqueue(f func()) {
	s.hooksMu.Lock()
	defer s.hooksMu.Unlock()
	s.enqueued = f
}

// notifyEnqueued tells the registered listener, if any, that deliveries were queued.
func (s *Store) notifyEnqueued(n int) {
	if n == 0 {
		return
	}
	s.hooksMu.Lock()
	f := s.enqueued
	s.hooksMu.Unlock()
	if f != nil {
		f()
	}
}

// enqueue queues, inside transaction tx, one delivery of each event to every active webhook
// that subscribes to its type, and returns how many it queued. The deliveries commit or roll
// back with the change they tell of. An event whose payload passes
// piaflow.MaxWebhookPayloadBytes is queued as a failed delivery (listed, never sent) rather
// than failing the change.
func (s *Store) enqueue(tx *gorm.DB, events ...pendingEvent) (int, error) {
	if len(events) == 0 {
		return 0, nil
	}
	var hooks []piaflow.Webhook
	if err := tx.Where("active = ?", true).Order("id").Find(&hooks).Error; err != nil {
		return 0, fmt.Errorf("webhooks: %w", err)
	}
	if len(hooks) == 0 {
		return 0, nil
	}
	now := s.now()
	n := 0
	for _, e := range events {
		var subscribed []piaflow.Webhook
		for _, h := range hooks {
			if h.Subscribes(e.typ) {
				subscribed = append(subscribed, h)
			}
		}
		if len(subscribed) == 0 {
			continue
		}
		id, err := eventID()
		if err != nil {
			return n, err
		}
		_, body, err := piaflow.NewEvent(id, e.typ, now, e.data)
		status, lastErr := piaflow.DeliveryPending, ""
		if err != nil {
			if !errors.Is(err, piaflow.ErrInvalid) {
				return n, err
			}
			status, lastErr = piaflow.DeliveryFailed, err.Error()
		}
		for _, h := range subscribed {
			d := piaflow.WebhookDelivery{WebhookID: h.ID, EventID: id, EventType: e.typ, Payload: string(body), Status: status,
				NextAttemptAt: now, LastError: lastErr, CreatedAt: now}
			if err := tx.Create(&d).Error; err != nil {
				return n, fmt.Errorf("queue webhook delivery: %w", err)
			}
			n++
		}
	}
	return n, nil
}

// eventID is a random event id: "evt_" and 32 hex digits.
func eventID() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("event id: %w", err)
	}
	return "evt_" + hex.EncodeToString(b), nil
}

// EnqueueEvent queues an event of type t about data for the webhooks subscribed to it, in a
// transaction of its own (an event that tells of no single stored change: a re-evaluation
// finished).
func (s *Store) EnqueueEvent(ctx context.Context, t string, data piaflow.EventData) error {
	var n int
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		n, err = s.enqueue(tx, pendingEvent{t, data})
		return err
	})
	if err != nil {
		return translate(err, "queue event "+t)
	}
	s.notifyEnqueued(n)
	return nil
}

// CreateWebhook stores a webhook (URL and events checked before) with its secret, unless
// piaflow.MaxWebhooks are registered already. Errors: ErrConflict (ReasonTooLarge: too many).
func (s *Store) CreateWebhook(ctx context.Context, actor *piaflow.User, w piaflow.Webhook) (piaflow.Webhook, error) {
	w.ID, w.Active, w.CreatedAt = 0, true, s.now()
	if actor != nil {
		w.CreatedBy = actor.Name
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&piaflow.Webhook{}).Where("active = ?", true).Count(&n).Error; err != nil {
			return err
		}
		if n >= piaflow.MaxWebhooks {
			return piaflow.MsgError(piaflow.ErrConflict, piaflow.ReasonTooLarge, "error.limit.webhooks", "n", n)
		}
		if err := tx.Create(&w).Error; err != nil {
			return err
		}
		return s.audit(tx, actor, "create_webhook", "webhook", w.ID, urlHost(w.URL))
	})
	return w, translate(err, "create webhook")
}

// urlHost is what the audit log keeps of a webhook's URL: its scheme and host, not its path
// and query, which may hold a token (chat webhooks do) that the audit log's readers must not see.
func urlHost(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// Webhooks lists the webhooks, by id.
func (s *Store) Webhooks(ctx context.Context) ([]piaflow.Webhook, error) {
	out := []piaflow.Webhook{}
	err := s.db.WithContext(ctx).Order("id").Find(&out).Error
	return out, translate(err, "webhooks")
}

// Webhook returns a webhook. Errors: ErrNotFound.
func (s *Store) Webhook(ctx context.Context, id uint64) (piaflow.Webhook, error) {
	var w piaflow.Webhook
	err := s.db.WithContext(ctx).First(&w, id).Error
	return w, translateObj(err, fmt.Sprintf("webhook %d", id), "webhook", "id", id)
}

// DeleteWebhook removes a webhook with its deliveries (those pending are not sent). Errors:
// ErrNotFound.
func (s *Store) DeleteWebhook(ctx context.Context, actor *piaflow.User, id uint64) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var w piaflow.Webhook
		if err := tx.First(&w, id).Error; err != nil {
			return err
		}
		if err := tx.Where("webhook_id = ?", id).Delete(&piaflow.WebhookDelivery{}).Error; err != nil {
			return err
		}
		if err := tx.Delete(&w).Error; err != nil {
			return err
		}
		return s.audit(tx, actor, "delete_webhook", "webhook", id, urlHost(w.URL))
	})
	return translate(err, fmt.Sprintf("delete webhook %d", id))
}

// Deliveries lists a webhook's deliveries, newest first, at most limit (1 to
// piaflow.MaxWebhookDeliveriesPage). Errors: ErrNotFound (no such webhook).
func (s *Store) Deliveries(ctx context.Context, webhookID uint64, limit int) ([]piaflow.WebhookDelivery, error) {
	if _, err := s.Webhook(ctx, webhookID); err != nil {
		return nil, err
	}
	limit = min(max(limit, 1), piaflow.MaxWebhookDeliveriesPage)
	out := []piaflow.WebhookDelivery{}
	err := s.db.WithContext(ctx).Where("webhook_id = ?", webhookID).Order("id DESC").Limit(limit).Find(&out).Error
	return out, translate(err, fmt.Sprintf("deliveries of webhook %d", webhookID))
}

// Delivery returns a delivery. Errors: ErrNotFound.
func (s *Store) Delivery(ctx context.Context, id uint64) (piaflow.WebhookDelivery, error) {
	var d piaflow.WebhookDelivery
	err := s.db.WithContext(ctx).First(&d, id).Error
	return d, translateObj(err, fmt.Sprintf("delivery %d", id), "delivery", "id", id)
}

// Redeliver queues delivery id of webhook webhookID again, due now, with its attempts counted
// from zero (its event id and payload unchanged); the outcome of an attempt running meanwhile
// is dropped (FinishDelivery). Errors: ErrNotFound, ErrConflict (ReasonTooLarge: a payload
// over the limit was never kept).
func (s *Store) Redeliver(ctx context.Context, actor *piaflow.User, webhookID, id uint64) (piaflow.WebhookDelivery, error) {
	var d piaflow.WebhookDelivery
	now := s.now()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("webhook_id = ?", webhookID).First(&d, id).Error; err != nil {
			return err
		}
		if d.Payload == "" {
			return piaflow.MsgError(piaflow.ErrConflict, piaflow.ReasonTooLarge, "error.delivery_no_payload", "id", id, "last_error", d.LastError)
		}
		d.Status, d.Attempts, d.NextAttemptAt, d.LastStatusCode, d.LastError, d.DeliveredAt = piaflow.DeliveryPending, 0, now, 0, "", nil
		if err := tx.Save(&d).Error; err != nil {
			return err
		}
		return s.audit(tx, actor, "redeliver", "webhook", webhookID, fmt.Sprintf("delivery %d (%s)", id, d.EventType))
	})
	if err != nil {
		return d, translate(err, fmt.Sprintf("redeliver delivery %d", id))
	}
	s.notifyEnqueued(1)
	return d, nil
}

// DeliveryJob is a claimed delivery with the webhook to send it to.
type DeliveryJob struct {
	Delivery piaflow.WebhookDelivery
	Webhook  piaflow.Webhook
}

// ClaimDue claims up to limit pending deliveries due at now (their NextAttemptAt passed), oldest
// due first: each claim counts an attempt and moves the delivery's NextAttemptAt to now+lease
// with one conditional UPDATE, so that another worker (another server process on the same
// PostgreSQL database) claims it only when this one's lease lapses without an outcome (a
// crash). Deliveries of a removed or inactive webhook are not claimed.
func (s *Store) ClaimDue(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]DeliveryJob, error) {
	db := s.db.WithContext(ctx)
	var due []piaflow.WebhookDelivery
	err := db.Where("status = ? AND next_attempt_at <= ?", piaflow.DeliveryPending, now).
		Order("next_attempt_at").Order("id").Limit(max(limit, 1)).Find(&due).Error
	if err != nil {
		return nil, translate(err, "due deliveries")
	}
	var jobs []DeliveryJob
	hooks := map[uint64]*piaflow.Webhook{}
	// The lease's end identifies the claim (FinishDelivery): whole microseconds, as PostgreSQL
	// keeps them.
	until := now.Add(lease).Truncate(time.Microsecond)
	for _, d := range due {
		res := db.Model(&piaflow.WebhookDelivery{}).
			Where("id = ? AND status = ? AND next_attempt_at = ?", d.ID, piaflow.DeliveryPending, d.NextAttemptAt).
			Updates(map[string]any{"next_attempt_at": until, "attempts": gorm.Expr("attempts + 1")})
		if res.Error != nil {
			return jobs, translate(res.Error, fmt.Sprintf("claim delivery %d", d.ID))
		}
		if res.RowsAffected != 1 {
			continue // another worker claimed it
		}
		d.Attempts++
		d.NextAttemptAt = until
		h, ok := hooks[d.WebhookID]
		if !ok {
			var w piaflow.Webhook
			if err := db.First(&w, d.WebhookID).Error; err != nil {
				if errors.Is(err, gorm.ErrRecordNotFound) {
					continue // removed meanwhile (its deliveries with it)
				}
				return jobs, translateObj(err, fmt.Sprintf("webhook %d", d.WebhookID), "webhook", "id", d.WebhookID)
			}
			h = &w
			hooks[d.WebhookID] = h
		}
		jobs = append(jobs, DeliveryJob{Delivery: d, Webhook: *h})
	}
	return jobs, nil
}

// DeliveryOutcome is what one attempt of a delivery came to.
type DeliveryOutcome struct {
	// Delivered: the receiver answered 2xx.
	Delivered bool
	// StatusCode is the receiver's answer (0: none), Err why the attempt failed.
	StatusCode int
	Err        string
	// At is when the attempt ended.
	At time.Time
}

// FinishDelivery records the outcome of a claimed attempt (job as ClaimDue returned it):
// delivered; or due again after piaflow.WebhookBackoff; or failed after
// piaflow.MaxWebhookAttempts. An outcome for a delivery no longer under that claim (redelivered,
// claimed again after its lease lapsed, removed) changes nothing.
func (s *Store) FinishDelivery(ctx context.Context, job DeliveryJob, o DeliveryOutcome) error {
	id, attempt := job.Delivery.ID, job.Delivery.Attempts
	const maxErr = 500
	if len(o.Err) > maxErr {
		o.Err = o.Err[:maxErr]
	}
	upd := map[string]any{"last_status_code": o.StatusCode, "last_error": o.Err}
	switch {
	case o.Delivered:
		at := o.At
		upd["status"], upd["delivered_at"], upd["last_error"] = piaflow.DeliveryDelivered, &at, ""
	case attempt >= piaflow.MaxWebhookAttempts:
		upd["status"] = piaflow.DeliveryFailed
	default:
		upd["next_attempt_at"] = o.At.Add(piaflow.WebhookBackoff(attempt))
	}
	err := s.db.WithContext(ctx).Model(&piaflow.WebhookDelivery{}).
		Where("id = ? AND status = ? AND attempts = ? AND next_attempt_at = ?", id, piaflow.DeliveryPending, attempt, job.Delivery.NextAttemptAt).
		Updates(upd).Error
	return translate(err, fmt.Sprintf("finish delivery %d", id))
}

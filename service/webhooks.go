package service

import (
	"context"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/webhook"
)

// WithWebhookGuard makes the service check webhook URLs with g (its own listen addresses
// among those refused) instead of the zero guard.
func WithWebhookGuard(g webhook.Guard) Option { return func(s *Service) { s.guard = g } }

// CreatedWebhook is a webhook just registered, with its secret: shown this once.
type CreatedWebhook struct {
	piaflow.Webhook
	Secret string `json:"secret"`
}

// CreateWebhook registers a webhook for the event types in.Events: its URL must be http or
// https and, unless in.AllowPrivate, its host must not resolve to a loopback, link-local
// (cloud metadata), unspecified or this server's own address (webhook.Guard; checked again at
// each delivery). It returns the webhook with its new secret. Errors: ErrForbidden, ErrInvalid
// (fields "url", "events"), ErrConflict (piaflow.MaxWebhooks registered).
func (s *Service) CreateWebhook(ctx context.Context, u piaflow.User, in piaflow.NewWebhookInput) (CreatedWebhook, error) {
	if err := piaflow.Authorize(u, piaflow.CapManageWebhooks); err != nil {
		return CreatedWebhook{}, err
	}
	if err := piaflow.ValidateWebhook(in); err != nil {
		return CreatedWebhook{}, err
	}
	if err := s.guard.CheckURL(ctx, in.URL, in.AllowPrivate); err != nil {
		return CreatedWebhook{}, err
	}
	secret, err := webhook.NewSecret()
	if err != nil {
		return CreatedWebhook{}, err
	}
	w, err := s.st.CreateWebhook(ctx, actor(u), piaflow.Webhook{URL: in.URL, Events: in.Events, Secret: secret, AllowPrivate: in.AllowPrivate})
	if err != nil {
		return CreatedWebhook{}, err
	}
	return CreatedWebhook{Webhook: w, Secret: secret}, nil
}

// Webhooks lists the webhooks (without their secrets). Errors: ErrForbidden.
func (s *Service) Webhooks(ctx context.Context, u piaflow.User) ([]piaflow.Webhook, error) {
	if err := piaflow.Authorize(u, piaflow.CapManageWebhooks); err != nil {
		return nil, err
	}
	return s.st.Webhooks(ctx)
}

// Webhook returns a webhook (without its secret). Errors: ErrForbidden, ErrNotFound.
func (s *Service) Webhook(ctx context.Context, u piaflow.User, id uint64) (piaflow.Webhook, error) {
	if err := piaflow.Authorize(u, piaflow.CapManageWebhooks); err != nil {
		return piaflow.Webhook{}, err
	}
	return s.st.Webhook(ctx, id)
}

// DeleteWebhook removes a webhook and its deliveries. Errors: ErrForbidden, ErrNotFound.
func (s *Service) DeleteWebhook(ctx context.Context, u piaflow.User, id uint64) error {
	if err := piaflow.Authorize(u, piaflow.CapManageWebhooks); err != nil {
		return err
	}
	return s.st.DeleteWebhook(ctx, actor(u), id)
}

// Deliveries lists a webhook's deliveries with their status, newest first, at most limit
// (1 to piaflow.MaxWebhookDeliveriesPage). Errors: ErrForbidden, ErrNotFound.
func (s *Service) Deliveries(ctx context.Context, u piaflow.User, webhookID uint64, limit int) ([]piaflow.WebhookDelivery, error) {
	if err := piaflow.Authorize(u, piaflow.CapManageWebhooks); err != nil {
		return nil, err
	}
	return s.st.Deliveries(ctx, webhookID, limit)
}

// Redeliver queues a delivery of a webhook again, due now, its attempts counted afresh.
// Errors: ErrForbidden, ErrNotFound, ErrConflict (an attempt runs).
func (s *Service) Redeliver(ctx context.Context, u piaflow.User, webhookID, deliveryID uint64) (piaflow.WebhookDelivery, error) {
	if err := piaflow.Authorize(u, piaflow.CapManageWebhooks); err != nil {
		return piaflow.WebhookDelivery{}, err
	}
	return s.st.Redeliver(ctx, actor(u), webhookID, deliveryID)
}

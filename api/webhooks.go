package api

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v5"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/internal/httpx"
)

func (s *Server) webhookRoutes(g *echo.Group) {
	s.route(g, http.MethodPost, "/webhooks", s.createWebhook, piaflow.CapManageWebhooks)
	s.route(g, http.MethodGet, "/webhooks", s.listWebhooks, piaflow.CapManageWebhooks)
	s.route(g, http.MethodGet, "/webhooks/:id", s.getWebhook, piaflow.CapManageWebhooks)
	s.route(g, http.MethodDelete, "/webhooks/:id", s.deleteWebhook, piaflow.CapManageWebhooks)
	s.route(g, http.MethodGet, "/webhooks/:id/deliveries", s.listDeliveries, piaflow.CapManageWebhooks)
	s.route(g, http.MethodPost, "/webhooks/:id/deliveries/:delivery/redeliver", s.redeliver, piaflow.CapManageWebhooks)
}

// newWebhookRequest is the body of POST /api/v1/webhooks.
type newWebhookRequest struct {
	URL          string   `json:"url"`
	Events       []string `json:"events"`
	AllowPrivate bool     `json:"allow_private"`
}

func (s *Server) createWebhook(c *echo.Context) error {
	var req newWebhookRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	w, err := s.svc.CreateWebhook(c.Request().Context(), httpx.CurrentUser(c),
		piaflow.NewWebhookInput{URL: req.URL, Events: req.Events, AllowPrivate: req.AllowPrivate})
	if err != nil {
		return err
	}
	// The secret is shown once. It must not be cached.
	c.Response().Header().Set("Location", fmt.Sprintf("/api/v1/webhooks/%d", w.ID))
	c.Response().Header().Set("Cache-Control", "no-store")
	c.Response().Header().Set("Pragma", "no-cache")
	return c.JSON(http.StatusCreated, w)
}

func (s *Server) listWebhooks(c *echo.Context) error {
	hooks, err := s.svc.Webhooks(c.Request().Context(), httpx.CurrentUser(c))
	if err != nil {
		return err
	}
	return sendItems(c, hooks)
}

func (s *Server) getWebhook(c *echo.Context) error {
	id, err := httpx.IDParam(c)
	if err != nil {
		return err
	}
	w, err := s.svc.Webhook(c.Request().Context(), httpx.CurrentUser(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, w)
}

func (s *Server) deleteWebhook(c *echo.Context) error {
	id, err := httpx.IDParam(c)
	if err != nil {
		return err
	}
	if err := s.svc.DeleteWebhook(c.Request().Context(), httpx.CurrentUser(c), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// listDeliveries lists a webhook's deliveries, newest first, at most ?limit= (1 to
// piaflow.MaxWebhookDeliveriesPage, default 50).
func (s *Server) listDeliveries(c *echo.Context) error {
	id, err := httpx.IDParam(c)
	if err != nil {
		return err
	}
	limit := piaflow.DefaultPageSize
	if v := c.QueryParam("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > piaflow.MaxWebhookDeliveriesPage {
			return invalidField("limit", "query.limit", "value", strconv.Quote(v), "max", strconv.Itoa(piaflow.MaxWebhookDeliveriesPage))
		}
		limit = n
	}
	ds, err := s.svc.Deliveries(c.Request().Context(), httpx.CurrentUser(c), id, limit)
	if err != nil {
		return err
	}
	return sendItems(c, ds)
}

func (s *Server) redeliver(c *echo.Context) error {
	id, err := httpx.IDParam(c)
	if err != nil {
		return err
	}
	did, err := strconv.ParseUint(c.Param("delivery"), 10, 63)
	if err != nil || did == 0 {
		return httpx.Msg(http.StatusNotFound, "error.http.no_delivery", "id", strconv.Quote(c.Param("delivery")))
	}
	d, err := s.svc.Redeliver(c.Request().Context(), httpx.CurrentUser(c), id, did)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, d)
}

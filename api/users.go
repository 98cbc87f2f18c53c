package api

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v5"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/internal/httpx"
)

func (s *Server) userRoutes(g *echo.Group) {
	s.route(g, http.MethodPost, "/users", s.createUser, piaflow.CapManageUsers)
	s.route(g, http.MethodGet, "/users/:name", s.getUser, piaflow.CapManageUsers)
	s.route(g, http.MethodPost, "/users/:name/tokens", s.createToken, piaflow.CapManageUsers)
	s.route(g, http.MethodDelete, "/tokens/:id", s.revokeToken, piaflow.CapManageUsers)
}

// newUserRequest is the body of POST /api/v1/users.
type newUserRequest struct {
	Name string `json:"name"`
	Role string `json:"role"`
}

func (s *Server) createUser(c *echo.Context) error {
	var req newUserRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	created, err := s.svc.CreateUser(c.Request().Context(), httpx.CurrentUser(c), req.Name, req.Role)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Location", "/api/v1/users/"+url.PathEscape(created.Name))
	return c.JSON(http.StatusCreated, created)
}

// newTokenRequest is the body of POST /api/v1/users/{name}/tokens.
type newTokenRequest struct {
	Label string `json:"label"`
}

func (s *Server) createToken(c *echo.Context) error {
	var req newTokenRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	secret, t, err := s.svc.CreateToken(c.Request().Context(), httpx.CurrentUser(c), c.Param("name"), req.Label)
	if err != nil {
		return err
	}
	// The token is shown once; only its hash is stored. It must not be cached.
	c.Response().Header().Set("Location", fmt.Sprintf("/api/v1/tokens/%d", t.ID))
	c.Response().Header().Set("Cache-Control", "no-store")
	c.Response().Header().Set("Pragma", "no-cache")
	return c.JSON(http.StatusCreated, map[string]any{"id": t.ID, "user": c.Param("name"), "label": t.Label, "token": secret})
}

func (s *Server) revokeToken(c *echo.Context) error {
	id, err := httpx.IDParam(c)
	if err != nil {
		return err
	}
	if err := s.svc.RevokeToken(c.Request().Context(), httpx.CurrentUser(c), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) getUser(c *echo.Context) error {
	u, err := s.svc.User(c.Request().Context(), httpx.CurrentUser(c), c.Param("name"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, u)
}

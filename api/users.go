package api

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v5"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
)

func (s *Server) userRoutes(g *echo.Group) {
	g.POST("/users", s.createUser, allow(piaflow.RoleAdmin))
	g.GET("/users/:name", s.getUser, allow(piaflow.RoleAdmin))
	g.POST("/users/:name/tokens", s.createToken, allow(piaflow.RoleAdmin))
	g.DELETE("/tokens/:id", s.revokeToken, allow(piaflow.RoleAdmin))
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
	var problems []assessments.Problem
	if p := text("name", req.Name, 100); p != nil {
		problems = append(problems, *p)
	} else if strings.TrimSpace(req.Name) == "" {
		problems = append(problems, assessments.Problem{Path: "name", Message: "must have 1 to 100 characters"})
	}
	if !slices.Contains(piaflow.Roles(), req.Role) {
		problems = append(problems, assessments.Problem{Path: "role", Message: fmt.Sprintf("%q is not one of %s", req.Role, strings.Join(piaflow.Roles(), ", "))})
	}
	if len(problems) > 0 {
		return &problemError{status: http.StatusUnprocessableEntity, detail: "the input is invalid: see errors", errors: problems}
	}
	u := currentUser(c)
	created, err := s.st.CreateUser(c.Request().Context(), &u, strings.TrimSpace(req.Name), req.Role)
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
	if err := checkText(textField{"label", req.Label, 200}, textField{"name", c.Param("name"), 100}); err != nil {
		return err
	}
	u := currentUser(c)
	secret, t, err := s.st.CreateToken(c.Request().Context(), &u, c.Param("name"), req.Label)
	if errors.Is(err, piaflow.ErrNotFound) {
		return problemf(http.StatusNotFound, "no user %q", c.Param("name"))
	}
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
	id, err := idParam(c)
	if err != nil {
		return err
	}
	u := currentUser(c)
	if err := s.st.RevokeToken(c.Request().Context(), &u, id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) getUser(c *echo.Context) error {
	u, err := s.st.UserByName(c.Request().Context(), c.Param("name"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, u)
}

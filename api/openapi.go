package api

import (
	_ "embed"
	"net/http"

	"github.com/labstack/echo/v5"
)

// openAPI is the API's OpenAPI 3.1 description (api/openapi.json); TestOpenAPICoversRoutes
// keeps it in step with the routes.
//
//go:embed openapi.json
var openAPI []byte

func (s *Server) openAPI(c *echo.Context) error {
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, openAPI)
}

package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v5"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/internal/httpx"
)

// productRoutes are the products, the processor register, deployment specs and impact lists
// (issue 15, docs/products.md): push and read products and register entries, build a deployment
// from a spec, read how it is composed, and list what a change would do.
func (s *Server) productRoutes(g *echo.Group) {
	s.route(g, http.MethodPost, "/products", s.pushProduct, piaflow.CapManageProducts)
	s.route(g, http.MethodGet, "/products", s.listProducts, piaflow.CapReadDeployments)
	s.route(g, http.MethodGet, "/products/:name/versions/:version", s.getProduct, piaflow.CapReadDeployments)
	s.route(g, http.MethodGet, "/products/:name/versions/:version/template", s.productTemplate, piaflow.CapCreateDeployment)
	s.route(g, http.MethodPost, "/processors", s.pushProcessors, piaflow.CapManageProducts)
	s.route(g, http.MethodGet, "/processors", s.listProcessors, piaflow.CapReadDeployments)
	s.route(g, http.MethodGet, "/processors/:name", s.getProcessor, piaflow.CapReadDeployments)
	s.route(g, http.MethodPost, "/specs", s.pushSpec(false), piaflow.CapCreateDeployment)
	s.route(g, http.MethodPut, "/deployments/:id/spec", s.pushSpec(true), piaflow.CapWriteQuestionnaire)
	s.route(g, http.MethodGet, "/deployments/:id/source", s.deploymentSource, piaflow.CapReadAssessments)
	s.route(g, http.MethodPost, "/impact", s.impact, piaflow.CapReadAssessments)
}

// documentBody reports whether a request to path carries a product profile, register entries,
// a deployment spec or a change proposing one: bounded by assessments.MaxDocumentBytes (what
// the parsers accept) instead of piaflow.MaxBodyBytes.
func documentBody(path string) bool {
	switch path {
	case "/api/v1/products", "/api/v1/processors", "/api/v1/specs", "/api/v1/impact":
		return true
	}
	return strings.HasPrefix(path, "/api/v1/deployments/") && strings.HasSuffix(path, "/spec")
}

// readBody reads a whole request body (bounded by the bodyLimit middleware); an empty one is a 400.
func readBody(c *echo.Context) ([]byte, error) {
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return nil, httpx.Msg(http.StatusRequestEntityTooLarge, "error.http.body_too_large", "max", bodyLimitOf(c.Request().URL.Path))
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		return nil, httpx.Msg(http.StatusBadRequest, "error.http.body_empty_document")
	}
	return body, nil
}

// productURL is the URL of a product version.
func productURL(name, version string) string {
	return "/api/v1/products/" + url.PathEscape(name) + "/versions/" + url.PathEscape(version)
}

// pushProduct stores a product version: 201 with its Location when new, 200 when the same
// version was stored with the same profile already.
func (s *Server) pushProduct(c *echo.Context) error {
	body, err := readBody(c)
	if err != nil {
		return err
	}
	v, created, err := s.svc.PushProduct(c.Request().Context(), httpx.CurrentUser(c), body)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Location", productURL(v.Name, v.Version))
	if !created {
		return c.JSON(http.StatusOK, v)
	}
	return c.JSON(http.StatusCreated, v)
}

// productList is a page of product versions.
type productList struct {
	Items  []piaflow.ProductVersion `json:"items"`
	Total  int64                    `json:"total"`
	Limit  int                      `json:"limit"`
	Offset int                      `json:"offset"`
}

func (s *Server) listProducts(c *echo.Context) error {
	limit, offset, err := pageOf(c, piaflow.DefaultPageSize, piaflow.MaxPageSize)
	if err != nil {
		return err
	}
	items, total, err := s.svc.Products(c.Request().Context(), httpx.CurrentUser(c), c.QueryParam("name"), limit, offset)
	if err != nil {
		return err
	}
	if items == nil {
		items = []piaflow.ProductVersion{}
	}
	return c.JSON(http.StatusOK, productList{Items: items, Total: total, Limit: limit, Offset: offset})
}

// productView is a product version with its profile.
type productView struct {
	piaflow.ProductVersion
	Profile *assessments.Product `json:"profile"`
}

func (s *Server) getProduct(c *echo.Context) error {
	v, p, err := s.svc.Product(c.Request().Context(), httpx.CurrentUser(c), c.Param("name"), c.Param("version"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, productView{ProductVersion: v, Profile: p})
}

// productTemplate answers a deployment spec to start from (?country=, required; ?sector=) as
// JSON or YAML (questionnaireFormat: ?format= or Accept); X-Hosting-Option names the product's
// hosting option it took ("" when none suits the country).
func (s *Server) productTemplate(c *echo.Context) error {
	format, err := questionnaireFormat(c)
	if err != nil {
		return err
	}
	country := c.QueryParam("country")
	if strings.TrimSpace(country) == "" {
		return invalidField("country", "query.country")
	}
	spec, option, err := s.svc.Template(c.Request().Context(), httpx.CurrentUser(c), c.Param("name"), c.Param("version"), country, c.QueryParam("sector"))
	if err != nil {
		return err
	}
	doc, err := json.Marshal(spec)
	if err != nil {
		return fmt.Errorf("encode spec template: %w", err)
	}
	h := c.Response().Header()
	h.Set("X-Hosting-Option", option)
	h.Add("Vary", "Accept")
	if format == "yaml" {
		y, err := assessments.DocumentYAML(doc)
		if err != nil {
			return err
		}
		return c.Blob(http.StatusOK, "application/yaml; charset=utf-8", y)
	}
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, doc)
}

// pushProcessors stores register entries (one, or a list) that are new or changed.
func (s *Server) pushProcessors(c *echo.Context) error {
	body, err := readBody(c)
	if err != nil {
		return err
	}
	pushes, err := s.svc.PushProcessors(c.Request().Context(), httpx.CurrentUser(c), body)
	if err != nil {
		return err
	}
	return sendItems(c, pushes)
}

// processorList is a page of the register's current entries.
type processorList struct {
	Items  []piaflow.ProcessorVersion `json:"items"`
	Total  int64                      `json:"total"`
	Limit  int                        `json:"limit"`
	Offset int                        `json:"offset"`
}

func (s *Server) listProcessors(c *echo.Context) error {
	limit, offset, err := pageOf(c, piaflow.DefaultPageSize, piaflow.MaxPageSize)
	if err != nil {
		return err
	}
	items, total, err := s.svc.Processors(c.Request().Context(), httpx.CurrentUser(c), limit, offset)
	if err != nil {
		return err
	}
	if items == nil {
		items = []piaflow.ProcessorVersion{}
	}
	return c.JSON(http.StatusOK, processorList{Items: items, Total: total, Limit: limit, Offset: offset})
}

// processorView is a register entry as it stands (or ?version=N), its versions newest first,
// and how many active deployments use it.
type processorView struct {
	piaflow.ProcessorVersion
	Entry       *assessments.RegisteredProcessor `json:"entry"`
	History     []piaflow.ProcessorVersion       `json:"history"`
	Deployments int64                            `json:"deployments"`
}

func (s *Server) getProcessor(c *echo.Context) error {
	n := 0
	if v := c.QueryParam("version"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			return invalidField("version", "query.version", "value", strconv.Quote(v))
		}
	}
	e, err := s.svc.Processor(c.Request().Context(), httpx.CurrentUser(c), c.Param("name"), n)
	if err != nil {
		return err
	}
	if e.History == nil {
		e.History = []piaflow.ProcessorVersion{}
	}
	return c.JSON(http.StatusOK, processorView{ProcessorVersion: e.Version, Entry: e.Entry, History: e.History, Deployments: e.Deployments})
}

// assessmentSummary is the assessment a pushed spec got, without its findings.
type assessmentSummary struct {
	ID          uint64    `json:"id"`
	Revision    int       `json:"revision,omitempty"`
	Verdict     string    `json:"verdict"`
	Findings    int       `json:"findings"`
	ReviewState string    `json:"review_state"`
	CreatedAt   time.Time `json:"created_at"`
}

// specResult is the answer to a pushed spec.
type specResult struct {
	Deployment piaflow.Deployment `json:"deployment"`
	Assessment assessmentSummary  `json:"assessment"`
	// NewRevision is false when the composed questionnaire gives the latest revision's answers.
	NewRevision bool                 `json:"new_revision"`
	Notices     []assessments.Notice `json:"notices"`
}

// ifMatchOf reads If-Match ("" when absent): RFC 9110 §13.1.1 compares strongly, so a weak
// entity tag is a 412 at once.
func ifMatchOf(c *echo.Context) (string, error) {
	ifMatch := strings.TrimSpace(c.Request().Header.Get("If-Match"))
	if strings.HasPrefix(ifMatch, "W/") {
		return "", httpx.Msg(http.StatusPreconditionFailed, "error.http.weak_etag")
	}
	return strings.Trim(ifMatch, `"`), nil
}

// pushSpec composes a deployment from a spec and assesses it: POST /specs creates the
// deployment (201), PUT /deployments/{id}/spec replaces its spec (200; If-Match optional).
func (s *Server) pushSpec(existing bool) echo.HandlerFunc {
	return func(c *echo.Context) error {
		var id uint64
		var ifMatch string
		var err error
		if existing {
			if id, err = httpx.IDParam(c); err != nil {
				return err
			}
			if ifMatch, err = ifMatchOf(c); err != nil {
				return err
			}
		}
		body, err := readBody(c)
		if err != nil {
			return err
		}
		res, err := s.svc.PushSpec(c.Request().Context(), httpx.CurrentUser(c), id, ifMatch, body)
		if errors.Is(err, piaflow.ErrPrecondition) {
			return httpx.Msg(http.StatusPreconditionFailed, "error.http.etag_changed")
		}
		if err != nil {
			return err
		}
		out := specResult{Deployment: res.Deployment, NewRevision: res.NewRevision, Notices: res.Notices,
			Assessment: assessmentSummary{ID: res.Assessment.Record.ID, Revision: res.Assessment.Revision,
				ReviewState: res.Assessment.Record.ReviewState, CreatedAt: res.Assessment.Record.CreatedAt}}
		if a := res.Assessment.Result; a != nil {
			out.Assessment.Verdict, out.Assessment.Findings = a.Verdict, len(a.Findings)
		}
		if out.Notices == nil {
			out.Notices = []assessments.Notice{}
		}
		c.Response().Header().Set("Location", fmt.Sprintf("/api/v1/deployments/%d", res.Deployment.ID))
		if existing {
			return c.JSON(http.StatusOK, out)
		}
		return c.JSON(http.StatusCreated, out)
	}
}

// sourceView is how a deployment built from a product is composed today.
type sourceView struct {
	piaflow.DeploymentSource
	Spec       *assessments.DeploymentSpec   `json:"spec"`
	Provenance []assessments.ProvenanceEntry `json:"provenance"`
	Notices    []assessments.Notice          `json:"notices"`
	// CompositionError says why the spec cannot be composed any more (a register entry or
	// module gone), CompositionProblems where; Provenance and Notices are empty then.
	CompositionError    string                `json:"composition_error,omitempty"`
	CompositionProblems []assessments.Problem `json:"composition_problems,omitempty"`
}

func (s *Server) deploymentSource(c *echo.Context) error {
	id, err := httpx.IDParam(c)
	if err != nil {
		return err
	}
	src, err := s.svc.DeploymentSource(c.Request().Context(), httpx.CurrentUser(c), id)
	if err != nil {
		return err
	}
	out := sourceView{DeploymentSource: src.Record, Spec: src.Spec, Provenance: []assessments.ProvenanceEntry{}, Notices: []assessments.Notice{}}
	if src.Composition != nil {
		if e := src.Composition.Provenance.Entries(); e != nil {
			out.Provenance = e
		}
		if src.Composition.Notices != nil {
			out.Notices = src.Composition.Notices
		}
	}
	if src.CompositionError != nil {
		out.CompositionError = src.CompositionError.Error()
		var ve *assessments.ValidationError
		if errors.As(src.CompositionError, &ve) {
			out.CompositionProblems = ve.Problems
		}
	}
	return c.JSON(http.StatusOK, out)
}

// impact lists what a change would do to the deployments it touches, a page at a time:
// ?after= is the cursor (the next of the previous page), ?limit= 1 to piaflow.MaxImpactPage;
// ?lang= the findings' titles in that language.
func (s *Server) impact(c *echo.Context) error {
	l, err := s.langOf(c)
	if err != nil {
		return err
	}
	var after uint64
	if v := c.QueryParam("after"); v != "" {
		n, err := strconv.ParseUint(v, 10, 63)
		if err != nil {
			return invalidField("after", "query.cursor", "value", strconv.Quote(v))
		}
		after = n
	}
	limit := piaflow.DefaultImpactPage
	if v := c.QueryParam("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > piaflow.MaxImpactPage {
			return invalidField("limit", "query.limit", "value", strconv.Quote(v), "max", strconv.Itoa(piaflow.MaxImpactPage))
		}
		limit = n
	}
	var ch piaflow.Change
	if err := decode(c, &ch); err != nil {
		return err
	}
	res, err := s.svc.Impact(c.Request().Context(), httpx.CurrentUser(c), ch, after, limit)
	if err != nil {
		return err
	}
	if l != nil {
		res = localiseImpact(l, res)
	}
	return sendLocalised(c, http.StatusOK, res)
}

package api

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/labstack/echo/v5"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/i18n"
	"github.com/piaflow/piaflow/internal/httpx"
	"github.com/piaflow/piaflow/reports"
	"github.com/piaflow/piaflow/service"
)

// Content types of the reports.
const (
	contentPDF  = "application/pdf"
	contentXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

func (s *Server) reportRoutes(g *echo.Group) {
	s.route(g, http.MethodGet, "/assessments/:id/report.pdf", s.report(service.FormatPDF), piaflow.CapReadAssessments)
	s.route(g, http.MethodGet, "/assessments/:id/actions.xlsx", s.report(service.FormatXLSX), piaflow.CapReadAssessments)
	s.route(g, http.MethodPost, "/deployments/:id/actions/import", s.importActions, piaflow.CapEditActions)
}

// reportLang reads ?lang= (default: the Accept-Language header, then English) as the JSON
// endpoints do (langOf: case ignored; a problem after it is in that language); an unsupported
// language is a 400 problem (badLang) rather than a silent English report.
func reportLang(c *echo.Context) (string, error) {
	v := c.QueryParam("lang")
	if v == "" {
		return i18n.Match(c.Request().Header.Get("Accept-Language")), nil
	}
	lang, ok := i18n.ParseLang(v)
	if !ok {
		return "", badLang(v)
	}
	c.Set(langKey, lang)
	return lang, nil
}

var unsafeFileChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// reportFileName is "<prefix>-<deployment>-a<id>-<lang>.<ext>", ASCII only.
func reportFileName(prefix, deployment string, id uint64, lang, ext string) string {
	name := strings.Trim(unsafeFileChars.ReplaceAllString(strings.ToLower(deployment), "-"), "-")
	if len(name) > 60 {
		name = name[:60]
	}
	if name == "" {
		name = "deployment"
	}
	return fmt.Sprintf("%s-%s-a%d-%s.%s", prefix, name, id, lang, ext)
}

// report serves a report of an assessment (?lang=en|zh-CN): the PIA report (service.FormatPDF)
// or the action list (service.FormatXLSX), rendered once and then served from the service's
// cache, streamed with its length.
func (s *Server) report(format string) echo.HandlerFunc {
	contentType, prefix := contentPDF, "pia"
	if format == service.FormatXLSX {
		contentType, prefix = contentXLSX, "actions"
	}
	return func(c *echo.Context) error {
		lang, err := reportLang(c)
		if err != nil {
			return err
		}
		id, err := httpx.IDParam(c)
		if err != nil {
			return err
		}
		r, err := s.svc.Report(c.Request().Context(), httpx.CurrentUser(c), id, lang, format)
		if err != nil {
			return err
		}
		h := c.Response().Header()
		h.Set(echo.HeaderContentDisposition, mime.FormatMediaType("attachment", map[string]string{"filename": reportFileName(prefix, r.Deployment.Name, id, lang, format)}))
		h.Set("Cache-Control", "private, no-store")
		h.Set(echo.HeaderContentLength, strconv.Itoa(len(r.Body)))
		return c.Stream(http.StatusOK, contentType, bytes.NewReader(r.Body))
	}
}

// importActions applies an edited action list: the xlsx as the body, or as the form field
// "file" of a multipart upload. All rows or none; every bad row is reported.
func (s *Server) importActions(c *echo.Context) error {
	id, err := httpx.IDParam(c)
	if err != nil {
		return err
	}
	ctx, u := c.Request().Context(), httpx.CurrentUser(c)
	if _, err := s.svc.Deployment(ctx, u, id); err != nil {
		return err
	}
	body, err := uploadedFile(c)
	if err != nil {
		return err
	}
	edits, err := reports.ReadActionImport(bytes.NewReader(body))
	if errors.Is(err, reports.ErrNotActionList) {
		return notActionList(err)
	}
	if err != nil {
		return err
	}
	res, err := s.svc.ImportActions(ctx, u, id, edits)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

// notActionList is the 422 of an upload that is not an action list: its reason as a message
// when ReadActionImport gave one and the English reads as it always did, else as text.
func notActionList(err error) error {
	if m := piaflow.MessageOf(err); m != nil {
		why := map[string]any{"id": m.ID, "params": m.Params}
		if e := httpx.Msg(http.StatusUnprocessableEntity, "error.http.not_action_list.why", "why", why).(*httpx.Error); e.Detail ==
			"the upload is not an action list piaflow can read: "+err.Error() {
			return e
		}
	}
	return httpx.Msg(http.StatusUnprocessableEntity, "error.http.not_action_list", "reason", err.Error())
}

func uploadedFile(c *echo.Context) ([]byte, error) {
	r := c.Request() // its body is bounded by piaflow.MaxImportBytes (bodyLimit)
	ct, _, _ := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType))
	var src io.Reader = r.Body
	var tooLarge *http.MaxBytesError
	if ct == "multipart/form-data" {
		if err := r.ParseMultipartForm(8 << 20); errors.As(err, &tooLarge) {
			return nil, httpx.Msg(http.StatusRequestEntityTooLarge, "error.http.import_too_large", "max", piaflow.MaxImportBytes)
		}
		f, _, err := r.FormFile("file")
		if err != nil {
			return nil, invalidField("file", "upload.file")
		}
		defer f.Close()
		src = f
	}
	body, err := io.ReadAll(src)
	if errors.As(err, &tooLarge) {
		return nil, httpx.Msg(http.StatusRequestEntityTooLarge, "error.http.import_too_large", "max", piaflow.MaxImportBytes)
	}
	if err != nil {
		return nil, fmt.Errorf("read upload: %w", err)
	}
	if len(body) == 0 {
		return nil, invalidField("file", "upload.empty")
	}
	return body, nil
}

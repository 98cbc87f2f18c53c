package api

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"regexp"
	"strings"

	"github.com/labstack/echo/v5"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/reports"
	"github.com/piaflow/piaflow/reports/i18n"
)

// MaxImportBytes bounds an uploaded action list (10,000 actions take about 1 MiB).
const MaxImportBytes = 16 << 20

// Content types of the reports.
const (
	contentPDF  = "application/pdf"
	contentXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

func (s *Server) reportRoutes(g *echo.Group) {
	g.GET("/assessments/:id/report.pdf", s.reportPDF, allow(details...))
	g.GET("/assessments/:id/actions.xlsx", s.actionsXLSX, allow(details...))
	g.POST("/deployments/:id/actions/import", s.importActions, allow(piaflow.RoleEngineer, piaflow.RoleLegal, piaflow.RoleAdmin))
}

// reportLang reads ?lang= (default: the Accept-Language header, then English); an unsupported
// language is an error rather than a silent English report.
func reportLang(c *echo.Context) (string, error) {
	lang := c.QueryParam("lang")
	if lang == "" {
		return i18n.Match(c.Request().Header.Get("Accept-Language")), nil
	}
	if !i18n.Supported(lang) {
		return "", invalid("lang", fmt.Sprintf("%q is not a report language (%s)", lang, strings.Join(i18n.Languages(), ", ")))
	}
	return lang, nil
}

// reportDocument gathers what a report shows from the stored records of assessment id.
func (s *Server) reportDocument(c *echo.Context, id uint64, withActions bool) (*reports.Document, error) {
	ctx := c.Request().Context()
	rec, a, err := s.loadAssessment(c, id)
	if err != nil {
		return nil, err
	}
	rev, err := s.st.RevisionByID(ctx, rec.RevisionID)
	if err != nil {
		return nil, err
	}
	q, err := assessments.Parse([]byte(rev.Document))
	if err != nil {
		return nil, fmt.Errorf("parse revision %d of assessment %d: %w", rev.Number, id, err)
	}
	dep, err := s.st.Deployment(ctx, rec.DeploymentID)
	if err != nil {
		return nil, err
	}
	d := &reports.Document{
		Deployment:   reports.Deployment{ID: dep.ID, Name: dep.Name, Customer: dep.Customer, CustomerCountry: dep.CustomerCountry},
		AssessmentID: rec.ID, Revision: rev.Number, AssessedAt: rec.CreatedAt,
		Review:        reports.Review{State: rec.ReviewState, Reviewer: rec.Reviewer, Comment: rec.ReviewComment, At: rec.ReviewedAt},
		Questionnaire: q, Assessment: a,
	}
	if withActions {
		acts, err := s.st.Actions(ctx, dep.ID)
		if err != nil {
			return nil, err
		}
		comments, err := s.st.LatestComments(ctx, dep.ID)
		if err != nil {
			return nil, err
		}
		d.Actions = make([]reports.Action, 0, len(acts))
		for _, x := range acts {
			d.Actions = append(d.Actions, reports.Action{ID: x.ID, FindingKey: x.FindingKey, FindingID: x.FindingID, Regime: x.Regime,
				Severity: x.Severity, Title: x.Title, Citation: x.Citation, CitationURL: x.CitationURL, Owner: x.Owner, Assignee: x.Assignee,
				Due: x.Due, Status: x.Status, Justification: x.Justification, Comment: comments[x.ID]})
		}
	}
	return d, nil
}

var unsafeFileChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// reportFileName is "pia-<deployment>-a<id>-<lang>.<ext>", ASCII only.
func reportFileName(d *reports.Document, lang, ext string) string {
	name := strings.Trim(unsafeFileChars.ReplaceAllString(strings.ToLower(d.Deployment.Name), "-"), "-")
	if len(name) > 60 {
		name = name[:60]
	}
	if name == "" {
		name = "deployment"
	}
	return fmt.Sprintf("pia-%s-a%d-%s.%s", name, d.AssessmentID, lang, ext)
}

func sendFile(c *echo.Context, contentType, name string, body []byte) error {
	h := c.Response().Header()
	h.Set(echo.HeaderContentDisposition, mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("Cache-Control", "private, no-store")
	return c.Blob(http.StatusOK, contentType, body)
}

// reportRequest reads the assessment id and ?lang of a report download and gathers its document.
func (s *Server) reportRequest(c *echo.Context, withActions bool) (*reports.Document, string, error) {
	id, err := idParam(c)
	if err != nil {
		return nil, "", err
	}
	lang, err := reportLang(c)
	if err != nil {
		return nil, "", err
	}
	d, err := s.reportDocument(c, id, withActions)
	return d, lang, err
}

// reportPDF serves the PIA report of an assessment (?lang=en|zh-CN).
func (s *Server) reportPDF(c *echo.Context) error {
	d, lang, err := s.reportRequest(c, false)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := s.reports.PDF(&buf, d, lang); err != nil {
		return fmt.Errorf("assessment %d: %w", d.AssessmentID, err)
	}
	return sendFile(c, contentPDF, reportFileName(d, lang, "pdf"), buf.Bytes())
}

// actionsXLSX serves the action list of an assessment's deployment (?lang=en|zh-CN).
func (s *Server) actionsXLSX(c *echo.Context) error {
	d, lang, err := s.reportRequest(c, true)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := reports.WriteXLSX(&buf, d, s.cats.Get(lang)); err != nil {
		return fmt.Errorf("assessment %d: %w", d.AssessmentID, err)
	}
	return sendFile(c, contentXLSX, strings.Replace(reportFileName(d, lang, "xlsx"), "pia-", "actions-", 1), buf.Bytes())
}

// importActions applies an edited action list: the xlsx as the body, or as the form field
// "file" of a multipart upload. All rows or none; every bad row is reported.
func (s *Server) importActions(c *echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	if _, err := s.st.Deployment(c.Request().Context(), id); err != nil {
		return err
	}
	body, err := uploadedFile(c)
	if err != nil {
		return err
	}
	edits, err := reports.ReadActionImport(bytes.NewReader(body))
	var re *piaflow.ImportError
	if err != nil && !errors.As(err, &re) {
		return problemf(http.StatusUnprocessableEntity, "the upload is not an action list piaflow can read: %v", err)
	}
	if err != nil {
		return importProblem(err)
	}
	u := currentUser(c)
	res, err := s.st.ImportActions(c.Request().Context(), u, id, func(acts []piaflow.Action, latest map[uint64]string) ([]piaflow.ActionChange, error) {
		return piaflow.PlanImport(u, edits, acts, latest)
	})
	if err != nil {
		return importProblem(err)
	}
	return c.JSON(http.StatusOK, res)
}

func uploadedFile(c *echo.Context) ([]byte, error) {
	r := c.Request() // its body is bounded by MaxImportBytes (bodyLimit)
	ct, _, _ := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType))
	var src io.Reader = r.Body
	var tooLarge *http.MaxBytesError
	if ct == "multipart/form-data" {
		if err := r.ParseMultipartForm(8 << 20); errors.As(err, &tooLarge) {
			return nil, problemf(http.StatusRequestEntityTooLarge, "the action list is larger than %d bytes", MaxImportBytes)
		}
		f, _, err := r.FormFile("file")
		if err != nil {
			return nil, invalid("file", "upload the action list (.xlsx) as the form field \"file\"")
		}
		defer f.Close()
		src = f
	}
	body, err := io.ReadAll(src)
	if errors.As(err, &tooLarge) {
		return nil, problemf(http.StatusRequestEntityTooLarge, "the action list is larger than %d bytes", MaxImportBytes)
	}
	if err != nil {
		return nil, fmt.Errorf("read upload: %w", err)
	}
	if len(body) == 0 {
		return nil, invalid("file", "the body is empty: send the edited action list (.xlsx)")
	}
	return body, nil
}

// importProblem turns row errors (from reading the workbook or from the store's checks) into a
// 422 (or 403) problem listing each row, with the column as path and the row as line.
func importProblem(err error) error {
	var ie *piaflow.ImportError
	if !errors.As(err, &ie) {
		return err
	}
	var problems []assessments.Problem
	for _, r := range ie.Problems {
		problems = append(problems, assessments.Problem{Path: r.Column, Message: r.Message, Line: r.Row})
	}
	status := http.StatusUnprocessableEntity
	if errors.Is(err, piaflow.ErrForbidden) {
		status = http.StatusForbidden
	}
	if len(problems) == 0 {
		return &problemError{status: status, detail: err.Error()}
	}
	return &problemError{status: status, detail: "the action list was not imported: see errors (path is the column, line the row)", errors: problems}
}

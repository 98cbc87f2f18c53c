package service

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/i18n"
	"github.com/piaflow/piaflow/internal/admit"
	"github.com/piaflow/piaflow/internal/lowprio"
	"github.com/piaflow/piaflow/internal/lru"
	"github.com/piaflow/piaflow/reports"
)

// Report formats.
const (
	// FormatPDF is the PIA report (PDF).
	FormatPDF = "pdf"
	// FormatXLSX is the action list (Excel), with the deployment's actions as they are now.
	FormatXLSX = "xlsx"
)

// Report is a rendered report of a stored assessment.
type Report struct {
	// Format is FormatPDF or FormatXLSX; Lang the language it is written in.
	Format, Lang string
	// AssessmentID is the assessment reported on; Deployment its deployment.
	AssessmentID uint64
	Deployment   piaflow.Deployment
	// Body is the file. It is shared with the cache: do not modify it.
	Body []byte
	// Cached reports whether Body was rendered for an earlier request.
	Cached bool
}

// WithRenderSlots lets n reports render at once instead of piaflow.DefaultRenderSlots.
func WithRenderSlots(n int) Option {
	return func(s *Service) {
		if n > 0 {
			s.reports.slots = make(chan struct{}, n)
		}
	}
}

// WithLowPriority renders reports on threads of lower priority (r), so that quick requests and
// health checks get a core ahead of a render when the machine is busy (see package lowprio).
// The zero Runner, the default, renders in the request's goroutine.
func WithLowPriority(r lowprio.Runner) Option {
	return func(s *Service) { s.reports.background = r }
}

// WithRenderWait makes a report request wait up to d for a render slot instead of
// piaflow.DefaultRenderWait; zero refuses it at once when every slot is taken.
func WithRenderWait(d time.Duration) Option {
	return func(s *Service) { s.reports.wait = max(d, 0) }
}

// WithReportCacheBytes keeps up to n bytes of rendered reports instead of
// piaflow.DefaultReportCacheBytes; zero or less keeps none.
func WithReportCacheBytes(n int64) Option {
	return func(s *Service) { s.reports.cache.SetMax(max(n, 0)) }
}

// WithReportLimits bounds the findings and the rows of a report instead of
// piaflow.MaxReportFindings and piaflow.MaxReportRows (tests use small limits).
func WithReportLimits(findings, rows int) Option {
	return func(s *Service) {
		if findings > 0 {
			s.reports.maxFindings = findings
		}
		if rows > 0 {
			s.reports.maxRows = rows
		}
	}
}

// WithCatalogs gives the service the translation catalogues reports are written with, instead
// of loading them on the first report.
func WithCatalogs(cats *i18n.Catalogs) Option {
	return func(s *Service) { s.reports.cats = cats }
}

// reportPool renders reports: each (assessment, language, format, state of what the report
// shows beyond the stored assessment) once, at most len(slots) at a time, and keeps the files
// in a cache bounded by bytes.
type reportPool struct {
	slots                chan struct{}
	wait                 time.Duration
	maxFindings, maxRows int
	cache                *lru.Bytes
	// background runs the renders (WithLowPriority).
	background lowprio.Runner

	load sync.Once
	cats *i18n.Catalogs
	pdf  *reports.Renderer

	mu sync.Mutex
	// inflight holds the renders under way by key: a second request for one waits for it.
	inflight map[string]*flight
}

// flight is one render under way; done is closed when body and err are set.
type flight struct {
	done chan struct{}
	body []byte
	err  error
}

func newReportPool() *reportPool {
	return &reportPool{slots: make(chan struct{}, piaflow.DefaultRenderSlots), wait: piaflow.DefaultRenderWait,
		maxFindings: piaflow.MaxReportFindings, maxRows: piaflow.MaxReportRows,
		cache: lru.New(piaflow.DefaultReportCacheBytes), inflight: map[string]*flight{}}
}

// renderer returns the PDF renderer and the catalogues, made on first use.
func (p *reportPool) renderer() (*reports.Renderer, *i18n.Catalogs) {
	p.load.Do(func() {
		if p.cats == nil {
			p.cats = i18n.MustLoad()
		}
		p.pdf = reports.NewRenderer(p.cats)
	})
	return p.pdf, p.cats
}

// acquire takes a render slot, waiting up to p.wait. A request admitted by the server's
// admission control gives its work slot up from here until release (admit.Park): the render
// slots bound renders. Errors: ErrUnavailable (piaflow.ReasonBusy), the context's.
func (p *reportPool) acquire(ctx context.Context) (release func(), err error) {
	resume := admit.Park(ctx)
	release = func() { <-p.slots; resume() }
	select {
	case p.slots <- struct{}{}:
		return release, nil
	default:
	}
	busy := piaflow.MsgError(piaflow.ErrUnavailable, piaflow.ReasonBusy, "error.busy.render",
		"slots", cap(p.slots), "retry_duration", piaflow.RenderRetryAfter.String())
	busy.RetryAfter = piaflow.RenderRetryAfter
	if p.wait <= 0 {
		resume()
		return nil, busy
	}
	t := time.NewTimer(p.wait)
	defer t.Stop()
	select {
	case p.slots <- struct{}{}:
		return release, nil
	case <-t.C:
		resume()
		return nil, busy
	case <-ctx.Done():
		resume()
		return nil, ctx.Err()
	}
}

// Report returns the PDF report (FormatPDF) or the action list (FormatXLSX) of stored
// assessment id in lang. A report is rendered once per assessment, language, format and state
// of what it shows beyond the stored assessment (the deployment's name and customer, the
// review, and for the action list the actions with their newest comments), and served from a
// cache bounded by bytes after that; at most a few render at once (WithRenderSlots). Errors:
// ErrForbidden, ErrNotFound, ErrInvalid (an unknown format or language; a report past
// piaflow.MaxReportFindings or piaflow.MaxReportRows: piaflow.ReasonTooLarge),
// ErrUnavailable (every render slot taken: piaflow.ReasonBusy), ErrRateLimited.
func (s *Service) Report(ctx context.Context, u piaflow.User, id uint64, lang, format string) (Report, error) {
	if err := piaflow.Authorize(u, piaflow.CapReadAssessments); err != nil {
		return Report{}, err
	}
	if err := s.limits.reports.allow(u); err != nil {
		return Report{}, err
	}
	if format != FormatPDF && format != FormatXLSX {
		return Report{}, piaflow.Invalid(assessments.FieldProblem("format", piaflow.ProblemUnknown, "report.format", "value", strconv.Quote(format)))
	}
	if !i18n.Supported(lang) {
		return Report{}, piaflow.Invalid(assessments.FieldProblem("lang", piaflow.ProblemUnknown, "report.lang",
			"value", strconv.Quote(lang), "allowed", strings.Join(i18n.Languages(), ", ")))
	}
	d, err := s.reportState(ctx, id, format == FormatXLSX)
	if err != nil {
		return Report{}, err
	}
	out := Report{Format: format, Lang: lang, AssessmentID: id, Deployment: d.Deployment}
	key, err := reportKey(d, lang, format)
	if err != nil {
		return Report{}, err
	}
	p := s.reports
	for {
		p.mu.Lock()
		// under p.mu: a render puts its report in the cache before it leaves inflight
		if body, ok := p.cache.Get(key); ok {
			p.mu.Unlock()
			out.Body, out.Cached = body, true
			return out, nil
		}
		f, ok := p.inflight[key]
		if !ok {
			break // with p.mu held: this request renders
		}
		p.mu.Unlock()
		resume := admit.Park(ctx) // waiting for another request's render: no work slot meanwhile
		select {
		case <-f.done:
			resume()
		case <-ctx.Done():
			resume()
			return Report{}, ctx.Err()
		}
		if errors.Is(f.err, context.Canceled) || errors.Is(f.err, context.DeadlineExceeded) {
			continue // the request that rendered went away: render for this one
		}
		out.Body, out.Cached = f.body, true
		return out, f.err
	}
	f := &flight{done: make(chan struct{})}
	p.inflight[key] = f
	p.mu.Unlock()
	defer func() {
		p.mu.Lock()
		delete(p.inflight, key)
		p.mu.Unlock()
		close(f.done)
	}()
	f.body, f.err = s.render(ctx, d, lang, format)
	if f.err == nil {
		p.cache.Put(key, f.body)
	}
	out.Body = f.body
	return out, f.err
}

// reportState reads what a report shows from the records, except the evaluation and the
// questionnaire (immutable for an assessment and a revision, read only to render).
func (s *Service) reportState(ctx context.Context, id uint64, withActions bool) (*reports.Document, error) {
	rec, err := s.st.AssessmentHeader(ctx, id)
	if err != nil {
		return nil, err
	}
	dep, err := s.st.Deployment(ctx, rec.DeploymentID)
	if err != nil {
		return nil, err
	}
	d := &reports.Document{Deployment: dep, Record: rec}
	if withActions {
		if d.Actions, err = s.st.Actions(ctx, dep.ID); err != nil {
			return nil, err
		}
		if d.Comments, err = s.st.LatestComments(ctx, dep.ID); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// reportKey identifies a report by everything it shows: the assessment (its id: a stored
// assessment and its revision never change), the language, the format, and the state that
// does change — the deployment's own fields (not those every evaluation or revision updates),
// the review, and the actions with their newest comments.
func reportKey(d *reports.Document, lang, format string) (string, error) {
	dep := d.Deployment
	dep.UpdatedAt, dep.LatestRevision, dep.Verdict, dep.ReviewState, dep.Status = time.Time{}, 0, "", "", ""
	b, err := json.Marshal(struct {
		Lang, Format string
		Deployment   piaflow.Deployment
		Record       piaflow.AssessmentRecord
		Actions      []piaflow.Action
		Comments     map[uint64]string
	}{lang, format, dep, d.Record, d.Actions, d.Comments})
	if err != nil {
		return "", fmt.Errorf("report key: %w", err)
	}
	sum := sha256.Sum256(b)
	return fmt.Sprintf("%d/%s/%s/%s", d.Record.ID, lang, format, hex.EncodeToString(sum[:])), nil
}

// render completes document d (the evaluation and the questionnaire), checks the report's size
// limits and renders it in a render slot.
func (s *Service) render(ctx context.Context, d *reports.Document, lang, format string) ([]byte, error) {
	p := s.reports
	release, err := p.acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	if err := s.completeDocument(ctx, d); err != nil {
		return nil, err
	}
	if err := p.checkSize(d, format); err != nil {
		return nil, err
	}
	pdf, cats := p.renderer()
	var buf bytes.Buffer
	p.background.Do(func() {
		switch format {
		case FormatPDF:
			err = pdf.PDF(&buf, d, lang)
		default:
			err = reports.WriteXLSX(&buf, d, cats.Get(lang))
		}
	})
	if err != nil {
		return nil, fmt.Errorf("assessment %d: %w", d.Record.ID, err)
	}
	return buf.Bytes(), nil
}

// checkSize refuses a report past the findings and rows limits before it is rendered.
func (p *reportPool) checkSize(d *reports.Document, format string) error {
	a := d.Assessment
	rows := len(a.Findings) + len(a.Transfers) + len(a.Localisation)
	if format == FormatXLSX {
		rows += len(d.Actions)
	}
	id := "error.limit.report_rows.pdf"
	if format == FormatXLSX {
		id = "error.limit.report_rows.xlsx"
	}
	switch {
	case len(a.Findings) > p.maxFindings:
		return piaflow.MsgError(piaflow.ErrInvalid, piaflow.ReasonTooLarge, "error.limit.report_findings",
			"id", d.Record.ID, "n", len(a.Findings), "max", p.maxFindings)
	case rows > p.maxRows:
		return piaflow.MsgError(piaflow.ErrInvalid, piaflow.ReasonTooLarge, id,
			"id", d.Record.ID, "n", rows, "max", p.maxRows)
	}
	return nil
}

// completeDocument adds the evaluation and the questionnaire to a document of reportState.
func (s *Service) completeDocument(ctx context.Context, d *reports.Document) error {
	full, err := s.st.Assessment(ctx, d.Record.ID)
	if err != nil {
		return err
	}
	if d.Assessment, err = DecodeResult(full); err != nil {
		return err
	}
	rev, err := s.st.RevisionByID(ctx, d.Record.RevisionID)
	if err != nil {
		return err
	}
	// shown as it was assessed: today's validator is not run over an old revision
	if d.Questionnaire, err = assessments.DecodeStored([]byte(rev.Document)); err != nil {
		return fmt.Errorf("revision %d of assessment %d: %w", rev.Number, d.Record.ID, err)
	}
	d.Revision = rev.Number
	return nil
}

// ReportDocument gathers what the reports of stored assessment id show from its records: the
// deployment, the revision assessed, the result and its review, and — withActions — the
// deployment's actions with their newest comments. Errors: ErrForbidden, ErrNotFound.
func (s *Service) ReportDocument(ctx context.Context, u piaflow.User, id uint64, withActions bool) (*reports.Document, error) {
	if err := piaflow.Authorize(u, piaflow.CapReadAssessments); err != nil {
		return nil, err
	}
	d, err := s.reportState(ctx, id, withActions)
	if err != nil {
		return nil, err
	}
	if err := s.completeDocument(ctx, d); err != nil {
		return nil, err
	}
	return d, nil
}

// OfflineDocument is the report document of an assessment made offline (piaflow assess): no
// stored records, the actions its findings ask for, dated by the assessment's date of law so
// that re-running gives the same files.
func OfflineDocument(q *assessments.Questionnaire, a *assessments.Assessment) (*reports.Document, error) {
	at, err := time.Parse(time.DateOnly, a.AsOf)
	if err != nil {
		return nil, fmt.Errorf("assessment date %q: %w", a.AsOf, err)
	}
	return &reports.Document{
		Deployment:    piaflow.Deployment{Name: q.Deployment.Name, Customer: q.Deployment.Customer, CustomerCountry: q.Deployment.CustomerCountry},
		Record:        piaflow.AssessmentRecord{CreatedAt: at, ReviewState: piaflow.ReviewNone},
		Questionnaire: q, Assessment: a, Actions: a.Actions(),
	}, nil
}

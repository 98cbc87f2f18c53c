package service

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/assessments/store/storetest"
	"github.com/piaflow/piaflow/examples"
	"github.com/piaflow/piaflow/internal/lowprio"
	"github.com/piaflow/piaflow/policies"
)

// reportFixture is a service with one evaluated deployment (the hospital example) and its
// engineer.
func reportFixture(t *testing.T, opts ...Option) (*Service, piaflow.User, uint64) {
	t.Helper()
	e, err := policies.Default()
	if err != nil {
		t.Fatal(err)
	}
	s := New(storetest.Open(t, "sqlite"), assessments.NewEvaluator(e), opts...)
	ctx := context.Background()
	eng, err := s.CreateUser(ctx, piaflow.System, "eng", piaflow.RoleEngineer)
	if err != nil {
		t.Fatal(err)
	}
	d, err := s.CreateDeployment(ctx, eng, piaflow.Deployment{Name: "Portal", Customer: "Klinikum"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := examples.FS.ReadFile("hospital-ehr-germany.yaml")
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.SubmitQuestionnaire(ctx, eng, d.ID, "", b)
	if err != nil {
		t.Fatal(err)
	}
	return s, eng, a.Record.ID
}

// TestReportRenderedOnce: the second request for a report is served from the cache; another
// language or format is another report; the cache stays within its bytes.
func TestReportRenderedOnce(t *testing.T) {
	s, eng, id := reportFixture(t)
	ctx := context.Background()
	first, err := s.Report(ctx, eng, id, "en", FormatPDF)
	if err != nil || first.Cached || len(first.Body) == 0 {
		t.Fatalf("first report: cached %v, %d bytes, %v", first.Cached, len(first.Body), err)
	}
	again, err := s.Report(ctx, eng, id, "en", FormatPDF)
	if err != nil || !again.Cached || &again.Body[0] != &first.Body[0] {
		t.Errorf("second request: cached %v, %v", again.Cached, err)
	}
	for _, other := range [][2]string{{"zh-CN", FormatPDF}, {"en", FormatXLSX}} {
		if r, err := s.Report(ctx, eng, id, other[0], other[1]); err != nil || r.Cached {
			t.Errorf("%v: cached %v, %v", other, r.Cached, err)
		}
	}
	if used := s.reports.cache.Used(); used > piaflow.DefaultReportCacheBytes || used == 0 {
		t.Errorf("cache holds %d bytes", used)
	}
	if _, err := s.Report(ctx, eng, id, "fr", FormatPDF); !errors.Is(err, piaflow.ErrInvalid) {
		t.Errorf("an unknown language: %v", err)
	}
}

// TestReportSlots: when every render slot is taken a report that must be rendered is refused at
// once (no wait configured) with ErrUnavailable and a Retry-After; a cached one is still served.
func TestReportSlots(t *testing.T) {
	s, eng, id := reportFixture(t, WithRenderSlots(1), WithRenderWait(0))
	ctx := context.Background()
	if _, err := s.Report(ctx, eng, id, "en", FormatPDF); err != nil {
		t.Fatal(err)
	}
	s.reports.slots <- struct{}{} // a render under way
	_, err := s.Report(ctx, eng, id, "zh-CN", FormatPDF)
	if !errors.Is(err, piaflow.ErrUnavailable) || piaflow.ReasonOf(err) != piaflow.ReasonBusy || piaflow.RetryAfterOf(err) != piaflow.RenderRetryAfter {
		t.Errorf("every slot taken: %v", err)
	}
	if r, err := s.Report(ctx, eng, id, "en", FormatPDF); err != nil || !r.Cached {
		t.Errorf("a cached report while every slot is taken: %v", err)
	}
	<-s.reports.slots
	if _, err := s.Report(ctx, eng, id, "zh-CN", FormatPDF); err != nil {
		t.Errorf("a slot free again: %v", err)
	}
}

// TestReportWaitsForItsRender: a request for a report that is being rendered waits for that
// render instead of rendering it again, and gets its bytes.
func TestReportWaitsForItsRender(t *testing.T) {
	s, eng, id := reportFixture(t, WithRenderSlots(1), WithRenderWait(0))
	ctx := context.Background()
	d, err := s.reportState(ctx, id, false)
	if err != nil {
		t.Fatal(err)
	}
	key, err := reportKey(d, "en", FormatPDF)
	if err != nil {
		t.Fatal(err)
	}
	f := &flight{done: make(chan struct{})}
	s.reports.inflight[key] = f
	got := make(chan Report, 1)
	go func() {
		r, _ := s.Report(ctx, eng, id, "en", FormatPDF)
		got <- r
	}()
	f.body = []byte("%PDF rendered once")
	close(f.done)
	if r := <-got; string(r.Body) != "%PDF rendered once" {
		t.Errorf("the waiting request got %q", r.Body)
	}
}

// TestReportLowPriority: reports rendered on lowered-priority threads (WithLowPriority) are
// the same reports: two services on one store render the same assessment, and the PDFs are
// byte-identical (the PDF's dates are the assessment's), the workbooks have the same sheets and
// rows (excelize stamps the workbook with the time it was written).
func TestReportLowPriority(t *testing.T) {
	s, eng, id := reportFixture(t, WithReportCacheBytes(0))
	low := New(s.st, s.ev, WithReportCacheBytes(0), WithLowPriority(lowprio.New(5)))
	ctx := context.Background()
	for _, format := range []string{FormatPDF, FormatXLSX} {
		want, err := s.Report(ctx, eng, id, "zh-CN", format)
		if err != nil {
			t.Fatal(err)
		}
		got, err := low.Report(ctx, eng, id, "zh-CN", format)
		if err != nil {
			t.Fatalf("%s at low priority: %v", format, err)
		}
		if format == FormatXLSX {
			if g, w := workbookShape(t, got.Body), workbookShape(t, want.Body); g != w {
				t.Errorf("workbook at low priority: %s, in the request's goroutine %s", g, w)
			}
			continue
		}
		if len(got.Body) == 0 || !bytes.Equal(got.Body, want.Body) {
			t.Errorf("%s at low priority: %d bytes, in the request's goroutine %d (not the same bytes)", format, len(got.Body), len(want.Body))
		}
	}
}

// workbookShape lists a workbook's sheets with their numbers of rows and cells.
func workbookShape(t *testing.T, b []byte) string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("open workbook: %v", err)
	}
	defer f.Close()
	var out strings.Builder
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatalf("sheet %s: %v", sheet, err)
		}
		cells := 0
		for _, r := range rows {
			cells += len(r)
		}
		fmt.Fprintf(&out, "%s: %d rows, %d cells; ", sheet, len(rows), cells)
	}
	return out.String()
}

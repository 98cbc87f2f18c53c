package reports

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/examples"
	"github.com/piaflow/piaflow/i18n"
	"github.com/piaflow/piaflow/policies"
	"github.com/piaflow/piaflow/reports/reporttest"
)

// pdfFixture evaluates the example questionnaires once for the PDF tests.
type pdfFixture struct {
	cats *i18n.Catalogs
	r    *Renderer
	docs map[string]*Document
	ev   *assessments.Evaluator
}

var (
	pdfOnce sync.Once
	pdfFix  pdfFixture
	pdfErr  error
)

func loadPDFFixture(t testing.TB) pdfFixture {
	t.Helper()
	pdfOnce.Do(func() {
		ctx := context.Background()
		eng, err := policies.New(ctx, policies.Options{})
		if err != nil {
			pdfErr = err
			return
		}
		cats, err := i18n.Load()
		if err != nil {
			pdfErr = err
			return
		}
		pdfFix = pdfFixture{cats: cats, r: NewRenderer(cats), docs: map[string]*Document{}, ev: assessments.NewEvaluator(eng)}
		files, _ := fs.Glob(examples.FS, "*.yaml")
		for i, name := range files {
			b, _ := examples.FS.ReadFile(name)
			d, err := evaluateDoc(ctx, pdfFix.ev, b, uint64(i+1))
			if err != nil {
				pdfErr = err
				return
			}
			pdfFix.docs[strings.TrimSuffix(name, ".yaml")] = d
		}
	})
	if pdfErr != nil {
		t.Fatal(pdfErr)
	}
	return pdfFix
}

func evaluateDoc(ctx context.Context, ev *assessments.Evaluator, src []byte, id uint64) (*Document, error) {
	q, err := assessments.Parse(src)
	if err != nil {
		return nil, err
	}
	a, err := ev.Assess(ctx, q, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		return nil, err
	}
	return &Document{
		Deployment:    piaflow.Deployment{ID: id, Name: q.Deployment.Name, Customer: q.Deployment.Customer, CustomerCountry: q.Deployment.CustomerCountry},
		Record:        piaflow.AssessmentRecord{ID: id, CreatedAt: time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC), ReviewState: piaflow.ReviewNone},
		Revision:      2,
		Questionnaire: q, Assessment: a,
	}, nil
}

func needTool(t *testing.T, name string) string { return reporttest.Tool(t, name) }

func renderPDF(t *testing.T, r *Renderer, d *Document, lang string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := r.PDF(&buf, d, lang); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func pdfText(t *testing.T, pdf []byte, args ...string) string {
	return reporttest.PDFText(t, pdf, args...)
}

var squeeze = reporttest.Squeeze

// TestPDFExamples renders every example in both languages and checks with pdftotext that the
// sections, findings, citations, actions and the page numbering are there.
func TestPDFExamples(t *testing.T) {
	f := loadPDFFixture(t)
	for name, d := range f.docs {
		for _, lang := range i18n.Languages() {
			t.Run(name+"/"+lang, func(t *testing.T) {
				l := f.cats.Get(lang)
				pdf := renderPDF(t, f.r, d, lang)
				text := pdfText(t, pdf)
				flat := squeeze(text)
				pages := strings.Count(text, "\f")
				want := []string{l.T("report.title"), d.Deployment.Name, d.Deployment.Customer, l.T("report.contents"),
					l.Or("verdict."+d.Assessment.Verdict, ""), d.Assessment.PolicyDigest,
					l.T("report.page_of", "page", "2", "total", strconv.Itoa(pages))}
				for _, key := range sectionKeys {
					want = append(want, l.T(key))
				}
				for _, fd := range d.Assessment.Findings {
					want = append(want, l.FindingTitle(fd), fd.ID, citeRef(l, fd.Regime, fd.Citation), l.ActionTitle(fd))
					if u := l.CitationURL(fd.Citation); u != "" {
						want = append(want, u)
					}
				}
				for _, r := range d.Assessment.Regimes {
					want = append(want, l.Or("regime."+r.ID, r.Name))
				}
				for _, tr := range d.Assessment.Transfers {
					// countries by name, laws by name
					want = append(want, l.Country(tr.From)+"→"+l.Country(tr.To), l.Law(tr.Regime))
				}
				// pdftotext joins a word broken at its hyphen at the end of a line ("Cross-" +
				// "Border" reads "CrossBorder"): compare without hyphens.
				dehyphen := func(s string) string { return strings.ReplaceAll(squeeze(s), "-", "") }
				for _, w := range want {
					if !strings.Contains(dehyphen(text), dehyphen(w)) {
						t.Errorf("the PDF text lacks %q", w)
					}
				}
				if lang == i18n.SimplifiedChinese {
					for _, w := range []string{"隐私影响评估报告", "执行摘要", "发现", "行动计划", "附录"} {
						if !strings.Contains(flat, w) {
							t.Errorf("the Chinese PDF lacks %q", w)
						}
					}
				}
			})
		}
	}
}

// TestPDFContentsPages checks that the contents give the page each section starts on.
func TestPDFContentsPages(t *testing.T) {
	f := loadPDFFixture(t)
	d := f.docs["hospital-ehr-germany"]
	l := f.cats.Get("en")
	pdf := renderPDF(t, f.r, d, "en")
	pages := strings.Split(pdfText(t, pdf), "\f")
	contents := strings.Split(pages[1], "\n")
	for _, key := range sectionKeys {
		title := l.T(key)
		// pdftotext puts the page number on one of the next lines after the title.
		i := slices.Index(contents, title)
		if i < 0 {
			t.Fatalf("contents lack %q:\n%s", title, pages[1])
		}
		n := -1
		for _, line := range contents[i+1:] {
			if v, err := strconv.Atoi(strings.TrimSpace(line)); err == nil {
				n = v
				break
			}
		}
		if n < 1 || n > len(pages) {
			t.Fatalf("contents give %q page %d", title, n)
		}
		if !strings.Contains(pages[n-1], title) {
			t.Errorf("contents say %q starts on page %d, which reads:\n%.300s", title, n, pages[n-1])
		}
	}
}

// TestPDFDeterministic: the same stored assessment always gives the same file.
func TestPDFDeterministic(t *testing.T) {
	f := loadPDFFixture(t)
	for name, d := range f.docs {
		for _, lang := range i18n.Languages() {
			a := renderPDF(t, f.r, d, lang)
			for range 2 {
				if b := renderPDF(t, f.r, d, lang); !bytes.Equal(a, b) {
					t.Fatalf("%s %s: two renderings of one document differ", name, lang)
				}
			}
		}
	}
}

var wordBox = regexp.MustCompile(`<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>`)

// TestPDFNothingOffPage renders a questionnaire with very long answers and checks with
// pdftotext -bbox that every word lies inside the page margins, that long tables repeat their
// header row on each page, and that the findings with long text are complete.
func TestPDFNothingOffPage(t *testing.T) {
	f := loadPDFFixture(t)
	src, err := examples.FS.ReadFile("logistics-china-vietnam.yaml")
	if err != nil {
		t.Fatal(err)
	}
	q, err := assessments.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("Überlange Verarbeitungstätigkeit mit sehr langem Namen ", 12) + strings.Repeat("超长的处理活动名称", 30) + strings.Repeat("x", 300)
	q.Activities[0].Purposes = append(q.Activities[0].Purposes, long)
	q.Deployment.Customer = strings.Repeat("Customer Holdings ", 10)
	for i := 0; i < 60; i++ { // enough hosting rows to span pages
		h := q.Hosting[0]
		h.Name = fmt.Sprintf("site-%02d %s", i, strings.Repeat("n", i%40))
		q.Hosting = append(q.Hosting, h)
	}
	a, err := f.ev.Assess(context.Background(), q, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	d := &Document{Deployment: piaflow.Deployment{Name: q.Deployment.Name, Customer: q.Deployment.Customer},
		Record: piaflow.AssessmentRecord{CreatedAt: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)}, Questionnaire: q, Assessment: a}
	for _, lang := range i18n.Languages() {
		pdf := renderPDF(t, f.r, d, lang)
		html := pdfText(t, pdf, "-bbox")
		const pageW, margin = 595.28, 40.0 // points; the layout keeps 18 mm ≈ 51 pt
		words := wordBox.FindAllStringSubmatch(html, -1)
		if len(words) < 1000 {
			t.Fatalf("%s: only %d words extracted", lang, len(words))
		}
		for _, w := range words {
			x0, _ := strconv.ParseFloat(w[1], 64)
			x1, _ := strconv.ParseFloat(w[3], 64)
			y1, _ := strconv.ParseFloat(w[4], 64)
			if x0 < margin || x1 > pageW-margin || y1 > 841.89-20 { // 7 mm from the bottom edge
				t.Errorf("%s: word %q at x %.0f–%.0f, bottom %.0f lies outside the page margins", lang, w[5], x0, x1, y1)
			}
		}
		l := f.cats.Get(lang)
		text := pdfText(t, pdf)
		header := squeeze(l.T("report.col.site"))
		pages := strings.Split(text, "\f")
		start, end := -1, -1
		for i, page := range pages {
			if start < 0 && strings.Contains(squeeze(page), header) {
				start = i
			}
			if start >= 0 && strings.Contains(page, "site-59") {
				end = i
				break
			}
		}
		if start < 0 || end <= start {
			t.Fatalf("%s: the hosting table should span pages (pages %d to %d)", lang, start+1, end+1)
		}
		for i := start; i <= end; i++ {
			if !strings.Contains(squeeze(pages[i]), header) {
				t.Errorf("%s: page %d of the hosting table lacks the header row %q", lang, i+1, header)
			}
		}
		if !strings.Contains(squeeze(text), squeeze(long)) {
			t.Errorf("%s: the long purpose is not complete in the appendix or inventory", lang)
		}
	}
}

// TestPDFConcurrent: one renderer serves concurrent requests (run with -race).
func TestPDFConcurrent(t *testing.T) {
	f := loadPDFFixture(t)
	want := map[string]int{}
	for name, d := range f.docs {
		want[name] = len(renderPDF(t, f.r, d, "zh-CN"))
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(f.docs))
	for name, d := range f.docs {
		wg.Go(func() {
			var buf bytes.Buffer
			if err := f.r.PDF(&buf, d, "zh-CN"); err != nil {
				errs <- err
				return
			}
			if n := buf.Len(); n < want[name]*9/10 || n > want[name]*11/10 {
				errs <- fmt.Errorf("%s: %d bytes concurrently, %d alone", name, n, want[name])
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestPDFRasterises: poppler's pdftoppm renders every page of a report (both languages) to PNG,
// which is how docs/report-*.png are made (scripts/report-pages.sh).
func TestPDFRasterises(t *testing.T) {
	bin := needTool(t, "pdftoppm")
	f := loadPDFFixture(t)
	for _, lang := range i18n.Languages() {
		pdf := renderPDF(t, f.r, f.docs["logistics-china-vietnam"], lang)
		pages := strings.Count(pdfText(t, pdf), "\f")
		dir := t.TempDir()
		path := filepath.Join(dir, "r.pdf")
		if err := os.WriteFile(path, pdf, 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(bin, "-png", "-r", "20", path, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v: %s", err, out)
		}
		pngs, _ := filepath.Glob(filepath.Join(dir, "page-*.png"))
		if len(pngs) != pages || pages < 10 {
			t.Errorf("%s: %d PNG pages for a %d-page report", lang, len(pngs), pages)
		}
		for _, p := range pngs {
			b, err := os.ReadFile(p)
			if err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) || len(b) < 500 {
				t.Errorf("%s: %s is not a rendered page (%d bytes)", lang, p, len(b))
			}
		}
	}
}

// TestPDFDPIAHeadline: the WP248 screening leads only where the GDPR or UK GDPR applies with
// controller capacity; elsewhere the report shows the national impact assessments, not the
// nine WP248 criteria (issue 11, item 7).
func TestPDFDPIAHeadline(t *testing.T) {
	f := loadPDFFixture(t)
	criterion := f.cats.Get("en").T("dpia.criterion.evaluation_scoring")
	for name, d := range f.docs {
		text := pdfText(t, renderPDF(t, f.r, d, "en"))
		shows := strings.Contains(text, criterion)
		if d.Assessment.DPIA.Level == "not_applicable" {
			if shows {
				t.Errorf("%s: GDPR DPIA not applicable, but the report lists the WP248 criteria", name)
			}
			if len(d.Assessment.DPIA.National) > 0 && !strings.Contains(text, "National impact assessments") {
				t.Errorf("%s: the national impact assessments do not lead", name)
			}
		} else if !shows {
			t.Errorf("%s: level %s, but no WP248 criteria in the report", name, d.Assessment.DPIA.Level)
		}
	}
}

// TestPDFDPIAListsNotHeld: the DPIA section names, in the report's language, the countries whose
// Art. 35(4) list piaflow does not hold (issue 11, item 7).
func TestPDFDPIAListsNotHeld(t *testing.T) {
	f := loadPDFFixture(t)
	d, ok := f.docs["hospital-ehr-germany"]
	if !ok {
		t.Fatal("no hospital-ehr-germany example")
	}
	a := *d.Assessment
	a.DPIA.ListsNotHeld = []string{"AT", "BE"}
	dd := *d
	dd.Assessment = &a
	for _, tc := range []struct{ lang, want string }{
		{"en", "piaflow does not hold the Art. 35(4) list of the supervisory authority of: Austria, Belgium."},
		{i18n.SimplifiedChinese, "piaflow 未收录以下国家监管机构依第35条第4款发布的清单：奥地利、比利时。"},
	} {
		text := squeeze(pdfText(t, renderPDF(t, f.r, &dd, tc.lang)))
		if !strings.Contains(text, squeeze(tc.want)) {
			t.Errorf("%s: the DPIA section lacks %q", tc.lang, tc.want)
		}
	}
	// the example itself is a German controller: the DSK list is held, nothing is said
	if text := pdfText(t, renderPDF(t, f.r, d, "en")); strings.Contains(text, "piaflow does not hold the Art. 35(4) list") {
		t.Error("hospital-ehr-germany: the report says a list is missing")
	}
}

package reports

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/jung-kurt/gofpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"

	"github.com/piaflow/piaflow/i18n"
)

// The CJK font: Droid Sans Fallback (Apache-2.0, Debian fonts-droid-fallback; see
// fonts/DroidSansFallbackFull.COPYRIGHT), gzip-compressed. The Latin, Greek and Cyrillic text
// uses the Go fonts (BSD), which golang.org/x/image ships.
//
//go:embed fonts/DroidSansFallbackFull.ttf.gz
var droidGz []byte

// fontID names the fonts a report uses.
type fontID int

const (
	fontRegular fontID = iota
	fontBold
	fontMono
	fontCJK
	fontCount
)

var fontFamilies = [fontCount]string{"goregular", "gobold", "gomono", "droidcjk"}

// metrics are one font's advance widths in 1/1000 em for the Basic Multilingual Plane, and
// which runes it has a glyph for.
type metrics struct {
	width [0x10000]uint16
	has   [0x10000]bool
}

// Renderer renders PDF reports. It reads the fonts and their metrics once, on first use, and is
// safe for concurrent use; keep one per process.
type Renderer struct {
	cats *i18n.Catalogs

	once  sync.Once
	err   error
	fonts [fontCount][]byte
	m     [fontCount]*metrics
}

// NewRenderer returns a renderer that takes its texts from cats.
func NewRenderer(cats *i18n.Catalogs) *Renderer {
	return &Renderer{cats: cats}
}

// load decompresses the CJK font and measures every font, once.
func (r *Renderer) load() error {
	r.once.Do(func() {
		zr, err := gzip.NewReader(bytes.NewReader(droidGz))
		if err != nil {
			r.err = fmt.Errorf("read CJK font: %w", err)
			return
		}
		cjk, err := io.ReadAll(zr)
		if err != nil {
			r.err = fmt.Errorf("read CJK font: %w", err)
			return
		}
		r.fonts = [fontCount][]byte{goregular.TTF, gobold.TTF, gomono.TTF, cjk}
		for id, b := range r.fonts {
			m, err := measure(b)
			if err != nil {
				r.err = fmt.Errorf("measure font %s: %w", fontFamilies[id], err)
				return
			}
			r.m[id] = m
		}
	})
	return r.err
}

// measure reads a TrueType font's advance widths (scaled to 1/1000 em, as gofpdf does) and its
// character map.
func measure(ttf []byte) (*metrics, error) {
	f, err := sfnt.Parse(ttf)
	if err != nil {
		return nil, err
	}
	var buf sfnt.Buffer
	upem := float64(f.UnitsPerEm())
	m := &metrics{}
	for c := rune(0x20); c < 0x10000; c++ {
		gi, err := f.GlyphIndex(&buf, c)
		if err != nil || gi == 0 {
			continue
		}
		adv, err := f.GlyphAdvance(&buf, gi, fixedUnits(f), 0)
		if err != nil {
			continue
		}
		m.has[c] = true
		m.width[c] = uint16(float64(adv)/64*1000/upem + 0.5)
	}
	return m, nil
}

// PDF renders the PIA report of d in lang ("en" or "zh-CN") to w. The same document always
// renders the same bytes.
func (r *Renderer) PDF(w io.Writer, d *Document, lang string) error {
	if err := r.load(); err != nil {
		return err
	}
	if d.Assessment == nil || d.Questionnaire == nil {
		return fmt.Errorf("render report: the document needs its assessment and questionnaire")
	}
	return recovered(func() error {
		lay := newLayout(r, r.cats.Get(lang), d)
		lay.build()
		return r.emit(w, lay)
	})
}

// recovered runs render and returns a panic in it as an error. gofpdf panics on some input
// instead of returning an error; the renderer keeps such input from it (drawable), and this is
// the defence in depth: a report that cannot be rendered is an error, never a crash.
func recovered(render func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("render report: internal error: %v%s", p, panicSite())
		}
	}()
	return render()
}

// panicSite names the function that panicked, for the error of a recovered panic.
func panicSite() string {
	pcs := make([]uintptr, 16)
	n := runtime.Callers(4, pcs) // above runtime.Callers, panicSite and the deferred function
	frames := runtime.CallersFrames(pcs[:n])
	for {
		f, more := frames.Next()
		if !strings.HasPrefix(f.Function, "runtime.") {
			return fmt.Sprintf(" in %s (%s:%d)", f.Function, filepath.Base(f.File), f.Line)
		}
		if !more {
			return ""
		}
	}
}

// replacement is drawn for a character no font of the report has: U+FFFD, which the Go fonts
// have.
const replacement = '\uFFFD'

// canDraw reports whether base, or the CJK font it falls back to, draws c. gofpdf's tables end at
// U+FFFF: a character outside the Basic Multilingual Plane (an emoji) must never reach it.
func (r *Renderer) canDraw(c rune, base fontID) bool {
	return c >= 0x20 && c < 0x10000 && (r.m[base].has[c] || r.m[fontCJK].has[c])
}

// drawable returns s with every character the fonts cannot draw (emoji and other characters
// outside the Basic Multilingual Plane, control characters, scripts no font covers) replaced by
// U+FFFD, invalid UTF-8 too, and tabs by spaces: what the PDF shows of s.
func (r *Renderer) drawable(s string, base fontID) string {
	clean := true
	for _, c := range s {
		if !r.canDraw(c, base) {
			clean = false
			break
		}
	}
	if clean && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, c := range s { // invalid UTF-8 reads as utf8.RuneError, U+FFFD
		switch {
		case c == '\t':
			b.WriteByte(' ')
		case r.canDraw(c, base):
			b.WriteRune(c)
		default:
			b.WriteRune(replacement)
		}
	}
	return b.String()
}

// run is a piece of text in one font.
type run struct {
	font fontID
	text string
}

// runs splits s into pieces by the font that has their glyphs: the Go fonts for what they
// cover, the CJK font for the rest.
func (r *Renderer) runs(s string, base fontID) []run {
	var out []run
	start, cur := 0, fontID(-1)
	for i, c := range s {
		f := base
		if c < 0x10000 && !r.m[base].has[c] && r.m[fontCJK].has[c] {
			f = fontCJK
		}
		if f != cur {
			if cur >= 0 && i > start {
				out = append(out, run{cur, s[start:i]})
			}
			start, cur = i, f
		}
	}
	if cur >= 0 && len(s) > start {
		out = append(out, run{cur, s[start:]})
	}
	return out
}

// width is the width of s in mm at size pt, in font base (with CJK fallback), as drawn: a
// character the fonts lack is as wide as the replacement character.
func (r *Renderer) width(s string, base fontID, size float64) float64 {
	var units int
	for _, c := range s {
		if c == '\t' {
			c = ' '
		}
		if !r.canDraw(c, base) {
			c = replacement
		}
		m := r.m[base]
		if !m.has[c] {
			m = r.m[fontCJK]
		}
		units += int(m.width[c])
	}
	return float64(units) * size / 1000 * ptToMM
}

const ptToMM = 25.4 / 72

// emit writes the laid-out pages with gofpdf.
func (r *Renderer) emit(w io.Writer, lay *layout) error {
	pdf := gofpdf.NewCustom(&gofpdf.InitType{OrientationStr: "P", UnitStr: "mm", SizeStr: "A4"})
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(lay.doc.Record.CreatedAt)
	pdf.SetModificationDate(lay.doc.Record.CreatedAt)
	pdf.SetCompression(true)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetMargins(0, 0, 0)
	pdf.SetTitle(r.drawable(lay.title, fontRegular), true)
	pdf.SetSubject(r.drawable(lay.doc.Deployment.Name, fontRegular), true)
	pdf.SetCreator("piaflow "+lay.doc.Assessment.PolicyVersion, true)
	pdf.SetAuthor("piaflow", true)
	for id := range fontCount {
		if lay.used[id] {
			// A copy per document: gofpdf writes into the font bytes it is given while it
			// subsets them (found by the race detector), so sharing them would corrupt fonts
			// under concurrent renders and make the output differ from run to run.
			pdf.AddUTF8FontFromBytes(fontFamilies[id], "", bytes.Clone(r.fonts[id]))
		}
	}
	links := map[int]int{}
	for _, e := range lay.toc {
		links[e.anchor] = pdf.AddLink()
	}
	for pi, page := range lay.pages {
		pdf.AddPage()
		for _, e := range lay.toc {
			if e.page == pi {
				pdf.SetLink(links[e.anchor], e.y, pi+1)
				pdf.Bookmark(r.drawable(e.title, fontRegular), e.level, e.y)
			}
		}
		for _, o := range page {
			r.draw(pdf, o, links)
		}
	}
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("render report: %w", err)
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

func (r *Renderer) draw(pdf *gofpdf.Fpdf, o op, links map[int]int) {
	switch o.kind {
	case opText:
		pdf.SetTextColor(o.color.r, o.color.g, o.color.b)
		x := o.x
		for _, rn := range r.runs(r.drawable(o.text, o.font), o.font) {
			pdf.SetFont(fontFamilies[rn.font], "", o.size)
			pdf.Text(x, o.y, rn.text)
			x += r.width(rn.text, rn.font, o.size)
		}
	case opRect:
		style := ""
		if o.fill != nil {
			pdf.SetFillColor(o.fill.r, o.fill.g, o.fill.b)
			style += "F"
		}
		if o.stroke != nil {
			pdf.SetDrawColor(o.stroke.r, o.stroke.g, o.stroke.b)
			pdf.SetLineWidth(o.lineWidth)
			style += "D"
		}
		pdf.Rect(o.x, o.y, o.w, o.h, style)
	case opCircle:
		pdf.SetFillColor(o.fill.r, o.fill.g, o.fill.b)
		pdf.Circle(o.x, o.y, o.w, "F")
	case opLine:
		pdf.SetDrawColor(o.color.r, o.color.g, o.color.b)
		pdf.SetLineWidth(o.lineWidth)
		pdf.Line(o.x, o.y, o.w, o.h)
	case opLink:
		if o.url != "" {
			pdf.LinkString(o.x, o.y, o.w, o.h, o.url)
		} else {
			pdf.Link(o.x, o.y, o.w, o.h, links[o.anchor])
		}
	}
}

// utf8Valid keeps invalid bytes out of the PDF.
func utf8Valid(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return string([]rune(s))
}

package reports

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"github.com/piaflow/piaflow/i18n"
)

// Page geometry of an A4 page, in mm.
const (
	pageW        = 210.0
	pageH        = 297.0
	marginL      = 18.0
	marginR      = 18.0
	contentTop   = 24.0
	contentBot   = 278.0
	contentW     = pageW - marginL - marginR
	cellPadX     = 1.6
	cellPadY     = 1.3
	lineFactor   = 1.38 // line height = size × factor
	bodySize     = 9.0
	smallSize    = 7.5
	tableSize    = 8.0
	headingSize  = 15.0
	heading2Size = 11.5
)

func fixedUnits(f *sfnt.Font) fixed.Int26_6 { return fixed.Int26_6(f.UnitsPerEm()) << 6 }

type rgb struct{ r, g, b int }

var (
	black     = rgb{33, 33, 33}
	grey      = rgb{110, 110, 110}
	lightGrey = rgb{224, 224, 224}
	paleGrey  = rgb{245, 245, 245}
	white     = rgb{255, 255, 255}
	accent    = rgb{21, 67, 96}
	linkBlue  = rgb{13, 71, 161}
)

type opKind int

const (
	opText opKind = iota
	opRect
	opCircle
	opLine
	opLink
)

// op is one drawing operation on a page. For a line, (w, h) is the end point; for a circle, w is
// the radius; a link goes to url, or to the section anchor when url is empty.
type op struct {
	kind       opKind
	x, y, w, h float64
	text       string
	font       fontID
	size       float64
	color      rgb
	fill       *rgb
	stroke     *rgb
	lineWidth  float64
	url        string
	anchor     int
}

// tocEntry is a section heading: where it landed, for the table of contents, the bookmarks and
// the links.
type tocEntry struct {
	title  string
	level  int
	page   int
	y      float64
	anchor int
}

// layout places a report's content on pages. Nothing is drawn until every page is known, so
// the table of contents and "Page n of N" carry the real numbers.
type layout struct {
	r     *Renderer
	l     *i18n.Localizer
	doc   *Document
	title string

	pages [][]op
	y     float64
	toc   []tocEntry
	// tocSlots are the text ops of the contents page that receive page numbers.
	tocSlots []tocSlot
	used     [fontCount]bool
}

type tocSlot struct {
	page, index, anchor int
}

func newLayout(r *Renderer, l *i18n.Localizer, d *Document) *layout {
	return &layout{r: r, l: l, doc: d}
}

func (lay *layout) page() int { return len(lay.pages) - 1 }

func (lay *layout) add(o op) {
	if o.kind == opText {
		for _, rn := range lay.r.runs(o.text, o.font) {
			lay.used[rn.font] = true
		}
	}
	p := lay.page()
	lay.pages[p] = append(lay.pages[p], o)
}

// newPage starts a page; body pages start below the running header.
func (lay *layout) newPage() {
	lay.pages = append(lay.pages, nil)
	lay.y = contentTop
}

// ensure starts a new page unless h mm fit below the cursor.
func (lay *layout) ensure(h float64) bool {
	if lay.y+h > contentBot {
		lay.newPage()
		return true
	}
	return false
}

func lineHeight(size float64) float64 { return size * lineFactor * ptToMM }

// text draws one line of text with its top at y.
func (lay *layout) text(x, y float64, s string, font fontID, size float64, c rgb) {
	s = utf8Valid(s)
	if s == "" {
		return
	}
	// Text() takes the baseline; put it at ~78 % of the line box.
	lay.add(op{kind: opText, x: x, y: y + lineHeight(size)*0.74, text: s, font: font, size: size, color: c})
}

func (lay *layout) rect(x, y, w, h float64, fill rgb) {
	lay.add(op{kind: opRect, x: x, y: y, w: w, h: h, fill: &fill})
}

func (lay *layout) hline(x1, x2, y float64, c rgb, width float64) {
	lay.add(op{kind: opLine, x: x1, y: y, w: x2, h: y, color: c, lineWidth: width})
}

// wrap breaks s into lines no wider than w mm: at spaces, between CJK characters, at newlines,
// and inside a word only when the word alone is too wide.
func (lay *layout) wrap(s string, font fontID, size, w float64) []string {
	s = utf8Valid(s)
	var lines []string
	for _, para := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		lines = append(lines, lay.wrapLine(para, font, size, w)...)
	}
	return lines
}

func (lay *layout) wrapLine(s string, font fontID, size, w float64) []string {
	var lines []string
	var line strings.Builder
	lineW := 0.0
	flush := func() {
		lines = append(lines, strings.TrimRight(line.String(), " "))
		line.Reset()
		lineW = 0
	}
	for _, tok := range tokens(s) {
		tw := lay.r.width(tok, font, size)
		if lineW+lay.r.width(strings.TrimRight(tok, " "), font, size) <= w {
			line.WriteString(tok)
			lineW += tw
			continue
		}
		if line.Len() > 0 {
			flush()
			tok = strings.TrimLeft(tok, " ")
			tw = lay.r.width(tok, font, size)
		}
		if tw <= w || lay.r.width(strings.TrimRight(tok, " "), font, size) <= w {
			line.WriteString(tok)
			lineW = tw
			continue
		}
		// A word wider than the line: break it by character.
		for _, c := range tok {
			cw := lay.r.width(string(c), font, size)
			if lineW+cw > w && line.Len() > 0 {
				flush()
			}
			line.WriteRune(c)
			lineW += cw
		}
	}
	if line.Len() > 0 || len(lines) == 0 {
		flush()
	}
	return lines
}

// tokens splits s into the units a line may break after: a word with its trailing spaces, a
// single CJK character, or a run of punctuation that follows it.
func tokens(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); {
		c, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case isWide(c):
			if i > start {
				out = append(out, s[start:i])
			}
			out = append(out, s[i:i+n])
			start = i + n
		case c == '.' && i+1 < len(s) && (s[i+1] >= 'a' && s[i+1] <= 'z'):
			// field paths (activities[0].data_subjects) break after their dots
			out = append(out, s[start:i+1])
			start = i + 1
		case c == ' ' || c == '/' || c == '-':
			// break after spaces, and after slashes and hyphens inside long paths and URLs
			j := i + n
			for j < len(s) && s[j] == ' ' {
				j++
			}
			out = append(out, s[start:j])
			start = j
			i = j
			continue
		}
		i += n
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	// keep closing punctuation with the character before it
	merged := out[:0]
	for _, t := range out {
		c, _ := utf8.DecodeRuneInString(t)
		if len(merged) > 0 && utf8.RuneCountInString(t) == 1 && (unicode.Is(unicode.Po, c) || unicode.Is(unicode.Pe, c)) {
			merged[len(merged)-1] += t
			continue
		}
		merged = append(merged, t)
	}
	return merged
}

func isWide(c rune) bool {
	return c >= 0x2E80 && (c <= 0x9FFF || (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFF00 && c <= 0xFFEF) || (c >= 0x3000 && c <= 0x303F))
}

// para writes wrapped text across the content width, breaking pages between lines.
func (lay *layout) para(s string, font fontID, size float64, c rgb) {
	lay.paraAt(marginL, contentW, s, font, size, c)
}

func (lay *layout) paraAt(x, w float64, s string, font fontID, size float64, c rgb) {
	lh := lineHeight(size)
	for _, line := range lay.wrap(s, font, size, w) {
		lay.ensure(lh)
		lay.text(x, lay.y, line, font, size, c)
		lay.y += lh
	}
}

// cell is one table cell: text, and optionally a font, colours and a link.
type cell struct {
	text string
	font fontID
	fg   *rgb
	bg   *rgb
	url  string
}

func txt(s string) cell { return cell{text: s} }

// table draws a table with a header row that repeats on every page it spans. widths are
// fractions of the content width. A row taller than a page is split between pages.
func (lay *layout) table(header []string, widths []float64, rows [][]cell) {
	size := tableSize
	lh := lineHeight(size)
	cols := make([]float64, len(widths))
	for i, f := range widths {
		cols[i] = f * contentW
	}
	drawHeader := func() {
		hl := make([][]string, len(header))
		n := 1
		for i, h := range header {
			hl[i] = lay.wrap(h, fontBold, size, cols[i]-2*cellPadX)
			n = max(n, len(hl[i]))
		}
		h := float64(n)*lh + 2*cellPadY
		lay.rect(marginL, lay.y, contentW, h, accent)
		x := marginL
		for i := range header {
			for k, line := range hl[i] {
				lay.text(x+cellPadX, lay.y+cellPadY+float64(k)*lh, line, fontBold, size, white)
			}
			x += cols[i]
		}
		lay.y += h
	}
	lay.ensure(3 * lh)
	drawHeader()
	for ri, row := range rows {
		lines := make([][]string, len(row))
		n := 1
		for i, c := range row {
			lines[i] = lay.wrap(c.text, c.font, size, cols[i]-2*cellPadX)
			n = max(n, len(lines[i]))
		}
		for from := 0; from < n; {
			room := int((contentBot - lay.y - 2*cellPadY) / lh)
			if room < 1 || (from == 0 && room < n && n <= int((contentBot-contentTop)/lh)-4) {
				lay.newPage()
				drawHeader()
				continue
			}
			to := min(n, from+room)
			h := float64(to-from)*lh + 2*cellPadY
			if ri%2 == 1 {
				lay.rect(marginL, lay.y, contentW, h, paleGrey)
			}
			x := marginL
			for i, c := range row {
				if c.bg != nil {
					lay.rect(x, lay.y, cols[i], h, *c.bg)
				}
				fg := black
				if c.fg != nil {
					fg = *c.fg
				}
				if c.url != "" {
					fg = linkBlue
				}
				for k := from; k < to && k < len(lines[i]); k++ {
					lay.text(x+cellPadX, lay.y+cellPadY+float64(k-from)*lh, lines[i][k], c.font, size, fg)
				}
				if c.url != "" && from == 0 {
					lay.add(op{kind: opLink, x: x, y: lay.y, w: cols[i], h: h, url: c.url})
				}
				x += cols[i]
			}
			lay.y += h
			lay.hline(marginL, pageW-marginR, lay.y, lightGrey, 0.2)
			from = to
		}
	}
	lay.y += 3
}

// keyValues draws label: value pairs in two columns.
func (lay *layout) keyValues(pairs [][2]string, labelW float64) {
	lh := lineHeight(bodySize)
	for _, p := range pairs {
		lines := lay.wrap(p[1], fontRegular, bodySize, contentW-labelW)
		lay.ensure(lh * float64(min(len(lines), 3)))
		lay.text(marginL, lay.y, p[0], fontBold, bodySize, grey)
		for i, line := range lines {
			if i > 0 {
				lay.ensure(lh)
			}
			lay.text(marginL+labelW, lay.y, line, fontRegular, bodySize, black)
			lay.y += lh
		}
	}
	lay.y += 2
}

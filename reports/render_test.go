package reports

import (
	"bytes"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/jung-kurt/gofpdf"
	"github.com/xuri/excelize/v2"
	"golang.org/x/image/font/gofont/goregular"

	"github.com/piaflow/piaflow/i18n"
)

// withText is a copy of the example document with text put where people type it: the deployment
// name (the running head), the customer, an activity's name and purposes, a transfer's recipient
// and the reviewer's comment.
func withText(t testing.TB, name, customer, activity, purpose, recipient, comment string) *Document {
	t.Helper()
	f := loadPDFFixture(t)
	d := *f.docs["logistics-china-vietnam"]
	q := *d.Questionnaire
	q.Activities = slices.Clone(q.Activities)
	a := &q.Activities[0]
	a.Name = activity
	a.Purposes = append(slices.Clone(a.Purposes), purpose)
	if len(a.Transfers) > 0 {
		a.Transfers = slices.Clone(a.Transfers)
		a.Transfers[0].Recipient = recipient
	}
	q.Deployment.Customer = customer
	d.Questionnaire = &q
	d.Deployment.Name = name
	d.Deployment.Customer = customer
	d.Record.ReviewState, d.Record.Reviewer, d.Record.ReviewComment = "rejected", "dpo@example.com", comment
	return &d
}

// TestPDFCharactersOutsideTheFonts: emoji and other characters outside the Basic Multilingual
// Plane made gofpdf index past its 65,536-entry table (a panic, so a 500 for ever for that
// assessment); characters no font has are drawn as U+FFFD, the rest as they are.
func TestPDFCharactersOutsideTheFonts(t *testing.T) {
	f := loadPDFFixture(t)
	d := withText(t, "Rollout 🚀 2027", "Emoji 😀 GmbH", "Orders 🛒 订单", "thumbs 👍🏽 up \U0010FFFF", "Support 🇩🇪", "looks fine ✅")
	for _, lang := range i18n.Languages() {
		text := squeeze(pdfText(t, renderPDF(t, f.r, d, lang)))
		for _, want := range []string{"Rollout\uFFFD2027", "Emoji\uFFFDGmbH", "Orders\uFFFD订单", "thumbs\uFFFD\uFFFDup\uFFFD", "Support\uFFFD\uFFFD"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: the PDF text lacks %q", lang, want)
			}
		}
	}
}

// TestPDFRunningHeadLineBreaks: a line break in the first characters of the deployment name cut
// the running head at a negative index (a panic); the head shows the name on one line.
func TestPDFRunningHeadLineBreaks(t *testing.T) {
	f := loadPDFFixture(t)
	for _, name := range []string{"\nX", "a\nbc", "\n", "", "\t\r\n", "Lagerverwaltung\nNord " + strings.Repeat("sehr lang ", 20)} {
		d := withText(t, name, "Customer", "Orders", "p", "r", "")
		pages := strings.Split(pdfText(t, renderPDF(t, f.r, d, i18n.English)), "\f")
		head := strings.Join(strings.Fields(name), " ")
		if len(head) > 20 {
			head = head[:20]
		}
		if !strings.Contains(pages[1], head+" · ") && !strings.Contains(pages[1], head) {
			t.Errorf("name %q: page 2 lacks the running head %q:\n%.200s", name, head, pages[1])
		}
	}
}

// TestRecovered: a panic inside gofpdf (here the one an emoji caused, called directly) is an
// error of the render, not a crash.
func TestRecovered(t *testing.T) {
	err := recovered(func() error {
		pdf := gofpdf.New("P", "mm", "A4", "")
		pdf.AddUTF8FontFromBytes("goregular", "", bytes.Clone(goregular.TTF))
		pdf.AddPage()
		pdf.SetFont("goregular", "", 10)
		pdf.Text(10, 10, "😀")
		return pdf.Output(io.Discard)
	})
	if err == nil || !strings.Contains(err.Error(), "render report: internal error: runtime error: index out of range") || !strings.Contains(err.Error(), "gofpdf") {
		t.Errorf("err = %v", err)
	}
}

// FuzzRender renders the PDF report and the Excel action list of a questionnaire whose typed
// text is fuzzed: both must come out, never an error or a panic.
func FuzzRender(f *testing.F) {
	f.Add("Rollout 🚀", "客户 GmbH", "订单处理", "purpose", "recipient", "comment")
	f.Add("\nX", "a\nb", "\r\n", "\t", "", "")
	f.Add("😀👍🏽🇩🇪\u200d", "\U0010FFFF\U0001FFFE", "\ufffe\uffff", "\x00\x01\x1f\x7f\u0085\u009f", "\u2028\u2029", "\ufeff")
	f.Add("\xff\xfe\xf0\x9f", "\xe4\xb8", "🀀🂡", "ٱلْعَرَبِيَّة", "हिन्दी ภาษาไทย", strings.Repeat("😀", 300))
	f.Add(strings.Repeat("长", 500), strings.Repeat("x", 2000), "a b", "=1+2", "@SUM(A1)", "<b>&amp;</b>")
	loadPDFFixture(f)
	f.Fuzz(func(t *testing.T, name, customer, activity, purpose, recipient, comment string) {
		fx := loadPDFFixture(t)
		d := withText(t, name, customer, activity, purpose, recipient, comment)
		lang := i18n.Languages()[len(name)%len(i18n.Languages())]
		var pdf bytes.Buffer
		if err := fx.r.PDF(&pdf, d, lang); err != nil {
			t.Fatalf("PDF: %v", err)
		}
		if !bytes.HasPrefix(pdf.Bytes(), []byte("%PDF-")) || !bytes.HasSuffix(bytes.TrimSpace(pdf.Bytes()), []byte("%%EOF")) {
			t.Fatalf("not a whole PDF (%d bytes)", pdf.Len())
		}
		var xlsx bytes.Buffer
		if err := WriteXLSX(&xlsx, d, fx.cats.Get(lang)); err != nil {
			t.Fatalf("WriteXLSX: %v", err)
		}
		book, err := excelize.OpenReader(bytes.NewReader(xlsx.Bytes()))
		if err != nil {
			t.Fatalf("the workbook does not open: %v", err)
		}
		for _, sheet := range book.GetSheetList() {
			if _, err := book.GetRows(sheet); err != nil {
				t.Fatalf("sheet %s does not read: %v", sheet, err)
			}
		}
	})
}

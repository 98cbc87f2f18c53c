package reports

import (
	"sort"
	"strings"
	"testing"

	"github.com/piaflow/piaflow/examples"
	"github.com/piaflow/piaflow/i18n"
	"github.com/piaflow/piaflow/internal/zhtext"
)

// maxEnglish is how many texts with English words the zh-CN report of any example may hold:
// lines of the PDF (pdftotext) and string cells of the workbook (issue 14's goal: at most 5;
// zhtext.English says what is not counted). Each bound is the highest count measured over the
// examples, so a text that loses its translation fails the test; lower them as texts become
// messages.
var maxEnglish = map[string]int{"pdf": 2, "xlsx": 1}

// TestChineseText renders every example's zh-CN PDF and workbook and counts the texts a
// Chinese reader would still read in English, leaving out the example's own answers.
func TestChineseText(t *testing.T) {
	f := loadPDFFixture(t)
	zh := f.cats.Get(i18n.SimplifiedChinese)
	names := make([]string, 0, len(f.docs))
	for name := range f.docs {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		d := f.docs[name]
		t.Run(name, func(t *testing.T) {
			src, err := examples.FS.ReadFile(name + ".yaml")
			if err != nil {
				t.Fatal(err)
			}
			user, err := zhtext.UserStrings(src)
			if err != nil {
				t.Fatal(err)
			}
			user[d.Deployment.Name], user[d.Deployment.Customer] = true, true
			text := pdfText(t, renderPDF(t, f.r, d, i18n.SimplifiedChinese))
			book := openXLSX(t, writeXLSXBytes(t, d, zh))
			var cells []string
			for _, sheet := range book.GetSheetList() {
				rows, err := book.GetRows(sheet)
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range rows {
					cells = append(cells, r...)
				}
			}
			for kind, english := range map[string][]string{"pdf": zhtext.EnglishLines(text, user), "xlsx": zhtext.English(cells, user)} {
				t.Logf("%s %s: %d texts with English words:\n%s", name, kind, len(english), strings.Join(english, "\n"))
				if len(english) > maxEnglish[kind] {
					t.Errorf("%s: the zh-CN %s holds %d texts with English words, want at most %d", name, kind, len(english), maxEnglish[kind])
				}
			}
		})
	}
}

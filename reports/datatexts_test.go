package reports

import (
	"strings"
	"testing"

	"github.com/piaflow/piaflow/i18n"
)

// TestXLSXDataTextsChinese: the workbook's transfer sheet shows the jurisdiction data's texts
// (a localisation rule, a transfer tier) in Chinese for a zh-CN reader, in English for others.
func TestXLSXDataTextsChinese(t *testing.T) {
	d, cats := xlsxExampleDoc(t, "hr-russia-subsidiary")
	en, zh := cats.Get(i18n.English), cats.Get(i18n.SimplifiedChinese)
	keys := []string{"data.ru_152fz.localisation.citizens_collection_2025.text", "data.ru_152fz.transfer.tiers.rkn_notice.text"}
	for _, tc := range []struct {
		l         *i18n.Localizer
		want, not *i18n.Localizer
	}{
		{zh, zh, en},
		{en, en, zh},
	} {
		f := openXLSX(t, writeXLSXBytes(t, d, tc.l))
		rows, err := f.GetRows(tc.l.T(sheetTransfers))
		if err != nil {
			t.Fatal(err)
		}
		var cells []string
		for _, r := range rows {
			cells = append(cells, r...)
		}
		all := "\x00" + strings.Join(cells, "\x00") + "\x00"
		for _, k := range keys {
			if !strings.Contains(all, "\x00"+tc.want.T(k)+"\x00") {
				t.Errorf("%s workbook lacks the cell %q", tc.l.Lang(), tc.want.T(k))
			}
			if strings.Contains(all, tc.not.T(k)) {
				t.Errorf("%s workbook shows %q", tc.l.Lang(), tc.not.T(k))
			}
		}
	}
}

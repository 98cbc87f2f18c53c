package web

import (
	"strings"
	"testing"

	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/i18n"
)

// TestTransfersHTMLOnwardHop: an onward transfer's row says which hop it is, in the page's
// language; a first transfer's row says nothing of the kind.
func TestTransfersHTMLOnwardHop(t *testing.T) {
	cats, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	rows := []assessments.TransferEval{
		{From: "DE", To: "US", Regime: "gdpr", Verdict: "mechanism_required", Via: "activities[0].transfers[0]"},
		{From: "DE", To: "IN", Regime: "gdpr", Verdict: "mechanism_required", Via: "activities[0].transfers[0].onward_transfers[0].onward_transfers[0]", Hop: 2},
	}
	for _, tc := range []struct {
		lang, want string
	}{
		{"en", "onward transfer, hop 2"},
		{i18n.SimplifiedChinese, "再转移（第 2 级）"},
	} {
		v := &view{L: cats.Get(tc.lang), Lang: tc.lang, ui: &webUI{}}
		got := strings.Split(string(transfersHTML(v, rows)), "</tr>")
		if !strings.Contains(got[1], tc.want) {
			t.Errorf("%s: the hop-2 row lacks %q: %s", tc.lang, tc.want, got[1])
		}
		if strings.Contains(got[0], tc.want[:6]) {
			t.Errorf("%s: the first transfer's row names a hop: %s", tc.lang, got[0])
		}
	}
}

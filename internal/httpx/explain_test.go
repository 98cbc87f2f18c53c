package httpx

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/i18n"
)

// TestExplainLanguages: the English title and detail are what they always were; the Chinese
// ones come from the catalogue, the service's English detail kept after the summary.
func TestExplainLanguages(t *testing.T) {
	cats := i18n.MustLoad()
	en, zh := cats.Get(i18n.English), cats.Get(i18n.SimplifiedChinese)
	for _, status := range []int{400, 401, 403, 404, 405, 406, 409, 412, 413, 415, 422, 428, 429, 500, 503} {
		e := Explained{Status: status}
		if en.T("problem.title."+strconv.Itoa(status)) != http.StatusText(status) || e.Title(en) != http.StatusText(status) {
			t.Errorf("%d: English title %q", status, en.T("problem.title."+strconv.Itoa(status)))
		}
		if !zh.Has("problem.title."+strconv.Itoa(status)) || !zh.Has("problem.detail."+strconv.Itoa(status)) {
			t.Errorf("%d: no Chinese title or detail", status)
		}
	}
	e := Explain(piaflow.Errorf(piaflow.ErrNotFound, "", "deployment 7"))
	if e.Status != 404 || e.DetailIn(en) != "deployment 7: not found" {
		t.Errorf("English: %+v %q", e, e.DetailIn(en))
	}
	if d := e.DetailIn(zh); !strings.HasPrefix(d, "找不到请求的对象") || !strings.HasSuffix(d, "deployment 7: not found") {
		t.Errorf("Chinese detail %q", d)
	}
	if e.Title(zh) != "未找到" {
		t.Errorf("Chinese title %q", e.Title(zh))
	}
	inv := Explain(piaflow.Invalid(piaflow.RequiredField("name")))
	if len(inv.Errors) != 1 || inv.Errors[0].Code != "required" || zh.ProblemMessage(inv.Errors[0]) != "为必填项" {
		t.Errorf("field problem: %+v", inv.Errors)
	}
}

package httpx

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/i18n"
)

// TestExplainLanguages: the English title and detail are what they always were; the Chinese
// ones come from the catalogue: an error with a message in whole sentences, another with the
// service's English detail kept after the summary.
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
	// an error with a message reads as a whole sentence; its English is as before
	for _, tc := range []struct {
		err         error
		status      int
		english, zh string
	}{
		{piaflow.MsgKind(piaflow.ErrNotFound, "error.not_found.deployment", "id", 7), 404, "deployment 7: not found", "找不到部署 7"},
		{piaflow.MsgError(piaflow.ErrConflict, piaflow.ReasonArchived, "error.deployment_archived", "id", 3), 409, "deployment 3 is archived: conflict", "部署 3 已归档"},
		{fmt.Errorf("approve: %w", piaflow.MsgError(piaflow.ErrForbidden, piaflow.ReasonRole, "error.role", "user_role", "sales",
			"user_roles", piaflow.ListParam(", ", []string{"admin", "legal"}))), 403,
			"approve: role sales may not do this (allowed: admin, legal): forbidden", "角色销售不能执行此操作（允许的角色：管理员、法务 / 数据保护官（DPO））"},
		{Msg(http.StatusNotFound, "error.http.no_object", "id", `"x"`), 404, `no object with id "x"`, `没有 id 为 "x" 的对象`},
		{Msg(http.StatusRequestEntityTooLarge, "error.http.body_too_large", "max", 1024), 413, "the body is larger than 1024 bytes", "请求内容超过 1024 字节"},
	} {
		e := Explain(tc.err)
		if e.Status != tc.status || e.DetailIn(en) != tc.english || e.DetailIn(zh) != tc.zh {
			t.Errorf("%v: %d %q %q, want %d %q %q", tc.err, e.Status, e.DetailIn(en), e.DetailIn(zh), tc.status, tc.english, tc.zh)
		}
	}
	if e.Title(zh) != "未找到" {
		t.Errorf("Chinese title %q", e.Title(zh))
	}
	inv := Explain(piaflow.Invalid(piaflow.RequiredField("name")))
	if len(inv.Errors) != 1 || inv.Errors[0].Code != "required" || zh.ProblemMessage(inv.Errors[0]) != "为必填项" {
		t.Errorf("field problem: %+v", inv.Errors)
	}
}

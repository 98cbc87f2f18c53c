package httpx

import (
	"fmt"
	"net/http"
	"regexp"
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
			"approve: role sales may not do this (allowed: admin, legal): forbidden", "角色“销售”不能执行此操作（允许的角色：管理员、法务 / 数据保护官（DPO））"},
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

var han = regexp.MustCompile(`\p{Han}`)

// TestExplainImport: every problem of an imported action list reads in Chinese as a whole
// sentence, its English as before.
func TestExplainImport(t *testing.T) {
	cats := i18n.MustLoad()
	en, zh := cats.Get(i18n.English), cats.Get(i18n.SimplifiedChinese)
	erin := piaflow.User{ID: 1, Name: "erin", Role: piaflow.RoleEngineer}
	acts := []piaflow.Action{
		{ID: 1, FindingKey: "A", Status: piaflow.ActionOpen},
		{ID: 2, FindingKey: "B", Status: piaflow.ActionOpen, Assignee: "anna"},
		{ID: 3, FindingKey: "C", Status: piaflow.ActionRiskAccepted, Justification: "ok"},
		{ID: 4, FindingKey: "D", Status: piaflow.ActionOpen},
		{ID: 5, FindingKey: "E", Status: piaflow.ActionOpen},
		{ID: 6, FindingKey: "F", Status: piaflow.ActionOpen},
	}
	_, err := piaflow.PlanImport(erin, []piaflow.ActionEdit{
		{Row: 2, ID: 1, Key: "X", Status: piaflow.ActionDone},
		{Row: 3, ID: 9},
		{Row: 4, ID: 2, Status: piaflow.ActionDone},
		{Row: 5, ID: 3, Status: piaflow.ActionOpen},
		{Row: 6, ID: 4, Status: "finished"},
		{Row: 7, ID: 4},
		{Row: 8, ID: 5, Comment: "a\x00b"},
		{Row: 9, ID: 6, Status: piaflow.ActionRiskAccepted},
	}, acts, nil)
	e := Explain(err)
	want := []struct{ english, chinese string }{
		{`the row's finding key "X" is not action 1's ("A"): was the list edited by hand?`, `该行的标识键 "X" 不是措施 1 的标识键（"A"）：清单是否被手动编辑过？`},
		{"no action 9 in this deployment", "此部署中没有措施 9"},
		{"action 2 is assigned to anna; as engineer you may change only actions assigned to you or to nobody", "措施 2 已指派给 anna；作为工程师，您只能更改指派给您或未指派的措施"},
		{"only legal may change an accepted risk (you are engineer)", "只有法务 / 数据保护官（DPO）可以更改已接受的风险（您的角色是工程师）"},
		{`"finished" is not one of open, in_progress, done, risk_accepted`, ""},
		{"action 4 is also on row 6", "措施 4 也出现在第 6 行"},
		{"must not contain a NUL character", ""},
		{"only legal may accept a risk (you are engineer)", "只有法务 / 数据保护官（DPO）可以接受风险（您的角色是工程师）"},
	}
	if len(e.Errors) != len(want) {
		t.Fatalf("problems %+v", e.Errors)
	}
	for i, p := range e.Errors {
		if got := en.ProblemMessage(p); got != want[i].english {
			t.Errorf("row %d: English %q, want %q", p.Line, got, want[i].english)
		}
		got := zh.ProblemMessage(p)
		if want[i].chinese != "" && got != want[i].chinese {
			t.Errorf("row %d: Chinese %q, want %q", p.Line, got, want[i].chinese)
		}
		if got == p.Message || !han.MatchString(got) {
			t.Errorf("row %d: not in Chinese: %q", p.Line, got)
		}
	}
}

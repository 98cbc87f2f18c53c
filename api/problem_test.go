package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/piaflow/piaflow"
)

// TestProblemLanguage asks for the same invalid questionnaire and the same missing object in
// English and in Chinese (Accept-Language): the titles, details and messages follow the
// header, the paths and codes do not, and each error names its question.
func TestProblemLanguage(t *testing.T) {
	url, tokens := testServer(t)
	eng := tokens[piaflow.RoleEngineer]
	call(t, "POST", url+"/api/v1/deployments", eng, `{"name":"P","customer":"C"}`)
	bad := `{"schema_version":1,"deployment":{"customer_country":"Narnia"}}`
	put := func(lang string) Problem {
		t.Helper()
		h := map[string]string{"Content-Type": "application/json"}
		if lang != "" {
			h["Accept-Language"] = lang
		}
		resp, b := callWith(t, "PUT", url+"/api/v1/deployments/1/questionnaire", eng, bad, h)
		return problemOf(t, resp, b, http.StatusUnprocessableEntity)
	}
	en, zh := put(""), put("zh-CN,zh;q=0.9,en;q=0.5")
	if en.Title != "Unprocessable Entity" || en.Detail != "the input is invalid: see errors" {
		t.Errorf("English: %q %q", en.Title, en.Detail)
	}
	if zh.Title != "无法处理的内容" || !strings.HasPrefix(zh.Detail, "输入无效") {
		t.Errorf("Chinese: %q %q", zh.Title, zh.Detail)
	}
	if len(en.Errors) == 0 || len(en.Errors) != len(zh.Errors) {
		t.Fatalf("errors: %d in English, %d in Chinese", len(en.Errors), len(zh.Errors))
	}
	found := false
	for i, e := range zh.Errors {
		if e.Path != en.Errors[i].Path || e.Code != en.Errors[i].Code || e.Code == "" {
			t.Errorf("error %d: %+v in Chinese, %+v in English", i, e, en.Errors[i])
		}
		if e.Path != "deployment.customer_country" {
			continue
		}
		found = true
		if want := `"Narnia" 不是 ISO 3166-1 二位字母国家代码`; e.Message != want {
			t.Errorf("Chinese message %q, want %q", e.Message, want)
		}
		if want := `"Narnia" is not an ISO 3166-1 alpha-2 code`; en.Errors[i].Message != want {
			t.Errorf("English message %q, want %q", en.Errors[i].Message, want)
		}
		if e.Label != "部署 › 客户所在国家" || en.Errors[i].Label != "Deployment › Customer country" {
			t.Errorf("labels %q, %q", e.Label, en.Errors[i].Label)
		}
		if e.Args["value"] != `"Narnia"` {
			t.Errorf("args %v", e.Args)
		}
	}
	if !found {
		t.Errorf("no problem at deployment.customer_country: %+v", zh.Errors)
	}

	// q-values count: Chinese at 0.1 below English at 0.9 is English
	resp, b := callWith(t, "GET", url+"/api/v1/deployments/99", eng, "", map[string]string{"Accept-Language": "zh;q=0.1, en;q=0.9"})
	if p := problemOf(t, resp, b, http.StatusNotFound); p.Title != "Not Found" {
		t.Errorf("q-values: title %q", p.Title)
	}
	resp, b = callWith(t, "GET", url+"/api/v1/deployments/99", eng, "", map[string]string{"Accept-Language": "zh-CN"})
	p := problemOf(t, resp, b, http.StatusNotFound)
	if p.Title != "未找到" || p.Detail != "找不到部署 99" {
		t.Errorf("not found in Chinese: %q %q", p.Title, p.Detail)
	}
	if resp.Header.Get("Content-Language") != "zh-CN" {
		t.Errorf("Content-Language %q", resp.Header.Get("Content-Language"))
	}
}

// TestBodyTypeErrorLanguage: a JSON body whose field has the wrong type names it in the
// reader's language; the English text is as before.
func TestBodyTypeErrorLanguage(t *testing.T) {
	url, tokens := testServer(t)
	eng := tokens[piaflow.RoleEngineer]
	for _, tc := range []struct{ lang, want string }{
		{"", "must be a string, not number"},
		{"zh-CN", "必须是字符串，而不是数字"},
	} {
		h := map[string]string{"Content-Type": "application/json"}
		if tc.lang != "" {
			h["Accept-Language"] = tc.lang
		}
		resp, b := callWith(t, "POST", url+"/api/v1/deployments", eng, `{"name":3,"customer":"C"}`, h)
		p := problemOf(t, resp, b, http.StatusUnprocessableEntity)
		if len(p.Errors) != 1 || p.Errors[0].Path != "name" || p.Errors[0].Code != "type" || !strings.Contains(p.Errors[0].Message, tc.want) {
			t.Errorf("lang %q: %+v, want a type error at name saying %q", tc.lang, p.Errors, tc.want)
		}
	}
}

// TestServiceProblemLanguage: a problem the service finds (an impact change without its
// product) names it in the reader's language; the English text is as before.
func TestServiceProblemLanguage(t *testing.T) {
	url, tokens := testServer(t)
	eng := tokens[piaflow.RoleEngineer]
	for _, tc := range []struct{ lang, want string }{
		{"", "a product change names the product and the version its deployments move to (or gives product_document)"},
		{"zh-CN", "产品变更须指明产品及其部署要迁移到的版本（或提供 product_document）"},
	} {
		h := map[string]string{"Content-Type": "application/json"}
		if tc.lang != "" {
			h["Accept-Language"] = tc.lang
		}
		resp, b := callWith(t, "POST", url+"/api/v1/impact", eng, `{"kind":"product"}`, h)
		p := problemOf(t, resp, b, http.StatusUnprocessableEntity)
		if len(p.Errors) != 1 || p.Errors[0].Path != "product" || p.Errors[0].Message != tc.want {
			t.Errorf("lang %q: %+v, want %q at product", tc.lang, p.Errors, tc.want)
		}
	}
}

// TestProblemDetailLanguage: a detail the server wrote (a body it cannot read, an object not
// found, an upload that is not an action list, a missing If-Match) reads in Chinese as a whole
// sentence under Accept-Language, and in English as it always did.
func TestProblemDetailLanguage(t *testing.T) {
	url, tokens := testServer(t)
	eng := tokens[piaflow.RoleEngineer]
	call(t, "POST", url+"/api/v1/deployments", eng, `{"name":"P","customer":"C"}`)
	for _, tc := range []struct {
		name, method, path, body, ctype string
		status                          int
		english, chinese                string
	}{
		{"BadJSON", "POST", "/api/v1/deployments", `{"name":`, "application/json", http.StatusBadRequest,
			"the body is not valid JSON for this request: unexpected EOF", "请求内容不是此请求可接受的 JSON（解析器报告：unexpected EOF）"},
		{"TwoValues", "POST", "/api/v1/deployments", `{"name":"a","customer":"b"} {}`, "application/json", http.StatusBadRequest,
			"the body holds more than one JSON value", "请求内容包含多个 JSON 值"},
		{"NotFound", "GET", "/api/v1/deployments/42", "", "", http.StatusNotFound, "deployment 42: not found", "找不到部署 42"},
		{"BadID", "GET", "/api/v1/deployments/x", "", "", http.StatusNotFound, `no object with id "x"`, `没有 id 为 "x" 的对象`},
		{"NotActionList", "POST", "/api/v1/deployments/1/actions/import", "hello", contentXLSX, http.StatusUnprocessableEntity,
			"the upload is not an action list piaflow can read: read action list: not a piaflow action list: not an Excel workbook (.xlsx): zip: not a valid zip file",
			"上传的文件不是 piaflow 能读取的行动清单：不是 Excel 工作簿（.xlsx）：zip: not a valid zip file"},
	} {
		for _, lang := range []string{"en", "zh-CN"} {
			h := map[string]string{"Accept-Language": lang}
			if tc.ctype != "" {
				h["Content-Type"] = tc.ctype
			}
			resp, b := callWith(t, tc.method, url+tc.path, eng, tc.body, h)
			p := problemOf(t, resp, b, tc.status)
			want := tc.english
			if lang != "en" {
				want = tc.chinese
			}
			if p.Detail != want {
				t.Errorf("%s %s: detail %q, want %q", tc.name, lang, p.Detail, want)
			}
		}
	}
}

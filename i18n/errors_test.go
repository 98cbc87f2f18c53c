package i18n_test

import (
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/i18n"
	"github.com/piaflow/piaflow/internal/zhtext"
)

// errorCodes are the codes, header and protocol names the Chinese error messages keep as they
// are (a reader types them), left out when looking for English words.
var errorCodes = []string{
	"Authorization: Bearer <token>", "X-CSRF-Token", "If-Match", "ETag", "GET", "docs/limits.md",
	"piaflow serve", "serve", `W/"..."`, "PIAFLOW_METRICS_TOKEN", "docs", "id", ".xlsx",
}

// errorSamples are sample values of the error messages' parameters, by name; a name not listed
// gets 7. The values are data (names a person gave, codes a client sent, texts a parser wrote),
// left out when looking for English words: the test is about the messages' own words.
var errorSamples = map[string]any{
	"user_role":      "engineer",
	"user_roles":     piaflow.ListParam(" or ", []string{"legal", "admin"}),
	"review_state":   "approved",
	"action_status":  piaflow.ActionRiskAccepted,
	"keys":           piaflow.ListParam(", ", []string{"gdpr-art-28", "pipl-art-38"}),
	"retry_duration": "1m30s",
	"wait_duration":  "500ms",
	"limit_duration": "2m0s",
	"assignee":       "alice",
	"user":           "bob",
	"name":           `"carol"`,
	"product":        "shop",
	"processor":      "acme-cloud",
	"version":        "1.2.0",
	"event":          "assessment.approved",
	"etag":           `"abc123"`,
	"if_match":       `"def456"`,
	"op":             `"add:activities"`,
	"section":        "activities",
	"lang":           `"fr"`,
	"file":           `"x.css"`,
	"time":           "2026-12-06T05:00:00Z",
	"reason":         `invalid character 'x' looking for beginning of value`,
	"last_error":     "event too large",
	"problems":       "name: is required",
}

// typed are the parameters Chinese renders in its words.
var typed = map[string]bool{"user_role": true, "user_roles": true, "review_state": true, "action_status": true,
	"retry_duration": true, "wait_duration": true, "limit_duration": true}

var errPlaceholder = regexp.MustCompile(`\{([a-z_]+)\}`)

// TestErrorMessages: every error message (piaflow.ErrorTexts) is in the English catalogue with
// the same text, renders in English as the error's English text (byte for byte) and in Chinese
// as whole Chinese sentences: no placeholder left, no English word except codes and the
// parameters a person or a parser wrote.
func TestErrorMessages(t *testing.T) {
	cats := i18n.MustLoad()
	en, zh := cats.Get(i18n.English), cats.Get(i18n.SimplifiedChinese)
	texts := piaflow.ErrorTexts()
	ids := make([]string, 0, len(texts))
	for id := range texts {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	user := map[string]bool{}
	for _, c := range errorCodes {
		user[c] = true
	}
	for name, v := range errorSamples {
		if typed[name] {
			continue // rendered in Chinese
		}
		if s, ok := v.(string); ok {
			user[s] = true
		}
		if l, ok := v.(map[string]any); ok {
			for _, it := range l["items"].([]any) {
				user[it.(string)] = true
			}
		}
	}
	for _, k := range en.Keys("msg.error.") {
		if _, ok := texts[strings.TrimPrefix(k, "msg.")]; !ok {
			t.Errorf("%s: in the catalogue, not in piaflow.ErrorTexts", k)
		}
	}
	for _, id := range ids {
		if got := en.T("msg." + id); got != texts[id] {
			t.Errorf("%s: English catalogue %q, piaflow.ErrorTexts %q", id, got, texts[id])
		}
		var pairs []any
		for _, m := range errPlaceholder.FindAllStringSubmatch(texts[id], -1) {
			v, ok := errorSamples[m[1]]
			if !ok {
				v = 7
			}
			pairs = append(pairs, m[1], v)
		}
		m := piaflow.NewMessage(id, pairs...)
		english, ok := en.Message(&m)
		if !ok || english != m.English() {
			t.Errorf("%s: English rendering %q, error text %q", id, english, m.English())
		}
		chinese, ok := zh.Message(&m)
		if !ok || errPlaceholder.MatchString(chinese) {
			t.Errorf("%s: Chinese rendering %q", id, chinese)
			continue
		}
		if words := zhtext.English([]string{chinese}, user); len(words) > 0 {
			t.Errorf("%s: English words in Chinese: %q", id, chinese)
		}
	}
}

// TestErrorParams: the typed parameters of the error messages in Chinese.
func TestErrorParams(t *testing.T) {
	zh := i18n.MustLoad().Get(i18n.SimplifiedChinese)
	for _, tc := range []struct {
		m    piaflow.Message
		want string
	}{
		{piaflow.NewMessage("error.role", "user_role", "sales", "user_roles", piaflow.ListParam(", ", []string{"admin", "engineer"})),
			"角色“销售”不能执行此操作（允许的角色：管理员、工程师）"},
		{piaflow.NewMessage("error.assessment_state", "id", 3, "review_state", "approved"), "评估 3 的状态为“已批准”"},
		{piaflow.NewMessage("error.rate_limited.auth", "retry_duration", "1m30s"),
			"来自此地址的未知或已撤销的 API 令牌过多（认证失败限制，见 docs/limits.md）：请在 1 分钟 30 秒后重试"},
		{piaflow.NewMessage("error.busy.evaluation", "slots", 2, "wait_duration", "250ms", "retry_duration", "1h0m0s"),
			"所有评估槽位（2 个，即并发评估限制，见 docs/limits.md）在 250 毫秒内一直被占用：请在 1 小时后重试"},
	} {
		if got, _ := zh.Message(&tc.m); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.m.ID, got, tc.want)
		}
	}
}

package main

import (
	"strings"
	"testing"

	"github.com/piaflow/piaflow/i18n"
)

// TestLangChinese: validate and assess with --lang zh-CN exit 2 with Chinese messages naming
// each field by its path and its question; the environment picks the default language.
func TestLangChinese(t *testing.T) {
	for _, args := range [][]string{
		{"assess", "testdata/invalid.yaml", "--lang", "zh-CN"},
		{"validate", "--lang", "zh-CN", "testdata/invalid.yaml"},
	} {
		code, stdout, stderr := runCLI(t, args...)
		if code != exitUsage {
			t.Fatalf("%v: exit %d, want 2", args, code)
		}
		out := stdout + stderr
		for _, want := range []string{
			"问卷无效（7 个问题）",
			`deployment.customer_country（部署 › 客户所在国家）："XX" 不是 ISO 3166-1 二位字母国家代码（第 5 行）`,
			`"ZZ" 不是 ISO 3166-1 二位字母国家代码（第 48 行）`,
		} {
			if !strings.Contains(out, want) {
				t.Errorf("%v: output lacks %q:\n%s", args, want, out)
			}
		}
	}
	code, _, stderr := runCLI(t, "validate", "--lang", "fr", "testdata/invalid.yaml")
	if code != exitUsage || !strings.Contains(stderr, `--lang "fr"`) {
		t.Errorf("--lang fr: exit %d, %s", code, stderr)
	}
}

func TestDefaultLang(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{nil, i18n.English},
		{map[string]string{"LANG": "zh_CN.UTF-8"}, i18n.SimplifiedChinese},
		{map[string]string{"LANG": "C.UTF-8"}, i18n.English},
		{map[string]string{"LANG": "en_US.UTF-8"}, i18n.English},
		{map[string]string{"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}, i18n.English},
		{map[string]string{"PIAFLOW_LANG": "zh-CN", "LANG": "en_US.UTF-8"}, i18n.SimplifiedChinese},
		{map[string]string{"PIAFLOW_LANG": "en", "LANG": "zh_CN.UTF-8"}, i18n.English},
	} {
		if got := defaultLang(func(k string) string { return tc.env[k] }); got != tc.want {
			t.Errorf("%v: %s, want %s", tc.env, got, tc.want)
		}
	}
}

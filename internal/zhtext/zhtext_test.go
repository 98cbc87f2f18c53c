package zhtext

import (
	"slices"
	"testing"
)

func TestEnglish(t *testing.T) {
	user := map[string]bool{"backups": true, "customers": true, "Online orders": true, "Shop GmbH": true, "processor": true}
	for _, tc := range []struct {
		name, text string
		english    bool
	}{
		{"Chinese", "须开展数据保护影响评估（DPIA）", false},
		{"ChineseWithAbbreviations", "《通用数据保护条例》（GDPR）第35条；WP248 rev.01", false},
		{"Numbers", "80000 · 2026-12-06", false},
		{"Path", "activities[0].data_subjects[0].countries", false},
		{"SnakeCasePath", "activities[0].transfers[0].onward_transfers[0].recipient", false},
		{"PathHoldingAnAnswer", "security.backups", false},
		{"PathInChinese", "请回答 deployment.vendor_dpa_signed", false},
		{"UserData", "Online orders", false},
		{"UserDataList", "Shop GmbH, processor", false},
		{"CountryCodes", "DE, FR, IT", false},
		{"Brand", "piaflow", false},
		{"CitationSubItem", "《联邦法规汇编》第45编第164.308(a)(1)(ii)(A)节", false},
		{"Digest", "sha256:e546a388396c79f5", false},
		{"Keys", "schema_version", false},
		{"Answer", "{type=customers, countries=DE}", false},
		{"Product", "整改清单（Excel）", false},
		{"AuthorityOriginalName", "意大利个人数据保护监管局（Garante per la protezione dei dati personali） 清单", false},
		{"AuthorityOriginalNameAndAcronym", "西班牙数据保护局（Agencia Española de Protección de Datos，AEPD）", false},
		{"EnglishInBrackets", "美国（the library holds HIPAA only）", true},
		{"EnglishSentenceInBrackets", "美国（The library holds HIPAA only.）", true},
		{"English", "DPIA required", true},
		{"MixedReason", "适用原因: the customer is established in CN", true},
		{"UntranslatedEnum", "负责方: legal", true},
		{"ArticleAbbreviation", "Art. 3(2)", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := English([]string{tc.text}, user)
			if (len(got) == 1) != tc.english {
				t.Errorf("English(%q) = %q, want English %v", tc.text, got, tc.english)
			}
		})
	}
}

func TestUserStrings(t *testing.T) {
	got, err := UserStrings([]byte("deployment:\n  name: Shop\n  count: 3\nactivities:\n  - name: Online orders\n    on: null\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Shop", `"Shop"`, "3", "Online orders"} {
		if !got[want] {
			t.Errorf("UserStrings lacks %q: %v", want, got)
		}
	}
	keys := make([]string, 0, len(got))
	for k := range got {
		keys = append(keys, k)
	}
	if slices.Contains(keys, "deployment") || slices.Contains(keys, "<nil>") {
		t.Errorf("UserStrings holds keys or nulls: %v", keys)
	}
	if _, err := UserStrings([]byte("a: [")); err == nil {
		t.Error("UserStrings accepts broken YAML")
	}
}

func TestEnglishLines(t *testing.T) {
	user := map[string]bool{"Parcel delivery — consignees in China": true, "cash-on-delivery": true, "dr": true,
		"SMS gateway (Zalo/WeChat)": true}
	text := "包裹递送\nParcel delivery —\nconsignees in China\ncashon-delivery\ndr (存储)\nSMS gateway (Zalo/\nWeChat)\n" +
		"请回答 deployment.\nvendor_dpa_signed\nhttp://www.npc.gov.cn/a8c4e3672c74491a80b53a172bb753fe.\nshtml\n微软 Azure\nDPIA required\nan address\n"
	got := EnglishLines(text, user)
	if len(got) != 2 || got[0] != "DPIA required" || got[1] != "an address" {
		t.Errorf("EnglishLines = %q, want only the English lines", got)
	}
}

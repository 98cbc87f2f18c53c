package i18n

import (
	"maps"
	"strings"
	"testing"

	"github.com/piaflow/piaflow/policies"
)

// TestLoadDataTexts: Load adds the jurisdiction data's English texts to the English catalogue,
// so a data text without Chinese (a text added to the data, or one the catalogue never had)
// fails, and a data key the locale files define by hand fails too.
func TestLoadDataTexts(t *testing.T) {
	data, err := policies.DataTexts()
	if err != nil {
		t.Fatal(err)
	}
	with := func(extra map[string]string) map[string]string {
		m := maps.Clone(data)
		maps.Copy(m, extra)
		return m
	}
	without := func(key string) map[string]string {
		m := maps.Clone(data)
		delete(m, key)
		return m
	}
	tests := []struct {
		name    string
		data    map[string]string
		wantErr string
	}{
		{"embedded data", data, ""},
		{"a text added to the data", with(map[string]string{"data.xx_fake.transfer.text": "A new rule."}), "catalogue zh-CN lacks 1 keys: data.xx_fake.transfer.text"},
		{"a text dropped from the data", without("data.gdpr.transfer.text"), "catalogue zh-CN has keys English lacks: data.gdpr.transfer.text"},
		{"a data key also in the locale files", with(map[string]string{"ui.hosting.why": "Why"}), `key "ui.hosting.why" defined twice`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := load(tc.data)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("load: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("load: got %v, want an error containing %q", err, tc.wantErr)
			}
		})
	}
}

// TestDataTextKeyed: a key computed from a regime id finds the text in the files of that regime
// (vn_pdpd's dated files, in_rbi_psd's rule in in_dpdp.json) by key, not by its English; a key
// whose English differs finds nothing.
func TestDataTextKeyed(t *testing.T) {
	cats, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	zh := cats.Get(SimplifiedChinese)
	tests := []struct {
		name, key, file string
	}{
		{"same key", "data.cn_pipl.transfer.tiers.general_1m.text", "data.cn_pipl.transfer.tiers.general_1m.text"},
		{"dated file of the regime", "data.vn_pdpd.transfer.tiers.ctia_dossier.text", "data.vn_pdpd_2026.transfer.tiers.ctia_dossier.text"},
		{"instrument's rule in another law's file", "data.in_rbi_psd.localisation.rbi_payment_data.text", "data.in_dpdp.localisation.rbi_payment_data.text"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			english, want := zh.en[tc.file], zh.msgs[tc.file]
			if english == "" || want == "" {
				t.Fatalf("catalogue lacks %s", tc.file)
			}
			if got, ok := zh.keyed(tc.key, english); !ok || got != want {
				t.Errorf("keyed(%q) = %q, %v; want %q", tc.key, got, ok, want)
			}
			if got, ok := zh.keyed(tc.key, english+" More."); ok {
				t.Errorf("keyed(%q) of another English = %q, want nothing", tc.key, got)
			}
		})
	}
	if got := policies.RegimeFiles("vn_pdpd"); strings.Join(got, ",") != "vn_pdpd_2023,vn_pdpd_2026" {
		t.Errorf("RegimeFiles(vn_pdpd) = %v", got)
	}
}

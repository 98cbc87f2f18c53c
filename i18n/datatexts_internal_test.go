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

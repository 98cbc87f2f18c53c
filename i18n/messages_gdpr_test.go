package i18n_test

import (
	"strings"
	"testing"

	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/i18n"
)

// TestMessagesGDPR renders messages of rules/gdpr: a list of countries and a list of nested
// messages (the transfer tools), and a list of alternatives (" or ", 或 in Chinese).
func TestMessagesGDPR(t *testing.T) {
	c := mustLoad(t)
	mech := func(id string) map[string]any { return map[string]any{"id": id, "params": map[string]any{}} }
	tia := &assessments.Message{ID: "gdpr.transfer_tia", Params: map[string]any{
		"to_country": map[string]any{"sep": ", ", "items": []any{"IN", "US"}},
		"mechanisms": map[string]any{"sep": ", ", "items": []any{mech("gdpr.mechanism.bcr"), mech("gdpr.mechanism.scc")}},
	}}
	review := &assessments.Message{ID: "gdpr.processor_return_review.gdpr", Params: map[string]any{
		"party":         "Docklands Ltd",
		"party_country": map[string]any{"sep": ", ", "items": []any{"IE"}},
		"engagers": map[string]any{"sep": "; ", "items": []any{
			map[string]any{"id": "gdpr.engager.customer", "params": map[string]any{"country": "US"}},
		}},
		"record": map[string]any{"sep": " or ", "items": []any{"a.onward_transfers", "b.onward_transfers"}},
	}}
	tests := []struct {
		name, lang string
		m          *assessments.Message
		want       string // the whole rendering, or with contains a part of it
		contains   bool
	}{
		{"tia en", i18n.English, tia, "Transfers to IN, US rely on bcr, scc.", false},
		{"tia zh", i18n.SimplifiedChinese, tia, "向印度、美国的传输依据约束性企业规则（BCR）、标准合同条款（SCC）。", false},
		{"or en", i18n.English, review, "Record it in a.onward_transfers or b.onward_transfers with its mechanism.", true},
		{"or zh", i18n.SimplifiedChinese, review, "请在 a.onward_transfers或b.onward_transfers 中记录该传输及其机制。", true},
		{"engager zh", i18n.SimplifiedChinese, review, "Docklands Ltd 是在爱尔兰设立、其处理受 GDPR 约束的受托处理者，为境外的控制者工作。它是否将数据回传给位于美国的客户，", true},
	}
	for _, tt := range tests {
		got, ok := c.Get(tt.lang).Message(tt.m)
		if !ok || (tt.contains && !strings.Contains(got, tt.want)) || (!tt.contains && got != tt.want) {
			t.Errorf("%s: got %q, %v; want %q", tt.name, got, ok, tt.want)
		}
	}
}

package i18n

import (
	"fmt"
	"sort"
	"strings"

	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/policies"
)

// Data texts (docs/messages.md, "Data texts"): the English texts a person reads in the
// jurisdiction files (policies.DataTextFields: localisation rules, transfer rules, tiers,
// exemptions, adequacy notes) reach the assessment as written, e.g. as a localisation's
// requirement or a transfer's why. Load adds them to the English catalogue under their keys
// (policies.DataTexts: data.<file id>.<path>), so every other language must translate each
// one (locales/zh-CN/data_jurisdictions.json); DataText shows the translation.

// injectDataTexts adds the jurisdiction data's English texts to the English catalogue; a key the
// locale files already define is an error (the English side is never written by hand).
func injectDataTexts(en, data map[string]string) error {
	for k, text := range data {
		if _, dup := en[k]; dup {
			return fmt.Errorf("catalogue %s: key %q defined twice (data texts are added from the jurisdiction files)", English, k)
		}
		en[k] = text
	}
	return nil
}

// dataTextIndex maps each data text's English (normalised by dataNorm) to its key; two keys
// with the same English (the same rule in two files) keep the first in key order.
func dataTextIndex(data map[string]string) map[string]string {
	keys := make([]string, 0, len(data))
	for k := range data {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make(map[string]string, len(keys))
	for _, k := range keys {
		n := dataNorm(data[k])
		if _, ok := out[n]; !ok {
			out[n] = k
		}
	}
	return out
}

// dataNorm drops surrounding space and a final full stop: the policies end a data text with
// one when they write it as a sentence (transfers.rego, sentence).
func dataNorm(s string) string {
	return strings.TrimSuffix(strings.TrimSpace(s), ".")
}

// DataText is a text of the jurisdiction data in this language: the translation of key when
// the English catalogue holds english under it (a key computed from a regime id, data.<regime>.<path>,
// also names the files of that regime: policies.RegimeFiles), else of the data text whose English
// is english (key may be ""), else english itself (a company jurisdiction file, a text composed
// around a data text). English readers always get english, as the engine wrote it.
func (l *Localizer) DataText(key, english string) string {
	if l.lang == English || english == "" {
		return english
	}
	if s, ok := l.keyed(key, english); ok {
		return s
	}
	if s, ok := l.dataJoined(english); ok {
		return s
	}
	return english
}

// keyed is the translation of the data text key whose English is english: key itself, or, for a
// key data.<regime>.<path> computed from a regime id, the same path in a file of that regime.
func (l *Localizer) keyed(key, english string) (string, bool) {
	if key == "" {
		return "", false
	}
	if l.en[key] == english {
		s, ok := l.msgs[key]
		return s, ok
	}
	regime, rest, ok := strings.Cut(strings.TrimPrefix(key, policies.DataTextPrefix), ".")
	if !ok || !strings.HasPrefix(key, policies.DataTextPrefix) {
		return "", false
	}
	for _, f := range policies.RegimeFiles(regime) {
		k := policies.DataTextPrefix + f + "." + rest
		if l.en[k] == english {
			s, ok := l.msgs[k]
			return s, ok
		}
	}
	return "", false
}

// dataJoined translates s when it is one data text, or several joined by spaces (the policies
// join the texts of the cases of one duty: a national impact assessment's why).
func (l *Localizer) dataJoined(s string) (string, bool) {
	if k, ok := l.dataByText[dataNorm(s)]; ok {
		z, ok := l.msgs[k]
		return z, ok
	}
	for i := 0; i < len(s); i++ {
		if s[i] != ' ' {
			continue
		}
		k, ok := l.dataByText[dataNorm(s[:i])]
		if !ok {
			continue
		}
		if rest, ok := l.dataJoined(s[i+1:]); ok {
			return l.msgs[k] + rest, true
		}
	}
	return "", false
}

// NationalDPIA is the name and the why of a national impact assessment in this language.
func (l *Localizer) NationalDPIA(n assessments.NationalDPIA) (name, why string) {
	return l.DataText("", n.Name), l.Render(n.WhyMsg, n.Why)
}

// IsDataText reports whether english is one of the jurisdiction data's texts.
func (l *Localizer) IsDataText(english string) bool {
	_, ok := l.dataByText[dataNorm(english)]
	return ok
}

// Requirement is a localisation rule's requirement text in this language.
func (l *Localizer) Requirement(loc assessments.Localisation) string {
	return l.DataText(policies.DataTextPrefix+loc.Regime+".localisation."+loc.Rule+".text", loc.Requirement)
}

// TransferWhy is why a transfer row has its verdict, in this language: its structured message
// when it has one the catalogue knows, else the data text it quotes (the tier, localisation
// rule, exemption or the law's transfer rule named by its basis), else the English.
func (l *Localizer) TransferWhy(t assessments.TransferEval) string {
	if s, ok := l.Message(t.WhyMsg); ok {
		return s
	}
	return l.DataText(transferKey(t), t.Why)
}

// transferKey is the data text key a transfer row's basis names ("" when none).
func transferKey(t assessments.TransferEval) string {
	base := policies.DataTextPrefix + t.Regime
	kind, id, _ := strings.Cut(t.Basis, ":")
	switch kind {
	case "tier":
		return base + ".transfer.tiers." + id + ".text"
	case "localisation":
		return base + ".localisation." + id + ".text"
	case "exemption":
		return base + ".transfer.exemptions." + id + ".text"
	case "default", "restricted_country":
		return base + ".transfer.text"
	}
	return ""
}

// DPIAListHit is the supervisory authority and the items of a DPIA list hit in this language
// (data texts of dpia_lists.json: policies.DPIAListTextFields). The items of a two_or_more hit
// (h.Item "a + b", h.Text "text a; text b") are translated one by one and joined.
func (l *Localizer) DPIAListHit(h assessments.DPIAListHit) (authority, items string) {
	authority = l.DataText(policies.DPIAListTextKey(h.List, "")+"authority", h.Authority)
	if l.lang == English {
		return authority, h.Text
	}
	ids := strings.Split(h.Item, " + ")
	en, zh := make([]string, len(ids)), make([]string, len(ids))
	for i, id := range ids {
		k := policies.DPIAListTextKey(h.List, id)
		en[i] = l.en[k]
		zh[i] = l.DataText(k, en[i])
	}
	if strings.Join(en, "; ") != h.Text {
		// A company list file (--policies) or a text the data no longer holds.
		return authority, l.DataText("", h.Text)
	}
	sep := "; "
	if s, ok := listSeps[sep]; ok {
		sep = s
	}
	return authority, strings.Join(zh, sep)
}

// LocalisationProblems are a localisation entry's problems in this language: each its message
// (problems_msg, in the same order) where the entry has them, else the English text.
func (l *Localizer) LocalisationProblems(loc assessments.Localisation) []string {
	out := make([]string, len(loc.Problems))
	for i, p := range loc.Problems {
		var m *assessments.Message
		if len(loc.ProblemsMsg) == len(loc.Problems) {
			m = &loc.ProblemsMsg[i]
		}
		out[i] = l.Render(m, p)
	}
	return out
}

package i18n

import (
	"strconv"

	"github.com/piaflow/piaflow/assessments"
)

// The hosting check's texts: the CLI and the web page render its answer with these.

// Mechanism names a transfer mechanism as the law names its own instrument (the CAC standard
// contract under PIPL, the IDTA under the UK GDPR): mechanism.<regime>.<value>, else the
// generic name enum.mechanism.<value>.
func (l *Localizer) Mechanism(regime, value string) string {
	return l.Or("mechanism."+regime+"."+value, l.Or("enum.mechanism."+value, value))
}

// Filing says what a law's answer needs from the regulator ("" when nothing).
func (l *Localizer) Filing(ra assessments.RegimeAnswer) string {
	switch {
	case ra.Filing == "":
		return ""
	case ra.FilingWithinDays > 0:
		return l.T("ui.hosting.filing.within", "days", strconv.Itoa(ra.FilingWithinDays))
	default:
		return l.T("ui.hosting.filing." + ra.Filing)
	}
}

// Band words a band of the number of people with the law's boundary word ("under 100,000
// people", "more than 10,000 people").
func (l *Localizer) Band(b assessments.HostingBand) string {
	switch b.Kind {
	case "under":
		return l.T("ui.hosting.band.under", "n", assessments.Thousands(*b.To+1))
	case "at_most":
		return l.T("ui.hosting.band.at_most", "n", assessments.Thousands(*b.To))
	case "more_than":
		return l.T("ui.hosting.band.more_than", "n", assessments.Thousands(b.From-1))
	case "or_more":
		return l.T("ui.hosting.band.or_more", "n", assessments.Thousands(b.From))
	case "range":
		return l.T("ui.hosting.band.range", "from", assessments.Thousands(b.From), "to", assessments.Thousands(*b.To))
	}
	return b.Label
}

// Note renders one assumption of the hosting check: its message where it has one, else
// ui.hosting.note.<id> with its parameters (the English text the check wrote when the catalogue
// does not know the id).
func (l *Localizer) Note(n assessments.HostingNote) string {
	if s, ok := l.Message(n.Msg); ok {
		return s
	}
	key := "ui.hosting.note." + n.ID
	if !l.Has(key) {
		return n.Text
	}
	args := make([]string, 0, 2*len(n.Params))
	for k, v := range n.Params {
		args = append(args, k, v)
	}
	return l.T(key, args...)
}

// HostingReasons are the reasons of an outcome in this language: each of Reasons rendered from
// its message in ReasonMsgs, or as written where there is none.
func (l *Localizer) HostingReasons(o assessments.HostingOutcome) []string {
	out := make([]string, len(o.Reasons))
	for i, r := range o.Reasons {
		var m *assessments.Message
		if i < len(o.ReasonMsgs) {
			m = o.ReasonMsgs[i]
		}
		out[i] = l.Render(m, r)
	}
	return out
}

// HostingReason is why a law gives its answer, in this language (ReasonMsg rendered, else
// Reason as written).
func (l *Localizer) HostingReason(ra assessments.RegimeAnswer) string {
	return l.Render(ra.ReasonMsg, ra.Reason)
}

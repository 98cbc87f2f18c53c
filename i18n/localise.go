package i18n

import (
	"strings"

	"github.com/piaflow/piaflow/assessments"
)

// Localised copies of the engine's answers, for the JSON API's ?lang= (docs/api.md,
// "Languages"). Each function returns a copy whose human texts (titles, details, actions, every
// "why", regime names, the hosting check's mechanism names, bands and assumptions) are in this
// language; ids, keys, codes, verdicts, the *_msg objects and citations stay as they are, so a
// client can still render any other language itself. The value given is never changed: an
// assessment may be shared by a cache or stored. In English the value itself is returned: the
// engine writes English.

// ParseLang reads the value of a ?lang= parameter: one of Languages(), compared without regard to
// case ("zh-cn" is zh-CN). ok is false for any other value, a Chinese variant or an
// Accept-Language list included: the parameter names one language exactly, Accept-Language
// negotiates.
func ParseLang(v string) (lang string, ok bool) {
	for _, l := range Languages() {
		if strings.EqualFold(v, l) {
			return l, true
		}
	}
	return "", false
}

// LanguageList is the supported languages as a problem message lists them ("en, zh-CN").
func LanguageList() string { return strings.Join(Languages(), ", ") }

// RegimeName is a regime's full name in this language ("regime.<id>", else "law.<id>"), or
// fallback (the name the policies wrote) for a regime the catalogue does not know.
func (l *Localizer) RegimeName(id, fallback string) string {
	return l.Or("regime."+id, l.Or("law."+id, fallback))
}

// LocaliseFinding is f with its title, detail and action in this language (a copy: f is a
// value and only its strings change).
func (l *Localizer) LocaliseFinding(f assessments.Finding) assessments.Finding {
	if l.lang == English {
		return f
	}
	f.Title, f.Detail, f.Action.Title = l.FindingTitle(f), l.FindingDetail(f), l.ActionTitle(f)
	return f
}

// LocaliseFindings is LocaliseFinding of each finding, in a new slice (nil stays nil).
func (l *Localizer) LocaliseFindings(fs []assessments.Finding) []assessments.Finding {
	if fs == nil || l.lang == English {
		return fs
	}
	out := make([]assessments.Finding, len(fs))
	for i, f := range fs {
		out[i] = l.LocaliseFinding(f)
	}
	return out
}

// LocaliseAssessment is a copy of a with its texts in this language, rendered as the web page
// and the reports render them: findings (LocaliseFinding), regime names (RegimeName) and every
// "why" of the regimes, the DPIA screening (criteria, Art. 35(3) cases, national assessments
// with their names, the authorities and items of the supervisory authorities' lists:
// DPIAListHit), the transfers (TransferWhy) and the risks, the localisation requirements and
// problems, and the names of sector instruments. Texts without a message or catalogue entry
// stay English (company rules). nil gives nil; in English a itself.
func (l *Localizer) LocaliseAssessment(a *assessments.Assessment) *assessments.Assessment {
	if a == nil || l.lang == English {
		return a
	}
	out := *a
	out.Regimes = mapSlice(a.Regimes, func(r assessments.Regime) assessments.Regime {
		r.Name, r.Why = l.RegimeName(r.ID, r.Name), l.Render(r.WhyMsg, r.Why)
		return r
	})
	out.DPIA.Why = l.Render(a.DPIA.WhyMsg, a.DPIA.Why)
	out.DPIA.Criteria = mapSlice(a.DPIA.Criteria, func(c assessments.DPIACriterion) assessments.DPIACriterion {
		c.Why = l.Render(c.WhyMsg, c.Why)
		return c
	})
	out.DPIA.Art35_3 = mapSlice(a.DPIA.Art35_3, func(c assessments.Art35Case) assessments.Art35Case {
		c.Why = l.Render(c.WhyMsg, c.Why)
		return c
	})
	out.DPIA.National = mapSlice(a.DPIA.National, func(n assessments.NationalDPIA) assessments.NationalDPIA {
		n.Name, n.Why = l.NationalDPIA(n)
		return n
	})
	out.DPIA.Lists = mapSlice(a.DPIA.Lists, func(h assessments.DPIAListHit) assessments.DPIAListHit {
		h.Authority, h.Text = l.DPIAListHit(h)
		return h
	})
	out.Findings = l.LocaliseFindings(a.Findings)
	out.Transfers = mapSlice(a.Transfers, func(t assessments.TransferEval) assessments.TransferEval {
		t.Why = l.TransferWhy(t)
		return t
	})
	out.Localisation = mapSlice(a.Localisation, func(x assessments.Localisation) assessments.Localisation {
		x.Requirement, x.Problems = l.Requirement(x), l.LocalisationProblems(x)
		if x.Instrument != nil {
			inst := *x.Instrument
			inst.Name = l.RegimeName(inst.Regime, inst.Name)
			x.Instrument = &inst
		}
		return x
	})
	out.Risks = mapSlice(a.Risks, func(r assessments.Risk) assessments.Risk {
		r.Why = l.Render(r.WhyMsg, r.Why)
		return r
	})
	return &out
}

// LocaliseDiff is d with its added, resolved and changed findings in this language (a copy).
func (l *Localizer) LocaliseDiff(d assessments.Diff) assessments.Diff {
	if l.lang == English {
		return d
	}
	d.Added, d.Resolved, d.Changed = l.LocaliseFindings(d.Added), l.LocaliseFindings(d.Resolved), l.LocaliseFindings(d.Changed)
	return d
}

// LocaliseHosting is a copy of a hosting check's answer with its texts in this language: each
// law's mechanisms by the law's own name (Mechanism) and its reason (HostingReason), the reasons
// of each answer (HostingReasons), the bands (Band), the assumptions (Note) and the findings
// (LocaliseFinding). A reason whose rule wrote no message (a localisation requirement, a
// transfer row not converted) stays English. nil gives nil; in English r itself.
func (l *Localizer) LocaliseHosting(r *assessments.HostingResult) *assessments.HostingResult {
	if r == nil || l.lang == English {
		return r
	}
	out := *r
	out.Answers = mapSlice(r.Answers, func(a assessments.HostingAnswer) assessments.HostingAnswer {
		a.HostingOutcome = l.localiseOutcome(a.HostingOutcome)
		a.Bands = mapSlice(a.Bands, func(b assessments.HostingBand) assessments.HostingBand {
			b.Label = l.Band(b)
			b.HostingOutcome = l.localiseOutcome(b.HostingOutcome)
			return b
		})
		return a
	})
	out.Assumptions = mapSlice(r.Assumptions, func(n assessments.HostingNote) assessments.HostingNote {
		n.Text = l.Note(n)
		return n
	})
	out.Findings = l.LocaliseFindings(r.Findings)
	return &out
}

// localiseOutcome names each law's mechanisms and gives the reasons in this language (a copy of
// the slices it changes).
func (l *Localizer) localiseOutcome(o assessments.HostingOutcome) assessments.HostingOutcome {
	if o.Reasons != nil {
		o.Reasons = l.HostingReasons(o)
	}
	o.ByRegime = mapSlice(o.ByRegime, func(ra assessments.RegimeAnswer) assessments.RegimeAnswer {
		ra.Reason = l.HostingReason(ra)
		ra.Mechanisms = mapSlice(ra.Mechanisms, func(m assessments.MechanismOption) assessments.MechanismOption {
			m.Label = l.Mechanism(ra.Regime, m.Value)
			return m
		})
		return ra
	})
	return o
}

// mapSlice is a new slice of f of each element of s; nil stays nil, so that JSON keeps null.
func mapSlice[T any](s []T, f func(T) T) []T {
	if s == nil {
		return nil
	}
	out := make([]T, len(s))
	for i, x := range s {
		out[i] = f(x)
	}
	return out
}

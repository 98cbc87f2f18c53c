package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/piaflow/piaflow/assessments"
)

var severities = []string{"blocker", "high", "medium", "low", "info"}

// writeText prints an assessment for a person reading a terminal.
func writeText(w io.Writer, q *assessments.Questionnaire, a *assessments.Assessment) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	p("%s — %s\n", q.Deployment.Name, q.Deployment.Customer)
	p("Verdict: %s   (%d blocker, %d high, %d medium, %d low, %d info)\n", strings.ToUpper(a.Verdict),
		a.Summary.Blocker, a.Summary.High, a.Summary.Medium, a.Summary.Low, a.Summary.Info)
	p("Law as of %s · policies %s (%s)\n", a.AsOf, a.PolicyVersion, short(a.PolicyDigest))

	p("\nAPPLICABLE REGIMES\n")
	if len(a.Regimes) == 0 {
		p("  none of the laws piaflow knows applies\n")
	}
	for _, r := range a.Regimes {
		p("  %-10s %s\n", r.ID, r.Name)
		p("             why: %s\n", r.Why)
	}

	if a.DPIA.Required {
		p("\nDPIA: required (WP248 screening: %s)\n", a.DPIA.Level)
	} else {
		p("\nDPIA: not required by an applicable law (WP248 screening: %s)\n", a.DPIA.Level)
	}
	p("  %s\n", a.DPIA.Why)
	for _, c := range a.DPIA.Art35_3 {
		p("  Art. 35(3)(%s) %s: %s\n", c.Case, c.Activity, c.Why)
	}
	for _, c := range a.DPIA.Criteria {
		p("  - %-22s %s: %s\n", c.ID, c.Activity, c.Why)
	}
	for _, n := range a.DPIA.National {
		p("  %s (%s): %s [%s]\n", n.Name, n.Regime, n.Why, n.Citation.Ref)
	}

	p("\nFINDINGS (%d)\n", len(a.Findings))
	for _, sev := range severities {
		first := true
		for _, f := range a.Findings {
			if f.Severity != sev {
				continue
			}
			if first {
				p("\n  %s\n", strings.ToUpper(sev))
				first = false
			}
			p("  [%s] %s — %s\n", f.Kind, f.ID, f.Title)
			p("      %s\n", f.Detail)
			p("      cites: %s  %s\n", f.Citation.Ref, f.Citation.URL)
			p("      fields: %s\n", strings.Join(f.Fields, ", "))
			due := ""
			if f.Action.Due != "" {
				due = ", due " + f.Action.Due
			}
			p("      action (%s%s): %s\n", f.Action.Owner, due, f.Action.Title)
		}
	}

	if len(a.Transfers) > 0 {
		p("\nTRANSFERS\n")
		p("  %-4s %-4s %-10s %-22s %-4s %-16s %s\n", "FROM", "TO", "REGIME", "VERDICT", "OK", "MECHANISM", "ACTIVITY / VIA")
		for _, t := range a.Transfers {
			p("  %-4s %-4s %-10s %-22s %-4s %-16s %s / %s\n", t.From, t.To, t.Regime, t.Verdict, yesNo(t.Satisfied), t.Mechanism, t.Activity, t.Via)
		}
	}
	if len(a.Localisation) > 0 {
		p("\nLOCALISATION\n")
		for _, l := range a.Localisation {
			state := "met"
			if !l.Satisfied {
				state = "NOT MET: " + strings.Join(l.Problems, "; ")
			}
			p("  %s %s (%s): %s — %s [%s]\n", l.Country, l.Regime, l.Type, l.Requirement, state, l.Citation.Ref)
		}
	}
	p("\nRISKS (CNIL method; severity × likelihood, 1-4; after actions)\n")
	for _, r := range a.Risks {
		p("  %-22s %d × %d  →  %d × %d   %s\n", r.ID, r.Severity, r.Likelihood, r.ResidualSeverity, r.ResidualLikelihood, r.Why)
	}
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func short(digest string) string {
	if len(digest) > 19 {
		return digest[:19]
	}
	return digest
}

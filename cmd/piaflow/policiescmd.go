package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"

	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/policies"
)

func cmdPolicies(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return usagef("policies needs a subcommand: list, test, explain RULE_ID or profile FILE")
	}
	fs := newFlags("policies "+args[0], stdout)
	dir := fs.String("policies", "", "directory of company rules added to the embedded library")
	format := fs.String("format", "text", "output format: text or json")
	run := fs.String("run", "", "with test: only tests whose name matches this regular expression")
	top := fs.Int("top", 25, "with profile: how many expressions to list")
	asOf := fs.String("as-of", "", "with profile: apply the law in force on this date (YYYY-MM-DD)")
	uncertain := fs.Bool("uncertain", false, "with list: the rules and data entries a lawyer must still confirm (a confirm field or METADATA custom.confirm, a citation marked secondary, or a text that says so), by file and JSON path")
	timeout := evalTimeoutFlag(fs)
	pos, err := parseFlags(fs, args[1:])
	if err != nil {
		return err
	}
	e, err := loadEngine(ctx, *dir)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	switch args[0] {
	case "list":
		if *uncertain {
			return listUncertain(e, *format, stdout)
		}
		if *format == "json" {
			return enc.Encode(e.Rules())
		}
		fmt.Fprintf(stdout, "policies %s (%s), %d finding rules\n\n", e.Version(), e.Digest(), len(e.Rules()))
		for _, r := range e.Rules() {
			fmt.Fprintf(stdout, "%-40s %-8s %-13s %-12s %s\n", r.ID, r.Severity, r.Kind, r.Regime, r.Title)
		}
		return nil
	case "explain":
		if len(pos) != 1 {
			return usagef("policies explain needs one RULE_ID (see 'piaflow policies list')")
		}
		r, ok := e.Rule(pos[0])
		if !ok {
			return usagef("no rule %q (see 'piaflow policies list')", pos[0])
		}
		if *format == "json" {
			return enc.Encode(r)
		}
		fmt.Fprintf(stdout, "%s — %s\n\n%s\n\n", r.ID, r.Title, r.Description)
		fmt.Fprintf(stdout, "regime:   %s\nkind:     %s\nseverity: %s\ncites:    %s  %s\naction:   %s (owner: %s)\nrule:     %s (%s)\n",
			r.Regime, r.Kind, r.Severity, r.Ref, r.URL, r.Action, r.Owner, r.Package, r.Location)
		if r.Generic {
			fmt.Fprintln(stdout, "\nThis rule runs for every applicable jurisdiction (policies/data/jurisdictions); <REGIME> is the regime id in upper case, e.g. CN-PIPL.")
		}
		return nil
	case "profile":
		if len(pos) != 1 {
			return usagef("policies profile needs one questionnaire file")
		}
		day, err := parseAsOf(*asOf)
		if err != nil {
			return err
		}
		q, err := readQuestionnaire(nil, pos[0])
		if err != nil {
			return err
		}
		lines, files, err := assessments.NewEvaluator(e, assessments.WithTimeout(*timeout)).Profile(ctx, q, day, *top)
		if err != nil {
			return err
		}
		if *format == "json" {
			return enc.Encode(map[string]any{"expressions": lines, "files_ns": files})
		}
		names := make([]string, 0, len(files))
		for f := range files {
			names = append(names, f)
		}
		sort.Slice(names, func(i, j int) bool { return files[names[i]] > files[names[j]] })
		fmt.Fprintln(stdout, "traced time per policy file (tracing multiplies the cost; compare, do not add up):")
		for _, f := range names {
			fmt.Fprintf(stdout, "  %8.2f ms  %s\n", float64(files[f])/1e6, f)
		}
		fmt.Fprintf(stdout, "\ncostliest expressions:\n")
		for _, l := range lines {
			fmt.Fprintf(stdout, "  %8.2f ms  %6d evals  %s\n", float64(l.TimeNs)/1e6, l.Evals, l.Location)
		}
		return nil
	case "test":
		if _, err := regexp.Compile(*run); err != nil {
			return usagef("--run: %v", err)
		}
		rep, err := e.RunTests(ctx, *run)
		if err != nil {
			return err
		}
		if *format == "json" {
			if err := enc.Encode(rep); err != nil {
				return err
			}
		} else {
			for _, t := range rep.Results {
				state := "PASS"
				if !t.Passed {
					state = "FAIL"
				}
				fmt.Fprintf(stdout, "%s %s", state, t.Name)
				if t.Message != "" && !t.Passed {
					fmt.Fprintf(stdout, ": %s", t.Message)
				}
				fmt.Fprintln(stdout)
			}
			files := make([]string, 0, len(rep.FileCoverage))
			for f := range rep.FileCoverage {
				files = append(files, f)
			}
			sort.Strings(files)
			fmt.Fprintln(stdout, "\ncoverage by file:")
			for _, f := range files {
				fmt.Fprintf(stdout, "  %5.1f%%  %s\n", rep.FileCoverage[f], f)
			}
			fmt.Fprintf(stdout, "\n%d passed, %d failed; rule coverage %.1f%%\n", len(rep.Results)-rep.Failed(), rep.Failed(), rep.Coverage)
		}
		if rep.Failed() > 0 {
			return failedError{fmt.Errorf("%d Rego tests failed", rep.Failed())}
		}
		return nil
	}
	return usagef("unknown policies subcommand %q: use list, test, explain or profile", strings.TrimSpace(args[0]))
}

// listUncertain prints what a lawyer must still confirm in the policy library: one entry per
// rule or data entry, with its file, line, JSON path (or rule id), marker and text.
func listUncertain(e *policies.Engine, format string, stdout io.Writer) error {
	entries, err := e.Uncertain()
	if err != nil {
		return err
	}
	if format == "json" {
		if entries == nil {
			entries = []policies.Uncertain{}
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(entries)
	}
	counts := map[string]int{}
	for _, u := range entries {
		counts[u.Marker]++
		fmt.Fprintf(stdout, "%s:%d  %s %s  [%s]\n    %s\n", u.File, u.Line, u.Kind, cmp.Or(u.Path, "(file)"), u.Marker, strings.Join(strings.Fields(u.Text), " "))
	}
	fmt.Fprintf(stdout, "\n%d entries to confirm: %d marked confirm, %d secondary sources, %d found in texts\n",
		len(entries), counts[policies.MarkConfirm], counts[policies.MarkSecondary], counts[policies.MarkText])
	return nil
}

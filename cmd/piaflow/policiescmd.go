package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
)

func cmdPolicies(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return usagef("policies needs a subcommand: list, test or explain RULE_ID")
	}
	fs := newFlags("policies "+args[0], stdout)
	dir := fs.String("policies", "", "directory of company rules added to the embedded library")
	format := fs.String("format", "text", "output format: text or json")
	run := fs.String("run", "", "with test: only tests whose name matches this regular expression")
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
	case "test":
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
			return fmt.Errorf("%d Rego tests failed", rep.Failed())
		}
		return nil
	}
	return usagef("unknown policies subcommand %q: use list, test or explain", strings.TrimSpace(args[0]))
}

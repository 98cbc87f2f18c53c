package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/i18n"
	"github.com/piaflow/piaflow/policies"
	"github.com/piaflow/piaflow/reports"
	"github.com/piaflow/piaflow/service"
)

// newFlags returns a flag set that reports errors as usage errors instead of exiting; -h
// prints the flags to out (stdout), a wrong flag prints them to stderr with the error.
func newFlags(name string, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	return fs
}

// parseFlags parses args, allowing flags after positional arguments.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	out := fs.Output()
	var text strings.Builder
	fs.SetOutput(&text) // what flag prints goes to stdout for -h, to stderr for an error
	defer fs.SetOutput(out)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				_, _ = io.WriteString(out, text.String())
				return nil, helpRequested{}
			}
			// flag printed the error itself before the usage; run prints it once, last.
			usage := strings.TrimPrefix(text.String(), err.Error()+"\n")
			return nil, usageError{err: err, usage: usage}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// loadEngine compiles the embedded policies, plus a company directory when given.
func loadEngine(ctx context.Context, dir string) (*policies.Engine, error) {
	if dir == "" {
		return policies.Default()
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, usagef("--policies %s: not a directory", dir)
	}
	e, err := policies.New(ctx, policies.Options{ExtraDir: dir})
	if err != nil {
		return nil, usageError{err: err}
	}
	return e, nil
}

// parseAsOf reads --as-of (assessments.ParseAsOf: "" is today, dates before 1970 are refused).
func parseAsOf(s string) (time.Time, error) {
	t, err := assessments.ParseAsOf(s)
	if err != nil {
		return time.Time{}, usagef("--as-of: %w", err)
	}
	return t, nil
}

// evalTimeoutFlag adds --eval-timeout, the deadline of one evaluation, to fs.
func evalTimeoutFlag(fs *flag.FlagSet) *time.Duration {
	return fs.Duration("eval-timeout", piaflow.DefaultEvalTimeout, "stop an evaluation that runs longer than this (exit 3)")
}

// readQuestionnaire reads and validates a questionnaire file ("-" is standard input); its
// problems are a usage error in l's language (nil: English).
func readQuestionnaire(l *i18n.Localizer, path string) (*assessments.Questionnaire, error) {
	var b []byte
	var err error
	if path == "-" {
		b, err = io.ReadAll(os.Stdin)
	} else {
		b, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, usagef("read questionnaire: %w", err)
	}
	q, err := assessments.Parse(b)
	if err != nil {
		return nil, invalidInput(l, path, err)
	}
	return q, nil
}

func cmdAssess(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("assess", stdout)
	pf := addProductFlags(fs)
	format := fs.String("format", "text", "output format: text or json")
	failOn := fs.String("fail-on", "blocker", "exit 1 when a finding is at or above this severity: blocker, high, medium, low, info or none")
	dir := fs.String("policies", "", "directory of company rules (Rego and data) added to the embedded library")
	asOf := fs.String("as-of", "", "apply the law in force on this date (YYYY-MM-DD; default today)")
	pdfOut := fs.String("pdf", "", "also write the PIA report as PDF to this file")
	xlsxOut := fs.String("xlsx", "", "also write the action list as Excel to this file")
	lang := langFlag(fs, os.Getenv, "--pdf, --xlsx and the messages")
	timeout := evalTimeoutFlag(fs)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: piaflow assess FILE [flags]")
		fmt.Fprintln(fs.Output(), "       piaflow assess --product FILE [--processors FILE] SPEC [flags]")
		fs.PrintDefaults()
	}
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		if *pf.product != "" {
			return usagef("assess --product needs exactly one deployment spec file (got %d)", len(pos))
		}
		return usagef("assess needs exactly one questionnaire file (got %d)", len(pos))
	}
	if *format != "text" && *format != "json" {
		return usagef("--format %q: use text or json", *format)
	}
	threshold := 0
	if *failOn != "none" {
		threshold = assessments.SeverityRank(*failOn)
		if threshold == 0 {
			return usagef("--fail-on %q: use blocker, high, medium, low, info or none", *failOn)
		}
	}
	l, err := localizer(*lang)
	if err != nil {
		return err
	}
	day, err := parseAsOf(*asOf)
	if err != nil {
		return err
	}
	var q *assessments.Questionnaire
	switch {
	case *pf.product != "":
		c, err := compose(l, pf, pos[0], day, stderr)
		if err != nil {
			return err
		}
		q = c.Questionnaire
	case *pf.processors != "":
		return usagef("--processors needs --product")
	default:
		if q, err = readQuestionnaire(l, pos[0]); err != nil {
			return err
		}
	}
	e, err := loadEngine(ctx, *dir)
	if err != nil {
		return err
	}
	a, err := assessments.NewEvaluator(e, assessments.WithTimeout(*timeout)).Assess(ctx, q, day)
	if err != nil {
		return localized(l, err)
	}
	if err := writeReports(q, a, *pdfOut, *xlsxOut, *lang); err != nil {
		return err
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(a); err != nil {
			return fmt.Errorf("write assessment: %w", err)
		}
	} else {
		writeText(stdout, q, a)
	}
	if threshold > 0 {
		n := 0
		for _, f := range a.Findings {
			if assessments.SeverityRank(f.Severity) >= threshold {
				n++
			}
		}
		if n > 0 {
			return findingsError{n}
		}
	}
	return nil
}

// writeReports writes the offline PDF report and Excel action list when asked for. The report
// date is the assessment's date of law (as-of), so re-running gives the same files.
func writeReports(q *assessments.Questionnaire, a *assessments.Assessment, pdfPath, xlsxPath, lang string) error {
	if pdfPath == "" && xlsxPath == "" {
		return nil
	}
	d, err := service.OfflineDocument(q, a)
	if err != nil {
		return err
	}
	cats, err := i18n.Load()
	if err != nil {
		return err
	}
	write := func(path string, render func(io.Writer) error) error {
		f, err := os.Create(path)
		if err != nil {
			return usagef("write %s: %w", path, err)
		}
		if err := render(f); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		return nil
	}
	if pdfPath != "" {
		r := reports.NewRenderer(cats)
		if err := write(pdfPath, func(w io.Writer) error { return r.PDF(w, d, lang) }); err != nil {
			return err
		}
	}
	if xlsxPath != "" {
		if err := write(xlsxPath, func(w io.Writer) error { return reports.WriteXLSX(w, d, cats.Get(lang)) }); err != nil {
			return err
		}
	}
	return nil
}

func cmdValidate(args []string, stdout io.Writer) error {
	fs := newFlags("validate", stdout)
	lang := langFlag(fs, os.Getenv, "the messages")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	l, err := localizer(*lang)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("validate needs at least one questionnaire file")
	}
	var bad []string
	for _, p := range pos {
		if _, err := readQuestionnaire(l, p); err != nil {
			var ue usageError
			if !errors.As(err, &ue) {
				return err
			}
			fmt.Fprintln(stdout, err)
			bad = append(bad, p)
			continue
		}
		fmt.Fprintln(stdout, l.T("problem.cli.valid", "file", p))
	}
	if len(bad) > 0 {
		return usagef("%s", l.T("problem.cli.invalid_files", "n", strconv.Itoa(len(bad)), "total", strconv.Itoa(len(pos))))
	}
	return nil
}

func cmdSchema(args []string, stdout io.Writer) error {
	if len(args) > 0 {
		return usagef("schema takes no arguments")
	}
	b, err := assessments.JSONSchema()
	if err != nil {
		return err
	}
	_, err = stdout.Write(append(b, '\n'))
	return err
}

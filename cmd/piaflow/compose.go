package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/i18n"
)

// productFlags are the flags that make a command compose its questionnaire from a product
// profile, a processor register and a deployment spec instead of reading one (issue 15).
type productFlags struct {
	product    *string
	processors *string
}

func addProductFlags(fs *flag.FlagSet) productFlags {
	return productFlags{
		product:    fs.String("product", "", "compose the questionnaire from this product profile and the deployment spec SPEC"),
		processors: fs.String("processors", "", "processor register (a list of entries) used with --product"),
	}
}

// readInput reads a file for a command ("-" is standard input); what names the file in errors.
func readInput(what, path string) ([]byte, error) {
	var b []byte
	var err error
	if path == "-" {
		b, err = io.ReadAll(os.Stdin)
	} else {
		b, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, usagef("read %s: %w", what, err)
	}
	return b, nil
}

// inputError makes a validation error of a file a usage error naming the file (exit 2), in
// l's language (nil: English).
func inputError(l *i18n.Localizer, what, path string, err error) error {
	var ve *assessments.ValidationError
	if errors.As(err, &ve) {
		return invalidInput(l, fileLabel(l, what, path), err)
	}
	return fmt.Errorf("%s %s: %w", what, path, err)
}

// compose reads the product, the register and the spec at specPath and composes the
// deployment's questionnaire as of day; the notices (expired register items) go to stderr.
func compose(l *i18n.Localizer, pf productFlags, specPath string, day time.Time, stderr io.Writer) (*assessments.Composition, error) {
	if *pf.product == "" {
		return nil, usagef("--product is required")
	}
	if *pf.product == "-" && specPath == "-" || *pf.processors == "-" && (specPath == "-" || *pf.product == "-") {
		return nil, usagef("only one of the files can be standard input")
	}
	b, err := readInput("product", *pf.product)
	if err != nil {
		return nil, err
	}
	p, err := assessments.ParseProduct(b)
	if err != nil {
		return nil, inputError(l, "product", *pf.product, err)
	}
	var register []assessments.RegisteredProcessor
	if *pf.processors != "" {
		if b, err = readInput("processor register", *pf.processors); err != nil {
			return nil, err
		}
		if register, err = assessments.ParseProcessors(b); err != nil {
			return nil, inputError(l, "processor register", *pf.processors, err)
		}
	}
	if b, err = readInput("deployment spec", specPath); err != nil {
		return nil, err
	}
	spec, err := assessments.ParseDeploymentSpec(b)
	if err != nil {
		return nil, inputError(l, "deployment spec", specPath, err)
	}
	c, err := assessments.Compose(p, spec, assessments.RegisterOf(register), day)
	if err != nil {
		// Compose names product paths "in <product>"; the other paths are the spec's.
		return nil, inputError(l, "composing deployment spec", specPath, err)
	}
	for _, n := range c.Notices {
		fmt.Fprintf(stderr, "piaflow: notice: %s\n", n.Text)
	}
	return c, nil
}

func cmdCompose(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("compose", stdout)
	pf := addProductFlags(fs)
	format := fs.String("format", "yaml", "output format: yaml or json")
	asOf := fs.String("as-of", "", "take the register's certifications and agreements valid on this date (YYYY-MM-DD; default today)")
	provenance := fs.Bool("provenance", false, "print where each answer comes from (path → origin) instead of the questionnaire")
	lang := langFlag(fs, os.Getenv, "the messages")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: piaflow compose --product FILE [--processors FILE] SPEC [flags]")
		fs.PrintDefaults()
	}
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("compose needs exactly one deployment spec file (got %d)", len(pos))
	}
	if *format != "yaml" && *format != "json" {
		return usagef("--format %q: use yaml or json", *format)
	}
	day, err := parseAsOf(*asOf)
	if err != nil {
		return err
	}
	l, err := localizer(*lang)
	if err != nil {
		return err
	}
	c, err := compose(l, pf, pos[0], day, stderr)
	if err != nil {
		return err
	}
	if *provenance {
		return writeProvenance(stdout, c.Provenance, *format)
	}
	doc, err := json.MarshalIndent(c.Questionnaire, "", "  ")
	if err != nil {
		return fmt.Errorf("encode composed questionnaire: %w", err)
	}
	if *format == "yaml" {
		if doc, err = assessments.DocumentYAML(doc); err != nil {
			return err
		}
	} else {
		doc = append(doc, '\n')
	}
	_, err = stdout.Write(doc)
	return err
}

// writeProvenance prints every recorded path of a composed questionnaire with its origin.
func writeProvenance(w io.Writer, pv *assessments.Provenance, format string) error {
	entries := pv.Entries()
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if err := enc.Encode(entries); err != nil {
			return fmt.Errorf("write provenance: %w", err)
		}
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PATH\t\tKIND\tREF\tSOURCE PATH\tREASON")
	for _, e := range entries {
		fmt.Fprintf(tw, "%s\t→\t%s\t%s\t%s\t%s\n", e.Path, e.Origin.Kind, e.Origin.Ref, e.Origin.Path, e.Origin.Reason)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write provenance: %w", err)
	}
	return nil
}

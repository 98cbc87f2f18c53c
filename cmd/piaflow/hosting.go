package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/i18n"
)

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

func cmdHostingCheck(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("hosting-check", stdout)
	data := fs.String("data", "", "data categories, comma-separated (e.g. health,contact)")
	subjects := fs.String("subjects", "", "countries of the data subjects, comma-separated ISO codes (e.g. DE,CN)")
	host := fs.String("host", "", "hosting country (ISO code)")
	provider := fs.String("provider", "", "cloud provider (aws, azure, gcp, alibaba, huawei, tencent, oracle) instead of --host")
	region := fs.String("region", "", "cloud region name, with --provider")
	count := fs.Int("count", 0, "number of data subjects per subject country, at least 1 (default: not known, answered per threshold band)")
	sector := fs.String("sector", "", "customer sector (healthcare, finance, payments, ...; default other)")
	subjectType := fs.String("subject-type", "", "kind of data subjects (default customers)")
	customer := fs.String("customer-country", "", "where the customer is established (default: the first subject country)")
	cii := fs.Bool("cii", false, "the customer is a critical-information-infrastructure operator")
	others := fs.String("other-exports", "", "people whose data the customer already provides abroad this year outside this check, per exporting country, comma-separated COUNTRY:PEOPLE[:SENSITIVE] (e.g. CN:60000:2000); counted by the cumulative tiers (CAC Provisions 2024)")
	format := fs.String("format", "text", "output format: text or json")
	lang := fs.String("lang", i18n.English, "language of the text output: en or zh-CN")
	failOn := fs.String("fail-on", "none", "exit 1 when a country's answer is at or above: mechanism, review, approval, localise, prohibited or none")
	dir := fs.String("policies", "", "directory of company rules added to the embedded library")
	asOf := fs.String("as-of", "", "apply the law in force on this date (YYYY-MM-DD)")
	timeout := evalTimeoutFlag(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("hosting-check takes flags only (unexpected %q)", pos[0])
	}
	if *format != "text" && *format != "json" {
		return usagef("--format %q: use text or json", *format)
	}
	if !i18n.Supported(*lang) {
		return usagef("--lang %q: use %s", *lang, strings.Join(i18n.Languages(), " or "))
	}
	if _, ok := assessments.HostingFailRank(*failOn); !ok {
		return usagef("--fail-on %q: use mechanism, review, approval, localise, prohibited or none", *failOn)
	}
	if *host == "" && *provider == "" {
		return usagef("give --host COUNTRY or --provider and --region")
	}
	countSet := false
	fs.Visit(func(f *flag.Flag) { countSet = countSet || f.Name == "count" })
	if countSet && *count < 1 {
		return usagef("--count %d: give 1 or more, or leave --count out when the number is not known", *count)
	}
	day, err := parseAsOf(*asOf)
	if err != nil {
		return err
	}
	q := assessments.HostingQuery{
		Data: splitList(*data), Subjects: splitList(*subjects), Host: *host, Provider: *provider, Region: *region,
		Sector: *sector, SubjectType: *subjectType, CustomerCountry: *customer, CriticalInfrastructure: *cii, AsOf: day,
	}
	if countSet {
		q.Count = count
	}
	if q.OtherExports, err = assessments.ParseOtherExports(*others); err != nil {
		return usageError{err: err}
	}
	if len(q.Subjects) == 0 {
		return usagef("--subjects: give at least one country")
	}
	e, err := loadEngine(ctx, *dir)
	if err != nil {
		return err
	}
	res, err := assessments.NewEvaluator(e, assessments.WithTimeout(*timeout)).HostingCheck(ctx, q)
	if err != nil {
		var ve *assessments.ValidationError
		if errors.As(err, &ve) {
			return usageError{err: ve}
		}
		return err
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(res); err != nil {
			return fmt.Errorf("write hosting check: %w", err)
		}
	} else {
		cats, err := i18n.Load()
		if err != nil {
			return err
		}
		writeHostingText(stdout, cats.Get(*lang), q, res)
	}
	fails, err := res.Fails(*failOn)
	if err != nil {
		return err
	}
	if fails {
		return failedError{fmt.Errorf("an answer is at or above --fail-on %s", *failOn)}
	}
	return nil
}

// writeHostingText prints a hosting check for a person reading a terminal, in l's language.
func writeHostingText(w io.Writer, l *i18n.Localizer, q assessments.HostingQuery, res *assessments.HostingResult) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	p("%s — %s\n", l.T("ui.hosting.result", "host", res.HostCountry), strings.Join(q.Data, ", "))
	p("%s\n", l.T("ui.hosting.as_of", "date", res.AsOf, "version", res.PolicyVersion))
	for _, a := range res.Answers {
		p("\n%s: %s [%s]\n", a.Country, l.T("ui.answer."+a.Answer), a.Answer)
		if len(a.Bands) == 0 {
			writeOutcome(w, l, a.HostingOutcome, "  ")
			continue
		}
		p("  %s\n", l.T("ui.answer."+a.Answer+".help"))
		for _, b := range a.Bands {
			p("  %s: %s [%s]\n", l.Band(b), l.T("ui.answer."+b.Answer), b.Answer)
			writeOutcome(w, l, b.HostingOutcome, "    ")
		}
	}
	p("\n%s:\n", l.T("ui.hosting.assumptions"))
	for _, n := range res.Assumptions {
		p("  - %s\n", l.Note(n))
	}
}

// writeOutcome prints each law's answer: its mechanisms by their own names, filing, reason, law.
func writeOutcome(w io.Writer, l *i18n.Localizer, o assessments.HostingOutcome, indent string) {
	p := func(format string, args ...any) { fmt.Fprintf(w, indent+format, args...) }
	if len(o.ByRegime) == 0 {
		for _, r := range l.HostingReasons(o) {
			p("- %s\n", r)
		}
		return
	}
	for _, ra := range o.ByRegime {
		p("%s: %s\n", l.Law(ra.Regime), l.T("ui.answer."+ra.Answer))
		if len(ra.Mechanisms) > 0 {
			p("  %s:\n", l.T("ui.hosting.mechanisms"))
			for _, m := range ra.Mechanisms {
				p("    - %s\n", l.Mechanism(ra.Regime, m.Value))
			}
		}
		if f := l.Filing(ra); f != "" {
			p("  %s\n", f)
		}
		p("  %s: %s\n", l.T("ui.hosting.why"), l.HostingReason(ra))
		if ra.Citation.Ref != "" {
			p("  %s: %s  %s\n", l.T("ui.hosting.law"), l.CitationRef(ra.Regime, ra.Citation), l.CitationURL(ra.Citation))
		}
	}
}

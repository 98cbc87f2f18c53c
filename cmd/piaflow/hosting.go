package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/piaflow/piaflow/assessments"
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
	count := fs.Int("count", 1000, "number of data subjects per subject country")
	sector := fs.String("sector", "other", "customer sector (healthcare, finance, payments, ...)")
	subjectType := fs.String("subject-type", "customers", "kind of data subjects")
	customer := fs.String("customer-country", "", "where the customer is established (default: the first subject country)")
	cii := fs.Bool("cii", false, "the customer is a critical-information-infrastructure operator")
	format := fs.String("format", "text", "output format: text or json")
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
	if *host == "" && *provider == "" {
		return usagef("give --host COUNTRY or --provider and --region")
	}
	if *count < 1 {
		return usagef("--count must be at least 1")
	}
	day, err := parseAsOf(*asOf)
	if err != nil {
		return err
	}
	q := assessments.HostingQuery{
		Data: splitList(*data), Subjects: splitList(*subjects), Host: *host, Provider: *provider, Region: *region,
		Count: *count, Sector: *sector, SubjectType: *subjectType, CustomerCountry: *customer, CriticalInfrastructure: *cii, AsOf: day,
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
		return enc.Encode(res)
	}
	fmt.Fprintf(stdout, "Hosting in %s — %s data, law as of %s\n", res.HostCountry, strings.Join(q.Data, ", "), res.AsOf)
	for _, a := range res.Answers {
		fmt.Fprintf(stdout, "\n%s: %s\n", a.Country, strings.ToUpper(strings.ReplaceAll(a.Answer, "_", " ")))
		if len(a.Regimes) > 0 {
			fmt.Fprintf(stdout, "  laws: %s\n", strings.Join(a.Regimes, ", "))
		}
		if len(a.Mechanisms) > 0 {
			fmt.Fprintf(stdout, "  mechanisms that make it lawful: %s\n", strings.Join(a.Mechanisms, ", "))
		}
		for _, r := range a.Reasons {
			fmt.Fprintf(stdout, "  - %s\n", r)
		}
		seen := map[string]bool{}
		for _, c := range a.Citations {
			if !seen[c.Ref] {
				seen[c.Ref] = true
				fmt.Fprintf(stdout, "  cites: %s  %s\n", c.Ref, c.URL)
			}
		}
	}
	return nil
}

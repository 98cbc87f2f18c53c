package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/i18n"
	"github.com/piaflow/piaflow/service"
)

// maxAnswerBytes bounds an API answer the client reads (an impact page of 200 deployments with
// their findings stays well under it).
const maxAnswerBytes = 64 << 20

// client talks to a piaflow server's API with an API token (issue 15's push and impact commands).
type client struct {
	server, token string
	hc            *http.Client
	// lang, when not English, is sent as Accept-Language: the server's problems come back in it.
	lang string
}

// clientFlags adds --server and --token (defaults $PIAFLOW_SERVER, $PIAFLOW_TOKEN).
func clientFlags(fs *flag.FlagSet) (server, token *string) {
	return fs.String("server", os.Getenv("PIAFLOW_SERVER"), "URL of the piaflow server (default $PIAFLOW_SERVER)"),
		fs.String("token", os.Getenv("PIAFLOW_TOKEN"), "API token (default $PIAFLOW_TOKEN; piaflow admin create-token)")
}

func newClient(server, token string) (*client, error) {
	if server == "" {
		return nil, usagef("give --server URL (or set PIAFLOW_SERVER)")
	}
	if token == "" {
		return nil, usagef("give --token TOKEN (or set PIAFLOW_TOKEN)")
	}
	u, err := url.Parse(server)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, usagef("--server %q: give an http or https URL", server)
	}
	return &client{server: strings.TrimRight(server, "/"), token: token, hc: http.DefaultClient}, nil
}

// problemError is a problem+json answer: a 4xx is bad input (exit 2), a 5xx an internal error.
type problemError struct {
	status int
	detail string
	fields []problemField
	// title is the server's title, shown instead of the status's English name when the
	// problem was asked for in another language (zh: true).
	title string
	zh    bool
}

// problemField is an error of a problem+json answer: path, message and question label.
type problemField struct {
	assessments.Problem
	Label string `json:"label"`
}

func (p *problemError) Error() string {
	var b strings.Builder
	if p.zh && p.title != "" {
		fmt.Fprintf(&b, "%d %s", p.status, p.title)
	} else {
		fmt.Fprintf(&b, "%d %s", p.status, http.StatusText(p.status))
	}
	sep := ": "
	if p.zh {
		sep = "："
	}
	if p.detail != "" {
		b.WriteString(sep + p.detail)
	}
	for _, f := range p.fields {
		path := f.Path
		if p.zh && f.Label != "" {
			path += "（" + f.Label + "）"
		}
		b.WriteString("\n  " + path + sep + f.Message)
	}
	return b.String()
}

// do sends a request and decodes a 2xx answer's JSON into out; an answer of 4xx is a usage
// error (exit 2) with the problem's detail and field paths, anything else an internal one.
func (c *client) do(ctx context.Context, method, path, contentType string, body []byte, out any) (int, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.server+path, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("request %s %s: %w", method, path, err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "application/json")
	if c.lang != "" && c.lang != i18n.English {
		req.Header.Set("Accept-Language", c.lang)
	}
	if body != nil {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswerBytes))
	if err != nil {
		return resp.StatusCode, fmt.Errorf("%s %s: read the answer: %w", method, path, err)
	}
	if resp.StatusCode >= 300 {
		var p struct {
			Title  string         `json:"title"`
			Detail string         `json:"detail"`
			Errors []problemField `json:"errors"`
		}
		_ = json.Unmarshal(b, &p)
		pe := &problemError{status: resp.StatusCode, detail: p.Detail, fields: p.Errors, title: p.Title, zh: c.lang == i18n.SimplifiedChinese}
		if resp.StatusCode >= 400 && resp.StatusCode < 500 {
			return resp.StatusCode, usageError{err: pe}
		}
		return resp.StatusCode, pe
	}
	if err := json.Unmarshal(b, out); err != nil {
		return resp.StatusCode, fmt.Errorf("%s %s: the answer is not the JSON expected: %w", method, path, err)
	}
	return resp.StatusCode, nil
}

// pushCommand parses a push command's flags: exactly one FILE, the client flags and extra.
func pushCommand(name string, args []string, stdout io.Writer, extra func(*flag.FlagSet)) (*client, string, []byte, error) {
	fs := newFlags(name, stdout)
	server, token := clientFlags(fs)
	lang := langFlag(fs, os.Getenv, "the messages")
	if extra != nil {
		extra(fs)
	}
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: piaflow %s FILE [--server URL] [--token TOKEN]\n", name)
		fs.PrintDefaults()
	}
	pos, err := parseFlags(fs, args)
	if err != nil {
		return nil, "", nil, err
	}
	if len(pos) != 1 {
		return nil, "", nil, usagef("%s needs exactly one file (JSON or YAML; - for standard input)", name)
	}
	if _, err := localizer(*lang); err != nil {
		return nil, "", nil, err
	}
	c, err := newClient(*server, *token)
	if err != nil {
		return nil, "", nil, err
	}
	c.lang = *lang
	b, err := readInput(strings.TrimSuffix(name, " push"), pos[0])
	return c, pos[0], b, err
}

// cmdProduct pushes a product version: piaflow product push FILE.
func cmdProduct(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "push" {
		return usagef("product needs a subcommand: push FILE")
	}
	c, _, b, err := pushCommand("product push", args[1:], stdout, nil)
	if err != nil {
		return err
	}
	var v piaflow.ProductVersion
	status, err := c.do(ctx, http.MethodPost, "/api/v1/products", "application/yaml", b, &v)
	if err != nil {
		return err
	}
	if status == http.StatusCreated {
		fmt.Fprintf(stdout, "stored %s %s (sha256 %s)\n", v.Name, v.Version, v.Digest)
	} else {
		fmt.Fprintf(stdout, "unchanged: %s %s is stored with this profile already\n", v.Name, v.Version)
	}
	return nil
}

// cmdProcessor pushes register entries: piaflow processor push FILE.
func cmdProcessor(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "push" {
		return usagef("processor needs a subcommand: push FILE")
	}
	c, _, b, err := pushCommand("processor push", args[1:], stdout, nil)
	if err != nil {
		return err
	}
	var res struct{ Items []service.ProcessorPush }
	if _, err := c.do(ctx, http.MethodPost, "/api/v1/processors", "application/yaml", b, &res); err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PROCESSOR\tVERSION\tCHANGED\tDEPLOYMENTS")
	for _, p := range res.Items {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%d\n", p.Name, p.Number, map[bool]string{true: "yes", false: "no"}[p.Changed], p.Deployments)
	}
	return tw.Flush()
}

// cmdDeployment pushes a deployment spec: piaflow deployment push SPEC [--deployment ID].
func cmdDeployment(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "push" {
		return usagef("deployment needs a subcommand: push SPEC [--deployment ID]")
	}
	var id *uint64
	c, _, b, err := pushCommand("deployment push", args[1:], stdout, func(fs *flag.FlagSet) {
		id = fs.Uint64("deployment", 0, "id of the deployment whose spec this replaces (default: create a deployment)")
	})
	if err != nil {
		return err
	}
	method, path := http.MethodPost, "/api/v1/specs"
	if *id > 0 {
		method, path = http.MethodPut, fmt.Sprintf("/api/v1/deployments/%d/spec", *id)
	}
	var res struct {
		Deployment piaflow.Deployment `json:"deployment"`
		Assessment struct {
			ID       uint64 `json:"id"`
			Revision int    `json:"revision"`
			Verdict  string `json:"verdict"`
			Findings int    `json:"findings"`
		} `json:"assessment"`
		NewRevision bool                 `json:"new_revision"`
		Notices     []assessments.Notice `json:"notices"`
	}
	if _, err := c.do(ctx, method, path, "application/yaml", b, &res); err != nil {
		return err
	}
	for _, n := range res.Notices {
		fmt.Fprintf(stderr, "piaflow: notice: %s\n", n.Text)
	}
	rev := "a new revision"
	if !res.NewRevision {
		rev = "no new revision (the same answers)"
	}
	fmt.Fprintf(stdout, "deployment %d %s (%s): %s, %d findings; assessment %d of revision %d, %s\n", res.Deployment.ID, res.Deployment.Name,
		res.Deployment.Customer, strings.ToUpper(res.Assessment.Verdict), res.Assessment.Findings, res.Assessment.ID, res.Assessment.Revision, rev)
	return nil
}

// cmdImpact lists what a change would do: piaflow impact (--product NAME --version V |
// --product-file FILE | --processor NAME | --processor-file FILE) [--all].
func cmdImpact(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("impact", stdout)
	server, token := clientFlags(fs)
	product := fs.String("product", "", "the product whose deployments move to --version (stored)")
	version := fs.String("version", "", "the version, with --product")
	productFile := fs.String("product-file", "", "a product version as proposed (not stored)")
	processor := fs.String("processor", "", "a register entry as it stands (its deployments composed before its latest change)")
	processorFile := fs.String("processor-file", "", "a register entry as proposed (not stored)")
	all := fs.Bool("all", false, "follow the pages to the end")
	limit := fs.Int("limit", piaflow.DefaultImpactPage, fmt.Sprintf("deployments a page (1 to %d)", piaflow.MaxImpactPage))
	after := fs.Uint64("after", 0, "start after this cursor (the next a page printed)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: piaflow impact (--product NAME --version V | --product-file FILE | --processor NAME | --processor-file FILE) [--all] [--server URL] [--token TOKEN]")
		fs.PrintDefaults()
	}
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("impact takes flags only (unexpected %q)", pos[0])
	}
	given := 0
	for _, s := range []string{*product, *productFile, *processor, *processorFile} {
		if s != "" {
			given++
		}
	}
	if given != 1 {
		return usagef("give one of --product NAME --version V, --product-file FILE, --processor NAME, --processor-file FILE")
	}
	if (*product != "") != (*version != "") {
		return usagef("--product and --version go together")
	}
	if *limit < 1 || *limit > piaflow.MaxImpactPage {
		return usagef("--limit %d: give 1 to %d", *limit, piaflow.MaxImpactPage)
	}
	c, err := newClient(*server, *token)
	if err != nil {
		return err
	}
	ch := piaflow.Change{Kind: piaflow.ChangeProduct, Product: *product, Version: *version, Processor: *processor}
	switch {
	case *productFile != "":
		b, err := readInput("product", *productFile)
		if err != nil {
			return err
		}
		p, err := assessments.ParseProduct(b)
		if err != nil {
			return inputError(nil, "product", *productFile, err)
		}
		if ch.ProductDocument, err = json.Marshal(p); err != nil {
			return fmt.Errorf("encode product: %w", err)
		}
	case *processor != "" || *processorFile != "":
		ch.Kind = piaflow.ChangeProcessor
		if *processorFile != "" {
			b, err := readInput("processor", *processorFile)
			if err != nil {
				return err
			}
			e, err := assessments.ParseProcessor(b)
			if err != nil {
				return inputError(nil, "processor", *processorFile, err)
			}
			if ch.ProcessorDocument, err = json.Marshal(e); err != nil {
				return fmt.Errorf("encode processor: %w", err)
			}
		}
	}
	body, err := json.Marshal(ch)
	if err != nil {
		return fmt.Errorf("encode change: %w", err)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DEPLOYMENT\tCUSTOMER\tVERDICT\tFINDINGS")
	cursor, shown := *after, 0
	var page piaflow.Impact
	for {
		page = piaflow.Impact{}
		path := "/api/v1/impact?limit=" + strconv.Itoa(*limit) + "&after=" + strconv.FormatUint(cursor, 10)
		if _, err := c.do(ctx, http.MethodPost, path, "application/json", body, &page); err != nil {
			return err
		}
		for _, e := range page.Entries {
			writeImpactRow(tw, e)
		}
		shown += len(page.Entries)
		if page.Next == 0 || !*all {
			break
		}
		cursor = page.Next
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d of %d deployments touched listed", shown, page.Total)
	if page.Next != 0 {
		fmt.Fprintf(stdout, "; more with --all or --after %d", page.Next)
	}
	fmt.Fprintln(stdout)
	return nil
}

// writeImpactRow prints one deployment of an impact list.
func writeImpactRow(w io.Writer, e piaflow.ImpactEntry) {
	before := strings.ToUpper(e.VerdictBefore)
	if before == "" {
		before = "(none)"
	}
	if e.Error != "" {
		fmt.Fprintf(w, "%d %s\t%s\t%s → ?\t%s\n", e.DeploymentID, e.Name, e.Customer, before, e.Error)
		return
	}
	fmt.Fprintf(w, "%d %s\t%s\t%s → %s\t+%d -%d\n", e.DeploymentID, e.Name, e.Customer, before, strings.ToUpper(e.VerdictAfter), len(e.Added), len(e.Resolved))
}

// Command piaflow assesses data-flow questionnaires of customer deployments against privacy law
// (GDPR, HIPAA and national laws) with an embedded OPA policy library.
//
// Usage:
//
//	piaflow assess FILE [--format text|json] [--fail-on blocker|high|medium|low|info|none] [--policies DIR] [--as-of DATE]
//	piaflow assess --product FILE [--processors FILE] SPEC [assess flags]
//	piaflow compose --product FILE [--processors FILE] SPEC [--format yaml|json] [--provenance] [--as-of DATE]
//	piaflow validate FILE
//	piaflow hosting-check --data health,contact --subjects DE,CN --host SG [--count N] [--sector S]
//	piaflow policies list [--uncertain]|test|explain RULE_ID [--policies DIR]
//	piaflow schema
//	piaflow product push FILE | processor push FILE | deployment push SPEC [--deployment ID] [--server URL] [--token TOKEN]
//	piaflow impact (--product NAME --version V | --product-file FILE | --processor NAME | --processor-file FILE) [--all]
//	piaflow admin create-user --name alice --role admin | create-token --user alice
//
// Exit codes: 0 success (no finding at or above --fail-on), 1 findings at or above --fail-on,
// 2 bad input or usage, 3 internal error.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/piaflow/piaflow"
)

// Exit codes.
const (
	exitOK       = 0
	exitFindings = 1
	exitUsage    = 2
	exitInternal = 3
)

// usageError marks errors caused by the command line or the input (exit 2). Usage is the
// command's flag summary, printed to stderr with the error when the flags were wrong.
type usageError struct {
	err   error
	usage string
}

func (u usageError) Error() string { return u.err.Error() }
func (u usageError) Unwrap() error { return u.err }

func usagef(format string, args ...any) error { return usageError{err: fmt.Errorf(format, args...)} }

// helpRequested is returned after -h printed a command's usage (exit 0).
type helpRequested struct{}

func (helpRequested) Error() string { return "help requested" }

// failedError is returned when a check the user ran fails: Rego tests (exit 1).
type failedError struct{ err error }

func (f failedError) Error() string { return f.err.Error() }

// findingsError is returned when findings reach --fail-on (exit 1).
type findingsError struct{ n int }

func (f findingsError) Error() string {
	return fmt.Sprintf("%d findings at or above the --fail-on severity", f.n)
}

// usage is the command list; the roles come from the authorisation table.
var usage = strings.Replace(`piaflow: privacy impact assessment for software deployments

Commands:
  assess FILE          evaluate a questionnaire (JSON or YAML) and print the assessment;
                       --pdf FILE, --xlsx FILE and --lang en|zh-CN also write the reports
  assess --product FILE [--processors FILE] SPEC
                       compose the questionnaire of a deployment spec from a product profile
                       and a processor register, then evaluate it like assess FILE
  compose --product FILE [--processors FILE] SPEC
                       print the composed questionnaire (--format yaml|json); --provenance:
                       where each answer comes from (product, module, register, override)
  validate FILE        check a questionnaire and list every problem with its field path
  hosting-check        can data of people in these countries be hosted in country X?
  policies list        list the finding rules of the policy library; --uncertain: the rules
                       and data entries a lawyer must still confirm (file, JSON path, text)
  policies test        run the Rego tests of the library (and of --policies DIR)
  policies explain ID  show a rule: what it checks, its citation and action
  schema               print the questionnaire's JSON Schema
  serve                run the HTTP API (SQLite in .piaflow by default; --addr, --database-url)
  admin create-user    add a user (--name, --role ROLES) to the database
  admin create-token   issue an API token for a user (--user), printed once
  product push FILE    store a product version on a server (--server URL --token TOKEN, or
                       PIAFLOW_SERVER and PIAFLOW_TOKEN; the commands below take them too)
  processor push FILE  store processor register entries (one, or a list) on a server
  deployment push SPEC create a deployment from a deployment spec (--deployment ID: replace
                       that deployment's spec), composed and assessed by the server
  impact               what a change would do to the deployments it touches, nothing stored:
                       --product NAME --version V | --product-file FILE | --processor NAME |
                       --processor-file FILE; --all follows every page
  actions import FILE  apply an edited Excel action list (--deployment ID, --user NAME)
  version              print piaflow's version and its policy library's version and digest

Run 'piaflow COMMAND -h' for a command's flags.
Exit codes: 0 ok, 1 findings at or above --fail-on, 2 bad input or usage, 3 internal error.
`, "ROLES", strings.Join(piaflow.Roles(), "|"), 1)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes one command and returns the process exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	var err error
	switch args[0] {
	case "assess":
		err = cmdAssess(ctx, args[1:], stdout, stderr)
	case "compose":
		err = cmdCompose(args[1:], stdout, stderr)
	case "validate":
		err = cmdValidate(args[1:], stdout)
	case "hosting-check":
		err = cmdHostingCheck(ctx, args[1:], stdout)
	case "policies":
		err = cmdPolicies(ctx, args[1:], stdout)
	case "schema":
		err = cmdSchema(args[1:], stdout)
	case "admin":
		err = cmdAdmin(ctx, args[1:], stdout)
	case "actions":
		err = cmdActions(ctx, args[1:], stdout)
	case "product":
		err = cmdProduct(ctx, args[1:], stdout)
	case "processor":
		err = cmdProcessor(ctx, args[1:], stdout)
	case "deployment":
		err = cmdDeployment(ctx, args[1:], stdout, stderr)
	case "impact":
		err = cmdImpact(ctx, args[1:], stdout)
	case "serve":
		err = cmdServe(ctx, args[1:], stdout)
	case "version", "--version", "-version":
		err = cmdVersion(args[1:], stdout)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	default:
		fmt.Fprint(stderr, usage)
		fmt.Fprintf(stderr, "\npiaflow: unknown command %q\n", args[0])
		return exitUsage
	}
	var ue usageError
	var fe findingsError
	var te failedError
	switch {
	case err == nil, errors.As(err, new(helpRequested)):
		return exitOK
	case errors.As(err, &te):
		fmt.Fprintf(stderr, "piaflow: %v\n", err)
		return exitFindings
	case errors.As(err, &fe):
		fmt.Fprintf(stderr, "piaflow: %v\n", err)
		return exitFindings
	case errors.As(err, &ue):
		fmt.Fprint(stderr, ue.usage)
		fmt.Fprintf(stderr, "piaflow: %v\n", err)
		return exitUsage
	default:
		fmt.Fprintf(stderr, "piaflow: %v\n", err)
		return exitInternal
	}
}

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/assessments/store"
	"github.com/piaflow/piaflow/i18n"
	"github.com/piaflow/piaflow/reports"
	"github.com/piaflow/piaflow/service"
)

// cmdActions imports an edited action list into the database, as a user whose role applies (an
// engineer cannot accept a risk): all rows or none, every bad row listed.
func cmdActions(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "import" {
		return usagef("actions needs a subcommand: import FILE --deployment ID --user NAME")
	}
	var res piaflow.ImportResult
	fs := newFlags("actions import", stdout)
	deployment := fs.Uint64("deployment", 0, "id of the deployment whose actions the list updates")
	user := fs.String("user", "", "the user making the changes (their role decides what they may change)")
	dbURL := fs.String("database-url", "", "PostgreSQL URL (default $PIAFLOW_DATABASE_URL; empty: SQLite in the data directory)")
	dataDir := fs.String("data-dir", "", "SQLite data directory (default $PIAFLOW_DATA_DIR, else .piaflow)")
	lang := langFlag(fs, os.Getenv, "the messages")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: piaflow actions import FILE.xlsx --deployment ID --user NAME [flags]")
		fs.PrintDefaults()
	}
	pos, err := parseFlags(fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("actions import needs exactly one .xlsx file (got %d)", len(pos))
	}
	if *deployment == 0 || *user == "" {
		return usagef("actions import needs --deployment and --user")
	}
	l, err := localizer(*lang)
	if err != nil {
		return err
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return usagef("read action list: %w", err)
	}
	defer f.Close()
	edits, err := reports.ReadActionImport(f)
	if err == nil {
		err = importActions(ctx, storeConfig(*dbURL, *dataDir), *user, *deployment, edits, &res)
	}
	var ie *piaflow.ImportError
	switch {
	case errors.As(err, &ie):
		english := l.Lang() == i18n.English
		for _, p := range ie.Problems {
			if english {
				fmt.Fprintf(stdout, "%s: row %d, %s: %s\n", pos[0], p.Row, p.Column, p.Message)
				continue
			}
			msg := l.ProblemMessage(assessments.Problem{Message: p.Message, Msg: assessments.Msg{Code: p.Text, Args: p.Args}, Text: p.Msg})
			column := l.Or("xlsx.col."+strings.ToLower(p.Column), p.Column)
			fmt.Fprintln(stdout, l.T("msg.cli.import_row", "file", pos[0], "row", strconv.Itoa(p.Row), "column", column, "message", msg))
		}
		if !english {
			return usageError{err: localError{text: l.T("msg.cli.import_failed", "file", pos[0], "n", strconv.Itoa(len(ie.Problems))), err: err}}
		}
		return usagef("%s: nothing imported: %d problem(s)", pos[0], len(ie.Problems))
	case errors.Is(err, reports.ErrNotActionList):
		if why, ok := l.Message(piaflow.MessageOf(err)); ok && l.Lang() != i18n.English {
			return usageError{err: localError{text: l.T("msg.cli.not_action_list", "file", pos[0], "reason", why), err: err}}
		}
		return usagef("%s: %w", pos[0], err)
	case err != nil:
		return localized(l, err)
	}
	fmt.Fprintf(stdout, "imported %s into deployment %d: %d updated, %d commented, %d unchanged\n", pos[0], *deployment, res.Updated, res.Commented, res.Unchanged)
	return nil
}

// importActions applies the edited rows to a deployment's actions as the named user, through the
// service (which checks what the user's role may change).
func importActions(ctx context.Context, cfg store.Config, user string, deployment uint64, edits []piaflow.ActionEdit, res *piaflow.ImportResult) error {
	st, err := store.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	actor, err := st.UserByName(ctx, user)
	if errors.Is(err, piaflow.ErrNotFound) {
		return usagef("no user %q", user)
	}
	if err != nil {
		return err
	}
	// Importing records only: the service needs no evaluator.
	*res, err = service.New(st, nil).ImportActions(ctx, actor, deployment, edits)
	if errors.Is(err, piaflow.ErrNotFound) {
		return usagef("no deployment %d", deployment)
	}
	return err
}

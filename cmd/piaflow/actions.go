package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments/store"
	"github.com/piaflow/piaflow/reports"
)

// cmdActions imports an edited action list into the database, as a user whose role applies (an
// engineer cannot accept a risk): all rows or none, every bad row listed.
func cmdActions(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "import" {
		return usagef("actions needs a subcommand: import FILE --deployment ID --user NAME")
	}
	fs := newFlags("actions import", stdout)
	deployment := fs.Uint64("deployment", 0, "id of the deployment whose actions the list updates")
	user := fs.String("user", "", "the user making the changes (their role decides what they may change)")
	dbURL := fs.String("database-url", "", "PostgreSQL URL (default $PIAFLOW_DATABASE_URL; empty: SQLite in the data directory)")
	dataDir := fs.String("data-dir", "", "SQLite data directory (default $PIAFLOW_DATA_DIR, else .piaflow)")
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
	f, err := os.Open(pos[0])
	if err != nil {
		return usagef("read action list: %w", err)
	}
	defer f.Close()
	edits, err := reports.ReadActionImport(f)
	if err != nil {
		return usagef("%s: %w", pos[0], err)
	}
	st, err := store.Open(ctx, storeConfig(*dbURL, *dataDir))
	if err != nil {
		return err
	}
	defer st.Close()
	actor, err := st.UserByName(ctx, *user)
	if errors.Is(err, piaflow.ErrNotFound) {
		return usagef("no user %q", *user)
	}
	if err != nil {
		return err
	}
	res, err := st.ImportActions(ctx, actor, *deployment, func(acts []piaflow.Action, latest map[uint64]string) ([]piaflow.ActionChange, error) {
		return piaflow.PlanImport(actor, edits, acts, latest)
	})
	var ie *piaflow.ImportError
	switch {
	case errors.As(err, &ie):
		for _, p := range ie.Problems {
			fmt.Fprintf(stdout, "%s: row %d, %s: %s\n", pos[0], p.Row, p.Column, p.Message)
		}
		return usagef("%s: nothing imported: %d problem(s)", pos[0], len(ie.Problems))
	case errors.Is(err, piaflow.ErrNotFound):
		return usagef("no deployment %s", strconv.FormatUint(*deployment, 10))
	case err != nil:
		return err
	}
	fmt.Fprintf(stdout, "imported %s into deployment %d: %d updated, %d commented, %d unchanged\n", pos[0], *deployment, res.Updated, res.Commented, res.Unchanged)
	return nil
}

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments/store"
	"github.com/piaflow/piaflow/service"
)

// storeConfig reads where the data lives: flags first, then PIAFLOW_DATABASE_URL and
// PIAFLOW_DATA_DIR.
func storeConfig(databaseURL, dataDir string) store.Config {
	if databaseURL == "" {
		databaseURL = os.Getenv("PIAFLOW_DATABASE_URL")
	}
	if dataDir == "" {
		dataDir = os.Getenv("PIAFLOW_DATA_DIR")
	}
	return store.Config{DatabaseURL: databaseURL, DataDir: dataDir}
}

// cmdAdmin bootstraps users and tokens offline, against the same database the server uses.
func cmdAdmin(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return usagef("admin needs a subcommand: create-user, create-token or send-digest")
	}
	fs := newFlags("admin "+args[0], stdout)
	name := fs.String("name", "", "with create-user: the user's name")
	role := fs.String("role", "", "with create-user: "+strings.Join(piaflow.Roles(), ", "))
	user := fs.String("user", "", "with create-token: the user who will hold the token")
	label := fs.String("label", "", "with create-token: what the token is for")
	email := fs.String("email", "", "with create-user: the user's e-mail address for notifications")
	lang := fs.String("language", "", "with create-user: the language of the user's notifications (en or zh-CN)")
	mail := mailFlags(fs)
	dbURL := fs.String("database-url", "", "PostgreSQL URL (default $PIAFLOW_DATABASE_URL; empty: SQLite in the data directory)")
	dataDir := fs.String("data-dir", "", "SQLite data directory (default $PIAFLOW_DATA_DIR, else .piaflow)")
	pos, err := parseFlags(fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("admin %s takes flags only (unexpected %q)", args[0], pos[0])
	}
	switch args[0] {
	case "create-user":
		if *name == "" || *role == "" {
			return usagef("admin create-user needs --name and --role")
		}
	case "create-token":
		if *user == "" {
			return usagef("admin create-token needs --user")
		}
	case "send-digest":
		if *mail.addr == "" {
			return usagef("admin send-digest needs --smtp-addr and --smtp-from")
		}
	default:
		return usagef("unknown admin subcommand %q: use create-user, create-token or send-digest", args[0])
	}
	st, err := store.Open(ctx, storeConfig(*dbURL, *dataDir))
	if err != nil {
		return err
	}
	defer st.Close()
	if args[0] == "send-digest" {
		// For cron: the digest of due actions, once a day per user however often it runs.
		log := slog.New(slog.NewTextHandler(os.Stderr, nil))
		opt, q, err := mail.option(log)
		if err != nil {
			return err
		}
		res, err := service.New(st, nil, opt).Digest(ctx, piaflow.System, time.Now())
		q.Close() // send what is queued
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "digest: %d mails queued, %d users already sent one today\n", res.Mails, res.Skipped)
		return nil
	}
	// Offline bootstrap: the commands act as piaflow.System; the evaluator is not needed.
	svc := service.New(st, nil)
	switch args[0] {
	case "create-user":
		u, err := svc.CreateUser(ctx, piaflow.System, *name, *role)
		if errors.Is(err, piaflow.ErrConflict) {
			return usagef("user %q exists already", *name)
		}
		if errors.Is(err, piaflow.ErrInvalid) {
			return usageError{err: err}
		}
		if err != nil {
			return err
		}
		if *email != "" || *lang != "" {
			if _, err := svc.UpdateNotifications(ctx, u, piaflow.NotificationSettings{Email: email, Language: lang}); err != nil {
				if errors.Is(err, piaflow.ErrInvalid) {
					return usageError{err: err}
				}
				return err
			}
		}
		fmt.Fprintf(stdout, "created user %s (id %d, role %s)\n", u.Name, u.ID, u.Role)
	case "create-token":
		secret, t, err := svc.CreateToken(ctx, piaflow.System, *user, *label)
		if errors.Is(err, piaflow.ErrNotFound) {
			return usagef("no user %q (create it with: piaflow admin create-user --name %s --role ...)", *user, *user)
		}
		if errors.Is(err, piaflow.ErrInvalid) {
			return usageError{err: err}
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s\n", secret)
		fmt.Fprintf(os.Stderr, "token %d for %s: shown once, store it now (clients send it as Authorization: Bearer <token>)\n", t.ID, *user)
	}
	return nil
}

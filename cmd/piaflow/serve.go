package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/piaflow/piaflow/api"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/assessments/store"
	"github.com/piaflow/piaflow/policies"
	"github.com/piaflow/piaflow/service"
	"github.com/piaflow/piaflow/web"
)

// cmdServe runs the HTTP server until ctx ends (SIGINT or SIGTERM), then lets in-flight requests
// finish and closes the database.
func cmdServe(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("serve", stdout)
	addr := fs.String("addr", envOr("PIAFLOW_ADDR", "127.0.0.1:8080"), "listen address (env PIAFLOW_ADDR)")
	dbURL := fs.String("database-url", "", "PostgreSQL URL (env PIAFLOW_DATABASE_URL; empty: SQLite in the data directory)")
	dataDir := fs.String("data-dir", "", "SQLite data directory (env PIAFLOW_DATA_DIR; default .piaflow)")
	demo := fs.Bool("demo", false, "load demo data into an empty database: a user per role (tokens printed) and the example deployments, evaluated")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("serve takes flags only (unexpected %q)", pos[0])
	}
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	cfg := storeConfig(*dbURL, *dataDir)
	st, err := store.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	e, err := policies.Default()
	if err != nil {
		return err
	}
	svc := service.New(st, assessments.NewEvaluator(e))
	// The server counts every evaluation from here on, the demo seed's included.
	// One Echo instance serves the API and the web UI: one origin, one session cookie.
	server := api.New(svc, log)
	web.Register(server.Echo(), svc, log, server.Catalogs())
	handler := server.Handler()
	if *demo {
		if err := seedDemo(ctx, svc, stdout); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return usagef("listen on %s: %v", *addr, err)
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	where := "PostgreSQL"
	if st.Dialect() == "sqlite" {
		where = "SQLite in " + cmp.Or(cfg.DataDir, ".piaflow")
	}
	fmt.Fprintf(stdout, "piaflow listening on http://%s (%s, policies %s)\n", ln.Addr(), where, e.Version())
	fmt.Fprintf(stdout, "web UI: http://%s/ (sign in with an API token)\n", ln.Addr())
	if !*demo {
		fmt.Fprintf(stdout, "first admin token: piaflow admin create-user --name admin --role admin && piaflow admin create-token --user admin\n")
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	fmt.Fprintln(stdout, "piaflow stopped")
	return nil
}

// seedDemo loads the demo data (service.SeedDemo) and prints the demo users' tokens.
func seedDemo(ctx context.Context, svc *service.Service, out io.Writer) error {
	demo, err := svc.SeedDemo(ctx)
	if err != nil {
		return err
	}
	if demo.Skipped != "" {
		fmt.Fprintf(out, "demo data: %s\n", demo.Skipped)
		fmt.Fprintln(out, "demo tokens are shown only when the data is first loaded; for a new one, with the same --data-dir or --database-url:")
		fmt.Fprintln(out, "  piaflow admin create-token --user demo-engineer   (or demo-legal, demo-sales, demo-admin)")
		return nil
	}
	fmt.Fprintln(out, "demo users (tokens shown once):")
	for _, u := range demo.Users {
		fmt.Fprintf(out, "  %-14s %s\n", u.Name, u.Token)
	}
	fmt.Fprintf(out, "demo data: %d example deployments loaded and evaluated\n", demo.Deployments)
	return nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

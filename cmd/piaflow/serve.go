package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/api"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/assessments/store"
	"github.com/piaflow/piaflow/internal/lowprio"
	"github.com/piaflow/piaflow/internal/oidc"
	"github.com/piaflow/piaflow/jobs"
	"github.com/piaflow/piaflow/policies"
	"github.com/piaflow/piaflow/service"
	"github.com/piaflow/piaflow/web"
	"github.com/piaflow/piaflow/webhook"
)

// cmdServe runs the HTTP server until ctx ends (SIGINT or SIGTERM), then lets in-flight requests
// finish and closes the database.
func cmdServe(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("serve", stdout)
	addr := fs.String("addr", envOr("PIAFLOW_ADDR", "127.0.0.1:8080"), "listen address (env PIAFLOW_ADDR)")
	dbURL := fs.String("database-url", "", "PostgreSQL URL (env PIAFLOW_DATABASE_URL; empty: SQLite in the data directory)")
	dataDir := fs.String("data-dir", "", "SQLite data directory (env PIAFLOW_DATA_DIR; default .piaflow)")
	demo := fs.Bool("demo", false, "load demo data into an empty database: a user per role (tokens printed) and the example deployments, evaluated")
	evalTimeout := evalTimeoutFlag(fs)
	cpus := runtime.GOMAXPROCS(0) // the CPUs the process may use (or GOMAXPROCS from the environment)
	procs := fs.Int("go-procs", piaflow.ServeProcs(cpus), "Go scheduler threads running Go code at once (GOMAXPROCS; default: four per CPU, so that one is nearly always free to take a health check or a quick request beside the evaluations and renders; env GOMAXPROCS wins)")
	evalSlots := fs.Int("eval-slots", piaflow.ServeEvalSlots(cpus), "evaluations run at once (default: one per CPU but one, at least one); more wait up to 10s, then get 503")
	memLimit := fs.Int("memory-limit-mib", piaflow.DefaultMemoryLimitMiB, "the Go runtime's soft memory limit in MiB unless GOMEMLIMIT is set (0: none)")
	gcPercent := fs.Int("gc-percent", piaflow.DefaultGCPercent, "the garbage collector's target (GOGC) unless GOGC is set: the heap grows by this percentage of what is live before a collection (-1: off, then only the memory limit collects); the default applies only under a memory limit")
	logLevel := fs.String("log-level", "info", "the least level logged to stderr: debug (also which deployments a re-evaluation carries over, and why), info, warn or error")
	jobWorkers := fs.Int("job-workers", max(1, piaflow.ServeEvalSlots(cpus)/2), "background jobs (a propagation's re-assessments) this process works at once; they share the evaluation slots with requests (default: half of them, at least one)")
	renderSlots := fs.Int("render-slots", piaflow.ServeRenderSlots(cpus), "reports rendered at once (default: 2, one CPU left free, at least one); more requests wait, then get 503")
	workSlots := fs.Int("work-slots", piaflow.ServeWorkSlots(cpus), "requests that work at once (default: two per CPU, at least two); /healthz, /readyz and /metrics are not counted, nor requests waiting for or in an evaluation or render slot; more wait their turn (0: no limit)")
	workNice := fs.Int("work-nice", piaflow.DefaultWorkNice, "raise the nice value of the threads that evaluate questionnaires and render reports by this much (Linux; 0 to 19; 0: same priority as requests), so that health checks and quick requests get a CPU ahead of them")
	workQueue := fs.Int("work-queue", piaflow.DefaultWorkQueue, "requests that wait for a work slot at once; one more gets 503")
	workWait := fs.Duration("work-wait", piaflow.DefaultWorkWait, "how long a request waits for a work slot, then gets 503")
	cacheMiB := fs.Int("report-cache-mib", piaflow.DefaultReportCacheBytes>>20, "MiB of rendered reports kept in memory (0: none)")
	resultMiB := fs.Int("result-cache-mib", piaflow.DefaultResultCacheBytes>>20, "MiB of evaluation results kept in memory by questionnaire and date (0: none)")
	mail := mailFlags(fs)
	metricsAddr := fs.String("metrics-addr", envOr("PIAFLOW_METRICS_ADDR", ""), "serve /metrics on this address only, not on --addr (env PIAFLOW_METRICS_ADDR)")
	oidcIssuer := fs.String("oidc-issuer", envOr("PIAFLOW_OIDC_ISSUER", ""), "OpenID Connect issuer URL: offer \"Sign in with <provider>\" in the web UI (env PIAFLOW_OIDC_ISSUER; empty: token sign-in only)")
	oidcClientID := fs.String("oidc-client-id", envOr("PIAFLOW_OIDC_CLIENT_ID", ""), "OpenID Connect client id (env PIAFLOW_OIDC_CLIENT_ID)")
	oidcSecret := fs.String("oidc-client-secret", "", "OpenID Connect client secret (prefer env PIAFLOW_OIDC_CLIENT_SECRET: flags show in the process list)")
	oidcRedirect := fs.String("oidc-redirect-url", envOr("PIAFLOW_OIDC_REDIRECT_URL", ""), "OpenID Connect redirect URL registered with the provider (env PIAFLOW_OIDC_REDIRECT_URL; default http://<addr>/auth/oidc/callback)")
	oidcClaim := fs.String("oidc-roles-claim", envOr("PIAFLOW_OIDC_ROLES_CLAIM", "groups"), "ID token claim holding the groups or roles (env PIAFLOW_OIDC_ROLES_CLAIM)")
	oidcRoleMap := fs.String("oidc-role-map", envOr("PIAFLOW_OIDC_ROLE_MAP", ""), "groups or roles to piaflow roles, GROUP=ROLE,... e.g. piaflow-admins=admin,privacy=legal,eng=engineer,sales=sales (env PIAFLOW_OIDC_ROLE_MAP)")
	oidcScopes := fs.String("oidc-scopes", envOr("PIAFLOW_OIDC_SCOPES", "profile,email"), "scopes requested besides openid, comma-separated (e.g. profile,email,groups for Dex) (env PIAFLOW_OIDC_SCOPES)")
	oidcName := fs.String("oidc-name", envOr("PIAFLOW_OIDC_NAME", ""), "provider name on the sign-in button (env PIAFLOW_OIDC_NAME; default: the issuer's host)")
	defaults := service.DefaultRateLimits()
	rates := []struct {
		name string
		rate *service.Rate
	}{{"evaluate", &defaults.Evaluate}, {"reevaluate", &defaults.Reevaluate}, {"hosting-check", &defaults.HostingCheck}, {"reports", &defaults.Reports}}
	for _, r := range rates {
		fs.Var((*rateFlag)(r.rate), "rate-"+r.name, "per-user limit of "+r.name+" requests: PER_MINUTE:BURST (0: no limit)")
	}
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("serve takes flags only (unexpected %q)", pos[0])
	}
	if *renderSlots < 1 || *evalSlots < 1 || *jobWorkers < 1 || *cacheMiB < 0 || *resultMiB < 0 || *memLimit < 0 || *evalTimeout <= 0 || *gcPercent < -1 {
		return usagef("--render-slots, --eval-slots and --job-workers must be at least 1, --report-cache-mib, --result-cache-mib and --memory-limit-mib at least 0, --eval-timeout positive, --gc-percent at least -1")
	}
	// The heap is bounded when a soft memory limit is in effect: GOMEMLIMIT (unless "off"), or
	// --memory-limit-mib when GOMEMLIMIT is unset.
	envLimit := os.Getenv("GOMEMLIMIT")
	limited := (envLimit != "" && envLimit != "off") || (envLimit == "" && *memLimit > 0)
	gcGiven := false
	fs.Visit(func(f *flag.Flag) { gcGiven = gcGiven || f.Name == "gc-percent" })
	if *gcPercent == -1 && !limited && os.Getenv("GOGC") == "" {
		return usagef("--gc-percent -1 (no collection by target) needs a memory limit (--memory-limit-mib or GOMEMLIMIT): without one the heap would never be collected")
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		return usagef("--log-level %q: want debug, info, warn or error", *logLevel)
	}
	if *workSlots < 0 || *workQueue < 0 || *workWait <= 0 || *procs < 1 || *workNice < 0 || *workNice > lowprio.MaxNice {
		return usagef("--work-slots and --work-queue must be at least 0, --work-wait positive, --go-procs at least 1, --work-nice 0 to %d", lowprio.MaxNice)
	}
	if os.Getenv("GOMAXPROCS") == "" {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(*procs))
	}
	if *memLimit > 0 && os.Getenv("GOMEMLIMIT") == "" {
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(int64(*memLimit) << 20))
	}
	// The default target applies under a memory limit only: without one, garbage kept five
	// times longer would count against the evaluations' heap guard (policies.DefaultMaxHeap).
	if os.Getenv("GOGC") == "" && (limited || gcGiven) {
		defer debug.SetGCPercent(debug.SetGCPercent(*gcPercent))
	}
	log := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	var webOpts []web.Option
	if *oidcIssuer != "" {
		p, err := oidcProvider(ctx, oidcFlags{issuer: *oidcIssuer, clientID: *oidcClientID, secret: cmp.Or(os.Getenv("PIAFLOW_OIDC_CLIENT_SECRET"), *oidcSecret),
			redirect: *oidcRedirect, claim: *oidcClaim, roleMap: *oidcRoleMap, scopes: *oidcScopes, name: *oidcName, addr: *addr})
		if err != nil {
			return err
		}
		webOpts = append(webOpts, web.WithOIDC(p))
	}
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
	// Webhooks may not point at this server itself (nor at loopback or link-local addresses)
	// unless an admin allows it for the webhook.
	guard := webhook.Guard{Self: []string{*addr}}
	if *metricsAddr != "" {
		guard.Self = append(guard.Self, *metricsAddr)
	}
	mailOpt, mailQueue, err := mail.option(log)
	if err != nil {
		return err
	}
	if mailQueue != nil {
		// After the server stopped: send what is queued, for at most mailTimeout.
		defer func() {
			stop, cancel := context.WithTimeout(context.Background(), mailTimeout)
			defer cancel()
			if err := mailQueue.Shutdown(stop); err != nil {
				log.Warn("notification mail left unsent at shutdown", "err", err)
			}
		}()
	}
	background := lowprio.New(*workNice)
	svc := service.New(st, assessments.NewEvaluator(e, assessments.WithTimeout(*evalTimeout), assessments.WithSlots(*evalSlots, piaflow.DefaultEvalWait), assessments.WithResultCache(int64(*resultMiB)<<20), assessments.WithLowPriority(background)),
		service.WithRenderSlots(*renderSlots), service.WithLowPriority(background), service.WithReportCacheBytes(int64(*cacheMiB)<<20), service.WithRateLimits(defaults),
		service.WithWebhookGuard(guard), mailOpt, service.WithLogger(log))
	if mailQueue != nil {
		// The daily digest of due actions: checked now and every hour, sent once a day per
		// user (the store records the day sent, so restarts and `admin send-digest` from cron
		// send no second one), soon after midnight UTC; stops with the server.
		digestCtx, stopDigest := context.WithCancel(ctx)
		digestDone := make(chan struct{})
		go func() { defer close(digestDone); svc.RunDigests(digestCtx, time.Hour, time.Now) }()
		defer func() { stopDigest(); <-digestDone }()
	}
	// The server counts every evaluation from here on, the demo seed's included.
	var opts []api.Option
	if tok := os.Getenv("PIAFLOW_METRICS_TOKEN"); tok != "" {
		opts = append(opts, api.WithMetricsToken(tok))
	}
	if *metricsAddr != "" {
		opts = append(opts, api.WithSeparateMetrics())
	}
	if *workSlots > 0 {
		opts = append(opts, api.WithWorkSlots(*workSlots, *workQueue, *workWait))
	}
	// One Echo instance serves the API and the web UI: one origin, one session cookie.
	server := api.New(svc, log, opts...)
	web.Register(server.Echo(), svc, log, server.Catalogs(), webOpts...)
	handler := server.Handler()
	if *demo {
		if err := seedDemo(ctx, svc, stdout); err != nil {
			return err
		}
	}
	// The background jobs (propagations) in the same database; those a stopped server left
	// are worked from here on. At shutdown, after the HTTP server: running jobs get until the
	// deadline to finish, then are cancelled (and retried by the next start).
	queue, err := jobs.Open(ctx, st, svc, jobs.Config{DatabaseURL: cfg.DatabaseURL, Workers: *jobWorkers, Logger: log})
	if err != nil {
		return err
	}
	if err := queue.Start(ctx); err != nil {
		return err
	}
	defer func() {
		stop, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if err := queue.Stop(stop); err != nil {
			log.Warn("background jobs at shutdown", "err", err)
		}
	}()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return usagef("listen on %s: %v", *addr, err)
	}
	srv := httpServer(handler, *evalTimeout)
	errc := make(chan error, 2)
	var metricsSrv *http.Server
	metricsURL := "/metrics on the same address"
	if *metricsAddr != "" {
		mln, err := net.Listen("tcp", *metricsAddr)
		if err != nil {
			ln.Close()
			return usagef("listen on %s: %v", *metricsAddr, err)
		}
		metricsSrv = httpServer(server.MetricsHandler(), *evalTimeout)
		metricsURL = fmt.Sprintf("http://%s/metrics", mln.Addr())
		go func() { errc <- metricsSrv.Serve(mln) }()
	}
	where := "PostgreSQL"
	if st.Dialect() == "sqlite" {
		where = "SQLite in " + cmp.Or(cfg.DataDir, ".piaflow")
	}
	fmt.Fprintf(stdout, "piaflow listening on http://%s (%s, policies %s)\n", ln.Addr(), where, e.Version())
	how := "sign in with an API token"
	if len(webOpts) > 0 {
		how += " or with " + *oidcIssuer
	}
	fmt.Fprintf(stdout, "web UI: http://%s/ (%s)\n", ln.Addr(), how)
	fmt.Fprintf(stdout, "metrics: %s\n", metricsURL)
	if !*demo {
		fmt.Fprintf(stdout, "first admin token: piaflow admin create-user --name admin --role admin && piaflow admin create-token --user admin\n")
	}
	go func() { errc <- srv.Serve(ln) }()
	// The webhook delivery worker runs until the server stops; deliveries it has not made wait
	// in the database for the next start.
	workerCtx, stopWorker := context.WithCancel(ctx)
	defer stopWorker()
	workerDone := make(chan struct{})
	go func() {
		defer close(workerDone)
		webhook.NewWorker(st, guard, log).Run(workerCtx)
	}()
	defer func() { stopWorker(); <-workerDone }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	servers := []*http.Server{srv}
	if metricsSrv != nil {
		servers = append(servers, metricsSrv)
	}
	for _, s := range servers {
		if err := s.Shutdown(shutdown); err != nil {
			return fmt.Errorf("shut down: %w", err)
		}
	}
	for range servers {
		if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("serve: %w", err)
		}
	}
	fmt.Fprintln(stdout, "piaflow stopped")
	return nil
}

// httpServer is the HTTP server of handler. Its write timeout outlasts an evaluation (the wait
// for a slot, then the deadline) and a report's wait for a render slot (a re-evaluation runs
// as background jobs: its request returns at once), so that a client is answered — with the result or with 503 — rather than dropped while the
// server still works for it.
func httpServer(handler http.Handler, evalTimeout time.Duration) *http.Server {
	return &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      max(piaflow.DefaultRenderWait, piaflow.DefaultEvalWait+evalTimeout) + 30*time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
}

// rateFlag reads a service.Rate as PER_MINUTE:BURST (or PER_MINUTE, with a burst of a sixth of
// it; 0 turns the limit off).
type rateFlag service.Rate

func (r *rateFlag) String() string {
	if r == nil || r.PerMinute == 0 {
		return "0"
	}
	return fmt.Sprintf("%d:%d", r.PerMinute, r.Burst)
}

func (r *rateFlag) Set(v string) error {
	perMinute, burst, hasBurst := strings.Cut(v, ":")
	n, err := strconv.Atoi(perMinute)
	if err != nil || n < 0 {
		return fmt.Errorf("%q is not PER_MINUTE:BURST (two whole numbers, or 0 for no limit)", v)
	}
	b := max(n/6, 1)
	if hasBurst {
		if b, err = strconv.Atoi(burst); err != nil || b < 1 {
			return fmt.Errorf("%q is not PER_MINUTE:BURST (the burst at least 1)", v)
		}
	}
	*r = rateFlag{PerMinute: n, Burst: b}
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

// oidcFlags are the --oidc-* flags.
type oidcFlags struct {
	issuer, clientID, secret, redirect, claim, roleMap, scopes, name, addr string
}

// oidcProvider discovers the OpenID provider the flags configure (bounded by
// oidc.DiscoveryTimeout).
func oidcProvider(ctx context.Context, f oidcFlags) (*oidc.Provider, error) {
	if f.clientID == "" || f.roleMap == "" {
		return nil, usagef("--oidc-issuer needs --oidc-client-id and --oidc-role-map")
	}
	roles, err := oidc.ParseRoleMap(f.roleMap)
	if err != nil {
		return nil, usagef("--oidc-role-map: %v", err)
	}
	redirect := f.redirect
	if redirect == "" {
		redirect = "http://" + f.addr + "/auth/oidc/callback"
	}
	var scopes []string
	for _, sc := range strings.Split(f.scopes, ",") {
		if sc = strings.TrimSpace(sc); sc != "" && sc != "openid" {
			scopes = append(scopes, sc)
		}
	}
	p, err := oidc.New(ctx, oidc.Config{Issuer: f.issuer, ClientID: f.clientID, ClientSecret: f.secret, RedirectURL: redirect,
		RolesClaim: f.claim, RoleMap: roles, Scopes: scopes, Name: f.name}, nil)
	if err != nil {
		return nil, fmt.Errorf("serve: %w (check --oidc-issuer and that the provider is reachable)", err)
	}
	return p, nil
}

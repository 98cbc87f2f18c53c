package load

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/assessments/store/storetest"
	"github.com/piaflow/piaflow/examples"
	"github.com/piaflow/piaflow/policies"
)

var (
	flagDuration = flag.Duration("load.duration", 3*time.Second, "how long the clients send requests (requests under way then finish)")
	flagLarge    = flag.Bool("load.large", false, "send the largest inputs the server accepts (evaluations then run up to the deadline)")
	flagClients  = flag.Int("load.clients", 16, "concurrent clients, each its own user")
	flagServe    = flag.String("load.serve", "", "more flags for piaflow serve, space-separated (e.g. \"--rate-evaluate 0\")")
	flagEnv      = flag.String("load.env", "", "more environment for piaflow serve, space-separated NAME=VALUE (e.g. GOMAXPROCS=4)")
)

// probeEnv names the server a test binary started as the prober probes (TestProbe).
const probeEnv = "PIAFLOW_LOAD_PROBE_URL"

// overloadedType is the problem type of a 503 from the server's admission control (api.OverloadedType,
// not imported: the load test talks to the binary over HTTP only).
const overloadedType = "https://piaflow.dev/problems/overloaded"

// TestLoad runs the load against a real server on SQLite and, when the test script started one,
// PostgreSQL. It fails on a 5xx answer other than a documented 503 and on transport errors
// (a dropped connection); it reports, and does not judge, the times and the memory.
func TestLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the load test builds and starts the server")
	}
	bin := buildPiaflow(t)
	for _, dialect := range storetest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			srv := startServer(t, bin, dialect)
			fx := setUp(t, srv)
			res := runLoad(srv, fx, *flagClients, *flagDuration)
			t.Logf("%s, %d clients, %s, large inputs %v, serve flags %q\n%s", dialect, *flagClients, *flagDuration, *flagLarge, *flagServe, res)
			if res.bad5xx > 0 || res.transport > 0 {
				t.Errorf("%d answers 5xx other than a documented 503, %d transport errors (server log: %s)", res.bad5xx, res.transport, srv.log)
			}
		})
	}
}

// buildPiaflow builds the binary under test.
func buildPiaflow(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "piaflow")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/piaflow/piaflow/cmd/piaflow")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// server is a running `piaflow serve --demo`.
type server struct {
	url    string
	pid    int
	tokens map[string]string // demo users' tokens by name
	log    string            // its standard error (one JSON line per request)
}

func startServer(t *testing.T, bin, dialect string) *server {
	t.Helper()
	args := []string{"serve", "--demo", "--addr", "127.0.0.1:0"}
	if dialect == "sqlite" {
		args = append(args, "--data-dir", t.TempDir())
	} else {
		args = append(args, "--database-url", storetest.Config(t, dialect).DatabaseURL)
	}
	args = append(args, strings.Fields(*flagServe)...)
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), strings.Fields(*flagEnv)...)
	srv := &server{tokens: map[string]string{}, log: filepath.Join(t.TempDir(), "server.log")}
	logf, err := os.Create(srv.log)
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = logf
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
		logf.Close()
	})
	srv.pid = cmd.Process.Pid
	rd := bufio.NewReader(out)
	for srv.url == "" {
		line, err := rd.ReadString('\n')
		if err != nil {
			t.Fatalf("serve stopped before listening: %v (log %s)", err, srv.log)
		}
		f := strings.Fields(line)
		switch {
		case len(f) == 2 && strings.HasPrefix(f[0], "demo-"):
			srv.tokens[f[0]] = f[1]
		case strings.HasPrefix(line, "piaflow listening on "):
			srv.url = f[3]
		}
	}
	go io.Copy(io.Discard, rd)
	return srv
}

// fixture is what the clients work on: their users' tokens and roles, deployments with their
// assessments and actions, and the request bodies.
type fixture struct {
	users       []user
	deployments []uint64
	assessments []uint64 // one per deployment, same index
	actions     []uint64
	// evalTargets are the deployments clients evaluate; putTargets those they write, with the
	// questionnaire each gets.
	evalTargets []uint64
	putTargets  []putTarget
	hosting     []byte
	comment     []byte
	// importTo and importBody: an action list as downloaded, to upload again.
	importTo   uint64
	importBody []byte
}

type user struct{ name, role, token string }

type putTarget struct {
	deployment uint64
	body       []byte
}

// do sends one request and decodes a JSON answer into out (when not nil).
func (s *server) do(t *testing.T, method, path, token string, body []byte, out any) int {
	t.Helper()
	req, err := http.NewRequest(method, s.url+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("If-Match", "*")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
	}
	return resp.StatusCode
}

// roleOf gives the clients' users their roles: of every 8, 5 engineers, 2 legal, 1 sales.
func roleOf(i int) string {
	switch i % 8 {
	case 2, 7:
		return piaflow.RoleLegal
	case 5:
		return piaflow.RoleSales
	}
	return piaflow.RoleEngineer
}

func setUp(t *testing.T, s *server) *fixture {
	t.Helper()
	admin := s.tokens["demo-admin"]
	fx := &fixture{}
	for i := range *flagClients {
		u := user{name: fmt.Sprintf("load-%02d", i), role: roleOf(i)}
		s.do(t, "POST", "/api/v1/users", admin, fmt.Appendf(nil, `{"name":%q,"role":%q}`, u.name, u.role), nil)
		var tok struct{ Token string }
		s.do(t, "POST", "/api/v1/users/"+u.name+"/tokens", admin, []byte(`{"label":"load"}`), &tok)
		u.token = tok.Token
		fx.users = append(fx.users, u)
	}
	hospital, err := examples.FS.ReadFile("hospital-ehr-germany.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if *flagLarge {
		// a large questionnaire evaluated within the default deadline (4.5 s on a quiet machine),
		// and the largest accepted (770 KB, under the 1 MiB body limit: its evaluation passes the
		// deadline)
		large := createDeployment(t, s, admin, "Load large", mustJSON(t, generate(20, 32, 10)))
		var a struct{ ID uint64 }
		s.do(t, "POST", fmt.Sprintf("/api/v1/deployments/%d/assessments", large), admin, nil, &a)
		most := mustJSON(t, generate(200, 32, 10))
		if len(most) > piaflow.MaxBodyBytes {
			t.Fatalf("the largest questionnaire is %d bytes, over the body limit", len(most))
		}
		max := createDeployment(t, s, admin, "Load max", most)
		fx.putTargets = []putTarget{{large, mustJSON(t, generate(20, 32, 10))}, {max, most}}
	}
	var list struct{ Items []piaflow.Deployment }
	s.do(t, "GET", "/api/v1/deployments?limit=200", admin, nil, &list)
	for _, d := range list.Items {
		var acts struct{ Items []piaflow.Action }
		s.do(t, "GET", fmt.Sprintf("/api/v1/deployments/%d/actions", d.ID), admin, nil, &acts)
		fx.evalTargets = append(fx.evalTargets, d.ID)
		if len(acts.Items) == 0 {
			continue
		}
		fx.deployments = append(fx.deployments, d.ID)
		fx.assessments = append(fx.assessments, acts.Items[0].AssessmentID)
		for _, a := range acts.Items {
			fx.actions = append(fx.actions, a.ID)
		}
	}
	if !*flagLarge {
		d := createDeployment(t, s, admin, "Load small", hospital)
		fx.putTargets = []putTarget{{d, hospital}}
	}
	// the import: the action list of the deployment with the most actions, as downloaded
	fx.importTo = fx.deployments[0]
	req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/assessments/%d/actions.xlsx", s.url, fx.assessments[0]), nil)
	req.Header.Set("Authorization", "Bearer "+admin)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	fx.importBody, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("action list: %d", resp.StatusCode)
	}
	fx.hosting = hostingQuery(*flagLarge)
	// the longest comment accepted, in three-byte characters
	fx.comment = fmt.Appendf(nil, `{"body":%q}`, strings.Repeat("评", piaflow.MaxTextLength))
	return fx
}

func createDeployment(t *testing.T, s *server, token, name string, questionnaire []byte) uint64 {
	t.Helper()
	var d struct{ ID uint64 }
	s.do(t, "POST", "/api/v1/deployments", token, fmt.Appendf(nil, `{"name":%q,"customer":"Load"}`, name), &d)
	req, _ := http.NewRequest("PUT", fmt.Sprintf("%s/api/v1/deployments/%d/questionnaire", s.url, d.ID), bytes.NewReader(questionnaire))
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("questionnaire of %s: %d %s", name, resp.StatusCode, b)
	}
	return d.ID
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// subjectCountries are countries with and without data-protection law in piaflow's data.
var subjectCountries = []string{"DE", "FR", "IT", "ES", "NL", "PL", "SE", "AT", "BE", "IE", "GB", "CH", "US", "CA", "BR", "MX", "IN", "CN", "JP", "KR", "SG", "ID", "VN", "AE", "SA", "ZA", "NG", "KE", "TR", "RU", "AU", "NZ"}

// generate is a valid questionnaire with acts activities, each with subj groups of data
// subjects (one country each) and transfers transfers.
func generate(acts, subj, transfers int) *assessments.Questionnaire {
	categories := [][]string{{"contact", "identifiers"}, {"contact", "health"}, {"financial", "payment_card"}, {"employment", "government_id"}, {"behavioural", "online_identifiers"}}
	q := assessments.HostingQuery{}.Questionnaire()
	q.Deployment.Name, q.Deployment.CustomerCountry, q.Deployment.VendorCountry, q.Deployment.Sector = "Load", "DE", "DE", "finance"
	q.Hosting = []assessments.Hosting{{Name: "primary", Provider: "aws", Region: "eu-central-1", Country: "DE", Role: "primary"},
		{Name: "dr", Provider: "aws", Region: "us-east-1", Country: "US", Role: "disaster_recovery"}}
	q.Activities = nil
	for i := range acts {
		a := assessments.Activity{Name: fmt.Sprintf("Activity %03d", i), LegalBasis: "contract", DataCategories: categories[i%len(categories)], EvaluationOrScoring: i%3 == 0}
		for k := range subj {
			a.DataSubjects = append(a.DataSubjects, assessments.DataSubject{Type: "customers", Countries: []string{subjectCountries[k%len(subjectCountries)]}, Count: 1000})
		}
		for k := range transfers {
			a.Transfers = append(a.Transfers, assessments.Transfer{ToCountry: subjectCountries[(i*7+k*11)%len(subjectCountries)], Recipient: fmt.Sprintf("Support %d", k),
				RecipientType: "processor", Access: "remote_access", Mechanism: []string{"scc", "none", "standard_contract"}[k%3]})
		}
		q.Activities = append(q.Activities, a)
	}
	return q
}

// hostingQuery is a hosting check: the largest accepted (50 different subject countries, every
// data category, each given twice) or a small one.
func hostingQuery(large bool) []byte {
	if !large {
		return []byte(`{"data":["health","contact"],"subjects":["DE","CN","US"],"host":"SG"}`)
	}
	subjects := slices.Clone(subjectCountries)
	for _, c := range policies.CountryCodes() {
		if len(subjects) == assessments.MaxHostingSubjects {
			break
		}
		if !slices.Contains(subjects, c) {
			subjects = append(subjects, c)
		}
	}
	data := policies.Enum("data_category")
	b, _ := json.Marshal(map[string]any{"data": append(data, data...), "subjects": append(subjects, subjects...), "host": "SG", "count": 1000000})
	return b
}

// An op is one kind of request: who may send it, how often (weight), and whether a 503 is
// documented for it.
type op struct {
	name   string
	roles  []string
	weight int
	may503 bool
	req    func(fx *fixture, r *rand.Rand, u user) (method, path string, body []byte, contentType string)
}

var everyone = []string{piaflow.RoleEngineer, piaflow.RoleLegal, piaflow.RoleSales}
var readers = []string{piaflow.RoleEngineer, piaflow.RoleLegal}
var engineers = []string{piaflow.RoleEngineer}
var lawyers = []string{piaflow.RoleLegal}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func get(path string) func(*fixture, *rand.Rand, user) (string, string, []byte, string) {
	return func(*fixture, *rand.Rand, user) (string, string, []byte, string) { return "GET", path, nil, "" }
}

var ops = []op{
	{"GET /healthz", everyone, 1, false, get("/healthz")},
	{"GET /readyz", everyone, 1, false, get("/readyz")},
	{"GET /metrics", everyone, 1, false, get("/metrics")},
	{"GET /api/v1/openapi.json", everyone, 1, false, get("/api/v1/openapi.json")},
	{"GET /api/v1/me", everyone, 2, false, get("/api/v1/me")},
	{"GET /api/v1/deployments", everyone, 6, false, get("/api/v1/deployments?limit=200")},
	{"GET /api/v1/deployments/{id}", everyone, 4, false, func(fx *fixture, r *rand.Rand, _ user) (string, string, []byte, string) {
		return "GET", fmt.Sprintf("/api/v1/deployments/%d", pick(r, fx.evalTargets)), nil, ""
	}},
	{"POST /api/v1/hosting-check", everyone, 4, true, func(fx *fixture, _ *rand.Rand, _ user) (string, string, []byte, string) {
		return "POST", "/api/v1/hosting-check", fx.hosting, "application/json"
	}},
	{"GET …/questionnaire", readers, 3, false, func(fx *fixture, r *rand.Rand, _ user) (string, string, []byte, string) {
		return "GET", fmt.Sprintf("/api/v1/deployments/%d/questionnaire", pick(r, fx.evalTargets)), nil, ""
	}},
	{"GET /api/v1/assessments/{id}", readers, 3, false, func(fx *fixture, r *rand.Rand, _ user) (string, string, []byte, string) {
		return "GET", fmt.Sprintf("/api/v1/assessments/%d", pick(r, fx.assessments)), nil, ""
	}},
	{"GET …/diff", readers, 1, false, func(fx *fixture, r *rand.Rand, _ user) (string, string, []byte, string) {
		a := pick(r, fx.assessments)
		return "GET", fmt.Sprintf("/api/v1/assessments/%d/diff?against=%d", a, a), nil, ""
	}},
	{"GET …/actions", readers, 3, false, func(fx *fixture, r *rand.Rand, _ user) (string, string, []byte, string) {
		return "GET", fmt.Sprintf("/api/v1/deployments/%d/actions", pick(r, fx.deployments)), nil, ""
	}},
	{"PATCH /api/v1/actions/{id}", readers, 2, false, func(fx *fixture, r *rand.Rand, _ user) (string, string, []byte, string) {
		return "PATCH", fmt.Sprintf("/api/v1/actions/%d", pick(r, fx.actions)), []byte(pick(r, []string{`{"status":"in_progress"}`, `{"status":"open"}`})), "application/json"
	}},
	{"GET …/comments", readers, 2, false, func(fx *fixture, r *rand.Rand, _ user) (string, string, []byte, string) {
		return "GET", fmt.Sprintf("/api/v1/actions/%d/comments", pick(r, fx.actions)), nil, ""
	}},
	{"POST …/comments", readers, 2, false, func(fx *fixture, r *rand.Rand, _ user) (string, string, []byte, string) {
		return "POST", fmt.Sprintf("/api/v1/actions/%d/comments", pick(r, fx.actions)), fx.comment, "application/json"
	}},
	{"GET …/report.pdf", readers, 2, true, func(fx *fixture, r *rand.Rand, _ user) (string, string, []byte, string) {
		return "GET", fmt.Sprintf("/api/v1/assessments/%d/report.pdf?lang=%s", pick(r, fx.assessments), pick(r, []string{"en", "zh-CN"})), nil, ""
	}},
	{"GET …/actions.xlsx", readers, 2, true, func(fx *fixture, r *rand.Rand, _ user) (string, string, []byte, string) {
		return "GET", fmt.Sprintf("/api/v1/assessments/%d/actions.xlsx?lang=%s", pick(r, fx.assessments), pick(r, []string{"en", "zh-CN"})), nil, ""
	}},
	{"POST …/actions/import", readers, 1, false, func(fx *fixture, _ *rand.Rand, _ user) (string, string, []byte, string) {
		return "POST", fmt.Sprintf("/api/v1/deployments/%d/actions/import", fx.importTo), fx.importBody, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}},
	{"PUT …/questionnaire", engineers, 1, false, func(fx *fixture, r *rand.Rand, _ user) (string, string, []byte, string) {
		p := pick(r, fx.putTargets)
		return "PUT", fmt.Sprintf("/api/v1/deployments/%d/questionnaire", p.deployment), p.body, "application/json"
	}},
	{"POST …/assessments", engineers, 2, true, func(fx *fixture, r *rand.Rand, _ user) (string, string, []byte, string) {
		return "POST", fmt.Sprintf("/api/v1/deployments/%d/assessments", pick(r, fx.evalTargets)), nil, ""
	}},
	{"POST …/submit", engineers, 1, false, func(fx *fixture, r *rand.Rand, _ user) (string, string, []byte, string) {
		return "POST", fmt.Sprintf("/api/v1/assessments/%d/submit", pick(r, fx.assessments)), nil, ""
	}},
	{"POST /api/v1/reevaluate", lawyers, 1, false, func(*fixture, *rand.Rand, user) (string, string, []byte, string) {
		return "POST", "/api/v1/reevaluate", nil, ""
	}},
	{"GET /api/v1/reviews", lawyers, 1, false, get("/api/v1/reviews")},
	{"GET /api/v1/audit", lawyers, 1, false, get("/api/v1/audit?limit=1000")},
	{"GET …/audit", lawyers, 1, false, func(fx *fixture, r *rand.Rand, _ user) (string, string, []byte, string) {
		return "GET", fmt.Sprintf("/api/v1/deployments/%d/audit", pick(r, fx.deployments)), nil, ""
	}},
}

// sample is one answer: its op, status (0: a transport error) and time.
type sample struct {
	op      string
	status  int
	elapsed time.Duration
}

// result is what a load run measured.
type result struct {
	duration            time.Duration
	byOp                map[string][]sample
	requests, transport int
	bad5xx, s503, s429  int
	overloaded          int // 503s of admission control (any request may get one)
	healthz             []time.Duration
	healthzErrors       int
	// probe and probeErrors are /healthz as the prober in its own process measured it
	// (healthz: the prober among the clients, in this process).
	probe                 []time.Duration
	probeErrors           int
	loadBefore, loadAfter string
	rssPeakKiB            int
	transportErrs         []string
}

func runLoad(s *server, fx *fixture, clients int, d time.Duration) *result {
	res := &result{byOp: map[string][]sample{}}
	httpc := &http.Client{Timeout: 10 * time.Minute}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	record := func(o op, st int, el time.Duration, err error, overloaded bool) {
		mu.Lock()
		defer mu.Unlock()
		res.byOp[o.name] = append(res.byOp[o.name], sample{o.name, st, el})
		res.requests++
		switch {
		case err != nil:
			res.transport++
			if len(res.transportErrs) < 5 {
				res.transportErrs = append(res.transportErrs, o.name+": "+err.Error())
			}
		case st == http.StatusServiceUnavailable && overloaded:
			res.overloaded++
		case st == http.StatusServiceUnavailable && o.may503:
			res.s503++
		case st == http.StatusTooManyRequests:
			res.s429++
		case st >= 500:
			res.bad5xx++
		}
	}
	res.loadBefore = loadAverage()
	prober := startProber(s.url)
	start := time.Now()
	for i := range clients {
		u := fx.users[i%len(fx.users)]
		var mine []op
		total := 0
		for _, o := range ops {
			if slices.Contains(o.roles, u.role) {
				mine = append(mine, o)
				total += o.weight
			}
		}
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(i), 12))
			for time.Since(start) < d {
				n := r.IntN(total)
				o := mine[0]
				for _, c := range mine {
					if n < c.weight {
						o = c
						break
					}
					n -= c.weight
				}
				method, path, body, ct := o.req(fx, r, u)
				req, _ := http.NewRequest(method, s.url+path, bytes.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+u.token)
				if ct != "" {
					req.Header.Set("Content-Type", ct)
				}
				if method == "PUT" {
					req.Header.Set("If-Match", "*")
				}
				t0 := time.Now()
				resp, err := httpc.Do(req)
				st, overloaded := 0, false
				if err == nil {
					if resp.StatusCode == http.StatusServiceUnavailable {
						var p struct{ Type string }
						err = json.NewDecoder(resp.Body).Decode(&p)
						overloaded = p.Type == overloadedType
					}
					if err == nil {
						_, err = io.Copy(io.Discard, resp.Body)
					}
					resp.Body.Close()
					st = resp.StatusCode
				}
				record(o, st, time.Since(t0), err, overloaded)
			}
		})
	}
	// the prober: /healthz every 50 ms; the sampler: the server's RSS every 100 ms
	var side sync.WaitGroup
	side.Go(func() {
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			t0 := time.Now()
			resp, err := httpc.Get(s.url + "/healthz")
			if err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			mu.Lock()
			if err != nil || resp.StatusCode != 200 {
				res.healthzErrors++
			} else {
				res.healthz = append(res.healthz, time.Since(t0))
			}
			mu.Unlock()
		}
	})
	side.Go(func() {
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			if kib := procStatus(s.pid, "VmHWM"); kib > res.rssPeakKiB {
				mu.Lock()
				res.rssPeakKiB = kib
				mu.Unlock()
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	})
	wg.Wait()
	close(stop)
	side.Wait()
	res.duration = time.Since(start)
	res.probe, res.probeErrors = prober()
	res.loadAfter = loadAverage()
	return res
}

// startProber starts the prober in a process of its own — this test binary again, running
// TestProbe with GOMAXPROCS=1 — so that its /healthz times are the server's and the kernel's,
// not also the wait for this process's 16 clients on the Go scheduler. It still shares the
// machine's CPUs with everything else. stop ends it and returns the times it measured and its
// failed probes (all failed when the prober could not start).
func startProber(url string) (stop func() ([]time.Duration, int)) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestProbe$")
	cmd.Env = append(os.Environ(), probeEnv+"="+url, "GOMAXPROCS=1")
	in, err := cmd.StdinPipe()
	var out bytes.Buffer
	cmd.Stdout = &out
	if err == nil {
		err = cmd.Start()
	}
	if err != nil {
		return func() ([]time.Duration, int) { return nil, 1 }
	}
	return func() ([]time.Duration, int) {
		in.Close()
		cmd.Wait()
		var ds []time.Duration
		failed := 0
		for _, line := range strings.Split(out.String(), "\n") {
			if us, ok := strings.CutPrefix(line, "probe "); ok {
				if n, err := strconv.Atoi(us); err == nil {
					ds = append(ds, time.Duration(n)*time.Microsecond)
				} else {
					failed++
				}
			}
		}
		return ds, failed
	}
}

// TestProbe is the prober's process (startProber): it gets /healthz of the server probeEnv
// names every 50 ms until its standard input closes, and prints each time in microseconds
// ("probe 1234") or a failure ("probe failed").
func TestProbe(t *testing.T) {
	url := os.Getenv(probeEnv)
	if url == "" {
		t.Skip("run by the load test as its prober")
	}
	stop := make(chan struct{})
	go func() {
		io.Copy(io.Discard, os.Stdin)
		close(stop)
	}()
	httpc := &http.Client{Timeout: time.Minute}
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
		}
		t0 := time.Now()
		resp, err := httpc.Get(url + "/healthz")
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		if err != nil || resp.StatusCode != http.StatusOK {
			fmt.Println("probe failed")
			continue
		}
		fmt.Printf("probe %d\n", time.Since(t0).Microseconds())
	}
}

// loadAverage is the machine's load average over 1, 5 and 15 minutes (/proc/loadavg).
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "?"
}

// procStatus reads a kB field of /proc/PID/status (0 when it cannot).
func procStatus(pid int, field string) int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return n
		}
	}
	return 0
}

func quantile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, int(q*float64(len(s))))]
}

func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 1, 64)
}

// String is the run's report: totals, /healthz, the server's peak RSS, and per op the answers
// by status with their p50 and p99.
func (r *result) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "load average %s before, %s after\n", r.loadBefore, r.loadAfter)
	fmt.Fprintf(&b, "%d requests in %s (%.1f/s): %d 5xx other than documented 503s, %d documented 503s (slot or deadline), %d 503s of admission control, %d 429s, %d transport errors\n",
		r.requests, r.duration.Round(time.Millisecond), float64(r.requests)/r.duration.Seconds(), r.bad5xx, r.s503, r.overloaded, r.s429, r.transport)
	for _, e := range r.transportErrs {
		fmt.Fprintf(&b, "  transport error: %s\n", e)
	}
	fmt.Fprintf(&b, "server peak RSS %d MiB\n", r.rssPeakKiB>>10)
	fmt.Fprintf(&b, "/healthz, prober in its own process: p50 %s ms, p99 %s ms, max %s ms (%d probes, %d failed)\n",
		ms(quantile(r.probe, .5)), ms(quantile(r.probe, .99)), ms(quantile(r.probe, 1)), len(r.probe), r.probeErrors)
	fmt.Fprintf(&b, "/healthz, prober among the clients: p50 %s ms, p99 %s ms, max %s ms (%d probes, %d failed)\n",
		ms(quantile(r.healthz, .5)), ms(quantile(r.healthz, .99)), ms(quantile(r.healthz, 1)), len(r.healthz), r.healthzErrors)
	names := make([]string, 0, len(r.byOp))
	for n := range r.byOp {
		names = append(names, n)
	}
	slices.Sort(names)
	fmt.Fprintf(&b, "%-30s %6s  %-34s %9s %9s\n", "request", "count", "statuses", "p50 ms", "p99 ms")
	for _, n := range names {
		ss := r.byOp[n]
		codes := map[int]int{}
		var ds []time.Duration
		for _, s := range ss {
			codes[s.status]++
			ds = append(ds, s.elapsed)
		}
		keys := make([]int, 0, len(codes))
		for c := range codes {
			keys = append(keys, c)
		}
		slices.Sort(keys)
		var parts []string
		for _, c := range keys {
			parts = append(parts, fmt.Sprintf("%d×%d", c, codes[c]))
		}
		fmt.Fprintf(&b, "%-30s %6d  %-34s %9s %9s\n", n, len(ss), strings.Join(parts, " "), ms(quantile(ds, .5)), ms(quantile(ds, .99)))
	}
	return b.String()
}

package api

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/assessments/store/storetest"
	"github.com/piaflow/piaflow/policies"
	"github.com/piaflow/piaflow/service"
)

// BenchmarkEvaluateEndpoint measures POST /api/v1/deployments/{id}/assessments end to end (HTTP,
// authentication, parsing the stored revision, evaluation, storing the result and the actions)
// on SQLite, with parallel clients. Target on the 2-core reference machine: 300 evaluations/s,
// p99 under 50 ms (bench/README.md).
func BenchmarkEvaluateEndpoint(b *testing.B) {
	// No result cache: every request evaluates (the benchmark measures the evaluation path).
	benchEvaluate(b, assessments.WithResultCache(0))
}

// BenchmarkEvaluateEndpointStored is BenchmarkEvaluateEndpoint with the result cache on, as
// piaflow serve runs by default: the revision is unchanged, so every request after the first
// records the stored assessment again without an evaluation (service.Service.Evaluate).
func BenchmarkEvaluateEndpointStored(b *testing.B) {
	benchEvaluate(b)
}

// benchEvaluate posts evaluations of the hospital example from 4 clients to a server whose
// evaluator has opts.
func benchEvaluate(b *testing.B, opts ...assessments.EvaluatorOption) {
	url, tokens := benchServer(b, opts...)
	eng := tokens[piaflow.RoleEngineer]
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	post := func() (time.Duration, int) {
		req, _ := http.NewRequest("POST", url+"/api/v1/deployments/1/assessments", nil)
		req.Header.Set("Authorization", "Bearer "+eng)
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return 0, 0
		}
		// Read to the end, as a client does: an unread body closes the connection, and every
		// request would pay a new one.
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil {
			return 0, 0
		}
		return time.Since(start), resp.StatusCode
	}
	if _, code := post(); code != http.StatusCreated {
		b.Fatalf("evaluate: %d", code)
	}
	var mu sync.Mutex
	var lat []time.Duration
	b.SetParallelism(2) // 4 concurrent clients on 2 cores
	b.ResetTimer()
	start, cpu0 := time.Now(), processCPU()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			d, code := post()
			if code != http.StatusCreated {
				b.Errorf("evaluate: %d", code)
				return
			}
			mine = append(mine, d)
		}
		mu.Lock()
		lat = append(lat, mine...)
		mu.Unlock()
	})
	elapsed, cpu := time.Since(start), processCPU()-cpu0
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu_ms/op")
	slices.Sort(lat)
	if len(lat) > 0 {
		b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "evals/s")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99_ms")
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50_ms")
	}
}

// processCPU is the CPU time (user and system) the process has used so far: server and clients
// together, which other work on a shared machine does not inflate as it does wall time.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchServer is testServer for benchmarks, with the hospital example as revision 1 and the
// evaluator's options opts.
func benchServer(b *testing.B, opts ...assessments.EvaluatorOption) (string, map[string]string) {
	dialect := "sqlite"
	if os.Getenv("PIAFLOW_BENCH_POSTGRES") != "" { // and PIAFLOW_TEST_DATABASE_URL
		dialect = "postgres"
	}
	url, tokens := testServerWith(b, dialect, serverConfig{eval: opts})
	eng := tokens[piaflow.RoleEngineer]
	doc := mustExample(b)
	req, _ := http.NewRequest("POST", url+"/api/v1/deployments", strings.NewReader(`{"name":"Portal","customer":"Klinikum Nord GmbH"}`))
	req.Header.Set("Authorization", "Bearer "+eng)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusCreated {
		b.Fatalf("create: %v", err)
	}
	req, _ = http.NewRequest("PUT", url+"/api/v1/deployments/1/questionnaire", strings.NewReader(doc))
	req.Header.Set("Authorization", "Bearer "+eng)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusCreated {
		b.Fatalf("questionnaire: %v", err)
	}
	return url, tokens
}

// BenchmarkHealthz measures GET /healthz in-process through the whole middleware chain
// (recover, request id, access log, metrics, body limit) with the web UI mounted, as piaflow
// serve builds it: what the server itself spends on a health check, without the network and
// the scheduler (bench/README.md, the load test's /healthz latency).
func BenchmarkHealthz(b *testing.B) {
	e, err := policies.Default()
	if err != nil {
		b.Fatal(err)
	}
	st := storetest.Open(b, "sqlite")
	h := New(service.New(st, assessments.NewEvaluator(e)), slog.New(slog.NewJSONHandler(io.Discard, nil))).Handler()
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/healthz", nil))
		if rec.Code != http.StatusOK {
			b.Fatalf("healthz: %d", rec.Code)
		}
	}
}

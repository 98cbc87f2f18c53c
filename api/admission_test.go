package api

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/labstack/echo/v5"

	"github.com/piaflow/piaflow"
	"github.com/piaflow/piaflow/assessments"
	"github.com/piaflow/piaflow/assessments/store/storetest"
	"github.com/piaflow/piaflow/internal/admit"
	"github.com/piaflow/piaflow/internal/apitest"
	"github.com/piaflow/piaflow/service"
)

// admissionServer starts the API on SQLite behind gate g, with two routes of the test's own
// (outside the API, so the contract check lets them pass): GET /test/hold?n=N tells entered
// that request N works, then waits for release; GET /test/park does the same parked
// (admit.Park), as a request does while it waits for or works in an evaluation slot; POST
// /test/read tells entered -1, then answers with the body it reads.
func admissionServer(t *testing.T, g *admit.Gate) (url string, tokens map[string]string, entered chan int, release chan struct{}) {
	t.Helper()
	st := storetest.Open(t, "sqlite")
	tokens = apitest.Tokens(t, st)
	s := New(service.New(st, assessments.NewEvaluator(nil)), slog.New(slog.DiscardHandler), withGate(g))
	entered, release = make(chan int, 16), make(chan struct{})
	hold := func(c *echo.Context) error {
		n, _ := strconv.Atoi(c.QueryParam("n"))
		entered <- n
		<-release
		return c.NoContent(http.StatusNoContent)
	}
	s.Echo().GET("/test/hold", hold)
	s.Echo().GET("/test/park", func(c *echo.Context) error {
		defer admit.Park(c.Request().Context())()
		return hold(c)
	})
	s.Echo().POST("/test/read", func(c *echo.Context) error {
		entered <- -1
		b, err := io.ReadAll(c.Request().Body)
		if err != nil {
			return err
		}
		return c.String(http.StatusOK, string(b))
	})
	srv := httptest.NewServer(conformingHandler(t, s.Handler()))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) }) // before srv.Close: the held requests end
	return srv.URL, tokens, entered, release
}

// waitFor yields (never sleeps) until cond holds; the test's deadline bounds it.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for !cond() {
		select {
		case <-t.Context().Done():
			t.Fatal("condition never held")
		default:
		}
		runtime.Gosched()
	}
}

// TestAdmission: with every work slot taken, the health checks and the metrics still answer,
// a request past the queue is refused with 503, Retry-After and the overloaded problem type,
// queued requests are admitted in order, and a parked request (waiting for an evaluation slot)
// does not hold its work slot.
func TestAdmission(t *testing.T) {
	for _, tc := range []struct {
		name  string
		queue int
		run   func(t *testing.T, url string, tokens map[string]string, g *admit.Gate, entered chan int, release chan struct{})
	}{
		{"ExemptWhileBusy", 0, func(t *testing.T, url string, _ map[string]string, _ *admit.Gate, _ chan int, _ chan struct{}) {
			for _, p := range []string{"/healthz", "/readyz", "/metrics"} {
				if resp, b := call(t, "GET", url+p, "", ""); resp.StatusCode != http.StatusOK {
					t.Errorf("%s while every work slot is taken: %d %s", p, resp.StatusCode, b)
				}
			}
		}},
		{"QueueFull", 0, func(t *testing.T, url string, tokens map[string]string, _ *admit.Gate, _ chan int, _ chan struct{}) {
			resp, b := call(t, "GET", url+"/api/v1/me", tokens[piaflow.RoleEngineer], "")
			p := problemOf(t, resp, b, http.StatusServiceUnavailable)
			if p.Type != OverloadedType || !strings.Contains(p.Detail, "every work slot (1, the concurrent requests limit") {
				t.Errorf("problem %+v", p)
			}
			if got := resp.Header.Get("Retry-After"); got != strconv.Itoa(int(piaflow.WorkRetryAfter.Seconds())) {
				t.Errorf("Retry-After %q", got)
			}
			if resp, b := call(t, "GET", url+"/metrics", "", ""); !strings.Contains(string(b), `piaflow_admission_refused_total{why="queue_full"} 1`) ||
				!strings.Contains(string(b), "piaflow_work_slots_busy 1") {
				t.Errorf("metrics (%d) lack the refusal or the busy slot", resp.StatusCode)
			}
		}},
		{"QueuedInOrder", 3, func(t *testing.T, url string, _ map[string]string, g *admit.Gate, entered chan int, release chan struct{}) {
			done := make(chan struct{}, 3)
			for n := 1; n <= 3; n++ {
				go func() {
					call(t, "GET", url+"/test/hold?n="+strconv.Itoa(n), "", "")
					done <- struct{}{}
				}()
				waitFor(t, func() bool { return g.Stats().Queued == n })
			}
			for n := 1; n <= 3; n++ {
				release <- struct{}{} // the request working ends: the next queued one enters
				if got := <-entered; got != n {
					t.Fatalf("request %d entered when request %d should have", got, n)
				}
			}
			release <- struct{}{}
			for range 3 {
				<-done
			}
		}},
		{"ParkedHoldsNoSlot", 0, func(t *testing.T, url string, tokens map[string]string, g *admit.Gate, entered chan int, release chan struct{}) {
			release <- struct{}{} // the holder ends
			parked := make(chan struct{})
			go func() {
				call(t, "GET", url+"/test/park?n=2", "", "")
				close(parked)
			}()
			if n := <-entered; n != 2 {
				t.Fatalf("request %d entered", n)
			}
			// the parked request waits; with no queue, a request that found the slot taken
			// would be refused at once
			if resp, b := call(t, "GET", url+"/api/v1/me", tokens[piaflow.RoleEngineer], ""); resp.StatusCode != http.StatusOK {
				t.Errorf("a request while the other is parked: %d %s", resp.StatusCode, b)
			}
			release <- struct{}{}
			<-parked
			if st := g.Stats(); st != (admit.Stats{}) {
				t.Errorf("after the parked request ended: %+v", st)
			}
		}},
		{"SlowBodyHoldsNoSlot", 0, func(t *testing.T, url string, tokens map[string]string, g *admit.Gate, entered chan int, release chan struct{}) {
			release <- struct{}{} // the holder ends
			waitFor(t, func() bool { return g.Stats().Busy == 0 })
			pr, pw := io.Pipe()
			answer := make(chan string)
			go func() {
				resp, err := http.Post(url+"/test/read", "text/plain", pr)
				if err != nil {
					answer <- err.Error()
					return
				}
				defer resp.Body.Close()
				b, _ := io.ReadAll(resp.Body)
				answer <- string(b)
			}()
			pw.Write([]byte("slow "))
			<-entered // the request is admitted, then waits for the rest of its body
			waitFor(t, func() bool { return g.Stats().Busy == 0 })
			if resp, b := call(t, "GET", url+"/api/v1/me", tokens[piaflow.RoleEngineer], ""); resp.StatusCode != http.StatusOK {
				t.Errorf("a request while the other waits for its body: %d %s", resp.StatusCode, b)
			}
			pw.Write([]byte("body"))
			pw.Close()
			if got := <-answer; got != "slow body" {
				t.Errorf("answer %q", got)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := admit.New(1, tc.queue, 0)
			url, tokens, entered, release := admissionServer(t, g)
			// request 0 takes the only work slot and holds it
			go call(t, "GET", url+"/test/hold?n=0", "", "")
			if n := <-entered; n != 0 {
				t.Fatalf("request %d entered first", n)
			}
			tc.run(t, url, tokens, g, entered, release)
		})
	}
}

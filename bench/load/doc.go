// Package load is piaflow's load test: it builds the piaflow binary, starts `piaflow serve
// --demo` on loopback (SQLite, and PostgreSQL when PIAFLOW_TEST_DATABASE_URL names a server), and
// runs clients that mix every API endpoint — with the largest inputs the server accepts when
// asked — for a bounded time, while a prober measures /healthz (in a process of its own, this
// test binary run as TestProbe; a second prober among the clients is reported beside it). It reports the statuses per
// endpoint, the 5xx answers other than the documented 503s, transport errors, the server's peak
// RSS and the /healthz latency.
//
// `go test ./bench/load` (and so scripts/test.sh) runs a short smoke run with small inputs; the
// numbers in bench/README.md come from
//
//	go test ./bench/load -run TestLoad -v -timeout 30m -load.duration 60s -load.large
package load

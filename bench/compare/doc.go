// Package compare is piaflow's evaluation benchmark harness. In one process and interleaved
// (round after round, each subject in turn), it measures the same questionnaire evaluated by
//
//   - in-process: assessments.Evaluator.Assess, what the server runs per evaluation;
//   - opa-server: `opa run --server` (the pinned OPA, built by scripts/tools.sh when missing)
//     loaded with the same bundle (policies.Engine.WriteBundle) and fed the same input document;
//   - piaflow-http: POST /api/v1/deployments/{id}/assessments on a real `piaflow serve` (SQLite),
//     evaluation plus HTTP, authentication, storage and the action list;
//   - naive: a new rego.PrepareForEval per request (what an integration that does not keep its
//     prepared query pays);
//
// and prints, per subject, p50, p99, CPU per request and the ratios to in-process and to OPA's
// server; then issue 13's goals beside what the run measures (the example's median, the large
// questionnaire, with -compare.growth the 100 × 32 × 10 case, the evaluate endpoint's
// throughput with four clients and its median against in-process); then where the in-process
// evaluation's CPU goes (a CPU profile of -compare.profile evaluations split into OPA's
// interpreter, garbage collection, the result document's JSON and its decoding in Go, read with
// `go tool pprof -traces`) and the costliest policy files and expressions by OPA's profiler;
// then a growth table over the questionnaire's size (activities, subject countries, transfers
// per activity, processors) with the fitted exponent per dimension. It checks that OPA's server
// and piaflow compute the same result document.
//
// `go test ./bench/compare` (and so scripts/test.sh) runs a smoke run (one round, a small growth
// grid); the numbers in bench/README.md come from
//
//	go test ./bench/compare -run TestCompare -v -timeout 60m -compare.rounds 7 -compare.n 20 -compare.growth
package compare

#!/usr/bin/env bash
# The whole test suite: formatting, vet, `opa fmt` and `regal lint` over the policies
# (scripts/rego-lint.sh builds the pinned tools into a cache when missing), and the Go tests —
# which run the Rego policy tests with their coverage gate, the golden files, the CLI end to end
# and the fuzz targets' seed inputs — then every fuzz target for a bounded time (scripts/fuzz.sh,
# PIAFLOW_FUZZTIME, default 30s each).
# Starts a real PostgreSQL on loopback for the storage tests (scripts/pg-test-server.sh installs
# Debian's postgresql with apt-get when missing); the same storage tests also run on SQLite.
# scripts/test-tools.sh installs poppler-utils (the report tests read PDFs back with pdftotext)
# and chromium (the web UI tests drive it headless) when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

need() { command -v "$1" >/dev/null 2>&1; }
if ! need go; then
	echo "test.sh: Go is required (https://go.dev/dl/); see README.md" >&2
	exit 2
fi

echo "== gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
	echo "gofmt would change:" $unformatted >&2
	exit 1
fi

echo "== go vet"
go vet ./...

echo "== opa fmt and regal lint (pinned; built into a cache when missing)"
bash scripts/rego-lint.sh

echo "== PostgreSQL on loopback (installed with apt-get when missing)"
pgdir=$(mktemp -d /tmp/piaflow-pg.XXXXXX)
chmod 755 "$pgdir"
log=$(mktemp)
stop_pg() { bash scripts/pg-test-server.sh stop "$pgdir" >/dev/null 2>&1 || true; rm -rf "$pgdir"; }
trap 'rm -f "$log"; stop_pg' EXIT
PIAFLOW_TEST_DATABASE_URL=$(bash scripts/pg-test-server.sh start "$pgdir")
export PIAFLOW_TEST_DATABASE_URL PIAFLOW_REQUIRE_POSTGRES=1
echo "$PIAFLOW_TEST_DATABASE_URL"

echo "== pdftotext, pdftoppm and chromium (installed with apt-get when missing)"
PIAFLOW_CHROMIUM=$(bash scripts/test-tools.sh)
export PIAFLOW_CHROMIUM PIAFLOW_REQUIRE_TOOLS=1
echo "$PIAFLOW_CHROMIUM"

echo "== mailpit (the SMTP server of the notification tests; pinned, built into a cache when missing)"
PIAFLOW_MAILPIT=$(bash scripts/tools.sh mailpit)
export PIAFLOW_MAILPIT
echo "$PIAFLOW_MAILPIT"

echo "== go test"
# -count=1: always run; the Rego tests and golden files are part of ./policies and ./assessments.
set +e
go test -count=1 ./... 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

if [ "$status" -eq 0 ]; then
	echo "== rego policy tests and rule coverage"
	go run ./cmd/piaflow policies test | tail -n 1
fi

passed=$(grep -c '^ok ' "$log" || true)
failed=$(grep -c '^FAIL' "$log" || true)
echo "packages: ${passed} passed, ${failed} failed"
if [ "$status" -ne 0 ]; then
	exit "$status"
fi

# Every fuzz target for PIAFLOW_FUZZTIME (default 30s) each — 6 targets, about 4 minutes with
# compilation — after the tests passed; a crash fails the run (scripts/fuzz.sh).
echo "== fuzz targets"
bash scripts/fuzz.sh
echo "packages: ${passed} passed, ${failed} failed"

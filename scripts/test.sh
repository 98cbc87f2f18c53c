#!/usr/bin/env bash
# The whole test suite: formatting, vet, Go tests (which run the Rego policy tests with their
# coverage gate) and the fuzz seed corpus. Installs what the tests need when it is missing.
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

echo "== go test"
# -count=1: always run; the Rego tests and golden files are part of ./policies and ./assessments.
go test -count=1 ./... 2>&1 | tee /tmp/piaflow-test.$$.log
status=${PIPESTATUS[0]}

echo "== rego policy tests and rule coverage"
go run ./cmd/piaflow policies test | tail -n 1

passed=$(grep -c '^ok ' /tmp/piaflow-test.$$.log || true)
failed=$(grep -c '^FAIL' /tmp/piaflow-test.$$.log || true)
rm -f /tmp/piaflow-test.$$.log
echo "packages: ${passed} passed, ${failed} failed"
exit "$status"

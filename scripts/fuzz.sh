#!/usr/bin/env bash
# Runs every fuzz target of the module (each `func FuzzX(f *testing.F)` in a _test.go file) for a
# bounded time, one after the other, and fails on the first crash. scripts/test.sh runs it after
# the main test run; run it alone as `bash scripts/fuzz.sh [TIME]`.
#
# TIME (default $PIAFLOW_FUZZTIME, else 30s) is each target's fuzzing time; a failing input is
# minimised for at most 5 s and written under the package's testdata/fuzz/<target>/, where `go
# test` then replays it as a regression test. The targets today: the questionnaire parser
# (assessments FuzzParse), field paths (fieldpath FuzzParse, FuzzFormat), the xlsx import
# (reports FuzzReadActionImport) and the renderers (reports FuzzRender). FuzzRender renders a PDF
# and a workbook per input (tens of milliseconds each), so in 30 s it tries a few hundred inputs
# where the parsers try hundreds of thousands; it runs for the same time all the same.
set -euo pipefail
cd "$(dirname "$0")/.."

fuzztime=${1:-${PIAFLOW_FUZZTIME:-30s}}
targets=$(grep -rn --include='*_test.go' -E '^func Fuzz[A-Za-z0-9_]*\(' . | sed -E 's|^\./(.*)/[^/]*_test\.go:[0-9]+:func (Fuzz[A-Za-z0-9_]*)\(.*|\1 \2|' | sort)
if [ -z "$targets" ]; then
	echo "fuzz.sh: no fuzz targets found" >&2
	exit 1
fi
n=$(echo "$targets" | wc -l)
echo "fuzz.sh: $n targets, $fuzztime each"
while read -r dir target; do
	echo "== fuzz ./$dir $target ($fuzztime)"
	if ! go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" -fuzzminimizetime 5s "./$dir"; then
		echo "fuzz.sh: ./$dir $target failed; the failing input is under $dir/testdata/fuzz/$target/ (go test ./$dir replays it)" >&2
		exit 1
	fi
done <<<"$targets"
echo "fuzz.sh: $n targets ran $fuzztime each without a failure"

#!/usr/bin/env bash
# Runs every fuzz target of the module (each `func FuzzX(f *testing.F)` in a _test.go file) for a
# bounded time, one after the other, and fails on the first crash. scripts/test.sh runs it after
# the main test run; run it alone as `bash scripts/fuzz.sh [TIME]`.
#
# TIME (default $PIAFLOW_FUZZTIME, else 30s) is each target's fuzzing time; a failing input is
# minimised for at most 5 s and written under the package's testdata/fuzz/<target>/, where `go
# test` then replays it as a regression test. A target that fails without writing a failing
# input (Go 1.26's fuzzing coordinator racing its own deadline, golang/go#75804) runs once more.
# The targets today: the questionnaire parser (assessments FuzzParse), field paths (fieldpath
# FuzzParse, FuzzFormat), the xlsx import (reports FuzzReadActionImport) and the renderers
# (reports FuzzRender). FuzzRender renders a PDF and a workbook per input (tens of milliseconds
# each), so in 30 s it tries a few hundred inputs where the parsers try hundreds of thousands; it
# runs for the same time all the same.
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
# inputs lists the failing inputs kept for a target.
inputs() { ls "$1/testdata/fuzz/$2" 2>/dev/null || true; }
while read -r dir target; do
	for attempt in 1 2; do
		echo "== fuzz ./$dir $target ($fuzztime)"
		before=$(inputs "$dir" "$target")
		if go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" -fuzzminimizetime 5s "./$dir"; then
			break
		fi
		if [ "$(inputs "$dir" "$target")" != "$before" ] || [ "$attempt" = 2 ]; then
			echo "fuzz.sh: ./$dir $target failed; a failing input, if one was found, is under $dir/testdata/fuzz/$target/ (go test ./$dir replays it)" >&2
			exit 1
		fi
		# A failure that wrote no failing input is Go's fuzzing coordinator racing its own
		# -fuzztime deadline ("context deadline exceeded", golang/go#75804, fixed in Go 1.27):
		# the target runs once more, and fails if it fails again.
		echo "fuzz.sh: ./$dir $target failed without a failing input (golang/go#75804): running it once more" >&2
	done
done <<<"$targets"
echo "fuzz.sh: $n targets ran $fuzztime each without a failure"

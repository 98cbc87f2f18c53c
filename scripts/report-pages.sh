#!/usr/bin/env bash
# Renders the example report's executive-summary page in each language to docs/report-<lang>.png
# (needs pdftoppm from poppler-utils; scripts/test-tools.sh installs it).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for lang in en zh-CN; do
	go run ./cmd/piaflow assess examples/logistics-china-vietnam.yaml --fail-on none --as-of 2026-11-01 \
		--pdf "$tmp/report-$lang.pdf" --lang "$lang" >/dev/null
	pdftoppm -png -r 90 -f 3 -l 3 -singlefile "$tmp/report-$lang.pdf" "docs/report-$lang"
	echo "docs/report-$lang.png"
done

#!/usr/bin/env bash
# Formatting and lint of the policy library: `opa fmt` must change nothing and `regal lint`
# (configured by .regal/config.yaml) must find nothing in policies/rego. Both tools are pinned and
# built once into a cache directory when missing (scripts/tools.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

OPA_VERSION=$(go list -m -f '{{.Version}}' github.com/open-policy-agent/opa)
opa=$(bash scripts/tools.sh opa)
regal=$(bash scripts/tools.sh regal)
REGAL_VERSION=$(basename "$(dirname "$regal")") # regal@VERSION

echo "opa fmt ($OPA_VERSION): policies/rego"
unformatted=$("$opa" fmt --list policies/rego)
if [ -n "$unformatted" ]; then
	echo "opa fmt would change (run: $opa fmt -w policies/rego):" $unformatted >&2
	exit 1
fi

echo "regal lint ($REGAL_VERSION): policies/rego"
"$regal" lint --config-file .regal/config.yaml --no-color policies/rego

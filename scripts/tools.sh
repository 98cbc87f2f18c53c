#!/usr/bin/env bash
# The pinned Go tools the test script and the benchmark harness use, built once into a cache
# directory when missing, each printed as a path:
#   bash scripts/tools.sh opa     github.com/open-policy-agent/opa at the version go.mod requires
#   bash scripts/tools.sh regal   github.com/open-policy-agent/regal at REGAL_VERSION below
#   bash scripts/tools.sh mailpit github.com/axllent/mailpit at MAILPIT_VERSION below (the SMTP
#                                 server the notification tests deliver to)
# The cache is $PIAFLOW_TOOLS_DIR, by default $(go env GOPATH)/piaflow-tools/NAME@VERSION/NAME, so
# a new pin builds a new binary. The first build takes a few minutes (downloads included, about
# 1.5 min for opa and 2.5 min for regal on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."

# The newest Regal the Go module proxy serves that builds with Go 1.26 (it is built against
# the OPA its own go.mod names, v1.18.2; OPA's formatter is the one go.mod pins).
REGAL_VERSION=v0.42.0
# The SMTP server with a REST API that package notify's tests start on loopback.
MAILPIT_VERSION=v1.33.1
OPA_VERSION=$(go list -m -f '{{.Version}}' github.com/open-policy-agent/opa)
tools=${PIAFLOW_TOOLS_DIR:-$(go env GOPATH)/piaflow-tools}

# tool NAME MODULE VERSION [LDFLAGS]: the path of NAME, built from the main package at the root
# of MODULE@VERSION with that module's own go.mod and go.sum. This is what
# `go install MODULE@VERSION` does, except that go install also asks the proxy for the
# module's list of versions (to report a deprecation), which a proxy serving only some versions
# refuses.
tool() {
	local name=$1 module=$2 version=$3 ldflags=${4:-} bin
	bin="$tools/$name@$version/$name"
	if [ ! -x "$bin" ]; then
		echo "tools.sh: building $module@$version into $bin" >&2
		local dir
		dir=$(cd / && GOWORK=off GOFLAGS=-mod=mod go mod download -json "$module@$version" |
			sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
		if [ -z "$dir" ]; then
			echo "tools.sh: could not download $module@$version" >&2
			exit 1
		fi
		mkdir -p "$(dirname "$bin")"
		(cd "$dir" && GOWORK=off GOFLAGS=-mod=readonly go build -ldflags "$ldflags" -o "$bin.tmp" .)
		mv "$bin.tmp" "$bin"
	fi
	echo "$bin"
}

case "${1:-}" in
opa)
	tool opa github.com/open-policy-agent/opa "$OPA_VERSION" \
		"-X github.com/open-policy-agent/opa/v1/version.Version=${OPA_VERSION#v}"
	;;
regal)
	tool regal github.com/open-policy-agent/regal "$REGAL_VERSION" \
		"-X github.com/open-policy-agent/regal/pkg/version.Version=$REGAL_VERSION"
	;;
mailpit)
	tool mailpit github.com/axllent/mailpit "$MAILPIT_VERSION" \
		"-X github.com/axllent/mailpit/config.Version=$MAILPIT_VERSION"
	;;
*)
	echo "usage: bash scripts/tools.sh opa|regal|mailpit" >&2
	exit 2
	;;
esac


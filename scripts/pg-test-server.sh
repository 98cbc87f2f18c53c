#!/usr/bin/env bash
# A throwaway PostgreSQL server on loopback for the integration tests, without Docker.
#
#   URL=$(scripts/pg-test-server.sh start DIR)   # prints postgres://piaflow@127.0.0.1:PORT/piaflow_test?sslmode=disable
#   scripts/pg-test-server.sh stop DIR
#
# start: installs Debian's postgresql package when no server binaries are under
# /usr/lib/postgresql/*/bin (needs root and apt), initialises DIR/data (trust auth, superuser
# "piaflow"), starts the server on 127.0.0.1 on a free port (from 55432 up; written to
# DIR/port), with its Unix socket in DIR/sock and durability switched off, and creates the
# database piaflow_test. If a server already runs on DIR/data it only prints the URL; if
# DIR/data exists but is stopped it is started again. stdout carries exactly the URL line;
# everything else goes to stderr.
# stop: fast shutdown; not an error when nothing runs.
#
# PostgreSQL refuses to run as root, so as root the server runs as the "postgres" system user
# (created by Debian's package), or "piaflowpg" when that user does not exist. DIR must be
# reachable by that user: prefer a directory under /tmp (e.g. from mktemp -d; this script
# makes DIR itself 0755). Keep DIR short: the socket path DIR/sock/.s.PGSQL.PORT must fit in
# 107 bytes.
set -Eeuo pipefail

# Everything goes to stderr; only the URL is written to the original stdout (fd 3).
exec 3>&1 1>&2

prog=pg-test-server.sh
die() { echo "$prog: error: $*" >&2; exit 1; }
note() { echo "$prog: $*" >&2; }
trap 'echo "$prog: error: command failed (exit $?) at line $LINENO" >&2' ERR

usage() { echo "usage: $prog start|stop DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
cmd=$1
[ -n "$2" ] || usage
case $cmd in start | stop) ;; *) usage ;; esac

# Connection settings from the caller's environment must not steer our own client calls.
unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGDATA PGOPTIONS PGSERVICE PGSERVICEFILE \
	PGPASSWORD PGPASSFILE PGSSLMODE PGTZ PGCLIENTENCODING 2>/dev/null || true

DB_USER=piaflow
DB_NAME=piaflow_test
FIRST_PORT=${PIAFLOW_PG_FIRST_PORT:-55432}
LAST_PORT=$((FIRST_PORT + 200))
PG_LIB=/usr/lib/postgresql

# Absolute DIR (the server and runuser do not share our working directory).
if [ "$cmd" = stop ] && [ ! -d "$2" ]; then
	note "no directory $2; nothing to stop"
	exit 0
fi
check_dir() {
	case $1 in *[[:space:]\'\"\\]*) die "DIR must not contain spaces, quotes or backslashes (it goes into pg_ctl -o): $1" ;; esac
}
check_dir "$2"
mkdir -p -- "$2" || die "cannot create $2"
DIR=$(cd -- "$2" && pwd -P) || die "cannot enter $2"
check_dir "$DIR"
DATA=$DIR/data
SOCK=$DIR/sock
LOG=$DIR/log
PORTFILE=$DIR/port
# Run the server and tools from a directory every user can enter (avoids "could not change
# directory to /root" warnings from initdb and pg_ctl).
cd /

is_root() { [ "$(id -u)" -eq 0 ]; }

# bindir_for [MAJOR]: Debian's bin directory for MAJOR, else the newest one holding both
# initdb and pg_ctl; empty when there is none.
bindir_for() {
	local want=${1:-} d best=
	if [ -n "$want" ] && [ -x "$PG_LIB/$want/bin/initdb" ] && [ -x "$PG_LIB/$want/bin/pg_ctl" ]; then
		echo "$PG_LIB/$want/bin"
		return
	fi
	for d in $(ls -1 "$PG_LIB" 2>/dev/null | sort -V); do
		[ -x "$PG_LIB/$d/bin/initdb" ] && [ -x "$PG_LIB/$d/bin/pg_ctl" ] && best=$PG_LIB/$d/bin
	done
	echo "$best"
}

ensure_binaries() {
	local want=
	[ -f "$DATA/PG_VERSION" ] && want=$(cat "$DATA/PG_VERSION")
	BIN=$(bindir_for "$want")
	if [ -z "$BIN" ]; then
		[ "$cmd" = start ] || return 0
		is_root || die "no PostgreSQL server binaries under $PG_LIB/*/bin and not root: install Debian's postgresql package (apt-get install postgresql)"
		command -v apt-get >/dev/null 2>&1 || die "no PostgreSQL server binaries under $PG_LIB/*/bin and no apt-get to install them"
		note "installing Debian's postgresql package (apt-get)..."
		local lock=(-o DPkg::Lock::Timeout=300)
		apt-get "${lock[@]}" update -qq || die "apt-get update failed"
		DEBIAN_FRONTEND=noninteractive apt-get "${lock[@]}" install -y -qq postgresql >&2 ||
			die "apt-get install postgresql failed"
		BIN=$(bindir_for "$want")
		[ -n "$BIN" ] || die "postgresql installed but no initdb/pg_ctl under $PG_LIB/*/bin (package installed with files removed? try: apt-get install --reinstall postgresql-<version>)"
	fi
	if [ -n "$want" ] && [ "$BIN" != "$PG_LIB/$want/bin" ]; then
		die "$DATA was created by PostgreSQL $want but only $BIN is installed; remove $DIR and start again"
	fi
}

# The unprivileged account the server runs as.
pick_user() {
	if ! is_root; then
		RUNUSER=$(id -un)
		return
	fi
	if [ -d "$DATA" ]; then
		RUNUSER=$(stat -c %U "$DATA")
		[ "$RUNUSER" != root ] && [ "$RUNUSER" != UNKNOWN ] && return
	fi
	if id -u postgres >/dev/null 2>&1; then
		RUNUSER=postgres
	else
		RUNUSER=piaflowpg
		if ! id -u "$RUNUSER" >/dev/null 2>&1; then
			[ "$cmd" = start ] || return 0
			note "creating system user $RUNUSER"
			useradd --system --no-create-home --home-dir / --shell /usr/sbin/nologin "$RUNUSER" ||
				die "useradd $RUNUSER failed"
		fi
	fi
}

as_pg() {
	if is_root; then
		runuser -u "$RUNUSER" -- "$@"
	else
		"$@"
	fi
}

# Run "$@" with every file descriptor above 2 closed. The server daemonises and would
# otherwise keep our stdout pipe (fd 3, so "URL=$(...)" would never return), the lock on DIR
# and any descriptor the caller leaked to us open for as long as it runs.
closefds() {
	(
		for fd in /proc/self/fd/*; do
			fd=${fd##*/}
			if [ "$fd" -gt 2 ] 2>/dev/null; then eval "exec $fd>&-" 2>/dev/null || true; fi
		done
		"$@"
	)
}

# 0 when a server runs on DATA.
running() {
	[ -f "$DATA/PG_VERSION" ] && [ -n "${BIN:-}" ] && as_pg "$BIN/pg_ctl" status -D "$DATA" >/dev/null 2>&1
}

url() { echo "postgres://$DB_USER@127.0.0.1:$1/$DB_NAME?sslmode=disable"; }

port_busy() { (exec 9<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The port a running server on DATA listens on: postmaster.pid line 4, else DIR/port.
running_port() {
	local p
	p=$(sed -n 4p "$DATA/postmaster.pid" 2>/dev/null || true)
	[ -n "$p" ] || p=$(cat "$PORTFILE" 2>/dev/null || true)
	echo "$p"
}

do_stop() {
	pick_user
	ensure_binaries
	if [ -z "${BIN:-}" ] || [ ! -f "$DATA/PG_VERSION" ]; then
		note "no server data in $DATA; nothing to stop"
		return 0
	fi
	if ! running; then
		note "no server running on $DATA"
		return 0
	fi
	as_pg "$BIN/pg_ctl" -D "$DATA" -m fast -w -t 60 stop >&2 || die "pg_ctl stop failed (see $LOG)"
}

do_start() {
	pick_user
	ensure_binaries
	note "using $BIN ($("$BIN/pg_ctl" --version | sed 's/^pg_ctl (PostgreSQL) //')) as user $RUNUSER"

	# DIR: traversable by the server user; data, socket dir and log owned by it.
	is_root && chmod 755 "$DIR"
	if is_root && ! runuser -u "$RUNUSER" -- test -x "$DIR"; then
		die "user $RUNUSER cannot enter $DIR (a parent directory is not traversable); use a directory under /tmp, e.g. \$(mktemp -d)"
	fi
	mkdir -p "$SOCK"
	touch "$LOG"
	is_root && chown "$RUNUSER:" "$SOCK" "$LOG"
	chmod 755 "$SOCK"

	if running; then
		local p i
		p=$(running_port)
		[ -n "$p" ] || die "a server runs on $DATA but its port is unknown"
		note "server already running on $DATA (port $p)"
		# It may still be starting or recovering, or be a just-killed postmaster whose pid
		# has not been reaped yet: wait until it answers, or start afresh when it is gone.
		for i in $(seq 1 60); do
			if accepting "$p"; then
				echo "$p" >"$PORTFILE"
				ensure_db "$p"
				url "$p" >&3
				return 0
			fi
			running || break
			sleep 1
		done
		running && die "a server runs on $DATA but does not accept connections on 127.0.0.1:$p (see $LOG)"
		note "server on $DATA has gone; starting it again"
	fi

	if [ ! -f "$DATA/PG_VERSION" ]; then
		if [ -e "$DATA" ] && [ -n "$(ls -A "$DATA" 2>/dev/null)" ]; then
			die "$DATA exists, is not empty and holds no cluster (no PG_VERSION); remove it"
		fi
		mkdir -p "$DATA"
		is_root && chown "$RUNUSER:" "$DATA"
		chmod 700 "$DATA"
		note "initdb $DATA"
		as_pg "$BIN/initdb" -D "$DATA" -A trust -U "$DB_USER" -E UTF8 --locale=C >&2 ||
			die "initdb failed"
	fi

	# Start on a free port; retry upward when the bind loses a race with another process.
	local port prev
	prev=$(cat "$PORTFILE" 2>/dev/null || true)
	local started= tries=0
	port=${prev:-$FIRST_PORT}
	while [ -z "$started" ]; do
		[ "$port" -le "$LAST_PORT" ] || port=$FIRST_PORT
		tries=$((tries + 1))
		[ "$tries" -le 50 ] || die "no free port found in $FIRST_PORT..$LAST_PORT"
		if port_busy "$port"; then
			port=$((port + 1))
			continue
		fi
		if [ $((${#SOCK} + 17)) -gt 107 ]; then
			die "socket path $SOCK/.s.PGSQL.$port is too long for a Unix socket; use a shorter DIR"
		fi
		note "starting server on 127.0.0.1:$port (log: $LOG)"
		local before
		before=$(wc -l <"$LOG")
		if closefds as_pg "$BIN/pg_ctl" -w -t 60 -D "$DATA" -l "$LOG" -o \
			"-c listen_addresses=127.0.0.1 -p $port -k $SOCK -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
			start >&2; then
			started=1
		else
			if tail -n +"$((before + 1))" "$LOG" | grep -q -e 'could not bind' -e 'Address already in use'; then
				note "port $port taken meanwhile; trying the next one"
				port=$((port + 1))
				continue
			fi
			if running; then
				as_pg "$BIN/pg_ctl" -D "$DATA" -m immediate stop >&2 || true
			fi
			echo "--- last lines of $LOG:" >&2
			tail -n 20 "$LOG" >&2 || true
			die "pg_ctl start failed"
		fi
	done
	echo "$port" >"$PORTFILE"
	ensure_db "$port"
	url "$port" >&3
}

# 0 when the server on 127.0.0.1:PORT accepts connections.
accepting() {
	local psql=$BIN/psql
	[ -x "$psql" ] || psql=psql
	PGCONNECT_TIMEOUT=5 "$psql" -X -q -t -A -h 127.0.0.1 -p "$1" -U "$DB_USER" -d postgres \
		-c 'select 1' >/dev/null 2>&1
}

# Create DB_NAME when missing (over TCP, as the URL will connect).
ensure_db() {
	local p=$1 psql=$BIN/psql createdb=$BIN/createdb
	[ -x "$psql" ] || psql=psql
	[ -x "$createdb" ] || createdb=createdb
	local have
	have=$("$psql" -X -q -t -A -h 127.0.0.1 -p "$p" -U "$DB_USER" -d postgres \
		-c "select 1 from pg_database where datname = '$DB_NAME'") ||
		die "cannot connect to the server on 127.0.0.1:$p"
	if [ "$have" != 1 ]; then
		note "creating database $DB_NAME"
		"$createdb" -h 127.0.0.1 -p "$p" -U "$DB_USER" "$DB_NAME" || die "createdb $DB_NAME failed"
	fi
}

# Serialise concurrent start/stop on the same DIR.
if command -v flock >/dev/null 2>&1; then
	exec 8>"$DIR/.lock"
	flock -w 120 8 || die "timed out waiting for another $prog on $DIR"
fi

case $cmd in
start) do_start ;;
stop) do_stop ;;
esac

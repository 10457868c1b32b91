#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for tests and benchmarks (Debian's
# postgresql package): initdb into a temporary folder, the server on a free
# loopback port with its socket in that folder, owned and run by an
# unprivileged user (postgres refuses to run as root; CI runs as root).
#
#   scripts/pg-scratch.sh run [--durable] CMD ARGS...
#       starts a cluster, runs CMD with VOUCH_TEST_PG=postgres://…/postgres
#       and VOUCH_PG_CTL (a command that takes pg_ctl's arguments, e.g.
#       "restart -m fast"), then stops the cluster and deletes it — also when
#       CMD fails or the script is interrupted. Exits with CMD's status.
#   scripts/pg-scratch.sh start [--durable] DIR    (prints the URL; DIR/url holds it)
#   scripts/pg-scratch.sh stop DIR
#
# Without --durable the cluster runs with fsync=off: tests check behaviour
# (a restart of the server loses nothing it acknowledged; that is a clean
# shutdown), not power cuts, and a loaded 2-core machine runs them faster.
# Benchmarks pass --durable.
set -euo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "pg-scratch: PostgreSQL is not installed (run scripts/setup.sh)" >&2; exit 1; }

# Who runs the server: ourselves, or as root an unprivileged account.
as_owner() {
  if [ "$(id -u)" -ne 0 ]; then "$@"; return; fi
  local user=postgres
  id -u "$user" >/dev/null 2>&1 || user=nobody
  runuser -u "$user" -- "$@"
}

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

start() {
  local durable=$1 dir=$2
  mkdir -p "$dir"
  if [ "$(id -u)" -eq 0 ]; then
    local user=postgres
    id -u "$user" >/dev/null 2>&1 || user=nobody
    chown "$user" "$dir"
    chmod 700 "$dir"
  fi
  as_owner "$bin/initdb" -D "$dir/data" -A trust -U postgres --no-sync >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; return 1; }
  local port options
  port=$(free_port)
  options="-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=128MB"
  [ "$durable" = 1 ] || options="$options -c fsync=off -c full_page_writes=off"
  echo "$options" >"$dir/options"
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "$options" -w -t 60 start >/dev/null ||
    { cat "$dir/server.log" >&2; return 1; }
  echo "postgres://postgres@127.0.0.1:$port/postgres" >"$dir/url"
  cat "$dir/url"
}

stop() {
  local dir=$1
  [ -d "$dir/data" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

command=${1:-}
shift || true
durable=0
if [ "${1:-}" = "--durable" ]; then durable=1; shift; fi
case "$command" in
  start) start "$durable" "$1" ;;
  stop) stop "$1" ;;
  run)
    dir=$(mktemp -d /tmp/vouch-pg-XXXXXX)
    trap 'stop "$dir"' EXIT
    trap 'exit 130' INT TERM
    VOUCH_TEST_PG=$(start "$durable" "$dir")
    export VOUCH_TEST_PG
    # pg_ctl on this cluster, for tests that restart it (runs as its owner).
    export VOUCH_PG_CTL="$0 ctl $dir"
    set +e
    "$@"
    status=$?
    set -e
    exit "$status"
    ;;
  ctl)
    # scripts/pg-scratch.sh ctl DIR ARGS...: pg_ctl ARGS on the cluster in DIR.
    dir=$1
    shift
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "$(cat "$dir/options")" -w "$@"
    ;;
  *)
    echo "usage: scripts/pg-scratch.sh run [--durable] CMD ARGS... | start [--durable] DIR | stop DIR" >&2
    exit 2
    ;;
esac

#!/usr/bin/env bash
# Load benchmark of `vouch serve` event ingest (a benchmark, not a test):
# wrk posts batches of fresh events to POST /v1/events on loopback and
# reports accepted events per second and p50/p99 latency. Every accepted
# batch is committed before it is answered (SQLite WAL with synchronous=FULL;
# PostgreSQL with fsync on, a durable throw-away cluster: scripts/pg-scratch.sh).
#   bash bench/serve_load.sh [DURATION=10s] [CONNECTIONS=16] [BATCH=20] [CASES...]
# CASES (default: all) name rows of the table below, e.g. "sqlite pg3".
# With three instances, one wrk per instance takes a third of the
# connections; events/s is their sum and p50/p99 the highest of the three.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10s}
connections=${2:-16}
export VOUCH_BENCH_BATCH=${3:-20}
shift $(($# < 3 ? $# : 3))
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=(sqlite sqlite-nogc pg1 pg1-gc pg1-pool2 pg1-pool4 pg1-pool16 pg3 pg3-gc)

# wrk is a bench-only dependency (Debian package), installed here, not by setup.sh.
if ! command -v wrk >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends wrk
fi

cmake --preset release >/dev/null
cmake --build --preset release --target vouch >/dev/null
vouch=$PWD/build/release/cli/vouch

work=$(mktemp -d)
pg_dir=""
servers=()
stop_servers() {
  for pid in "${servers[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${servers[@]}"; do wait "$pid" 2>/dev/null || true; done
  servers=()
}
cleanup() {
  stop_servers
  [ -z "$pg_dir" ] || bash scripts/pg-scratch.sh stop "$pg_dir"
  rm -rf "$work"
}
trap cleanup EXIT
"$vouch" generate --seed 1 --out "$work/feed.json"

# start_server N DB FLAGS...: the Nth instance; prints its base URL.
start_server() {
  local n=$1 db=$2
  shift 2
  "$vouch" serve --port 0 --feed "$work/feed.json" --db "$db" --rate-limit 0 --address-rate-limit 0 \
    --global-rate-limit 0 --no-access-log --admin-token bench-token-0123456789abcdef --webhook-secret bench-secret \
    "$@" >"$work/serve$n.out" 2>"$work/serve$n.err" &
  servers+=($!)
  for _ in $(seq 200); do
    grep -q "listening on" "$work/serve$n.out" 2>/dev/null && break
    sleep 0.1
  done
  sed -n 's/.*listening on \(http:\/\/[^ ]*\).*/\1/p' "$work/serve$n.out"
}

# run_case NAME INSTANCES DB FLAGS...: one row.
run_case() {
  local name=$1 instances=$2 db=$3
  shift 3
  local bases=() i
  for ((i = 0; i < instances; ++i)); do bases+=("$(start_server "$i" "$db" "$@")"); done
  local per=$((connections / instances)) loads=()
  for ((i = 0; i < instances; ++i)); do
    VOUCH_BENCH_PREFIX="$name-$i-" wrk -t1 -c"$per" -d"$duration" --timeout 10s -s bench/serve_load.lua "${bases[$i]}/v1/events" >"$work/wrk$i.out" 2>&1 &
    loads+=($!)
  done
  wait "${loads[@]}"
  awk -v name="$name" -v flags="$*" '
    /accepted events\/s:/ {ev += $3}
    /batches acknowledged:/ {ok += $3; gsub(/\(/, "", $4); failed += $4}
    /latency p50:/ {if ($3 > p50) p50 = $3}
    /latency p99:/ {if ($3 > p99) p99 = $3}
    END {printf "| %-11s | %-34s | %7.0f | %7.2f | %7.2f | %d |\n", name, flags, ev, p50, p99, failed}' "$work"/wrk*.out
  rm -f "$work"/wrk*.out
  stop_servers
}

# A fresh database per row (named after the row).
fresh() {
  local name="bench_${c//-/_}"
  if [ "$1" = sqlite ]; then
    echo "$work/$name.db"
  else
    psql "$pg_url" -q -c "CREATE DATABASE $name" >/dev/null
    echo "${pg_url%/*}/$name"
  fi
}

if printf '%s\n' "${cases[@]}" | grep -q '^pg'; then
  pg_dir=$(mktemp -d /tmp/vouch-pg-XXXXXX)
  pg_url=$(bash scripts/pg-scratch.sh start --durable "$pg_dir")
fi

echo "== machine"
echo "cpu:   $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') ($(nproc) cores)"
echo "disk:  $(df -h "$work" | awk 'NR==2 {print $1}') (SQLite in $work; PostgreSQL in /tmp)"
echo "load:  $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) before the runs"
echo "== wrk ${duration}, ${connections} connections in all, ${VOUCH_BENCH_BATCH} events per batch"
echo "| case        | flags                              | events/s |  p50 ms |  p99 ms | failed |"
echo "|---|---|---|---|---|---|"
for c in "${cases[@]}"; do
  case "$c" in
    sqlite) run_case "$c" 1 "$(fresh sqlite)" ;;
    sqlite-nogc) run_case "$c" 1 "$(fresh sqlite)" --group-commit off ;;
    pg1) run_case "$c" 1 "$(fresh pg)" ;;
    pg1-gc) run_case "$c" 1 "$(fresh pg)" --group-commit on ;;
    pg1-pool*) run_case "$c" 1 "$(fresh pg)" --db-pool "${c#pg1-pool}" ;;
    pg3) run_case "$c" 3 "$(fresh pg)" ;;
    pg3-gc) run_case "$c" 3 "$(fresh pg)" --group-commit on ;;
    *) echo "unknown case $c" >&2; exit 2 ;;
  esac
done
echo "load:  $(cut -d' ' -f1-3 /proc/loadavg) after"

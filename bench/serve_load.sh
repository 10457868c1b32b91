#!/usr/bin/env bash
# Load benchmark of `vouch serve` event ingest (a benchmark, not a test):
# wrk posts batches of fresh events to POST /v1/events on loopback and
# reports accepted events per second and p50/p99 latency. Every accepted
# batch is committed (SQLite WAL, synchronous=FULL) before it is answered.
#   bash bench/serve_load.sh [DURATION=10s] [CONNECTIONS=16] [BATCH=20]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10s}
connections=${2:-16}
export VOUCH_BENCH_BATCH=${3:-20}

# wrk is a bench-only dependency (Debian package), installed here, not by setup.sh.
if ! command -v wrk >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends wrk
fi

cmake --preset release >/dev/null
cmake --build --preset release >/dev/null
vouch=./build/release/cli/vouch

work=$(mktemp -d)
"$vouch" generate --seed 1 --out "$work/feed.json"
"$vouch" serve --port 0 --feed "$work/feed.json" --db "$work/bench.db" --rate-limit 0 --no-access-log \
  --admin-token bench-token --webhook-secret bench-secret >"$work/serve.out" 2>"$work/serve.err" &
server=$!
cleanup() { kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for _ in $(seq 100); do
  grep -q "listening on" "$work/serve.out" 2>/dev/null && break
  sleep 0.1
done
base=$(sed -n 's/.*listening on \(http:\/\/[^ ]*\).*/\1/p' "$work/serve.out")

echo "== machine"
echo "cpu:   $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') ($(nproc) cores)"
echo "disk:  $(df -h "$work" | awk 'NR==2 {print $1}') (the database lives in $work)"
echo "== wrk: ${duration}, 2 threads, ${connections} connections, ${VOUCH_BENCH_BATCH} events per batch"
wrk -t2 -c"$connections" -d"$duration" --timeout 10s -s bench/serve_load.lua "$base/v1/events"
echo "== stored (GET /v1/admin/events/summary)"
curl -s -H "Authorization: Bearer bench-token" "$base/v1/admin/events/summary"; echo

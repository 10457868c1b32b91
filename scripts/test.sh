#!/usr/bin/env bash
# Runs every test: the core and the server's own rules under AddressSanitizer
# + UndefinedBehaviorSanitizer (Catch2 via CTest), then the CLI end to end,
# the wasm engine under node (parity with the CLI), the server over HTTP
# against its ASan/UBSan build, and the widget in headless Chromium against a
# real `vouch serve` (node's test runner), and a short libFuzzer run of every
# fuzz target (the engines', and the server's event batch, webhook and
# signature parsers). Prints each stage's duration at the end, failed or not.
set -euo pipefail
cd "$(dirname "$0")/.."

stages=()
stage_name=""
stage_start=0
# stage NAME: ends the running stage (recording its duration) and starts NAME.
stage() {
  local now
  now=$(date +%s)
  [ -n "$stage_name" ] && stages+=("$(printf '%5ds  %s' $((now - stage_start)) "$stage_name")")
  stage_name="$1"
  stage_start=$now
  [ -n "$1" ] && echo "== $1"
  return 0
}
pg_dir="" pg_starting=""
stop_postgres() {
  if [ -n "$pg_starting" ]; then wait "$pg_starting" 2>/dev/null || true; fi
  if [ -n "$pg_dir" ]; then bash scripts/pg-scratch.sh stop "$pg_dir" || true; rm -f "$pg_dir.log"; fi
  pg_starting="" pg_dir=""
}
report() {
  local status=$?
  stop_postgres
  stage ""
  echo "== stage durations"
  printf '%s\n' "${stages[@]}"
  printf '%5ds  total\n' $(($(date +%s) - total_start))
  [ "$status" -eq 0 ] && echo "== all tests passed" || echo "== FAILED (exit status $status)"
}
total_start=$(date +%s)
trap report EXIT

stage "setup (Debian and npm packages)"
bash scripts/setup.sh

# A throw-away PostgreSQL cluster for the PostgreSQL server stage, started in
# the background now so that it is up by then, and stopped (and deleted) at
# exit, whatever happens (scripts/pg-scratch.sh).
pg_dir=$(mktemp -d /tmp/vouch-pg-XXXXXX)
bash scripts/pg-scratch.sh start "$pg_dir" >"$pg_dir.log" 2>&1 &
pg_starting=$!

# The sanitizers abort on the first report (-fno-sanitize-recover=all), and
# every test fails with it; leaks are reported at exit.
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1

stage "core and server unit tests (asan + ubsan)"
cmake --preset asan >/dev/null
cmake --build --preset asan   # core_tests, server_tests, fuzz_regression_tests and vouch itself
ctest --preset asan -j2

stage "CLI tests (release build)"
cmake --preset release >/dev/null
cmake --build --preset release --target vouch   # the tests below need only the program
export VOUCH_BIN="$PWD/build/release/cli/vouch"
node --test tests/cli/

stage "web unit tests (DOM builder, formats, the rules shared with the core)"
cmake --build --preset release --target web_rules   # the C++ side of tests/web/rules.test.mjs
node --test tests/web/

stage "wasm engine (build, node API tests, native/wasm parity)"
bash scripts/build-wasm.sh
node --test tests/wasm/ tests/parity/

stage "server tests (vouch serve built with asan + ubsan)"
VOUCH_BIN="$PWD/build/asan/cli/vouch" node --test tests/server/

stage "server tests on PostgreSQL (asan + ubsan; the store's unit tests, the suite, three instances on one database)"
wait "$pg_starting" || { cat "$pg_dir.log"; exit 1; }
pg_starting=""
(
  export VOUCH_TEST_PG="$(cat "$pg_dir/url")" VOUCH_PG_CTL="bash scripts/pg-scratch.sh ctl $pg_dir"
  ./build/asan/tests/server_tests "[store]"
  VOUCH_BIN="$PWD/build/asan/cli/vouch" node --test tests/server/
)

stage "size budgets"
bash scripts/build-web.sh
node scripts/sizes.mjs   # fails when a size budget is exceeded (storefront engine <= 80 KB, first visit <= 100 KB gzip)

stage "browser tests (headless Chromium)"
VOUCH_SERVE_BIN="$VOUCH_BIN" node --test --test-concurrency=1 tests/browser/*.test.mjs

stage "fuzz smoke run (libFuzzer + ASan/UBSan, 10 s per target, 8 targets)"
bash scripts/fuzz.sh 10

#!/usr/bin/env bash
# Runs every test, as stages (scripts/stages.sh): each starts as soon as the
# stages it needs have passed, several at once, each with its log in
# var/test-logs/. At the end a table of every stage's wall and CPU seconds
# and test count, also written to var/test-times.txt (the run before is in
# var/test-times.prev.txt).
#   bash scripts/test.sh            every stage
#   bash scripts/test.sh NAME...    those stages and what they need
#
# What runs: the core and the server's own rules under AddressSanitizer +
# UndefinedBehaviorSanitizer (Catch2 via CTest), the CLI end to end, the wasm
# engine under node (parity with the CLI), the server over HTTP against its
# ASan/UBSan build, the size budgets, the widget in headless Chromium against
# a real `vouch serve` (node's test runner), the Shopify app and WooCommerce
# (tests/integrations/, docs/shopify.md), and a short libFuzzer run of every
# fuzz target.
#
# Adding a stage: a line `stage NAME --needs "..." [--cores N] -- COMMAND`
# below (a shell function when it is more than one command). Name what it
# needs, not what happens to run before it, so that it runs beside the rest.
# It prints node's or ctest's summary, or a line "count: N passed, M failed",
# so that its tests are counted.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/stages.sh

# The sanitizers abort on the first report (-fno-sanitize-recover=all), and
# every test fails with it; leaks are reported at exit.
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1
# node's test runner reports in TAP here (its output is not a terminal); the
# runner counts its summary lines.
node_test() { node --test --test-reporter=tap "$@"; }

asan_bin=$PWD/build/asan/cli/vouch
release_bin=$PWD/build/release/cli/vouch

# One sanitizer tree (clang 14, ASan + UBSan + libFuzzer coverage) builds
# core_tests, server_tests, fuzz_regression_tests, vouch and the fuzz
# targets from the same objects.
build_asan() {
  cmake --preset asan >/dev/null
  cmake --build --preset asan
}
build_release() {   # the CLI, browser and parity tests need only the program; web_rules: tests/web/
  cmake --preset release >/dev/null
  cmake --build --preset release --target vouch web_rules
}
size_budgets() {
  bash scripts/build-web.sh
  node scripts/sizes.mjs   # fails when a size budget is exceeded (storefront engine <= 80 KB, first visit <= 100 KB gzip)
}

cli_tests() { VOUCH_BIN=$release_bin node_test tests/cli/; }
server_tests() { VOUCH_BIN=$asan_bin node_test --test-concurrency=2 tests/server/; }
# On a throw-away PostgreSQL cluster (scripts/pg-scratch.sh), stopped and
# deleted when the stage ends, however it ends: the store's unit tests, the
# server suite, three instances on one database.
postgres_tests() {
  local dir
  dir=$(mktemp -d /tmp/vouch-pg-XXXXXX)
  trap "bash scripts/pg-scratch.sh stop $dir" EXIT   # ($dir now: the trap runs after this function returned)
  trap 'exit 143' TERM INT
  VOUCH_TEST_PG=$(bash scripts/pg-scratch.sh start "$dir")
  export VOUCH_TEST_PG VOUCH_PG_CTL="bash scripts/pg-scratch.sh ctl $dir"
  ./build/asan/tests/server_tests "[store]"
  # One file at a time: the files share the cluster, and some restart it.
  VOUCH_BIN=$asan_bin node_test --test-concurrency=1 tests/server/ tests/integrations/webhooks.test.mjs
}
wasm_tests() { VOUCH_BIN=$release_bin node_test tests/wasm/ tests/parity/; }
# Each browser test file has its own server, port, database and browser.
browser_tests() { VOUCH_BIN=$release_bin node_test --test-concurrency=2 tests/browser/*.test.mjs; }

stage apt-native -- bash scripts/setup.sh apt-native
stage apt-web --needs apt-native -- bash scripts/setup.sh apt-web   # (one apt at a time)
stage npm --needs apt-native -- bash scripts/setup.sh npm
stage asan-build --needs apt-native --cores 2 -- build_asan
stage release-build --needs apt-native --cores 2 -- build_release
stage wasm-build --needs "apt-web npm" --cores 2 -- bash scripts/build-wasm.sh
stage unit-tests --needs asan-build --cores 2 -- ctest --preset asan -j2
stage cli-tests --needs "npm release-build" -- cli_tests
stage server-tests --needs "npm asan-build" --cores 2 -- server_tests
stage postgres-tests --needs "npm asan-build" -- postgres_tests
stage web-tests --needs "npm release-build" -- node_test tests/web/   # DOM builder, formats, the rules shared with the core
stage wasm-tests --needs "wasm-build release-build" -- wasm_tests
stage size-budgets --needs wasm-build -- size_budgets
stage browser-tests --needs "size-budgets release-build" --cores 2 -- browser_tests
# theme-check, blocks in Chromium, web pixel, signed webhooks on the asan build, plugin (docs/shopify.md)
integration_tests() { VOUCH_BIN=$asan_bin node_test --test-concurrency=1 tests/integrations/; }
# theme-page.test.mjs serves web/dist (the widget and its engine): size-budgets says it is complete.
stage integration-tests --needs "npm size-budgets asan-build" -- integration_tests
# Each target: its corpus replayed, then fresh inputs; 10 s each, two at a time.
stage fuzz-smoke --needs asan-build --cores 2 -- bash scripts/fuzz.sh -j 2 10

run_stages "$@"

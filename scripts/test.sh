#!/usr/bin/env bash
# Runs every test: the core and the server's own rules under AddressSanitizer
# + UndefinedBehaviorSanitizer (Catch2 via CTest), then the CLI end to end,
# the wasm engine under node (parity with the CLI), the server over HTTP
# against its ASan/UBSan build, and the widget in headless Chromium against a
# real `vouch serve` (node's test runner), and a short libFuzzer run of every
# fuzz target (the engines', and the server's event batch, webhook and
# signature parsers).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

# The sanitizers abort on the first report (-fno-sanitize-recover=all), and
# every test fails with it; leaks are reported at exit.
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1

echo "== core and server unit tests (asan + ubsan)"
cmake --preset asan >/dev/null
cmake --build --preset asan   # core_tests, server_tests, fuzz_regression_tests and vouch itself
ctest --preset asan -j2

echo "== CLI tests (release build)"
cmake --preset release >/dev/null
cmake --build --preset release --target vouch   # the tests below need only the program
export VOUCH_BIN="$PWD/build/release/cli/vouch"
node --test tests/cli/

echo "== wasm engine (build, node API tests, native/wasm parity)"
bash scripts/build-wasm.sh
node --test tests/wasm/ tests/parity/

echo "== server tests (vouch serve built with asan + ubsan)"
VOUCH_BIN="$PWD/build/asan/cli/vouch" node --test tests/server/

echo "== browser tests (headless Chromium)"
bash scripts/build-web.sh
node scripts/sizes.mjs   # fails when a size budget is exceeded (storefront engine <= 80 KB gzip)
VOUCH_SERVE_BIN="$VOUCH_BIN" node --test --test-concurrency=1 tests/browser/*.test.mjs

echo "== fuzz smoke run (libFuzzer + ASan/UBSan, 10 s per target, 8 targets)"
bash scripts/fuzz.sh 10

#!/usr/bin/env bash
# Writes web/shared/rules.js, the rules the widget and the dashboard share
# with the C++ core (codes, ids, handles, links, review limits, page sizes,
# currency exponents, the CSV guard), from the core's own definitions by
# tests/web/web_rules.cpp. Run it after changing one of those rules in C++:
# tests/web/rules.test.mjs fails until the file is regenerated. The file is
# kept in the repository so that the widget and the dashboard build and serve
# with no native toolchain.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset release >/dev/null
cmake --build --preset release --target web_rules
./build/release/tests/web_rules js > web/shared/rules.js
echo "gen-rules: wrote web/shared/rules.js"

#!/usr/bin/env bash
# The main job: build Vouch, generate the demo store's feed, validate it and
# summarise what the engines see, then serve the demo store with `vouch serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release --target vouch
bash scripts/build-wasm.sh
bash scripts/build-web.sh
mkdir -p var
./build/release/cli/vouch generate --seed 1 --out var/demo-feed.json
./build/release/cli/vouch validate var/demo-feed.json
# The store owner's server on the demo feed, in the foreground (Ctrl-C stops
# it): prints the demo store, dashboard and feed URLs and the admin token.
exec ./build/release/cli/vouch serve --feed var/demo-feed.json --db var/vouch.db "$@"

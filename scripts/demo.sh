#!/usr/bin/env bash
# The main job: build Vouch, generate the demo store's feed, validate it and
# summarise what the engines see, then serve the demo store with `vouch serve`.
#   ./scripts/demo.sh [--postgres] [SERVE FLAGS...]
# --postgres serves it on PostgreSQL instead of SQLite: a throw-away local
# cluster (scripts/pg-scratch.sh), stopped and deleted when the server stops.
set -euo pipefail
cd "$(dirname "$0")/.."
postgres=0
if [ "${1:-}" = "--postgres" ]; then postgres=1; shift; fi
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
if [ "$postgres" = 1 ]; then
  exec bash scripts/pg-scratch.sh run --durable bash -c \
    'exec ./build/release/cli/vouch serve --feed var/demo-feed.json --db "$VOUCH_TEST_PG" "$@"' demo "$@"
fi
exec ./build/release/cli/vouch serve --feed var/demo-feed.json --db var/vouch.db "$@"

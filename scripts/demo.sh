#!/usr/bin/env bash
# The main job: build Vouch, generate the demo store's feed, validate it and
# summarise what the engines see.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release
mkdir -p var
./build/release/cli/vouch generate --seed 1 --out var/demo-feed.json
./build/release/cli/vouch validate var/demo-feed.json

#!/usr/bin/env bash
# Builds the WebAssembly engine and lays out web/dist/:
#   vouch-engine.mjs + vouch-engine.wasm   (Emscripten ES module + wasm)
#   engine.js + engine.d.ts                (the public JS API, web/src/engine.*, minified)
# Usage: scripts/build-wasm.sh [wasm-release|wasm-debug]   (default wasm-release)
# Idempotent and quick when nothing changed: configures only once (ninja
# re-runs CMake itself when a CMakeLists changes) and copies only what differs.
set -euo pipefail
cd "$(dirname "$0")/.."

preset="${1:-wasm-release}"
# Emscripten 3.1.6 from Debian imports acorn from here (also set in the presets).
export NODE_PATH=/usr/share/nodejs

if [ ! -f "build/$preset/build.ninja" ]; then
  emcmake cmake --preset "$preset" >/dev/null
fi
cmake --build --preset "$preset"

mkdir -p web/dist
copy_if_changed() {
  cmp -s "$1" "$2" || cp "$1" "$2"
}
copy_if_changed "build/$preset/wasm/vouch-engine.mjs" web/dist/vouch-engine.mjs
copy_if_changed "build/$preset/wasm/vouch-engine.wasm" web/dist/vouch-engine.wasm
# engine.js is minified (not bundled: it keeps importing ./vouch-engine.mjs).
node_modules/.bin/esbuild web/src/engine.js --minify --format=esm --target=es2020 \
  --log-level=warning --outfile="build/$preset/engine.min.js"
copy_if_changed "build/$preset/engine.min.js" web/dist/engine.js
copy_if_changed web/src/engine.d.ts web/dist/engine.d.ts
echo "build-wasm: web/dist is up to date ($preset)"

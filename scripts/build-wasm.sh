#!/usr/bin/env bash
# Builds the WebAssembly engine and lays out web/dist/:
#   engine.js          the public JS API (web/src/engine.js) bundled with the
#                      Emscripten glue: one ES module, minified
#   engine.d.ts        its types
#   vouch-engine.wasm  the engine, fetched by engine.js from its own directory
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
# engine.js and the Emscripten glue become one ES module (esbuild bundle,
# minified for release); it finds vouch-engine.wasm next to itself.
out="build/$preset/wasm"
copy_if_changed web/src/engine.js "$out/engine.js"
minify=--minify
[ "$preset" = wasm-debug ] && minify=
node_modules/.bin/esbuild "$out/engine.js" --bundle $minify --format=esm --target=es2020 \
  --log-level=warning --outfile="$out/engine.bundle.js"
copy_if_changed "$out/engine.bundle.js" web/dist/engine.js
copy_if_changed "$out/vouch-engine.wasm" web/dist/vouch-engine.wasm
copy_if_changed web/src/engine.d.ts web/dist/engine.d.ts
echo "build-wasm: web/dist is up to date ($preset)"

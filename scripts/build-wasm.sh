#!/usr/bin/env bash
# Builds the two WebAssembly modules and lays out web/dist/:
#   engine.js              the public JS API (web/src/engine.js) bundled with
#   vouch-engine.wasm      the Emscripten glue of the module with every engine
#   storefront-engine.js   the same API bundled with the storefront module's
#   vouch-storefront.wasm  glue (feed + social proof), which the widget loads
#   engine.d.ts            the API's types
# Each .js is one minified ES module that fetches its .wasm from its own directory.
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
# engine.js and one module's Emscripten glue become one ES module (esbuild
# bundle, minified for release): engine.js imports './engine-module.mjs',
# written here per module.
minify=--minify
[ "$preset" = wasm-debug ] && minify=
bundle() { # bundle OUTPUT.js MODULE-NAME
  local dir="build/$preset/wasm/bundle-$2"
  mkdir -p "$dir"
  copy_if_changed web/src/engine.js "$dir/engine.js"
  printf "export { default as createVouchModule } from '../%s.mjs';\nexport const WASM_FILE = '%s.wasm';\n" \
    "$2" "$2" > "$dir/engine-module.mjs"
  node_modules/.bin/esbuild "$dir/engine.js" --bundle $minify --format=esm --target=es2020 \
    --log-level=warning --outfile="$dir/bundle.js"
  copy_if_changed "$dir/bundle.js" "web/dist/$1"
  copy_if_changed "build/$preset/wasm/$2.wasm" "web/dist/$2.wasm"
}
bundle engine.js vouch-engine
bundle storefront-engine.js vouch-storefront
copy_if_changed web/src/engine.d.ts web/dist/engine.d.ts
echo "build-wasm: web/dist is up to date ($preset)"

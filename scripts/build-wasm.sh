#!/usr/bin/env bash
# Builds the two WebAssembly modules and lays out web/dist/:
#   storefront-engine.js   the public JS API (web/src/engine.js) bundled with
#   vouch-storefront.wasm  the storefront module's Emscripten glue: feed +
#                          social proof, what the widget loads (size first)
#   engine.js              the same API bundled with the module with every
#   vouch-engine.wasm      engine: the dashboard, the order page, node (speed first)
#   engine.d.ts            the API's types
# Each .js is one minified ES module that fetches its .wasm from its own directory.
# Usage: scripts/build-wasm.sh [release|debug]   (default release)
#   release: presets wasm-release (storefront, -Oz) and wasm-merchant (every
#            engine, -O2); debug: preset wasm-debug for both (-sASSERTIONS -g)
# Idempotent and quick when nothing changed: configures a tree once, and again
# when CMakePresets.json changed (ninja re-runs CMake itself when a CMakeLists
# changes, but not with the presets' cache variables), and copies only what differs.
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-release}"
# Emscripten 3.1.6 from Debian imports acorn from here (also set in the presets).
export NODE_PATH=/usr/share/nodejs

build() { # build PRESET: configure when new or when the presets changed, then build its targets
  if [ ! -f "build/$1/build.ninja" ] || [ CMakePresets.json -nt "build/$1/CMakeCache.txt" ]; then
    emcmake cmake --preset "$1" >/dev/null
  fi
  if [ "$1" = wasm-debug ]; then cmake --build "build/$1" -j2; else cmake --build --preset "$1"; fi
}

mkdir -p web/dist
copy_if_changed() {
  cmp -s "$1" "$2" || cp "$1" "$2"
}
# engine.js and one module's Emscripten glue become one ES module (esbuild
# bundle, minified for release): engine.js imports './engine-module.mjs' (the
# glue) and './engine-config.mjs' (the .wasm's name, and whether the module
# binds the merchant engines: esbuild leaves their JS out of the storefront
# bundle), written here per module.
bundle() { # bundle PRESET OUTPUT.js MODULE-NAME MERCHANT(true|false)
  local dir="build/$1/wasm/bundle-$3" minify=--minify
  [ "$1" = wasm-debug ] && minify=
  mkdir -p "$dir"
  copy_if_changed web/src/engine.js "$dir/engine.js"
  # engine.js imports the shared error class as '../shared/error.js'.
  mkdir -p "build/$1/wasm/shared"
  for file in web/shared/*.js; do copy_if_changed "$file" "build/$1/wasm/shared/${file##*/}"; done
  printf "export { default as createVouchModule } from '../%s.mjs';\n" "$3" > "$dir/engine-module.mjs"
  # Constants in a module of their own, which esbuild inlines (it does not
  # inline those of a module that imports).
  printf "export const WASM_FILE = '%s.wasm';\nexport const MERCHANT = %s;\n" "$3" "$4" > "$dir/engine-config.mjs"
  node_modules/.bin/esbuild "$dir/engine.js" --bundle $minify --format=esm --target=es2020 \
    --log-level=warning --outfile="$dir/bundle.js"
  copy_if_changed "$dir/bundle.js" "web/dist/$2"
  copy_if_changed "build/$1/wasm/$3.wasm" "web/dist/$3.wasm"
}

case "$mode" in
  release) storefront=wasm-release merchant=wasm-merchant ;;
  debug) storefront=wasm-debug merchant=wasm-debug ;;
  *) echo "usage: scripts/build-wasm.sh [release|debug]" >&2; exit 2 ;;
esac
build "$storefront"
[ "$merchant" = "$storefront" ] || build "$merchant"
bundle "$storefront" storefront-engine.js vouch-storefront false
bundle "$merchant" engine.js vouch-engine true
copy_if_changed web/src/engine.d.ts web/dist/engine.d.ts
echo "build-wasm: web/dist is up to date ($mode)"

#!/usr/bin/env bash
# Builds the storefront scripts into web/dist/ with the pinned esbuild:
#   vouch.js         the loader (IIFE, one async script tag; budget 5 KB gzip)
#   vouch-widget.js  the widget (ES module, imported by the loader on demand)
#   vouch-decorate.js  the outbound decoration (ES module, imported by the loader for data-domains)
#   vouch-engine-worker.js  the module Worker the widget runs the engine in
# The engine (web/dist/engine.js + vouch-engine.wasm) is built by build-wasm.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
esbuild=node_modules/.bin/esbuild
[ -x "$esbuild" ] || { echo "build-web: run scripts/setup.sh first (npm ci)" >&2; exit 1; }
mkdir -p web/dist
# Built beside web/dist and moved in only when changed (a rename, atomic):
# browser tests running side by side each call this while pages load web/dist.
out=$(mktemp -d web/dist/.build-web.XXXXXX)
trap 'rm -rf "$out"' EXIT

common=(--bundle --minify --target=es2020 --legal-comments=none --log-level=warning)
"$esbuild" web/src/loader.js "${common[@]}" --format=iife --outfile="$out/vouch.js"
"$esbuild" web/src/widget/index.js "${common[@]}" --format=esm --outfile="$out/vouch-widget.js"
# The outbound decoration, imported by the loader only on pages whose tag has data-domains.
"$esbuild" web/src/decorate.js "${common[@]}" --format=esm --outfile="$out/vouch-decorate.js"
# The widget's engine worker (imports storefront-engine.js at run time; docs/widget.md).
# The review form, imported by the social-proof placement when a shopper opens it.
"$esbuild" web/src/widget/review-form.js "${common[@]}" --format=esm --outfile="$out/vouch-review-form.js"
"$esbuild" web/src/widget/engine-worker.js "${common[@]}" --format=esm --outfile="$out/vouch-engine-worker.js"
for file in "$out"/*; do
  cmp -s "$file" "web/dist/${file##*/}" || mv -f "$file" web/dist/
done
# The dashboard's chart library (web/dist/uPlot.esm.js + uPlot.min.css).
bash scripts/build-admin.sh

budget=5120
size=$(gzip -9 -c web/dist/vouch.js | wc -c)
widget=$(gzip -9 -c web/dist/vouch-widget.js | wc -c)
echo "build-web: vouch.js ${size} B gzip (budget ${budget}), vouch-widget.js ${widget} B gzip"
if [ "$size" -gt "$budget" ]; then
  echo "build-web: vouch.js is over its ${budget} B gzip budget" >&2
  exit 1
fi

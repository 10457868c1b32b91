#!/usr/bin/env bash
# Puts the dashboard's one npm dependency where `vouch serve` serves it:
# uPlot (pinned in package.json), minified by the pinned esbuild with its
# licence header kept, as web/dist/uPlot.esm.js + web/dist/uPlot.min.css,
# imported by web/admin/performance.js. The dashboard itself (web/admin/) is
# plain ES2020 modules served as written: no build step.
set -euo pipefail
cd "$(dirname "$0")/.."
src=node_modules/uplot/dist
esbuild=node_modules/.bin/esbuild
[ -f "$src/uPlot.esm.js" ] && [ -x "$esbuild" ] || { echo "build-admin: run scripts/setup.sh first (npm ci)" >&2; exit 1; }
mkdir -p web/dist
if [ ! web/dist/uPlot.esm.js -nt "$src/uPlot.esm.js" ]; then
  licence=$(sed -n '1,/\*\//p' "$src/uPlot.esm.js")   # the MIT notice at the top
  "$esbuild" "$src/uPlot.esm.js" --minify --format=esm --target=es2020 --legal-comments=none \
    --log-level=warning --banner:js="$licence" --outfile=web/dist/uPlot.esm.js
fi
cmp -s "$src/uPlot.min.css" web/dist/uPlot.min.css || cp "$src/uPlot.min.css" web/dist/uPlot.min.css
echo "build-admin: web/dist/uPlot.esm.js $(gzip -9 -c web/dist/uPlot.esm.js | wc -c) B gzip"

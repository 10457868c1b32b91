#!/usr/bin/env bash
# Puts the storefront loader into the Shopify theme app extension:
# integrations/shopify/extensions/vouch-theme/assets/vouch.js, built from
# web/src/loader.js as scripts/build-web.sh builds web/dist/vouch.js (the
# extension's other files are in git). Run it before `shopify app deploy`
# (docs/shopify.md); the tests run it too.
set -euo pipefail
cd "$(dirname "$0")/.."
esbuild=node_modules/.bin/esbuild
[ -x "$esbuild" ] || { echo "build-shopify: run scripts/setup.sh first (npm ci)" >&2; exit 1; }
"$esbuild" web/src/loader.js --bundle --minify --target=es2020 --legal-comments=none --log-level=warning \
  --format=iife --outfile=integrations/shopify/extensions/vouch-theme/assets/vouch.js

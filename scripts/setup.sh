#!/usr/bin/env bash
# Installs what building, serving and testing Vouch needs on Debian 12:
# Debian packages (only those missing) and npm packages from package-lock.json.
# Idempotent: a second run installs nothing and takes a second.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  cmake ninja-build g++ pkg-config git ca-certificates
  nlohmann-json3-dev catch2                    # core + tests
  libcpp-httplib-dev libsqlite3-dev libssl-dev zlib1g-dev   # vouch serve
  emscripten                                   # the wasm engine
  chromium                                     # browser tests (no downloaded browsers)
  nginx                                        # the reverse proxy of the first-party cookie test (tests/browser/referral-cookie.test.mjs)
  fonts-dejavu-core fonts-liberation2          # the fonts the layout tests pin (tests/browser/layout.test.mjs)
  clang-14 libclang-rt-14-dev                  # fuzzing (libFuzzer + sanitizers)
  libvips-dev                                  # review photos: decoded, re-encoded, metadata stripped (server/reviews/photos.cpp)
  libpq-dev postgresql                         # the PostgreSQL back end, and the throw-away cluster its tests run on
  openssl                                      # the deployment test's self-signed certificate (tests/server/deployment.test.mjs)
)
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# npm packages, exactly as locked; re-run only when the lock file changed.
if [ -f package-lock.json ]; then
  stamp=node_modules/.package-lock.json
  if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
    npm ci --no-audit --no-fund --loglevel=error
  fi
fi

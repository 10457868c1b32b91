#!/usr/bin/env bash
# Installs what building, serving and testing Vouch needs on Debian 12:
# Debian packages (only those missing) and npm packages from package-lock.json.
# Idempotent: checks first, and a second run installs nothing in a second.
#   bash scripts/setup.sh [STEP...]    (default: every step, in this order)
# Steps (scripts/test.sh runs each as a stage of its own, so that the native
# build starts while the web packages still install):
#   apt-native  the C++ toolchain and libraries, node and npm, what the
#               server suite runs (PostgreSQL, nginx, openssl)
#   apt-web     Emscripten, Chromium and the fonts the browser tests pin
#   npm         npm ci, when package-lock.json changed since the last one
set -euo pipefail
cd "$(dirname "$0")/.."

native_packages=(
  cmake ninja-build g++ pkg-config git ca-certificates
  nlohmann-json3-dev catch2                    # core + tests
  libcpp-httplib-dev libsqlite3-dev libssl-dev zlib1g-dev   # vouch serve
  clang-14 libclang-rt-14-dev                  # the sanitizer + fuzz build (libFuzzer, ASan, UBSan)
  libvips-dev                                  # review photos: decoded, re-encoded, metadata stripped (server/reviews/photos.cpp)
  libpq-dev postgresql                         # the PostgreSQL back end, and the throw-away cluster its tests run on
  openssl                                      # the deployment test's self-signed certificate (tests/server/deployment.test.mjs)
  nginx                                        # the reverse proxy of the deployment and first-party cookie tests (tests/server/, tests/browser/referral-cookie.test.mjs)
  php-cli                                      # the WooCommerce plugin's tests (tests/integrations/woocommerce.test.mjs)
)
command -v node >/dev/null 2>&1 || native_packages+=(nodejs)
command -v npm >/dev/null 2>&1 || native_packages+=(npm)
web_packages=(
  emscripten                                   # the wasm engine
  chromium                                     # browser tests (no downloaded browsers)
  fonts-dejavu-core fonts-liberation2          # the fonts the layout tests pin (tests/browser/layout.test.mjs)
)

# apt_install PACKAGE...: installs those not installed yet.
apt_install() {
  local missing
  # One query for all: the names of those not installed ("unknown" ones too).
  missing=$({ dpkg-query -W -f='${Status} ${Package}\n' "$@" 2>&1 || true; } |
    awk '/^dpkg-query: no packages found matching/ { print $NF; next } $3 != "installed" { print $NF }')
  [ -n "$missing" ] || return 0
  echo "setup: installing" $missing
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  # The package lists, unless an update in the last hour fetched them.
  if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -mmin -60 -print -quit)" ]; then
    $sudo apt-get update -q
  fi
  # force-unsafe-io: dpkg skips its fsync per unpacked file; a crash
  # mid-install means running this again.
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends \
    -o Dpkg::Options::=--force-unsafe-io $missing
}

# npm packages, exactly as locked; re-run only when the lock file changed.
npm_install() {
  local stamp=node_modules/.package-lock.json
  if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

steps=("$@")
((${#steps[@]})) || steps=(apt-native apt-web npm)
for step in "${steps[@]}"; do
  start=$SECONDS
  case $step in
    apt-native) apt_install "${native_packages[@]}" ;;
    apt-web) apt_install "${web_packages[@]}" ;;
    npm) npm_install ;;
    *) echo "usage: scripts/setup.sh [apt-native|apt-web|npm]..." >&2; exit 2 ;;
  esac
  echo "setup: $step done in $((SECONDS - start)) s"
done

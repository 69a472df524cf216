#!/usr/bin/env bash
# Installs every Debian package the project needs (idempotent), the SQLite
# amalgamation (scripts/fetch-sqlite.sh) and the web front end's npm
# dependencies. Safe to run again: it does nothing when all is
# present. Run as root on Debian 12.
set -euo pipefail
cd "$(dirname "$0")/.."

DEB_PACKAGES=(
  # build
  build-essential cmake ninja-build ccache pkg-config git
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev libsqlite3-dev sqlite3 libmariadb-dev libargon2-dev
  libtomlplusplus-dev libgtest-dev libgmock-dev libbenchmark-dev
  # the server's allocator (src/app/CMakeLists.txt)
  libjemalloc-dev
  # servers used by tests and production-like runs
  mariadb-server mariadb-client redis-server nginx-light
  # load tools and browser for tests
  wrk curl chromium fonts-noto-cjk python3
  # HLS test streams for the command-center video panel (web/scripts/make-test-stream.sh)
  ffmpeg
  # web front end toolchain
  nodejs
)

missing=()
for p in "${DEB_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  echo "bootstrap: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Debian starts these as services on install; the project runs its own
  # instances on loopback with their own data directories instead.
  for svc in mariadb redis-server nginx; do
    (systemctl disable --now "$svc" || service "$svc" stop) >/dev/null 2>&1 || true
  done
fi
if ! command -v npm >/dev/null 2>&1; then
  apt-get install -y -qq --no-install-recommends npm >/dev/null
fi

# The SQLite amalgamation compiled into the binary (not in git).
scripts/fetch-sqlite.sh

# Web dependencies: installed from the lock file, only when it changed.
if [ -f web/package.json ]; then
  stamp=web/node_modules/.bootstrap-stamp
  want=$(sha256sum web/package.json web/package-lock.json 2>/dev/null | sha256sum | cut -c1-16)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "bootstrap: installing web dependencies"
    (cd web && if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; else npm install --no-audit --no-fund --loglevel=error; fi)
    echo "$want" > "$stamp"
  fi
fi
echo "bootstrap: ok"

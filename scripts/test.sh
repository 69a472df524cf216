#!/usr/bin/env bash
# The whole test suite: C++ unit and integration tests (storage suite against
# SQLite and a real MariaDB started here on a loopback port), web unit tests,
# then the built server is started and exercised end to end (HTTP smoke tests,
# Chromium end-to-end test, graceful drain on SIGTERM).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=${BUILD:-build}
T0=$(date +%s)

scripts/bootstrap.sh || { echo "bootstrap failed"; exit 1; }

passed=0; failed=0; failures=()
suite() {  # suite NAME COMMAND...
  local name=$1; shift
  echo "=== $name"
  local t=$(date +%s)
  if "$@"; then
    passed=$((passed + 1)); echo "=== $name: ok ($(( $(date +%s) - t ))s)"
  else
    failed=$((failed + 1)); failures+=("$name"); echo "=== $name: FAILED ($(( $(date +%s) - t ))s)"
  fi
}

# --- build
if [ ! -f "$BUILD/build.ninja" ]; then
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null || exit 1
fi
ninja -C "$BUILD" || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }

# --- services on loopback, private data directories
SERVICES=$ROOT/$BUILD/test-services
# A free loopback port unless one is given (a developer's own instance may hold 33061).
MARIADB_PORT=${HRSS_TEST_MARIADB_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
cleanup() {
  [ -n "${SERVER_PID:-}" ] && kill "$SERVER_PID" 2>/dev/null
  scripts/services.sh stop-mariadb "$SERVICES/mariadb" >/dev/null 2>&1
}
trap cleanup EXIT
DSN=$(scripts/services.sh start-mariadb "$SERVICES/mariadb" "$MARIADB_PORT" | tail -n 1) ||
  { echo "cannot start MariaDB"; echo "0 passed, 1 failed"; exit 1; }
export HRSS_TEST_MARIADB="$DSN"
export HRSS_REQUIRE_MARIADB=1

# --- C++ tests
suite "ctest (C++ unit and integration tests)" \
  ctest --test-dir "$BUILD" --output-on-failure --timeout 600

# --- web unit tests and build
suite "web unit tests (vitest)" bash -c "cd web && npm test --silent"
suite "web build" bash -c "cd web && npm run build --silent"

# --- the built server, end to end
suite "server end-to-end (HTTP, Chromium, drain)" tests/e2e/run.sh "$BUILD/hrss"

echo
echo "test time: $(( $(date +%s) - T0 ))s"
if ((failed)); then printf 'failed suite: %s\n' "${failures[@]}"; fi
echo "$passed passed, $failed failed"
((failed == 0))

#!/usr/bin/env bash
# Puts the SQLite 3.53.2 amalgamation (sqlite3.c, sqlite3.h) into
# third_party/sqlite/, where CMake compiles it into the binary
# (third_party/sqlite/README.md). The files are not in git: they come from the
# npm package better-sqlite3@12.11.1 (deps/sqlite3/), which the npm registry
# serves (npm keeps it in its cache afterwards), and must match the sha256
# sums below. Does nothing when both files are there and match. Called by
# scripts/bootstrap.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGE=better-sqlite3@12.11.1
DIR=third_party/sqlite
SUMS="60d2f39a3726cd6b9021da6f4e868608d66fbb6528a9f513dc8ffcc640493422  sqlite3.c
9e69a1353a4288450b0d5239ede11fc7f1f4c8e5eb07491fc8317eacb5b7de7e  sqlite3.h"

matches() { (cd "$1" && sha256sum --check --status --strict <<<"$SUMS") 2>/dev/null; }

matches "$DIR" && exit 0
command -v npm >/dev/null || { echo "fetch-sqlite: npm is missing (scripts/bootstrap.sh installs it)" >&2; exit 1; }
echo "fetch-sqlite: fetching the SQLite amalgamation ($PACKAGE)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent --loglevel=error "$PACKAGE" >/dev/null)
tar -xzf "$tmp"/better-sqlite3-*.tgz -C "$tmp" package/deps/sqlite3/sqlite3.c package/deps/sqlite3/sqlite3.h
if ! matches "$tmp/package/deps/sqlite3"; then
  echo "fetch-sqlite: $PACKAGE's sqlite3.c / sqlite3.h do not match the expected sha256" >&2
  exit 1
fi
cp "$tmp"/package/deps/sqlite3/sqlite3.[ch] "$DIR"/
echo "fetch-sqlite: ok"

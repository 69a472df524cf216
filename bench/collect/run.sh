#!/usr/bin/env bash
# bench/collect: end-to-end collection throughput (read, decode, normalize,
# validate, resolve, load) of `hrss collect` into a fresh database.
#
#   bench/collect/run.sh [SCALE] [MARIADB_DSN]
#
# Generates the simulator's small preset, scales its 居保 drops SCALE times
# (bench/collect/scale.py: distinct source keys, same persons; default 20 →
# about 315,000 records), then runs the jubao-files job and every file/db
# job of the small preset on SQLite, and, when a DSN is given
# (host=..;port=..;user=..;password=..;database=..), on MariaDB. Prints the
# records/s lines of `hrss collect`. Uses build-collect/hrss unless HRSS_BIN
# is set. The machine should be otherwise idle: the figure is wall time.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${HRSS_BIN:-$root/build-collect/hrss}
scale=${1:-20}
dsn=${2:-}
work=$(mktemp -d /tmp/hrss-bench-collect.XXXXXX)
trap 'rm -rf "$work"' EXIT

"$bin" simulate --preset small --seed 7 --out "$work/small/sources" >/dev/null
python3 "$here/scale.py" "$work/small/sources" "$work/scaled/sources" "$scale"

echo "== SQLite: small preset, every file/db job"
HRSS_LOG_LEVEL=warn "$bin" collect --all --data-dir "$work/small" 2>/dev/null | grep -E "records/s"
echo "== SQLite: 居保 drops x$scale"
HRSS_LOG_LEVEL=warn "$bin" collect --job jubao-files --data-dir "$work/scaled" 2>/dev/null | grep -E "records/s"

if [[ -n "$dsn" ]]; then
  get() { sed -n "s/.*$1=\([^;]*\).*/\1/p" <<<"$dsn"; }
  db="hrss_bench_collect"
  mysql_args=(-h "$(get host)" -P "$(get port)" -u "$(get user)")
  [[ -n "$(get password)" ]] && mysql_args+=(-p"$(get password)")
  for d in small scaled; do
    mariadb "${mysql_args[@]}" -e "DROP DATABASE IF EXISTS ${db}_$d; CREATE DATABASE ${db}_$d CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
  done
  export HRSS_STORAGE_DRIVER=mariadb HRSS_STORAGE_MARIADB_HOST="$(get host)" \
    HRSS_STORAGE_MARIADB_PORT="$(get port)" HRSS_STORAGE_MARIADB_USER="$(get user)" \
    HRSS_STORAGE_MARIADB_PASSWORD="$(get password)"
  echo "== MariaDB: small preset, every file/db job"
  HRSS_STORAGE_MARIADB_DATABASE=${db}_small HRSS_LOG_LEVEL=warn \
    "$bin" collect --all --data-dir "$work/small" 2>/dev/null | grep -E "records/s"
  echo "== MariaDB: 居保 drops x$scale"
  HRSS_STORAGE_MARIADB_DATABASE=${db}_scaled HRSS_LOG_LEVEL=warn \
    "$bin" collect --job jubao-files --data-dir "$work/scaled" 2>/dev/null | grep -E "records/s"
  for d in small scaled; do mariadb "${mysql_args[@]}" -e "DROP DATABASE IF EXISTS ${db}_$d"; done
fi

#!/usr/bin/env bash
# bench/olap: our cube engine vs DuckDB vs SQLite on the contribution cube at
# county scale (~32M fact rows: 1.1M persons, 居保/职工/机保 contributions
# 2016-2025), 17 typical analytical queries (bench/olap/queries.json), the
# three engines' numbers verified equal per query. See bench/olap/README.md.
#
#   bench/olap/run.sh [county|small]   (default county; small ≈ 1.1M rows, < 1 min)
#   env: SEED=7 RUNS=5 THREADS=2 DATA_ROOT=/tmp/hrss-bench-olap BUILD=build-olapbench ONLY=q01,q02
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SCALE=${1:-county}
case "$SCALE" in county|small) ;; *) echo "usage: $0 [county|small]" >&2; exit 2 ;; esac
SEED=${SEED:-7}
if [ "$SCALE" = small ]; then RUNS=${RUNS:-3}; else RUNS=${RUNS:-5}; fi
THREADS=${THREADS:-2}
DATA=${DATA_ROOT:-/tmp/hrss-bench-olap}/$SCALE-s$SEED
BUILD=${BUILD:-$ROOT/build-olapbench}
ONLY=${ONLY:-}

if [ ! -f "$BUILD/build.ninja" ]; then
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
ninja -C "$BUILD" olap_bench >/dev/null
BENCH=$BUILD/bench/olap/olap_bench

if [ ! -d "$ROOT/bench/olap/node_modules/@duckdb/node-api" ] || [ ! -d "$ROOT/bench/olap/node_modules/better-sqlite3" ]; then
  (cd "$ROOT/bench/olap" && npm ci --no-audit --no-fund >/dev/null)
fi

if [ ! -f "$DATA/facts.csv" ]; then
  "$BENCH" gen --rows-scale "$SCALE" --seed "$SEED" --out "$DATA"
fi
echo "data: $DATA ($(du -h "$DATA/facts.csv" | cut -f1) CSV); machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg) (shared)"

rm -f "$DATA/ours.json"
set +e
"$BENCH" run --data "$DATA" --queries "$ROOT/bench/olap/queries.json" --runs "$RUNS" --threads "$THREADS" \
  ${ONLY:+--only "$ONLY"} --out "$DATA/ours.json"
rc=$?
set -e
if [ $rc -eq 3 ]; then
  echo "(olap_bench built without the engine: DuckDB and SQLite only)"
elif [ $rc -ne 0 ]; then
  echo "olap_bench run failed (exit $rc)" >&2
  exit $rc
fi

node "$ROOT/bench/olap/run.mjs" --data "$DATA" --queries "$ROOT/bench/olap/queries.json" --ours "$DATA/ours.json" \
  --runs "$RUNS" ${ONLY:+--only "$ONLY"} --report "$DATA/report.json"

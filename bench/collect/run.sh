#!/usr/bin/env bash
# bench/collect: end-to-end collection throughput (read, decode, normalize,
# validate, resolve, load) of `hrss collect` into a fresh database, against
# the issue 4 target of 250,000 rows/s into SQLite.
#
#   bench/collect/run.sh [DATASET] [MARIADB_DSN]
#
# DATASET:
#   N        (a number, default 20) the small preset (seed 7) with its 居保
#            drops scaled N times (bench/collect/scale.py: distinct source keys,
#            same persons; 20 → about 307,000 records). Quick, for iteration.
#   county   the county preset (seed 7): about 41M source rows, 4.9 GB on disk
#            (generated once, ~150–300 s, into $HRSS_BENCH_DIR/county, default
#            /tmp/hrss-bench-county; kept for the next run). Runs the 居保 job
#            (jubao-files, ~20.8M records) and the 社保 job (shebao-db). The
#            SQLite database of a run needs a few more GB (deleted after the
#            run unless HRSS_BENCH_KEEP=1).
# MARIADB_DSN (host=..;port=..;user=..;password=..;database=..): also run on
# MariaDB (database hrss_bench_collect_<dataset>, dropped afterwards).
#
# Uses build-perf/hrss, else build-collect/hrss, unless HRSS_BIN is set.
# The figure is wall time of `hrss collect` per job (records read / s, as it
# prints): the machine should be otherwise idle. HRSS_BENCH_JOBS overrides the
# job list (space-separated codes). HRSS_COLLECT_DEFER_INDEXES=0 (passed on to
# hrss) loads with every index maintained per row (A/B of the deferred
# secondary-index rebuild of a first load, see README).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${HRSS_BIN:-}
if [[ -z "$bin" ]]; then
  for b in "$root/build-perf/hrss" "$root/build-collect/hrss"; do
    [[ -x "$b" ]] && bin=$b && break
  done
fi
[[ -x "$bin" ]] || { echo "no hrss binary (set HRSS_BIN)" >&2; exit 1; }
dataset=${1:-20}
dsn=${2:-}
target=250000
results=()

if [[ "$dataset" == county ]]; then
  base=${HRSS_BENCH_DIR:-/tmp/hrss-bench-county}
  data=$base/county
  if [[ ! -f "$data/sources/manifest.json" ]]; then
    echo "generating the county preset into $data/sources (~4.9 GB, a few minutes)..." >&2
    "$bin" simulate --preset county --seed 7 --out "$data/sources" >/dev/null 2>&1
  fi
  jobs=(${HRSS_BENCH_JOBS:-jubao-files shebao-db})
  label="county/7"
  work=$(mktemp -d "$base/run.XXXXXX")
else
  work=$(mktemp -d /tmp/hrss-bench-collect.XXXXXX)
  "$bin" simulate --preset small --seed 7 --out "$work/small/sources" >/dev/null 2>&1
  python3 "$here/scale.py" "$work/small/sources" "$work/data/sources" "$dataset"
  data=$work/data
  jobs=(${HRSS_BENCH_JOBS:-jubao-files})
  label="small/7 jubao x$dataset"
fi
cleanup() { [[ "${HRSS_BENCH_KEEP:-0}" == 1 ]] || rm -rf "$work"; }
trap cleanup EXIT

# run_one DB-LABEL DATA-DIR: runs each job into a fresh database under
# DATA-DIR's parent copy (the sources are linked, not copied).
run_one() {
  local dblabel=$1 dir=$2
  local job line recs secs
  for job in "${jobs[@]}"; do
    # The largest the SQLite WAL grew during the job (sampled every 0.5 s):
    # readers that hold a snapshot for long keep it from starting over.
    local peak=$dir/.wal-peak
    echo 0 >"$peak"
    ( max=0; while sleep 0.5; do
        s=$(stat -c %s "$dir/hrss.db-wal" 2>/dev/null || echo 0)
        (( s > max )) && max=$s && echo "$max" >"$peak"
      done ) &
    local watcher=$!
    line=$(HRSS_LOG_LEVEL=warn "$bin" collect --job "$job" --data-dir "$dir" 2>/dev/null |
           grep -E "^$job .*records/s" || true)
    kill "$watcher" 2>/dev/null; wait "$watcher" 2>/dev/null || true
    local wal="-"
    [[ "$dblabel" == sqlite ]] && wal=$(( $(cat "$peak") / 1048576 ))
    if [[ -z "$line" ]]; then
      results+=("$label|$job|$dblabel|-|-|-|-|$wal")
      continue
    fi
    echo "$dblabel: $line" >&2
    recs=$(sed -n 's/.* read \([0-9]*\),.*/\1/p' <<<"$line")
    secs=$(sed -n 's/.*, \([0-9.]*\) s, .*/\1/p' <<<"$line")
    results+=("$label|$job|$dblabel|$recs|$secs|$(awk -v r="$recs" -v s="$secs" 'BEGIN{printf "%.0f", r/s}')|$(awk -v r="$recs" -v s="$secs" -v t=$target 'BEGIN{printf "%.2f", r/s/t}')|$wal")
  done
}

# A data dir whose sources are the dataset's (symlink) and whose database is fresh.
fresh_dir() {
  local d=$work/$1
  rm -rf "$d" && mkdir -p "$d" && ln -s "$data/sources" "$d/sources"
  echo "$d"
}

run_one sqlite "$(fresh_dir sqlite)"
rm -rf "$work/sqlite"

if [[ -n "$dsn" ]]; then
  get() { sed -n "s/.*$1=\([^;]*\).*/\1/p" <<<"$dsn"; }
  db="hrss_bench_collect_$$"
  mysql_args=(-h "$(get host)" -P "$(get port)" -u "$(get user)")
  [[ -n "$(get password)" ]] && mysql_args+=(-p"$(get password)")
  mariadb "${mysql_args[@]}" -e "DROP DATABASE IF EXISTS $db; CREATE DATABASE $db CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
  HRSS_STORAGE_DRIVER=mariadb HRSS_STORAGE_MARIADB_HOST="$(get host)" \
    HRSS_STORAGE_MARIADB_PORT="$(get port)" HRSS_STORAGE_MARIADB_USER="$(get user)" \
    HRSS_STORAGE_MARIADB_PASSWORD="$(get password)" HRSS_STORAGE_MARIADB_DATABASE=$db \
    run_one mariadb "$(fresh_dir mariadb)"
  mariadb "${mysql_args[@]}" -e "DROP DATABASE IF EXISTS $db"
fi

printf '\n%-22s %-12s %-8s %12s %9s %10s %9s %12s\n' dataset job database records wall_s rows/s vs_250k wal_peak_MB
for r in "${results[@]}"; do
  IFS='|' read -r a b c d e f g h <<<"$r"
  printf '%-22s %-12s %-8s %12s %9s %10s %9s %12s\n' "$a" "$b" "$c" "$d" "$e" "$f" "$g" "$h"
done

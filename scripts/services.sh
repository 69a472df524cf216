#!/usr/bin/env bash
# Private MariaDB and Redis instances for development and tests.
#
#   scripts/services.sh start-mariadb DIR PORT   # init DIR if needed, start, print DSN
#   scripts/services.sh stop-mariadb  DIR
#   scripts/services.sh start-redis   DIR PORT   # start, print address
#   scripts/services.sh stop-redis    DIR
#   scripts/services.sh status        DIR        # is the service in DIR running?
#
# Each instance lives entirely in DIR (data, socket, pid file, log), listens on
# 127.0.0.1 only and needs no system service. Starting an instance that is
# already running is a no-op that prints the same DSN, so callers (CI, test
# runners) may call start unconditionally. Works as root on a clean Debian 12.
#
# MariaDB: root@localhost/127.0.0.1/::1 with an EMPTY password (loopback only;
# this is a test/dev instance, never production). Durability is relaxed
# (innodb_flush_log_at_trx_commit=2) to keep test suites fast. The buffer pool
# and redo log are 256M each unless HRSS_MARIADB_BUFFER_POOL /
# HRSS_MARIADB_LOG_FILE_SIZE say otherwise (the county-scale bench uses 4G / 1G).
# The DSN format is the one db::ParseMariaDbDsn (src/db/options.h) reads:
#   host=127.0.0.1;port=PORT;user=root;password=;database=hrss_test
set -euo pipefail

die() { echo "services: $*" >&2; exit 1; }

abs_dir() {
  mkdir -p "$1"
  (cd "$1" && pwd)
}

pid_alive() {  # pidfile
  [ -f "$1" ] || return 1
  local pid
  pid=$(cat "$1" 2>/dev/null || true)
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

wait_pid_exit() {  # pid seconds
  local pid=$1 n=$(($2 * 10))
  while kill -0 "$pid" 2>/dev/null && ((n-- > 0)); do sleep 0.1; done
  ! kill -0 "$pid" 2>/dev/null
}

# ---------------------------------------------------------------- MariaDB

mariadb_admin() {  # dir args...
  local dir=$1; shift
  mariadb-admin --no-defaults --protocol=socket --socket="$dir/mysqld.sock" \
    --user=root --connect-timeout=2 "$@"
}

mariadb_dsn() {  # port
  echo "host=127.0.0.1;port=$1;user=root;password=;database=hrss_test"
}

start_mariadb() {
  [ $# -eq 2 ] || die "usage: start-mariadb DIR PORT"
  local dir port
  dir=$(abs_dir "$1")
  port=$2
  [[ "$port" =~ ^[0-9]+$ ]] || die "PORT must be a number"
  command -v mariadbd >/dev/null || die "mariadbd not found (apt-get install mariadb-server)"

  if pid_alive "$dir/mariadbd.pid" && mariadb_admin "$dir" ping >/dev/null 2>&1; then
    local running_port
    running_port=$(cat "$dir/mariadb.port" 2>/dev/null || echo "$port")
    [ "$running_port" = "$port" ] ||
      echo "services: note: MariaDB in $dir already runs on port $running_port" >&2
    echo "MariaDB already running in $dir (pid $(cat "$dir/mariadbd.pid"))" >&2
    mariadb_dsn "$running_port"
    return 0
  fi
  rm -f "$dir/mariadbd.pid" "$dir/mysqld.sock"

  if [ ! -d "$dir/data/mysql" ]; then
    echo "services: initialising MariaDB data directory $dir/data" >&2
    mkdir -p "$dir/data" "$dir/tmp"
    mariadb-install-db --no-defaults --datadir="$dir/data" --user="$(id -un)" \
      --auth-root-authentication-method=normal --skip-test-db \
      >"$dir/install.log" 2>&1 || { cat "$dir/install.log" >&2; die "mariadb-install-db failed"; }
  fi
  mkdir -p "$dir/tmp"

  echo "services: starting mariadbd on 127.0.0.1:$port" >&2
  # setsid + nohup: the server survives the calling shell and its job control.
  setsid nohup mariadbd --no-defaults \
    --datadir="$dir/data" --tmpdir="$dir/tmp" \
    --socket="$dir/mysqld.sock" --pid-file="$dir/mariadbd.pid" \
    --log-error="$dir/mariadbd.log" \
    --port="$port" --bind-address=127.0.0.1 --skip-name-resolve \
    --user="$(id -un)" \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    --default-time-zone=+00:00 \
    --max-connections=300 \
    --innodb-buffer-pool-size="${HRSS_MARIADB_BUFFER_POOL:-256M}" \
    --innodb-log-file-size="${HRSS_MARIADB_LOG_FILE_SIZE:-256M}" \
    --innodb-flush-log-at-trx-commit=2 \
    </dev/null >>"$dir/mariadbd.log" 2>&1 &
  echo "$port" >"$dir/mariadb.port"

  local i
  for ((i = 0; i < 300; i++)); do
    if mariadb_admin "$dir" ping >/dev/null 2>&1; then break; fi
    if ((i > 20)) && ! pid_alive "$dir/mariadbd.pid" && ! pgrep -f -- "--datadir=$dir/data" >/dev/null; then
      tail -n 30 "$dir/mariadbd.log" >&2 || true
      die "mariadbd exited during start-up (log: $dir/mariadbd.log)"
    fi
    sleep 0.1
  done
  mariadb_admin "$dir" ping >/dev/null 2>&1 ||
    { tail -n 30 "$dir/mariadbd.log" >&2 || true; die "mariadbd did not answer within 30 s"; }
  # The default database named in the DSN; tests create their own per test.
  mariadb --no-defaults --socket="$dir/mysqld.sock" --user=root \
    -e "CREATE DATABASE IF NOT EXISTS hrss_test CHARACTER SET utf8mb4" >/dev/null
  echo "MariaDB running in $dir (pid $(cat "$dir/mariadbd.pid"), socket $dir/mysqld.sock)" >&2
  mariadb_dsn "$port"
}

stop_mariadb() {
  [ $# -eq 1 ] || die "usage: stop-mariadb DIR"
  local dir=$1
  [ -d "$dir" ] || { echo "MariaDB: nothing in $dir" >&2; return 0; }
  dir=$(cd "$dir" && pwd)
  if ! pid_alive "$dir/mariadbd.pid"; then
    echo "MariaDB not running in $dir" >&2
    rm -f "$dir/mariadbd.pid"
    return 0
  fi
  local pid
  pid=$(cat "$dir/mariadbd.pid")
  mariadb_admin "$dir" shutdown >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true
  if ! wait_pid_exit "$pid" 60; then
    echo "services: mariadbd $pid did not stop in 60 s; sending SIGKILL" >&2
    kill -KILL "$pid" 2>/dev/null || true
    wait_pid_exit "$pid" 10 || true
  fi
  rm -f "$dir/mariadbd.pid"
  echo "MariaDB in $dir stopped" >&2
}

# ---------------------------------------------------------------- Redis

start_redis() {
  [ $# -eq 2 ] || die "usage: start-redis DIR PORT"
  local dir port
  dir=$(abs_dir "$1")
  port=$2
  [[ "$port" =~ ^[0-9]+$ ]] || die "PORT must be a number"
  command -v redis-server >/dev/null || die "redis-server not found (apt-get install redis-server)"

  if pid_alive "$dir/redis.pid"; then
    local running_port
    running_port=$(cat "$dir/redis.port" 2>/dev/null || echo "$port")
    if redis-cli -h 127.0.0.1 -p "$running_port" ping >/dev/null 2>&1; then
      echo "Redis already running in $dir (pid $(cat "$dir/redis.pid"))" >&2
      echo "redis://127.0.0.1:$running_port"
      return 0
    fi
  fi
  rm -f "$dir/redis.pid"

  echo "services: starting redis-server on 127.0.0.1:$port" >&2
  redis-server --dir "$dir" --bind 127.0.0.1 --port "$port" --daemonize yes \
    --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" \
    --appendonly yes --appendfsync everysec --save "" \
    --protected-mode yes >/dev/null
  echo "$port" >"$dir/redis.port"
  local i
  for ((i = 0; i < 100; i++)); do
    if redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG; then
      echo "Redis running in $dir (pid $(cat "$dir/redis.pid" 2>/dev/null || echo '?'))" >&2
      echo "redis://127.0.0.1:$port"
      return 0
    fi
    sleep 0.1
  done
  tail -n 20 "$dir/redis.log" >&2 || true
  die "redis-server did not answer within 10 s"
}

stop_redis() {
  [ $# -eq 1 ] || die "usage: stop-redis DIR"
  local dir=$1
  [ -d "$dir" ] || { echo "Redis: nothing in $dir" >&2; return 0; }
  dir=$(cd "$dir" && pwd)
  if ! pid_alive "$dir/redis.pid"; then
    echo "Redis not running in $dir" >&2
    rm -f "$dir/redis.pid"
    return 0
  fi
  local pid port
  pid=$(cat "$dir/redis.pid")
  port=$(cat "$dir/redis.port" 2>/dev/null || echo "")
  if [ -n "$port" ]; then
    redis-cli -h 127.0.0.1 -p "$port" shutdown >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true
  else
    kill -TERM "$pid" 2>/dev/null || true
  fi
  if ! wait_pid_exit "$pid" 30; then
    kill -KILL "$pid" 2>/dev/null || true
    wait_pid_exit "$pid" 5 || true
  fi
  rm -f "$dir/redis.pid"
  echo "Redis in $dir stopped" >&2
}

status() {
  [ $# -eq 1 ] || die "usage: status DIR"
  local dir=$1 any=0
  if pid_alive "$dir/mariadbd.pid"; then
    echo "mariadb: running (pid $(cat "$dir/mariadbd.pid"), port $(cat "$dir/mariadb.port" 2>/dev/null))"; any=1
  fi
  if pid_alive "$dir/redis.pid"; then
    echo "redis: running (pid $(cat "$dir/redis.pid"), port $(cat "$dir/redis.port" 2>/dev/null))"; any=1
  fi
  ((any)) || { echo "nothing running in $dir"; return 1; }
}

cmd=${1:-}
[ -n "$cmd" ] || die "usage: $0 {start-mariadb DIR PORT|stop-mariadb DIR|start-redis DIR PORT|stop-redis DIR|status DIR}"
shift
case "$cmd" in
  start-mariadb) start_mariadb "$@" ;;
  stop-mariadb) stop_mariadb "$@" ;;
  start-redis) start_redis "$@" ;;
  stop-redis) stop_redis "$@" ;;
  status) status "$@" ;;
  *) die "unknown command '$cmd'" ;;
esac

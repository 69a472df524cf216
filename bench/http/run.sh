#!/usr/bin/env bash
# bench/http: our JSON API endpoint versus nginx serving a static file of the
# same size, same machine, same run, same wrk settings (256 connections).
# Then: 10,000 idle keep-alive connections held, and the server's RSS.
#
#   bench/http/run.sh [build/hrss]      (DURATION=10s CONNECTIONS=256 IDLE=10000)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HRSS=$(realpath "${1:-$ROOT/build/hrss}")
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-256}
IDLE=${IDLE:-10000}
THREADS=${THREADS:-2}
WORK=$(mktemp -d /tmp/hrss-bench.XXXXXX); chmod 755 "$WORK"  # nginx workers run as www-data
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
HPORT=$(free_port); NPORT=$(free_port)
cleanup() {
  [ -n "${HPID:-}" ] && kill "$HPID" 2>/dev/null
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
command -v wrk >/dev/null && command -v nginx >/dev/null || { echo "needs wrk and nginx (scripts/bootstrap.sh)"; exit 1; }

# --- our server, demo data, no access log (nginx runs without one too)
"$HRSS" demo --data-dir "$WORK/var" --demo-password 'Dazhu@2026' >/dev/null
HRSS_LOG_LEVEL=warn "$HRSS" serve --port "$HPORT" --data-dir "$WORK/var" --web-root "$ROOT/web/dist" >"$WORK/hrss.log" 2>&1 &
HPID=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$HPORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
# The authenticated endpoint: a township clerk's bearer token through the whole
# filter chain (request id, access log, security headers, CORS, authentication
# with session lookup, CSRF, authorization) to GET /api/v1/me on the worker pool.
ENDPOINT=${ENDPOINT:-/api/v1/me}
URL_H="http://127.0.0.1:$HPORT$ENDPOINT"
TOKEN=$(curl -fs -X POST -H 'content-type: application/json' \
  -d '{"username":"clerk_zhuyang","password":"Dazhu@2026"}' \
  "http://127.0.0.1:$HPORT/api/v1/auth/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
AUTH="Authorization: Bearer $TOKEN"
curl -fs -H "$AUTH" "$URL_H" -o "$WORK/body.json"
SIZE=$(stat -c %s "$WORK/body.json")

# --- nginx with the same body as a static file
mkdir -p "$WORK/www" "$WORK/nginx-tmp"
cp "$WORK/body.json" "$WORK/www/static.json"
cat > "$WORK/nginx.conf" <<CONF
worker_processes auto;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 16384; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx-tmp; proxy_temp_path $WORK/nginx-tmp;
  fastcgi_temp_path $WORK/nginx-tmp; uwsgi_temp_path $WORK/nginx-tmp; scgi_temp_path $WORK/nginx-tmp;
  keepalive_requests 1000000;
  keepalive_timeout 75s;
  types { application/json json; }
  server { listen 127.0.0.1:$NPORT; root $WORK/www; }
}
CONF
nginx -c "$WORK/nginx.conf"
URL_N="http://127.0.0.1:$NPORT/static.json"
curl -fs "$URL_N" >/dev/null

run_wrk() {  # run_wrk URL [header]: prints "rps p99_ms"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency ${2:+-H "$2"} "$1" > "$WORK/wrk.out" 2>&1
  local rps p99
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$WORK/wrk.out")
  p99=$(awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub("us","",v); v=v/1000} else if (v ~ /ms$/) {sub("ms","",v)} else if (v ~ /s$/) {sub("s","",v); v=v*1000}; print v}' "$WORK/wrk.out")
  local errors; errors=$(grep -E "Non-2xx|Socket errors" "$WORK/wrk.out" || true)
  [ -n "$errors" ] && echo "    ($1: $errors)" >&2
  echo "$rps $p99"
}
echo "bench/http: $CONNECTIONS connections, $THREADS wrk threads, $DURATION, body $SIZE bytes, $(nproc) cores"
wrk -t"$THREADS" -c"$CONNECTIONS" -d2s -H "$AUTH" "$URL_H" >/dev/null 2>&1   # warm-up
wrk -t"$THREADS" -c"$CONNECTIONS" -d2s "$URL_N" >/dev/null 2>&1
read -r H_RPS H_P99 < <(run_wrk "$URL_H" "$AUTH")
read -r N_RPS N_P99 < <(run_wrk "$URL_N")
RATIO=$(python3 -c "print(f'{$H_RPS/$N_RPS:.2f}')")
printf '%-34s %12s %10s\n' "target" "requests/s" "p99 ms"
printf '%-34s %12s %10s\n' "hrss GET $ENDPOINT (bearer)" "$H_RPS" "$H_P99"
printf '%-34s %12s %10s\n' "nginx static file (same size)" "$N_RPS" "$N_P99"
echo "ratio hrss/nginx: ${RATIO}x   (target >= 0.5x, hrss p99 < 25 ms)"

# --- idle keep-alive connections and memory
RSS0=$(awk '/VmRSS/ {print $2}' /proc/$HPID/status)
python3 - "$HPORT" "$IDLE" "$HPID" <<'PY'
import socket, sys, time
port, n, pid = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
req = b"GET /healthz HTTP/1.1\r\nHost: bench\r\n\r\n"
socks = []
for i in range(n):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(req)
    socks.append(s)
ok = 0
for s in socks:
    s.settimeout(10)
    data = s.recv(4096)
    if data.startswith(b"HTTP/1.1 200"): ok += 1
time.sleep(1)
rss = [l for l in open(f"/proc/{pid}/status") if l.startswith("VmRSS")][0].split()[1]
alive = 0
for s in socks:
    s.setblocking(False)
    try:
        if s.recv(1) == b"": continue
    except BlockingIOError:
        alive += 1
print(f"idle keep-alive connections: {n} opened, {ok} answered, {alive} still open; hrss RSS {int(rss)/1024:.1f} MiB (target < 300 MiB)")
PY
echo "hrss RSS before idle test: $((RSS0/1024)) MiB"

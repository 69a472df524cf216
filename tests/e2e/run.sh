#!/usr/bin/env bash
# End-to-end checks of the built `hrss` binary: demo data, serving, the JSON
# error envelope, static apps with SPA fallback, the Chromium login-page test,
# schema guard, and graceful drain on SIGTERM.
#   tests/e2e/run.sh build/hrss
set -uo pipefail
HRSS=$(realpath "$1")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d /tmp/hrss-e2e.XXXXXX)
DATA=$WORK/var
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BASE=http://127.0.0.1:$PORT
pass=0; fail=0
ok()   { pass=$((pass+1)); echo "  ok   $1"; }
bad()  { fail=$((fail+1)); echo "  FAIL $1"; }
check() { local name=$1; shift; if "$@"; then ok "$name"; else bad "$name"; fi; }
cleanup() { [ -n "${PID:-}" ] && kill -9 "$PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

cd "$ROOT"
check "demo data loads" bash -c "'$HRSS' demo --data-dir '$DATA' --demo-password 'Dazhu@2026' > '$WORK/demo.out'"
# The security administrator's TOTP secret, as `hrss demo` prints it.
SECADMIN_TOTP=$(awk '$1 == "secadmin" && NF == 2 {print $2}' "$WORK/demo.out")
ADMIN_TOTP=$(awk '$1 == "admin" && NF == 2 {print $2}' "$WORK/demo.out")
check "demo prints the administrators' TOTP secrets" test -n "$SECADMIN_TOTP"
check "demo data loads twice (idempotent)" "$HRSS" demo --data-dir "$DATA" >/dev/null
check "bad setting is refused with exit 2" bash -c \
  "HRSS_SERVER_PORT=abc '$HRSS' serve --data-dir '$DATA' 2>&1 | grep -q 'server.port'; test \${PIPESTATUS[0]} -eq 2"

"$HRSS" serve --port "$PORT" --data-dir "$DATA" --web-root "$ROOT/web/dist" >"$WORK/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 100); do curl -fs "$BASE/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

check "GET /healthz is 200 with status ok" bash -c "curl -fs '$BASE/healthz' | grep -q '\"status\":\"ok\"'"
check "GET /api/v1/system/info names the bureau" bash -c \
  "curl -fs '$BASE/api/v1/system/info' | grep -q '大竹县人力资源和社会保障局'"
check "portal is served as HTML" bash -c \
  "curl -fsI '$BASE/portal/' | grep -qi 'content-type: text/html'"
check "portal deep route falls back to the app" bash -c \
  "curl -fs '$BASE/portal/system/users' | grep -qi '<div id=\"app\"'"
check "unknown API is a 404 JSON envelope" bash -c \
  "curl -s '$BASE/api/v1/nope' | grep -q '\"code\":\"NOT_FOUND\"'"
check "wrong method is 405 with Allow" bash -c \
  "curl -si -X POST '$BASE/healthz' | grep -qi '^allow: GET, HEAD'"
check "path traversal does not leak files" bash -c \
  "! curl -s --path-as-is '$BASE/../../../../etc/passwd' | grep -q 'root:' && \
   ! curl -s --path-as-is '$BASE/portal/%2e%2e/%2e%2e/%2e%2e/etc/passwd' | grep -q 'root:'"
check "metrics count requests per route" bash -c \
  "curl -fs '$BASE/metrics' | grep -q 'hrss_http_requests_total{route=\"GET /healthz\"'"
echo "  -- identity: sign-in, session cookie, CSRF, permissions"
JAR=$WORK/cookies
LOGIN='{"username":"clerk_zhuyang","password":"Dazhu@2026"}'
check "login as clerk_zhuyang is 200 with session and CSRF cookies" bash -c \
  "curl -s -c '$JAR' -o '$WORK/login.json' -w '%{http_code}' -H 'Content-Type: application/json' \
     -d '$LOGIN' '$BASE/api/v1/auth/login' | grep -q 200 && \
   grep -q 'hrss_session' '$JAR' && grep -q 'hrss_csrf' '$JAR' && grep -q '\"token\"' '$WORK/login.json'"
check "session cookie is HttpOnly and SameSite=Lax" bash -c \
  "curl -s -D - -o /dev/null -H 'Content-Type: application/json' -d '$LOGIN' '$BASE/api/v1/auth/login' | \
   grep -i '^set-cookie: hrss_session=' | grep -i 'httponly' | grep -qi 'samesite=lax'"
check "GET /api/v1/me names the clerk and her township" bash -c \
  "curl -fs -b '$JAR' '$BASE/api/v1/me' | grep -q '竹阳街道劳动保障所'"
check "a system route is 403 for the clerk" bash -c \
  "test \$(curl -s -o /dev/null -w '%{http_code}' -b '$JAR' '$BASE/api/v1/roles') = 403"
check "logout without the CSRF header is 403 CSRF_INVALID" bash -c \
  "curl -s -b '$JAR' -X POST '$BASE/api/v1/auth/logout' | grep -q CSRF_INVALID"
check "logout with the CSRF header is 204" bash -c \
  "test \$(curl -s -o /dev/null -w '%{http_code}' -b '$JAR' -X POST \
     -H \"X-CSRF-Token: \$(awk '\$6==\"hrss_csrf\"{print \$7}' '$JAR')\" '$BASE/api/v1/auth/logout') = 204"
check "the revoked session is 401 afterwards" bash -c \
  "test \$(curl -s -o /dev/null -w '%{http_code}' -b '$JAR' '$BASE/api/v1/me') = 401"
check "the administrator needs TOTP" bash -c \
  "curl -s -H 'Content-Type: application/json' -d '{\"username\":\"admin\",\"password\":\"Dazhu@2026\"}' \
     '$BASE/api/v1/auth/login' | grep -q TOTP_REQUIRED"

echo "  -- data center: the data dictionary (218 collection sources)"
LJAR=$WORK/leader-cookies
check "login as leader is 200" bash -c \
  "curl -s -c '$LJAR' -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
     -d '{\"username\":\"leader\",\"password\":\"Dazhu@2026\"}' '$BASE/api/v1/auth/login' | grep -q 200"
check "leader lists the dictionary's sources: total 218" bash -c \
  "curl -fs -b '$LJAR' '$BASE/api/v1/datacenter/dictionary/sources?size=5' | grep -q '\"total\":218'"
check "sources of 居保 (system=jubao): total 7" bash -c \
  "curl -fs -b '$LJAR' '$BASE/api/v1/datacenter/dictionary/sources?system=jubao' | grep -q '\"total\":7'"
check "a bad page size is 400" bash -c \
  "test \$(curl -s -o /dev/null -w '%{http_code}' -b '$LJAR' '$BASE/api/v1/datacenter/dictionary/sources?size=0') = 400"
check "the CSV export starts with a BOM and has 219 lines" bash -c \
  "curl -fs -b '$LJAR' -o '$WORK/dict.csv' '$BASE/api/v1/datacenter/dictionary/export.csv' && \
   head -c 3 '$WORK/dict.csv' | od -An -tx1 | grep -q 'ef bb bf' && test \$(wc -l < '$WORK/dict.csv') = 219"

echo "  -- data center queries: authentication and data scope"
CJAR=$WORK/clerk-cookies
# A 竹阳 and a 白塔 resident of the demo data (both with live source records).
ZHUYANG_ID=$(sqlite3 "$DATA/hrss.db" "SELECT p.id FROM dc_person p WHERE p.division_code = '511724001' AND EXISTS \
  (SELECT 1 FROM dc_person_source s WHERE s.person_id = p.id AND s.deleted = 0 AND s.src_system IN ('jubao','shebao','jiuye')) ORDER BY p.id LIMIT 1")
BAITA_ID=$(sqlite3 "$DATA/hrss.db" "SELECT p.id FROM dc_person p WHERE p.division_code = '511724003' AND EXISTS \
  (SELECT 1 FROM dc_person_source s WHERE s.person_id = p.id AND s.deleted = 0) ORDER BY p.id LIMIT 1")
check "demo data has a 竹阳 and a 白塔 resident" test -n "$ZHUYANG_ID" -a -n "$BAITA_ID"
check "search needs a session: 401 without" bash -c \
  "test \$(curl -s -o /dev/null -w '%{http_code}' '$BASE/api/v1/datacenter/search?q=511724') = 401"
check "login as clerk_zhuyang again" bash -c \
  "curl -s -c '$CJAR' -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d '$LOGIN' '$BASE/api/v1/auth/login' | grep -q 200"
check "the clerk opens a 竹阳 resident's 360° (200, ID number masked)" bash -c \
  "curl -fs -b '$CJAR' '$BASE/api/v1/datacenter/persons/$ZHUYANG_ID' | grep -q '\"idNumber\":\"5117\*\*\*\*'"
check "the clerk gets 404 for a 白塔 resident" bash -c \
  "test \$(curl -s -o /dev/null -w '%{http_code}' -b '$CJAR' '$BASE/api/v1/datacenter/persons/$BAITA_ID') = 404"

echo "  -- analytics and the command center (cubes from the demo data)"
LCSRF=$(awk '$6 == "hrss_csrf" {print $7}' "$LJAR")
CCSRF=$(awk '$6 == "hrss_csrf" {print $7}' "$CJAR")
for _ in $(seq 1 300); do
  curl -fs -b "$LJAR" "$BASE/api/v1/analytics/status" | grep -q '"ready":true' && break; sleep 0.1
done
AQ='{"cube":"contribution","rows":[{"dim":"region","level":"township"}],"measures":["amount","persons"],"totals":true}'
check "analytics: the cubes are built (status ready, 9 cubes)" bash -c \
  "curl -fs -b '$LJAR' '$BASE/api/v1/analytics/cubes' | python3 -c 'import json,sys; assert len(json.load(sys.stdin)[\"cubes\"]) == 9'"
check "analytics: the leader's query sums the whole county (not scoped)" bash -c \
  "curl -fs -b '$LJAR' -H 'Content-Type: application/json' -H 'X-CSRF-Token: $LCSRF' -d '$AQ' \
     '$BASE/api/v1/analytics/query' | grep -q '\"scoped\":false'"
check "analytics: the 竹阳 clerk's query is scoped" bash -c \
  "curl -fs -b '$CJAR' -H 'Content-Type: application/json' -H 'X-CSRF-Token: $CCSRF' -d '$AQ' \
     '$BASE/api/v1/analytics/query' | grep -q '\"scoped\":true'"
check "analytics: a bad query is 400 INVALID_ARGUMENT" bash -c \
  "curl -s -b '$LJAR' -H 'Content-Type: application/json' -H 'X-CSRF-Token: $LCSRF' \
     -d '{\"cube\":\"nope\",\"measures\":[\"x\"]}' '$BASE/api/v1/analytics/query' | grep -q INVALID_ARGUMENT"
check "analytics: export is an XLSX" bash -c \
  "curl -fs -D - -o '$WORK/a.xlsx' -b '$LJAR' -H 'Content-Type: application/json' -H 'X-CSRF-Token: $LCSRF' \
     -d '$AQ' '$BASE/api/v1/analytics/export' | grep -qi 'spreadsheetml' && head -c 2 '$WORK/a.xlsx' | grep -q PK"
check "analytics: the leader view has its three sections" bash -c \
  "curl -fs -b '$LJAR' '$BASE/api/v1/analytics/domains/leader' | grep -q '劳动监察智能分析'"
check "screen: data items for the leader (31 townships on the map)" bash -c \
  "curl -fs -b '$LJAR' '$BASE/api/v1/screen/data?items=kpi,township_map' | \
     python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d[\"items\"][\"township_map\"][\"data\"][\"townships\"]) == 31'"
check "screen: the clerk has no screen:view (403)" bash -c \
  "test \$(curl -s -o /dev/null -w '%{http_code}' -b '$CJAR' '$BASE/api/v1/screen/config') = 403"
mkdir -p "$DATA/media/e2e-check" && printf '#EXTM3U\n#EXT-X-VERSION:3\n' > "$DATA/media/e2e-check/index.m3u8"
check "media: an HLS playlist with its content type; 401 without a session" bash -c \
  "curl -fsI -b '$LJAR' '$BASE/media/e2e-check/index.m3u8' | grep -qi 'content-type: application/vnd.apple.mpegurl' && \
   test \$(curl -s -o /dev/null -w '%{http_code}' '$BASE/media/e2e-check/index.m3u8') = 401"

check "logs are JSON lines without secrets" bash -c \
  "grep -q '\"event\":\"http.listening\"' '$WORK/server.log' && ! grep -q 'Dazhu@2026' '$WORK/server.log'"

echo "  -- Chromium end-to-end (web/e2e)"
if (cd web && HRSS_BASE_URL=$BASE HRSS_SCREENSHOT_DIR=$WORK/shots npm run --silent e2e); then
  ok "portal login page in Chromium"
else
  bad "portal login page in Chromium"
fi

echo "  -- identity pages in Chromium: secadmin signs in with TOTP and grants a role's permissions"
if (cd web && HRSS_BASE_URL=$BASE HRSS_E2E_ADMIN_USER=secadmin HRSS_E2E_ADMIN_PASSWORD='Dazhu@2026' \
      HRSS_E2E_ADMIN_TOTP_SECRET=$SECADMIN_TOTP HRSS_SCREENSHOT_DIR=$WORK/shots npm run --silent e2e:identity); then
  ok "login with TOTP and role editing in Chromium"
else
  bad "login with TOTP and role editing in Chromium"
fi

echo "  -- data center pages in Chromium: search, 360° views, 问题数据, 立即执行 with hub progress"
if (cd web && HRSS_BASE_URL=$BASE HRSS_E2E_DB=$DATA/hrss.db HRSS_E2E_PASSWORD='Dazhu@2026' \
      HRSS_E2E_ADMIN_TOTP_SECRET=$ADMIN_TOTP HRSS_SCREENSHOT_DIR=$WORK/shots npm run --silent e2e:datacenter); then
  ok "data center search, 360°, quarantine and a collection run in Chromium"
else
  bad "data center search, 360°, quarantine and a collection run in Chromium"
fi

echo "  -- analytics pages in Chromium: drag a field into the pivot, drill down a township, check the numbers"
if (cd web && HRSS_BASE_URL=$BASE HRSS_E2E_USER=leader HRSS_E2E_CLERK=clerk_zhuyang HRSS_E2E_PASSWORD='Dazhu@2026' \
      HRSS_SCREENSHOT_DIR=$WORK/shots/analytics npm run --silent e2e:analytics); then
  ok "pivot drag, drill down/up, sort, filter, export, saved view on the workbench, domain view, scope in Chromium"
else
  bad "pivot drag, drill down/up, sort, filter, export, saved view on the workbench, domain view, scope in Chromium"
fi

echo "  -- command-center big screen in Chromium (local HLS streams made with ffmpeg)"
if scripts/demo-media.sh "$DATA/media" 20 &&
   (cd web && HRSS_BASE_URL=$BASE HRSS_E2E_USER=leader HRSS_E2E_PASSWORD='Dazhu@2026' \
      HRSS_SCREENSHOT_DIR=$WORK/shots/screen npm run --silent e2e:screen); then
  ok "big screen: data panels, map, carousel, multi-screen, HLS video, 4K layout in Chromium"
else
  bad "big screen: data panels, map, carousel, multi-screen, HLS video, 4K layout in Chromium"
fi

echo "  -- single sign-on with a real OpenID Connect client (openid-client)"
if (cd web && HRSS_BASE_URL=$BASE HRSS_E2E_USER=clerk_zhuyang HRSS_E2E_PASSWORD='Dazhu@2026' npm run --silent e2e:oidc); then
  ok "OIDC code flow + PKCE, ID token, userinfo, refresh rotation, single logout"
else
  bad "OIDC code flow + PKCE, ID token, userinfo, refresh rotation, single logout"
fi

# Graceful drain: a request in flight when SIGTERM arrives still completes.
curl -s -o "$WORK/slow.out" -w '%{http_code}' "$BASE/healthz" >/dev/null &
kill -TERM "$PID"
wait "$PID"; rc=$?
PID=
check "SIGTERM drains and exits 0" test "$rc" -eq 0
check "no connections accepted after drain" bash -c "! curl -fs --max-time 2 '$BASE/healthz' >/dev/null 2>&1"

# Collection from the command line, on the demo data dir (server stopped).
check "hrss collect --list names the demo jobs" bash -c \
  "'$HRSS' collect --list --data-dir '$DATA' 2>/dev/null | grep -q 'jubao-files'"
LAST_BATCH=$(sqlite3 "$DATA/hrss.db" "SELECT COALESCE(MAX(id), 0) FROM dc_batch")
check "hrss collect --all runs every enabled job again" bash -c "'$HRSS' collect --all --data-dir '$DATA' >/dev/null 2>&1"
check "re-collecting the same sources changes nothing (new batches succeeded, rows_inserted = 0)" bash -c \
  "test \"\$(sqlite3 '$DATA/hrss.db' \"SELECT COUNT(*) > 0, COALESCE(SUM(rows_inserted), -1), SUM(status <> 'succeeded') FROM dc_batch WHERE id > $LAST_BATCH\")\" = '1|0|0'"

# The whole binary on MariaDB: every module's migrations and demo data, twice.
if [ -n "${HRSS_TEST_MARIADB:-}" ]; then
  MPORT=$(sed -n 's/.*port=\([0-9]*\).*/\1/p' <<<"$HRSS_TEST_MARIADB")
  mariadb -h127.0.0.1 -P"$MPORT" -uroot -e "DROP DATABASE IF EXISTS hrss_e2e; CREATE DATABASE hrss_e2e"
  on_mariadb() {
    HRSS_STORAGE_DRIVER=mariadb HRSS_STORAGE_MARIADB_PORT=$MPORT HRSS_STORAGE_MARIADB_USER=root \
      HRSS_STORAGE_MARIADB_DATABASE=hrss_e2e "$HRSS" "$@" --data-dir "$WORK/mvar"
  }
  check "migrations and demo data on MariaDB" on_mariadb demo
  check "demo data on MariaDB again (idempotent)" on_mariadb demo
  check "schema current on MariaDB" bash -c "$(declare -f on_mariadb); HRSS='$HRSS' MPORT=$MPORT WORK='$WORK' on_mariadb migrate --status | grep -q 'schema is current'"
fi

# The schema guard: a database from a newer binary is refused.
sqlite3 "$DATA/hrss.db" "INSERT INTO schema_migrations (module, version, name, checksum, applied_at) VALUES ('system', 999, 'future', 'x', 0)" 2>/dev/null
check "refuses a database newer than the binary" bash -c \
  "'$HRSS' migrate --data-dir '$DATA' 2>&1 | grep -qi 'newer'; test \${PIPESTATUS[0]} -ne 0"

echo "$pass passed, $fail failed"
((fail == 0))

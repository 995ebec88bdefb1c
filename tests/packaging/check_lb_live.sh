#!/usr/bin/env bash
# Test: two real daemons behind packaging/nginx/onquota.conf: routing, hidden admin routes, shared writes, failover.
set -euo pipefail

root="${ONQUOTA_SOURCE_ROOT:?}"
onquotad="${ONQUOTAD:?}"
if [[ -z "${DATABASE_URL:-}" || -z "${REDIS_URL:-}" ]]; then
    echo "SKIP: DATABASE_URL and REDIS_URL are needed (run through scripts/test)"
    exit 77
fi
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*" >&2; fail=1; }

tmp="$(mktemp -d)"
chmod 755 "$tmp"
db="oq_lb_$$"
pids=()
cleanup() {
    local p
    for p in "${pids[@]}"; do
        kill -TERM "$p" 2>/dev/null || true
    done
    for p in "${pids[@]}"; do
        wait "$p" 2>/dev/null || true
    done
    psql -X -q "$DATABASE_URL" -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$tmp"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_http() { # wait_http URL: true once it answers 200 (10 s at most)
    local i
    for i in $(seq 1 100); do
        curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

db_url="${DATABASE_URL%/*}/$db"
psql -X -q "$DATABASE_URL" -c "CREATE DATABASE \"$db\"" >/dev/null
env=(env ONQUOTA_CONFIG=/dev/null)
"${env[@]}" "$onquotad" --database-url "$db_url" migrate >/dev/null
"${env[@]}" "$onquotad" --database-url "$db_url" seed --demo --token-file "$tmp/token" >/dev/null
token="$(cat "$tmp/token")"
p1="$(free_port)"
p2="$(free_port)"
for port in "$p1" "$p2"; do
    "${env[@]}" "$onquotad" --database-url "$db_url" --redis-url "$REDIS_URL" --listen "127.0.0.1:$port" \
        --log-format text >"$tmp/daemon-$port.log" 2>&1 &
    pids+=($!)
done
for port in "$p1" "$p2"; do
    wait_http "http://127.0.0.1:$port/health/ready" || { cat "$tmp/daemon-$port.log" >&2; bad "daemon on $port not ready"; exit 1; }
done

# The shipped file, with the test's ports; everything else as shipped.
pub="$(free_port)"
int="$(free_port)"
sed -e "s/127\.0\.0\.1:8000/127.0.0.1:$p1/; s/127\.0\.0\.1:8001/127.0.0.1:$p2/" \
    -e "s/listen 80;/listen 127.0.0.1:$pub;/; /listen \[::\]:80;/d" \
    -e "s/listen 127\.0\.0\.1:9080;/listen 127.0.0.1:$int;/" \
    "$root/packaging/nginx/onquota.conf" >"$tmp/onquota.conf"
mkdir -p "$tmp/nginx"
chmod 777 "$tmp/nginx"
cat >"$tmp/nginx.conf" <<NGINX
pid $tmp/nginx.pid;
error_log $tmp/nginx-error.log;
daemon off;
events {}
http {
    access_log $tmp/nginx-access.log;
    client_body_temp_path $tmp/nginx/body;
    proxy_temp_path $tmp/nginx/proxy;
    fastcgi_temp_path $tmp/nginx/fastcgi;
    uwsgi_temp_path $tmp/nginx/uwsgi;
    scgi_temp_path $tmp/nginx/scgi;
    include $tmp/onquota.conf;
}
NGINX
nginx -c "$tmp/nginx.conf" -p "$tmp" -e "$tmp/nginx-error.log" &
pids+=($!)
wait_http "http://127.0.0.1:$pub/health/ready" || { cat "$tmp/nginx-error.log" >&2; bad "nginx does not answer"; exit 1; }
ok "nginx with packaging/nginx/onquota.conf serves /health/ready from the daemons"

code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
auth=(-H "Authorization: Bearer $token")
[[ "$(code "http://127.0.0.1:$pub/metrics")" == 404 ]] && ok "public /metrics is 404" || bad "public /metrics is served"
[[ "$(code "${auth[@]}" "http://127.0.0.1:$pub/api/v1/admin/cache/stats")" == 404 ]] &&
    ok "public /api/v1/admin/ is 404" || bad "public /api/v1/admin/ is served"
[[ "$(code "http://127.0.0.1:$int/metrics")" == 200 ]] && ok "internal /metrics is 200" || bad "internal /metrics is not served"
[[ "$(code "${auth[@]}" "http://127.0.0.1:$int/api/v1/admin/cache/stats")" == 200 ]] &&
    ok "internal /api/v1/admin/cache/stats is 200" || bad "internal admin route is not served"

# Both daemons take traffic (round robin), and a write through nginx is
# visible through each daemon directly.
for _ in $(seq 1 10); do curl -s -o /dev/null "${auth[@]}" "http://127.0.0.1:$pub/api/v1/auth/me"; done
n1="$(grep -c 'route=/api/v1/auth/me' "$tmp/daemon-$p1.log" || true)"
n2="$(grep -c 'route=/api/v1/auth/me' "$tmp/daemon-$p2.log" || true)"
[[ "$n1" -ge 1 && "$n2" -ge 1 ]] && ok "both daemons answered (${n1} and ${n2} of 10)" || bad "one daemon took no traffic ($n1, $n2)"
before="$(curl -s "${auth[@]}" "http://127.0.0.1:$p1/api/v1/dashboard/summary" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total_clients"])')"
curl -s "${auth[@]}" "http://127.0.0.1:$p2/api/v1/dashboard/summary" >/dev/null
status="$(code "${auth[@]}" -H 'Content-Type: application/json' -X POST "http://127.0.0.1:$pub/api/v1/clients" \
    -d '{"name": "Balanceador S.L.", "client_type": "company", "status": "active"}')"
[[ "$status" == 201 ]] && ok "POST through nginx: 201" || bad "POST through nginx answered $status"
sleep 0.1
for port in "$p1" "$p2"; do
    after="$(curl -s "${auth[@]}" "http://127.0.0.1:$port/api/v1/dashboard/summary" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total_clients"])')"
    [[ "$after" -eq $((before + 1)) ]] && ok "the write is visible through the daemon on $port within 100 ms (cached summary invalidated)" ||
        bad "daemon on $port still shows $after active clients (expected $((before + 1)))"
done

# Failover: stop the first daemon; every request through nginx still answers.
kill -TERM "${pids[0]}"
wait "${pids[0]}" || true
codes="$(for _ in $(seq 1 10); do code "${auth[@]}" "http://127.0.0.1:$pub/api/v1/auth/me"; echo; done | sort | uniq -c | tr -s ' ')"
[[ "$(echo "$codes" | xargs)" == "10 200" ]] && ok "with one daemon stopped, 10 of 10 requests answer 200" ||
    bad "with one daemon stopped: $codes"
exit "$fail"

#!/usr/bin/env bash
# valgrind memcheck over a daemon smoke run (requests of every kind, then SIGTERM) and a scripted
# client session (onquota --once --format json, onquota health): no errors, no leaks.
# Needs DATABASE_URL and REDIS_URL (scripts/test sets them), ONQUOTAD and ONQUOTA (meson sets them).
# Exits 77 (skip) without valgrind, without the services, or for a sanitizer build.
set -euo pipefail

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; failed=1; }

command -v valgrind >/dev/null || skip "valgrind is not installed (apt-get install valgrind)"
[[ -n "${DATABASE_URL:-}" && -n "${REDIS_URL:-}" ]] || skip "DATABASE_URL or REDIS_URL unset"
onquotad="${ONQUOTAD:?}" onquota="${ONQUOTA:?}"
if ldd "$onquotad" | grep -q 'libasan\|libubsan'; then
    skip "$onquotad is a sanitizer build; valgrind runs on the plain build"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/oq-valgrind.XXXXXX")"
db="oq_valgrind_$$"
base="${DATABASE_URL%/*}"
url="$base/$db"
daemon_pid=""
failed=0
# shellcheck disable=SC2317 # runs from the EXIT trap
cleanup() {
    if [[ -n "$daemon_pid" ]] && kill -0 "$daemon_pid" 2>/dev/null; then
        kill -KILL "$daemon_pid" 2>/dev/null || true
    fi
    psql -q "$DATABASE_URL" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
    if [[ $failed -eq 0 ]]; then rm -rf "$work"; else echo "logs kept in $work"; fi
}
trap cleanup EXIT

PGOPTIONS="-c client_min_messages=warning" psql -q "$DATABASE_URL" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
"$onquotad" --database-url "$url" --log-level warn migrate >/dev/null
"$onquotad" --database-url "$url" --log-level warn seed --demo --scale 1 \
    --token-file "$work/token" >/dev/null
token="$(cat "$work/token")"

# Errors of any kind, and definite, indirect or possible leaks, fail (exit 99).
# shellcheck disable=SC2054 # the commas belong to the options
vg=(valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite,indirect,possible
    --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 --num-callers=30
    --suppressions="$(dirname "${BASH_SOURCE[0]}")/onquota.supp")

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
api="http://127.0.0.1:$port"
"${vg[@]}" --log-file="$work/onquotad.vg" "$onquotad" --listen "127.0.0.1:$port" \
    --database-url "$url" --redis-url "$REDIS_URL" --log-level warn --io-threads 2 \
    --db-workers 2 --health-probe-s 1 >"$work/onquotad.log" 2>&1 &
daemon_pid=$!
for _ in $(seq 1 300); do
    curl -fs "$api/health/live" >/dev/null 2>&1 && break
    kill -0 "$daemon_pid" 2>/dev/null || { cat "$work/onquotad.log"; fail "onquotad exited at start"; exit 1; }
    sleep 0.2
done

# expect STATUS METHOD PATH [BODY]: one request, checked.
expect() {
    local want="$1" method="$2" path="$3" body="${4:-}" got args=()
    args=(-s -o /dev/null -w '%{http_code}' -X "$method" -H "Authorization: Bearer $token"
        --max-time 60)
    [[ -n "$body" ]] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
    got="$(curl "${args[@]}" "$api$path" || true)"
    [[ "$got" == "$want" ]] || fail "$method $path: expected $want, got $got"
}
expect 200 GET /health
expect 200 GET /health/live
expect 200 GET /health/ready
expect 200 GET /metrics
expect 200 GET /api/v1/auth/me
for ep in kpis summary revenue-monthly expenses-monthly top-clients recent-activity \
    quota-performance; do
    expect 200 GET "/api/v1/dashboard/$ep"
    expect 200 GET "/api/v1/dashboard/$ep"
done
expect 422 GET "/api/v1/dashboard/kpis?as_of=nope"
for list in clients transport/vehicles expenses expenses/categories quotas quotas/alerts \
    sales/quotes users auth/tokens; do
    expect 200 GET "/api/v1/$list"
done
expect 422 GET "/api/v1/clients?page_size=1000&x=1"
expect 201 POST /api/v1/clients '{"name": "Valgrind SA", "email": "vg@example.com"}'
cid="$(curl -s -H "Authorization: Bearer $token" "$api/api/v1/clients?search=Valgrind" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["items"][0]["id"])')"
expect 200 GET "/api/v1/clients/$cid"
expect 200 PUT "/api/v1/clients/$cid" '{"city": "Zaragoza"}'
expect 422 POST /api/v1/clients '{"name": 5, "bogus": true}'
expect 400 POST /api/v1/clients '{"name": '
expect 201 POST /api/v1/sales/quotes "{\"client_id\": \"$cid\", \"valid_until\": \"2030-01-01\",
    \"items\": [{\"product_name\": \"Bolt\", \"quantity\": 2, \"unit_price\": 1.25}]}"
expect 204 DELETE "/api/v1/clients/$cid"
expect 404 GET "/api/v1/clients/$cid"
expect 404 GET /nowhere
expect 405 DELETE /health
expect 204 POST /api/v1/admin/cache/invalidate
curl -s -o /dev/null "$api/api/v1/auth/me" # 401: no token

# The client, under valgrind too, against the daemon under valgrind.
client_env=(env ONQUOTA_TOKEN="$token" HOME="$work" TERM=dumb)
"${client_env[@]}" "${vg[@]}" --log-file="$work/once.vg" "$onquota" --url "$api" --once \
    --format json >"$work/once.json" 2>"$work/once.err" || fail "onquota --once: exit $? (see $work/once.err)"
python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$work/once.json" ||
    fail "onquota --once --format json printed no JSON"
"${client_env[@]}" "${vg[@]}" --log-file="$work/health.vg" "$onquota" --url "$api" health \
    >"$work/health.out" 2>&1 || fail "onquota health: exit $? (see $work/health.out)"

kill -TERM "$daemon_pid"
rc=0
wait "$daemon_pid" || rc=$?
daemon_pid=""
[[ $rc -eq 0 ]] || fail "onquotad under valgrind exited $rc after SIGTERM (99: memcheck errors)"

for f in onquotad once health; do
    summary="$(grep -E 'ERROR SUMMARY|definitely lost|indirectly lost|possibly lost' "$work/$f.vg" |
        sed 's/^==[0-9]*== *//' | tr '\n' ';')"
    echo "$f: $summary"
    if ! grep -q 'ERROR SUMMARY: 0 errors' "$work/$f.vg"; then
        fail "$f: memcheck found errors:"
        sed -n '/^==[0-9]*== [0-9A-Z].*\(Invalid\|uninitialised\|lost in loss\|Mismatched\|overlap\)/,/^==[0-9]*== $/p' \
            "$work/$f.vg" | head -80
    fi
done
[[ $failed -eq 0 ]] && echo "valgrind: daemon and client clean"
exit "$failed"

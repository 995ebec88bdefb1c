#!/usr/bin/env bash
# Test: scripts/package builds both .debs; they install with apt-get, and the installed daemon and client work.
set -euo pipefail

if [[ "${ONQUOTA_SKIP_PACKAGE:-0}" == 1 ]]; then
    echo "SKIP: ONQUOTA_SKIP_PACKAGE=1"
    exit 77
fi
if [[ $EUID -ne 0 ]]; then
    echo "SKIP: installing packages needs root"
    exit 77
fi
root="${ONQUOTA_SOURCE_ROOT:?}"
: "${DATABASE_URL:?DATABASE_URL not set (run through scripts/test)}" "${REDIS_URL:?REDIS_URL not set}"

fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*" >&2; fail=1; }

tmp="$(mktemp -d)"
chmod 755 "$tmp"
db="oq_package_$$"
daemon_pid=""
cleanup() {
    if [[ -n "$daemon_pid" ]] && kill -0 "$daemon_pid" 2>/dev/null; then
        kill -TERM "$daemon_pid" 2>/dev/null || true
        wait "$daemon_pid" 2>/dev/null || true
    fi
    psql -X -q "$DATABASE_URL" -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$tmp"
}
trap cleanup EXIT

# --- build --------------------------------------------------------------------
dist="$tmp/dist"
if "$root/scripts/package" --dist "$dist" >"$tmp/package.log" 2>&1; then
    ok "scripts/package built $(cd "$dist" && echo *.deb)"
else
    cat "$tmp/package.log" >&2
    bad "scripts/package failed"
    exit 1
fi
[[ -z "$(git -C "$root" status --porcelain --ignored=no -- debian 2>/dev/null)" && ! -e "$root/debian" ]] &&
    ok "the repository root has no debian/" || bad "scripts/package left debian/ in the repository"

# --- install ------------------------------------------------------------------
apt=(env DEBIAN_FRONTEND=noninteractive apt-get -y -q -o DPkg::Lock::Timeout=600)
if (cd "$dist" && "${apt[@]}" install ./onquotad_*.deb ./onquota_*.deb) >"$tmp/install.log" 2>&1; then
    ok "apt-get install ./dist/*.deb"
else
    cat "$tmp/install.log" >&2
    bad "apt-get install of the packages failed"
    exit 1
fi
purge() { "${apt[@]}" purge onquotad onquota >/dev/null 2>&1 || true; }
trap 'purge; cleanup' EXIT

getent passwd onquota >/dev/null && ok "system user onquota exists" || bad "no user onquota"
[[ "$(getent passwd onquota | cut -d: -f3)" -lt 1000 ]] && ok "onquota is a system user" || bad "onquota is not a system user"
perm="$(stat -c '%a %U %G' /etc/onquota/onquotad.conf)"
[[ "$perm" == "640 root onquota" ]] && ok "/etc/onquota/onquotad.conf is 0640 root:onquota" ||
    bad "/etc/onquota/onquotad.conf is '$perm'"
dpkg-query -W -f='${Conffiles}\n' onquotad | grep -q ' /etc/onquota/onquotad.conf ' &&
    ok "onquotad.conf is a conffile" || bad "onquotad.conf is not a conffile"
for f in /usr/sbin/onquotad /usr/bin/onquota /lib/systemd/system/onquotad.service \
    /usr/share/onquota/themes/solarized-dark.theme /usr/share/doc/onquotad/openapi.yaml; do
    [[ -e "$f" ]] && ok "installed $f" || bad "missing $f"
done
for page in onquotad.8 onquota.1; do
    man -w "${page%.*}" >/dev/null 2>&1 && ok "man ${page%.*} finds $page" || bad "man cannot find $page"
done
if systemd-analyze verify /lib/systemd/system/onquotad.service >"$tmp/verify.out" 2>&1 && [[ ! -s "$tmp/verify.out" ]]; then
    ok "systemd-analyze verify accepts the installed unit (man pages included)"
else
    cat "$tmp/verify.out" >&2
    bad "systemd-analyze verify complains about the installed unit"
fi
if strings /usr/bin/onquota | grep -q "$root\|onquota-package\."; then
    bad "the installed client names a build path"
else
    ok "the installed client names no build path"
fi

# --- the installed daemon against the test services ----------------------------
db_url="${DATABASE_URL%/*}/$db"
psql -X -q "$DATABASE_URL" -c "CREATE DATABASE \"$db\"" >/dev/null
# setpriv execs the daemon itself (runuser would stay in between and answer SIGTERM).
as_onquota=(setpriv --reuid=onquota --regid=onquota --init-groups --)
if (cd / && "${as_onquota[@]}" /usr/sbin/onquotad --database-url "$db_url" migrate) >"$tmp/migrate.log" 2>&1; then
    ok "onquotad migrate, as user onquota, reading /etc/onquota/onquotad.conf"
else
    cat "$tmp/migrate.log" >&2
    bad "onquotad migrate failed"
fi
/usr/sbin/onquotad --database-url "$db_url" seed --demo --token-file "$tmp/token" >/dev/null
chmod 644 "$tmp/token"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
(cd / && exec "${as_onquota[@]}" /usr/sbin/onquotad --database-url "$db_url" --redis-url "$REDIS_URL" \
    --listen "127.0.0.1:$port" --log-format text) >"$tmp/daemon.log" 2>&1 &
daemon_pid=$!
ready=0
for _ in $(seq 1 150); do
    if curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; then
        ready=1
        break
    fi
    sleep 0.2
done
if [[ $ready -eq 1 ]]; then
    ok "the installed onquotad, as user onquota, is ready on 127.0.0.1:$port"
else
    cat "$tmp/daemon.log" >&2
    bad "the installed onquotad did not become ready"
fi

# --- the installed client, started from / --------------------------------------
mkdir -p "$tmp/home" "$tmp/xdg/onquota/themes"
client=(env -i PATH=/usr/bin:/bin HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/xdg" TERM=xterm-256color LANG=C.UTF-8
    /usr/bin/onquota --url "http://127.0.0.1:$port" --token-file "$tmp/token")
if (cd / && "${client[@]}" --once --format json --theme solarized-dark) >"$tmp/once.json" 2>"$tmp/once.err"; then
    if python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert isinstance(d, dict) and d' "$tmp/once.json"; then
        ok "onquota --once --format json --theme solarized-dark from / prints a JSON document"
    else
        bad "onquota --once --format json printed no JSON object"
    fi
else
    cat "$tmp/once.err" >&2
    bad "onquota --once --format json --theme solarized-dark failed from /"
fi
rc=0
(cd / && "${client[@]}" --once --format json --theme no-such-theme) >/dev/null 2>&1 || rc=$?
[[ $rc -eq 3 ]] && ok "an unknown theme exits 3 (themes are really looked up)" || bad "unknown theme exited $rc, not 3"
sed 's/^name *=.*/name = mine/' /usr/share/onquota/themes/mono.theme >"$tmp/xdg/onquota/themes/mine.theme"
rc=0
(cd / && "${client[@]}" --once --format json --theme mine) >/dev/null 2>"$tmp/mine.err" || rc=$?
[[ $rc -eq 0 ]] && ok "a theme in \$XDG_CONFIG_HOME/onquota/themes/ is found" ||
    { cat "$tmp/mine.err" >&2; bad "the \$XDG_CONFIG_HOME theme was not found (exit $rc)"; }
rc=0
(cd / && "${client[@]}" health --quiet) || rc=$?
[[ $rc -eq 0 ]] && ok "onquota health: ready" || bad "onquota health exited $rc"

kill -TERM "$daemon_pid"
rc=0
wait "$daemon_pid" || rc=$?
daemon_pid=""
[[ $rc -eq 0 ]] && ok "SIGTERM stops the installed daemon with status 0" || bad "the daemon exited $rc on SIGTERM"

# --- purge --------------------------------------------------------------------
purge
[[ ! -e /etc/onquota/onquotad.conf && ! -e /usr/sbin/onquotad ]] && ok "apt-get purge removes the files" ||
    bad "purge left files behind"
dpkg-statoverride --list /etc/onquota/onquotad.conf >/dev/null 2>&1 && bad "purge left the statoverride" ||
    ok "purge removes the statoverride"
exit "$fail"

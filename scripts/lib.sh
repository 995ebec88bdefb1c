# Shared bash helpers for scripts/services, scripts/test and scripts/demo (sourced, not run).
# shellcheck shell=bash

# Project root: the parent of this file's directory, with symlinks resolved.
OQ_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
OQ_RUN="$OQ_ROOT/.run"
OQ_SERVICES="$OQ_ROOT/scripts/services"

# Debian 12 packages needed to build, test and demo the project.
OQ_PACKAGES=(
    meson ninja-build pkg-config gcc libc6-dev python3
    libevent-dev libpq-dev libhiredis-dev libcjson-dev check libcrypt-dev libssl-dev
    libcurl4-openssl-dev libncurses-dev ncurses-term
    postgresql-15 postgresql-client-15 redis-server redis-sentinel
    tmux wrk nginx-light jq curl openssl procps
    haproxy systemd python3-yaml python3-jsonschema scdoc man-db
    clang valgrind
)

oq_say() { printf '%s: %s\n' "${OQ_PROG:-${0##*/}}" "$*" >&2; }
oq_die() { oq_say "error: $*"; exit 1; }

# True when the given pid is a live (non-zombie) process.
oq_pid_alive() {
    local pid="${1:-}" state
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    state="$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null || true)"
    [[ "$state" != Z && "$state" != X ]]
}

# First line of a pid file, or nothing.
oq_read_pid() {
    local f="$1" pid=""
    if [[ -r "$f" ]]; then read -r pid <"$f" || true; fi
    printf '%s' "$pid"
}

# Wait up to $2 seconds (default 30) for pid $1 to exit; true when it did.
oq_wait_exit() {
    local pid="$1" secs="${2:-30}" i
    for ((i = 0; i < secs * 10; i++)); do
        oq_pid_alive "$pid" || return 0
        sleep 0.1
    done
    ! oq_pid_alive "$pid"
}

# Signal pid $1 with $2 (default TERM), wait, escalate to KILL after $3 s (default 30).
oq_stop_pid() {
    local pid="$1" sig="${2:-TERM}" secs="${3:-30}"
    oq_pid_alive "$pid" || return 0
    kill -s "$sig" "$pid" 2>/dev/null || true
    oq_wait_exit "$pid" "$secs" && return 0
    oq_say "pid $pid did not exit after SIG$sig in ${secs}s; sending KILL"
    kill -s KILL "$pid" 2>/dev/null || true
    oq_wait_exit "$pid" 10
}

# True when something accepts TCP connections on 127.0.0.1:$1.
oq_port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Run a command as root: directly when root, through sudo when present.
oq_as_root() {
    if [[ $EUID -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        return 127
    fi
}

# Install whatever of OQ_PACKAGES is missing (apt-get update + install only then).
# Package postinst scripts must not start system services (redis, nginx,
# postgresql): a temporary policy-rc.d denies that unless one exists already.
oq_install_packages() {
    local pkg missing=() status
    for pkg in "${OQ_PACKAGES[@]}"; do
        status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
        [[ "$status" == *"ok installed"* ]] || missing+=("$pkg")
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0
    oq_say "installing missing packages: ${missing[*]}"
    if [[ $EUID -ne 0 ]] && ! command -v sudo >/dev/null 2>&1; then
        oq_die "not root and no sudo; install as root: apt-get install -y ${missing[*]}"
    fi
    local policy=/usr/sbin/policy-rc.d made_policy=0 rc=0
    if [[ ! -e "$policy" ]]; then
        if oq_as_root sh -c "printf '#!/bin/sh\n# temporary, from OnQuota scripts: no service starts during install\nexit 101\n' >$policy && chmod 755 $policy"; then
            made_policy=1
        fi
    fi
    oq_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q || rc=$?
    if [[ $rc -eq 0 ]]; then
        oq_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
            "${missing[@]}" </dev/null || rc=$?
    fi
    if [[ $made_policy -eq 1 ]]; then
        oq_as_root rm -f "$policy" || true
    fi
    [[ $rc -eq 0 ]] || oq_die "package installation failed (apt-get exit $rc)"
}

# Configure (or reconfigure) and compile a Meson build dir: oq_meson_build DIR [setup options...]
oq_meson_build() {
    local dir="$1"
    shift
    # Explicit error checks: set -e does not apply in a function called with ||.
    (
        cd "$OQ_ROOT" || exit 1
        if [[ -f "$dir/meson-private/coredata.dat" ]]; then
            # Reuse the build dir; --reconfigure applies the options again and
            # picks up a changed meson.build. A dir from another Meson version
            # that cannot be reconfigured is wiped.
            if ! meson setup --reconfigure "$dir" "$@" >"$dir/reconfigure.log" 2>&1; then
                cat "$dir/reconfigure.log" >&2
                oq_say "reconfigure of $dir failed; wiping it"
                meson setup --wipe "$dir" "$@" || exit 1
            fi
        else
            meson setup "$dir" "$@" || exit 1
        fi
        meson compile -C "$dir" || exit 1
    )
}

# Configure and compile build-fuzz/: the libFuzzer targets (CC=clang, -Dfuzzers=true).
oq_build_fuzzers() {
    CC=clang oq_meson_build build-fuzz -Dfuzzers=true -Dtests=false -Dman=disabled -Db_lundef=false
}

# --- services started by a script, stopped again by its trap ------------------

OQ_STARTED_SERVICES=()

# Start pg and redis through scripts/services; remember which ones were not
# running before, so that oq_stop_started_services stops only those.
oq_start_services() {
    local svc
    mkdir -p "$OQ_RUN"
    for svc in pg redis; do
        if "$OQ_SERVICES" status "$svc" >/dev/null 2>&1; then
            continue
        fi
        OQ_STARTED_SERVICES+=("$svc")
        "$OQ_SERVICES" start "$svc"
    done
    eval "$("$OQ_SERVICES" env)"
    export DATABASE_URL REDIS_URL
    export ONQUOTA_SERVICES="$OQ_SERVICES"
    export ONQUOTA_PG_PORT="${ONQUOTA_PG_PORT:-25432}"
    export ONQUOTA_REDIS_PORT="${ONQUOTA_REDIS_PORT:-26379}"
}

oq_stop_started_services() {
    local svc
    [[ ${#OQ_STARTED_SERVICES[@]} -eq 0 ]] && return 0
    for svc in "${OQ_STARTED_SERVICES[@]}"; do
        "$OQ_SERVICES" stop "$svc" || true
    done
    OQ_STARTED_SERVICES=()
}

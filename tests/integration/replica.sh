#!/usr/bin/env bash
# A throw-away streaming replica of the test PostgreSQL, for the replica-lag tests.
# usage: replica.sh start DIR PORT PRIMARY_PORT | replica.sh stop DIR
set -euo pipefail

PG_BIN="${ONQUOTA_PG_BIN:-/usr/lib/postgresql/15/bin}"

# Run as the PostgreSQL OS user when root (as scripts/services does).
as_pg() {
    if [[ $EUID -eq 0 ]]; then
        (cd / && runuser -u postgres -- "$@")
    else
        (cd / && "$@")
    fi
}

case "${1:-}" in
start)
    dir="$2" port="$3" primary="$4"
    rm -rf "$dir"
    mkdir -m 700 "$dir"
    [[ $EUID -eq 0 ]] && chown postgres "$dir"
    as_pg "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$primary" -U postgres -D "$dir" -R \
        -X stream -c fast
    as_pg "$PG_BIN/pg_ctl" -D "$dir" -l "$dir/replica.log" -s -w -t 30 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c hot_standby=on" start
    ;;
stop)
    dir="$2"
    if [[ -f "$dir/postmaster.pid" ]]; then
        as_pg "$PG_BIN/pg_ctl" -D "$dir" -s -m immediate -w -t 30 stop || true
    fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start DIR PORT PRIMARY_PORT | stop DIR" >&2
    exit 2
    ;;
esac

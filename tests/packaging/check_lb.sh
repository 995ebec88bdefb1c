#!/usr/bin/env bash
# Test: packaging/nginx and packaging/haproxy configurations are accepted by nginx -t and haproxy -c.
set -euo pipefail

root="${ONQUOTA_SOURCE_ROOT:?ONQUOTA_SOURCE_ROOT not set}"
nginx_conf="$root/packaging/nginx/onquota.conf"
haproxy_cfg="$root/packaging/haproxy/onquota.cfg"
fail=0

bad() { echo "FAIL: $*" >&2; fail=1; }

# nginx: the file is an http-level snippet (conf.d); wrap it in a minimal main
# configuration whose pid, logs and temp paths live in a scratch dir.
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/nginx.conf" <<NGINX
pid $tmp/nginx.pid;
error_log $tmp/error.log;
events {}
http {
    access_log off;
    client_body_temp_path $tmp/body;
    proxy_temp_path $tmp/proxy;
    fastcgi_temp_path $tmp/fastcgi;
    uwsgi_temp_path $tmp/uwsgi;
    scgi_temp_path $tmp/scgi;
    include $nginx_conf;
}
NGINX
if nginx -t -q -c "$tmp/nginx.conf" -p "$tmp" -e "$tmp/error.log" 2>"$tmp/nginx.out"; then
    echo "ok: nginx -t accepts packaging/nginx/onquota.conf"
else
    cat "$tmp/nginx.out" >&2
    bad "nginx -t rejects packaging/nginx/onquota.conf"
fi

if haproxy -c -q -f "$haproxy_cfg" >"$tmp/haproxy.out" 2>&1; then
    echo "ok: haproxy -c accepts packaging/haproxy/onquota.cfg"
else
    cat "$tmp/haproxy.out" >&2
    bad "haproxy -c rejects packaging/haproxy/onquota.cfg"
fi

# The directives the operator documentation promises (comments stripped).
need() { # need FILE REGEX WHAT
    if sed 's/#.*//' "$1" | grep -Eq "$2"; then
        echo "ok: ${1##*/}: $3"
    else
        bad "${1##*/}: missing $3"
    fi
}
need "$nginx_conf" '^[[:space:]]*upstream[[:space:]]+onquotad' "an upstream"
[[ "$(sed 's/#.*//' "$nginx_conf" | sed -n '/upstream onquotad/,/}/p' | grep -Ec '^[[:space:]]*server[[:space:]]')" -ge 2 ]] &&
    echo "ok: onquota.conf: two upstream servers" || bad "onquota.conf: fewer than two upstream servers"
need "$nginx_conf" 'proxy_next_upstream[[:space:]]+error[[:space:]]+timeout[[:space:]]+http_502[[:space:]]+http_503;' \
    "proxy_next_upstream error timeout http_502 http_503"
need "$nginx_conf" 'proxy_set_header[[:space:]]+X-Forwarded-For[[:space:]]+\$proxy_add_x_forwarded_for;' "X-Forwarded-For"
need "$nginx_conf" 'location[[:space:]]+=[[:space:]]+/metrics[[:space:]]*\{' "a /metrics location"
need "$nginx_conf" 'location[[:space:]]+\^~[[:space:]]+/api/v1/admin/' "an /api/v1/admin/ location"
# The first server block (the public one) must refuse both.
public="$(sed 's/#.*//' "$nginx_conf" | awk '/^server[[:space:]]*\{/ { n++ } n == 1')"
for loc in '= /metrics' '^~ /api/v1/admin/'; do
    if grep -F -A2 "location $loc" <<<"$public" | grep -Eq 'return[[:space:]]+(403|404);|deny[[:space:]]+all;'; then
        echo "ok: the public server refuses $loc"
    else
        bad "the public server does not refuse $loc"
    fi
done
need "$haproxy_cfg" '^[[:space:]]*option[[:space:]]+httpchk[[:space:]]*$' "option httpchk"
need "$haproxy_cfg" '^[[:space:]]*http-check[[:space:]]+send[[:space:]]+meth[[:space:]]+GET[[:space:]]+uri[[:space:]]+/health/ready' \
    "http-check send meth GET uri /health/ready"

exit "$fail"

/* The edge of a request: building its context from libevent, and the access log line. */
#include "http/access.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <event2/buffer.h>
#include <event2/http.h>
#include <sys/queue.h>
#include <event2/keyvalq_struct.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

#include "buf.h"
#include "cidr.h"
#include "http/cors.h"
#include "log.h"
#include "runtime/config_check.h"
#include "runtime/metrics.h"
#include "api/router.h"
#include "timeutil.h"
#include "token.h"
#include "xalloc.h"

/* The request headers handlers may read; others are not copied. */
static const char *const kept_headers[] = {
    "Authorization",   "Content-Type", "If-None-Match",   "Accept",          "Accept-Language",
    "Idempotency-Key", "Origin",       "X-Forwarded-For", "X-Onquota-Bench", "Last-Event-ID",
};

/* A client's id is echoed when it is sane: 1–64 of [A-Za-z0-9._-]. */
static bool request_id_sane(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!isalnum((unsigned char)s[n]) && !strchr("._-", s[n]))
            return false;
    return n >= 1 && n <= 64;
}

/* A fresh id from a per-thread generator (xorshift128+, seeded once from
 * getrandom): no system call per request. */
static void new_request_id(char *out)
{
    static _Thread_local uint64_t st[2];
    if (!st[0] && !st[1]) {
        if (getrandom(st, sizeof st, 0) != (ssize_t)sizeof st || (!st[0] && !st[1])) {
            st[0] = (uint64_t)time_mono_us() | 1;
            st[1] = (uint64_t)(uintptr_t)&st;
        }
    }
    unsigned char raw[12];
    for (int half = 0; half < 2; half++) {
        uint64_t x = st[0], y = st[1];
        st[0] = y;
        x ^= x << 23;
        st[1] = x ^ y ^ (x >> 17) ^ (y >> 26);
        uint64_t v = st[1] + y;
        memcpy(raw + half * 6, &v, 6);
    }
    base64url_encode(raw, sizeof raw, out);
}

/* Every X-Forwarded-For line of in, joined with ", " (malloc'd), or NULL:
 * the right-most entry may sit in the last of several lines. */
static char *forwarded_for(struct evkeyvalq *in)
{
    struct buf all = BUF_INIT;
    struct evkeyval *h;
    TAILQ_FOREACH(h, in, next)
    {
        if (strcasecmp(h->key, "X-Forwarded-For") != 0)
            continue;
        if (all.len)
            buf_adds(&all, ", ");
        buf_adds(&all, h->value);
    }
    return all.len ? buf_take(&all) : NULL;
}

static void copy_headers(struct ctx *c, struct evhttp_request *req)
{
    struct evkeyvalq *in = evhttp_request_get_input_headers(req);
    for (size_t i = 0; i < sizeof kept_headers / sizeof kept_headers[0]; i++) {
        if (!strcmp(kept_headers[i], "X-Forwarded-For")) {
            char *xff = forwarded_for(in);
            if (xff && c->nheaders < REQ_MAX_HEADERS) {
                c->headers[c->nheaders].key = xstrdup(kept_headers[i]);
                c->headers[c->nheaders++].value = xff;
            } else {
                free(xff);
            }
            continue;
        }
        const char *v = evhttp_find_header(in, kept_headers[i]);
        if (v && c->nheaders < REQ_MAX_HEADERS) {
            c->headers[c->nheaders].key = xstrdup(kept_headers[i]);
            c->headers[c->nheaders].value = xstrdup(v);
            c->nheaders++;
        }
    }
    const char *rid = evhttp_find_header(in, "X-Request-Id");
    if (rid && request_id_sane(rid))
        snprintf(c->request_id, sizeof c->request_id, "%s", rid);
    else
        new_request_id(c->request_id);
}

void access_query_fill(struct ctx *c, const char *q)
{
    if (!q || !*q)
        return;
    struct evkeyvalq kv;
    TAILQ_INIT(&kv);
    if (evhttp_parse_query_str(q, &kv) != 0) {
        c->nquery = -1; /* malformed: handlers answer 422 */
        evhttp_clear_headers(&kv);
        return;
    }
    struct evkeyval *e;
    TAILQ_FOREACH(e, &kv, next)
    {
        if (c->nquery == REQ_MAX_QUERY) {
            /* Too many: drop the pairs copied so far (ctx_free frees none
             * once nquery is -1). */
            for (int i = 0; i < c->nquery; i++) {
                free(c->query[i].key);
                free(c->query[i].value);
                c->query[i] = (struct kv){NULL, NULL};
            }
            c->nquery = -1;
            break;
        }
        c->query[c->nquery].key = xstrdup(e->key);
        c->query[c->nquery].value = xstrdup(e->value);
        c->nquery++;
    }
    evhttp_clear_headers(&kv);
}

/* The methods the daemon implements; others answer 501. */
static bool method_known(int method)
{
    return method & (EVHTTP_REQ_GET | EVHTTP_REQ_HEAD | EVHTTP_REQ_POST | EVHTTP_REQ_PUT |
                     EVHTTP_REQ_PATCH | EVHTTP_REQ_DELETE | EVHTTP_REQ_OPTIONS);
}

/* The Allow header of a path whose routes take methods ("GET, POST"): HEAD
 * wherever GET is, and OPTIONS. */
static void allow_header(const char *methods, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (const char *p = methods; *p;) {
        size_t n = strcspn(p, ",");
        int w = snprintf(out + used, size - used, "%s%.*s", used ? ", " : "", (int)n, p);
        used += w > 0 && (size_t)w < size - used ? (size_t)w : 0;
        if (n == 3 && !strncmp(p, "GET", 3)) {
            w = snprintf(out + used, size - used, ", HEAD");
            used += w > 0 && (size_t)w < size - used ? (size_t)w : 0;
        }
        p += n;
        p += strspn(p, ", ");
    }
    snprintf(out + used, size - used, "%sOPTIONS", used ? ", " : "");
}

/* Whether the TCP peer (text, "local" for the unix socket) is one of the
 * trusted proxies of list. */
static bool proxy_trusted(const char *list, const char *peer)
{
    if (!strcmp(peer, "local")) {
        for (const char *p = list; *p;) {
            p += strspn(p, " ,");
            size_t n = strcspn(p, " ,");
            if (n == strlen(PROXY_UNIX) && !strncmp(p, PROXY_UNIX, n))
                return true;
            p += n;
        }
        return false;
    }
    struct ip_addr ip;
    return ip_parse(peer, strlen(peer), &ip) && cidr_list_contains(list, &ip);
}

/* Behind a trusted proxy the client is the right-most X-Forwarded-For
 * entry that is not a trusted proxy itself (entries to its left are the
 * client's to invent). c->peer becomes it, c->proxy the TCP peer. An entry
 * that is not an address ends the walk at the hop to its right. */
static void client_address(struct ctx *c)
{
    const char *list = c->cfg ? c->cfg->trusted_proxies : NULL;
    const char *xff = ctx_header(c, "X-Forwarded-For");
    if (!list || !list[strspn(list, " ,")] || !xff || !proxy_trusted(list, c->peer))
        return;
    char hop[sizeof c->peer];
    snprintf(hop, sizeof hop, "%s", c->peer);
    for (const char *end = xff + strlen(xff); end > xff;) {
        const char *start = end;
        while (start > xff && start[-1] != ',')
            start--;
        struct ip_addr ip;
        if (!ip_parse(start, (size_t)(end - start), &ip))
            break;
        inet_ntop(ip.family, ip.bytes, hop, sizeof hop);
        if (!cidr_list_contains(list, &ip))
            break;
        end = start > xff ? start - 1 : xff;
    }
    snprintf(c->proxy, sizeof c->proxy, "%s", c->peer);
    snprintf(c->peer, sizeof c->peer, "%s", hop);
}

/* What every context has, routed or not: method, headers, request id, peer. */
static struct ctx *ctx_base(struct evhttp_request *req, const struct config *cfg)
{
    struct ctx *c = xcalloc(1, sizeof *c);
    c->started = time_mono();
    c->cfg = cfg;
    c->method = evhttp_request_get_command(req);
    c->method_name = router_method_name(c->method);
    copy_headers(c, req);
    struct evhttp_connection *evcon = evhttp_request_get_connection(req);
    if (evcon) {
        char *addr = NULL;
        ev_uint16_t port = 0;
        evhttp_connection_get_peer(evcon, &addr, &port);
        snprintf(c->peer, sizeof c->peer, "%s", addr && *addr ? addr : "local");
    }
    client_address(c);
    return c;
}

struct ctx *access_ctx_new(struct evhttp_request *req, const struct config *cfg)
{
    struct ctx *c = ctx_base(req, cfg);

    const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
    const char *path = uri ? evhttp_uri_get_path(uri) : NULL;
    c->path = xstrdup(path && *path ? path : "/");
    access_query_fill(c, uri ? evhttp_uri_get_query(uri) : NULL);

    struct evbuffer *body = evhttp_request_get_input_buffer(req);
    size_t n = body ? evbuffer_get_length(body) : 0;
    if (n) {
        c->body = xmalloc(n + 1);
        evbuffer_remove(body, c->body, n);
        c->body[n] = '\0';
        c->body_len = n;
    }

    if (!method_known(c->method)) {
        resp_error(c, 501, "Method not implemented");
        return c;
    }
    char methods[64], allow[80];
    const struct route *r = NULL;
    /* HEAD is GET without the body (server.c leaves it out). */
    int as = c->method == EVHTTP_REQ_HEAD ? EVHTTP_REQ_GET : c->method;
    switch (router_match(as, c->path, &r, c->params, &c->nparams, methods, sizeof methods)) {
    case ROUTE_FOUND:
        c->route = r;
        break;
    case ROUTE_BAD_METHOD:
        allow_header(methods, allow, sizeof allow);
        if (c->method == EVHTTP_REQ_OPTIONS) {
            if (!cors_preflight(c, methods, allow)) {
                resp_header(c, "Allow", allow);
                resp_empty(c, 204);
            }
            break;
        }
        resp_header(c, "Allow", allow);
        resp_error(c, 405, "Method Not Allowed");
        break;
    case ROUTE_NOT_FOUND:
        resp_error(c, 404, "Not Found");
        break;
    }
    return c;
}

struct ctx *access_ctx_error(struct evhttp_request *req, const struct config *cfg, int status,
                             const char *detail)
{
    struct ctx *c = ctx_base(req, cfg);
    const char *uri = evhttp_request_get_uri(req);
    c->path = xstrdup(uri ? uri : "");
    resp_header(c, "Connection", "close");
    resp_error(c, status, detail);
    return c;
}

/* Each I/O thread's access lines, written when they reach ACCESS_BATCH_MAX
 * or when its flush timer or its exit says so (access_log_flush). */
#define ACCESS_BATCH_MAX (64 * 1024)
static _Thread_local struct buf batch;

void access_log_flush(bool release)
{
    if (batch.len)
        log_write(batch.data, batch.len);
    buf_reset(&batch);
    if (release)
        buf_free(&batch);
}

void access_log(const struct ctx *c, int queries, size_t bytes, double ms)
{
    const char *route = c->route ? c->route->pattern : "unmatched";
    metrics_http_request(route, c->method_name, c->resp.status, ms / 1000.0);
    /* A 5xx is the daemon's failure: operators filter on warn. */
    enum log_level level = c->resp.status >= 500 ? LOG_WARN : LOG_INFO;
    if (!log_enabled(level))
        return;
    const struct log_field fields[] = {
        {.key = "msg", .type = LOG_STR, .s = "request"},
        {.key = "request_id", .type = LOG_STR, .s = c->request_id},
        {.key = "method", .type = LOG_STR, .s = c->method_name},
        {.key = "route", .type = LOG_STR, .s = route},
        {.key = "status", .type = LOG_INT, .i = c->resp.status},
        {.key = "duration_ms", .type = LOG_MS, .ms = ms},
        {.key = "db_queries", .type = LOG_INT, .i = queries},
        {.key = "cache", .type = LOG_STR, .s = c->cache_status},
        {.key = "tenant", .type = LOG_STR, .s = c->authenticated ? c->tenant_id : NULL},
        {.key = "bytes", .type = LOG_INT, .i = (long long)bytes},
        {.key = "peer", .type = LOG_STR, .s = c->peer},
        {.key = "proxy", .type = LOG_STR, .s = c->proxy},
    };
    size_t n = sizeof fields / sizeof fields[0] - (c->proxy[0] ? 0 : 1);
    log_format_line(&batch, level, fields, n);
    if (batch.len >= ACCESS_BATCH_MAX)
        access_log_flush(false);
}

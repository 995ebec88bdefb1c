/* Health, readiness and metrics routes: /health, /health/live, /health/ready, /metrics. */
#include <event2/http.h>
#include <stdio.h>
#include <sys/socket.h>
#include <string.h>
#include <time.h>

#include "auth/auth.h"
#include "cidr.h"
#include "routes/routes.h"
#include "runtime/metrics.h"
#include "store/db.h"
#include "store/pool.h"
#include "store/probe.h"
#include "timeutil.h"

#define SERVICE "onquota-api"
#define READY_REUSE_S 1.0

static void now_rfc3339(char out[RFC3339_MAX])
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    time_rfc3339(&ts, true, out);
}

static void health(struct ctx *c)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "status", "healthy");
    cJSON_AddStringToObject(o, "service", SERVICE);
    cJSON_AddStringToObject(o, "version", ONQUOTA_VERSION);
    resp_json(c, 200, o);
}

static void live(struct ctx *c)
{
    char ts[RFC3339_MAX];
    now_rfc3339(ts);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "status", "alive");
    cJSON_AddStringToObject(o, "service", SERVICE);
    cJSON_AddStringToObject(o, "version", ONQUOTA_VERSION);
    cJSON_AddStringToObject(o, "timestamp", ts);
    resp_json(c, 200, o);
}

static void metrics(struct ctx *c)
{
    const struct pool *p = probe_watched_pool();
    int busy = p ? pool_busy(p) : 0, open = db_open_connections();
    struct metrics_pool mp = {.in_use = busy, .idle = open > busy ? open - busy : 0};
    resp_empty(c, 200);
    metrics_render(&c->resp.body, &mp);
    c->resp.content_type = "text/plain; version=0.0.4; charset=utf-8";
}

/* ----------------------------------------------------------- readiness */

static double round2(double v)
{
    return (double)(long long)(v * 100.0 + 0.5) / 100.0;
}

/* A failure's text for the answer: the whole reason for a caller allowed
 * to see it, else only that it failed (the reason, which may name hosts and
 * ports, is in the log). */
static void failure_text(char *out, size_t n, const char *err, bool detail)
{
    snprintf(out, n, "error: %s", detail ? err : "unavailable (details in the log)");
}

/* Whether c may see failure details: it comes from loopback (behind a
 * trusted proxy, the client's address counts) or carries an admin token
 * this fleet has seen (cached: readiness runs no SQL for it). */
static bool sees_details(struct ctx *c)
{
    struct ip_addr ip;
    static const struct cidr loopback4 = {.net = {.family = AF_INET, .bytes = {127}}, .prefix = 8};
    static const struct cidr loopback6 = {.net = {.family = AF_INET6, .bytes = {[15] = 1}},
                                          .prefix = 128};
    if (ip_parse(c->peer, strlen(c->peer), &ip) &&
        (cidr_contains(&loopback4, &ip) || cidr_contains(&loopback6, &ip)))
        return true;
    return ctx_header(c, "Authorization") && auth_try_cached(c, c->redis) &&
           (c->role & ROLES_ADMIN);
}

static cJSON *component_db(bool ok, double ms, const char *err, bool detail)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "status", ok ? "healthy" : "unhealthy");
    if (ok) {
        cJSON_AddStringToObject(o, "database", "connected");
        cJSON_AddNumberToObject(o, "latency_ms", round2(ms));
    } else {
        char msg[PROBE_REASON_MAX + 16];
        failure_text(msg, sizeof msg, err, detail);
        cJSON_AddStringToObject(o, "database", msg);
    }
    const struct pool *p = probe_watched_pool();
    cJSON *pool = cJSON_AddObjectToObject(o, "pool");
    cJSON_AddNumberToObject(pool, "size", p ? pool_size(p) : 0);
    cJSON_AddNumberToObject(pool, "in_use", p ? pool_busy(p) : 0);
    return o;
}

static cJSON *component_redis(bool ok, double ms, const char *mem, const char *err, bool detail)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "status", ok ? "healthy" : "unhealthy");
    if (ok) {
        cJSON_AddStringToObject(o, "redis", "connected");
        cJSON_AddStringToObject(o, "memory_used", mem);
        cJSON_AddNumberToObject(o, "latency_ms", round2(ms));
    } else {
        char msg[PROBE_REASON_MAX + 16];
        failure_text(msg, sizeof msg, err, detail);
        cJSON_AddStringToObject(o, "redis", msg);
    }
    return o;
}

/* The read replica: its last check and where dashboard reads go now (a
 * failed read switches them to the primary before the next check). A down
 * replica does not make the instance unready: the primary serves. */
static cJSON *component_db_read(const struct probe_result *last, bool detail)
{
    cJSON *o = cJSON_CreateObject();
    bool checked = last->read_configured;
    bool up = (last->read_ok || !checked) && db_read_replica_up();
    cJSON_AddStringToObject(o, "status", up ? "healthy" : "unhealthy");
    if (!checked) {
        cJSON_AddStringToObject(o, "database", "not checked yet");
    } else if (last->read_ok) {
        cJSON_AddStringToObject(o, "database", "connected");
        cJSON_AddNumberToObject(o, "latency_ms", round2(last->read_ms));
    } else {
        char msg[PROBE_REASON_MAX + 16];
        failure_text(msg, sizeof msg, last->read_err[0] ? last->read_err : "unreachable", detail);
        cJSON_AddStringToObject(o, "database", msg);
    }
    cJSON_AddStringToObject(o, "reads_from", db_read_replica_up() ? "replica" : "primary");
    return o;
}

/* One check of the health+json draft: a response time when it answered;
 * "output" only on failure (the draft omits it on pass). */
static cJSON *check_ietf(const char *type, bool ok, bool warn, double ms, const char *when,
                         const char *err, bool detail)
{
    cJSON *arr = cJSON_CreateArray();
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "componentType", type);
    if (ok) {
        cJSON_AddNumberToObject(o, "observedValue", round2(ms));
        cJSON_AddStringToObject(o, "observedUnit", "ms");
    }
    cJSON_AddStringToObject(o, "status", ok ? "pass" : warn ? "warn" : "fail");
    cJSON_AddStringToObject(o, "time", when);
    if (!ok)
        cJSON_AddStringToObject(o, "output", detail ? err : "unavailable (details in the log)");
    cJSON_AddItemToArray(arr, o);
    return arr;
}

static bool wants_health_json(const struct ctx *c)
{
    const char *a = ctx_header(c, "Accept");
    return a && strstr(a, "application/health+json");
}

static void ready(struct ctx *c)
{
    struct probe_result last;
    probe_read(c->db, c->replica, c->redis, c->cfg, READY_REUSE_S, &last);
    bool shutting = last.draining;
    bool cache_blocks = !last.redis_ok && c->cfg->ready_requires_cache;
    bool is_ready = !shutting && last.db_ok && !cache_blocks;
    bool has_replica = c->cfg->database_read_url && *c->cfg->database_read_url;
    bool replica_up = (last.read_ok || !last.read_configured) && db_read_replica_up();
    bool detail = (last.db_ok && last.redis_ok && (!has_replica || replica_up)) || sees_details(c);
    cJSON *o = cJSON_CreateObject();
    if (wants_health_json(c)) {
        bool warn = (!last.redis_ok && !cache_blocks) || (has_replica && !replica_up);
        cJSON_AddStringToObject(o, "status", !is_ready ? "fail" : warn ? "warn" : "pass");
        cJSON_AddStringToObject(o, "serviceId", SERVICE);
        cJSON_AddStringToObject(o, "version", ONQUOTA_VERSION);
        if (shutting)
            cJSON_AddStringToObject(o, "output", "shutting down");
        cJSON *checks = cJSON_AddObjectToObject(o, "checks");
        cJSON_AddItemToObject(
            checks, "postgresql:responseTime",
            check_ietf("datastore", last.db_ok, false, last.db_ms, last.when, last.db_err, detail));
        cJSON_AddItemToObject(checks, "redis:responseTime",
                              check_ietf("datastore", last.redis_ok, !cache_blocks, last.redis_ms,
                                         last.when, last.redis_err, detail));
        if (has_replica)
            cJSON_AddItemToObject(
                checks, "postgresql-read:responseTime",
                check_ietf("datastore", replica_up, true, last.read_ms, last.when,
                           last.read_err[0] ? last.read_err : "reads on the primary", detail));
    } else {
        cJSON_AddStringToObject(o, "status",
                                shutting   ? "shutting_down"
                                : is_ready ? "ready"
                                           : "not_ready");
        cJSON_AddStringToObject(o, "timestamp", last.when);
        cJSON_AddBoolToObject(o, "is_ready", is_ready);
        cJSON *comp = cJSON_AddObjectToObject(o, "components");
        cJSON_AddItemToObject(comp, "database",
                              component_db(last.db_ok, last.db_ms, last.db_err, detail));
        cJSON_AddItemToObject(
            comp, "redis",
            component_redis(last.redis_ok, last.redis_ms, last.redis_mem, last.redis_err, detail));
        if (has_replica)
            cJSON_AddItemToObject(comp, "database_read", component_db_read(&last, detail));
    }
    bool ietf = wants_health_json(c);
    resp_json(c, is_ready ? 200 : 503, o);
    if (ietf)
        c->resp.content_type = "application/health+json";
    if (!is_ready)
        resp_header(c, "Retry-After", "5");
    resp_header(c, "Cache-Control", "no-store");
}

const struct route health_routes[] = {
    ROUTE(EVHTTP_REQ_GET, "/health", ROLES_PUBLIC, CACHE_NONE, ROUTE_INLINE, health),
    ROUTE(EVHTTP_REQ_GET, "/health/live", ROLES_PUBLIC, CACHE_NONE, ROUTE_INLINE, live),
    ROUTE(EVHTTP_REQ_GET, "/health/ready", ROLES_PUBLIC, CACHE_NONE, ROUTE_PROBE, ready),
    ROUTE(EVHTTP_REQ_GET, "/metrics", ROLES_PUBLIC, CACHE_NONE, ROUTE_INLINE, metrics),
    ROUTE_END,
};

/* Health, readiness and metrics routes: /health, /health/live, /health/ready, /metrics. */
#include <event2/http.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "store/db.h"
#include "runtime/metrics.h"
#include "store/pool.h"
#include "store/redisconn.h"
#include "routes/routes.h"
#include "http/server.h"
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
    struct pool *p = server_main_pool();
    int busy = p ? pool_busy(p) : 0, open = db_open_connections();
    struct metrics_pool mp = {.in_use = busy, .idle = open > busy ? open - busy : 0};
    resp_empty(c, 200);
    metrics_render(&c->resp.body, &mp);
    c->resp.content_type = "text/plain; version=0.0.4; charset=utf-8";
}

/* ----------------------------------------------------------- readiness */

/* The last check, reused for READY_REUSE_S. Only the probe worker writes
 * it, but the lock keeps readers on other threads honest. */
static struct {
    pthread_mutex_t mu;
    double at; /* time_mono() of the check; 0 = never */
    char when[RFC3339_MAX];
    bool db_ok, redis_ok;
    double db_ms, redis_ms;
    char db_err[128], redis_err[128], redis_mem[32];
} last = {.mu = PTHREAD_MUTEX_INITIALIZER};

static void short_reason(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src && *src ? src : "unreachable");
    dst[strcspn(dst, "\r\n")] = '\0';
}

/* Runs both checks now, each with its own timeout. */
static void ready_check(struct db *db, struct rconn *redis, const struct config *cfg)
{
    double db_ms = 0, r_ms = 0;
    char mem[32] = "", rerr[128] = "";
    enum db_status ds = db_ping(db, cfg->db_check_timeout_ms, &db_ms);
    bool r_ok =
        rconn_check(redis, cfg->redis_check_timeout_ms, &r_ms, mem, sizeof mem, rerr, sizeof rerr);
    pthread_mutex_lock(&last.mu);
    last.at = time_mono();
    now_rfc3339(last.when);
    last.db_ok = ds == DB_OK;
    last.db_ms = db_ms;
    if (ds == DB_TIMEOUT)
        snprintf(last.db_err, sizeof last.db_err, "timed out after %d ms",
                 cfg->db_check_timeout_ms);
    else
        short_reason(last.db_err, sizeof last.db_err, db_last_error(db));
    last.redis_ok = r_ok;
    last.redis_ms = r_ms;
    snprintf(last.redis_mem, sizeof last.redis_mem, "%s", mem);
    short_reason(last.redis_err, sizeof last.redis_err, rerr);
    pthread_mutex_unlock(&last.mu);
}

void health_probe(struct worker *w, const struct config *cfg)
{
    ready_check(w->db, w->redis, cfg);
}

static double round2(double v)
{
    return (double)(long long)(v * 100.0 + 0.5) / 100.0;
}

static cJSON *component_db(bool ok, double ms, const char *err)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "status", ok ? "healthy" : "unhealthy");
    if (ok) {
        cJSON_AddStringToObject(o, "database", "connected");
        cJSON_AddNumberToObject(o, "latency_ms", round2(ms));
    } else {
        char msg[160];
        snprintf(msg, sizeof msg, "error: %s", err);
        cJSON_AddStringToObject(o, "database", msg);
    }
    struct pool *p = server_main_pool();
    cJSON *pool = cJSON_AddObjectToObject(o, "pool");
    cJSON_AddNumberToObject(pool, "size", p ? pool_size(p) : 0);
    cJSON_AddNumberToObject(pool, "in_use", p ? pool_busy(p) : 0);
    return o;
}

static cJSON *component_redis(bool ok, double ms, const char *mem, const char *err)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "status", ok ? "healthy" : "unhealthy");
    if (ok) {
        cJSON_AddStringToObject(o, "redis", "connected");
        cJSON_AddStringToObject(o, "memory_used", mem);
        cJSON_AddNumberToObject(o, "latency_ms", round2(ms));
    } else {
        char msg[160];
        snprintf(msg, sizeof msg, "error: %s", err);
        cJSON_AddStringToObject(o, "redis", msg);
    }
    return o;
}

static cJSON *check_ietf(const char *type, bool ok, bool warn, double ms, const char *when,
                         const char *err)
{
    cJSON *arr = cJSON_CreateArray();
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "componentType", type);
    cJSON_AddNumberToObject(o, "observedValue", round2(ms));
    cJSON_AddStringToObject(o, "observedUnit", "ms");
    cJSON_AddStringToObject(o, "status", ok ? "pass" : warn ? "warn" : "fail");
    cJSON_AddStringToObject(o, "time", when);
    cJSON_AddStringToObject(o, "output", ok ? "" : err);
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
    pthread_mutex_lock(&last.mu);
    bool stale = last.at == 0 || time_mono() - last.at >= READY_REUSE_S;
    pthread_mutex_unlock(&last.mu);
    if (stale)
        ready_check(c->db, c->redis, c->cfg);

    pthread_mutex_lock(&last.mu);
    bool shutting = server_shutting_down();
    bool cache_blocks = !last.redis_ok && c->cfg->ready_requires_cache;
    bool is_ready = !shutting && last.db_ok && !cache_blocks;
    cJSON *o = cJSON_CreateObject();
    if (wants_health_json(c)) {
        bool warn = !last.redis_ok && !cache_blocks;
        cJSON_AddStringToObject(o, "status", !is_ready ? "fail" : warn ? "warn" : "pass");
        cJSON_AddStringToObject(o, "serviceId", SERVICE);
        cJSON_AddStringToObject(o, "version", ONQUOTA_VERSION);
        if (shutting)
            cJSON_AddStringToObject(o, "output", "shutting down");
        cJSON *checks = cJSON_AddObjectToObject(o, "checks");
        cJSON_AddItemToObject(
            checks, "postgresql:responseTime",
            check_ietf("datastore", last.db_ok, false, last.db_ms, last.when, last.db_err));
        cJSON_AddItemToObject(checks, "redis:responseTime",
                              check_ietf("datastore", last.redis_ok, !cache_blocks, last.redis_ms,
                                         last.when, last.redis_err));
    } else {
        cJSON_AddStringToObject(o, "status",
                                shutting   ? "shutting_down"
                                : is_ready ? "ready"
                                           : "not_ready");
        cJSON_AddStringToObject(o, "timestamp", last.when);
        cJSON_AddBoolToObject(o, "is_ready", is_ready);
        cJSON *comp = cJSON_AddObjectToObject(o, "components");
        cJSON_AddItemToObject(comp, "database", component_db(last.db_ok, last.db_ms, last.db_err));
        cJSON_AddItemToObject(
            comp, "redis",
            component_redis(last.redis_ok, last.redis_ms, last.redis_mem, last.redis_err));
    }
    pthread_mutex_unlock(&last.mu);
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

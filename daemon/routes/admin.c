/* Cache administration routes: /api/v1/admin/cache/stats and /api/v1/admin/cache/invalidate. */
#include <event2/http.h>
#include <stdio.h>
#include <string.h>

#include "cache/cache.h"
#include "runtime/metrics.h"
#include "store/redisconn.h"
#include "routes/routes.h"

/* Copies the value of "field:" out of an INFO reply. */
static void info_value(const char *info, const char *field, char *out, size_t n)
{
    const char *p = strstr(info, field);
    out[0] = '\0';
    if (p) {
        p += strlen(field);
        snprintf(out, n, "%.*s", (int)strcspn(p, "\r\n"), p);
    }
}

static void stats(struct ctx *c)
{
    unsigned long hits = metrics_cache_count(CACHE_HIT), misses = metrics_cache_count(CACHE_MISS);
    unsigned long stale = metrics_cache_count(CACHE_STALE);
    unsigned long bypass = metrics_cache_count(CACHE_BYPASS);
    unsigned long total = hits + misses + stale + bypass;
    struct cache_stats cs;
    cache_stats(&cs);

    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "hits", (double)hits);
    cJSON_AddNumberToObject(o, "misses", (double)misses);
    cJSON_AddNumberToObject(o, "stale", (double)stale);
    cJSON_AddNumberToObject(o, "bypass", (double)bypass);
    char rate[16];
    snprintf(rate, sizeof rate, "%.2f", total ? 100.0 * (double)(hits + stale) / (double)total : 0);
    cJSON_AddRawToObject(o, "hit_rate", rate);
    cJSON_AddNumberToObject(o, "invalidations", (double)metrics_cache_invalidations());
    redisReply *rep = rconn_cmd(c->redis, "DBSIZE");
    if (rep && rep->type == REDIS_REPLY_INTEGER)
        cJSON_AddNumberToObject(o, "keys", (double)rep->integer);
    else
        cJSON_AddNullToObject(o, "keys");
    if (rep)
        freeReplyObject(rep);
    rep = rconn_cmd(c->redis, "INFO memory");
    char mem[32] = "";
    if (rep && rep->type == REDIS_REPLY_STRING)
        info_value(rep->str, "used_memory_human:", mem, sizeof mem);
    if (rep)
        freeReplyObject(rep);
    if (mem[0])
        cJSON_AddStringToObject(o, "memory_used", mem);
    else
        cJSON_AddNullToObject(o, "memory_used");
    cJSON_AddNumberToObject(o, "l1_entries", (double)cs.l1_entries);
    resp_json(c, 200, o);
}

static void invalidate(struct ctx *c)
{
    cache_invalidate_after_write(c); /* the data changed: replicas must catch up */
    resp_empty(c, 204);
}

const struct route admin_routes[] = {
    ROUTE(EVHTTP_REQ_GET, "/api/v1/admin/cache/stats", ROLES_ADMIN, CACHE_NONE, 0, stats),
    ROUTE(EVHTTP_REQ_POST, "/api/v1/admin/cache/invalidate", ROLES_ADMIN, CACHE_NONE, 0,
          invalidate),
    ROUTE_END,
};

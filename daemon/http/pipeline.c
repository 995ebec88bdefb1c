/* What every routed request goes through: authentication, body checks, role, handler. */
#include "http/pipeline.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "auth/auth.h"
#include "store/db.h"
#include "http/idempotency.h"
#include "store/pool.h"
#include "auth/ratelimit.h"
#include "api/router.h"

#define JSON_MAX_DEPTH 32

static int json_depth(const cJSON *j)
{
    int deepest = 0;
    for (const cJSON *ch = j ? j->child : NULL; ch; ch = ch->next) {
        int d = json_depth(ch);
        if (d > deepest)
            deepest = d;
    }
    return j && (cJSON_IsArray(j) || cJSON_IsObject(j)) ? deepest + 1 : deepest;
}

/* True for application/json, with or without parameters (charset=utf-8). */
static bool is_json_type(const char *ct)
{
    if (!ct)
        return false;
    while (*ct == ' ')
        ct++;
    size_t n = strcspn(ct, "; ");
    return n == 16 && !strncasecmp(ct, "application/json", 16);
}

/* Step 3 of the check order: content type and JSON syntax. (An oversized
 * body never reaches us: libevent answers 413 while reading it.) */
static bool body_check(struct ctx *c)
{
    if (!(c->route->flags & ROUTE_BODY) || c->body_len == 0)
        return true; /* a body-less POST is fine whatever its Content-Type */
    if (c->body_len > (size_t)c->cfg->max_body_bytes) {
        resp_error(c, 413, "Request body too large");
        return false;
    }
    if (!is_json_type(ctx_header(c, "Content-Type"))) {
        resp_error(c, 415, "Content-Type must be application/json");
        return false;
    }
    const char *end = NULL;
    /* The body is NUL-terminated by us; an embedded NUL is not JSON. */
    if (!memchr(c->body, '\0', c->body_len))
        c->json = cJSON_ParseWithOpts(c->body, &end, true);
    if (!c->json) {
        char msg[96];
        snprintf(msg, sizeof msg, "Invalid JSON body (at byte %ld)",
                 end ? (long)(end - c->body) : 0L);
        resp_error(c, 400, msg);
        return false;
    }
    if (json_depth(c->json) > JSON_MAX_DEPTH) {
        resp_error(c, 400, "Invalid JSON body (nested deeper than 32 levels)");
        return false;
    }
    return true;
}

void pipeline_run(struct ctx *c, struct worker *w)
{
    const struct route *r = c->route;
    struct idem idem;
    if (w) {
        /* Dashboard reads may go to the replica (database_read_url). */
        c->db = r->cache == CACHE_DASHBOARD ? w->db_read : w->db;
        c->redis = w->redis;
        db_counters_reset(w->db);
        if (w->db_read != w->db)
            db_counters_reset(w->db_read);
    }
    if (r->roles != ROLES_PUBLIC && (!auth_authenticate(c, w) || !ratelimit_allow(c)))
        goto out;
    if (!body_check(c))
        goto out;
    if (r->roles != ROLES_PUBLIC && !(c->role & r->roles)) {
        resp_error(c, 403, "Forbidden");
        goto out;
    }
    if (!idem_begin(c, &idem))
        goto out;
    r->handler(c);
    idem_finish(c, &idem);
out:
    if (w) {
        c->queries = db_query_count(w->db);
        c->db_ms = db_query_ms(w->db);
        if (w->db_read != w->db) {
            c->queries += db_query_count(w->db_read);
            c->db_ms += db_query_ms(w->db_read);
        }
    }
    if (c->resp.status == 0)
        resp_error(c, 500, "Internal server error"); /* a handler forgot to answer */
}

/* What every routed request goes through: authentication, body checks, role, handler. */
#include "http/pipeline.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "auth/auth.h"
#include "cache/cache.h"
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

/* ------------------------------------------------------------ the steps */

/* What a step says: go on, the request is answered, or a worker must go on. */
enum step { STEP_NEXT, STEP_ANSWERED, STEP_NEEDS_WORKER };

static enum step auth_step(struct ctx *c, struct worker *w)
{
    if (c->route->roles == ROLES_PUBLIC)
        return STEP_NEXT;
    if (!w) /* only a token this process already holds */
        return auth_try_local(c) ? STEP_NEXT : STEP_NEEDS_WORKER;
    return auth_authenticate(c, w) ? STEP_NEXT : STEP_ANSWERED;
}

static enum step rate_step(struct ctx *c, struct worker *w)
{
    (void)w; /* the buckets are in memory */
    if (c->route->roles == ROLES_PUBLIC)
        return STEP_NEXT;
    return ratelimit_allow(c) ? STEP_NEXT : STEP_ANSWERED;
}

static enum step body_step(struct ctx *c, struct worker *w)
{
    /* A JSON body is parsed on a worker, never on an I/O thread. */
    if (!w && (c->route->flags & ROUTE_BODY) && c->body_len > 0)
        return STEP_NEEDS_WORKER;
    return body_check(c) ? STEP_NEXT : STEP_ANSWERED;
}

static enum step role_step(struct ctx *c, struct worker *w)
{
    (void)w;
    if (c->route->roles != ROLES_PUBLIC && !(c->role & c->route->roles)) {
        resp_error(c, 403, "Forbidden");
        return STEP_ANSWERED;
    }
    return STEP_NEXT;
}

static enum step handler_step(struct ctx *c, struct worker *w)
{
    const struct route *r = c->route;
    if (!w) {
        if (r->flags & ROUTE_INLINE) {
            r->handler(c);
            return STEP_ANSWERED;
        }
        if (r->cache == CACHE_DASHBOARD && cache_answer_local(c))
            return STEP_ANSWERED;
        return STEP_NEEDS_WORKER;
    }
    struct idem idem;
    if (idem_begin(c, &idem)) {
        r->handler(c);
        idem_finish(c, &idem);
    }
    return STEP_ANSWERED;
}

/* api.md's check order, in one place. */
static enum step (*const steps[])(struct ctx *c, struct worker *w) = {
    auth_step, rate_step, body_step, role_step, handler_step,
};

#define STEP_COUNT (int)(sizeof steps / sizeof steps[0])

/* -------------------------------------------------------------- the run */

enum pipeline_result pipeline_run(struct ctx *c, struct worker *w)
{
    if (w) {
        /* Dashboard reads may go to the replica (database_read_url). */
        c->db = c->route->cache == CACHE_DASHBOARD ? w->db_read : w->db;
        c->primary = w->db;
        c->replica = w->db_read != w->db ? w->db_read : NULL;
        c->redis = w->redis;
        db_counters_reset(w->db);
        if (w->db_read != w->db)
            db_counters_reset(w->db_read);
    }
    enum step st = STEP_NEXT;
    while (c->steps_passed < STEP_COUNT) {
        st = steps[c->steps_passed](c, w);
        if (st != STEP_NEXT)
            break;
        c->steps_passed++;
    }
    if (st == STEP_NEEDS_WORKER)
        return PIPELINE_NEEDS_WORKER;
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
    return PIPELINE_ANSWERED;
}

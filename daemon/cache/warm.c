/* Cache warm-up: computing tenants' KPIs in the background so the first dashboard read is a hit. */
#include "cache/warm.h"

#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache/cache.h"
#include "log.h"
#include "runtime/metrics.h"
#include "store/pool.h"
#include "api/router.h"
#include "timeutil.h"
#include "xalloc.h"

#define WARM_PATH "/api/v1/dashboard/kpis"

const struct sql_stmt warm_sql[] = {
    {"warm_tenants", "SELECT id FROM tenants WHERE is_active AND NOT is_deleted"
                     " AND ($1::uuid IS NULL OR id = $1::uuid) ORDER BY created_at"},
    {NULL, NULL},
};

/* Serves one synthetic request for tenant through the normal cache path. */
static bool warm_one(struct worker *w, const struct config *cfg, const struct route *route,
                     const char *tenant)
{
    struct ctx *c = xcalloc(1, sizeof *c);
    c->route = route;
    c->method = EVHTTP_REQ_GET;
    c->method_name = "GET";
    c->path = xstrdup(WARM_PATH);
    c->cfg = cfg;
    c->db = w->db;
    c->redis = w->redis;
    c->authenticated = true;
    c->role = ROLE_ADMIN;
    c->started = time_mono();
    c->background = true;
    snprintf(c->tenant_id, sizeof c->tenant_id, "%s", tenant);
    snprintf(c->request_id, sizeof c->request_id, "warmup");
    cache_handle(c);
    bool ok = c->resp.status == 200;
    ctx_free(c);
    return ok;
}

void warm_run(struct worker *w, const struct config *cfg, const char *tenant_id)
{
    const struct route *route = NULL;
    char *params[REQ_MAX_PARAMS];
    int nparams = 0;
    char allow[64];
    if (router_match(EVHTTP_REQ_GET, WARM_PATH, &route, params, &nparams, allow, sizeof allow) !=
        ROUTE_FOUND)
        return;
    double t0 = time_mono();
    const char *p[] = {tenant_id};
    PGresult *res = NULL;
    enum db_status st = db_exec(w->db, &warm_sql[0], 1, p, &res);
    if (st != DB_OK) {
        log_msg(LOG_WARN, "cache warm-up skipped: %s", db_last_error(w->db));
        metrics_job_run("cache_warmup", "error");
        return;
    }
    int n = PQntuples(res), warmed = 0;
    for (int i = 0; i < n; i++)
        warmed += warm_one(w, cfg, route, PQgetvalue(res, i, 0));
    PQclear(res);
    metrics_job_run("cache_warmup", warmed == n ? "ok" : "error");
    log_msg(LOG_INFO, "cache warm-up: %d of %d tenant(s) in %.0f ms", warmed, n,
            (time_mono() - t0) * 1000.0);
}

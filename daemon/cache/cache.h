/* The dashboard cache: L1 over Redis L2, generations, singleflight, ETags, stale-if-error. */
#ifndef ONQUOTA_CACHE_H
#define ONQUOTA_CACHE_H

#include <stdbool.h>

#include "buf.h"
#include "store/db.h"
#include "api/request.h"

struct rconn;
struct worker;

#define CACHE_PARAMS_MAX 256

/* What identifies one cached answer, besides the tenant: the endpoint name
 * and the normalised query (every parameter resolved, as_of included, in a
 * fixed order, plus the response language). */
struct cache_req {
    const char *endpoint;          /* "kpis", "summary", ... (static) */
    int ttl_s;                     /* L2 time to live */
    char params[CACHE_PARAMS_MAX]; /* e.g. "as_of=2026-11-29&lang=es" */
};

/* Computes an answer on a miss: runs the endpoint's single SQL statement on
 * c->db (or the read replica) and appends the JSON body to out. Returns
 * DB_OK, or the failure (the cache then serves stale or answers 503/504). */
typedef enum db_status (*cache_compute_fn)(struct ctx *c, const struct cache_req *r,
                                           struct buf *out);

/* Parses and validates c's query for one endpoint, filling r. On invalid
 * input adds 422 entries to v and returns false. Pure: no I/O, safe on an
 * I/O thread. */
typedef bool (*cache_parse_fn)(struct ctx *c, struct cache_req *r, struct verr *v);

/* One cached endpoint, referenced from its route (route->dash). */
struct dash_endpoint {
    cache_parse_fn parse;
    cache_compute_fn compute;
};

/* The route handler of every cached endpoint: parses (422), then serves
 * from L1, L2 or compute, with X-Cache, ETag, Vary: Accept-Language, and
 * 304 on a matching If-None-Match. Runs on a worker. */
void cache_handle(struct ctx *c);

/* The I/O thread's part of a dashboard read (the pipeline calls it once c
 * is authenticated and allowed): when the answer is in L1, answers c (200,
 * or 304 on a matching If-None-Match; X-Cache: HIT) and returns true without
 * touching PostgreSQL or Redis. Otherwise returns false and leaves c's
 * response untouched for cache_handle() on a worker. */
bool cache_answer_local(struct ctx *c);

/* Makes every cached dashboard answer of tenant_id unreachable: INCR of its
 * generation counter in Redis, L1 entries dropped here and (pub/sub) on
 * every instance. Every mutation calls this. Safe when Redis is down (the
 * local L1 is still dropped and the miss is counted). */
void cache_invalidate_tenant(struct rconn *redis, const char *tenant_id);

/* The same, also remembering lsn (the primary's WAL position of the write,
 * decimal text; NULL or "" for none) next to the generation, in
 * onquota:<fleet>:gen_lsn:{<tenant>}: the tenant's dashboards are computed
 * from the replica only once it has replayed that far (else from the
 * primary). The newer of two positions stays. */
void cache_invalidate_tenant_at(struct rconn *redis, const char *tenant_id, const char *lsn);

/* After a write committed for c's tenant: with a read replica, reads the
 * primary's WAL position (one statement on c->primary), then invalidates
 * as cache_invalidate_tenant_at. */
void cache_invalidate_after_write(struct ctx *c);

/* Sets a function that cache_invalidate_tenant calls afterwards (the
 * server's warm_after_invalidate). Call before serving. */
void cache_set_invalidate_hook(void (*hook)(const char *tenant_id));

/* Subscribes this process's L1 to the "tenant" event (events_on): a
 * tenant's entries are dropped when any instance invalidates it. Call once
 * at start, before events_start(). */
void cache_subscribe(void);

/* Figures for /api/v1/admin/cache/stats. */
struct cache_stats {
    unsigned long l1_entries;
    unsigned long l1_bytes;
};
void cache_stats(struct cache_stats *out);

#endif

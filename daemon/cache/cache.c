/* The dashboard cache: L1 over Redis L2, generations, singleflight, ETags, stale-if-error. */
#include "cache/cache.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "cache/cache_l1.h"
#include "log.h"
#include "store/events.h"
#include "runtime/metrics.h"
#include "store/redisconn.h"
#include "api/router.h"
#include "timeutil.h"
#include "token.h"
#include "xalloc.h"
#include "store/fleet.h"
#include "store/replica.h"

#define KEY_MAX 512
#define LOCK_MS 3000     /* cross-instance recompute lock */
#define LOCK_WAIT_MS 300 /* how long another instance's recompute is awaited */
#define XFETCH_BETA 1.0

/* ------------------------------------------------------------ keys */

/* L1 key: endpoint, tenant and normalised params (the generation is not
 * needed: L1 entries of a tenant are dropped on invalidation). */
static void l1_key(const struct ctx *c, const struct cache_req *r, char *out)
{
    snprintf(out, KEY_MAX, "%s|%s|%s", r->endpoint, c->tenant_id, r->params);
}

/* L2 key: onquota:<fleet>:dashboard:<endpoint>:{<tenant>}:g<gen>:<params hash>. */
static void l2_key(const struct ctx *c, const struct cache_req *r, long long gen, char *out)
{
    char h[65];
    sha256_hex(r->params, strlen(r->params), h);
    h[16] = '\0';
    fleet_key(out, KEY_MAX, "dashboard", "%s:{%s}:g%lld:%s", r->endpoint, c->tenant_id, gen, h);
}

static void etag_of(const char *body, size_t len, char out[ETAG_MAX])
{
    char h[65];
    sha256_hex(body, len, h);
    snprintf(out, ETAG_MAX, "\"%.32s\"", h);
}

/* ------------------------------------------------------------ answers */

static const char *const result_names[] = {"HIT", "MISS", "STALE", "BYPASS"};

/* Answers 200 with body (copied), or 304 when If-None-Match matches; why
 * says where the answer came from, for --log-level debug. A warm-up
 * computation is no client's lookup: it is not counted. */
static void answer(struct ctx *c, enum cache_result res, const char *body, size_t len,
                   const char *etag, const char *why)
{
    if (!c->background)
        metrics_cache(res);
    if (log_enabled(LOG_DEBUG)) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "msg", "cache");
        cJSON_AddStringToObject(o, "request_id", c->request_id);
        cJSON_AddStringToObject(o, "route", c->route ? c->route->pattern : "");
        cJSON_AddStringToObject(o, "result", result_names[res]);
        cJSON_AddStringToObject(o, "from", why);
        cJSON_AddStringToObject(o, "tenant", c->tenant_id);
        log_event(LOG_DEBUG, o);
    }
    c->cache_status = result_names[res];
    resp_header(c, "X-Cache", result_names[res]);
    resp_header(c, "Vary", "Accept-Language");
    resp_header(c, "ETag", etag);
    if (etag_match(ctx_header(c, "If-None-Match"), etag)) {
        resp_empty(c, 304);
        return;
    }
    c->resp.status = 200;
    c->resp.content_type = "application/json";
    buf_reset(&c->resp.body);
    buf_add(&c->resp.body, body, len);
}

/* ------------------------------------------------------------ generations */

/* The tenant's generation: from L1 when fresh, else GET from Redis.
 * Returns false when Redis is unreachable (the request then bypasses). */
static bool generation(struct rconn *r, const char *tenant, unsigned long epoch, long long *gen)
{
    if (l1_gen_get(tenant, gen))
        return true;
    char key[FLEET_KEY_MAX];
    fleet_key(key, sizeof key, "gen", "{%s}", tenant);
    redisReply *rep = rconn_cmd(r, "GET %s", key);
    if (!rep)
        return false;
    *gen = rep->type == REDIS_REPLY_STRING ? atoll(rep->str) : 0;
    freeReplyObject(rep);
    l1_gen_put(tenant, *gen, epoch);
    return true;
}

static void (*invalidate_hook)(const char *tenant_id);

void cache_set_invalidate_hook(void (*hook)(const char *tenant_id))
{
    invalidate_hook = hook;
}

/* Moves the generation and, in the same step, raises the tenant's last-write
 * WAL position (decimal) when it is newer: both keys share the {tenant}
 * hash tag. */
static const char gen_lsn_script[] =
    "local old = tonumber(redis.call('GET', KEYS[1]) or '0')"
    " if tonumber(ARGV[1]) > old then redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2]) end"
    " return redis.call('INCR', KEYS[2])";

/* How long a write's WAL position is remembered: far longer than any
 * replica should lag. */
#define WRITE_LSN_TTL_S 86400

void cache_invalidate_tenant_at(struct rconn *redis, const char *tenant_id, const char *lsn)
{
    metrics_cache_invalidation();
    l1_drop(tenant_id);
    char key[FLEET_KEY_MAX], lsn_key[FLEET_KEY_MAX];
    fleet_key(key, sizeof key, "gen", "{%s}", tenant_id);
    redisReply *rep;
    if (lsn && *lsn) {
        fleet_key(lsn_key, sizeof lsn_key, "gen_lsn", "{%s}", tenant_id);
        rep = rconn_cmd(redis, "EVAL %s 2 %s %s %s %d", gen_lsn_script, lsn_key, key, lsn,
                        WRITE_LSN_TTL_S);
    } else {
        rep = rconn_cmd(redis, "INCR %s", key);
    }
    if (rep)
        freeReplyObject(rep);
    events_publish(redis, "tenant", tenant_id);
    if (invalidate_hook)
        invalidate_hook(tenant_id);
}

void cache_invalidate_tenant(struct rconn *redis, const char *tenant_id)
{
    cache_invalidate_tenant_at(redis, tenant_id, NULL);
}

void cache_invalidate_after_write(struct ctx *c)
{
    char lsn[LSN_TEXT_MAX] = "";
    if (c->replica && c->primary)
        replica_write_lsn(c->primary, lsn);
    cache_invalidate_tenant_at(c->redis, c->tenant_id, lsn);
}

/* A computation about to read the replica: when the tenant's last write
 * (its WAL position in Redis) is not replayed there yet, it reads the
 * primary instead, so that a lagging replica never gets cached. */
static void choose_read_db(struct ctx *c)
{
    if (!c->replica || c->db != c->replica || !c->primary)
        return;
    char key[FLEET_KEY_MAX];
    fleet_key(key, sizeof key, "gen_lsn", "{%s}", c->tenant_id);
    redisReply *rep = rconn_cmd(c->redis, "GET %s", key);
    const char *lsn = rep && rep->type == REDIS_REPLY_STRING ? rep->str : NULL;
    bool behind = !replica_caught_up(c->replica, lsn);
    if (behind)
        c->db = c->primary;
    if (log_enabled(LOG_DEBUG))
        log_msg(LOG_DEBUG, "cache: tenant %s reads the %s (last write at %s)", c->tenant_id,
                behind ? "primary: the replica has not replayed it" : "replica", lsn ? lsn : "-");
    if (rep)
        freeReplyObject(rep);
}

static void on_tenant_event(const char *tenant_id)
{
    l1_drop(tenant_id && *tenant_id ? tenant_id : NULL);
}

void cache_subscribe(void)
{
    events_on("tenant", on_tenant_event);
}

void cache_stats(struct cache_stats *out)
{
    l1_stats(&out->l1_entries, &out->l1_bytes);
}

/* ------------------------------------------------------------ L2 entries */

/* An L2 value is "<etag> <created_ms> <fresh_until_ms> <compute_ms>\n<body>". */
struct l2_entry {
    char etag[ETAG_MAX];
    long long created_ms, fresh_until_ms, compute_ms;
    char *body;
    size_t len;
};

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* 1 found, 0 absent, -1 Redis failed. */
static int l2_get(struct rconn *r, const char *key, struct l2_entry *e)
{
    redisReply *rep = rconn_cmd(r, "GET %s", key);
    if (!rep)
        return -1;
    int rc = 0;
    if (rep->type == REDIS_REPLY_STRING) {
        const char *nl = memchr(rep->str, '\n', rep->len);
        if (nl && sscanf(rep->str, "%47s %lld %lld %lld", e->etag, &e->created_ms,
                         &e->fresh_until_ms, &e->compute_ms) == 4) {
            e->len = rep->len - (size_t)(nl + 1 - rep->str);
            e->body = xmalloc(e->len + 1);
            memcpy(e->body, nl + 1, e->len);
            e->body[e->len] = '\0';
            rc = 1;
        }
    }
    freeReplyObject(rep);
    return rc;
}

static void l2_put(struct rconn *r, const char *key, const struct l2_entry *e, int ttl_s,
                   int stale_s)
{
    char head[128];
    int n = snprintf(head, sizeof head, "%s %lld %lld %lld\n", e->etag, e->created_ms,
                     e->fresh_until_ms, e->compute_ms);
    struct buf v = BUF_INIT;
    buf_add(&v, head, (size_t)n);
    buf_add(&v, e->body, e->len);
    char ex[24];
    snprintf(ex, sizeof ex, "%d", ttl_s + stale_s);
    const char *argv[] = {"SET", key, v.data, "EX", ex};
    size_t lens[] = {3, strlen(key), v.len, 2, strlen(ex)};
    redisReply *rep = rconn_cmdv(r, 5, argv, lens);
    if (rep)
        freeReplyObject(rep);
    buf_free(&v);
}

/* XFetch (Vattani et al.): refresh early with a probability that grows as
 * expiry nears, scaled by how long the computation takes. */
static bool xfetch_early(const struct l2_entry *e)
{
    unsigned int rnd;
    if (getrandom(&rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd)
        return false;
    double u = ((double)rnd + 1.0) / 4294967297.0; /* (0, 1] */
    double early_ms = (double)e->compute_ms * XFETCH_BETA * -log(u);
    return (double)now_ms() + early_ms >= (double)e->fresh_until_ms;
}

/* ------------------------------------------------------------ singleflight */

struct flight {
    struct flight *next;
    char key[KEY_MAX];
    bool done;
    int waiters;
    /* the leader's outcome */
    enum db_status status;
    char *body;
    size_t len;
    char etag[ETAG_MAX];
};

static struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct flight *list;
} sf = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

/* Joins the flight for key. Returns NULL when the caller leads (it must
 * call flight_land), or the finished flight of another worker (the caller
 * must call flight_leave). */
static struct flight *flight_join(const char *key, struct flight **mine)
{
    pthread_mutex_lock(&sf.mu);
    struct flight *f = sf.list;
    while (f && strcmp(f->key, key))
        f = f->next;
    if (!f) {
        f = xcalloc(1, sizeof *f);
        snprintf(f->key, sizeof f->key, "%s", key);
        f->next = sf.list;
        sf.list = f;
        *mine = f;
        pthread_mutex_unlock(&sf.mu);
        return NULL;
    }
    f->waiters++;
    while (!f->done)
        pthread_cond_wait(&sf.cv, &sf.mu);
    pthread_mutex_unlock(&sf.mu);
    return f;
}

/* Frees a flight that nobody waits on any more (called after the unlock). */
static void flight_free(struct flight *f)
{
    free(f->body);
    free(f);
}

static void flight_land(struct flight *f, enum db_status st, const char *body, size_t len,
                        const char *etag)
{
    pthread_mutex_lock(&sf.mu);
    struct flight **pp = &sf.list;
    while (*pp != f)
        pp = &(*pp)->next;
    *pp = f->next; /* new arrivals start a new flight */
    f->status = st;
    if (st == DB_OK) {
        f->body = xmalloc(len + 1);
        memcpy(f->body, body, len + 1);
        f->len = len;
        snprintf(f->etag, sizeof f->etag, "%s", etag);
    }
    f->done = true;
    bool last = f->waiters == 0;
    pthread_cond_broadcast(&sf.cv);
    pthread_mutex_unlock(&sf.mu);
    if (last)
        flight_free(f);
}

static void flight_leave(struct flight *f)
{
    pthread_mutex_lock(&sf.mu);
    bool last = --f->waiters == 0;
    pthread_mutex_unlock(&sf.mu);
    if (last)
        flight_free(f);
}

/* ------------------------------------------------------------ serving */

static bool parse_request(struct ctx *c, struct cache_req *r)
{
    struct verr v;
    verr_init(&v);
    memset(r, 0, sizeof *r);
    bool ok = c->route->dash->parse(c, r, &v);
    if (!ok && !verr_respond(&v, c))
        resp_error(c, 422, "Invalid query");
    verr_free(&v);
    return ok;
}

/* Another instance may be computing the same key: take a short SET NX lock,
 * or wait briefly for the other instance's result to appear in L2. Returns
 * true with e filled when the result appeared meanwhile. */
static bool await_other_instance(struct ctx *c, const char *key, struct l2_entry *e)
{
    char lock[KEY_MAX + 8];
    snprintf(lock, sizeof lock, "%s:lock", key);
    redisReply *rep = rconn_cmd(c->redis, "SET %s 1 NX PX %d", lock, LOCK_MS);
    bool got = rep && rep->type == REDIS_REPLY_STATUS;
    bool failed = !rep;
    if (rep)
        freeReplyObject(rep);
    if (got || failed)
        return false;
    for (int waited = 0; waited < LOCK_WAIT_MS; waited += 10) {
        struct timespec ts = {0, 10 * 1000000L};
        nanosleep(&ts, NULL);
        if (l2_get(c->redis, key, e) == 1)
            return true;
    }
    return false;
}

static void release_lock(struct ctx *c, const char *key)
{
    redisReply *rep = rconn_cmd(c->redis, "DEL %s:lock", key);
    if (rep)
        freeReplyObject(rep);
}

/* The leader's computation and storage; answers c. */
static void compute_and_store(struct ctx *c, const struct cache_req *r, const char *k1,
                              const char *k2, bool bypass, struct l2_entry *stale, struct flight *f,
                              unsigned long epoch)
{
    struct buf body = BUF_INIT;
    double t0 = time_mono();
    choose_read_db(c);
    enum db_status st = c->route->dash->compute(c, r, &body);
    long long took = (long long)((time_mono() - t0) * 1000.0);
    char etag[ETAG_MAX] = "";
    if (st == DB_OK) {
        etag_of(buf_str(&body), body.len, etag);
        if (!bypass) {
            struct l2_entry e = {.created_ms = now_ms(),
                                 .compute_ms = took,
                                 .body = (char *)buf_str(&body),
                                 .len = body.len};
            e.fresh_until_ms = e.created_ms + (long long)r->ttl_s * 1000;
            snprintf(e.etag, sizeof e.etag, "%s", etag);
            l2_put(c->redis, k2, &e, r->ttl_s, c->cfg->stale_if_error_s);
            release_lock(c, k2);
            l1_put(k1, c->tenant_id, buf_str(&body), body.len, etag, r->ttl_s, epoch);
        }
        answer(c, bypass ? CACHE_BYPASS : CACHE_MISS, buf_str(&body), body.len, etag,
               bypass ? "computed; Redis unavailable, not stored" : "computed and stored");
    } else if (stale && stale->body) {
        answer(c, CACHE_STALE, stale->body, stale->len, stale->etag, "stale: the database failed");
    } else {
        resp_db_error(c, st);
    }
    flight_land(f, st, buf_str(&body), body.len, etag);
    buf_free(&body);
}

/* bench/run's uncached scenario: with bench_mode on, this header skips both
 * layers (the answer is computed, never stored). Ignored otherwise. */
static bool bench_bypass(const struct ctx *c)
{
    const char *h = ctx_header(c, "X-Onquota-Bench");
    return c->cfg->bench_mode && h && !strcmp(h, "no-cache");
}

void cache_handle(struct ctx *c)
{
    struct cache_req r;
    if (!parse_request(c, &r))
        return;
    if (bench_bypass(c)) {
        struct buf body = BUF_INIT;
        enum db_status st = c->route->dash->compute(c, &r, &body);
        char etag[ETAG_MAX];
        etag_of(buf_str(&body), body.len, etag);
        if (st == DB_OK)
            answer(c, CACHE_MISS, buf_str(&body), body.len, etag, "computed; bench_mode bypass");
        else
            resp_db_error(c, st);
        buf_free(&body);
        return;
    }
    char k1[KEY_MAX], k2[KEY_MAX] = "";
    l1_key(c, &r, k1);
    struct l1_hit hit;
    if (!rconn_breaker_open() && l1_get(k1, true, &hit)) {
        answer(c, CACHE_HIT, hit.body, hit.len, hit.etag, "L1");
        free(hit.body);
        return;
    }

    unsigned long epoch = l1_epoch(); /* before the generation is read */
    long long gen = 0;
    bool bypass = !generation(c->redis, c->tenant_id, epoch, &gen);
    struct l2_entry e = {0};
    if (!bypass) {
        l2_key(c, &r, gen, k2);
        int found = l2_get(c->redis, k2, &e);
        bypass = found < 0;
        if (found == 1 && now_ms() < e.fresh_until_ms && !xfetch_early(&e)) {
            l1_put(k1, c->tenant_id, e.body, e.len, e.etag,
                   (double)(e.fresh_until_ms - now_ms()) / 1000.0, epoch);
            answer(c, CACHE_HIT, e.body, e.len, e.etag, "L2");
            free(e.body);
            return;
        }
    }

    struct flight *mine = NULL, *f = flight_join(k1, &mine);
    if (f) {
        /* Another worker computed it while we waited. */
        if (f->status == DB_OK)
            answer(c, bypass ? CACHE_BYPASS : CACHE_HIT, f->body, f->len, f->etag,
                   "computed by another request here");
        else if (e.body)
            answer(c, CACHE_STALE, e.body, e.len, e.etag,
                   "stale: the database failed (another request)");
        else
            resp_db_error(c, f->status);
        flight_leave(f);
        free(e.body);
        return;
    }
    struct l2_entry other = {0};
    if (!bypass && !e.body && await_other_instance(c, k2, &other)) {
        l1_put(k1, c->tenant_id, other.body, other.len, other.etag, r.ttl_s, epoch);
        answer(c, CACHE_HIT, other.body, other.len, other.etag, "computed by another instance");
        flight_land(mine, DB_OK, other.body, other.len, other.etag);
        free(other.body);
        return;
    }
    compute_and_store(c, &r, k1, k2, bypass, &e, mine, epoch);
    free(e.body);
}

bool cache_answer_local(struct ctx *c)
{
    if (!c->route || !c->route->dash || rconn_breaker_open() || bench_bypass(c))
        return false;
    struct cache_req r;
    struct verr v;
    verr_init(&v);
    memset(&r, 0, sizeof r);
    bool ok = c->route->dash->parse(c, &r, &v);
    verr_free(&v);
    if (!ok)
        return false;
    char k1[KEY_MAX];
    l1_key(c, &r, k1);
    const char *inm = ctx_header(c, "If-None-Match");
    struct l1_hit hit;
    if (!l1_get(k1, !(inm && l1_etag_matches(k1, inm)), &hit))
        return false;
    if (hit.body) {
        answer(c, CACHE_HIT, hit.body, hit.len, hit.etag, "L1 on the I/O thread");
        free(hit.body);
    } else {
        answer(c, CACHE_HIT, "", 0, hit.etag,
               "L1 on the I/O thread, ETag matches"); /* If-None-Match matches: 304 */
    }
    return true;
}

/* Per-token rate limits: token buckets in process, optionally synced through Redis. */
#include "auth/ratelimit.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hmap.h"
#include "log.h"
#include "store/redisconn.h"
#include "timeutil.h"
#include "uuid.h"
#include "xalloc.h"
#include "store/fleet.h"

#define STRIPES 64      /* independent locks: I/O threads and workers rarely meet */
#define STRIPE_MAX 4096 /* buckets per stripe; past it the least recently used goes */
#define SYNC_MS 100     /* how often shared buckets are synced */
#define ACTIVE_S 2.0    /* a bucket used this recently keeps being synced */

/* The fleet's bucket of one token in Redis (a hash of tokens and the time
 * of their last refill, in ms): refills it as of the caller's clock, takes
 * the caller's use since its last sync, and answers what is left. Every
 * instance then sets its local bucket to that: each sees the whole fleet's
 * use within one sync period. */
static const char fleet_script[] =
    "local rate, burst, now = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])"
    " local b = redis.call('HMGET', KEYS[1], 't', 'ts')"
    " local t, ts = tonumber(b[1]) or burst, tonumber(b[2]) or now"
    " if now > ts then t = math.min(burst, t + (now - ts) * rate / 1000) ts = now end"
    " t = math.max(-burst, t - tonumber(ARGV[1]))"
    " redis.call('HSET', KEYS[1], 't', tostring(t), 'ts', tostring(ts))"
    " redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)"
    " return tostring(t)";

bool tbucket_take(struct tbucket *b, double rate, double burst, double now, double *wait)
{
    if (b->last == 0) {
        b->tokens = burst;
        b->last = now;
    } else if (now > b->last) {
        b->tokens = fmin(burst, b->tokens + (now - b->last) * rate);
        b->last = now;
    }
    if (b->tokens >= 1.0) {
        b->tokens -= 1.0;
        return true;
    }
    *wait = (1.0 - b->tokens) / rate;
    return false;
}

/* ------------------------------------------------------------ buckets */

/* One token's bucket; the map's key is the token id. */
struct bucket {
    struct tbucket b;
    long pending; /* local takes not yet taken from the fleet's bucket */
    double used;  /* time of the last take */
};

struct stripe {
    pthread_mutex_t mu;
    struct hmap *map; /* made by locks_init */
};

static struct {
    /* RATE << 32 | BURST, 0 when off: one word, so that a SIGHUP can change
     * both while I/O threads read them */
    _Atomic uint64_t limit;
    struct stripe stripes[STRIPES];
    /* the sync thread */
    atomic_bool syncing;
    pthread_t thread;
    atomic_bool stopping;
    struct rconn *redis;
} rl;

/* The current limit; false when limits are off. */
static bool limit_now(double *rate, double *burst)
{
    uint64_t v = atomic_load(&rl.limit);
    *rate = (double)(v >> 32);
    *burst = (double)(v & 0xffffffffu);
    return v != 0;
}

static struct stripe *stripe_of(const char *token)
{
    return &rl.stripes[hmap_hash(token) % STRIPES];
}

/* A bucket that has refilled completely, has nothing to report and is not
 * being synced is indistinguishable from a new one: it may be forgotten
 * from then on (its entry's expiry). 0 = not while takes are unreported. */
static double forget_at(const struct bucket *v, double rate, double burst)
{
    if (v->pending)
        return 0;
    double full = v->b.last + (burst - v->b.tokens) / rate;
    return atomic_load(&rl.syncing) && v->used + ACTIVE_S > full ? v->used + ACTIVE_S : full;
}

bool ratelimit_take(const char *token_id, int *retry_after)
{
    double rate, burst;
    if (!limit_now(&rate, &burst))
        return true;
    struct stripe *s = stripe_of(token_id);
    double now = time_mono(), wait = 0;
    pthread_mutex_lock(&s->mu);
    struct bucket *v = hmap_get(s->map, token_id, now);
    if (!v)
        v = hmap_put(s->map, token_id, 0, 0);
    bool ok = tbucket_take(&v->b, rate, burst, now, &wait);
    if (ok) {
        v->pending += atomic_load(&rl.syncing); /* only the sync thread ever resets it */
        v->used = now;
    }
    hmap_set_expiry(s->map, v, forget_at(v, rate, burst));
    pthread_mutex_unlock(&s->mu);
    if (!ok)
        *retry_after = wait < 1.0 ? 1 : (int)ceil(wait);
    return ok;
}

void ratelimit_refuse(struct ctx *c, int retry_after, const char *detail)
{
    char ra[16];
    snprintf(ra, sizeof ra, "%d", retry_after);
    resp_header(c, "Retry-After", ra);
    resp_error(c, 429, detail);
}

bool ratelimit_allow(struct ctx *c)
{
    int retry = 0;
    if (!c->authenticated || !c->token_id[0] || ratelimit_take(c->token_id, &retry))
        return true;
    ratelimit_refuse(c, retry, "Too many requests for this token; retry later");
    return false;
}

/* ------------------------------------------------------------ sync */

/* What one sync reports for one token, copied out of the locks. */
struct report {
    char token[UUID_STR_LEN + 1];
    long delta;
};

/* Where collect gathers the active buckets' reports. */
struct reports {
    struct report *list;
    size_t n, cap;
    struct hmap *map; /* the stripe's, for the expiries */
    double now;
    double rate, burst; /* the limit in force */
};

static bool collect_one(const char *token, void *value, void *arg)
{
    struct bucket *v = value;
    struct reports *r = arg;
    if (v->pending == 0 && r->now - v->used > ACTIVE_S)
        return false;
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 64;
        r->list = xrealloc(r->list, r->cap * sizeof *r->list);
    }
    snprintf(r->list[r->n].token, sizeof r->list[r->n].token, "%s", token);
    r->list[r->n++].delta = v->pending;
    v->pending = 0;
    hmap_set_expiry(r->map, v, forget_at(v, r->rate, r->burst));
    return false;
}

/* Copies the active buckets' pending counts (resetting them) into r->list;
 * the walk also forgets the buckets that have expired. */
static void collect(struct reports *r)
{
    r->n = 0;
    r->now = time_mono();
    if (!limit_now(&r->rate, &r->burst))
        return;
    for (int i = 0; i < STRIPES; i++) {
        struct stripe *s = &rl.stripes[i];
        pthread_mutex_lock(&s->mu);
        r->map = s->map;
        hmap_each(s->map, r->now, collect_one, r);
        pthread_mutex_unlock(&s->mu);
    }
}

/* The fleet's bucket has `left` tokens: so has ours, less what was taken
 * here since the report. */
static void apply(const char *token, double left)
{
    struct stripe *s = stripe_of(token);
    double now = time_mono(), rate, burst;
    if (!limit_now(&rate, &burst))
        return;
    pthread_mutex_lock(&s->mu);
    struct bucket *v = hmap_get(s->map, token, now);
    if (v) {
        v->b.tokens = fmax(-burst, left - (double)v->pending);
        v->b.last = now;
        hmap_set_expiry(s->map, v, forget_at(v, rate, burst));
    }
    pthread_mutex_unlock(&s->mu);
}

static void sync_once(struct reports *reports)
{
    collect(reports);
    double rate = reports->rate, burst = reports->burst;
    if (reports->n == 0)
        return;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    long long now_ms = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    for (size_t i = 0; i < reports->n; i++) {
        const struct report *r = &reports->list[i];
        char key[FLEET_KEY_MAX];
        fleet_key(key, sizeof key, "rl", "{%s}", r->token);
        redisReply *rep = rconn_cmd(rl.redis, "EVAL %s 1 %s %ld %.0f %.0f %lld", fleet_script, key,
                                    r->delta, rate, burst, now_ms);
        if (!rep)
            break; /* Redis is down: the buckets stay local until it is back */
        if (rep->type == REDIS_REPLY_STRING)
            apply(r->token, strtod(rep->str, NULL));
        freeReplyObject(rep);
    }
}

static void *sync_main(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "ratelimit");
    struct reports reports = {0};
    while (!atomic_load(&rl.stopping)) {
        usleep(SYNC_MS * 1000);
        sync_once(&reports);
    }
    free(reports.list);
    return NULL;
}

/* ------------------------------------------------------------ life cycle */

static pthread_once_t locks_once = PTHREAD_ONCE_INIT;

static void locks_init(void)
{
    for (int i = 0; i < STRIPES; i++) {
        pthread_mutex_init(&rl.stripes[i].mu, NULL);
        rl.stripes[i].map = hmap_new(
            &(struct hmap_config){.max_entries = STRIPE_MAX, .value_size = sizeof(struct bucket)});
    }
}

void ratelimit_start(const struct config *cfg, const struct redis_target *redis)
{
    pthread_once(&locks_once, locks_init);
    long rate = 0, burst = 0;
    const char *spec = cfg->rate_limit_per_token;
    bool on = spec && sscanf(spec, "%ld/%ld", &rate, &burst) == 2 && rate > 0 && burst > 0 &&
              rate <= UINT32_MAX && burst <= UINT32_MAX;
    atomic_store(&rl.limit, on ? (uint64_t)rate << 32 | (uint64_t)burst : 0);
    if (!on || !cfg->rate_limit_shared || !redis || atomic_load(&rl.syncing))
        return;
    rl.redis = rconn_new(redis, cfg->redis_timeout_ms);
    atomic_store(&rl.stopping, false);
    bool started = pthread_create(&rl.thread, NULL, sync_main, NULL) == 0;
    atomic_store(&rl.syncing, started);
    if (!started)
        log_msg(LOG_WARN, "rate limits: cannot start the sync thread; limits stay local");
}

void ratelimit_stop(void)
{
    pthread_once(&locks_once, locks_init);
    if (atomic_load(&rl.syncing)) {
        atomic_store(&rl.stopping, true);
        pthread_join(rl.thread, NULL);
        atomic_store(&rl.syncing, false);
    }
    rconn_free(rl.redis);
    rl.redis = NULL;
    for (int i = 0; i < STRIPES; i++) {
        struct stripe *s = &rl.stripes[i];
        pthread_mutex_lock(&s->mu);
        hmap_clear(s->map);
        pthread_mutex_unlock(&s->mu);
    }
    atomic_store(&rl.limit, 0);
}

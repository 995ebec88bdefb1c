/* Per-token rate limits: token buckets in process, optionally synced through Redis. */
#include "auth/ratelimit.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "store/redisconn.h"
#include "timeutil.h"
#include "xalloc.h"
#include "store/fleet.h"

#define STRIPES 64      /* independent locks: I/O threads and workers rarely meet */
#define CHAINS 64       /* hash chains per stripe */
#define STRIPE_MAX 1024 /* buckets per stripe before full ones are swept */
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

struct entry {
    struct entry *next;
    char token[37];
    struct tbucket b;
    long pending; /* local takes not yet taken from the fleet's bucket */
    double used;  /* time of the last take */
};

struct stripe {
    pthread_mutex_t mu;
    struct entry *chain[CHAINS];
    int count;
    int sweep_at; /* the count that triggers the next sweep */
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

static unsigned long hash(const char *s)
{
    unsigned long h = 1469598103934665603UL;
    while (*s)
        h = (h ^ (unsigned char)*s++) * 1099511628211UL;
    return h;
}

static struct stripe *stripe_of(const char *token, struct entry ***chain)
{
    unsigned long h = hash(token);
    struct stripe *s = &rl.stripes[h % STRIPES];
    *chain = &s->chain[(h / STRIPES) % CHAINS];
    return s;
}

/* A bucket that has refilled completely and has nothing to report is
 * indistinguishable from a new one: dropping it loses nothing. */
static bool forgettable(const struct entry *e, double now)
{
    double rate, burst;
    limit_now(&rate, &burst);
    return e->pending == 0 && e->b.tokens + (now - e->b.last) * rate >= burst;
}

static void sweep_locked(struct stripe *s, double now)
{
    for (int i = 0; i < CHAINS; i++) {
        struct entry **pp = &s->chain[i];
        while (*pp) {
            struct entry *e = *pp;
            if (forgettable(e, now)) {
                *pp = e->next;
                free(e);
                s->count--;
            } else {
                pp = &e->next;
            }
        }
    }
}

/* Finds token's bucket in its (locked) stripe, creating it when asked. */
static struct entry *find_locked(struct stripe *s, struct entry **chain, const char *token,
                                 bool create, double now)
{
    for (struct entry *e = *chain; e; e = e->next)
        if (!strcmp(e->token, token))
            return e;
    if (!create)
        return NULL;
    if (s->count >= s->sweep_at) {
        /* Sweeps are amortised: the next one waits for the stripe to double. */
        sweep_locked(s, now);
        s->sweep_at = s->count * 2 > STRIPE_MAX ? s->count * 2 : STRIPE_MAX;
    }
    struct entry *e = xcalloc(1, sizeof *e);
    snprintf(e->token, sizeof e->token, "%s", token);
    e->next = *chain;
    *chain = e;
    s->count++;
    return e;
}

bool ratelimit_take(const char *token_id, int *retry_after)
{
    double rate, burst;
    if (!limit_now(&rate, &burst))
        return true;
    struct entry **chain;
    struct stripe *s = stripe_of(token_id, &chain);
    double now = time_mono(), wait = 0;
    pthread_mutex_lock(&s->mu);
    struct entry *e = find_locked(s, chain, token_id, true, now);
    bool ok = tbucket_take(&e->b, rate, burst, now, &wait);
    if (ok) {
        e->pending += atomic_load(&rl.syncing); /* only the sync thread ever resets it */
        e->used = now;
    }
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
    char token[37];
    long delta;
};

/* Copies the active buckets' pending counts (resetting them) into *out;
 * returns how many. */
static size_t collect(struct report **out, size_t *cap)
{
    size_t n = 0;
    double now = time_mono();
    for (int i = 0; i < STRIPES; i++) {
        struct stripe *s = &rl.stripes[i];
        pthread_mutex_lock(&s->mu);
        for (int c = 0; c < CHAINS; c++) {
            for (struct entry *e = s->chain[c]; e; e = e->next) {
                if (e->pending == 0 && now - e->used > ACTIVE_S)
                    continue;
                if (n == *cap) {
                    *cap = *cap ? *cap * 2 : 64;
                    *out = xrealloc(*out, *cap * sizeof **out);
                }
                snprintf((*out)[n].token, sizeof(*out)[n].token, "%s", e->token);
                (*out)[n++].delta = e->pending;
                e->pending = 0;
            }
        }
        pthread_mutex_unlock(&s->mu);
    }
    return n;
}

/* The fleet's bucket has `left` tokens: so has ours, less what was taken
 * here since the report. */
static void apply(const char *token, double left)
{
    struct entry **chain;
    struct stripe *s = stripe_of(token, &chain);
    pthread_mutex_lock(&s->mu);
    struct entry *e = find_locked(s, chain, token, false, 0);
    double rate, burst;
    limit_now(&rate, &burst);
    if (e) {
        e->b.tokens = fmax(-burst, left - (double)e->pending);
        e->b.last = time_mono();
    }
    pthread_mutex_unlock(&s->mu);
}

static void sync_once(struct report **list, size_t *cap)
{
    size_t n = collect(list, cap);
    double rate, burst;
    if (!limit_now(&rate, &burst))
        return;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    long long now_ms = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    for (size_t i = 0; i < n; i++) {
        const struct report *r = &(*list)[i];
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
    struct report *list = NULL;
    size_t cap = 0;
    while (!atomic_load(&rl.stopping)) {
        usleep(SYNC_MS * 1000);
        sync_once(&list, &cap);
    }
    free(list);
    return NULL;
}

/* ------------------------------------------------------------ life cycle */

static pthread_once_t locks_once = PTHREAD_ONCE_INIT;

static void locks_init(void)
{
    for (int i = 0; i < STRIPES; i++) {
        pthread_mutex_init(&rl.stripes[i].mu, NULL);
        rl.stripes[i].sweep_at = STRIPE_MAX;
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
        for (int c = 0; c < CHAINS; c++) {
            while (s->chain[c]) {
                struct entry *e = s->chain[c];
                s->chain[c] = e->next;
                free(e);
            }
        }
        s->count = 0;
        s->sweep_at = STRIPE_MAX;
        pthread_mutex_unlock(&s->mu);
    }
    atomic_store(&rl.limit, 0);
}

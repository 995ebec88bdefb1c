/* Redis access for one worker: hiredis with timeouts, reconnection, a circuit breaker. */
#include "store/redisconn.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/metrics.h"
#include "store/sentinel.h"
#include "timeutil.h"
#include "xalloc.h"

#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 2000
#define BREAKER_THRESHOLD 3
#define BREAKER_OPEN_US 2000000

struct rconn {
    struct redis_target t;
    int timeout_ms;
    redisContext *ctx;
    int backoff_ms;
    double next_attempt;
    unsigned long gen; /* sentinel_generation() when ctx was made */
};

/* The breaker is shared by every handle in the process: when Redis is dead,
 * one worker finding out is enough for all of them to stop waiting on it. */
static atomic_int consecutive_failures;
static _Atomic int64_t breaker_until_us;

bool rconn_breaker_open(void)
{
    return time_mono_us() < atomic_load(&breaker_until_us);
}

static void note_failure(void)
{
    metrics_redis_error();
    if (atomic_fetch_add(&consecutive_failures, 1) + 1 >= BREAKER_THRESHOLD)
        atomic_store(&breaker_until_us, time_mono_us() + BREAKER_OPEN_US);
}

static void note_success(void)
{
    atomic_store(&consecutive_failures, 0);
    atomic_store(&breaker_until_us, 0);
}

static struct timeval tv_ms(int ms)
{
    struct timeval tv = {.tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000};
    return tv;
}

struct rconn *rconn_new(const struct redis_target *t, int timeout_ms)
{
    struct rconn *r = xcalloc(1, sizeof *r);
    redis_target_copy(&r->t, t);
    r->timeout_ms = timeout_ms;
    r->backoff_ms = BACKOFF_MIN_MS;
    return r;
}

static void drop(struct rconn *r)
{
    if (r->ctx) {
        redisFree(r->ctx);
        r->ctx = NULL;
    }
}

void rconn_free(struct rconn *r)
{
    if (!r)
        return;
    drop(r);
    redis_target_free(&r->t);
    free(r);
}

/* With Sentinel: true when c's server is the primary (ROLE), else false
 * with err and every connection asked to resolve again. */
static bool is_primary(redisContext *c, char *err, size_t errsz)
{
    redisReply *rep = redisCommand(c, "ROLE");
    bool ok = rep && rep->type == REDIS_REPLY_ARRAY && rep->elements > 0 &&
              rep->element[0]->type == REDIS_REPLY_STRING &&
              !strcmp(rep->element[0]->str, "master");
    if (!ok) {
        snprintf(err, errsz, "the server the Sentinels named is not the primary (ROLE %s)",
                 rep && rep->type == REDIS_REPLY_ARRAY && rep->elements > 0 &&
                         rep->element[0]->type == REDIS_REPLY_STRING
                     ? rep->element[0]->str
                     : "failed");
        sentinel_invalidate();
    }
    if (rep)
        freeReplyObject(rep);
    return ok;
}

/* Connects (to the primary the Sentinels name, for a redis+sentinel://
 * target), authenticates and selects the database; NULL with err on
 * failure. */
static redisContext *open_ctx(const struct redis_target *t, int timeout_ms, char *err, size_t errsz)
{
    struct timeval tv = tv_ms(timeout_ms);
    char host[SENTINEL_HOST_MAX];
    int port = t->port;
    if (t->sentinel_master) {
        if (!sentinel_resolve(t, timeout_ms, host, &port, err, errsz))
            return NULL;
    } else if (t->host) {
        snprintf(host, sizeof host, "%s", t->host);
    }
    redisContext *c = t->unix_path ? redisConnectUnixWithTimeout(t->unix_path, tv)
                                   : redisConnectWithTimeout(host, port, tv);
    if (!c || c->err) {
        snprintf(err, errsz, "%s", c ? c->errstr : "out of memory");
        if (c)
            redisFree(c);
        return NULL;
    }
    redisSetTimeout(c, tv);
    redisReply *rep = NULL;
    if (t->password) {
        rep = t->username ? redisCommand(c, "AUTH %s %s", t->username, t->password)
                          : redisCommand(c, "AUTH %s", t->password);
        if (!rep || rep->type == REDIS_REPLY_ERROR) {
            snprintf(err, errsz, "AUTH failed: %s",
                     rep ? rep->str : (c->errstr[0] ? c->errstr : "no reply"));
            goto fail;
        }
        freeReplyObject(rep);
        rep = NULL;
    }
    if (t->db) {
        rep = redisCommand(c, "SELECT %d", t->db);
        if (!rep || rep->type == REDIS_REPLY_ERROR) {
            snprintf(err, errsz, "SELECT failed: %s",
                     rep ? rep->str : (c->errstr[0] ? c->errstr : "no reply"));
            goto fail;
        }
        freeReplyObject(rep);
        rep = NULL;
    }
    if (t->sentinel_master && !is_primary(c, err, errsz))
        goto fail;
    return c;
fail:
    if (rep)
        freeReplyObject(rep);
    redisFree(c);
    return NULL;
}

/* True when the primary may have moved since r connected. */
static bool stale(const struct rconn *r)
{
    return r->t.sentinel_master && r->gen != sentinel_generation();
}

static bool ensure(struct rconn *r)
{
    if (r->ctx && !r->ctx->err && !stale(r))
        return true;
    drop(r);
    double now = time_mono();
    if (now < r->next_attempt)
        return false;
    char err[160];
    r->gen = sentinel_generation();
    r->ctx = open_ctx(&r->t, r->timeout_ms, err, sizeof err);
    if (r->ctx) {
        r->backoff_ms = BACKOFF_MIN_MS;
        return true;
    }
    r->next_attempt = now + r->backoff_ms / 1000.0;
    r->backoff_ms = r->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : r->backoff_ms * 2;
    return false;
}

/* Common tail of a command: classifies the reply and keeps the breaker. */
static redisReply *finish(struct rconn *r, redisReply *rep)
{
    if (!rep) {
        drop(r); /* timeout or I/O error: the context is unusable */
        note_failure();
        return NULL;
    }
    if (rep->type == REDIS_REPLY_ERROR) {
        /* The server answered: the connection is fine, the command was not,
         * unless the server is a primary demoted to a replica. */
        if (r->t.sentinel_master && !strncmp(rep->str, "READONLY", 8)) {
            drop(r);
            sentinel_invalidate();
        }
        freeReplyObject(rep);
        metrics_redis_error();
        return NULL;
    }
    note_success();
    return rep;
}

redisReply *rconn_cmd(struct rconn *r, const char *fmt, ...)
{
    if (rconn_breaker_open() || !ensure(r)) {
        if (!rconn_breaker_open())
            note_failure();
        return NULL;
    }
    va_list ap;
    va_start(ap, fmt);
    redisReply *rep = redisvCommand(r->ctx, fmt, ap);
    va_end(ap);
    return finish(r, rep);
}

redisReply *rconn_cmdv(struct rconn *r, int argc, const char **argv, const size_t *argvlen)
{
    if (rconn_breaker_open() || !ensure(r)) {
        if (!rconn_breaker_open())
            note_failure();
        return NULL;
    }
    return finish(r, redisCommandArgv(r->ctx, argc, argv, argvlen));
}

/* Copies used_memory_human out of an INFO memory reply. */
static void info_field(const char *info, const char *key, char *out, size_t outsz)
{
    const char *p = strstr(info, key);
    out[0] = '\0';
    if (!p)
        return;
    p += strlen(key);
    size_t n = strcspn(p, "\r\n");
    snprintf(out, outsz, "%.*s", (int)n, p);
}

bool rconn_check(struct rconn *r, int timeout_ms, double *ms, char *mem, size_t memsz, char *err,
                 size_t errsz)
{
    double t0 = time_mono();
    if (!r->ctx || r->ctx->err || stale(r)) {
        drop(r);
        r->gen = sentinel_generation();
        r->ctx = open_ctx(&r->t, timeout_ms, err, errsz);
        if (!r->ctx)
            return false;
    }
    redisSetTimeout(r->ctx, tv_ms(timeout_ms));
    redisReply *rep = redisCommand(r->ctx, "PING");
    bool ok = rep && rep->type == REDIS_REPLY_STATUS;
    if (!ok)
        snprintf(err, errsz, "%s",
                 rep && rep->str ? rep->str : (r->ctx->errstr[0] ? r->ctx->errstr : "no reply"));
    if (rep)
        freeReplyObject(rep);
    if (ok) {
        *ms = (time_mono() - t0) * 1000.0;
        rep = redisCommand(r->ctx, "INFO memory");
        ok = rep && rep->type == REDIS_REPLY_STRING;
        if (ok)
            info_field(rep->str, "used_memory_human:", mem, memsz);
        else
            snprintf(err, errsz, "INFO failed: %s",
                     r->ctx->errstr[0] ? r->ctx->errstr : "bad reply");
        if (rep)
            freeReplyObject(rep);
    }
    if (!ok)
        drop(r);
    else
        note_success();
    return ok;
}

redisContext *rconn_connect_subscriber(const struct redis_target *t, int timeout_ms, char **err)
{
    char e[160];
    redisContext *c = open_ctx(t, timeout_ms, e, sizeof e);
    if (!c) {
        *err = xstrdup(e);
        return NULL;
    }
    /* Subscribers block waiting for messages; a short read timeout lets the
     * listener thread notice shutdown. */
    redisSetTimeout(c, tv_ms(500));
    return c;
}

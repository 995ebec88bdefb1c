/* Redis Sentinel discovery: where a redis+sentinel:// target's primary is, and when it moves. */
#include "store/sentinel.h"

#include <hiredis/hiredis.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"
#include "xalloc.h"

#define WATCH_BACKOFF_MIN_MS 100
#define WATCH_BACKOFF_MAX_MS 2000
#define SWITCH_CHANNEL "+switch-master"

static atomic_ulong generation = 1;

/* The last answer, to notice a move. */
static struct {
    pthread_mutex_t mu;
    char host[SENTINEL_HOST_MAX];
    int port;
} last = {.mu = PTHREAD_MUTEX_INITIALIZER};

unsigned long sentinel_generation(void)
{
    return atomic_load(&generation);
}

void sentinel_invalidate(void)
{
    atomic_fetch_add(&generation, 1);
}

static struct timeval tv_ms(int ms)
{
    return (struct timeval){.tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000};
}

/* Notes an answer; moves the generation when it differs from the last. */
static void note_primary(const char *host, int port)
{
    pthread_mutex_lock(&last.mu);
    bool moved = last.port != 0 && (last.port != port || strcmp(last.host, host) != 0);
    bool first = last.port == 0;
    snprintf(last.host, sizeof last.host, "%s", host);
    last.port = port;
    pthread_mutex_unlock(&last.mu);
    if (moved) {
        log_msg(LOG_WARN, "redis: the Sentinels now name %s:%d as the primary", host, port);
        sentinel_invalidate();
    } else if (first) {
        log_msg(LOG_INFO, "redis: the Sentinels name %s:%d as the primary", host, port);
    }
}

/* One Sentinel's answer; false with err when it has none. */
static bool ask(const struct redis_sentinel *s, const char *master, int timeout_ms,
                char host[SENTINEL_HOST_MAX], int *port, char *err, size_t errsz)
{
    redisContext *c = redisConnectWithTimeout(s->host, s->port, tv_ms(timeout_ms));
    if (!c || c->err) {
        snprintf(err, errsz, "Sentinel %s:%d: %s", s->host, s->port,
                 c ? c->errstr : "out of memory");
        redisFree(c);
        return false;
    }
    redisSetTimeout(c, tv_ms(timeout_ms));
    redisReply *r = redisCommand(c, "SENTINEL get-master-addr-by-name %s", master);
    bool ok = r && r->type == REDIS_REPLY_ARRAY && r->elements == 2 &&
              r->element[0]->type == REDIS_REPLY_STRING &&
              r->element[1]->type == REDIS_REPLY_STRING && r->element[0]->len < SENTINEL_HOST_MAX;
    if (ok) {
        memcpy(host, r->element[0]->str, r->element[0]->len + 1);
        *port = atoi(r->element[1]->str);
        ok = *port > 0 && *port <= 65535;
    }
    if (!ok)
        snprintf(err, errsz, "Sentinel %s:%d: %s", s->host, s->port,
                 !r                             ? (c->errstr[0] ? c->errstr : "no reply")
                 : r->type == REDIS_REPLY_ERROR ? r->str
                 : r->type == REDIS_REPLY_NIL   ? "does not know the primary"
                                                : "unexpected reply");
    if (r)
        freeReplyObject(r);
    redisFree(c);
    return ok;
}

bool sentinel_resolve(const struct redis_target *t, int timeout_ms, char host[SENTINEL_HOST_MAX],
                      int *port, char *err, size_t errsz)
{
    snprintf(err, errsz, "no Sentinel named");
    for (int i = 0; i < t->nsentinels; i++) {
        if (ask(&t->sentinels[i], t->sentinel_master, timeout_ms, host, port, err, errsz)) {
            note_primary(host, *port);
            return true;
        }
    }
    return false;
}

/* ---------------------------------------------------------------- watcher */

static struct {
    pthread_t thread;
    bool started;
    atomic_bool stopping;
    pthread_mutex_t mu;
    redisContext *ctx; /* guarded by mu, so sentinel_watch_stop can wake the read */
    const struct redis_target *t;
    int timeout_ms;
    void (*on_switch)(void);
} watch = {.mu = PTHREAD_MUTEX_INITIALIZER};

static void sleep_unless_stopping(int ms)
{
    for (int waited = 0; waited < ms && !atomic_load(&watch.stopping); waited += 20)
        usleep(20000);
}

/* "<name> <old-ip> <old-port> <new-ip> <new-port>": true when it is ours. */
static bool is_our_switch(const char *msg, const char *master)
{
    size_t n = strlen(master);
    return !strncmp(msg, master, n) && msg[n] == ' ';
}

/* Reads +switch-master messages until the connection drops or we stop. */
static void listen_on(redisContext *c)
{
    while (!atomic_load(&watch.stopping)) {
        void *reply = NULL;
        if (redisGetReply(c, &reply) != REDIS_OK || !reply)
            return;
        redisReply *m = reply;
        if (m->type == REDIS_REPLY_ARRAY && m->elements == 3 &&
            m->element[0]->type == REDIS_REPLY_STRING && !strcmp(m->element[0]->str, "message") &&
            m->element[2]->type == REDIS_REPLY_STRING &&
            is_our_switch(m->element[2]->str, watch.t->sentinel_master)) {
            log_msg(LOG_WARN, "redis: +switch-master %s", m->element[2]->str);
            sentinel_invalidate();
            if (watch.on_switch)
                watch.on_switch();
        }
        freeReplyObject(m);
    }
}

static void *watch_main(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "sentinel");
    int backoff = WATCH_BACKOFF_MIN_MS;
    for (int i = 0; !atomic_load(&watch.stopping); i = (i + 1) % watch.t->nsentinels) {
        const struct redis_sentinel *s = &watch.t->sentinels[i];
        redisContext *c = redisConnectWithTimeout(s->host, s->port, tv_ms(watch.timeout_ms));
        redisReply *r = c && !c->err ? redisCommand(c, "SUBSCRIBE %s", SWITCH_CHANNEL) : NULL;
        if (!r) {
            redisFree(c);
            sleep_unless_stopping(backoff);
            backoff = backoff * 2 > WATCH_BACKOFF_MAX_MS ? WATCH_BACKOFF_MAX_MS : backoff * 2;
            continue;
        }
        freeReplyObject(r);
        backoff = WATCH_BACKOFF_MIN_MS;
        /* Block without a read timeout (hiredis 0.14 cannot resume after
         * one); sentinel_watch_stop shuts the socket down to wake us. */
        redisSetTimeout(c, (struct timeval){0, 0});
        redisEnableKeepAlive(c);
        pthread_mutex_lock(&watch.mu);
        watch.ctx = c;
        pthread_mutex_unlock(&watch.mu);
        /* A switch missed while not subscribed: ask again. */
        char host[SENTINEL_HOST_MAX], err[160];
        int port;
        if (!atomic_load(&watch.stopping))
            sentinel_resolve(watch.t, watch.timeout_ms, host, &port, err, sizeof err);
        listen_on(c);
        pthread_mutex_lock(&watch.mu);
        watch.ctx = NULL;
        pthread_mutex_unlock(&watch.mu);
        redisFree(c);
    }
    return NULL;
}

int sentinel_watch_start(const struct redis_target *t, int timeout_ms, void (*on_switch)(void),
                         char **err)
{
    if (!t->sentinel_master || t->nsentinels == 0)
        return 0;
    watch.t = t;
    watch.timeout_ms = timeout_ms;
    watch.on_switch = on_switch;
    atomic_store(&watch.stopping, false);
    if (pthread_create(&watch.thread, NULL, watch_main, NULL) != 0) {
        *err = xstrdup("cannot start the Sentinel watcher thread");
        return -1;
    }
    watch.started = true;
    return 0;
}

void sentinel_watch_stop(void)
{
    if (!watch.started)
        return;
    atomic_store(&watch.stopping, true);
    pthread_mutex_lock(&watch.mu);
    if (watch.ctx)
        shutdown(watch.ctx->fd, SHUT_RDWR);
    pthread_mutex_unlock(&watch.mu);
    pthread_join(watch.thread, NULL);
    watch.started = false;
}

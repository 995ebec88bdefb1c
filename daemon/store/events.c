/* Cross-instance events over Redis pub/sub: token revocations, cache invalidations. */
#include "store/events.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"
#include "store/fleet.h"
#include "store/redisconn.h"
#include "xalloc.h"

/* What each kind of message does on receipt: filled by events_on(). */
static struct {
    const char *kind;
    events_fn fn;
} subscribers[EVENTS_MAX_SUBSCRIBERS];
static size_t nsubscribers;

void events_on(const char *kind, events_fn fn)
{
    if (nsubscribers == EVENTS_MAX_SUBSCRIBERS) {
        log_msg(LOG_ERROR, "events_on(%s): more than %d subscribers", kind, EVENTS_MAX_SUBSCRIBERS);
        abort();
    }
    subscribers[nsubscribers].kind = kind;
    subscribers[nsubscribers].fn = fn;
    nsubscribers++;
}

static struct {
    pthread_t thread;
    bool started;
    atomic_bool stopping;
    atomic_bool hurry; /* events_resubscribe: no backoff before the next attempt */
    pthread_mutex_t mu;
    redisContext *ctx; /* guarded by mu, so events_stop can wake the read */
    struct redis_target t;
    int timeout_ms;
    char channel[FLEET_KEY_MAX]; /* onquota:<fleet>:events */
} ev = {.mu = PTHREAD_MUTEX_INITIALIZER};

static void dispatch(const char *msg)
{
    const char *colon = strchr(msg, ':');
    if (!colon)
        return;
    size_t klen = (size_t)(colon - msg);
    for (size_t i = 0; i < nsubscribers; i++)
        if (strlen(subscribers[i].kind) == klen && !strncmp(subscribers[i].kind, msg, klen))
            subscribers[i].fn(colon + 1);
}

/* After a (re)subscription: every subscriber drops what it holds. */
static void flush_local(void)
{
    for (size_t i = 0; i < nsubscribers; i++)
        subscribers[i].fn(NULL);
}

static void sleep_ms_unless_stopping(int ms)
{
    for (int waited = 0; waited < ms && !atomic_load(&ev.stopping) && !atomic_load(&ev.hurry);
         waited += 20)
        usleep(20000);
}

static void *listener_main(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "events");
    int backoff = 100;
    bool was_down = false;
    while (!atomic_load(&ev.stopping)) {
        char *err = NULL;
        if (atomic_exchange(&ev.hurry, false))
            backoff = 100;
        redisContext *c = rconn_connect_subscriber(&ev.t, ev.timeout_ms, &err);
        if (!c) {
            if (!was_down)
                log_msg(LOG_WARN, "events: cannot subscribe (%s); retrying", err);
            was_down = true;
            free(err);
            sleep_ms_unless_stopping(backoff);
            backoff = backoff * 2 > 2000 ? 2000 : backoff * 2;
            continue;
        }
        /* Block without a read timeout: hiredis 0.14 cannot resume after
         * one. events_stop() shuts the socket down to wake us. */
        redisSetTimeout(c, (struct timeval){0, 0});
        redisEnableKeepAlive(c);
        redisReply *r = redisCommand(c, "SUBSCRIBE %s", ev.channel);
        if (r)
            freeReplyObject(r);
        pthread_mutex_lock(&ev.mu);
        ev.ctx = c;
        pthread_mutex_unlock(&ev.mu);
        if (was_down)
            log_msg(LOG_INFO, "events: subscribed again");
        was_down = false;
        backoff = 100;
        flush_local();

        while (!atomic_load(&ev.stopping)) {
            void *reply = NULL;
            if (redisGetReply(c, &reply) != REDIS_OK || !reply)
                break;
            redisReply *m = reply;
            if (m->type == REDIS_REPLY_ARRAY && m->elements == 3 &&
                m->element[0]->type == REDIS_REPLY_STRING &&
                !strcmp(m->element[0]->str, "message") && m->element[2]->type == REDIS_REPLY_STRING)
                dispatch(m->element[2]->str);
            freeReplyObject(m);
        }
        pthread_mutex_lock(&ev.mu);
        ev.ctx = NULL;
        pthread_mutex_unlock(&ev.mu);
        redisFree(c);
        if (!atomic_load(&ev.stopping)) {
            log_msg(LOG_WARN, "events: subscription lost; reconnecting");
            was_down = true;
            sleep_ms_unless_stopping(backoff);
        }
    }
    return NULL;
}

int events_start(const struct redis_target *t, const struct config *cfg, char **err)
{
    ev.t = *t;
    fleet_key(ev.channel, sizeof ev.channel, "events", "%s", "");
    ev.timeout_ms = cfg->redis_timeout_ms;
    atomic_store(&ev.stopping, false);
    if (pthread_create(&ev.thread, NULL, listener_main, NULL) != 0) {
        *err = xstrdup("cannot start the events thread");
        return -1;
    }
    ev.started = true;
    return 0;
}

void events_stop(void)
{
    if (!ev.started)
        return;
    atomic_store(&ev.stopping, true);
    pthread_mutex_lock(&ev.mu);
    if (ev.ctx)
        shutdown(ev.ctx->fd, SHUT_RDWR);
    pthread_mutex_unlock(&ev.mu);
    pthread_join(ev.thread, NULL);
    ev.started = false;
}

void events_resubscribe(void)
{
    atomic_store(&ev.hurry, true);
    pthread_mutex_lock(&ev.mu);
    if (ev.ctx)
        shutdown(ev.ctx->fd, SHUT_RDWR);
    pthread_mutex_unlock(&ev.mu);
}

bool events_publish(struct rconn *r, const char *kind, const char *arg)
{
    redisReply *rep = rconn_cmd(r, "PUBLISH %s %s:%s", ev.channel, kind, arg);
    if (!rep)
        return false;
    freeReplyObject(rep);
    return true;
}

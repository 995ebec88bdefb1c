/* Cross-instance events over Redis pub/sub: token revocations, cache invalidations. */
#ifndef ONQUOTA_EVENTS_H
#define ONQUOTA_EVENTS_H

#include "runtime/config.h"
#include "url.h"

struct rconn;

/* A subscriber: called on the listener thread with a message's argument, or
 * with NULL after every (re)subscription, when messages may have been missed
 * and the subscriber must drop everything it holds. */
typedef void (*events_fn)(const char *arg);

#define EVENTS_MAX_SUBSCRIBERS 8

/* Subscribes fn to messages of kind ("token", "tenant", ...; a static
 * string). Modules subscribe at start, before events_start(); not
 * thread-safe. Aborts past EVENTS_MAX_SUBSCRIBERS (a programming error). */
void events_on(const char *kind, events_fn fn);

/* Starts the listener thread (its own Redis connection, reconnecting with a
 * backoff). Messages are "<kind>:<argument>" and go to the subscribers of
 * kind. Returns 0, or -1 with *err. */
int events_start(const struct redis_target *t, const struct config *cfg, char **err);

/* Stops and joins the listener. Safe to call when it never started. */
void events_stop(void);

/* Drops the subscription so that the listener subscribes again at once
 * (to the new primary after a Sentinel failover). Thread-safe. */
void events_resubscribe(void);

/* Publishes "<kind>:<arg>" to every instance (this one included, through
 * the listener). Returns false when Redis is unreachable; callers have
 * already applied the change locally. */
bool events_publish(struct rconn *r, const char *kind, const char *arg);

#endif

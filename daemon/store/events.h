/* Cross-instance events over Redis pub/sub: token revocations, cache invalidations. */
#ifndef ONQUOTA_EVENTS_H
#define ONQUOTA_EVENTS_H

#include "runtime/config.h"
#include "url.h"

struct rconn;

#define EVENTS_CHANNEL "onquota:events"

/* Starts the listener thread (its own Redis connection, reconnecting with a
 * backoff). Messages are "<kind>:<argument>"; each kind has a handler in
 * events.c's table. After every (re)subscribe the local caches are flushed,
 * since messages may have been missed. Returns 0, or -1 with *err. */
int events_start(const struct redis_target *t, const struct config *cfg, char **err);

/* Stops and joins the listener. Safe to call when it never started. */
void events_stop(void);

/* Publishes "<kind>:<arg>" to every instance (this one included, through
 * the listener). Returns false when Redis is unreachable; callers have
 * already applied the change locally. */
bool events_publish(struct rconn *r, const char *kind, const char *arg);

#endif

/* Redis Sentinel discovery: where a redis+sentinel:// target's primary is, and when it moves. */
#ifndef ONQUOTA_SENTINEL_H
#define ONQUOTA_SENTINEL_H

#include <stdbool.h>
#include <stddef.h>

#include "url.h"

/* Longest host name the Sentinels may answer, with its NUL. */
#define SENTINEL_HOST_MAX 256

/* Asks t's Sentinels in turn (SENTINEL get-master-addr-by-name, each
 * within timeout_ms) where the primary named t->sentinel_master is. On
 * success copies its host into host (SENTINEL_HOST_MAX bytes) and port and
 * returns true; else false with a short reason in err (errsz bytes). An
 * answer that differs from the last one moves the generation. Thread-safe. */
bool sentinel_resolve(const struct redis_target *t, int timeout_ms, char host[SENTINEL_HOST_MAX],
                      int *port, char *err, size_t errsz);

/* The primary's generation: it moves whenever the primary may have changed
 * (a different answer, sentinel_invalidate, a +switch-master). A connection
 * made under an older generation is dropped and made again. Thread-safe. */
unsigned long sentinel_generation(void);

/* A command failed or the server answered READONLY: every connection asks
 * the Sentinels again before its next command. Thread-safe. */
void sentinel_invalidate(void);

/* Starts a thread that subscribes to +switch-master on one of t's
 * Sentinels (the next one when it loses it) and, when t's primary moves,
 * moves the generation and calls on_switch (may be NULL; from that thread).
 * t must outlive sentinel_watch_stop. A no-op for other targets. Returns 0,
 * or -1 with a malloc'd *err. */
int sentinel_watch_start(const struct redis_target *t, int timeout_ms, void (*on_switch)(void),
                         char **err);
void sentinel_watch_stop(void);

#endif

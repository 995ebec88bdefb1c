/* Readiness: the last check of PostgreSQL and Redis, kept for the readiness route, and the draining
 * flag. */
#ifndef ONQUOTA_PROBE_H
#define ONQUOTA_PROBE_H

#include <stdbool.h>

#include "runtime/config.h"
#include "timeutil.h"

struct db;
struct rconn;
struct pool;

/* The longest failure reason kept (the log shows it whole). */
#define PROBE_REASON_MAX 512

/* One readiness check of both dependencies. Strings are NUL-terminated and
 * hold the reason of a failure ("" when healthy). */
struct probe_result {
    char when[RFC3339_MAX]; /* wall-clock time of the check; "" = never */
    bool db_ok, redis_ok;
    double db_ms, redis_ms; /* round trips */
    char db_err[PROBE_REASON_MAX], redis_err[PROBE_REASON_MAX];
    char redis_mem[32]; /* used_memory_human */
    bool draining;      /* shutdown has begun */
    /* The read replica (database_read_url), when there is one. */
    bool read_configured, read_ok;
    double read_ms;
    char read_err[PROBE_REASON_MAX];
};

/* Checks both dependencies now, each with its own timeout from cfg, and
 * keeps the result. With db_read (a replica handle, not db) the replica
 * too, whose verdict switches dashboard reads between it and the primary
 * (db_read_replica_set_up); with NULL the last replica result stays. A
 * change of either's state, or of readiness, is logged (lost at warn with
 * the reason, back at info with how long it lasted) and sets
 * onquota_dependency_up. Runs on the probe worker (the periodic probe job)
 * or on whoever reads a stale result. Thread-safe. */
void probe_run(struct db *db, struct db *db_read, struct rconn *redis, const struct config *cfg);

/* Copies the last result into *out, checking again first (with db and
 * redis) when it is older than max_age_s or there is none. Thread-safe. */
void probe_read(struct db *db, struct db *replica, struct rconn *redis, const struct config *cfg,
                double max_age_s, struct probe_result *out);

/* Calls fn (on the thread that noticed) whenever a check finds PostgreSQL
 * or Redis in another state than the check before, and when draining
 * begins. One hook; set it at start, before any check. */
void probe_on_change(void (*fn)(const struct probe_result *r));

/* The server says shutdown has begun: readiness fails from now on. */
void probe_set_draining(void);
bool probe_draining(void);

/* The request workers' pool, whose figures readiness and /metrics report;
 * set by the server once the pool runs (borrowed), NULL before. */
void probe_watch_pool(const struct pool *p);
const struct pool *probe_watched_pool(void);

#endif

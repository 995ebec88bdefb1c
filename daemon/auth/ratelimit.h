/* Per-token rate limits: token buckets in process, optionally synced through Redis. */
#ifndef ONQUOTA_RATELIMIT_H
#define ONQUOTA_RATELIMIT_H

#include <stdbool.h>

#include "runtime/config.h"
#include "api/request.h"
#include "url.h"

/* One token bucket: holds up to burst tokens, refilled at rate a second. */
struct tbucket {
    double tokens;
    double last; /* time of the last refill (seconds, any monotonic origin) */
};

/* Refills b as of now, then takes one token. Returns true when it could;
 * otherwise false with *wait the seconds until a token is there. A zeroed
 * bucket (last == 0) starts full. Pure: no clock, no locks. */
bool tbucket_take(struct tbucket *b, double rate, double burst, double now, double *wait);

/* Reads rate_limit_per_token ("0" = off, else "RATE/BURST") and
 * rate_limit_shared. With sharing on and a Redis target, starts the sync
 * thread (its own Redis connection): every 100 ms, for each token used in
 * the last 2 s, it takes this instance's use since the last sync from the
 * fleet's bucket in Redis (onquota:rl:{<token id>}, one Lua script) and sets
 * the local bucket to what the fleet has left, so the limit holds across
 * instances within one sync period. While Redis is unreachable the buckets
 * simply stay local. Call before serving; redis may be NULL (no sync). Called
 * again (SIGHUP, from one thread) it applies a changed limit at once, and
 * starts the sync thread when sharing is on and it is not running yet. */
void ratelimit_start(const struct config *cfg, const struct redis_target *redis);

/* Stops the sync thread and forgets every bucket. Safe when never started. */
void ratelimit_stop(void);

/* Takes one request from token_id's bucket. Returns true when allowed (or
 * when limits are off); otherwise false with *retry_after in whole seconds
 * (at least 1). Thread-safe and lock-light (striped locks, no I/O): the I/O
 * threads call it. */
bool ratelimit_take(const char *token_id, int *retry_after);

/* The request-side check for an authenticated c: takes from c->token_id's
 * bucket, and when that is empty answers 429 {"detail": ...} with
 * Retry-After and returns false. */
bool ratelimit_allow(struct ctx *c);

/* Answers 429 {"detail": detail} with Retry-After: retry_after (seconds).
 * Every "too many" answer goes through it (the login throttle too). */
void ratelimit_refuse(struct ctx *c, int retry_after, const char *detail);

#endif

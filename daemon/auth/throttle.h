/* Login throttling: failed attempts per email and address in a one-minute window. */
#ifndef ONQUOTA_THROTTLE_H
#define ONQUOTA_THROTTLE_H

#include <stdbool.h>

struct rconn;

/* True when key ("email:..." or "addr:...") already has limit or more
 * failures in the last minute: in this process (a sliding 60 s window), or
 * in the fleet as a whole, from counters of 10-second slots in Redis that
 * cover the last 50 to 60 s (r; keys scoped by fleet_key()).
 * *retry_after is then the seconds to wait. When Redis is unreachable (or r
 * is NULL) only this process's count applies. Thread-safe; r belongs to the
 * calling thread. */
bool throttle_blocked(struct rconn *r, const char *key, int limit, int *retry_after);

/* Records one failure for key, here and (INCR, with an EXPIRE on the
 * slot's first failure) in the fleet's counter. Thread-safe. */
void throttle_fail(struct rconn *r, const char *key);

#endif

/* Login throttling: failed attempts per key in a sliding one-minute window, in process memory. */
#ifndef ONQUOTA_THROTTLE_H
#define ONQUOTA_THROTTLE_H

#include <stdbool.h>

/* True when key ("email:..." or "addr:...") already has limit or more
 * failures in the last 60 s; *retry_after is then the seconds to wait.
 * Thread-safe. */
bool throttle_blocked(const char *key, int limit, int *retry_after);

/* Records one failure for key. Thread-safe. */
void throttle_fail(const char *key);

#endif

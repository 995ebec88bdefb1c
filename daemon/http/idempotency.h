/* Idempotency-Key on POST: replaying the first answer of a retried request. */
#ifndef ONQUOTA_IDEMPOTENCY_H
#define ONQUOTA_IDEMPOTENCY_H

#include <stdbool.h>

#include "api/request.h"
#include "store/fleet.h"

#define IDEM_KEY_MAX 64

/* What idem_begin decided, for idem_finish. */
struct idem {
    bool owner;   /* this request holds the key's "pending" marker */
    bool ignored; /* the header was ignored: Redis is unreachable */
    bool secret;  /* the header was ignored: the answer carries a secret */
    char rkey[FLEET_KEY_MAX];
    char hash[65]; /* SHA-256 of method, path and body */
};

/* Runs just before the handler of an authenticated POST that carries an
 * Idempotency-Key (other requests pass through untouched). The key (1–64
 * visible ASCII characters, else 422) lives in Redis as
 * onquota:idem:{<tenant>}:<token id>:<key> for 24 h, with a hash of the
 * method, path and body:
 * - a new key: SET NX of a "pending" marker; the handler runs;
 * - a finished key with the same hash: its status, body and Location are
 *   answered again (Idempotent-Replayed: true) and the handler does not run;
 * - the same key with another hash: 422;
 * - a key still pending (a concurrent retry): waits up to about 2 s for it
 *   to finish, then 409.
 * When Redis is unreachable, or the route's answer carries a secret (which
 * is never stored), the header is ignored (the handler runs) and
 * idem_finish adds a Warning. Returns true when the handler must run (then
 * call idem_finish after it), false when c already holds the answer.
 * Always initialises *st. Runs on a worker (it may sleep). */
bool idem_begin(struct ctx *c, struct idem *st);

/* After the handler: stores the answer for replays when it is final
 * (2xx–4xx except 429), or drops the marker so that a retry runs again
 * (5xx, 429). Adds the Warning when the key was ignored. */
void idem_finish(struct ctx *c, const struct idem *st);

#endif

/* What every routed request goes through: authentication, body checks, role, handler. */
#ifndef ONQUOTA_PIPELINE_H
#define ONQUOTA_PIPELINE_H

#include "api/request.h"

struct worker;

enum pipeline_result {
    PIPELINE_ANSWERED,     /* c->resp holds the answer */
    PIPELINE_NEEDS_WORKER, /* run it again on a worker (w != NULL) */
};

/* Runs c (routed: c->route set) through api.md's check order: authentication
 * (401) and the token's rate limit (429, ratelimit.h), body size, content
 * type and JSON syntax (413, 415, 400), role (403), then the route's handler
 * (which checks object, validation and conflicts), wrapped for POST in the
 * Idempotency-Key replay (idempotency.h).
 *
 * With w NULL the call runs on an I/O thread and goes only as far as it can
 * without the database or Redis: a token known to this process, dependency-
 * free (ROUTE_INLINE) handlers, and dashboard reads answered from the L1
 * cache. At the first step that needs a dependency it returns
 * PIPELINE_NEEDS_WORKER; c remembers the steps already passed, and the
 * worker's call goes on from there, so no check runs twice. With a worker it
 * always answers. */
enum pipeline_result pipeline_run(struct ctx *c, struct worker *w);

#endif

/* What every routed request goes through: authentication, body checks, role, handler. */
#ifndef ONQUOTA_PIPELINE_H
#define ONQUOTA_PIPELINE_H

#include "api/request.h"

struct worker;

/* Runs c through api.md's check order: authentication (401) and the
 * token's rate limit (429, ratelimit.h), body size, content type and JSON
 * syntax (413, 415, 400), role (403), then the route's handler (which checks
 * object, validation and conflicts), wrapped for POST in the
 * Idempotency-Key replay (idempotency.h). w is NULL for inline routes.
 * Always leaves a response in c->resp. */
void pipeline_run(struct ctx *c, struct worker *w);

#endif

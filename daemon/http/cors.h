/* CORS for browsers: off unless cors_origins lists the allowed origins. */
#ifndef ONQUOTA_CORS_H
#define ONQUOTA_CORS_H

#include <stdbool.h>

#include "api/request.h"

/* True when origin is one of cfg->cors_origins (comma separated, exact
 * SCHEME://HOST[:PORT], compared without regard to case). False when CORS
 * is off. Pure. */
bool cors_allowed(const struct config *cfg, const char *origin);

/* Adds the CORS headers to c's response, just before it is sent: when CORS
 * is on, Vary gains Origin; when c's Origin is allowed, also
 * Access-Control-Allow-Origin (that origin) and
 * Access-Control-Expose-Headers. A no-op when CORS is off. */
void cors_apply(struct ctx *c);

/* A preflight: OPTIONS on a known path whose routes take methods ("GET,
 * POST"); allow is the path's Allow header. When CORS is on and the Origin
 * is allowed, answers 204 with Allow, Access-Control-Allow-Methods (methods),
 * -Allow-Headers and -Max-Age and returns true; otherwise returns false and
 * the caller answers a plain OPTIONS. */
bool cors_preflight(struct ctx *c, const char *methods, const char *allow);

#endif

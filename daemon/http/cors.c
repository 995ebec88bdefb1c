/* CORS for browsers: off unless cors_origins lists the allowed origins. */
#include "http/cors.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define ALLOW_HEADERS                                                                              \
    "Authorization, Content-Type, If-None-Match, Idempotency-Key, Accept-Language, X-Request-Id"
#define EXPOSE_HEADERS                                                                             \
    "X-Request-Id, Server-Timing, X-Cache, ETag, Location, Retry-After, X-Total-Count-Estimated, " \
    "X-Next-Cursor"
#define MAX_AGE "600"

static bool cors_on(const struct config *cfg)
{
    return cfg && cfg->cors_origins && cfg->cors_origins[strspn(cfg->cors_origins, " ,")];
}

bool cors_allowed(const struct config *cfg, const char *origin)
{
    if (!cors_on(cfg) || !origin || !*origin)
        return false;
    size_t olen = strlen(origin);
    for (const char *p = cfg->cors_origins; *p;) {
        p += strspn(p, " ,");
        size_t n = strcspn(p, ",");
        size_t trimmed = n;
        while (trimmed && p[trimmed - 1] == ' ')
            trimmed--;
        if (trimmed && trimmed == olen && !strncasecmp(p, origin, olen))
            return true;
        p += n;
    }
    return false;
}

/* The response's header name, or NULL. */
static const char *resp_header_value(const struct ctx *c, const char *name)
{
    for (int i = 0; i < c->resp.nheaders; i++)
        if (!strcasecmp(c->resp.headers[i].key, name))
            return c->resp.headers[i].value;
    return NULL;
}

void cors_apply(struct ctx *c)
{
    if (!cors_on(c->cfg))
        return;
    /* The answer depends on Origin whether or not this one is allowed. */
    const char *vary = resp_header_value(c, "Vary");
    if (!vary) {
        resp_header(c, "Vary", "Origin");
    } else if (!strcasestr(vary, "Origin")) {
        char both[256];
        snprintf(both, sizeof both, "%s, Origin", vary);
        resp_header(c, "Vary", both);
    }
    const char *origin = ctx_header(c, "Origin");
    if (!cors_allowed(c->cfg, origin))
        return;
    resp_header(c, "Access-Control-Allow-Origin", origin);
    resp_header(c, "Access-Control-Expose-Headers", EXPOSE_HEADERS);
}

bool cors_preflight(struct ctx *c, const char *methods, const char *allow)
{
    if (!cors_allowed(c->cfg, ctx_header(c, "Origin")))
        return false;
    resp_header(c, "Allow", allow);
    resp_header(c, "Access-Control-Allow-Methods", methods);
    resp_header(c, "Access-Control-Allow-Headers", ALLOW_HEADERS);
    resp_header(c, "Access-Control-Max-Age", MAX_AGE);
    resp_empty(c, 204);
    return true;
}

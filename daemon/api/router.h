/* The route table type and the matcher that picks a route for a method and path. */
#ifndef ONQUOTA_ROUTER_H
#define ONQUOTA_ROUTER_H

#include <stdbool.h>

#include "api/request.h"

struct dash_endpoint;

enum cache_policy {
    CACHE_NONE,      /* never cached */
    CACHE_DASHBOARD, /* a dashboard read, served through cache/cache.c */
};

enum route_flags {
    ROUTE_INLINE = 1 << 0, /* answered on the I/O thread: touches no dependency */
    ROUTE_BODY = 1 << 1,   /* takes a JSON body (content type and syntax are checked) */
    ROUTE_SECRET = 1 << 2, /* the answer carries a secret: Cache-Control: no-store */
    ROUTE_PROBE = 1 << 3,  /* runs on the dedicated health worker, not the main pool */
    ROUTE_STREAM = 1 << 4, /* GET opens an event stream (http/stream.c); HEAD gets its headers */
};

/* One route. Patterns are absolute paths whose "{name}" segments capture one
 * path segment; "{id}"-style captures whose name ends in "id" must be UUIDs
 * (otherwise the route answers 404). */
struct route {
    int method; /* EVHTTP_REQ_GET, ... */
    const char *pattern;
    unsigned roles; /* ROLES_PUBLIC, or the set of roles allowed */
    enum cache_policy cache;
    unsigned flags;
    handler_fn handler;
    const struct dash_endpoint *dash; /* cached dashboard endpoints only (cache.h) */
};

/* Table rows: ROUTE for plain handlers, ROUTE_END to close a table. */
#define ROUTE(method_, pattern_, roles_, cache_, flags_, handler_)                                 \
    {                                                                                              \
        .method = (method_), .pattern = (pattern_), .roles = (roles_), .cache = (cache_),          \
        .flags = (flags_), .handler = (handler_)                                                   \
    }
#define ROUTE_END                                                                                  \
    {                                                                                              \
        .pattern = NULL                                                                            \
    }

enum route_match_result { ROUTE_FOUND, ROUTE_NOT_FOUND, ROUTE_BAD_METHOD };

/* Hands the router its tables: a NULL-terminated list of route tables, each
 * closed by ROUTE_END (borrowed; it must outlive every match). Call once at
 * start, before any thread matches; until then nothing matches. */
void router_init(const struct route *const *route_tables);

/* Matches method and path (no query string) against every table. On
 * ROUTE_FOUND sets *out and fills params (lower-cased UUIDs, malloc'd, up to
 * REQ_MAX_PARAMS) and *nparams. On ROUTE_BAD_METHOD writes the allowed
 * methods ("GET, POST") into allow. Thread-safe (tables are const). */
enum route_match_result router_match(int method, const char *path, const struct route **out,
                                     char **params, int *nparams, char *allow, size_t allowsz);

/* Iterates every route (for the OpenAPI test and docs): returns the i-th
 * route or NULL past the end. */
const struct route *router_route_at(size_t i);

/* "GET" for EVHTTP_REQ_GET, ... */
const char *router_method_name(int method);

#endif

/* Matches a method and path to a route: 404, 405 with Allow, or the route and its params. */
#include "api/router.h"

#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "uuid.h"
#include "xalloc.h"

/* The route tables handed down by router_init(). */
static const struct route *const *tables;

void router_init(const struct route *const *route_tables)
{
    tables = route_tables;
}

static const struct {
    int method;
    const char *name;
} method_names[] = {
    {EVHTTP_REQ_GET, "GET"},         {EVHTTP_REQ_POST, "POST"},     {EVHTTP_REQ_PUT, "PUT"},
    {EVHTTP_REQ_PATCH, "PATCH"},     {EVHTTP_REQ_DELETE, "DELETE"}, {EVHTTP_REQ_HEAD, "HEAD"},
    {EVHTTP_REQ_OPTIONS, "OPTIONS"},
};

const char *router_method_name(int method)
{
    for (size_t i = 0; i < sizeof method_names / sizeof method_names[0]; i++)
        if (method_names[i].method == method)
            return method_names[i].name;
    return "OTHER";
}

const struct route *router_route_at(size_t i)
{
    for (const struct route *const *t = tables; t && *t; t++) {
        for (const struct route *r = *t; r->pattern; r++) {
            if (i == 0)
                return r;
            i--;
        }
    }
    return NULL;
}

/* A capture named "id" or "..._id" must hold a UUID. */
static bool capture_is_uuid(const char *name, size_t n)
{
    return (n == 2 && !strncmp(name, "id", 2)) || (n > 3 && !strncmp(name + n - 3, "_id", 3));
}

/* Compares one pattern with path. Captures go to params (malloc'd) when
 * params is not NULL. Returns false on mismatch, including a bad UUID. */
static bool pattern_match(const char *pat, const char *path, char **params, int *nparams)
{
    int n = 0;
    bool ok = true;
    while (ok && *pat && *path) {
        if (*pat != '/' || *path != '/') {
            ok = false;
            break;
        }
        pat++, path++;
        size_t plen = strcspn(pat, "/"), slen = strcspn(path, "/");
        if (*pat == '{') {
            if (slen == 0 || n == REQ_MAX_PARAMS) {
                ok = false;
                break;
            }
            const char *name = pat + 1;
            size_t nlen = plen - 2;
            char seg[UUID_STR_LEN + 1];
            if (capture_is_uuid(name, nlen)) {
                if (slen != UUID_STR_LEN) {
                    ok = false;
                    break;
                }
                memcpy(seg, path, slen);
                seg[slen] = '\0';
                ok = uuid_parse(seg, seg);
                if (ok && params)
                    params[n] = xstrdup(seg);
            } else if (params) {
                params[n] = xstrndup(path, slen);
            }
            n++;
        } else {
            ok = plen == slen && !strncmp(pat, path, plen);
        }
        pat += plen, path += slen;
    }
    ok = ok && !*pat && !*path;
    if (params) {
        if (!ok)
            while (n > 0)
                free(params[--n]), params[n] = NULL;
        *nparams = n;
    }
    return ok;
}

enum route_match_result router_match(int method, const char *path, const struct route **out,
                                     char **params, int *nparams, char *allow, size_t allowsz)
{
    bool path_known = false;
    size_t used = 0;
    allow[0] = '\0';
    *nparams = 0;
    for (const struct route *const *t = tables; t && *t; t++) {
        for (const struct route *r = *t; r->pattern; r++) {
            if (!pattern_match(r->pattern, path, NULL, NULL))
                continue;
            if (r->method == method) {
                pattern_match(r->pattern, path, params, nparams);
                *out = r;
                return ROUTE_FOUND;
            }
            path_known = true;
            const char *m = router_method_name(r->method);
            if (!strstr(allow, m)) {
                int w = snprintf(allow + used, allowsz - used, "%s%s", used ? ", " : "", m);
                if (w > 0 && (size_t)w < allowsz - used)
                    used += (size_t)w;
            }
        }
    }
    return path_known ? ROUTE_BAD_METHOD : ROUTE_NOT_FOUND;
}

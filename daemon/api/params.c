/* Query-string checks shared by handlers: unknown and repeated names, integers, pages. */
#include "api/params.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void add(struct verr *v, const char *name, const char *msg, const char *type)
{
    char loc[96];
    snprintf(loc, sizeof loc, "query.%s", name);
    verr_add(v, loc, msg, type);
}

bool params_known(struct ctx *c, const char *const *allowed, struct verr *v)
{
    if (c->nquery < 0) {
        verr_add(v, "query", "malformed or too many query parameters", "value_error");
        return false;
    }
    bool ok = true;
    for (int i = 0; i < c->nquery; i++) {
        const char *k = c->query[i].key;
        bool known = false;
        for (const char *const *a = allowed; *a && !known; a++)
            known = !strcmp(*a, k);
        if (!known) {
            add(v, k, "unknown query parameter", "value_error.extra");
            ok = false;
            continue;
        }
        for (int j = 0; j < i; j++) {
            if (!strcmp(c->query[j].key, k)) {
                add(v, k, "repeated query parameter", "value_error");
                ok = false;
                break;
            }
        }
    }
    return ok;
}

bool params_int(struct ctx *c, const char *name, long min, long max, long def, long *out,
                struct verr *v)
{
    const char *s = ctx_query(c, name);
    *out = def;
    if (!s)
        return true;
    char *end;
    errno = 0;
    long n = strtol(s, &end, 10);
    if (!*s || *end || errno) {
        add(v, name, "value is not a valid integer", "type_error.integer");
        return false;
    }
    if (n < min || n > max) {
        char msg[96];
        snprintf(msg, sizeof msg, "must be between %ld and %ld", min, max);
        add(v, name, msg, "value_error.number");
        return false;
    }
    *out = n;
    return true;
}

bool params_page(struct ctx *c, long *page, long *page_size, struct verr *v)
{
    bool ok = params_int(c, "page", 1, 1000000, 1, page, v);
    return params_int(c, "page_size", 1, 100, 20, page_size, v) && ok;
}

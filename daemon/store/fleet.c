/* The fleet's identity: daemons sharing one database coordinate through Redis keys scoped by it. */
#include "store/fleet.h"

#include <libpq-fe.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "token.h"
#include "url.h"

static struct {
    pthread_mutex_t mu;
    char id[FLEET_ID_LEN + 1];
} fleet = {.mu = PTHREAD_MUTEX_INITIALIZER};

/* The dbname of a libpq conninfo or URL, malloc'd, or NULL. */
static char *dbname_of(const char *database_url)
{
    char *err = NULL, *conninfo = url_pg_conninfo(database_url, &err), *name = NULL;
    free(err);
    PQconninfoOption *opts = conninfo ? PQconninfoParse(conninfo, NULL) : NULL;
    for (PQconninfoOption *o = opts; o && o->keyword; o++)
        if (!strcmp(o->keyword, "dbname") && o->val && *o->val)
            name = strdup(o->val);
    PQconninfoFree(opts);
    free(conninfo);
    return name;
}

const char *fleet_id(const struct config *cfg)
{
    pthread_mutex_lock(&fleet.mu);
    if (!fleet.id[0]) {
        char *name = cfg && cfg->database_url ? dbname_of(cfg->database_url) : NULL;
        char hex[65] = "default";
        if (name)
            sha256_hex(name, strlen(name), hex);
        snprintf(fleet.id, sizeof fleet.id, "%s", hex);
        free(name);
    }
    pthread_mutex_unlock(&fleet.mu);
    return fleet.id;
}

bool fleet_key(char *out, size_t n, const char *kind, const char *fmt, ...)
{
    char rest[FLEET_KEY_MAX];
    va_list ap;
    va_start(ap, fmt);
    int r = vsnprintf(rest, sizeof rest, fmt, ap);
    va_end(ap);
    int w = snprintf(out, n, "onquota:%s:%s%s%s", fleet_id(NULL), kind, *rest ? ":" : "", rest);
    return r >= 0 && (size_t)r < sizeof rest && w >= 0 && (size_t)w < n;
}

/* The one table of the daemon's modules: every route table and SQL statement table, handed down at
 * start. */
#include "registry.h"

#include <pthread.h>

#include "auth/auth.h"
#include "cache/warm.h"
#include "routes/routes.h"

/* One row per module; a new resource adds one row (and declares its tables
 * in routes/routes.h). Either table may be absent. */
static const struct module {
    const struct route *routes;
    const struct sql_stmt *sql;
} modules[] = {
    {.routes = health_routes},
    {.routes = auth_routes, .sql = auth_route_sql},
    {.routes = dashboard_routes, .sql = dashboard_sql},
    {.routes = admin_routes},
    {.routes = categories_routes, .sql = categories_sql},
    {.routes = expenses_routes, .sql = expenses_sql},
    {.routes = quotas_routes, .sql = quotas_sql},
    {.routes = quotes_routes, .sql = quotes_sql},
    {.routes = quote_items_routes},
    {.routes = clients_routes, .sql = clients_sql},
    {.routes = vehicles_routes, .sql = vehicles_sql},
    {.routes = users_routes, .sql = users_sql},
    {.routes = events_routes},
    {.sql = auth_sql}, /* token lookup, on every authenticated request */
    {.sql = warm_sql}, /* cache warm-up, on the main pool */
};

#define MODULE_COUNT (sizeof modules / sizeof modules[0])

/* Both lists, filled once from the table. */
static const struct route *route_list[MODULE_COUNT + 1];
static const struct sql_stmt *sql_list[MODULE_COUNT + 1];

static pthread_once_t built = PTHREAD_ONCE_INIT;

static void build(void)
{
    size_t nr = 0, ns = 0;
    for (size_t i = 0; i < MODULE_COUNT; i++) {
        if (modules[i].routes)
            route_list[nr++] = modules[i].routes;
        if (modules[i].sql)
            sql_list[ns++] = modules[i].sql;
    }
}

const struct route *const *registry_routes(void)
{
    pthread_once(&built, build);
    return route_list;
}

const struct sql_stmt *const *registry_statements(void)
{
    pthread_once(&built, build);
    return sql_list;
}

/* The one table of the daemon's modules: every route table and SQL statement table, handed down at
 * start. */
#include "registry.h"

#include <pthread.h>

#include "auth/auth.h"
#include "cache/warm.h"
#include "routes/routes.h"

/* One row per module; a new resource adds one row (and declares its tables
 * in routes/routes.h). Any table may be absent. */
static const struct module {
    const struct route *routes;
    const struct sql_stmt *sql;
    const struct route_check *checks;
} modules[] = {
    {.routes = health_routes},
    {.routes = auth_routes, .sql = auth_route_sql, .checks = auth_checks},
    {.routes = dashboard_routes, .sql = dashboard_sql},
    {.routes = admin_routes},
    {.routes = categories_routes, .sql = categories_sql, .checks = categories_checks},
    {.routes = expenses_routes, .sql = expenses_sql, .checks = expenses_checks},
    {.routes = quotas_routes, .sql = quotas_sql, .checks = quotas_checks},
    {.routes = quotes_routes, .sql = quotes_sql, .checks = quotes_checks},
    {.routes = quote_items_routes, .checks = quote_items_checks},
    {.routes = clients_routes, .sql = clients_sql, .checks = clients_checks},
    {.routes = vehicles_routes, .sql = vehicles_sql, .checks = vehicles_checks},
    {.routes = users_routes, .sql = users_sql, .checks = users_checks},
    {.routes = events_routes},
    {.sql = auth_sql},  /* token lookup, on every authenticated request */
    {.sql = warm_sql},  /* cache warm-up, on the main pool */
};

#define MODULE_COUNT (sizeof modules / sizeof modules[0])

/* The lists, filled once from the table. */
static const struct route *route_list[MODULE_COUNT + 1];
static const struct sql_stmt *sql_list[MODULE_COUNT + 1];
static const struct route_check *check_list[MODULE_COUNT + 1];

static pthread_once_t built = PTHREAD_ONCE_INIT;

static void build(void)
{
    size_t nr = 0, ns = 0, nc = 0;
    for (size_t i = 0; i < MODULE_COUNT; i++) {
        if (modules[i].routes)
            route_list[nr++] = modules[i].routes;
        if (modules[i].sql)
            sql_list[ns++] = modules[i].sql;
        if (modules[i].checks)
            check_list[nc++] = modules[i].checks;
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

const struct route_check *const *registry_checks(void)
{
    pthread_once(&built, build);
    return check_list;
}

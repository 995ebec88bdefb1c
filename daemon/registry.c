/* The lists of route tables and SQL statement tables: adding a resource touches this pair of lists. */
#include "registry.h"

#include "auth.h"
#include "warm.h"
#include "routes/routes.h"

const struct route *const registry_routes[] = {
    health_routes,
    auth_routes,
    dashboard_routes,
    admin_routes,
    NULL,
};

const struct sql_stmt *const registry_sql[] = {
    auth_sql,
    auth_route_sql,
    dashboard_sql,
    warm_sql,
    NULL,
};

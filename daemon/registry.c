/* The lists of route tables and SQL statement tables: a new resource adds a line to each. */
#include "registry.h"

#include "auth/auth.h"
#include "jobs/jobs.h"
#include "cache/warm.h"
#include "routes/routes.h"

const struct route *const registry_routes[] = {
    health_routes,     auth_routes,     dashboard_routes, admin_routes,
    categories_routes, expenses_routes, quotas_routes,    quotes_routes,
    clients_routes,    vehicles_routes, users_routes,     NULL,
};

const struct sql_stmt *const registry_sql[] = {
    auth_sql,   auth_route_sql, dashboard_sql, categories_sql, expenses_sql,
    quotas_sql, quotes_sql,     clients_sql,   vehicles_sql,   users_sql,
    warm_sql,   jobs_sql,       NULL,
};

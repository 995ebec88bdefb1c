/* Route tables, one per resource file; registry.c lists them. */
#ifndef ONQUOTA_ROUTES_H
#define ONQUOTA_ROUTES_H

#include "store/db.h"
#include "api/router.h"

struct verr;

/* One handler's input checks that need no database (its body's fields or its
 * query's parameters), listed for the fuzzers and tests so that they run the
 * handlers' real validators. run adds the 422 entries the handler would
 * answer to v, or answers c itself (list_parse); c->json or c->query must be
 * filled in. Tables end at name == NULL. */
struct route_check {
    const char *name; /* "clients.create" */
    bool body;        /* checks c->json (else c->query) */
    void (*run)(struct ctx *c, struct verr *v);
};

extern const struct route health_routes[]; /* routes/health.c: /health*, /metrics */
extern const struct route auth_routes[];   /* routes/auth.c: /api/v1/auth/... */
extern const struct route admin_routes[];  /* routes/admin.c: /api/v1/admin/cache/... */
extern const struct sql_stmt auth_route_sql[];
extern const struct route dashboard_routes[]; /* routes/dashboard.c: /api/v1/dashboard/... */
extern const struct sql_stmt dashboard_sql[]; /* routes/dashboard_sql.c */
extern const struct route
    categories_routes[]; /* routes/categories.c: /api/v1/expenses/categories */
extern const struct sql_stmt categories_sql[];
extern const struct route expenses_routes[]; /* routes/expenses.c: /api/v1/expenses */
extern const struct sql_stmt expenses_sql[];
extern const struct route quotas_routes[]; /* routes/quotas.c: /api/v1/quotas */
extern const struct sql_stmt quotas_sql[];
extern const struct route quotes_routes[];  /* routes/quotes.c: /api/v1/sales/quotes */
extern const struct route quote_items_routes[]; /* routes/quote_items.c: .../quotes/{id}/items */
extern const struct sql_stmt quotes_sql[];  /* routes/quotes_sql.c */
extern const struct route clients_routes[]; /* routes/clients.c: /api/v1/clients */
extern const struct sql_stmt clients_sql[];
extern const struct route vehicles_routes[]; /* routes/vehicles.c: /api/v1/transport/vehicles */
extern const struct sql_stmt vehicles_sql[];
extern const struct route events_routes[]; /* routes/events.c: /api/v1/events */
extern const struct route users_routes[]; /* routes/users.c: /api/v1/users, /api/v1/auth/password */
extern const struct sql_stmt users_sql[];

/* Each resource file's checks (route_check above); registry.c lists them. */
extern const struct route_check auth_checks[];
extern const struct route_check categories_checks[];
extern const struct route_check clients_checks[];
extern const struct route_check expenses_checks[];
extern const struct route_check quotas_checks[];
extern const struct route_check quotes_checks[];
extern const struct route_check quote_items_checks[];
extern const struct route_check users_checks[];
extern const struct route_check vehicles_checks[];

#endif

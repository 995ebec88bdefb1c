/* Route tables, one per resource file; registry.c lists them. */
#ifndef ONQUOTA_ROUTES_H
#define ONQUOTA_ROUTES_H

#include "db.h"
#include "router.h"

extern const struct route health_routes[]; /* routes/health.c: /health*, /metrics */
extern const struct route auth_routes[];   /* routes/auth.c: /api/v1/auth/... */
extern const struct sql_stmt auth_route_sql[];


#endif

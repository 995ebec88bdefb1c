/* Route tables, one per resource file; registry.c lists them. */
#ifndef ONQUOTA_ROUTES_H
#define ONQUOTA_ROUTES_H

#include "db.h"
#include "router.h"

extern const struct route health_routes[]; /* routes/health.c: /health*, /metrics */
extern const struct route auth_routes[];   /* routes/auth.c: /api/v1/auth/... */
extern const struct route admin_routes[];  /* routes/admin.c: /api/v1/admin/cache/... */
extern const struct sql_stmt auth_route_sql[];
extern const struct route dashboard_routes[]; /* routes/dashboard.c: /api/v1/dashboard/... */
extern const struct sql_stmt dashboard_sql[]; /* routes/dashboard_sql.c */

struct worker;
/* Refreshes the readiness result in the background (the health probe job);
 * runs on the probe worker. A request still re-checks a result older than 1 s. */
void health_probe(struct worker *w, const struct config *cfg);

#endif

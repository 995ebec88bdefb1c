/* The one table of the daemon's modules: every route table and SQL statement table, handed down at start. */
#ifndef ONQUOTA_REGISTRY_H
#define ONQUOTA_REGISTRY_H

#include "api/router.h"
#include "store/db.h"

/* Every route table, NULL-terminated (each table ends with ROUTE_END), for
 * router_init(). Static storage; valid for the life of the process. */
const struct route *const *registry_routes(void);

/* Every statement table, NULL-terminated (each ends with a NULL name), for
 * the request workers' pool_new(). Static storage, as above. */
const struct sql_stmt *const *registry_statements(void);

struct route_check;

/* Every resource's table of database-free request checks (routes/routes.h),
 * NULL-terminated (each table ends with a NULL name), for the fuzzers and
 * tests. Static storage, as above. */
const struct route_check *const *registry_checks(void);

#endif

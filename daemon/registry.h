/* The lists of route tables and SQL statement tables: a new resource adds a line to each. */
#ifndef ONQUOTA_REGISTRY_H
#define ONQUOTA_REGISTRY_H

#include "store/db.h"
#include "api/router.h"

/* NULL-terminated lists. Each route table ends with a route whose pattern
 * is NULL; each statement table with a statement whose name is NULL. */
extern const struct route *const registry_routes[];
extern const struct sql_stmt *const registry_sql[];

#endif

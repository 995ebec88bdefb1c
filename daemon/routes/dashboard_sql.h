/* The dashboard's prepared statements (dashboard_sql.c), indexed by endpoint. */
#ifndef ONQUOTA_DASHBOARD_SQL_H
#define ONQUOTA_DASHBOARD_SQL_H

#include "store/db.h"

/* Indexes into dashboard_sql[]. Each statement answers one row with one
 * text column: the endpoint's whole JSON body. Parameters are listed at each
 * statement; all are text. */
enum dashboard_query {
    Q_KPIS,
    Q_SUMMARY,
    Q_REVENUE_MONTHLY,
    Q_EXPENSES_MONTHLY,
    Q_TOP_CLIENTS,
    Q_RECENT_ACTIVITY,
    Q_QUOTA_PERFORMANCE,
};

/* NULL-name terminated; listed in registry.c. */
extern const struct sql_stmt dashboard_sql[];

#endif

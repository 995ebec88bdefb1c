/* Cache warm-up: computing tenants' KPIs in the background so the first dashboard read is a hit. */
#ifndef ONQUOTA_WARM_H
#define ONQUOTA_WARM_H

#include "runtime/config.h"
#include "store/db.h"

struct worker;

extern const struct sql_stmt warm_sql[];

/* Computes and caches today's KPIs (default language) of every active
 * tenant, or of tenant_id alone when it is not NULL. Runs on a worker (the
 * probe worker) with its connections; logs and counts the run in the
 * metrics as job "cache_warmup". */
void warm_run(struct worker *w, const struct config *cfg, const char *tenant_id);

#endif

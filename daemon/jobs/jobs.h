/* Background jobs on a timer thread (quote expiry, token cleanup), one instance per tick. */
#ifndef ONQUOTA_JOBS_H
#define ONQUOTA_JOBS_H

#include "runtime/config.h"
#include "store/db.h"
#include "url.h"

/* SQL statements of the jobs (registered in registry.c). */
extern const struct sql_stmt jobs_sql[];

/* Starts the timer thread, which owns one PostgreSQL and one Redis
 * connection. Each job first runs one period after the start
 * (job_quote_expiry_s, job_token_cleanup_s), then every period. A tick:
 * 1. pg_try_advisory_lock(<the job's key>) on the thread's connection
 *    ("skipped" when another instance holds it);
 * 2. a claim of the current period in Redis (SET NX, scoped by the fleet):
 *    "skipped" when another instance already ran the job in this period;
 *    ignored when Redis is down (the lock alone then serialises the runs);
 * 3. the job itself, then pg_advisory_unlock.
 * Every tick is logged and counted: metrics_job_run(job, "ok" | "error" |
 * "skipped"). With cfg->jobs false nothing starts. Returns 0, or -1 with a
 * malloc'd *err. cfg and redis must outlive jobs_stop(). */
int jobs_start(const struct config *cfg, const struct redis_target *redis, char **err);

/* Stops and joins the thread (a running job finishes first; its statements
 * are bounded by statement_timeout_ms) and closes its connections. Safe
 * when never started. */
void jobs_stop(void);

#endif

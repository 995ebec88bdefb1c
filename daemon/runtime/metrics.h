/* Process-wide metrics (counters and histograms) rendered in the Prometheus text format. */
#ifndef ONQUOTA_METRICS_H
#define ONQUOTA_METRICS_H

#include <stdbool.h>

#include "buf.h"

enum cache_result { CACHE_HIT, CACHE_MISS, CACHE_STALE, CACHE_BYPASS, CACHE_RESULT_COUNT };

/* Pool figures the caller samples at render time. */
struct metrics_pool {
    int idle;
    int in_use;
};

/* Records the start time and version. Call once before threads start. */
void metrics_init(const char *version);

/* All recording functions are thread-safe and lock-free or nearly so; they
 * may be called from I/O threads, workers and the timer thread. `route` is a
 * route pattern (a bounded set of static strings, never a raw path); the
 * pointer must stay valid for the life of the process. */
void metrics_http_request(const char *route, const char *method, int code, double seconds);
void metrics_db_query(double seconds);
void metrics_redis_error(void);
void metrics_cache(enum cache_result r);
/* The read replica's state: up (dashboard reads go to it) or not (they fall
 * back to the primary). Rendered once called; each switch to down counts a
 * fallback. */
void metrics_read_replica(bool up);
void metrics_cache_invalidation(void);
void metrics_job_run(const char *job, const char *result);

/* Reads back counters (for /api/v1/admin/cache/stats and tests). */
unsigned long metrics_cache_count(enum cache_result r);
unsigned long metrics_cache_invalidations(void);
unsigned long metrics_db_queries(void);

/* Appends the whole exposition to out: the series of api.md "GET /metrics"
 * (http requests and durations by route, cache, db queries and durations,
 * pool connections, redis errors, jobs, build info, process RSS from
 * /proc/self/statm and start time). Thread-safe. */
void metrics_render(struct buf *out, const struct metrics_pool *pool);

#endif

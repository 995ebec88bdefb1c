/* Gauges of the moment for /metrics: process figures, dependencies, requests in flight, jobs. */
#ifndef ONQUOTA_GAUGES_H
#define ONQUOTA_GAUGES_H

#include <stdbool.h>

#include "buf.h"

/* The dependencies whose state is a gauge. */
enum gauge_dependency { GAUGE_DATABASE, GAUGE_DATABASE_READ, GAUGE_REDIS, GAUGE_DEPENDENCY_COUNT };

/* Records whether dep answered its last readiness check. Before the first
 * check a dependency has no series. Thread-safe. */
void gauges_dependency(enum gauge_dependency dep, bool up);

/* Requests received and not answered yet, and open client connections:
 * the server adds +1 and -1. Thread-safe, lock-free. */
void gauges_inflight_add(int delta);
void gauges_connections_add(int delta);

/* A job ran to success now (job names a bounded set, e.g. "quote_expiry").
 * Thread-safe. */
void gauges_job_success(const char *job);

/* Appends the families: process_cpu_seconds_total, process_open_fds,
 * process_max_fds (from /proc/self and getrlimit), onquota_dependency_up,
 * onquota_http_requests_in_flight, onquota_http_connections_open and
 * onquota_job_last_success_timestamp_seconds. Thread-safe. */
void gauges_render(struct buf *out);

#endif

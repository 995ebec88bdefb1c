/* The main thread of the server: signals and reload, the probe and watchdog ticks, systemd status,
 * background probes. */
#ifndef ONQUOTA_CONTROL_H
#define ONQUOTA_CONTROL_H

#include "runtime/config.h"
#include "url.h"

/* Before any thread starts: keeps reload (see server_run) and the Redis
 * target for a reload's rate limits, and catches SIGTERM, SIGINT and SIGHUP
 * until control_loop watches them, so that a SIGTERM right after start
 * drains instead of killing the process. */
void control_init(struct config *(*reload)(void), const struct redis_target *redis);

/* The event streams follow writes, revocations and readiness (events_on and
 * probe_on_change). Call before events_start(). */
void control_subscribe_streams(void);

/* Warms the cache at start (cfg->jobs) and after each invalidation
 * (cfg->warm_after_invalidate), on the request pool. */
void control_start_warmup(const struct config *cfg);

/* Runs the main thread's loop until SIGTERM or SIGINT (a SIGTERM wins over
 * any SIGHUP, however close they come): reloads on SIGHUP, submits the
 * readiness probe every health_probe_s, pings the systemd watchdog while
 * every I/O thread answers. Returns 0, or -1 when the loop cannot run. */
int control_loop(void);

/* STATUS= (and state lines first: READY=1, RELOADING=1, STOPPING=1, or NULL)
 * to systemd; "serving on ..." with the counts for control_notify_serving. */
void control_notify_status(const char *state, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void control_notify_serving(const char *state);

/* Queues the last last_used_at batch on the request pool (shutdown). */
void control_last_touch(void);

/* Frees the configurations earlier reloads replaced (after the threads that
 * may still read them have stopped). */
void control_free_reloaded(void);

#endif

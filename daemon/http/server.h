/* The HTTP server: I/O threads running evhttp, the hand-off to workers, and graceful shutdown. */
#ifndef ONQUOTA_SERVER_H
#define ONQUOTA_SERVER_H

#include <stdbool.h>

#include "runtime/config.h"
#include "url.h"

struct pool;

struct sql_stmt;

/* Runs the daemon until SIGTERM or SIGINT, then shuts down gracefully (see
 * operations.md "Shutdown"). Binds cfg->listen, starts the pools (whose
 * request workers prepare statements, a NULL-terminated list of tables that
 * must outlive the call) and the I/O threads, notifies systemd. Routes come
 * from router_init(), called before. SIGHUP calls on_hup (may be NULL) on
 * the main thread, which reloads what can change at run time. Returns the
 * process exit status: 0 after a clean shutdown, 1 when it could not start
 * (the reason is logged). */
int server_run(const struct config *cfg, const struct redis_target *redis,
               const struct sql_stmt *const *statements, void (*on_hup)(void));


#endif

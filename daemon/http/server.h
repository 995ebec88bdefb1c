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
 * from router_init(), called before. On SIGHUP the main thread calls reload
 * (may be NULL), which returns a freshly loaded configuration (malloc'd;
 * consumed) or NULL after logging why; the keys that need a restart keep
 * their running values (one warning names those that changed) and the rest
 * apply at once. A SIGTERM wins over a SIGHUP however close they come.
 * cfg must stay valid until server_run returns. Returns the process exit
 * status: 0 after a clean shutdown, 1 when it could not start (the reason
 * is logged). */
int server_run(const struct config *cfg, const struct redis_target *redis,
               const struct sql_stmt *const *statements, struct config *(*reload)(void));

#endif

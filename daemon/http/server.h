/* The HTTP server: I/O threads running evhttp, the hand-off to workers, and graceful shutdown. */
#ifndef ONQUOTA_SERVER_H
#define ONQUOTA_SERVER_H

#include <stdbool.h>

#include "runtime/config.h"
#include "url.h"

struct pool;

/* Runs the daemon until SIGTERM or SIGINT, then shuts down gracefully (see
 * operations.md "Shutdown"). Binds cfg->listen, starts the pools and the
 * I/O threads, notifies systemd. SIGHUP calls on_hup (may be NULL) on the
 * main thread, which reloads what can change at run time. Returns the process exit status: 0 after
 * a clean shutdown, 1 when it could not start (the reason is logged). */
int server_run(const struct config *cfg, const struct redis_target *redis, void (*on_hup)(void));

/* True once shutdown has begun (readiness then answers 503). Thread-safe. */
bool server_shutting_down(void);

/* The pool running health checks, for the readiness handler's hand-off, and
 * the main pool's figures for /metrics and readiness. */
struct pool *server_main_pool(void);

#endif

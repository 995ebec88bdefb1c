/* Redis access for one worker: hiredis with timeouts, reconnection, a circuit breaker. */
#ifndef ONQUOTA_REDISCONN_H
#define ONQUOTA_REDISCONN_H

#include <hiredis/hiredis.h>
#include <stdbool.h>

#include "url.h"

struct rconn;

/* Creates a handle; does not connect until first use. timeout_ms bounds
 * connect and every command. The target is copied. One thread at a time. */
struct rconn *rconn_new(const struct redis_target *t, int timeout_ms);
void rconn_free(struct rconn *r);

/* Runs a command (hiredis format). Returns the reply (caller frees with
 * freeReplyObject) or NULL when Redis is unreachable, timed out, answered an
 * error, or the circuit breaker is open. Failures are counted in the metrics,
 * and after 3 consecutive failures across all handles the breaker opens for
 * 2 s: calls fail at once, so a dead Redis adds no latency. */
redisReply *rconn_cmd(struct rconn *r, const char *fmt, ...);
redisReply *rconn_cmdv(struct rconn *r, int argc, const char **argv, const size_t *argvlen);

/* Readiness check with its own timeout: PING then INFO memory. On success
 * returns true with the latency and used_memory_human copied into mem (size
 * memsz); on failure false with a short reason in err. Ignores the breaker. */
bool rconn_check(struct rconn *r, int timeout_ms, double *ms, char *mem, size_t memsz, char *err,
                 size_t errsz);

/* True while the shared breaker is open. */
bool rconn_breaker_open(void);

/* Opens a new blocking context for subscribing (no command timeout); NULL
 * with *err on failure. Used by the event listener thread. */
redisContext *rconn_connect_subscriber(const struct redis_target *t, int timeout_ms, char **err);

#endif

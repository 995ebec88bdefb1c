/* The edge of a request: building its context from libevent, and the access log line. */
#ifndef ONQUOTA_ACCESS_H
#define ONQUOTA_ACCESS_H

#include <stdbool.h>
#include <stddef.h>

#include "runtime/config.h"
#include "api/request.h"

struct evhttp_request;

/* Builds a context from req on its I/O thread: request id, path, query,
 * kept headers, body, and the route. When routing fails the context already
 * holds the answer (501 for a method the daemon does not implement, 404,
 * 405 with Allow, 204 with Allow for OPTIONS, or a CORS preflight) and
 * c->route is NULL. HEAD takes the GET route. Never NULL. */
struct ctx *access_ctx_new(struct evhttp_request *req, const struct config *cfg);

/* A context for an answer libevent decided before any route could: a
 * malformed request, headers or a body over the limits. It holds status
 * with {"detail": detail} and Connection: close; the request may lack a
 * URI and a method. Never NULL. */
struct ctx *access_ctx_error(struct evhttp_request *req, const struct config *cfg, int status,
                             const char *detail);

/* Fills c->query from a raw query string (the part after '?', may be NULL)
 * as access_ctx_new does: decoded pairs copied (ctx_free frees them), or
 * c->nquery = -1 when it is malformed or has more than REQ_MAX_QUERY. */
void access_query_fill(struct ctx *c, const char *query);

/* Records the request metrics and appends the access line to the calling
 * thread's batch, written once it holds 64 KiB (ACCESS_BATCH_MAX) or at the
 * next access_log_flush. Built without cJSON: this is the hot path. */
void access_log(const struct ctx *c, int queries, size_t bytes, double ms);

/* Writes the calling thread's batched access lines; release also frees the
 * batch (the thread is ending). Every I/O thread calls it every 100 ms,
 * on SIGHUP and when its loop ends, so no line is lost at shutdown. */
void access_log_flush(bool release);

#endif

/* Server-Sent Events: long-lived /api/v1/events streams held by the I/O threads, fed by
 * cross-instance events. */
#ifndef ONQUOTA_STREAM_H
#define ONQUOTA_STREAM_H

#include <stdbool.h>
#include <stddef.h>

#include "api/request.h"

struct event_base;
struct evhttp_request;
struct evhttp_connection;

/* How often an idle stream gets a comment line, so that proxies and the
 * client see it alive. */
#define STREAM_HEARTBEAT_S 15

/* A stream whose client stopped reading is dropped once this much waits
 * unsent for it. */
#define STREAM_BACKLOG_MAX (256 * 1024)

/* Events kept for Last-Event-ID replay (per process). */
#define STREAM_RING 512

/* The streams of one I/O thread; only that thread touches it. */
struct stream_hub;

/* Makes the hub of the I/O thread running base (its heartbeat timer starts
 * at once) and registers it, so stream_publish() reaches it. Call before
 * the thread runs; returns NULL when libevent cannot make a timer. */
struct stream_hub *stream_hub_new(struct event_base *base);

/* Unregisters and frees hub once its thread's loop has stopped. Streams
 * still open are forgotten, not ended: their connections belong to the
 * evhttp that is freed with the thread (stream_close_all ends them
 * gracefully while the loops run). */
void stream_hub_free(struct stream_hub *hub);

/* On hub's thread: turns req, whose handler marked c as a stream
 * (c->stream), into an open text/event-stream answer with the headers
 * already in req, replays what the client missed after its Last-Event-ID
 * (or sends "event: reset" when that gap is no longer kept), and keeps it
 * until the client goes, its token is revoked or the server stops. The
 * stream belongs to c's tenant, user and token; c is only read. */
void stream_open(struct stream_hub *hub, struct evhttp_request *req, const struct ctx *c);

/* On hub's thread: the connection evcon closed; forgets its stream if it
 * had one (the server's close callback calls this). */
void stream_closed(struct stream_hub *hub, struct evhttp_connection *evcon);

/* Sends "event: <event>" with one line of data (JSON, no newline) to every
 * stream of tenant_id (NULL: every stream), on every hub, and keeps it for
 * replay. Thread-safe; returns at once (each hub writes on its thread). */
void stream_publish(const char *tenant_id, const char *event, const char *data);

/* Ends every stream opened with the token whose SHA-256 is token_hash_hex,
 * or (user_id not NULL) every stream of that user. Thread-safe. */
void stream_revoke(const char *token_hash_hex, const char *user_id);

/* Ends every stream on every hub (shutdown: clients reconnect elsewhere).
 * Thread-safe; returns at once. */
void stream_close_all(void);

/* Streams open right now, over all hubs. Thread-safe. */
int stream_count(void);

/* Parses a Last-Event-ID header ("<instance>-<n>") of this process into
 * *id; false when it is absent, malformed or another process's. Pure. */
bool stream_parse_last_id(const char *header, unsigned long long *id);

#endif

/* Per-connection state of one I/O thread: the deadline of the request being read, close hooks. */
#ifndef ONQUOTA_CONN_H
#define ONQUOTA_CONN_H

#include <stdbool.h>

struct evhttp;
struct evhttp_request;
struct evhttp_connection;

/* The connections of one evhttp server (one I/O thread; not thread-safe). */
struct conns;

/* Called when the connection evcon closes (it is still valid during the
 * call); counted is what conns_request_done returned true for (the
 * connection had been counted by the caller). */
typedef void (*conns_close_fn)(void *arg, struct evhttp_connection *evcon, bool counted);

/* Takes over http's bufferevent creation (evhttp_set_bevcb) so that every
 * accepted connection gets a deadline: a request whose header block and
 * body have not fully arrived deadline_s seconds after its first byte is
 * cut (the connection is freed, which closes it), however steadily the
 * bytes trickle in. on_close(arg, counted) runs as each one closes. The
 * caller frees with conns_free after evhttp_free(http). */
struct conns *conns_new(struct evhttp *http, int deadline_s, conns_close_fn on_close, void *arg);
void conns_free(struct conns *cs);

/* Changes the deadline for requests that start from now on. */
void conns_set_deadline(struct conns *cs, int deadline_s);

/* req has fully arrived (evhttp's request callback): its deadline stops.
 * Returns true the first time for its connection (the caller counts it). */
bool conns_request_done(struct conns *cs, struct evhttp_request *req);

/* Call right before sending req's reply: the connection's next request gets
 * a fresh deadline from its own first byte. */
void conns_reply_starts(struct conns *cs, struct evhttp_request *req);

#endif

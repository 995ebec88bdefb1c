/* The event stream route: GET /api/v1/events, Server-Sent Events for the token's tenant (held by
 * http/stream.c). */
#include <event2/http.h>

#include "routes/routes.h"

/* Authenticated like any read; the answer is not a body but an open
 * stream, which the server takes over once the headers are set. */
static void events_open(struct ctx *c)
{
    c->stream = c->method == EVHTTP_REQ_GET; /* HEAD gets the headers alone */
    resp_empty(c, 200);
    c->resp.content_type = "text/event-stream";
    resp_header(c, "Cache-Control", "no-store");
    resp_header(c, "X-Accel-Buffering", "no"); /* nginx: pass events through at once */
}

const struct route events_routes[] = {
    ROUTE(EVHTTP_REQ_GET, "/api/v1/events", ROLES_ALL, CACHE_NONE, ROUTE_INLINE | ROUTE_STREAM,
          events_open),
    ROUTE_END,
};

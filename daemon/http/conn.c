/* Per-connection state of one I/O thread: the deadline of the request being read, close hooks. */
#include "http/conn.h"

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <stdlib.h>

#include "log.h"
#include "xalloc.h"

/* One accepted connection. */
struct conn {
    struct conns *cs;
    struct bufferevent *bev;
    struct evhttp_connection *evcon; /* set once evhttp has made it */
    int fd;
    struct event *deadline; /* pending while a request is being read */
    bool busy;              /* a request arrived; its reply is not sent yet */
    bool counted;
};

struct conns {
    struct evhttp *http;
    int deadline_s;
    conns_close_fn on_close;
    void *arg;
    struct conn **by_fd; /* the connection of each descriptor, or NULL */
    int nfd;
};

/* The deadline passed with the request still incomplete: free the
 * connection, as evhttp does itself when a read times out. */
static void on_deadline(evutil_socket_t fd, short what, void *arg)
{
    (void)fd, (void)what;
    struct conn *c = arg;
    if (!c->evcon || c->busy)
        return;
    char *peer = NULL;
    ev_uint16_t port = 0;
    evhttp_connection_get_peer(c->evcon, &peer, &port);
    log_msg(LOG_INFO, "cut %s:%u: request incomplete %d s after its first byte", peer ? peer : "?",
            port, c->cs->deadline_s);
    evhttp_connection_free(c->evcon); /* runs on_close, which frees c */
}

/* Bytes arrived on the connection: the first byte of a request starts its
 * deadline. */
static void on_input(struct evbuffer *buf, const struct evbuffer_cb_info *info, void *arg)
{
    (void)buf;
    struct conn *c = arg;
    if (info->n_added == 0 || c->busy || evtimer_pending(c->deadline, NULL))
        return;
    struct timeval tv = {.tv_sec = c->cs->deadline_s};
    evtimer_add(c->deadline, &tv);
}

static void on_close(struct evhttp_connection *evcon, void *arg)
{
    struct conn *c = arg;
    struct conns *cs = c->cs;
    if (c->fd >= 0 && c->fd < cs->nfd && cs->by_fd[c->fd] == c)
        cs->by_fd[c->fd] = NULL;
    event_free(c->deadline);
    if (cs->on_close)
        cs->on_close(cs->arg, evcon, c->counted);
    free(c);
}

/* Runs right after evhttp made the connection around c->bev (an active
 * event queued before any read on it): the bufferevent's callback argument
 * is that evhttp_connection, whose close callback then owns c. */
static void attach(evutil_socket_t fd, short what, void *arg)
{
    (void)fd, (void)what;
    struct conn *c = arg;
    struct conns *cs = c->cs;
    void *evcon = NULL;
    bufferevent_getcb(c->bev, NULL, NULL, NULL, &evcon);
    c->evcon = evcon;
    c->fd = bufferevent_getfd(c->bev);
    if (c->fd >= cs->nfd) {
        int n = cs->nfd ? cs->nfd : 64;
        while (n <= c->fd)
            n *= 2;
        cs->by_fd = xrealloc(cs->by_fd, (size_t)n * sizeof *cs->by_fd);
        for (int i = cs->nfd; i < n; i++)
            cs->by_fd[i] = NULL;
        cs->nfd = n;
    }
    if (c->fd >= 0)
        cs->by_fd[c->fd] = c;
    evhttp_connection_set_closecb(c->evcon, on_close, c);
    evbuffer_add_cb(bufferevent_get_input(c->bev), on_input, c);
    if (evbuffer_get_length(bufferevent_get_input(c->bev)) > 0) {
        struct timeval tv = {.tv_sec = cs->deadline_s};
        evtimer_add(c->deadline, &tv);
    }
}

/* evhttp's bufferevent factory: the default bufferevent, plus our state. */
static struct bufferevent *make_bev(struct event_base *base, void *arg)
{
    struct conns *cs = arg;
    struct bufferevent *bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
    if (!bev)
        return NULL;
    struct conn *c = xcalloc(1, sizeof *c);
    c->cs = cs;
    c->bev = bev;
    c->fd = -1;
    c->deadline = evtimer_new(base, on_deadline, c);
    event_base_once(base, -1, EV_TIMEOUT, attach, c, NULL);
    return bev;
}

struct conns *conns_new(struct evhttp *http, int deadline_s, conns_close_fn on_close, void *arg)
{
    struct conns *cs = xcalloc(1, sizeof *cs);
    cs->http = http;
    cs->deadline_s = deadline_s;
    cs->on_close = on_close;
    cs->arg = arg;
    evhttp_set_bevcb(http, make_bev, cs);
    return cs;
}

void conns_free(struct conns *cs)
{
    if (!cs)
        return;
    free(cs->by_fd);
    free(cs);
}

void conns_set_deadline(struct conns *cs, int deadline_s)
{
    cs->deadline_s = deadline_s;
}

static struct conn *conn_of(struct conns *cs, struct evhttp_request *req)
{
    struct evhttp_connection *evcon = evhttp_request_get_connection(req);
    if (!evcon)
        return NULL;
    int fd = bufferevent_getfd(evhttp_connection_get_bufferevent(evcon));
    struct conn *c = fd >= 0 && fd < cs->nfd ? cs->by_fd[fd] : NULL;
    return c && c->evcon == evcon ? c : NULL;
}

bool conns_request_done(struct conns *cs, struct evhttp_request *req)
{
    struct conn *c = conn_of(cs, req);
    if (!c)
        return false;
    evtimer_del(c->deadline);
    c->busy = true;
    bool first = !c->counted;
    c->counted = true;
    return first;
}

void conns_reply_starts(struct conns *cs, struct evhttp_request *req)
{
    struct conn *c = conn_of(cs, req);
    if (c)
        c->busy = false;
}

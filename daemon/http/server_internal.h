/* The server's state shared by server.c (I/O threads, replies) and control.c (the main thread); for
 * http/ only. */
#ifndef ONQUOTA_SERVER_INTERNAL_H
#define ONQUOTA_SERVER_INTERNAL_H

#include <event2/util.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "http/listen.h"
#include "runtime/config.h"

struct event;
struct event_base;
struct evhttp;
struct evhttp_bound_socket;
struct conns;
struct pending;
struct pool;
struct stream_hub;

/* One I/O thread; its libevent objects are touched on that thread only. */
struct iothread {
    int index;
    pthread_t thread;
    struct event_base *base;
    struct evhttp *http;
    struct evhttp_bound_socket *bound;
    struct event *wake;   /* activated by workers when replies are ready */
    struct event *resume; /* re-enables a listener paused by max_connections */
    pthread_mutex_t mu;
    struct pending *done;   /* replies waiting to be sent, LIFO */
    struct conns *conns;    /* this thread's connections and their request deadlines */
    atomic_uint alive;      /* the last watchdog round this thread answered */
    struct stream_hub *hub; /* the event streams this thread holds */
    struct event *log_tick; /* writes the batched access lines every 100 ms */
};

/* The one server of the process (server.c defines it). */
struct server_state {
    const struct config *cfg;
    struct iothread *io;
    int nio;
    int listen_fd;
    struct listener listener;
    atomic_int listeners_open; /* I/O threads still holding a duplicate of listen_fd */
    struct pool *main_pool;
    struct pool *probe_pool;
    atomic_bool shutting_down;
    atomic_int inflight;
    atomic_int connections;
    _Atomic(const struct config *) live; /* cfg, or the last one a SIGHUP loaded */
};

extern struct server_state srv;

/* Writes the calling I/O thread's batched access lines: its 100 ms timer
 * and the reload run it there (an event callback; arguments unused). */
void server_flush_access_log(evutil_socket_t fd, short what, void *arg);

#endif

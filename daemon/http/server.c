/* The HTTP server: I/O threads running evhttp, the hand-off to workers, and graceful shutdown. */
#include "http/server.h"

#include <errno.h>
#include <fcntl.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/http_struct.h> /* headers_size, for the 431 */
#include <event2/listener.h>
#include <event2/thread.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "decimal.h"
#include "http/access.h"
#include "http/conn.h"
#include "http/control.h"
#include "http/server_internal.h"
#include "auth/auth.h"
#include "cache/cache.h"
#include "http/cors.h"
#include "store/events.h"
#include "store/fleet.h"
#include "jobs/jobs.h"
#include "http/listen.h"
#include "log.h"
#include "runtime/gauges.h"
#include "runtime/metrics.h"
#include "http/pipeline.h"
#include "http/stream.h"
#include "http/status.h"
#include "store/pool.h"
#include "store/probe.h"
#include "store/sentinel.h"
#include "auth/ratelimit.h"
#include "api/router.h"
#include "runtime/sdnotify.h"
#include "timeutil.h"
#include "cache/warm.h"
#include "xalloc.h"

/* The request line and headers of one request, at most. */
#define MAX_HEADER_BYTES 16384

/* ---------------------------------------------------------------- types */

struct pending;

struct pending {
    struct pool_job job;
    struct ctx *c;
    struct evhttp_request *req;
    struct iothread *io;
    struct pending *next;
};

struct server_state srv;

const struct config *server_config(void)
{
    return atomic_load(&srv.live);
}

/* ---------------------------------------------------- connection count */

static void on_conn_close(void *arg, struct evhttp_connection *evcon, bool counted)
{
    struct iothread *io = arg;
    stream_closed(io->hub, evcon);
    if (counted) {
        atomic_fetch_sub(&srv.connections, 1);
        gauges_connections_add(-1);
    }
}

static const struct timeval resume_after = {0, 50000};

static void pause_listener(struct iothread *io, bool pause)
{
    if (!io->bound)
        return;
    struct evconnlistener *l = evhttp_bound_socket_get_listener(io->bound);
    if (pause)
        evconnlistener_disable(l);
    else
        evconnlistener_enable(l);
}

static void on_resume(evutil_socket_t fd, short what, void *arg)
{
    (void)fd, (void)what;
    struct iothread *io = arg;
    if (atomic_load(&srv.shutting_down))
        return;
    if (atomic_load(&srv.connections) < server_config()->max_connections)
        pause_listener(io, false);
    else
        evtimer_add(io->resume, &resume_after);
}

/* Runs on an I/O thread: pauses its listener until on_resume sees room. */
static void pause_here(evutil_socket_t fd, short what, void *arg)
{
    (void)fd, (void)what;
    struct iothread *io = arg;
    pause_listener(io, true);
    evtimer_add(io->resume, &resume_after);
}

/* libevent 2.1 has no connection limit: we count connections when their
 * first request arrives (a close callback uncounts them) and pause every
 * thread's listener (they all accept on one socket) while the process is at
 * max_connections. The request has fully arrived: its deadline stops. */
static void conn_track(struct iothread *io, struct evhttp_request *req)
{
    if (!conns_request_done(io->conns, req))
        return;
    gauges_connections_add(1);
    if (atomic_fetch_add(&srv.connections, 1) + 1 >= server_config()->max_connections) {
        for (int i = 0; i < srv.nio; i++) {
            if (&srv.io[i] == io)
                pause_here(-1, 0, io);
            else
                event_base_once(srv.io[i].base, -1, EV_TIMEOUT, pause_here, &srv.io[i], NULL);
        }
    }
}

/* ---------------------------------------------------------------- reply */

/* The Server-Timing value: db;dur=MS;desc="N queries"[, cache;desc="X"],
 * app;dur=MS (two decimals), built without printf (every answer has one). */
static void server_timing(char out[160], double db_ms, int queries, const char *cache,
                          double app_ms)
{
    char num[DECIMAL_MAX];
    char *p = out;
#define PUT(s) (p = stpcpy(p, (s)))
    PUT("db;dur=");
    decimal_fixed(num, db_ms, 2);
    PUT(num);
    PUT(";desc=\"");
    decimal_u64(num, queries > 0 ? (uint64_t)queries : 0);
    PUT(num);
    PUT(" queries\", ");
    if (cache) {
        PUT("cache;desc=\"");
        PUT(cache); /* a static word: HIT, MISS, STALE, BYPASS */
        PUT("\", ");
    }
    PUT("app;dur=");
    decimal_fixed(num, app_ms, 2);
    PUT(num);
#undef PUT
}

/* Sends c's answer to req on io's thread (io is NULL for libevent's own errors, answered
 * where they arise, on a connection about to close). */
static void send_reply(struct iothread *io, struct evhttp_request *req, struct ctx *c)
{
    struct evkeyvalq *out = evhttp_request_get_output_headers(req);
    struct resp *r = &c->resp;
    cors_apply(c);
    if (r->content_type)
        evhttp_add_header(out, "Content-Type", r->content_type);
    evhttp_add_header(out, "X-Request-Id", c->request_id);
    evhttp_add_header(out, "X-Content-Type-Options", "nosniff");
    bool secret = r->no_store || (c->route && (c->route->flags & ROUTE_SECRET));
    bool has_cc = false;
    for (int i = 0; i < r->nheaders; i++) {
        evhttp_add_header(out, r->headers[i].key, r->headers[i].value);
        has_cc = has_cc || !strcasecmp(r->headers[i].key, "Cache-Control");
    }
    if (!has_cc)
        evhttp_add_header(out, "Cache-Control", secret ? "no-store" : "private, no-cache");
    int queries = c->queries;
    double db_ms = c->db_ms;
    double app_ms = (time_mono() - c->started) * 1000.0;
    char timing[160];
    server_timing(timing, db_ms, queries, c->cache_status, app_ms);
    evhttp_add_header(out, "Server-Timing", timing);

    if (c->stream && io && r->status == 200 && c->method != EVHTTP_REQ_HEAD) {
        stream_open(io->hub, req, c); /* the connection now belongs to the stream */
        access_log(c, queries, 0, app_ms);
        return;
    }
    /* The connection's next request gets its own deadline (io is NULL for
     * libevent's error answers, after which it closes the connection). */
    if (io)
        conns_reply_starts(io->conns, req);
    struct evbuffer *body = evbuffer_new();
    bool has_body = r->body.len && r->status != 204 && r->status != 304;
    if (has_body && c->method == EVHTTP_REQ_HEAD) {
        /* GET's headers, its length included, and no body. */
        char len[24];
        snprintf(len, sizeof len, "%zu", r->body.len);
        evhttp_add_header(out, "Content-Length", len);
    } else if (has_body) {
        evbuffer_add(body, r->body.data, r->body.len);
    }
    size_t bytes = evbuffer_get_length(body);
    evhttp_send_reply(req, r->status, http_reason(r->status), body);
    evbuffer_free(body);
    access_log(c, queries, bytes, app_ms);
}

/* libevent 2.1 answers some requests itself, before any callback of ours:
 * a malformed request line or header (400), headers over
 * evhttp_set_max_headers_size (also 400), a body over
 * evhttp_set_max_body_size (413), an Expect it does not know (417). It
 * has no error callback; every one of those answers goes through its
 * exported evhttp_send_error, which writes an HTML page. The daemon defines
 * that function: the dynamic linker binds libevent's own calls (made
 * through its PLT) to this definition, so those answers get the JSON body,
 * the common headers, X-Request-Id, the access line and the metric of any
 * other answer. test_edges fails should that binding ever stop holding. */
void evhttp_send_error(struct evhttp_request *req, int error, const char *reason)
{
    (void)reason;
    if (!evhttp_request_get_connection(req))
        return; /* nowhere to answer (libevent never calls it so) */
    const char *detail = "Bad request";
    if (error == 400) {
        /* Headers over the limit: what was read of them plus what waits. */
        struct bufferevent *bev =
            evhttp_connection_get_bufferevent(evhttp_request_get_connection(req));
        size_t waiting = bev ? evbuffer_get_length(bufferevent_get_input(bev)) : 0;
        if (req->headers_size + waiting > MAX_HEADER_BYTES) {
            error = 431;
            detail = "Request headers too large";
        } else {
            detail = "Malformed request";
        }
    } else if (error == 413) {
        detail = "Request body too large";
    } else if (error == 417) {
        detail = "Only Expect: 100-continue is supported";
    } else {
        detail = http_reason(error);
    }
    struct ctx *c = access_ctx_error(req, server_config(), error, detail);
    send_reply(NULL, req, c);
    ctx_free(c);
}

static void on_wake(evutil_socket_t fd, short what, void *arg)
{
    (void)fd, (void)what;
    struct iothread *io = arg;
    pthread_mutex_lock(&io->mu);
    struct pending *list = io->done;
    io->done = NULL;
    pthread_mutex_unlock(&io->mu);
    while (list) {
        struct pending *p = list;
        list = p->next;
        send_reply(io, p->req, p->c);
        ctx_free(p->c);
        free(p);
        atomic_fetch_sub(&srv.inflight, 1);
        gauges_inflight_add(-1);
    }
}

/* Runs on a worker: the pipeline, then hands the reply to the I/O thread. */
static void run_pending(struct pool_job *job, struct worker *w)
{
    struct pending *p = (struct pending *)job;
    pipeline_run(p->c, w);
    struct iothread *io = p->io;
    pthread_mutex_lock(&io->mu);
    p->next = io->done;
    io->done = p;
    pthread_mutex_unlock(&io->mu);
    event_active(io->wake, EV_READ, 0);
}

/* ------------------------------------------------------------- dispatch */

static void on_request(struct evhttp_request *req, void *arg)
{
    struct iothread *io = arg;
    conn_track(io, req);
    gauges_inflight_add(1);
    struct ctx *c = access_ctx_new(req, server_config());
    /* Routing errors, dependency-free routes and L1 hits with a known token
     * answer right here; the rest goes on on a worker. */
    if (!c->route || pipeline_run(c, NULL) == PIPELINE_ANSWERED) {
        send_reply(io, req, c);
        ctx_free(c);
        gauges_inflight_add(-1);
        return;
    }
    struct pending *p = xcalloc(1, sizeof *p);
    p->job.run = run_pending;
    p->c = c;
    p->req = req;
    p->io = io;
    atomic_fetch_add(&srv.inflight, 1);
    pool_submit((c->route->flags & ROUTE_PROBE) ? srv.probe_pool : srv.main_pool, &p->job);
}

/* ------------------------------------------------------------ I/O threads */

static void *io_main(void *arg)
{
    struct iothread *io = arg;
    char name[16];
    snprintf(name, sizeof name, "io-%d", io->index);
    pthread_setname_np(pthread_self(), name);
    event_base_loop(io->base, EVLOOP_NO_EXIT_ON_EMPTY);
    access_log_flush(true); /* the last lines, before the thread ends */
    return NULL;
}

void server_flush_access_log(evutil_socket_t fd, short what, void *arg)
{
    (void)fd, (void)what, (void)arg;
    access_log_flush(false);
}

static int io_setup(struct iothread *io, int index, char **err)
{
    const struct config *cfg = srv.cfg;
    io->index = index;
    pthread_mutex_init(&io->mu, NULL);
    io->base = event_base_new();
    io->http = io->base ? evhttp_new(io->base) : NULL;
    if (!io->http) {
        *err = xstrdup("cannot create the HTTP server");
        return -1;
    }
    /* Every method reaches on_request, even those libevent does not know
     * (PROPFIND, "get"): access_ctx_new answers them 501 in JSON. */
    evhttp_set_allowed_methods(io->http, UINT16_MAX);
    /* Lingering close lets a client that is still sending an oversized
     * body read its 413 instead of a connection reset. */
    evhttp_set_flags(io->http, EVHTTP_SERVER_LINGERING_CLOSE);
    evhttp_set_max_body_size(io->http, (ev_ssize_t)cfg->max_body_bytes);
    evhttp_set_max_headers_size(io->http, MAX_HEADER_BYTES);
    evhttp_set_timeout(io->http, cfg->idle_timeout_s);
    /* evhttp's timeout restarts with every read; a request must also have
     * fully arrived idle_timeout_s after its first byte. */
    io->conns = conns_new(io->http, cfg->idle_timeout_s, on_conn_close, io);
    evhttp_set_default_content_type(io->http, "application/json");
    evhttp_set_gencb(io->http, on_request, io);
    /* Each thread's listener owns (and closes) a duplicate of the socket. */
    int fd = fcntl(srv.listen_fd, F_DUPFD_CLOEXEC, 0);
    io->bound = fd >= 0 ? evhttp_accept_socket_with_handle(io->http, fd) : NULL;
    if (!io->bound) {
        if (fd >= 0)
            close(fd);
        *err = xstrdup("cannot accept on the listening socket");
        return -1;
    }
    atomic_fetch_add(&srv.listeners_open, 1);
    io->wake = event_new(io->base, -1, EV_PERSIST | EV_READ, on_wake, io);
    io->resume = evtimer_new(io->base, on_resume, io);
    io->hub = stream_hub_new(io->base);
    if (!io->hub) {
        *err = xstrdup("cannot set up the event streams");
        return -1;
    }
    static const struct timeval every_100ms = {0, 100000};
    io->log_tick = event_new(io->base, -1, EV_PERSIST, server_flush_access_log, io);
    if (!io->log_tick || event_add(io->log_tick, &every_100ms) != 0) {
        *err = xstrdup("cannot start the access log timer");
        return -1;
    }
    return 0;
}

static void io_teardown(struct iothread *io)
{
    if (io->wake)
        event_free(io->wake);
    if (io->resume)
        event_free(io->resume);
    if (io->log_tick)
        event_free(io->log_tick);
    if (io->http)
        evhttp_free(io->http); /* closes the connections left */
    conns_free(io->conns);
    stream_hub_free(io->hub);
    if (io->base)
        event_base_free(io->base);
    pthread_mutex_destroy(&io->mu);
}

/* Runs on each I/O thread during shutdown: stop accepting (evhttp closes
 * this thread's duplicate of the listening socket). */
static void close_listener(evutil_socket_t fd, short what, void *arg)
{
    (void)fd, (void)what;
    struct iothread *io = arg;
    if (io->bound) {
        evhttp_del_accept_socket(io->http, io->bound);
        io->bound = NULL;
    }
    atomic_fetch_sub(&srv.listeners_open, 1);
}

#define LISTENER_CLOSE_WAIT_S 2.0

/* Closes every descriptor of the listening socket, so the kernel refuses new
 * connections at once instead of queueing them in the backlog until exit:
 * each I/O thread drops its duplicate, then the main thread the original. */
static void close_listeners(void)
{
    for (int i = 0; i < srv.nio; i++)
        event_base_once(srv.io[i].base, -1, EV_TIMEOUT, close_listener, &srv.io[i], NULL);
    double deadline = time_mono() + LISTENER_CLOSE_WAIT_S;
    while (atomic_load(&srv.listeners_open) > 0 && time_mono() < deadline)
        usleep(1000);
    listen_close(&srv.listener);
    srv.listen_fd = -1;
}

static void shutdown_drain(void)
{
    const struct config *cfg = server_config();
    log_msg(LOG_INFO, "shutting down: readiness now 503, draining %d request(s)",
            atomic_load(&srv.inflight));
    control_notify_status("STOPPING=1", "draining %d request(s)", atomic_load(&srv.inflight));
    atomic_store(&srv.shutting_down, true);
    probe_set_draining();
    stream_close_all();
    close_listeners();
    double deadline = time_mono() + cfg->shutdown_timeout_s;
    while (atomic_load(&srv.inflight) > 0 && time_mono() < deadline)
        usleep(10000);
    if (atomic_load(&srv.inflight) > 0)
        log_msg(LOG_WARN, "shutdown timeout: %d request(s) still in flight",
                atomic_load(&srv.inflight));
}

int server_run(const struct config *cfg, const struct redis_target *redis,
               const struct sql_stmt *const *statements, struct config *(*reload)(void))
{
    int rc = 1;
    char *err = NULL;
    srv.cfg = cfg;
    atomic_store(&srv.live, cfg);
    control_init(reload, redis);
    srv.listen_fd = -1;
    srv.listener.fd = -1;
    fleet_id(cfg); /* fixes the fleet every Redis key is scoped by */
    evthread_use_pthreads();
    signal(SIGPIPE, SIG_IGN);
    /* Dashboard periods use the configured zone (never libc's TZ from the
     * environment): set it once, before any thread, so localtime_r sees it. */
    setenv("TZ", cfg->timezone, 1);
    tzset();

    long mode = strtol(cfg->listen_socket_mode, NULL, 8);
    struct listen_opts lo = {.unix_mode = (int)mode, .unix_group = cfg->listen_socket_group};
    srv.listen_fd = listen_open(&srv.listener, cfg->listen, &lo, &err);
    if (srv.listen_fd < 0)
        goto out;
    srv.main_pool = pool_new("db", cfg->db_workers, cfg, redis, statements, &err);
    if (!srv.main_pool)
        goto out;
    /* The probe worker runs readiness checks and nothing else: it prepares
     * no statement, so a table lock cannot hold up its connection. */
    probe_watch_pool(srv.main_pool);
    srv.probe_pool = pool_new("probe", 1, cfg, redis, NULL, &err);
    if (!srv.probe_pool)
        goto out;
    auth_subscribe();
    cache_subscribe();
    control_subscribe_streams();
    if (events_start(redis, cfg, &err) != 0)
        goto out;
    /* redis+sentinel://: a failover moves every Redis connection and the
     * subscription to the new primary. */
    if (sentinel_watch_start(redis, cfg->redis_timeout_ms, events_resubscribe, &err) != 0)
        goto out;
    ratelimit_start(cfg, redis);
    if (jobs_start(cfg, redis, &err) != 0)
        goto out;

    srv.nio = cfg->io_threads;
    srv.io = xcalloc((size_t)srv.nio, sizeof *srv.io);
    for (int i = 0; i < srv.nio; i++)
        if (io_setup(&srv.io[i], i, &err) != 0)
            goto out;
    for (int i = 0; i < srv.nio; i++)
        pthread_create(&srv.io[i].thread, NULL, io_main, &srv.io[i]);

    control_start_warmup(cfg);
    log_msg(LOG_INFO, "onquotad %s listening on %s (%d I/O threads, %d db workers)",
            ONQUOTA_VERSION, cfg->listen, srv.nio, cfg->db_workers);
    control_notify_serving("READY=1");
    if (control_loop() != 0) {
        err = xstrdup("cannot run the main event loop");
        goto out;
    }
    shutdown_drain();
    rc = 0;

out:
    if (err) {
        log_msg(LOG_ERROR, "cannot start: %s", err);
        free(err);
    }
    jobs_stop();
    ratelimit_stop();
    sentinel_watch_stop();
    events_stop();
    for (int i = 0; i < srv.nio; i++) {
        if (srv.io[i].thread) {
            event_base_loopexit(srv.io[i].base, NULL);
            pthread_join(srv.io[i].thread, NULL);
        }
    }
    if (srv.main_pool && rc == 0)
        control_last_touch(); /* the last last_used_at batch; pool_free runs it */
    pool_free(srv.main_pool);
    pool_free(srv.probe_pool);
    for (int i = 0; i < srv.nio; i++)
        io_teardown(&srv.io[i]);
    free(srv.io);
    listen_close(&srv.listener);
    srv.listen_fd = -1;
    atomic_store(&srv.live, cfg);
    control_free_reloaded();
    if (rc == 0)
        log_msg(LOG_INFO, "stopped");
    return rc;
}

/* The HTTP server: I/O threads running evhttp, the hand-off to workers, and graceful shutdown. */
#include "http/server.h"

#include <errno.h>
#include <fcntl.h>
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/listener.h>
#include <event2/thread.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "http/access.h"
#include "auth/auth.h"
#include "cache/cache.h"
#include "http/cors.h"
#include "store/events.h"
#include "jobs/jobs.h"
#include "http/listen.h"
#include "log.h"
#include "runtime/metrics.h"
#include "http/pipeline.h"
#include "store/pool.h"
#include "store/probe.h"
#include "ptrset.h"
#include "auth/ratelimit.h"
#include "api/router.h"
#include "runtime/sdnotify.h"
#include "timeutil.h"
#include "cache/warm.h"
#include "xalloc.h"

/* ---------------------------------------------------------------- types */

struct pending;

struct iothread {
    int index;
    pthread_t thread;
    struct event_base *base;
    struct evhttp *http;
    struct evhttp_bound_socket *bound;
    struct event *wake;   /* activated by workers when replies are ready */
    struct event *resume; /* re-enables a listener paused by max_connections */
    pthread_mutex_t mu;
    struct pending *done; /* replies waiting to be sent, LIFO */
    struct ptrset conns;  /* connections seen on this thread (evhttp_connection *) */
};

struct pending {
    struct pool_job job;
    struct ctx *c;
    struct evhttp_request *req;
    struct iothread *io;
    struct pending *next;
};

static struct {
    const struct config *cfg;
    struct iothread *io;
    int nio;
    int listen_fd;
    struct pool *main_pool;
    struct pool *probe_pool;
    atomic_bool shutting_down;
    atomic_int inflight;
    atomic_int connections;
} srv;

/* ---------------------------------------------------- connection count */

static void conn_forget(struct iothread *io, void *evcon)
{
    if (ptrset_del(&io->conns, evcon))
        atomic_fetch_sub(&srv.connections, 1);
}

static void on_conn_close(struct evhttp_connection *evcon, void *arg)
{
    conn_forget(arg, evcon);
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
    if (atomic_load(&srv.connections) < srv.cfg->max_connections)
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
 * max_connections. */
static void conn_track(struct iothread *io, struct evhttp_request *req)
{
    struct evhttp_connection *evcon = evhttp_request_get_connection(req);
    if (!evcon || !ptrset_add(&io->conns, evcon))
        return;
    evhttp_connection_set_closecb(evcon, on_conn_close, io);
    if (atomic_fetch_add(&srv.connections, 1) + 1 >= srv.cfg->max_connections) {
        for (int i = 0; i < srv.nio; i++) {
            if (&srv.io[i] == io)
                pause_here(-1, 0, io);
            else
                event_base_once(srv.io[i].base, -1, EV_TIMEOUT, pause_here, &srv.io[i], NULL);
        }
    }
}

/* ---------------------------------------------------------------- reply */

static void send_reply(struct iothread *io, struct evhttp_request *req, struct ctx *c)
{
    (void)io;
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
    if (c->cache_status)
        snprintf(timing, sizeof timing,
                 "db;dur=%.2f;desc=\"%d queries\", cache;desc=\"%s\", app;dur=%.2f", db_ms, queries,
                 c->cache_status, app_ms);
    else
        snprintf(timing, sizeof timing, "db;dur=%.2f;desc=\"%d queries\", app;dur=%.2f", db_ms,
                 queries, app_ms);
    evhttp_add_header(out, "Server-Timing", timing);

    struct evbuffer *body = evbuffer_new();
    if (r->body.len && r->status != 204 && r->status != 304)
        evbuffer_add(body, r->body.data, r->body.len);
    size_t bytes = evbuffer_get_length(body);
    evhttp_send_reply(req, r->status, NULL, body);
    evbuffer_free(body);
    access_log(c, queries, bytes, app_ms);
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
    struct ctx *c = access_ctx_new(req, srv.cfg);
    /* Routing errors, dependency-free routes and L1 hits with a known token
     * answer right here; the rest goes on on a worker. */
    if (!c->route || pipeline_run(c, NULL) == PIPELINE_ANSWERED) {
        send_reply(io, req, c);
        ctx_free(c);
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
    return NULL;
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
    evhttp_set_allowed_methods(io->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_PUT |
                                             EVHTTP_REQ_PATCH | EVHTTP_REQ_DELETE |
                                             EVHTTP_REQ_HEAD | EVHTTP_REQ_OPTIONS);
    /* Lingering close lets a client that is still sending an oversized
     * body read its 413 instead of a connection reset. */
    evhttp_set_flags(io->http, EVHTTP_SERVER_LINGERING_CLOSE);
    evhttp_set_max_body_size(io->http, (ev_ssize_t)cfg->max_body_bytes);
    evhttp_set_max_headers_size(io->http, 16384);
    evhttp_set_timeout(io->http, cfg->idle_timeout_s);
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
    io->wake = event_new(io->base, -1, EV_PERSIST | EV_READ, on_wake, io);
    io->resume = evtimer_new(io->base, on_resume, io);
    return 0;
}

static void io_teardown(struct iothread *io)
{
    if (io->wake)
        event_free(io->wake);
    if (io->resume)
        event_free(io->resume);
    if (io->http)
        evhttp_free(io->http);
    if (io->base)
        event_base_free(io->base);
    pthread_mutex_destroy(&io->mu);
    ptrset_free(&io->conns);
}

/* Runs on each I/O thread during shutdown: stop accepting. */
static void close_listener(evutil_socket_t fd, short what, void *arg)
{
    (void)fd, (void)what;
    struct iothread *io = arg;
    if (io->bound) {
        evhttp_del_accept_socket(io->http, io->bound);
        io->bound = NULL;
    }
}

/* ---------------------------------------------------------------- probe */

/* Background work: readiness probes run on the probe worker, which nothing
 * else may delay; the rest (which may wait on table locks) on the main pool. */
enum probe_kind { PROBE_READY, PROBE_TOUCH, PROBE_WARM };

struct probe_job {
    struct pool_job job;
    enum probe_kind kind;
    char tenant[UUID_STR_LEN + 1]; /* PROBE_WARM: one tenant, or "" for all */
};

static void run_probe(struct pool_job *job, struct worker *w)
{
    struct probe_job *p = (struct probe_job *)job;
    switch (p->kind) {
    case PROBE_READY:
        probe_run(w->db, w->redis, srv.cfg);
        break;
    case PROBE_TOUCH:
        auth_flush_last_used(w->db);
        break;
    case PROBE_WARM:
        warm_run(w, srv.cfg, p->tenant[0] ? p->tenant : NULL);
        break;
    }
    free(p);
}

static void probe_submit(enum probe_kind kind, const char *tenant)
{
    struct probe_job *p = xcalloc(1, sizeof *p);
    p->job.run = run_probe;
    p->kind = kind;
    if (tenant)
        snprintf(p->tenant, sizeof p->tenant, "%s", tenant);
    pool_submit(kind == PROBE_READY ? srv.probe_pool : srv.main_pool, &p->job);
}

/* warm_after_invalidate: recompute a tenant's KPIs right after its cache
 * generation moved. */
static void warm_after_invalidate(const char *tenant)
{
    probe_submit(PROBE_WARM, tenant);
}

/* ---------------------------------------------------------------- main */

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
    got_signal = sig;
}

static void shutdown_drain(void)
{
    log_msg(LOG_INFO, "shutting down: readiness now 503, draining %d request(s)",
            atomic_load(&srv.inflight));
    sd_notify_send("STOPPING=1");
    atomic_store(&srv.shutting_down, true);
    probe_set_draining();
    for (int i = 0; i < srv.nio; i++)
        event_base_once(srv.io[i].base, -1, EV_TIMEOUT, close_listener, &srv.io[i], NULL);
    double deadline = time_mono() + srv.cfg->shutdown_timeout_s;
    while (atomic_load(&srv.inflight) > 0 && time_mono() < deadline)
        usleep(10000);
    if (atomic_load(&srv.inflight) > 0)
        log_msg(LOG_WARN, "shutdown timeout: %d request(s) still in flight",
                atomic_load(&srv.inflight));
}

int server_run(const struct config *cfg, const struct redis_target *redis,
               const struct sql_stmt *const *statements, void (*on_hup)(void))
{
    int rc = 1;
    char *err = NULL;
    srv.cfg = cfg;
    srv.listen_fd = -1;
    evthread_use_pthreads();
    signal(SIGPIPE, SIG_IGN);
    /* Dashboard periods use the configured zone (never libc's TZ from the
     * environment): set it once, before any thread, so localtime_r sees it. */
    setenv("TZ", cfg->timezone, 1);
    tzset();
    /* Before any thread serves: a SIGTERM right after /health/live first
     * answers must drain, not kill the process. */
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);

    srv.listen_fd = listen_open(cfg->listen, &err);
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
    if (events_start(redis, cfg, &err) != 0)
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

    if (cfg->jobs)
        probe_submit(PROBE_WARM, NULL);
    if (cfg->warm_after_invalidate)
        cache_set_invalidate_hook(warm_after_invalidate);
    log_msg(LOG_INFO, "onquotad %s listening on %s (%d I/O threads, %d db workers)",
            ONQUOTA_VERSION, cfg->listen, srv.nio, cfg->db_workers);
    sd_notify_send("READY=1");
    uint64_t wd = sd_watchdog_usec();
    double next_wd = 0, next_probe = time_mono() + cfg->health_probe_s;
    while (got_signal != SIGTERM && got_signal != SIGINT) {
        if (got_signal == SIGHUP) {
            got_signal = 0;
            if (on_hup)
                on_hup();
        }
        if (time_mono() >= next_probe) {
            probe_submit(PROBE_READY, NULL);
            probe_submit(PROBE_TOUCH, NULL);
            next_probe = time_mono() + cfg->health_probe_s;
        }
        if (wd && time_mono() >= next_wd) {
            sd_notify_send("WATCHDOG=1");
            next_wd = time_mono() + (double)wd / 2e6;
        }
        usleep(20000);
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
    events_stop();
    for (int i = 0; i < srv.nio; i++) {
        if (srv.io[i].thread) {
            event_base_loopexit(srv.io[i].base, NULL);
            pthread_join(srv.io[i].thread, NULL);
        }
    }
    if (srv.main_pool && rc == 0)
        probe_submit(PROBE_TOUCH, NULL); /* the last last_used_at batch; pool_free runs it */
    pool_free(srv.main_pool);
    pool_free(srv.probe_pool);
    for (int i = 0; i < srv.nio; i++)
        io_teardown(&srv.io[i]);
    free(srv.io);
    if (srv.listen_fd >= 0)
        listen_close(srv.listen_fd, cfg->listen);
    if (rc == 0)
        log_msg(LOG_INFO, "stopped");
    return rc;
}

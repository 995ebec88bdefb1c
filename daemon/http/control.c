/* The main thread of the server: signals and reload, the probe and watchdog ticks, systemd status,
 * background probes. */
#include "http/control.h"

#include <event2/event.h>
#include <event2/http.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/auth.h"
#include "auth/ratelimit.h"
#include "cache/cache.h"
#include "cache/warm.h"
#include "http/conn.h"
#include "http/server.h"
#include "http/server_internal.h"
#include "http/stream.h"
#include "log.h"
#include "runtime/sdnotify.h"
#include "store/events.h"
#include "store/pool.h"
#include "store/probe.h"
#include "uuid.h"
#include "xalloc.h"

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
        probe_run(w->db, w->db_read, w->redis, server_config());
        break;
    case PROBE_TOUCH:
        auth_flush_last_used(w->db);
        break;
    case PROBE_WARM:
        warm_run(w, server_config(), p->tenant[0] ? p->tenant : NULL);
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

/* Signals that arrive before the main loop watches them (and after it): one
 * flag each, so that a SIGHUP cannot overwrite a SIGTERM. */
static volatile sig_atomic_t early_term, early_hup;

static void on_early_signal(int sig)
{
    if (sig == SIGHUP)
        early_hup = 1;
    else
        early_term = 1;
}

/* ---------------------------------------------------------------- event streams */

/* A tenant's cache generation moved (a write on any instance): its streams
 * hear "dashboard"; NULL (events may have been missed) tells every stream. */
static void stream_on_tenant(const char *tenant_id)
{
    stream_publish(tenant_id, "dashboard",
                   tenant_id ? "{\"reason\":\"write\"}" : "{\"reason\":\"resync\"}");
}

static void stream_on_token(const char *hash)
{
    if (hash)
        stream_revoke(hash, NULL);
}

static void stream_on_user(const char *user_id)
{
    if (user_id)
        stream_revoke(NULL, user_id);
}

/* Readiness changed: every stream hears "health". */
static void stream_on_health(const struct probe_result *r)
{
    char data[160];
    snprintf(data, sizeof data, "{\"database\":\"%s\",\"redis\":\"%s\",\"draining\":%s}",
             r->db_ok ? "up" : "down", r->redis_ok ? "up" : "down", r->draining ? "true" : "false");
    stream_publish(NULL, "health", data);
}

/* The streams follow writes, revocations and readiness. */
void control_subscribe_streams(void)
{
    events_on("tenant", stream_on_tenant);
    events_on("token", stream_on_token);
    events_on("user", stream_on_user);
    probe_on_change(stream_on_health);
}

/* ---------------------------------------------------------------- systemd */

/* Tells systemd what the daemon is doing (STATUS=), with state lines first
 * (READY=1, RELOADING=1, STOPPING=1, or NULL). */
void control_notify_status(const char *state, const char *fmt, ...)
{
    char status[256], msg[320];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(status, sizeof status, fmt, ap);
    va_end(ap);
    snprintf(msg, sizeof msg, "%s%sSTATUS=%s", state ? state : "", state ? "\n" : "", status);
    sd_notify_send(msg);
}

/* The status line while serving. */
void control_notify_serving(const char *state)
{
    const struct config *cfg = server_config();
    control_notify_status(state, "serving on %s (%d I/O threads, %d db workers)", cfg->listen,
                          srv.nio, cfg->db_workers);
}

/* The main thread's event loop: signals, the probe and watchdog ticks. */
static struct {
    struct event_base *base;
    struct event *term, *intr, *hup, *reload, *probe, *watchdog;
    bool stopping; /* termination wins over any reload still queued */
    struct config *(*load)(void);
    const struct redis_target *redis;
    struct config **retired; /* earlier configurations: in-flight requests may use them */
    size_t nretired;
} ml;

static void on_term(evutil_socket_t fd, short what, void *arg)
{
    (void)fd, (void)what, (void)arg;
    ml.stopping = true;
    event_base_loopbreak(ml.base);
}

/* A SIGHUP only schedules the reload: when a SIGTERM arrives in the same
 * batch, its callback runs first and the reload never does. */
static void on_hup(evutil_socket_t fd, short what, void *arg)
{
    (void)fd, (void)what, (void)arg;
    static const struct timeval now = {0, 0};
    if (!ml.stopping)
        evtimer_add(ml.reload, &now);
}

static void set_idle_timeout(evutil_socket_t fd, short what, void *arg)
{
    (void)fd, (void)what;
    struct iothread *io = arg;
    const struct config *cfg = server_config();
    evhttp_set_timeout(io->http, cfg->idle_timeout_s);
    conns_set_deadline(io->conns, cfg->idle_timeout_s);
    evhttp_set_max_body_size(io->http, (ev_ssize_t)cfg->max_body_bytes);
}

static void on_reload(evutil_socket_t fd, short what, void *arg)
{
    (void)fd, (void)what, (void)arg;
    if (ml.stopping || !ml.load)
        return;
    struct timespec mono;
    clock_gettime(CLOCK_MONOTONIC, &mono);
    char reloading[64];
    snprintf(reloading, sizeof reloading, "RELOADING=1\nMONOTONIC_USEC=%lld",
             (long long)mono.tv_sec * 1000000 + mono.tv_nsec / 1000);
    control_notify_status(reloading, "reloading the configuration");
    struct config *fresh = ml.load();
    if (!fresh) {
        control_notify_serving("READY=1"); /* the loader logged why; the running values stay */
        return;
    }
    const struct config *running = server_config();
    char restart[512];
    config_keep_restart_keys(running, fresh, restart, sizeof restart);
    ml.retired = xrealloc(ml.retired, (ml.nretired + 1) * sizeof *ml.retired);
    ml.retired[ml.nretired++] = fresh;
    atomic_store(&srv.live, fresh);
    ratelimit_start(fresh, ml.redis);
    for (int i = 0; i < srv.nio; i++)
        event_base_once(srv.io[i].base, -1, EV_TIMEOUT, set_idle_timeout, &srv.io[i], NULL);
    for (int i = 0; i < srv.nio; i++) /* lines written before the reload go out now */
        event_base_once(srv.io[i].base, -1, EV_TIMEOUT, server_flush_access_log, NULL, NULL);
    if (restart[0])
        log_msg(LOG_WARN, "SIGHUP: changed keys that need a restart (running values kept): %s",
                restart);
    log_msg(LOG_INFO,
            "SIGHUP: reloaded log_level=%s log_format=%s rate_limit_per_token=%s "
            "login_throttle=%s",
            fresh->log_level, fresh->log_format, fresh->rate_limit_per_token,
            fresh->login_throttle);
    control_notify_serving("READY=1");
}

static void on_probe_tick(evutil_socket_t fd, short what, void *arg)
{
    (void)fd, (void)what, (void)arg;
    probe_submit(PROBE_READY, NULL);
    probe_submit(PROBE_TOUCH, NULL);
}

/* The watchdog proves the I/O threads alive, not only this loop: each
 * round asks every I/O thread to answer (a cross-thread event), and the next
 * round pings systemd only when all of them did. */
static atomic_uint watchdog_round;

static void io_answer_watchdog(evutil_socket_t fd, short what, void *arg)
{
    (void)fd, (void)what;
    struct iothread *io = arg;
    atomic_store(&io->alive, atomic_load(&watchdog_round));
}

static void on_watchdog_tick(evutil_socket_t fd, short what, void *arg)
{
    (void)fd, (void)what, (void)arg;
    unsigned round = atomic_load(&watchdog_round);
    int stuck = -1;
    for (int i = 0; i < srv.nio && stuck < 0; i++)
        if (atomic_load(&srv.io[i].alive) != round)
            stuck = i;
    if (stuck < 0)
        sd_notify_send("WATCHDOG=1");
    else
        log_msg(LOG_WARN, "watchdog: I/O thread %d has not answered for one period; not pinging",
                stuck);
    atomic_store(&watchdog_round, round + 1);
    for (int i = 0; i < srv.nio; i++)
        event_base_once(srv.io[i].base, -1, EV_TIMEOUT, io_answer_watchdog, &srv.io[i], NULL);
}

static struct timeval tv_of_us(uint64_t us)
{
    return (struct timeval){.tv_sec = (time_t)(us / 1000000),
                            .tv_usec = (suseconds_t)(us % 1000000)};
}

/* Runs the main loop until SIGTERM or SIGINT; returns -1 when it cannot. */
int control_loop(void)
{
    ml.base = event_base_new();
    if (!ml.base)
        return -1;
    ml.term = evsignal_new(ml.base, SIGTERM, on_term, NULL);
    ml.intr = evsignal_new(ml.base, SIGINT, on_term, NULL);
    ml.hup = evsignal_new(ml.base, SIGHUP, on_hup, NULL);
    ml.reload = evtimer_new(ml.base, on_reload, NULL);
    ml.probe = event_new(ml.base, -1, EV_PERSIST, on_probe_tick, NULL);
    ml.watchdog = event_new(ml.base, -1, EV_PERSIST, on_watchdog_tick, NULL);
    int rc = -1;
    if (!ml.term || !ml.intr || !ml.hup || !ml.reload || !ml.probe || !ml.watchdog ||
        evsignal_add(ml.term, NULL) || evsignal_add(ml.intr, NULL) || evsignal_add(ml.hup, NULL))
        goto out;
    struct timeval probe_every = tv_of_us((uint64_t)srv.cfg->health_probe_s * 1000000);
    event_add(ml.probe, &probe_every);
    uint64_t wd = sd_watchdog_usec();
    if (wd) {
        struct timeval wd_every = tv_of_us(wd / 2);
        sd_notify_send("WATCHDOG=1");
        event_add(ml.watchdog, &wd_every);
    }
    /* Signals caught before the loop watched them. */
    if (early_hup)
        on_hup(-1, 0, NULL);
    if (!early_term)
        event_base_dispatch(ml.base);
    rc = 0;
out:;
    struct event *all[] = {ml.term, ml.intr, ml.hup, ml.reload, ml.probe, ml.watchdog};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (all[i])
            event_free(all[i]); /* a signal's event restores on_early_signal */
    event_base_free(ml.base);
    ml.base = NULL;
    return rc;
}

void control_init(struct config *(*reload)(void), const struct redis_target *redis)
{
    ml.load = reload;
    ml.redis = redis;
    struct sigaction sa = {.sa_handler = on_early_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

void control_start_warmup(const struct config *cfg)
{
    if (cfg->jobs)
        probe_submit(PROBE_WARM, NULL);
    if (cfg->warm_after_invalidate)
        cache_set_invalidate_hook(warm_after_invalidate);
}

void control_last_touch(void)
{
    probe_submit(PROBE_TOUCH, NULL);
}

void control_free_reloaded(void)
{
    for (size_t i = 0; i < ml.nretired; i++) {
        config_free(ml.retired[i]);
        free(ml.retired[i]);
    }
    free(ml.retired);
    ml.retired = NULL;
    ml.nretired = 0;
}

/* Readiness: the last check of PostgreSQL and Redis, kept for the readiness route, and the draining
 * flag. */
#include "store/probe.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "log.h"
#include "runtime/gauges.h"
#include "store/db.h"
#include "store/redisconn.h"

/* The last check. The probe worker writes it; readers on other threads
 * copy it under the lock. */
static struct {
    pthread_mutex_t mu;
    double at; /* time_mono() of the check; 0 = never */
    struct probe_result r;
} last = {.mu = PTHREAD_MUTEX_INITIALIZER};

/* What the log said last about each dependency and readiness. */
struct dep_state {
    bool known, ok;
    double since; /* time_mono() of the last change */
};
static struct dep_state db_state, read_state, redis_state, ready_state;

static atomic_bool draining;
static void (*on_change)(const struct probe_result *r);

void probe_on_change(void (*fn)(const struct probe_result *r))
{
    on_change = fn;
}
static const struct pool *_Atomic watched;

/* The first line of src into dst (n bytes); a reason longer than that is
 * cut at a word boundary and marked with "...", never mid-word. */
static void short_reason(char *dst, size_t n, const char *src)
{
    const char *s = src && *src ? src : "unreachable";
    size_t len = strcspn(s, "\r\n");
    if (len < n) {
        snprintf(dst, n, "%.*s", (int)len, s);
        return;
    }
    size_t keep = n - 4; /* room for "..." and the NUL */
    while (keep > 0 && s[keep] != ' ')
        keep--;
    snprintf(dst, n, "%.*s...", (int)(keep ? keep : n - 4), s);
}

/* Logs a change of one dependency's state: down at warn with the reason,
 * up at info with how long it was down. Called under last.mu. */
static void note_dependency(struct dep_state *st, const char *name, enum gauge_dependency g,
                            bool ok, double ms, const char *reason)
{
    gauges_dependency(g, ok);
    double now = time_mono();
    if (st->known && st->ok == ok)
        return;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "msg", ok ? "dependency up" : "dependency down");
    cJSON_AddStringToObject(o, "dependency", name);
    if (ok) {
        cJSON_AddNumberToObject(o, "latency_ms", (double)(long)(ms * 100) / 100.0);
        if (st->known)
            cJSON_AddNumberToObject(o, "down_s", (double)(long)((now - st->since) * 10) / 10.0);
    } else {
        cJSON_AddStringToObject(o, "reason", reason);
        if (st->known)
            cJSON_AddNumberToObject(o, "up_s", (double)(long)((now - st->since) * 10) / 10.0);
    }
    log_event(ok ? LOG_INFO : LOG_WARN, o);
    st->known = true;
    st->ok = ok;
    st->since = now;
}

/* Logs a change of readiness (warn when it is lost, info when it is back). */
static void note_readiness(const struct probe_result *r, const struct config *cfg)
{
    bool cache_blocks = !r->redis_ok && cfg->ready_requires_cache;
    bool ok = r->db_ok && !cache_blocks;
    if (ready_state.known && ready_state.ok == ok)
        return;
    double now = time_mono();
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "msg", ok ? "ready" : "not ready");
    if (!ok)
        cJSON_AddStringToObject(o, "failed", !r->db_ok ? "database" : "redis");
    if (ready_state.known)
        cJSON_AddNumberToObject(o, ok ? "not_ready_s" : "ready_s",
                                (double)(long)((now - ready_state.since) * 10) / 10.0);
    log_event(ok ? LOG_INFO : LOG_WARN, o);
    ready_state = (struct dep_state){.known = true, .ok = ok, .since = now};
}

/* Pings the replica and switches dashboard reads by the answer. */
static void check_replica(struct db *db_read, const struct config *cfg, struct probe_result *r)
{
    r->read_configured = true;
    enum db_status ds = db_ping(db_read, cfg->db_check_timeout_ms, &r->read_ms);
    r->read_ok = ds == DB_OK;
    if (ds == DB_TIMEOUT)
        snprintf(r->read_err, sizeof r->read_err, "timed out after %d ms",
                 cfg->db_check_timeout_ms);
    else if (!r->read_ok)
        short_reason(r->read_err, sizeof r->read_err, db_last_error(db_read));
    db_read_replica_set_up(r->read_ok, r->read_err);
}

void probe_run(struct db *db, struct db *db_read, struct rconn *redis, const struct config *cfg)
{
    struct probe_result r = {0};
    if (db_read && db_read != db) {
        check_replica(db_read, cfg, &r);
    } else if (!db_read) {
        pthread_mutex_lock(&last.mu);
        r.read_configured = last.r.read_configured;
        r.read_ok = last.r.read_ok;
        r.read_ms = last.r.read_ms;
        memcpy(r.read_err, last.r.read_err, sizeof r.read_err);
        pthread_mutex_unlock(&last.mu);
    }
    enum db_status ds = db_ping(db, cfg->db_check_timeout_ms, &r.db_ms);
    char rerr[sizeof r.redis_err] = "";
    r.redis_ok = rconn_check(redis, cfg->redis_check_timeout_ms, &r.redis_ms, r.redis_mem,
                             sizeof r.redis_mem, rerr, sizeof rerr);
    r.db_ok = ds == DB_OK;
    if (ds == DB_TIMEOUT)
        snprintf(r.db_err, sizeof r.db_err, "timed out after %d ms", cfg->db_check_timeout_ms);
    else if (!r.db_ok)
        short_reason(r.db_err, sizeof r.db_err, db_last_error(db));
    if (!r.redis_ok)
        short_reason(r.redis_err, sizeof r.redis_err, rerr);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    time_rfc3339(&ts, true, r.when);

    pthread_mutex_lock(&last.mu);
    bool changed = last.at > 0 && (last.r.db_ok != r.db_ok || last.r.redis_ok != r.redis_ok);
    last.at = time_mono();
    last.r = r;
    note_dependency(&db_state, "database", GAUGE_DATABASE, r.db_ok, r.db_ms, r.db_err);
    note_dependency(&redis_state, "redis", GAUGE_REDIS, r.redis_ok, r.redis_ms, r.redis_err);
    if (r.read_configured && db_read)
        note_dependency(&read_state, "database_read", GAUGE_DATABASE_READ, r.read_ok, r.read_ms,
                        r.read_err);
    note_readiness(&r, cfg);
    pthread_mutex_unlock(&last.mu);
    r.draining = atomic_load(&draining);
    if (changed && on_change)
        on_change(&r);
}

void probe_read(struct db *db, struct db *replica, struct rconn *redis, const struct config *cfg,
                double max_age_s, struct probe_result *out)
{
    pthread_mutex_lock(&last.mu);
    bool stale = last.at == 0 || time_mono() - last.at >= max_age_s;
    pthread_mutex_unlock(&last.mu);
    if (stale)
        probe_run(db, replica, redis, cfg);
    pthread_mutex_lock(&last.mu);
    *out = last.r;
    pthread_mutex_unlock(&last.mu);
    out->draining = atomic_load(&draining);
}

void probe_set_draining(void)
{
    atomic_store(&draining, true);
    if (on_change) {
        struct probe_result r;
        pthread_mutex_lock(&last.mu);
        r = last.r;
        pthread_mutex_unlock(&last.mu);
        r.draining = true;
        on_change(&r);
    }
}

bool probe_draining(void)
{
    return atomic_load(&draining);
}

void probe_watch_pool(const struct pool *p)
{
    atomic_store(&watched, p);
}

const struct pool *probe_watched_pool(void)
{
    return atomic_load(&watched);
}

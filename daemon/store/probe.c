/* Readiness: the last check of PostgreSQL and Redis, kept for the readiness route, and the draining
 * flag. */
#include "store/probe.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "store/db.h"
#include "store/redisconn.h"

/* The last check. The probe worker writes it; readers on other threads
 * copy it under the lock. */
static struct {
    pthread_mutex_t mu;
    double at; /* time_mono() of the check; 0 = never */
    struct probe_result r;
} last = {.mu = PTHREAD_MUTEX_INITIALIZER};

static atomic_bool draining;
static const struct pool *_Atomic watched;

static void short_reason(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src && *src ? src : "unreachable");
    dst[strcspn(dst, "\r\n")] = '\0';
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
    last.at = time_mono();
    last.r = r;
    pthread_mutex_unlock(&last.mu);
}

void probe_read(struct db *db, struct rconn *redis, const struct config *cfg, double max_age_s,
                struct probe_result *out)
{
    pthread_mutex_lock(&last.mu);
    bool stale = last.at == 0 || time_mono() - last.at >= max_age_s;
    pthread_mutex_unlock(&last.mu);
    if (stale)
        probe_run(db, NULL, redis, cfg);
    pthread_mutex_lock(&last.mu);
    *out = last.r;
    pthread_mutex_unlock(&last.mu);
    out->draining = atomic_load(&draining);
}

void probe_set_draining(void)
{
    atomic_store(&draining, true);
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

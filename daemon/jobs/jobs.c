/* Background jobs on a timer thread (quote expiry, token cleanup), one instance per tick. */
#include "jobs/jobs.h"

#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cache/cache.h"
#include "store/fleet.h"
#include "log.h"
#include "runtime/metrics.h"
#include "store/redisconn.h"
#include "store/replica.h"
#include "timeutil.h"
#include "xalloc.h"

#define TICK_MS 100 /* how often the thread looks at the clock */

enum { Q_LOCK, Q_UNLOCK, Q_EXPIRE_QUOTES, Q_CLEAN_TOKENS };

const struct sql_stmt jobs_sql[] = {
    [Q_LOCK] = {"jobs_try_lock", "SELECT pg_try_advisory_lock($1::bigint)"},
    [Q_UNLOCK] = {"jobs_unlock", "SELECT pg_advisory_unlock($1::bigint)"},
    /* "Today" is the configured zone's (operations.md: timezone). */
    [Q_EXPIRE_QUOTES] = {"jobs_expire_quotes",
                         "WITH expired AS (UPDATE quotes SET status = 'expired', updated_at = now()"
                         " WHERE status = 'sent' AND NOT is_deleted"
                         " AND valid_until < (now() AT TIME ZONE $1::text)::date"
                         " RETURNING tenant_id)"
                         " SELECT tenant_id, count(*) FROM expired GROUP BY tenant_id"},
    [Q_CLEAN_TOKENS] = {"jobs_clean_tokens",
                        "DELETE FROM auth_tokens WHERE expires_at < now() - interval '7 days'"
                        " OR revoked_at < now() - interval '7 days'"},
    {NULL, NULL},
};

/* One job: runs on the thread's connections, writes a one-line summary,
 * returns 0 or -1 (failed). */
typedef int (*job_fn)(char *summary, size_t n);

struct job {
    const char *name;
    long long lock_key;   /* fixed per job: the same on every instance */
    size_t period_offset; /* offsetof(struct config, <period key>) */
    job_fn run;
    int period_s;
    double next; /* time_mono() of the next tick */
};

static struct {
    const struct config *cfg;
    struct db *db;
    struct rconn *redis;
    pthread_t thread;
    bool started;
    atomic_bool stopping;
} jb;

/* ------------------------------------------------------------ the jobs */

static int quote_expiry(char *summary, size_t n)
{
    const char *p[] = {jb.cfg->timezone};
    PGresult *res = NULL;
    enum db_status st = db_exec(jb.db, &jobs_sql[Q_EXPIRE_QUOTES], 1, p, &res);
    if (st != DB_OK) {
        snprintf(summary, n, "%s", db_last_error(jb.db));
        return -1;
    }
    long expired = 0;
    int tenants = PQntuples(res);
    char lsn[LSN_TEXT_MAX] = "";
    if (tenants && jb.cfg->database_read_url && *jb.cfg->database_read_url)
        replica_write_lsn(jb.db, lsn); /* dashboards wait for the replica to replay it */
    for (int i = 0; i < tenants; i++) {
        cache_invalidate_tenant_at(jb.redis, PQgetvalue(res, i, 0), lsn);
        expired += atol(PQgetvalue(res, i, 1));
    }
    PQclear(res);
    snprintf(summary, n, "%ld quote(s) expired in %d tenant(s)", expired, tenants);
    return 0;
}

static int token_cleanup(char *summary, size_t n)
{
    PGresult *res = NULL;
    enum db_status st = db_exec(jb.db, &jobs_sql[Q_CLEAN_TOKENS], 0, NULL, &res);
    if (st != DB_OK) {
        snprintf(summary, n, "%s", db_last_error(jb.db));
        return -1;
    }
    snprintf(summary, n, "%s token(s) deleted", PQcmdTuples(res));
    PQclear(res);
    return 0;
}

static struct job jobs[] = {
    {"quote_expiry", 0x6f6e71756f7401LL, offsetof(struct config, job_quote_expiry_s), quote_expiry,
     0, 0},
    {"token_cleanup", 0x6f6e71756f7402LL, offsetof(struct config, job_token_cleanup_s),
     token_cleanup, 0, 0},
};

/* ------------------------------------------------------------ a tick */

/* pg_try_advisory_lock or pg_advisory_unlock of key: 1 granted, 0 not, -1 failed. */
static int advisory(int which, long long key)
{
    char k[24];
    snprintf(k, sizeof k, "%lld", key);
    const char *p[] = {k};
    PGresult *res = NULL;
    if (db_exec(jb.db, &jobs_sql[which], 1, p, &res) != DB_OK)
        return -1;
    int rc = PQgetvalue(res, 0, 0)[0] == 't';
    PQclear(res);
    return rc;
}

/* Claims the current period of j for this instance (SET NX, scoped by the
 * fleet). False when another instance claimed it; true when we did or when
 * Redis does not answer (the advisory lock alone then serialises runs). */
static bool claim_period(const struct job *j)
{
    char key[FLEET_KEY_MAX], who[96];
    long long slot = (long long)time(NULL) / j->period_s;
    fleet_key(key, sizeof key, "jobs", "%s:%lld", j->name, slot);
    snprintf(who, sizeof who, "pid %d", (int)getpid());
    redisReply *rep = rconn_cmd(jb.redis, "SET %s %s NX EX %d", key, who, j->period_s + 1);
    if (!rep)
        return true;
    bool mine = rep->type == REDIS_REPLY_STATUS;
    freeReplyObject(rep);
    return mine;
}

static void log_run(const struct job *j, const char *result, const char *summary, double ms)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "msg", "job");
    cJSON_AddStringToObject(o, "job", j->name);
    cJSON_AddStringToObject(o, "result", result);
    cJSON_AddStringToObject(o, "detail", summary);
    cJSON_AddNumberToObject(o, "duration_ms", (double)(long)(ms * 1000) / 1000.0);
    log_event(strcmp(result, "error") ? LOG_INFO : LOG_WARN, o);
}

static void tick(const struct job *j)
{
    double t0 = time_mono();
    char summary[256] = "";
    const char *result = "ok";
    int locked = advisory(Q_LOCK, j->lock_key);
    if (locked < 0) {
        result = "error";
        snprintf(summary, sizeof summary, "cannot take the lock: %s", db_last_error(jb.db));
    } else if (!locked) {
        result = "skipped";
        snprintf(summary, sizeof summary, "another instance is running it");
    } else {
        if (!claim_period(j)) {
            result = "skipped";
            snprintf(summary, sizeof summary, "another instance ran it in this period");
        } else if (j->run(summary, sizeof summary) != 0) {
            result = "error";
        }
        (void)advisory(Q_UNLOCK, j->lock_key);
    }
    metrics_job_run(j->name, result);
    log_run(j, result, summary, (time_mono() - t0) * 1000.0);
}

/* ------------------------------------------------------------ the thread */

static void *jobs_main(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "jobs");
    while (!atomic_load(&jb.stopping)) {
        usleep(TICK_MS * 1000);
        for (size_t i = 0; i < sizeof jobs / sizeof jobs[0] && !atomic_load(&jb.stopping); i++) {
            struct job *j = &jobs[i];
            double now = time_mono();
            if (now < j->next)
                continue;
            tick(j);
            /* The next tick keeps to the schedule unless this one overran it. */
            j->next += j->period_s;
            if (j->next <= time_mono())
                j->next = time_mono() + j->period_s;
        }
    }
    return NULL;
}

int jobs_start(const struct config *cfg, const struct redis_target *redis, char **err)
{
    if (!cfg->jobs)
        return 0;
    char *conninfo = url_pg_conninfo(cfg->database_url, err);
    if (!conninfo)
        return -1;
    jb.cfg = cfg;
    static const struct sql_stmt *const own[] = {jobs_sql, replica_sql, NULL};
    jb.db = db_new(conninfo, cfg->statement_timeout_ms, "onquotad-jobs", own);
    jb.redis = rconn_new(redis, cfg->redis_timeout_ms);
    free(conninfo);
    double start = time_mono();
    for (size_t i = 0; i < sizeof jobs / sizeof jobs[0]; i++) {
        jobs[i].period_s = *(const int *)((const char *)cfg + jobs[i].period_offset);
        jobs[i].next = start + jobs[i].period_s;
    }
    atomic_store(&jb.stopping, false);
    if (pthread_create(&jb.thread, NULL, jobs_main, NULL) != 0) {
        *err = xstrdup("cannot start the background jobs thread");
        jobs_stop();
        return -1;
    }
    jb.started = true;
    return 0;
}

void jobs_stop(void)
{
    if (jb.started) {
        atomic_store(&jb.stopping, true);
        pthread_join(jb.thread, NULL);
        jb.started = false;
    }
    db_free(jb.db);
    rconn_free(jb.redis);
    jb.db = NULL;
    jb.redis = NULL;
}

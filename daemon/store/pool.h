/* A pool of worker threads, each owning its PostgreSQL and Redis connections, fed by one queue. */
#ifndef ONQUOTA_POOL_H
#define ONQUOTA_POOL_H

#include "runtime/config.h"
#include "url.h"

struct db;
struct sql_stmt;
struct rconn;

/* What a worker owns; handed to every job it runs. */
struct worker {
    int index;
    struct db *db;      /* primary */
    struct db *db_read; /* replica for dashboard reads, or == db */
    struct rconn *redis;
};

/* Every queued job starts with this header. */
struct pool_job {
    struct pool_job *next;
    void (*run)(struct pool_job *job, struct worker *w);
};

struct pool;

/* Starts n workers. Each opens its connections lazily on first use and
 * prepares the statements of prepare there (see db_new; NULL = none). The
 * config, target and list must outlive the pool. Returns NULL with *err. */
struct pool *pool_new(const char *name, int n, const struct config *cfg,
                      const struct redis_target *redis, const struct sql_stmt *const *prepare,
                      char **err);

/* Queues a job; one worker calls job->run(job, worker). Thread-safe. The job
 * is owned by the run function from then on. */
void pool_submit(struct pool *p, struct pool_job *job);

/* Runs the queued jobs, then stops and joins the workers and closes their
 * connections. */
void pool_free(struct pool *p);

/* Workers busy right now / total. Thread-safe, approximate. */
int pool_busy(const struct pool *p);
int pool_size(const struct pool *p);

#endif

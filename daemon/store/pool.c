/* A pool of worker threads, each owning its PostgreSQL and Redis connections, fed by one queue. */
#include "store/pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "store/db.h"
#include "store/redisconn.h"
#include "xalloc.h"

struct pool {
    char name[16];
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct pool_job *head, *tail;
    bool stopping;
    int n;  /* threads started */
    int nw; /* workers allocated */
    atomic_int busy;
    pthread_t *threads;
    struct worker *workers;
};

struct start {
    struct pool *p;
    struct worker *w;
};

static void *worker_main(void *arg)
{
    struct start *s = arg;
    struct pool *p = s->p;
    struct worker *w = s->w;
    free(s);
    char tname[16];
    snprintf(tname, sizeof tname, "%.10s-%d", p->name, w->index);
    pthread_setname_np(pthread_self(), tname);

    for (;;) {
        pthread_mutex_lock(&p->mu);
        while (!p->head && !p->stopping)
            pthread_cond_wait(&p->cv, &p->mu);
        struct pool_job *job = p->head;
        if (!job) { /* stopping and drained */
            pthread_mutex_unlock(&p->mu);
            break;
        }
        p->head = job->next;
        if (!p->head)
            p->tail = NULL;
        pthread_mutex_unlock(&p->mu);

        atomic_fetch_add(&p->busy, 1);
        job->next = NULL;
        job->run(job, w);
        atomic_fetch_sub(&p->busy, 1);
    }
    return NULL;
}

struct pool *pool_new(const char *name, int n, const struct config *cfg,
                      const struct redis_target *redis, const struct sql_stmt *const *prepare,
                      char **err)
{
    struct pool *p = xcalloc(1, sizeof *p);
    snprintf(p->name, sizeof p->name, "%s", name);
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    p->threads = xcalloc((size_t)n, sizeof *p->threads);
    p->workers = xcalloc((size_t)n, sizeof *p->workers);

    char *conninfo = url_pg_conninfo(cfg->database_url, err);
    if (!conninfo)
        goto fail;
    char *read_conninfo = NULL;
    if (cfg->database_read_url && *cfg->database_read_url) {
        read_conninfo = url_pg_conninfo(cfg->database_read_url, err);
        if (!read_conninfo) {
            free(conninfo);
            goto fail;
        }
    }
    for (int i = 0; i < n; i++) {
        struct worker *w = &p->workers[i];
        w->index = i;
        w->db = db_new(conninfo, cfg->statement_timeout_ms, "onquotad", prepare);
        w->db_read = read_conninfo ? db_new(read_conninfo, cfg->statement_timeout_ms,
                                            "onquotad-read", prepare)
                                   : w->db;
        if (w->db_read != w->db)
            db_set_fallback(w->db_read, w->db);
        w->redis = rconn_new(redis, cfg->redis_timeout_ms);
    }
    p->nw = n;
    free(conninfo);
    free(read_conninfo);

    for (int i = 0; i < n; i++) {
        struct start *s = xmalloc(sizeof *s);
        s->p = p;
        s->w = &p->workers[i];
        if (pthread_create(&p->threads[i], NULL, worker_main, s) != 0) {
            /* Cannot start the pool: stop what did start. */
            free(s);
            *err = xasprintf("%s: cannot start worker thread %d", name, i);
            p->n = i;
            pool_free(p);
            return NULL;
        }
        p->n = i + 1;
    }
    return p;

fail:
    free(p->threads);
    free(p->workers);
    free(p);
    return NULL;
}

void pool_submit(struct pool *p, struct pool_job *job)
{
    job->next = NULL;
    pthread_mutex_lock(&p->mu);
    if (p->tail)
        p->tail->next = job;
    else
        p->head = job;
    p->tail = job;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

void pool_free(struct pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->stopping = true;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < p->n; i++)
        pthread_join(p->threads[i], NULL);
    for (int i = 0; i < p->nw; i++) {
        struct worker *w = &p->workers[i];
        if (w->db_read && w->db_read != w->db)
            db_free(w->db_read);
        db_free(w->db);
        rconn_free(w->redis);
    }
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    free(p->threads);
    free(p->workers);
    free(p);
}

int pool_busy(const struct pool *p)
{
    return atomic_load(&((struct pool *)p)->busy);
}

int pool_size(const struct pool *p)
{
    return p->n;
}

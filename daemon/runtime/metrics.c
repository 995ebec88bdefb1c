/* Process-wide metrics: lock-free counters and histograms rendered as Prometheus text 0.0.4. */
#include "runtime/metrics.h"

#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "runtime/gauges.h"
#include "xalloc.h"

/* ------------------------------------------------------------------------ */
/* Histograms                                                                */
/* ------------------------------------------------------------------------ */

#define NBUCKETS 14

/* Longest duration recorded; keeps the nanosecond conversion in range. */
#define MAX_SECONDS 1e9

static const double bucket_le[NBUCKETS] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                           0.1,    0.25,  0.5,    1,     2.5,  5,     10};
static const char *const bucket_le_text[NBUCKETS] = {"0.0005", "0.001", "0.0025", "0.005", "0.01",
                                                     "0.025",  "0.05",  "0.1",    "0.25",  "0.5",
                                                     "1",      "2.5",   "5",      "10"};

/* Per-bucket (non-cumulative) counts; n[NBUCKETS] is (10, +Inf]. There is no
 * separate count: _count is the sum of the buckets, so a scrape racing with
 * writers still sees le="+Inf" equal to _count. The sum is kept in whole
 * nanoseconds because C17 has no atomic add for doubles. */
struct histo {
    _Atomic uint64_t n[NBUCKETS + 1];
    _Atomic uint64_t sum_ns;
};

/* A plain copy of a histogram taken at render time. */
struct histo_snap {
    uint64_t n[NBUCKETS + 1];
    uint64_t sum_ns;
};

static void histo_observe(struct histo *h, double seconds)
{
    if (!(seconds > 0)) /* negative and NaN */
        seconds = 0;
    if (seconds > MAX_SECONDS)
        seconds = MAX_SECONDS;
    size_t i = 0;
    while (i < NBUCKETS && seconds > bucket_le[i])
        i++;
    atomic_fetch_add_explicit(&h->n[i], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&h->sum_ns, (uint64_t)(seconds * 1e9 + 0.5), memory_order_relaxed);
}

static void histo_read(struct histo *h, struct histo_snap *s)
{
    for (size_t i = 0; i <= NBUCKETS; i++)
        s->n[i] = atomic_load_explicit(&h->n[i], memory_order_relaxed);
    s->sum_ns = atomic_load_explicit(&h->sum_ns, memory_order_relaxed);
}

static void snap_add(struct histo_snap *dst, const struct histo_snap *src)
{
    for (size_t i = 0; i <= NBUCKETS; i++)
        dst->n[i] += src->n[i];
    dst->sum_ns += src->sum_ns;
}

static uint64_t snap_count(const struct histo_snap *s)
{
    uint64_t c = 0;
    for (size_t i = 0; i <= NBUCKETS; i++)
        c += s->n[i];
    return c;
}

/* ------------------------------------------------------------------------ */
/* Process-wide state                                                        */
/* ------------------------------------------------------------------------ */

static char build_version[128] = "unknown";
static double start_time_s;

static _Atomic unsigned long cache_counts[CACHE_RESULT_COUNT];
static _Atomic unsigned long cache_invalidations;
static _Atomic unsigned long redis_errors;
static atomic_int read_replica_state = -1; /* -1: no replica; 0: reads on the primary; 1: on it */
static _Atomic unsigned long read_fallbacks;
static struct histo db_histo;

static const char *const cache_result_names[CACHE_RESULT_COUNT] = {"hit", "miss", "stale",
                                                                   "bypass"};

void metrics_init(const char *version)
{
    struct timespec ts;

    snprintf(build_version, sizeof build_version, "%s", version ? version : "unknown");
    clock_gettime(CLOCK_REALTIME, &ts);
    start_time_s = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void metrics_db_query(double seconds)
{
    histo_observe(&db_histo, seconds);
}

void metrics_redis_error(void)
{
    atomic_fetch_add_explicit(&redis_errors, 1, memory_order_relaxed);
}

void metrics_read_replica(bool up)
{
    if (atomic_exchange(&read_replica_state, up ? 1 : 0) == 1 && !up)
        atomic_fetch_add_explicit(&read_fallbacks, 1, memory_order_relaxed);
}

void metrics_cache(enum cache_result r)
{
    if ((unsigned)r < CACHE_RESULT_COUNT)
        atomic_fetch_add_explicit(&cache_counts[r], 1, memory_order_relaxed);
}

void metrics_cache_invalidation(void)
{
    atomic_fetch_add_explicit(&cache_invalidations, 1, memory_order_relaxed);
}

unsigned long metrics_cache_count(enum cache_result r)
{
    if ((unsigned)r >= CACHE_RESULT_COUNT)
        return 0;
    return atomic_load_explicit(&cache_counts[r], memory_order_relaxed);
}

unsigned long metrics_cache_invalidations(void)
{
    return atomic_load_explicit(&cache_invalidations, memory_order_relaxed);
}

unsigned long metrics_db_queries(void)
{
    struct histo_snap s;

    histo_read(&db_histo, &s);
    return (unsigned long)snap_count(&s);
}

/* ------------------------------------------------------------------------ */
/* HTTP requests: a lock-free open-addressing table                          */
/* ------------------------------------------------------------------------ */

/* Rows are keyed by the route pointer (routes are static strings), a method
 * number and the status code. A row is claimed once with a CAS on its state
 * and never freed. When the main table is full, new keys fold into
 * route="other" rows, and when those are full too, into one catch-all row.
 * Rows whose routes are equal strings at different addresses are merged when
 * rendering, so the exposition never repeats a series. */

#define HTTP_ROWS 256 /* powers of two */
#define OTHER_ROWS 64
#define OTHER_ROUTE "other"

enum { SLOT_EMPTY, SLOT_BUSY, SLOT_READY };

enum { M_GET, M_HEAD, M_POST, M_PUT, M_PATCH, M_DELETE, M_OPTIONS, M_OTHER, M_COUNT };

static const char *const method_names[M_COUNT] = {"GET",   "HEAD",   "POST",    "PUT",
                                                  "PATCH", "DELETE", "OPTIONS", "OTHER"};

struct http_row {
    _Atomic int state;
    /* Written once while the state is SLOT_BUSY, read only after SLOT_READY. */
    const char *route;
    int method;
    int code;
    struct histo h;
};

static struct http_row http_rows[HTTP_ROWS];
static struct http_row other_rows[OTHER_ROWS];
static struct http_row catchall_row = {
    .state = SLOT_READY, .route = OTHER_ROUTE, .method = M_OTHER, .code = 0};

static int method_id(const char *method)
{
    if (method)
        for (int i = 0; i < M_OTHER; i++)
            if (strcmp(method, method_names[i]) == 0)
                return i;
    return M_OTHER;
}

static size_t key_hash(const char *route, int method, int code)
{
    uint64_t x = (uint64_t)(uintptr_t)route;
    x ^= ((uint64_t)method << 56) ^ ((uint64_t)code << 40);
    x *= 0x9E3779B97F4A7C15u; /* Fibonacci hashing: the high bits are well mixed */
    return (size_t)(x >> 32);
}

/* Finds or claims the row for the key; NULL when the table is full. */
static struct http_row *table_find(struct http_row *rows, size_t nrows, const char *route,
                                   int method, int code)
{
    size_t h = key_hash(route, method, code);

    for (size_t i = 0; i < nrows; i++) {
        struct http_row *r = &rows[(h + i) & (nrows - 1)];
        int st = atomic_load_explicit(&r->state, memory_order_acquire);
        if (st == SLOT_EMPTY) {
            if (atomic_compare_exchange_strong_explicit(
                    &r->state, &st, SLOT_BUSY, memory_order_acquire, memory_order_acquire)) {
                r->route = route;
                r->method = method;
                r->code = code;
                atomic_store_explicit(&r->state, SLOT_READY, memory_order_release);
                return r;
            }
        }
        /* Another thread is writing this row's key: three stores away. */
        while (st == SLOT_BUSY) {
            sched_yield();
            st = atomic_load_explicit(&r->state, memory_order_acquire);
        }
        if (r->route == route && r->method == method && r->code == code)
            return r;
    }
    return NULL;
}

void metrics_http_request(const char *route, const char *method, int code, double seconds)
{
    int m = method_id(method);
    struct http_row *r;

    if (!route)
        route = "unmatched";
    if (code < 100 || code > 599)
        code = 0;
    r = table_find(http_rows, HTTP_ROWS, route, m, code);
    if (!r)
        r = table_find(other_rows, OTHER_ROWS, OTHER_ROUTE, m, code);
    if (!r)
        r = &catchall_row;
    histo_observe(&r->h, seconds);
}

struct http_snap {
    const char *route;
    int method;
    int code;
    struct histo_snap h;
};

static int http_snap_cmp(const void *a, const void *b)
{
    const struct http_snap *x = a, *y = b;
    int c = strcmp(x->route, y->route);
    if (c)
        return c;
    if (x->method != y->method)
        return x->method < y->method ? -1 : 1;
    return (x->code > y->code) - (x->code < y->code);
}

static size_t snap_table(struct http_row *rows, size_t nrows, struct http_snap *out)
{
    size_t n = 0;

    for (size_t i = 0; i < nrows; i++) {
        struct http_row *r = &rows[i];
        if (atomic_load_explicit(&r->state, memory_order_acquire) != SLOT_READY)
            continue;
        out[n].route = r->route;
        out[n].method = r->method;
        out[n].code = r->code;
        histo_read(&r->h, &out[n].h);
        if (snap_count(&out[n].h))
            n++;
    }
    return n;
}

/* Copies every used row, sorted by (route text, method, code) with
 * duplicates merged. Returns the number of rows; the caller frees *out. */
static size_t http_snapshot(struct http_snap **out)
{
    struct http_snap *s = xcalloc(HTTP_ROWS + OTHER_ROWS + 1, sizeof *s);
    size_t n = 0, m = 0;

    n += snap_table(http_rows, HTTP_ROWS, s + n);
    n += snap_table(other_rows, OTHER_ROWS, s + n);
    n += snap_table(&catchall_row, 1, s + n);
    qsort(s, n, sizeof *s, http_snap_cmp);
    for (size_t i = 0; i < n; i++) {
        if (m > 0 && http_snap_cmp(&s[m - 1], &s[i]) == 0)
            snap_add(&s[m - 1].h, &s[i].h);
        else
            s[m++] = s[i];
    }
    *out = s;
    return m;
}

/* ------------------------------------------------------------------------ */
/* Jobs: a small table under a mutex (the timer thread is the only writer)   */
/* ------------------------------------------------------------------------ */

#define JOBS_MAX 32
#define JOB_TEXT_MAX 48

struct job_row {
    char job[JOB_TEXT_MAX];
    char result[JOB_TEXT_MAX];
    unsigned long n;
};

static pthread_mutex_t jobs_lock = PTHREAD_MUTEX_INITIALIZER;
static struct job_row jobs[JOBS_MAX];
static size_t njobs;

/* Finds or adds the row; the last slot is kept for job="other",result="other". */
static struct job_row *jobs_slot(const char *job, const char *result)
{
    bool catchall = strcmp(job, OTHER_ROUTE) == 0 && strcmp(result, OTHER_ROUTE) == 0;

    for (size_t i = 0; i < njobs; i++)
        if (strncmp(jobs[i].job, job, JOB_TEXT_MAX - 1) == 0 &&
            strncmp(jobs[i].result, result, JOB_TEXT_MAX - 1) == 0)
            return &jobs[i];
    if (njobs >= JOBS_MAX - (catchall ? 0 : 1))
        return NULL;
    struct job_row *r = &jobs[njobs++];
    snprintf(r->job, sizeof r->job, "%s", job);
    snprintf(r->result, sizeof r->result, "%s", result);
    r->n = 0;
    return r;
}

void metrics_job_run(const char *job, const char *result)
{
    struct job_row *r;

    pthread_mutex_lock(&jobs_lock);
    r = jobs_slot(job ? job : "unknown", result ? result : "unknown");
    if (!r)
        r = jobs_slot(OTHER_ROUTE, OTHER_ROUTE);
    r->n++;
    bool counted = r->job[0] && strcmp(r->job, OTHER_ROUTE) != 0;
    pthread_mutex_unlock(&jobs_lock);
    if (counted && result && !strcmp(result, "ok"))
        gauges_job_success(r->job);
}

/* ------------------------------------------------------------------------ */
/* Exposition                                                                */
/* ------------------------------------------------------------------------ */

static void family(struct buf *out, const char *name, const char *type, const char *help)
{
    buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* Appends s as a label value: backslash, double quote and newline escaped. */
static void add_label_value(struct buf *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '\\')
            buf_adds(out, "\\\\");
        else if (*s == '"')
            buf_adds(out, "\\\"");
        else if (*s == '\n')
            buf_adds(out, "\\n");
        else
            buf_addc(out, *s);
    }
}

/* Appends name="value" (escaped), preceded by a comma unless first. */
static void add_label(struct buf *out, bool first, const char *name, const char *value)
{
    buf_printf(out, "%s%s=\"", first ? "" : ",", name);
    add_label_value(out, value);
    buf_addc(out, '"');
}

/* labels is "" or a ready, escaped list such as route="/x" (no braces). */
static void render_histogram(struct buf *out, const char *name, const char *labels,
                             const struct histo_snap *s)
{
    const char *sep = *labels ? "," : "";
    uint64_t cum = 0;

    for (size_t i = 0; i <= NBUCKETS; i++) {
        cum += s->n[i];
        buf_printf(out, "%s_bucket{%s%sle=\"%s\"} %" PRIu64 "\n", name, labels, sep,
                   i < NBUCKETS ? bucket_le_text[i] : "+Inf", cum);
    }
    if (*labels) {
        buf_printf(out, "%s_sum{%s} %.6f\n", name, labels, (double)s->sum_ns / 1e9);
        buf_printf(out, "%s_count{%s} %" PRIu64 "\n", name, labels, cum);
    } else {
        buf_printf(out, "%s_sum %.6f\n", name, (double)s->sum_ns / 1e9);
        buf_printf(out, "%s_count %" PRIu64 "\n", name, cum);
    }
}

static void render_http(struct buf *out)
{
    static const char *const dur = "onquota_http_request_duration_seconds";
    struct http_snap *s;
    size_t n = http_snapshot(&s);
    struct buf labels = BUF_INIT;

    family(out, "onquota_http_requests_total", "counter",
           "HTTP requests answered, by route pattern, method and status code.");
    for (size_t i = 0; i < n; i++) {
        buf_adds(out, "onquota_http_requests_total{");
        add_label(out, true, "route", s[i].route);
        add_label(out, false, "method", method_names[s[i].method]);
        buf_printf(out, ",code=\"%d\"} %" PRIu64 "\n", s[i].code, snap_count(&s[i].h));
    }

    family(out, dur, "histogram", "HTTP request duration in seconds, by route pattern.");
    for (size_t i = 0; i < n;) {
        struct histo_snap sum = s[i].h;
        size_t j = i + 1;
        for (; j < n && strcmp(s[j].route, s[i].route) == 0; j++)
            snap_add(&sum, &s[j].h);
        buf_reset(&labels);
        add_label(&labels, true, "route", s[i].route);
        render_histogram(out, dur, buf_str(&labels), &sum);
        i = j;
    }
    buf_free(&labels);
    free(s);
}

static void render_cache(struct buf *out)
{
    family(out, "onquota_cache_requests_total", "counter", "Dashboard cache lookups, by result.");
    for (int r = 0; r < CACHE_RESULT_COUNT; r++)
        buf_printf(out, "onquota_cache_requests_total{result=\"%s\"} %lu\n", cache_result_names[r],
                   metrics_cache_count((enum cache_result)r));
    family(out, "onquota_cache_invalidations_total", "counter",
           "Dashboard cache invalidations (generation bumps).");
    buf_printf(out, "onquota_cache_invalidations_total %lu\n", metrics_cache_invalidations());
}

static void render_db(struct buf *out, const struct metrics_pool *pool)
{
    struct histo_snap s;

    histo_read(&db_histo, &s);
    family(out, "onquota_db_queries_total", "counter", "SQL statements executed.");
    buf_printf(out, "onquota_db_queries_total %" PRIu64 "\n", snap_count(&s));
    family(out, "onquota_db_query_duration_seconds", "histogram",
           "SQL statement duration in seconds.");
    render_histogram(out, "onquota_db_query_duration_seconds", "", &s);
    family(out, "onquota_db_pool_connections", "gauge", "PostgreSQL pool connections, by state.");
    if (pool) {
        buf_printf(out, "onquota_db_pool_connections{state=\"idle\"} %d\n", pool->idle);
        buf_printf(out, "onquota_db_pool_connections{state=\"in_use\"} %d\n", pool->in_use);
    }
    family(out, "onquota_redis_errors_total", "counter",
           "Redis commands that failed or timed out.");
    buf_printf(out, "onquota_redis_errors_total %lu\n",
               atomic_load_explicit(&redis_errors, memory_order_relaxed));
    int replica = atomic_load(&read_replica_state);
    if (replica < 0)
        return; /* no database_read_url */
    family(out, "onquota_db_read_replica_up", "gauge",
           "1 while dashboard reads go to the read replica, 0 while they fall back to the "
           "primary.");
    buf_printf(out, "onquota_db_read_replica_up %d\n", replica);
    family(out, "onquota_db_read_fallbacks_total", "counter",
           "Times dashboard reads fell back from the read replica to the primary.");
    buf_printf(out, "onquota_db_read_fallbacks_total %lu\n",
               atomic_load_explicit(&read_fallbacks, memory_order_relaxed));
}

static void render_jobs(struct buf *out)
{
    family(out, "onquota_jobs_runs_total", "counter", "Background job runs, by job and result.");
    pthread_mutex_lock(&jobs_lock);
    for (size_t i = 0; i < njobs; i++) {
        buf_adds(out, "onquota_jobs_runs_total{");
        add_label(out, true, "job", jobs[i].job);
        add_label(out, false, "result", jobs[i].result);
        buf_printf(out, "} %lu\n", jobs[i].n);
    }
    pthread_mutex_unlock(&jobs_lock);
}

/* The resident set size from /proc/self/statm (in pages) times the page size. */
static bool read_rss_bytes(uint64_t *bytes)
{
    unsigned long size, resident;
    long page = sysconf(_SC_PAGESIZE);
    FILE *f = fopen("/proc/self/statm", "re");
    int n;

    if (!f)
        return false;
    n = fscanf(f, "%lu %lu", &size, &resident);
    fclose(f);
    if (n != 2 || page <= 0)
        return false;
    *bytes = (uint64_t)resident * (uint64_t)page;
    return true;
}

static void render_process(struct buf *out)
{
    uint64_t rss;

    family(out, "onquota_build_info", "gauge", "Build information; the value is always 1.");
    buf_adds(out, "onquota_build_info{");
    add_label(out, true, "version", build_version);
    buf_adds(out, "} 1\n");
    family(out, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
    if (read_rss_bytes(&rss))
        buf_printf(out, "process_resident_memory_bytes %" PRIu64 "\n", rss);
    family(out, "process_start_time_seconds", "gauge",
           "Start time of the process since the Unix epoch in seconds.");
    buf_printf(out, "process_start_time_seconds %.3f\n", start_time_s);
}

void metrics_render(struct buf *out, const struct metrics_pool *pool)
{
    render_http(out);
    render_cache(out);
    render_db(out, pool);
    render_jobs(out);
    render_process(out);
    gauges_render(out);
}

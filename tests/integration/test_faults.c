/* Integration tests of faults under load: Redis killed, PostgreSQL stopped, a connection flood. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

#define KPIS "/api/v1/dashboard/kpis"
#define CLIENTS "/api/v1/clients"
#define ADMIN_EMAIL "faults-admin@example.com"

/* Load threads per test, and how long a slow answer may take. */
#define LOAD_THREADS 4
#define UNCACHED_503_MS 2500.0

static char *token;

static int setup(const char *db)
{
    char *id = harness_user_add(db, "faults", ADMIN_EMAIL, "admin", "faults-password-1");
    if (!id)
        return -1;
    free(id);
    token = harness_token_create(db, ADMIN_EMAIL, "faults", 0);
    return token ? 0 : -1;
}

static const char *xcache(const struct harness_resp *r)
{
    const char *x = harness_header(r, "X-Cache");
    return x ? x : "(none)";
}

/* ---------------------------------------------------------------- load */

/* What the load threads do and saw. */
enum load_kind {
    LOAD_MIXED,  /* cached reads, uncached reads and writes: every answer must succeed */
    LOAD_OUTAGE, /* cached and uncached reads while PostgreSQL may be down */
};

struct load {
    const struct harness_daemon *d;
    enum load_kind kind;
    atomic_bool stop;
    atomic_long requests, failures;
    atomic_long cached_ok, cached_bad;          /* LOAD_OUTAGE: KPIs answered 200 or not */
    atomic_long uncached_503, uncached_bad_503; /* 503s that were JSON in time, or not */
    pthread_mutex_t lock;
    double worst_503_ms; /* under lock */
    char first_failure[512];
};

static void load_fail(struct load *l, const char *what, const struct harness_resp *r)
{
    atomic_fetch_add(&l->failures, 1);
    pthread_mutex_lock(&l->lock);
    if (!l->first_failure[0])
        snprintf(l->first_failure, sizeof l->first_failure, "%s: %ld %s %.80s", what, r->status,
                 r->err, r->body ? r->body : "");
    pthread_mutex_unlock(&l->lock);
}

static void mixed_round(struct load *l, int i)
{
    struct harness_resp r;
    long st = harness_get(l->d, KPIS, token, &r);
    if (st != 200)
        load_fail(l, "GET kpis", &r);
    harness_resp_free(&r);
    st = harness_get(l->d, CLIENTS "?page_size=5", token, &r);
    if (st != 200)
        load_fail(l, "GET clients", &r);
    harness_resp_free(&r);
    if (i % 4 == 0) {
        st = harness_send(l->d, "POST", CLIENTS, token, "{\"name\": \"Fault Load\"}", &r);
        if (st != 201)
            load_fail(l, "POST clients", &r);
        harness_resp_free(&r);
    }
    atomic_fetch_add(&l->requests, i % 4 == 0 ? 3 : 2);
}

/* A 503 that is {"detail": "..."} JSON and came within UNCACHED_503_MS. */
static bool good_503(struct harness_resp *r)
{
    return r->status == 503 && r->ms <= UNCACHED_503_MS && harness_detail_is(r, NULL);
}

static void outage_round(struct load *l)
{
    struct harness_resp r;
    long st = harness_get(l->d, KPIS, token, &r);
    atomic_fetch_add(st == 200 ? &l->cached_ok : &l->cached_bad, 1);
    if (st != 200)
        load_fail(l, "GET kpis (cached)", &r);
    harness_resp_free(&r);
    st = harness_get(l->d, CLIENTS, token, &r);
    if (st == 503) {
        atomic_fetch_add(good_503(&r) ? &l->uncached_503 : &l->uncached_bad_503, 1);
        pthread_mutex_lock(&l->lock);
        l->worst_503_ms = r.ms > l->worst_503_ms ? r.ms : l->worst_503_ms;
        pthread_mutex_unlock(&l->lock);
    }
    if (st != 200 && !good_503(&r))
        load_fail(l, "GET clients (uncached)", &r);
    harness_resp_free(&r);
    atomic_fetch_add(&l->requests, 2);
}

static void *load_thread(void *arg)
{
    struct load *l = arg;
    for (int i = 0; !atomic_load(&l->stop); i++) {
        if (l->kind == LOAD_MIXED)
            mixed_round(l, i);
        else
            outage_round(l);
    }
    return NULL;
}

struct load_run {
    struct load l;
    pthread_t t[LOAD_THREADS];
};

static void load_start(struct load_run *run, const struct harness_daemon *d, enum load_kind kind)
{
    memset(run, 0, sizeof *run);
    run->l.d = d;
    run->l.kind = kind;
    pthread_mutex_init(&run->l.lock, NULL);
    for (int i = 0; i < LOAD_THREADS; i++)
        ck_assert_int_eq(pthread_create(&run->t[i], NULL, load_thread, &run->l), 0);
}

static void load_stop(struct load_run *run)
{
    atomic_store(&run->l.stop, true);
    for (int i = 0; i < LOAD_THREADS; i++)
        pthread_join(run->t[i], NULL);
    pthread_mutex_destroy(&run->l.lock);
}

/* Polls GET path until X-Cache is want (10 s); true when it was. */
static bool cache_becomes(const struct harness_daemon *d, const char *path, const char *want)
{
    struct harness_resp r;
    for (double end = harness_now_ms() + 10000; harness_now_ms() < end; harness_sleep_ms(100)) {
        harness_get(d, path, token, &r);
        bool ok = r.status == 200 && !strcmp(xcache(&r), want);
        harness_resp_free(&r);
        if (ok)
            return true;
    }
    return false;
}

/* ---------------------------------------------------------------- Redis */

/* A private redis-server on port, without persistence; its pid. */
static pid_t redis_start(int port, const char *log)
{
    char p[16];
    snprintf(p, sizeof p, "%d", port);
    const char *argv[] = {
        "/usr/bin/redis-server", "--port", p,   "--bind", "127.0.0.1", "--save", "",
        "--appendonly",          "no",     NULL};
    pid_t pid = harness_spawn_logged(argv, log, true);
    for (double end = harness_now_ms() + 5000; harness_now_ms() < end; harness_sleep_ms(50)) {
        int fd = harness_connect(port);
        if (fd >= 0) {
            close(fd);
            return pid;
        }
    }
    ck_abort_msg("redis-server did not start on port %d (see %s)", port, log);
    return -1;
}

START_TEST(redis_killed_under_load)
{
    if (access("/usr/bin/redis-server", X_OK) != 0) {
        fprintf(stderr, "faults: redis-server missing; skipping the Redis kill test\n");
        return;
    }
    int port = harness_free_port();
    char log[64], url[64];
    snprintf(log, sizeof log, "/tmp/oq-faults-redis-%d.log", (int)getpid());
    snprintf(url, sizeof url, "redis://127.0.0.1:%d/0", port);
    pid_t redis = redis_start(port, log);
    struct harness_daemon d;
    harness_daemon_start(
        &d, harness_db(),
        (const char *const[]){"--redis-url", url, "--no-jobs", "--health-probe-s", "1", NULL});
    ck_assert_msg(cache_becomes(&d, KPIS, "HIT"), "expected KPIs to be cached (HIT) at first");

    struct load_run run;
    load_start(&run, &d, LOAD_MIXED);
    harness_sleep_ms(500);
    kill(redis, SIGKILL);
    waitpid(redis, NULL, 0);
    /* Past L1's 2 s the reads go to Redis, which is gone: BYPASS. */
    double killed = harness_now_ms();
    ck_assert_msg(cache_becomes(&d, KPIS, "BYPASS"), "expected BYPASS while Redis is dead");
    double bypass_ms = harness_now_ms() - killed;
    harness_sleep_ms(1000);
    redis = redis_start(port, log);
    double restarted = harness_now_ms();
    bool hit = cache_becomes(&d, KPIS, "HIT");
    fprintf(stderr, "faults: Redis killed: BYPASS after %.0f ms, HIT %.0f ms after the restart\n",
            bypass_ms, harness_now_ms() - restarted);
    harness_sleep_ms(500);
    load_stop(&run);
    kill(redis, SIGTERM);
    waitpid(redis, NULL, 0);
    unlink(log);

    fprintf(stderr, "faults: Redis kill under load: %ld requests, %ld failed\n",
            atomic_load(&run.l.requests), atomic_load(&run.l.failures));
    ck_assert_msg(hit, "expected HIT again once Redis is back, without a daemon restart");
    ck_assert_msg(atomic_load(&run.l.requests) > 20, "expected load, got %ld requests",
                  atomic_load(&run.l.requests));
    ck_assert_msg(atomic_load(&run.l.failures) == 0,
                  "expected no failed request across the Redis kill; %ld of %ld failed, first: %s",
                  atomic_load(&run.l.failures), atomic_load(&run.l.requests), run.l.first_failure);
    harness_daemon_stop_clean(&d);
}
END_TEST

/* ---------------------------------------------------------------- PostgreSQL */

/* Unchecked teardown: whatever happened, bring PostgreSQL back. */
static void pg_restore(void)
{
    harness_service_try("start", "pg");
}

static long ready_status(const struct harness_daemon *d)
{
    struct harness_resp r;
    long st = harness_http_timeout(d, "GET", "/health/ready", NULL, NULL, &r, 3000);
    harness_resp_free(&r);
    return st;
}

/* Connections of the daemon (application_name onquotad*) to the scratch database. */
static long daemon_connections(void)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
             " AND application_name LIKE 'onquotad%%' AND pid <> pg_backend_pid()");
    return harness_sql_long(sql);
}

#define PG_WORKERS 3

START_TEST(postgres_stopped_under_load)
{
    struct harness_daemon d;
    harness_daemon_start(&d, harness_db(),
                         (const char *const[]){"--no-jobs", "--health-probe-s", "1", "--db-workers",
                                               "3", "--cache-ttl-kpis", "600", NULL});
    ck_assert_msg(cache_becomes(&d, KPIS, "HIT"), "expected KPIs to be cached (HIT) at first");
    struct load_run run;
    load_start(&run, &d, LOAD_MIXED);
    harness_sleep_ms(1000);
    load_stop(&run);
    ck_assert_msg(run.l.failures == 0, "expected no failure before the outage: %s",
                  run.l.first_failure);
    long before = daemon_connections();

    load_start(&run, &d, LOAD_OUTAGE);
    harness_sleep_ms(300);
    harness_service("stop", "pg");
    double stopped = harness_now_ms();
    long ready = 0;
    for (double end = stopped + 5000; harness_now_ms() < end && ready != 503; harness_sleep_ms(200))
        ready = ready_status(&d);
    harness_sleep_ms(1500);
    load_stop(&run);
    long cached_ok = run.l.cached_ok, uncached_503 = run.l.uncached_503;
    long failures = run.l.failures;
    double worst_503 = run.l.worst_503_ms;
    fprintf(stderr,
            "faults: PostgreSQL down: %ld cached 200s, %ld uncached JSON 503s (slowest %.0f ms),"
            " /health/ready %ld\n",
            cached_ok, uncached_503, worst_503, ready);
    char first[512];
    snprintf(first, sizeof first, "%s", run.l.first_failure);

    harness_service("start", "pg");
    bool back = false;
    for (double end = harness_now_ms() + 15000; !back && harness_now_ms() < end;
         harness_sleep_ms(200)) {
        struct harness_resp r;
        back = harness_get(&d, CLIENTS, token, &r) == 200;
        harness_resp_free(&r);
    }
    ck_assert_msg(ready == 503, "expected /health/ready 503 while PostgreSQL is down, got %ld",
                  ready);
    ck_assert_msg(failures == 0,
                  "expected cached reads 200 and uncached ones 200 or a JSON 503 within %.0f ms;"
                  " %ld failed, first: %s",
                  UNCACHED_503_MS, failures, first);
    ck_assert_msg(cached_ok > 0 && uncached_503 > 0,
                  "expected cached 200s (%ld) and uncached 503s (%ld) during the outage", cached_ok,
                  uncached_503);
    ck_assert_msg(back, "expected uncached reads to succeed again without a daemon restart");

    /* Everything works again, and the pool holds no more connections than
     * before the outage. */
    load_start(&run, &d, LOAD_MIXED);
    harness_sleep_ms(1500);
    load_stop(&run);
    ck_assert_msg(run.l.failures == 0, "expected no failure after PostgreSQL returned: %s",
                  run.l.first_failure);
    ck_assert_int_eq(ready_status(&d), 200);
    long after = daemon_connections();
    fprintf(stderr, "faults: daemon connections to PostgreSQL: %ld before the outage, %ld after\n",
            before, after);
    ck_assert_msg(after <= before && after <= PG_WORKERS + 2,
                  "expected no leaked connections: %ld before the outage, %ld after (workers %d)",
                  before, after, PG_WORKERS);
    harness_daemon_stop_clean(&d);
}
END_TEST

/* ---------------------------------------------------------------- connection flood */

#define FLOOD_MAX_CONNECTIONS "64"
#define FLOOD_EXTRA 300
#define FLOOD_RSS_LIMIT_KB (64L * 1024)

/* VmRSS of pid in KiB, or -1. */
static long rss_kb(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    long kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "VmRSS:", 6))
            kb = strtol(line + 6, NULL, 10);
    if (f)
        fclose(f);
    return kb;
}

/* True when pid maps the AddressSanitizer runtime (its shadow memory makes
 * RSS meaningless against a plain limit). */
static bool sanitized(pid_t pid)
{
    char path[64], line[512];
    snprintf(path, sizeof path, "/proc/%d/maps", (int)pid);
    FILE *f = fopen(path, "r");
    bool asan = false;
    while (f && !asan && fgets(line, sizeof line, f))
        asan = strstr(line, "libasan") != NULL;
    if (f)
        fclose(f);
    return asan;
}

/* A non-blocking connect to 127.0.0.1:port (it may wait in the backlog). */
static int connect_nb(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0 && errno != EINPROGRESS) {
        close(fd);
        return -1;
    }
    return fd;
}

/* One keep-alive request on fd; the status, or a negative value. */
static int live_on(int fd, double *ms)
{
    static const char req[] = "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n";
    char buf[4096];
    double t0 = harness_now_ms();
    if (harness_send_all(fd, req, sizeof req - 1) != 0)
        return -1;
    long n = harness_recv_response(fd, buf, sizeof buf, 5000);
    *ms = harness_now_ms() - t0;
    return n > 0 ? harness_raw_status(buf) : (int)n - 10;
}

START_TEST(connection_flood)
{
    struct harness_daemon d;
    harness_daemon_start(&d, harness_db(),
                         (const char *const[]){"--max-connections", FLOOD_MAX_CONNECTIONS,
                                               "--no-jobs", "--idle-timeout-s", "60", NULL});
    int kept = harness_connect(d.port);
    ck_assert_int_ge(kept, 0);
    double ms;
    ck_assert_int_eq(live_on(kept, &ms), 200);

    int flood[FLOOD_EXTRA];
    int opened = 0;
    for (int i = 0; i < FLOOD_EXTRA; i++)
        if ((flood[i] = connect_nb(d.port)) >= 0)
            opened++;
    ck_assert_msg(opened == FLOOD_EXTRA, "could open only %d of %d connections", opened,
                  FLOOD_EXTRA);
    harness_sleep_ms(500);
    /* The connection already open keeps its service. */
    double worst = 0;
    for (int i = 0; i < 20; i++) {
        int st = live_on(kept, &ms);
        ck_assert_msg(st == 200, "expected 200 on the open connection during the flood, got %d",
                      st);
        worst = ms > worst ? ms : worst;
    }
    ck_assert_msg(worst < 1000, "expected the open connection to answer within 1 s, worst %.0f ms",
                  worst);
    long rss = rss_kb(d.pid);
    bool asan = sanitized(d.pid);
    for (int i = 0; i < FLOOD_EXTRA; i++)
        if (flood[i] >= 0)
            close(flood[i]);

    /* New connections are accepted again once the flood is gone. */
    bool accepted = false;
    for (double end = harness_now_ms() + 10000; !accepted && harness_now_ms() < end;
         harness_sleep_ms(200)) {
        int fd = harness_connect(d.port);
        accepted = fd >= 0 && live_on(fd, &ms) == 200;
        if (fd >= 0)
            close(fd);
    }
    ck_assert_msg(accepted, "expected a new connection to be served after the flood");
    ck_assert_int_eq(live_on(kept, &ms), 200);
    close(kept);
    fprintf(stderr, "faults: flood of %d: open connection worst %.0f ms, RSS %ld KiB\n",
            FLOOD_EXTRA, worst, rss);
    if (asan)
        fprintf(stderr, "faults: RSS during the flood %ld KiB (ASan build: not held to %ld KiB)\n",
                rss, FLOOD_RSS_LIMIT_KB);
    else
        ck_assert_msg(rss > 0 && rss < FLOOD_RSS_LIMIT_KB,
                      "expected RSS under 64 MiB during the flood, got %ld KiB", rss);
    harness_daemon_stop_clean(&d);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("faults");
    TCase *tc = harness_tcase(s, "faults");
    tcase_add_test(tc, redis_killed_under_load);
    tcase_add_test(tc, connection_flood);
    TCase *pg = harness_tcase(s, "postgres");
    tcase_add_unchecked_fixture(pg, NULL, pg_restore);
    tcase_add_test(pg, postgres_stopped_under_load);
    return harness_main(s, "it_faults", setup);
}

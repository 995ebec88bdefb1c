/* Integration tests of the dashboard cache: hits, 304, invalidation, outages, stampedes. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#define KPIS "/api/v1/dashboard/kpis"
#define INVALIDATE "/api/v1/admin/cache/invalidate"

static char *token;
static struct harness_daemon A, B;

/* Seeds the demo data (scale 1) and keeps the admin's API token. */
static int setup(const char *db)
{
    char path[] = "/tmp/oq-cache-token-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    close(fd);
    const char *extra[] = {"--scale", "1", "--token-file", path, "--reset", NULL};
    int rc = harness_seed_demo(db, extra);
    FILE *f = fopen(path, "r");
    char line[128] = "";
    if (f && fgets(line, sizeof line, f))
        line[strcspn(line, "\n")] = '\0';
    if (f)
        fclose(f);
    unlink(path);
    token = strdup(line);
    return rc == 0 && strlen(token) == 46 ? 0 : -1;
}

/* No background jobs (the start-up warm-up would race with the tests' own
 * reads) and no periodic probe (its last_used_at batch is a statement). */
static const char *const quiet[] = {"--health-probe-s", "3600", "--no-jobs", NULL};

static void up(void)
{
    harness_daemon_start(&A, harness_db(), quiet);
    struct harness_resp r;
    harness_get(&A, "/api/v1/auth/me", token, &r); /* warm the token */
    harness_resp_free(&r);
}

static void down(void)
{
    harness_daemon_stop_clean(&A);
    harness_daemon_stop_clean(&B);
}

static void invalidate(const struct harness_daemon *d)
{
    struct harness_resp r;
    ck_assert_int_eq(harness_send(d, "POST", INVALIDATE, token, NULL, &r), 204);
    harness_resp_free(&r);
}

static const char *xcache(const struct harness_resp *r)
{
    const char *x = harness_header(r, "X-Cache");
    return x ? x : "(none)";
}

START_TEST(miss_then_hit)
{
    invalidate(&A);
    struct harness_resp r1, r2;
    ck_assert_int_eq(harness_get(&A, KPIS, token, &r1), 200);
    ck_assert_msg(!strcmp(xcache(&r1), "MISS"), "expected MISS first, got %s", xcache(&r1));
    ck_assert_msg(harness_server_timing_queries(&r1) == 1,
                  "expected exactly 1 SQL statement on a miss, got %d",
                  harness_server_timing_queries(&r1));
    ck_assert_int_eq(harness_get(&A, KPIS, token, &r2), 200);
    ck_assert_msg(!strcmp(xcache(&r2), "HIT"), "expected HIT second, got %s", xcache(&r2));
    ck_assert_msg(harness_server_timing_queries(&r2) == 0, "expected 0 SQL statements on a hit");
    ck_assert_str_eq(r1.body, r2.body);
    ck_assert_str_eq(harness_header(&r1, "ETag"), harness_header(&r2, "ETag"));
    ck_assert_str_eq(harness_header(&r2, "Vary"), "Accept-Language");
    ck_assert_msg(harness_header(&r2, "ETag")[0] == '"', "expected a strong, quoted ETag");
    harness_resp_free(&r1);
    harness_resp_free(&r2);
}
END_TEST

START_TEST(etag_gives_304)
{
    struct harness_resp r;
    ck_assert_int_eq(harness_get(&A, KPIS, token, &r), 200);
    char etag[64];
    snprintf(etag, sizeof etag, "If-None-Match: %s", harness_header(&r, "ETag"));
    harness_resp_free(&r);
    char auth[128];
    const char *hdrs[] = {harness_bearer(auth, sizeof auth, token), etag, NULL};
    ck_assert_int_eq(harness_http(&A, "GET", KPIS, hdrs, NULL, &r), 304);
    ck_assert_msg(r.body_len == 0, "expected no body on 304");
    ck_assert_int_eq(harness_server_timing_queries(&r), 0);
    harness_resp_free(&r);
    /* A tag that does not match gets the body. */
    const char *other[] = {auth, "If-None-Match: \"nope\"", NULL};
    ck_assert_int_eq(harness_http(&A, "GET", KPIS, other, NULL, &r), 200);
    harness_resp_free(&r);
}
END_TEST

START_TEST(language_is_part_of_the_key)
{
    char auth[128];
    struct harness_resp es, en;
    const char *hdrs[] = {harness_bearer(auth, sizeof auth, token), "Accept-Language: en-US", NULL};
    ck_assert_int_eq(harness_get(&A, KPIS, token, &es), 200);
    ck_assert_int_eq(harness_http(&A, "GET", KPIS, hdrs, NULL, &en), 200);
    ck_assert_msg(strstr(es.body, "Ventas del Mes") && strstr(en.body, "Revenue this month"),
                  "expected Spanish titles by default and English ones for en-US");
    ck_assert_str_ne(harness_header(&es, "ETag"), harness_header(&en, "ETag"));
    harness_resp_free(&es);
    harness_resp_free(&en);
}
END_TEST

/* Invalidation makes the next read fresh: a new accepted quote today moves
 * the revenue KPI once the tenant is invalidated. */
START_TEST(invalidation_makes_reads_fresh)
{
    struct harness_resp r;
    ck_assert_int_eq(harness_get(&A, KPIS, token, &r), 200);
    char *before = cJSON_PrintUnformatted(cJSON_GetObjectItem(
        cJSON_GetObjectItem(harness_json(&r), "total_revenue"), "current_value"));
    harness_resp_free(&r);
    ck_assert_int_eq(
        harness_psql(harness_db(),
                     "INSERT INTO quotes (tenant_id, client_id, sales_rep_id, quote_number,"
                     " total_amount, status, valid_until, accepted_at)"
                     " SELECT c.tenant_id, c.id, u.id, 'Q-TEST-CACHE', 1234.56, 'accepted',"
                     " current_date + 30, now() FROM clients c JOIN users u"
                     " ON u.tenant_id = c.tenant_id AND u.email = 'admin@acme.example'"
                     " WHERE NOT c.is_deleted ORDER BY c.created_at LIMIT 1"),
        0);
    ck_assert_int_eq(harness_get(&A, KPIS, token, &r), 200);
    ck_assert_msg(!strcmp(xcache(&r), "HIT"), "expected the stale HIT before invalidation");
    harness_resp_free(&r);
    invalidate(&A);
    ck_assert_int_eq(harness_get(&A, KPIS, token, &r), 200);
    ck_assert_msg(!strcmp(xcache(&r), "MISS"), "expected MISS after invalidation, got %s",
                  xcache(&r));
    char *after = cJSON_PrintUnformatted(cJSON_GetObjectItem(
        cJSON_GetObjectItem(harness_json(&r), "total_revenue"), "current_value"));
    ck_assert_msg(strcmp(before, after), "expected total_revenue to change (was %s)", before);
    free(before);
    free(after);
    harness_resp_free(&r);
    harness_psql(harness_db(), "DELETE FROM quotes WHERE quote_number = 'Q-TEST-CACHE'");
    invalidate(&A);
}
END_TEST

START_TEST(invalidation_crosses_instances)
{
    harness_daemon_start(&B, harness_db(), quiet);
    struct harness_resp r;
    harness_get(&B, KPIS, token, &r);
    harness_resp_free(&r);
    ck_assert_int_eq(harness_get(&B, KPIS, token, &r), 200);
    ck_assert_msg(!strcmp(xcache(&r), "HIT"), "expected B warm, got %s", xcache(&r));
    harness_resp_free(&r);
    invalidate(&A);
    double t0 = harness_now_ms();
    bool fresh = false;
    while (!fresh && harness_now_ms() - t0 < 100) {
        harness_get(&B, KPIS, token, &r);
        fresh = strcmp(xcache(&r), "HIT") != 0;
        harness_resp_free(&r);
    }
    ck_assert_msg(fresh, "expected B to see A's invalidation within 100 ms");
}
END_TEST

START_TEST(redis_down_bypasses_then_recovers)
{
    struct harness_resp r;
    ck_assert_int_eq(harness_get(&A, KPIS, token, &r), 200);
    char *warm = strdup(r.body);
    harness_resp_free(&r);
    harness_service("stop", "redis");
    harness_sleep_ms(2100); /* past L1's 2 s */
    ck_assert_int_eq(harness_get(&A, KPIS, token, &r), 200);
    ck_assert_msg(!strcmp(xcache(&r), "BYPASS"), "expected BYPASS with Redis down, got %s",
                  xcache(&r));
    ck_assert_msg(!strcmp(r.body, warm), "expected the same, correct data while bypassing");
    ck_assert_msg(r.ms < 1000, "expected no Redis timeout stall, took %.0f ms", r.ms);
    harness_resp_free(&r);
    harness_service("start", "redis");
    bool hit = false;
    double t0 = harness_now_ms();
    while (!hit && harness_now_ms() - t0 < 10000) {
        harness_get(&A, KPIS, token, &r);
        hit = !strcmp(xcache(&r), "HIT");
        harness_resp_free(&r);
        harness_sleep_ms(100);
    }
    ck_assert_msg(hit, "expected HIT again once Redis is back, without a restart");
    free(warm);
}
END_TEST

START_TEST(postgres_down_serves_stale)
{
    harness_daemon_stop_clean(&A);
    static const char *const short_ttl[] = {"--health-probe-s", "3600", "--no-jobs",
                                            "--cache-ttl-kpis", "1",    NULL};
    harness_daemon_start(&A, harness_db(), short_ttl);
    struct harness_resp r;
    harness_get(&A, "/api/v1/auth/me", token, &r);
    harness_resp_free(&r);
    invalidate(&A);
    ck_assert_int_eq(harness_get(&A, KPIS, token, &r), 200);
    char *warm = strdup(r.body);
    harness_resp_free(&r);
    harness_sleep_ms(1300); /* expired in L1 and L2, still kept for stale-if-error */
    harness_service("stop", "pg");
    long st = harness_get(&A, KPIS, token, &r);
    bool stale = st == 200 && !strcmp(xcache(&r), "STALE") && !strcmp(r.body, warm);
    char got[64];
    snprintf(got, sizeof got, "%ld %s", st, xcache(&r));
    harness_resp_free(&r);
    harness_service("start", "pg");
    free(warm);
    ck_assert_msg(stale, "expected 200 STALE with the warm body while PostgreSQL is down, got %s",
                  got);
}
END_TEST

struct get_job {
    struct harness_resp r;
};

static void *get_kpis(void *arg)
{
    struct get_job *j = arg;
    harness_get(&A, KPIS, token, &j->r);
    return NULL;
}

static void *get_other_day(void *arg)
{
    struct get_job *j = arg;
    harness_get(&A, KPIS "?as_of=2025-06-15", token, &j->r);
    return NULL;
}

/* 50 concurrent requests on a cold key send one statement. */
START_TEST(stampede_sends_one_statement)
{
    invalidate(&A);
    /* Hold the first computation behind a lock until all 50 have arrived. */
    PGconn *lock = harness_pg_connect(harness_db());
    /* kpis reads the rollups (004_rollups.sql), not quotes itself. */
    ck_assert_int_eq(harness_pg_exec(lock, "BEGIN; LOCK TABLE quotes, rollup.quotes_daily,"
                                           " rollup.quotes_monthly IN ACCESS EXCLUSIVE MODE"),
                     0);
    enum { N = 50 };
    pthread_t th[N];
    struct get_job *jobs = calloc(N, sizeof *jobs);
    for (int i = 0; i < N; i++)
        pthread_create(&th[i], NULL, get_kpis, &jobs[i]);
    bool held = harness_pg_wait_blocked(harness_db(), 1, 3000);
    harness_sleep_ms(300);
    harness_pg_exec(lock, "COMMIT");
    PQfinish(lock);
    ck_assert_msg(held, "expected the first computation to wait for the lock");
    int statements = 0, misses = 0;
    for (int i = 0; i < N; i++) {
        pthread_join(th[i], NULL);
        ck_assert_int_eq(jobs[i].r.status, 200);
        statements += harness_server_timing_queries(&jobs[i].r);
        misses += !strcmp(xcache(&jobs[i].r), "MISS");
        harness_resp_free(&jobs[i].r);
    }
    free(jobs);
    ck_assert_msg(statements == 1 && misses == 1,
                  "expected 1 statement and 1 MISS for 50 concurrent cold requests, got %d and %d",
                  statements, misses);
}
END_TEST

/* L1 hits answer on the I/O thread: with the only worker stuck behind a
 * table lock, a warm key still answers at once. */
START_TEST(hits_do_not_wait_for_a_blocked_database)
{
    harness_daemon_stop_clean(&A);
    static const char *const one_worker[] = {"--health-probe-s", "3600", "--no-jobs",
                                             "--db-workers",     "1",    NULL};
    harness_daemon_start(&A, harness_db(), one_worker);
    struct harness_resp r;
    harness_get(&A, "/api/v1/auth/me", token, &r);
    harness_resp_free(&r);
    harness_get(&A, KPIS, token, &r);
    harness_resp_free(&r);
    PGconn *lock = harness_pg_connect(harness_db());
    /* kpis reads the rollups (004_rollups.sql), not quotes itself. */
    ck_assert_int_eq(harness_pg_exec(lock, "BEGIN; LOCK TABLE quotes, rollup.quotes_daily,"
                                           " rollup.quotes_monthly IN ACCESS EXCLUSIVE MODE"),
                     0);
    /* Occupy the worker: a different as_of misses and blocks on the lock. */
    pthread_t th;
    struct get_job blocked = {0};
    pthread_create(&th, NULL, get_other_day, &blocked);
    bool stuck = harness_pg_wait_blocked(harness_db(), 1, 1000);
    bool fast = true;
    for (int i = 0; i < 3 && fast; i++) { /* all within L1's 2 s */
        harness_get(&A, KPIS, token, &r);
        fast = r.status == 200 && !strcmp(xcache(&r), "HIT") && r.ms < 200;
        harness_resp_free(&r);
        harness_sleep_ms(100);
    }
    harness_pg_exec(lock, "COMMIT");
    PQfinish(lock);
    pthread_join(th, NULL);
    harness_resp_free(&blocked.r);
    ck_assert_msg(stuck, "expected the only worker to block on the quotes and rollup locks");
    ck_assert_msg(fast, "expected L1 hits within 200 ms while the database is locked");
}
END_TEST

/* Hits, misses and invalidations show in the admin stats and in /metrics;
 * only admins may read or drop them. */
START_TEST(stats_and_metrics)
{
    invalidate(&A);
    struct harness_resp r;
    for (int i = 0; i < 3; i++) {
        harness_get(&A, KPIS, token, &r);
        harness_resp_free(&r);
    }
    ck_assert_int_eq(harness_get(&A, "/api/v1/admin/cache/stats", token, &r), 200);
    cJSON *j = harness_json(&r);
    static const char *const fields[] = {"hits",   "misses",      "stale",
                                         "bypass", "hit_rate",    "invalidations",
                                         "keys",   "memory_used", "l1_entries"};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        ck_assert_msg(cJSON_GetObjectItem(j, fields[i]), "expected stats field %s", fields[i]);
    ck_assert_msg(cJSON_GetNumberValue(cJSON_GetObjectItem(j, "hits")) >= 2 &&
                      cJSON_GetNumberValue(cJSON_GetObjectItem(j, "misses")) >= 1 &&
                      cJSON_GetNumberValue(cJSON_GetObjectItem(j, "invalidations")) >= 1 &&
                      cJSON_GetNumberValue(cJSON_GetObjectItem(j, "l1_entries")) >= 1,
                  "expected counted hits, misses, invalidations and L1 entries: %s", r.body);
    harness_resp_free(&r);
    ck_assert_int_eq(harness_get(&A, "/metrics", NULL, &r), 200);
    ck_assert_msg(strstr(r.body, "onquota_cache_requests_total{result=\"hit\"}") &&
                      strstr(r.body, "onquota_cache_invalidations_total"),
                  "expected the cache series in /metrics");
    ck_assert_msg(!strstr(r.body, "onquota_cache_requests_total{result=\"hit\"} 0\n"),
                  "expected a non-zero hit count in /metrics");
    harness_resp_free(&r);
    /* An analyst reads dashboards but may not administer the cache. */
    char *analyst = harness_token_create(harness_db(), "analyst@acme.example", "t", 1);
    ck_assert_ptr_nonnull(analyst);
    ck_assert_int_eq(harness_get(&A, KPIS, analyst, &r), 200);
    harness_resp_free(&r);
    ck_assert_int_eq(harness_get(&A, "/api/v1/admin/cache/stats", analyst, &r), 403);
    harness_resp_free(&r);
    ck_assert_int_eq(harness_send(&A, "POST", INVALIDATE, analyst, NULL, &r), 403);
    harness_resp_free(&r);
    free(analyst);
}
END_TEST

/* At start the daemon computes every active tenant's KPIs, so the first
 * read is already a hit. */
START_TEST(warmup_at_start)
{
    invalidate(&A);
    static const char *const verbose[] = {"--log-level", "info", NULL};
    harness_daemon_start(&B, harness_db(), verbose); /* jobs on: warm-up runs */
    bool warmed = false;
    for (int i = 0; i < 100 && !warmed; i++) {
        char *log = harness_daemon_log(&B);
        warmed = log && strstr(log, "cache warm-up: 2 of 2 tenant(s)");
        free(log);
        if (!warmed)
            harness_sleep_ms(50);
    }
    ck_assert_msg(warmed, "expected the warm-up log line for both demo tenants");
    struct harness_resp r;
    ck_assert_int_eq(harness_get(&B, KPIS, token, &r), 200);
    ck_assert_msg(!strcmp(xcache(&r), "HIT"),
                  "expected the first read after warm-up to HIT, got %s", xcache(&r));
    harness_resp_free(&r);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cache");
    TCase *tc = harness_tcase(s, "cache");
    tcase_add_checked_fixture(tc, up, down);
    tcase_add_test(tc, miss_then_hit);
    tcase_add_test(tc, etag_gives_304);
    tcase_add_test(tc, language_is_part_of_the_key);
    tcase_add_test(tc, invalidation_makes_reads_fresh);
    tcase_add_test(tc, invalidation_crosses_instances);
    tcase_add_test(tc, stampede_sends_one_statement);
    tcase_add_test(tc, warmup_at_start);
    tcase_add_test(tc, stats_and_metrics);
    tcase_add_test(tc, hits_do_not_wait_for_a_blocked_database);
    tcase_add_test(tc, redis_down_bypasses_then_recovers);
    tcase_add_test(tc, postgres_down_serves_stale);
    return harness_main(s, "it_cache", setup);
}

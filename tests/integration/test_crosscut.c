/* Integration tests of rate limits, login throttling, idempotency, CORS and background jobs. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#define ME "/api/v1/auth/me"
#define KPIS "/api/v1/dashboard/kpis"
#define CLIENTS "/api/v1/clients"
#define LOGIN "/api/v1/auth/login"
#define DEAD_REDIS "redis://127.0.0.1:1/0" /* nothing listens there */
#define PASSWORD "right-password-1"
#define WARN_CACHE "199 - \"Idempotency-Key ignored: cache unavailable\""

#define NTOK 8
static char *tok[NTOK]; /* API tokens of admin@acme.example, one per purpose */
static struct harness_daemon A, B;

/* ------------------------------------------------------------ helpers */

#define FLAGS(...) ((const char *const[]){__VA_ARGS__, NULL})

static void down(void)
{
    harness_daemon_stop_clean(&A);
    harness_daemon_stop_clean(&B);
}

/* The value of one series of d's /metrics ("name{labels}"), 0 when absent. */
static long metric(const struct harness_daemon *d, const char *series)
{
    struct harness_resp r;
    ck_assert_int_eq(harness_get(d, "/metrics", NULL, &r), 200);
    long v = 0;
    for (const char *p = r.body; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        if (!strncmp(p, series, strlen(series)) && p[strlen(series)] == ' ')
            v = atol(p + strlen(series) + 1);
    harness_resp_free(&r);
    return v;
}

static long status_of(const struct harness_daemon *d, const char *method, const char *path,
                      const char *token, const char *body)
{
    struct harness_resp r;
    long st = harness_send(d, method, path, token, body, &r);
    harness_resp_free(&r);
    return st;
}

/* Sends n GETs of path; returns how many answered 200, and fails on
 * anything but 200 or 429. */
static int count_ok(const struct harness_daemon *d, const char *path, const char *token, int n)
{
    int ok = 0;
    for (int i = 0; i < n; i++) {
        long st = status_of(d, "GET", path, token, NULL);
        ck_assert_msg(st == 200 || st == 429, "expected 200 or 429 from %s, got %ld", path, st);
        ok += st == 200;
    }
    return ok;
}

static long login(const struct harness_daemon *d, const char *email, const char *password)
{
    char body[256];
    snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"%s\"}", email, password);
    return status_of(d, "POST", LOGIN, NULL, body);
}

/* ------------------------------------------------------------ rate limits */

START_TEST(rate_limit_per_token)
{
    harness_daemon_start(&A, harness_db(), FLAGS("--rate-limit-per-token", "1/5"));
    ck_assert_int_eq(count_ok(&A, ME, tok[0], 5), 5);
    struct harness_resp r;
    ck_assert_int_eq(harness_get(&A, ME, tok[0], &r), 429);
    const char *ra = harness_header(&r, "Retry-After");
    ck_assert_msg(ra && atoi(ra) >= 1, "expected Retry-After >= 1 on 429, got %s", ra);
    ck_assert_msg(harness_detail_is(&r, NULL), "expected a JSON detail on 429: %s", r.body);
    harness_resp_free(&r);
    ck_assert_msg(status_of(&A, "GET", ME, tok[1], NULL) == 200,
                  "expected another token to keep its own bucket");
    ck_assert_msg(count_ok(&A, "/health/live", NULL, 20) == 20, "expected public routes unlimited");
}
END_TEST

/* L1 hits are answered on the I/O thread: the limit applies there too. */
START_TEST(rate_limit_on_cache_hits)
{
    harness_daemon_start(&A, harness_db(), FLAGS("--rate-limit-per-token", "1/5", "--no-jobs"));
    ck_assert_int_eq(count_ok(&A, KPIS, tok[2], 5), 5);
    struct harness_resp r;
    ck_assert_int_eq(harness_get(&A, KPIS, tok[2], &r), 429);
    ck_assert_int_eq(harness_server_timing_queries(&r), 0);
    ck_assert_ptr_nonnull(harness_header(&r, "Retry-After"));
    harness_resp_free(&r);
}
END_TEST

/* With rate_limit_shared, use on one instance empties the bucket on the
 * other within a sync period (100 ms). */
START_TEST(rate_limit_shared_across_instances)
{
    const char *const *flags = FLAGS("--rate-limit-per-token", "1/10", "--rate-limit-shared");
    harness_daemon_start(&A, harness_db(), flags);
    harness_daemon_start(&B, harness_db(), flags);
    ck_assert_int_eq(count_ok(&A, ME, tok[3], 6), 6);
    harness_sleep_ms(300); /* A reports its 6 */
    ck_assert_int_eq(count_ok(&B, ME, tok[3], 1), 1);
    harness_sleep_ms(300); /* B learns the fleet's bucket */
    int ok = count_ok(&B, ME, tok[3], 8);
    ck_assert_msg(ok <= 5, "expected B to allow about 3 of 8 after A used 6 of 10, allowed %d", ok);
}
END_TEST

START_TEST(rate_limit_local_when_redis_down)
{
    harness_daemon_start(
        &A, harness_db(),
        FLAGS("--redis-url", DEAD_REDIS, "--rate-limit-per-token", "1/3", "--rate-limit-shared"));
    ck_assert_int_eq(count_ok(&A, ME, tok[4], 4), 3);
}
END_TEST

/* ------------------------------------------------------------ login throttle */

/* First of the login tests: the per-address count is the fleet's. */
START_TEST(login_throttle_per_address_across_instances)
{
    const char *const *flags = FLAGS("--login-throttle", "100/6");
    harness_daemon_start(&A, harness_db(), flags);
    harness_daemon_start(&B, harness_db(), flags);
    char email[64];
    for (int i = 0; i < 6; i++) {
        snprintf(email, sizeof email, "nobody%d@acme.test", i);
        ck_assert_int_eq(login(i % 2 ? &B : &A, email, "wrong-password"), 401);
    }
    ck_assert_msg(login(&A, "t-addr@acme.test", PASSWORD) == 429,
                  "expected the 7th attempt from one address (3 failures on each instance) "
                  "to answer 429");
}
END_TEST

START_TEST(login_throttle_per_email_across_instances)
{
    const char *const *flags = FLAGS("--login-throttle", "10/1000");
    harness_daemon_start(&A, harness_db(), flags);
    harness_daemon_start(&B, harness_db(), flags);
    for (int i = 0; i < 12; i++)
        ck_assert_msg(login(&A, "t-ok@acme.test", PASSWORD) == 200,
                      "expected successful logins not to count (login %d)", i + 1);
    for (int i = 0; i < 10; i++)
        ck_assert_int_eq(login(i % 2 ? &B : &A, "t-email@acme.test", "wrong-password"), 401);
    struct harness_resp r;
    ck_assert_int_eq(harness_send(&A, "POST", LOGIN, NULL,
                                  "{\"email\":\"t-email@acme.test\",\"password\":\"" PASSWORD "\"}",
                                  &r),
                     429);
    ck_assert_ptr_nonnull(harness_header(&r, "Retry-After"));
    harness_resp_free(&r);
    ck_assert_int_eq(login(&B, "T-Email@acme.test", PASSWORD), 429);
}
END_TEST

START_TEST(login_throttle_local_when_redis_down)
{
    harness_daemon_start(&A, harness_db(),
                         FLAGS("--redis-url", DEAD_REDIS, "--login-throttle", "3/1000"));
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(login(&A, "t-down@acme.test", "wrong-password"), 401);
    ck_assert_int_eq(login(&A, "t-down@acme.test", PASSWORD), 429);
}
END_TEST

/* ------------------------------------------------------------ Idempotency-Key */

static long post_keyed(const struct harness_daemon *d, const char *token, const char *key,
                       const char *body, struct harness_resp *r)
{
    char auth[128], idem[128];
    snprintf(idem, sizeof idem, "Idempotency-Key: %s", key);
    const char *hdrs[] = {harness_bearer(auth, sizeof auth, token), idem, NULL};
    return harness_http(d, "POST", CLIENTS, hdrs, body, r);
}

static long clients_named(const char *name)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM clients WHERE name = '%s'", name);
    return harness_sql_long(sql);
}

START_TEST(idempotency_replays_the_first_answer)
{
    harness_daemon_start(&A, harness_db(), NULL);
    const char *body = "{\"name\":\"Idem One\"}";
    struct harness_resp r1, r2, r3;
    ck_assert_int_eq(post_keyed(&A, tok[5], "key-1", body, &r1), 201);
    ck_assert_int_eq(post_keyed(&A, tok[5], "key-1", body, &r2), 201);
    ck_assert_str_eq(r1.body, r2.body);
    ck_assert_str_eq(harness_header(&r1, "Location"), harness_header(&r2, "Location"));
    ck_assert_msg(harness_header(&r2, "Idempotent-Replayed"), "expected the replay to say so");
    ck_assert_msg(harness_server_timing_queries(&r2) == 0, "expected no SQL for a replay, got %d",
                  harness_server_timing_queries(&r2));
    ck_assert_int_eq(clients_named("Idem One"), 1);
    /* The same key with another body. */
    ck_assert_int_eq(post_keyed(&A, tok[5], "key-1", "{\"name\":\"Idem Two\"}", &r3), 422);
    ck_assert_msg(harness_detail_has_loc(&r3, "header.Idempotency-Key"), "got %s", r3.body);
    ck_assert_int_eq(clients_named("Idem Two"), 0);
    harness_resp_free(&r1);
    harness_resp_free(&r2);
    harness_resp_free(&r3);
    /* Keys belong to a token; a key over 64 characters is refused. */
    ck_assert_int_eq(post_keyed(&A, tok[6], "key-1", body, &r1), 201);
    ck_assert_int_eq(clients_named("Idem One"), 2);
    char longkey[80];
    memset(longkey, 'k', 65);
    longkey[65] = '\0';
    ck_assert_int_eq(post_keyed(&A, tok[5], longkey, body, &r2), 422);
    harness_resp_free(&r1);
    harness_resp_free(&r2);
    /* An answer carrying a secret is never stored: the key is ignored. */
    char auth[128];
    const char *hdrs[] = {harness_bearer(auth, sizeof auth, tok[5]), "Idempotency-Key: key-2",
                          NULL};
    for (int i = 0; i < 2; i++) {
        ck_assert_int_eq(
            harness_http(&A, "POST", "/api/v1/auth/tokens", hdrs, "{\"name\":\"idem\"}", &r1), 201);
        ck_assert_ptr_nonnull(strstr(harness_header(&r1, "Warning"), "secret"));
        harness_resp_free(&r1);
    }
}
END_TEST

struct racer {
    long status;
    char *body;
};

static void *race(void *arg)
{
    struct racer *x = arg;
    struct harness_resp r;
    x->status = post_keyed(&A, tok[5], "key-race", "{\"name\":\"Idem Race\"}", &r);
    x->body = strdup(r.body ? r.body : "");
    harness_resp_free(&r);
    return NULL;
}

START_TEST(idempotency_concurrent_retries)
{
    harness_daemon_start(&A, harness_db(), NULL);
    enum { N = 6 };
    pthread_t th[N];
    struct racer x[N] = {0};
    for (int i = 0; i < N; i++)
        pthread_create(&th[i], NULL, race, &x[i]);
    for (int i = 0; i < N; i++)
        pthread_join(th[i], NULL);
    const char *first = NULL;
    for (int i = 0; i < N; i++) {
        ck_assert_msg(x[i].status == 201 || x[i].status == 409,
                      "expected 201 or 409 from a concurrent retry, got %ld", x[i].status);
        if (x[i].status == 201 && !first)
            first = x[i].body;
        else if (x[i].status == 201)
            ck_assert_str_eq(first, x[i].body);
    }
    ck_assert_msg(first, "expected one retry to succeed");
    ck_assert_int_eq(clients_named("Idem Race"), 1);
    for (int i = 0; i < N; i++)
        free(x[i].body);
}
END_TEST

START_TEST(idempotency_ignored_when_redis_down)
{
    harness_daemon_start(&A, harness_db(), FLAGS("--redis-url", DEAD_REDIS));
    for (int i = 0; i < 2; i++) {
        struct harness_resp r;
        ck_assert_int_eq(post_keyed(&A, tok[7], "key-down", "{\"name\":\"Idem Down\"}", &r), 201);
        const char *w = harness_header(&r, "Warning");
        ck_assert_msg(w && !strcmp(w, WARN_CACHE), "expected the Warning header, got %s", w);
        harness_resp_free(&r);
    }
    ck_assert_int_eq(clients_named("Idem Down"), 2);
}
END_TEST

/* ------------------------------------------------------------ CORS */

static long with_origin(const char *method, const char *path, const char *origin,
                        struct harness_resp *r)
{
    char auth[128], o[128];
    snprintf(o, sizeof o, "Origin: %s", origin);
    const char *hdrs[] = {harness_bearer(auth, sizeof auth, tok[0]), o, NULL};
    return harness_http(&A, method, path, hdrs, NULL, r);
}

START_TEST(cors_off_by_default)
{
    harness_daemon_start(&A, harness_db(), NULL);
    struct harness_resp r;
    ck_assert_int_eq(with_origin("OPTIONS", CLIENTS, "https://app.example", &r), 204);
    ck_assert_str_eq(harness_header(&r, "Allow"), "GET, HEAD, POST, OPTIONS");
    ck_assert_ptr_null(harness_header(&r, "Access-Control-Allow-Methods"));
    harness_resp_free(&r);
    ck_assert_int_eq(with_origin("GET", ME, "https://app.example", &r), 200);
    ck_assert_ptr_null(harness_header(&r, "Access-Control-Allow-Origin"));
    ck_assert_ptr_null(harness_header(&r, "Vary"));
    harness_resp_free(&r);
}
END_TEST

START_TEST(cors_allowed_origins)
{
    harness_daemon_start(&A, harness_db(),
                         FLAGS("--cors-origins", "https://app.example, http://localhost:3000"));
    struct harness_resp r;
    ck_assert_int_eq(with_origin("GET", ME, "https://app.example", &r), 200);
    ck_assert_str_eq(harness_header(&r, "Access-Control-Allow-Origin"), "https://app.example");
    ck_assert_str_eq(harness_header(&r, "Vary"), "Origin");
    ck_assert_ptr_nonnull(
        strstr(harness_header(&r, "Access-Control-Expose-Headers"), "Server-Timing"));
    harness_resp_free(&r);
    ck_assert_int_eq(with_origin("GET", ME, "http://localhost:3000", &r), 200);
    ck_assert_str_eq(harness_header(&r, "Access-Control-Allow-Origin"), "http://localhost:3000");
    harness_resp_free(&r);
    ck_assert_int_eq(with_origin("GET", ME, "https://evil.example", &r), 200);
    ck_assert_ptr_null(harness_header(&r, "Access-Control-Allow-Origin"));
    ck_assert_str_eq(harness_header(&r, "Vary"), "Origin");
    harness_resp_free(&r);
    ck_assert_int_eq(with_origin("GET", KPIS, "https://app.example", &r), 200);
    ck_assert_str_eq(harness_header(&r, "Vary"), "Accept-Language, Origin");
    harness_resp_free(&r);
    /* Preflights. */
    ck_assert_int_eq(with_origin("OPTIONS", CLIENTS, "https://app.example", &r), 204);
    ck_assert_str_eq(harness_header(&r, "Access-Control-Allow-Methods"), "GET, POST");
    ck_assert_str_eq(harness_header(&r, "Access-Control-Allow-Origin"), "https://app.example");
    ck_assert_ptr_nonnull(
        strstr(harness_header(&r, "Access-Control-Allow-Headers"), "Idempotency-Key"));
    ck_assert_ptr_nonnull(harness_header(&r, "Access-Control-Max-Age"));
    harness_resp_free(&r);
    ck_assert_int_eq(with_origin("OPTIONS", CLIENTS "/00000000-0000-4000-8000-000000000001",
                                 "https://app.example", &r),
                     204);
    ck_assert_str_eq(harness_header(&r, "Access-Control-Allow-Methods"), "GET, PUT, DELETE");
    harness_resp_free(&r);
    ck_assert_int_eq(with_origin("OPTIONS", CLIENTS, "https://evil.example", &r), 204);
    ck_assert_ptr_null(harness_header(&r, "Access-Control-Allow-Methods"));
    harness_resp_free(&r);
    ck_assert_int_eq(with_origin("OPTIONS", "/api/v1/nowhere", "https://app.example", &r), 404);
    harness_resp_free(&r);
}
END_TEST

/* ------------------------------------------------------------ jobs */

#define JOB_OK "onquota_jobs_runs_total{job=\"quote_expiry\",result=\"ok\"}"
#define JOB_SKIPPED "onquota_jobs_runs_total{job=\"quote_expiry\",result=\"skipped\"}"

/* Sent quotes of acme numbered Q-JOB-<tag>-1..n, valid until `until`. */
static void insert_sent_quotes(const char *tag, int n, const char *until)
{
    char sql[1024];
    snprintf(sql, sizeof sql,
             "INSERT INTO quotes (tenant_id, client_id, sales_rep_id, quote_number, total_amount,"
             " status, valid_until, sent_at)"
             " SELECT c.tenant_id, c.id, u.id, 'Q-JOB-%s-' || g, 100, 'sent', %s, now()"
             " FROM generate_series(1, %d) g,"
             " (SELECT * FROM clients WHERE NOT is_deleted AND tenant_id ="
             "  (SELECT id FROM tenants WHERE domain = 'acme.example') LIMIT 1) c"
             " JOIN users u ON u.email = 'admin@acme.example'",
             tag, until, n);
    ck_assert_int_eq(harness_psql(harness_db(), sql), 0);
}

static long quotes_in(const char *tag, const char *status)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM quotes WHERE quote_number LIKE 'Q-JOB-%s-%%' AND status = '%s'",
             tag, status);
    return harness_sql_long(sql);
}

static double quotes_sent_kpi(const struct harness_daemon *d)
{
    struct harness_resp r;
    ck_assert_int_eq(harness_get(d, KPIS, tok[1], &r), 200);
    const cJSON *v =
        cJSON_GetObjectItem(cJSON_GetObjectItem(harness_json(&r), "quotes_sent"), "current_value");
    ck_assert_msg(cJSON_IsNumber(v), "expected quotes_sent.current_value: %s", r.body);
    double n = v->valuedouble;
    harness_resp_free(&r);
    return n;
}

/* Polls cond_fn until it holds or ms pass. */
static bool wait_for(bool (*cond)(void), int ms)
{
    for (int waited = 0; waited <= ms; waited += 50, harness_sleep_ms(50))
        if (cond())
            return true;
    return false;
}

static bool round1_expired(void)
{
    return quotes_in("r1", "expired") == 3;
}

static double kpi_before;

static bool both_see_it(void)
{
    return quotes_sent_kpi(&A) == kpi_before - 3 && quotes_sent_kpi(&B) == kpi_before - 3;
}

static int count_in_logs(const char *needle)
{
    int n = 0;
    for (int i = 0; i < 2; i++) {
        char *log = harness_daemon_log(i ? &B : &A);
        for (const char *p = strstr(log, needle); p; p = strstr(p + 1, needle))
            n++;
        free(log);
    }
    return n;
}

/* Two instances, a 1 s period: each period one of them runs the job and the
 * other skips it; the expiry invalidates the tenant on both. */
START_TEST(quote_expiry_once_per_tick_across_instances)
{
    /* The demo data's own overdue quotes are expired first, out of the way. */
    ck_assert_int_eq(harness_psql(harness_db(),
                                  "UPDATE quotes SET status = 'expired'"
                                  " WHERE status = 'sent' AND valid_until < current_date"),
                     0);
    insert_sent_quotes("r1", 3, "current_date + 1");
    const char *const *flags = FLAGS("--job-quote-expiry-s", "1", "--log-level", "info");
    double t0 = harness_now_ms();
    harness_daemon_start(&A, harness_db(), flags);
    harness_daemon_start(&B, harness_db(), flags);
    /* Earlier tests cached KPIs from before this test's direct inserts. */
    ck_assert_int_eq(status_of(&A, "POST", "/api/v1/admin/cache/invalidate", tok[1], NULL), 204);
    kpi_before = quotes_sent_kpi(&A);
    ck_assert(quotes_sent_kpi(&B) == kpi_before);
    ck_assert_int_eq(harness_psql(harness_db(), "UPDATE quotes SET valid_until = current_date - 1"
                                                " WHERE quote_number LIKE 'Q-JOB-r1-%'"),
                     0);
    ck_assert_msg(wait_for(round1_expired, 5000), "expected the 3 overdue quotes expired");
    ck_assert_msg(wait_for(both_see_it, 5000),
                  "expected both instances' quotes_sent to drop from %g to %g, got %g and %g",
                  kpi_before, kpi_before - 3, quotes_sent_kpi(&A), quotes_sent_kpi(&B));
    /* A second batch, already overdue. */
    insert_sent_quotes("r2", 2, "current_date - 2");
    for (int i = 0; i < 100 && quotes_in("r2", "expired") < 2; i++)
        harness_sleep_ms(50);
    ck_assert_int_eq(quotes_in("r2", "expired"), 2);
    harness_sleep_ms(1500);
    double secs = (harness_now_ms() - t0) / 1000.0;
    long ok = metric(&A, JOB_OK) + metric(&B, JOB_OK);
    long skipped = metric(&A, JOB_SKIPPED) + metric(&B, JOB_SKIPPED);
    ck_assert_msg(ok >= 2 && ok <= (long)secs + 2,
                  "expected one run a period across both instances (%.1f s), got %ld", secs, ok);
    ck_assert_msg(skipped >= 1, "expected the other instance to skip ticks, got %ld", skipped);
    ck_assert_msg(count_in_logs("3 quote(s) expired") == 1,
                  "expected exactly one run to expire the first batch");
    ck_assert_msg(count_in_logs("2 quote(s) expired") == 1,
                  "expected exactly one run to expire the second batch");
}
END_TEST

static bool old_tokens_gone(void)
{
    return harness_sql_long("SELECT count(*) FROM auth_tokens WHERE name LIKE 'job-old-%'") == 0;
}

START_TEST(token_cleanup)
{
    ck_assert_int_eq(
        harness_psql(
            harness_db(),
            "INSERT INTO auth_tokens (tenant_id, user_id, name, kind, token_hash, expires_at,"
            " revoked_at) SELECT tenant_id, id, v.name, 'api', convert_to(v.name, 'UTF8'),"
            " now() + v.exp, now() + v.rev FROM users,"
            " (VALUES ('job-old-revoked', interval '1 day', interval '-8 days'),"
            "  ('job-old-expired', interval '-8 days', NULL),"
            "  ('job-new-revoked', interval '1 day', interval '-1 day'),"
            "  ('job-new-expired', interval '-6 days', NULL)) v(name, exp, rev)"
            " WHERE email = 'admin@acme.example'"),
        0);
    harness_daemon_start(&A, harness_db(), FLAGS("--job-token-cleanup-s", "1"));
    ck_assert_msg(wait_for(old_tokens_gone, 5000), "expected tokens 7+ days past deleted");
    ck_assert_int_eq(
        harness_sql_long("SELECT count(*) FROM auth_tokens WHERE name LIKE 'job-new-%'"), 2);
    ck_assert_int_ge(metric(&A, "onquota_jobs_runs_total{job=\"token_cleanup\",result=\"ok\"}"), 1);
}
END_TEST

START_TEST(jobs_off)
{
    insert_sent_quotes("off", 1, "current_date - 1");
    harness_daemon_start(&A, harness_db(), FLAGS("--no-jobs", "--job-quote-expiry-s", "1"));
    harness_sleep_ms(1800);
    ck_assert_int_eq(quotes_in("off", "sent"), 1);
    ck_assert_int_eq(metric(&A, JOB_OK) + metric(&A, JOB_SKIPPED), 0);
}
END_TEST

/* ------------------------------------------------------------ setup */

static int setup(const char *db)
{
    static const char *const reset[] = {"--scale", "1", "--reset", NULL};
    if (harness_seed_demo(db, reset) != 0)
        return -1;
    for (int i = 0; i < NTOK; i++)
        if (!(tok[i] = harness_token_create(db, "admin@acme.example", "crosscut", 1)))
            return -1;
    static const char *const users[] = {"t-addr@acme.test", "t-ok@acme.test", "t-email@acme.test",
                                        "t-down@acme.test"};
    for (size_t i = 0; i < sizeof users / sizeof users[0]; i++) {
        char *id = harness_user_add(db, "acme.example", users[i], "sales_rep", PASSWORD);
        if (!id)
            return -1;
        free(id);
    }
    return 0;
}

/* A test case of the suite whose tests each stop the daemons they started. */
static TCase *group(Suite *s, const char *name)
{
    TCase *tc = harness_tcase(s, name);
    tcase_add_checked_fixture(tc, NULL, down);
    return tc;
}

int main(void)
{
    Suite *s = suite_create("crosscut");
    TCase *tc = group(s, "rate_limits");
    tcase_add_test(tc, rate_limit_per_token);
    tcase_add_test(tc, rate_limit_on_cache_hits);
    tcase_add_test(tc, rate_limit_shared_across_instances);
    tcase_add_test(tc, rate_limit_local_when_redis_down);
    /* The per-address test first: it counts every failed login of the suite. */
    tc = group(s, "login_throttle");
    tcase_add_test(tc, login_throttle_per_address_across_instances);
    tcase_add_test(tc, login_throttle_per_email_across_instances);
    tcase_add_test(tc, login_throttle_local_when_redis_down);
    tc = group(s, "idempotency");
    tcase_add_test(tc, idempotency_replays_the_first_answer);
    tcase_add_test(tc, idempotency_concurrent_retries);
    tcase_add_test(tc, idempotency_ignored_when_redis_down);
    tc = group(s, "cors");
    tcase_add_test(tc, cors_off_by_default);
    tcase_add_test(tc, cors_allowed_origins);
    tc = group(s, "jobs");
    tcase_add_test(tc, quote_expiry_once_per_tick_across_instances);
    tcase_add_test(tc, token_cleanup);
    tcase_add_test(tc, jobs_off);
    return harness_main(s, "it_crosscut", setup);
}

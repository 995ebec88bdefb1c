/* Integration tests of health, readiness, metrics, common headers and dependency outages. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define LIVE_EMAIL "live@acme.test"
#define LIVE_PASSWORD "live-password-1"
#define LIVE_LOGIN "{\"email\":\"" LIVE_EMAIL "\",\"password\":\"" LIVE_PASSWORD "\"}"

static char version[64]; /* from onquotad --version */
static struct harness_daemon D;

static void daemon_up(void)
{
    harness_daemon_start(&D, harness_db(), NULL);
}

static void daemon_down(void)
{
    harness_daemon_stop_clean(&D);
}

/* ---------------------------------------------------------------- helpers */

static const cJSON *jget(const cJSON *o, const char *path)
{
    char copy[128], *save = NULL;
    snprintf(copy, sizeof copy, "%s", path);
    for (char *p = strtok_r(copy, ".", &save); p && o; p = strtok_r(NULL, ".", &save))
        o = cJSON_GetObjectItemCaseSensitive(o, p);
    return o;
}

static void expect_str(const cJSON *o, const char *path, const char *want)
{
    const cJSON *j = jget(o, path);
    ck_assert_msg(cJSON_IsString(j) && !strcmp(j->valuestring, want),
                  "expected %s to be \"%s\", got %s", path, want,
                  cJSON_IsString(j) ? j->valuestring : "a non-string or nothing");
}

static void expect_prefix(const cJSON *o, const char *path, const char *prefix)
{
    const cJSON *j = jget(o, path);
    ck_assert_msg(cJSON_IsString(j) && !strncmp(j->valuestring, prefix, strlen(prefix)) &&
                      strlen(j->valuestring) > strlen(prefix),
                  "expected %s to start with \"%s\" and say why, got %s", path, prefix,
                  cJSON_IsString(j) ? j->valuestring : "a non-string or nothing");
}

static void expect_number(const cJSON *o, const char *path, double min)
{
    const cJSON *j = jget(o, path);
    ck_assert_msg(cJSON_IsNumber(j) && j->valuedouble >= min, "expected %s to be a number >= %g",
                  path, min);
}

static void expect_bool(const cJSON *o, const char *path, bool want)
{
    const cJSON *j = jget(o, path);
    ck_assert_msg(cJSON_IsBool(j) && cJSON_IsTrue(j) == want, "expected %s to be %s", path,
                  want ? "true" : "false");
}

/* GET /health/ready (optionally as health+json); asserts the status code. */
static cJSON *ready(const struct harness_daemon *d, bool ietf, long want, struct harness_resp *r)
{
    const char *hdr[] = {ietf ? "Accept: application/health+json" : NULL, NULL};
    long st = harness_http(d, "GET", "/health/ready", hdr, NULL, r);
    ck_assert_msg(st == want, "expected /health/ready%s to answer %ld, got %ld: %s",
                  ietf ? " (health+json)" : "", want, st, r->body);
    cJSON *j = harness_json(r);
    ck_assert_msg(cJSON_IsObject(j), "expected a JSON object from /health/ready, got: %s", r->body);
    return j;
}

/* Polls /health/ready until it answers want (true) or timeout_ms passes. */
static bool ready_becomes(const struct harness_daemon *d, long want, int timeout_ms)
{
    double deadline = harness_now_ms() + timeout_ms;
    do {
        struct harness_resp r;
        long st = harness_http(d, "GET", "/health/ready", NULL, NULL, &r);
        harness_resp_free(&r);
        if (st == want)
            return true;
        harness_sleep_ms(100);
    } while (harness_now_ms() < deadline);
    return false;
}

/* One IETF check entry: checks.<key>[0], status want. A pass has a
 * response time and no "output" (the draft omits it); a failure has an
 * "output" and no response time (it has none to report). */
static void expect_ietf_check(const cJSON *j, const char *key, const char *want)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(jget(j, "checks"), key);
    ck_assert_msg(cJSON_IsArray(arr) && cJSON_GetArraySize(arr) == 1,
                  "expected checks[\"%s\"] to be an array of one", key);
    const cJSON *c = cJSON_GetArrayItem(arr, 0);
    bool pass = !strcmp(want, "pass");
    static const char *const fields[] = {"componentType", "status", "time"};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        ck_assert_msg(cJSON_GetObjectItemCaseSensitive(c, fields[i]),
                      "expected checks[\"%s\"][0] to have %s", key, fields[i]);
    ck_assert_msg(!cJSON_GetObjectItemCaseSensitive(c, "observedValue") == !pass &&
                      !cJSON_GetObjectItemCaseSensitive(c, "observedUnit") == !pass,
                  "expected checks[\"%s\"][0] to have observedValue and observedUnit only on "
                  "pass",
                  key);
    ck_assert_msg(!cJSON_GetObjectItemCaseSensitive(c, "output") == pass,
                  "expected checks[\"%s\"][0] to have output only on failure", key);
    expect_str(c, "status", want);
    ck_assert_msg(harness_is_rfc3339z(harness_jstr(c, "time")),
                  "expected checks[\"%s\"][0].time RFC 3339", key);
}

/* ---------------------------------------------------------------- shapes */

START_TEST(health_shape)
{
    struct harness_resp r;
    ck_assert_int_eq(harness_get(&D, "/health", NULL, &r), 200);
    cJSON *j = harness_json(&r);
    expect_str(j, "status", "healthy");
    expect_str(j, "service", "onquota-api");
    expect_str(j, "version", version);
    ck_assert_msg(cJSON_GetArraySize(j) == 3, "expected exactly status, service, version: %s",
                  r.body);
    ck_assert_msg(!strncmp(harness_header(&r, "Content-Type"), "application/json", 16),
                  "expected a JSON content type");
    ck_assert_msg(harness_server_timing_queries(&r) == 0,
                  "expected Server-Timing desc=\"0 queries\" on /health, got %s",
                  harness_header(&r, "Server-Timing"));
    harness_resp_free(&r);
}
END_TEST

START_TEST(live_shape)
{
    struct harness_resp r;
    ck_assert_int_eq(harness_get(&D, "/health/live", NULL, &r), 200);
    cJSON *j = harness_json(&r);
    expect_str(j, "status", "alive");
    expect_str(j, "service", "onquota-api");
    expect_str(j, "version", version);
    ck_assert_msg(harness_is_rfc3339z(harness_jstr(j, "timestamp")),
                  "expected an RFC 3339 Z timestamp: %s", r.body);
    ck_assert_msg(harness_server_timing_queries(&r) == 0, "expected 0 queries on /health/live");
    harness_resp_free(&r);
}
END_TEST

START_TEST(ready_shape)
{
    struct harness_resp r;
    cJSON *j = ready(&D, false, 200, &r);
    expect_str(j, "status", "ready");
    expect_bool(j, "is_ready", true);
    ck_assert_msg(harness_is_rfc3339z(harness_jstr(j, "timestamp")),
                  "expected timestamp RFC 3339: %s", r.body);
    expect_str(j, "components.database.status", "healthy");
    expect_str(j, "components.database.database", "connected");
    expect_number(j, "components.database.latency_ms", 0);
    expect_number(j, "components.database.pool.size", 1);
    expect_number(j, "components.database.pool.in_use", 0);
    expect_str(j, "components.redis.status", "healthy");
    expect_str(j, "components.redis.redis", "connected");
    const char *mem = harness_jstr(jget(j, "components.redis"), "memory_used");
    ck_assert_msg(mem && *mem, "expected components.redis.memory_used like \"1.05M\"");
    expect_number(j, "components.redis.latency_ms", 0);
    ck_assert_msg(harness_header(&r, "Cache-Control"), "expected Cache-Control on /health/ready");
    harness_resp_free(&r);
}
END_TEST

START_TEST(ready_health_json)
{
    struct harness_resp r;
    cJSON *j = ready(&D, true, 200, &r);
    const char *ct = harness_header(&r, "Content-Type");
    ck_assert_msg(ct && !strncmp(ct, "application/health+json", 23),
                  "expected Content-Type application/health+json, got %s", ct);
    expect_str(j, "status", "pass");
    expect_ietf_check(j, "postgresql:responseTime", "pass");
    expect_ietf_check(j, "redis:responseTime", "pass");
    harness_resp_free(&r);
}
END_TEST

START_TEST(metrics_text)
{
    struct harness_resp r;
    harness_get(&D, "/health", NULL, &r);
    harness_resp_free(&r);
    ready(&D, false, 200, &r);
    harness_resp_free(&r);
    ck_assert_int_eq(harness_get(&D, "/metrics", NULL, &r), 200);
    const char *ct = harness_header(&r, "Content-Type");
    ck_assert_msg(ct && !strncmp(ct, "text/plain", 10), "expected text/plain metrics, got %s", ct);
    char build[96];
    snprintf(build, sizeof build, "onquota_build_info{version=\"%s\"}", version);
    const char *const series[] = {
        "onquota_http_requests_total{",
        "route=\"/health\"",
        "onquota_http_request_duration_seconds",
        "onquota_db_queries_total",
        "onquota_db_query_duration_seconds",
        "onquota_db_pool_connections{",
        "onquota_redis_errors_total",
        build,
        "process_resident_memory_bytes",
        "process_start_time_seconds",
    };
    for (size_t i = 0; i < sizeof series / sizeof series[0]; i++)
        ck_assert_msg(strstr(r.body, series[i]), "expected /metrics to contain %s:\n%.2000s",
                      series[i], r.body);
    harness_resp_free(&r);
}
END_TEST

/* ---------------------------------------------------------------- headers and errors */

static const struct {
    const char *method, *path, *body;
    long status;
} header_cases[] = {
    {"GET", "/health", NULL, 200},         {"GET", "/health/live", NULL, 200},
    {"GET", "/health/ready", NULL, 200},   {"GET", "/metrics", NULL, 200},
    {"GET", "/no/such/path", NULL, 404},   {"GET", "/api/v1/nope", NULL, 404},
    {"DELETE", "/health", NULL, 405},      {"POST", "/api/v1/auth/login", "{not json", 400},
    {"GET", "/api/v1/auth/me", NULL, 401},
};

START_TEST(common_headers)
{
    struct harness_resp r;
    const char *m = header_cases[_i].method, *p = header_cases[_i].path;
    long st = harness_http(&D, m, p, NULL, header_cases[_i].body, &r);
    ck_assert_msg(st == header_cases[_i].status, "expected %s %s to answer %ld, got %ld", m, p,
                  header_cases[_i].status, st);
    const char *rid = harness_header(&r, "X-Request-Id");
    ck_assert_msg(rid && strlen(rid) >= 1 && strlen(rid) <= 64 &&
                      strspn(rid, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                  "0123456789._-") == strlen(rid),
                  "expected a sane X-Request-Id on %s %s, got %s", m, p, rid);
    const char *nosniff = harness_header(&r, "X-Content-Type-Options");
    ck_assert_msg(nosniff && !strcmp(nosniff, "nosniff"),
                  "expected X-Content-Type-Options: nosniff on %s %s", m, p);
    ck_assert_msg(harness_server_timing_queries(&r) >= 0,
                  "expected Server-Timing with db;desc=\"N queries\" on %s %s, got %s", m, p,
                  harness_header(&r, "Server-Timing"));
    ck_assert_msg(harness_header(&r, "Cache-Control"), "expected Cache-Control on %s %s", m, p);
    if (st >= 400)
        ck_assert_msg(harness_detail_is(&r, NULL),
                      "expected {\"detail\": \"...\"} on %s %s, got %s", m, p, r.body);
    harness_resp_free(&r);
}
END_TEST

static const struct {
    const char *sent;
    bool echoed;
} rid_cases[] = {
    {"abc-123._XYZ", true},
    {"bad id!", false},
    {"a/b", false},
    {"0123456789012345678901234567890123456789012345678901234567890123", true},   /* 64 */
    {"01234567890123456789012345678901234567890123456789012345678901234", false}, /* 65 */
};

START_TEST(request_id_echo)
{
    char line[128];
    snprintf(line, sizeof line, "X-Request-Id: %s", rid_cases[_i].sent);
    struct harness_resp r;
    ck_assert_int_eq(
        harness_http(&D, "GET", "/health", (const char *const[]){line, NULL}, NULL, &r), 200);
    const char *rid = harness_header(&r, "X-Request-Id");
    ck_assert_ptr_nonnull(rid);
    if (rid_cases[_i].echoed)
        ck_assert_msg(!strcmp(rid, rid_cases[_i].sent),
                      "expected X-Request-Id '%s' echoed, got '%s'", rid_cases[_i].sent, rid);
    else
        ck_assert_msg(strcmp(rid, rid_cases[_i].sent) && *rid && !strchr(rid, ' '),
                      "expected insane X-Request-Id '%s' replaced by a new one, got '%s'",
                      rid_cases[_i].sent, rid);
    harness_resp_free(&r);
}
END_TEST

START_TEST(method_not_allowed)
{
    struct harness_resp r;
    ck_assert_int_eq(harness_http(&D, "DELETE", "/health", NULL, NULL, &r), 405);
    const char *allow = harness_header(&r, "Allow");
    ck_assert_msg(allow && strstr(allow, "GET"), "expected Allow to list GET, got %s", allow);
    ck_assert_msg(harness_detail_is(&r, NULL), "expected a JSON detail on 405: %s", r.body);
    harness_resp_free(&r);
}
END_TEST

/* ---------------------------------------------------------------- liveness under a lock */

struct login_job {
    const struct harness_daemon *d;
    long status;
};

static void *login_thread(void *arg)
{
    struct login_job *j = arg;
    struct harness_resp r;
    j->status = harness_http(j->d, "POST", "/api/v1/auth/login", NULL, LIVE_LOGIN, &r);
    harness_resp_free(&r);
    return NULL;
}

START_TEST(live_while_db_locked)
{
    struct harness_resp r;
    cJSON *j = ready(&D, false, 200, &r);
    int workers = (int)cJSON_GetNumberValue(jget(j, "components.database.pool.size"));
    harness_resp_free(&r);
    if (workers > 15)
        workers = 15;

    PGconn *lock = harness_pg_connect(harness_db());
    ck_assert_ptr_nonnull(lock);
    ck_assert_int_eq(harness_pg_exec(lock, "BEGIN; LOCK TABLE users IN ACCESS EXCLUSIVE MODE"), 0);
    pthread_t th[16];
    struct login_job jobs[16];
    for (int i = 0; i <= workers; i++) {
        jobs[i] = (struct login_job){.d = &D};
        pthread_create(&th[i], NULL, login_thread, &jobs[i]);
    }
    ck_assert_msg(harness_pg_wait_blocked(harness_db(), workers, 3000),
                  "expected all %d database workers to block on the users lock", workers);

    static const char *const paths[] = {"/health/live", "/health", "/metrics", "/health/ready"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        long st = harness_http_timeout(&D, "GET", paths[i], NULL, NULL, &r, 2000);
        ck_assert_msg(st == 200 && r.ms < 200,
                      "expected %s to answer 200 within 200 ms while every worker is blocked, "
                      "got %ld after %.1f ms",
                      paths[i], st, r.ms);
        harness_resp_free(&r);
    }
    ck_assert_int_eq(harness_pg_exec(lock, "COMMIT"), 0);
    PQfinish(lock);
    for (int i = 0; i <= workers; i++) {
        pthread_join(th[i], NULL);
        ck_assert_msg(jobs[i].status == 200,
                      "expected the blocked login %d to finish with 200, got %ld", i,
                      jobs[i].status);
    }
}
END_TEST

/* Readiness connects to PostgreSQL lazily; even that connection (whose
 * PREPAREs wait for table locks) must not hold it past its check timeouts. */
START_TEST(ready_bounded_while_locked)
{
    PGconn *lock = harness_pg_connect(harness_db());
    ck_assert_ptr_nonnull(lock);
    ck_assert_int_eq(harness_pg_exec(lock, "BEGIN; LOCK TABLE users IN ACCESS EXCLUSIVE MODE"), 0);
    struct harness_resp r;
    long st = harness_http_timeout(&D, "GET", "/health/ready", NULL, NULL, &r, 4000);
    ck_assert_msg((st == 200 || st == 503) && r.ms < 2000,
                  "expected /health/ready to answer within its 1 s + 0.5 s check timeouts while "
                  "a lock blocks a fresh connection, got %ld after %.0f ms",
                  st, r.ms);
    harness_resp_free(&r);
    ck_assert_int_eq(harness_pg_exec(lock, "COMMIT"), 0);
    PQfinish(lock);
    ck_assert_msg(ready_becomes(&D, 200, 5000), "expected ready again once the lock is gone");
}
END_TEST

/* ---------------------------------------------------------------- outages */

/* Unchecked teardown: whatever happened, bring both services back. */
static void services_restore(void)
{
    harness_service_try("start", "redis");
    harness_service_try("start", "pg");
}

START_TEST(redis_outage)
{
    struct harness_daemon a, b;
    struct harness_resp r;
    harness_daemon_start(&a, harness_db(), NULL);
    harness_resp_free((ready(&a, false, 200, &r), &r));

    harness_service("stop", "redis");
    harness_sleep_ms(1100); /* the cached result is at most 1 s old */
    cJSON *j = ready(&a, false, 503, &r);
    expect_str(j, "status", "not_ready");
    expect_bool(j, "is_ready", false);
    expect_str(j, "components.redis.status", "unhealthy");
    expect_prefix(j, "components.redis.redis", "error: ");
    expect_str(j, "components.database.status", "healthy");
    ck_assert_msg(harness_header(&r, "Retry-After"), "expected Retry-After on a 503");
    harness_resp_free(&r);
    j = ready(&a, true, 503, &r);
    expect_str(j, "status", "fail");
    expect_ietf_check(j, "redis:responseTime", "fail");
    expect_ietf_check(j, "postgresql:responseTime", "pass");
    harness_resp_free(&r);

    /* A fleet that may serve without the cache stays ready. */
    harness_daemon_start(&b, harness_db(),
                         (const char *const[]){"--no-ready-requires-cache", NULL});
    j = ready(&b, false, 200, &r);
    expect_str(j, "status", "ready");
    expect_bool(j, "is_ready", true);
    expect_str(j, "components.redis.status", "unhealthy");
    expect_prefix(j, "components.redis.redis", "error: ");
    harness_resp_free(&r);
    j = ready(&b, true, 200, &r);
    expect_str(j, "status", "warn");
    harness_resp_free(&r);

    harness_service("start", "redis");
    ck_assert_msg(ready_becomes(&a, 200, 5000),
                  "expected /health/ready to recover to 200 within 5 s of Redis returning");
    bool healthy = false;
    for (double end = harness_now_ms() + 5000; !healthy && harness_now_ms() < end;
         harness_sleep_ms(100)) {
        j = ready(&b, false, 200, &r);
        healthy = !strcmp(harness_jstr(jget(j, "components.redis"), "status"), "healthy");
        harness_resp_free(&r);
    }
    ck_assert_msg(healthy, "expected Redis healthy again within 5 s on the second daemon");
    harness_daemon_stop_clean(&a);
    harness_daemon_stop_clean(&b);
}
END_TEST

START_TEST(postgres_outage)
{
    struct harness_daemon a;
    struct harness_resp r;
    harness_daemon_start(&a, harness_db(), NULL);
    harness_resp_free((ready(&a, false, 200, &r), &r));

    harness_service("stop", "pg");
    harness_sleep_ms(1100);
    cJSON *j = ready(&a, false, 503, &r);
    expect_str(j, "status", "not_ready");
    expect_bool(j, "is_ready", false);
    expect_str(j, "components.database.status", "unhealthy");
    expect_prefix(j, "components.database.database", "error: ");
    expect_str(j, "components.redis.status", "healthy");
    harness_resp_free(&r);
    j = ready(&a, true, 503, &r);
    expect_ietf_check(j, "postgresql:responseTime", "fail");
    harness_resp_free(&r);
    long st = harness_http_timeout(&a, "GET", "/health/live", NULL, NULL, &r, 2000);
    ck_assert_msg(st == 200, "expected /health/live 200 with PostgreSQL down, got %ld", st);
    harness_resp_free(&r);
    st = harness_http(&a, "POST", "/api/v1/auth/login", NULL, LIVE_LOGIN, &r);
    ck_assert_msg(st == 503 && harness_header(&r, "Retry-After") && harness_detail_is(&r, NULL),
                  "expected login to answer 503 with Retry-After while PostgreSQL is down, got "
                  "%ld: %s",
                  st, r.body);
    harness_resp_free(&r);

    harness_service("start", "pg");
    ck_assert_msg(ready_becomes(&a, 200, 10000),
                  "expected /health/ready to recover to 200 within 10 s of PostgreSQL returning");
    st = harness_http(&a, "POST", "/api/v1/auth/login", NULL, LIVE_LOGIN, &r);
    ck_assert_msg(st == 200, "expected login to work again after PostgreSQL returned, got %ld: %s",
                  st, r.body);
    harness_resp_free(&r);
    harness_daemon_stop_clean(&a);
}
END_TEST

/* ---------------------------------------------------------------- main */

static int setup(const char *db)
{
    char *out = NULL;
    if (harness_run((const char *const[]){harness_onquotad(), "--version", NULL}, NULL, NULL, &out,
                    NULL) ||
        sscanf(out, "onquotad %63s", version) != 1) {
        fprintf(stderr, "onquotad --version: unexpected output: %s\n", out ? out : "");
        free(out);
        return -1;
    }
    free(out);
    char *id = harness_user_add(db, "Acme Live", LIVE_EMAIL, "admin", LIVE_PASSWORD);
    free(id);
    return id ? 0 : -1;
}

int main(void)
{
    Suite *s = suite_create("health");
    TCase *tc = harness_tcase(s, "shapes");
    tcase_add_checked_fixture(tc, daemon_up, daemon_down);
    tcase_add_test(tc, health_shape);
    tcase_add_test(tc, live_shape);
    tcase_add_test(tc, ready_shape);
    tcase_add_test(tc, ready_health_json);
    tcase_add_test(tc, metrics_text);
    tcase_add_loop_test(tc, common_headers, 0, sizeof header_cases / sizeof header_cases[0]);
    tcase_add_loop_test(tc, request_id_echo, 0, sizeof rid_cases / sizeof rid_cases[0]);
    tcase_add_test(tc, method_not_allowed);
    tcase_add_test(tc, live_while_db_locked);
    tcase_add_test(tc, ready_bounded_while_locked);

    tc = harness_tcase(s, "outages");
    tcase_add_unchecked_fixture(tc, NULL, services_restore);
    tcase_add_test(tc, redis_outage);
    tcase_add_test(tc, postgres_outage);
    return harness_main(s, "it_health", setup);
}

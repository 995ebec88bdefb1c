/* Integration tests of the HTTP edges: HEAD and OPTIONS, libevent's own errors as JSON, reason
 * phrases. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "harness.h"

#define FLAGS(...) ((const char *const[]){__VA_ARGS__, NULL})
#define RAW_CAP 65536

static struct harness_daemon A;
static char *token; /* an API token of admin@acme.example */

static void down(void)
{
    harness_daemon_stop_clean(&A);
}

/* ------------------------------------------------------------ helpers */

/* Sends raw bytes on a fresh connection to d and reads until the daemon
 * closes it (or 5 s pass) into buf (RAW_CAP bytes); returns the length. */
static size_t raw_exchange(const struct harness_daemon *d, const char *req, size_t n, char *buf)
{
    int fd = harness_connect(d->port);
    ck_assert_msg(fd >= 0, "cannot connect to port %d", d->port);
    ck_assert_int_eq(harness_send_all(fd, req, n), 0);
    size_t len = 0;
    double deadline = harness_now_ms() + 5000;
    buf[0] = '\0';
    while (len + 1 < RAW_CAP && harness_now_ms() < deadline) {
        long got =
            harness_recv_response(fd, buf + len, RAW_CAP - len, (int)(deadline - harness_now_ms()));
        if (got <= 0)
            break;
        len += (size_t)got;
    }
    close(fd);
    return len;
}

static size_t raw(const struct harness_daemon *d, const char *req, char *buf)
{
    return raw_exchange(d, req, strlen(req), buf);
}

/* The value of header name in the raw response head at resp, or NULL
 * (static storage). */
static const char *raw_header(const char *resp, const char *name)
{
    static char value[512];
    const char *end = strstr(resp, "\r\n\r\n");
    size_t nlen = strlen(name);
    for (const char *p = strstr(resp, "\r\n"); p && (!end || p < end); p = strstr(p + 2, "\r\n")) {
        if (!strncasecmp(p + 2, name, nlen) && p[2 + nlen] == ':') {
            const char *v = p + 3 + nlen;
            v += strspn(v, " ");
            size_t vlen = strcspn(v, "\r\n");
            snprintf(value, sizeof value, "%.*s", (int)vlen, v);
            return value;
        }
    }
    return NULL;
}

/* The body of the raw response at resp (after its head). */
static const char *raw_body(const char *resp)
{
    const char *end = strstr(resp, "\r\n\r\n");
    return end ? end + 4 : "";
}

/* Asserts that the raw response is status want with a JSON {"detail": ...}
 * body and the common headers. */
static void expect_json_error(const char *resp, int want, const char *what)
{
    ck_assert_msg(harness_raw_status(resp) == want, "%s: expected %d, got: %.300s", what, want,
                  resp);
    const char *ct = raw_header(resp, "Content-Type");
    ck_assert_msg(ct && !strncmp(ct, "application/json", 16),
                  "%s: expected application/json, got %s", what, ct ? ct : "none");
    ck_assert_msg(raw_header(resp, "X-Request-Id"), "%s: expected an X-Request-Id", what);
    ck_assert_msg(raw_header(resp, "X-Content-Type-Options"), "%s: expected nosniff", what);
    cJSON *j = cJSON_Parse(raw_body(resp));
    const cJSON *detail = cJSON_GetObjectItemCaseSensitive(j, "detail");
    ck_assert_msg(cJSON_IsString(detail) && detail->valuestring[0],
                  "%s: expected {\"detail\": ...}, got: %s", what, raw_body(resp));
    cJSON_Delete(j);
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

/* ------------------------------------------------------------ HEAD, OPTIONS */

/* Item 5: HEAD answers wherever GET does, with GET's headers and no body:
 * the next pipelined answer follows the head directly. */
START_TEST(head_wherever_get_is_allowed)
{
    harness_daemon_start(&A, harness_db(), NULL);
    static const char *const paths[] = {"/health",  "/health/live",    "/health/ready",
                                        "/metrics", "/api/v1/auth/me", "/api/v1/dashboard/kpis"};
    char *buf = malloc(RAW_CAP);
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        char req[1024];
        snprintf(req, sizeof req,
                 "HEAD %s HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer %s\r\n\r\n"
                 "GET /health/live HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
                 paths[i], token);
        raw(&A, req, buf);
        ck_assert_msg(harness_raw_status(buf) == 200, "HEAD %s: expected 200, got: %.300s",
                      paths[i], buf);
        ck_assert_msg(raw_header(buf, "X-Request-Id"), "HEAD %s: expected X-Request-Id", paths[i]);
        ck_assert_msg(raw_header(buf, "Content-Type"), "HEAD %s: expected a Content-Type",
                      paths[i]);
        const char *next = raw_body(buf);
        ck_assert_msg(!strncmp(next, "HTTP/1.1 200", 12),
                      "HEAD %s: expected no body before the next answer, got: %.200s", paths[i],
                      next);
    }
    free(buf);
    struct harness_resp r;
    ck_assert_int_eq(harness_http(&A, "DELETE", "/health", NULL, NULL, &r), 405);
    ck_assert_str_eq(harness_header(&r, "Allow"), "GET, HEAD, OPTIONS");
    harness_resp_free(&r);
}
END_TEST

/* Item 5: OPTIONS answers 204 with Allow, CORS or not. */
START_TEST(options_answers_with_allow)
{
    harness_daemon_start(&A, harness_db(), NULL);
    struct harness_resp r;
    ck_assert_int_eq(harness_http(&A, "OPTIONS", "/api/v1/clients", NULL, NULL, &r), 204);
    ck_assert_str_eq(harness_header(&r, "Allow"), "GET, HEAD, POST, OPTIONS");
    ck_assert_ptr_nonnull(harness_header(&r, "X-Request-Id"));
    harness_resp_free(&r);
    ck_assert_int_eq(harness_http(&A, "OPTIONS", "/health", NULL, NULL, &r), 204);
    ck_assert_str_eq(harness_header(&r, "Allow"), "GET, HEAD, OPTIONS");
    harness_resp_free(&r);
    ck_assert_int_eq(harness_http(&A, "OPTIONS", "/api/v1/nowhere", NULL, NULL, &r), 404);
    harness_resp_free(&r);
}
END_TEST

/* ------------------------------------------------------------ libevent's errors */

/* Item 6: 501 for methods the daemon does not implement, in JSON, counted
 * and logged. */
START_TEST(unknown_methods_answer_json_501)
{
    harness_daemon_start(&A, harness_db(), FLAGS("--log-level", "info"));
    char *buf = malloc(RAW_CAP);
    static const char *const reqs[] = {
        "PROPFIND / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
        "TRACE /health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
        "CONNECT /health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
        "get /health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
    };
    for (size_t i = 0; i < sizeof reqs / sizeof reqs[0]; i++) {
        raw(&A, reqs[i], buf);
        expect_json_error(buf, 501, reqs[i]);
    }
    free(buf);
    ck_assert_int_ge(metric(&A, "onquota_http_requests_total{route=\"unmatched\",method=\"OTHER\","
                                "code=\"501\"}"),
                     4);
    char *log = harness_daemon_log_wait(&A, "\"status\":501", 2000);
    ck_assert_msg(strstr(log, "\"status\":501"), "expected an access line for the 501:\n%s", log);
    free(log);
}
END_TEST

/* Item 6: a malformed request line answers 400 in JSON. */
START_TEST(malformed_request_line_answers_json_400)
{
    harness_daemon_start(&A, harness_db(), FLAGS("--log-level", "info"));
    char *buf = malloc(RAW_CAP);
    static const char *const reqs[] = {
        "GARBAGE\r\n\r\n",
        "GET /health HTTP/9\r\nHost: t\r\n\r\n",
        "GET /health HTTP/1.1\r\nno colon here\r\n\r\n",
    };
    for (size_t i = 0; i < sizeof reqs / sizeof reqs[0]; i++) {
        raw(&A, reqs[i], buf);
        expect_json_error(buf, 400, reqs[i]);
    }
    free(buf);
    char *log = harness_daemon_log_wait(&A, "\"status\":400", 2000);
    ck_assert_msg(strstr(log, "\"status\":400"), "expected an access line for the 400:\n%s", log);
    free(log);
}
END_TEST

/* Item 6: headers that are too large answer 431, a body too large 413, in JSON. */
START_TEST(too_large_answers_json_413_and_431)
{
    harness_daemon_start(&A, harness_db(),
                         FLAGS("--log-level", "info", "--max-body-bytes", "2048"));
    char *buf = malloc(RAW_CAP), *req = malloc(RAW_CAP);
    char pad[24000];
    memset(pad, 'a', sizeof pad - 1);
    pad[sizeof pad - 1] = '\0';
    int n = snprintf(req, RAW_CAP, "GET /health HTTP/1.1\r\nHost: t\r\nX-Pad: %s\r\n\r\n", pad);
    raw_exchange(&A, req, (size_t)n, buf);
    expect_json_error(buf, 431, "24 KB of headers");

    char body[4096];
    memset(body, ' ', sizeof body);
    n = snprintf(req, RAW_CAP,
                 "POST /api/v1/auth/login HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                 "Content-Length: %zu\r\n\r\n",
                 sizeof body);
    memcpy(req + n, body, sizeof body);
    raw_exchange(&A, req, (size_t)n + sizeof body, buf);
    expect_json_error(buf, 413, "a 4 KB body over a 2 KB limit");
    free(req);
    free(buf);
    ck_assert_int_ge(metric(&A, "onquota_http_requests_total{route=\"unmatched\",method=\"POST\","
                                "code=\"413\"}"),
                     1);
    free(harness_daemon_log_wait(&A, "\"status\":431", 2000));
    char *log = harness_daemon_log_wait(&A, "\"status\":413", 2000);
    ck_assert_msg(strstr(log, "\"status\":431") && strstr(log, "\"status\":413"),
                  "expected access lines for the 431 and the 413:\n%s", log);
    free(log);
}
END_TEST

/* ------------------------------------------------------------ reason phrases */

/* Item 7: the standard reason phrase for each status the daemon sends. */
START_TEST(standard_reason_phrases)
{
    harness_daemon_start(&A, harness_db(), FLAGS("--rate-limit-per-token", "1/1"));
    char *buf = malloc(RAW_CAP);
    static const struct {
        const char *req, *line;
    } cases[] = {
        {"POST /api/v1/auth/login HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
         "Content-Length: 2\r\nConnection: close\r\n\r\n{}",
         "HTTP/1.1 422 Unprocessable Content\r\n"},
        {"GET /nowhere HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
         "HTTP/1.1 404 Not Found\r\n"},
        {"DELETE /health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
         "HTTP/1.1 405 Method Not Allowed\r\n"},
        {"POST /api/v1/auth/login HTTP/1.1\r\nHost: t\r\nContent-Type: text/plain\r\n"
         "Content-Length: 2\r\nConnection: close\r\n\r\n{}",
         "HTTP/1.1 415 Unsupported Media Type\r\n"},
        {"GET /api/v1/auth/me HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
         "HTTP/1.1 401 Unauthorized\r\n"},
        {"PROPFIND / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
         "HTTP/1.1 501 Not Implemented\r\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        raw(&A, cases[i].req, buf);
        ck_assert_msg(!strncmp(buf, cases[i].line, strlen(cases[i].line)),
                      "expected \"%.*s\", got: %.80s", (int)strlen(cases[i].line) - 2,
                      cases[i].line, buf);
    }
    /* 429: the second of two quick requests with a 1/1 limit. */
    char req[512];
    snprintf(req, sizeof req,
             "GET /api/v1/auth/me HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer %s\r\n\r\n"
             "GET /api/v1/auth/me HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer %s\r\n"
             "Connection: close\r\n\r\n",
             token, token);
    raw(&A, req, buf);
    ck_assert_msg(strstr(buf, "HTTP/1.1 429 Too Many Requests\r\n"),
                  "expected a 429 Too Many Requests, got: %.600s", buf);
    free(buf);
}
END_TEST

/* ------------------------------------------------------------ proxies */

/* A failed login for email with the given X-Forwarded-For (NULL: none). */
static long login_via(const char *email, const char *xff)
{
    char body[256], hdr[256];
    snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"wrong-password\"}", email);
    snprintf(hdr, sizeof hdr, "X-Forwarded-For: %s", xff ? xff : "");
    const char *headers[] = {xff ? hdr : NULL, NULL};
    struct harness_resp r;
    long st = harness_http(&A, "POST", "/api/v1/auth/login", headers, body, &r);
    harness_resp_free(&r);
    return st;
}

/* Item 3: behind a trusted proxy the login throttle (and the access log)
 * key on the right-most untrusted X-Forwarded-For entry. */
START_TEST(trusted_proxy_names_the_client)
{
    harness_daemon_start(&A, harness_db(),
                         FLAGS("--trusted-proxies", "10.9.0.0/16, 127.0.0.0/8", "--login-throttle",
                               "100/3", "--log-level", "info"));
    /* What the client put left of the right-most entry does not matter. */
    ck_assert_int_eq(login_via("p1@nowhere.test", "203.0.113.7"), 401);
    ck_assert_int_eq(login_via("p2@nowhere.test", "198.51.100.1, 203.0.113.7"), 401);
    ck_assert_int_eq(login_via("p3@nowhere.test", "198.51.100.2, 203.0.113.7, 10.9.1.1"), 401);
    ck_assert_int_eq(login_via("p4@nowhere.test", "203.0.113.7"), 429);
    ck_assert_int_eq(login_via("p5@nowhere.test", "203.0.113.8, 203.0.113.7"), 429);
    /* Other clients of the same proxy log in as usual. */
    ck_assert_int_eq(login_via("p6@nowhere.test", "203.0.113.7, 203.0.113.8"), 401);
    ck_assert_int_eq(login_via("p7@nowhere.test", NULL), 401);
    ck_assert_int_eq(login_via("p8@nowhere.test", "not-an-address"), 401);
    char *log = harness_daemon_log_wait(&A, "\"proxy\":\"127.0.0.1\"", 2000);
    ck_assert_msg(strstr(log, "\"peer\":\"203.0.113.7\"") && strstr(log, "\"proxy\":\"127.0.0.1\""),
                  "expected the access log to name the client and the proxy:\n%s", log);
    free(log);
}
END_TEST

/* Item 3: without trusted_proxies, X-Forwarded-For changes nothing. */
START_TEST(untrusted_peer_ignores_forwarded_for)
{
    harness_daemon_start(&A, harness_db(), FLAGS("--login-throttle", "100/3"));
    /* 127.0.0.1 may hold failures of the test above: at most 4 tries. */
    char email[64], xff[32];
    long st = 0;
    for (int i = 0; i < 4 && st != 429; i++) {
        snprintf(email, sizeof email, "u%d@nowhere.test", i);
        snprintf(xff, sizeof xff, "203.0.113.%d", 20 + i);
        st = login_via(email, xff);
        ck_assert_msg(st == 401 || st == 429, "expected 401 or 429, got %ld", st);
    }
    ck_assert_msg(st == 429, "expected 127.0.0.1 throttled whatever X-Forwarded-For says");
}
END_TEST

/* ------------------------------------------------------------ setup */

static int setup(const char *db)
{
    static const char *const reset[] = {"--scale", "1", "--reset", NULL};
    if (harness_seed_demo(db, reset) != 0)
        return -1;
    token = harness_token_create(db, "admin@acme.example", "edges", 1);
    return token ? 0 : -1;
}

static TCase *group(Suite *s, const char *name)
{
    TCase *tc = harness_tcase(s, name);
    tcase_add_checked_fixture(tc, NULL, down);
    return tc;
}

int main(void)
{
    Suite *s = suite_create("edges");
    TCase *tc = group(s, "methods");
    tcase_add_test(tc, head_wherever_get_is_allowed);
    tcase_add_test(tc, options_answers_with_allow);
    tc = group(s, "libevent_errors");
    tcase_add_test(tc, unknown_methods_answer_json_501);
    tcase_add_test(tc, malformed_request_line_answers_json_400);
    tcase_add_test(tc, too_large_answers_json_413_and_431);
    /* The trusted test first: the other one throttles 127.0.0.1 for a minute. */
    tc = group(s, "proxies");
    tcase_add_test(tc, trusted_proxy_names_the_client);
    tcase_add_test(tc, untrusted_peer_ignores_forwarded_for);
    tc = group(s, "reasons");
    tcase_add_test(tc, standard_reason_phrases);
    return harness_main(s, "it_edges", setup);
}

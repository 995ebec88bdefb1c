/* Integration tests of bad inputs, limits, config and CLI errors, migrations and shutdown. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

#define EMAIL "limits@acme.test"
#define PASSWORD "limits-password-1"
#define LOGIN_OK "{\"email\":\"" EMAIL "\",\"password\":\"" PASSWORD "\"}"
#define MAX_BODY 4096

static struct harness_daemon D;
static char token[64]; /* an API token of EMAIL, made in setup */

static void daemon_up(void)
{
    harness_daemon_start(&D, harness_db(), (const char *const[]){"--max-body-bytes", "4096", NULL});
}

static void daemon_down(void)
{
    harness_daemon_stop_clean(&D);
}

/* A JSON login body with the email nested depth arrays deep. */
static char *nested(int depth)
{
    char *s = malloc((size_t)depth * 2 + 64);
    int n = sprintf(s, "{\"email\":");
    for (int i = 0; i < depth; i++)
        s[n++] = '[';
    for (int i = 0; i < depth; i++)
        s[n++] = ']';
    sprintf(s + n, ",\"password\":\"x\"}");
    return s;
}

/* ---------------------------------------------------------------- request cases */

#define LOGIN "/api/v1/auth/login"
#define TOKENS "/api/v1/auth/tokens"

/* One request and its answer: the status, and for a 422 the loc of one or
 * two entries that must be listed; other errors need {"detail": "..."}. */
static const struct {
    const char *what, *method, *path;
    bool auth;                 /* send the API token */
    const char *header, *body; /* an extra header line; the body */
    int depth;                 /* > 0: the body is nested(depth) instead */
    long status;
    const char *loc, *loc2;
} cases[] = {
    /* clang-format off */
    {"malformed JSON",       "POST", LOGIN, false, NULL, "{\"email\": ", 0, 400, NULL, NULL},
    {"trailing garbage",     "POST", LOGIN, false, NULL, LOGIN_OK " x", 0, 400, NULL, NULL},
    {"text/plain body",      "POST", LOGIN, false, "Content-Type: text/plain", LOGIN_OK, 0, 415,
     NULL, NULL},
    {"no Content-Type",      "POST", LOGIN, false, "Content-Type:", LOGIN_OK, 0, 415, NULL, NULL},
    {"JSON with a charset",  "POST", LOGIN, false, "Content-Type: application/json; charset=utf-8",
     LOGIN_OK, 0, 200, NULL, NULL},
    {"nested 40 deep",       "POST", LOGIN, false, NULL, NULL, 40, 400, NULL, NULL},
    {"32 levels are fine",   "POST", LOGIN, false, NULL, NULL, 31, 422, "body.email", NULL},
    {"wrong types",          "POST", LOGIN, false, NULL, "{\"email\":5,\"password\":true}", 0,
     422, "body.email", "body.password"},
    {"unknown field",        "POST", LOGIN, false, NULL,
     "{\"email\":\"a@b.c\",\"password\":\"x\",\"remember\":true}", 0, 422, "body.remember", NULL},
    {"missing fields",       "POST", LOGIN, false, NULL, "{}", 0, 422, "body.email",
     "body.password"},
    {"body not an object",   "POST", LOGIN, false, NULL, "[]", 0, 422, "body", NULL},
    {"token fields",         "POST", TOKENS, true, NULL, "{\"name\":7,\"expires_in_days\":0}", 0,
     422, "body.name", "body.expires_in_days"},
    {"auth before body",     "POST", TOKENS, false, NULL, "{oops", 0, 401, NULL, NULL},
    {"route before auth",    "PUT", "/api/v1/auth/me", false, NULL, NULL, 0, 405, NULL, NULL},
    {"bad UUID in the path", "DELETE", TOKENS "/not-a-uuid", true, NULL, NULL, 0, 404, NULL, NULL},
    {"unknown parameter",    "GET", TOKENS "?x=1", true, NULL, NULL, 0, 422, "query.x", NULL},
    {"page_size=0",          "GET", TOKENS "?page_size=0", true, NULL, NULL, 0, 422,
     "query.page_size", NULL},
    {"page_size=101",        "GET", TOKENS "?page_size=101", true, NULL, NULL, 0, 422,
     "query.page_size", NULL},
    {"two bad parameters",   "GET", TOKENS "?page=0&page_size=abc", true, NULL, NULL, 0, 422,
     "query.page", "query.page_size"},
    {"repeated parameter",   "GET", TOKENS "?page=1&page=2", true, NULL, NULL, 0, 422,
     "query.page", NULL},
    /* clang-format on */
};

START_TEST(bad_request)
{
    char auth[128];
    const char *headers[3] = {NULL};
    int n = 0;
    if (cases[_i].auth)
        headers[n++] = harness_bearer(auth, sizeof auth, token);
    if (cases[_i].header)
        headers[n++] = cases[_i].header;
    char *body = cases[_i].depth ? nested(cases[_i].depth) : NULL;
    struct harness_resp r;
    long st = harness_http(&D, cases[_i].method, cases[_i].path, headers,
                           body ? body : cases[_i].body, &r);
    free(body);
    ck_assert_msg(st == cases[_i].status, "%s: expected %ld, got %ld: %s", cases[_i].what,
                  cases[_i].status, st, r.body);
    if (cases[_i].loc) {
        ck_assert_msg(harness_detail_has_loc(&r, cases[_i].loc),
                      "%s: expected a 422 entry with loc %s, got %s", cases[_i].what, cases[_i].loc,
                      r.body);
        ck_assert_msg(!cases[_i].loc2 || harness_detail_has_loc(&r, cases[_i].loc2),
                      "%s: expected a 422 entry with loc %s too, got %s", cases[_i].what,
                      cases[_i].loc2, r.body);
    } else if (st >= 400) {
        ck_assert_msg(harness_detail_is(&r, NULL), "%s: expected {\"detail\": \"...\"}, got %s",
                      cases[_i].what, r.body);
    }
    harness_resp_free(&r);
}
END_TEST

/* ---------------------------------------------------------------- body size */

START_TEST(oversized_body)
{
    /* _i: 0 plain, 1 with Expect: 100-continue */
    size_t n = MAX_BODY + 1000;
    char *body = malloc(n + 1);
    memset(body, ' ', n);
    memcpy(body, "{\"email\":\"", 10);
    body[n] = '\0';
    struct harness_resp r;
    const char *hdr[] = {_i ? "Expect: 100-continue" : NULL, NULL};
    long st = harness_http(&D, "POST", "/api/v1/auth/login", hdr, body, &r);
    ck_assert_msg(st == 413, "expected 413 for a %zu-byte body%s, got %ld (%s)", n,
                  _i ? " sent with Expect: 100-continue" : "", st, r.err);
    harness_resp_free(&r);
    free(body);
    ck_assert_int_eq(harness_get(&D, "/health/live", NULL, &r), 200);
    harness_resp_free(&r);
}
END_TEST

/* A client that trickles a large body (by Content-Length, or chunked) still
 * reads a 413 rather than a reset connection. */
START_TEST(oversized_body_slowly)
{
    int fd = harness_connect(D.port);
    ck_assert_msg(fd >= 0, "expected to connect");
    char head[256], chunk[1100], buf[8192], framing[64];
    size_t total = 4 * MAX_BODY;
    if (_i)
        snprintf(framing, sizeof framing, "Transfer-Encoding: chunked");
    else
        snprintf(framing, sizeof framing, "Content-Length: %zu", total);
    snprintf(head, sizeof head,
             "POST /api/v1/auth/login HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
             "%s\r\n\r\n",
             framing);
    ck_assert_int_eq(harness_send_all(fd, head, strlen(head)), 0);
    bool sent_ok = true;
    for (size_t sent = 0; sent < total && sent_ok; sent += 1000) {
        /* 1000 bytes of payload, framed as one chunk of 0x3e8 when chunked */
        int k = _i ? snprintf(chunk, sizeof chunk, "3e8\r\n") : 0;
        memset(chunk + k, ' ', 1000);
        if (_i)
            memcpy(chunk + k + 1000, "\r\n", 2);
        sent_ok = harness_send_all(fd, chunk, (size_t)k + 1000 + (_i ? 2 : 0)) == 0;
        harness_sleep_ms(10);
    }
    if (_i && sent_ok)
        harness_send_all(fd, "0\r\n\r\n", 5);
    long len = harness_recv_response(fd, buf, sizeof buf, 5000);
    close(fd);
    ck_assert_msg(len > 0 && harness_raw_status(buf) == 413,
                  "expected a 413 after trickling a %zu-byte %s body, got %ld bytes: %.200s", total,
                  _i ? "chunked" : "Content-Length", len, len > 0 ? buf : "");
}
END_TEST

/* Protocol faults libevent answers itself: the daemon survives them. */
static const char *const garbage[] = {
    "GARBAGE\r\n\r\n",
    "GET /health HTTP/9.9\r\n\r\n",
    "GET /health HTTP/1.1\r\nHost: t\r\nContent-Length: -5\r\n\r\n",
    "POST /api/v1/auth/login HTTP/1.1\r\nHost: t\r\nX-Big: @BIG\r\n\r\n",
};

START_TEST(protocol_garbage)
{
    int fd = harness_connect(D.port);
    ck_assert_msg(fd >= 0, "expected to connect");
    const char *g = garbage[_i];
    char *req;
    if (strstr(g, "@BIG")) {
        req = malloc(40000);
        size_t pre = (size_t)(strstr(g, "@BIG") - g);
        memcpy(req, g, pre);
        memset(req + pre, 'b', 30000);
        strcpy(req + pre + 30000, g + pre + 4);
    } else {
        req = strdup(g);
    }
    harness_send_all(fd, req, strlen(req));
    free(req);
    char buf[4096];
    long len = harness_recv_response(fd, buf, sizeof buf, 3000);
    close(fd);
    int st = len > 0 ? harness_raw_status(buf) : 0;
    ck_assert_msg(len == 0 || len == -2 || (st >= 400 && st < 500),
                  "expected a 4xx or a closed connection for request %d, got %ld bytes: %.200s", _i,
                  len, len > 0 ? buf : "");
    struct harness_resp r;
    ck_assert_msg(harness_get(&D, "/health/live", NULL, &r) == 200,
                  "expected the daemon to keep serving after request %d", _i);
    harness_resp_free(&r);
}
END_TEST

/* ---------------------------------------------------------------- configuration and CLI */

static char ini_path[256];

static const struct {
    const char *args[6];
    const char *env;
    int exit;
    const char *err_has;   /* stderr must contain (NULL: anything) */
    bool one_line;         /* stderr is exactly one line */
    const char *out_has;   /* stdout must contain */
    const char *out_lacks; /* stdout must not contain */
} cli[] = {
    /* clang-format off */
    /* args; env; exit; stderr names; one line; stdout has; stdout lacks (masked as ***) */
    {{"--idle-timeout-s=-5", "--print-config"}, NULL, 2, "idle_timeout_s", true, NULL, NULL},
    {{"--database-url", "mysql://x", "--print-config"}, NULL, 2, "database_url", true, NULL, NULL},
    {{"--frobnicate"}, NULL, 2, "frobnicate", true, NULL, NULL},
    {{"--frobnicate", "--print-config"}, NULL, 2, "frobnicate", true, NULL, NULL},
    {{"--config", "@INI", "--print-config"}, NULL, 2, "frobnicate", true, NULL, NULL},
    {{"--print-config"}, "ONQUOTA_MAX_CONNECTIONS=0", 2, "max_connections", true, NULL, NULL},
    {{"--listen", "nowhere", "--print-config"}, NULL, 2, "listen", true, NULL, NULL},
    {{"--max-body-bytes", "lots", "--print-config"}, NULL, 2, "max_body_bytes", true, NULL, NULL},
    {{"--log-level", "loud", "--print-config"}, NULL, 2, "log_level", true, NULL, NULL},
    {{"frobnicate"}, NULL, 2, "frobnicate", true, NULL, NULL},
    {{"migrate", "--frobnicate"}, NULL, 2, NULL, false, NULL, NULL},
    {{"--print-config", "--database-url", "postgresql://app:s3cret-pw@db.example/onquota"}, NULL,
     0, NULL, false, "database_url", "s3cret-pw"},
    {{"--print-config", "--redis-url", "redis://:hunter2-pw@127.0.0.1:6379/0"}, NULL,
     0, NULL, false, "redis_url", "hunter2-pw"},
    {{"--version"}, NULL, 0, NULL, false, "onquotad " ONQUOTA_VERSION, NULL},
    {{"--help"}, NULL, 0, NULL, false, "--idle-timeout-s", NULL},
    /* clang-format on */
};

START_TEST(cli_config)
{
    const char *argv[8] = {harness_onquotad()};
    int n = 1;
    char desc[256] = "onquotad";
    for (int i = 0; i < 6 && cli[_i].args[i]; i++) {
        argv[n++] = strcmp(cli[_i].args[i], "@INI") ? cli[_i].args[i] : ini_path;
        strncat(desc, " ", sizeof desc - strlen(desc) - 1);
        strncat(desc, cli[_i].args[i], sizeof desc - strlen(desc) - 1);
    }
    const char *env[] = {cli[_i].env, NULL};
    char *out = NULL, *err = NULL;
    int rc = harness_run(argv, NULL, env, &out, &err);
    ck_assert_msg(rc == cli[_i].exit, "expected '%s' to exit %d, got %d; stderr: %s", desc,
                  cli[_i].exit, rc, err);
    if (cli[_i].err_has)
        ck_assert_msg(strstr(err, cli[_i].err_has), "expected '%s' to name %s, got: %s", desc,
                      cli[_i].err_has, err);
    if (cli[_i].one_line)
        ck_assert_msg(strchr(err, '\n') && !strchr(err, '\n')[1],
                      "expected '%s' to print exactly one line, got: %s", desc, err);
    if (cli[_i].out_has)
        ck_assert_msg(strstr(out, cli[_i].out_has), "expected '%s' to print %s, got: %s", desc,
                      cli[_i].out_has, out);
    if (cli[_i].out_lacks)
        ck_assert_msg(!strstr(out, cli[_i].out_lacks) && strstr(out, "***"),
                      "expected '%s' to mask %s as ***, got: %s", desc, cli[_i].out_lacks, out);
    free(out);
    free(err);
}
END_TEST

START_TEST(migrate_idempotent)
{
    static const char *const fingerprint =
        "SELECT (SELECT string_agg(version || ':' || checksum, ',' ORDER BY version)"
        " FROM schema_migrations) || '/' || (SELECT count(*) FROM pg_class c JOIN pg_namespace n"
        " ON n.oid = c.relnamespace WHERE n.nspname = 'public')";
    char *before = harness_psql_value(harness_db(), fingerprint, NULL), *out = NULL;
    ck_assert_msg(before, "expected schema_migrations after the first migrate");
    for (int i = 0; i < 2; i++) {
        ck_assert_int_eq(harness_migrate(harness_db(), &out), 0);
        ck_assert_msg(strstr(out, "up to date"), "expected migrate again to say 'up to date': %s",
                      out);
        free(out);
    }
    char *after = harness_psql_value(harness_db(), fingerprint, NULL);
    ck_assert_msg(after && !strcmp(before, after),
                  "expected the schema unchanged by a second migrate: %s vs %s", before, after);
    const char *argv[] = {harness_onquotad(), "--database-url", harness_db(),
                          "migrate",          "--status",       NULL};
    ck_assert_int_eq(harness_run(argv, NULL, NULL, NULL, NULL), 0);
    free(before);
    free(after);
}
END_TEST

/* ---------------------------------------------------------------- lifecycle */

struct login_job {
    const struct harness_daemon *d;
    long status;
};

static void *login_thread(void *arg)
{
    struct login_job *j = arg;
    struct harness_resp r;
    j->status = harness_http(j->d, "POST", "/api/v1/auth/login", NULL, LOGIN_OK, &r);
    harness_resp_free(&r);
    return NULL;
}

/* A raw GET on an open keep-alive connection; the status, 0 when closed. */
static int raw_get(int fd, const char *path, char *buf, size_t cap, int timeout_ms)
{
    char req[256];
    snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: t\r\n\r\n", path);
    if (harness_send_all(fd, req, strlen(req)) != 0)
        return 0;
    long len = harness_recv_response(fd, buf, cap, timeout_ms);
    return len > 0 ? harness_raw_status(buf) : (int)len;
}

START_TEST(graceful_sigterm)
{
    struct harness_daemon d;
    harness_daemon_start(&d, harness_db(), NULL);
    char buf[8192];
    int keep = harness_connect(d.port);
    ck_assert_msg(raw_get(keep, "/health/live", buf, sizeof buf, 2000) == 200,
                  "expected a keep-alive connection served before SIGTERM");

    /* Readiness connects lazily; connect it before the lock (see test_health). */
    ck_assert_msg(raw_get(keep, "/health/ready", buf, sizeof buf, 3000) == 200,
                  "expected ready before SIGTERM");
    PGconn *lock = harness_pg_connect(harness_db());
    ck_assert_int_eq(harness_pg_exec(lock, "BEGIN; LOCK TABLE users IN ACCESS EXCLUSIVE MODE"), 0);
    struct login_job job = {.d = &d};
    pthread_t th;
    pthread_create(&th, NULL, login_thread, &job);
    ck_assert_msg(harness_pg_wait_blocked(harness_db(), 1, 3000),
                  "expected the login blocked on the lock");
    kill(d.pid, SIGTERM);

    int st = 200;
    for (double end = harness_now_ms() + 2000; st == 200 && harness_now_ms() < end;
         harness_sleep_ms(20))
        st = raw_get(keep, "/health/ready", buf, sizeof buf, 2000);
    ck_assert_msg(st == 503 && strstr(buf, "\"shutting_down\""),
                  "expected /health/ready 503 shutting_down while draining, got %d: %.300s", st,
                  st > 0 ? buf : "");
    ck_assert_msg(harness_daemon_wait(&d, 300) == -1,
                  "expected the daemon to wait for the in-flight login");
    int fresh = harness_connect(d.port);
    if (fresh >= 0) {
        int fst = raw_get(fresh, "/health/live", buf, sizeof buf, 300);
        ck_assert_msg(fst <= 0, "expected no new connection served while draining, got %d", fst);
        close(fresh);
    }

    ck_assert_int_eq(harness_pg_exec(lock, "COMMIT"), 0);
    PQfinish(lock);
    pthread_join(th, NULL);
    ck_assert_msg(job.status == 200, "expected the in-flight login to complete with 200, got %ld",
                  job.status);
    close(keep);
    int rc = harness_daemon_wait(&d, 10000);
    ck_assert_msg(rc == 0, "expected the daemon to exit 0 after draining, got %d", rc);
}
END_TEST

START_TEST(max_connections)
{
    struct harness_daemon d;
    harness_daemon_start(&d, harness_db(), (const char *const[]){"--max-connections", "4", NULL});
    harness_sleep_ms(100); /* let the start-up probe's connection close */
    int fds[4];
    char buf[4096];
    for (int i = 0; i < 4; i++) {
        fds[i] = harness_connect(d.port);
        ck_assert_msg(raw_get(fds[i], "/health/live", buf, sizeof buf, 2000) == 200,
                      "expected connection %d of 4 served", i + 1);
    }
    int fifth = harness_connect(d.port);
    ck_assert_msg(fifth >= 0, "expected the 5th connection to connect at the TCP level");
    int st = raw_get(fifth, "/health/live", buf, sizeof buf, 300);
    ck_assert_msg(st == -1, "expected the 5th connection not served while 4 are open, got %d", st);
    close(fds[0]);
    long len = harness_recv_response(fifth, buf, sizeof buf, 3000);
    ck_assert_msg(len > 0 && harness_raw_status(buf) == 200,
                  "expected the 5th connection served once one closed, got %ld", len);
    for (int i = 1; i < 4; i++)
        close(fds[i]);
    close(fifth);
    harness_daemon_stop_clean(&d);
}
END_TEST

START_TEST(idle_timeout)
{
    struct harness_daemon d;
    harness_daemon_start(&d, harness_db(), (const char *const[]){"--idle-timeout-s", "1", NULL});
    int fd = harness_connect(d.port);
    ck_assert_int_eq(harness_send_all(fd, "GET /health/live HTTP/1.1\r\nHo", 29), 0);
    char buf[1024];
    double t0 = harness_now_ms();
    long len = harness_recv_response(fd, buf, sizeof buf, 4000);
    double waited = harness_now_ms() - t0;
    close(fd);
    ck_assert_msg(len != -1 && waited < 3500,
                  "expected a slow client cut after the 1 s idle timeout, still open after "
                  "%.0f ms",
                  waited);
    harness_daemon_stop_clean(&d);
}
END_TEST

/* ---------------------------------------------------------------- main */

static int setup(const char *db)
{
    char *id = harness_user_add(db, "Acme Limits", EMAIL, "admin", PASSWORD);
    char *tok = id ? harness_token_create(db, EMAIL, "limits", 0) : NULL;
    if (tok)
        snprintf(token, sizeof token, "%s", tok);
    free(id);
    free(tok);
    const char *t = getenv("TMPDIR");
    snprintf(ini_path, sizeof ini_path, "%s/onquota-it-limits-%d.conf", t && *t ? t : "/tmp",
             (int)getpid());
    FILE *f = fopen(ini_path, "w");
    if (!f)
        return -1;
    fputs("[onquotad]\nlog_level = warn\nfrobnicate = 1\n", f);
    fclose(f);
    return token[0] ? 0 : -1;
}

int main(void)
{
    Suite *s = suite_create("limits");
    TCase *tc = harness_tcase(s, "inputs");
    tcase_add_checked_fixture(tc, daemon_up, daemon_down);
    tcase_add_loop_test(tc, bad_request, 0, sizeof cases / sizeof cases[0]);
    tcase_add_loop_test(tc, oversized_body, 0, 2);
    tcase_add_loop_test(tc, oversized_body_slowly, 0, 2);
    tcase_add_loop_test(tc, protocol_garbage, 0, sizeof garbage / sizeof garbage[0]);

    tc = harness_tcase(s, "config");
    tcase_add_loop_test(tc, cli_config, 0, sizeof cli / sizeof cli[0]);
    tcase_add_test(tc, migrate_idempotent);

    tc = harness_tcase(s, "lifecycle");
    tcase_add_test(tc, graceful_sigterm);
    tcase_add_test(tc, max_connections);
    tcase_add_test(tc, idle_timeout);
    int rc = harness_main(s, "it_limits", setup);
    if (ini_path[0])
        unlink(ini_path);
    return rc;
}

/* Integration tests of operator concerns: service ports, signals, reload, sockets, logs, metrics.
 */
#include <grp.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

/* Linux's default ephemeral range starts here (net.ipv4.ip_local_port_range). */
#define EPHEMERAL_LOW 32768

#define FLAGS(...) ((const char *const[]){__VA_ARGS__, NULL})

static struct harness_daemon A, B;

static void down(void)
{
    harness_daemon_stop_clean(&A);
    harness_daemon_stop_clean(&B);
}

/* The path of scripts/services: $ONQUOTA_SERVICES, else the source tree's. */
static const char *services(void)
{
    static char path[1024];
    const char *s = getenv("ONQUOTA_SERVICES");
    if (s && *s)
        return s;
    snprintf(path, sizeof path, "%s/scripts/services", getenv("ONQUOTA_SOURCE_ROOT"));
    return path;
}

/* The port in "...127.0.0.1:PORT..." of the line of text starting with key. */
static long port_after(const char *text, const char *key)
{
    const char *p = strstr(text, key);
    ck_assert_msg(p, "expected '%s' in: %s", key, text);
    p = strstr(p, "127.0.0.1:");
    ck_assert_msg(p, "expected 127.0.0.1:PORT after %s in: %s", key, text);
    return atol(p + strlen("127.0.0.1:"));
}

/* ------------------------------------------------------------ scripts */

/* Item 14: the default ports sit below the ephemeral range, and stay overridable. */
START_TEST(service_ports_below_ephemeral_range)
{
    char *out = NULL;
    int rc = harness_run(
        FLAGS("env", "-u", "ONQUOTA_PG_PORT", "-u", "ONQUOTA_REDIS_PORT", services(), "env"), NULL,
        NULL, &out, NULL);
    ck_assert_int_eq(rc, 0);
    long pg = port_after(out, "DATABASE_URL"), redis = port_after(out, "REDIS_URL");
    ck_assert_msg(pg > 1024 && pg < EPHEMERAL_LOW,
                  "expected the default PostgreSQL port below "
                  "%d, got %ld",
                  EPHEMERAL_LOW, pg);
    ck_assert_msg(redis > 1024 && redis < EPHEMERAL_LOW,
                  "expected the default Redis port below "
                  "%d, got %ld",
                  EPHEMERAL_LOW, redis);
    free(out);
    out = NULL;
    rc = harness_run(FLAGS(services(), "env"), NULL,
                     FLAGS("ONQUOTA_PG_PORT=24111", "ONQUOTA_REDIS_PORT=24112"), &out, NULL);
    ck_assert_int_eq(rc, 0);
    ck_assert_int_eq(port_after(out, "DATABASE_URL"), 24111);
    ck_assert_int_eq(port_after(out, "REDIS_URL"), 24112);
    free(out);
}
END_TEST

/* ------------------------------------------------------------ signals */

/* Item 1: a SIGHUP right behind a SIGTERM must not cancel the shutdown. */
START_TEST(term_then_hup_still_stops)
{
    for (int i = 0; i < 3; i++) {
        harness_daemon_start(&A, harness_db(), NULL);
        kill(A.pid, SIGTERM);
        kill(A.pid, SIGHUP);
        int rc = harness_daemon_wait(&A, 15000);
        if (rc == -1)
            harness_daemon_kill(&A);
        ck_assert_msg(rc == 0, "trial %d: expected SIGTERM then SIGHUP to exit 0, got %d%s", i + 1,
                      rc, rc == -1 ? " (still running after 15 s)" : "");
    }
}
END_TEST

/* Writes text to a fresh config file named after this process into path. */
static void write_config(char *path, size_t n, const char *text)
{
    snprintf(path, n, "/tmp/onquota-ops-%d.conf", (int)getpid());
    FILE *f = fopen(path, "w");
    ck_assert_msg(f, "cannot write %s", path);
    fputs(text, f);
    fclose(f);
}

/* Waits up to timeout_ms for d's log to contain text. */
static bool log_shows(const struct harness_daemon *d, const char *text, int timeout_ms)
{
    double deadline = harness_now_ms() + timeout_ms;
    do {
        char *log = harness_daemon_log(d);
        bool found = log && strstr(log, text);
        free(log);
        if (found)
            return true;
        harness_sleep_ms(50);
    } while (harness_now_ms() < deadline);
    return false;
}

/* How many of n GETs of path answer 429. */
static int count_429(const struct harness_daemon *d, const char *path, const char *token, int n)
{
    int refused = 0;
    for (int i = 0; i < n; i++) {
        struct harness_resp r;
        long st = harness_get(d, path, token, &r);
        harness_resp_free(&r);
        ck_assert_msg(st == 200 || st == 429, "expected 200 or 429 from %s, got %ld", path, st);
        refused += st == 429;
    }
    return refused;
}

/* Item 2: SIGHUP applies the rate limit and CORS at once, and names each
 * changed key that needs a restart. */
START_TEST(hup_applies_live_keys_and_names_the_rest)
{
    char conf[128], *token = harness_token_create(harness_db(), "admin@acme.example", "ops-hup", 1);
    ck_assert_ptr_nonnull(token);
    write_config(conf, sizeof conf, "rate_limit_per_token = 0\nio_threads = 2\n");
    harness_daemon_start(&A, harness_db(), FLAGS("--config", conf));
    ck_assert_int_eq(count_429(&A, "/api/v1/auth/me", token, 6), 0);

    write_config(conf, sizeof conf,
                 "rate_limit_per_token = 1/1\nio_threads = 3\njob_quote_expiry_s = 77\n"
                 "cors_origins = https://app.example\n");
    kill(A.pid, SIGHUP);
    ck_assert_msg(log_shows(&A, "need a restart", 5000),
                  "expected a warning naming the keys that need a restart");
    char *log = harness_daemon_log(&A);
    ck_assert_msg(strstr(log, "io_threads") && strstr(log, "job_quote_expiry_s"),
                  "expected the warning to name io_threads and job_quote_expiry_s:\n%s", log);
    ck_assert_msg(!strstr(log, "rate_limit_per_token, ") && !strstr(log, "cors_origins, "),
                  "expected live keys not to be named as needing a restart:\n%s", log);
    free(log);
    ck_assert_int_ge(count_429(&A, "/api/v1/auth/me", token, 4), 2);

    struct harness_resp r;
    char auth[256];
    const char *hdr[] = {"Origin: https://app.example", harness_bearer(auth, sizeof auth, token),
                         NULL};
    ck_assert_int_eq(harness_http(&A, "GET", "/health", hdr, NULL, &r), 200);
    const char *acao = harness_header(&r, "Access-Control-Allow-Origin");
    ck_assert_msg(acao && !strcmp(acao, "https://app.example"),
                  "expected CORS on after SIGHUP, got %s", acao ? acao : "no header");
    harness_resp_free(&r);
    unlink(conf);
    free(token);
}
END_TEST

/* ------------------------------------------------------------ unix socket */

/* The status of GET path over the unix socket at sock, 0 when nothing answers. */
static int unix_get(const char *sock, const char *path)
{
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    snprintf(sun.sun_path, sizeof sun.sun_path, "%s", sock);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof sun) != 0) {
        if (fd >= 0)
            close(fd);
        return 0;
    }
    char req[256], buf[8192];
    snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", path);
    int status = 0;
    if (harness_send_all(fd, req, strlen(req)) == 0 &&
        harness_recv_response(fd, buf, sizeof buf, 3000) > 0)
        status = harness_raw_status(buf);
    close(fd);
    return status;
}

/* Starts onquotad on unix socket sock with extra flags (NULL-terminated)
 * into d; waits up to 10 s for /health/live there, or for an early exit
 * (d->pid is then 0 and the exit status is returned). Returns -1 when up. */
static int unix_daemon_start(struct harness_daemon *d, const char *sock, const char *const *extra)
{
    memset(d, 0, sizeof *d);
    static int seq;
    snprintf(d->log, sizeof d->log, "/tmp/onquotad-ops-%d-%d.log", (int)getpid(), ++seq);
    char listen[160];
    snprintf(listen, sizeof listen, "unix:%s", sock);
    const char *argv[32] = {harness_onquotad(),  "--listen",    listen,
                            "--database-url",    harness_db(),  "--redis-url",
                            getenv("REDIS_URL"), "--log-level", "warn"};
    int n = 9;
    for (const char *const *e = extra; e && *e && n < 30; e++)
        argv[n++] = *e;
    argv[n] = NULL;
    d->pid = harness_spawn_logged(argv, d->log, false);
    double deadline = harness_now_ms() + 10000;
    while (harness_now_ms() < deadline) {
        int rc = harness_daemon_wait(d, 1);
        if (rc != -1)
            return rc;
        if (unix_get(sock, "/health/live") == 200)
            return -1;
        harness_sleep_ms(20);
    }
    harness_daemon_kill(d);
    ck_abort_msg("expected onquotad on %s within 10 s", sock);
    return 0;
}

static char sock_path[108];

static void sock_name(void)
{
    snprintf(sock_path, sizeof sock_path, "/tmp/onquota-ops-%d.sock", (int)getpid());
    unlink(sock_path);
}

/* Item 4: the socket file gets listen_socket_mode and listen_socket_group. */
START_TEST(unix_socket_mode_and_group)
{
    sock_name();
    ck_assert_int_eq(unix_daemon_start(&A, sock_path, NULL), -1);
    struct stat st;
    ck_assert_int_eq(stat(sock_path, &st), 0);
    ck_assert_msg((st.st_mode & 0777) == 0660, "expected mode 0660 by default, got %04o",
                  st.st_mode & 0777);
    harness_daemon_stop_clean(&A);
    ck_assert_msg(access(sock_path, F_OK) != 0, "expected the socket removed at exit");

    struct group *gr = getgrgid(getegid());
    ck_assert_ptr_nonnull(gr);
    char group[64];
    snprintf(group, sizeof group, "%s", gr->gr_name);
    ck_assert_int_eq(
        unix_daemon_start(&A, sock_path,
                          FLAGS("--listen-socket-mode", "0600", "--listen-socket-group", group)),
        -1);
    ck_assert_int_eq(stat(sock_path, &st), 0);
    ck_assert_msg((st.st_mode & 0777) == 0600, "expected mode 0600, got %04o", st.st_mode & 0777);
    ck_assert_int_eq(st.st_gid, gr->gr_gid);
}
END_TEST

/* Item 4: a second daemon on the socket of a running one refuses to start,
 * and the first keeps serving on it. */
START_TEST(unix_socket_of_a_live_daemon_is_refused)
{
    sock_name();
    ck_assert_int_eq(unix_daemon_start(&A, sock_path, NULL), -1);
    /* B cannot be told from A by answers on the socket: wait for its exit. */
    memset(&B, 0, sizeof B);
    snprintf(B.log, sizeof B.log, "/tmp/onquotad-ops-%d-b.log", (int)getpid());
    char listen[160];
    snprintf(listen, sizeof listen, "unix:%s", sock_path);
    B.pid = harness_spawn_logged(FLAGS(harness_onquotad(), "--listen", listen, "--database-url",
                                       harness_db(), "--redis-url", getenv("REDIS_URL"),
                                       "--log-level", "warn"),
                                 B.log, false);
    int rc = harness_daemon_wait(&B, 8000);
    if (rc == -1)
        harness_daemon_kill(&B);
    ck_assert_msg(rc > 0, "expected the second daemon to refuse the live socket, got %d", rc);
    char *log = harness_daemon_log(&B);
    ck_assert_msg(strstr(log, "already in use"), "expected the reason in the log:\n%s", log);
    free(log);
    ck_assert_int_eq(unix_get(sock_path, "/health/live"), 200);
    harness_daemon_stop_clean(&A);
    ck_assert_msg(access(sock_path, F_OK) != 0, "expected the socket removed at exit");
}
END_TEST

/* Item 4: a stale socket file (nobody answers) is replaced. */
START_TEST(unix_stale_socket_is_replaced)
{
    sock_name();
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    snprintf(sun.sun_path, sizeof sun.sun_path, "%s", sock_path);
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&sun, sizeof sun), 0);
    close(fd); /* the file stays, nobody listens */
    ck_assert_int_eq(unix_daemon_start(&A, sock_path, NULL), -1);
    ck_assert_int_eq(unix_get(sock_path, "/health/live"), 200);
}
END_TEST

/* ------------------------------------------------------------ logs */

/* The first log line of d with "msg": msg and every "key": value of
 * want ("k=v" strings, NULL-terminated; values compared as text), as a
 * parsed object (caller frees), or NULL. */
static cJSON *log_find(const struct harness_daemon *d, const char *msg, const char *const *want)
{
    char *log = harness_daemon_log(d);
    cJSON *found = NULL;
    for (char *line = log, *next; line && *line && !found; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        cJSON *j = cJSON_Parse(line + (line[0] == '<' ? strcspn(line, ">") + 1 : 0));
        bool ok = j && harness_jstr(j, "msg") && !strcmp(harness_jstr(j, "msg"), msg);
        for (const char *const *w = want; ok && w && *w; w++) {
            const char *eq = strchr(*w, '=');
            char key[64];
            snprintf(key, sizeof key, "%.*s", (int)(eq - *w), *w);
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);
            char text[64] = "";
            if (cJSON_IsString(v))
                snprintf(text, sizeof text, "%s", v->valuestring);
            else if (cJSON_IsNumber(v))
                snprintf(text, sizeof text, "%g", v->valuedouble);
            ok = v && !strcmp(text, eq + 1);
        }
        if (ok)
            found = j;
        else
            cJSON_Delete(j);
    }
    free(log);
    return found;
}

/* Waits up to timeout_ms for log_find to find the line. */
static cJSON *log_wait(const struct harness_daemon *d, const char *msg, const char *const *want,
                       int timeout_ms)
{
    double deadline = harness_now_ms() + timeout_ms;
    cJSON *j;
    while (!(j = log_find(d, msg, want)) && harness_now_ms() < deadline)
        harness_sleep_ms(100);
    return j;
}

static void services_restore(void)
{
    harness_service_try("start", "redis");
}

/* Item 9: a dependency's outage and return, and readiness with it, are
 * logged (warn, info with the duration); a 5xx answer is logged at warn. */
START_TEST(dependency_changes_are_logged)
{
    harness_daemon_start(&A, harness_db(), FLAGS("--log-level", "info", "--health-probe-s", "1"));
    cJSON *j = log_wait(&A, "dependency up", FLAGS("dependency=redis", "level=info"), 5000);
    ck_assert_msg(j, "expected Redis logged up at start");
    cJSON_Delete(j);
    harness_service("stop", "redis");
    j = log_wait(&A, "dependency down", FLAGS("dependency=redis", "level=warn"), 5000);
    ck_assert_msg(j && harness_jstr(j, "reason") && *harness_jstr(j, "reason"),
                  "expected a warning that Redis is down, with the reason");
    cJSON_Delete(j);
    j = log_wait(&A, "not ready", FLAGS("failed=redis", "level=warn"), 5000);
    ck_assert_msg(j, "expected a warning that readiness was lost");
    cJSON_Delete(j);
    struct harness_resp r;
    harness_sleep_ms(1100);
    ck_assert_int_eq(harness_get(&A, "/health/ready", NULL, &r), 503);
    harness_resp_free(&r);
    j = log_wait(&A, "request", FLAGS("route=/health/ready", "status=503", "level=warn"), 3000);
    ck_assert_msg(j, "expected the 503 logged at warn");
    cJSON_Delete(j);

    harness_service("start", "redis");
    j = log_wait(&A, "dependency up", FLAGS("dependency=redis", "level=info"), 8000);
    ck_assert_msg(j, "expected Redis logged up again");
    cJSON_Delete(j);
    /* the first "up" line is the start's; the return carries down_s */
    char *log = NULL;
    for (double end = harness_now_ms() + 8000; harness_now_ms() < end; harness_sleep_ms(100)) {
        free(log);
        log = harness_daemon_log(&A);
        if (strstr(log, "\"down_s\":") && strstr(log, "\"not_ready_s\":"))
            break;
    }
    ck_assert_msg(strstr(log, "\"down_s\":"), "expected the outage's duration:\n%s", log);
    ck_assert_msg(strstr(log, "\"not_ready_s\":"), "expected readiness back with a duration:\n%s",
                  log);
    free(log);
}
END_TEST

/* Item 9: --log-level debug names statements with their timings, and
 * cache decisions. */
START_TEST(debug_log_names_statements_and_cache_decisions)
{
    char *token = harness_token_create(harness_db(), "admin@acme.example", "ops-debug", 1);
    ck_assert_ptr_nonnull(token);
    harness_daemon_start(&A, harness_db(), FLAGS("--log-level", "debug"));
    struct harness_resp r;
    ck_assert_int_eq(harness_get(&A, "/api/v1/auth/me", token, &r), 200);
    harness_resp_free(&r);
    ck_assert_int_eq(harness_get(&A, "/api/v1/dashboard/kpis", token, &r), 200);
    harness_resp_free(&r);
    ck_assert_int_eq(harness_get(&A, "/api/v1/dashboard/kpis", token, &r), 200);
    harness_resp_free(&r);
    cJSON *j = log_wait(&A, "sql", FLAGS("level=debug", "result=ok"), 3000);
    ck_assert_msg(j && harness_jstr(j, "statement") && cJSON_IsNumber(cJSON_GetObjectItem(j, "ms")),
                  "expected a debug line per statement with its name and time");
    cJSON_Delete(j);
    j = log_wait(&A, "cache", FLAGS("level=debug", "route=/api/v1/dashboard/kpis", "result=HIT"),
                 3000);
    ck_assert_msg(j && harness_jstr(j, "from"),
                  "expected a debug line for the cache hit and its source");
    cJSON_Delete(j);
    free(token);
}
END_TEST

/* Item 9: under systemd's journal every line starts with its syslog priority. */
START_TEST(journal_lines_carry_priorities)
{
    memset(&A, 0, sizeof A);
    A.port = harness_free_port();
    snprintf(A.log, sizeof A.log, "/tmp/onquotad-ops-%d-journal.log", (int)getpid());
    FILE *f = fopen(A.log, "w");
    ck_assert_ptr_nonnull(f);
    fclose(f);
    struct stat st;
    ck_assert_int_eq(stat(A.log, &st), 0);
    char js[64], listen[32];
    snprintf(js, sizeof js, "%llu:%llu", (unsigned long long)st.st_dev,
             (unsigned long long)st.st_ino);
    snprintf(listen, sizeof listen, "127.0.0.1:%d", A.port);
    setenv("JOURNAL_STREAM", js, 1);
    A.pid = harness_spawn_logged(FLAGS(harness_onquotad(), "--listen", listen, "--database-url",
                                       harness_db(), "--redis-url", getenv("REDIS_URL"),
                                       "--log-level", "info", "--log-format", "json"),
                                 A.log, true);
    unsetenv("JOURNAL_STREAM");
    struct harness_resp r;
    double deadline = harness_now_ms() + 10000;
    long status = 0;
    while (status != 200 && harness_now_ms() < deadline) {
        harness_sleep_ms(50);
        status = harness_http_timeout(&A, "GET", "/health/live", NULL, NULL, &r, 500);
        harness_resp_free(&r);
    }
    ck_assert_int_eq(status, 200);
    ck_assert_int_eq(harness_get(&A, "/nowhere", NULL, &r), 404);
    harness_resp_free(&r);
    harness_sleep_ms(100);
    char *log = harness_daemon_log(&A);
    ck_assert_msg(!strncmp(log, "<6>{", 4), "expected lines to start with <6>:\n%s", log);
    for (const char *p = log; *p; p = strchr(p, '\n') + 1) {
        ck_assert_msg(p[0] == '<' && p[2] == '>', "expected a priority on every line:\n%s", p);
        if (!strchr(p, '\n'))
            break;
    }
    free(log);
}
END_TEST

/* ------------------------------------------------------------ readiness */

/* "host=... port=N" of the scratch database with the port replaced by a
 * dead one (same database name, so the same fleet). */
static void dead_db_url(char *out, size_t n)
{
    const char *url = harness_db();
    const char *host = strstr(url, "@127.0.0.1:");
    ck_assert_msg(host, "expected a 127.0.0.1 URL, got %s", url);
    const char *path = strchr(host + 11, '/');
    snprintf(out, n, "%.*s@127.0.0.1:1%s", (int)(host - url), url, path);
}

/* Item 9: /health/ready shows failure details (hosts, ports) to loopback
 * and admin tokens only; others see that it failed. */
START_TEST(readiness_details_only_for_loopback_or_admin)
{
    char *token = harness_token_create(harness_db(), "admin@acme.example", "ops-ready", 1);
    ck_assert_ptr_nonnull(token);
    /* A daemon on the real database caches the admin token in the fleet. */
    harness_daemon_start(&B, harness_db(), NULL);
    struct harness_resp r;
    ck_assert_int_eq(harness_get(&B, "/api/v1/auth/me", token, &r), 200);
    harness_resp_free(&r);
    harness_daemon_stop_clean(&B);

    char dead[512];
    dead_db_url(dead, sizeof dead);
    harness_daemon_start(&A, dead, FLAGS("--trusted-proxies", "127.0.0.1"));
    const char *outside[] = {"X-Forwarded-For: 203.0.113.50", NULL};
    ck_assert_int_eq(harness_http(&A, "GET", "/health/ready", outside, NULL, &r), 503);
    const char *db = harness_jstr(
        cJSON_GetObjectItem(cJSON_GetObjectItem(harness_json(&r), "components"), "database"),
        "database");
    ck_assert_msg(db && !strstr(db, "127.0.0.1") && !strstr(db, "port"),
                  "expected no host or port for an outside client, got %s", db ? db : "nothing");
    harness_resp_free(&r);
    const char *ietf[] = {"X-Forwarded-For: 203.0.113.50", "Accept: application/health+json", NULL};
    ck_assert_int_eq(harness_http(&A, "GET", "/health/ready", ietf, NULL, &r), 503);
    ck_assert_msg(!strstr(r.body, "127.0.0.1") && !strstr(r.body, "port 1"),
                  "expected no host or port in health+json for an outside client: %s", r.body);
    harness_resp_free(&r);

    ck_assert_int_eq(harness_http(&A, "GET", "/health/ready", NULL, NULL, &r), 503);
    ck_assert_msg(strstr(r.body, "port 1"), "expected the details on loopback: %s", r.body);
    harness_resp_free(&r);

    char auth[256];
    const char *admin[] = {"X-Forwarded-For: 203.0.113.50",
                           harness_bearer(auth, sizeof auth, token), NULL};
    ck_assert_int_eq(harness_http(&A, "GET", "/health/ready", admin, NULL, &r), 503);
    ck_assert_msg(strstr(r.body, "port 1"), "expected the details with an admin token: %s", r.body);
    harness_resp_free(&r);
    free(token);
}
END_TEST

/* ------------------------------------------------------------ metrics */

/* The value of one series of d's /metrics ("name{labels}" or "name"), or -1. */
static double metric(const struct harness_daemon *d, const char *series)
{
    struct harness_resp r;
    ck_assert_int_eq(harness_get(d, "/metrics", NULL, &r), 200);
    double v = -1;
    for (const char *p = r.body; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        if (!strncmp(p, series, strlen(series)) && p[strlen(series)] == ' ')
            v = atof(p + strlen(series) + 1);
    harness_resp_free(&r);
    return v;
}

static bool metric_becomes(const struct harness_daemon *d, const char *series, double min, int ms)
{
    double deadline = harness_now_ms() + ms;
    while (metric(d, series) < min && harness_now_ms() < deadline)
        harness_sleep_ms(100);
    return metric(d, series) >= min;
}

/* Item 13: process_*, one gauge per dependency, requests in flight, open
 * connections and each job's last success. */
START_TEST(operational_metrics)
{
    harness_daemon_start(&A, harness_db(), FLAGS("--job-quote-expiry-s", "1"));
    struct harness_resp r;
    ck_assert_int_eq(harness_get(&A, "/health/ready", NULL, &r), 200);
    harness_resp_free(&r);
    static const char *const process[] = {"process_cpu_seconds_total", "process_open_fds",
                                          "process_max_fds", "process_resident_memory_bytes",
                                          "process_start_time_seconds"};
    for (size_t i = 0; i < sizeof process / sizeof process[0]; i++)
        ck_assert_msg(metric(&A, process[i]) >= (i == 0 ? 0 : 1), "expected %s", process[i]);
    ck_assert_msg(metric(&A, "process_max_fds") >= metric(&A, "process_open_fds"),
                  "expected open fds under the limit");
    ck_assert_msg(metric(&A, "onquota_dependency_up{dependency=\"database\"}") == 1,
                  "expected the database gauge at 1");
    ck_assert_msg(metric(&A, "onquota_dependency_up{dependency=\"redis\"}") == 1,
                  "expected the redis gauge at 1");
    ck_assert_msg(metric(&A, "onquota_http_requests_in_flight") >= 1,
                  "expected the scrape itself in flight");
    ck_assert_msg(metric(&A, "onquota_http_connections_open") >= 1,
                  "expected the scrape's connection open");
    ck_assert_msg(metric_becomes(&A,
                                 "onquota_job_last_success_timestamp_seconds{job=\"quote_expiry\"}",
                                 metric(&A, "process_start_time_seconds"), 5000),
                  "expected quote_expiry's last success after the start");
}
END_TEST

/* Item 12: the warm-up's computations are no client's cache lookups. */
START_TEST(warmup_is_not_counted_as_cache_lookups)
{
    harness_daemon_start(&A, harness_db(), NULL);
    ck_assert_msg(
        metric_becomes(&A, "onquota_jobs_runs_total{job=\"cache_warmup\",result=\"ok\"}", 1, 10000),
        "expected the warm-up to run");
    static const char *const results[] = {"hit", "miss", "stale", "bypass"};
    for (size_t i = 0; i < sizeof results / sizeof results[0]; i++) {
        char series[96];
        snprintf(series, sizeof series, "onquota_cache_requests_total{result=\"%s\"}", results[i]);
        ck_assert_msg(metric(&A, series) == 0, "expected %s 0 after the warm-up alone, got %g",
                      series, metric(&A, series));
    }
}
END_TEST

/* ------------------------------------------------------------ replica lag */

static char replica_dir[128];

static void replica_stop(void)
{
    if (!replica_dir[0])
        return;
    char script[1024];
    snprintf(script, sizeof script, "%s/tests/integration/replica.sh",
             getenv("ONQUOTA_SOURCE_ROOT"));
    harness_run(FLAGS(script, "stop", replica_dir), NULL, NULL, NULL, NULL);
    replica_dir[0] = '\0';
}

/* Starts a streaming replica of the test PostgreSQL; its URL (the scratch
 * database on it) goes to url. */
static void replica_start(char *url, size_t n)
{
    const char *primary = getenv("ONQUOTA_PG_PORT");
    ck_assert_msg(primary && *primary, "ONQUOTA_PG_PORT must be set");
    char script[1024], port[16], *err = NULL;
    snprintf(script, sizeof script, "%s/tests/integration/replica.sh",
             getenv("ONQUOTA_SOURCE_ROOT"));
    snprintf(replica_dir, sizeof replica_dir, "/tmp/onquota-ops-replica-%d", (int)getpid());
    snprintf(port, sizeof port, "%d", harness_free_port());
    int rc =
        harness_run(FLAGS(script, "start", replica_dir, port, primary), NULL, NULL, NULL, &err);
    ck_assert_msg(rc == 0, "expected a replica to start: %s", err ? err : "");
    free(err);
    const char *db = strrchr(harness_db(), '/');
    snprintf(url, n, "postgresql://postgres@127.0.0.1:%s%s", port, db);
}

static char *kpi_revenue(const struct harness_daemon *d, const char *token, const char **cache)
{
    struct harness_resp r;
    ck_assert_int_eq(harness_get(d, "/api/v1/dashboard/kpis", token, &r), 200);
    char *v = cJSON_PrintUnformatted(cJSON_GetObjectItem(
        cJSON_GetObjectItem(harness_json(&r), "total_revenue"), "current_value"));
    static char xcache[16];
    snprintf(xcache, sizeof xcache, "%s",
             harness_header(&r, "X-Cache") ? harness_header(&r, "X-Cache") : "");
    *cache = xcache;
    harness_resp_free(&r);
    return v;
}

/* Item 10: after a write, dashboards are not computed from a replica that
 * has not replayed it (the replica's replay is paused here), and readiness
 * reports the replica as database_read. */
START_TEST(lagging_replica_is_not_read_after_a_write)
{
    char *token = harness_token_create(harness_db(), "admin@acme.example", "ops-replica", 1);
    ck_assert_ptr_nonnull(token);
    char replica[256];
    replica_start(replica, sizeof replica);
    harness_daemon_start(
        &A, harness_db(),
        FLAGS("--database-read-url", replica, "--no-jobs", "--health-probe-s", "3600"));
    struct harness_resp r;
    ck_assert_int_eq(harness_get(&A, "/health/ready", NULL, &r), 200);
    const cJSON *read =
        cJSON_GetObjectItem(cJSON_GetObjectItem(harness_json(&r), "components"), "database_read");
    ck_assert_msg(read && !strcmp(harness_jstr(read, "status"), "healthy"),
                  "expected a healthy database_read component: %s", r.body);
    harness_resp_free(&r);

    const char *cache;
    char *before = kpi_revenue(&A, token, &cache);
    ck_assert_int_eq(harness_psql(replica, "SELECT pg_wal_replay_pause()"), 0);
    char state[32] = "";
    for (double end = harness_now_ms() + 10000;
         strcmp(state, "paused") && harness_now_ms() < end;) {
        harness_sleep_ms(50);
        harness_psql_into(replica, state, sizeof state, "SELECT pg_get_wal_replay_pause_state()",
                          NULL);
    }
    ck_assert_str_eq(state, "paused");
    ck_assert_int_eq(
        harness_psql(harness_db(),
                     "INSERT INTO quotes (tenant_id, client_id, sales_rep_id, quote_number,"
                     " total_amount, status, valid_until, accepted_at)"
                     " SELECT c.tenant_id, c.id, u.id, 'Q-OPS-REPLICA', 4321.09, 'accepted',"
                     " current_date + 30, now() FROM clients c JOIN users u"
                     " ON u.tenant_id = c.tenant_id AND u.email = 'admin@acme.example'"
                     " WHERE NOT c.is_deleted ORDER BY c.created_at LIMIT 1"),
        0);
    /* The write goes through the daemon's invalidation, as an API write does. */
    ck_assert_int_eq(harness_send(&A, "POST", "/api/v1/admin/cache/invalidate", token, NULL, &r),
                     204);
    harness_resp_free(&r);
    char *after = kpi_revenue(&A, token, &cache);
    ck_assert_msg(strcmp(before, after) != 0,
                  "expected the write in the dashboard at once (replica paused), still %s (%s)",
                  after, cache);
    free(after);

    ck_assert_int_eq(harness_psql(replica, "SELECT pg_wal_replay_resume()"), 0);
    harness_psql(harness_db(), "DELETE FROM quotes WHERE quote_number = 'Q-OPS-REPLICA'");
    ck_assert_int_eq(harness_send(&A, "POST", "/api/v1/admin/cache/invalidate", token, NULL, &r),
                     204);
    harness_resp_free(&r);
    after = kpi_revenue(&A, token, &cache);
    ck_assert_str_eq(after, before);
    free(after);
    free(before);
    free(token);
}
END_TEST

/* ------------------------------------------------------------ setup */

static int setup(const char *db)
{
    static const char *const reset[] = {"--scale", "1", "--reset", NULL};
    return harness_seed_demo(db, reset);
}

static TCase *group(Suite *s, const char *name)
{
    TCase *tc = harness_tcase(s, name);
    tcase_add_checked_fixture(tc, NULL, down);
    return tc;
}

int main(void)
{
    Suite *s = suite_create("ops");
    TCase *tc = group(s, "scripts");
    tcase_add_test(tc, service_ports_below_ephemeral_range);
    tc = group(s, "signals");
    tcase_add_test(tc, term_then_hup_still_stops);
    tcase_add_test(tc, hup_applies_live_keys_and_names_the_rest);
    tc = group(s, "logs");
    tcase_add_checked_fixture(tc, NULL, services_restore);
    tcase_add_test(tc, dependency_changes_are_logged);
    tcase_add_test(tc, debug_log_names_statements_and_cache_decisions);
    tcase_add_test(tc, journal_lines_carry_priorities);
    tcase_add_test(tc, readiness_details_only_for_loopback_or_admin);
    tc = group(s, "metrics");
    tcase_add_test(tc, operational_metrics);
    tcase_add_test(tc, warmup_is_not_counted_as_cache_lookups);
    tc = group(s, "replica");
    tcase_add_checked_fixture(tc, NULL, replica_stop);
    tcase_add_test(tc, lagging_replica_is_not_read_after_a_write);
    tc = group(s, "unix_socket");
    tcase_add_test(tc, unix_socket_mode_and_group);
    tcase_add_test(tc, unix_socket_of_a_live_daemon_is_refused);
    tcase_add_test(tc, unix_stale_socket_is_replaced);
    return harness_main(s, "it_ops", setup);
}

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

static struct h_daemon A, B;

static void down(void)
{
    h_daemon_stop_clean(&A);
    h_daemon_stop_clean(&B);
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
    int rc =
        h_run(FLAGS("env", "-u", "ONQUOTA_PG_PORT", "-u", "ONQUOTA_REDIS_PORT", services(), "env"),
              NULL, NULL, &out, NULL);
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
    rc = h_run(FLAGS(services(), "env"), NULL,
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
        h_daemon_start(&A, h_db(), NULL);
        kill(A.pid, SIGTERM);
        kill(A.pid, SIGHUP);
        int rc = h_daemon_wait(&A, 15000);
        if (rc == -1)
            h_daemon_kill(&A);
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
static bool log_shows(const struct h_daemon *d, const char *text, int timeout_ms)
{
    double deadline = h_now_ms() + timeout_ms;
    do {
        char *log = h_daemon_log(d);
        bool found = log && strstr(log, text);
        free(log);
        if (found)
            return true;
        h_sleep_ms(50);
    } while (h_now_ms() < deadline);
    return false;
}

/* How many of n GETs of path answer 429. */
static int count_429(const struct h_daemon *d, const char *path, const char *token, int n)
{
    int refused = 0;
    for (int i = 0; i < n; i++) {
        struct h_resp r;
        long st = h_get(d, path, token, &r);
        h_resp_free(&r);
        ck_assert_msg(st == 200 || st == 429, "expected 200 or 429 from %s, got %ld", path, st);
        refused += st == 429;
    }
    return refused;
}

/* Item 2: SIGHUP applies the rate limit and CORS at once, and names each
 * changed key that needs a restart. */
START_TEST(hup_applies_live_keys_and_names_the_rest)
{
    char conf[128], *token = h_token_create(h_db(), "admin@acme.example", "ops-hup", 1);
    ck_assert_ptr_nonnull(token);
    write_config(conf, sizeof conf, "rate_limit_per_token = 0\nio_threads = 2\n");
    h_daemon_start(&A, h_db(), FLAGS("--config", conf));
    ck_assert_int_eq(count_429(&A, "/api/v1/auth/me", token, 6), 0);

    write_config(conf, sizeof conf,
                 "rate_limit_per_token = 1/1\nio_threads = 3\njob_quote_expiry_s = 77\n"
                 "cors_origins = https://app.example\n");
    kill(A.pid, SIGHUP);
    ck_assert_msg(log_shows(&A, "need a restart", 5000),
                  "expected a warning naming the keys that need a restart");
    char *log = h_daemon_log(&A);
    ck_assert_msg(strstr(log, "io_threads") && strstr(log, "job_quote_expiry_s"),
                  "expected the warning to name io_threads and job_quote_expiry_s:\n%s", log);
    ck_assert_msg(!strstr(log, "rate_limit_per_token, ") && !strstr(log, "cors_origins, "),
                  "expected live keys not to be named as needing a restart:\n%s", log);
    free(log);
    ck_assert_int_ge(count_429(&A, "/api/v1/auth/me", token, 4), 2);

    struct h_resp r;
    char auth[256];
    const char *hdr[] = {"Origin: https://app.example", h_bearer(auth, sizeof auth, token), NULL};
    ck_assert_int_eq(h_http(&A, "GET", "/health", hdr, NULL, &r), 200);
    const char *acao = h_header(&r, "Access-Control-Allow-Origin");
    ck_assert_msg(acao && !strcmp(acao, "https://app.example"),
                  "expected CORS on after SIGHUP, got %s", acao ? acao : "no header");
    h_resp_free(&r);
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
    if (h_send_all(fd, req, strlen(req)) == 0 && h_recv_response(fd, buf, sizeof buf, 3000) > 0)
        status = h_raw_status(buf);
    close(fd);
    return status;
}

/* Starts onquotad on unix socket sock with extra flags (NULL-terminated)
 * into d; waits up to 10 s for /health/live there, or for an early exit
 * (d->pid is then 0 and the exit status is returned). Returns -1 when up. */
static int unix_daemon_start(struct h_daemon *d, const char *sock, const char *const *extra)
{
    memset(d, 0, sizeof *d);
    static int seq;
    snprintf(d->log, sizeof d->log, "/tmp/onquotad-ops-%d-%d.log", (int)getpid(), ++seq);
    char listen[160];
    snprintf(listen, sizeof listen, "unix:%s", sock);
    const char *argv[32] = {h_onquotad(),        "--listen",    listen,
                            "--database-url",    h_db(),        "--redis-url",
                            getenv("REDIS_URL"), "--log-level", "warn"};
    int n = 9;
    for (const char *const *e = extra; e && *e && n < 30; e++)
        argv[n++] = *e;
    argv[n] = NULL;
    d->pid = h_spawn_logged(argv, d->log, false);
    double deadline = h_now_ms() + 10000;
    while (h_now_ms() < deadline) {
        int rc = h_daemon_wait(d, 1);
        if (rc != -1)
            return rc;
        if (unix_get(sock, "/health/live") == 200)
            return -1;
        h_sleep_ms(20);
    }
    h_daemon_kill(d);
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
    h_daemon_stop_clean(&A);
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
    B.pid = h_spawn_logged(FLAGS(h_onquotad(), "--listen", listen, "--database-url", h_db(),
                                 "--redis-url", getenv("REDIS_URL"), "--log-level", "warn"),
                           B.log, false);
    int rc = h_daemon_wait(&B, 8000);
    if (rc == -1)
        h_daemon_kill(&B);
    ck_assert_msg(rc > 0, "expected the second daemon to refuse the live socket, got %d", rc);
    char *log = h_daemon_log(&B);
    ck_assert_msg(strstr(log, "already in use"), "expected the reason in the log:\n%s", log);
    free(log);
    ck_assert_int_eq(unix_get(sock_path, "/health/live"), 200);
    h_daemon_stop_clean(&A);
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

/* ------------------------------------------------------------ setup */

static int setup(const char *db)
{
    static const char *const reset[] = {"--scale", "1", "--reset", NULL};
    return h_seed_demo(db, reset);
}

static TCase *group(Suite *s, const char *name)
{
    TCase *tc = h_tcase(s, name);
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
    tc = group(s, "unix_socket");
    tcase_add_test(tc, unix_socket_mode_and_group);
    tcase_add_test(tc, unix_socket_of_a_live_daemon_is_refused);
    tcase_add_test(tc, unix_stale_socket_is_replaced);
    return h_main(s, "it_ops", setup);
}

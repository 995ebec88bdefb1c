/* Integration-test harness: the run, child processes, scratch databases and onquotad daemons. */
#include "harness.h"

#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Scratch database: the server's own URL (libpq form) and ours. */
static char admin_url[1024];
static char scratch_url[1024];
static char scratch_name[64];

/* True while harness_main sets up, outside any test: failures then print and exit
 * instead of going through Check, which only reports from inside a test. */
static bool outside_tests;

static void fail_outside(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void fail_outside(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("harness: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

#define H_ASSERT(cond, ...)                                                                        \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            if (outside_tests)                                                                     \
                fail_outside(__VA_ARGS__);                                                         \
            ck_abort_msg(__VA_ARGS__);                                                             \
        }                                                                                          \
    } while (0)

/* ================================================================ misc */

double harness_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

void harness_sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

bool harness_is_rfc3339z(const char *s)
{
    int y, mo, d, h, mi, sec, n = 0;
    if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 ||
        n != 19)
        return false;
    s += n;
    if (*s == '.')
        for (s++; isdigit((unsigned char)*s); s++)
            ;
    return !strcmp(s, "Z") && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h < 24 && mi < 60;
}

const char *harness_bearer(char *out, size_t n, const char *token)
{
    snprintf(out, n, "Authorization: Bearer %s", token);
    return out;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return strdup("");
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)(n > 0 ? n : 0) + 1);
    size_t got = n > 0 ? fread(s, 1, (size_t)n, f) : 0;
    s[got] = '\0';
    fclose(f);
    return s;
}

static const char *tmp_dir(void)
{
    static char dir[256];
    if (!dir[0]) {
        const char *t = getenv("TMPDIR");
        snprintf(dir, sizeof dir, "%.100s/onquota-it", t && *t ? t : "/tmp");
        mkdir(dir, 0700);
    }
    return dir;
}

/* ================================================================ processes */

void harness_assert_no_sanitizer(const char *text, const char *what)
{
    static const char *const marks[] = {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
                                        "runtime error:", "SUMMARY: UndefinedBehaviorSanitizer"};
    for (size_t i = 0; text && i < sizeof marks / sizeof marks[0]; i++) {
        const char *hit = strstr(text, marks[i]);
        H_ASSERT(!hit, "%s: expected no sanitizer report, found:\n%.1500s", what, hit);
    }
}

const char *harness_onquotad(void)
{
    const char *p = getenv("ONQUOTAD");
    return p && *p ? p : "onquotad";
}

/* Waits for pid (0 < timeout_ms: give up after it); returns the exit status
 * as harness_run describes, or -1 when still running. */
static int wait_status(pid_t pid, int timeout_ms)
{
    double deadline = harness_now_ms() + timeout_ms;
    for (;;) {
        int st;
        pid_t r = waitpid(pid, &st, timeout_ms > 0 ? WNOHANG : 0);
        if (r == pid)
            return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        if (r < 0 && errno != EINTR)
            return -2;
        if (timeout_ms > 0 && harness_now_ms() > deadline)
            return -1;
        if (r == 0)
            harness_sleep_ms(5);
    }
}

int harness_run(const char *const *argv, const char *input, const char *const *env, char **out,
                char **err)
{
    char opath[300], epath[300];
    snprintf(opath, sizeof opath, "%s/run-%d-out-XXXXXX", tmp_dir(), (int)getpid());
    snprintf(epath, sizeof epath, "%s/run-%d-err-XXXXXX", tmp_dir(), (int)getpid());
    int ofd = mkstemp(opath), efd = mkstemp(epath), in[2];
    H_ASSERT(ofd >= 0 && efd >= 0 && pipe(in) == 0, "harness_run: temp files: %s", strerror(errno));
    pid_t pid = fork();
    H_ASSERT(pid >= 0, "harness_run: fork: %s", strerror(errno));
    if (pid == 0) {
        dup2(in[0], 0);
        dup2(ofd, 1);
        dup2(efd, 2);
        close(in[1]);
        for (const char *const *e = env; e && *e; e++)
            putenv((char *)*e);
        execvp(argv[0], (char *const *)argv);
        fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(in[0]);
    if (input) {
        size_t n = strlen(input);
        H_ASSERT(write(in[1], input, n) == (ssize_t)n, "harness_run: writing stdin");
    }
    close(in[1]);
    int rc = wait_status(pid, 0);
    close(ofd);
    close(efd);
    char *o = read_file(opath), *e = read_file(epath);
    unlink(opath);
    unlink(epath);
    harness_assert_no_sanitizer(e, argv[0]);
    if (out)
        *out = o;
    else
        free(o);
    if (err)
        *err = e;
    else
        free(e);
    return rc;
}

static const char *services_path(void)
{
    static char fallback[1024];
    const char *path = getenv("ONQUOTA_SERVICES");
    if (path && *path)
        return path;
    const char *root = getenv("ONQUOTA_SOURCE_ROOT");
    snprintf(fallback, sizeof fallback, "%s/scripts/services", root ? root : ".");
    return fallback;
}

void harness_service(const char *verb, const char *which)
{
    char *err = NULL;
    int rc = harness_run((const char *const[]){services_path(), verb, which, NULL}, NULL, NULL,
                         NULL, &err);
    ck_assert_msg(rc == 0, "expected '%s %s %s' to exit 0, got %d: %s", services_path(), verb,
                  which, rc, err);
    free(err);
}

int harness_service_try(const char *verb, const char *which)
{
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        dup2(null, 0);
        dup2(null, 1);
        execl(services_path(), services_path(), verb, which, (char *)NULL);
        _exit(127);
    }
    return pid < 0 ? -1 : wait_status(pid, 0);
}

/* ================================================================ databases */

/* Copies url into out with the database path replaced by name and the
 * scheme in libpq's form. */
static int url_with_db(const char *url, const char *name, char *out, size_t n)
{
    const char *sep = strstr(url, "://");
    if (!sep)
        return -1;
    const char *auth = sep + 3;
    const char *path = auth + strcspn(auth, "/?");
    const char *query = strchr(path, '?');
    snprintf(out, n, "postgresql://%.*s/%s%s", (int)(path - auth), auth, name, query ? query : "");
    return 0;
}

PGconn *harness_pg_connect(const char *db_url)
{
    PGconn *c = PQconnectdb(db_url);
    if (PQstatus(c) != CONNECTION_OK) {
        fprintf(stderr, "harness: cannot connect to %s: %s", db_url, PQerrorMessage(c));
        PQfinish(c);
        return NULL;
    }
    PQclear(PQexec(c, "SET client_min_messages = warning"));
    return c;
}

int harness_pg_exec(PGconn *conn, const char *sql)
{
    PGresult *r = PQexec(conn, sql);
    ExecStatusType st = PQresultStatus(r);
    int rc = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? 0 : -1;
    if (rc)
        fprintf(stderr, "harness: SQL failed: %s\n  %s", sql, PQresultErrorMessage(r));
    PQclear(r);
    return rc;
}

int harness_psql(const char *db_url, const char *sql)
{
    PGconn *c = harness_pg_connect(db_url);
    if (!c)
        return -1;
    int rc = harness_pg_exec(c, sql);
    PQfinish(c);
    return rc;
}

char *harness_psql_value(const char *db_url, const char *sql, const char *param)
{
    PGconn *c = harness_pg_connect(db_url);
    if (!c)
        return NULL;
    const char *p[] = {param};
    PGresult *r = PQexecParams(c, sql, param ? 1 : 0, NULL, param ? p : NULL, NULL, NULL, 0);
    char *v = NULL;
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0 && !PQgetisnull(r, 0, 0))
        v = strdup(PQgetvalue(r, 0, 0));
    else if (PQresultStatus(r) != PGRES_TUPLES_OK)
        fprintf(stderr, "harness: SQL failed: %s\n  %s", sql, PQresultErrorMessage(r));
    PQclear(r);
    PQfinish(c);
    return v;
}

int harness_psql_into(const char *db_url, char *out, size_t n, const char *sql, const char *param)
{
    char *v = harness_psql_value(db_url, sql, param);
    if (!v)
        return -1;
    snprintf(out, n, "%s", v);
    free(v);
    return 0;
}

char *harness_sql_value(const char *sql)
{
    char *v = harness_psql_value(harness_db(), sql, NULL);
    ck_assert_msg(v != NULL, "expected a value from: %s", sql);
    return v;
}

long harness_sql_long(const char *sql)
{
    char *v = harness_sql_value(sql);
    long n = atol(v);
    free(v);
    return n;
}

bool harness_pg_wait_blocked(const char *db_url, int n, int timeout_ms)
{
    double deadline = harness_now_ms() + timeout_ms;
    do {
        char *v = harness_psql_value(db_url,
                                     "SELECT count(*) FROM pg_stat_activity WHERE datname ="
                                     " current_database() AND wait_event_type = 'Lock'",
                                     NULL);
        bool blocked = v && atoi(v) >= n;
        free(v);
        if (blocked)
            return true;
        harness_sleep_ms(10);
    } while (harness_now_ms() < deadline);
    return false;
}

const char *harness_db_create(const char *prefix)
{
    const char *base = getenv("DATABASE_URL");
    snprintf(scratch_name, sizeof scratch_name, "%s_%d", prefix, (int)getpid());
    if (!base || url_with_db(base, "postgres", admin_url, sizeof admin_url) != 0 ||
        url_with_db(base, scratch_name, scratch_url, sizeof scratch_url) != 0) {
        fprintf(stderr, "harness: DATABASE_URL '%s' is not a URL\n", base ? base : "");
        exit(1);
    }
    char sql[256];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS \"%s\" WITH (FORCE)", scratch_name);
    if (harness_psql(admin_url, sql) != 0) {
        scratch_name[0] = '\0';
        exit(1);
    }
    snprintf(sql, sizeof sql, "CREATE DATABASE \"%s\"", scratch_name);
    if (harness_psql(admin_url, sql) != 0) {
        scratch_name[0] = '\0';
        exit(1);
    }
    return scratch_url;
}

const char *harness_db(void)
{
    return scratch_url;
}

void harness_db_drop(void)
{
    if (!scratch_name[0])
        return;
    char sql[256];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS \"%s\" WITH (FORCE)", scratch_name);
    harness_psql(admin_url, sql);
    scratch_name[0] = '\0';
}

int harness_migrate(const char *db_url, char **out)
{
    char *err = NULL;
    int rc = harness_run(
        (const char *const[]){harness_onquotad(), "--database-url", db_url, "migrate", NULL}, NULL,
        NULL, out, &err);
    if (rc != 0)
        fprintf(stderr, "harness: onquotad migrate exited %d: %s\n", rc, err);
    free(err);
    return rc;
}

char *harness_user_add(const char *db_url, const char *tenant, const char *email, const char *role,
                       const char *password)
{
    char *err = NULL, *input = NULL;
    if (asprintf(&input, "%s\n", password) < 0)
        return NULL;
    int rc =
        harness_run((const char *const[]){harness_onquotad(), "--database-url", db_url, "user",
                                          "add", "--tenant", tenant, "--email", email, "--role",
                                          role, "--full-name", email, "--password-stdin", NULL},
                    input, NULL, NULL, &err);
    free(input);
    if (rc != 0)
        fprintf(stderr, "harness: onquotad user add %s exited %d: %s\n", email, rc, err);
    free(err);
    return rc == 0
               ? harness_psql_value(db_url, "SELECT id FROM users WHERE email = lower($1)", email)
               : NULL;
}

char *harness_token_create(const char *db_url, const char *email, const char *name, int days)
{
    char d[16], *out = NULL, *err = NULL;
    snprintf(d, sizeof d, "%d", days);
    const char *argv[] = {harness_onquotad(),
                          "--database-url",
                          db_url,
                          "token",
                          "create",
                          "--email",
                          email,
                          "--name",
                          name,
                          days ? "--days" : NULL,
                          d,
                          NULL};
    int rc = harness_run(argv, NULL, NULL, &out, &err);
    if (rc != 0) {
        fprintf(stderr, "harness: onquotad token create exited %d: %s\n", rc, err);
        free(out);
        out = NULL;
    } else {
        out[strcspn(out, "\r\n")] = '\0';
    }
    free(err);
    return out;
}

int harness_tokens(const char *db_url, const char *const *emails, int n, const char *name, int days,
                   char **out)
{
    for (int i = 0; i < n; i++)
        if (emails[i] && !(out[i] = harness_token_create(db_url, emails[i], name, days)))
            return -1;
    return 0;
}

int harness_seed_demo(const char *db_url, const char *const *extra)
{
    const char *argv[16] = {harness_onquotad(), "--database-url", db_url, "seed", "--demo"};
    size_t k = 5;
    for (size_t i = 0; extra && extra[i] && k < sizeof argv / sizeof argv[0] - 1; i++)
        argv[k++] = extra[i];
    argv[k] = NULL;
    return harness_run(argv, NULL, NULL, NULL, NULL);
}

/* ================================================================ daemons */

int harness_free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    int port = 0;
    if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    if (fd >= 0)
        close(fd);
    return port;
}

char *harness_daemon_log(const struct harness_daemon *d)
{
    return read_file(d->log);
}

char *harness_daemon_log_wait(const struct harness_daemon *d, const char *needle, int timeout_ms)
{
    double end = harness_now_ms() + timeout_ms;
    for (;;) {
        char *log = harness_daemon_log(d);
        if (strstr(log, needle) || harness_now_ms() >= end)
            return log;
        free(log);
        harness_sleep_ms(20);
    }
}

/* The last n bytes of the daemon's log, for failure messages (static). */
static const char *log_tail(const struct harness_daemon *d, size_t n)
{
    static char tail[4096];
    char *log = harness_daemon_log(d);
    size_t len = strlen(log);
    snprintf(tail, sizeof tail, "%s", log + (len > n ? len - n : 0));
    free(log);
    return tail;
}

pid_t harness_spawn_logged(const char *const *argv, const char *log_path, bool append)
{
    pid_t parent = getpid();
    pid_t pid = fork();
    ck_assert_msg(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        /* Dies with the test process, so that a failing test leaks no daemon. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(126);
        int log = open(log_path, O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC), 0600);
        int null = open("/dev/null", O_RDONLY);
        dup2(null, 0);
        dup2(log, 1);
        dup2(log, 2);
        execv(argv[0], (char *const *)argv);
        fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    return pid;
}

/* Forks and execs onquotad for d on a fresh free port; returns its pid. */
static pid_t daemon_spawn(struct harness_daemon *d, const char *db_url, const char *const *extra)
{
    const char *redis = getenv("REDIS_URL");
    ck_assert_msg(redis && *redis, "REDIS_URL must be set (eval \"$(scripts/services env)\")");
    d->port = harness_free_port();
    ck_assert_msg(d->port > 0, "expected a free loopback port");
    snprintf(d->log, sizeof d->log, "%.200s/onquotad-%d-%d.log", tmp_dir(), (int)getpid(), d->port);
    char listen[32];
    snprintf(listen, sizeof listen, "127.0.0.1:%d", d->port);
    const char *argv[64] = {
        harness_onquotad(), "--listen", listen, "--database-url", db_url, "--redis-url", redis,
        "--log-level",      "warn"};
    int n = 9;
    for (const char *const *e = extra; e && *e && n < 62; e++)
        argv[n++] = *e;
    argv[n] = NULL;

    pid_t pid = harness_spawn_logged(argv, d->log, false);
    return pid;
}

void harness_daemon_start(struct harness_daemon *d, const char *db_url, const char *const *extra)
{
    memset(d, 0, sizeof *d);
    /* Another process may take the free port before the daemon binds it:
     * then it exits saying so, and we try another port. */
    for (int attempt = 1;; attempt++) {
        d->pid = daemon_spawn(d, db_url, extra);
        double deadline = harness_now_ms() + 10000;
        while (harness_now_ms() < deadline) {
            int st = wait_status(d->pid, 1);
            if (st >= 0) {
                d->pid = 0;
                break;
            }
            struct harness_resp r;
            long status = harness_http_timeout(d, "GET", "/health/live", NULL, NULL, &r, 500);
            harness_resp_free(&r);
            if (status == 200)
                return;
            harness_sleep_ms(20);
        }
        if (d->pid) {
            harness_daemon_kill(d);
            ck_abort_msg("expected /health/live to answer within 10 s of start; log:\n%s",
                         log_tail(d, 1500));
        }
        const char *tail = log_tail(d, 1500);
        ck_assert_msg(attempt < 3 && strstr(tail, "in use"),
                      "expected onquotad to start; it exited early:\n%s", tail);
    }
}

int harness_daemon_wait(struct harness_daemon *d, int timeout_ms)
{
    if (!d->pid)
        return -1;
    int rc = wait_status(d->pid, timeout_ms);
    if (rc == -1)
        return -1;
    d->pid = 0;
    char *log = harness_daemon_log(d);
    harness_assert_no_sanitizer(log, "onquotad log");
    free(log);
    if (rc == 0)
        unlink(d->log); /* kept only when something went wrong */
    return rc;
}

int harness_daemon_stop(struct harness_daemon *d)
{
    if (!d->pid)
        return -1;
    kill(d->pid, SIGTERM);
    int rc = harness_daemon_wait(d, 30000);
    if (rc == -1)
        harness_daemon_kill(d);
    return rc;
}

void harness_daemon_kill(struct harness_daemon *d)
{
    if (!d->pid)
        return;
    kill(d->pid, SIGKILL);
    wait_status(d->pid, 0);
    d->pid = 0;
}

void harness_daemon_stop_clean(struct harness_daemon *d)
{
    if (!d->pid)
        return;
    int rc = harness_daemon_stop(d);
    ck_assert_msg(rc == 0, "expected onquotad to exit 0 on SIGTERM, got %d; log:\n%s", rc,
                  log_tail(d, 1500));
}

/* ================================================================ running */

TCase *harness_tcase(Suite *s, const char *name)
{
    TCase *tc = tcase_create(name);
    tcase_set_timeout(tc, HARNESS_TCASE_TIMEOUT);
    suite_add_tcase(s, tc);
    return tc;
}

int harness_main(Suite *s, const char *db_prefix, int (*setup)(const char *db_url))
{
    const char *db = getenv("DATABASE_URL");
    if (!db || !*db) {
        fprintf(stderr, "DATABASE_URL is unset: skipping the integration suite "
                        "(eval \"$(scripts/services env)\" first)\n");
        return 77;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const char *url = harness_db_create(db_prefix);
    int failed = 1;
    outside_tests = true;
    bool ok = harness_migrate(url, NULL) == 0 && (!setup || setup(url) == 0);
    outside_tests = false;
    if (!ok) {
        fprintf(stderr, "harness: setting up %s failed\n", url);
        srunner_free(srunner_create(s));
        goto out;
    }
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_VERBOSE);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
out:
    harness_db_drop();
    curl_global_cleanup();
    return failed ? 1 : 0;
}

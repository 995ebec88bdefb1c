/* Unit tests of the Prometheus metrics registry and the systemd notification protocol. */
#include <check.h>
#include <ctype.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "check_main.h"
#include "runtime/metrics.h"
#include "runtime/sdnotify.h"
#include "buf.h"

/* ------------------------------------------------------------------------ */
/* Helpers: rendering and reading series back                                */
/* ------------------------------------------------------------------------ */

static char *render(const struct metrics_pool *pool)
{
    struct buf b = BUF_INIT;

    metrics_render(&b, pool);
    return buf_take(&b);
}

/* The value of the sample whose name and labels are exactly `series`, and
 * how many times it occurs (through *count when not NULL); -1 when absent. */
static double series_value_n(const char *text, const char *series, int *count)
{
    size_t n = strlen(series);
    double v = -1;
    int c = 0;

    for (const char *p = text; *p;) {
        const char *eol = strchr(p, '\n');
        if (strncmp(p, series, n) == 0 && p[n] == ' ') {
            v = strtod(p + n + 1, NULL);
            c++;
        }
        if (!eol)
            break;
        p = eol + 1;
    }
    if (count)
        *count = c;
    return v;
}

static double series_value(const char *text, const char *series)
{
    return series_value_n(text, series, NULL);
}

/* The sum of the values of every sample whose line starts with prefix. */
static double series_sum(const char *text, const char *prefix)
{
    size_t n = strlen(prefix);
    double sum = 0;

    for (const char *p = text; *p;) {
        const char *eol = strchr(p, '\n');
        if (strncmp(p, prefix, n) == 0) {
            const char *sp = eol ? eol : p + strlen(p);
            while (sp > p && sp[-1] != ' ')
                sp--;
            sum += strtod(sp, NULL);
        }
        if (!eol)
            break;
        p = eol + 1;
    }
    return sum;
}

/* ------------------------------------------------------------------------ */
/* Helpers: an exposition-format 0.0.4 checker                               */
/* ------------------------------------------------------------------------ */

static bool is_name_start(char c)
{
    return isalpha((unsigned char)c) || c == '_' || c == ':';
}

static const char *skip_name(const char *p, bool colons)
{
    if (!is_name_start(*p) || (!colons && *p == ':'))
        return NULL;
    while (isalnum((unsigned char)*p) || *p == '_' || (colons && *p == ':'))
        p++;
    return p;
}

/* Parses {label="value",...}; returns the character after '}' or NULL. */
static const char *skip_labels(const char *p)
{
    p++;
    while (*p != '}') {
        p = skip_name(p, false);
        if (!p || *p++ != '=' || *p++ != '"')
            return NULL;
        for (; *p != '"'; p++) {
            if (*p == '\0' || *p == '\n')
                return NULL;
            if (*p == '\\' && p[1] != '\\' && p[1] != '"' && p[1] != 'n')
                return NULL;
            if (*p == '\\')
                p++;
        }
        p++;
        if (*p == ',')
            p++;
        else if (*p != '}')
            return NULL;
    }
    return p + 1;
}

static bool valid_value(const char *s)
{
    char *end;

    if (!strcmp(s, "+Inf") || !strcmp(s, "-Inf") || !strcmp(s, "NaN"))
        return true;
    strtod(s, &end);
    return end != s && *end == '\0' && !isspace((unsigned char)*s);
}

static bool sample_belongs(const char *name, size_t len, const char *family, const char *type)
{
    size_t fl = strlen(family);
    static const char *const suffixes[] = {"_bucket", "_sum", "_count"};

    if (len == fl && !strncmp(name, family, fl))
        return true;
    if (strcmp(type, "histogram") || len < fl || strncmp(name, family, fl))
        return false;
    for (size_t i = 0; i < 3; i++)
        if (len - fl == strlen(suffixes[i]) && !strncmp(name + fl, suffixes[i], len - fl))
            return true;
    return false;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Checks every line of text: "# HELP name ...", "# TYPE name type", or a
 * sample "name{labels} value" / "name value" of the family last typed, with
 * no series repeated. On failure, names the line in why. */
static bool exposition_valid(const char *text, char *why, size_t whylen)
{
    char family[128] = "", type[32] = "";
    char *copy = strdup(text), *save = NULL;
    char **series = calloc(strlen(text) / 4 + 1, sizeof *series);
    size_t nseries = 0;
    bool ok = text[0] && text[strlen(text) - 1] == '\n';

    snprintf(why, whylen, "the text is empty or lacks a final newline");
    for (char *line = strtok_r(copy, "\n", &save); ok && line; line = strtok_r(NULL, "\n", &save)) {
        snprintf(why, whylen, "bad line: %s", line);
        if (!strncmp(line, "# HELP ", 7)) {
            const char *e = skip_name(line + 7, true);
            ok = e && *e == ' ';
        } else if (!strncmp(line, "# TYPE ", 7)) {
            ok = sscanf(line + 7, "%127s %31s", family, type) == 2 &&
                 strstr("counter gauge histogram summary untyped", type) != NULL;
        } else {
            const char *e = skip_name(line, true);
            ok = e && sample_belongs(line, (size_t)(e - line), family, type);
            if (ok && *e == '{')
                e = skip_labels(e);
            ok = ok && e && *e == ' ' && valid_value(e + 1);
            if (ok)
                series[nseries++] = strndup(line, (size_t)(e - line));
        }
    }
    qsort(series, nseries, sizeof *series, cmp_str);
    for (size_t i = 1; ok && i < nseries; i++)
        if (!strcmp(series[i - 1], series[i])) {
            snprintf(why, whylen, "series repeated: %s", series[i]);
            ok = false;
        }
    for (size_t i = 0; i < nseries; i++)
        free(series[i]);
    free(series);
    free(copy);
    return ok;
}

#define ck_assert_exposition(text)                                                                 \
    do {                                                                                           \
        char why_[512];                                                                            \
        ck_assert_msg(exposition_valid((text), why_, sizeof why_), "invalid exposition: %s",       \
                      why_);                                                                       \
    } while (0)

/* ------------------------------------------------------------------------ */
/* Counters and histograms                                                   */
/* ------------------------------------------------------------------------ */

#define THREADS 4
#define CALLS 10000

static const char *const thread_routes[THREADS] = {"/api/v1/t0", "/api/v1/t1", "/api/v1/t2",
                                                   "/api/v1/t3"};

static void *hammer(void *arg)
{
    const char *own = arg;

    for (int i = 0; i < CALLS; i++) {
        metrics_http_request("/api/v1/shared", "GET", 200, 0.001);
        metrics_http_request(own, "POST", 201, 0.02);
        metrics_cache(CACHE_HIT);
        metrics_cache_invalidation();
        metrics_db_query(0.002);
        metrics_redis_error();
        metrics_job_run("thread-job", "ok");
    }
    return NULL;
}

START_TEST(test_counters_exact_under_threads)
{
    pthread_t t[THREADS];
    char *before = render(NULL);
    unsigned long hits0 = metrics_cache_count(CACHE_HIT);
    unsigned long inval0 = metrics_cache_invalidations();
    unsigned long db0 = metrics_db_queries();
    double redis0 = series_value(before, "onquota_redis_errors_total");
    const unsigned long total = THREADS * CALLS;
    char series[256];
    int n;

    for (int i = 0; i < THREADS; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, hammer, (void *)thread_routes[i]), 0);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);

    char *after = render(NULL);
    ck_assert_uint_eq(metrics_cache_count(CACHE_HIT) - hits0, total);
    ck_assert_uint_eq(metrics_cache_invalidations() - inval0, total);
    ck_assert_uint_eq(metrics_db_queries() - db0, total);
    ck_assert_double_eq(series_value(after, "onquota_redis_errors_total") - redis0, total);
    ck_assert_double_eq(series_value(after, "onquota_db_queries_total"), metrics_db_queries());
    ck_assert_double_eq(
        series_value_n(after,
                       "onquota_http_requests_total{route=\"/api/v1/shared\",method=\"GET\","
                       "code=\"200\"}",
                       &n),
        total);
    ck_assert_msg(n == 1, "the shared route's row should appear once, not %d times", n);
    ck_assert_double_eq(series_value(after, "onquota_http_request_duration_seconds_count{"
                                            "route=\"/api/v1/shared\"}"),
                        total);
    for (int i = 0; i < THREADS; i++) {
        snprintf(series, sizeof series,
                 "onquota_http_requests_total{route=\"%s\",method=\"POST\",code=\"201\"}",
                 thread_routes[i]);
        ck_assert_double_eq(series_value(after, series), CALLS);
    }
    ck_assert_double_eq(
        series_value(after, "onquota_jobs_runs_total{job=\"thread-job\",result=\"ok\"}"), total);
    ck_assert_exposition(after);
    free(before);
    free(after);
}
END_TEST

static const double les[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                             0.1,    0.25,  0.5,    1,     2.5,  5,     10};
/* Boundaries are inclusive (le); negatives count as zero. */
static const double durations[] = {0.0001, 0.0005, 0.0007, 0.003, 0.2, 0.9, 1,
                                   3,      11,     100,    -1,    0,   0.05};
#define NDUR (sizeof durations / sizeof durations[0])

/* Checks one histogram's buckets against durations, after minus before. */
static void check_histogram(const char *before, const char *after, const char *name,
                            const char *labels)
{
    const char *sep = *labels ? "," : "";
    char series[256];
    double prev = 0, sum = 0;

    for (size_t i = 0; i < 15; i++) {
        double want = 0;
        for (size_t k = 0; k < NDUR; k++)
            want += i == 14 || (durations[k] < 0 ? 0 : durations[k]) <= les[i];
        char le[16] = "+Inf";
        if (i < 14)
            snprintf(le, sizeof le, "%g", les[i]);
        snprintf(series, sizeof series, "%s_bucket{%s%sle=\"%s\"}", name, labels, sep, le);
        double b = series_value(before, series), a = series_value(after, series);
        double got = a - (b < 0 ? 0 : b);
        ck_assert_msg(got == want, "%s: expected %g, got %g", series, want, got);
        ck_assert_msg(a >= prev, "%s is not cumulative (%g < %g)", series, a, prev);
        prev = a;
    }
    snprintf(series, sizeof series, *labels ? "%s_count{%s}" : "%s_count", name, labels);
    ck_assert_msg(series_value(after, series) == prev, "%s should equal le=\"+Inf\" (%g)", series,
                  prev);
    double count0 = series_value(before, series);
    ck_assert_double_eq(prev - (count0 < 0 ? 0 : count0), NDUR);
    for (size_t k = 0; k < NDUR; k++)
        sum += durations[k] < 0 ? 0 : durations[k];
    snprintf(series, sizeof series, *labels ? "%s_sum{%s}" : "%s_sum", name, labels);
    double s0 = series_value(before, series);
    ck_assert_double_eq_tol(series_value(after, series) - (s0 < 0 ? 0 : s0), sum, 1e-5);
}

START_TEST(test_histograms_cumulative)
{
    char *before = render(NULL);

    for (size_t k = 0; k < NDUR; k++) {
        metrics_http_request("/api/v1/histo", k % 2 ? "GET" : "POST", k % 3 ? 200 : 404,
                             durations[k]);
        metrics_db_query(durations[k]);
    }
    char *after = render(NULL);
    check_histogram(before, after, "onquota_http_request_duration_seconds",
                    "route=\"/api/v1/histo\"");
    check_histogram(before, after, "onquota_db_query_duration_seconds", "");
    ck_assert_exposition(after);
    free(before);
    free(after);
}
END_TEST

START_TEST(test_table_cap_folds_into_other)
{
    enum { ROUTES = 400 };
    static char routes[ROUTES][32]; /* routes must outlive the process's metrics */
    double total0, total;
    char *before = render(NULL), *after;

    total0 = series_sum(before, "onquota_http_requests_total{");
    for (int i = 0; i < ROUTES; i++) {
        snprintf(routes[i], sizeof routes[i], "/api/v1/cap/%d", i);
        metrics_http_request(routes[i], "GET", 200, 0.01);
    }
    after = render(NULL);
    total = series_sum(after, "onquota_http_requests_total{");
    ck_assert_double_eq(total - total0, ROUTES);
    ck_assert_msg(series_value(after, "onquota_http_requests_total{route=\"other\",method=\"GET\","
                                      "code=\"200\"}") >= ROUTES - 256,
                  "expected at least %d requests folded into route=\"other\"", ROUTES - 256);
    ck_assert_exposition(after);
    free(before);
    free(after);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Exposition                                                                */
/* ------------------------------------------------------------------------ */

START_TEST(test_output_parses)
{
    struct metrics_pool pool = {2, 5};
    char *empty = render(NULL);

    ck_assert_exposition(empty);
    metrics_init("0.1.0");
    metrics_http_request("/api/v1/dashboard/kpis", "GET", 200, 0.003);
    metrics_http_request(NULL, "BREW", 999, 0.1);
    metrics_cache(CACHE_MISS);
    metrics_cache(CACHE_STALE);
    metrics_cache(CACHE_BYPASS);
    metrics_job_run("quote_expiry", "ok");
    metrics_job_run("token_cleanup", "error");
    metrics_db_query(0.004);

    char *text = render(&pool);
    ck_assert_exposition(text);
    static const char *const families[] = {
        "onquota_http_requests_total",   "onquota_http_request_duration_seconds",
        "onquota_cache_requests_total",  "onquota_cache_invalidations_total",
        "onquota_db_queries_total",      "onquota_db_query_duration_seconds",
        "onquota_db_pool_connections",   "onquota_redis_errors_total",
        "onquota_jobs_runs_total",       "onquota_build_info",
        "process_resident_memory_bytes", "process_start_time_seconds"};
    char line[160];
    for (size_t i = 0; i < sizeof families / sizeof families[0]; i++) {
        snprintf(line, sizeof line, "# HELP %s ", families[i]);
        ck_assert_msg(strstr(text, line), "missing %s", line);
        snprintf(line, sizeof line, "# TYPE %s ", families[i]);
        ck_assert_msg(strstr(text, line), "missing %s", line);
    }
    ck_assert_double_eq(series_value(text, "onquota_http_requests_total{route=\"unmatched\","
                                           "method=\"OTHER\",code=\"0\"}"),
                        1);
    ck_assert_double_eq(
        series_value(text, "onquota_jobs_runs_total{job=\"token_cleanup\",result=\"error\"}"), 1);
    for (const char *r = "hit\0miss\0stale\0bypass\0"; *r; r += strlen(r) + 1) {
        snprintf(line, sizeof line, "onquota_cache_requests_total{result=\"%s\"}", r);
        ck_assert_msg(series_value(text, line) >= 0, "missing %s", line);
    }
    ck_assert_ptr_null(strstr(text, "tenant"));
    free(empty);
    free(text);
}
END_TEST

/* {raw, escaped}: routes and job names are static in practice, but a stray
 * quote, backslash or newline must still not break the exposition. */
static const char *const escapes[][2] = {
    {"/plain", "/plain"},          {"/quote\"d", "/quote\\\"d"}, {"/back\\slash", "/back\\\\slash"},
    {"/new\nline", "/new\\nline"}, {"\\\"\n", "\\\\\\\"\\n"},
};

START_TEST(test_label_escaping)
{
    char series[256];
    char *text;

    metrics_init("1.0 \"quoted\"\\");
    for (size_t i = 0; i < sizeof escapes / sizeof escapes[0]; i++) {
        metrics_http_request(escapes[i][0], "GET", 200, 0.001);
        metrics_job_run(escapes[i][0], "ok");
    }
    text = render(NULL);
    ck_assert_exposition(text);
    for (size_t i = 0; i < sizeof escapes / sizeof escapes[0]; i++) {
        snprintf(series, sizeof series,
                 "onquota_http_requests_total{route=\"%s\",method=\"GET\",code=\"200\"}",
                 escapes[i][1]);
        ck_assert_msg(series_value(text, series) == 1, "expected %s 1", series);
        snprintf(series, sizeof series, "onquota_jobs_runs_total{job=\"%s\",result=\"ok\"}",
                 escapes[i][1]);
        ck_assert_msg(series_value(text, series) == 1, "expected %s 1", series);
    }
    ck_assert_double_eq(
        series_value(text, "onquota_build_info{version=\"1.0 \\\"quoted\\\"\\\\\"}"), 1);
    free(text);
}
END_TEST

START_TEST(test_pool_numbers)
{
    struct metrics_pool pool = {3, 7};
    char *text = render(&pool), *none = render(NULL);

    ck_assert_double_eq(series_value(text, "onquota_db_pool_connections{state=\"idle\"}"), 3);
    ck_assert_double_eq(series_value(text, "onquota_db_pool_connections{state=\"in_use\"}"), 7);
    ck_assert_double_eq(series_value(none, "onquota_db_pool_connections{state=\"idle\"}"), -1);
    ck_assert_exposition(none);
    free(text);
    free(none);
}
END_TEST

START_TEST(test_build_and_process_info)
{
    time_t now = time(NULL);
    char *text;

    metrics_init("9.8.7-test");
    text = render(NULL);
    ck_assert_double_eq(series_value(text, "onquota_build_info{version=\"9.8.7-test\"}"), 1);
    ck_assert_msg(series_value(text, "process_resident_memory_bytes") > 4096,
                  "expected a resident size from /proc/self/statm");
    double start = series_value(text, "process_start_time_seconds");
    ck_assert_msg(start >= (double)now - 5 && start <= (double)now + 5,
                  "expected a start time near %ld, got %f", (long)now, start);
    free(text);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* sd_notify                                                                 */
/* ------------------------------------------------------------------------ */

/* Binds a datagram socket where NOTIFY_SOCKET=value points ('@' = abstract). */
static int bind_notify(const char *value)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    size_t len = strlen(value);
    socklen_t salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len);
    struct timeval tv = {2, 0};
    int fd = socket(AF_UNIX, SOCK_DGRAM, 0);

    ck_assert_int_ge(fd, 0);
    ck_assert_uint_lt(len, sizeof sa.sun_path);
    memcpy(sa.sun_path, value, len);
    if (value[0] == '@')
        sa.sun_path[0] = '\0';
    else
        salen++;
    ck_assert_msg(bind(fd, (struct sockaddr *)&sa, salen) == 0, "cannot bind %s", value);
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
}

static void expect_ready(const char *value)
{
    char got[64];
    int fd = bind_notify(value);

    setenv("NOTIFY_SOCKET", value, 1);
    ck_assert_int_eq(sd_notify_send("READY=1"), 1);
    ssize_t n = recv(fd, got, sizeof got, 0);
    ck_assert_msg(n == 7 && memcmp(got, "READY=1", 7) == 0,
                  "expected exactly \"READY=1\" on %s (got %zd bytes)", value, n);
    close(fd);
    unsetenv("NOTIFY_SOCKET");
}

START_TEST(test_notify_path_socket)
{
    char dir[] = "/tmp/onquota-sdnotify-XXXXXX", path[128];

    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/notify", dir);
    expect_ready(path);
    unlink(path);
    rmdir(dir);
}
END_TEST

START_TEST(test_notify_abstract_socket)
{
    char name[64];

    snprintf(name, sizeof name, "@onquota-test-%ld-%ld", (long)getpid(), (long)time(NULL));
    expect_ready(name);
}
END_TEST

START_TEST(test_notify_without_systemd)
{
    unsetenv("NOTIFY_SOCKET");
    ck_assert_int_eq(sd_notify_send("READY=1"), 0);
    setenv("NOTIFY_SOCKET", "", 1);
    ck_assert_int_eq(sd_notify_send("READY=1"), 0);
    setenv("NOTIFY_SOCKET", "relative/path", 1);
    ck_assert_int_eq(sd_notify_send("READY=1"), -1);
    setenv("NOTIFY_SOCKET", "/nonexistent-onquota-dir/notify", 1);
    ck_assert_int_eq(sd_notify_send("READY=1"), -1);
    unsetenv("NOTIFY_SOCKET");
}
END_TEST

enum pid_mode { PID_UNSET, PID_SELF, PID_OTHER, PID_JUNK };

static const struct watchdog_case {
    const char *usec; /* NULL: unset */
    enum pid_mode pid;
    uint64_t want;
} watchdog_cases[] = {
    {NULL, PID_UNSET, 0},
    {"30000000", PID_UNSET, 30000000},
    {"30000000", PID_SELF, 30000000},
    {"30000000", PID_OTHER, 0},
    {"30000000", PID_JUNK, 0},
    {"0", PID_UNSET, 0},
    {"abc", PID_UNSET, 0},
    {"-5", PID_UNSET, 0},
    {"10s", PID_SELF, 0},
    {"", PID_UNSET, 0},
};

START_TEST(test_watchdog_usec)
{
    char pid[32];

    for (size_t i = 0; i < sizeof watchdog_cases / sizeof watchdog_cases[0]; i++) {
        if (watchdog_cases[i].usec)
            setenv("WATCHDOG_USEC", watchdog_cases[i].usec, 1);
        else
            unsetenv("WATCHDOG_USEC");
        unsetenv("WATCHDOG_PID");
        if (watchdog_cases[i].pid != PID_UNSET) {
            long p = watchdog_cases[i].pid == PID_SELF ? (long)getpid() : (long)getpid() + 1;
            snprintf(pid, sizeof pid, watchdog_cases[i].pid == PID_JUNK ? "x%ld" : "%ld", p);
            setenv("WATCHDOG_PID", pid, 1);
        }
        uint64_t got = sd_watchdog_usec();
        ck_assert_msg(got == watchdog_cases[i].want,
                      "case %zu (WATCHDOG_USEC=%s): expected %llu, got %llu", i,
                      watchdog_cases[i].usec ? watchdog_cases[i].usec : "(unset)",
                      (unsigned long long)watchdog_cases[i].want, (unsigned long long)got);
    }
    unsetenv("WATCHDOG_USEC");
    unsetenv("WATCHDOG_PID");
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Suite                                                                     */
/* ------------------------------------------------------------------------ */

static Suite *metrics_suite(void)
{
    Suite *s = suite_create("metrics");
    TCase *m = tcase_create("metrics");
    TCase *n = tcase_create("sdnotify");

    tcase_set_timeout(m, 30);
    tcase_add_test(m, test_counters_exact_under_threads);
    tcase_add_test(m, test_histograms_cumulative);
    tcase_add_test(m, test_output_parses);
    tcase_add_test(m, test_label_escaping);
    tcase_add_test(m, test_pool_numbers);
    tcase_add_test(m, test_build_and_process_info);
    /* Last: it fills the table, which matters when CK_FORK=no shares state. */
    tcase_add_test(m, test_table_cap_folds_into_other);
    tcase_add_test(n, test_notify_path_socket);
    tcase_add_test(n, test_notify_abstract_socket);
    tcase_add_test(n, test_notify_without_systemd);
    tcase_add_test(n, test_watchdog_usec);
    suite_add_tcase(s, m);
    suite_add_tcase(s, n);
    return s;
}

int main(void)
{
    return check_main(metrics_suite());
}

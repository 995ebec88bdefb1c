/* End-to-end tests of issue 12: the real client (tmux, or a script mode) against a real daemon:
 * per-query 304s, month-scoped alerts, health while down, a slow proxy, reports, CSV, profiles,
 * drill-down and the palette. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "tui_driver.h"

static char token[128];
static struct harness_daemon D;

static void daemon_up(void)
{
    tui_driver_daemon_at(&D, 0, NULL);
    snprintf(td.url, sizeof td.url, "http://127.0.0.1:%d", D.port);
}

static void daemon_down(void)
{
    if (D.pid)
        harness_daemon_stop_clean(&D);
}

static cJSON *api_get(const char *path, struct harness_resp *r)
{
    char auth[200];
    const char *hdrs[] = {harness_bearer(auth, sizeof auth, token), "Accept-Language: en", NULL};
    long st = harness_http(&D, "GET", path, hdrs, NULL, r);
    ck_assert_msg(st == 200, "expected 200 from %s, got %ld", path, st);
    return harness_json(r);
}

static int run_client(const char *const *args, char **out, char **err)
{
    char xdg[300];
    snprintf(xdg, sizeof xdg, "XDG_CONFIG_HOME=%s", td.work);
    const char *env[] = {xdg, "LANG=C.UTF-8", "TZ=UTC", NULL};
    const char *argv[32] = {tui_driver_onquota()};
    int n = 1;
    for (const char *const *a = args; *a && n < 31; a++)
        argv[n++] = *a;
    argv[n] = NULL;
    return harness_run(argv, NULL, env, out, err);
}

static const char *const months[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* ---------------------------------------------------------------- 304 per query, alerts */

/* [ then ] in the Quotas view comes back to this month, not to last month
 * marked fresh (a 304 revalidates only its own query); Alerts follow the
 * month. */
START_TEST(quotas_month_round_trip_and_alerts)
{
    time_t t = time(NULL);
    struct tm now;
    localtime_r(&t, &now);
    int y = now.tm_year + 1900, m = now.tm_mon + 1;
    int py = m == 1 ? y - 1 : y, pm = m == 1 ? 12 : m - 1;
    char cur[32], prev[32];
    snprintf(cur, sizeof cur, "%s %d · pace", months[m - 1], y);
    snprintf(prev, sizeof prev, "%s %d · pace", months[pm - 1], py);
    tui_driver_start(140, 40, "", "--view quotas");
    tui_driver_expect(cur, 15000);
    tui_driver_expect("updated", 10000);
    tui_driver_keys("[");
    tui_driver_expect(prev, 10000);
    /* The alerts of last month: as of its last day, as the API answers. */
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int last = mdays[pm - 1] + (pm == 2 && py % 4 == 0 && (py % 100 || py % 400 == 0));
    char day[40], path[96];
    snprintf(day, sizeof day, "%04d-%02d-%02d", py, pm, last);
    char *s = tui_driver_wait(day, false, 10000);
    free(s);
    snprintf(path, sizeof path, "/api/v1/quotas/alerts?as_of=%s", day);
    struct harness_resp r;
    cJSON *al = api_get(path, &r);
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(al, "alerts");
    const cJSON *first = cJSON_GetArrayItem(list, 0);
    const char *want =
        first ? cJSON_GetObjectItemCaseSensitive(first, "user_name")->valuestring : "no alerts";
    char want_copy[128];
    snprintf(want_copy, sizeof want_copy, "%s", want);
    harness_resp_free(&r);
    s = tui_driver_wait(want_copy, false, 10000);
    free(s);
    /* Back to this month: its own data, not November's marked fresh. */
    tui_driver_keys("]");
    s = tui_driver_wait(cur, false, 10000);
    ck_assert_msg(!strstr(s, prev), "expected only this month's figures:\n%s", s);
    free(s);
    tui_driver_keys("r");
    harness_sleep_ms(1500);
    s = tui_driver_capture();
    ck_assert_msg(strstr(s, cur) && !strstr(s, prev), "still this month after r:\n%s", s);
    free(s);
    tui_driver_quit();
}
END_TEST

/* ---------------------------------------------------------------- health while down */

START_TEST(health_view_while_the_daemon_is_down)
{
    tui_driver_start(120, 40, "TZ=UTC", "--view health");
    tui_driver_expect("ready (HTTP 200)", 15000);
    tui_driver_expect("none since start", 5000);
    int port = D.port;
    harness_daemon_stop(&D);
    char *s = tui_driver_wait("unreachable", false, 15000);
    ck_assert_msg(!strstr(s, "ready (HTTP"), "no \"ready\" while down:\n%s", s);
    free(s);
    s = tui_driver_wait("none since start", true, 5000);
    ck_assert_msg(strstr(s, " UTC"), "the change in local time with its zone:\n%s", s);
    free(s);
    tui_driver_daemon_at(&D, port, NULL);
    free(tui_driver_wait("ready (HTTP 200)", false, 30000));
    tui_driver_quit();
}
END_TEST

/* ---------------------------------------------------------------- a slow proxy */

/* Relays one connection to the daemon, holding each request back delay_ms. */
static void relay(int c, int port, int delay_ms)
{
    int d = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (connect(d, (struct sockaddr *)&a, sizeof a) != 0)
        _exit(0);
    struct pollfd p[2] = {{.fd = c, .events = POLLIN}, {.fd = d, .events = POLLIN}};
    char buf[65536];
    for (;;) {
        if (poll(p, 2, -1) <= 0)
            _exit(0);
        for (int i = 0; i < 2; i++) {
            if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            ssize_t n = read(p[i].fd, buf, sizeof buf);
            if (n <= 0)
                _exit(0);
            if (i == 0)
                usleep((useconds_t)delay_ms * 1000);
            if (write(p[1 - i].fd, buf, (size_t)n) != n)
                _exit(0);
        }
    }
}

/* A proxy on a free port adding delay_ms to every answer; returns its pid. */
static pid_t slow_proxy(int daemon_port, int delay_ms, int *port)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    ck_assert(bind(s, (struct sockaddr *)&a, sizeof a) == 0 && listen(s, 16) == 0);
    socklen_t len = sizeof a;
    getsockname(s, (struct sockaddr *)&a, &len);
    *port = ntohs(a.sin_port);
    pid_t pid = fork();
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        signal(SIGCHLD, SIG_IGN);
        for (;;) {
            int c = accept(s, NULL, NULL);
            if (c < 0)
                continue;
            if (fork() == 0) {
                prctl(PR_SET_PDEATHSIG, SIGKILL);
                close(s);
                relay(c, daemon_port, delay_ms);
            }
            close(c);
        }
    }
    close(s);
    return pid;
}

/* Every request is answered, 3 s late: every panel fills, nothing times
 * out, no OFFLINE. */
START_TEST(slow_daemon_through_a_proxy)
{
    int port;
    pid_t proxy = slow_proxy(D.port, 3000, &port);
    char saved[64];
    snprintf(saved, sizeof saved, "%s", td.url);
    snprintf(td.url, sizeof td.url, "http://127.0.0.1:%d", port);
    tui_driver_start(120, 40, "", "");
    snprintf(td.url, sizeof td.url, "%s", saved);
    char *s = NULL;
    for (int i = 0; i < 60; i++) {
        free(s);
        harness_sleep_ms(1000);
        s = tui_driver_capture();
        ck_assert_msg(!strstr(s, "OFFLINE") && !strstr(s, "timeout") &&
                          !strstr(s, "Failed to resolve") && !strstr(s, "no answer"),
                      "a slow answer is not a failure:\n%s", s);
        if (!strstr(s, "loading") && strstr(s, "Revenue this month") && strstr(s, "Redis"))
            break;
    }
    ck_assert_msg(!strstr(s, "loading"), "expected every panel filled:\n%s", s);
    free(s);
    tui_driver_quit();
    kill(proxy, SIGKILL);
    waitpid(proxy, NULL, 0);
}
END_TEST

/* ---------------------------------------------------------------- TERM=dumb */

START_TEST(dumb_terminal_points_to_once)
{
    tui_driver_start(100, 24, "TERM=dumb", "");
    char *s = tui_driver_wait("EXIT=", false, 10000);
    ck_assert_msg(strstr(s, "EXIT=3"), "expected exit 3:\n%s", s);
    free(s);
    FILE *f = fopen(td.errfile, "r");
    char buf[1024] = "";
    if (f) {
        buf[fread(buf, 1, sizeof buf - 1, f)] = '\0';
        fclose(f);
    }
    ck_assert_msg(strstr(buf, "--once"), "expected a pointer to --once: %s", buf);
    free(tui_driver_tmux("kill-server", (char *)NULL));
}
END_TEST

/* ---------------------------------------------------------------- reports */

static int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

START_TEST(text_report_has_every_row)
{
    char *out = NULL, *err = NULL;
    const char *args[] = {"--once", "--url", td.url, "--token-file", td.token_file, NULL};
    int rc = run_client(args, &out, &err);
    ck_assert_msg(rc == 0, "expected exit 0, got %d: %s", rc, err);
    static const char *const boxes[] = {"─", "│", "╭", "╮", "╰", "╯", "+--"};
    for (size_t i = 0; i < sizeof boxes / sizeof boxes[0]; i++)
        ck_assert_msg(!strstr(out, boxes[i]), "no box drawing (%s):\n%s", boxes[i], out);
    ck_assert_msg(strstr(out, "fetched 20") && strstr(out, " UTC"),
                  "an absolute fetch time with its zone:\n%s", out);
    /* Every rep and every category the API has. */
    struct harness_resp r;
    cJSON *qp = api_get("/api/v1/dashboard/quota-performance", &r);
    const cJSON *rep;
    cJSON_ArrayForEach(rep, cJSON_GetObjectItemCaseSensitive(qp, "reps"))
    {
        const char *name = cJSON_GetObjectItemCaseSensitive(rep, "user_name")->valuestring;
        char cut[20];
        snprintf(cut, sizeof cut, "%.18s", name);
        ck_assert_msg(strstr(out, cut), "expected rep %s in the report:\n%s", name, out);
    }
    harness_resp_free(&r);
    cJSON *em = api_get("/api/v1/dashboard/expenses-monthly", &r);
    const cJSON *cat;
    cJSON_ArrayForEach(cat, cJSON_GetObjectItemCaseSensitive(em, "by_category"))
    {
        const char *name = cJSON_GetObjectItemCaseSensitive(cat, "category")->valuestring;
        ck_assert_msg(strstr(out, name), "expected category %s in the report:\n%s", name, out);
    }
    harness_resp_free(&r);
    free(out);
    free(err);

    /* Quotes: every row of every page. */
    cJSON *q = api_get("/api/v1/sales/quotes?page_size=1", &r);
    int total = cJSON_GetObjectItemCaseSensitive(q, "total")->valueint;
    harness_resp_free(&r);
    const char *csv[] = {"--once", "--format", "csv",          "--view",      "quotes",
                         "--url",  td.url,     "--token-file", td.token_file, NULL};
    rc = run_client(csv, &out, &err);
    ck_assert_msg(rc == 0, "csv exit 0: %s", err);
    ck_assert_msg(!strncmp(out,
                           "quote_number,client,sales_rep,status,total_amount,currency,"
                           "created_at\r\n",
                           70),
                  "an RFC 4180 header row:\n%.300s", out);
    ck_assert_int_eq(count_lines(out), total + 1);
    free(out);
    free(err);
    const char *ex[] = {"--once", "--format", "csv",          "--view",      "expenses",
                        "--url",  td.url,     "--token-file", td.token_file, NULL};
    rc = run_client(ex, &out, &err);
    ck_assert_msg(rc == 0 && !strncmp(out, "date,description,category,vendor,submitted_by,", 46),
                  "expenses csv: %d %.200s %s", rc, out, err);
    free(out);
    free(err);
    const char *dash[] = {"--once", "--format", "csv", "--url", td.url, NULL};
    ck_assert_int_eq(run_client(dash, &out, &err), 3);
    free(out);
    free(err);
}
END_TEST

/* A server that is not OnQuota: every answer an HTML page. */
static pid_t fake_server(int *port)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    ck_assert(bind(s, (struct sockaddr *)&a, sizeof a) == 0 && listen(s, 16) == 0);
    socklen_t len = sizeof a;
    getsockname(s, (struct sockaddr *)&a, &len);
    *port = ntohs(a.sin_port);
    pid_t pid = fork();
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        static const char page[] = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                                   "Content-Length: 13\r\nConnection: close\r\n\r\n<html></html>";
        for (;;) {
            int c = accept(s, NULL, NULL);
            if (c < 0)
                continue;
            char req[4096];
            if (read(c, req, sizeof req) > 0 && write(c, page, sizeof page - 1) < 0)
                _exit(0);
            close(c);
        }
    }
    close(s);
    return pid;
}

START_TEST(report_fails_on_a_server_that_is_not_onquota)
{
    int port;
    pid_t fake = fake_server(&port);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
    char *out = NULL, *err = NULL;
    const char *args[] = {"--once", "--url", url, "--token-file", td.token_file, NULL};
    int rc = run_client(args, &out, &err);
    ck_assert_msg(rc != 0 && strstr(err, "not answer as an OnQuota server"),
                  "expected a failure naming it, got %d: %s", rc, err);
    free(out);
    free(err);
    kill(fake, SIGKILL);
    waitpid(fake, NULL, 0);
}
END_TEST

/* ---------------------------------------------------------------- profiles */

START_TEST(profiles_from_the_config_file)
{
    char dir[300], path[320];
    snprintf(dir, sizeof dir, "%s/onquota", td.work);
    mkdir(dir, 0700);
    snprintf(path, sizeof path, "%s/config", dir);
    FILE *f = fopen(path, "w");
    fprintf(f,
            "[profile dead]\nurl = http://127.0.0.1:%d\n"
            "[profile local]\nurl = %s\ntoken_file = %s\ntheme = dark\n",
            harness_free_port(), td.url, td.token_file);
    fclose(f);
    char *out = NULL, *err = NULL;
    const char *args[] = {"--once", "--profile", "local", "--view", "quotas", NULL};
    int rc = run_client(args, &out, &err);
    ck_assert_msg(rc == 0 && strstr(out, "Quota attainment"), "the local profile: %d %s %s", rc,
                  out, err);
    free(out);
    free(err);
    const char *nope[] = {"--once", "--profile", "nope", NULL};
    ck_assert_int_eq(run_client(nope, &out, &err), 3);
    free(out);
    free(err);

    /* P in the client: the next profile's server. */
    tui_driver_start(120, 40, "", "--profile dead --view health");
    tui_driver_keys("P");
    tui_driver_expect("profile local", 5000);
    tui_driver_expect("ready (HTTP 200)", 15000);
    tui_driver_quit();
    unlink(path);
}
END_TEST

/* ---------------------------------------------------------------- navigation */

/* Enter on a rep opens their quotes, Esc comes back; : jumps to a view. */
START_TEST(drill_down_and_palette)
{
    struct harness_resp r;
    cJSON *qp = api_get("/api/v1/dashboard/quota-performance", &r);
    const cJSON *rep = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(qp, "reps"), 0);
    char name[64];
    snprintf(name, sizeof name, "%.14s",
             cJSON_GetObjectItemCaseSensitive(rep, "user_name")->valuestring);
    harness_resp_free(&r);
    tui_driver_start(140, 40, "", "--view quotas");
    tui_driver_expect("updated", 15000);
    tui_driver_keys("j"); /* past the team row, to the first rep */
    tui_driver_keys("Enter");
    char *s = tui_driver_wait("Number", false, 10000);
    free(s);
    tui_driver_expect(name, 10000);
    tui_driver_keys("Escape");
    tui_driver_expect("Quota attainment", 10000);
    tui_driver_keys(":");
    tui_driver_keys("hea");
    tui_driver_keys("Tab");
    tui_driver_expect("go to: health", 5000);
    tui_driver_keys("Enter");
    tui_driver_expect("PostgreSQL", 10000);
    tui_driver_quit();
}
END_TEST

/* ---------------------------------------------------------------- push */

/* With the interval at 60 s, a write made through another daemon shows at
 * once: the client holds the event stream and refetches on its event. */
START_TEST(push_shows_a_write_from_another_daemon)
{
    struct harness_daemon d2;
    tui_driver_daemon_at(&d2, 0, NULL);
    char desc[64];
    snprintf(desc, sizeof desc, "push-%d", (int)getpid());
    tui_driver_start(140, 40, "", "--interval 60 --view expenses");
    tui_driver_expect("live, refresh every 60s", 15000);
    tui_driver_expect("updated", 10000);
    /* Only the expense to come matches the filter. */
    tui_driver_keys("/");
    tui_driver_keys(desc);
    tui_driver_keys("Enter");
    tui_driver_expect("no expenses", 10000);
    harness_sleep_ms(1500); /* the filtered list's answer is in; the next poll is a minute away */
    char auth[200], body[160];
    const char *hdrs[] = {harness_bearer(auth, sizeof auth, token),
                          "Content-Type: application/json", NULL};
    snprintf(body, sizeof body,
             "{\"amount\": 5, \"description\": \"%s\", \"date\": \"2026-01-02\"}", desc);
    struct harness_resp r;
    long st = harness_http(&d2, "POST", "/api/v1/expenses", hdrs, body, &r);
    ck_assert_msg(st == 201 || st == 200, "expected the expense created, got %ld: %s", st, r.body);
    harness_resp_free(&r);
    double t0 = harness_now_ms();
    char *s = tui_driver_wait(desc, false, 5000);
    free(s);
    fprintf(stderr, "push: the write showed after %.0f ms\n", harness_now_ms() - t0);
    tui_driver_quit();
    harness_daemon_stop(&d2);
}
END_TEST

/* The whole file (malloc'd, NUL-terminated), or NULL. */
static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap);
    size_t got;
    while ((got = fread(b + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n < 2)
            b = realloc(b, cap *= 2);
    }
    fclose(f);
    b[n] = '\0';
    return b;
}

/* --watch prints again when a write lands, driven by the stream (the
 * interval is a minute), and ends cleanly on Ctrl-C. */
START_TEST(watch_prints_again_on_a_change)
{
    struct harness_daemon d2;
    tui_driver_daemon_at(&d2, 0, NULL);
    char desc[64];
    snprintf(desc, sizeof desc, "watch-%d", (int)getpid());
    /* Into a file, as a pipe would take it. */
    char out[320], args[512];
    snprintf(out, sizeof out, "%s/watch.csv", td.work);
    snprintf(args, sizeof args, "--watch --format csv --view expenses --interval 60 > %s", out);
    tui_driver_start(140, 40, "", args);
    char *text = NULL;
    for (int i = 0; i < 400 && !(text && strstr(text, "\r\n")); i++) {
        free(text);
        harness_sleep_ms(100);
        text = read_file(out);
    }
    ck_assert_msg(text && !strncmp(text, "date,description,category,vendor,submitted_by", 45),
                  "the first print: %.200s", text ? text : "(none)");
    free(text);
    harness_sleep_ms(1500); /* the stream is open */
    char auth[200], body[160];
    const char *hdrs[] = {harness_bearer(auth, sizeof auth, token),
                          "Content-Type: application/json", NULL};
    snprintf(body, sizeof body,
             "{\"amount\": 7, \"description\": \"%s\", \"date\": \"2099-01-02\"}", desc);
    struct harness_resp r;
    long st = harness_http(&d2, "POST", "/api/v1/expenses", hdrs, body, &r);
    ck_assert_msg(st == 201 || st == 200, "expected the expense created, got %ld: %s", st, r.body);
    harness_resp_free(&r);
    text = NULL;
    /* The second print walks every page again (thousands of expenses). */
    for (int i = 0; i < 400 && !(text && strstr(text, desc)); i++) {
        free(text);
        harness_sleep_ms(100);
        text = read_file(out);
    }
    ck_assert_msg(text && strstr(text, desc), "expected a second print with %s", desc);
    ck_assert_msg(strstr(text, "\n\ndate,description"), "prints apart by a blank line");
    free(text);
    tui_driver_keys("C-c");
    char *s = tui_driver_wait("EXIT=", false, 5000);
    ck_assert_msg(strstr(s, "EXIT=0"), "expected --watch to end with 0 on Ctrl-C:\n%s", s);
    free(s);
    free(tui_driver_tmux("kill-server", (char *)NULL));
    harness_daemon_stop(&d2);
}
END_TEST

/* ---------------------------------------------------------------- setup */

static int setup(const char *db_url)
{
    return tui_driver_seed(db_url, "live", token, sizeof token);
}

int main(void)
{
    tui_driver_init();
    signal(SIGPIPE, SIG_IGN);
    Suite *s = suite_create("tui_live");
    TCase *tc = harness_tcase(s, "tui_live");
    tcase_add_checked_fixture(tc, daemon_up, daemon_down);
    tcase_add_test(tc, quotas_month_round_trip_and_alerts);
    tcase_add_test(tc, health_view_while_the_daemon_is_down);
    tcase_add_test(tc, slow_daemon_through_a_proxy);
    tcase_add_test(tc, dumb_terminal_points_to_once);
    tcase_add_test(tc, text_report_has_every_row);
    tcase_add_test(tc, report_fails_on_a_server_that_is_not_onquota);
    tcase_add_test(tc, profiles_from_the_config_file);
    tcase_add_test(tc, drill_down_and_palette);
    tcase_add_test(tc, push_shows_a_write_from_another_daemon);
    tcase_add_test(tc, watch_prints_again_on_a_change);
    return harness_main(s, "it_tui_live", setup);
}

/* End-to-end tests of onquota: the real client in tmux against a real daemon and the demo data. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "tui_driver.h"

#define DEMO_EMAIL "admin@acme.example"
#define DEMO_PASSWORD "demo"

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

static const char *base_url(const struct harness_daemon *d)
{
    static char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", d->port);
    return url;
}

/* ---------------------------------------------------------------- API figures */

/* Money as the client prints it: 1234567.5 → "1,234,567.50". */
static void money(double v, char *out, size_t n)
{
    char raw[64], grouped[96];
    snprintf(raw, sizeof raw, "%.2f", v < 0 ? -v : v);
    char *dot = strchr(raw, '.');
    size_t int_len = (size_t)(dot - raw), k = 0;
    for (size_t i = 0; i < int_len; i++) {
        if (i > 0 && (int_len - i) % 3 == 0)
            grouped[k++] = ',';
        grouped[k++] = raw[i];
    }
    memcpy(grouped + k, dot, 4); /* ".dd" and the NUL */
    size_t off = 0;
    if (v < 0 && n > 1)
        out[off++] = '-';
    snprintf(out + off, n - off, "%.60s", grouped);
}

static cJSON *api_get(const char *path, struct harness_resp *r)
{
    char auth[200];
    const char *hdrs[] = {harness_bearer(auth, sizeof auth, token), "Accept-Language: en", NULL};
    long st = harness_http(&D, "GET", path, hdrs, NULL, r);
    ck_assert_msg(st == 200, "expected 200 from %s, got %ld", path, st);
    return harness_json(r);
}

static double kpi_value(const cJSON *kpis, const char *key)
{
    const cJSON *k = cJSON_GetObjectItemCaseSensitive(kpis, key);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(k, "current_value");
    ck_assert_msg(cJSON_IsNumber(v), "expected kpis.%s.current_value", key);
    return v->valuedouble;
}

/* ---------------------------------------------------------------- tests */

START_TEST(dashboard_shows_the_api_figures)
{
    tui_driver_start(120, 40, "", "");
    char *s = tui_driver_wait("Revenue this month", false, 10000);
    free(s);
    s = tui_driver_wait("updated", false, 10000);
    free(s);
    struct harness_resp r;
    cJSON *k = api_get("/api/v1/dashboard/kpis", &r);
    char want[64];
    s = tui_driver_wait("Pending approvals", false, 5000);
    money(kpi_value(k, "total_revenue"), want, sizeof want);
    ck_assert_msg(strstr(s, want), "expected revenue %s on screen:\n%s", want, s);
    money(kpi_value(k, "total_expenses"), want, sizeof want);
    ck_assert_msg(strstr(s, want), "expected expenses %s on screen:\n%s", want, s);
    static const char *const panels[] = {"Key figures",          "Quota",
                                         "Expenses by category", "Revenue by month",
                                         "Recent activity",      "Health"};
    for (size_t i = 0; i < sizeof panels / sizeof panels[0]; i++)
        ck_assert_msg(strstr(s, panels[i]), "expected the %s panel at 120x40:\n%s", panels[i], s);
    free(s);
    harness_resp_free(&r);
    /* A 256-colour terminal gets colours. */
    char *e = tui_driver_tmux("capture-pane", "-p", "-e", "-t", "t", (char *)NULL);
    ck_assert_msg(strstr(e, "\033[31m") || strstr(e, "\033[38;5;") || strstr(e, "\033[32m"),
                  "expected colour escapes on a 256-colour terminal");
    free(e);
    tui_driver_quit();
}
END_TEST

START_TEST(views_drilldown_help_and_pause)
{
    tui_driver_start(120, 40, "", "");
    tui_driver_expect("Revenue this month", 10000);
    tui_driver_keys("2");
    char *s = tui_driver_wait("Number", false, 10000);
    bool quotes = !strstr(s, "not available");
    free(s);
    if (quotes) {
        tui_driver_keys("Enter");
        tui_driver_expect("Unit price", 5000);
        tui_driver_keys("Escape");
        tui_driver_expect("Number", 5000);
    }
    tui_driver_keys("3");
    tui_driver_expect("Expenses", 5000);
    tui_driver_keys("4");
    tui_driver_expect("Quota attainment", 5000);
    tui_driver_keys("5");
    tui_driver_expect("PostgreSQL", 5000);
    tui_driver_keys("?");
    tui_driver_expect("quit, restoring the terminal", 3000);
    tui_driver_keys("?");
    free(tui_driver_wait("quit, restoring the terminal", true, 3000));
    tui_driver_keys("p");
    tui_driver_expect("PAUSED", 3000);
    tui_driver_keys("p");
    free(tui_driver_wait("PAUSED", true, 3000));
    tui_driver_keys("1");
    tui_driver_expect("Key figures", 3000);
    tui_driver_quit();
}
END_TEST

START_TEST(resizes_at_every_size)
{
    tui_driver_start(120, 40, "", "");
    tui_driver_expect("Revenue by month", 10000);
    tui_driver_resize(80, 24);
    char *s = tui_driver_wait("DB ", false, 5000);
    static const char *const compact[] = {"Key figures",          "Quota",
                                          "Expenses by category", "Revenue by month",
                                          "Recent activity",      "Redis"};
    for (size_t i = 0; i < sizeof compact / sizeof compact[0]; i++)
        ck_assert_msg(strstr(s, compact[i]), "expected %s at 80x24:\n%s", compact[i], s);
    free(s);
    tui_driver_resize(30, 8);
    tui_driver_expect("too small", 5000);
    tui_driver_resize(60, 20);
    tui_driver_expect("Key figures", 5000);
    tui_driver_resize(120, 40);
    tui_driver_expect("Revenue by month", 5000);
    s = tui_driver_capture();
    ck_assert_msg(!strstr(s, "EXIT="), "expected the client to survive the resizes:\n%s", s);
    free(s);
    tui_driver_quit();
}
END_TEST

static bool all_ascii(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p >= 0x80)
            return false;
    return true;
}

START_TEST(no_color_and_ascii)
{
    /* LANG=C: the screen holds only ASCII. */
    tui_driver_start(120, 40, "LANG=C NO_COLOR=1", "");
    char *s = tui_driver_wait("Revenue this month", false, 10000);
    free(s);
    s = tui_driver_wait("updated", false, 10000);
    ck_assert_msg(all_ascii(s), "expected only ASCII with LANG=C:\n%s", s);
    ck_assert_msg(strstr(s, "+--") || strstr(s, "+ Key"), "expected ASCII boxes:\n%s", s);
    free(s);
    tui_driver_quit();

    /* NO_COLOR=1 in UTF-8: no colour escapes, severity still in words. */
    tui_driver_start(120, 40, "NO_COLOR=1", "");
    tui_driver_expect("Revenue this month", 10000);
    tui_driver_expect("OK", 10000);
    char *e = tui_driver_tmux("capture-pane", "-p", "-e", "-t", "t", (char *)NULL);
    for (const char *p = e; (p = strstr(p, "\033[")); p++) {
        const char *q = p + 2;
        while (*q && *q != 'm' && q - p < 40)
            q++;
        char sgr[48];
        snprintf(sgr, sizeof sgr, "%.*s", (int)(q - p - 2), p + 2);
        /* Colours are 30–37, 38;…, 40–47, 48;…, 90–97, 100–107. */
        for (char *t = strtok(sgr, ";"); t; t = strtok(NULL, ";")) {
            int v = atoi(t);
            ck_assert_msg(!((v >= 30 && v <= 38) || (v >= 40 && v <= 48) || (v >= 90 && v <= 97) ||
                            (v >= 100 && v <= 107)),
                          "expected no colour with NO_COLOR=1, found SGR %d", v);
        }
    }
    ck_assert_msg(strstr(e, "OK"), "expected OK/WARN/FAIL words in monochrome");
    free(e);
    tui_driver_quit();
}
END_TEST

START_TEST(offline_keeps_data_and_recovers)
{
    tui_driver_start(120, 40, "", "");
    char *s = tui_driver_wait("Pending approvals", false, 10000);
    free(s);
    struct harness_resp r;
    cJSON *k = api_get("/api/v1/dashboard/kpis", &r);
    char want[64];
    money(kpi_value(k, "total_revenue"), want, sizeof want);
    harness_resp_free(&r);
    tui_driver_expect(want, 5000);
    int port = D.port;
    harness_daemon_stop(&D);
    s = tui_driver_wait("OFFLINE", false, 15000);
    ck_assert_msg(strstr(s, "retrying"), "expected a retry countdown:\n%s", s);
    ck_assert_msg(strstr(s, want), "expected the last data (%s) kept while offline:\n%s", want, s);
    free(s);
    /* Back on the same port: the client recovers with no key pressed. */
    tui_driver_daemon_at(&D, port, NULL);
    free(tui_driver_wait("OFFLINE", true, 25000));
    s = tui_driver_wait("updated just now", false, 10000);
    ck_assert_msg(strstr(s, want), "expected the figures after recovery:\n%s", s);
    free(s);
    tui_driver_quit();
}
END_TEST

START_TEST(expired_token_shows_the_login_hint)
{
    char *expired = harness_token_create(harness_db(), DEMO_EMAIL, "e2e-expired", 1);
    ck_assert_msg(expired, "expected a token");
    ck_assert(harness_psql(harness_db(),
                           "UPDATE auth_tokens SET expires_at = now() - interval '1 hour' "
                           "WHERE name = 'e2e-expired'") == 0);
    char path[300];
    snprintf(path, sizeof path, "%s/expired-token", td.work);
    FILE *f = fopen(path, "w");
    fprintf(f, "%s\n", expired);
    fclose(f);
    free(expired);
    char args[400];
    snprintf(args, sizeof args, "--token-file %s", path);
    tui_driver_start(120, 40, "", args);
    char *s = tui_driver_wait("run onquota login", false, 10000);
    ck_assert_msg(strstr(s, "token expired or revoked"), "expected the hint in words:\n%s", s);
    free(s);
    tui_driver_quit();
}
END_TEST

static int run_client(const char *const *args, const char *input, char **out, char **err)
{
    char xdg[300];
    snprintf(xdg, sizeof xdg, "XDG_CONFIG_HOME=%s", td.work);
    const char *env[] = {xdg, "LANG=C.UTF-8", NULL};
    const char *argv[32] = {tui_driver_onquota()};
    int n = 1;
    for (const char *const *a = args; *a && n < 31; a++)
        argv[n++] = *a;
    argv[n] = NULL;
    return harness_run(argv, input, env, out, err);
}

START_TEST(once_json_carries_the_api_numbers)
{
    char *out = NULL, *err = NULL;
    const char *args[] = {"--once",     "--format",     "json",        "--url",
                          base_url(&D), "--token-file", td.token_file, NULL};
    int rc = run_client(args, NULL, &out, &err);
    ck_assert_msg(rc == 0, "expected --once to exit 0, got %d: %s", rc, err);
    cJSON *doc = cJSON_Parse(out);
    ck_assert_msg(doc, "expected one JSON document, got:\n%s", out);
    ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(doc, "view")->valuestring, "dashboard");
    static const struct {
        const char *key, *path;
    } parts[] = {
        {"kpis", "/api/v1/dashboard/kpis"},
        {"revenue_monthly", "/api/v1/dashboard/revenue-monthly"},
        {"expenses_monthly", "/api/v1/dashboard/expenses-monthly"},
        {"quota_performance", "/api/v1/dashboard/quota-performance"},
    };
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        struct harness_resp r;
        cJSON *api = api_get(parts[i].path, &r);
        const cJSON *mine = cJSON_GetObjectItemCaseSensitive(doc, parts[i].key);
        ck_assert_msg(cJSON_Compare(mine, api, true), "expected %s equal to GET %s", parts[i].key,
                      parts[i].path);
        harness_resp_free(&r);
    }
    ck_assert_msg(strstr(out, "\"health\":{"), "expected the readiness document");
    cJSON_Delete(doc);
    free(out);
    free(err);

    /* Text: 80 columns, no terminal needed. */
    const char *text[] = {"--once", "--url", base_url(&D), "--token-file", td.token_file, NULL};
    rc = run_client(text, NULL, &out, &err);
    ck_assert_msg(rc == 0, "expected --once text to exit 0: %s", err);
    for (char *line = out, *nl; line && *line; line = nl ? nl + 1 : NULL) {
        nl = strchr(line, '\n');
        int cols = 0;
        for (char *p = line; p < (nl ? nl : line + strlen(line)); p++)
            cols += ((unsigned char)*p & 0xC0) != 0x80;
        ck_assert_msg(cols <= 80, "expected lines of at most 80 columns, got %d", cols);
    }
    ck_assert_msg(strstr(out, "Revenue this month"), "expected the KPIs in text:\n%s", out);
    free(out);
    free(err);
}
END_TEST

START_TEST(health_exit_codes_and_usage_errors)
{
    char *out = NULL, *err = NULL;
    const char *ready[] = {"health", "--url", base_url(&D), NULL};
    ck_assert_int_eq(run_client(ready, NULL, &out, &err), 0);
    ck_assert_msg(strstr(out, "ready"), "expected the word ready: %s", out);
    free(out);
    free(err);

    /* Redis unreachable: the daemon runs, but it is not ready. */
    struct harness_daemon nr;
    char dead_redis[64];
    snprintf(dead_redis, sizeof dead_redis, "redis://127.0.0.1:%d/0", harness_free_port());
    tui_driver_daemon_at(&nr, 0, dead_redis);
    const char *not_ready[] = {"health", "--json", "--url", base_url(&nr), NULL};
    int rc = run_client(not_ready, NULL, &out, &err);
    ck_assert_msg(rc == 1, "expected 1 when not ready, got %d: %s", rc, out);
    cJSON *j = cJSON_Parse(out);
    ck_assert_msg(j && cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(j, "is_ready")),
                  "expected the readiness JSON: %s", out);
    cJSON_Delete(j);
    free(out);
    free(err);
    harness_daemon_stop(&nr);

    char gone[64];
    snprintf(gone, sizeof gone, "http://127.0.0.1:%d", harness_free_port());
    const char *unreachable[] = {"health", "--quiet", "--url", gone, NULL};
    ck_assert_int_eq(run_client(unreachable, NULL, &out, &err), 2);
    ck_assert_msg(!*out, "expected --quiet to print nothing");
    free(out);
    free(err);

    /* Usage errors: one line, exit 3, in every mode. */
    static const char *const bad[][8] = {
        {"health", "--bogus", NULL},
        {"health", "--url", "ftp://example.com", NULL},
        {"--once", "--theme", "no-such-theme", NULL},
        {"--once", "--token-file", "/nonexistent/token", NULL},
        {"--once", "--interval", "0", NULL},
        {"--once", "--view", "nope", NULL},
        {"--once", "--format", "xml", NULL},
        {"health", "--theme", "x", NULL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        rc = run_client(bad[i], NULL, &out, &err);
        ck_assert_msg(rc == 3, "expected exit 3 for %s %s, got %d", bad[i][0], bad[i][1], rc);
        char *nl = strchr(err, '\n');
        ck_assert_msg(nl && nl[1] == '\0' && !strncmp(err, "onquota: ", 9),
                      "expected one line on stderr, got: %s", err);
        free(out);
        free(err);
    }
}
END_TEST

START_TEST(login_and_logout)
{
    char *out = NULL, *err = NULL;
    const char *login[] = {
        "login", "--url", base_url(&D), "--email", DEMO_EMAIL, "--password-stdin", NULL};
    int rc = run_client(login, DEMO_PASSWORD "\n", &out, &err);
    ck_assert_msg(rc == 0, "expected login to succeed: %s%s", out, err);
    free(out);
    free(err);
    char cred[300];
    snprintf(cred, sizeof cred, "%s/onquota/credentials", td.work);
    struct stat st;
    ck_assert_msg(stat(cred, &st) == 0 && (st.st_mode & 0777) == 0600, "expected %s with mode 0600",
                  cred);
    /* The stored token (and URL) serve --once without other options. */
    const char *once[] = {"--once", "--view", "health", NULL};
    rc = run_client(once, NULL, &out, &err);
    ck_assert_msg(rc == 0 && strstr(out, "PostgreSQL"), "expected --once with credentials: %s",
                  err);
    free(out);
    free(err);
    const char *logout[] = {"logout", NULL};
    rc = run_client(logout, NULL, &out, &err);
    ck_assert_msg(rc == 0, "expected logout to succeed: %s", err);
    ck_assert_msg(stat(cred, &st) != 0, "expected the credentials removed");
    free(out);
    free(err);
    const char *wrong[] = {
        "login", "--url", base_url(&D), "--email", DEMO_EMAIL, "--password-stdin", NULL};
    ck_assert_int_eq(run_client(wrong, "wrong-password\n", &out, &err), 3);
    free(out);
    free(err);
}
END_TEST

/* Writes text to $XDG_CONFIG_HOME/onquota/NAME with mode 0600; path gets its name. */
static void write_client_file(const char *name, const char *text, char *path, size_t n)
{
    snprintf(path, n, "%s/onquota", td.work);
    mkdir(path, 0700);
    snprintf(path, n, "%s/onquota/%s", td.work, name);
    FILE *f = fopen(path, "w");
    ck_assert_msg(f && fputs(text, f) >= 0 && fclose(f) == 0, "cannot write %s", path);
    chmod(path, 0600);
}

/* Writes text as the client file name, runs --once --view health, and
 * expects it to serve (error NULL) or to exit 3 with "onquota: PATH:error".
 * The file is removed afterwards. */
static void client_file_case(const char *name, const char *text, const char *error)
{
    char path[300], want[400], *out = NULL, *err = NULL;
    const char *once[] = {"--once", "--view", "health", NULL};
    write_client_file(name, text, path, sizeof path);
    int rc = run_client(once, NULL, &out, &err);
    if (!error) {
        ck_assert_msg(rc == 0 && strstr(out, "PostgreSQL"), "expected %s to serve --once: %s", name,
                      err);
    } else {
        snprintf(want, sizeof want, "onquota: %s:%s\n", path, error);
        ck_assert_msg(rc == 3 && !strcmp(err, want), "expected exit 3 and\n  %sgot %d and\n  %s",
                      want, rc, err);
    }
    free(out);
    free(err);
    unlink(path);
}

/* The config and credentials files are read as INI (common/ini.h): inline
 * comments and quotes go, and a malformed line is an error naming it. */
START_TEST(config_and_credentials_files)
{
    char text[1024], *token = NULL;
    snprintf(text, sizeof text,
             "# the test daemon\nurl = \"%s\" ; quoted\ntoken_file = %s   # the demo token\n",
             base_url(&D), td.token_file);
    client_file_case("config", text, NULL);
    client_file_case("config", "url = http://127.0.0.1:1\nnot a setting\n",
                     "2: expected 'key = value'");

    size_t cap = 0;
    FILE *f = fopen(td.token_file, "r");
    ck_assert(f && getline(&token, &cap, f) > 0);
    fclose(f);
    token[strcspn(token, "\r\n")] = '\0';
    snprintf(text, sizeof text, "url = %s ; written by hand\ntoken = '%s'\n", base_url(&D), token);
    client_file_case("credentials", text, NULL);
    client_file_case("credentials", "url = http://127.0.0.1:1\n[broken\n",
                     "2: malformed section header");
    free(token);
}
END_TEST

/* ---------------------------------------------------------------- setup */

static int setup(const char *db_url)
{
    return tui_driver_seed(db_url, "e2e", token, sizeof token);
}

int main(void)
{
    tui_driver_init();
    Suite *s = suite_create("tui_e2e");
    TCase *tc = harness_tcase(s, "tui_e2e");
    tcase_add_checked_fixture(tc, daemon_up, daemon_down);
    tcase_add_test(tc, dashboard_shows_the_api_figures);
    tcase_add_test(tc, views_drilldown_help_and_pause);
    tcase_add_test(tc, resizes_at_every_size);
    tcase_add_test(tc, no_color_and_ascii);
    tcase_add_test(tc, offline_keeps_data_and_recovers);
    tcase_add_test(tc, expired_token_shows_the_login_hint);
    tcase_add_test(tc, once_json_carries_the_api_numbers);
    tcase_add_test(tc, health_exit_codes_and_usage_errors);
    tcase_add_test(tc, login_and_logout);
    tcase_add_test(tc, config_and_credentials_files);
    return harness_main(s, "it_tui_e2e", setup);
}

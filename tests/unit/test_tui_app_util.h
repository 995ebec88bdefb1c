/* Fixtures of the tui_app and tui_nav suites: fixed API answers, an application without a
 * terminal, frames as text, and a scratch config directory. */
#ifndef ONQUOTA_TEST_TUI_APP_UTIL_H
#define ONQUOTA_TEST_TUI_APP_UTIL_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "options.h"
#include "test_tui_util.h"
#include "xalloc.h"

static const char *const KPIS =
    "{\"total_revenue\":{\"title\":\"Ingresos del mes\",\"current_value\":9320.48,"
    "\"previous_value\":8000,\"change_percent\":16.5,\"format_type\":\"currency\","
    "\"is_positive\":true},\"pending_approvals\":{\"title\":\"Aprobaciones pendientes\","
    "\"current_value\":3,\"format_type\":\"number\",\"is_positive\":false,"
    "\"change_percent\":-3.1}}";
static const char *const REVENUE =
    "{\"current_year\":[{\"month\":\"2026-01\",\"value\":100},{\"month\":\"2026-02\","
    "\"value\":300}],\"previous_year\":[{\"month\":\"2025-01\",\"value\":200},{\"month\":"
    "\"2025-02\",\"value\":300}],\"total_current_year\":400,\"total_previous_year\":500}";
static const char *const EXPMONTHLY =
    "{\"current_year\":[{\"month\":\"2026-01\",\"value\":10}],\"previous_year\":[],"
    "\"by_category\":[{\"category\":\"COMBUSTIBLE\",\"total\":120.5},{\"category\":\"HOTEL\","
    "\"total\":80}],\"total_current_year\":10,\"total_previous_year\":0}";
static const char *const ACTIVITY =
    "{\"events\":[{\"id\":\"q1\",\"type\":\"quote_accepted\",\"title\":\"Cotización "
    "Q-2026-000001\",\"user_name\":\"Ana Ruiz\",\"timestamp\":\"2026-11-29T02:01:42Z\","
    "\"metadata\":{\"quote_number\":\"Q-2026-000001\",\"status\":\"accepted\",\"amount\":1200}},"
    "{\"id\":\"q2\",\"type\":\"quote_created\",\"title\":\"Cotización Q-2026-000002\","
    "\"user_name\":\"Ana Ruiz\",\"timestamp\":\"2026-11-28T02:01:42Z\"}],\"total_events\":2}";
static const char *const PERF =
    "{\"year\":2026,\"month\":11,\"pace_percent\":50,\"team\":{\"target\":1000,\"achieved\":400,"
    "\"percent\":40,\"status\":\"at_risk\"},\"reps\":[{\"user_id\":\"u1\",\"user_name\":"
    "\"Ana Ruiz\",\"target\":500,\"achieved\":100,\"percent\":20,\"status\":\"behind\"},"
    "{\"user_id\":\"u2\",\"user_name\":\"Luis Gil\",\"target\":500,\"achieved\":300,"
    "\"percent\":60,\"status\":\"on_track\"}]}";
static const char *const READY =
    "{\"status\":\"ready\",\"is_ready\":true,\"timestamp\":\"2026-11-29T02:01:42Z\","
    "\"components\":{\"database\":{\"status\":\"healthy\",\"latency_ms\":0.4,\"pool\":{\"size\":"
    "10,\"in_use\":1}},\"redis\":{\"status\":\"healthy\",\"latency_ms\":0.2,\"memory_used\":"
    "\"1.2M\"}}}";
static const char *const METRICS = "onquota_cache_requests_total{result=\"hit\"} 90\n"
                                   "onquota_cache_requests_total{result=\"miss\"} 10\n";
static const char *const QUOTES =
    "{\"total\":41,\"items\":[{\"id\":\"q1\",\"quote_number\":\"Q-2026-000001\","
    "\"total_amount\":1025.00,\"currency\":\"USD\",\"status\":\"sent\",\"created_at\":"
    "\"2026-11-29T01:08:49Z\",\"client\":{\"id\":\"c1\",\"name\":\"Ferretería Ebro\"},"
    "\"sales_rep\":{\"id\":\"u1\",\"full_name\":\"Ana Ruiz\"},\"items\":[{\"product_name\":"
    "\"Fleje\",\"quantity\":10,\"unit_price\":105.128205,\"discount_percent\":2.50,"
    "\"subtotal\":1025.00}]}],\"page\":1,\"page_size\":20,\"pages\":3}";
static const char *const QUOTES_EMPTY =
    "{\"total\":0,\"items\":[],\"page\":1,\"page_size\":20,\"pages\":0}";
static const char *const EXPENSES =
    "{\"total\":2,\"items\":[{\"id\":\"e1\",\"user\":{\"full_name\":\"Diego Sanz\"},"
    "\"category\":{\"name\":\"COMBUSTIBLE\"},\"amount\":101.10,\"description\":\"Repostaje\","
    "\"date\":\"2026-11-29\",\"status\":\"pending\",\"vendor_name\":null},{\"id\":\"e2\","
    "\"user\":{\"full_name\":\"Marta Paz\"},\"category\":{\"name\":\"HOTEL\"},\"amount\":80,"
    "\"description\":\"Noche\",\"date\":\"2026-11-28\",\"status\":\"approved\","
    "\"vendor_name\":\"Parador\"}],\"page\":1,\"page_size\":20,\"pages\":1}";
static const char *const ALERTS =
    "{\"as_of\":\"2026-11-30\",\"year\":2026,\"month\":11,\"pace_percent\":100,\"alerts\":"
    "[{\"user_id\":\"u1\",\"user_name\":\"Ana Ruiz\",\"target\":500,\"achieved\":100,"
    "\"percent\":20,\"status\":\"behind\"}]}";
static const char *const QUOTAS =
    "[{\"id\":\"t1\",\"user_id\":\"u1\",\"user_name\":\"Ana Ruiz\",\"year\":2026,\"month\":11,"
    "\"target_amount\":500,\"achieved\":100,\"percent\":20}]";

static struct options O;
static struct app A;
static char cfgdir[128];

/* A non-interactive application in lang with the built-in theme. */
static void app_up(const char *lang)
{
    memset(&O, 0, sizeof O);
    O.url = xstrdup("http://127.0.0.1:9");
    O.token = xstrdup("oq_test");
    O.lang = xstrdup(lang);
    O.theme = xstrdup("default");
    O.format = xstrdup("text");
    O.view = xstrdup("dashboard");
    O.interval = 5;
    theme_default(&O.theme_data);
    char *err = NULL;
    ck_assert_msg(app_init(&A, &O, false, &err) == 0, "app_init: %s", err ? err : "");
    A.data.q.quota_year = 2026;
    A.data.q.quota_month = 11;
}

static void app_down(void)
{
    app_free(&A);
    options_free(&O);
}

/* Records answer body to a GET of s as the application would. */
static void feed(enum src s, const char *body)
{
    char path[DATA_PATH_MAX];
    data_path(&A.data, s, path, sizeof path);
    struct net_result r = {.method = "GET",
                           .path = path,
                           .status = 200,
                           .body = body,
                           .body_len = strlen(body),
                           .err = ""};
    ck_assert_msg(data_apply(&A.data, s, &r, 1.0) == FETCH_OK, "fixture of %s", data_src_name(s));
}

static void feed_all(void)
{
    feed(SRC_KPIS, KPIS);
    feed(SRC_REVENUE, REVENUE);
    feed(SRC_EXPMONTHLY, EXPMONTHLY);
    feed(SRC_ACTIVITY, ACTIVITY);
    feed(SRC_QUOTA_PERF, PERF);
    feed(SRC_READY, READY);
    feed(SRC_METRICS, METRICS);
    feed(SRC_QUOTES, QUOTES);
    feed(SRC_EXPENSES, EXPENSES);
    feed(SRC_QUOTA_MONTH, PERF);
    feed(SRC_QUOTAS, QUOTAS);
    feed(SRC_ALERTS, ALERTS);
}

/* Draws view v at w×h and returns the screen as text (malloc'd). */
static char *frame(int v, int w, int h)
{
    A.view = v;
    app_draw(&A, w, h, 2.0);
    return grid_to_text(A.grid);
}

static inline void cfg_setup(void)
{
    tui_locale();
    snprintf(cfgdir, sizeof cfgdir, "/tmp/onquota-app-test-%d", (int)getpid());
    mkdir(cfgdir, 0700);
    setenv("XDG_CONFIG_HOME", cfgdir, 1);
    unsetenv("ONQUOTA_TOKEN");
    unsetenv("ONQUOTA_PROFILE");
    unsetenv("ONQUOTA_URL");
    unsetenv("ONQUOTA_THEME");
    unsetenv("NO_COLOR");
}

static inline void cfg_teardown(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", cfgdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", cfgdir);
}

#endif

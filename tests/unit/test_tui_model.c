/* Unit tests of the client's JSON parsing of every endpoint and of its data store. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "data.h"
#include "model.h"

#define NEAR(a, b) (fabs((a) - (b)) < 1e-9)

/* ---------------------------------------------------------------- malformed input */

/* Every parser refuses text that is not JSON, and the list parsers accept
 * either an object with items or a bare array. */
typedef int (*parse_fn)(const char *json, void *out, char **err);
typedef void (*free_fn)(void *m);

struct parser {
    const char *name;
    parse_fn parse;
    free_fn release;
    size_t size;
    bool object_only; /* a bare array is refused */
};

#define P(n, fn, fr, type, obj)                                                                    \
    {                                                                                              \
        n, (parse_fn)fn, (free_fn)fr, sizeof(type), obj                                            \
    }
static void summary_free(void *p)
{
    (void)p;
}

static const struct parser parsers[] = {
    P("kpis", model_parse_kpis, model_kpis_free, struct model_kpis, true),
    P("summary", model_parse_summary, summary_free, struct model_summary, true),
    P("monthly", model_parse_monthly, model_monthly_free, struct model_monthly, true),
    P("top", model_parse_top_clients, model_top_clients_free, struct model_top_clients, true),
    P("activity", model_parse_activity, model_activity_free, struct model_activity, true),
    P("quota", model_parse_quota_perf, model_quota_perf_free, struct model_quota_perf, true),
    P("ready", model_parse_ready, model_ready_free, struct model_ready, true),
    P("quotes", model_parse_quotes, model_quotes_free, struct model_quotes, false),
    P("quote", model_parse_quote, model_quote_free, struct model_quote, true),
    P("expenses", model_parse_expenses, model_expenses_free, struct model_expenses, false),
    P("expense", model_parse_expense, model_expense_free, struct model_expense, true),
    P("quotas", model_parse_quotas, model_quotas_free, struct model_quotas, false),
    P("alerts", model_parse_alerts, model_alerts_free, struct model_alerts, false),
    P("users", model_parse_users, model_users_free, struct model_users, false),
    P("user", model_parse_user, model_user_free, struct model_user, true),
};

static const char *const garbage[] = {"", "not json", "{\"a\":", "<html>502</html>"};

START_TEST(every_parser_refuses_non_json)
{
    const struct parser *p = &parsers[_i];
    for (size_t k = 0; k < sizeof garbage / sizeof garbage[0]; k++) {
        void *m = calloc(1, p->size);
        char *err = NULL;
        ck_assert_msg(p->parse(garbage[k], m, &err) == -1, "%s: expected -1 for \"%s\"", p->name,
                      garbage[k]);
        ck_assert_msg(err && *err, "%s: expected an error message", p->name);
        free(err);
        p->release(m);
        free(m);
    }
    /* Empty objects and nulls everywhere parse to zeroed models. */
    void *m = calloc(1, p->size);
    char *err = NULL;
    ck_assert_msg(p->parse("{}", m, &err) == 0, "%s: expected {} to parse", p->name);
    p->release(m);
    int rc = p->parse("[]", m, &err);
    ck_assert_msg(p->object_only ? rc == -1 : rc == 0, "%s: [] gave %d", p->name, rc);
    free(err);
    p->release(m);
    free(m);
}
END_TEST

/* ---------------------------------------------------------------- dashboard */

START_TEST(kpis_full_missing_and_null)
{
    const char *json =
        "{\"total_revenue\":{\"title\":\"Revenue this month\",\"current_value\":143599.74,"
        "\"previous_value\":257071.96,\"change_percent\":-44.14,\"is_positive\":false,"
        "\"format_type\":\"currency\"},"
        "\"monthly_quota\":{\"title\":\"Quota attainment\",\"current_value\":71.44,"
        "\"format_type\":\"percentage\"},"
        "\"active_clients\":{\"title\":null,\"current_value\":69,\"previous_value\":null,"
        "\"change_percent\":null,\"is_positive\":true,\"format_type\":\"number\"},"
        "\"quotes_sent\":{\"current_value\":\"18\",\"format_type\":42}}";
    struct model_kpis k;
    char *err = NULL;
    ck_assert_int_eq(model_parse_kpis(json, &k, &err), 0);
    ck_assert(k.k[0].present && !strcmp(k.k[0].title, "Revenue this month"));
    ck_assert(k.k[0].has_current && NEAR(k.k[0].current, 143599.74));
    ck_assert(k.k[0].has_change && NEAR(k.k[0].change, -44.14) && !k.k[0].is_positive);
    ck_assert_int_eq(k.k[0].format, M_FMT_CURRENCY);
    ck_assert_int_eq(k.k[1].format, M_FMT_PERCENTAGE);
    ck_assert_msg(!k.k[1].has_previous && !k.k[1].has_change, "missing numbers are absent");
    ck_assert_msg(k.k[1].is_positive, "a missing is_positive reads as true");
    ck_assert_msg(!k.k[2].present, "conversion_rate is missing altogether");
    ck_assert(k.k[3].present && k.k[3].title == NULL && !k.k[3].has_change);
    ck_assert_msg(!k.k[7].has_current, "a string current_value is not a number");
    ck_assert_int_eq(k.k[7].format, M_FMT_NUMBER);
    model_kpis_free(&k);
}
END_TEST

START_TEST(monthly_series_and_categories)
{
    const char *json = "{\"current_year\":[{\"month\":\"2026-01\",\"value\":170301.38,"
                       "\"label\":\"Jan 2026\"},{\"month\":null,\"value\":null},7],"
                       "\"previous_year\":null,\"total_current_year\":2287069.02,"
                       "\"by_category\":[{\"category\":\"FUEL\",\"total\":1500.00},"
                       "{\"category\":null},\"x\"]}";
    struct model_monthly m;
    char *err = NULL;
    ck_assert_int_eq(model_parse_monthly(json, &m, &err), 0);
    ck_assert_int_eq(m.ncur, 2);
    ck_assert_str_eq(m.cur[0].month, "2026-01");
    ck_assert_str_eq(m.cur[0].label, "Jan 2026");
    ck_assert(m.cur[1].month[0] == '\0' && m.cur[1].label == NULL && m.cur[1].value == 0);
    ck_assert_int_eq(m.nprev, 0);
    ck_assert(NEAR(m.total_cur, 2287069.02) && m.total_prev == 0);
    ck_assert_int_eq(m.ncats, 2);
    ck_assert_str_eq(m.cats[0].name, "FUEL");
    ck_assert(m.cats[1].name == NULL && m.cats[1].total == 0);
    model_monthly_free(&m);

    /* Thirteen points: only twelve are kept. */
    char big[2048] = "{\"current_year\":[";
    for (int i = 0; i < 13; i++)
        snprintf(big + strlen(big), sizeof big - strlen(big), "%s{\"value\":%d}", i ? "," : "", i);
    strcat(big, "]}");
    ck_assert_int_eq(model_parse_monthly(big, &m, &err), 0);
    ck_assert_int_eq(m.ncur, 12);
    model_monthly_free(&m);
}
END_TEST

START_TEST(summary_and_top_clients)
{
    struct model_summary s;
    char *err = NULL;
    ck_assert_int_eq(model_parse_summary("{\"total_revenue_ytd\":2287069.02,\"total_clients\":69,"
                                         "\"revenue_mom_change\":null}",
                                         &s, &err),
                     0);
    ck_assert(NEAR(s.revenue_ytd, 2287069.02) && s.total_clients == 69 && !s.has_revenue_mom);
    struct model_top_clients t;
    ck_assert_int_eq(model_parse_top_clients(
                         "{\"clients\":[{\"client_id\":\"c1\",\"client_name\":\"Grupo Ebro\","
                         "\"total_revenue\":51444.71,\"quote_count\":4,\"last_quote_date\":null}],"
                         "\"period\":\"current_year\"}",
                         &t, &err),
                     0);
    ck_assert_int_eq(t.n, 1);
    ck_assert_str_eq(t.c[0].name, "Grupo Ebro");
    ck_assert(t.c[0].quotes == 4 && t.c[0].last_quote_date == NULL);
    ck_assert_str_eq(t.period, "current_year");
    model_top_clients_free(&t);
}
END_TEST

START_TEST(activity_merges_incrementally)
{
    struct model_activity all, fresh;
    char *err = NULL;
    ck_assert_int_eq(
        model_parse_activity(
            "{\"events\":[{\"id\":\"e2\",\"type\":\"quote_accepted\",\"title\":\"Quote Q-2\","
            "\"user_name\":\"Ana\",\"timestamp\":\"2026-11-29T02:01:42Z\",\"metadata\":"
            "{\"quote_number\":\"Q-2\",\"status\":\"accepted\",\"amount\":2487.84}},"
            "{\"id\":\"e1\",\"type\":\"client_created\",\"title\":null,\"timestamp\":\"bad\","
            "\"metadata\":null}],\"total_events\":2}",
            &all, &err),
        0);
    ck_assert_int_eq(all.n, 2);
    ck_assert(all.ev[0].has_amount && NEAR(all.ev[0].amount, 2487.84));
    ck_assert_str_eq(all.ev[0].status, "accepted");
    ck_assert_msg(all.ev[1].ts_us == 0 && !all.ev[1].has_amount, "bad timestamp and no metadata");
    ck_assert_str_eq(model_activity_since(&all), "2026-11-29T02:01:42Z");

    /* A since= answer: one new event and one already held. */
    ck_assert_int_eq(
        model_parse_activity("{\"events\":[{\"id\":\"e3\",\"timestamp\":\"2026-11-29T03:00:00Z\"},"
                             "{\"id\":\"e2\",\"timestamp\":\"2026-11-29T02:01:42Z\"}]}",
                             &fresh, &err),
        0);
    model_activity_merge(&all, &fresh, 100);
    ck_assert_int_eq(all.n, 3);
    ck_assert_str_eq(all.ev[0].id, "e3");
    ck_assert_str_eq(all.ev[1].id, "e2");
    ck_assert_int_eq(fresh.n, 0);
    ck_assert_str_eq(model_activity_since(&all), "2026-11-29T03:00:00Z");

    /* The cap keeps the newest. */
    ck_assert_int_eq(model_parse_activity("{\"events\":[{\"id\":\"e4\"}]}", &fresh, &err), 0);
    model_activity_merge(&all, &fresh, 2);
    ck_assert_int_eq(all.n, 2);
    ck_assert_str_eq(all.ev[0].id, "e4");
    ck_assert_str_eq(all.ev[1].id, "e3");
    model_activity_free(&all);
    model_activity_free(&fresh);
}
END_TEST

START_TEST(quota_performance_and_alerts)
{
    struct model_quota_perf q;
    char *err = NULL;
    ck_assert_int_eq(
        model_parse_quota_perf(
            "{\"year\":2026,\"month\":11,\"pace_percent\":96.67,\"team\":{\"target\":201000.00,"
            "\"achieved\":143599.74,\"percent\":71.44,\"status\":\"behind\"},\"reps\":["
            "{\"user_id\":\"u1\",\"user_name\":\"Ana Ruiz\",\"percent\":118.15,"
            "\"status\":\"achieved\"},{\"user_name\":null,\"status\":\"sleeping\"}]}",
            &q, &err),
        0);
    ck_assert(q.year == 2026 && q.month == 11 && NEAR(q.pace_percent, 96.67));
    ck_assert(q.has_team && q.team.status == M_QS_BEHIND && NEAR(q.team.percent, 71.44));
    ck_assert_int_eq(q.nreps, 2);
    ck_assert_int_eq(q.reps[0].status, M_QS_ACHIEVED);
    ck_assert_msg(q.reps[1].status == M_QS_UNKNOWN && !q.reps[1].user_name,
                  "an unknown status word and a null name");
    model_quota_perf_free(&q);
    ck_assert_int_eq(model_parse_quota_perf("{\"team\":null,\"reps\":null}", &q, &err), 0);
    ck_assert(!q.has_team && q.nreps == 0);
    model_quota_perf_free(&q);

    static const char *const shapes[] = {
        "[{\"user_name\":\"A\",\"status\":\"at_risk\"}]",
        "{\"alerts\":[{\"user_name\":\"A\",\"status\":\"at_risk\"}],\"year\":2026}",
        "{\"items\":[{\"user_name\":\"A\",\"status\":\"at_risk\"}]}",
    };
    for (size_t i = 0; i < 3; i++) {
        struct model_alerts a;
        ck_assert_int_eq(model_parse_alerts(shapes[i], &a, &err), 0);
        ck_assert_msg(a.n == 1 && a.a[0].status == M_QS_AT_RISK, "alerts shape %zu", i);
        model_alerts_free(&a);
    }
    ck_assert_str_eq(model_quota_status_name(M_QS_ON_TRACK), "on_track");
}
END_TEST

/* ---------------------------------------------------------------- health */

START_TEST(readiness_ok_and_failing)
{
    struct model_ready r;
    char *err = NULL;
    ck_assert_int_eq(
        model_parse_ready(
            "{\"status\":\"ready\",\"timestamp\":\"t\",\"is_ready\":true,\"components\":{"
            "\"database\":{\"status\":\"healthy\",\"database\":\"connected\",\"latency_ms\":0.41,"
            "\"pool\":{\"size\":8,\"in_use\":1}},\"redis\":{\"status\":\"healthy\",\"redis\":"
            "\"connected\",\"memory_used\":\"1.05M\",\"latency_ms\":0.12}}}",
            &r, &err),
        0);
    ck_assert(r.is_ready && r.database.has_pool && r.database.pool_size == 8);
    ck_assert_str_eq(r.redis.memory_used, "1.05M");
    model_ready_free(&r);
    ck_assert_int_eq(model_parse_ready("{\"status\":\"not_ready\",\"components\":{\"redis\":"
                                       "{\"status\":\"unhealthy\",\"redis\":\"error: refused\","
                                       "\"latency_ms\":null}}}",
                                       &r, &err),
                     0);
    ck_assert_msg(!r.is_ready, "a missing is_ready follows the status word");
    ck_assert(!r.database.present && r.redis.present && !r.redis.has_latency);
    ck_assert_str_eq(r.redis.state, "error: refused");
    model_ready_free(&r);
}
END_TEST

START_TEST(metrics_text)
{
    const char *text = "# HELP onquota_cache_requests_total Dashboard cache lookups, by result.\n"
                       "# TYPE onquota_cache_requests_total counter\n"
                       "onquota_cache_requests_total{result=\"hit\"} 30\n"
                       "onquota_cache_requests_total{result=\"miss\"} 9\n"
                       "onquota_cache_requests_total{result=\"stale\"} 0\n"
                       "onquota_cache_requests_total{result=\"bypass\"} 1\n"
                       "onquota_build_info{version=\"0.1.0\"} 1\n"
                       "onquota_http_requests_total{route=\"/x\",method=\"GET\",code=\"200\"} 5\n"
                       "onquota_http_requests_total{route=\"/y\",method=\"GET\",code=\"404\"} 2\n"
                       "process_resident_memory_bytes 12500000\n"
                       "garbage line\n";
    struct model_metrics m;
    model_parse_metrics(text, &m);
    ck_assert(m.has_cache && m.cache_hit == 30 && m.cache_miss == 9 && m.cache_bypass == 1);
    ck_assert(NEAR(model_cache_hit_rate(&m), 75.0));
    ck_assert_str_eq(m.version, "0.1.0");
    ck_assert(m.http_requests == 7 && m.rss_bytes == 12500000);
    model_parse_metrics(NULL, &m);
    ck_assert_msg(model_cache_hit_rate(&m) < 0, "no lookups: no rate");
}
END_TEST

START_TEST(server_timing_and_errors)
{
    struct model_timing t;
    model_parse_timing("db;dur=1.8;desc=\"2 queries\", cache;desc=\"HIT\", app;dur=2.1", &t);
    ck_assert(t.has_db && NEAR(t.db_ms, 1.8) && t.queries == 2);
    ck_assert(t.has_app && NEAR(t.app_ms, 2.1));
    ck_assert_str_eq(t.cache, "HIT");
    model_parse_timing(NULL, &t);
    ck_assert(!t.has_db && t.queries == -1);

    char *d = model_error_detail("{\"detail\":\"Forbidden\"}");
    ck_assert_str_eq(d, "Forbidden");
    free(d);
    d = model_error_detail("{\"detail\":[{\"loc\":[\"body\",\"items\",0,\"quantity\"],"
                           "\"msg\":\"must be greater than 0\",\"type\":\"value_error\"}]}");
    ck_assert_str_eq(d, "body.items.0.quantity: must be greater than 0");
    free(d);
    ck_assert(model_error_detail("oops") == NULL);
    ck_assert(model_error_detail("{\"detail\":\"\"}") == NULL);
}
END_TEST

/* ---------------------------------------------------------------- resources */

START_TEST(quotes_list_and_detail)
{
    const char *json =
        "{\"total\":1964,\"items\":[{\"id\":\"q1\",\"quote_number\":\"Q-2026-000992\","
        "\"total_amount\":14450.92,\"currency\":\"USD\",\"status\":\"sent\",\"notes\":null,"
        "\"sent_at\":\"2026-11-29T02:10:01Z\",\"accepted_at\":null,\"created_at\":"
        "\"2026-11-29T01:08:49Z\",\"client\":{\"id\":\"c1\",\"name\":\"Marta Pérez\"},"
        "\"sales_rep\":{\"id\":\"u1\",\"full_name\":\"María López\"},\"items\":[{\"product_name\":"
        "\"Fleje\",\"quantity\":58.00,\"unit_price\":33.97,\"discount_percent\":12.50,"
        "\"subtotal\":1723.98}]},{\"id\":\"q2\",\"client\":null,\"items\":null}],"
        "\"page\":1,\"page_size\":20,\"pages\":99}";
    struct model_quotes qs;
    char *err = NULL;
    ck_assert_int_eq(model_parse_quotes(json, &qs, &err), 0);
    ck_assert_int_eq(qs.n, 2);
    ck_assert(qs.page.total == 1964 && qs.page.pages == 99 && qs.page.page_size == 20);
    ck_assert_str_eq(qs.q[0].client_name, "Marta Pérez");
    ck_assert_str_eq(qs.q[0].rep_name, "María López");
    ck_assert(qs.q[0].nitems == 1 && NEAR(qs.q[0].items[0].subtotal, 1723.98));
    ck_assert(qs.q[0].notes == NULL && qs.q[0].accepted_at == NULL);
    ck_assert(qs.q[1].client_name == NULL && qs.q[1].nitems == 0);
    model_quotes_free(&qs);

    struct model_quote q;
    ck_assert_int_eq(
        model_parse_quote("{\"id\":\"q1\",\"client_id\":\"c9\",\"total_amount\":5}", &q, &err), 0);
    ck_assert_msg(!strcmp(q.client_id, "c9") && q.client_name == NULL,
                  "client_id without the embedded client");
    model_quote_free(&q);
}
END_TEST

/* Found by fuzz_client_json: an integer member beyond long (a broken or
 * hostile server) was converted anyway, which is undefined behaviour (UBSan
 * stops; a plain build read LONG_MIN). It now counts as absent. */
START_TEST(integers_beyond_long_are_absent)
{
    struct model_quotes qs;
    char *err = NULL;
    ck_assert_int_eq(model_parse_quotes("{\"total\":7.7e42,\"page\":-1e30,\"page_size\":20,"
                                        "\"pages\":9223372036854775808,\"items\":[]}",
                                        &qs, &err),
                     0);
    ck_assert_int_eq(qs.page.total, 0);
    ck_assert_int_eq(qs.page.page, 1);
    ck_assert_int_eq(qs.page.page_size, 20);
    ck_assert_int_eq(qs.page.pages, 0);
    model_quotes_free(&qs);
    struct model_ready rd;
    ck_assert_int_eq(model_parse_ready("{\"status\":\"ready\",\"components\":{\"database\":"
                                       "{\"pool\":{\"size\":8,\"in_use\":7e42}}}}",
                                       &rd, &err),
                     0);
    model_ready_free(&rd);
}
END_TEST

START_TEST(expenses_quotas_users)
{
    struct model_expenses ex;
    char *err = NULL;
    ck_assert_int_eq(
        model_parse_expenses(
            "{\"total\":2,\"items\":[{\"id\":\"e1\",\"user\":{\"full_name\":\"Diego\"},"
            "\"category\":{\"name\":\"FUEL\",\"color\":\"#E67E22\"},\"amount\":101.10,"
            "\"description\":\"Repostaje\",\"date\":\"2026-11-29\",\"status\":\"pending\","
            "\"rejection_reason\":null},{\"id\":\"e2\",\"category\":null,\"amount\":null}],"
            "\"page\":1,\"page_size\":20,\"pages\":1}",
            &ex, &err),
        0);
    ck_assert_int_eq(ex.n, 2);
    ck_assert_str_eq(ex.e[0].user_name, "Diego");
    ck_assert_str_eq(ex.e[0].category_name, "FUEL");
    ck_assert(ex.e[1].category_name == NULL && ex.e[1].amount == 0);
    model_expenses_free(&ex);

    struct model_quotas qs;
    ck_assert_int_eq(
        model_parse_quotas("[{\"id\":\"q\",\"user_id\":\"u1\",\"year\":2026,\"month\":11,"
                           "\"target_amount\":27500.00,\"achieved\":null}]",
                           &qs, &err),
        0);
    ck_assert(qs.n == 1 && qs.q[0].month == 11 && !qs.q[0].has_achieved);
    ck_assert_msg(qs.page.total == 1, "a bare array counts its items");

    struct model_users us;
    ck_assert_int_eq(model_parse_users("{\"items\":[{\"id\":\"u1\",\"full_name\":\"Sofía\","
                                       "\"role\":\"sales_rep\",\"is_active\":false,"
                                       "\"last_login\":null}]}",
                                       &us, &err),
                     0);
    ck_assert(us.n == 1 && !us.u[0].is_active && us.u[0].last_login == NULL);
    ck_assert_str_eq(model_user_name(&us, qs.q[0].user_id), "Sofía");
    ck_assert(model_user_name(&us, "nobody") == NULL);
    model_quotas_free(&qs);
    model_users_free(&us);

    struct model_user me;
    ck_assert_int_eq(model_parse_user("{\"access_token\":\"oq_x\",\"user\":{\"id\":\"u\","
                                      "\"role\":\"admin\"}}",
                                      &me, &err),
                     0);
    ck_assert_msg(!strcmp(me.role, "admin") && me.is_active, "the login answer's user");
    model_user_free(&me);
}
END_TEST

/* ---------------------------------------------------------------- the data store */

static struct net_result answer(long status, const char *body, bool not_modified)
{
    struct net_result r = {.method = "GET",
                           .path = "/p",
                           .status = status,
                           .body = body,
                           .body_len = strlen(body),
                           .not_modified = not_modified,
                           .err = ""};
    return r;
}

START_TEST(paths_carry_the_query)
{
    struct data d;
    data_init(&d);
    char p[320];
    data_path(&d, SRC_KPIS, p, sizeof p);
    ck_assert_str_eq(p, "/api/v1/dashboard/kpis");
    snprintf(d.q.as_of, sizeof d.q.as_of, "2026-03-31");
    d.q.year = 2025;
    data_path(&d, SRC_REVENUE, p, sizeof p);
    ck_assert_str_eq(p, "/api/v1/dashboard/revenue-monthly?year=2025&as_of=2026-03-31");
    snprintf(d.q.quotes_search, sizeof d.q.quotes_search, "Ebro & Cía");
    d.q.quotes_status = 2;
    d.q.quotes_sort = 1;
    data_path(&d, SRC_QUOTES, p, sizeof p);
    ck_assert_str_eq(p, "/api/v1/sales/quotes?page=1&page_size=20&sort=-total_amount&search="
                        "Ebro%20%26%20C%C3%ADa&status=sent");
    data_path(&d, SRC_READY, p, sizeof p);
    ck_assert_str_eq(p, "/health/ready");

    /* Alerts follow the Quotas view's month (they take a day). */
    d.q.quota_year = 2026;
    d.q.quota_month = 3;
    data_path(&d, SRC_ALERTS, p, sizeof p);
    ck_assert_str_eq(p, "/api/v1/quotas/alerts?as_of=2026-03-31");
    d.q.quota_year = 2025;
    d.q.quota_month = 11;
    data_path(&d, SRC_ALERTS, p, sizeof p);
    ck_assert_str_eq(p, "/api/v1/quotas/alerts?as_of=2025-11-30");
    d.q.quota_month = 2;
    d.q.quota_year = 2024;
    data_path(&d, SRC_ALERTS, p, sizeof p);
    ck_assert_str_eq(p, "/api/v1/quotas/alerts?as_of=2024-02-29");
    d.q.quota_year = 2026;
    d.q.quota_month = 5;
    data_path(&d, SRC_ALERTS, p, sizeof p);
    ck_assert_str_eq(p, "/api/v1/quotas/alerts?as_of=2026-05-01");
    ck_assert(!data_needs_token(SRC_READY) && !data_needs_token(SRC_METRICS));
    ck_assert(data_needs_token(SRC_KPIS));

    /* Activity asks only for what is newer once it holds events. */
    struct net_result r = answer(200,
                                 "{\"events\":[{\"id\":\"a\",\"timestamp\":"
                                 "\"2026-11-29T02:01:42Z\"}]}",
                                 false);
    ck_assert_int_eq(data_apply(&d, SRC_ACTIVITY, &r, 1.0), FETCH_OK);
    data_path(&d, SRC_ACTIVITY, p, sizeof p);
    ck_assert_str_eq(p, "/api/v1/dashboard/recent-activity?limit=50&since=2026-11-29T02%3A01%3A42Z"
                        "&as_of=2026-03-31");
    data_free(&d);
}
END_TEST

START_TEST(answers_keep_the_last_good_data)
{
    struct data d;
    data_init(&d);
    struct net_result ok = answer(200, "{\"total_clients\":69}", false);
    ck_assert_int_eq(data_apply(&d, SRC_SUMMARY, &ok, 10.0), FETCH_OK);
    ck_assert(d.summary.total_clients == 69 && d.st[SRC_SUMMARY].has_data);

    struct net_result same = answer(304, "", true);
    ck_assert_int_eq(data_apply(&d, SRC_SUMMARY, &same, 15.0), FETCH_UNCHANGED);
    ck_assert(NEAR(data_age(&d, SRC_BIT(SRC_SUMMARY), 16.0), 1.0));

    struct net_result bad = answer(200, "not json", false);
    ck_assert_int_eq(data_apply(&d, SRC_SUMMARY, &bad, 20.0), FETCH_CLIENT);
    ck_assert_msg(d.summary.total_clients == 69, "a bad body keeps the old model");

    struct net_result down = answer(0, "", false);
    down.err = "Connection refused";
    ck_assert_int_eq(data_apply(&d, SRC_SUMMARY, &down, 21.0), FETCH_TRANSPORT);
    ck_assert(d.summary.total_clients == 69 && d.st[SRC_SUMMARY].fails == 2);
    ck_assert(strstr(data_error(&d, SRC_BIT(SRC_SUMMARY)), "Connection refused"));
    ck_assert(NEAR(data_age(&d, SRC_BIT(SRC_SUMMARY), 21.0), 6.0));

    struct net_result gone = answer(401, "{\"detail\":\"Not authenticated\"}", false);
    ck_assert_int_eq(data_apply(&d, SRC_SUMMARY, &gone, 22.0), FETCH_AUTH);
    ck_assert_str_eq(data_error(&d, SRC_BIT(SRC_SUMMARY)),
                     "token expired or revoked — run onquota login");

    struct net_result srv = answer(503, "{\"detail\":\"database unavailable\"}", false);
    ck_assert_int_eq(data_apply(&d, SRC_SUMMARY, &srv, 23.0), FETCH_SERVER);
    ck_assert_str_eq(data_error(&d, SRC_BIT(SRC_SUMMARY)), "database unavailable");

    /* Readiness answers 503 with a body when a dependency is down: data. */
    struct net_result nr = answer(503, "{\"status\":\"not_ready\",\"is_ready\":false}", false);
    ck_assert_int_eq(data_apply(&d, SRC_READY, &nr, 24.0), FETCH_OK);
    ck_assert(!d.ready.is_ready && d.st[SRC_READY].has_data);

    /* A route that is not served yet. */
    struct net_result missing = answer(404, "{\"detail\":\"Not Found\"}", false);
    ck_assert_int_eq(data_apply(&d, SRC_QUOTAS, &missing, 25.0), FETCH_UNAVAILABLE);
    ck_assert(data_unavailable(&d, SRC_BIT(SRC_QUOTAS)));
    ck_assert(!data_unavailable(&d, SRC_BIT(SRC_ALERTS)));

    /* A 304 for data never held is not success. */
    struct net_result stray = answer(304, "", true);
    ck_assert_int_eq(data_apply(&d, SRC_KPIS, &stray, 26.0), FETCH_CLIENT);
    ck_assert(!d.st[SRC_KPIS].has_data);
    data_free(&d);
}
END_TEST

/* A 304 revalidates only the exact request it answers: after November is
 * fetched, a 304 for December's request (an ETag remembered from before)
 * must not mark November's data as December's. */
START_TEST(not_modified_only_for_the_same_query)
{
    struct data d;
    data_init(&d);
    const char *dec = "/api/v1/dashboard/quota-performance?year=2026&month=12";
    const char *nov = "/api/v1/dashboard/quota-performance?year=2026&month=11";
    struct net_result r = answer(200, "{\"year\":2026,\"month\":12,\"reps\":[]}", false);
    r.path = dec;
    ck_assert_int_eq(data_apply(&d, SRC_QUOTA_MONTH, &r, 1.0), FETCH_OK);
    ck_assert(data_conditional(&d, SRC_QUOTA_MONTH, dec));
    r = answer(200, "{\"year\":2026,\"month\":11,\"reps\":[]}", false);
    r.path = nov;
    ck_assert_int_eq(data_apply(&d, SRC_QUOTA_MONTH, &r, 2.0), FETCH_OK);
    ck_assert_msg(!data_conditional(&d, SRC_QUOTA_MONTH, dec),
                  "December's request must go unconditional while November is held");
    struct net_result same = answer(304, "", true);
    same.path = dec;
    ck_assert_int_eq(data_apply(&d, SRC_QUOTA_MONTH, &same, 3.0), FETCH_CLIENT);
    ck_assert_int_eq(d.quota_month.month, 11);
    ck_assert_msg(d.st[SRC_QUOTA_MONTH].ok_at == 2.0, "November must not look fresh as December");
    same.path = nov;
    ck_assert_int_eq(data_apply(&d, SRC_QUOTA_MONTH, &same, 4.0), FETCH_UNCHANGED);

    /* Activity merges: a 304 to the since= request revalidates what is held. */
    struct net_result a1 = answer(200,
                                  "{\"events\":[{\"id\":\"a\",\"timestamp\":"
                                  "\"2026-11-29T02:01:42Z\"}]}",
                                  false);
    a1.path = "/api/v1/dashboard/recent-activity?limit=50";
    ck_assert_int_eq(data_apply(&d, SRC_ACTIVITY, &a1, 5.0), FETCH_OK);
    char p[DATA_PATH_MAX];
    data_path(&d, SRC_ACTIVITY, p, sizeof p);
    ck_assert(data_conditional(&d, SRC_ACTIVITY, p));
    struct net_result a2 = answer(304, "", true);
    a2.path = p;
    ck_assert_int_eq(data_apply(&d, SRC_ACTIVITY, &a2, 6.0), FETCH_UNCHANGED);
    data_free(&d);
}
END_TEST

/* While the daemon is down, readiness reads unreachable, and the outage and
 * the recovery each count as a status change. */
START_TEST(outage_is_a_status_change)
{
    struct data d;
    data_init(&d);
    struct net_result ok = answer(200, "{\"status\":\"ready\",\"is_ready\":true}", false);
    ck_assert_int_eq(data_apply(&d, SRC_READY, &ok, 1.0), FETCH_OK);
    ck_assert(!data_ready_unreachable(&d));
    ck_assert(d.ready_changed_at == 0);
    struct net_result down = answer(0, "", false);
    down.err = "Connection refused";
    data_apply(&d, SRC_READY, &down, 2.0);
    ck_assert(data_ready_unreachable(&d));
    ck_assert_str_eq(d.ready_status, DATA_UNREACHABLE);
    ck_assert_msg(d.ready_changed_at > 0, "an outage is a status change");
    d.ready_changed_at = 0;
    ck_assert_int_eq(data_apply(&d, SRC_READY, &ok, 3.0), FETCH_OK);
    ck_assert(!data_ready_unreachable(&d));
    ck_assert_msg(d.ready_changed_at > 0, "the recovery is a status change");
    data_free(&d);
}
END_TEST

START_TEST(error_words)
{
    char *w = data_error_words(403, "{\"detail\":\"Forbidden\"}", "");
    ck_assert_str_eq(w, "Forbidden");
    free(w);
    w = data_error_words(500, "", "");
    ck_assert_str_eq(w, "the daemon answered 500");
    free(w);
    w = data_error_words(0, NULL, "Connection refused");
    ck_assert_str_eq(w, "daemon unreachable: Connection refused");
    free(w);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("tui_model");
    TCase *tc = tcase_create("model");
    tcase_add_loop_test(tc, every_parser_refuses_non_json, 0, sizeof parsers / sizeof parsers[0]);
    tcase_add_test(tc, kpis_full_missing_and_null);
    tcase_add_test(tc, monthly_series_and_categories);
    tcase_add_test(tc, summary_and_top_clients);
    tcase_add_test(tc, activity_merges_incrementally);
    tcase_add_test(tc, quota_performance_and_alerts);
    tcase_add_test(tc, readiness_ok_and_failing);
    tcase_add_test(tc, metrics_text);
    tcase_add_test(tc, server_timing_and_errors);
    tcase_add_test(tc, quotes_list_and_detail);
    tcase_add_test(tc, expenses_quotas_users);
    tcase_add_test(tc, integers_beyond_long_are_absent);
    suite_add_tcase(s, tc);
    TCase *td = tcase_create("data");
    tcase_add_test(td, paths_carry_the_query);
    tcase_add_test(td, answers_keep_the_last_good_data);
    tcase_add_test(td, not_modified_only_for_the_same_query);
    tcase_add_test(td, outage_is_a_status_change);
    tcase_add_test(td, error_words);
    suite_add_tcase(s, td);
    return check_main(s);
}

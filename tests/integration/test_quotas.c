/* Integration tests of quotas: CRUD with the live achieved revenue, validation, roles, tenant
 * isolation, and the alerts against numbers worked out by hand. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "res_cases.h"

#define QUOTAS "/api/v1/quotas"
#define ALERTS "/api/v1/quotas/alerts"

/* The daemon runs in Bogotá (UTC-5, no DST): quotes placed a few hours
 * either side of a local midnight test that months are local. */
#define TZ_NAME "America/Bogota"

#define ANA "a1000000-0000-4000-8000-000000000001"
#define BRUNO "a1000000-0000-4000-8000-000000000002"
#define CARLA "a1000000-0000-4000-8000-000000000003"
#define DORA "a1000000-0000-4000-8000-000000000004"
#define FEDE "a1000000-0000-4000-8000-000000000006"   /* deleted */
#define XAVIER "b1000000-0000-4000-8000-000000000001" /* the other tenant */
#define Q_ANA "d1000000-0000-4000-8000-000000000001"  /* Ana, March 2026 */
#define Q_FEDE "d1000000-0000-4000-8000-000000000006" /* Fede, March 2026 */
#define ID_N "0f000000-0000-4000-8000-000000000000"

static char *tokens[NWHO];

static const struct cases_var vars[] = {
    {"{ANA}", ANA}, {"{BRUNO}", BRUNO}, {"{FEDE}", FEDE}, {"{XAVIER}", XAVIER},
    {"{Q}", Q_ANA}, {"{QF}", Q_FEDE},   {"{N}", ID_N},    {NULL, NULL},
};

/* March 2026, target 1000.00 for every rep. Accepted revenue by local date:
 *   Ana   700.00 (03-10)                                  -> 70.00 %
 *   Bruno 250.00 (03-10) + 200.00 (03-20 21:00 local, 03-21Z)
 *         + 100.00 (03-31 23:00 local, 04-01Z): 550.00 in the month, 450.00
 *         up to 03-26; his 300.00 of 02-28 22:00 local (03-01Z) is February's
 *   Carla 100.00 (a sent and a deleted 5000.00 do not count) -> 10.00 %
 *   Dora  600.00 (03-05) + 500.00 (03-18 23:30 local, 03-19Z) -> 110.00 %,
 *         reached on 03-18
 *   Eli   1200.00 (03-02)                                  -> 120.00 %
 *   Fede  deleted; Xavier belongs to the other tenant. */
/* clang-format off */
static const char fixture_sql[] =
    "INSERT INTO tenants (company_name, domain) VALUES ('Fixture Co', 'fix.test'),"
    " ('Leak Inc', 'leak.test');"
    "INSERT INTO users (id, tenant_id, email, hashed_password, full_name, role, is_deleted)"
    " SELECT v.id::uuid, (SELECT id FROM tenants WHERE domain = v.t), v.email, 'x', v.name,"
    " 'sales_rep', v.del FROM (VALUES"
    " ('" ANA "', 'fix.test', 'ana@fix.test', 'Ana Ruiz', false),"
    " ('" BRUNO "', 'fix.test', 'bruno@fix.test', 'Bruno Díaz', false),"
    " ('" CARLA "', 'fix.test', 'carla@fix.test', 'Carla Soto', false),"
    " ('" DORA "', 'fix.test', 'dora@fix.test', 'Dora Vega', false),"
    " ('a1000000-0000-4000-8000-000000000005', 'fix.test', 'eli@fix.test', 'Eli Mora', false),"
    " ('" FEDE "', 'fix.test', 'fede@fix.test', 'Fede Viejo', true),"
    " ('" XAVIER "', 'leak.test', 'xavier@leak.test', 'Xavier Leak', false))"
    " v(id, t, email, name, del);"
    "INSERT INTO clients (tenant_id, name) SELECT id, 'Client of ' || domain FROM tenants"
    " WHERE domain IN ('fix.test', 'leak.test');"
    "INSERT INTO quotes (tenant_id, client_id, sales_rep_id, quote_number, total_amount, status,"
    " valid_until, created_at, is_deleted)"
    " SELECT u.tenant_id, (SELECT c.id FROM clients c WHERE c.tenant_id = u.tenant_id),"
    " u.id, 'Q-' || v.n, v.amount, v.status::sale_status, '2099-12-31', v.at::timestamptz, v.del"
    " FROM (VALUES"
    " (1, '" ANA "', 700.00, 'accepted', '2026-03-10 12:00-05', false),"
    " (2, '" BRUNO "', 250.00, 'accepted', '2026-03-10 12:00-05', false),"
    " (3, '" BRUNO "', 200.00, 'accepted', '2026-03-21 02:00Z', false),"
    " (4, '" BRUNO "', 300.00, 'accepted', '2026-03-01 03:00Z', false),"
    " (5, '" BRUNO "', 100.00, 'accepted', '2026-04-01 04:00Z', false),"
    " (6, '" CARLA "', 100.00, 'accepted', '2026-03-05 12:00-05', false),"
    " (7, '" CARLA "', 5000.00, 'sent', '2026-03-06 12:00-05', false),"
    " (8, '" CARLA "', 5000.00, 'accepted', '2026-03-07 12:00-05', true),"
    " (9, '" DORA "', 600.00, 'accepted', '2026-03-05 12:00-05', false),"
    " (10, '" DORA "', 500.00, 'accepted', '2026-03-18 23:30-05', false),"
    " (11, 'a1000000-0000-4000-8000-000000000005', 1200.00, 'accepted', '2026-03-02 12:00-05',"
    "  false),"
    " (12, '" FEDE "', 10.00, 'accepted', '2026-03-03 12:00-05', false),"
    " (13, '" XAVIER "', 50.00, 'accepted', '2026-03-03 12:00-05', false))"
    " v(n, rep, amount, status, at, del) JOIN users u ON u.id = v.rep::uuid;"
    "INSERT INTO quotas (id, tenant_id, user_id, year, month, target_amount)"
    " SELECT coalesce(v.id, gen_random_uuid()), u.tenant_id, u.id, 2026, v.m, v.target"
    " FROM (VALUES"
    " ('" Q_ANA "'::uuid, '" ANA "', 3, 1000.00), (NULL, '" BRUNO "', 3, 1000.00),"
    " (NULL, '" CARLA "', 3, 1000.00), (NULL, '" DORA "', 3, 1000.00),"
    " (NULL, 'a1000000-0000-4000-8000-000000000005', 3, 1000.00),"
    " ('" Q_FEDE "', '" FEDE "', 3, 1000.00), (NULL, '" XAVIER "', 3, 1000.00),"
    " (NULL, '" BRUNO "', 2, 600.00))"
    " v(id, rep, m, target) JOIN users u ON u.id = v.rep::uuid;";
/* clang-format on */

static int setup(const char *db)
{
    if (harness_psql(db, fixture_sql) != 0)
        return -1;
    static const char *const add[][3] = {{"fix.test", "admin@fix.test", "admin"},
                                         {"fix.test", "sup@fix.test", "supervisor"},
                                         {"fix.test", "analyst@fix.test", "analyst"},
                                         {"leak.test", "admin@leak.test", "admin"}};
    for (size_t i = 0; i < sizeof add / sizeof add[0]; i++) {
        char *id = harness_user_add(db, add[i][0], add[i][1], add[i][2], "quota-password-1");
        if (!id)
            return -1;
        free(id);
    }
    static const char *const emails[NWHO] = {
        [ADMIN] = "admin@fix.test",     [SUPERVISOR] = "sup@fix.test",      [REP] = "ana@fix.test",
        [ANALYST] = "analyst@fix.test", [OTHER_TENANT] = "admin@leak.test",
    };
    return harness_tokens(db, emails, NWHO, "it", 0, tokens);
}

static void daemon_up(void)
{
    static const char *const extra[] = {"--timezone", TZ_NAME, NULL};
    cases_start(extra, vars);
}

/* ---------------------------------------------------------------- error cases */

#define NEW_QUOTA(user, year, month, target)                                                       \
    "{\"user_id\": \"" user "\", \"year\": " year ", \"month\": " month                            \
    ", \"target_amount\": " target "}"

static const struct cases_case cases[] = {
    /* roles */
    {REP, "POST", QUOTAS, NEW_QUOTA("{ANA}", "2026", "7", "10"), 403, NULL},
    {ANALYST, "POST", QUOTAS, NEW_QUOTA("{ANA}", "2026", "7", "10"), 403, NULL},
    {REP, "PUT", QUOTAS "/{Q}", "{\"target_amount\": 1}", 403, NULL},
    {ANALYST, "DELETE", QUOTAS "/{Q}", NULL, 403, NULL},
    /* other tenants, unknown ids, deleted users' quotas */
    {OTHER_TENANT, "GET", QUOTAS "/{Q}", NULL, 404, NULL},
    {OTHER_TENANT, "PUT", QUOTAS "/{Q}", "{\"target_amount\": 1}", 404, NULL},
    {OTHER_TENANT, "DELETE", QUOTAS "/{Q}", NULL, 404, NULL},
    {ADMIN, "GET", QUOTAS "/{N}", NULL, 404, NULL},
    {ADMIN, "PUT", QUOTAS "/{N}", "{\"month\": 13}", 404, NULL},
    {ADMIN, "DELETE", QUOTAS "/{N}", NULL, 404, NULL},
    {ADMIN, "GET", QUOTAS "/{QF}", NULL, 404, NULL},
    {ADMIN, "GET", QUOTAS "/not-a-uuid", NULL, 404, NULL},
    /* validation */
    {ADMIN, "POST", QUOTAS, "{}", 422, "body.user_id"},
    {ADMIN, "POST", QUOTAS, "{}", 422, "body.year"},
    {ADMIN, "POST", QUOTAS, "{}", 422, "body.month"},
    {ADMIN, "POST", QUOTAS, "{}", 422, "body.target_amount"},
    {ADMIN, "POST", QUOTAS, NEW_QUOTA("{ANA}", "1999", "7", "10"), 422, "body.year"},
    {ADMIN, "POST", QUOTAS, NEW_QUOTA("{ANA}", "2101", "7", "10"), 422, "body.year"},
    {ADMIN, "POST", QUOTAS, NEW_QUOTA("{ANA}", "\"2026\"", "7", "10"), 422, "body.year"},
    {ADMIN, "POST", QUOTAS, NEW_QUOTA("{ANA}", "2026", "0", "10"), 422, "body.month"},
    {ADMIN, "POST", QUOTAS, NEW_QUOTA("{ANA}", "2026", "13", "10"), 422, "body.month"},
    {ADMIN, "POST", QUOTAS, NEW_QUOTA("{ANA}", "2026", "7.5", "10"), 422, "body.month"},
    {ADMIN, "POST", QUOTAS, NEW_QUOTA("{ANA}", "2026", "7", "0"), 422, "body.target_amount"},
    {ADMIN, "POST", QUOTAS, NEW_QUOTA("{ANA}", "2026", "7", "-1"), 422, "body.target_amount"},
    {ADMIN, "POST", QUOTAS, NEW_QUOTA("{ANA}", "2026", "7", "1.005"), 422, "body.target_amount"},
    {ADMIN, "POST", QUOTAS, NEW_QUOTA("{XAVIER}", "2026", "7", "10"), 422, "body.user_id"},
    {ADMIN, "POST", QUOTAS, NEW_QUOTA("{FEDE}", "2026", "7", "10"), 422, "body.user_id"},
    {ADMIN, "POST", QUOTAS, NEW_QUOTA("{N}", "2026", "7", "10"), 422, "body.user_id"},
    {ADMIN, "POST", QUOTAS, NEW_QUOTA("nope", "2026", "7", "10"), 422, "body.user_id"},
    {ADMIN, "POST", QUOTAS, "{\"foo\": 1}", 422, "body.foo"},
    {ADMIN, "PUT", QUOTAS "/{Q}", "{\"user_id\": \"{XAVIER}\"}", 422, "body.user_id"},
    {ADMIN, "PUT", QUOTAS "/{Q}", "{\"target_amount\": 0}", 422, "body.target_amount"},
    {ADMIN, "PUT", QUOTAS "/{Q}", "{\"year\": null}", 422, "body.year"},
    {ADMIN, "GET", QUOTAS "?year=1999", NULL, 422, "query.year"},
    {ADMIN, "GET", QUOTAS "?month=13", NULL, 422, "query.month"},
    {ADMIN, "GET", QUOTAS "?user_id=nope", NULL, 422, "query.user_id"},
    {ADMIN, "GET", QUOTAS "?sort=achieved", NULL, 422, "query.sort"},
    {ADMIN, "GET", QUOTAS "?foo=1", NULL, 422, "query.foo"},
    {ADMIN, "GET", ALERTS "?as_of=2026-02-30", NULL, 422, "query.as_of"},
    {ADMIN, "GET", ALERTS "?as_of=soon", NULL, 422, "query.as_of"},
    {ADMIN, "GET", ALERTS "?foo=1", NULL, 422, "query.foo"},
    /* one row per user, year and month */
    {ADMIN, "POST", QUOTAS, NEW_QUOTA("{ANA}", "2026", "3", "10"), 409, NULL},
    {SUPERVISOR, "PUT", QUOTAS "/{Q}", "{\"user_id\": \"{BRUNO}\", \"month\": 2}", 409, NULL},
};

START_TEST(error_cases)
{
    cases_run(&cases[_i], tokens);
}
END_TEST

/* ---------------------------------------------------------------- reads */

/* The item of list whose user is id. */
static const cJSON *by_user(const cJSON *list, const char *id)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, list)
    {
        if (!strcmp(harness_jstr(e, "user_id"), id))
            return e;
    }
    ck_abort_msg("expected an item for user %s", id);
    return NULL;
}

START_TEST(list_has_live_achieved)
{
    struct harness_resp r;
    cases_call(&cases_daemon, tokens[ANALYST], "GET", QUOTAS "?year=2026&month=3&sort=user_name",
               NULL, 200, &r);
    const cJSON *items = cJSON_GetObjectItem(harness_json(&r), "items");
    ck_assert_int_eq((int)cases_num(harness_json(&r), "total"), 5); /* not Fede's, not Xavier's */
    const char *names[] = {"Ana Ruiz", "Bruno Díaz", "Carla Soto", "Dora Vega", "Eli Mora"};
    for (int i = 0; i < 5; i++)
        ck_assert_str_eq(
            harness_jstr(cJSON_GetObjectItem(cJSON_GetArrayItem(items, i), "user"), "full_name"),
            names[i]);
    /* The whole local month: Bruno's 03-31 23:00 counts, his 02-28 22:00 not. */
    const cJSON *b = by_user(items, BRUNO);
    ck_assert_double_eq_tol(cases_num(b, "achieved"), 550.0, 0.001);
    ck_assert_double_eq_tol(cases_num(b, "percent"), 55.0, 0.001);
    ck_assert_double_eq_tol(cases_num(b, "target_amount"), 1000.0, 0.001);
    ck_assert_double_eq_tol(cases_num(by_user(items, CARLA), "achieved"), 100.0, 0.001);
    ck_assert_msg(strstr(r.body, "\"target_amount\" : 1000.00"), "expected money with 2 decimals");
    harness_resp_free(&r);
    cases_call(&cases_daemon, tokens[REP], "GET", QUOTAS "?year=2026&month=2&user_id={BRUNO}", NULL,
               200, &r);
    items = cJSON_GetObjectItem(harness_json(&r), "items");
    ck_assert_int_eq(cJSON_GetArraySize(items), 1);
    ck_assert_double_eq_tol(cases_num(by_user(items, BRUNO), "achieved"), 300.0, 0.001);
    ck_assert_double_eq_tol(cases_num(by_user(items, BRUNO), "percent"), 50.0, 0.001);
    harness_resp_free(&r);
    cases_same_queries(&cases_daemon, tokens[ADMIN], QUOTAS, 6);
}
END_TEST

/* One expected alert: user, status, percent, achieved, reached_on. */
struct alert {
    const char *user, *status;
    double percent, achieved;
    const char *reached_on; /* NULL: null */
};

static const struct {
    const char *as_of;
    double pace;
    struct alert want[4];
} alert_cases[] = {
    /* pace 64.52: on_track >= 54.52, at_risk >= 39.52; Dora reached 03-18 */
    {"2026-03-20",
     64.52,
     {{CARLA, "behind", 10.0, 100.0, NULL},
      {BRUNO, "at_risk", 45.0, 450.0, NULL},
      {DORA, "achieved", 110.0, 1100.0, "2026-03-18"}}},
    /* pace 83.87: Ana falls to at_risk; Dora's 03-18 is more than 7 days ago */
    {"2026-03-26",
     83.87,
     {{CARLA, "behind", 10.0, 100.0, NULL},
      {BRUNO, "behind", 45.0, 450.0, NULL},
      {ANA, "at_risk", 70.0, 700.0, NULL}}},
    /* pace 58.06: the day Dora reached it in local time (03-19 in UTC);
     * Bruno's 200.00 of 03-20 is not in yet */
    {"2026-03-18",
     58.06,
     {{CARLA, "behind", 10.0, 100.0, NULL},
      {BRUNO, "behind", 25.0, 250.0, NULL},
      {DORA, "achieved", 110.0, 1100.0, "2026-03-18"}}},
};

START_TEST(alerts_by_hand)
{
    char path[96];
    snprintf(path, sizeof path, ALERTS "?as_of=%s", alert_cases[_i].as_of);
    struct harness_resp r;
    cases_call(&cases_daemon, tokens[ANALYST], "GET", path, NULL, 200, &r);
    const cJSON *o = harness_json(&r), *list = cJSON_GetObjectItem(o, "alerts");
    ck_assert_str_eq(harness_jstr(o, "as_of"), alert_cases[_i].as_of);
    ck_assert_int_eq((int)cases_num(o, "year"), 2026);
    ck_assert_int_eq((int)cases_num(o, "month"), 3);
    ck_assert_double_eq_tol(cases_num(o, "pace_percent"), alert_cases[_i].pace, 0.001);
    int n = 0;
    for (const struct alert *w = alert_cases[_i].want; n < 4 && w->user; w++, n++) {
        const cJSON *a = cJSON_GetArrayItem(list, n);
        ck_assert_msg(a && !strcmp(harness_jstr(a, "user_id"), w->user),
                      "%s: expected alert %d for %s: %s", path, n, w->user, r.body);
        ck_assert_str_eq(harness_jstr(a, "status"), w->status);
        ck_assert_double_eq_tol(cases_num(a, "percent"), w->percent, 0.001);
        ck_assert_double_eq_tol(cases_num(a, "achieved"), w->achieved, 0.001);
        ck_assert_double_eq_tol(cases_num(a, "target"), 1000.0, 0.001);
        ck_assert_msg(harness_jstr(a, "user_name"), "expected user_name");
        const cJSON *on = cJSON_GetObjectItem(a, "reached_on");
        ck_assert_msg(w->reached_on ? cJSON_IsString(on) && !strcmp(on->valuestring, w->reached_on)
                                    : cJSON_IsNull(on),
                      "%s: unexpected reached_on for %s", path, w->user);
    }
    ck_assert_msg(cJSON_GetArraySize(list) == n, "%s: expected %d alerts, got %s", path, n, r.body);
    harness_resp_free(&r);
}
END_TEST

START_TEST(alerts_default_to_today)
{
    struct harness_resp r;
    cases_call(&cases_daemon, tokens[REP], "GET", ALERTS, NULL, 200, &r);
    const char *as_of = harness_jstr(harness_json(&r), "as_of");
    ck_assert_msg(as_of && strlen(as_of) == 10, "expected as_of to be a date: %s", r.body);
    ck_assert_int_eq((int)cases_num(harness_json(&r), "month"), atoi(as_of + 5));
    harness_resp_free(&r);
}
END_TEST

/* ---------------------------------------------------------------- writes */

START_TEST(crud)
{
    /* April: Bruno's 04-01 04:00Z quote is March's in Bogotá, so 0.00. */
    char *id = cases_create(&cases_daemon, tokens[SUPERVISOR], QUOTAS,
                            NEW_QUOTA(BRUNO, "2026", "4", "1500.5"));
    char path[128];
    snprintf(path, sizeof path, QUOTAS "/%s", id);
    struct harness_resp r;
    cases_call(&cases_daemon, tokens[REP], "GET", path, NULL, 200, &r);
    ck_assert_double_eq_tol(cases_num(harness_json(&r), "target_amount"), 1500.5, 0.001);
    ck_assert_double_eq_tol(cases_num(harness_json(&r), "achieved"), 0.0, 0.001);
    ck_assert_int_eq((int)cases_num(harness_json(&r), "month"), 4);
    harness_resp_free(&r);
    /* Moved to March 2027 and back to March 2026 would collide; a partial
     * update keeps the rest. */
    cases_call(&cases_daemon, tokens[ADMIN], "PUT", path,
               "{\"year\": 2027, \"target_amount\": 900}", 200, &r);
    ck_assert_int_eq((int)cases_num(harness_json(&r), "year"), 2027);
    ck_assert_int_eq((int)cases_num(harness_json(&r), "month"), 4);
    ck_assert_str_eq(harness_jstr(harness_json(&r), "user_id"), BRUNO);
    harness_resp_free(&r);
    cases_call(&cases_daemon, tokens[ADMIN], "PUT", path, "{\"year\": 2026, \"month\": 3}", 409,
               &r);
    harness_resp_free(&r);
    cases_call(&cases_daemon, tokens[ADMIN], "DELETE", path, NULL, 204, &r);
    harness_resp_free(&r);
    cases_call(&cases_daemon, tokens[ADMIN], "GET", path, NULL, 404, &r);
    harness_resp_free(&r);
    free(id);
}
END_TEST

/* A new quota moves quota-performance and the monthly_quota KPI. */
START_TEST(create_moves_dashboard)
{
    const char *perf = "/api/v1/dashboard/quota-performance?as_of=2026-05-10";
    struct harness_resp r;
    cases_call(&cases_daemon, tokens[ADMIN], "GET", perf, NULL, 200, &r);
    double target0 = cases_num(harness_json(&r), "team.target");
    harness_resp_free(&r);
    char *id = cases_create(&cases_daemon, tokens[ADMIN], QUOTAS,
                            NEW_QUOTA(CARLA, "2026", "5", "2500.00"));
    cases_call(&cases_daemon, tokens[ADMIN], "GET", perf, NULL, 200, &r);
    ck_assert_double_eq_tol(cases_num(harness_json(&r), "team.target"), target0 + 2500.0, 0.001);
    ck_assert_msg(strstr(r.body, CARLA), "expected Carla among the reps: %s", r.body);
    harness_resp_free(&r);
    free(id);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("quotas");
    TCase *tc = harness_tcase(s, "quotas");
    tcase_add_checked_fixture(tc, daemon_up, cases_stop);
    tcase_add_loop_test(tc, error_cases, 0, sizeof cases / sizeof cases[0]);
    tcase_add_test(tc, list_has_live_achieved);
    tcase_add_loop_test(tc, alerts_by_hand, 0, sizeof alert_cases / sizeof alert_cases[0]);
    tcase_add_test(tc, alerts_default_to_today);
    tcase_add_test(tc, crud);
    tcase_add_test(tc, create_moves_dashboard);
    return harness_main(s, "it_quotas", setup);
}

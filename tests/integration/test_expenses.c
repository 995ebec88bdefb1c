/* Integration tests of expense categories and expenses: CRUD, validation, roles, tenant isolation,
 * approval, and the dashboard figures they move. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "res_cases.h"

#define CATS "/api/v1/expenses/categories"
#define EXPS "/api/v1/expenses"

/* The demo data (scale 1) plus, in Acme, fixed rows the cases name:
 * {E} a pending expense of rep1, {A} an approved one, {K} an active
 * category without expenses, {I} an inactive one; {X} is Borealis's FUEL
 * category and {N} an id that exists nowhere. */
#define ID_E "e0000000-0000-4000-8000-000000000001"
#define ID_A "e0000000-0000-4000-8000-000000000002"
#define ID_K "c0000000-0000-4000-8000-000000000001"
#define ID_I "c0000000-0000-4000-8000-000000000002"
#define ID_N "0f000000-0000-4000-8000-000000000000"

static char *tokens[NWHO];
static char id_x[40], rep1_id[40], admin_id[40];
static char long101[102], long256[257]; /* one past the columns' limits */

static const struct cases_var vars[] = {
    {"{E}", ID_E}, {"{A}", ID_A},       {"{K}", ID_K},       {"{I}", ID_I}, {"{N}", ID_N},
    {"{X}", id_x}, {"{L101}", long101}, {"{L256}", long256}, {NULL, NULL},
};

/* clang-format off */
static const char fixture_sql[] =
    "INSERT INTO expense_categories (id, tenant_id, name, color, is_active)"
    " SELECT v.id::uuid, t.id, v.name, '#112233', v.active FROM tenants t,"
    " (VALUES ('" ID_K "', 'IT-TEST', true), ('" ID_I "', 'OLD-TEST', false)) v(id, name, active)"
    " WHERE t.domain = 'acme.example';"
    "INSERT INTO expenses (id, tenant_id, user_id, amount, description, date, status,"
    " approved_by, approved_at)"
    " SELECT v.id::uuid, u.tenant_id, u.id, 10.00, 'Fixture ' || v.status, current_date,"
    " v.status::expense_status,"
    " CASE WHEN v.status = 'approved' THEN u.id END, CASE WHEN v.status = 'approved' THEN now() END"
    " FROM users u, (VALUES ('" ID_E "', 'pending'), ('" ID_A "', 'approved')) v(id, status)"
    " WHERE u.email = 'rep1@acme.example';";
/* clang-format on */

static int setup(const char *db)
{
    memset(long101, 'x', sizeof long101 - 1);
    memset(long256, 'x', sizeof long256 - 1);
    static const char *const scale1[] = {"--scale", "1", NULL};
    if (harness_seed_demo(db, scale1) != 0 || harness_psql(db, fixture_sql) != 0)
        return -1;
    static const char *const emails[NWHO] = {
        [ADMIN] = "admin@acme.example",     [SUPERVISOR] = "supervisor@acme.example",
        [REP] = "rep1@acme.example",        [REP2] = "rep2@acme.example",
        [ANALYST] = "analyst@acme.example", [OTHER_TENANT] = "admin@borealis.example",
    };
    if (harness_tokens(db, emails, NWHO, "it", 0, tokens) != 0)
        return -1;
    static const char user[] = "SELECT id FROM users WHERE email = $1";
    return harness_psql_into(db, id_x, sizeof id_x,
                             "SELECT k.id FROM expense_categories k JOIN tenants t"
                             " ON t.id = k.tenant_id WHERE t.domain = $1 AND k.name = 'FUEL'",
                             "borealis.example") ||
                   harness_psql_into(db, rep1_id, sizeof rep1_id, user, "rep1@acme.example") ||
                   harness_psql_into(db, admin_id, sizeof admin_id, user, "admin@acme.example")
               ? -1
               : 0;
}

static void daemon_up(void)
{
    cases_start(NULL, vars);
}

/* Today's date in UTC, the daemon's default time zone. */
static void today(char out[16])
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, 16, "%Y-%m-%d", &tm);
}

/* ---------------------------------------------------------------- error cases */

#define OK_EXPENSE "\"amount\": 5, \"description\": \"d\", \"date\": \"2026-01-02\""

static const struct cases_case cases[] = {
    /* categories: roles */
    {REP, "POST", CATS, "{\"name\": \"R\"}", 403, NULL},
    {ANALYST, "POST", CATS, "{\"name\": \"R\"}", 403, NULL},
    {REP, "PUT", CATS "/{K}", "{}", 403, NULL},
    {ANALYST, "DELETE", CATS "/{K}", NULL, 403, NULL},
    /* categories: other tenants and unknown ids (404 before validation) */
    {OTHER_TENANT, "GET", CATS "/{K}", NULL, 404, NULL},
    {OTHER_TENANT, "PUT", CATS "/{K}", "{\"name\": \"Y\"}", 404, NULL},
    {OTHER_TENANT, "DELETE", CATS "/{K}", NULL, 404, NULL},
    {ADMIN, "GET", CATS "/{N}", NULL, 404, NULL},
    {ADMIN, "GET", CATS "/not-a-uuid", NULL, 404, NULL},
    {ADMIN, "PUT", CATS "/{N}", "{\"name\": 5}", 404, NULL},
    {ADMIN, "DELETE", CATS "/{N}", NULL, 404, NULL},
    /* categories: validation */
    {ADMIN, "POST", CATS, "{}", 422, "body.name"},
    {ADMIN, "POST", CATS, "{\"name\": \"{L101}\"}", 422, "body.name"},
    {ADMIN, "POST", CATS, "{\"name\": \"\"}", 422, "body.name"},
    {ADMIN, "POST", CATS, "{\"name\": \"C\", \"color\": \"red\"}", 422, "body.color"},
    {ADMIN, "POST", CATS, "{\"name\": \"C\", \"color\": \"#12345G\"}", 422, "body.color"},
    {ADMIN, "POST", CATS, "{\"name\": \"C\", \"icon\": \"{L101}\"}", 422, "body.icon"},
    {ADMIN, "POST", CATS, "{\"name\": \"C\", \"is_active\": \"yes\"}", 422, "body.is_active"},
    {ADMIN, "POST", CATS, "{\"name\": \"C\", \"extra\": 1}", 422, "body.extra"},
    {ADMIN, "PUT", CATS "/{K}", "{\"name\": null}", 422, "body.name"},
    {ADMIN, "GET", CATS "?is_active=maybe", NULL, 422, "query.is_active"},
    {ADMIN, "GET", CATS "?sort=color", NULL, 422, "query.sort"},
    /* categories: conflicts */
    {ADMIN, "POST", CATS, "{\"name\": \"FUEL\"}", 409, NULL},
    {ADMIN, "PUT", CATS "/{K}", "{\"name\": \"FUEL\"}", 409, NULL},
    /* expenses: roles */
    {ANALYST, "POST", EXPS, "{" OK_EXPENSE "}", 403, NULL},
    {REP2, "PUT", EXPS "/{E}", "{\"amount\": 6}", 403, NULL},
    {REP2, "DELETE", EXPS "/{E}", NULL, 403, NULL},
    {REP, "PUT", EXPS "/{E}/status", "{\"status\": \"approved\"}", 403, NULL},
    {ANALYST, "PUT", EXPS "/{E}/status", "{\"status\": \"approved\"}", 403, NULL},
    /* expenses: other tenants and unknown ids */
    {OTHER_TENANT, "GET", EXPS "/{E}", NULL, 404, NULL},
    {OTHER_TENANT, "PUT", EXPS "/{E}", "{\"amount\": 6}", 404, NULL},
    {OTHER_TENANT, "DELETE", EXPS "/{E}", NULL, 404, NULL},
    {OTHER_TENANT, "PUT", EXPS "/{E}/status", "{\"status\": \"approved\"}", 404, NULL},
    {ADMIN, "GET", EXPS "/{N}", NULL, 404, NULL},
    {ADMIN, "PUT", EXPS "/{N}", "{\"amount\": 0}", 404, NULL},
    {ADMIN, "DELETE", EXPS "/{N}", NULL, 404, NULL},
    {ADMIN, "PUT", EXPS "/{N}/status", "{\"status\": \"bogus\"}", 404, NULL},
    /* expenses: validation */
    {ADMIN, "POST", EXPS, "{}", 422, "body.amount"},
    {ADMIN, "POST", EXPS, "{}", 422, "body.description"},
    {ADMIN, "POST", EXPS, "{}", 422, "body.date"},
    {ADMIN, "POST", EXPS, "{\"amount\": 0, \"description\": \"d\", \"date\": \"2026-01-02\"}", 422,
     "body.amount"},
    {ADMIN, "POST", EXPS, "{\"amount\": -5, \"description\": \"d\", \"date\": \"2026-01-02\"}", 422,
     "body.amount"},
    {ADMIN, "POST", EXPS, "{\"amount\": 1.234, \"description\": \"d\", \"date\": \"2026-01-02\"}",
     422, "body.amount"},
    {ADMIN, "POST", EXPS, "{\"amount\": \"12\", \"description\": \"d\", \"date\": \"2026-01-02\"}",
     422, "body.amount"},
    {ADMIN, "POST", EXPS, "{\"amount\": 1e12, \"description\": \"d\", \"date\": \"2026-01-02\"}",
     422, "body.amount"},
    {ADMIN, "POST", EXPS, "{\"amount\": 5, \"description\": \"d\", \"date\": \"2026-02-30\"}", 422,
     "body.date"},
    {ADMIN, "POST", EXPS, "{" OK_EXPENSE ", \"currency\": \"usd\"}", 422, "body.currency"},
    {ADMIN, "POST", EXPS, "{" OK_EXPENSE ", \"currency\": \"EURO\"}", 422, "body.currency"},
    {ADMIN, "POST", EXPS, "{" OK_EXPENSE ", \"vendor_name\": \"{L256}\"}", 422, "body.vendor_name"},
    {ADMIN, "POST", EXPS, "{" OK_EXPENSE ", \"receipt_number\": \"{L101}\"}", 422,
     "body.receipt_number"},
    {ADMIN, "POST", EXPS, "{" OK_EXPENSE ", \"category_id\": \"{X}\"}", 422, "body.category_id"},
    {ADMIN, "POST", EXPS, "{" OK_EXPENSE ", \"category_id\": \"{I}\"}", 422, "body.category_id"},
    {ADMIN, "POST", EXPS, "{" OK_EXPENSE ", \"category_id\": \"{N}\"}", 422, "body.category_id"},
    {ADMIN, "POST", EXPS, "{" OK_EXPENSE ", \"category_id\": \"nope\"}", 422, "body.category_id"},
    {ADMIN, "POST", EXPS, "{" OK_EXPENSE ", \"foo\": 1}", 422, "body.foo"},
    {ADMIN, "PUT", EXPS "/{E}", "{\"amount\": 0}", 422, "body.amount"},
    {ADMIN, "PUT", EXPS "/{E}", "{\"description\": null}", 422, "body.description"},
    {ADMIN, "PUT", EXPS "/{E}", "{\"category_id\": \"{X}\"}", 422, "body.category_id"},
    {ADMIN, "PUT", EXPS "/{A}", "{\"amount\": 0}", 422, "body.amount"},
    {ADMIN, "PUT", EXPS "/{E}/status", "{\"status\": \"rejected\"}", 422, "body.rejection_reason"},
    {ADMIN, "PUT", EXPS "/{E}/status", "{\"status\": \"approved\", \"rejection_reason\": \"x\"}",
     422, "body.rejection_reason"},
    {ADMIN, "PUT", EXPS "/{E}/status", "{\"status\": \"pending\"}", 422, "body.status"},
    {ADMIN, "PUT", EXPS "/{E}/status", "{}", 422, "body.status"},
    {ADMIN, "GET", EXPS "?status=bogus", NULL, 422, "query.status"},
    {ADMIN, "GET", EXPS "?date_from=2026-13-01", NULL, 422, "query.date_from"},
    {ADMIN, "GET", EXPS "?date_to=yesterday", NULL, 422, "query.date_to"},
    {ADMIN, "GET", EXPS "?category_id=nope", NULL, 422, "query.category_id"},
    {ADMIN, "GET", EXPS "?user_id=nope", NULL, 422, "query.user_id"},
    {ADMIN, "GET", EXPS "?page_size=101", NULL, 422, "query.page_size"},
    {ADMIN, "GET", EXPS "?sort=vendor_name", NULL, 422, "query.sort"},
    {ADMIN, "GET", EXPS "?foo=1", NULL, 422, "query.foo"},
    /* expenses: only pending ones change */
    {ADMIN, "PUT", EXPS "/{A}", "{\"amount\": 6}", 409, NULL},
    {REP, "DELETE", EXPS "/{A}", NULL, 409, NULL},
    {ADMIN, "PUT", EXPS "/{A}/status", "{\"status\": \"rejected\", \"rejection_reason\": \"late\"}",
     409, NULL},
};

START_TEST(error_cases)
{
    cases_run(&cases[_i], tokens);
}
END_TEST

/* Every error listed at once, not only the first. */
START_TEST(every_invalid_field_listed)
{
    struct harness_resp r;
    cases_call(&cases_daemon, tokens[ADMIN], "POST", EXPS,
               "{\"amount\": 0, \"date\": \"x\", \"currency\": \"us\", \"category_id\": \"{I}\","
               " \"bad\": true}",
               422, &r);
    const char *locs[] = {"body.amount",      "body.date",        "body.currency",
                          "body.category_id", "body.description", "body.bad"};
    for (size_t i = 0; i < sizeof locs / sizeof locs[0]; i++)
        ck_assert_msg(harness_detail_has_loc(&r, locs[i]), "expected %s in %s", locs[i], r.body);
    harness_resp_free(&r);
}
END_TEST

/* ---------------------------------------------------------------- categories */

START_TEST(categories_crud)
{
    struct harness_resp r;
    char *id = cases_create(&cases_daemon, tokens[SUPERVISOR], CATS,
                            "{\"name\": \"Software\", \"description\": \"Licences\","
                            " \"icon\": \"cpu\", \"color\": \"#12ab3F\"}");
    char path[128];
    snprintf(path, sizeof path, CATS "/%s", id);
    cases_call(&cases_daemon, tokens[ANALYST], "GET", path, NULL, 200, &r);
    cJSON *o = harness_json(&r);
    ck_assert_str_eq(harness_jstr(o, "name"), "Software");
    ck_assert_str_eq(harness_jstr(o, "color"), "#12ab3F");
    ck_assert_str_eq(harness_jstr(o, "icon"), "cpu");
    ck_assert_msg(cJSON_IsTrue(cJSON_GetObjectItem(o, "is_active")), "expected is_active true");
    ck_assert_msg(harness_is_rfc3339z(harness_jstr(o, "created_at")),
                  "expected an RFC 3339 created_at");
    harness_resp_free(&r);
    /* A partial update keeps the fields left out. */
    cases_call(&cases_daemon, tokens[ADMIN], "PUT", path,
               "{\"description\": null, \"is_active\": false}", 200, &r);
    o = harness_json(&r);
    ck_assert_str_eq(harness_jstr(o, "name"), "Software");
    ck_assert_msg(cJSON_IsNull(cJSON_GetObjectItem(o, "description")), "expected description null");
    ck_assert_msg(cJSON_IsFalse(cJSON_GetObjectItem(o, "is_active")), "expected is_active false");
    harness_resp_free(&r);
    cases_call(&cases_daemon, tokens[REP], "GET", CATS "?is_active=false&search=SOFT&sort=name",
               NULL, 200, &r);
    ck_assert_msg(strstr(r.body, id) && !strstr(r.body, ID_K),
                  "expected the inactive filter and the search to find only it: %s", r.body);
    harness_resp_free(&r);
    /* Unused: a soft delete, after which the name is free again. */
    cases_call(&cases_daemon, tokens[ADMIN], "DELETE", path, NULL, 204, &r);
    harness_resp_free(&r);
    cases_call(&cases_daemon, tokens[ADMIN], "GET", path, NULL, 404, &r);
    harness_resp_free(&r);
    cases_call(&cases_daemon, tokens[ADMIN], "DELETE", path, NULL, 404, &r);
    harness_resp_free(&r);
    free(cases_create(&cases_daemon, tokens[ADMIN], CATS, "{\"name\": \"Software\"}"));
    free(id);
}
END_TEST

/* by_category must keep summing to total_current_year. */
static void expenses_monthly(double *total, double *by_category, bool *has_fuel)
{
    struct harness_resp r;
    cases_call(&cases_daemon, tokens[ADMIN], "GET", "/api/v1/dashboard/expenses-monthly", NULL, 200,
               &r);
    *total = cases_num(harness_json(&r), "total_current_year");
    *by_category = 0;
    *has_fuel = false;
    const cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItem(harness_json(&r), "by_category"))
    {
        *by_category += cases_num(e, "total");
        *has_fuel = *has_fuel || !strcmp(harness_jstr(e, "category"), "FUEL");
    }
    harness_resp_free(&r);
}

START_TEST(category_in_use_is_deactivated)
{
    char *fuel =
        harness_psql_value(harness_db(),
                           "SELECT k.id FROM expense_categories k JOIN tenants t"
                           " ON t.id = k.tenant_id WHERE t.domain = $1 AND k.name = 'FUEL'",
                           "acme.example");
    char path[128];
    snprintf(path, sizeof path, CATS "/%s", fuel);
    double total0, sum0, total1, sum1;
    bool fuel0, fuel1;
    expenses_monthly(&total0, &sum0, &fuel0);
    ck_assert_msg(fuel0 && total0 > 0, "expected demo FUEL expenses this year");
    struct harness_resp r;
    cases_call(&cases_daemon, tokens[ADMIN], "DELETE", path, NULL, 200, &r);
    ck_assert_msg(cJSON_IsFalse(cJSON_GetObjectItem(harness_json(&r), "is_active")),
                  "expected the category in use to be answered deactivated: %s", r.body);
    harness_resp_free(&r);
    cases_call(&cases_daemon, tokens[ADMIN], "GET", path, NULL, 200, &r);
    harness_resp_free(&r);
    expenses_monthly(&total1, &sum1, &fuel1);
    ck_assert_msg(fuel1, "expected FUEL to stay in by_category once deactivated");
    ck_assert_double_eq_tol(total1, total0, 0.001);
    ck_assert_msg(sum1 > total1 - 0.005 && sum1 < total1 + 0.005,
                  "expected by_category to sum to total_current_year %.2f, got %.2f", total1, sum1);
    /* An inactive category takes no new expenses. */
    char body[256];
    snprintf(body, sizeof body, "{" OK_EXPENSE ", \"category_id\": \"%s\"}", fuel);
    cases_call(&cases_daemon, tokens[ADMIN], "POST", EXPS, body, 422, &r);
    harness_resp_free(&r);
    cases_call(&cases_daemon, tokens[ADMIN], "PUT", path, "{\"is_active\": true}", 200, &r);
    harness_resp_free(&r);
    free(fuel);
}
END_TEST

/* ---------------------------------------------------------------- expenses */

START_TEST(expenses_crud)
{
    struct harness_resp r;
    char body[256], path[128];
    snprintf(body, sizeof body,
             "{\"amount\": 12.5, \"description\": \"Taxi\", \"date\": \"2026-03-04\","
             " \"category_id\": \"%s\", \"vendor_name\": \"Cabify\"}",
             ID_K);
    char *id = cases_create(&cases_daemon, tokens[REP], EXPS, body);
    snprintf(path, sizeof path, EXPS "/%s", id);
    cases_call(&cases_daemon, tokens[ANALYST], "GET", path, NULL, 200, &r);
    ck_assert_msg(strstr(r.body, "\"amount\" : 12.50") || strstr(r.body, "\"amount\":12.50"),
                  "expected the amount with two decimals: %s", r.body);
    cJSON *o = harness_json(&r);
    ck_assert_str_eq(harness_jstr(o, "status"), "pending");
    ck_assert_str_eq(harness_jstr(o, "currency"), "USD");
    ck_assert_str_eq(harness_jstr(o, "user_id"), rep1_id);
    ck_assert_str_eq(harness_jstr(o, "date"), "2026-03-04");
    const cJSON *cat = cJSON_GetObjectItem(o, "category");
    ck_assert_str_eq(harness_jstr(cat, "id"), ID_K);
    ck_assert_str_eq(harness_jstr(cat, "name"), "IT-TEST");
    ck_assert_str_eq(harness_jstr(cat, "color"), "#112233");
    harness_resp_free(&r);
    /* The owner and a supervisor edit; fields left out keep their values. */
    cases_call(&cases_daemon, tokens[REP], "PUT", path, "{\"amount\": 20, \"notes\": \"n\"}", 200,
               &r);
    ck_assert_double_eq_tol(cases_num(harness_json(&r), "amount"), 20.0, 0.001);
    ck_assert_str_eq(harness_jstr(harness_json(&r), "vendor_name"), "Cabify");
    harness_resp_free(&r);
    cases_call(&cases_daemon, tokens[SUPERVISOR], "PUT", path, "{\"category_id\": null}", 200, &r);
    ck_assert_msg(cJSON_IsNull(cJSON_GetObjectItem(harness_json(&r), "category")),
                  "expected category null once cleared: %s", r.body);
    ck_assert_str_eq(harness_jstr(harness_json(&r), "notes"), "n");
    harness_resp_free(&r);
    cases_call(&cases_daemon, tokens[REP], "DELETE", path, NULL, 204, &r);
    harness_resp_free(&r);
    cases_call(&cases_daemon, tokens[REP], "GET", path, NULL, 404, &r);
    harness_resp_free(&r);
    free(id);
}
END_TEST

START_TEST(expense_list_filters)
{
    struct harness_resp r;
    char path[256];
    snprintf(path, sizeof path,
             EXPS "?status=pending&user_id=%s&date_from=2000-01-01&date_to=2100-01-01&sort=-amount",
             rep1_id);
    cases_call(&cases_daemon, tokens[ANALYST], "GET", path, NULL, 200, &r);
    const cJSON *e, *items = cJSON_GetObjectItem(harness_json(&r), "items");
    ck_assert_int_gt(cJSON_GetArraySize(items), 0);
    double last = 1e18;
    cJSON_ArrayForEach(e, items)
    {
        ck_assert_str_eq(harness_jstr(e, "status"), "pending");
        ck_assert_str_eq(harness_jstr(e, "user_id"), rep1_id);
        ck_assert_msg(cases_num(e, "amount") <= last, "expected -amount order");
        last = cases_num(e, "amount");
        const cJSON *cat = cJSON_GetObjectItem(e, "category");
        ck_assert_msg(cJSON_IsNull(cat) || (harness_jstr(cat, "id") && harness_jstr(cat, "name")),
                      "expected category {id, name, color} or null");
    }
    harness_resp_free(&r);
    snprintf(path, sizeof path, EXPS "?category_id=%s", id_x);
    cases_call(&cases_daemon, tokens[ADMIN], "GET", path, NULL, 200, &r);
    ck_assert_int_eq((int)cases_num(harness_json(&r), "total"), 0); /* another tenant's category */
    harness_resp_free(&r);
    cases_call(&cases_daemon, tokens[ADMIN], "GET", EXPS "?date_from=2100-01-02", NULL, 200, &r);
    ck_assert_int_eq((int)cases_num(harness_json(&r), "total"), 0);
    harness_resp_free(&r);
    cases_same_queries(&cases_daemon, tokens[ADMIN], EXPS, 100);
    cases_same_queries(&cases_daemon, tokens[ADMIN], EXPS "?status=approved&sort=date", 100);
    cases_same_queries(&cases_daemon, tokens[ADMIN], CATS, 6);
}
END_TEST

/* Approval: approved_by and approved_at, total_expenses and
 * pending_approvals move, and recent-activity shows the event. */
START_TEST(approve_moves_dashboard)
{
    char day[16], body[256], path[128];
    today(day);
    snprintf(body, sizeof body,
             "{\"amount\": 777.77, \"description\": \"Approval probe\", \"date\": \"%s\"}", day);
    char *id = cases_create(&cases_daemon, tokens[REP2], EXPS, body);
    struct harness_resp r;
    cases_call(&cases_daemon, tokens[ADMIN], "GET", "/api/v1/dashboard/kpis", NULL, 200, &r);
    double spent0 = cases_num(harness_json(&r), "total_expenses.current_value");
    double pending0 = cases_num(harness_json(&r), "pending_approvals.current_value");
    harness_resp_free(&r);
    snprintf(path, sizeof path, EXPS "/%s/status", id);
    cases_call(&cases_daemon, tokens[ADMIN], "PUT", path, "{\"status\": \"approved\"}", 200, &r);
    ck_assert_str_eq(harness_jstr(harness_json(&r), "status"), "approved");
    ck_assert_str_eq(harness_jstr(harness_json(&r), "approved_by"), admin_id);
    ck_assert_msg(harness_is_rfc3339z(harness_jstr(harness_json(&r), "approved_at")),
                  "expected approved_at");
    harness_resp_free(&r);
    cases_call(&cases_daemon, tokens[ADMIN], "GET", "/api/v1/dashboard/kpis", NULL, 200, &r);
    ck_assert_double_eq_tol(cases_num(harness_json(&r), "total_expenses.current_value"),
                            spent0 + 777.77, 0.001);
    ck_assert_double_eq_tol(cases_num(harness_json(&r), "pending_approvals.current_value"),
                            pending0 - 1, 0.001);
    harness_resp_free(&r);
    cases_call(&cases_daemon, tokens[ADMIN], "GET", "/api/v1/dashboard/recent-activity?limit=100",
               NULL, 200, &r);
    bool seen = false;
    const cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItem(harness_json(&r), "events"))
    {
        seen = seen || (!strcmp(harness_jstr(e, "id"), id) &&
                        !strcmp(harness_jstr(e, "type"), "expense_approved"));
    }
    ck_assert_msg(seen, "expected an expense_approved event for %s", id);
    harness_resp_free(&r);
    free(id);
}
END_TEST

START_TEST(reject_needs_a_reason)
{
    char *id = cases_create(&cases_daemon, tokens[REP], EXPS, "{" OK_EXPENSE "}");
    char path[128];
    snprintf(path, sizeof path, EXPS "/%s/status", id);
    struct harness_resp r;
    cases_call(&cases_daemon, tokens[SUPERVISOR], "PUT", path,
               "{\"status\": \"rejected\", \"rejection_reason\": \"No receipt\"}", 200, &r);
    cJSON *o = harness_json(&r);
    ck_assert_str_eq(harness_jstr(o, "status"), "rejected");
    ck_assert_str_eq(harness_jstr(o, "rejection_reason"), "No receipt");
    ck_assert_msg(harness_jstr(o, "approved_by") &&
                      harness_is_rfc3339z(harness_jstr(o, "approved_at")),
                  "expected approved_by and approved_at on a rejection too");
    harness_resp_free(&r);
    cases_call(&cases_daemon, tokens[ADMIN], "PUT", path, "{\"status\": \"approved\"}", 409, &r);
    harness_resp_free(&r);
    free(id);
}
END_TEST

static void expenses_flows(TCase *tc)
{
    tcase_add_test(tc, categories_crud);
    tcase_add_test(tc, category_in_use_is_deactivated);
    tcase_add_test(tc, expenses_crud);
    tcase_add_test(tc, expense_list_filters);
    tcase_add_test(tc, approve_moves_dashboard);
    tcase_add_test(tc, reject_needs_a_reason);
}

int main(void)
{
    Suite *s = suite_create("expenses");
    TCase *tc = harness_tcase(s, "expenses");
    tcase_add_checked_fixture(tc, daemon_up, cases_stop);
    tcase_add_loop_test(tc, error_cases, 0, sizeof cases / sizeof cases[0]);
    tcase_add_test(tc, every_invalid_field_listed);
    expenses_flows(tc);
    return harness_main(s, "it_expenses", setup);
}

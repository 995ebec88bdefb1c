/* Integration tests of /api/v1/transport/vehicles; the fixture and helpers of the suite. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_vehicles_users.h"

static const char *const emails[NWHO] = {
    [ADMIN] = "admin@acme.example",
    [SUPERVISOR] = "supervisor@acme.example",
    [REP] = "rep1@acme.example",
    [ANALYST] = "analyst@acme.example",
    [OTHER_TENANT] = "admin@borealis.example",
};
char *tok[NWHO], *private_tok;
struct harness_daemon D, B;
const char *const quiet[] = {"--health-probe-s", "3600", "--no-jobs", NULL};

/* ---------------------------------------------------------------- fixture */

/* The demo data (10 vehicles and 8 users per tenant) and an API token per
 * role; and a tenant of its own (a random id: the demo's ids are the same in
 * every suite's database, and so are their cache keys in the shared Redis)
 * with an admin and a rep who has a quota this month. */
static int setup(const char *db)
{
    if (harness_seed_demo(db, NULL) != 0 ||
        harness_tokens(db, emails, NWHO, "it-vehicles-users", 1, tok) != 0)
        return -1;
    char *ids[] = {
        harness_user_add(db, "Private Fleet Co", PRIVATE_ADMIN, "admin", "owner-password-1"),
        harness_user_add(db, "Private Fleet Co", PRIVATE_REP, "sales_rep", "solo-password-1")};
    bool ok = ids[0] && ids[1] &&
              harness_psql(db, "INSERT INTO quotas (tenant_id, user_id, year, month, target_amount)"
                               " SELECT tenant_id, id, extract(year FROM now())::int,"
                               " extract(month FROM now())::int, 1000 FROM users"
                               " WHERE email = '" PRIVATE_REP "'") == 0 &&
              (private_tok = harness_token_create(db, PRIVATE_ADMIN, "it-private", 1));
    free(ids[0]);
    free(ids[1]);
    return ok ? 0 : -1;
}

static void up(void)
{
    harness_daemon_start(&D, harness_db(), quiet);
}

static void down(void)
{
    harness_daemon_stop_clean(&D);
    if (B.pid)
        harness_daemon_stop_clean(&B);
}

void vehicles_users_expect(const struct harness_daemon *d, const char *token, const char *method,
                           const char *path, const char *body, long want)
{
    struct harness_resp r;
    cases_call(d, token, method, path, body, want, &r);
    harness_resp_free(&r);
}

bool vehicles_users_str_is(const cJSON *o, const char *name, const char *want)
{
    const char *s = harness_jstr(o, name);
    return s && !strcmp(s, want);
}

char *vehicles_users_create(enum who who, const char *path, const char *body)
{
    return cases_create(&D, tok[who], path, body);
}

void vehicles_users_same_queries(const char *path, enum who who)
{
    vehicles_users_expect(&D, tok[who], "GET", path, NULL, 200);
    cases_same_queries(&D, tok[who], path, 1);
}

char *vehicles_users_login(const struct harness_daemon *d, const char *email, const char *password)
{
    char body[256];
    snprintf(body, sizeof body, "{\"email\": \"%s\", \"password\": \"%s\"}", email, password);
    struct harness_resp r;
    char *t = strdup(harness_jstr(cases_call(d, NULL, "POST", "/api/v1/auth/login", body, 200, &r),
                                  "access_token"));
    harness_resp_free(&r);
    return t;
}

void vehicles_users_within_100ms(const struct harness_daemon *d, const char *token,
                                 const char *path, long want, const char *what)
{
    double t0 = harness_now_ms(), waited;
    long st;
    for (;;) {
        struct harness_resp r;
        st = harness_get(d, path, token, &r);
        harness_resp_free(&r);
        waited = harness_now_ms() - t0;
        if (st == want || waited > 1000)
            break;
        harness_sleep_ms(5);
    }
    ck_assert_msg(st == want && waited <= 100,
                  "expected %s (%ld) within 100 ms on port %d, got %ld after %.0f ms", what, want,
                  d->port, st, waited);
}

void vehicles_users_expect_listed(const cJSON *o, const char *field, const char *sql)
{
    char *want = harness_sql_value(sql), got[4096] = "";
    const cJSON *it;
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(o, "items"))
    {
        snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", got[0] ? "," : "",
                 harness_jstr(it, field));
    }
    ck_assert_msg(!strcmp(got, want), "expected the items' %s [%s], got [%s]", field, want, got);
    free(want);
}

void vehicles_users_expect_404s(const char *base, const char *foreign, const char *good,
                                const char *bad, bool deletable)
{
    const char *ids[] = {foreign, UNKNOWN_ID, "nope"};
    for (size_t i = 0; i < 3; i++) {
        char path[160];
        snprintf(path, sizeof path, "%s/%s", base, ids[i]);
        vehicles_users_expect(&D, tok[ADMIN], "GET", path, NULL, 404);
        vehicles_users_expect(&D, tok[ADMIN], "PUT", path, good, 404);
        vehicles_users_expect(&D, tok[ADMIN], "PUT", path, bad, 404);
        if (deletable)
            vehicles_users_expect(&D, tok[ADMIN], "DELETE", path, NULL, 404);
    }
}

void vehicles_users_warm(const struct harness_daemon *d, const char *token)
{
    for (int i = 0; i < 2; i++)
        vehicles_users_expect(d, token, "GET", "/api/v1/auth/me", NULL, 200);
}

/* ================================================================ vehicles */

static void vehicle_path(char *out, size_t n, const char *id)
{
    snprintf(out, n, VEHICLES "/%s", id);
}

/* Every item embeds driver {id, full_name} of its assigned driver (null
 * when none), as the database has it. */
START_TEST(vehicles_list_embeds_driver)
{
    struct harness_resp r;
    cJSON *j = cases_call(&D, tok[ANALYST], "GET", VEHICLES "?page_size=100", NULL, 200, &r), *it;
    long total = harness_sql_long("SELECT count(*) FROM vehicles WHERE tenant_id = " ACME
                                  " AND NOT is_deleted");
    ck_assert_msg(cases_num(j, "total") == total && total >= 10, "expected total %ld: %.300s",
                  total, r.body);
    int with_driver = 0;
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(j, "items"))
    {
        char sql[256];
        snprintf(sql, sizeof sql,
                 "SELECT coalesce(u.id::text || '|' || u.full_name, 'none') FROM vehicles v"
                 " LEFT JOIN users u ON u.id = v.assigned_driver_id WHERE v.id = '%s'",
                 harness_jstr(it, "id"));
        char *want = harness_sql_value(sql), got[300] = "none";
        const cJSON *d = cJSON_GetObjectItemCaseSensitive(it, "driver");
        ck_assert_msg(d && (cJSON_IsNull(d) || cJSON_GetArraySize(d) == 2),
                      "expected driver null or {id, full_name}: %s", harness_jstr(it, "id"));
        if (!cJSON_IsNull(d)) {
            snprintf(got, sizeof got, "%s|%s", harness_jstr(d, "id"), harness_jstr(d, "full_name"));
            with_driver++;
        }
        ck_assert_msg(!strcmp(got, want), "expected driver %s, got %s", want, got);
        free(want);
    }
    ck_assert_msg(with_driver > 0, "expected the demo vehicles to have drivers");
    harness_resp_free(&r);
    vehicles_users_same_queries(VEHICLES, REP);
}
END_TEST

START_TEST(vehicles_list_filters)
{
    struct harness_resp r;
    cJSON *j = cases_call(&D, tok[ADMIN], "GET", VEHICLES "?status=active&sort=plate_number", NULL,
                          200, &r);
    long active = harness_sql_long("SELECT count(*) FROM vehicles WHERE tenant_id = " ACME
                                   " AND NOT is_deleted AND status = 'active'");
    ck_assert_msg(cases_num(j, "total") == active, "expected %ld active vehicles: %s", active,
                  r.body);
    vehicles_users_expect_listed(j, "plate_number",
                                 "SELECT string_agg(plate_number, ',' ORDER BY plate_number, id)"
                                 " FROM vehicles WHERE tenant_id = " ACME
                                 " AND NOT is_deleted AND status = 'active'");
    harness_resp_free(&r);
    static const char *const bad[][2] = {{"?status=parked", "query.status"},
                                         {"?vehicle_type=bus", "query.vehicle_type"},
                                         {"?sort=mileage_km", "query.sort"},
                                         {"?driver=x", "query.driver"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char path[96];
        snprintf(path, sizeof path, VEHICLES "%s", bad[i][0]);
        cases_call(&D, tok[ADMIN], "GET", path, NULL, 422, &r);
        ck_assert_msg(harness_detail_has_loc(&r, bad[i][1]), "expected loc %s: %s", bad[i][1],
                      r.body);
        harness_resp_free(&r);
    }
}
END_TEST

START_TEST(vehicles_create_get_update_delete)
{
    char *driver = harness_sql_value("SELECT id FROM users WHERE email = 'rep2@acme.example'");
    char *name = harness_sql_value("SELECT full_name FROM users WHERE email = 'rep2@acme.example'");
    char body[256], path[128];
    char *id = vehicles_users_create(REP, VEHICLES, "{\"plate_number\": \"TEST-0001\"}");
    vehicle_path(path, sizeof path, id);
    struct harness_resp r;
    cJSON *j = cases_call(&D, tok[ANALYST], "GET", path, NULL, 200, &r);
    ck_assert_msg(vehicles_users_str_is(j, "status", "active") &&
                      vehicles_users_str_is(j, "vehicle_type", "car") &&
                      cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(j, "driver")),
                  "expected defaults status active, type car, no driver: %s", r.body);
    harness_resp_free(&r);

    snprintf(body, sizeof body,
             "{\"assigned_driver_id\": \"%s\", \"mileage_km\": 1234.5, \"year\": 2021,"
             " \"brand\": \"Seat\"}",
             driver);
    j = cases_call(&D, tok[SUPERVISOR], "PUT", path, body, 200, &r);
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(j, "driver");
    ck_assert_msg(vehicles_users_str_is(d, "id", driver) &&
                      vehicles_users_str_is(d, "full_name", name),
                  "expected driver {%s, %s}: %s", driver, name, r.body);
    ck_assert_msg(vehicles_users_str_is(j, "plate_number", "TEST-0001") &&
                      cases_num(j, "year") == 2021 && strstr(r.body, "1234.50"),
                  "expected the plate kept and year, mileage (2 decimals) set: %s", r.body);
    harness_resp_free(&r);

    j = cases_call(&D, tok[ADMIN], "PUT", path,
                   "{\"status\": \"maintenance\", \"assigned_driver_id\": null}", 200, &r);
    ck_assert_msg(vehicles_users_str_is(j, "status", "maintenance") &&
                      cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(j, "driver")) &&
                      vehicles_users_str_is(j, "brand", "Seat"),
                  "expected maintenance, no driver, brand kept: %s", r.body);
    harness_resp_free(&r);

    vehicles_users_expect(&D, tok[REP], "DELETE", path, NULL, 204);
    vehicles_users_expect(&D, tok[REP], "GET", path, NULL, 404);
    vehicles_users_expect(&D, tok[REP], "DELETE", path, NULL, 404);
    free(id);
    free(driver);
    free(name);
}
END_TEST

#define S21 "ABCDEFGHIJKLMNOPQRSTU"

/* Bodies that answer 422 on create, with the fields they name. */
static const struct {
    const char *body, *locs[3];
} bad_vehicles[] = {
    {"{}", {"body.plate_number"}},
    {"{\"plate_number\": \"\"}", {"body.plate_number"}},
    {"{\"plate_number\": \"" S21 "\"}", {"body.plate_number"}},
    {"{\"plate_number\": \"P-1\", \"year\": 1800}", {"body.year"}},
    {"{\"plate_number\": \"P-1\", \"year\": 2020.5}", {"body.year"}},
    {"{\"plate_number\": \"P-1\", \"mileage_km\": -1}", {"body.mileage_km"}},
    {"{\"plate_number\": \"P-1\", \"mileage_km\": 1.234}", {"body.mileage_km"}},
    {"{\"plate_number\": \"P-1\", \"vehicle_type\": \"bus\"}", {"body.vehicle_type"}},
    {"{\"plate_number\": \"P-1\", \"status\": \"parked\"}", {"body.status"}},
    {"{\"plate_number\": \"P-1\", \"assigned_driver_id\": \"nope\"}", {"body.assigned_driver_id"}},
    {"{\"plate_number\": \"P-1\", \"assigned_driver_id\": \"" UNKNOWN_ID "\"}",
     {"body.assigned_driver_id"}},
    {"{\"plate_number\": \"P-1\", \"color\": \"red\"}", {"body.color"}},
    /* another tenant's user (filled in by the test), with the other faults */
    {"{\"plate_number\": \"" S21 "\", \"brand\": 4, \"assigned_driver_id\": \"%s\"}",
     {"body.plate_number", "body.brand", "body.assigned_driver_id"}},
};

START_TEST(vehicles_invalid)
{
    char *foreign = harness_sql_value("SELECT id FROM users WHERE email = 'rep1@borealis.example'");
    char body[512];
    snprintf(body, sizeof body, bad_vehicles[_i].body, foreign);
    struct harness_resp r;
    cases_call(&D, tok[ADMIN], "POST", VEHICLES, body, 422, &r);
    for (int k = 0; k < 3 && bad_vehicles[_i].locs[k]; k++)
        ck_assert_msg(harness_detail_has_loc(&r, bad_vehicles[_i].locs[k]),
                      "expected loc %s for %s: %s", bad_vehicles[_i].locs[k], body, r.body);
    harness_resp_free(&r);
    /* the same foreign driver on an update */
    char *id = vehicles_users_create(ADMIN, VEHICLES, "{\"plate_number\": \"P-422\"}"), path[128];
    vehicle_path(path, sizeof path, id);
    snprintf(body, sizeof body, "{\"assigned_driver_id\": \"%s\"}", foreign);
    cases_call(&D, tok[ADMIN], "PUT", path, body, 422, &r);
    ck_assert_msg(harness_detail_has_loc(&r, "body.assigned_driver_id"),
                  "expected another tenant's driver refused on update: %s", r.body);
    harness_resp_free(&r);
    free(id);
    free(foreign);
}
END_TEST

/* Unknown, foreign and malformed ids answer 404 on every id route (before
 * the body's 422); the foreign row stays as it was. Analysts may read but
 * not write; sales reps write. */
START_TEST(vehicles_ids_and_roles)
{
    char *foreign =
        harness_sql_value("SELECT id FROM vehicles WHERE tenant_id = " BOREALIS " LIMIT 1");
    char sql[256], path[128];
    snprintf(sql, sizeof sql,
             "SELECT md5(row(plate_number, status, is_deleted)::text)"
             " FROM vehicles WHERE id = '%s'",
             foreign);
    char *before = harness_sql_value(sql);
    vehicles_users_expect_404s(VEHICLES, foreign, "{\"status\": \"inactive\"}", "{\"status\": 1}",
                               true);
    char *after = harness_sql_value(sql);
    ck_assert_msg(!strcmp(before, after), "expected the other tenant's vehicle untouched");
    char *id = vehicles_users_create(ADMIN, VEHICLES, "{\"plate_number\": \"ROLE-1\"}");
    vehicle_path(path, sizeof path, id);
    vehicles_users_expect(&D, tok[ANALYST], "GET", path, NULL, 200);
    vehicles_users_expect(&D, tok[ANALYST], "POST", VEHICLES, "{\"plate_number\": \"NO-1\"}", 403);
    vehicles_users_expect(&D, tok[ANALYST], "PUT", path, "{\"status\": \"inactive\"}", 403);
    vehicles_users_expect(&D, tok[ANALYST], "DELETE", path, NULL, 403);
    vehicles_users_expect(&D, tok[REP], "PUT", path, "{\"status\": \"inactive\"}", 200);
    vehicles_users_expect(&D, tok[SUPERVISOR], "DELETE", path, NULL, 204);
    free(id);
    free(after);
    free(before);
    free(foreign);
}
END_TEST

/* Vehicles move no dashboard figure, but a write still invalidates the
 * tenant: the next KPI read is computed afresh (MISS), not a HIT. */
START_TEST(vehicle_write_invalidates_dashboard)
{
    struct harness_resp r;
    bool hit = false;
    for (int i = 0; i < 3 && !hit; i++) {
        cases_call(&D, private_tok, "GET", "/api/v1/dashboard/kpis", NULL, 200, &r);
        hit = !strcmp(harness_header(&r, "X-Cache"), "HIT");
        harness_resp_free(&r);
    }
    ck_assert_msg(hit, "expected the KPIs cached before the write");
    char *id = cases_create(&D, private_tok, VEHICLES, "{\"plate_number\": \"INV-1\"}");
    cases_call(&D, private_tok, "GET", "/api/v1/dashboard/kpis", NULL, 200, &r);
    ck_assert_msg(!strcmp(harness_header(&r, "X-Cache"), "MISS"),
                  "expected a MISS after the vehicle write, got %s", harness_header(&r, "X-Cache"));
    harness_resp_free(&r);
    free(id);
}
END_TEST

/* ---------------------------------------------------------------- main */

int main(void)
{
    Suite *s = suite_create("vehicles_users");
    TCase *tc = harness_tcase(s, "vehicles_users");
    tcase_add_checked_fixture(tc, up, down);
    tcase_add_test(tc, vehicles_list_embeds_driver);
    tcase_add_test(tc, vehicles_list_filters);
    tcase_add_test(tc, vehicles_create_get_update_delete);
    tcase_add_loop_test(tc, vehicles_invalid, 0, sizeof bad_vehicles / sizeof bad_vehicles[0]);
    tcase_add_test(tc, vehicles_ids_and_roles);
    tcase_add_test(tc, vehicle_write_invalidates_dashboard);
    users_add_tests(tc);
    return harness_main(s, "it_vehicles_users", setup);
}

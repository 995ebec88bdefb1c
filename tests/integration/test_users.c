/* Integration tests of /api/v1/users and POST /api/v1/auth/password, revocation included. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_vehicles_users.h"

/* ================================================================ users */

static void user_path(char *out, size_t n, const char *id)
{
    snprintf(out, n, USERS "/%s", id);
}

/* Creates a user through the API (as the admin) and returns its id. */
static char *create_user(const char *email, const char *role, const char *password)
{
    char body[256];
    snprintf(body, sizeof body,
             "{\"email\": \"%s\", \"full_name\": \"Test %s\", \"role\": \"%s\","
             " \"password\": \"%s\"}",
             email, role, role, password);
    return vehicles_users_create(ADMIN, USERS, body);
}

START_TEST(users_list)
{
    struct harness_resp r;
    static const char *const keys[] = {"id",   "email",     "full_name",
                                       "role", "is_active", "last_login"};
    cJSON *j = cases_call(&D, tok[SUPERVISOR], "GET", USERS "?page_size=100", NULL, 200, &r), *it;
    long total = harness_sql_long("SELECT count(*) FROM users WHERE tenant_id = " ACME
                                  " AND NOT is_deleted");
    ck_assert_msg(cases_num(j, "total") == total, "expected %ld users: %.300s", total, r.body);
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(j, "items"))
    {
        ck_assert_msg(cJSON_GetArraySize(it) == 6, "expected exactly the 6 user fields");
        for (size_t k = 0; k < 6; k++)
            ck_assert_msg(cJSON_GetObjectItemCaseSensitive(it, keys[k]), "expected %s in %s",
                          keys[k], harness_jstr(it, "email"));
        ck_assert_msg(!strstr(harness_jstr(it, "email"), "borealis"), "expected no other tenant");
    }
    ck_assert_msg(!strstr(r.body, "hashed_password") && !strstr(r.body, "$y$"),
                  "expected no password hash in the list");
    harness_resp_free(&r);

    j = cases_call(&D, tok[ANALYST], "GET", USERS "?role=sales_rep&sort=full_name", NULL, 200, &r);
    long reps = harness_sql_long("SELECT count(*) FROM users WHERE tenant_id = " ACME
                                 " AND NOT is_deleted AND role = 'sales_rep'");
    ck_assert_msg(cases_num(j, "total") == reps, "expected %ld sales reps: %s", reps, r.body);
    vehicles_users_expect_listed(
        j, "full_name",
        "SELECT string_agg(full_name, ',' ORDER BY full_name, id) FROM"
        " (SELECT full_name, id FROM users WHERE tenant_id = " ACME
        " AND NOT is_deleted AND role = 'sales_rep' ORDER BY full_name, id LIMIT 20) s");
    harness_resp_free(&r);

    j = cases_call(&D, tok[ADMIN], "GET", USERS "?is_active=false", NULL, 200, &r);
    long inactive = harness_sql_long("SELECT count(*) FROM users WHERE tenant_id = " ACME
                                     " AND NOT is_deleted AND NOT is_active");
    ck_assert_msg(cases_num(j, "total") == inactive, "expected %ld inactive users: %s", inactive,
                  r.body);
    harness_resp_free(&r);

    vehicles_users_expect(&D, tok[REP], "GET", USERS, NULL, 403);
    vehicles_users_expect(&D, tok[ADMIN], "GET", USERS "?role=boss", NULL, 422);
    vehicles_users_expect(&D, tok[ADMIN], "GET", USERS "?is_active=maybe", NULL, 422);
    vehicles_users_same_queries(USERS, ADMIN);
}
END_TEST

START_TEST(users_create)
{
    char *id = create_user("new.rep@acme.example", "sales_rep", "a-long-password");
    char path[128];
    user_path(path, sizeof path, id);
    struct harness_resp r;
    cJSON *j = cases_call(&D, tok[ANALYST], "GET", path, NULL, 200, &r);
    ck_assert_msg(vehicles_users_str_is(j, "email", "new.rep@acme.example") &&
                      vehicles_users_str_is(j, "role", "sales_rep") &&
                      cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "is_active")) &&
                      cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(j, "last_login")),
                  "expected the new active rep, never logged in: %s", r.body);
    harness_resp_free(&r);
    char *t = vehicles_users_login(&D, "new.rep@acme.example", "a-long-password");
    vehicles_users_expect(&D, t, "GET", "/api/v1/clients?page_size=1", NULL, 200);
    free(t);
    char *hash =
        harness_sql_value("SELECT hashed_password FROM users WHERE email = 'new.rep@acme.example'");
    ck_assert_msg(!strncmp(hash, "$y$", 3), "expected a yescrypt hash, got %.8s", hash);
    free(hash);
    free(id);
}
END_TEST

/* Bodies that answer 422 on POST /users, with the field they name. */
static const struct {
    const char *body, *loc;
} bad_users[] = {
    {"{\"full_name\": \"A\", \"password\": \"0123456789\"}", "body.email"},
    {"{\"email\": \"no-at-sign\", \"full_name\": \"A\", \"password\": \"0123456789\"}",
     "body.email"},
    {"{\"email\": \"a@b.c\", \"password\": \"0123456789\"}", "body.full_name"},
    {"{\"email\": \"a@b.c\", \"full_name\": \"A\", \"password\": \"012345678\"}", "body.password"},
    {"{\"email\": \"a@b.c\", \"full_name\": \"A\"}", "body.password"},
    {"{\"email\": \"a@b.c\", \"full_name\": \"A\", \"password\": \"0123456789\","
     " \"role\": \"boss\"}",
     "body.role"},
    {"{\"email\": \"a@b.c\", \"full_name\": \"A\", \"password\": \"0123456789\","
     " \"is_active\": false}",
     "body.is_active"},
};

START_TEST(users_create_refused)
{
    struct harness_resp r;
    for (size_t i = 0; i < sizeof bad_users / sizeof bad_users[0]; i++) {
        cases_call(&D, tok[ADMIN], "POST", USERS, bad_users[i].body, 422, &r);
        ck_assert_msg(harness_detail_has_loc(&r, bad_users[i].loc), "expected loc %s for %s: %s",
                      bad_users[i].loc, bad_users[i].body, r.body);
        harness_resp_free(&r);
    }
    /* emails are unique across tenants, whatever their case */
    static const char *const taken[] = {"rep1@acme.example", "REP1@Acme.Example",
                                        "admin@borealis.example"};
    for (size_t i = 0; i < 3; i++) {
        char body[256];
        snprintf(body, sizeof body,
                 "{\"email\": \"%s\", \"full_name\": \"Dup\", \"password\": \"0123456789\"}",
                 taken[i]);
        cases_call(&D, tok[ADMIN], "POST", USERS, body, 409, &r);
        ck_assert_msg(harness_detail_is(&r, NULL), "expected a detail message on 409: %s", r.body);
        harness_resp_free(&r);
    }
    const char *ok = "{\"email\": \"nobody@acme.example\", \"full_name\": \"N\","
                     " \"password\": \"0123456789\"}";
    vehicles_users_expect(&D, tok[SUPERVISOR], "POST", USERS, ok, 403);
    vehicles_users_expect(&D, tok[ANALYST], "POST", USERS, ok, 403);
    vehicles_users_expect(&D, tok[REP], "POST", USERS, ok, 403);
    /* only a super_admin grants super_admin */
    vehicles_users_expect(
        &D, tok[ADMIN], "POST", USERS,
        "{\"email\": \"root@acme.example\", \"full_name\": \"R\", \"password\": \"0123456789\","
        " \"role\": \"super_admin\"}",
        403);
}
END_TEST

/* Whether the private tenant's quota-performance (this month) names name. */
static bool quota_performance_names(const char *name)
{
    struct harness_resp r;
    cases_call(&D, private_tok, "GET", "/api/v1/dashboard/quota-performance", NULL, 200, &r);
    bool found = strstr(r.body, name) != NULL;
    harness_resp_free(&r);
    return found;
}

/* Renaming a rep moves quota-performance's names on the next read: the
 * write invalidated the cached dashboard. */
START_TEST(user_rename_moves_quota_performance)
{
    char *id = harness_sql_value("SELECT id FROM users WHERE email = '" PRIVATE_REP "'"), path[128];
    user_path(path, sizeof path, id);
    ck_assert_msg(quota_performance_names(PRIVATE_REP), "expected the rep in quota-performance");
    ck_assert_msg(quota_performance_names(PRIVATE_REP), "expected the rep in the cached answer");
    struct harness_resp r;
    cases_call(&D, private_tok, "PUT", path, "{\"full_name\": \"Solo Renamed\"}", 200, &r);
    harness_resp_free(&r);
    ck_assert_msg(quota_performance_names("Solo Renamed") && !quota_performance_names(PRIVATE_REP),
                  "expected quota-performance to show the new name after the write");
    free(id);
}
END_TEST

/* PUT changes full_name, role and is_active, and nothing else. */
START_TEST(users_update)
{
    char *id = harness_sql_value("SELECT id FROM users WHERE email = 'rep3@acme.example'");
    char *old = harness_sql_value("SELECT full_name FROM users WHERE email = 'rep3@acme.example'");
    char path[128];
    user_path(path, sizeof path, id);
    struct harness_resp r;
    cJSON *j =
        cases_call(&D, tok[ADMIN], "PUT", path, "{\"full_name\": \"Renamed Rep Three\"}", 200, &r);
    ck_assert_msg(vehicles_users_str_is(j, "full_name", "Renamed Rep Three") &&
                      vehicles_users_str_is(j, "role", "sales_rep") &&
                      vehicles_users_str_is(j, "email", "rep3@acme.example"),
                  "expected the new name, the rest kept: %s", r.body);
    harness_resp_free(&r);
    static const char *const bad[][2] = {
        {"{\"full_name\": \"\"}", "body.full_name"},
        {"{\"role\": \"boss\"}", "body.role"},
        {"{\"is_active\": \"no\"}", "body.is_active"},
        {"{\"email\": \"x@y.z\"}", "body.email"},
        {"{\"password\": \"0123456789\"}", "body.password"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cases_call(&D, tok[ADMIN], "PUT", path, bad[i][0], 422, &r);
        ck_assert_msg(harness_detail_has_loc(&r, bad[i][1]), "expected loc %s: %s", bad[i][1],
                      r.body);
        harness_resp_free(&r);
    }
    char body[160];
    snprintf(body, sizeof body, "{\"full_name\": \"%s\"}", old);
    vehicles_users_expect(&D, tok[ADMIN], "PUT", path, body, 200);
    vehicles_users_expect(&D, tok[SUPERVISOR], "PUT", path, body, 403);
    vehicles_users_expect(&D, tok[ANALYST], "PUT", path, body, 403);
    /* ids: another tenant's, unknown, malformed (404 before the body's 422) */
    char *foreign = harness_sql_value("SELECT id FROM users WHERE email = 'rep3@borealis.example'");
    vehicles_users_expect_404s(USERS, foreign, "{\"is_active\": false}", "{\"role\": 3}", false);
    char *active =
        harness_sql_value("SELECT is_active FROM users WHERE email = 'rep3@borealis.example'");
    ck_assert_msg(!strcmp(active, "t"), "expected the other tenant's user untouched");
    free(active);
    free(foreign);
    free(old);
    free(id);
}
END_TEST

/* An admin cannot lock themselves out, nor touch a super_admin. */
START_TEST(users_update_guards)
{
    char *me = harness_sql_value("SELECT id FROM users WHERE email = 'admin@acme.example'"),
         path[128];
    user_path(path, sizeof path, me);
    vehicles_users_expect(&D, tok[ADMIN], "PUT", path, "{\"is_active\": false}", 409);
    vehicles_users_expect(&D, tok[ADMIN], "PUT", path, "{\"role\": \"analyst\"}", 409);
    vehicles_users_expect(&D, tok[ADMIN], "PUT", path,
                          "{\"role\": \"admin\", \"full_name\": \"Lucía F.\"}", 200);
    ck_assert_int_eq(harness_psql(harness_db(),
                                  "INSERT INTO users (tenant_id, email, hashed_password,"
                                  " full_name, role) VALUES (" ACME ", 'root@acme.test', 'x',"
                                  " 'Root', 'super_admin')"),
                     0);
    char *root = harness_sql_value("SELECT id FROM users WHERE email = 'root@acme.test'");
    user_path(path, sizeof path, root);
    vehicles_users_expect(&D, tok[ADMIN], "PUT", path, "{\"full_name\": \"Not Root\"}", 403);
    free(root);
    free(me);
}
END_TEST

/* Deactivating a user revokes every token of theirs at once: this instance
 * and a second one (where the tokens were warm) refuse them within 100 ms,
 * and the user can no longer log in. */
START_TEST(users_deactivate_revokes_tokens)
{
    harness_daemon_start(&B, harness_db(), quiet);
    char *id = create_user("leaving@acme.example", "sales_rep", "leaving-password");
    char *t1 = vehicles_users_login(&D, "leaving@acme.example", "leaving-password");
    char *t2 = vehicles_users_login(&B, "leaving@acme.example", "leaving-password"), path[128];
    vehicles_users_warm(&D, t1);
    vehicles_users_warm(&B, t1);
    vehicles_users_warm(&B, t2);
    user_path(path, sizeof path, id);
    struct harness_resp r;
    cJSON *j = cases_call(&D, tok[ADMIN], "PUT", path, "{\"is_active\": false}", 200, &r);
    ck_assert_msg(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(j, "is_active")),
                  "expected is_active false: %s", r.body);
    harness_resp_free(&r);
    vehicles_users_within_100ms(&D, t1, "/api/v1/auth/me", 401,
                                "the deactivated user's token refused");
    vehicles_users_within_100ms(&B, t1, "/api/v1/auth/me", 401,
                                "the token refused by the other instance");
    vehicles_users_within_100ms(&B, t2, "/api/v1/auth/me", 401, "the second token refused");
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM auth_tokens WHERE user_id = '%s' AND revoked_at IS NULL", id);
    ck_assert_msg(harness_sql_long(sql) == 0,
                  "expected every token of the user revoked in the database");
    vehicles_users_expect(
        &D, NULL, "POST", "/api/v1/auth/login",
        "{\"email\": \"leaving@acme.example\", \"password\": \"leaving-password\"}", 401);
    /* reactivation does not bring the old tokens back */
    vehicles_users_expect(&D, tok[ADMIN], "PUT", path, "{\"is_active\": true}", 200);
    vehicles_users_expect(&D, t1, "GET", "/api/v1/auth/me", NULL, 401);
    free(vehicles_users_login(&D, "leaving@acme.example", "leaving-password"));
    free(t1);
    free(t2);
    free(id);
}
END_TEST

/* A role change reaches the user's cached tokens at once, on every
 * instance: an analyst demoted to sales rep loses the users list. */
START_TEST(users_role_change_applies_at_once)
{
    harness_daemon_start(&B, harness_db(), quiet);
    char *id = create_user("demoted@acme.example", "analyst", "demoted-password"), path[128];
    char *t = vehicles_users_login(&D, "demoted@acme.example", "demoted-password");
    for (int i = 0; i < 2; i++) {
        vehicles_users_expect(&D, t, "GET", USERS, NULL, 200);
        vehicles_users_expect(&B, t, "GET", USERS, NULL, 200);
    }
    user_path(path, sizeof path, id);
    vehicles_users_expect(&D, tok[ADMIN], "PUT", path, "{\"role\": \"sales_rep\"}", 200);
    vehicles_users_within_100ms(&D, t, USERS, 403, "the demoted user refused the users list");
    vehicles_users_within_100ms(&B, t, USERS, 403, "the demotion seen by the other instance");
    vehicles_users_expect(&B, t, "GET", "/api/v1/auth/me", NULL, 200);
    free(t);
    free(id);
}
END_TEST

/* ================================================================ password */

START_TEST(password_change)
{
    harness_daemon_start(&B, harness_db(), quiet);
    free(create_user("changer@acme.example", "analyst", "first-password"));
    char *keep = vehicles_users_login(&D, "changer@acme.example", "first-password");
    char *other = vehicles_users_login(&D, "changer@acme.example", "first-password");
    vehicles_users_warm(&B, other);
    vehicles_users_warm(&D, other);
    static const char *const bad[][2] = {
        {"{\"current_password\": \"wrong-password\", \"new_password\": \"second-password\"}",
         "body.current_password"},
        {"{\"current_password\": \"first-password\", \"new_password\": \"too-short\"}",
         "body.new_password"},
        {"{\"current_password\": \"first-password\", \"new_password\": \"first-password\"}",
         "body.new_password"},
        {"{\"new_password\": \"second-password\"}", "body.current_password"},
        {"{\"current_password\": \"first-password\", \"new_password\": \"second-password\","
         " \"user_id\": \"x\"}",
         "body.user_id"},
    };
    struct harness_resp r;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cases_call(&D, keep, "POST", PASSWORD, bad[i][0], 422, &r);
        ck_assert_msg(harness_detail_has_loc(&r, bad[i][1]), "expected loc %s: %s", bad[i][1],
                      r.body);
        harness_resp_free(&r);
    }
    vehicles_users_expect(&D, other, "GET", "/api/v1/auth/me", NULL, 200);
    cases_call(&D, keep, "POST", PASSWORD,
               "{\"current_password\": \"first-password\", \"new_password\": \"second-password\"}",
               204, &r);
    ck_assert_msg(r.body_len == 0, "expected no body on 204");
    harness_resp_free(&r);
    vehicles_users_expect(&D, keep, "GET", "/api/v1/auth/me", NULL, 200);
    vehicles_users_within_100ms(&D, other, "/api/v1/auth/me", 401, "the other token refused");
    vehicles_users_within_100ms(&B, other, "/api/v1/auth/me", 401, "the other token refused by B");
    vehicles_users_expect(&B, keep, "GET", "/api/v1/auth/me", NULL, 200);
    vehicles_users_expect(&D, NULL, "POST", "/api/v1/auth/login",
                          "{\"email\": \"changer@acme.example\", \"password\": \"first-password\"}",
                          401);
    free(vehicles_users_login(&D, "changer@acme.example", "second-password"));
    vehicles_users_expect(&D, NULL, "POST", PASSWORD,
                          "{\"current_password\": \"x\", \"new_password\": \"y\"}", 401);
    free(keep);
    free(other);
}
END_TEST

void users_add_tests(TCase *tc)
{
    tcase_add_test(tc, users_list);
    tcase_add_test(tc, users_create);
    tcase_add_test(tc, users_create_refused);
    tcase_add_test(tc, users_update);
    tcase_add_test(tc, user_rename_moves_quota_performance);
    tcase_add_test(tc, users_update_guards);
    tcase_add_test(tc, users_deactivate_revokes_tokens);
    tcase_add_test(tc, users_role_change_applies_at_once);
    tcase_add_test(tc, password_change);
}

/* Integration tests of auth: login, me, logout, API tokens, expiry, revocation, throttling. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define ADMIN "admin@acme.test"
#define ADMIN_PW "admin-password-1"
#define REP "rep@acme.test"
#define REP_PW "rep-password-01"
#define CRYPT6 "crypt6@acme.test"
#define THROTTLED "throttle@acme.test"
#define THROTTLED_PW "throttle-pass-1"

static struct harness_daemon D;

static void daemon_up(void)
{
    harness_daemon_start(&D, harness_db(), NULL);
}

static void daemon_down(void)
{
    harness_daemon_stop_clean(&D);
}

/* ---------------------------------------------------------------- helpers */

static char *login_body(const char *email, const char *password)
{
    char *s = NULL;
    ck_assert_int_ge(asprintf(&s, "{\"email\":\"%s\",\"password\":\"%s\"}", email, password), 0);
    return s;
}

static long login(const struct harness_daemon *d, const char *email, const char *password,
                  struct harness_resp *r)
{
    char *body = login_body(email, password);
    long st = harness_send(d, "POST", "/api/v1/auth/login", NULL, body, r);
    free(body);
    return st;
}

/* Logs in and returns the access token (malloc'd). */
static char *login_token(const struct harness_daemon *d, const char *email, const char *password)
{
    struct harness_resp r;
    long st = login(d, email, password, &r);
    ck_assert_msg(st == 200, "expected login of %s to answer 200, got %ld: %s", email, st, r.body);
    char *tok = strdup(harness_jstr(harness_json(&r), "access_token"));
    harness_resp_free(&r);
    return tok;
}

static bool token_shaped(const char *t)
{
    return t && !strncmp(t, "oq_", 3) && strlen(t) == 46 &&
           strspn(t + 3, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == 43;
}

static bool uuid_shaped(const char *s)
{
    return s && strlen(s) == 36 && strspn(s, "0123456789abcdef-") == 36 && s[8] == '-' &&
           s[13] == '-' && s[18] == '-' && s[23] == '-';
}

/* Asserts r is the 401 of api.md for what. */
static void expect_401(struct harness_resp *r, long st, const char *what)
{
    ck_assert_msg(st == 401, "expected 401 for %s, got %ld: %s", what, st, r->body);
    ck_assert_msg(harness_detail_is(r, "Not authenticated"),
                  "expected {\"detail\":\"Not authenticated\"} for %s, got %s", what, r->body);
    const char *w = harness_header(r, "WWW-Authenticate");
    ck_assert_msg(w && !strcmp(w, "Bearer"), "expected WWW-Authenticate: Bearer for %s, got %s",
                  what, w);
}

static long me(const struct harness_daemon *d, const char *token, struct harness_resp *r)
{
    return harness_get(d, "/api/v1/auth/me", token, r);
}

static void expect_user_object(const cJSON *u, const char *email, const char *role)
{
    ck_assert_msg(cJSON_IsObject(u), "expected a user object");
    ck_assert_msg(uuid_shaped(harness_jstr(u, "id")) && uuid_shaped(harness_jstr(u, "tenant_id")),
                  "expected user id and tenant_id UUIDs");
    ck_assert_msg(harness_jstr(u, "email") && !strcmp(harness_jstr(u, "email"), email),
                  "expected user.email %s", email);
    ck_assert_msg(harness_jstr(u, "full_name"), "expected user.full_name");
    ck_assert_msg(harness_jstr(u, "role") && !strcmp(harness_jstr(u, "role"), role),
                  "expected role %s", role);
    ck_assert_msg(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(u, "is_active")),
                  "expected is_active true");
    ck_assert_msg(cJSON_GetArraySize(u) == 6,
                  "expected exactly id, tenant_id, email, full_name, role, is_active");
    ck_assert_msg(!cJSON_GetObjectItemCaseSensitive(u, "hashed_password"),
                  "expected no hashed_password in the user object");
}

/* ---------------------------------------------------------------- login, me, logout */

START_TEST(login_shape)
{
    struct harness_resp r;
    ck_assert_int_eq(login(&D, ADMIN, ADMIN_PW, &r), 200);
    cJSON *j = harness_json(&r);
    ck_assert_msg(token_shaped(harness_jstr(j, "access_token")),
                  "expected access_token oq_ + 43 base64url characters, got %s",
                  harness_jstr(j, "access_token"));
    ck_assert_msg(harness_jstr(j, "token_type") && !strcmp(harness_jstr(j, "token_type"), "bearer"),
                  "expected token_type bearer");
    ck_assert_msg(harness_is_rfc3339z(harness_jstr(j, "expires_at")),
                  "expected expires_at RFC 3339 Z");
    expect_user_object(cJSON_GetObjectItemCaseSensitive(j, "user"), ADMIN, "admin");
    ck_assert_msg(!strstr(r.body, "hashed_password") && !strstr(r.body, "$y$"),
                  "expected no password hash anywhere in the login answer");
    const char *cc = harness_header(&r, "Cache-Control");
    ck_assert_msg(cc && strstr(cc, "no-store"), "expected Cache-Control: no-store on login, got %s",
                  cc);
    harness_resp_free(&r);
}
END_TEST

START_TEST(login_failures_alike)
{
    struct harness_resp wrong, unknown;
    ck_assert_int_eq(login(&D, ADMIN, "not-the-password", &wrong), 401);
    ck_assert_int_eq(login(&D, "nobody@acme.test", "not-the-password", &unknown), 401);
    const char *a = harness_jstr(harness_json(&wrong), "detail"),
               *b = harness_jstr(harness_json(&unknown), "detail");
    ck_assert_msg(a && b && !strcmp(a, b),
                  "expected the same detail for a wrong password and an unknown email, got "
                  "'%s' and '%s'",
                  a, b);
    /* The unknown email is checked against a dummy hash: about the same cost. */
    ck_assert_msg(unknown.ms > 0.3 * wrong.ms,
                  "expected an unknown email to cost about as much as a wrong password "
                  "(%.1f ms vs %.1f ms)",
                  unknown.ms, wrong.ms);
    harness_resp_free(&wrong);
    harness_resp_free(&unknown);
}
END_TEST

START_TEST(me_and_query_count)
{
    char *tok = login_token(&D, ADMIN, ADMIN_PW);
    struct harness_resp r;
    ck_assert_int_eq(me(&D, tok, &r), 200);
    expect_user_object(harness_json(&r), ADMIN, "admin");
    int cold = harness_server_timing_queries(&r);
    ck_assert_msg(cold >= 1 && cold <= 2, "expected a cold /me to cost 1-2 queries, got %d", cold);
    harness_resp_free(&r);
    for (int i = 0; i < 2; i++) {
        ck_assert_int_eq(me(&D, tok, &r), 200);
        ck_assert_msg(harness_server_timing_queries(&r) == 1,
                      "expected a warm /me to cost exactly 1 query (the token check 0), got %s",
                      harness_header(&r, "Server-Timing"));
        harness_resp_free(&r);
    }
    free(tok);
}
END_TEST

static const char *const bad_auth[] = {
    NULL, /* no Authorization header */
    "Authorization: Bearer",
    "Authorization: Bearer ",
    "Authorization: Basic YWRtaW46cGFzcw==",
    "Authorization: Bearer oq_short",
    "Authorization: Bearer xx_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    "Authorization: Bearer oq_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", /* unknown */
    "Authorization: Bearer oq_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA!",
};

START_TEST(bad_tokens)
{
    struct harness_resp r;
    const char *hdr[] = {bad_auth[_i], NULL};
    long st = harness_http(&D, "GET", "/api/v1/auth/me", hdr, NULL, &r);
    expect_401(&r, st, bad_auth[_i] ? bad_auth[_i] : "no Authorization header");
    harness_resp_free(&r);
}
END_TEST

START_TEST(logout_revokes)
{
    char *tok = login_token(&D, ADMIN, ADMIN_PW);
    char auth[128];
    struct harness_resp r;
    ck_assert_int_eq(me(&D, tok, &r), 200);
    harness_resp_free(&r);
    /* A body-less POST is accepted whatever Content-Type it carries. */
    const char *hdr[] = {harness_bearer(auth, sizeof auth, tok), "Content-Type: text/plain", NULL};
    long st = harness_http(&D, "POST", "/api/v1/auth/logout", hdr, NULL, &r);
    ck_assert_msg(st == 204 && r.body_len == 0, "expected logout 204 with no body, got %ld: %s", st,
                  r.body);
    harness_resp_free(&r);
    expect_401(&r, me(&D, tok, &r), "a logged-out token");
    harness_resp_free(&r);
    expect_401(&r, harness_send(&D, "POST", "/api/v1/auth/logout", tok, NULL, &r),
               "a second logout");
    harness_resp_free(&r);
    free(tok);
}
END_TEST

/* ---------------------------------------------------------------- API tokens */

/* Creates an API token; returns its secret (malloc'd) and copies its id. */
static char *create_token(const char *bearer, const char *body, char id[40])
{
    struct harness_resp r;
    long st = harness_send(&D, "POST", "/api/v1/auth/tokens", bearer, body, &r);
    ck_assert_msg(st == 201, "expected token create 201, got %ld: %s", st, r.body);
    cJSON *j = harness_json(&r);
    ck_assert_msg(uuid_shaped(harness_jstr(j, "id")), "expected an id UUID: %s", r.body);
    ck_assert_msg(token_shaped(harness_jstr(j, "token")), "expected token oq_ + 43: %s", r.body);
    snprintf(id, 40, "%s", harness_jstr(j, "id"));
    char loc[96];
    snprintf(loc, sizeof loc, "/api/v1/auth/tokens/%s", id);
    const char *l = harness_header(&r, "Location");
    ck_assert_msg(l && !strcmp(l, loc), "expected Location %s, got %s", loc, l);
    const char *cc = harness_header(&r, "Cache-Control");
    ck_assert_msg(cc && strstr(cc, "no-store"), "expected Cache-Control no-store, got %s", cc);
    char *secret = strdup(harness_jstr(j, "token"));
    harness_resp_free(&r);
    return secret;
}

START_TEST(tokens_create_list_revoke)
{
    char *session = login_token(&D, ADMIN, ADMIN_PW), id[40], id2[40], path[96];
    struct harness_resp r;
    char *ci = create_token(session, "{\"name\":\"ci\",\"expires_in_days\":90}", id);
    char *forever = create_token(session, "{\"name\":\"forever\"}", id2);
    ck_assert_int_eq(me(&D, ci, &r), 200);
    harness_resp_free(&r);

    ck_assert_int_eq(harness_get(&D, "/api/v1/auth/tokens", session, &r), 200);
    cJSON *j = harness_json(&r), *items = cJSON_GetObjectItemCaseSensitive(j, "items"), *it;
    ck_assert_msg(cJSON_IsArray(items), "expected items: %s", r.body);
    bool seen = false;
    cJSON_ArrayForEach(it, items)
    {
        seen = seen || !strcmp(harness_jstr(it, "id"), id);
        ck_assert_msg(!cJSON_GetObjectItemCaseSensitive(it, "token") &&
                          !cJSON_GetObjectItemCaseSensitive(it, "token_hash"),
                      "expected no secret in the token list");
    }
    ck_assert_msg(seen, "expected the new token %s in the list: %s", id, r.body);
    ck_assert_msg(!strstr(r.body, "oq_"), "expected no token secret in the list: %s", r.body);
    static const char *const pagef[] = {"total", "page", "page_size", "pages"};
    for (size_t i = 0; i < 4; i++)
        ck_assert_msg(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(j, pagef[i])),
                      "expected pagination field %s: %s", pagef[i], r.body);
    int total = (int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(j, "total"));
    ck_assert_msg(total >= 3, "expected at least the session and two API tokens, total %d", total);
    harness_resp_free(&r);
    ck_assert_int_eq(harness_get(&D, "/api/v1/auth/tokens?page_size=1&page=2", session, &r), 200);
    j = harness_json(&r);
    ck_assert_msg(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j, "items")) == 1 &&
                      cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(j, "pages")) == total,
                  "expected page 2 of size 1 to hold one item and pages == total: %s", r.body);
    harness_resp_free(&r);

    snprintf(path, sizeof path, "/api/v1/auth/tokens/%s", id);
    long st = harness_send(&D, "DELETE", path, session, NULL, &r);
    ck_assert_msg(st == 204, "expected revoke 204, got %ld: %s", st, r.body);
    harness_resp_free(&r);
    expect_401(&r, me(&D, ci, &r), "a revoked API token");
    harness_resp_free(&r);
    ck_assert_msg(harness_send(&D, "DELETE", path, session, NULL, &r) == 404,
                  "expected a second revoke to answer 404");
    harness_resp_free(&r);
    ck_assert_msg(harness_send(&D, "DELETE",
                               "/api/v1/auth/tokens/3f2c4b1e-0000-4000-8000-000000000000", session,
                               NULL, &r) == 404,
                  "expected an unknown token id to answer 404");
    harness_resp_free(&r);
    ck_assert_int_eq(me(&D, forever, &r), 200);
    harness_resp_free(&r);
    free(ci);
    free(forever);
    free(session);
}
END_TEST

START_TEST(other_users_token_is_404)
{
    char *admin = login_token(&D, ADMIN, ADMIN_PW), *rep = login_token(&D, REP, REP_PW), id[40];
    char *rep_api = create_token(rep, "{\"name\":\"reps\"}", id), path[96];
    struct harness_resp r;
    snprintf(path, sizeof path, "/api/v1/auth/tokens/%s", id);
    long st = harness_send(&D, "DELETE", path, admin, NULL, &r);
    ck_assert_msg(st == 404, "expected revoking another user's token to answer 404, got %ld", st);
    harness_resp_free(&r);
    ck_assert_msg(me(&D, rep_api, &r) == 200, "expected the other user's token to still work");
    harness_resp_free(&r);
    free(admin);
    free(rep);
    free(rep_api);
}
END_TEST

/* ---------------------------------------------------------------- expiry and revocation */

static char *cli_token_expiring(const char *name, const char *interval)
{
    char *tok = harness_token_create(harness_db(), ADMIN, name, 1), sql[256];
    ck_assert_msg(tok, "expected onquotad token create to succeed");
    snprintf(sql, sizeof sql,
             "UPDATE auth_tokens SET expires_at = now() + interval '%s' WHERE name = '%s'",
             interval, name);
    ck_assert_int_eq(harness_psql(harness_db(), sql), 0);
    return tok;
}

START_TEST(expired_token_refused)
{
    char *tok = cli_token_expiring("expired-before-use", "-1 second");
    struct harness_resp r;
    expect_401(&r, me(&D, tok, &r), "an expired token");
    harness_resp_free(&r);
    free(tok);
}
END_TEST

START_TEST(expiry_applies_to_cached_token)
{
    char *tok = cli_token_expiring("expires-while-cached", "2 seconds");
    double t0 = harness_now_ms();
    struct harness_resp r;
    for (int i = 0; i < 2; i++) {
        ck_assert_msg(me(&D, tok, &r) == 200, "expected the token to work before it expires");
        harness_resp_free(&r);
    }
    harness_sleep_ms((int)(2300 - (harness_now_ms() - t0)));
    expect_401(&r, me(&D, tok, &r), "a cached token past its expiry");
    harness_resp_free(&r);
    free(tok);
}
END_TEST

/* Revoking through instance D (by logout or by id) is seen by instance B,
 * which had the token warm in its cache, within 100 ms. */
START_TEST(revocation_reaches_other_instance)
{
    struct harness_daemon b;
    harness_daemon_start(&b, harness_db(), NULL);
    char *session = login_token(&D, ADMIN, ADMIN_PW), id[40] = "", path[96];
    char *tok = _i == 0 ? strdup(session) : create_token(session, "{\"name\":\"spread\"}", id);
    struct harness_resp r;
    for (int i = 0; i < 2; i++) {
        ck_assert_int_eq(me(&b, tok, &r), 200);
        harness_resp_free(&r);
    }
    ck_assert_msg((me(&b, tok, &r), harness_server_timing_queries(&r)) == 1,
                  "expected the token warm on the second instance");
    harness_resp_free(&r);
    snprintf(path, sizeof path, "/api/v1/auth/tokens/%s", id);
    long st = _i == 0 ? harness_send(&D, "POST", "/api/v1/auth/logout", tok, NULL, &r)
                      : harness_send(&D, "DELETE", path, session, NULL, &r);
    ck_assert_msg(st == 204, "expected the revocation to answer 204, got %ld", st);
    harness_resp_free(&r);
    double t0 = harness_now_ms(), waited;
    for (;;) {
        st = me(&b, tok, &r);
        harness_resp_free(&r);
        waited = harness_now_ms() - t0;
        if (st == 401 || waited > 1000)
            break;
        harness_sleep_ms(5);
    }
    ck_assert_msg(st == 401 && waited <= 100,
                  "expected the second instance to refuse the revoked token within 100 ms, got "
                  "%ld after %.0f ms",
                  st, waited);
    harness_daemon_stop_clean(&b);
    free(tok);
    free(session);
}
END_TEST

/* ---------------------------------------------------------------- hashes and throttling */

START_TEST(sha512_crypt_hash_verifies)
{
    struct harness_resp r;
    long st = login(&D, CRYPT6, "secret-pass", &r);
    ck_assert_msg(st == 200, "expected a $6$ (SHA-512-crypt) hash to verify, got %ld: %s", st,
                  r.body);
    harness_resp_free(&r);
    ck_assert_msg(login(&D, CRYPT6, "secret-pasS", &r) == 401,
                  "expected a wrong password against a $6$ hash to answer 401");
    harness_resp_free(&r);
}
END_TEST

START_TEST(login_throttled)
{
    struct harness_resp r;
    for (int i = 0; i < 10; i++) {
        long st = login(&D, THROTTLED, "wrong-password", &r);
        ck_assert_msg(st == 401, "expected failed login %d to answer 401, got %ld", i + 1, st);
        harness_resp_free(&r);
    }
    long st = login(&D, THROTTLED, THROTTLED_PW, &r);
    const char *ra = harness_header(&r, "Retry-After");
    ck_assert_msg(st == 429, "expected the 11th login (right password) to answer 429, got %ld", st);
    ck_assert_msg(ra && atoi(ra) > 0, "expected Retry-After in seconds, got %s", ra);
    ck_assert_msg(harness_detail_is(&r, NULL), "expected a JSON detail on 429: %s", r.body);
    harness_resp_free(&r);
    ck_assert_msg(login(&D, ADMIN, ADMIN_PW, &r) == 200,
                  "expected another email from the same address to log in");
    harness_resp_free(&r);
}
END_TEST

/* ---------------------------------------------------------------- main */

static int setup(const char *db)
{
    char *ids[3] = {harness_user_add(db, "Acme", ADMIN, "admin", ADMIN_PW),
                    harness_user_add(db, "Acme", REP, "sales_rep", REP_PW),
                    harness_user_add(db, "Acme", THROTTLED, "analyst", THROTTLED_PW)};
    int rc = ids[0] && ids[1] && ids[2] ? 0 : -1;
    char *hash = NULL;
    if (rc == 0 &&
        harness_run((const char *const[]){"openssl", "passwd", "-6", "-salt", "abcdefgh",
                                          "secret-pass", NULL},
                    NULL, NULL, &hash, NULL) == 0 &&
        !strncmp(hash, "$6$abcdefgh$", 12)) {
        hash[strcspn(hash, "\r\n")] = '\0';
        char *sql = NULL;
        if (asprintf(&sql,
                     "INSERT INTO users (tenant_id, email, hashed_password, full_name, role)"
                     " SELECT tenant_id, '%s', '%s', 'Legacy Hash', 'analyst' FROM users"
                     " WHERE email = '%s'",
                     CRYPT6, hash, ADMIN) < 0 ||
            harness_psql(db, sql) != 0)
            rc = -1;
        free(sql);
    } else {
        fprintf(stderr, "openssl passwd -6 failed: %s\n", hash ? hash : "");
        rc = -1;
    }
    free(hash);
    for (int i = 0; i < 3; i++)
        free(ids[i]);
    return rc;
}

int main(void)
{
    Suite *s = suite_create("auth");
    TCase *tc = harness_tcase(s, "auth");
    tcase_add_checked_fixture(tc, daemon_up, daemon_down);
    tcase_add_test(tc, login_shape);
    tcase_add_test(tc, login_failures_alike);
    tcase_add_test(tc, me_and_query_count);
    tcase_add_loop_test(tc, bad_tokens, 0, sizeof bad_auth / sizeof bad_auth[0]);
    tcase_add_test(tc, logout_revokes);
    tcase_add_test(tc, tokens_create_list_revoke);
    tcase_add_test(tc, other_users_token_is_404);
    tcase_add_test(tc, expired_token_refused);
    tcase_add_test(tc, expiry_applies_to_cached_token);
    tcase_add_loop_test(tc, revocation_reaches_other_instance, 0, 2);
    tcase_add_test(tc, sha512_crypt_hash_verifies);
    tcase_add_test(tc, login_throttled);
    return harness_main(s, "it_auth", setup);
}

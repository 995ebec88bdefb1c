/* Authentication routes: login, logout, me, and the caller's API tokens. */
#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "api/body.h"
#include "api/params.h"
#include "password.h"
#include "store/pool.h"
#include "auth/ratelimit.h"
#include "routes/routes.h"
#include "auth/throttle.h"
#include "timeutil.h"
#include "token.h"
#include "xalloc.h"

#define TS(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

enum {
    Q_USER_BY_EMAIL,
    Q_USER_BY_ID,
    Q_LAST_LOGIN,
    Q_REVOKE_HASH,
    Q_REVOKE_ID,
    Q_TOKEN_LIST,
};

const struct sql_stmt auth_route_sql[] = {
    [Q_USER_BY_EMAIL] = {"auth_user_by_email",
                         "SELECT u.id, u.tenant_id, u.email, u.full_name, u.role::text,"
                         " u.is_active AND n.is_active AND NOT n.is_deleted, u.hashed_password"
                         " FROM users u JOIN tenants n ON n.id = u.tenant_id"
                         " WHERE lower(u.email) = lower($1) AND NOT u.is_deleted"},
    [Q_USER_BY_ID] = {"auth_user_by_id",
                      "SELECT u.id, u.tenant_id, u.email, u.full_name, u.role::text, u.is_active"
                      " FROM users u WHERE u.id = $1 AND u.tenant_id = $2 AND NOT u.is_deleted"},
    [Q_LAST_LOGIN] = {"auth_last_login", "UPDATE users SET last_login = now() WHERE id = $1"},
    [Q_REVOKE_HASH] = {"auth_revoke_hash",
                       "UPDATE auth_tokens SET revoked_at = now(), updated_at = now()"
                       " WHERE token_hash = $1::bytea AND tenant_id = $2 AND revoked_at IS NULL"},
    [Q_REVOKE_ID] = {"auth_revoke_id",
                     "UPDATE auth_tokens SET revoked_at = now(), updated_at = now()"
                     " WHERE id = $1 AND user_id = $2 AND tenant_id = $3 AND revoked_at IS NULL"
                     " RETURNING encode(token_hash, 'hex')"},
    [Q_TOKEN_LIST] =
        {"auth_token_list",
         "WITH base AS (SELECT id, name, kind::text AS kind, created_at, expires_at,"
         " last_used_at FROM auth_tokens WHERE user_id = $1 AND tenant_id = $2"
         " AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now()))"
         " SELECT json_build_object('total', (SELECT count(*) FROM base),"
         " 'items', coalesce((SELECT json_agg(json_build_object('id', p.id, 'name',"
         " p.name, 'kind', p.kind, 'created_at', " TS(
             "p.created_at") ","
                             " 'expires_at', " TS("p.expires_at") ", 'last_used_at', " TS(
                                 "p.last_used_at") ") ORDER BY p.created_at DESC, p.id DESC)"
                                                   " FROM (SELECT * FROM base ORDER BY created_at "
                                                   "DESC, id DESC"
                                                   " LIMIT $3 OFFSET $4) p), '[]'::json))::text"},
    {NULL, NULL},
};

/* The user object of api.md from a row (id, tenant_id, email, full_name,
 * role, is_active) of res. */
static cJSON *user_json(PGresult *res)
{
    cJSON *u = cJSON_CreateObject();
    cJSON_AddStringToObject(u, "id", PQgetvalue(res, 0, 0));
    cJSON_AddStringToObject(u, "tenant_id", PQgetvalue(res, 0, 1));
    cJSON_AddStringToObject(u, "email", PQgetvalue(res, 0, 2));
    cJSON_AddStringToObject(u, "full_name", PQgetvalue(res, 0, 3));
    cJSON_AddStringToObject(u, "role", PQgetvalue(res, 0, 4));
    cJSON_AddBoolToObject(u, "is_active", PQgetvalue(res, 0, 5)[0] == 't');
    return u;
}

/* ---------------------------------------------------------------- login */

static const struct field login_fields[] = {
    {.name = "email", .type = F_STRING, .required = true, .nullable = false, .min = 1, .max = 255},
    {.name = "password",
     .type = F_STRING,
     .required = true,
     .nullable = false,
     .min = 1,
     .max = 1024},
    {.name = NULL},
};

static bool login_check(struct ctx *c, struct verr *v)
{
    return body_validate(c, login_fields, v);
}

static bool throttled(struct ctx *c, const char *email_key, const char *addr_key)
{
    int per_email = 10, per_addr = 30, retry = 0;
    if (c->cfg->login_throttle)
        sscanf(c->cfg->login_throttle, "%d/%d", &per_email, &per_addr);
    if (!throttle_blocked(c->redis, email_key, per_email, &retry) &&
        !throttle_blocked(c->redis, addr_key, per_addr, &retry))
        return false;
    ratelimit_refuse(c, retry, "Too many failed login attempts; try again later");
    return true;
}

static void login(struct ctx *c)
{
    struct verr v;
    verr_init(&v);
    if (!login_check(c, &v)) {
        verr_respond(&v, c);
        verr_free(&v);
        return;
    }
    verr_free(&v);
    const char *email = body_str(c, "email"), *password = body_str(c, "password");
    char *email_key = xasprintf("email:%s", email), *addr_key = xasprintf("addr:%s", c->peer);
    for (char *p = email_key; *p; p++)
        *p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
    PGresult *res = NULL;
    if (throttled(c, email_key, addr_key))
        goto out;

    const char *p1[] = {email};
    enum db_status st = db_exec(c->db, &auth_route_sql[Q_USER_BY_EMAIL], 1, p1, &res);
    if (st != DB_OK) {
        resp_db_error(c, st);
        goto out;
    }
    bool found = PQntuples(res) == 1;
    /* Verify against a dummy hash for an unknown email, so that both
     * failures cost the same time. */
    bool ok = password_verify(password, found ? PQgetvalue(res, 0, 6) : password_dummy_hash());
    ok = ok && found && PQgetvalue(res, 0, 5)[0] == 't';
    if (!ok) {
        throttle_fail(c->redis, email_key);
        throttle_fail(c->redis, addr_key);
        resp_header(c, "WWW-Authenticate", "Bearer");
        resp_error(c, 401, "Incorrect email or password");
        goto out;
    }
    char token[TOKEN_LEN + 1], id[UUID_STR_LEN + 1], expires[RFC3339_MAX];
    st = auth_token_issue(c->db, PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 0), "session", "session",
                          (int64_t)c->cfg->session_ttl_hours * 3600, token, id, expires);
    const char *p2[] = {PQgetvalue(res, 0, 0)};
    if (st == DB_OK)
        st = db_exec(c->db, &auth_route_sql[Q_LAST_LOGIN], 1, p2, NULL);
    if (st != DB_OK) {
        resp_db_error(c, st);
        goto out;
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "access_token", token);
    cJSON_AddStringToObject(o, "token_type", "bearer");
    cJSON_AddStringToObject(o, "expires_at", expires);
    cJSON_AddItemToObject(o, "user", user_json(res));
    resp_json(c, 200, o);
out:
    PQclear(res);
    free(email_key);
    free(addr_key);
}

/* ---------------------------------------------------------------- me, logout */

static void me(struct ctx *c)
{
    const char *p[] = {c->user_id, c->tenant_id};
    PGresult *res = NULL;
    enum db_status st = db_exec(c->db, &auth_route_sql[Q_USER_BY_ID], 2, p, &res);
    if (st != DB_OK) {
        resp_db_error(c, st);
        return;
    }
    if (PQntuples(res) == 1)
        resp_json(c, 200, user_json(res));
    else
        resp_error(c, 404, "Not Found");
    PQclear(res);
}

static void logout(struct ctx *c)
{
    char hex[65], param[2 + 65] = "\\x";
    auth_request_token_hash(c, hex);
    memcpy(param + 2, hex, 65);
    const char *p[] = {param, c->tenant_id};
    enum db_status st = db_exec(c->db, &auth_route_sql[Q_REVOKE_HASH], 2, p, NULL);
    if (st != DB_OK) {
        resp_db_error(c, st);
        return;
    }
    auth_revoke_cached(&(struct worker){.db = c->db, .redis = c->redis}, hex);
    resp_empty(c, 204);
}

/* ---------------------------------------------------------------- tokens */

static const struct field token_fields[] = {
    {.name = "name", .type = F_STRING, .required = true, .nullable = false, .min = 1, .max = 100},
    {.name = "expires_in_days",
     .type = F_INT,
     .required = false,
     .nullable = true,
     .min = 1,
     .max = 3650},
    {.name = NULL},
};

/* A token needs a body (its name is required). */
static void token_check(struct ctx *c, struct verr *v)
{
    bool valid = body_validate(c, token_fields, v);
    if (!c->json && valid)
        verr_add(v, "body", "field required", "value_error.missing");
}

static void token_create(struct ctx *c)
{
    struct verr v;
    verr_init(&v);
    token_check(c, &v);
    if (verr_respond(&v, c)) {
        verr_free(&v);
        return;
    }
    verr_free(&v);
    char token[TOKEN_LEN + 1], id[UUID_STR_LEN + 1], expires[RFC3339_MAX];
    long days = body_int(c, "expires_in_days", 0);
    enum db_status st = auth_token_issue(c->db, c->tenant_id, c->user_id, body_str(c, "name"),
                                         "api", (int64_t)days * 86400, token, id, expires);
    if (st != DB_OK) {
        resp_db_error(c, st);
        return;
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", id);
    cJSON_AddStringToObject(o, "name", body_str(c, "name"));
    cJSON_AddStringToObject(o, "token", token);
    if (expires[0])
        cJSON_AddStringToObject(o, "expires_at", expires);
    else
        cJSON_AddNullToObject(o, "expires_at");
    resp_json(c, 201, o);
    char loc[80];
    snprintf(loc, sizeof loc, "/api/v1/auth/tokens/%s", id);
    resp_header(c, "Location", loc);
}

static void token_list_check(struct ctx *c, long *page, long *size, struct verr *v)
{
    static const char *const allowed[] = {"page", "page_size", NULL};
    params_known(c, allowed, v);
    params_page(c, page, size, v);
}

static void token_list(struct ctx *c)
{
    struct verr v;
    verr_init(&v);
    long page, size;
    token_list_check(c, &page, &size, &v);
    if (verr_respond(&v, c)) {
        verr_free(&v);
        return;
    }
    verr_free(&v);
    char lim[24], off[24];
    snprintf(lim, sizeof lim, "%ld", size);
    snprintf(off, sizeof off, "%ld", (page - 1) * size);
    const char *p[] = {c->user_id, c->tenant_id, lim, off};
    PGresult *res = NULL;
    enum db_status st = db_exec(c->db, &auth_route_sql[Q_TOKEN_LIST], 4, p, &res);
    if (st != DB_OK) {
        resp_db_error(c, st);
        return;
    }
    cJSON *o = cJSON_Parse(PQgetvalue(res, 0, 0));
    PQclear(res);
    long total = (long)cJSON_GetNumberValue(cJSON_GetObjectItem(o, "total"));
    cJSON_AddNumberToObject(o, "page", (double)page);
    cJSON_AddNumberToObject(o, "page_size", (double)size);
    cJSON_AddNumberToObject(o, "pages", (double)((total + size - 1) / size));
    resp_json(c, 200, o);
}

static void token_revoke(struct ctx *c)
{
    const char *p[] = {c->params[0], c->user_id, c->tenant_id};
    PGresult *res = NULL;
    enum db_status st = db_exec(c->db, &auth_route_sql[Q_REVOKE_ID], 3, p, &res);
    if (st != DB_OK) {
        resp_db_error(c, st);
        return;
    }
    if (PQntuples(res) == 1) {
        auth_revoke_cached(&(struct worker){.db = c->db, .redis = c->redis}, PQgetvalue(res, 0, 0));
        resp_empty(c, 204);
    } else {
        resp_error(c, 404, "Not Found");
    }
    PQclear(res);
}

/* ---------------------------------------------------------------- checks */

static void check_login(struct ctx *c, struct verr *v)
{
    login_check(c, v);
}

static void check_token_list(struct ctx *c, struct verr *v)
{
    long page, size;
    token_list_check(c, &page, &size, v);
}

const struct route_check auth_checks[] = {
    {.name = "auth.login", .body = true, .run = check_login},
    {.name = "auth.token_create", .body = true, .run = token_check},
    {.name = "auth.token_list", .run = check_token_list},
    {.name = NULL},
};

const struct route auth_routes[] = {
    ROUTE(EVHTTP_REQ_POST, "/api/v1/auth/login", ROLES_PUBLIC, CACHE_NONE,
          ROUTE_BODY | ROUTE_SECRET, login),
    ROUTE(EVHTTP_REQ_POST, "/api/v1/auth/logout", ROLES_ALL, CACHE_NONE, 0, logout),
    ROUTE(EVHTTP_REQ_GET, "/api/v1/auth/me", ROLES_ALL, CACHE_NONE, 0, me),
    ROUTE(EVHTTP_REQ_POST, "/api/v1/auth/tokens", ROLES_ALL, CACHE_NONE, ROUTE_BODY | ROUTE_SECRET,
          token_create),
    ROUTE(EVHTTP_REQ_GET, "/api/v1/auth/tokens", ROLES_ALL, CACHE_NONE, 0, token_list),
    ROUTE(EVHTTP_REQ_DELETE, "/api/v1/auth/tokens/{id}", ROLES_ALL, CACHE_NONE, 0, token_revoke),
    ROUTE_END,
};

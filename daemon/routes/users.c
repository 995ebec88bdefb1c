/* User routes: list, create and change users (deactivation revokes tokens); own password change. */
#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "api/body.h"
#include "password.h"
#include "store/pool.h"
#include "routes/routes.h"
#include "routes/rowwrite.h"
#include "auth/throttle.h"
#include "xalloc.h"

/* The user object of the users list from a row aliased u. */
#define USER_JSON                                                                                  \
    "json_build_object('id', u.id, 'email', u.email, 'full_name', u.full_name, 'role', u.role,"    \
    " 'is_active', u.is_active, 'last_login', " ROWWRITE_TS("u.last_login") ")"

enum {
    Q_LIST,
    Q_GET,
    Q_CREATE,
    Q_LOCK,
    Q_UPDATE,
    Q_REVOKE,
    Q_LIVE,
    Q_HASH,
    Q_SET_PASSWORD,
};

const struct sql_stmt users_sql[] = {
    /* $1 tenant, $2 role, $3 is_active, $4 search, $5 sort, $6 limit, $7 offset. */
    [Q_LIST] =
        {"users_list",
         "WITH base AS (SELECT * FROM users u WHERE u.tenant_id = $1 AND NOT u.is_deleted"
         " AND ($2::user_role IS NULL OR u.role = $2::user_role)"
         " AND ($3::boolean IS NULL OR u.is_active = $3::boolean)"
         " AND ($4::text IS NULL OR strpos(lower(u.full_name), lower($4)) > 0"
         " OR strpos(lower(u.email), lower($4)) > 0)),"
         " page AS (SELECT base.*, row_number() OVER (ORDER BY"
         " CASE WHEN $5 = 'full_name' THEN full_name END ASC,"
         " CASE WHEN $5 = '-full_name' THEN full_name END DESC,"
         " CASE WHEN $5 = 'email' THEN email END ASC, CASE WHEN $5 = '-email' THEN email END DESC,"
         " CASE WHEN $5 = 'role' THEN role END ASC, CASE WHEN $5 = '-role' THEN role END DESC,"
         " CASE WHEN $5 = 'last_login' THEN last_login END ASC,"
         " CASE WHEN $5 = '-last_login' THEN last_login END DESC,"
         " CASE WHEN $5 = 'created_at' THEN created_at END ASC,"
         " CASE WHEN $5 = '-created_at' THEN created_at END DESC, id) AS rn"
         " FROM base ORDER BY rn LIMIT $6 OFFSET $7)"
         " SELECT json_build_object('total', (SELECT count(*) FROM base), 'items',"
         " coalesce((SELECT json_agg(" USER_JSON
         " ORDER BY u.rn) FROM page u), '[]'::json))::text"},
    [Q_GET] = {"users_get", "SELECT " USER_JSON " FROM users u"
                            " WHERE u.id = $1 AND u.tenant_id = $2 AND NOT u.is_deleted"},
    /* $1 tenant, $2 email, $3 password hash, $4 full_name, $5 role. Emails
     * are unique across tenants and compared without case: an address that
     * differs from a stored one only in case is inserted as the stored
     * spelling, so that the unique index refuses it (409) like an exact
     * duplicate, race-free. */
    [Q_CREATE] = {"users_create",
                  "INSERT INTO users AS u (tenant_id, email, hashed_password, full_name, role)"
                  " VALUES ($1, coalesce((SELECT email FROM users WHERE lower(email) = lower($2)"
                  " LIMIT 1), lower($2)), $3, $4, $5::user_role) RETURNING " USER_JSON},
    [Q_LOCK] = {"users_lock", "SELECT role::text FROM users WHERE id = $1 AND tenant_id = $2"
                              " AND NOT is_deleted FOR UPDATE"},
    /* $1 id, $2 tenant, $3 the validated body (any of full_name, role,
     * is_active; the others keep their values). */
    [Q_UPDATE] = {"users_update",
                  "UPDATE users u SET (full_name, role, is_active) = (SELECT full_name, role,"
                  " is_active FROM jsonb_populate_record(u, $3::jsonb))"
                  " WHERE u.id = $1 AND u.tenant_id = $2 RETURNING " USER_JSON},
    /* $1 user, $2 tenant, $3 a token id to keep (NULL: none): revokes the
     * rest at once and answers their hashes for the caches. */
    [Q_REVOKE] = {"users_revoke_tokens",
                  "UPDATE auth_tokens SET revoked_at = now()"
                  " WHERE user_id = $1 AND tenant_id = $2 AND revoked_at IS NULL"
                  " AND ($3::uuid IS NULL OR id <> $3::uuid) RETURNING encode(token_hash, 'hex')"},
    [Q_LIVE] = {"users_live_tokens",
                "SELECT encode(token_hash, 'hex') FROM auth_tokens WHERE user_id = $1"
                " AND tenant_id = $2 AND revoked_at IS NULL"
                " AND (expires_at IS NULL OR expires_at > now())"},
    [Q_HASH] = {"users_password_hash", "SELECT hashed_password FROM users WHERE id = $1"
                                       " AND tenant_id = $2 AND NOT is_deleted"},
    [Q_SET_PASSWORD] = {"users_set_password",
                        "UPDATE users SET hashed_password = $3 WHERE id = $1 AND tenant_id = $2"},
    {NULL, NULL},
};

#define USERS_PATH "/api/v1/users"
#define DUPLICATE_EMAIL "A user with this email already exists"

static const char *const roles[] = {"super_admin", "admin",   "supervisor",
                                    "sales_rep",   "analyst", NULL};

static const struct field create_fields[] = {
    {.name = "email", .type = F_STRING, .required = true, .min = 3, .max = 255},
    {.name = "full_name", .type = F_STRING, .required = true, .min = 1, .max = 255},
    {.name = "role", .type = F_ENUM, .values = roles},
    {.name = "password", .type = F_STRING, .required = true, .min = 10, .max = 1024},
    {.name = NULL},
};

static const struct field update_fields[] = {
    {.name = "full_name", .type = F_STRING, .min = 1, .max = 255},
    {.name = "role", .type = F_ENUM, .values = roles},
    {.name = "is_active", .type = F_BOOL},
    {.name = NULL},
};

static const struct field password_fields[] = {
    {.name = "current_password", .type = F_STRING, .required = true, .min = 1, .max = 1024},
    {.name = "new_password", .type = F_STRING, .required = true, .min = 10, .max = 1024},
    {.name = NULL},
};

static const struct list_spec list_spec = {
    .sortable =
        (const char *const[]){"full_name", "email", "role", "last_login", "created_at", NULL},
    .default_sort = "-created_at",
    .searchable = true,
    .filters = {{.name = "role", .type = FILTER_ENUM, .values = roles},
                {.name = "is_active", .type = FILTER_BOOL}},
};

/* ---------------------------------------------------------------- helpers */

/* Only a super_admin grants or touches the super_admin role: an admin is
 * confined to their tenant's ordinary roles. Answers 403 when role (the
 * requested or the current one; may be NULL) oversteps. */
static bool forbidden_role(struct ctx *c, const char *role)
{
    if (!role || strcmp(role, "super_admin") || c->role == ROLE_SUPER_ADMIN)
        return false;
    resp_error(c, 403, "Forbidden");
    return true;
}

/* A minimal address check: one '@' with text on both sides, no spaces. */
static void check_email(const struct ctx *c, struct verr *v)
{
    const char *e = body_str(c, "email"), *at = e ? strchr(e, '@') : NULL;
    if (e && (!at || at == e || !at[1] || strchr(at + 1, '@') || strpbrk(e, " \t\r\n")))
        verr_add(v, "body.email", "must be an email address", "value_error.email");
}

static void create_check(struct ctx *c, struct verr *v)
{
    rowwrite_validate(c, create_fields, false, v);
    check_email(c, v);
}

/* The new password must differ from the current one. */
static void password_check(struct ctx *c, struct verr *v)
{
    rowwrite_validate(c, password_fields, false, v);
    const char *cur = body_str(c, "current_password"), *next = body_str(c, "new_password");
    if (cur && next && !strcmp(cur, next))
        verr_add(v, "body.new_password", "must differ from the current password", "value_error");
}

/* Runs Q_REVOKE or Q_LIVE inside the open write; the hashes, pointing
 * into *res (the caller clears it), go to hashes (malloc'd) and their count
 * is returned, or -1 after answering a failure. */
static int token_hashes(struct ctx *c, int q, const char *user, const char *keep, PGresult **res,
                        const char ***hashes)
{
    const char *p[] = {user, c->tenant_id, keep};
    *res = res_exec(c, &users_sql[q], q == Q_REVOKE ? 3 : 2, p);
    if (!*res)
        return -1;
    int n = PQntuples(*res);
    *hashes = xcalloc((size_t)n + 1, sizeof **hashes);
    for (int i = 0; i < n; i++)
        (*hashes)[i] = PQgetvalue(*res, i, 0);
    return n;
}

/* ---------------------------------------------------------------- list, get, create */

static void user_list(struct ctx *c)
{
    struct list_query q;
    if (!list_parse(c, &list_spec, &q))
        return;
    const char *p[] = {c->tenant_id, q.filter[0], q.filter[1], q.search, q.sort, q.limit, q.offset};
    rowwrite_list(c, &q, &users_sql[Q_LIST], 7, p);
}

static void user_get(struct ctx *c)
{
    rowwrite_get(c, &users_sql[Q_GET]);
}

static void user_create(struct ctx *c)
{
    if (forbidden_role(c, body_str(c, "role")))
        return;
    struct verr v;
    verr_init(&v);
    create_check(c, &v);
    if (rowwrite_invalid(c, &v, false))
        return;
    char *err = NULL, *hash = password_hash(body_str(c, "password"), &err);
    if (!hash) {
        free(err);
        resp_error(c, 500, "Internal server error");
        return;
    }
    const char *role = body_str(c, "role");
    const char *p[] = {c->tenant_id, body_str(c, "email"), hash, body_str(c, "full_name"),
                       role ? role : "sales_rep"};
    if (write_begin(c))
        rowwrite_finish(c, &users_sql[Q_CREATE], 5, p, DUPLICATE_EMAIL, 201, USERS_PATH);
    free(hash);
}

/* ---------------------------------------------------------------- update */

/* PUT /{id}: existence (404), the super_admin rule (403), the body (422),
 * then the caller's own account (409: no self-deactivation or demotion).
 * Deactivating revokes every token of the user at once; a role change
 * refreshes their cached tokens. The caches change after the commit, so
 * that no instance re-reads the old rows. */
static void user_update(struct ctx *c)
{
    const char *id = c->params[0], *role = body_str(c, "role");
    struct verr v;
    verr_init(&v);
    rowwrite_validate(c, update_fields, true, &v);
    PGresult *res = NULL, *tok = NULL;
    const char **hashes = NULL;
    int n = 0;
    if (forbidden_role(c, role) || !write_begin(c) ||
        !(res = rowwrite_lock(c, &users_sql[Q_LOCK], id)))
        goto out;
    char current[32];
    snprintf(current, sizeof current, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    res = NULL;
    if (forbidden_role(c, current)) {
        write_abort(c);
        goto out;
    }
    if (rowwrite_invalid(c, &v, true))
        return;
    const cJSON *active = cJSON_GetObjectItemCaseSensitive(c->json, "is_active");
    bool deactivate = cJSON_IsFalse(active), role_changed = role && strcmp(role, current);
    if (!strcmp(id, c->user_id) && (deactivate || role_changed)) {
        write_abort(c);
        resp_error(c, 409, "You cannot deactivate your own account or change your own role");
        goto out;
    }
    char *body = c->json ? cJSON_PrintUnformatted(c->json) : xstrdup("{}");
    const char *p[] = {id, c->tenant_id, body};
    res = res_exec(c, &users_sql[Q_UPDATE], 3, p);
    free(body);
    if (res && (deactivate || role_changed))
        n = token_hashes(c, deactivate ? Q_REVOKE : Q_LIVE, id, NULL, &tok, &hashes);
    if (!res || n < 0 || !write_commit(c))
        goto out;
    object_respond(c, 200, res, NULL);
    res = NULL;
    struct worker w = {.db = c->db, .redis = c->redis};
    if (deactivate)
        auth_revoke_cached_user(&w, id, hashes, n);
    else if (role_changed)
        auth_refresh_cached_user(&w, id, hashes, n);
out:
    verr_free(&v);
    PQclear(res);
    PQclear(tok);
    free(hashes);
}

/* ---------------------------------------------------------------- password */

/* Wrong current passwords per user per minute before 429, as for logins. */
#define PASSWORD_TRIES 10

/* POST /api/v1/auth/password: checks the current password, stores the new
 * one and revokes the caller's other tokens (the presented one stays). */
static void password_change(struct ctx *c)
{
    struct verr v;
    verr_init(&v);
    password_check(c, &v);
    const char *cur = body_str(c, "current_password"), *next = body_str(c, "new_password");
    if (rowwrite_invalid(c, &v, false))
        return;
    char key[64], retry[16], *hash = NULL, *err = NULL;
    int wait = 0, n = 0;
    snprintf(key, sizeof key, "password:%s", c->user_id);
    if (throttle_blocked(c->redis, key, PASSWORD_TRIES, &wait)) {
        snprintf(retry, sizeof retry, "%d", wait);
        resp_header(c, "Retry-After", retry);
        resp_error(c, 429, "Too many failed attempts; try again later");
        return;
    }
    const char *p[] = {c->user_id, c->tenant_id, NULL};
    PGresult *res = res_exec(c, &users_sql[Q_HASH], 2, p), *tok = NULL;
    const char **hashes = NULL;
    if (!res)
        return;
    if (PQntuples(res) != 1 || !password_verify(cur, PQgetvalue(res, 0, 0))) {
        throttle_fail(c->redis, key);
        verr_init(&v);
        verr_add(&v, "body.current_password", "is incorrect", "value_error.password");
        rowwrite_invalid(c, &v, false);
        goto out;
    }
    if (!(hash = password_hash(next, &err))) {
        resp_error(c, 500, "Internal server error");
        goto out;
    }
    p[2] = hash;
    PGresult *set = write_begin(c) ? res_exec(c, &users_sql[Q_SET_PASSWORD], 3, p) : NULL;
    if (!set)
        goto out;
    PQclear(set);
    n = token_hashes(c, Q_REVOKE, c->user_id, c->token_id, &tok, &hashes);
    if (n < 0 || !write_commit(c))
        goto out;
    auth_revoke_cached_user(&(struct worker){.db = c->db, .redis = c->redis}, c->user_id, hashes,
                            n);
    resp_empty(c, 204);
out:
    PQclear(res);
    PQclear(tok);
    free(hashes);
    free(hash);
    free(err);
}

/* Listing users: admin, supervisor, analyst (not sales reps); changing
 * them: admins (api.md, role matrix). */
#define USER_READERS (ROLES_MANAGE | ROLE_ANALYST)

/* ---------------------------------------------------------------- checks */

static void check_update(struct ctx *c, struct verr *v)
{
    rowwrite_validate(c, update_fields, true, v);
}

static void check_list(struct ctx *c, struct verr *v)
{
    struct list_query q;
    (void)v;
    list_parse(c, &list_spec, &q);
}

const struct route_check users_checks[] = {
    {.name = "users.create", .body = true, .run = create_check},
    {.name = "users.update", .body = true, .run = check_update},
    {.name = "users.password", .body = true, .run = password_check},
    {.name = "users.list", .run = check_list},
    {.name = NULL},
};

const struct route users_routes[] = {
    ROUTE(EVHTTP_REQ_GET, USERS_PATH, USER_READERS, CACHE_NONE, 0, user_list),
    ROUTE(EVHTTP_REQ_POST, USERS_PATH, ROLES_ADMIN, CACHE_NONE, ROUTE_BODY, user_create),
    ROUTE(EVHTTP_REQ_GET, USERS_PATH "/{id}", USER_READERS, CACHE_NONE, 0, user_get),
    ROUTE(EVHTTP_REQ_PUT, USERS_PATH "/{id}", ROLES_ADMIN, CACHE_NONE, ROUTE_BODY, user_update),
    ROUTE(EVHTTP_REQ_POST, "/api/v1/auth/password", ROLES_ALL, CACHE_NONE, ROUTE_BODY,
          password_change),
    ROUTE_END,
};

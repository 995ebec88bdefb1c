/* Walks the route table: roles get 403 as api.md says, other tenants' ids get 404. */
#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "harness.h"
#include "api/request.h"
#include "api/router.h"
#include "registry.h"

/* ------------------------------------------------------------ fixtures */

/* Tenant B (borealis.example) owns one object of every resource; tenant A
 * (acme.example, the caller's) owns the parents used for nested ids. */
#define B_CLIENT "b0000000-0000-4000-8000-000000000001"
#define B_QUOTE "b0000000-0000-4000-8000-000000000002"
#define B_ITEM "b0000000-0000-4000-8000-000000000003"
#define B_CATEGORY "b0000000-0000-4000-8000-000000000004"
#define B_EXPENSE "b0000000-0000-4000-8000-000000000005"
#define B_QUOTA "b0000000-0000-4000-8000-000000000006"
#define B_VEHICLE "b0000000-0000-4000-8000-000000000007"
#define B_USER "b0000000-0000-4000-8000-000000000008"
#define B_TOKEN "b0000000-0000-4000-8000-000000000009"
#define A_CLIENT "a0000000-0000-4000-8000-000000000001"
#define A_QUOTE "a0000000-0000-4000-8000-000000000002"
#define A_CATEGORY "a0000000-0000-4000-8000-000000000004"
#define NOBODY "00000000-0000-4000-8000-0000000000ff" /* exists in no tenant */

#define TB "(SELECT id FROM tenants WHERE domain = 'borealis.example')"
#define TA "(SELECT id FROM tenants WHERE domain = 'acme.example')"
#define A_ADMIN "(SELECT id FROM users WHERE email = 'admin@acme.example')"

static const char fixture_sql[] =
    "INSERT INTO users (id, tenant_id, email, hashed_password, full_name, role)"
    " SELECT '" B_USER "', " TB ", 'isolation@borealis.test', '!', 'Isolation B', 'sales_rep';"
    "INSERT INTO clients (id, tenant_id, name, status)"
    " SELECT '" B_CLIENT "', " TB ", 'Isolation B client', 'active';"
    "INSERT INTO quotes (id, tenant_id, client_id, sales_rep_id, quote_number, total_amount,"
    " status, valid_until) SELECT '" B_QUOTE "', " TB ", '" B_CLIENT "', '" B_USER "',"
    " 'Q-ISO-B', 10.00, 'draft', current_date + 30;"
    "INSERT INTO quote_items (id, tenant_id, quote_id, product_name, quantity, unit_price,"
    " subtotal) SELECT '" B_ITEM "', " TB ", '" B_QUOTE "', 'Widget', 1, 10, 10;"
    "INSERT INTO expense_categories (id, tenant_id, name)"
    " SELECT '" B_CATEGORY "', " TB ", 'Isolation B category';"
    "INSERT INTO expenses (id, tenant_id, user_id, category_id, amount, description, date)"
    " SELECT '" B_EXPENSE "', " TB ", '" B_USER "', '" B_CATEGORY "', 12.34,"
    " 'Isolation B expense', current_date;"
    "INSERT INTO quotas (id, tenant_id, user_id, year, month, target_amount)"
    " SELECT '" B_QUOTA "', " TB ", '" B_USER "', 2100, 1, 1000;"
    "INSERT INTO vehicles (id, tenant_id, plate_number, assigned_driver_id)"
    " SELECT '" B_VEHICLE "', " TB ", 'ISO-B-1', '" B_USER "';"
    "INSERT INTO auth_tokens (id, tenant_id, user_id, name, kind, token_hash, expires_at)"
    " SELECT '" B_TOKEN "', " TB ", '" B_USER "', 'iso', 'api',"
    " convert_to('isolation-b-token', 'UTF8'), now() + interval '1 day';"
    "INSERT INTO clients (id, tenant_id, name, status)"
    " SELECT '" A_CLIENT "', " TA ", 'Isolation A client', 'active';"
    "INSERT INTO quotes (id, tenant_id, client_id, sales_rep_id, quote_number, total_amount,"
    " status, valid_until) SELECT '" A_QUOTE "', " TA ", '" A_CLIENT "', " A_ADMIN ","
    " 'Q-ISO-A', 0.00, 'draft', current_date + 30;"
    "INSERT INTO expense_categories (id, tenant_id, name)"
    " SELECT '" A_CATEGORY "', " TA ", 'Isolation A category';";

/* Every fixture row of tenant B as JSON, hashed: equal before and after the
 * cross-tenant requests when none of them changed anything. */
static const char fingerprint_sql[] =
    "SELECT md5(string_agg(j, '|' ORDER BY j)) FROM ("
    " SELECT row_to_json(x)::text j FROM users x WHERE id = '" B_USER "'"
    " UNION ALL SELECT row_to_json(x)::text FROM clients x WHERE id = '" B_CLIENT "'"
    " UNION ALL SELECT row_to_json(x)::text FROM quotes x WHERE id = '" B_QUOTE "'"
    " UNION ALL SELECT row_to_json(x)::text FROM quote_items x WHERE id = '" B_ITEM "'"
    " UNION ALL SELECT row_to_json(x)::text FROM expense_categories x WHERE id = '" B_CATEGORY "'"
    " UNION ALL SELECT row_to_json(x)::text FROM expenses x WHERE id = '" B_EXPENSE "'"
    " UNION ALL SELECT row_to_json(x)::text FROM quotas x WHERE id = '" B_QUOTA "'"
    " UNION ALL SELECT row_to_json(x)::text FROM vehicles x WHERE id = '" B_VEHICLE "'"
    " UNION ALL SELECT row_to_json(x)::text FROM auth_tokens x WHERE id = '" B_TOKEN "') f";

/* Which fixture fills a capture: the pattern up to that capture, earlier
 * captures written "{}". A route whose capture has no row here fails the
 * isolation test until a row (and a fixture above) is added. */
static const struct {
    const char *collection;
    const char *b_id; /* another tenant's object */
    const char *a_id; /* the caller's own, for nested routes (or NULL) */
} fixtures[] = {
    {"/api/v1/clients", B_CLIENT, A_CLIENT},
    {"/api/v1/sales/quotes", B_QUOTE, A_QUOTE},
    {"/api/v1/sales/quotes/{}/items", B_ITEM, NULL},
    {"/api/v1/expenses/categories", B_CATEGORY, A_CATEGORY},
    {"/api/v1/expenses", B_EXPENSE, NULL},
    {"/api/v1/quotas", B_QUOTA, NULL},
    {"/api/v1/transport/vehicles", B_VEHICLE, NULL},
    {"/api/v1/users", B_USER, NULL},
    {"/api/v1/auth/tokens", B_TOKEN, NULL},
};

/* ------------------------------------------------------------ the role matrix */

#define PUBLIC 0u
#define ALL ROLES_ALL
#define MANAGE ROLES_MANAGE
#define WRITERS (ROLES_MANAGE | ROLE_SALES_REP)
#define ADMINS ROLES_ADMIN
#define USER_READERS (ROLES_MANAGE | ROLE_ANALYST)
#define GET EVHTTP_REQ_GET
#define POST EVHTTP_REQ_POST
#define PUT EVHTTP_REQ_PUT
#define PATCH EVHTTP_REQ_PATCH
#define DELETE EVHTTP_REQ_DELETE

/* api.md's role matrix, route by route. Captures are written "{}" (any
 * name). Every route of the daemon must appear here; api_md marks the
 * routes api.md lists, which must all exist. */
static const struct matrix_row {
    int method;
    const char *pattern;
    unsigned roles;
    bool api_md;
} matrix[] = {
    {GET, "/health", PUBLIC, true},
    {GET, "/health/live", PUBLIC, true},
    {GET, "/health/ready", PUBLIC, true},
    {GET, "/metrics", PUBLIC, true},
    /* tokens: own */
    {POST, "/api/v1/auth/login", PUBLIC, true},
    {POST, "/api/v1/auth/logout", ALL, true},
    {GET, "/api/v1/auth/me", ALL, true},
    {POST, "/api/v1/auth/tokens", ALL, true},
    {GET, "/api/v1/auth/tokens", ALL, true},
    {DELETE, "/api/v1/auth/tokens/{}", ALL, true},
    {POST, "/api/v1/auth/password", ALL, true},
    /* read dashboard and lists */
    {GET, "/api/v1/dashboard/kpis", ALL, true},
    {GET, "/api/v1/dashboard/summary", ALL, true},
    {GET, "/api/v1/dashboard/revenue-monthly", ALL, true},
    {GET, "/api/v1/dashboard/expenses-monthly", ALL, true},
    {GET, "/api/v1/dashboard/top-clients", ALL, true},
    {GET, "/api/v1/dashboard/recent-activity", ALL, true},
    {GET, "/api/v1/dashboard/quota-performance", ALL, true},
    {GET, "/api/v1/dashboard/overview", ALL, true},
    {GET, "/api/v1/events", ALL, true},
    /* cache administration */
    {GET, "/api/v1/admin/cache/stats", ADMINS, true},
    {POST, "/api/v1/admin/cache/invalidate", ADMINS, true},
    /* clients: write = admin, supervisor, sales_rep */
    {GET, "/api/v1/clients", ALL, true},
    {POST, "/api/v1/clients", WRITERS, true},
    {GET, "/api/v1/clients/{}", ALL, true},
    {PUT, "/api/v1/clients/{}", WRITERS, true},
    {DELETE, "/api/v1/clients/{}", WRITERS, true},
    {PUT, "/api/v1/clients/{}/status", WRITERS, true},
    /* quotes: create or edit = admin, supervisor, sales_rep (own) */
    {GET, "/api/v1/sales/quotes", ALL, true},
    {POST, "/api/v1/sales/quotes", WRITERS, true},
    {GET, "/api/v1/sales/quotes/{}", ALL, true},
    {PUT, "/api/v1/sales/quotes/{}", WRITERS, true},
    {DELETE, "/api/v1/sales/quotes/{}", WRITERS, true},
    {PATCH, "/api/v1/sales/quotes/{}/status", WRITERS, true},
    {GET, "/api/v1/sales/quotes/{}/items", ALL, true},
    {POST, "/api/v1/sales/quotes/{}/items", WRITERS, true},
    {PUT, "/api/v1/sales/quotes/{}/items/{}", WRITERS, true},
    {DELETE, "/api/v1/sales/quotes/{}/items/{}", WRITERS, true},
    /* categories: manage = admin, supervisor */
    {GET, "/api/v1/expenses/categories", ALL, true},
    {POST, "/api/v1/expenses/categories", MANAGE, true},
    {GET, "/api/v1/expenses/categories/{}", ALL, true},
    {PUT, "/api/v1/expenses/categories/{}", MANAGE, true},
    {DELETE, "/api/v1/expenses/categories/{}", MANAGE, true},
    /* expenses: create = admin, supervisor, sales_rep (own); approve = manage */
    {GET, "/api/v1/expenses", ALL, true},
    {POST, "/api/v1/expenses", WRITERS, true},
    {GET, "/api/v1/expenses/{}", ALL, true},
    {PUT, "/api/v1/expenses/{}", WRITERS, true},
    {DELETE, "/api/v1/expenses/{}", WRITERS, true},
    {PUT, "/api/v1/expenses/{}/status", MANAGE, true},
    /* quotas: manage = admin, supervisor */
    {GET, "/api/v1/quotas", ALL, true},
    {POST, "/api/v1/quotas", MANAGE, true},
    {GET, "/api/v1/quotas/alerts", ALL, true},
    {GET, "/api/v1/quotas/{}", ALL, true},
    {PUT, "/api/v1/quotas/{}", MANAGE, true},
    {DELETE, "/api/v1/quotas/{}", MANAGE, true},
    /* vehicles: write = admin, supervisor, sales_rep */
    {GET, "/api/v1/transport/vehicles", ALL, true},
    {POST, "/api/v1/transport/vehicles", WRITERS, true},
    {GET, "/api/v1/transport/vehicles/{}", ALL, true},
    {PUT, "/api/v1/transport/vehicles/{}", WRITERS, true},
    {DELETE, "/api/v1/transport/vehicles/{}", WRITERS, true},
    /* users: list = admin, supervisor, analyst; create, change = admin */
    {GET, "/api/v1/users", USER_READERS, true},
    {POST, "/api/v1/users", ADMINS, true},
    {PUT, "/api/v1/users/{}", ADMINS, true},
    {GET, "/api/v1/users/{}", USER_READERS, false},
};

#define NMATRIX (sizeof matrix / sizeof matrix[0])

static const struct {
    unsigned role;
    const char *email;
} callers[] = {
    {ROLE_SUPER_ADMIN, "root@acme.test"},         {ROLE_ADMIN, "admin@acme.example"},
    {ROLE_SUPERVISOR, "supervisor@acme.example"}, {ROLE_SALES_REP, "rep1@acme.example"},
    {ROLE_ANALYST, "analyst@acme.example"},
};

#define NCALLERS (sizeof callers / sizeof callers[0])

static char *tokens[NCALLERS]; /* API tokens of the callers, made in setup */
static struct harness_daemon D;

/* ------------------------------------------------------------ helpers */

/* pattern with every "{name}" written "{}", into out. */
static void normalise(const char *pattern, char *out, size_t n)
{
    size_t o = 0;
    for (const char *p = pattern; *p && o + 3 < n; p++) {
        out[o++] = *p;
        if (*p == '{') {
            out[o++] = '}';
            p += strcspn(p, "}");
        }
    }
    out[o] = '\0';
}

static const struct matrix_row *matrix_find(const struct route *r)
{
    char norm[256];
    normalise(r->pattern, norm, sizeof norm);
    for (size_t i = 0; i < NMATRIX; i++)
        if (matrix[i].method == r->method && !strcmp(matrix[i].pattern, norm))
            return &matrix[i];
    return NULL;
}

static bool route_exists(const struct matrix_row *m)
{
    char norm[256];
    for (size_t i = 0; router_route_at(i); i++) {
        const struct route *r = router_route_at(i);
        normalise(r->pattern, norm, sizeof norm);
        if (r->method == m->method && !strcmp(norm, m->pattern))
            return true;
    }
    return false;
}

/* The fixture table's row for the capture that starts at cap (pointing at
 * '{') in pattern, or -1. */
static int fixture_for(const char *pattern, const char *cap)
{
    char prefix[256], norm[256];
    snprintf(prefix, sizeof prefix, "%.*s", (int)(cap - pattern - 1), pattern);
    normalise(prefix, norm, sizeof norm);
    for (size_t i = 0; i < sizeof fixtures / sizeof fixtures[0]; i++)
        if (!strcmp(fixtures[i].collection, norm))
            return (int)i;
    return -1;
}

/* Writes pattern into out with its captures filled: the last one with
 * another tenant's id, the others with the caller's own (own_parents) or
 * also another tenant's. Returns false (with the reason in why) when a
 * capture has no fixture. */
static bool fill(const char *pattern, bool own_parents, char *out, size_t n, char *why, size_t whyn)
{
    size_t o = 0;
    for (const char *p = pattern; *p && o + 40 < n;) {
        if (*p != '{') {
            out[o++] = *p++;
            continue;
        }
        int f = fixture_for(pattern, p);
        const char *end = strchr(p, '}');
        bool last = !strchr(end, '{');
        const char *id = f < 0                    ? NULL
                         : (!last && own_parents) ? fixtures[f].a_id
                                                  : fixtures[f].b_id;
        if (!id) {
            snprintf(why, whyn, "no fixture for the capture at '%.*s' (add one to fixtures[])",
                     (int)(end + 1 - pattern), pattern);
            return false;
        }
        o += (size_t)snprintf(out + o, n - o, "%s", id);
        p = end + 1;
    }
    out[o] = '\0';
    return true;
}

static int captures(const char *pattern)
{
    int n = 0;
    for (const char *p = strchr(pattern, '{'); p; p = strchr(p + 1, '{'))
        n++;
    return n;
}

/* Every capture filled with NOBODY. */
static void fill_nobody(const char *pattern, char *out, size_t n)
{
    size_t o = 0;
    for (const char *p = pattern; *p && o + 40 < n;) {
        if (*p == '{') {
            o += (size_t)snprintf(out + o, n - o, "%s", NOBODY);
            p = strchr(p, '}') + 1;
        } else {
            out[o++] = *p++;
        }
    }
    out[o] = '\0';
}

static const char *body_for(const struct route *r)
{
    return (r->flags & ROUTE_BODY) ? "{}" : NULL;
}

static void fail_if_any(struct buf *problems, const char *what)
{
    ck_assert_msg(problems->len == 0, "%s:\n%s", what, buf_str(problems));
    buf_free(problems);
}

/* ------------------------------------------------------------ tests */

static void up(void)
{
    harness_daemon_start(&D, harness_db(), (const char *const[]){"--no-jobs", NULL});
}

static void down(void)
{
    harness_daemon_stop_clean(&D);
}

/* A new route cannot skip the matrix: every route must have a row. */
START_TEST(role_table_covers_every_route)
{
    struct buf missing = BUF_INIT;
    for (size_t i = 0; router_route_at(i); i++) {
        const struct route *r = router_route_at(i);
        if (!matrix_find(r))
            buf_printf(&missing, "  %s %s\n", router_method_name(r->method), r->pattern);
    }
    fail_if_any(&missing, "routes missing from the role matrix of test_isolation.c");
}
END_TEST

START_TEST(every_api_md_route_exists)
{
    struct buf missing = BUF_INIT;
    for (size_t i = 0; i < NMATRIX; i++)
        if (matrix[i].api_md && !route_exists(&matrix[i]))
            buf_printf(&missing, "  %s %s\n", router_method_name(matrix[i].method),
                       matrix[i].pattern);
    fail_if_any(&missing, "api.md routes the daemon does not serve yet");
}
END_TEST

/* Every route, every role: a role outside the matrix's set answers 403
 * {"detail": "Forbidden"}; a role inside it never does (nor 401 or 5xx). */
START_TEST(roles_follow_the_matrix)
{
    struct buf bad = BUF_INIT;
    int checked = 0;
    for (size_t i = 0; router_route_at(i); i++) {
        const struct route *r = router_route_at(i);
        const struct matrix_row *m = matrix_find(r);
        if (!m)
            continue; /* reported by role_table_covers_every_route */
        char path[512];
        fill_nobody(r->pattern, path, sizeof path);
        if (m->roles == PUBLIC) {
            struct harness_resp resp;
            long st =
                harness_send(&D, router_method_name(r->method), path, NULL, body_for(r), &resp);
            if (st == 401 || st == 403 || st == 0)
                buf_printf(&bad, "  %s %s without a token: expected a public answer, got %ld\n",
                           router_method_name(r->method), r->pattern, st);
            harness_resp_free(&resp);
            continue;
        }
        bool logout = !strcmp(r->pattern, "/api/v1/auth/logout");
        for (size_t k = 0; k < NCALLERS; k++) {
            /* Logging out revokes the token: use a throwaway one. */
            char *tok = logout
                            ? harness_token_create(harness_db(), callers[k].email, "throwaway", 1)
                            : tokens[k];
            struct harness_resp resp;
            /* A stream never ends by itself: its HEAD answers the same
             * roles with the headers alone. */
            const char *method = r->flags & ROUTE_STREAM ? "HEAD" : router_method_name(r->method);
            long st = harness_send(&D, method, path, tok, body_for(r), &resp);
            bool allowed = (m->roles & callers[k].role) != 0;
            bool ok = allowed ? st != 403 && st != 401 && st < 500 && st > 0
                              : st == 403 && harness_detail_is(&resp, "Forbidden");
            if (!ok)
                buf_printf(&bad, "  %s %s as %s: expected %s, got %ld %.120s\n",
                           router_method_name(r->method), r->pattern, role_name(callers[k].role),
                           allowed ? "no 401/403/5xx" : "403 Forbidden", st, resp.body);
            harness_resp_free(&resp);
            if (logout)
                free(tok);
            checked++;
        }
    }
    ck_assert_msg(checked > 0, "expected routes to check");
    fail_if_any(&bad, "role matrix violations");
}
END_TEST

/* Sends every route that takes an id, with ids of another tenant's
 * objects (own_parents: the caller's own parent and another tenant's
 * nested item), and expects 404 without any change to those objects. */
static void cross_tenant(bool own_parents)
{
    char *before = harness_psql_value(harness_db(), fingerprint_sql, NULL);
    ck_assert_ptr_nonnull(before);
    struct buf bad = BUF_INIT;
    int checked = 0;
    for (size_t i = 0; router_route_at(i); i++) {
        const struct route *r = router_route_at(i);
        int n = captures(r->pattern);
        if (n == 0 || (own_parents && n < 2))
            continue;
        char path[512], why[256];
        if (!fill(r->pattern, own_parents, path, sizeof path, why, sizeof why)) {
            buf_printf(&bad, "  %s %s: %s\n", router_method_name(r->method), r->pattern, why);
            continue;
        }
        struct harness_resp resp;
        long st =
            harness_send(&D, router_method_name(r->method), path, tokens[1], body_for(r), &resp);
        if (st != 404)
            buf_printf(&bad, "  %s %s: expected 404, got %ld %.120s\n",
                       router_method_name(r->method), path, st, resp.body);
        harness_resp_free(&resp);
        checked++;
    }
    char *after = harness_psql_value(harness_db(), fingerprint_sql, NULL);
    ck_assert_msg(after && !strcmp(before, after),
                  "expected tenant B's objects unchanged by the cross-tenant requests");
    free(before);
    free(after);
    if (own_parents)
        ck_assert_msg(checked > 0 || bad.len, "expected nested routes (quote items)");
    fail_if_any(&bad, "cross-tenant requests that did not answer 404");
}

START_TEST(ids_of_another_tenant_answer_404)
{
    cross_tenant(false);
}
END_TEST

START_TEST(nested_ids_of_another_tenant_answer_404)
{
    cross_tenant(true);
}
END_TEST

/* Foreign keys in bodies naming another tenant's rows answer 422 with the
 * field's loc. Routes not served yet are reported by every_api_md_route_exists. */
static const struct {
    const char *method, *path, *body, *loc;
} foreign_keys[] = {
    {"POST", "/api/v1/sales/quotes",
     "{\"client_id\":\"" B_CLIENT "\",\"valid_until\":\"2099-01-01\","
     "\"items\":[{\"product_name\":\"x\",\"quantity\":1,\"unit_price\":1}]}",
     "body.client_id"},
    {"POST", "/api/v1/sales/quotes",
     "{\"client_id\":\"" A_CLIENT "\",\"sales_rep_id\":\"" B_USER "\","
     "\"valid_until\":\"2099-01-01\","
     "\"items\":[{\"product_name\":\"x\",\"quantity\":1,\"unit_price\":1}]}",
     "body.sales_rep_id"},
    {"PUT", "/api/v1/sales/quotes/" A_QUOTE, "{\"client_id\":\"" B_CLIENT "\"}", "body.client_id"},
    {"POST", "/api/v1/expenses",
     "{\"category_id\":\"" B_CATEGORY "\",\"amount\":1.5,\"description\":\"x\","
     "\"date\":\"2026-01-02\"}",
     "body.category_id"},
    {"POST", "/api/v1/quotas",
     "{\"user_id\":\"" B_USER "\",\"year\":2099,\"month\":1,\"target_amount\":10}", "body.user_id"},
    {"POST", "/api/v1/transport/vehicles",
     "{\"plate_number\":\"ISO-A-1\",\"assigned_driver_id\":\"" B_USER "\"}",
     "body.assigned_driver_id"},
};

START_TEST(foreign_keys_of_another_tenant_answer_422)
{
    struct buf bad = BUF_INIT;
    for (size_t i = 0; i < sizeof foreign_keys / sizeof foreign_keys[0]; i++) {
        struct harness_resp resp;
        long st = harness_send(&D, foreign_keys[i].method, foreign_keys[i].path, tokens[1],
                               foreign_keys[i].body, &resp);
        if (st != 422 || !harness_detail_has_loc(&resp, foreign_keys[i].loc))
            buf_printf(&bad, "  %s %s: expected 422 at %s, got %ld %.160s\n",
                       foreign_keys[i].method, foreign_keys[i].path, foreign_keys[i].loc, st,
                       resp.body);
        harness_resp_free(&resp);
    }
    char *after = harness_psql_value(harness_db(),
                                     "SELECT count(*) FROM quotes WHERE tenant_id = " TA
                                     " AND client_id = '" B_CLIENT "'",
                                     NULL);
    ck_assert_msg(after && !strcmp(after, "0"), "expected no quote of A naming B's client");
    free(after);
    fail_if_any(&bad, "foreign keys of another tenant that did not answer 422");
}
END_TEST

/* ------------------------------------------------------------ setup */

/* Seeds the demo tenants, tenant B's fixtures, and a token per role. */
static int setup(const char *db)
{
    static const char *const reset[] = {"--scale", "1", "--reset", NULL};
    if (harness_seed_demo(db, reset) != 0 || harness_psql(db, fixture_sql) != 0)
        return -1;
    char *root =
        harness_user_add(db, "acme.example", "root@acme.test", "super_admin", "root-pass-123");
    if (!root)
        return -1;
    free(root);
    for (size_t k = 0; k < NCALLERS; k++)
        if (!(tokens[k] = harness_token_create(db, callers[k].email, "isolation", 1)))
            return -1;
    return 0;
}

int main(void)
{
    router_init(registry_routes());
    Suite *s = suite_create("isolation");
    TCase *tc = harness_tcase(s, "tables");
    tcase_add_test(tc, role_table_covers_every_route);
    tcase_add_test(tc, every_api_md_route_exists);
    tc = harness_tcase(s, "requests");
    tcase_add_checked_fixture(tc, up, down);
    tcase_add_test(tc, roles_follow_the_matrix);
    tcase_add_test(tc, ids_of_another_tenant_answer_404);
    tcase_add_test(tc, nested_ids_of_another_tenant_answer_404);
    tcase_add_test(tc, foreign_keys_of_another_tenant_answer_422);
    return harness_main(s, "it_isolation", setup);
}

/* Expense routes: /api/v1/expenses (list, create, get, update, delete) and the approval step PUT
 * /{id}/status. */
#include <event2/http.h>
#include <stdio.h>
#include <string.h>

#include "routes/routes.h"
#include "routes/rowwrite.h"
#include "uuid.h"

#define PREFIX "/api/v1/expenses"

/* The expense object of the API from a row aliased e, its category k and its
 * user u (both LEFT JOINed): category and user are embedded, category null
 * when the expense has none. */
#define EXP_OBJ                                                                                    \
    "json_build_object('id', e.id, 'user_id', e.user_id,"                                          \
    " 'user', json_build_object('id', u.id, 'full_name', u.full_name),"                            \
    " 'category_id', e.category_id,"                                                               \
    " 'category', CASE WHEN k.id IS NOT NULL THEN"                                                 \
    "  json_build_object('id', k.id, 'name', k.name, 'color', k.color) END,"                       \
    " 'amount', round(e.amount, 2), 'currency', e.currency, 'description', e.description,"         \
    " 'date', e.date::text, 'status', e.status, 'approved_by', e.approved_by,"                     \
    " 'approved_at', " ROWWRITE_TS(                                                                \
        "e.approved_at") ", 'rejection_reason', e.rejection_reason,"                               \
                         " 'vendor_name', e.vendor_name, 'receipt_number', e.receipt_number, "     \
                         "'notes', e.notes,"                                                       \
                         " 'created_at', " ROWWRITE_TS(                                            \
                             "e.created_at") ", 'updated_at', " ROWWRITE_TS("e.updated_at") ")"
#define EXP_JOINS                                                                                  \
    " LEFT JOIN expense_categories k ON k.id = e.category_id AND k.tenant_id = e.tenant_id"        \
    " LEFT JOIN users u ON u.id = e.user_id AND u.tenant_id = e.tenant_id"
/* Answers the expense row(s) of CTE e as JSON text. */
#define EXP_FROM_E "SELECT " EXP_OBJ "::text FROM e" EXP_JOINS

enum {
    Q_LIST,
    Q_GET,
    Q_LOCK,
    Q_CATEGORY,
    Q_CREATE,
    Q_UPDATE,
    Q_STATUS,
    Q_DELETE,
};

const struct sql_stmt expenses_sql[] = {
    /* $1 tenant, $2 status, $3 category_id, $4 user_id, $5 date_from,
     * $6 date_to, $7 search, $8 sort, $9 limit, $10 offset. One statement
     * whatever the page size: the page's categories and users are joins. */
    [Q_LIST] = {"expenses_list",
                "WITH base AS (SELECT * FROM expenses x WHERE x.tenant_id = $1 AND NOT x.is_deleted"
                " AND ($2::expense_status IS NULL OR x.status = $2::expense_status)"
                " AND ($3::uuid IS NULL OR x.category_id = $3::uuid)"
                " AND ($4::uuid IS NULL OR x.user_id = $4::uuid)"
                " AND ($5::date IS NULL OR x.date >= $5::date)"
                " AND ($6::date IS NULL OR x.date <= $6::date)"
                " AND ($7::text IS NULL OR position(lower($7::text) IN lower(x.description)) > 0"
                "      OR position(lower($7::text) IN lower(coalesce(x.vendor_name, ''))) > 0))"
                " SELECT json_build_object('total', (SELECT count(*) FROM base),"
                " 'items', coalesce((SELECT json_agg(" EXP_OBJ " ORDER BY e.rn)"
                " FROM (SELECT b.*, row_number() OVER (ORDER BY" ROWWRITE_SORT("$8", "created_at")
                    ROWWRITE_SORT("$8", "date") ROWWRITE_SORT("$8", "amount") ROWWRITE_SORT(
                        "$8", "status") " b.id) AS rn"
                                        " FROM base b ORDER BY rn LIMIT $9 OFFSET $10) e" EXP_JOINS
                                        "),"
                                        " '[]'::json))::text"},
    /* $1 id, $2 tenant. */
    [Q_GET] = {"expenses_get", "SELECT " EXP_OBJ "::text FROM expenses e" EXP_JOINS
                               " WHERE e.id = $1 AND e.tenant_id = $2 AND NOT e.is_deleted"},
    [Q_LOCK] = {"expenses_lock",
                "SELECT x.status::text, x.user_id, x.category_id FROM expenses x"
                " WHERE x.id = $1 AND x.tenant_id = $2 AND NOT x.is_deleted FOR UPDATE"},
    /* $1 category id, $2 tenant: a category an expense may use. Held until
     * the write ends, so that it cannot be deleted meanwhile. */
    [Q_CATEGORY] = {"expenses_category",
                    "SELECT k.is_active FROM expense_categories k"
                    " WHERE k.id = $1 AND k.tenant_id = $2 AND NOT k.is_deleted FOR SHARE"},
    /* $1 tenant, $2 user, $3.. the fields in table order. */
    [Q_CREATE] = {"expenses_create",
                  "WITH e AS (INSERT INTO expenses (tenant_id, user_id, category_id, amount,"
                  " currency, description, date, vendor_name, receipt_number, notes)"
                  " VALUES ($1, $2, $3, $4, coalesce($5, 'USD'), $6, $7, $8, $9, $10)"
                  " RETURNING *) " EXP_FROM_E},
    /* $1 id, $2 tenant, $3 named fields, $4.. the fields in table order. */
    [Q_UPDATE] =
        {"expenses_update",
         "WITH e AS (UPDATE expenses x SET" ROWWRITE_KEEP("category_id", "$4", "uuid") "," ROWWRITE_KEEP("amount", "$5", "numeric") "," ROWWRITE_KEEP(
             "currency", "$6",
             "char(3)") "," ROWWRITE_KEEP("description", "$7",
                                          "text") "," ROWWRITE_KEEP("date", "$8",
                                                                    "date") "," ROWWRITE_KEEP("vend"
                                                                                              "or_"
                                                                                              "nam"
                                                                                              "e",
                                                                                              "$9",
                                                                                              "varc"
                                                                                              "har") "," ROWWRITE_KEEP("receipt_number",
                                                                                                                       "$10",
                                                                                                                       "varchar") "," ROWWRITE_KEEP("notes",
                                                                                                                                                    "$11",
                                                                                                                                                    "text") " WHERE x.id = $1 AND x.tenant_id = $2 AND NOT x.is_deleted RETURNING x.*) " EXP_FROM_E},
    /* $1 id, $2 tenant, $3 new status, $4 the deciding user, $5 reason. */
    [Q_STATUS] = {"expenses_status", "WITH e AS (UPDATE expenses x SET status = $3::expense_status,"
                                     " approved_by = $4, approved_at = now(),"
                                     " rejection_reason = CASE WHEN $3 = 'rejected' THEN $5 END"
                                     " WHERE x.id = $1 AND x.tenant_id = $2 AND NOT x.is_deleted"
                                     " AND x.status = 'pending' RETURNING x.*) " EXP_FROM_E},
    [Q_DELETE] = {"expenses_delete", "UPDATE expenses SET is_deleted = true, deleted_at = now()"
                                     " WHERE id = $1 AND tenant_id = $2 AND NOT is_deleted"},
    {NULL, NULL},
};

/* Create's fields; update takes any subset. The order is the statements'. */
static const struct field expense_fields[] = {
    {.name = "category_id", .type = F_UUID, .nullable = true},
    {.name = "amount",
     .type = F_MONEY,
     .required = true,
     .min = 0,
     .gt_min = true,
     .max = CENTS_NUMERIC_12_2},
    {.name = "currency", .type = F_STRING, .min = 3, .max = 3},
    {.name = "description", .type = F_STRING, .required = true, .min = 1},
    {.name = "date", .type = F_DATE, .required = true},
    {.name = "vendor_name", .type = F_STRING, .nullable = true, .max = 255},
    {.name = "receipt_number", .type = F_STRING, .nullable = true, .max = 100},
    {.name = "notes", .type = F_STRING, .nullable = true},
    {.name = NULL},
};

/* The body's category_id must name an active category of the tenant; the
 * expense's current category (current, may be NULL) may be kept even if
 * it has been deactivated since. Returns false after answering a database
 * failure. */
static bool category_usable(struct ctx *c, const char *current, struct verr *v)
{
    const char *id = body_str(c, "category_id");
    char norm[UUID_STR_LEN + 1];
    if (!id || !uuid_parse(id, norm) || (current && !strcmp(norm, current)))
        return true;
    const char *p[] = {norm, c->tenant_id};
    PGresult *res = res_exec(c, &expenses_sql[Q_CATEGORY], 2, p);
    if (!res)
        return false;
    if (PQntuples(res) < 1)
        verr_add(v, "body.category_id", "expense category not found", "value_error.not_found");
    else if (PQgetvalue(res, 0, 0)[0] != 't')
        verr_add(v, "body.category_id", "expense category is inactive", "value_error.inactive");
    PQclear(res);
    return true;
}

/* Validates the body inside the open write (partial for PUT); answers 422
 * and rolls back when invalid. */
/* The body's own checks (no database): the field table and the currency's form. */
static void expense_check(const struct ctx *c, bool partial, struct verr *v)
{
    rowwrite_validate(c, expense_fields, partial, v);
    rowwrite_check_pattern(c, "currency", "AAA", "must be an ISO 4217 code (3 upper-case letters)",
                           v);
}

static bool expense_valid(struct ctx *c, bool partial, const char *current_category)
{
    struct verr v;
    verr_init(&v);
    expense_check(c, partial, &v);
    if (!category_usable(c, current_category, &v)) {
        verr_free(&v);
        return false;
    }
    return !rowwrite_invalid(c, &v, true);
}

/* Locks the expense of the path and checks who may change it: 404, then
 * 403 for a sales rep's hands on another user's expense. The lock result
 * (status, user_id, category_id) is returned; NULL after answering. */
static PGresult *expense_lock(struct ctx *c)
{
    if (!write_begin(c))
        return NULL;
    PGresult *res = rowwrite_lock(c, &expenses_sql[Q_LOCK], c->params[0]);
    if (res && rowwrite_forbid_others(c, PQgetvalue(res, 0, 1))) {
        PQclear(res);
        return NULL;
    }
    return res;
}

/* 409 unless the locked expense is pending. */
static bool expense_pending(struct ctx *c, PGresult *lock, const char *action)
{
    const char *status = PQgetvalue(lock, 0, 0);
    if (!strcmp(status, "pending"))
        return true;
    char msg[128];
    snprintf(msg, sizeof msg, "Only pending expenses can be %s; this one is %s", action, status);
    write_abort(c);
    resp_error(c, 409, msg);
    return false;
}

static const char *const sortable[] = {"created_at", "date", "amount", "status", NULL};
static const char *const statuses[] = {"pending", "approved", "rejected", NULL};
static const struct list_spec list_spec = {
    .sortable = sortable,
    .default_sort = "-created_at",
    .searchable = true,
    .filters = {{.name = "status", .type = FILTER_ENUM, .values = statuses},
                {.name = "category_id", .type = FILTER_UUID},
                {.name = "user_id", .type = FILTER_UUID},
                {.name = "date_from", .type = FILTER_DATE},
                {.name = "date_to", .type = FILTER_DATE},
                {.name = NULL}},
};

static void exp_list(struct ctx *c)
{
    struct list_query q;
    if (!list_parse(c, &list_spec, &q))
        return;
    const char *p[] = {c->tenant_id, q.filter[0], q.filter[1], q.filter[2], q.filter[3],
                       q.filter[4],  q.search,    q.sort,      q.limit,     q.offset};
    rowwrite_list(c, &q, &expenses_sql[Q_LIST], 10, p);
}

static void exp_get(struct ctx *c)
{
    rowwrite_get(c, &expenses_sql[Q_GET]);
}

/* New expenses belong to the caller and start pending. */
static void exp_create(struct ctx *c)
{
    if (!write_begin(c) || !expense_valid(c, false, NULL))
        return;
    struct rowwrite_args a;
    rowwrite_args_fill(c, expense_fields, &a);
    const char *p[10] = {c->tenant_id, c->user_id};
    memcpy(p + 2, a.value, 8 * sizeof *p);
    rowwrite_finish(c, &expenses_sql[Q_CREATE], 10, p, NULL, 201, PREFIX);
}

static void exp_update(struct ctx *c)
{
    PGresult *lock = expense_lock(c);
    if (!lock)
        return;
    const char *current = PQgetisnull(lock, 0, 2) ? NULL : PQgetvalue(lock, 0, 2);
    bool ok = expense_valid(c, true, current) && expense_pending(c, lock, "edited");
    PQclear(lock);
    if (!ok)
        return;
    struct rowwrite_args a;
    rowwrite_args_fill(c, expense_fields, &a);
    const char *p[11] = {c->params[0], c->tenant_id, a.present};
    memcpy(p + 3, a.value, 8 * sizeof *p);
    rowwrite_finish(c, &expenses_sql[Q_UPDATE], 11, p, NULL, 200, NULL);
}

static void exp_delete(struct ctx *c)
{
    PGresult *lock = expense_lock(c);
    if (!lock)
        return;
    bool ok = expense_pending(c, lock, "deleted");
    PQclear(lock);
    if (!ok)
        return;
    const char *p[] = {c->params[0], c->tenant_id};
    rowwrite_finish(c, &expenses_sql[Q_DELETE], 2, p, NULL, 204, NULL);
}

/* ---------------------------------------------------------------- approval */

static const char *const decisions[] = {"approved", "rejected", NULL};
static const struct field status_fields[] = {
    {.name = "status", .type = F_ENUM, .required = true, .values = decisions},
    {.name = "rejection_reason", .type = F_STRING, .nullable = true, .min = 1},
    {.name = NULL},
};

/* The decision body: true when valid (a reason exactly when rejecting). */
static bool status_check(const struct ctx *c, struct verr *v)
{
    if (!body_validate(c, status_fields, v))
        return false;
    const char *status = body_str(c, "status"), *reason = body_str(c, "rejection_reason");
    bool ok = true;
    if (!strcmp(status, "rejected") && !reason) {
        verr_add(v, "body.rejection_reason", "field required when rejecting",
                 "value_error.missing");
        ok = false;
    }
    if (!strcmp(status, "approved") && reason) {
        verr_add(v, "body.rejection_reason", "only allowed when rejecting", "value_error.extra");
        ok = false;
    }
    return ok;
}

/* Approves or rejects a pending expense: approved_by is the caller and
 * approved_at now in both cases (the original's columns; the dashboard's
 * activity feed reads approvals only). A rejection needs a reason; an
 * approval takes none. */
static void exp_status(struct ctx *c)
{
    if (!write_begin(c))
        return;
    PGresult *lock = rowwrite_lock(c, &expenses_sql[Q_LOCK], c->params[0]);
    if (!lock)
        return;
    struct verr v;
    verr_init(&v);
    const char *status = NULL, *reason = NULL;
    if (status_check(c, &v)) {
        status = body_str(c, "status");
        reason = body_str(c, "rejection_reason");
    }
    bool ok = !rowwrite_invalid(c, &v, true) && expense_pending(c, lock, "approved or rejected");
    PQclear(lock);
    if (!ok)
        return;
    const char *p[] = {c->params[0], c->tenant_id, status, c->user_id, reason};
    rowwrite_finish(c, &expenses_sql[Q_STATUS], 5, p, NULL, 200, NULL);
}

/* ---------------------------------------------------------------- checks */

static void check_create(struct ctx *c, struct verr *v)
{
    expense_check(c, false, v);
}

static void check_update(struct ctx *c, struct verr *v)
{
    expense_check(c, true, v);
}

static void check_status(struct ctx *c, struct verr *v)
{
    status_check(c, v);
}

static void check_list(struct ctx *c, struct verr *v)
{
    struct list_query q;
    (void)v;
    list_parse(c, &list_spec, &q);
}

const struct route_check expenses_checks[] = {
    {.name = "expenses.create", .body = true, .run = check_create},
    {.name = "expenses.update", .body = true, .run = check_update},
    {.name = "expenses.status", .body = true, .run = check_status},
    {.name = "expenses.list", .run = check_list},
    {.name = NULL},
};

const struct route expenses_routes[] = {
    ROUTE(EVHTTP_REQ_GET, PREFIX, ROLES_ALL, CACHE_NONE, 0, exp_list),
    ROUTE(EVHTTP_REQ_POST, PREFIX, ROLES_MANAGE | ROLE_SALES_REP, CACHE_NONE, ROUTE_BODY,
          exp_create),
    ROUTE(EVHTTP_REQ_GET, PREFIX "/{id}", ROLES_ALL, CACHE_NONE, 0, exp_get),
    ROUTE(EVHTTP_REQ_PUT, PREFIX "/{id}", ROLES_MANAGE | ROLE_SALES_REP, CACHE_NONE, ROUTE_BODY,
          exp_update),
    ROUTE(EVHTTP_REQ_DELETE, PREFIX "/{id}", ROLES_MANAGE | ROLE_SALES_REP, CACHE_NONE, 0,
          exp_delete),
    ROUTE(EVHTTP_REQ_PUT, PREFIX "/{id}/status", ROLES_MANAGE, CACHE_NONE, ROUTE_BODY, exp_status),
    ROUTE_END,
};

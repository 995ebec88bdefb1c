/* Expense category routes: /api/v1/expenses/categories (list, create, get, update, delete or
 * deactivate). */
#include <event2/http.h>
#include <stdio.h>
#include <string.h>

#include "routes/routes.h"
#include "routes/rowwrite.h"

#define PREFIX "/api/v1/expenses/categories"
#define CONFLICT "An expense category with this name already exists"

/* The category object of the API from a row aliased c. */
#define CAT_OBJ                                                                                    \
    "json_build_object('id', c.id, 'name', c.name, 'description', c.description,"                  \
    " 'icon', c.icon, 'color', c.color, 'is_active', c.is_active,"                                 \
    " 'created_at', " ROWWRITE_TS("c.created_at") ", 'updated_at', " ROWWRITE_TS(                  \
        "c.updated_at") ")"
#define CAT_JSON CAT_OBJ "::text"

enum {
    Q_LIST,
    Q_GET,
    Q_LOCK,
    Q_CREATE,
    Q_UPDATE,
    Q_DELETE,
};

const struct sql_stmt categories_sql[] = {
    /* $1 tenant, $2 is_active, $3 search, $4 sort, $5 limit, $6 offset. */
    [Q_LIST] =
        {"categories_list",
         "WITH base AS (SELECT * FROM expense_categories c"
         " WHERE c.tenant_id = $1 AND NOT c.is_deleted"
         " AND ($2::boolean IS NULL OR c.is_active = $2::boolean)"
         " AND ($3::text IS NULL OR position(lower($3::text) IN lower(c.name)) > 0))"
         " SELECT json_build_object('total', (SELECT count(*) FROM base),"
         " 'items', coalesce((SELECT json_agg(" CAT_OBJ " ORDER BY c.rn)"
         " FROM (SELECT b.*, row_number() OVER (ORDER BY" ROWWRITE_SORT("$4", "name") ROWWRITE_SORT(
             "$4",
             "created_at") " b.id) AS rn"
                           " FROM base b ORDER BY rn LIMIT $5 OFFSET $6) c), '[]'::json))::text"},
    /* $1 id, $2 tenant. */
    [Q_GET] = {"categories_get", "SELECT " CAT_JSON " FROM expense_categories c"
                                 " WHERE c.id = $1 AND c.tenant_id = $2 AND NOT c.is_deleted"},
    [Q_LOCK] = {"categories_lock", "SELECT c.id FROM expense_categories c"
                                   " WHERE c.id = $1 AND c.tenant_id = $2 AND NOT c.is_deleted"
                                   " FOR UPDATE"},
    /* $1 tenant, $2 name, $3 description, $4 icon, $5 color, $6 is_active. */
    [Q_CREATE] = {"categories_create", "INSERT INTO expense_categories AS c"
                                       " (tenant_id, name, description, icon, color, is_active)"
                                       " VALUES ($1, $2, $3, $4, $5, coalesce($6::boolean, true))"
                                       " RETURNING " CAT_JSON},
    /* $1 id, $2 tenant, $3 named fields, $4.. as in create. */
    [Q_UPDATE] =
        {"categories_update",
         "WITH c AS (UPDATE expense_categories AS x SET" ROWWRITE_KEEP("name", "$4", "varchar") "," ROWWRITE_KEEP(
             "description", "$5",
             "text") "," ROWWRITE_KEEP("icon", "$6",
                                       "varchar") "," ROWWRITE_KEEP("color", "$7",
                                                                    "char(7)") "," ROWWRITE_KEEP("i"
                                                                                                 "s"
                                                                                                 "_"
                                                                                                 "a"
                                                                                                 "c"
                                                                                                 "t"
                                                                                                 "i"
                                                                                                 "v"
                                                                                                 "e",
                                                                                                 "$"
                                                                                                 "8",
                                                                                                 "b"
                                                                                                 "o"
                                                                                                 "o"
                                                                                                 "l"
                                                                                                 "e"
                                                                                                 "a"
                                                                                                 "n") " WHERE "
                                                                                                      "x.id = "
                                                                                                      "$1 AND "
                                                                                                      "x."
                                                                                                      "tenant_"
                                                                                                      "id = $2 "
                                                                                                      "AND NOT "
                                                                                                      "x.is_"
                                                                                                      "deleted"
                                                                                                      " RETURNI"
                                                                                                      "NG x.*) "
                                                                                                      "SELECT"
                                                                                                      " " CAT_JSON
                                                                                                      " FROM "
                                                                                                      "c"},
    /* $1 id, $2 tenant; run after Q_LOCK so that the EXISTS sees every
     * committed expense. A category in use is deactivated and answered (first
     * column); otherwise it is soft-deleted and the column is null. */
    [Q_DELETE] = {"categories_delete",
                  "WITH u AS (SELECT EXISTS (SELECT 1 FROM expenses e WHERE e.tenant_id = $2"
                  " AND e.category_id = $1 AND NOT e.is_deleted) AS used)"
                  " UPDATE expense_categories AS c"
                  " SET is_active = c.is_active AND NOT u.used, is_deleted = NOT u.used,"
                  " deleted_at = CASE WHEN u.used THEN NULL ELSE now() END"
                  " FROM u WHERE c.id = $1 AND c.tenant_id = $2 AND NOT c.is_deleted"
                  " RETURNING CASE WHEN u.used THEN " CAT_JSON " END"},
    {NULL, NULL},
};

static const struct field category_fields[] = {
    {.name = "name", .type = F_STRING, .required = true, .min = 1, .max = 100},
    {.name = "description", .type = F_STRING, .nullable = true},
    {.name = "icon", .type = F_STRING, .nullable = true, .max = 50},
    {.name = "color", .type = F_STRING, .nullable = true, .min = 7, .max = 7},
    {.name = "is_active", .type = F_BOOL},
    {.name = NULL},
};

/* The field table plus the colour's #RRGGBB form; answers 422 (rolling
 * back when in_tx) and returns false when invalid. */
static void category_check(const struct ctx *c, bool partial, struct verr *v)
{
    rowwrite_validate(c, category_fields, partial, v);
    rowwrite_check_pattern(c, "color", "#hhhhhh", "must be a colour in the form #RRGGBB", v);
}

static bool category_valid(struct ctx *c, bool partial, bool in_tx)
{
    struct verr v;
    verr_init(&v);
    category_check(c, partial, &v);
    return !rowwrite_invalid(c, &v, in_tx);
}

static const char *const sortable[] = {"name", "created_at", NULL};
static const struct list_spec list_spec = {
    .sortable = sortable,
    .default_sort = "-created_at",
    .searchable = true,
    .filters = {{.name = "is_active", .type = FILTER_BOOL}, {.name = NULL}},
};

static void cat_list(struct ctx *c)
{
    struct list_query q;
    if (!list_parse(c, &list_spec, &q))
        return;
    const char *p[] = {c->tenant_id, q.filter[0], q.search, q.sort, q.limit, q.offset};
    rowwrite_list(c, &q, &categories_sql[Q_LIST], 6, p);
}

static void cat_get(struct ctx *c)
{
    rowwrite_get(c, &categories_sql[Q_GET]);
}

static void cat_create(struct ctx *c)
{
    if (!category_valid(c, false, false) || !write_begin(c))
        return;
    struct rowwrite_args a;
    rowwrite_args_fill(c, category_fields, &a);
    const char *p[] = {c->tenant_id, a.value[0], a.value[1], a.value[2], a.value[3], a.value[4]};
    rowwrite_finish(c, &categories_sql[Q_CREATE], 6, p, CONFLICT, 201, PREFIX);
}

static void cat_update(struct ctx *c)
{
    if (!rowwrite_begin_locked(c, &categories_sql[Q_LOCK]) || !category_valid(c, true, true))
        return;
    struct rowwrite_args a;
    rowwrite_args_fill(c, category_fields, &a);
    const char *p[] = {c->params[0], c->tenant_id, a.present,  a.value[0],
                       a.value[1],   a.value[2],   a.value[3], a.value[4]};
    rowwrite_finish(c, &categories_sql[Q_UPDATE], 8, p, CONFLICT, 200, NULL);
}

/* A category that expenses use is deactivated and answered with 200 and its
 * body (is_active false), so that the client can tell; any other is
 * soft-deleted with 204. */
static void cat_delete(struct ctx *c)
{
    rowwrite_delete(c, &categories_sql[Q_LOCK], &categories_sql[Q_DELETE]);
}

/* ---------------------------------------------------------------- checks */

static void check_create(struct ctx *c, struct verr *v)
{
    category_check(c, false, v);
}

static void check_update(struct ctx *c, struct verr *v)
{
    category_check(c, true, v);
}

static void check_list(struct ctx *c, struct verr *v)
{
    struct list_query q;
    (void)v;
    list_parse(c, &list_spec, &q);
}

const struct route_check categories_checks[] = {
    {.name = "categories.create", .body = true, .run = check_create},
    {.name = "categories.update", .body = true, .run = check_update},
    {.name = "categories.list", .run = check_list},
    {.name = NULL},
};

const struct route categories_routes[] = {
    ROUTE(EVHTTP_REQ_GET, PREFIX, ROLES_ALL, CACHE_NONE, 0, cat_list),
    ROUTE(EVHTTP_REQ_POST, PREFIX, ROLES_MANAGE, CACHE_NONE, ROUTE_BODY, cat_create),
    ROUTE(EVHTTP_REQ_GET, PREFIX "/{id}", ROLES_ALL, CACHE_NONE, 0, cat_get),
    ROUTE(EVHTTP_REQ_PUT, PREFIX "/{id}", ROLES_MANAGE, CACHE_NONE, ROUTE_BODY, cat_update),
    ROUTE(EVHTTP_REQ_DELETE, PREFIX "/{id}", ROLES_MANAGE, CACHE_NONE, 0, cat_delete),
    ROUTE_END,
};

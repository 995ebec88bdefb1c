/* Client routes: list with filter and search, create, get, partial update, soft delete, status. */
#include <event2/http.h>
#include <stdlib.h>

#include "api/body.h"
#include "routes/routes.h"
#include "routes/rowwrite.h"
#include "xalloc.h"

/* The client object of api.md from a row aliased c. */
#define CLIENT_JSON                                                                                \
    "json_build_object('id', c.id, 'name', c.name, 'client_type', c.client_type,"                  \
    " 'email', c.email, 'phone', c.phone, 'website', c.website, 'city', c.city,"                   \
    " 'country', c.country, 'industry', c.industry, 'status', c.status, 'notes', c.notes,"         \
    " 'tags', c.tags, 'created_at', " ROWWRITE_TS("c.created_at") ", 'updated_at', " ROWWRITE_TS(  \
        "c.updated_at") ")"

/* The columns a body may set. Writes read them from the body through
 * jsonb_populate_record: on an update the current row is the base, so the
 * fields left out keep their values (PUT is a partial update). */
#define CLIENT_COLS                                                                                \
    "name, client_type, email, phone, website, city, country, industry, status, notes, tags"

enum { Q_LIST, Q_GET, Q_LOCK, Q_CREATE, Q_UPDATE, Q_DELETE };

const struct sql_stmt clients_sql[] = {
    /* $1 tenant, $2 status, $3 search, $4 sort, $5 limit, $6 offset. */
    [Q_LIST] =
        {"clients_list",
         "WITH base AS (SELECT * FROM clients c WHERE c.tenant_id = $1 AND NOT c.is_deleted"
         " AND ($2::client_status IS NULL OR c.status = $2::client_status)"
         " AND ($3::text IS NULL OR strpos(lower(c.name), lower($3)) > 0"
         " OR strpos(lower(coalesce(c.email, '')), lower($3)) > 0)),"
         " page AS (SELECT base.*, row_number() OVER (ORDER BY"
         " CASE WHEN $4 = 'name' THEN name END ASC, CASE WHEN $4 = '-name' THEN name END DESC,"
         " CASE WHEN $4 = 'status' THEN status END ASC,"
         " CASE WHEN $4 = '-status' THEN status END DESC,"
         " CASE WHEN $4 = 'created_at' THEN created_at END ASC,"
         " CASE WHEN $4 = '-created_at' THEN created_at END DESC, id) AS rn"
         " FROM base ORDER BY rn LIMIT $5 OFFSET $6)"
         " SELECT json_build_object('total', (SELECT count(*) FROM base), 'items',"
         " coalesce((SELECT json_agg(" CLIENT_JSON " ORDER BY c.rn) FROM page c),"
         " '[]'::json))::text"},
    [Q_GET] = {"clients_get", "SELECT " CLIENT_JSON " FROM clients c"
                              " WHERE c.id = $1 AND c.tenant_id = $2 AND NOT c.is_deleted"},
    [Q_LOCK] = {"clients_lock", "SELECT id FROM clients WHERE id = $1 AND tenant_id = $2"
                                " AND NOT is_deleted FOR UPDATE"},
    /* $1 tenant, $2 the validated body as jsonb. */
    [Q_CREATE] = {"clients_create",
                  "INSERT INTO clients AS c (tenant_id, " CLIENT_COLS ") SELECT $1, " CLIENT_COLS
                  " FROM jsonb_populate_record(NULL::clients,"
                  " '{\"client_type\": \"company\", \"status\": \"lead\"}'::jsonb || $2::jsonb)"
                  " RETURNING " CLIENT_JSON},
    /* $1 id, $2 tenant, $3 the validated body (any subset of the fields). */
    [Q_UPDATE] = {"clients_update", "UPDATE clients c SET (" CLIENT_COLS ") = (SELECT " CLIENT_COLS
                                    " FROM jsonb_populate_record(c, $3::jsonb))"
                                    " WHERE c.id = $1 AND c.tenant_id = $2 AND NOT c.is_deleted"
                                    " RETURNING " CLIENT_JSON},
    [Q_DELETE] = {"clients_delete", "UPDATE clients SET is_deleted = true, deleted_at = now()"
                                    " WHERE id = $1 AND tenant_id = $2"},
    {NULL, NULL},
};

#define CLIENTS_PATH "/api/v1/clients"

static const char *const client_types[] = {"individual", "company", NULL};
static const char *const industries[] = {
    "technology",  "healthcare",   "finance",     "retail",         "manufacturing",
    "education",   "real_estate",  "hospitality", "transportation", "energy",
    "agriculture", "construction", "consulting",  "other",          NULL};
static const char *const statuses[] = {"lead", "prospect", "active", "inactive", "lost", NULL};

/* Create's fields; a PUT takes any subset of them (rowwrite_validate, partial). */
static const struct field client_fields[] = {
    {.name = "name", .type = F_STRING, .required = true, .min = 1, .max = 255},
    {.name = "client_type", .type = F_ENUM, .values = client_types},
    {.name = "email", .type = F_STRING, .nullable = true, .max = 255},
    {.name = "phone", .type = F_STRING, .nullable = true, .max = 50},
    {.name = "website", .type = F_STRING, .nullable = true, .max = 255},
    {.name = "city", .type = F_STRING, .nullable = true, .max = 100},
    {.name = "country", .type = F_STRING, .nullable = true, .max = 100},
    {.name = "industry", .type = F_ENUM, .nullable = true, .values = industries},
    {.name = "status", .type = F_ENUM, .values = statuses},
    {.name = "notes", .type = F_STRING, .nullable = true, .max = 10000},
    {.name = "tags", .type = F_STRING, .nullable = true, .max = 500},
    {.name = NULL},
};

static const struct field status_fields[] = {
    {.name = "status", .type = F_ENUM, .required = true, .values = statuses},
    {.name = NULL},
};

static const struct list_spec list_spec = {
    .sortable = (const char *const[]){"name", "created_at", "status", NULL},
    .default_sort = "-created_at",
    .searchable = true,
    .filters = {{.name = "status", .type = FILTER_ENUM, .values = statuses}},
};

/* ---------------------------------------------------------------- handlers */

static void check_create(struct ctx *c, struct verr *v)
{
    rowwrite_validate(c, client_fields, false, v);
}

static void client_list(struct ctx *c)
{
    struct list_query q;
    if (!list_parse(c, &list_spec, &q))
        return;
    const char *p[] = {c->tenant_id, q.filter[0], q.search, q.sort, q.limit, q.offset};
    rowwrite_list(c, &q, &clients_sql[Q_LIST], 6, p);
}

static void client_get(struct ctx *c)
{
    rowwrite_get(c, &clients_sql[Q_GET]);
}

static void client_create(struct ctx *c)
{
    struct verr v;
    verr_init(&v);
    check_create(c, &v);
    if (rowwrite_invalid(c, &v, false) || !write_begin(c))
        return;
    char *body = cJSON_PrintUnformatted(c->json);
    const char *p[] = {c->tenant_id, body};
    rowwrite_finish(c, &clients_sql[Q_CREATE], 2, p, NULL, 201, CLIENTS_PATH);
    free(body);
}

/* PUT /{id} and PUT /{id}/status: a partial update with fields. The
 * client is locked first, so that a missing one answers 404 before the
 * body's 422. */
static void client_update_with(struct ctx *c, const struct field *fields, bool partial)
{
    struct verr v;
    verr_init(&v);
    rowwrite_validate(c, fields, partial, &v);
    if (!rowwrite_begin_locked(c, &clients_sql[Q_LOCK])) {
        verr_free(&v);
        return;
    }
    if (rowwrite_invalid(c, &v, true))
        return;
    char *body = c->json ? cJSON_PrintUnformatted(c->json) : xstrdup("{}");
    const char *p[] = {c->params[0], c->tenant_id, body};
    rowwrite_finish(c, &clients_sql[Q_UPDATE], 3, p, NULL, 200, NULL);
    free(body);
}

static void client_update(struct ctx *c)
{
    client_update_with(c, client_fields, true);
}

static void client_set_status(struct ctx *c)
{
    client_update_with(c, status_fields, false);
}

/* A soft delete: the client leaves every list and count, and answers 404. */
static void client_delete(struct ctx *c)
{
    const char *p[] = {c->params[0], c->tenant_id};
    if (rowwrite_begin_locked(c, &clients_sql[Q_LOCK]))
        rowwrite_finish(c, &clients_sql[Q_DELETE], 2, p, NULL, 204, NULL);
}

/* Reads for every role; writes for all but analysts (api.md, role matrix). */
#define CLIENT_WRITERS (ROLES_MANAGE | ROLE_SALES_REP)

/* ---------------------------------------------------------------- checks */

static void check_update(struct ctx *c, struct verr *v)
{
    rowwrite_validate(c, client_fields, true, v);
}

static void check_status(struct ctx *c, struct verr *v)
{
    rowwrite_validate(c, status_fields, false, v);
}

static void check_list(struct ctx *c, struct verr *v)
{
    struct list_query q;
    (void)v;
    list_parse(c, &list_spec, &q);
}

const struct route_check clients_checks[] = {
    {.name = "clients.create", .body = true, .run = check_create},
    {.name = "clients.update", .body = true, .run = check_update},
    {.name = "clients.status", .body = true, .run = check_status},
    {.name = "clients.list", .run = check_list},
    {.name = NULL},
};

const struct route clients_routes[] = {
    ROUTE(EVHTTP_REQ_GET, CLIENTS_PATH, ROLES_ALL, CACHE_NONE, 0, client_list),
    ROUTE(EVHTTP_REQ_POST, CLIENTS_PATH, CLIENT_WRITERS, CACHE_NONE, ROUTE_BODY, client_create),
    ROUTE(EVHTTP_REQ_GET, CLIENTS_PATH "/{id}", ROLES_ALL, CACHE_NONE, 0, client_get),
    ROUTE(EVHTTP_REQ_PUT, CLIENTS_PATH "/{id}", CLIENT_WRITERS, CACHE_NONE, ROUTE_BODY,
          client_update),
    ROUTE(EVHTTP_REQ_DELETE, CLIENTS_PATH "/{id}", CLIENT_WRITERS, CACHE_NONE, 0, client_delete),
    ROUTE(EVHTTP_REQ_PUT, CLIENTS_PATH "/{id}/status", CLIENT_WRITERS, CACHE_NONE, ROUTE_BODY,
          client_set_status),
    ROUTE_END,
};

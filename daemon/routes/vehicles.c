/* Vehicle routes: list embedding the driver, create, get, partial update and soft delete. */
#include <event2/http.h>
#include <stdlib.h>

#include "api/body.h"
#include "routes/routes.h"
#include "routes/rowwrite.h"
#include "uuid.h"
#include "xalloc.h"

/* The vehicle object of api.md from a row aliased v and its driver, a
 * users row aliased d (LEFT JOIN: null when unassigned). */
#define VEHICLE_JSON                                                                               \
    "json_build_object('id', v.id, 'plate_number', v.plate_number, 'brand', v.brand,"              \
    " 'model', v.model, 'year', v.year, 'vehicle_type', v.vehicle_type, 'status', v.status,"       \
    " 'assigned_driver_id', v.assigned_driver_id, 'driver', CASE WHEN d.id IS NOT NULL"            \
    " THEN json_build_object('id', d.id, 'full_name', d.full_name) END,"                           \
    " 'mileage_km', round(v.mileage_km, 2), 'created_at', " ROWWRITE_TS(                           \
        "v.created_at") ", 'updated_at', " ROWWRITE_TS("v.updated_at") ")"

#define DRIVER_JOIN                                                                                \
    " LEFT JOIN users d ON d.id = v.assigned_driver_id AND d.tenant_id = v.tenant_id"

/* The columns a body may set, read from it through jsonb_populate_record
 * (on an update with the current row as the base: a partial update). */
#define VEHICLE_COLS                                                                               \
    "plate_number, brand, model, year, vehicle_type, status, assigned_driver_id, mileage_km"

enum { Q_LIST, Q_GET, Q_CHECK, Q_CREATE, Q_UPDATE, Q_LOCK, Q_DELETE };

const struct sql_stmt vehicles_sql[] = {
    /* $1 tenant, $2 status, $3 vehicle_type, $4 search, $5 sort, $6 limit,
     * $7 offset. The drivers of a page come from one join, not a query
     * per row. */
    [Q_LIST] =
        {"vehicles_list",
         "WITH base AS (SELECT * FROM vehicles v WHERE v.tenant_id = $1 AND NOT v.is_deleted"
         " AND ($2::vehicle_status IS NULL OR v.status = $2::vehicle_status)"
         " AND ($3::vehicle_type IS NULL OR v.vehicle_type = $3::vehicle_type)"
         " AND ($4::text IS NULL OR strpos(lower(v.plate_number), lower($4)) > 0"
         " OR strpos(lower(coalesce(v.brand, '') || ' ' || coalesce(v.model, '')), lower($4)) > "
         "0)),"
         " page AS (SELECT base.*, row_number() OVER (ORDER BY"
         " CASE WHEN $5 = 'plate_number' THEN plate_number END ASC,"
         " CASE WHEN $5 = '-plate_number' THEN plate_number END DESC,"
         " CASE WHEN $5 = 'status' THEN status END ASC,"
         " CASE WHEN $5 = '-status' THEN status END DESC,"
         " CASE WHEN $5 = 'year' THEN year END ASC, CASE WHEN $5 = '-year' THEN year END DESC,"
         " CASE WHEN $5 = 'created_at' THEN created_at END ASC,"
         " CASE WHEN $5 = '-created_at' THEN created_at END DESC, id) AS rn"
         " FROM base ORDER BY rn LIMIT $6 OFFSET $7)"
         " SELECT json_build_object('total', (SELECT count(*) FROM base), 'items',"
         " coalesce((SELECT json_agg(" VEHICLE_JSON " ORDER BY v.rn) FROM page v" DRIVER_JOIN "),"
         " '[]'::json))::text"},
    [Q_GET] = {"vehicles_get", "SELECT " VEHICLE_JSON " FROM vehicles v" DRIVER_JOIN
                               " WHERE v.id = $1 AND v.tenant_id = $2 AND NOT v.is_deleted"},
    /* $1 vehicle id (NULL on create), $2 tenant, $3 driver id (NULL: none):
     * whether the vehicle exists (locked for the update that follows) and
     * whether the driver is a user of the tenant. */
    [Q_CHECK] = {"vehicles_check",
                 "SELECT EXISTS (SELECT 1 FROM vehicles WHERE id = $1 AND tenant_id = $2"
                 " AND NOT is_deleted FOR UPDATE),"
                 " $3::uuid IS NULL OR EXISTS (SELECT 1 FROM users WHERE id = $3::uuid"
                 " AND tenant_id = $2 AND NOT is_deleted)"},
    /* $1 tenant, $2 the validated body as jsonb. */
    [Q_CREATE] = {"vehicles_create",
                  "WITH v AS (INSERT INTO vehicles (tenant_id, " VEHICLE_COLS
                  ") SELECT $1, " VEHICLE_COLS " FROM jsonb_populate_record(NULL::vehicles,"
                  " '{\"vehicle_type\": \"car\", \"status\": \"active\"}'::jsonb || $2::jsonb)"
                  " RETURNING *) SELECT " VEHICLE_JSON " FROM v" DRIVER_JOIN},
    /* $1 id, $2 tenant, $3 the validated body (any subset of the fields). */
    [Q_UPDATE] = {"vehicles_update",
                  "WITH v AS (UPDATE vehicles o SET (" VEHICLE_COLS ") = (SELECT " VEHICLE_COLS
                  " FROM jsonb_populate_record(o, $3::jsonb))"
                  " WHERE o.id = $1 AND o.tenant_id = $2 AND NOT o.is_deleted RETURNING o.*)"
                  " SELECT " VEHICLE_JSON " FROM v" DRIVER_JOIN},
    [Q_LOCK] = {"vehicles_lock", "SELECT id FROM vehicles WHERE id = $1 AND tenant_id = $2"
                                 " AND NOT is_deleted FOR UPDATE"},
    [Q_DELETE] = {"vehicles_delete", "UPDATE vehicles SET is_deleted = true, deleted_at = now()"
                                     " WHERE id = $1 AND tenant_id = $2"},
    {NULL, NULL},
};

#define VEHICLES_PATH "/api/v1/transport/vehicles"

static const char *const vehicle_types[] = {"car", "van", "truck", "motorcycle", "other", NULL};
static const char *const statuses[] = {"active", "maintenance", "inactive", NULL};

/* Create's fields; a PUT takes any subset of them (rowwrite_validate, partial). */
static const struct field vehicle_fields[] = {
    {.name = "plate_number", .type = F_STRING, .required = true, .min = 1, .max = 20},
    {.name = "brand", .type = F_STRING, .nullable = true, .max = 100},
    {.name = "model", .type = F_STRING, .nullable = true, .max = 100},
    {.name = "year", .type = F_INT, .nullable = true, .min = 1900, .max = 2100},
    {.name = "vehicle_type", .type = F_ENUM, .values = vehicle_types},
    {.name = "status", .type = F_ENUM, .values = statuses},
    {.name = "assigned_driver_id", .type = F_UUID, .nullable = true},
    {.name = "mileage_km", .type = F_MONEY, .nullable = true, .min = 0, .max = CENTS_NUMERIC_10_2},
    {.name = NULL},
};

static const struct list_spec list_spec = {
    .sortable = (const char *const[]){"plate_number", "created_at", "status", "year", NULL},
    .default_sort = "-created_at",
    .searchable = true,
    .filters = {{.name = "status", .type = FILTER_ENUM, .values = statuses},
                {.name = "vehicle_type", .type = FILTER_ENUM, .values = vehicle_types}},
};

/* ---------------------------------------------------------------- handlers */

static void vehicle_list(struct ctx *c)
{
    struct list_query q;
    if (!list_parse(c, &list_spec, &q))
        return;
    const char *p[] = {c->tenant_id, q.filter[0], q.filter[1], q.search, q.sort, q.limit, q.offset};
    rowwrite_list(c, &q, &vehicles_sql[Q_LIST], 7, p);
}

static void vehicle_get(struct ctx *c)
{
    rowwrite_get(c, &vehicles_sql[Q_GET]);
}

/* Creates (id NULL) or updates vehicle id inside one write: existence
 * (404), then the body (422, every field, including a driver who is not a
 * user of the tenant), then the statement. */
static void vehicle_write(struct ctx *c, const char *id)
{
    struct verr v;
    verr_init(&v);
    rowwrite_validate(c, vehicle_fields, id != NULL, &v);
    const char *driver = body_str(c, "assigned_driver_id");
    const char *check[] = {id, c->tenant_id, driver && uuid_parse(driver, NULL) ? driver : NULL};
    PGresult *res = write_begin(c) ? res_exec(c, &vehicles_sql[Q_CHECK], 3, check) : NULL;
    if (!res) {
        verr_free(&v);
        return;
    }
    bool found = PQgetvalue(res, 0, 0)[0] == 't', driver_ok = PQgetvalue(res, 0, 1)[0] == 't';
    PQclear(res);
    if (id && !found) {
        write_abort(c);
        verr_free(&v);
        resp_error(c, 404, "Not Found");
        return;
    }
    if (!driver_ok)
        verr_add(&v, "body.assigned_driver_id", "must be a user of this tenant", "value_error");
    if (rowwrite_invalid(c, &v, true))
        return;
    char *body = c->json ? cJSON_PrintUnformatted(c->json) : xstrdup("{}");
    const char *p[] = {id ? id : c->tenant_id, c->tenant_id, body};
    if (id)
        rowwrite_finish(c, &vehicles_sql[Q_UPDATE], 3, p, NULL, 200, NULL);
    else
        rowwrite_finish(c, &vehicles_sql[Q_CREATE], 2, p + 1, NULL, 201, VEHICLES_PATH);
    free(body);
}

static void vehicle_create(struct ctx *c)
{
    vehicle_write(c, NULL);
}

static void vehicle_update(struct ctx *c)
{
    vehicle_write(c, c->params[0]);
}

static void vehicle_delete(struct ctx *c)
{
    const char *p[] = {c->params[0], c->tenant_id};
    if (rowwrite_begin_locked(c, &vehicles_sql[Q_LOCK]))
        rowwrite_finish(c, &vehicles_sql[Q_DELETE], 2, p, NULL, 204, NULL);
}

/* Reads for every role; writes for all but analysts (api.md, role matrix). */
#define VEHICLE_WRITERS (ROLES_MANAGE | ROLE_SALES_REP)

/* ---------------------------------------------------------------- checks */

static void check_create(struct ctx *c, struct verr *v)
{
    rowwrite_validate(c, vehicle_fields, false, v);
}

static void check_update(struct ctx *c, struct verr *v)
{
    rowwrite_validate(c, vehicle_fields, true, v);
}

static void check_list(struct ctx *c, struct verr *v)
{
    struct list_query q;
    (void)v;
    list_parse(c, &list_spec, &q);
}

const struct route_check vehicles_checks[] = {
    {.name = "vehicles.create", .body = true, .run = check_create},
    {.name = "vehicles.update", .body = true, .run = check_update},
    {.name = "vehicles.list", .run = check_list},
    {.name = NULL},
};

const struct route vehicles_routes[] = {
    ROUTE(EVHTTP_REQ_GET, VEHICLES_PATH, ROLES_ALL, CACHE_NONE, 0, vehicle_list),
    ROUTE(EVHTTP_REQ_POST, VEHICLES_PATH, VEHICLE_WRITERS, CACHE_NONE, ROUTE_BODY, vehicle_create),
    ROUTE(EVHTTP_REQ_GET, VEHICLES_PATH "/{id}", ROLES_ALL, CACHE_NONE, 0, vehicle_get),
    ROUTE(EVHTTP_REQ_PUT, VEHICLES_PATH "/{id}", VEHICLE_WRITERS, CACHE_NONE, ROUTE_BODY,
          vehicle_update),
    ROUTE(EVHTTP_REQ_DELETE, VEHICLES_PATH "/{id}", VEHICLE_WRITERS, CACHE_NONE, 0, vehicle_delete),
    ROUTE_END,
};

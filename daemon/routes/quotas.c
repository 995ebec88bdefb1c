/* Quota routes: /api/v1/quotas (list, create, get, update, delete, each with the live achieved
 * revenue) and /api/v1/quotas/alerts. */
#include <event2/http.h>
#include <stdio.h>
#include <string.h>

#include "api/params.h"
#include "routes/routes.h"
#include "routes/rowwrite.h"
#include "timeutil.h"
#include "uuid.h"

#define PREFIX "/api/v1/quotas"
#define CONFLICT "A quota for this user, year and month already exists"

/* The quota object of the API from a row aliased t, its user u and its
 * achieved revenue a.v (QUOTA_JOINS). */
#define QUOTA_OBJ                                                                                  \
    "json_build_object('id', t.id, 'user_id', t.user_id,"                                          \
    " 'user', json_build_object('id', u.id, 'full_name', u.full_name),"                            \
    " 'year', t.year, 'month', t.month, 'target_amount', round(t.target_amount, 2),"               \
    " 'achieved', round(a.v, 2), 'percent', round(a.v * 100 / t.target_amount, 2),"                \
    " 'created_at', " ROWWRITE_TS("t.created_at") ", 'updated_at', " ROWWRITE_TS(                  \
        "t.updated_at") ")"

/* The user (undeleted: a deleted user's quotas count nowhere) and the live
 * achieved revenue: the rep's accepted quotes created in the quota's month,
 * the month's bounds being local midnights in time zone tz (data.md's
 * quota performance rule). */
#define QUOTA_JOINS(tz)                                                                            \
    " JOIN users u ON u.id = t.user_id AND u.tenant_id = t.tenant_id AND NOT u.is_deleted"         \
    " CROSS JOIN LATERAL (SELECT coalesce(sum(q.total_amount), 0) AS v FROM quotes q"              \
    "  WHERE q.tenant_id = t.tenant_id AND q.sales_rep_id = t.user_id"                             \
    "  AND q.status = 'accepted' AND NOT q.is_deleted"                                             \
    "  AND q.created_at >= make_date(t.year, t.month, 1)::timestamp AT TIME ZONE " tz              \
    "  AND q.created_at < (make_date(t.year, t.month, 1) + interval '1 month')"                    \
    "      AT TIME ZONE " tz ") a"

enum {
    Q_LIST,
    Q_GET,
    Q_LOCK,
    Q_USER,
    Q_CREATE,
    Q_UPDATE,
    Q_DELETE,
    Q_ALERTS,
};

const struct sql_stmt quotas_sql[] = {
    /* $1 tenant, $2 time zone, $3 year, $4 month, $5 user_id, $6 sort,
     * $7 limit, $8 offset. Achieved is computed for the page's rows only. */
    [Q_LIST] = {"quotas_list",
                "WITH base AS (SELECT x.*, x.year * 100 + x.month AS period,"
                " v.full_name AS user_name FROM quotas x JOIN users v ON v.id = x.user_id"
                " AND v.tenant_id = x.tenant_id AND NOT v.is_deleted WHERE x.tenant_id = $1"
                " AND ($3::int IS NULL OR x.year = $3::int)"
                " AND ($4::int IS NULL OR x.month = $4::int)"
                " AND ($5::uuid IS NULL OR x.user_id = $5::uuid))"
                " SELECT json_build_object('total', (SELECT count(*) FROM base),"
                " 'items', coalesce((SELECT json_agg(" QUOTA_OBJ " ORDER BY t.rn)"
                " FROM (SELECT b.*, row_number() OVER (ORDER BY" ROWWRITE_SORT(
                    "$6", "period") ROWWRITE_SORT("$6", "user_name")
                    ROWWRITE_SORT("$6", "target_amount") ROWWRITE_SORT(
                        "$6",
                        "created_at") " b.id) AS rn"
                                      " FROM base b ORDER BY rn LIMIT $7 OFFSET $8) t" QUOTA_JOINS(
                                          "$2") "),"
                                                " '[]'::json))::text"},
    /* $1 id, $2 tenant, $3 time zone. */
    [Q_GET] = {"quotas_get", "SELECT " QUOTA_OBJ "::text FROM quotas t" QUOTA_JOINS(
                                 "$3") " WHERE t.id = $1 AND t.tenant_id = $2"},
    [Q_LOCK] = {"quotas_lock", "SELECT t.id FROM quotas t JOIN users u ON u.id = t.user_id"
                               " AND u.tenant_id = t.tenant_id AND NOT u.is_deleted"
                               " WHERE t.id = $1 AND t.tenant_id = $2 FOR UPDATE OF t"},
    /* $1 user id, $2 tenant: a user a quota may name. */
    [Q_USER] = {"quotas_user", "SELECT 1 FROM users"
                               " WHERE id = $1 AND tenant_id = $2 AND NOT is_deleted"},
    /* $1 tenant, $2 time zone, $3 user_id, $4 year, $5 month, $6 target. */
    [Q_CREATE] = {"quotas_create",
                  "WITH t AS (INSERT INTO quotas (tenant_id, user_id, year, month, target_amount)"
                  " VALUES ($1, $3, $4::int, $5::int, $6::numeric) RETURNING *)"
                  " SELECT " QUOTA_OBJ "::text FROM t" QUOTA_JOINS("$2")},
    /* $1 id, $2 tenant, $3 named fields, $4 user_id, $5 year, $6 month,
     * $7 target, $8 time zone. */
    [Q_UPDATE] =
        {"quotas_update",
         "WITH t AS (UPDATE quotas x SET" ROWWRITE_KEEP("user_id", "$4", "uuid") "," ROWWRITE_KEEP(
             "year", "$5",
             "int") "," ROWWRITE_KEEP("month", "$6",
                                      "int") "," ROWWRITE_KEEP("target_amount", "$7",
                                                               "numeric") " WHERE x.id = $1 AND "
                                                                          "x.tenant_id = "
                                                                          "$2 RETURNING x.*)"
                                                                          " SELECT " QUOTA_OBJ
                                                                          "::text FROM "
                                                                          "t" QUOTA_JOINS("$8")},
    /* Quotas have no soft delete. */
    [Q_DELETE] = {"quotas_delete", "DELETE FROM quotas WHERE id = $1 AND tenant_id = $2"},
    /* $1 tenant, $2 as_of (NULL: today in the zone), $3 time zone. The
     * month of as_of with data.md's quota-performance arithmetic: achieved
     * cut at the end of as_of, pace = day / days in month (rounded as the
     * dashboard rounds it), the same status thresholds. reached is when the
     * running total of the month's accepted quotes first made percent >= 100;
     * "just reached" means on one of the 7 days ending at as_of. */
    [Q_ALERTS] =
        {"quotas_alerts",
         "WITH p AS (\n"
         "  SELECT x.d, x.y, x.m,\n"
         "         round(extract(day FROM x.d) * 100 / extract(day FROM x.me - 1), 2) AS pace,\n"
         "         x.ms::timestamp AT TIME ZONE $3 AS s,\n"
         "         (x.d + 1)::timestamp AT TIME ZONE $3 AS e\n"
         "  FROM (SELECT z.d, extract(year FROM z.d)::int AS y, extract(month FROM z.d)::int AS "
         "m,\n"
         "               date_trunc('month', z.d)::date AS ms,\n"
         "               (date_trunc('month', z.d) + interval '1 month')::date AS me\n"
         "        FROM (SELECT coalesce($2::date, (now() AT TIME ZONE $3)::date) AS d) z) x),\n"
         "r AS (\n"
         "  SELECT t.user_id, u.full_name, t.target_amount AS target, a.achieved, a.reached\n"
         "  FROM p JOIN quotas t ON t.tenant_id = $1 AND t.year = p.y AND t.month = p.m\n"
         "  JOIN users u ON u.id = t.user_id AND u.tenant_id = $1 AND NOT u.is_deleted\n"
         "  CROSS JOIN LATERAL (\n"
         "    SELECT coalesce(sum(w.total_amount), 0) AS achieved,\n"
         "           min(w.created_at) FILTER (\n"
         "             WHERE round(w.cum * 100 / t.target_amount, 2) >= 100) AS reached\n"
         "    FROM (SELECT q.total_amount, q.created_at,\n"
         "                 sum(q.total_amount) OVER (ORDER BY q.created_at, q.id) AS cum\n"
         "          FROM quotes q\n"
         "          WHERE q.tenant_id = $1 AND q.sales_rep_id = t.user_id\n"
         "            AND q.status = 'accepted' AND NOT q.is_deleted\n"
         "            AND q.created_at >= p.s AND q.created_at < p.e) w) a),\n"
         "st AS (\n"
         "  SELECT r.*, pc.pct, (r.reached AT TIME ZONE $3)::date AS reached_on,\n"
         "         CASE WHEN pc.pct >= 100 THEN 'achieved'\n"
         "              WHEN pc.pct >= p.pace - 10 THEN 'on_track'\n"
         "              WHEN pc.pct >= p.pace - 25 THEN 'at_risk'\n"
         "              ELSE 'behind' END AS status\n"
         "  FROM p, r,\n"
         "       LATERAL (SELECT CASE WHEN r.target > 0\n"
         "                         THEN round(r.achieved * 100 / r.target, 2)\n"
         "                         ELSE 0.00 END AS pct) pc)\n"
         "SELECT json_build_object(\n"
         "  'as_of', p.d::text, 'year', p.y, 'month', p.m, 'pace_percent', p.pace,\n"
         "  'alerts', (SELECT coalesce(json_agg(json_build_object(\n"
         "                      'user_id', st.user_id, 'user_name', st.full_name,\n"
         "                      'target', round(st.target, 2), 'achieved', round(st.achieved, 2),\n"
         "                      'percent', st.pct, 'status', st.status,\n"
         "                      'reached_on', st.reached_on::text)\n"
         "                    ORDER BY st.pct, st.full_name, st.user_id), '[]')\n"
         "             FROM st\n"
         "             WHERE st.status IN ('at_risk', 'behind')\n"
         "                OR (st.status = 'achieved' AND st.reached_on > p.d - 7)))::text\n"
         "FROM p"},
    {NULL, NULL},
};

/* Create's fields; update takes any subset. The order is the statements'. */
static const struct field quota_fields[] = {
    {.name = "user_id", .type = F_UUID, .required = true},
    {.name = "year", .type = F_INT, .required = true, .min = 2000, .max = 2100},
    {.name = "month", .type = F_INT, .required = true, .min = 1, .max = 12},
    {.name = "target_amount",
     .type = F_MONEY,
     .required = true,
     .min = 0,
     .gt_min = true,
     .max = CENTS_NUMERIC_12_2},
    {.name = NULL},
};

/* Validates the body inside the open write (partial for PUT), including
 * that user_id names an undeleted user of the tenant; answers 422 (rolling
 * back) when invalid. */
static bool quota_valid(struct ctx *c, bool partial)
{
    struct verr v;
    verr_init(&v);
    rowwrite_validate(c, quota_fields, partial, &v);
    const char *user = body_str(c, "user_id");
    char norm[UUID_STR_LEN + 1];
    if (user && uuid_parse(user, norm)) {
        const char *p[] = {norm, c->tenant_id};
        PGresult *res = res_exec(c, &quotas_sql[Q_USER], 2, p);
        if (!res) {
            verr_free(&v);
            return false;
        }
        if (PQntuples(res) < 1)
            verr_add(&v, "body.user_id", "user not found", "value_error.not_found");
        PQclear(res);
    }
    return !rowwrite_invalid(c, &v, true);
}

static const char *const sortable[] = {"period", "user_name", "target_amount", "created_at", NULL};
static const struct list_spec list_spec = {
    .sortable = sortable,
    .default_sort = "-created_at",
    .filters = {{.name = "year", .type = FILTER_INT, .min = 2000, .max = 2100},
                {.name = "month", .type = FILTER_INT, .min = 1, .max = 12},
                {.name = "user_id", .type = FILTER_UUID},
                {.name = NULL}},
};

static void quota_list(struct ctx *c)
{
    struct list_query q;
    if (!list_parse(c, &list_spec, &q))
        return;
    const char *p[] = {c->tenant_id, c->cfg->timezone, q.filter[0], q.filter[1],
                       q.filter[2],  q.sort,           q.limit,     q.offset};
    rowwrite_list(c, &q, &quotas_sql[Q_LIST], 8, p);
}

static void quota_get(struct ctx *c)
{
    const char *p[] = {c->params[0], c->tenant_id, c->cfg->timezone};
    rowwrite_read(c, &quotas_sql[Q_GET], 3, p);
}

static void quota_create(struct ctx *c)
{
    if (!write_begin(c) || !quota_valid(c, false))
        return;
    struct rowwrite_args a;
    rowwrite_args_fill(c, quota_fields, &a);
    const char *p[] = {c->tenant_id, c->cfg->timezone, a.value[0],
                       a.value[1],   a.value[2],       a.value[3]};
    rowwrite_finish(c, &quotas_sql[Q_CREATE], 6, p, CONFLICT, 201, PREFIX);
}

static void quota_update(struct ctx *c)
{
    if (!rowwrite_begin_locked(c, &quotas_sql[Q_LOCK]) || !quota_valid(c, true))
        return;
    struct rowwrite_args a;
    rowwrite_args_fill(c, quota_fields, &a);
    const char *p[] = {c->params[0], c->tenant_id, a.present,  a.value[0],
                       a.value[1],   a.value[2],   a.value[3], c->cfg->timezone};
    rowwrite_finish(c, &quotas_sql[Q_UPDATE], 8, p, CONFLICT, 200, NULL);
}

static void quota_delete(struct ctx *c)
{
    rowwrite_delete(c, &quotas_sql[Q_LOCK], &quotas_sql[Q_DELETE]);
}

/* GET /api/v1/quotas/alerts?as_of=YYYY-MM-DD: as_of defaults to today in
 * the configured time zone (computed in SQL). */
static void alerts_check(struct ctx *c, struct verr *v)
{
    static const char *const allowed[] = {"as_of", NULL};
    params_known(c, allowed, v);
    const char *as_of = ctx_query(c, "as_of");
    int y, m, d;
    if (as_of && (!date_parse(as_of, &y, &m, &d) || y < 2000 || y > 2100))
        verr_add(v, "query.as_of", "must be a date (YYYY-MM-DD) in the years 2000 to 2100",
                 "value_error.date");
}

static void quota_alerts(struct ctx *c)
{
    struct verr v;
    verr_init(&v);
    alerts_check(c, &v);
    if (rowwrite_invalid(c, &v, false))
        return;
    const char *as_of = ctx_query(c, "as_of");
    const char *p[] = {c->tenant_id, as_of, c->cfg->timezone};
    rowwrite_read(c, &quotas_sql[Q_ALERTS], 3, p);
}

/* ---------------------------------------------------------------- checks */

/* The body's own checks; quota_valid adds the user's existence. */
static void check_create(struct ctx *c, struct verr *v)
{
    rowwrite_validate(c, quota_fields, false, v);
}

static void check_update(struct ctx *c, struct verr *v)
{
    rowwrite_validate(c, quota_fields, true, v);
}

static void check_list(struct ctx *c, struct verr *v)
{
    struct list_query q;
    (void)v;
    list_parse(c, &list_spec, &q);
}

const struct route_check quotas_checks[] = {
    {.name = "quotas.create", .body = true, .run = check_create},
    {.name = "quotas.update", .body = true, .run = check_update},
    {.name = "quotas.list", .run = check_list},
    {.name = "quotas.alerts", .run = alerts_check},
    {.name = NULL},
};

const struct route quotas_routes[] = {
    ROUTE(EVHTTP_REQ_GET, PREFIX, ROLES_ALL, CACHE_NONE, 0, quota_list),
    ROUTE(EVHTTP_REQ_POST, PREFIX, ROLES_MANAGE, CACHE_NONE, ROUTE_BODY, quota_create),
    ROUTE(EVHTTP_REQ_GET, PREFIX "/alerts", ROLES_ALL, CACHE_NONE, 0, quota_alerts),
    ROUTE(EVHTTP_REQ_GET, PREFIX "/{id}", ROLES_ALL, CACHE_NONE, 0, quota_get),
    ROUTE(EVHTTP_REQ_PUT, PREFIX "/{id}", ROLES_MANAGE, CACHE_NONE, ROUTE_BODY, quota_update),
    ROUTE(EVHTTP_REQ_DELETE, PREFIX "/{id}", ROLES_MANAGE, CACHE_NONE, 0, quota_delete),
    ROUTE_END,
};

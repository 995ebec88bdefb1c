/* Dashboard routes: each cached endpoint's query parsing (pure) and one-statement computation. */
#include <event2/http.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cache/cache.h"
#include "routes/dashboard_sql.h"
#include "api/params.h"
#include "routes/routes.h"
#include "timeutil.h"

/* ---------------------------------------------------------------- parsing */

/* One query being parsed: the errors so far, as_of, and the canonical text
 * that becomes the cache key ("as_of=2026-11-29&year=2026&lang=es"). The
 * compute side reads its values back from that text only, so that the key
 * and the computation can never disagree. */
struct dash_query {
    struct ctx *c;
    struct verr *v;
    int y, m, d; /* as_of */
    char text[CACHE_PARAMS_MAX];
    size_t len;
};

static void dash_query_add(struct dash_query *q, const char *key, const char *value)
{
    int n = snprintf(q->text + q->len, sizeof q->text - q->len, "%s%s=%s", q->len ? "&" : "", key,
                     value);
    if (n > 0 && q->len + (size_t)n < sizeof q->text)
        q->len += (size_t)n;
}

static void dash_query_error(struct dash_query *q, const char *name, const char *msg,
                             const char *type)
{
    char loc[64];
    snprintf(loc, sizeof loc, "query.%s", name);
    verr_add(q->v, loc, msg, type);
}

/* Checks the parameter names and resolves as_of: the given date, or today
 * in the configured zone (the process TZ is set to it at start). */
static void dash_query_begin(struct dash_query *q, struct ctx *c, struct verr *v,
                             const char *const *allowed)
{
    memset(q, 0, sizeof *q);
    q->c = c;
    q->v = v;
    params_known(c, allowed, v);
    const char *s = ctx_query(c, "as_of");
    if (s) {
        if (!date_parse(s, &q->y, &q->m, &q->d) || q->y < 1) {
            dash_query_error(q, "as_of", "invalid date format, expected YYYY-MM-DD",
                             "value_error.date");
            return;
        }
    } else {
        time_t now = time(NULL);
        struct tm tm;
        localtime_r(&now, &tm);
        q->y = tm.tm_year + 1900;
        q->m = tm.tm_mon + 1;
        q->d = tm.tm_mday;
    }
    char date[32];
    snprintf(date, sizeof date, "%04d-%02d-%02d", q->y, q->m, q->d);
    dash_query_add(q, "as_of", date);
}

/* An optional integer in [min, max], def when absent. */
static void dash_query_int(struct dash_query *q, const char *name, long min, long max, long def)
{
    long n;
    if (!params_int(q->c, name, min, max, def, &n, q->v))
        return;
    char text[24];
    snprintf(text, sizeof text, "%ld", n);
    dash_query_add(q, name, text);
}

/* An optional value of a NULL-terminated list; values[0] when absent. */
static void dash_query_enum(struct dash_query *q, const char *name, const char *const *values)
{
    const char *s = ctx_query(q->c, name);
    if (!s) {
        dash_query_add(q, name, values[0]);
        return;
    }
    for (const char *const *e = values; *e; e++) {
        if (!strcmp(*e, s)) {
            dash_query_add(q, name, *e);
            return;
        }
    }
    char msg[160] = "value is not a valid enumeration member; permitted:";
    for (const char *const *e = values; *e; e++)
        snprintf(msg + strlen(msg), sizeof msg - strlen(msg), "%s '%s'", e == values ? "" : ",",
                 *e);
    dash_query_error(q, name, msg, "type_error.enum");
}

/* An optional RFC 3339 instant, kept as canonical UTC text with its
 * fraction (2026-03-15T23:59:59.5Z); absent means no lower bound. */
static void dash_query_since(struct dash_query *q)
{
    const char *s = ctx_query(q->c, "since");
    if (!s)
        return;
    int64_t us;
    struct tm tm;
    if (time_parse_rfc3339(s, &us)) {
        int64_t frac = ((us % 1000000) + 1000000) % 1000000;
        time_t secs = (time_t)((us - frac) / 1000000);
        if (gmtime_r(&secs, &tm) && tm.tm_year + 1900 >= 1 && tm.tm_year + 1900 <= 9999) {
            char text[RFC3339_MAX];
            size_t n = strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
            if (frac) {
                n += (size_t)snprintf(text + n, sizeof text - n, ".%06ld", (long)frac);
                while (text[n - 1] == '0')
                    text[--n] = '\0';
            }
            snprintf(text + n, sizeof text - n, "Z");
            dash_query_add(q, "since", text);
            return;
        }
    }
    dash_query_error(q, "since", "invalid datetime, expected RFC 3339 (2026-03-15T23:59:59Z)",
                     "value_error.datetime");
}

/* The response language: "en" when the first tag of Accept-Language is en
 * (en, en-US, en;q=0.8), else "es", the original's. */
static const char *dash_lang(const struct ctx *c)
{
    const char *h = ctx_header(c, "Accept-Language");
    if (!h)
        return "es";
    h += strspn(h, " \t");
    size_t n = strcspn(h, ",; \t");
    bool en = n >= 2 && !strncasecmp(h, "en", 2) && (n == 2 || h[2] == '-');
    return en ? "en" : "es";
}

/* Appends the language, fills r and reports whether the query was valid. */
static bool dash_query_end(struct dash_query *q, struct cache_req *r, const char *endpoint,
                           int ttl_s)
{
    dash_query_add(q, "lang", dash_lang(q->c));
    r->endpoint = endpoint;
    r->ttl_s = ttl_s;
    snprintf(r->params, sizeof r->params, "%s", q->text);
    return !verr_any(q->v);
}

static const char *const only_as_of[] = {"as_of", NULL};
static const char *const year_params[] = {"as_of", "year", NULL};

static bool kpis_parse(struct ctx *c, struct cache_req *r, struct verr *v)
{
    struct dash_query q;
    dash_query_begin(&q, c, v, only_as_of);
    return dash_query_end(&q, r, "kpis", c->cfg->cache_ttl_kpis);
}

static bool summary_parse(struct ctx *c, struct cache_req *r, struct verr *v)
{
    struct dash_query q;
    dash_query_begin(&q, c, v, only_as_of);
    return dash_query_end(&q, r, "summary", c->cfg->cache_ttl_kpis);
}

static bool revenue_monthly_parse(struct ctx *c, struct cache_req *r, struct verr *v)
{
    struct dash_query q;
    dash_query_begin(&q, c, v, year_params);
    dash_query_int(&q, "year", 2020, 2100, q.y);
    return dash_query_end(&q, r, "revenue_monthly", c->cfg->cache_ttl_monthly);
}

static bool expenses_monthly_parse(struct ctx *c, struct cache_req *r, struct verr *v)
{
    struct dash_query q;
    dash_query_begin(&q, c, v, year_params);
    dash_query_int(&q, "year", 2020, 2100, q.y);
    return dash_query_end(&q, r, "expenses_monthly", c->cfg->cache_ttl_monthly);
}

static bool top_clients_parse(struct ctx *c, struct cache_req *r, struct verr *v)
{
    static const char *const allowed[] = {"as_of", "limit", "period", NULL};
    static const char *const periods[] = {"current_year", "current_month", "all_time", NULL};
    struct dash_query q;
    dash_query_begin(&q, c, v, allowed);
    dash_query_int(&q, "limit", 1, 50, 10);
    dash_query_enum(&q, "period", periods);
    return dash_query_end(&q, r, "top_clients", c->cfg->cache_ttl_default);
}

static bool recent_activity_parse(struct ctx *c, struct cache_req *r, struct verr *v)
{
    static const char *const allowed[] = {"as_of", "limit", "since", NULL};
    struct dash_query q;
    dash_query_begin(&q, c, v, allowed);
    dash_query_int(&q, "limit", 1, 100, 20);
    dash_query_since(&q);
    return dash_query_end(&q, r, "recent_activity", c->cfg->cache_ttl_default);
}

static bool quota_performance_parse(struct ctx *c, struct cache_req *r, struct verr *v)
{
    static const char *const allowed[] = {"as_of", "year", "month", NULL};
    struct dash_query q;
    dash_query_begin(&q, c, v, allowed);
    dash_query_int(&q, "year", 2020, 2100, q.y);
    dash_query_int(&q, "month", 1, 12, q.m);
    return dash_query_end(&q, r, "quota_performance", c->cfg->cache_ttl_default);
}

/* The whole dashboard in one answer: as_of, the charts' year and the quota
 * month, as the endpoints it gathers read them. */
static bool overview_parse(struct ctx *c, struct cache_req *r, struct verr *v)
{
    static const char *const allowed[] = {"as_of", "year", "month", NULL};
    struct dash_query q;
    dash_query_begin(&q, c, v, allowed);
    dash_query_int(&q, "year", 2020, 2100, q.y);
    dash_query_int(&q, "month", 1, 12, q.m);
    return dash_query_end(&q, r, "overview", c->cfg->cache_ttl_kpis);
}

/* ---------------------------------------------------------------- computing */

/* The value of key in canonical params text into out ("" when absent). */
static void param_get(const char *params, const char *key, char *out, size_t n)
{
    size_t klen = strlen(key);
    out[0] = '\0';
    for (const char *p = params; p && *p; p = strchr(p, '&') ? strchr(p, '&') + 1 : NULL) {
        if (!strncmp(p, key, klen) && p[klen] == '=') {
            size_t vlen = strcspn(p + klen + 1, "&");
            snprintf(out, n, "%.*s", (int)vlen, p + klen + 1);
            return;
        }
    }
}

/* Appends json to out without the whitespace PostgreSQL's json functions put
 * between tokens (strings are copied verbatim). */
static void json_compact(const char *json, struct buf *out)
{
    const char *run = json;
    bool in_string = false;
    for (const char *p = json; *p; p++) {
        if (in_string) {
            if (*p == '\\' && p[1])
                p++;
            else if (*p == '"')
                in_string = false;
        } else if (*p == '"') {
            in_string = true;
        } else if (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r') {
            buf_add(out, run, (size_t)(p - run));
            run = p + 1;
        }
    }
    buf_adds(out, run);
}

/* Runs statement q with params and appends its JSON answer to out. */
static enum db_status run(struct ctx *c, enum dashboard_query q, int n, const char *const *params,
                          struct buf *out)
{
    PGresult *res = NULL;
    enum db_status st = db_exec(c->db, &dashboard_sql[q], n, params, &res);
    if (st != DB_OK)
        return st;
    if (PQntuples(res) == 1 && PQnfields(res) == 1 && !PQgetisnull(res, 0, 0))
        json_compact(PQgetvalue(res, 0, 0), out);
    else
        st = DB_ERROR; /* every statement answers exactly one row */
    PQclear(res);
    return st;
}

/* Parameter holders, filled from the canonical text. */
struct args {
    char as_of[16], lang[4], year[8], month[8], limit[8], period[16], since[RFC3339_MAX];
};

static void args_read(const struct cache_req *r, struct args *a)
{
    param_get(r->params, "as_of", a->as_of, sizeof a->as_of);
    param_get(r->params, "lang", a->lang, sizeof a->lang);
    param_get(r->params, "year", a->year, sizeof a->year);
    param_get(r->params, "month", a->month, sizeof a->month);
    param_get(r->params, "limit", a->limit, sizeof a->limit);
    param_get(r->params, "period", a->period, sizeof a->period);
    param_get(r->params, "since", a->since, sizeof a->since);
}

static enum db_status kpis_compute(struct ctx *c, const struct cache_req *r, struct buf *out)
{
    struct args a;
    args_read(r, &a);
    const char *p[] = {c->tenant_id, a.as_of, c->cfg->timezone, a.lang};
    return run(c, Q_KPIS, 4, p, out);
}

static enum db_status summary_compute(struct ctx *c, const struct cache_req *r, struct buf *out)
{
    struct args a;
    args_read(r, &a);
    const char *p[] = {c->tenant_id, a.as_of, c->cfg->timezone};
    return run(c, Q_SUMMARY, 3, p, out);
}

static enum db_status revenue_monthly_compute(struct ctx *c, const struct cache_req *r,
                                              struct buf *out)
{
    struct args a;
    args_read(r, &a);
    const char *p[] = {c->tenant_id, c->cfg->timezone, a.lang, a.year};
    return run(c, Q_REVENUE_MONTHLY, 4, p, out);
}

static enum db_status expenses_monthly_compute(struct ctx *c, const struct cache_req *r,
                                               struct buf *out)
{
    struct args a;
    args_read(r, &a);
    const char *p[] = {c->tenant_id, a.lang, a.year};
    return run(c, Q_EXPENSES_MONTHLY, 3, p, out);
}

static enum db_status top_clients_compute(struct ctx *c, const struct cache_req *r, struct buf *out)
{
    struct args a;
    args_read(r, &a);
    const char *p[] = {c->tenant_id, a.as_of, c->cfg->timezone, a.period, a.limit};
    return run(c, Q_TOP_CLIENTS, 5, p, out);
}

static enum db_status recent_activity_compute(struct ctx *c, const struct cache_req *r,
                                              struct buf *out)
{
    struct args a;
    args_read(r, &a);
    const char *p[] = {c->tenant_id, a.as_of, c->cfg->timezone,
                       a.lang,       a.limit, a.since[0] ? a.since : NULL};
    return run(c, Q_RECENT_ACTIVITY, 6, p, out);
}

static enum db_status quota_performance_compute(struct ctx *c, const struct cache_req *r,
                                                struct buf *out)
{
    struct args a;
    args_read(r, &a);
    const char *p[] = {c->tenant_id, a.as_of, c->cfg->timezone, a.year, a.month};
    return run(c, Q_QUOTA_PERFORMANCE, 5, p, out);
}

/* One part of the overview: its member name, its computation, and the
 * query it would get on its own route: the overview's as_of and language,
 * its year and month where the part takes them, and the route's defaults
 * for the rest (fixed). */
enum overview_keys { PART_YEAR = 1 << 0, PART_MONTH = 1 << 1 };

static const struct overview_part {
    const char *name;
    cache_compute_fn compute;
    unsigned keys;     /* enum overview_keys */
    const char *fixed; /* more parameters, or NULL */
} overview_parts[] = {
    {.name = "kpis", .compute = kpis_compute},
    {.name = "summary", .compute = summary_compute},
    {.name = "revenue_monthly", .compute = revenue_monthly_compute, .keys = PART_YEAR},
    {.name = "expenses_monthly", .compute = expenses_monthly_compute, .keys = PART_YEAR},
    {.name = "top_clients",
     .compute = top_clients_compute,
     .fixed = "limit=10&period=current_year"},
    {.name = "recent_activity", .compute = recent_activity_compute, .fixed = "limit=20"},
    {.name = "quota_performance",
     .compute = quota_performance_compute,
     .keys = PART_YEAR | PART_MONTH},
};

/* Every part's statement in turn, one object: {"as_of", "kpis", ...}. */
static enum db_status overview_compute(struct ctx *c, const struct cache_req *r, struct buf *out)
{
    struct args a;
    args_read(r, &a);
    buf_adds(out, "{\"as_of\":\"");
    buf_adds(out, a.as_of);
    buf_adds(out, "\"");
    for (size_t i = 0; i < sizeof overview_parts / sizeof overview_parts[0]; i++) {
        const struct overview_part *p = &overview_parts[i];
        struct cache_req part = {.endpoint = p->name, .ttl_s = r->ttl_s};
        snprintf(part.params, sizeof part.params, "as_of=%s%s%s%s%s%s%s&lang=%s", a.as_of,
                 p->keys & PART_YEAR ? "&year=" : "", p->keys & PART_YEAR ? a.year : "",
                 p->keys & PART_MONTH ? "&month=" : "", p->keys & PART_MONTH ? a.month : "",
                 p->fixed ? "&" : "", p->fixed ? p->fixed : "", a.lang);
        buf_adds(out, ",\"");
        buf_adds(out, p->name);
        buf_adds(out, "\":");
        enum db_status st = p->compute(c, &part, out);
        if (st != DB_OK)
            return st;
    }
    buf_adds(out, "}");
    return DB_OK;
}

/* ---------------------------------------------------------------- routes */

/* Each endpoint: its pure query parser and its one-statement computation. */
#define ENDPOINT(name)                                                                             \
    {                                                                                              \
        .parse = name##_parse, .compute = name##_compute                                           \
    }

static const struct dash_endpoint kpis_endpoint = ENDPOINT(kpis);
static const struct dash_endpoint summary_endpoint = ENDPOINT(summary);
static const struct dash_endpoint revenue_monthly_endpoint = ENDPOINT(revenue_monthly);
static const struct dash_endpoint expenses_monthly_endpoint = ENDPOINT(expenses_monthly);
static const struct dash_endpoint top_clients_endpoint = ENDPOINT(top_clients);
static const struct dash_endpoint recent_activity_endpoint = ENDPOINT(recent_activity);
static const struct dash_endpoint quota_performance_endpoint = ENDPOINT(quota_performance);
static const struct dash_endpoint overview_endpoint = ENDPOINT(overview);

/* Every dashboard read: GET, any role, served through the cache. */
#define DASHBOARD_ROUTE(path, endpoint)                                                            \
    {                                                                                              \
        .method = EVHTTP_REQ_GET, .pattern = "/api/v1/dashboard/" path, .roles = ROLES_ALL,        \
        .cache = CACHE_DASHBOARD, .handler = cache_handle, .dash = &(endpoint)                     \
    }

const struct route dashboard_routes[] = {
    DASHBOARD_ROUTE("kpis", kpis_endpoint),
    DASHBOARD_ROUTE("summary", summary_endpoint),
    DASHBOARD_ROUTE("revenue-monthly", revenue_monthly_endpoint),
    DASHBOARD_ROUTE("expenses-monthly", expenses_monthly_endpoint),
    DASHBOARD_ROUTE("top-clients", top_clients_endpoint),
    DASHBOARD_ROUTE("recent-activity", recent_activity_endpoint),
    DASHBOARD_ROUTE("quota-performance", quota_performance_endpoint),
    DASHBOARD_ROUTE("overview", overview_endpoint),
    ROUTE_END,
};

/* Resource route plumbing: list queries, JSON answers, writes that invalidate the cache. */
#include "routes/resource.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache/cache.h"
#include "api/params.h"
#include "timeutil.h"
#include "uuid.h"

static void qerr(struct verr *v, const char *name, const char *msg, const char *type)
{
    char loc[96];
    snprintf(loc, sizeof loc, "query.%s", name);
    verr_add(v, loc, msg, type);
}

static bool in_list(const char *const *list, const char *s)
{
    for (; list && *list; list++)
        if (!strcmp(*list, s))
            return true;
    return false;
}

static void check_filter(const struct list_filter *f, const char *s, struct verr *v)
{
    int y, m, d;
    char *end;
    switch (f->type) {
    case FILTER_TEXT:
        if (strlen(s) > 255)
            qerr(v, f->name, "must be at most 255 characters", "value_error.any_str");
        break;
    case FILTER_UUID:
        if (!uuid_parse(s, NULL))
            qerr(v, f->name, "must be a UUID", "type_error.uuid");
        break;
    case FILTER_DATE:
        if (!date_parse(s, &y, &m, &d))
            qerr(v, f->name, "must be a date (YYYY-MM-DD)", "type_error.date");
        break;
    case FILTER_INT: {
        long n = strtol(s, &end, 10);
        if (!*s || *end || n < f->min || n > f->max) {
            char msg[96];
            snprintf(msg, sizeof msg, "must be an integer between %ld and %ld", f->min, f->max);
            qerr(v, f->name, msg, "value_error.number");
        }
        break;
    }
    case FILTER_BOOL:
        if (strcmp(s, "true") && strcmp(s, "false"))
            qerr(v, f->name, "must be true or false", "type_error.bool");
        break;
    case FILTER_ENUM:
        if (!in_list(f->values, s)) {
            char msg[256] = "must be one of:";
            for (const char *const *e = f->values; *e; e++)
                snprintf(msg + strlen(msg), sizeof msg - strlen(msg), "%s '%s'",
                         e == f->values ? "" : ",", *e);
            qerr(v, f->name, msg, "type_error.enum");
        }
        break;
    }
}

bool list_parse(struct ctx *c, const struct list_spec *spec, struct list_query *q)
{
    memset(q, 0, sizeof *q);
    const char *allowed[LIST_MAX_FILTERS + 6];
    size_t n = 0;
    allowed[n++] = "page";
    allowed[n++] = "page_size";
    allowed[n++] = "sort";
    if (spec->searchable)
        allowed[n++] = "search";
    for (const struct list_filter *f = spec->filters; f->name; f++)
        allowed[n++] = f->name;
    allowed[n] = NULL;

    struct verr v;
    verr_init(&v);
    params_known(c, allowed, &v);
    params_page(c, &q->page, &q->page_size, &v);
    const char *sort = ctx_query(c, "sort");
    if (sort && !in_list(spec->sortable, sort + (*sort == '-'))) {
        char msg[256] = "must be one of:";
        for (const char *const *e = spec->sortable; *e; e++)
            snprintf(msg + strlen(msg), sizeof msg - strlen(msg), "%s '%s'",
                     e == spec->sortable ? "" : ",", *e);
        snprintf(msg + strlen(msg), sizeof msg - strlen(msg), " (prefix '-' for descending)");
        qerr(&v, "sort", msg, "value_error");
    }
    snprintf(q->sort, sizeof q->sort, "%s", sort ? sort : spec->default_sort);
    q->search = spec->searchable ? ctx_query(c, "search") : NULL;
    if (q->search && strlen(q->search) > 255)
        qerr(&v, "search", "must be at most 255 characters", "value_error.any_str");
    int i = 0;
    for (const struct list_filter *f = spec->filters; f->name; f++, i++) {
        q->filter[i] = ctx_query(c, f->name);
        if (q->filter[i])
            check_filter(f, q->filter[i], &v);
    }
    snprintf(q->limit, sizeof q->limit, "%ld", q->page_size);
    snprintf(q->offset, sizeof q->offset, "%ld", (q->page - 1) * q->page_size);
    bool ok = !verr_respond(&v, c);
    verr_free(&v);
    return ok;
}

/* The "total" of a {"total": N, "items": [...]} document, read from its text
 * without parsing the (possibly large) items. -1 when it is not there. */
static long leading_total(const char *text)
{
    const char *p = strstr(text, "\"total\"");
    if (!p || p - text > 16)
        return -1;
    p = strchr(p + 7, ':');
    if (!p)
        return -1;
    char *end;
    long n = strtol(p + 1, &end, 10);
    return end == p + 1 || n < 0 ? -1 : n;
}

void list_respond(struct ctx *c, const struct list_query *q, PGresult *res)
{
    const char *text = PQntuples(res) == 1 ? PQgetvalue(res, 0, 0) : "";
    long total = leading_total(text);
    size_t len = strlen(text);
    while (len && text[len - 1] != '}')
        len--;
    if (total < 0 || !len) {
        PQclear(res);
        resp_error(c, 500, "Internal server error");
        return;
    }
    /* The items are passed through as PostgreSQL wrote them: re-printing
     * them through cJSON would turn money such as 879.10 into 879.1, and
     * parsing a page of 100 quotes costs more than the query. */
    c->resp.status = 200;
    c->resp.content_type = "application/json";
    buf_reset(&c->resp.body);
    buf_add(&c->resp.body, text, len - 1);
    char tail[96];
    snprintf(tail, sizeof tail, ", \"page\": %ld, \"page_size\": %ld, \"pages\": %ld}", q->page,
             q->page_size, (total + q->page_size - 1) / q->page_size);
    buf_adds(&c->resp.body, tail);
    PQclear(res);
}

void object_respond(struct ctx *c, int status, PGresult *res, const char *location_prefix)
{
    if (PQntuples(res) < 1 || PQgetisnull(res, 0, 0)) {
        PQclear(res);
        resp_error(c, 404, "Not Found");
        return;
    }
    /* The JSON comes from PostgreSQL; it is passed through unparsed. */
    c->resp.status = status;
    c->resp.content_type = "application/json";
    buf_reset(&c->resp.body);
    buf_adds(&c->resp.body, PQgetvalue(res, 0, 0));
    if (status == 201 && location_prefix) {
        cJSON *o = cJSON_Parse(PQgetvalue(res, 0, 0));
        const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(o, "id"));
        if (id) {
            char loc[160];
            snprintf(loc, sizeof loc, "%s/%s", location_prefix, id);
            resp_header(c, "Location", loc);
        }
        cJSON_Delete(o);
    }
    PQclear(res);
}

bool write_begin(struct ctx *c)
{
    enum db_status st = db_begin(c->db);
    if (st != DB_OK) {
        resp_db_error(c, st);
        return false;
    }
    return true;
}

bool write_commit(struct ctx *c)
{
    enum db_status st = db_commit(c->db);
    if (st != DB_OK) {
        db_rollback(c->db);
        resp_db_error(c, st);
        return false;
    }
    cache_invalidate_after_write(c);
    return true;
}

void write_abort(struct ctx *c)
{
    db_rollback(c->db);
}

PGresult *res_exec(struct ctx *c, const struct sql_stmt *st, int n, const char *const *params)
{
    PGresult *res = NULL;
    enum db_status s = db_exec(c->db, st, n, params, &res);
    if (s == DB_OK)
        return res;
    db_rollback(c->db);
    resp_db_error(c, s);
    return NULL;
}

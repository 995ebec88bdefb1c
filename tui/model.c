/* Dashboard JSON to model structs: kpis, summary, monthly series, activity, quotas. */
#include "model.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_priv.h"
#include "timeutil.h"
#include "xalloc.h"

const char *const model_kpi_keys[M_KPI_COUNT] = {
    "total_revenue",          "monthly_quota",  "conversion_rate",   "active_clients",
    "new_clients_this_month", "total_expenses", "pending_approvals", "quotes_sent",
    "quotes_accepted",
};

/* ---------------------------------------------------------------- cJSON helpers */

cJSON *model_json_parse(const char *json, int want, char **err)
{
    cJSON *root = json ? cJSON_Parse(json) : NULL;
    if (!root) {
        *err = xstrdup("the answer is not JSON");
        return NULL;
    }
    if (want && !(root->type & want)) {
        cJSON_Delete(root);
        *err = xstrdup(want == cJSON_Array ? "expected a JSON array" : "expected a JSON object");
        return NULL;
    }
    return root;
}

char *model_json_str(const cJSON *o, const char *name)
{
    const cJSON *v = o ? cJSON_GetObjectItemCaseSensitive(o, name) : NULL;
    return cJSON_IsString(v) && v->valuestring ? xstrdup(v->valuestring) : NULL;
}

double model_json_num(const cJSON *o, const char *name, bool *has)
{
    const cJSON *v = o ? cJSON_GetObjectItemCaseSensitive(o, name) : NULL;
    bool ok = cJSON_IsNumber(v);
    if (has)
        *has = ok;
    return ok ? v->valuedouble : 0.0;
}

long model_json_long(const cJSON *o, const char *name, long def)
{
    bool has;
    double d = model_json_num(o, name, &has);
    /* A number beyond long (1e43 from a broken server) counts as absent:
     * converting it would be undefined behaviour. -2^63 <= d < 2^63. */
    if (!has || !(d >= (double)LONG_MIN && d < -(double)LONG_MIN))
        return def;
    return (long)d;
}

bool model_json_bool(const cJSON *o, const char *name, bool def)
{
    const cJSON *v = o ? cJSON_GetObjectItemCaseSensitive(o, name) : NULL;
    return cJSON_IsBool(v) ? cJSON_IsTrue(v) : def;
}

const cJSON *model_json_obj(const cJSON *o, const char *name)
{
    const cJSON *v = o ? cJSON_GetObjectItemCaseSensitive(o, name) : NULL;
    return cJSON_IsObject(v) ? v : NULL;
}

const cJSON *model_json_arr(const cJSON *o, const char *name)
{
    const cJSON *v = o ? cJSON_GetObjectItemCaseSensitive(o, name) : NULL;
    return cJSON_IsArray(v) ? v : NULL;
}

void model_json_rep(const cJSON *o, struct model_rep *r)
{
    memset(r, 0, sizeof *r);
    r->user_id = model_json_str(o, "user_id");
    r->user_name = model_json_str(o, "user_name");
    r->target = model_json_num(o, "target", NULL);
    r->achieved = model_json_num(o, "achieved", NULL);
    r->percent = model_json_num(o, "percent", NULL);
    char *st = model_json_str(o, "status");
    r->status = model_quota_status_parse(st);
    free(st);
}

void model_json_rep_free(struct model_rep *r)
{
    free(r->user_id);
    free(r->user_name);
    memset(r, 0, sizeof *r);
}

void model_json_page(const cJSON *o, struct model_page *p)
{
    p->total = model_json_long(o, "total", 0);
    p->page = model_json_long(o, "page", 1);
    p->page_size = model_json_long(o, "page_size", 0);
    p->pages = model_json_long(o, "pages", 0);
}

const cJSON *model_json_items(const cJSON *root)
{
    if (cJSON_IsArray(root))
        return root;
    return model_json_arr(root, "items");
}

/* ---------------------------------------------------------------- errors and timing */

char *model_error_detail(const char *body)
{
    cJSON *root = body ? cJSON_Parse(body) : NULL;
    const cJSON *d = root ? cJSON_GetObjectItemCaseSensitive(root, "detail") : NULL;
    char *out = NULL;
    if (cJSON_IsString(d) && d->valuestring[0]) {
        out = xstrdup(d->valuestring);
    } else if (cJSON_IsArray(d) && cJSON_GetArraySize(d) > 0) {
        const cJSON *e = cJSON_GetArrayItem(d, 0);
        const cJSON *loc = model_json_arr(e, "loc");
        char where[128] = "";
        size_t w = 0;
        const cJSON *part;
        cJSON_ArrayForEach(part, loc)
        {
            char piece[48];
            if (cJSON_IsString(part))
                snprintf(piece, sizeof piece, "%s", part->valuestring);
            else
                snprintf(piece, sizeof piece, "%d", part->valueint);
            w += (size_t)snprintf(where + w, sizeof where - w, "%s%s", w ? "." : "", piece);
            if (w >= sizeof where)
                break;
        }
        char *msg = model_json_str(e, "msg");
        out = where[0] ? xasprintf("%s: %s", where, msg ? msg : "invalid")
                       : xstrdup(msg ? msg : "invalid input");
        free(msg);
    }
    cJSON_Delete(root);
    return out;
}

/* Reads the value of "key=value" or key="value" parameter at p (after ';'). */
static const char *timing_param(const char *p, const char *end, const char *key, char *out,
                                size_t n)
{
    size_t kl = strlen(key);
    for (const char *q = p; q && q < end;) {
        while (q < end && (*q == ';' || *q == ' '))
            q++;
        if ((size_t)(end - q) > kl && strncmp(q, key, kl) == 0 && q[kl] == '=') {
            const char *v = q + kl + 1;
            size_t i = 0;
            if (*v == '"') {
                v++;
                while (v < end && *v != '"' && i + 1 < n)
                    out[i++] = *v++;
            } else {
                while (v < end && *v != ';' && *v != ' ' && i + 1 < n)
                    out[i++] = *v++;
            }
            out[i] = '\0';
            return out;
        }
        q = memchr(q, ';', (size_t)(end - q));
    }
    return NULL;
}

void model_parse_timing(const char *header, struct model_timing *out)
{
    memset(out, 0, sizeof *out);
    out->queries = -1;
    for (const char *p = header; p && *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *end = strchr(p, ',');
        if (!end)
            end = p + strlen(p);
        /* desc may hold a quoted comma; none of ours do. */
        char v[64];
        size_t nl = strcspn(p, ";,");
        if (nl == 2 && strncmp(p, "db", 2) == 0) {
            if (timing_param(p, end, "dur", v, sizeof v)) {
                out->db_ms = strtod(v, NULL);
                out->has_db = true;
            }
            if (timing_param(p, end, "desc", v, sizeof v))
                out->queries = atoi(v);
        } else if (nl == 3 && strncmp(p, "app", 3) == 0) {
            if (timing_param(p, end, "dur", v, sizeof v)) {
                out->app_ms = strtod(v, NULL);
                out->has_app = true;
            }
        } else if (nl == 5 && strncmp(p, "cache", 5) == 0) {
            if (timing_param(p, end, "desc", v, sizeof v))
                snprintf(out->cache, sizeof out->cache, "%.11s", v);
        }
        p = *end ? end + 1 : end;
    }
}

/* ---------------------------------------------------------------- dashboard */

int model_parse_kpis(const char *json, struct model_kpis *out, char **err)
{
    memset(out, 0, sizeof *out);
    cJSON *root = model_json_parse(json, cJSON_Object, err);
    if (!root)
        return -1;
    for (int i = 0; i < M_KPI_COUNT; i++) {
        const cJSON *o = model_json_obj(root, model_kpi_keys[i]);
        struct model_kpi *k = &out->k[i];
        if (!o)
            continue;
        k->present = true;
        k->title = model_json_str(o, "title");
        k->current = model_json_num(o, "current_value", &k->has_current);
        k->previous = model_json_num(o, "previous_value", &k->has_previous);
        k->change = model_json_num(o, "change_percent", &k->has_change);
        k->is_positive = model_json_bool(o, "is_positive", true);
        char *f = model_json_str(o, "format_type");
        k->format = !f                             ? M_FMT_NUMBER
                    : strcmp(f, "currency") == 0   ? M_FMT_CURRENCY
                    : strcmp(f, "percentage") == 0 ? M_FMT_PERCENTAGE
                                                   : M_FMT_NUMBER;
        free(f);
    }
    cJSON_Delete(root);
    return 0;
}

void model_kpis_free(struct model_kpis *m)
{
    for (int i = 0; i < M_KPI_COUNT; i++)
        free(m->k[i].title);
    memset(m, 0, sizeof *m);
}

int model_parse_summary(const char *json, struct model_summary *out, char **err)
{
    memset(out, 0, sizeof *out);
    cJSON *root = model_json_parse(json, cJSON_Object, err);
    if (!root)
        return -1;
    out->revenue_ytd = model_json_num(root, "total_revenue_ytd", NULL);
    out->expenses_ytd = model_json_num(root, "total_expenses_ytd", NULL);
    out->net_profit_ytd = model_json_num(root, "net_profit_ytd", NULL);
    out->profit_margin = model_json_num(root, "profit_margin", NULL);
    out->revenue_mom = model_json_num(root, "revenue_mom_change", &out->has_revenue_mom);
    out->expenses_mom = model_json_num(root, "expenses_mom_change", &out->has_expenses_mom);
    out->month_revenue = model_json_num(root, "current_month_revenue", NULL);
    out->month_expenses = model_json_num(root, "current_month_expenses", NULL);
    out->total_clients = model_json_long(root, "total_clients", 0);
    out->total_quotes = model_json_long(root, "total_quotes", 0);
    out->total_expenses_count = model_json_long(root, "total_expenses_count", 0);
    out->month_quotes = model_json_long(root, "current_month_quotes", 0);
    cJSON_Delete(root);
    return 0;
}

/* Reads at most 12 {month, value, label} points of array a. */
static int read_points(const cJSON *a, struct model_point *pts)
{
    int n = 0;
    const cJSON *p;
    cJSON_ArrayForEach(p, a)
    {
        if (n == 12)
            break;
        if (!cJSON_IsObject(p))
            continue;
        char *month = model_json_str(p, "month");
        snprintf(pts[n].month, sizeof pts[n].month, "%.7s", month ? month : "");
        free(month);
        pts[n].label = model_json_str(p, "label");
        pts[n].value = model_json_num(p, "value", NULL);
        n++;
    }
    return n;
}

int model_parse_monthly(const char *json, struct model_monthly *out, char **err)
{
    memset(out, 0, sizeof *out);
    cJSON *root = model_json_parse(json, cJSON_Object, err);
    if (!root)
        return -1;
    out->ncur = read_points(model_json_arr(root, "current_year"), out->cur);
    out->nprev = read_points(model_json_arr(root, "previous_year"), out->prev);
    out->total_cur = model_json_num(root, "total_current_year", NULL);
    out->total_prev = model_json_num(root, "total_previous_year", NULL);
    const cJSON *cats = model_json_arr(root, "by_category");
    int nc = cats ? cJSON_GetArraySize(cats) : 0;
    if (nc > 0) {
        out->cats = xcalloc((size_t)nc, sizeof *out->cats);
        const cJSON *c;
        cJSON_ArrayForEach(c, cats)
        {
            if (!cJSON_IsObject(c))
                continue;
            out->cats[out->ncats].name = model_json_str(c, "category");
            out->cats[out->ncats].total = model_json_num(c, "total", NULL);
            out->ncats++;
        }
    }
    cJSON_Delete(root);
    return 0;
}

void model_monthly_free(struct model_monthly *m)
{
    for (int i = 0; i < m->ncur; i++)
        free(m->cur[i].label);
    for (int i = 0; i < m->nprev; i++)
        free(m->prev[i].label);
    for (int i = 0; i < m->ncats; i++)
        free(m->cats[i].name);
    free(m->cats);
    memset(m, 0, sizeof *m);
}

int model_parse_top_clients(const char *json, struct model_top_clients *out, char **err)
{
    memset(out, 0, sizeof *out);
    cJSON *root = model_json_parse(json, cJSON_Object, err);
    if (!root)
        return -1;
    const cJSON *a = model_json_arr(root, "clients");
    int n = a ? cJSON_GetArraySize(a) : 0;
    out->c = n ? xcalloc((size_t)n, sizeof *out->c) : NULL;
    const cJSON *c;
    cJSON_ArrayForEach(c, a)
    {
        if (!cJSON_IsObject(c))
            continue;
        struct model_top_client *t = &out->c[out->n++];
        t->id = model_json_str(c, "client_id");
        t->name = model_json_str(c, "client_name");
        t->last_quote_date = model_json_str(c, "last_quote_date");
        t->revenue = model_json_num(c, "total_revenue", NULL);
        t->quotes = model_json_long(c, "quote_count", 0);
    }
    out->period = model_json_str(root, "period");
    cJSON_Delete(root);
    return 0;
}

void model_top_clients_free(struct model_top_clients *m)
{
    for (int i = 0; i < m->n; i++) {
        free(m->c[i].id);
        free(m->c[i].name);
        free(m->c[i].last_quote_date);
    }
    free(m->c);
    free(m->period);
    memset(m, 0, sizeof *m);
}

/* ---------------------------------------------------------------- activity */

static void event_free(struct model_event *e)
{
    free(e->id);
    free(e->type);
    free(e->title);
    free(e->description);
    free(e->user_name);
    free(e->timestamp);
    free(e->quote_number);
    free(e->status);
}

int model_parse_activity(const char *json, struct model_activity *out, char **err)
{
    memset(out, 0, sizeof *out);
    cJSON *root = model_json_parse(json, cJSON_Object, err);
    if (!root)
        return -1;
    const cJSON *a = model_json_arr(root, "events");
    int n = a ? cJSON_GetArraySize(a) : 0;
    out->ev = n ? xcalloc((size_t)n, sizeof *out->ev) : NULL;
    out->cap = n;
    const cJSON *o;
    cJSON_ArrayForEach(o, a)
    {
        if (!cJSON_IsObject(o))
            continue;
        struct model_event *e = &out->ev[out->n++];
        e->id = model_json_str(o, "id");
        e->type = model_json_str(o, "type");
        e->title = model_json_str(o, "title");
        e->description = model_json_str(o, "description");
        e->user_name = model_json_str(o, "user_name");
        e->timestamp = model_json_str(o, "timestamp");
        if (!e->timestamp || !time_parse_rfc3339(e->timestamp, &e->ts_us))
            e->ts_us = 0;
        const cJSON *md = model_json_obj(o, "metadata");
        e->quote_number = model_json_str(md, "quote_number");
        e->status = model_json_str(md, "status");
        e->amount = model_json_num(md, "amount", &e->has_amount);
    }
    out->total_events = model_json_long(root, "total_events", out->n);
    cJSON_Delete(root);
    return 0;
}

void model_activity_free(struct model_activity *m)
{
    for (int i = 0; i < m->n; i++)
        event_free(&m->ev[i]);
    free(m->ev);
    memset(m, 0, sizeof *m);
}

static bool has_event(const struct model_activity *m, const char *id)
{
    for (int i = 0; id && i < m->n; i++)
        if (m->ev[i].id && strcmp(m->ev[i].id, id) == 0)
            return true;
    return false;
}

void model_activity_merge(struct model_activity *into, struct model_activity *fresh, int keep)
{
    int add = 0, cap = fresh->n + into->n + 1;
    struct model_event *merged = xcalloc((size_t)cap, sizeof *merged);
    for (int i = 0; i < fresh->n; i++) {
        if (has_event(into, fresh->ev[i].id) || add >= keep) {
            event_free(&fresh->ev[i]);
            continue;
        }
        merged[add++] = fresh->ev[i];
    }
    int total = add;
    for (int i = 0; i < into->n; i++) {
        if (total < keep)
            merged[total++] = into->ev[i];
        else
            event_free(&into->ev[i]);
    }
    free(into->ev);
    into->ev = merged;
    into->n = total;
    into->cap = cap;
    into->total_events = total;
    free(fresh->ev);
    memset(fresh, 0, sizeof *fresh);
}

const char *model_activity_since(const struct model_activity *m)
{
    const char *best = NULL;
    int64_t best_us = 0;
    for (int i = 0; i < m->n; i++) {
        if (m->ev[i].timestamp && (!best || m->ev[i].ts_us > best_us)) {
            best = m->ev[i].timestamp;
            best_us = m->ev[i].ts_us;
        }
    }
    return best;
}

/* ---------------------------------------------------------------- quota performance */

static const char *const qs_names[] = {"unknown", "achieved", "on_track", "at_risk", "behind"};

enum model_quota_status model_quota_status_parse(const char *s)
{
    for (int i = 1; s && i < 5; i++)
        if (strcmp(s, qs_names[i]) == 0)
            return (enum model_quota_status)i;
    return M_QS_UNKNOWN;
}

const char *model_quota_status_name(enum model_quota_status s)
{
    return (unsigned)s < 5 ? qs_names[s] : qs_names[0];
}

int model_parse_quota_perf(const char *json, struct model_quota_perf *out, char **err)
{
    memset(out, 0, sizeof *out);
    cJSON *root = model_json_parse(json, cJSON_Object, err);
    if (!root)
        return -1;
    out->year = (int)model_json_long(root, "year", 0);
    out->month = (int)model_json_long(root, "month", 0);
    out->pace_percent = model_json_num(root, "pace_percent", NULL);
    const cJSON *team = model_json_obj(root, "team");
    if (team) {
        out->has_team = true;
        model_json_rep(team, &out->team);
    }
    const cJSON *reps = model_json_arr(root, "reps");
    int n = reps ? cJSON_GetArraySize(reps) : 0;
    out->reps = n ? xcalloc((size_t)n, sizeof *out->reps) : NULL;
    const cJSON *r;
    cJSON_ArrayForEach(r, reps)
    {
        if (cJSON_IsObject(r))
            model_json_rep(r, &out->reps[out->nreps++]);
    }
    cJSON_Delete(root);
    return 0;
}

void model_quota_perf_free(struct model_quota_perf *m)
{
    model_json_rep_free(&m->team);
    for (int i = 0; i < m->nreps; i++)
        model_json_rep_free(&m->reps[i]);
    free(m->reps);
    memset(m, 0, sizeof *m);
}

/* Reports for scripts: each panel's rows as plain text, and the list views as RFC 4180 CSV. */
#include "report.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "format.h"
#include "panels.h"

#define REPORT_COLS 80

/* ---------------------------------------------------------------- text helpers */

/* Appends s in exactly w columns (w > 0: left-aligned, w < 0: right-aligned),
 * cut with "…" when longer. */
static void col(struct buf *out, const char *s, int w)
{
    bool right = w < 0;
    w = right ? -w : w;
    s = s ? s : "";
    char cut[256];
    snprintf(cut, sizeof cut, "%s", s);
    if (format_width(cut) > w) {
        /* Drop characters until it fits with the ellipsis. */
        size_t len = strlen(cut);
        while (len > 0 && format_width(cut) > w - 1) {
            do
                len--;
            while (len > 0 && ((unsigned char)cut[len] & 0xC0) == 0x80);
            cut[len] = '\0';
        }
        snprintf(cut + len, sizeof cut - len, "…");
    }
    int pad = w - format_width(cut);
    if (right)
        for (int i = 0; i < pad; i++)
            buf_adds(out, " ");
    buf_adds(out, cut);
    if (!right)
        for (int i = 0; i < pad; i++)
            buf_adds(out, " ");
}

/* Ends a line, dropping the spaces padding left at its end. */
static void endl(struct buf *out)
{
    while (out->len > 0 && out->data[out->len - 1] == ' ')
        out->len--;
    if (out->data)
        out->data[out->len] = '\0';
    buf_adds(out, "\n");
}

static void money(double v, char *out, size_t n)
{
    format_money(v, out, n);
}

/* ---------------------------------------------------------------- sections */

static void kpis(struct buf *out, const struct panel_ctx *c)
{
    const struct model_kpis *k = &c->data->kpis;
    for (int i = 0; i < M_KPI_COUNT; i++) {
        const struct model_kpi *m = &k->k[i];
        char value[FMT_MAX] = "-", change[FMT_MAX] = "";
        enum format_type ft = m->format == M_FMT_CURRENCY     ? FORMAT_CURRENCY
                              : m->format == M_FMT_PERCENTAGE ? FORMAT_PERCENTAGE
                                                              : FORMAT_NUMBER;
        if (m->has_current)
            format_value(ft, m->current, false, value, sizeof value);
        if (m->has_change)
            format_change(m->change, false, change, sizeof change);
        col(out, m->title ? m->title : model_kpi_keys[i], 36);
        buf_adds(out, " ");
        col(out, value, -20);
        buf_adds(out, "  ");
        col(out, change, 12);
        endl(out);
    }
}

static void perf(struct buf *out, const struct panel_ctx *c, const struct model_quota_perf *q)
{
    /* The month and pace are already in the section's header line (the
     * panel's info). */
    int total = q->nreps + (q->has_team ? 1 : 0);
    for (int i = 0; i < total; i++) {
        const struct model_rep *r = q->has_team && i == 0 ? &q->team : &q->reps[i - q->has_team];
        char pct[FMT_MAX], ach[FMT_MAX], tgt[FMT_MAX], amounts[2 * FMT_MAX + 4];
        format_percent(r->percent, 1, pct, sizeof pct);
        money(r->achieved, ach, sizeof ach);
        money(r->target, tgt, sizeof tgt);
        snprintf(amounts, sizeof amounts, "%s / %s", ach, tgt);
        col(out, q->has_team && i == 0 ? T(c, MSG_TEAM) : r->user_name, 22);
        buf_adds(out, " ");
        col(out, pct, -7);
        buf_adds(out, " ");
        col(out, panel_status_word(r->status, c->lang), 11);
        buf_adds(out, " ");
        col(out, amounts, -37);
        endl(out);
    }
    if (total == 0) {
        buf_adds(out, T(c, MSG_QUOTAS_NONE));
        endl(out);
    }
}

static void gauges(struct buf *out, const struct panel_ctx *c)
{
    perf(out, c, &c->data->quota_perf);
}

static void quota_month(struct buf *out, const struct panel_ctx *c)
{
    perf(out, c, &c->data->quota_month);
}

static void categories(struct buf *out, const struct panel_ctx *c)
{
    const struct model_monthly *m = &c->data->expmonthly;
    double sum = 0;
    for (int i = 0; i < m->ncats; i++)
        sum += m->cats[i].total;
    for (int i = 0; i < m->ncats; i++) {
        char amt[FMT_MAX], share[FMT_MAX];
        money(m->cats[i].total, amt, sizeof amt);
        format_percent(sum > 0 ? m->cats[i].total * 100 / sum : 0, 1, share, sizeof share);
        col(out, m->cats[i].name, 40);
        buf_adds(out, " ");
        col(out, amt, -20);
        buf_adds(out, " ");
        col(out, share, -8);
        endl(out);
    }
    char amt[FMT_MAX];
    money(sum, amt, sizeof amt);
    col(out, T(c, MSG_COL_TOTAL), 40);
    buf_adds(out, " ");
    col(out, amt, -20);
    endl(out);
}

static void revenue(struct buf *out, const struct panel_ctx *c)
{
    const struct model_monthly *m = &c->data->revenue;
    char cur[8] = "", prev[8] = "";
    if (m->ncur > 0)
        snprintf(cur, sizeof cur, "%.4s", m->cur[0].month);
    if (m->nprev > 0)
        snprintf(prev, sizeof prev, "%.4s", m->prev[0].month);
    col(out, T(c, MSG_COL_MONTH), 10);
    col(out, cur[0] ? cur : T(c, MSG_REVENUE_CURRENT), -20);
    col(out, prev[0] ? prev : T(c, MSG_REVENUE_PREVIOUS), -20);
    endl(out);
    for (int i = 0; i < 12; i++) {
        char a[FMT_MAX] = "-", b[FMT_MAX] = "-";
        if (i < m->ncur)
            money(m->cur[i].value, a, sizeof a);
        if (i < m->nprev)
            money(m->prev[i].value, b, sizeof b);
        col(out, month_name(msg_is_es(c->lang), i + 1), 10);
        col(out, a, -20);
        col(out, b, -20);
        endl(out);
    }
    char a[FMT_MAX], b[FMT_MAX];
    money(m->total_cur, a, sizeof a);
    money(m->total_prev, b, sizeof b);
    col(out, T(c, MSG_COL_TOTAL), 10);
    col(out, a, -20);
    col(out, b, -20);
    endl(out);
}

static void activity(struct buf *out, const struct panel_ctx *c)
{
    const struct model_activity *a = &c->data->activity;
    for (int i = 0; i < a->n; i++) {
        const struct model_event *e = &a->ev[i];
        char when[48], amt[FMT_MAX] = "";
        format_iso_local(e->timestamp, when, sizeof when);
        if (e->has_amount)
            money(e->amount, amt, sizeof amt);
        col(out, when, 24);
        buf_adds(out, " ");
        col(out, e->type, 16);
        buf_adds(out, " ");
        col(out, e->title, 38);
        endl(out);
        buf_adds(out, "    ");
        col(out, e->user_name, 40);
        col(out, amt, -20);
        endl(out);
    }
    if (a->n == 0) {
        buf_adds(out, T(c, MSG_ACTIVITY_NONE));
        endl(out);
    }
}

static void component(struct buf *out, const struct panel_ctx *c, const char *name,
                      const struct model_component *m)
{
    char lat[FMT_MAX] = "-";
    if (m->has_latency)
        format_ms(m->latency_ms, lat, sizeof lat);
    col(out, name, 12);
    if (data_ready_unreachable(c->data)) {
        buf_adds(out, T(c, MSG_UNKNOWN_WHILE_DOWN));
    } else {
        col(out, m->present ? m->status : T(c, MSG_NOT_REPORTED), 12);
        col(out, lat, -12);
        buf_adds(out, "  ");
        col(out, m->state, 40);
    }
    endl(out);
}

static void readiness(struct buf *out, const struct panel_ctx *c)
{
    const struct data *d = c->data;
    char state[256];
    if (data_ready_unreachable(d))
        snprintf(state, sizeof state, T(c, MSG_UNREACHABLE_DETAIL), d->st[SRC_READY].error);
    else
        snprintf(state, sizeof state, T(c, MSG_HTTP_STATUS),
                 d->ready.status ? d->ready.status : "?", d->st[SRC_READY].status);
    col(out, T(c, MSG_READINESS), 12);
    col(out, state, REPORT_COLS - 12);
    endl(out);
    component(out, c, "PostgreSQL", &d->ready.database);
    component(out, c, "Redis", &d->ready.redis);
    char when[96];
    snprintf(when, sizeof when, "%s", T(c, MSG_NONE_SINCE_START));
    if (d->ready_changed_at > 0)
        format_local_time((time_t)d->ready_changed_at, when, sizeof when);
    col(out, T(c, MSG_LAST_CHANGE), 20);
    buf_adds(out, when);
    endl(out);
}

static void healthstrip(struct buf *out, const struct panel_ctx *c)
{
    readiness(out, c);
    const struct model_metrics *m = &c->data->metrics;
    char rate[FMT_MAX];
    double r = model_cache_hit_rate(m);
    if (r >= 0)
        format_percent(r, 1, rate, sizeof rate);
    else
        snprintf(rate, sizeof rate, "%s", T(c, MSG_NO_LOOKUPS));
    col(out, T(c, MSG_HIT_RATE), 20);
    buf_adds(out, c->data->st[SRC_METRICS].has_data ? rate : "-");
    endl(out);
    col(out, T(c, MSG_VERSION), 20);
    buf_adds(out, m->version[0] ? m->version : "-");
    endl(out);
}

static void cache(struct buf *out, const struct panel_ctx *c)
{
    const struct model_metrics *m = &c->data->metrics;
    char v[FMT_MAX];
    double r = model_cache_hit_rate(m);
    col(out, T(c, MSG_HIT_RATE), 20);
    if (r >= 0) {
        format_percent(r, 1, v, sizeof v);
        buf_adds(out, v);
    } else {
        buf_adds(out, T(c, MSG_NO_LOOKUPS_YET));
    }
    endl(out);
    const struct {
        enum msg_id label;
        double value;
    } rows[] = {
        {MSG_HITS_MISSES, m->cache_hit},       {MSG_HITS_MISSES, m->cache_miss},
        {MSG_STALE_BYPASS, m->cache_stale},    {MSG_STALE_BYPASS, m->cache_bypass},
        {MSG_INVALIDATIONS, m->invalidations}, {MSG_REDIS_ERRORS, m->redis_errors},
        {MSG_SQL_STATEMENTS, m->db_queries},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        if (i + 1 < sizeof rows / sizeof rows[0] && rows[i].label == rows[i + 1].label) {
            char a[FMT_MAX], b[FMT_MAX], ab[2 * FMT_MAX + 4];
            format_count((long long)rows[i].value, a, sizeof a);
            format_count((long long)rows[i + 1].value, b, sizeof b);
            snprintf(ab, sizeof ab, "%s / %s", a, b);
            col(out, T(c, rows[i].label), 20);
            buf_adds(out, ab);
            endl(out);
            i++;
            continue;
        }
        format_count((long long)rows[i].value, v, sizeof v);
        col(out, T(c, rows[i].label), 20);
        buf_adds(out, v);
        endl(out);
    }
    col(out, T(c, MSG_VERSION), 20);
    buf_adds(out, m->version[0] ? m->version : "-");
    endl(out);
}

static void timing(struct buf *out, const struct panel_ctx *c)
{
    const struct data *d = c->data;
    col(out, T(c, MSG_COL_REQUEST), 40);
    col(out, T(c, MSG_COL_TOTAL), -12);
    col(out, T(c, MSG_COL_DB), -12);
    col(out, T(c, MSG_COL_APP), -12);
    endl(out);
    for (int row = 0; row < d->ntimings; row++) {
        int i = (d->timings_at - 1 - row + DATA_TIMINGS_N * 2) % DATA_TIMINGS_N;
        const struct timing_rec *t = &d->timings[i];
        char a[FMT_MAX], b[FMT_MAX] = "-", e[FMT_MAX] = "-";
        format_ms(t->ms, a, sizeof a);
        if (t->t.has_db)
            format_ms(t->t.db_ms, b, sizeof b);
        if (t->t.has_app)
            format_ms(t->t.app_ms, e, sizeof e);
        col(out, t->path, 40);
        col(out, a, -12);
        col(out, b, -12);
        col(out, e, -12);
        endl(out);
    }
}

static void quotes(struct buf *out, const struct panel_ctx *c)
{
    const struct model_quotes *qs = &c->data->quotes;
    for (int i = 0; i < qs->n; i++) {
        const struct model_quote *q = &qs->q[i];
        char amt[FMT_MAX], date[16];
        money(q->total, amt, sizeof amt);
        snprintf(date, sizeof date, "%.10s", q->created_at ? q->created_at : "");
        col(out, q->quote_number, 14);
        buf_adds(out, " ");
        col(out, q->client_name, 18);
        buf_adds(out, " ");
        col(out, q->rep_name, 11);
        buf_adds(out, " ");
        col(out, panel_api_status(c, q->status), 9);
        col(out, amt, -14);
        buf_adds(out, " ");
        col(out, date, 10);
        endl(out);
    }
}

static void expenses(struct buf *out, const struct panel_ctx *c)
{
    const struct model_expenses *ex = &c->data->expenses;
    for (int i = 0; i < ex->n; i++) {
        const struct model_expense *e = &ex->e[i];
        char amt[FMT_MAX];
        money(e->amount, amt, sizeof amt);
        col(out, e->date, 11);
        col(out, e->description, 26);
        buf_adds(out, " ");
        col(out, e->category_name, 14);
        col(out, amt, -14);
        buf_adds(out, " ");
        col(out, panel_api_status(c, e->status), 12);
        endl(out);
        buf_adds(out, "           ");
        col(out, e->vendor_name && *e->vendor_name ? e->vendor_name : "-", 30);
        buf_adds(out, " ");
        col(out, e->user_name, 30);
        endl(out);
    }
}

static void alerts(struct buf *out, const struct panel_ctx *c)
{
    const struct model_alerts *al = &c->data->alerts;
    for (int i = 0; i < al->n; i++) {
        const struct model_rep *r = &al->a[i];
        char pct[FMT_MAX], ach[FMT_MAX], tgt[FMT_MAX];
        format_percent(r->percent, 1, pct, sizeof pct);
        money(r->achieved, ach, sizeof ach);
        money(r->target, tgt, sizeof tgt);
        col(out, r->user_name, 22);
        buf_adds(out, " ");
        col(out, panel_status_word(r->status, c->lang), 11);
        col(out, pct, -8);
        col(out, ach, -18);
        col(out, tgt, -18);
        endl(out);
    }
    if (al->n == 0) {
        buf_adds(out, T(c, MSG_ALERTS_NONE));
        endl(out);
    }
}

static void targets(struct buf *out, const struct panel_ctx *c)
{
    const struct data *d = c->data;
    for (int i = 0; i < d->quotas.n; i++) {
        const struct model_quota *q = &d->quotas.q[i];
        const char *name = q->user_name ? q->user_name : model_user_name(&d->users, q->user_id);
        char month[16], tgt[FMT_MAX], ach[FMT_MAX] = "-", pct[FMT_MAX] = "-";
        snprintf(month, sizeof month, "%04d-%02d", q->year, q->month);
        money(q->target, tgt, sizeof tgt);
        if (q->has_achieved) {
            money(q->achieved, ach, sizeof ach);
            format_percent(q->percent, 1, pct, sizeof pct);
        }
        col(out, name ? name : q->user_id, 22);
        buf_adds(out, " ");
        col(out, month, 8);
        col(out, tgt, -16);
        col(out, ach, -16);
        col(out, pct, -9);
        endl(out);
    }
}

/* Each panel's section, by the panel's --once name. */
static const struct {
    const char *panel;
    void (*fn)(struct buf *out, const struct panel_ctx *c);
} sections[] = {
    {"kpis", kpis},
    {"quota_performance", gauges},
    {"expenses_by_category", categories},
    {"revenue_monthly", revenue},
    {"recent_activity", activity},
    {"health", healthstrip},
    {"quotes", quotes},
    {"expenses", expenses},
    {"quotas", quota_month},
    {"alerts", alerts},
    {"quota_targets", targets},
    {"readiness", readiness},
    {"cache", cache},
    {"server_timing", timing},
};

void report_rows(struct buf *out, const struct panel *p, const struct panel_ctx *c)
{
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++)
        if (!strcmp(sections[i].panel, p->name))
            sections[i].fn(out, c);
}

bool report_text(struct buf *out, const struct panel *p, const struct panel_ctx *c)
{
    char info[128] = "";
    if (p->info && data_has(c->data, p->sources))
        p->info(c, info, sizeof info);
    buf_printf(out, "\n== %s ==%s%s\n", T(c, p->title), info[0] ? " " : "", info);
    enum src primary = (enum src)__builtin_ctz(p->sources);
    if (!c->data->st[primary].has_data) {
        const char *err = data_error(c->data, p->sources);
        buf_printf(out, "%s\n", err ? err : T(c, MSG_NOT_AVAILABLE));
        return false;
    }
    report_rows(out, p, c);
    return true;
}

/* ---------------------------------------------------------------- CSV */

void report_csv_field(struct buf *out, const char *s, bool last)
{
    s = s ? s : "";
    if (strpbrk(s, ",\"\r\n")) {
        buf_adds(out, "\"");
        for (const char *p = s; *p; p++) {
            if (*p == '"')
                buf_adds(out, "\"");
            buf_add(out, p, 1);
        }
        buf_adds(out, "\"");
    } else {
        buf_adds(out, s);
    }
    buf_adds(out, last ? "\r\n" : ",");
}

static void num(struct buf *out, double v, bool last)
{
    char s[48];
    snprintf(s, sizeof s, "%.2f", v);
    report_csv_field(out, s, last);
}

bool report_csv_view(int view)
{
    return view == 1 || view == 2 || view == 3;
}

void report_csv(struct buf *out, int view, const struct data *d, bool header)
{
    if (view == 1) {
        if (header)
            buf_adds(out, "quote_number,client,sales_rep,status,total_amount,currency,"
                          "created_at\r\n");
        for (int i = 0; i < d->quotes.n; i++) {
            const struct model_quote *q = &d->quotes.q[i];
            report_csv_field(out, q->quote_number, false);
            report_csv_field(out, q->client_name, false);
            report_csv_field(out, q->rep_name, false);
            report_csv_field(out, q->status, false);
            num(out, q->total, false);
            report_csv_field(out, q->currency, false);
            report_csv_field(out, q->created_at, true);
        }
    } else if (view == 2) {
        if (header)
            buf_adds(out, "date,description,category,vendor,submitted_by,amount,currency,"
                          "status,rejection_reason\r\n");
        for (int i = 0; i < d->expenses.n; i++) {
            const struct model_expense *e = &d->expenses.e[i];
            report_csv_field(out, e->date, false);
            report_csv_field(out, e->description, false);
            report_csv_field(out, e->category_name, false);
            report_csv_field(out, e->vendor_name, false);
            report_csv_field(out, e->user_name, false);
            num(out, e->amount, false);
            report_csv_field(out, e->currency, false);
            report_csv_field(out, e->status, false);
            report_csv_field(out, e->rejection_reason, true);
        }
    } else if (view == 3) {
        if (header)
            buf_adds(out, "sales_rep,year,month,target,achieved,percent,status\r\n");
        const struct model_quota_perf *q = &d->quota_month;
        static const char *const status[] = {"", "achieved", "on_track", "at_risk", "behind"};
        for (int i = 0; i < q->nreps; i++) {
            const struct model_rep *r = &q->reps[i];
            char y[8], m[8];
            snprintf(y, sizeof y, "%d", q->year);
            snprintf(m, sizeof m, "%d", q->month);
            report_csv_field(out, r->user_name, false);
            report_csv_field(out, y, false);
            report_csv_field(out, m, false);
            num(out, r->target, false);
            num(out, r->achieved, false);
            num(out, r->percent, false);
            report_csv_field(out, status[(unsigned)r->status < 5 ? r->status : 0], true);
        }
    }
}

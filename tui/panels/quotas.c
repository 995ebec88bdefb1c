/* Quotas view: the month's gauges for every rep in full, with achieved and target amounts. */
#include <stdio.h>

#include "draw.h"
#include "format.h"
#include "msg.h"
#include "panel.h"
#include "panels.h"

static void quotas_draw(struct grid *g, struct rect r, struct panel_ctx *c)
{
    const struct model_quota_perf *q = &c->data->quota_month;
    /* Full form: the gauge line, then "achieved / target" at the right. */
    if (r.w < 70) {
        gauges_draw_perf(g, r, c, q);
        return;
    }
    struct rect left = {r.x, r.y, r.w - 30, r.h};
    int total = gauges_draw_perf(g, left, c, q);
    int idx[GAUGES_MAX_ROWS];
    gauges_rows(c->st, q, idx);
    for (int i = c->st->scroll, y = r.y; i < total && y < r.y + r.h; i++, y++) {
        const struct model_rep *rep = gauges_rep(q, idx[i]);
        char ach[FMT_MAX], tgt[FMT_MAX];
        format_money(rep->achieved, ach, sizeof ach);
        format_money(rep->target, tgt, sizeof tgt);
        grid_putf(g, r.x + r.w - 29, y, 29, PEN(ROLE_TEXT), PUT_RIGHT, "%s / %s", ach, tgt);
    }
}

static void quotas_info(const struct panel_ctx *c, char *out, size_t n)
{
    const struct model_quota_perf *q = &c->data->quota_month;
    bool es = msg_is_es(c->lang);
    if (q->month >= 1 && q->month <= 12) {
        char pace[64];
        snprintf(pace, sizeof pace, T(c, MSG_PACE), month_name(es, q->month), q->year,
                 q->pace_percent);
        char filter[96];
        gauges_filter_info(c, filter, sizeof filter);
        snprintf(out, n, "%s%s%s · %s", filter, filter[0] ? " · " : "", pace,
                 T(c, MSG_QUOTAS_HINT));
    }
}

static bool quotas_key(struct panel_ctx *c, enum action a)
{
    return gauges_rep_key(c, a, true);
}

const struct panel panel_quotas = {
    .name = "quotas",
    .title = MSG_P_QUOTAS,
    .sources = SRC_BIT(SRC_QUOTA_MONTH),
    .wide = {.band = 0, .weight = 1, .min_w = 40, .min_h = 5, .pref_h = 14},
    .compact = {.band = 0, .weight = 1, .min_w = 40, .min_h = 5, .pref_h = 10},
    .draw = quotas_draw,
    .on_key = quotas_key,
    .info = quotas_info,
};

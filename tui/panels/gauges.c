/* Dashboard panel: quota gauges, team then reps, with target and pace markers. */
#include <stdio.h>

#include "draw.h"
#include "format.h"
#include "msg.h"
#include "panel.h"
#include "panels.h"

const char *const months_en[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
const char *const months_es[12] = {"Ene", "Feb", "Mar", "Abr", "May", "Jun",
                                   "Jul", "Ago", "Sep", "Oct", "Nov", "Dic"};

/* Draws one rep row of a quota-performance answer in row y of r. */
static void gauge_row(struct grid *g, struct rect r, int y, const struct m_rep *rep,
                      const char *label, const struct panel_ctx *c, double pace, int label_w)
{
    struct gauge_spec s = {
        .label = label,
        .label_w = label_w,
        .percent = rep->percent,
        .pace = pace,
        .status = panel_status_word(rep->status, c->lang),
        .status_role = panel_status_role(rep->status),
        .overflow_role = ROLE_GOOD,
    };
    draw_gauge(g, (struct rect){r.x, y, r.w, 1}, &s);
}

int gauges_draw_perf(struct grid *g, struct rect r, struct panel_ctx *c,
                     const struct m_quota_perf *q)
{
    int total = q->nreps + (q->has_team ? 1 : 0);
    struct panel_state *st = c->st;
    panel_scroll_fit(st, total, r.h);
    int label_w = r.w >= 60 ? 18 : r.w >= 44 ? 16 : r.w >= 36 ? 11 : 9;
    const char *team = T(c, MSG_TEAM);
    for (int i = st->scroll, y = r.y; i < total && y < r.y + r.h; i++, y++) {
        if (q->has_team && i == 0) {
            gauge_row(g, r, y, &q->team, team, c, q->pace_percent, label_w);
            continue;
        }
        const struct m_rep *rep = &q->reps[i - (q->has_team ? 1 : 0)];
        gauge_row(g, r, y, rep, rep->user_name ? rep->user_name : "?", c, q->pace_percent, label_w);
        if (c->focused && i == st->sel)
            grid_restyle(g, (struct rect){r.x, y, label_w, 1}, ROLE_SELECTED, ATTR_BOLD);
    }
    if (total == 0)
        panel_note(g, r, T(c, MSG_QUOTAS_NONE));
    return total;
}

static void gauges_draw(struct grid *g, struct rect r, struct panel_ctx *c)
{
    const struct m_quota_perf *q = &c->data->quota_perf;
    int total = q->nreps + (q->has_team ? 1 : 0);
    if (total == 0 || r.h < total * 2) {
        gauges_draw_perf(g, r, c, q);
        return;
    }
    /* Room for two lines each: the name with "achieved / target", then the gauge
     * over the whole width. */
    const char *team = T(c, MSG_TEAM);
    for (int i = 0; i < total; i++) {
        const struct m_rep *rep = q->has_team && i == 0 ? &q->team : &q->reps[i - q->has_team];
        int y = r.y + 2 * i;
        char ach[FMT_MAX], tgt[FMT_MAX], amounts[2 * FMT_MAX + 4];
        panel_money(c, rep->achieved, ach, sizeof ach);
        panel_money(c, rep->target, tgt, sizeof tgt);
        snprintf(amounts, sizeof amounts, "%s / %s", ach, tgt);
        int aw = grid_put(g, r.x, y, r.w, amounts, PEN(ROLE_DIM), PUT_RIGHT);
        const char *name = q->has_team && i == 0 ? team : rep->user_name ? rep->user_name : "?";
        int nw = grid_put(g, r.x, y, r.w - aw - 1, name, PEN_A(ROLE_TEXT, ATTR_BOLD), PUT_ELLIPSIS);
        if (c->focused && i == c->st->sel)
            grid_restyle(g, (struct rect){r.x, y, nw, 1}, ROLE_SELECTED, ATTR_BOLD);
        gauge_row(g, (struct rect){r.x, y + 1, r.w, 1}, y + 1, rep, NULL, c, q->pace_percent, 0);
    }
    c->st->rows = total;
    c->st->visible = total;
    c->st->scroll = 0;
}

/* The quota-performance a gauge panel shows. */
static const struct m_quota_perf *shown_perf(const struct panel_ctx *c, bool month_view)
{
    return month_view ? &c->data->quota_month : &c->data->quota_perf;
}

bool gauges_rep_key(struct panel_ctx *c, enum action a, bool month_view)
{
    const struct m_quota_perf *q = shown_perf(c, month_view);
    struct panel_state *st = c->st;
    int total = q->nreps + (q->has_team ? 1 : 0);
    if (a == ACT_OPEN) {
        /* Enter on a rep: that rep's quotes and expenses (Esc comes back). */
        int i = st->sel - (q->has_team ? 1 : 0);
        if (i >= 0 && i < q->nreps && q->reps[i].user_id)
            panel_drill_rep(c->app, q->reps[i].user_id,
                            q->reps[i].user_name ? q->reps[i].user_name : "?");
        return true;
    }
    if (!panel_list_move(st, a, total))
        return false;
    if (st->sel < st->scroll)
        st->scroll = st->sel;
    if (st->visible > 0 && st->sel >= st->scroll + st->visible)
        st->scroll = st->sel - st->visible + 1;
    return true;
}

static bool gauges_panel_key(struct panel_ctx *c, enum action a)
{
    return gauges_rep_key(c, a, false);
}

bool gauges_key(struct panel_ctx *c, enum action a)
{
    struct panel_state *st = c->st;
    int max = st->rows - st->visible;
    if (a == ACT_DOWN || a == ACT_PAGE_DOWN)
        st->scroll += a == ACT_DOWN ? 1 : st->visible;
    else if (a == ACT_UP || a == ACT_PAGE_UP)
        st->scroll -= a == ACT_UP ? 1 : st->visible;
    else if (a == ACT_TOP)
        st->scroll = 0;
    else if (a == ACT_BOTTOM)
        st->scroll = max;
    else
        return false;
    if (st->scroll > max)
        st->scroll = max;
    if (st->scroll < 0)
        st->scroll = 0;
    return true;
}

static void gauges_info(const struct panel_ctx *c, char *out, size_t n)
{
    const struct m_quota_perf *q = &c->data->quota_perf;
    bool es = msg_is_es(c->lang);
    if (q->month >= 1 && q->month <= 12)
        snprintf(out, n, T(c, MSG_PACE), month_name(es, q->month), q->year, q->pace_percent);
}

const struct panel panel_gauges = {
    .name = "quota_performance",
    .title = MSG_P_GAUGES,
    .sources = SRC_BIT(SRC_QUOTA_PERF),
    .wide = {.band = 1, .weight = 19, .min_w = 36, .min_h = 5, .pref_h = 16},
    .compact = {.band = 1, .weight = 1, .min_w = 38, .min_h = 5, .pref_h = 7},
    .draw = gauges_draw,
    .on_key = gauges_panel_key,
    .info = gauges_info,
};

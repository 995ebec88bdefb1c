/* Dashboard panel: quota gauges, team then reps, with target and pace markers. */
#include <stdio.h>
#include <string.h>

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
static void gauge_row(struct grid *g, struct rect r, int y, const struct model_rep *rep,
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

/* Whether rep a goes after rep b in st's order. */
static bool after(const struct panel_state *st, const struct model_rep *a,
                  const struct model_rep *b)
{
    int k = 0;
    if (st->sort == 1)
        k = strcasecmp(a->user_name ? a->user_name : "", b->user_name ? b->user_name : "");
    else if (st->sort == 2)
        k = a->percent < b->percent ? -1 : a->percent > b->percent;
    return st->desc ? k < 0 : k > 0;
}

int gauges_rows(const struct panel_state *st, const struct model_quota_perf *q, int *idx)
{
    int n = 0;
    if (q->has_team && !st->filter[0])
        idx[n++] = -1;
    int first = n;
    for (int i = 0; i < q->nreps && n < GAUGES_MAX_ROWS; i++) {
        if (!panel_match(q->reps[i].user_name, st->filter))
            continue;
        /* Insertion in order (lists of reps are short). */
        int j = n++;
        while (st->sort && j > first && after(st, &q->reps[idx[j - 1]], &q->reps[i])) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = i;
    }
    return n;
}

void gauges_filter_info(const struct panel_ctx *c, char *out, size_t n)
{
    static const enum msg_id sorts[] = {MSG_NONE, MSG_SORT_NAME, MSG_SORT_PERCENT};
    char sort[48] = "";
    if (c->st->sort > 0 && c->st->sort < 3)
        snprintf(sort, sizeof sort, T(c, MSG_SORT_BY), c->st->desc ? "-" : "",
                 T(c, sorts[c->st->sort]));
    snprintf(out, n, "%s%s%s%s", c->st->filter[0] ? "/" : "", c->st->filter,
             c->st->filter[0] && sort[0] ? " · " : "", sort);
}

int gauges_draw_perf(struct grid *g, struct rect r, struct panel_ctx *c,
                     const struct model_quota_perf *q)
{
    int idx[GAUGES_MAX_ROWS];
    struct panel_state *st = c->st;
    int total = gauges_rows(st, q, idx);
    panel_scroll_fit(st, total, r.h);
    int label_w = r.w >= 60 ? 18 : r.w >= 44 ? 16 : r.w >= 36 ? 11 : 9;
    const char *team = T(c, MSG_TEAM);
    for (int i = st->scroll, y = r.y; i < total && y < r.y + r.h; i++, y++) {
        const struct model_rep *rep = gauges_rep(q, idx[i]);
        const char *label = idx[i] < 0 ? team : rep->user_name ? rep->user_name : "?";
        gauge_row(g, r, y, rep, label, c, q->pace_percent, label_w);
        if (c->focused && i == st->sel)
            grid_restyle(g, (struct rect){r.x, y, label_w, 1}, ROLE_SELECTED, ATTR_BOLD);
    }
    if (total == 0)
        panel_note(g, r, T(c, MSG_QUOTAS_NONE));
    return total;
}

static void gauges_draw(struct grid *g, struct rect r, struct panel_ctx *c)
{
    const struct model_quota_perf *q = &c->data->quota_perf;
    int idx[GAUGES_MAX_ROWS];
    int total = gauges_rows(c->st, q, idx);
    if (total == 0 || r.h < total * 2) {
        gauges_draw_perf(g, r, c, q);
        return;
    }
    /* Room for two lines each: the name with "achieved / target", then the gauge
     * over the whole width. */
    const char *team = T(c, MSG_TEAM);
    for (int i = 0; i < total; i++) {
        const struct model_rep *rep = gauges_rep(q, idx[i]);
        int y = r.y + 2 * i;
        char ach[FMT_MAX], tgt[FMT_MAX], amounts[2 * FMT_MAX + 4];
        panel_money(c, rep->achieved, ach, sizeof ach);
        panel_money(c, rep->target, tgt, sizeof tgt);
        snprintf(amounts, sizeof amounts, "%s / %s", ach, tgt);
        int aw = grid_put(g, r.x, y, r.w, amounts, PEN(ROLE_DIM), PUT_RIGHT);
        const char *name = idx[i] < 0 ? team : rep->user_name ? rep->user_name : "?";
        int nw = grid_put(g, r.x, y, r.w - aw - 1, name, PEN_A(ROLE_TEXT, ATTR_BOLD), PUT_ELLIPSIS);
        if (c->focused && i == c->st->sel)
            grid_restyle(g, (struct rect){r.x, y, nw, 1}, ROLE_SELECTED, ATTR_BOLD);
        gauge_row(g, (struct rect){r.x, y + 1, r.w, 1}, y + 1, rep, NULL, c, q->pace_percent, 0);
    }
    c->st->rows = total;
    c->st->visible = total;
    c->st->scroll = 0;
}

/* The / answer of a gauge list (or the activity feed): the focused panel's filter. */
/* The quota-performance a gauge panel shows. */
static const struct model_quota_perf *shown_perf(const struct panel_ctx *c, bool month_view)
{
    return month_view ? &c->data->quota_month : &c->data->quota_perf;
}

bool gauges_rep_key(struct panel_ctx *c, enum action a, bool month_view)
{
    const struct model_quota_perf *q = shown_perf(c, month_view);
    struct panel_state *st = c->st;
    int idx[GAUGES_MAX_ROWS];
    int total = gauges_rows(st, q, idx);
    switch (a) {
    case ACT_OPEN: {
        /* Enter on a rep: that rep's quotes and expenses (Esc comes back). */
        int i = st->sel >= 0 && st->sel < total ? idx[st->sel] : -1;
        if (i >= 0 && q->reps[i].user_id)
            panel_drill_rep(c->app, q->reps[i].user_id,
                            q->reps[i].user_name ? q->reps[i].user_name : "?");
        return true;
    }
    case ACT_FILTER:
    case ACT_SORT:
    case ACT_SORT_REVERSE:
    case ACT_BACK:
        return panel_local_list_key(c, a, T(c, MSG_REPS_SEARCH), 3);
    default:
        break;
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
    const struct model_quota_perf *q = &c->data->quota_perf;
    bool es = msg_is_es(c->lang);
    char filter[96];
    gauges_filter_info(c, filter, sizeof filter);
    if (q->month >= 1 && q->month <= 12) {
        char pace[64];
        snprintf(pace, sizeof pace, T(c, MSG_PACE), month_name(es, q->month), q->year,
                 q->pace_percent);
        snprintf(out, n, "%s%s%s", filter, filter[0] ? " · " : "", pace);
    }
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

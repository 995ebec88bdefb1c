/* Quotas view: alerts, the reps at risk or behind and those who just reached target. */
#include <stdio.h>

#include "draw.h"
#include "format.h"
#include "panel.h"
#include "panels.h"

struct row_ctx {
    const struct panel_ctx *c;
    char buf[64];
};

static const char *cell(void *ud, int row, int col, struct pen *pen)
{
    struct row_ctx *rc = ud;
    const struct model_rep *a = &rc->c->data->alerts.a[row];
    switch (col) {
    case 0:
        return a->user_name;
    case 1:
        pen->role = panel_status_role(a->status);
        pen->attrs |= ATTR_BOLD;
        return panel_status_word(a->status, rc->c->lang);
    case 2:
        format_percent(a->percent, 1, rc->buf, sizeof rc->buf);
        return rc->buf;
    case 3:
        panel_money(rc->c, a->achieved, rc->buf, sizeof rc->buf);
        return rc->buf;
    case 4:
        panel_money(rc->c, a->target, rc->buf, sizeof rc->buf);
        return rc->buf;
    }
    return NULL;
}

static void alerts_draw(struct grid *g, struct rect r, struct panel_ctx *c)
{
    const struct model_alerts *al = &c->data->alerts;
    if (al->n == 0) {
        panel_note(g, r, T(c, MSG_ALERTS_NONE));
        return;
    }
    const struct table_col cols[] = {
        {T(c, MSG_COL_REP), 12, 3, ALIGN_LEFT},      {T(c, MSG_COL_STATUS), 9, 0, ALIGN_LEFT},
        {T(c, MSG_COL_PERCENT), 10, 0, ALIGN_RIGHT}, {T(c, MSG_COL_ACHIEVED), 12, 1, ALIGN_RIGHT},
        {T(c, MSG_COL_TARGET), 12, 1, ALIGN_RIGHT},
    };
    struct row_ctx rc = {.c = c};
    struct panel_state *st = c->st;
    if (st->sel >= al->n)
        st->sel = al->n - 1;
    struct table_spec t = {cols, 5, al->n, c->focused ? st->sel : -1, c->focused, cell,
                           &rc,  0, false};
    st->rows = al->n;
    st->visible = draw_table(g, r, &t, &st->scroll);
}

static bool alerts_key(struct panel_ctx *c, enum action a)
{
    return panel_list_move(c->st, a, c->data->alerts.n);
}

static void alerts_click(struct panel_ctx *c, int row)
{
    panel_list_click(c->st, row, c->data->alerts.n);
}

/* The day the alerts were asked for: the Quotas view's month. */
static void alerts_info(const struct panel_ctx *c, char *out, size_t n)
{
    char day[16];
    data_alerts_day(&c->data->q, day, sizeof day);
    snprintf(out, n, T(c, MSG_ALERTS_AS_OF), day);
}

const struct panel panel_alerts = {
    .name = "alerts",
    .title = MSG_P_ALERTS,
    .sources = SRC_BIT(SRC_ALERTS),
    .wide = {.band = 1, .weight = 1, .min_w = 40, .min_h = 4, .pref_h = 12},
    .compact = {.band = 1, .weight = 1, .min_w = 38, .min_h = 4, .pref_h = 8},
    .draw = alerts_draw,
    .on_key = alerts_key,
    .on_click = alerts_click,
    .info = alerts_info,
};

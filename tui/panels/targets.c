/* Quotas view: the month's quota rows with each rep's target, achievement and percent. */
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
    const struct data *d = rc->c->data;
    const struct model_quota *q = &d->quotas.q[row];
    switch (col) {
    case 0: {
        const char *name = q->user_name ? q->user_name : model_user_name(&d->users, q->user_id);
        if (name)
            return name;
        pen->role = ROLE_DIM;
        snprintf(rc->buf, sizeof rc->buf, "%.8s", q->user_id ? q->user_id : "?");
        return rc->buf;
    }
    case 1:
        snprintf(rc->buf, sizeof rc->buf, "%04d-%02d", q->year, q->month);
        pen->role = ROLE_DIM;
        return rc->buf;
    case 2:
        panel_money(rc->c, q->target, rc->buf, sizeof rc->buf);
        return rc->buf;
    case 3:
        if (!q->has_achieved)
            return "-";
        panel_money(rc->c, q->achieved, rc->buf, sizeof rc->buf);
        return rc->buf;
    case 4:
        if (!q->has_achieved)
            return "-";
        format_percent(q->percent, 1, rc->buf, sizeof rc->buf);
        pen->role = q->percent >= 100 ? ROLE_GOOD : ROLE_TEXT;
        return rc->buf;
    }
    return NULL;
}

static void targets_draw(struct grid *g, struct rect r, struct panel_ctx *c)
{
    const struct model_quotas *qs = &c->data->quotas;
    if (qs->n == 0) {
        panel_note(g, r, T(c, MSG_TARGETS_NONE));
        return;
    }
    const struct table_col cols[] = {
        {T(c, MSG_COL_REP), 12, 3, ALIGN_LEFT},      {T(c, MSG_COL_MONTH), 7, 0, ALIGN_LEFT},
        {T(c, MSG_COL_TARGET), 12, 1, ALIGN_RIGHT},  {T(c, MSG_COL_ACHIEVED), 12, 1, ALIGN_RIGHT},
        {T(c, MSG_COL_PERCENT), 10, 0, ALIGN_RIGHT},
    };
    struct row_ctx rc = {.c = c};
    struct panel_state *st = c->st;
    if (st->sel >= qs->n)
        st->sel = qs->n - 1;
    struct table_spec t = {cols, 5, qs->n, c->focused ? st->sel : -1, c->focused, cell,
                           &rc,  0, false};
    st->rows = qs->n;
    st->visible = draw_table(g, r, &t, &st->scroll);
}

static bool targets_key(struct panel_ctx *c, enum action a)
{
    return panel_list_move(c->st, a, c->data->quotas.n);
}

static void targets_click(struct panel_ctx *c, int row)
{
    panel_list_click(c->st, row, c->data->quotas.n);
}

const struct panel panel_targets = {
    .name = "quota_targets",
    .title = MSG_P_TARGETS,
    .sources = SRC_BIT(SRC_QUOTAS) | SRC_BIT(SRC_USERS),
    .wide = {.band = 1, .weight = 1, .min_w = 40, .min_h = 4, .pref_h = 12},
    .compact = {.band = 1, .weight = 1, .min_w = 40, .min_h = 4, .pref_h = 8},
    .draw = targets_draw,
    .on_key = targets_key,
    .on_click = targets_click,
};

/* Dashboard panel: expenses of the year by category, as bars scaled to the largest with shares. */
#include <stdio.h>

#include "draw.h"
#include "format.h"
#include "panel.h"
#include "panels.h"

static void categories_draw(struct grid *g, struct rect r, struct panel_ctx *c)
{
    const struct model_monthly *m = &c->data->expmonthly;
    if (m->ncats == 0) {
        panel_note(g, r, T(c, MSG_CATEGORIES_NONE));
        return;
    }
    struct bar_item items[16];
    int n = m->ncats < 16 ? m->ncats : 16;
    for (int i = 0; i < n; i++)
        items[i] =
            (struct bar_item){m->cats[i].name ? m->cats[i].name : "?", m->cats[i].total, NULL};
    /* Scroll when there are more categories than rows. */
    struct panel_state *st = c->st;
    panel_scroll_fit(st, n, r.h);
    int used = draw_bars(g, r, items + st->scroll, n - st->scroll, c->compact);
    /* A spare row at the bottom: the year's total. */
    if (st->scroll == 0 && used == n && r.h >= n + 2) {
        double sum = 0;
        for (int i = 0; i < n; i++)
            sum += items[i].value;
        char total[FMT_MAX];
        panel_money(c, sum, total, sizeof total);
        grid_putf(g, r.x, r.y + r.h - 1, r.w, PEN_A(ROLE_TITLE, ATTR_BOLD), PUT_RIGHT,
                  T(c, MSG_TOTAL_LINE), total);
    }
}

static void categories_info(const struct panel_ctx *c, char *out, size_t n)
{
    const struct model_monthly *m = &c->data->expmonthly;
    if (m->ncur > 0 && m->cur[0].month[0])
        snprintf(out, n, "%.4s", m->cur[0].month);
}

const struct panel panel_categories = {
    .name = "expenses_by_category",
    .title = MSG_P_CATEGORIES,
    .sources = SRC_BIT(SRC_EXPMONTHLY),
    .wide = {.band = 1, .weight = 19, .min_w = 30, .min_h = 5, .pref_h = 16},
    .compact = {.band = 1, .weight = 1, .min_w = 30, .min_h = 5, .pref_h = 7},
    .draw = categories_draw,
    .on_key = gauges_key,
    .info = categories_info,
};

/* Dashboard panel: revenue by month, this year against last, with legend and totals. */
#include <stdio.h>
#include <string.h>

#include "draw.h"
#include "format.h"
#include "msg.h"
#include "panel.h"
#include "panels.h"

static void revenue_draw(struct grid *g, struct rect r, struct panel_ctx *c)
{
    const struct model_monthly *m = &c->data->revenue;
    double cur[12] = {0}, prev[12] = {0};
    const char *labels[12];
    char names[2][8] = {"", ""};
    const char *const *mon = msg_is_es(c->lang) ? months_es : months_en;
    for (int i = 0; i < 12; i++) {
        cur[i] = i < m->ncur ? m->cur[i].value : 0;
        prev[i] = i < m->nprev ? m->prev[i].value : 0;
        labels[i] = mon[i];
    }
    if (m->ncur > 0)
        snprintf(names[0], sizeof names[0], "%.4s", m->cur[0].month);
    if (m->nprev > 0)
        snprintf(names[1], sizeof names[1], "%.4s", m->prev[0].month);
    struct chart_spec spec = {
        .current = cur,
        .previous = prev,
        .n = 12,
        .labels = labels,
        .current_name = names[0][0] ? names[0] : T(c, MSG_REVENUE_CURRENT),
        .previous_name = names[1][0] ? names[1] : T(c, MSG_REVENUE_PREVIOUS),
        .current_total = m->total_cur,
        .previous_total = m->total_prev,
        .compact = c->compact,
        .empty_text = T(c, MSG_REVENUE_NONE),
    };
    draw_chart(g, r, &spec);
}

static void revenue_info(const struct panel_ctx *c, char *out, size_t n)
{
    snprintf(out, n, "%s", T(c, MSG_REVENUE_HINT));
}

const struct panel panel_revenue = {
    .name = "revenue_monthly",
    .title = MSG_P_REVENUE,
    .sources = SRC_BIT(SRC_REVENUE),
    .wide = {.band = 1, .weight = 22, .min_w = 42, .min_h = 6, .pref_h = 16},
    .compact = {.band = 2, .weight = 1, .min_w = 42, .min_h = 5, .pref_h = 7},
    .draw = revenue_draw,
    .info = revenue_info,
};

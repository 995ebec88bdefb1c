/* Dashboard panel: the nine KPI tiles, laid out in as many columns as the width allows. */
#include <stdio.h>

#include "draw.h"
#include "format.h"
#include "panel.h"

/* Tile shapes, tallest first: tile height, smallest width. */
static const struct {
    int h, min_w;
} shapes[] = {{3, 21}, {2, 26}};

/* Picks columns and tile height for 9 tiles in w×h. */
static void pick_grid(int w, int h, bool compact, int *cols, int *tile_h)
{
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        int c = (w + 1) / (shapes[i].min_w + 1);
        if (c > M_KPI_COUNT)
            c = M_KPI_COUNT;
        /* Two rows of five read better than a ragged three rows of three. */
        if (c >= 3 && ((M_KPI_COUNT + c - 1) / c) * shapes[i].h <= h) {
            *cols = c;
            *tile_h = shapes[i].h;
            return;
        }
    }
    /* One-line tiles: "title  value  ▲ 1.0%". */
    int c = (w + 1) / ((compact ? 30 : 37) + 1);
    if (c < 1)
        c = 1;
    int need = h > 0 ? (M_KPI_COUNT + h - 1) / h : M_KPI_COUNT;
    if (need > c)
        c = need;
    *cols = c;
    *tile_h = 1;
}

static void kpis_draw(struct grid *g, struct rect r, struct panel_ctx *c)
{
    const struct model_kpis *k = &c->data->kpis;
    int cols, th;
    pick_grid(r.w, r.h, c->compact, &cols, &th);
    /* Tiles share the width; the first ones take the remainder. */
    int tw = (r.w - (cols - 1)) / cols, extra = (r.w - (cols - 1)) % cols;
    if (tw < 1)
        return;
    int rows = (M_KPI_COUNT + cols - 1) / cols;
    /* Spread the spare rows between the tile rows. */
    int gap = rows > 1 && th > 1 ? (r.h - rows * th) / (rows - 1) : 0;
    if (gap > 1)
        gap = 1;
    if (gap < 0)
        gap = 0;
    for (int i = 0; i < M_KPI_COUNT; i++) {
        const struct model_kpi *m = &k->k[i];
        int row = i / cols, col = i % cols;
        int x = r.x + col * (tw + 1) + (col < extra ? col : extra);
        struct rect t = {x, r.y + row * (th + gap), tw + (col < extra), th};
        if (t.y + t.h > r.y + r.h)
            break;
        char value[FMT_MAX];
        enum format_type ft = m->format == M_FMT_CURRENCY     ? FORMAT_CURRENCY
                              : m->format == M_FMT_PERCENTAGE ? FORMAT_PERCENTAGE
                                                              : FORMAT_NUMBER;
        if (m->has_current)
            format_value(ft, m->current, c->compact, value, sizeof value);
        else
            snprintf(value, sizeof value, "%s", g->ascii ? "-" : "—");
        struct kpi_spec spec = {
            .title = m->title ? m->title : model_kpi_keys[i],
            .value = value,
            .has_change = m->has_change,
            .change = m->change,
            .positive = m->is_positive,
        };
        draw_kpi(g, t, &spec);
    }
}

const struct panel panel_kpis = {
    .name = "kpis",
    .title = MSG_P_KPIS,
    .sources = SRC_BIT(SRC_KPIS),
    .wide = {.band = 0, .weight = 1, .min_w = 40, .min_h = 8, .pref_h = 8},
    .compact = {.band = 0, .weight = 1, .min_w = 40, .min_h = 7, .pref_h = 7},
    .draw = kpis_draw,
};

/* Health view: Server-Timing figures of the last requests and an API latency sparkline. */
#include <stdio.h>

#include "draw.h"
#include "format.h"
#include "panel.h"
#include "panels.h"

struct row_ctx {
    const struct data *d;
    char buf[48];
};

/* Row 0 is the newest record. */
static const struct timing_rec *rec(const struct data *d, int row)
{
    int i = (d->timings_at - 1 - row + DATA_TIMINGS_N * 2) % DATA_TIMINGS_N;
    return &d->timings[i];
}

static const char *cell(void *ud, int row, int col, struct pen *pen)
{
    struct row_ctx *rc = ud;
    const struct timing_rec *t = rec(rc->d, row);
    switch (col) {
    case 0:
        return t->path;
    case 1:
        format_ms(t->ms, rc->buf, sizeof rc->buf);
        return rc->buf;
    case 2:
        if (!t->t.has_db)
            return "-";
        format_ms(t->t.db_ms, rc->buf, sizeof rc->buf);
        return rc->buf;
    case 3:
        if (t->t.queries < 0)
            return "-";
        snprintf(rc->buf, sizeof rc->buf, "%d", t->t.queries);
        return rc->buf;
    case 4:
        if (!t->t.has_app)
            return "-";
        format_ms(t->t.app_ms, rc->buf, sizeof rc->buf);
        return rc->buf;
    case 5:
        pen->role = t->x_cache[0] == 'H' ? ROLE_GOOD : ROLE_DIM;
        return t->x_cache[0] ? t->x_cache : t->t.cache;
    }
    return NULL;
}

static void timing_draw(struct grid *g, struct rect r, struct panel_ctx *c)
{
    const struct data *d = c->data;
    int y = r.y;
    if (d->nlatency > 0 && r.h >= 3) {
        double lo = d->latency[0], hi = d->latency[0], sum = 0;
        for (int i = 0; i < d->nlatency; i++) {
            lo = d->latency[i] < lo ? d->latency[i] : lo;
            hi = d->latency[i] > hi ? d->latency[i] : hi;
            sum += d->latency[i];
        }
        char a[FMT_MAX], b[FMT_MAX], m[FMT_MAX];
        format_ms(lo, a, sizeof a);
        format_ms(hi, b, sizeof b);
        format_ms(sum / d->nlatency, m, sizeof m);
        grid_putf(g, r.x, y++, r.w, PEN(ROLE_DIM), PUT_ELLIPSIS, T(c, MSG_API_LATENCY_LAST),
                  d->nlatency, a, m, b);
        draw_sparkline(g, r.x, y++, r.w, d->latency, d->nlatency, PEN(ROLE_CHART_CURRENT));
        y++;
    }
    const struct table_col cols[] = {
        {T(c, MSG_COL_REQUEST), 16, 3, ALIGN_LEFT}, {T(c, MSG_COL_TOTAL), 9, 0, ALIGN_RIGHT},
        {T(c, MSG_COL_DB), 9, 0, ALIGN_RIGHT},      {T(c, MSG_COL_SQL), 4, 0, ALIGN_RIGHT},
        {T(c, MSG_COL_APP), 9, 0, ALIGN_RIGHT},     {T(c, MSG_COL_CACHE), 6, 0, ALIGN_LEFT},
    };
    struct row_ctx rc = {.d = d};
    struct table_spec t = {cols, 6, d->ntimings, -1, false, cell, &rc, 0, false};
    int scroll = 0;
    if (y < r.y + r.h)
        draw_table(g, (struct rect){r.x, y, r.w, r.y + r.h - y}, &t, &scroll);
}

const struct panel panel_timing = {
    .name = "server_timing",
    .title = MSG_P_TIMING,
    .sources = SRC_BIT(SRC_READY) | SRC_BIT(SRC_METRICS),
    .wide = {.band = 1, .weight = 1, .min_w = 40, .min_h = 6, .pref_h = 14},
    .compact = {.band = 1, .weight = 1, .min_w = 40, .min_h = 5, .pref_h = 11},
    .draw = timing_draw,
};

/* The monthly chart: current against previous year as vertical eighth-block bars, with legend and
 * axis. */
#include "draw.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Lower eighths 1–8 of a cell. */
static const char *const lower[9] = {" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};

static double value_at(const double *v, int i)
{
    if (!v || isnan(v[i]) || v[i] < 0)
        return 0;
    return v[i];
}

/* Draws "■ name total" from x within [x, end); returns the next x. */
static int legend_item(struct grid *g, int x, int y, int end, enum color_role role,
                       const char *name, double total, bool compact)
{
    char amt[FMT_MAX];

    if (compact)
        format_compact(total, amt, sizeof amt);
    else
        format_money(total, amt, sizeof amt);
    const char *swatch = g->ascii ? (role == ROLE_CHART_CURRENT ? "#" : ":")
                         : g->mono && role == ROLE_CHART_PREVIOUS ? "░"
                                                                  : "■";
    x += grid_put(g, x, y, end - x, swatch, PEN_A(role, ATTR_BOLD), 0);
    x += 1;
    if (x < end)
        x +=
            grid_put(g, x, y, end - x, name ? name : "", PEN_A(ROLE_TEXT, ATTR_BOLD), PUT_ELLIPSIS);
    x += 1;
    if (x < end)
        x += grid_put(g, x, y, end - x, amt, PEN(ROLE_TEXT), PUT_ELLIPSIS);
    return x;
}

/* One vertical bar of `v` on a 0–max scale, ph rows tall, bottom at y_bottom. */
static void column_draw(struct grid *g, int x, int y_bottom, int ph, double v, double max,
                        struct pen pen, const char *ascii_glyph, const char *pattern)
{
    bool whole = g->ascii || pattern;
    int units = whole ? 1 : 8;
    if (v <= 0 || max <= 0)
        return;
    long total = lround(v / max * ph * units);
    if (total < 1)
        total = 1;
    for (int k = 0; k < ph; k++) {
        long u = total - (long)k * units;
        if (u <= 0)
            break;
        grid_set(g, x, y_bottom - k,
                 g->ascii  ? ascii_glyph
                 : pattern ? pattern
                           : lower[u >= units ? 8 : u],
                 pen);
    }
}

/* The month label for point i in `avail` columns: the label's first word,
 * or its first letter when the word does not fit. */
static void point_label(const struct chart_spec *c, int i, int avail, char *out, size_t outsz)
{
    if (!c->labels || !c->labels[i]) {
        snprintf(out, outsz, "%d", i + 1);
        return;
    }
    const char *l = c->labels[i];
    size_t word = strcspn(l, " ");
    snprintf(out, outsz, "%.*s", (int)word, l);
    if (format_width(out) > avail) {
        const char *p = l;
        format_utf8_next(&p);
        snprintf(out, outsz, "%.*s", (int)(p - l), l);
    }
}

void draw_chart(struct grid *g, struct rect r, const struct chart_spec *c)
{
    char top[FMT_MAX], lab[FMT_MAX];
    int end = r.x + r.w;
    bool two = c->previous != NULL;

    if (r.w <= 0 || r.h <= 0)
        return;
    int x = legend_item(g, r.x, r.y, end, ROLE_CHART_CURRENT, c->current_name, c->current_total,
                        c->compact);
    if (two && x + 2 < end)
        legend_item(g, x + 2, r.y, end, ROLE_CHART_PREVIOUS, c->previous_name, c->previous_total,
                    c->compact);
    if (r.h < 4 || r.w < 12 || c->n <= 0)
        return;

    double max = 0;
    for (int i = 0; i < c->n; i++) {
        max = fmax(max, value_at(c->current, i));
        max = fmax(max, value_at(c->previous, i));
    }
    format_compact(max, top, sizeof top);
    int aw = format_width(top);
    int ph = r.h - 2, py = r.y + 1, pbottom = py + ph - 1;
    int px = r.x + aw + 1, pw = r.w - aw - 1;
    int gw = pw / c->n;

    grid_put(g, r.x, py, aw, max > 0 ? top : "", PEN(ROLE_DIM), PUT_RIGHT);
    grid_put(g, r.x, pbottom, aw, "0", PEN(ROLE_DIM), PUT_RIGHT);
    grid_vline(g, r.x + aw, py, ph, PEN(ROLE_BORDER));

    if (max <= 0) {
        grid_put(g, px, py + (ph - 1) / 2, pw, c->empty_text ? c->empty_text : "no data",
                 PEN(ROLE_DIM), PUT_CENTER | PUT_ELLIPSIS);
    }
    if (gw < 1)
        return;
    two = two && gw >= 2;
    int bw = two ? (gw - 1) / 2 : gw - 1;
    if (bw < 1)
        bw = 1;
    int avail = gw > 1 ? gw - 1 : 1;
    for (int i = 0; i < c->n; i++) {
        int gx = px + i * gw;
        for (int k = 0; k < bw && max > 0; k++) {
            column_draw(g, gx + k, pbottom, ph, value_at(c->current, i), max,
                        PEN(ROLE_CHART_CURRENT), "#", NULL);
            if (two)
                column_draw(g, gx + bw + k, pbottom, ph, value_at(c->previous, i), max,
                            PEN(ROLE_CHART_PREVIOUS), ":", g->mono ? "░" : NULL);
        }
        point_label(c, i, avail, lab, sizeof lab);
        grid_put(g, gx, r.y + r.h - 1, avail, lab, PEN(ROLE_DIM), 0);
    }
}

/* Quota gauges: eighth-block bars with target and pace markers and visible overflow past 100%. */
#include "draw.h"

#include <math.h>
#include <string.h>

/* Eighths 1–8 of a cell filled from the left. */
static const char *const eighths[9] = {" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"};

static double clean(double v)
{
    return isnan(v) || v < 0 ? 0 : v;
}

/* The inner cell a percent falls in on a 0–scale bar of n cells. */
static int cell_of(double pct, double scale, int n)
{
    int c = (int)floor(pct / scale * n);
    if (c < 0)
        c = 0;
    if (c > n - 1)
        c = n - 1;
    return c;
}

void draw_gauge_bar(struct grid *g, int x, int y, int w, double percent, double pace,
                    enum color_role overflow_role)
{
    if (w < 3)
        return;
    bool ascii = g->ascii;
    int n = w - 2, x0 = x + 1;
    double p = clean(percent);
    bool over = p > 100.0;
    double scale = over ? fmin(p, GAUGE_SCALE_MAX) : 100.0;
    enum color_role ovr = overflow_role == ROLE_BACKGROUND ? ROLE_GOOD : overflow_role;
    struct pen fill = PEN(ROLE_GAUGE_FILL);
    struct pen empty =
        ascii ? PEN(ROLE_GAUGE_EMPTY) : (struct pen){ROLE_GAUGE_EMPTY, ROLE_GAUGE_EMPTY, 0};
    bool filled[512];

    if (n > (int)sizeof filled)
        n = (int)sizeof filled;
    grid_set(g, x, y, ascii ? "[" : "▕", PEN(ROLE_BORDER));
    grid_set(g, x0 + n, y, ascii ? "]" : "▏", PEN(over ? ROLE_BORDER : ROLE_GAUGE_TARGET));

    /* The fill, rounded to the nearest eighth (UTF-8) or cell (ASCII). */
    int units = ascii ? 1 : 8;
    long total = lround(fmin(p, scale) / scale * n * units);
    for (int i = 0; i < n; i++) {
        long u = total - (long)i * units;
        if (u >= units) {
            grid_set(g, x0 + i, y, ascii ? "#" : eighths[8], fill);
        } else if (u > 0) {
            grid_set(g, x0 + i, y, eighths[u], (struct pen){ROLE_GAUGE_FILL, ROLE_GAUGE_EMPTY, 0});
        } else {
            grid_set(g, x0 + i, y, ascii ? "." : " ", empty);
        }
        filled[i] = u > 0;
    }

    int target = -1;
    if (over) {
        target = cell_of(100.0, scale, n);
        grid_set(
            g, x0 + target, y, ascii ? "|" : "│",
            (struct pen){ROLE_GAUGE_TARGET, ascii ? ROLE_BACKGROUND : ROLE_GAUGE_FILL, ATTR_BOLD});
        for (int i = target + 1; i < n; i++)
            grid_set(g, x0 + i, y, ascii ? "+" : "▓", PEN(ovr));
        if (p > GAUGE_SCALE_MAX && n - 1 > target)
            grid_set(g, x0 + n - 1, y, ascii ? ">" : "▶", PEN_A(ovr, ATTR_BOLD));
    }

    if (pace >= 0 && !isnan(pace)) {
        int c = cell_of(pace, scale, n);
        if (c != target) {
            /* On filled cells the marker is a notch in the empty colour:
             * the pace colour need not stand out against the fill. */
            enum color_role under = filled[c] ? ROLE_GAUGE_FILL : ROLE_GAUGE_EMPTY;
            enum color_role fg = filled[c] && !ascii ? ROLE_GAUGE_EMPTY : ROLE_GAUGE_PACE;
            grid_set(g, x0 + c, y, ascii ? ":" : "┆",
                     (struct pen){fg, ascii ? ROLE_BACKGROUND : under, ATTR_BOLD});
        }
    }
}

void draw_gauge(struct grid *g, struct rect r, const struct gauge_spec *s)
{
    char pct[FMT_MAX];

    if (r.w <= 0 || r.h <= 0)
        return;
    format_percent(round(clean(s->percent)), 0, pct, sizeof pct);
    enum color_role srole = s->status_role == ROLE_BACKGROUND ? ROLE_TEXT : s->status_role;
    int pct_w = 5;
    int label_w = s->label && s->label_w > 0 ? s->label_w : 0;
    int status_w = 0;
    if (s->status && *s->status)
        status_w = s->status_w > 0 ? s->status_w : format_width(s->status);

    /* What the bar keeps: drop the status, then shrink and drop the label. */
    int fixed = pct_w + (label_w ? label_w + 1 : 0) + (status_w ? status_w + 1 : 0);
    if (r.w - fixed < 3 && status_w) {
        fixed -= status_w + 1;
        status_w = 0;
    }
    if (r.w - fixed < 3 && label_w) {
        int nl = label_w - (3 - (r.w - fixed));
        fixed -= label_w + 1;
        label_w = nl >= 4 ? nl : 0;
        if (label_w)
            fixed += label_w + 1;
    }
    int bar_w = r.w - fixed;

    int x = r.x;
    if (label_w) {
        grid_put(g, x, r.y, label_w, s->label, PEN(ROLE_TEXT), PUT_ELLIPSIS | PUT_PAD);
        x += label_w + 1;
    }
    if (bar_w >= 3) {
        draw_gauge_bar(g, x, r.y, bar_w, s->percent, s->pace, s->overflow_role);
        x += bar_w;
    } else {
        pct_w = r.x + r.w - x < pct_w ? r.x + r.w - x : pct_w;
    }
    grid_put(g, x, r.y, pct_w, pct, PEN_A(srole, ATTR_BOLD), PUT_RIGHT | PUT_PAD);
    x += pct_w;
    if (status_w) {
        grid_put(g, x + 1, r.y, status_w, s->status, PEN_A(srole, ATTR_BOLD),
                 PUT_ELLIPSIS | PUT_PAD);
    }
}

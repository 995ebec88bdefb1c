/* Category bars: horizontal bars scaled to the largest value, with amounts and shares of the total.
 */
#include "draw.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define SHARE_W 6 /* "100.0%" */

static const char *const eighths[9] = {" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"};

static double positive(double v)
{
    return isnan(v) || v < 0 ? 0 : v;
}

static void amount_text(const struct bar_item *it, bool compact, char *out, size_t outsz)
{
    if (compact)
        format_compact(positive(it->value), out, outsz);
    else if (!it->amount || !format_money_text(it->amount, out, outsz))
        format_money(it->value, out, outsz);
}

/* One bar of `value` on a 0–max scale of w cells; non-zero values get at
 * least one eighth (one '='). */
static void bar_draw(struct grid *g, int x, int y, int w, double value, double max, struct pen pen)
{
    int units = g->ascii ? 1 : 8;
    if (w <= 0 || max <= 0 || value <= 0)
        return;
    long total = lround(value / max * w * units);
    if (total < 1)
        total = 1;
    for (int i = 0; i < w; i++) {
        long u = total - (long)i * units;
        if (u <= 0)
            break;
        grid_set(g, x + i, y, g->ascii ? "=" : eighths[u >= units ? 8 : u], pen);
    }
}

int draw_bars(struct grid *g, struct rect r, const struct bar_item *items, int n, bool compact)
{
    char amt[FMT_MAX], share[FMT_MAX];
    double max = 0, sum = 0;
    int label_w = 0, amount_w = 0;

    if (r.w <= 0 || r.h <= 0 || n <= 0 || !items)
        return 0;
    for (int i = 0; i < n; i++) {
        double v = positive(items[i].value);
        max = v > max ? v : max;
        sum += v;
        int lw = format_width(items[i].label ? items[i].label : "");
        label_w = lw > label_w ? lw : label_w;
        amount_text(&items[i], compact, amt, sizeof amt);
        int aw = (int)strlen(amt);
        amount_w = aw > amount_w ? aw : amount_w;
    }
    if (label_w > r.w / 3)
        label_w = r.w / 3;

    /* label␠bar␠amount␠share: the share goes first when room is short, then
     * the amount shrinks into the label's space. */
    int share_w = SHARE_W;
    int bar_w = r.w - label_w - 1 - 1 - amount_w - 1 - share_w;
    if (bar_w < 1) {
        share_w = 0;
        bar_w = r.w - label_w - 1 - 1 - amount_w;
    }
    if (bar_w < 1) {
        label_w = r.w - amount_w - 1 - 1 - 1;
        label_w = label_w < 0 ? 0 : label_w;
        bar_w = r.w - (label_w ? label_w + 1 : 0) - 1 - amount_w;
    }
    if (bar_w < 0)
        bar_w = 0;

    int rows = n < r.h ? n : r.h;
    for (int i = 0; i < rows; i++) {
        const struct bar_item *it = &items[i];
        int y = r.y + i, x = r.x;
        struct pen pal = PEN((enum color_role)(ROLE_PALETTE0 + i % THEME_PALETTE_N));
        grid_fill(g, (struct rect){r.x, y, r.w, 1}, " ", PEN(ROLE_TEXT));
        if (label_w) {
            grid_put(g, x, y, label_w, it->label, PEN(ROLE_TEXT), PUT_ELLIPSIS | PUT_PAD);
            x += label_w + 1;
        }
        bar_draw(g, x, y, bar_w, positive(it->value), max, pal);
        x += bar_w + 1;
        amount_text(it, compact, amt, sizeof amt);
        int aw = r.x + r.w - x < amount_w ? r.x + r.w - x : amount_w;
        grid_put(g, x, y, aw, amt, PEN(ROLE_TEXT), PUT_RIGHT | PUT_ELLIPSIS);
        x += aw + 1;
        if (share_w) {
            format_percent(sum > 0 ? positive(it->value) / sum * 100 : 0, 1, share, sizeof share);
            grid_put(g, x, y, share_w, share, PEN(ROLE_DIM), PUT_RIGHT);
        }
    }
    return rows;
}

/* The responsive layout: bands side by side on wide screens, stacked and scrolled on small ones. */
#include "layout.h"

#include <stdio.h>
#include <string.h>

#define MAX_BANDS LAYOUT_MAX_ITEMS

struct band {
    int id;
    int first, count; /* items of the band, in given order (indexes into order[]) */
    int min_h, pref_h, min_w;
    int h;
};

static int imax(int a, int b)
{
    return a > b ? a : b;
}

static int pref_of(const struct layout_item *it)
{
    return imax(it->pref_h, it->min_h);
}

/* ---- bands side by side ------------------------------------------------- */

/* Groups items by band number (bands in increasing order, items within a
 * band in given order). order[] gets the item indexes band by band. */
static int collect_bands(const struct layout_item *items, int n, struct band *b, int *order)
{
    int nb = 0, k = 0;
    int last = -2147483647;
    for (;;) {
        int next = 0;
        bool found = false;
        for (int i = 0; i < n; i++)
            if (items[i].band > last && (!found || items[i].band < next)) {
                next = items[i].band;
                found = true;
            }
        if (!found)
            return nb;
        struct band *bd = &b[nb++];
        memset(bd, 0, sizeof *bd);
        bd->id = next;
        bd->first = k;
        for (int i = 0; i < n; i++) {
            if (items[i].band != next)
                continue;
            order[k++] = i;
            bd->count++;
            bd->min_h = imax(bd->min_h, items[i].min_h);
            bd->pref_h = imax(bd->pref_h, pref_of(&items[i]));
            bd->min_w += items[i].min_w;
        }
        last = next;
    }
}

/* Widths by weight, each at least its min_w (water-filling), summing to w. */
static void band_widths(const struct layout_item *items, const int *idx, int count, int w, int *out)
{
    bool fixed[LAYOUT_MAX_ITEMS] = {false};
    bool changed = true;
    int rem = w, rem_weight = 0;

    for (int i = 0; i < count; i++)
        rem_weight += imax(items[idx[i]].weight, 1);
    while (changed) {
        changed = false;
        for (int i = 0; i < count && rem_weight > 0; i++) {
            if (fixed[i])
                continue;
            int wt = imax(items[idx[i]].weight, 1);
            if (rem * wt / rem_weight < items[idx[i]].min_w) {
                fixed[i] = true;
                out[i] = items[idx[i]].min_w;
                rem -= out[i];
                rem_weight -= wt;
                changed = true;
            }
        }
    }
    int last_free = -1, used = 0;
    for (int i = 0; i < count; i++) {
        if (!fixed[i]) {
            out[i] = rem_weight > 0 ? rem * imax(items[idx[i]].weight, 1) / rem_weight : 0;
            last_free = i;
        }
        used += out[i];
    }
    out[last_free >= 0 ? last_free : count - 1] += w - used;
}

static bool layout_bands(const struct layout_item *items, int n, struct layout *l)
{
    struct band b[MAX_BANDS];
    int order[LAYOUT_MAX_ITEMS];
    int nb = collect_bands(items, n, b, order);
    int sum_min = 0, spare_want = 0;

    for (int i = 0; i < nb; i++) {
        if (b[i].min_w > l->body.w)
            return false;
        sum_min += b[i].min_h;
        spare_want += b[i].pref_h - b[i].min_h;
    }
    if (sum_min > l->body.h)
        return false;

    /* Heights: min_h, then spare rows by how much more each band wants. */
    int spare = l->body.h - sum_min, given = 0;
    for (int i = 0; i < nb; i++) {
        int want = b[i].pref_h - b[i].min_h;
        int add = spare_want > 0 ? (int)((long)spare * want / spare_want) : 0;
        if (add > want)
            add = want;
        b[i].h = b[i].min_h + add;
        given += add;
    }
    /* Rows left over (rounding, or everyone at pref_h) go to the last band. */
    if (nb > 0)
        b[nb - 1].h += spare - given;

    int y = l->body.y;
    for (int i = 0; i < nb; i++) {
        int widths[LAYOUT_MAX_ITEMS];
        band_widths(items, order + b[i].first, b[i].count, l->body.w, widths);
        int x = l->body.x;
        for (int k = 0; k < b[i].count; k++) {
            l->rects[order[b[i].first + k]] = (struct rect){x, y, widths[k], b[i].h};
            x += widths[k];
        }
        y += b[i].h;
    }
    return true;
}

/* ---- stacked ------------------------------------------------------------ */

static void layout_stack(const struct layout_item *items, int n, int scroll, struct layout *l)
{
    int bottom = l->body.y + l->body.h;

    /* The smallest scroll at which the rest fits: scrolling further shows
     * nothing new. */
    int tail = 0;
    l->scroll_max = n > 0 ? n - 1 : 0;
    for (int i = n - 1; i >= 0; i--) {
        int h = pref_of(&items[i]);
        tail += h < l->body.h ? h : l->body.h;
        if (tail > l->body.h)
            break;
        l->scroll_max = i;
    }
    if (scroll > l->scroll_max)
        scroll = l->scroll_max;
    if (scroll < 0)
        scroll = 0;
    l->scroll = scroll;

    int y = l->body.y;
    for (int i = scroll; i < n; i++) {
        int h = pref_of(&items[i]);
        if (h > l->body.h)
            h = l->body.h;
        int left = bottom - y;
        if (h > left) {
            int need = items[i].min_h < 3 ? imax(items[i].min_h, 1) : 3;
            if (left < need)
                break;
            h = left;
        }
        if (h <= 0)
            break;
        l->rects[i] = (struct rect){l->body.x, y, l->body.w, h};
        y += h;
    }
}

/* ---- entry points ------------------------------------------------------- */

void layout_compute(int cols, int lines, const struct layout_item *items, int n, int scroll,
                    unsigned flags, struct layout *out)
{
    memset(out, 0, sizeof *out);
    if (n > LAYOUT_MAX_ITEMS)
        n = LAYOUT_MAX_ITEMS;
    if (n < 0 || !items)
        n = 0;
    out->n = n;
    if (cols < LAYOUT_MIN_COLS || lines < LAYOUT_MIN_LINES) {
        out->mode = LAYOUT_TOO_SMALL;
        snprintf(out->text, sizeof out->text, "terminal too small, need %dx%d", LAYOUT_MIN_COLS,
                 LAYOUT_MIN_LINES);
        if (cols > 0 && lines > 0) {
            out->screen = (struct rect){0, 0, cols, lines};
            out->message = (struct rect){0, lines / 2, cols, 1};
        }
        return;
    }
    out->screen = (struct rect){0, 0, cols, lines};
    out->header = (struct rect){0, 0, cols, 1};
    int top = 1;
    if (flags & LAYOUT_BANNER) {
        out->banner = (struct rect){0, 1, cols, 1};
        top = 2;
    }
    out->status = (struct rect){0, lines - 1, cols, 1};
    out->body = (struct rect){0, top, cols, lines - 1 - top};

    if (cols >= LAYOUT_COMPACT_COLS && lines >= LAYOUT_COMPACT_LINES &&
        layout_bands(items, n, out)) {
        out->mode = cols >= LAYOUT_WIDE_COLS ? LAYOUT_WIDE : LAYOUT_COMPACT;
        return;
    }
    memset(out->rects, 0, sizeof out->rects);
    out->mode = LAYOUT_STACKED;
    layout_stack(items, n, scroll, out);
}

int layout_hit(const struct layout *l, int x, int y)
{
    for (int i = 0; i < l->n; i++) {
        struct rect r = l->rects[i];
        if (x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h)
            return i;
    }
    return -1;
}
